from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_sync_roles_command_creates_every_role_group():
    out = StringIO()
    call_command("sync_roles", stdout=out)
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "volunteer",
        "translator",
        "coordinator",
        "admin",
    }
    assert "translator:" in out.getvalue()


def test_sync_roles_dry_run_changes_nothing():
    # The groups exist from the migration; a permission added by hand would be removed by
    # a real sync, and stays after a dry run.
    volunteer = Group.objects.get(name="volunteer")
    volunteer.permissions.add(Permission.objects.get(codename="delete_area"))
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}

    call_command("sync_roles", "--dry-run", stdout=StringIO())

    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert after == before
