"""Setting up and checking a staff member's second factor (django-otp devices)."""

from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
BACKUP_DEVICE_NAME = "backup codes"


def confirmed_app(user):
    """The user's confirmed authenticator app, or None if they have not set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_app(*, user):
    """The unconfirmed authenticator app being set up, made on first call.

    Kept until confirmed, so reloading the set-up page shows the QR code already scanned.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def readable_key(device):
    """The secret in the base32 an authenticator app accepts, in groups of four to copy."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_token(text):
    """What was typed, without spaces or dashes; backup codes are stored in lower case."""
    return "".join(ch for ch in (text or "") if ch.isalnum()).lower()


def confirm_app(*, user, device, token):
    """Confirm the app being set up with a code it shows; return the new backup codes.

    Returns None (and changes nothing but the device's failure count) if the code is wrong.
    Any other app device of the user is removed: one app at a time.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(normalise_token(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return replace_backup_codes(user=user)


def replace_backup_codes(*, user):
    """Ten new one-time codes, replacing any the user had; returned to be shown once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check_token(*, user, token):
    """The confirmed device that accepts this code (a backup code is used up), or None.

    Each device keeps django-otp's own throttle: after a wrong code it refuses even the
    right one for 1, 2, 4, 8… seconds.
    """
    token = normalise_token(token)
    if not token:
        return None
    # Six digits are the app's; anything else a backup code. Trying each code on one kind
    # only keeps a wrong code from slowing down the other kind too.
    model = TOTPDevice if token.isdigit() and len(token) <= 8 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def demo_app(*, user):
    """A new confirmed authenticator app for `user`, replacing theirs, with new backup codes.

    Only for the demo accounts (load_demo, DEBUG on), whose key is printed to add to an app:
    real staff confirm their app with a code from it (confirm_app).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
        return device, replace_backup_codes(user=user)
