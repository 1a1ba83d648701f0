import pytest

from infobus.roles import ROLES, sync_roles
from phones.roles import PHONES_ROLES


@pytest.fixture(autouse=True)
def _phone_pages_mounted(settings):
    settings.ROOT_URLCONF = "tests.phones.urls"
    # Volunteers are made by the dozen here; a slow password hash only slows the tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_groups(db):
    """The role groups with the phone permissions merged in (as infobus/roles.py will)."""
    roles = {role: [*names, *PHONES_ROLES.get(role, [])] for role, names in ROLES.items()}
    return sync_roles(roles=roles)
