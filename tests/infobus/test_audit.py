"""Audit history (issue 8): every change to the guide, tickets, stock and sessions is kept with
who and when; owners' and donors' names and numbers never reach it (docs/data-map.md)."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from simple_history.models import HistoricalChanges

from guides.models import Place, Service
from phones import services as phone_services
from phones.models import BatteryRequest, Donor, RepairTicket, TicketEvent
from sessions_log import services as session_services
from tests.factories import make_area, make_place, make_service, make_user
from tests.guides.translation_support import admin_url, form_data, make_translator
from tests.phones.factories import (
    make_battery_model,
    make_donated_phone,
    make_donor,
    make_stock_item,
    make_ticket,
    move,
    paris,
)
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db

OWNER_NAME = "Yonas"
OWNER_NUMBER = "+44 7700 900123"
DONOR_NAME = "Claire Martin"
DONOR_EMAIL = "claire@example.org"


def grant(user, *codenames):
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return user


def guide_volunteer():
    """A staff member who keeps services up to date (and may see nothing personal)."""
    return grant(make_user(), "guides.view_service", "guides.change_service")


def history_models():
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def history_columns(model):
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
        }


@pytest.fixture
def service():
    area = make_area()
    return make_service(area, title="Hot meal", places=[make_place(area, name="Rue Lamy")])


# --- Who, when, what ----------------------------------------------------------------------------


def test_a_service_edited_in_the_admin_records_who_when_and_the_changed_field(client, service):
    volunteer = guide_volunteer()
    client.force_login(volunteer)
    url = admin_url(service, "change")
    data = form_data(client.get(url))
    data["title_en"] = "Hot soup"
    before = timezone.now()

    response = client.post(url, data)

    assert response.status_code == 302
    new = list(service.history.filter(history_date__gte=before))
    assert new, "the edit left no version"
    assert {row.history_user for row in new} == {volunteer}
    latest = service.history.latest()
    assert latest.history_type == "~"
    assert before <= latest.history_date <= timezone.now()
    assert latest.title_en == "Hot soup"
    changed = latest.diff_against(service.history.filter(history_date__lt=before).latest())
    assert "title_en" in changed.changed_fields
    # The history page shows it to the volunteer: who, and what changed.
    page = client.get(admin_url(service, "history", service.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert volunteer.username in html
    assert "Hot soup" in html


def test_a_translator_edit_records_the_translator_and_the_translated_column(client, service):
    translator = make_translator("ar")
    client.force_login(translator)
    url = admin_url(service, "change")
    data = form_data(client.get(url))
    data["title_ar"] = "وجبة ساخنة"

    response = client.post(url, data)

    assert response.status_code == 302
    latest = service.history.latest()
    assert latest.history_user == translator
    assert latest.title_ar == "وجبة ساخنة"
    assert latest.title_en == "Hot meal"
    assert "title_ar" in latest.diff_against(latest.prev_record).changed_fields
    assert client.get(admin_url(service, "history", service.pk)).status_code == 200


def test_every_translated_column_is_in_the_guides_history_tables():
    for field in ("title", "description", "status_note"):
        assert {f"{field}_en", f"{field}_ar", f"{field}_ti"} <= history_columns(
            Service.history.model
        )
    assert {"name_fa", "directions_ckb"} <= history_columns(Place.history.model)


def test_a_change_of_a_services_places_is_recorded_with_the_places(service):
    volunteer = guide_volunteer()
    other = make_place(service.area, name="Hangar")
    service._history_user = volunteer

    service.places.set([other])

    latest = service.history.latest()
    assert latest.history_user == volunteer
    assert [row.place for row in latest.places.all()] == [other]


def test_marking_services_verified_records_a_version_naming_the_volunteer(client, service):
    volunteer = guide_volunteer()
    client.force_login(volunteer)

    client.post(
        admin_url(Service, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [service.pk]},
    )

    latest = service.history.latest()
    assert latest.history_user == volunteer
    assert (latest.last_verified, latest.verified_by) == (timezone.localdate(), volunteer)


def test_a_ticket_status_change_through_the_service_records_the_user():
    desk, repairer = make_user(), make_user()
    ticket = make_ticket(user=desk)

    phone_services.change_status(ticket=ticket, to="diagnosing", user=repairer)

    opened, moved = ticket.history.order_by("history_date", "history_id")
    assert (opened.history_type, opened.history_user, opened.status) == ("+", desk, "received")
    assert (moved.history_type, moved.history_user, moved.status) == ("~", repairer, "diagnosing")


def test_a_battery_order_records_each_request_and_its_ticket_with_the_user():
    volunteer = make_user()
    ticket = make_ticket(user=volunteer)
    request = phone_services.request_battery(
        ticket=ticket, battery_model=make_battery_model(), user=volunteer
    )
    buyer = make_user()

    order = phone_services.order_batteries(
        requests=BatteryRequest.objects.filter(pk=request.pk),
        supplier="Batteries.fr",
        price=12,
        reference="A-1",
        user=buyer,
    )
    phone_services.batteries_arrived(order=order, user=buyer)

    rows = list(request.history.order_by("history_date", "history_id"))
    assert [(row.status, row.history_user) for row in rows] == [
        ("requested", volunteer),
        ("ordered", buyer),
        ("arrived", buyer),
    ]
    assert rows[1].order_id == order.pk
    assert order.history.latest().history_user == buyer
    assert ticket.history.latest().status == "waiting_for_part"
    assert ticket.history.latest().history_user == buyer


def test_a_stock_movement_is_recorded_with_who_recorded_it():
    volunteer = make_user()
    item = make_stock_item()

    movement = phone_services.receive_stock(item=item, quantity=5, user=volunteer)

    row = movement.history.get()
    assert (row.history_type, row.history_user, row.quantity) == ("+", volunteer, 5)


def test_a_session_corrected_later_records_who_and_what_changed():
    session = make_session(people_present=120)
    coordinator = make_user()
    session.people_present = 95

    session_services.record_session(session=session, user=coordinator)

    latest = session.history.latest()
    assert latest.history_user == coordinator
    assert latest.people_present == 95
    assert latest.diff_against(latest.prev_record).changed_fields == ["people_present"]


def test_moving_a_site_records_the_site_and_the_guides_place_with_the_user():
    volunteer = make_user()
    site = make_site(user=volunteer)
    old_place = site.place
    new_place = make_place(old_place.area, name="New stop")

    session_services.move_site(site=site, new_place=new_place, user=volunteer)

    assert site.history.latest().history_user == volunteer
    assert site.history.latest().place_id == new_place.pk
    moved = old_place.history.latest()
    assert (moved.history_user, moved.status) == (volunteer, Place.Status.MOVED)


def test_a_removed_report_text_names_who_removed_it():
    writer, remover = make_user(), make_user()
    note = session_services.save_report_note(
        year=2025, month=11, language="en", text="A busy month.", user=writer
    )

    session_services.save_report_note(year=2025, month=11, language="en", text="", user=remover)

    written, removed = note.history.order_by("history_date", "history_id")
    assert (written.history_type, written.history_user) == ("+", writer)
    assert (removed.history_type, removed.history_user) == ("-", remover)


# --- Nothing personal in history ----------------------------------------------------------------


def test_owners_and_donors_contact_fields_are_not_in_any_history_table():
    ticket_history = RepairTicket.history.model
    names = {field.name for field in ticket_history._meta.get_fields()}
    assert not {"owner_name", "owner_contact"} & names
    assert not {"owner_name", "owner_contact"} & history_columns(ticket_history)
    assert {"status", "make", "model", "contact_erased_at"} <= names
    # Donors are a name and an email, and a ticket's steps carry notes: neither has history.
    assert not hasattr(Donor, "history")
    assert not hasattr(TicketEvent, "history")
    for model in history_models():
        assert model.instance_type not in (Donor, TicketEvent), model
        assert not {"owner_name", "owner_contact"} & history_columns(model), model


def text_columns():
    """(table, column) of every text column in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        return cursor.fetchall()


def rows_holding(text):
    """Every (table, column) where some row holds `text`."""
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                [f"%{text}%"],
            )
            if cursor.fetchone():
                found.append((table, column))
    return found


def test_after_erasure_no_row_of_history_or_admin_log_holds_the_name_or_number(client):
    # Only what is needed to edit tickets: no right to read contacts in full.
    volunteer = grant(make_user(), "phones.view_repairticket", "phones.change_repairticket")
    ticket = make_ticket(user=volunteer, owner_name=OWNER_NAME, owner_contact=OWNER_NUMBER)
    # A correction typed in later, and an edit in the admin, both while the name is held.
    ticket.owner_contact = OWNER_NUMBER.replace("123", "124")
    ticket._history_user = volunteer
    ticket.save()
    client.force_login(volunteer)
    url = admin_url(ticket, "change")
    data = form_data(client.get(url))
    data["model"] = "Galaxy A13"
    assert client.post(url, data).status_code == 302
    closed = paris(2025, 10, 1, 15, 0)
    move(ticket, "ready", user=volunteer, now=closed, repair_status="fixed")
    phone_services.change_status(ticket=ticket, to="collected", user=volunteer, now=closed)
    donor = make_donor(name=DONOR_NAME, email=DONOR_EMAIL, created_at=paris(2023, 1, 1, 9, 0))
    make_donated_phone(donor=donor, received_on=date(2023, 1, 1))
    # Before the erasure, the name and number are only on the ticket, the donor on its row.
    assert {table for table, _column in rows_holding(OWNER_NAME)} == {"phones_repairticket"}
    assert {table for table, _column in rows_holding("900124")} == {"phones_repairticket"}
    assert {table for table, _column in rows_holding(DONOR_EMAIL)} == {"phones_donor"}

    with time_machine.travel(paris(2025, 12, 15, 3, 0), tick=False):
        call_command("erase_phone_contacts", stdout=io.StringIO())

    for text in (OWNER_NAME, "900123", "900124", DONOR_NAME, DONOR_EMAIL):
        assert rows_holding(text) == [], text
    assert ticket.history.count() >= 4  # the versions stay, without the contact
    for entry in LogEntry.objects.all():
        assert OWNER_NAME not in entry.change_message
        assert OWNER_NAME not in entry.object_repr


def test_a_tickets_history_page_never_shows_the_owners_name_or_number(client):
    volunteer = grant(make_user(), "phones.view_repairticket", "phones.change_repairticket")
    ticket = make_ticket(user=volunteer, owner_name=OWNER_NAME, owner_contact=OWNER_NUMBER)
    phone_services.change_status(ticket=ticket, to="diagnosing", user=volunteer)
    client.force_login(volunteer)

    response = client.get(admin_url(ticket, "history", ticket.pk))
    # An old version is shown in the change form, whose owner fields come from the live row.
    version = client.get(
        admin_url(ticket, "simple_history", ticket.pk, ticket.history.earliest().pk)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert volunteer.username in html
    assert OWNER_NAME not in html
    assert "900123" not in html
    assert version.status_code == 200
    assert OWNER_NAME not in version.content.decode()
    assert "900123" not in version.content.decode()


# --- Retention ----------------------------------------------------------------------------------


def test_the_daily_clean_deletes_history_older_than_the_retention_and_keeps_the_rest(service):
    volunteer = make_user()
    ticket = make_ticket(user=volunteer)
    session = make_session()
    old = timezone.now() - timedelta(days=400)
    for model in (Service, RepairTicket, session.__class__):
        model.history.model.objects.update(history_date=old)
    phone_services.change_status(ticket=ticket, to="diagnosing", user=volunteer)
    service.title = "Hot soup"
    service.save()

    call_command("clean_old_history", "--auto", "--days", "365", stdout=io.StringIO())

    assert list(service.history.values_list("title_en", flat=True)) == ["Hot soup"]
    assert list(ticket.history.values_list("status", flat=True)) == ["diagnosing"]
    assert not session.history.exists()
    # The rows themselves stay: only their past versions go.
    assert Service.objects.filter(pk=service.pk).exists()


def test_a_past_version_of_a_ticket_cannot_be_saved_back_around_the_status_rules(client):
    coordinator = make_user(is_superuser=True)
    ticket = make_ticket(user=coordinator)
    phone_services.change_status(ticket=ticket, to="diagnosing", user=coordinator)
    first = ticket.history.order_by("history_date", "history_id").first()
    client.force_login(coordinator)
    url = admin_url(ticket, "history", ticket.pk) + f"{first.history_id}/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"notes": "back to received"})

    assert response.status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == "diagnosing"
    assert ticket.history.count() == 2


def test_a_translator_can_read_a_past_version_of_a_row_with_a_slug(client):
    area = make_area()
    area.name_en = "Calais centre"
    area.save()
    client.force_login(make_translator("ar"))

    history = area.history.latest()
    response = client.get(admin_url(area, "history", area.pk) + f"{history.history_id}/")

    assert response.status_code == 200
