"""The translation dashboard: progress per language and a queue, most urgent first."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from guides import services
from guides import translation_status as ts
from guides.models import Service
from tests.factories import (
    make_alert,
    make_area,
    make_exception,
    make_info_page,
    make_place,
    make_service,
    make_user,
)
from tests.guides.translation_support import admin_url, make_coordinator, make_translator

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.guides.translation_support")]

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday.
NOON = datetime(2026, 11, 18, 12, 0, tzinfo=PARIS)


@pytest.fixture
def guide():
    """Four texts in Arabic: one up to date, one outdated, one draft, one missing."""
    area = make_area(name="Calais", name_ar="كاليه")
    done = make_service(area, title="Done", title_ar="تم")
    stale = make_service(area, title="Stale", title_ar="قديم")
    services.track_existing_translations()
    Service.objects.filter(pk=stale.pk).update(title_en="Stale, changed")
    draft = make_service(area, title="Draft", title_ar="مسودة")  # no state: needs review
    missing = make_service(area, title="Missing")
    return {"area": area, "done": done, "stale": stale, "draft": draft, "missing": missing}


def ar_progress():
    [row] = ts.progress(ts.texts(languages=["ar"]), ["ar"])
    return row


def test_progress_counts_each_status(guide):
    row = ar_progress()

    # Titles of 4 services, the area's name, and 4 category names and 4 organisations' empty
    # descriptions (not counted: no English).
    assert row.outdated == 1
    assert row.draft == 1
    assert row.done == 2  # the area name and "Done"
    assert row.missing == row.total - 4
    assert row.percent_done == 2 * 100 // row.total


def test_ended_services_gone_places_and_past_alerts_count_for_nothing(guide):
    before = ar_progress().total
    food = guide["done"].categories.get()
    make_service(guide["area"], title="Old", status=Service.Status.ENDED, categories=[food])
    make_place(guide["area"], name="Gone", status="gone")
    make_alert(guide["area"], message="Old news", ends_at=NOON - timedelta(days=400))

    assert ar_progress().total == before


@time_machine.travel(NOON, tick=False)
def test_the_queue_puts_alerts_then_services_open_this_week_then_pages_then_the_rest():
    area = make_area(name="Calais", name_ar="كاليه")
    page = make_info_page(title="Rights", body="Text")
    later = make_service(
        area, title="Later", hours=[{"weekday": 4, "opens": "10:00", "closes": "11:00"}]
    )
    soon = make_service(
        area, title="Soon", hours=[{"weekday": 2, "opens": "18:00", "closes": "19:00"}]
    )
    change = make_exception(soon, NOON.date() + timedelta(days=1), "cancelled", reason="Strike")
    closed = make_service(area, title="No hours")
    alert = make_alert(area, message="Storm tonight", starts_at=NOON - timedelta(hours=1))
    make_alert(area, message="Next week", starts_at=NOON + timedelta(days=7))

    entries = ts.queue(ts.texts(languages=["ar"]), now=NOON)

    labels = [entry.label for entry in entries]
    assert labels[:5] == ["Storm tonight", "Soon", ts.label_of(change), "Later", "Rights"]
    # The rest: a service with no hours, an alert not showing yet, an area name to review.
    assert {"No hours", "Next week", "Calais"} <= set(labels[5:])
    assert [entry.urgency for entry in entries] == sorted(entry.urgency for entry in entries)
    by_label = {entry.label: entry for entry in entries}
    assert by_label["Storm tonight"].url == admin_url(alert, "change")
    assert by_label["Later"].url == admin_url(later, "change")
    assert by_label["Rights"].url == admin_url(page, "change")
    # An exception's reason is translated on its service's page.
    assert by_label[ts.label_of(change)].url == admin_url(soon, "change")
    assert by_label["No hours"].url == admin_url(closed, "change")


def test_a_translator_sees_their_language_and_its_queue_only(client, guide):
    client.force_login(make_translator("ar"))

    dashboard = client.get(reverse("guides_staff:dashboard"))
    page = client.get(reverse("guides_staff:language", args=["ar"]))

    assert [row.language for row in dashboard.context["progress"]] == ["ar"]
    html = page.content.decode()
    assert admin_url(guide["missing"], "change") in html
    assert admin_url(guide["stale"], "change") in html
    assert admin_url(guide["done"], "change") not in html
    assert client.get(reverse("guides_staff:language", args=["fa"])).status_code == 403


def test_coordinators_see_every_language_side_by_side(client, guide):
    client.force_login(make_coordinator())

    response = client.get(reverse("guides_staff:dashboard"))

    assert [row.language for row in response.context["progress"]] == list(ts.TARGET_LANGUAGES)
    html = response.content.decode()
    for code in ts.TARGET_LANGUAGES:
        assert reverse("guides_staff:language", args=[code]) in html


def test_superusers_are_coordinators(admin_client, guide):
    response = admin_client.get(reverse("guides_staff:dashboard"))

    assert len(response.context["progress"]) == len(ts.TARGET_LANGUAGES)


def test_the_dashboard_needs_a_login_and_a_language(client):
    address = reverse("guides_staff:dashboard")
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(make_user())  # staff, but neither translator nor guide editor
    assert client.get(address).status_code == 403
    client.force_login(make_translator())  # a translator with no language yet
    assert client.get(address).status_code == 403


def test_the_dashboard_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    area = make_area()
    for n in range(30):
        make_service(area, title=f"Service {n}", title_ar=f"خدمة {n}", places=[make_place(area)])
    client.force_login(make_coordinator())
    client.get(reverse("guides_staff:dashboard"))

    with django_assert_max_num_queries(20):
        assert client.get(reverse("guides_staff:dashboard")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("guides_staff:language", args=["ar"])).status_code == 200
