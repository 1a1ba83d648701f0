"""Publish a month's printed guide from the command line (or a monthly cron job).

The back office publishes the same way, but rendering every area in every language takes about
a minute; on a small server a command does not tie up a web worker that long.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guides import printed
from guides.services import PublishRefused, publish_edition


class Command(BaseCommand):
    help = "Freeze every area's printed guide in every language as the edition of MONTH (YYYY-MM)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the edition's month, e.g. 2026-12")
        parser.add_argument(
            "--user", required=True, help="username of the coordinator publishing it"
        )
        parser.add_argument(
            "--site", help="public address printed on the covers (default: PUBLIC_SITE_URL)"
        )

    def handle(self, *args, month, user, site=None, **options):
        first = printed.parse_month(month)
        if first is None:
            raise CommandError(f"{month!r} is not a month like 2026-12.")
        # As in the back office: an edition cannot be taken back, so a mistyped year must not
        # publish one.
        allowed = printed.publishable_months(timezone.now())
        if first not in allowed:
            names = ", ".join(f"{m:%Y-%m}" for m in allowed)
            raise CommandError(f"An edition is published for {names} only, not {month}.")
        if site is not None:
            try:
                site = printed.clean_site(site)
            except ValueError as error:
                raise CommandError(f"--site: {error}") from None
        publisher = get_user_model().objects.filter(username=user, is_active=True).first()
        if publisher is None or not publisher.has_perm("guides.add_edition"):
            raise CommandError(f"{user!r} is not an active user allowed to publish editions.")
        try:
            edition = publish_edition(month=first, user=publisher, site=site)
        except PublishRefused as refused:
            raise CommandError(str(refused)) from None
        files = edition.files.count()
        self.stdout.write(f"Published the edition of {month}: {files} PDF files.")
