"""Erase the personal data the phone work no longer needs. Run daily (cron or a timer).

Owners' first names and numbers go CONTACT_KEEP_DAYS (phones/models.py, 30) days after
their phone was collected or marked not collected; --days overrides that. Donors' names
and emails go DONOR_KEEP_MONTHS (12) months after their last donation. The notes on those
tickets' status changes and the back office's history of the rows go too. Tickets, donors
and every count stay, so the monthly figures and the repair data do not change.
"""

from django.core.management.base import BaseCommand, CommandError

from phones.models import CONTACT_KEEP_DAYS, DONOR_KEEP_MONTHS
from phones.services import erase_expired_personal_data


class Command(BaseCommand):
    help = (
        "Erase owners' names and numbers some days after their phone was collected, and "
        "donors' names and emails 12 months after their last donation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be erased; change nothing.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=CONTACT_KEEP_DAYS,
            help=f"Days after collection to keep an owner's contact (default {CONTACT_KEEP_DAYS}).",
        )

    def handle(self, *args, dry_run, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        erased = erase_expired_personal_data(
            contact_days=days, donor_months=DONOR_KEEP_MONTHS, dry_run=dry_run
        )
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} the contact details of {erased.tickets} ticket(s) closed {days} or more "
            f"days ago, and the names and emails of {erased.donors} donor(s) whose last "
            f"donation is over {DONOR_KEEP_MONTHS} months old."
        )
