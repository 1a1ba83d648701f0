from django.core.management.base import BaseCommand

from infobus.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = (
        "Create or update one group per staff role (infobus/roles.py) with exactly its "
        "permissions. Safe to run after every deploy; permissions added by hand are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the roles and permission counts."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            for role, names in ROLES.items():
                self.stdout.write(f"{role}: {len(names)} permission entries")
            return
        groups = sync_roles()
        for role, group in groups.items():
            self.stdout.write(f"{role}: {group.permissions.count()} permissions")
