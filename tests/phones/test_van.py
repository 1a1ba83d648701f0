"""At the van: today's sessions, +1 taps (stock and phones charged) counted once each,
refusals, repair intake, and the van's day around midnight and the clock changes."""

import json
import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from phones import services
from phones.models import RepairTicket, StockItem, StockMovement, VanTap, van_day
from sessions_log.models import Session
from sessions_log.reports import month_report
from tests.factories import make_user
from tests.phones.factories import make_fault, make_stock_item
from tests.phones.pages import outside_sources
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(*args, **kw):
    """A moment on the wall clock in Calais."""
    return datetime(*args, tzinfo=PARIS, **kw)


@pytest.fixture(autouse=True)
def _afternoon_in_calais():
    """A Tuesday afternoon: the van's day is the calendar day (before 04:00 it is not)."""
    with time_machine.travel(at(2026, 3, 10, 15, 0), tick=False):
        yield


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
    assert f'href="/phones/van/site/{bare.pk}/2026-03-10/"' in response.content.decode()


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

    send(client, reverse("phones:van_site_day_tap", args=[site.pk, date(2026, 3, 10)]), sim)
    # A tap queued by the first van page, at the undated address, lands on the van's day.
    send(client, reverse("phones:van_site_tap", args=[site.pk]), sim)

    refs = set(
        StockMovement.objects.filter(kind="handed_out").values_list("session_ref", flat=True)
    )
    assert set(refs) == {f"site:{site.pk}:2026-03-10"}


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


# --- Phones charged -------------------------------------------------------------------------------


def charge_url(session):
    return reverse("phones:van_session_charge", args=[session.pk])


def site_url(site, name="van_site_day", day=date(2026, 3, 10)):
    return reverse(f"phones:{name}", args=[site.pk, day])


def charge(client, url, tap=None):
    body = json.dumps({"tap": str(tap or uuid.uuid4())})
    return client.post(url, body, content_type="application/json")


def test_a_charge_tap_sent_twice_counts_once(client, volunteer, today_session):
    tap = uuid.uuid4()

    first = charge(client, charge_url(today_session), tap)
    again = charge(client, charge_url(today_session), tap)

    assert first.status_code == again.status_code == 200
    assert first.json()["charges"] == again.json()["charges"] == 1
    assert VanTap.objects.charges().count() == 1
    row = VanTap.objects.get()
    assert (row.session, row.site, row.recorded_by) == (
        today_session,
        today_session.site,
        volunteer,
    )


def test_the_charge_button_shows_the_running_count(client, volunteer, today_session):
    for _ in range(3):
        charge(client, charge_url(today_session))

    page = client.get(reverse("phones:van_session", args=[today_session.pk])).content.decode()

    assert re.search(r'<span class="count" data-charges>3</span>', page)


def test_without_javascript_the_charge_button_is_a_form_that_counts_once(
    client, volunteer, today_session
):
    page_url = reverse("phones:van_session", args=[today_session.pk])
    page = client.get(page_url).content.decode()
    form = re.search(
        r'action="([^"]+charge/)"[^>]*>.*?name="tap" value="([0-9a-f-]{36})"', page, re.S
    )

    first = client.post(form.group(1), {"tap": form.group(2)})
    client.post(form.group(1), {"tap": form.group(2)})  # a double click

    assert first.status_code == 302 and first["Location"] == page_url
    assert VanTap.objects.charges().count() == 1


def test_charges_keep_the_sessions_phones_charged_at_least_their_count(
    client, volunteer, today_session
):
    estimated = make_session(date=date(2026, 3, 10), phones_charged=40)
    for _ in range(3):
        charge(client, charge_url(today_session))
        charge(client, charge_url(estimated))

    today_session.refresh_from_db()
    estimated.refresh_from_db()
    assert today_session.phones_charged == 3
    # The volunteer's estimate stays when it is higher: taps are missed, never made up.
    assert estimated.phones_charged == 40


def test_charges_at_a_site_join_its_session_when_the_form_is_recorded(client, volunteer):
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    for _ in range(2):
        charge(client, site_url(site, "van_site_day_charge"))
    page = client.get(site_url(site))
    assert page.context["entry_form"].initial["phones_charged"] == 2
    assert "2 phones counted with the charge button" in page.content.decode()

    response = client.post(
        reverse("sessions_log:record"),
        {
            "submission": str(uuid.uuid4()),
            "site": site.pk,
            "date": "2026-03-10",
            "planned_start": "14:00",
            "planned_end": "16:30",
            "status": "held",
            "actual_start": "14:00",
            "actual_end": "16:30",
            "people_present": "80",
            "phones_charged": "1",
        },
    )

    assert response.status_code == 302
    session = Session.objects.get()
    assert session.phones_charged == 2
    assert set(VanTap.objects.charges().values_list("session", flat=True)) == {session.pk}
    # The session's page at the van shows them, and the month's report counts them.
    page = client.get(reverse("phones:van_session", args=[session.pk])).content.decode()
    assert '<span class="count" data-charges>2</span>' in page
    assert month_report(year=2026, month=3).total.this.phones_charged == 2


def test_a_charge_sent_after_the_form_joins_the_recorded_session(client, volunteer):
    site = make_site()
    session = make_session(site, date=date(2026, 3, 10), phones_charged=None)

    charge(client, site_url(site, "van_site_day_charge"))

    session.refresh_from_db()
    assert VanTap.objects.get().session == session
    assert session.phones_charged == 1


def test_a_charge_that_cannot_be_read_is_refused(client, volunteer, today_session):
    response = client.post(
        charge_url(today_session), '{"tap": "x"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_tap"
    assert not VanTap.objects.exists()


def test_a_translator_cannot_tap_a_charge(client, role_groups, today_session):
    client.force_login(staff(role_groups, "translator"))

    assert charge(client, charge_url(today_session)).status_code == 403
    assert not VanTap.objects.exists()


# --- The van's day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (at(2025, 12, 10, 23, 59), date(2025, 12, 10)),
        # Just after midnight the van is still out on the evening's session.
        (at(2025, 12, 11, 0, 1), date(2025, 12, 10)),
        (at(2025, 12, 11, 3, 59), date(2025, 12, 10)),
        (at(2025, 12, 11, 4, 0), date(2025, 12, 11)),
        # The local date, not UTC's: 04:30 in Calais is 02:30 UTC in summer.
        (at(2026, 7, 1, 4, 30), date(2026, 7, 1)),
        # 29 March 2026: 02:00 CET jumps to 03:00 CEST, a 23-hour night.
        (at(2026, 3, 29, 1, 59), date(2026, 3, 28)),
        (at(2026, 3, 29, 3, 59), date(2026, 3, 28)),
        (at(2026, 3, 29, 4, 0), date(2026, 3, 29)),
        # 25 October 2026: 03:00 CEST falls back to 02:00 CET, and 02:30 happens twice.
        (at(2026, 10, 25, 2, 30, fold=0), date(2026, 10, 24)),
        (at(2026, 10, 25, 2, 30, fold=1), date(2026, 10, 24)),
        (at(2026, 10, 25, 3, 59), date(2026, 10, 24)),
        (at(2026, 10, 25, 4, 0), date(2026, 10, 25)),
    ],
)
def test_the_vans_day_turns_at_four_in_the_morning_in_calais(moment, day):
    assert van_day(moment) == day
    with time_machine.travel(moment, tick=False):
        assert van_day() == day


def test_a_session_running_past_midnight_keeps_its_page_and_its_taps(client, volunteer, sim):
    with time_machine.travel(at(2026, 3, 28, 21, 0), tick=False):
        late = make_session(
            date=date(2026, 3, 28),
            planned_start=time(21, 0),
            planned_end=time(23, 59),
            actual_start=time(21, 0),
            actual_end=time(23, 59),
        )
    page = reverse("phones:van_session", args=[late.pk])

    # The night the clocks go forward: 00:30 CET, then 03:30 CEST.
    for moment in (at(2026, 3, 29, 0, 30), at(2026, 3, 29, 3, 30)):
        with time_machine.travel(moment, tick=False):
            client.force_login(volunteer)  # a staff session lasts 8 hours
            assert client.get(page).status_code == 200
            assert client.get(reverse("phones:van")).context["sessions"][0] == late
            send(client, tap_url(late), sim)
            charge(client, charge_url(late))

    with time_machine.travel(at(2026, 3, 29, 4, 0), tick=False):
        client.force_login(volunteer)
        assert client.get(page).status_code == 404
        assert list(client.get(reverse("phones:van")).context["sessions"]) == []
    late.refresh_from_db()
    assert handed_out(sim) == 2
    assert StockMovement.objects.filter(session_ref=str(late.pk)).count() == 2
    assert late.phones_charged == 2


def test_a_tap_queued_at_23_59_and_sent_after_midnight_lands_on_its_day(client, volunteer, sim):
    site = make_site()
    with time_machine.travel(at(2025, 10, 24, 23, 59), tick=False):
        client.force_login(volunteer)
        page = client.get(reverse("phones:van_site", args=[site.pk]))
        assert page["Location"] == site_url(site, day=date(2025, 10, 24))
    tapped_at_23_59 = site_url(site, "van_site_day_tap", date(2025, 10, 24))

    # Sent the next morning, after the clocks went back and the van's day turned.
    with time_machine.travel(at(2025, 10, 26, 9, 0), tick=False):
        client.force_login(volunteer)
        assert send(client, tapped_at_23_59, sim).status_code == 200
        charge(client, site_url(site, "van_site_day_charge", date(2025, 10, 24)))

    assert StockMovement.objects.get(kind="handed_out").session_ref == (
        f"site:{site.pk}:2025-10-24"
    )
    assert VanTap.objects.get().day == date(2025, 10, 24)


def test_a_tap_for_a_stop_a_week_old_is_still_taken_but_not_older(client, volunteer, sim):
    site = make_site()

    week = send(client, site_url(site, "van_site_day_tap", date(2026, 3, 3)), sim)
    older = send(client, site_url(site, "van_site_day_tap", date(2026, 3, 2)), sim)
    older_charge = charge(client, site_url(site, "van_site_day_charge", date(2026, 3, 2)))

    assert week.status_code == 200
    assert older.status_code == older_charge.status_code == 409
    assert older.json()["code"] == "too_old"
    assert "more than 7 days ago" in older.json()["message"]
    assert handed_out(sim) == 1
    assert not VanTap.objects.exists()


def test_a_stop_of_another_day_has_no_page_and_a_future_one_takes_no_taps(client, volunteer, sim):
    site = make_site()

    assert client.get(site_url(site, day=date(2026, 3, 9))).status_code == 404
    assert client.get(site_url(site, day=date(2026, 3, 11))).status_code == 404
    assert (
        send(client, site_url(site, "van_site_day_tap", date(2026, 3, 11)), sim).status_code == 404
    )
    assert client.get(f"/phones/van/site/{site.pk}/2026-02-30/").status_code == 404
    assert handed_out(sim) == 0


def test_a_phone_taken_in_after_midnight_is_dated_on_the_vans_day(client, volunteer):
    site = make_site()
    fault = make_fault()

    with time_machine.travel(at(2026, 3, 11, 0, 20), tick=False):
        client.force_login(volunteer)
        client.post(site_url(site, "van_site_day_intake"), {"make": "Samsung", "fault": fault.pk})

    assert RepairTicket.objects.get().intake_date == date(2026, 3, 10)


# --- The end-of-session form at the van -----------------------------------------------------------


def test_the_van_page_carries_the_end_of_session_form_for_its_site(client, volunteer):
    site = make_site(name="BMX / Stadium", usual_start=time(14, 0))

    page = client.get(site_url(site)).content.decode()

    assert 'id="van-entry"' in page
    assert f'action="{reverse("sessions_log:record")}"' in page
    assert f'name="site" value="{site.pk}"' in page
    assert re.search(r'name="submission" value="[0-9a-f-]{36}"', page)
    assert 'inputmode="numeric"' in page
    assert "No names, nationalities, phone numbers" in page


def test_once_recorded_a_volunteer_sees_the_session_not_the_form(client, volunteer):
    site = make_site()
    make_session(site, date=date(2026, 3, 10))

    page = client.get(site_url(site)).content.decode()

    assert 'id="van-entry"' not in page
    assert "This session is recorded." in page


def test_staff_who_may_not_record_sessions_get_the_tally_without_the_form(client):
    user = make_user("stock_only")
    user.user_permissions.add(Permission.objects.get(codename="add_stockmovement"))
    client.force_login(user)

    page = client.get(site_url(make_site())).content.decode()

    assert 'id="van-items"' in page
    assert 'id="van-entry"' not in page
