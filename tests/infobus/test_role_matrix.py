"""Who may open what: every back-office page and every staff page, for every role.

The two tables below are the specification. Each cell is one real request, as a member of
the role (second factor passed), and its status code is checked. A model registered in the
admin, or a staff URL, that is missing from the tables fails test_every_..._is_in_the_table:
a new page cannot ship without someone deciding who sees it.

The objects the pages open are made once for the module, in a transaction rolled back at
its end; each test runs in a savepoint inside it (pytest-django's usual rollback).
"""

import uuid
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from guides.models import Edition, Report, TranslationImport, TranslatorProfile
from phones import services as phone_services
from phones.models import BatteryOrder, VanTap, van_day
from sessions_log.models import MonthlyReportNote, WifiImport
from tests.conftest import StaffClient
from tests.factories import (
    make_alert,
    make_area,
    make_category,
    make_info_page,
    make_organisation,
    make_place,
    make_service,
    make_user,
)
from tests.phones.factories import (
    make_battery_model,
    make_donated_phone,
    make_donor,
    make_fault,
    make_partner,
    make_stock_item,
    make_ticket,
)
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db

ROLES = ["volunteer", "translator", "phone_team", "coordinator", "admin"]

# --- The back office --------------------------------------------------------------------------
# What each role may do with each model in the admin, as four letters: v view, a add,
# c change, d delete ("-" where refused). What the admin lets them do, which may be less than
# the group's permissions: nobody edits or deletes a stock movement, nobody adds a battery
# order by hand, an access attempt or a wifi import. Each row is checked on five pages:
#   changelist (v or c), add (a), change (v or c; the form is editable with c only),
#   delete (d), history (v or c).
ADMIN_MATRIX = {
    #                              volunteer translator phone_team coordinator admin
    "guides.area":                 ("v---",  "v-c-",    "----",    "vacd",     "vacd"),
    "guides.category":             ("v---",  "v-c-",    "----",    "vacd",     "vacd"),
    "guides.organisation":         ("vac-",  "v-c-",    "----",    "vacd",     "vacd"),
    "guides.place":                ("vac-",  "v-c-",    "v---",    "vacd",     "vacd"),
    "guides.service":              ("vac-",  "v-c-",    "----",    "vacd",     "vacd"),
    "guides.alert":                ("vacd",  "v-c-",    "----",    "vacd",     "vacd"),
    "guides.infopage":             ("vac-",  "v-c-",    "----",    "vacd",     "vacd"),
    # A published edition is frozen: publishing is its "add" page, and nobody edits or deletes it.
    "guides.edition":              ("v---",  "----",    "----",    "va--",     "va--"),
    "guides.report":               ("v-c-",  "----",    "----",    "vacd",     "vacd"),
    "phones.repairticket":         ("vac-",  "----",    "vac-",    "vacd",     "vacd"),
    "phones.batteryrequest":       ("vac-",  "----",    "vac-",    "vacd",     "vacd"),
    "phones.batteryorder":         ("v-c-",  "----",    "v-c-",    "v-cd",     "v-cd"),
    "phones.donatedphone":         ("vac-",  "----",    "vac-",    "vacd",     "vacd"),
    "phones.donor":                ("vac-",  "----",    "vac-",    "vacd",     "vacd"),
    "phones.stockmovement":        ("va--",  "----",    "va--",    "va--",     "va--"),
    "phones.faulttype":            ("v---",  "----",    "v---",    "vacd",     "vacd"),
    "phones.batterymodel":         ("v---",  "----",    "v---",    "vacd",     "vacd"),
    "phones.partner":              ("v---",  "----",    "v---",    "vacd",     "vacd"),
    "phones.stockitem":            ("v---",  "----",    "v---",    "vacd",     "vacd"),
    "phones.vantap":               ("----",  "----",    "----",    "v---",     "v---"),
    "sessions_log.session":        ("va--",  "----",    "----",    "vacd",     "vacd"),
    "sessions_log.site":           ("v---",  "----",    "----",    "vacd",     "vacd"),
    "sessions_log.wifiimport":     ("v---",  "----",    "----",    "v--d",     "v--d"),
    "sessions_log.monthlyreportnote": ("v---", "----",  "----",    "vacd",     "vacd"),
    # Staff accounts: coordinators give roles (not the admin role) but add or delete no one.
    "auth.user":                   ("----",  "----",    "----",    "v-c-",     "vacd"),
    "auth.group":                  ("----",  "----",    "----",    "v---",     "vacd"),
    # A coordinator lifts a lockout and resets a lost second factor by deleting it.
    "axes.accessattempt":          ("----",  "----",    "----",    "v--d",     "v-cd"),
    "axes.accesslog":              ("----",  "----",    "----",    "----",     "v-cd"),
    "axes.accessfailurelog":       ("----",  "----",    "----",    "----",     "v-cd"),
    "otp_totp.totpdevice":         ("----",  "----",    "----",    "v--d",     "vacd"),
    "otp_static.staticdevice":     ("----",  "----",    "----",    "v--d",     "vacd"),
}  # fmt: skip
ADMIN_PAGES = ["changelist", "add", "change", "delete", "history"]

# --- Staff pages and other back-office views ------------------------------------------------
# URL name: (method, status for volunteer, translator, phone_team, coordinator, admin).
# 200 opens, 403 refused, 404 not theirs (a translation upload is its uploader's), 302 a
# form sent back (the POSTs carry no data, so they change nothing). Anonymous visitors are
# sent to the login everywhere (checked separately).
STAFF_MATRIX = {
    #                                      method  vol  trans phone coord admin
    "admin:index":                        ("GET",  200, 200,  200,  200,  200),
    "admin:auth_user_password_change":    ("GET",  403, 403,  403,  200,  200),
    # Secrets of a device are never shown again, to anyone.
    "admin:otp_totp_totpdevice_config":   ("GET",  403, 403,  403,  403,  403),
    "admin:otp_totp_totpdevice_qrcode":   ("GET",  403, 403,  403,  403,  403),
    # The second factor's own pages: a verified session is sent on, or (no need) away.
    "two_factor:verify":                  ("GET",  302, 302,  302,  302,  302),
    "two_factor:setup":                   ("GET",  302, 302,  302,  302,  302),
    "two_factor:backup_codes":            ("GET",  302, 302,  200,  200,  200),
    # Phones: reports and exports, and the van.
    "phones:bring_list":                  ("GET",  200, 403,  200,  200,  200),
    "phones:ticket_slip":                 ("GET",  200, 403,  200,  200,  200),
    "phones:battery_orders":              ("GET",  200, 403,  200,  200,  200),
    "phones:stock_levels":                ("GET",  200, 403,  200,  200,  200),
    "phones:month_report":                ("GET",  200, 403,  200,  200,  200),
    "phones:ords_export":                 ("GET",  200, 403,  200,  200,  200),
    "phones:van":                         ("GET",  200, 403,  200,  200,  200),
    "phones:van_session":                 ("GET",  200, 403,  200,  200,  200),
    "phones:van_session_tap":             ("POST", 302, 403,  302,  302,  302),
    "phones:van_session_charge":          ("POST", 302, 403,  302,  302,  302),
    "phones:van_session_intake":          ("POST", 200, 403,  200,  200,  200),
    "phones:van_site":                    ("GET",  302, 403,  302,  302,  302),
    "phones:van_site_day":                ("GET",  200, 403,  200,  200,  200),
    "phones:van_site_day_tap":            ("POST", 302, 403,  302,  302,  302),
    "phones:van_site_day_charge":         ("POST", 302, 403,  302,  302,  302),
    "phones:van_site_day_intake":         ("POST", 200, 403,  200,  200,  200),
    "phones:van_site_tap":                ("POST", 302, 403,  302,  302,  302),
    "phones:van_site_intake":             ("POST", 200, 403,  200,  200,  200),
    # Sessions and their monthly report.
    "sessions_log:record":                ("GET",  200, 403,  403,  200,  200),
    "sessions_log:session_detail":        ("GET",  200, 403,  403,  200,  200),
    "sessions_log:import_client_list":    ("POST", 400, 403,  403,  400,  400),
    "sessions_log:fetch_from_meraki":     ("POST", 302, 403,  403,  302,  302),
    "sessions_log:move_site":             ("GET",  403, 403,  403,  200,  200),
    "sessions_log:month_report":          ("GET",  200, 403,  403,  200,  200),
    "sessions_log:save_month_text":       ("POST", 403, 403,  403,  302,  302),
    "sessions_log:month_print":           ("GET",  200, 403,  403,  200,  200),
    "sessions_log:month_csv":             ("GET",  200, 403,  403,  200,  200),
    "sessions_log:month_xlsx":            ("GET",  200, 403,  403,  200,  200),
    # Translations: translators their languages; guide editors every language.
    "guides_staff:dashboard":             ("GET",  200, 200,  403,  200,  200),
    "guides_staff:upload":                ("GET",  200, 200,  403,  200,  200),
    "guides_staff:preview":               ("GET",  404, 200,  403,  404,  404),
    "guides_staff:language":              ("GET",  200, 200,  403,  200,  200),
    "guides_staff:export":                ("GET",  200, 200,  403,  200,  200),
}  # fmt: skip

# Admin views beyond a model's five pages that the table above covers; simple-history's
# page of one past version follows the history column.
STANDARD_ADMIN_VIEWS = {"changelist", "add", "change", "delete", "history", "simple_history"}


def staff_url_names():
    """Every named URL under the staff prefixes, as 'namespace:name'."""
    prefixes = ("phones/", "staff/", settings.ADMIN_URL + "two-factor/")
    names = set()

    def walk(patterns, path, namespace):
        for pattern in patterns:
            here = path + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and here.startswith(prefixes) and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "", None)
    return names


def extra_admin_url_names():
    names = set()
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name and pattern.name.removeprefix(prefix) not in STANDARD_ADMIN_VIEWS:
                names.add(f"admin:{pattern.name}")
    return names


def test_every_registered_admin_model_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - set(ADMIN_MATRIX) == set(), "registered, but not in ADMIN_MATRIX"
    assert set(ADMIN_MATRIX) - registered == set(), "in ADMIN_MATRIX, but not registered"


def test_every_staff_url_is_in_the_table():
    pages = staff_url_names() | extra_admin_url_names() | {"admin:index"}
    assert pages - set(STAFF_MATRIX) == set(), "a staff page missing from STAFF_MATRIX"
    assert set(STAFF_MATRIX) - pages == set(), "in STAFF_MATRIX, but no such page"


# --- The world the pages open -----------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One object of every model, a staff member per role and a logged-in client each."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        groups = {group.name: group for group in Group.objects.all()}
        users = {role: make_user(role, groups=[groups[role]]) for role in ROLES}
        TranslatorProfile.objects.create(user=users["translator"], languages=["ar"])
        clients = {}
        for role, user in users.items():
            clients[role] = StaffClient()
            clients[role].force_login(user)
        yield {"objects": _objects(users), "clients": clients, "users": users}
        transaction.set_rollback(True)


def _objects(users):
    coordinator = users["coordinator"]
    area = make_area()
    place = make_place(area)
    service = make_service(area)
    ticket = make_ticket(user=coordinator, site=place, owner_name="Samir", owner_contact="0612")
    battery = phone_services.request_battery(
        ticket=ticket, battery_model=make_battery_model(), phone_model="A12", user=coordinator
    )
    item = make_stock_item()
    site = make_site(place=make_place(area, name="Site place"))
    session = make_session(site=site, date=van_day())
    accessed = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "someone"}
    objects = {
        "guides.area": area,
        "guides.category": make_category(),
        "guides.organisation": make_organisation(),
        "guides.place": place,
        "guides.service": service,
        "guides.alert": make_alert(area),
        "guides.infopage": make_info_page(),
        "guides.edition": Edition.objects.create(month=date(2026, 3, 1)),
        "guides.report": Report.objects.create(service=service, problem="moved", language="ar"),
        "phones.repairticket": ticket,
        "phones.batteryrequest": battery,
        "phones.batteryorder": BatteryOrder.objects.create(
            battery_model=battery.battery_model, supplier="Shop", price=9, ordered_by=coordinator
        ),
        "phones.donatedphone": make_donated_phone(),
        "phones.donor": make_donor(),
        "phones.stockmovement": phone_services.receive_stock(
            item=item, quantity=10, user=coordinator
        ),
        "phones.faulttype": make_fault(),
        "phones.batterymodel": battery.battery_model,
        "phones.partner": make_partner(),
        "phones.stockitem": item,
        "phones.vantap": VanTap.objects.create(
            tap_id=uuid.uuid4(), kind=VanTap.Kind.CHARGE, site=site, day=session.date
        ),
        "sessions_log.session": session,
        "sessions_log.site": site,
        "sessions_log.wifiimport": WifiImport.objects.create(
            session=session, source="typed", devices=3, data_down_bytes=1, data_up_bytes=1
        ),
        "sessions_log.monthlyreportnote": MonthlyReportNote.objects.create(
            year=2025, month=11, language="en", text="November."
        ),
        "auth.user": users["volunteer"],
        "auth.group": Group.objects.get(name="volunteer"),
        "axes.accessattempt": AccessAttempt.objects.create(failures_since_start=1, **accessed),
        "axes.accesslog": AccessLog.objects.create(**accessed),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**accessed),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=users["volunteer"], name="app"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=users["volunteer"], name="b"),
        "translation_import": TranslationImport.objects.create(
            user=users["translator"],
            language="ar",
            file_format="po",
            filename="ar.po",
            status=TranslationImport.Status.PREVIEWED,
        ),
    }
    return objects


def admin_url(label, page, obj):
    app_label, model_name = label.split(".")
    name = f"admin:{app_label}_{model_name}_{page}"
    if page in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj.pk])


def staff_url(name, objects):
    ticket, session = objects["phones.repairticket"], objects["sessions_log.session"]
    site = objects["sessions_log.site"]
    kwargs = {
        "admin:auth_user_password_change": {"id": objects["auth.user"].pk},
        "admin:otp_totp_totpdevice_config": {"pk": objects["otp_totp.totpdevice"].pk},
        "admin:otp_totp_totpdevice_qrcode": {"pk": objects["otp_totp.totpdevice"].pk},
        "phones:ticket_slip": {"pk": ticket.pk},
        "sessions_log:session_detail": {"pk": session.pk},
        "sessions_log:import_client_list": {"pk": session.pk},
        "sessions_log:fetch_from_meraki": {"pk": session.pk},
        "sessions_log:move_site": {"pk": site.pk},
        "guides_staff:preview": {"pk": objects["translation_import"].pk},
        "guides_staff:language": {"language": "ar"},
        "guides_staff:export": {"language": "ar", "file_format": "po"},
    }.get(name)
    if kwargs is None and name.startswith("phones:van_session"):
        kwargs = {"session": session.pk}
    elif kwargs is None and name.startswith("phones:van_site_day"):
        kwargs = {"site": site.pk, "day": van_day()}
    elif kwargs is None and name.startswith("phones:van_site"):
        kwargs = {"site": site.pk}
    return reverse(name, kwargs=kwargs)


# --- The cells --------------------------------------------------------------------------------


def _allowed(letters, page):
    view_or_change = "v" in letters or "c" in letters
    return {
        "changelist": view_or_change,
        "add": "a" in letters,
        "change": view_or_change,
        "delete": "d" in letters,
        "history": view_or_change,
    }[page]


ADMIN_CELLS = [
    pytest.param(
        role,
        label,
        page,
        id=f"{role}-{label}-{page}",
    )
    for label in ADMIN_MATRIX
    for page in ADMIN_PAGES
    for role in ROLES
]


@pytest.mark.parametrize(("role", "label", "page"), ADMIN_CELLS)
def test_admin_page(world, role, label, page):
    letters = ADMIN_MATRIX[label][ROLES.index(role)]
    obj = world["objects"][label]
    response = world["clients"][role].get(admin_url(label, page, obj))

    expected = 200 if _allowed(letters, page) else 403
    assert response.status_code == expected, f"{role} {label} {page}: {letters}"
    if page == "change" and expected == 200:
        assert response.context["has_change_permission"] == ("c" in letters)
    if page == "history" and expected == 200 and hasattr(obj, "history"):
        version = obj.history.first()
        url = reverse(
            f"admin:{label.replace('.', '_')}_simple_history", args=[obj.pk, version.history_id]
        )
        assert world["clients"][role].get(url).status_code == 200


STAFF_CELLS = [
    pytest.param(role, name, id=f"{role}-{name}") for name in STAFF_MATRIX for role in ROLES
]


@pytest.mark.parametrize(("role", "name"), STAFF_CELLS)
def test_staff_page(world, role, name):
    method, *statuses = STAFF_MATRIX[name]
    client = world["clients"][role]
    url = staff_url(name, world["objects"])

    response = client.post(url) if method == "POST" else client.get(url)

    assert response.status_code == statuses[ROLES.index(role)], f"{role} {method} {url}"
    if response.status_code == 302:
        assert not response.url.startswith(reverse("admin:login")), "sent to the login"


@pytest.mark.parametrize("name", list(STAFF_MATRIX))
def test_anonymous_visitors_are_sent_to_the_login(world, client, name):
    method = STAFF_MATRIX[name][0]
    url = staff_url(name, world["objects"])

    response = client.post(url) if method == "POST" else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("label", list(ADMIN_MATRIX))
def test_anonymous_visitors_reach_no_admin_page(world, client, label):
    obj = world["objects"][label]
    for page in ADMIN_PAGES:
        response = client.get(admin_url(label, page, obj))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
