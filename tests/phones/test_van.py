"""At the van: today's sessions, +1 taps counted once each, refusals, and repair intake."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phones import services
from phones.models import RepairTicket, StockItem, StockMovement
from tests.factories import make_user
from tests.phones.factories import make_fault, make_stock_item
from tests.phones.pages import outside_sources
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_names(settings):
    # The manifest of DEBUG=0 lists van.js only after collectstatic (make test runs it first).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def staff(role_groups, role):
    return make_user(f"{role}_{uuid.uuid4().hex[:6]}", groups=[role_groups[role]])


@pytest.fixture
def volunteer(client, role_groups):
    user = staff(role_groups, "volunteer")
    client.force_login(user)
    return user


@pytest.fixture
def today_session():
    return make_session(date=timezone.localdate())


@pytest.fixture
def sim(admin_user):
    item = make_stock_item(name="Lyca SIM", kind=StockItem.Kind.SIM, network="Lyca")
    services.receive_stock(item=item, quantity=10, user=admin_user)
    return item


def tap_url(session):
    return reverse("phones:van_session_tap", args=[session.pk])


def send(client, url, item, tap=None):
    body = {"tap": str(tap or uuid.uuid4()), "item": item.pk}
    return client.post(url, json.dumps(body), content_type="application/json")


def handed_out(item):
    return StockMovement.objects.filter(item=item, kind=StockMovement.Kind.HANDED_OUT).count()


def test_the_van_page_lists_todays_sessions_and_sites_without_one(client, volunteer):
    session = make_session(date=timezone.localdate())
    make_session(site=make_site(name="Yesterday only"), date=timezone.localdate() - timedelta(1))
    bare = make_site(name="Fort Nieulay")
    cancelled = make_session(date=timezone.localdate(), status="cancelled")

    response = client.get(reverse("phones:van"))

    assert response.status_code == 200
    assert list(response.context["sessions"]) == [session]
    sites = list(response.context["sites"])
    assert bare in sites
    assert session.site not in sites and cancelled.site not in sites
    assert reverse("phones:van_session", args=[session.pk]) in response.content.decode()
    assert reverse("phones:van_site", args=[bare.pk]) in response.content.decode()


def test_a_session_of_another_day_is_not_open_to_tallies(client, volunteer):
    old = make_session(date=timezone.localdate() - timedelta(days=1))

    assert client.get(reverse("phones:van_session", args=[old.pk])).status_code == 404


def test_a_plus_one_records_a_handout_under_the_session(client, volunteer, today_session, sim):
    response = send(client, tap_url(today_session), sim)

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["counts"][str(sim.pk)] == 1
    assert response.json()["levels"][str(sim.pk)] == 9
    movement = StockMovement.objects.get(kind=StockMovement.Kind.HANDED_OUT)
    assert movement.session_ref == str(today_session.pk)
    assert movement.site == today_session.site.place
    assert movement.recorded_by == volunteer


def test_a_tap_at_a_site_without_a_session_is_recorded_under_the_site_and_day(
    client, volunteer, sim
):
    site = make_site()

    send(client, reverse("phones:van_site_tap", args=[site.pk]), sim)

    movement = StockMovement.objects.get(kind=StockMovement.Kind.HANDED_OUT)
    assert movement.session_ref == f"site:{site.pk}:{timezone.localdate().isoformat()}"


def test_the_same_tap_sent_twice_counts_once_and_answers_the_same_totals(
    client, volunteer, today_session, sim
):
    tap = uuid.uuid4()
    first = send(client, tap_url(today_session), sim, tap)
    again = send(client, tap_url(today_session), sim, tap)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert handed_out(sim) == 1


def test_a_tap_beyond_the_stock_is_refused_clearly_and_records_nothing(
    client, volunteer, today_session
):
    empty = make_stock_item(name="USB-C cable", kind=StockItem.Kind.CABLE, connector="usb_c")

    response = send(client, tap_url(today_session), empty)

    assert response.status_code == 409
    assert response.json()["ok"] is False
    assert response.json()["code"] == "insufficient_stock"
    assert "Only 0 USB-C cable left" in response.json()["message"]
    assert response.json()["counts"][str(empty.pk)] == 0
    assert handed_out(empty) == 0


def test_a_tap_that_cannot_be_read_is_refused(client, volunteer, today_session, sim):
    response = client.post(
        tap_url(today_session), '{"tap": "nope", "item": 1}', content_type="application/json"
    )

    assert response.status_code == 400
    assert handed_out(sim) == 0


def test_someone_not_signed_in_is_sent_to_the_login(client, today_session, sim):
    for url in (reverse("phones:van"), reverse("phones:van_session", args=[today_session.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert send(client, tap_url(today_session), sim).status_code == 302
    assert handed_out(sim) == 0


def test_a_translator_is_refused_the_van(client, role_groups, today_session, sim):
    client.force_login(staff(role_groups, "translator"))

    assert client.get(reverse("phones:van")).status_code == 403
    assert client.get(reverse("phones:van_session", args=[today_session.pk])).status_code == 403
    assert send(client, tap_url(today_session), sim).status_code == 403
    assert handed_out(sim) == 0


def test_without_javascript_each_plus_one_is_a_form_that_redirects_and_counts(
    client, volunteer, today_session, sim
):
    page_url = reverse("phones:van_session", args=[today_session.pk])
    page = client.get(page_url).content.decode()
    tap = re.search(r'name="tap" value="([0-9a-f-]{36})"', page).group(1)

    response = client.post(tap_url(today_session), {"item": sim.pk, "tap": tap})
    client.post(tap_url(today_session), {"item": sim.pk, "tap": tap})  # a double click

    assert response.status_code == 302
    assert response["Location"] == page_url
    assert handed_out(sim) == 1
    counts = {item: count for item, count, _tap in client.get(page_url).context["items"]}
    assert counts[sim] == 1


def test_without_javascript_a_refusal_is_shown_after_the_redirect(client, volunteer, today_session):
    plug = make_stock_item(name="EU plug")

    response = client.post(tap_url(today_session), {"item": plug.pk, "tap": uuid.uuid4()})

    assert response.status_code == 302
    assert "Only 0 EU plug left" in client.get(response["Location"]).content.decode()
    assert handed_out(plug) == 0


def test_the_van_page_loads_its_script_from_our_static_files_only(client, volunteer, today_session):
    response = client.get(reverse("phones:van_session", args=[today_session.pk]))

    assert outside_sources(response) == []
    assert "phones/van.js" in response.content.decode()
    assert "phones/van.js" not in client.get(reverse("phones:stock_levels")).content.decode()


def test_a_phone_taken_in_shows_its_new_ticket_code(client, volunteer, today_session):
    fault = make_fault(name="Broken screen")

    response = client.post(
        reverse("phones:van_session_intake", args=[today_session.pk]),
        {"make": "Samsung", "model": "A12", "fault": fault.pk, "owner_name": "Sam"},
    )

    ticket = RepairTicket.objects.get()
    assert ticket.site == today_session.site.place
    assert ticket.created_by == volunteer
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'<p class="ticket-code">{ticket.code}</p>' in page


def test_an_intake_without_a_fault_is_shown_again_with_the_error(client, volunteer, today_session):
    response = client.post(
        reverse("phones:van_session_intake", args=[today_session.pk]), {"make": "Nokia"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["fault"]
    assert not RepairTicket.objects.exists()
