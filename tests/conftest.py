import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the source language; a test that needs another activates it."""
    with translation.override("en"):
        yield


def pass_second_factor(client, user):
    """Mark the client's session as verified by a confirmed authenticator app of `user`.

    What a staff member has after typing a right code (infobus/two_factor); the app is made
    if the user has none.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class StaffClient(Client):
    """The test client. force_login skips the whole login, second factor included: the
    tests of the login itself use client.login() (the password step only) or post to it."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return StaffClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = StaffClient()
    client.force_login(admin_user)
    return client
