from io import StringIO

import pytest
from django.contrib.auth.models import Group
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
    call_command("sync_roles", "--dry-run", stdout=StringIO())
    assert not Group.objects.exists()
