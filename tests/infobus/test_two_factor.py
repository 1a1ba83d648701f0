"""Logging in to the back office: the second factor for staff who see personal data, the
lockout that covers codes too, and sessions that end.

These tests log in as a person would (the login form, then the code), with the plain test
client; client.force_login elsewhere skips both steps (tests/conftest.py).
"""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from infobus.two_factor.services import BACKUP_CODE_COUNT
from tests.factories import make_user
from tests.phones.factories import make_ticket

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _quick_and_fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser():
    """A visitor's browser: the plain client, which logs in only through the forms."""
    return Client()


def staff(role, username=None):
    return make_user(username or role, password=PASSWORD, groups=[Group.objects.get(name=role)])


def log_in(browser, username, next_url=None):
    return browser.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": next_url or reverse("admin:index")},
    )


def code_now(device):
    """What the authenticator app shows at that moment (the test's clock by default)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def give_code(browser, code, next_url=None):
    data = {"token": code}
    if next_url:
        data["next"] = next_url
    return browser.post(reverse("two_factor:verify"), data)


def set_up_app(browser):
    """Open the set-up page and confirm the app with its current code; return the codes."""
    assert browser.get(reverse("two_factor:setup")).status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = browser.post(reverse("two_factor:setup"), {"token": code_now(device)})
    assert response.status_code == 302
    page = browser.get(response.url)
    return device, page.context["codes"]


# --- Who is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["phone_team", "coordinator", "admin"])
def test_roles_that_see_personal_data_must_set_up_an_app_after_the_password(browser, role):
    staff(role)

    response = log_in(browser, role)
    followed = browser.get(response.url)

    assert followed.status_code == 302
    assert followed.url.startswith(reverse("two_factor:setup"))


@pytest.mark.parametrize("role", ["volunteer", "translator"])
def test_volunteers_and_translators_need_no_second_factor(browser, role):
    staff(role)

    log_in(browser, role)

    assert browser.get(reverse("admin:index")).status_code == 200


def test_a_superuser_always_needs_a_second_factor(browser):
    make_user("root", password=PASSWORD, is_superuser=True)

    log_in(browser, "root")

    assert browser.get(reverse("admin:index")).url.startswith(reverse("two_factor:setup"))


# --- Before the code, nothing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/" + settings.ADMIN_URL,
        "/" + settings.ADMIN_URL + "phones/repairticket/",
        "/" + settings.ADMIN_URL + "auth/user/",
        "/phones/bring/",
        "/phones/open-repair-data.csv",
        "/staff/sessions/month/",
        "/staff/translations/",
        "/" + settings.ADMIN_URL + "two-factor/backup-codes/",
    ],
)
def test_before_the_code_no_back_office_or_staff_page_opens(browser, path):
    staff("coordinator")
    log_in(browser, "coordinator")

    response = browser.get(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:setup"))
    assert response.url.endswith("?next=" + path)


def test_before_the_code_no_contact_detail_is_sent(browser):
    make_ticket(owner_name="Samir", owner_contact="+33 6 12 34 56 78")
    staff("phone_team")
    log_in(browser, "phone_team")

    for path in ["/" + settings.ADMIN_URL + "phones/repairticket/", "/phones/bring/"]:
        assert "Samir" not in browser.get(path, follow=True).content.decode()


def test_before_the_code_one_may_still_log_out(browser):
    staff("coordinator")
    log_in(browser, "coordinator")

    response = browser.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert browser.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


# --- Setting up the app ---------------------------------------------------------------------


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_sets_no_outside_source(browser):
    staff("phone_team")
    log_in(browser, "phone_team")

    response = browser.get(reverse("two_factor:setup"))

    html = response.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user__username="phone_team", confirmed=False)
    assert response.context["key"].replace(" ", "") in device.config_url
    assert "issuer=Infobus" in device.config_url
    # Reloading shows the same key: the app already scanned stays valid.
    assert browser.get(reverse("two_factor:setup")).context["key"] == response.context["key"]


def test_a_wrong_code_does_not_confirm_the_app(browser):
    staff("phone_team")
    log_in(browser, "phone_team")
    browser.get(reverse("two_factor:setup"))

    response = browser.post(reverse("two_factor:setup"), {"token": "000000"})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert browser.get(reverse("admin:index")).status_code == 302


def test_confirming_the_app_opens_the_back_office_and_shows_ten_backup_codes_once(browser):
    staff("phone_team")
    log_in(browser, "phone_team", next_url="/phones/bring/")
    browser.get(reverse("two_factor:setup") + "?next=/phones/bring/")
    device = TOTPDevice.objects.get(confirmed=False)

    response = browser.post(
        reverse("two_factor:setup"), {"token": code_now(device), "next": "/phones/bring/"}
    )
    codes_page = browser.get(response.url)

    codes = codes_page.context["codes"]
    assert len(codes) == len(set(codes)) == BACKUP_CODE_COUNT
    assert all(code in codes_page.content.decode() for code in codes)
    assert codes_page.context["next"] == "/phones/bring/"
    assert browser.get(reverse("two_factor:backup_codes")).context["codes"] is None
    assert browser.get("/phones/bring/").status_code == 200


def test_with_an_app_set_up_the_set_up_page_cannot_add_another(browser):
    staff("phone_team")
    log_in(browser, "phone_team")
    set_up_app(browser)
    browser.post(reverse("admin:logout"))
    log_in(browser, "phone_team")

    response = browser.get(reverse("two_factor:setup"))

    assert response.url.startswith(reverse("two_factor:verify"))
    assert TOTPDevice.objects.count() == 1


# --- Later logins -----------------------------------------------------------------------------


@pytest.fixture
def phone_team_with_app(browser):
    """A phone team member who set up the app and kept the backup codes, then logged out."""
    staff("phone_team")
    with time_machine.travel(START, tick=False):
        log_in(browser, "phone_team")
        device, codes = set_up_app(browser)
        browser.post(reverse("admin:logout"))
    return {"device": device, "codes": codes}


def test_the_next_login_asks_for_a_code_and_the_right_one_opens(browser, phone_team_with_app):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        response = log_in(browser, "phone_team")
        asked = browser.get(response.url)
        assert asked.url.startswith(reverse("two_factor:verify"))

        opened = give_code(browser, code_now(phone_team_with_app["device"]))

        assert opened.status_code == 302
        assert browser.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(browser, phone_team_with_app):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")

        response = give_code(browser, "123456")

        assert response.status_code == 400
        assert "not right" in response.content.decode()
        assert browser.get(reverse("admin:index")).status_code == 302


def test_a_code_already_used_is_refused(browser, phone_team_with_app):
    device = phone_team_with_app["device"]
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")
        code = code_now(device)
        assert give_code(browser, code).status_code == 302
        browser.post(reverse("admin:logout"))
        log_in(browser, "phone_team")

        assert give_code(browser, code).status_code == 400


def test_a_backup_code_works_once(browser, phone_team_with_app):
    code = phone_team_with_app["codes"][0]
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")
        assert give_code(browser, code.upper()).status_code == 302
        assert StaticToken.objects.count() == BACKUP_CODE_COUNT - 1
        browser.post(reverse("admin:logout"))

    with time_machine.travel(START + timedelta(hours=2), tick=False):
        log_in(browser, "phone_team")
        assert give_code(browser, code).status_code == 400
    # A minute on: after a wrong code django-otp refuses any for a few seconds.
    with time_machine.travel(START + timedelta(hours=2, minutes=1), tick=False):
        assert give_code(browser, phone_team_with_app["codes"][1]).status_code == 302


def test_new_backup_codes_replace_the_old_ones(browser, phone_team_with_app):
    old = phone_team_with_app["codes"]
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")
        give_code(browser, code_now(phone_team_with_app["device"]))

        response = browser.post(reverse("two_factor:backup_codes"))
        new = browser.get(response.url).context["codes"]

    assert len(new) == BACKUP_CODE_COUNT
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_the_next_address_must_be_on_this_site(browser, phone_team_with_app):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")

        response = give_code(
            browser, code_now(phone_team_with_app["device"]), "https://evil.example/"
        )

    assert response.url == reverse("admin:index")


# --- Lockout ----------------------------------------------------------------------------------


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(browser, phone_team_with_app):
    device = phone_team_with_app["device"]
    moment = START + timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        log_in(browser, "phone_team")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A few seconds apart: django-otp also slows down codes after a wrong one.
        with time_machine.travel(moment + timedelta(minutes=n + 1), tick=False):
            response = give_code(browser, "000000")
    assert response.status_code == 429

    with time_machine.travel(moment + timedelta(minutes=10), tick=False):
        # The half-open session was ended, and the right password no longer logs in.
        assert browser.get(reverse("admin:index")).url.startswith(reverse("admin:login"))
        assert log_in(browser, "phone_team").status_code == 429
        # Not even with the right code from the app.
        assert give_code(browser, code_now(device)).url.startswith(reverse("admin:login"))


def test_after_the_cool_off_the_right_password_and_code_work_again(browser, phone_team_with_app):
    moment = START + timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        log_in(browser, "phone_team")
    for n in range(settings.AXES_FAILURE_LIMIT):
        with time_machine.travel(moment + timedelta(minutes=n + 1), tick=False):
            give_code(browser, "000000")

    later = moment + timedelta(minutes=settings.AXES_FAILURE_LIMIT) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        log_in(browser, "phone_team")
        assert give_code(browser, code_now(phone_team_with_app["device"])).status_code == 302
        assert browser.get(reverse("admin:index")).status_code == 200


# --- Lost phones ------------------------------------------------------------------------------


def test_a_coordinator_resets_a_lost_app_and_its_owner_sets_up_a_new_one(
    browser, phone_team_with_app, client
):
    coordinator = staff("coordinator")
    client.force_login(coordinator)
    device = phone_team_with_app["device"]
    codes = StaticDevice.objects.get(user=device.user)

    for url in [
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_delete", args=[codes.pk]),
    ]:
        assert client.post(url, {"post": "yes"}).status_code == 302

    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        log_in(browser, "phone_team")
        assert browser.get(reverse("admin:index")).url.startswith(reverse("two_factor:setup"))


def test_no_one_can_read_a_device_secret_in_the_back_office(client, phone_team_with_app):
    client.force_login(make_user("root", is_superuser=True))
    device = phone_team_with_app["device"]

    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert page.status_code == 200
    assert device.key not in page.content.decode()
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    assert client.get(config).status_code == 403
    codes = StaticDevice.objects.get(user=device.user)
    page = client.get(reverse("admin:otp_static_staticdevice_change", args=[codes.pk]))
    assert not any(code in page.content.decode() for code in phone_team_with_app["codes"])


# --- Demo accounts ----------------------------------------------------------------------------


def test_demo_accounts_print_a_key_and_backup_codes_for_roles_that_need_them(settings, browser):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()

    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["coordinator"])
    password = lines[start].split()[1]
    key = lines[start + 1].split("two-factor key:")[1].replace(" ", "")
    codes = lines[start + 2].split("backup codes:")[1].split()
    assert len(codes) == BACKUP_CODE_COUNT
    device = TOTPDevice.objects.get(user__username="coordinator", confirmed=True)
    assert key in device.config_url
    assert (
        "two-factor key"
        not in lines[
            next(i for i, line in enumerate(lines) if line.split()[:1] == ["volunteer"]) + 1
        ]
    )

    browser.post(
        reverse("admin:login"),
        {"username": "coordinator", "password": password, "next": reverse("admin:index")},
    )
    assert give_code(browser, codes[0]).status_code == 302
    assert browser.get(reverse("admin:index")).status_code == 200


# --- Sessions and the back office's address -------------------------------------------------


def test_a_staff_session_ends_with_the_browser_or_after_the_configured_time(browser):
    staff("volunteer")
    with time_machine.travel(START, tick=False):
        response = log_in(browser, "volunteer")
        assert browser.get(reverse("admin:index")).status_code == 200

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes

    later = START + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    with time_machine.travel(later, tick=False):
        assert browser.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


def test_the_back_office_lives_at_admin_url():
    env = {**os.environ, "ADMIN_URL": "office-7k2/", "DEBUG": "0", "SECRET_KEY": "t"}
    script = (
        "import django; django.setup(); from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'), reverse('two_factor:verify'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no /admin/')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "infobus.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == ["/office-7k2/", "/office-7k2/two-factor/", "no", "/admin/"]
