"""Public pages: an outdated translation carries a note and links to the English and French."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from guides import services
from guides.models import Service
from infobus.templatetags.guide import OUTDATED_ON
from tests.factories import make_area, make_category, make_place, make_service

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 11, 18, 12, 30, tzinfo=PARIS)
# The note, whatever the language it is written in.
NOTE = 'class="nt od"'


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def expected_note(day, language):
    """The note with its date, in `language` once its catalogue has it, else marked English."""
    with translation.override(language):
        translated = translation.gettext(OUTDATED_ON)
        if translated != OUTDATED_ON:
            return translated.format(date=date_format(day, "j F Y"))
    with translation.override("en"):
        english = OUTDATED_ON.format(date=date_format(day, "j F Y"))
    return f'<span lang="en" dir="ltr">{english}</span>'


def url(name, *args, lang="ar"):
    with translation.override(lang):
        return reverse(f"guides:{name}", args=args)


def edit_english(obj, **texts):
    """An English edit as the admin records it."""
    before = {name: getattr(obj, name) for name in texts}
    for name, value in texts.items():
        setattr(obj, name, value)
    obj.save()
    services.record_edit(obj=obj, before=before, user=None)


@pytest.fixture
def meal():
    area = make_area(name="Calais", slug="calais")
    with time_machine.travel(NOON - timedelta(days=30), tick=False):
        service = make_service(
            area,
            title="Midday meal",
            title_ar="وجبة الغداء",
            description="Hot food, every day.",
            description_ar="طعام ساخن كل يوم.",
            hours=[{"weekday": d, "opens": "12:00", "closes": "14:00"} for d in range(7)],
        )
        services.track_existing_translations()
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        edit_english(service, description_en="Hot food, every day except Sunday.")
    return service


@time_machine.travel(NOON, tick=False)
def test_an_outdated_translation_says_so_with_the_date_and_links_to_english_and_french(
    client, meal
):
    html = client.get(url("service", "calais", meal.pk)).content.decode()

    assert "طعام ساخن كل يوم." in html
    assert expected_note(NOON - timedelta(days=2), "ar") in html
    assert f'<a href="/en/calais/s/{meal.pk}/" hreflang="en" lang="en">English</a>' in html
    assert f'<a href="/fr/calais/s/{meal.pk}/" hreflang="fr" lang="fr">français</a>' in html
    assert html.count(NOTE) == 1  # the title still matches its English


@time_machine.travel(NOON, tick=False)
def test_an_outdated_title_gets_a_note_without_links_as_titles_sit_inside_links(client, meal):
    with time_machine.travel(NOON - timedelta(days=1), tick=False):
        edit_english(meal, title_en="Lunch")

    html = client.get(url("today", "calais")).content.decode()

    assert "وجبة الغداء" in html
    start = html.index("وجبة الغداء")
    snippet = html[start : html.index("</li>", start)]
    assert NOTE in snippet
    assert "<a " not in snippet


@time_machine.travel(NOON, tick=False)
def test_no_note_in_english_in_plain_text_or_for_texts_up_to_date(client, meal):
    assert NOTE not in client.get(url("service", "calais", meal.pk, lang="en")).content.decode()
    assert NOTE not in client.get(url("service_text", "calais", meal.pk)).content.decode()
    services.record_translation(obj=meal, field_name="description", language="ar")
    cache.clear()

    assert NOTE not in client.get(url("service", "calais", meal.pk)).content.decode()


@time_machine.travel(NOON, tick=False)
def test_a_draft_or_untracked_translation_shows_no_note(client):
    area = make_area(slug="calais")
    service = make_service(area, title="Showers", title_ar="حمامات", description="Warm water")
    service.description_ar = "ماء دافئ"
    service.save()
    services.record_translation(
        obj=service, field_name="description", language="ar", needs_review=True
    )

    html = client.get(url("service", "calais", service.pk)).content.decode()

    assert "ماء دافئ" in html
    assert NOTE not in html


@time_machine.travel(NOON, tick=False)
def test_an_english_change_made_outside_the_admin_still_flags_the_translation(client, meal):
    Service.objects.filter(pk=meal.pk).update(title_en="Lunch")

    # The page cache keys on the content version, which a queryset update does not move.
    cache.clear()
    html = client.get(url("service", "calais", meal.pk)).content.decode()

    with translation.override("ar"):
        expected = gettext(
            "This may be out of date: the English has changed since it was translated."
        )
    assert expected in html


def _many_outdated(count):
    area = make_area(slug="big")
    food = make_category(slug="food")
    for n in range(count):
        make_service(
            area,
            title=f"Service {n}",
            title_ar=f"خدمة {n}",
            description=f"Text {n}",
            description_ar=f"نص {n}",
            categories=[food],
            places=[make_place(area, name=f"Place {n}", name_ar=f"مكان {n}")],
            hours=[{"weekday": d, "opens": "09:00", "closes": "23:00"} for d in range(7)],
        )
    services.track_existing_translations()
    for service in Service.objects.all():
        edit_english(service, title_en=service.title_en + "!", description_en="Changed")
    return food


@pytest.mark.parametrize("count", [10, 100])
@time_machine.travel(NOON, tick=False)
def test_pages_with_notes_stay_within_six_queries_whatever_the_number_of_texts(
    client, settings, count, django_assert_max_num_queries
):
    food = _many_outdated(count)
    service = Service.objects.first()
    addresses = [
        url("area", "big"),
        url("today", "big"),
        url("category", "big", food.slug),
        url("service", "big", service.pk),
        url("search", "big") + "?q=service",
    ]
    for address in addresses:
        cache.clear()
        with django_assert_max_num_queries(6):
            response = client.get(address)
        assert NOTE in response.content.decode(), address
    # Rendered again (page cache off) with the states still cached: no query for notes.
    settings.PAGE_CACHE_ENABLED = False
    for address in addresses:
        with django_assert_max_num_queries(6):
            assert client.get(address).status_code == 200
