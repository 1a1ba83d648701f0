"""The demo loader: idempotent, valid, both areas, eleven languages, accounts only in DEBUG."""

import re
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from modeltranslation.translator import translator
from simple_history.models import HistoricalChanges

from guides.models import (
    Alert,
    Area,
    InfoPage,
    OpeningHours,
    Place,
    Service,
    ServiceException,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OTHER_LANGUAGES = ["fa", "ps", "ur", "ckb", "am", "ti", "om", "vi"]
DEMO_USERNAMES = ["volunteer", "translator_ar", "phone_team", "coordinator", "admin"]


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("guides").get_models()
        # A re-run re-saves the alerts (their times follow the clock): history grows then.
        if not issubclass(model, HistoricalChanges)
    }
    for through in (Service.categories.through, Service.places.through):
        counts[through._meta.label] = through.objects.count()
    counts["auth.User"] = get_user_model().objects.count()
    return counts


def translated_fields():
    """(model, field name) for every translated field of the guide."""
    return [
        (model, field)
        for model in translator.get_registered_models()
        if model._meta.app_label == "guides"
        for field in translator.get_options_for_model(model).fields
    ]


def texts_in(code):
    found = 0
    for model, field in translated_fields():
        found += (
            model.objects.exclude(**{f"{field}_{code}__isnull": True})
            .exclude(**{f"{field}_{code}": ""})
            .count()
        )
    return found


@pytest.fixture
def demo():
    load_demo()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    # The default hasher is slow on purpose; these tests check passwords, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Idempotence -------------------------------------------------------------------------------


def test_running_it_twice_leaves_the_same_rows():
    load_demo()
    first = row_counts()
    ids = set(Service.objects.values_list("id", flat=True))
    slots = set(OpeningHours.objects.values_list("id", flat=True))

    output = load_demo()

    assert row_counts() == first
    assert set(Service.objects.values_list("id", flat=True)) == ids
    assert set(OpeningHours.objects.values_list("id", flat=True)) == slots
    assert "Service unchanged" in output
    assert "Service created" not in output


def test_running_it_weeks_later_moves_the_exceptions_ahead_without_adding_rows():
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=UTC), tick=False):
        load_demo()
    first = row_counts()

    with time_machine.travel(datetime(2026, 7, 20, 9, tzinfo=UTC), tick=False):
        load_demo()
        assert row_counts() == first
        assert not ServiceException.objects.filter(date__lte=date(2026, 7, 20)).exists()
        assert Alert.objects.active().filter(area__slug="calais").exists()


def test_it_puts_back_what_was_changed_by_hand(demo):
    service = Service.objects.get(title_en="Day centre")
    service.title_fr = "Changé"
    service.save()
    service.opening_hours.first().delete()
    before = OpeningHours.objects.count() + 1

    load_demo()

    service.refresh_from_db()
    assert service.title_fr == "Accueil de jour"
    assert OpeningHours.objects.count() == before


def test_dry_run_writes_nothing():
    output = load_demo("--dry-run")

    assert "rolled back" in output
    assert not Service.objects.exists()
    assert not Area.objects.exists()


# --- What it builds ---------------------------------------------------------------------------


def test_it_builds_both_areas_with_published_services_pages_and_active_alerts(demo):
    assert set(Area.objects.values_list("slug", flat=True)) == {"calais", "grande-synthe"}
    assert Service.objects.published().count() >= 25
    for area in Area.objects.all():
        assert Service.objects.visible().in_area(area).count() >= 5, area
        assert Alert.objects.active().filter(area=area).exists(), area
    assert InfoPage.objects.published().count() >= 4
    assert set(InfoPage.objects.published().values_list("topic", flat=True)) >= {
        "asylum_france",
        "asylum_uk",
        "police",
        "phones",
    }


def test_every_demo_object_passes_full_clean(demo):
    checked = 0
    for model in apps.get_app_config("guides").get_models():
        if issubclass(model, HistoricalChanges):
            continue  # past versions, never validated again
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked > 250


def test_every_place_lies_inside_its_area(demo):
    for place in Place.objects.select_related("area"):
        assert place.area.contains(place.latitude, place.longitude), place


def test_info_pages_render_as_safe_markdown(demo):
    page = InfoPage.objects.get(slug="phones-and-data")
    html = page.body_html()
    assert "<h2>" in html
    assert "<strong>45 minutes</strong>" in html
    assert "<script" not in html


def test_some_services_were_verified_long_ago_and_need_checking(demo):
    stale = Service.objects.not_verified_since(60)
    assert stale.exists()
    assert stale.count() < Service.objects.count()


# --- Languages --------------------------------------------------------------------------------


def test_every_service_title_is_in_english_and_french(demo):
    for service in Service.objects.all():
        assert service.title_en, service.pk
        assert service.title_fr, service.title_en


def test_every_english_text_has_a_french_one(demo):
    for model, field in translated_fields():
        missing = (
            model.objects.exclude(**{f"{field}_en": ""})
            .filter(**{f"{field}_fr__isnull": True})
            .count()
        )
        assert missing == 0, f"{model.__name__}.{field}"


def test_most_services_are_in_arabic_and_some_fall_back(demo):
    total = Service.objects.count()
    in_arabic = Service.objects.exclude(title_ar__isnull=True).exclude(title_ar="").count()
    assert in_arabic > total / 2
    assert in_arabic < total


def test_categories_are_named_in_all_eleven_languages(demo):
    from guides.models import Category

    for category in Category.objects.all():
        for code, _name in settings.LANGUAGES:
            assert getattr(category, f"name_{code}"), (category.slug, code)


def test_each_other_language_has_a_few_texts(demo):
    counts = {code: texts_in(code) for code in OTHER_LANGUAGES}
    assert all(count >= 3 for count in counts.values()), counts


def test_a_text_missing_in_a_language_falls_back_to_english(demo):
    from django.utils import translation

    service = Service.objects.get(title_en="Internet at the public library")
    with translation.override("ar"):
        assert service.title == "Internet at the public library"


# --- Schedules --------------------------------------------------------------------------------


def test_it_has_every_kind_of_schedule_rule(demo):
    slots = list(OpeningHours.objects.all())
    assert any(s.recurrence == "every_n_weeks" and s.interval_weeks == 2 for s in slots)
    assert any(s.recurrence == "monthly_nth" for s in slots)
    # A slot that really runs past midnight, not one that ends at it.
    assert any(s.closes < s.opens and s.closes != time(0) for s in slots)
    assert any(s.valid_from and s.valid_until for s in slots)
    assert Place.objects.filter(status=Place.Status.MOVED, moved_to__isnull=False).exists()
    assert Service.objects.published().filter(places__isnull=True).exists()
    assert (
        Service.objects.filter(status=Service.Status.TEMPORARILY_CLOSED)
        .exclude(status_note_en="")
        .exists()
    )


def test_a_few_exceptions_lie_ahead(demo):
    ahead = ServiceException.objects.filter(date__gt=timezone.localdate())
    kinds = set(ahead.values_list("kind", flat=True))
    assert ahead.count() >= 3
    assert {"cancelled", "other_hours"} <= kinds


def test_clothes_anchor_is_a_saturday_and_repeats_every_other_saturday(demo):
    slot = OpeningHours.objects.get(recurrence="every_n_weeks", service__categories__slug="clothes")
    slot.full_clean()
    assert slot.weekday == 5
    assert slot.anchor_date.weekday() == 5
    assert slot.occurs_on(slot.anchor_date + timedelta(weeks=2))
    assert not slot.occurs_on(slot.anchor_date + timedelta(weeks=1))


def test_slots_at_a_moving_service_each_have_their_own_place(demo):
    bus = Service.objects.get(area__slug="calais", title_en="Phone charging and wifi at the bus")
    slots = list(bus.opening_hours.all())
    assert {slot.weekday for slot in slots} == {6, 0, 1, 2, 3}  # Sunday to Thursday
    assert all(slot.place_id for slot in slots)
    assert len({slot.place_id for slot in slots}) == 3
    for slot in slots:
        opens = datetime.combine(date(2026, 1, 1), slot.opens)
        assert datetime.combine(date(2026, 1, 1), slot.closes) - opens == timedelta(hours=2.5)


def test_hospital_emergency_is_open_at_every_moment_of_the_day(demo):
    hospital = Service.objects.with_schedule().get(
        area__slug="calais", title_en="Hospital emergency department"
    )
    day = date(2026, 10, 25)  # the night the clocks go back
    for minute in range(0, 26 * 60, 29):
        moment = datetime.combine(day, time(0), tzinfo=PARIS) + timedelta(minutes=minute)
        assert hospital.is_open_at(moment), moment
    assert hospital.is_open_at(datetime(2026, 11, 23, 23, 59, 59, tzinfo=PARIS))


@pytest.mark.parametrize(
    ("moment", "first_day", "last_day"),
    [
        (datetime(2026, 7, 1, 9, tzinfo=UTC), date(2026, 11, 1), date(2027, 3, 31)),
        (datetime(2027, 1, 15, 9, tzinfo=UTC), date(2026, 11, 1), date(2027, 3, 31)),
        (datetime(2026, 11, 22, 9, tzinfo=UTC), date(2026, 11, 1), date(2027, 3, 31)),
    ],
)
def test_winter_shelters_run_from_november_to_march(moment, first_day, last_day):
    with time_machine.travel(moment, tick=False):
        load_demo()
    bailleul = Service.objects.get(title_en__contains="Bailleul")
    for slot in bailleul.opening_hours.all():
        assert (slot.valid_from, slot.valid_until) == (first_day, last_day)


# --- Accounts ---------------------------------------------------------------------------------


def printed_passwords(output):
    found = {}
    for username in DEMO_USERNAMES:
        match = re.search(rf"^\s+{username}\s+(\S+)", output, re.MULTILINE)
        assert match, f"{username} not printed"
        found[username] = match.group(1)
    return found


def test_with_debug_on_it_creates_one_account_per_role_and_prints_the_passwords(debug_on):
    output = load_demo()

    users = get_user_model().objects
    for username, password in printed_passwords(output).items():
        user = users.get(username=username)
        assert user.is_staff
        assert user.check_password(password)
    assert list(users.get(username="translator_ar").groups.values_list("name", flat=True)) == [
        "translator"
    ]
    assert users.get(username="volunteer").groups.get().name == "volunteer"
    assert users.get(username="admin").is_superuser
    assert not users.get(username="coordinator").is_superuser


def test_with_debug_on_each_run_gives_new_passwords(debug_on):
    first = printed_passwords(load_demo())

    second = printed_passwords(load_demo())

    assert get_user_model().objects.count() == len(DEMO_USERNAMES)
    volunteer = get_user_model().objects.get(username="volunteer")
    assert first["volunteer"] != second["volunteer"]
    assert not volunteer.check_password(first["volunteer"])
    assert volunteer.check_password(second["volunteer"])


def test_with_debug_off_it_creates_no_account_and_says_so(settings):
    settings.DEBUG = False

    output = load_demo()

    assert not get_user_model().objects.exists()
    assert "no demo accounts" in output
    for username in ("translator_ar", "coordinator"):
        assert username not in output


def test_dry_run_with_debug_on_creates_no_account(debug_on):
    load_demo("--dry-run")

    assert not get_user_model().objects.exists()


def test_the_bus_itself_is_marked_so_its_sessions_show_on_the_area_home(demo):
    from guides.models import Organisation

    assert list(Organisation.objects.filter(is_own=True).values_list("name", flat=True)) == [
        "Refugee Info Bus"
    ]


def test_the_demo_arabic_translator_can_open_the_translation_dashboard(debug_on, client):
    load_demo()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="translator_ar"))
    response = client.get("/staff/translations/")
    assert response.status_code == 200
    assert "/staff/translations/ar/" in response.content.decode()
