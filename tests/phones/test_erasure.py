"""Personal data is erased on time by `manage.py erase_phone_contacts`; every count stays."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from phones.models import CONTACT_KEEP_DAYS, Donor, RepairTicket, TicketEvent, months_before
from phones.services import change_status
from tests.factories import make_user
from tests.phones.factories import make_donated_phone, make_donor, make_ticket, move, paris

pytestmark = pytest.mark.django_db

NOW = paris(2025, 12, 15, 3, 0)  # the daily run, at night


@pytest.fixture
def volunteer():
    return make_user("volunteer_e")


def ticket_closed(days_ago, *, user, status="collected", **fields):
    """A ticket with a name, a number and a note, collected (or not) `days_ago` days before NOW."""
    ticket = make_ticket(user=user, owner_name="Yonas", owner_contact="+33 7 11 22 33 44", **fields)
    closed = NOW - timedelta(days=days_ago)
    move(ticket, "ready", user=user, now=closed - timedelta(days=40), repair_status="fixed")
    change_status(ticket=ticket, to=status, user=user, now=closed, note="Called him on WhatsApp")
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=RepairTicket.objects.filter(pk=ticket.pk),
        action_flag=CHANGE,
        change_message="Changed owner contact.",
    )
    return ticket


def admin_history(model, obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
    )


def run(*args):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("erase_phone_contacts", *args, stdout=out)
    return out.getvalue()


def test_contacts_are_erased_the_set_number_of_days_after_collection(volunteer):
    due = ticket_closed(CONTACT_KEEP_DAYS, user=volunteer)
    not_due = ticket_closed(CONTACT_KEEP_DAYS - 1, user=volunteer)
    still_open = make_ticket(user=volunteer, owner_name="Sara", owner_contact="0612345678")

    output = run()

    due.refresh_from_db()
    assert (due.owner_name, due.owner_contact, due.contact_erased_at) == ("", "", NOW)
    for kept in (not_due, still_open):
        kept.refresh_from_db()
        assert kept.owner_name and kept.owner_contact
        assert kept.contact_erased_at is None
    assert "Erased the contact details of 1 ticket(s)" in output


def test_phones_not_collected_have_their_contacts_erased_too(volunteer):
    ticket = ticket_closed(CONTACT_KEEP_DAYS + 5, user=volunteer, status="not_collected")

    run()

    ticket.refresh_from_db()
    assert ticket.owner_contact == ""


def test_the_history_of_an_erased_ticket_is_purged_but_its_steps_and_counts_stay(volunteer):
    due = ticket_closed(CONTACT_KEEP_DAYS + 1, user=volunteer)
    not_due = ticket_closed(1, user=volunteer)
    steps_before = list(due.events.values_list("from_status", "to_status", "by", "at"))

    run()

    assert not admin_history(RepairTicket, due).exists()
    assert admin_history(RepairTicket, not_due).exists()
    assert list(due.events.values_list("note", flat=True)) == ["", "", ""]
    assert list(due.events.values_list("from_status", "to_status", "by", "at")) == steps_before
    assert TicketEvent.objects.filter(ticket=not_due, note__contains="WhatsApp").exists()
    due.refresh_from_db()
    assert (due.status, due.repair_status, due.code) == ("collected", "fixed", due.code)
    assert RepairTicket.objects.count() == 2


def test_dry_run_counts_and_changes_nothing(volunteer):
    due = ticket_closed(CONTACT_KEEP_DAYS + 1, user=volunteer)

    output = run("--dry-run")

    due.refresh_from_db()
    assert due.owner_contact == "+33 7 11 22 33 44"
    assert admin_history(RepairTicket, due).exists()
    assert "Would erase the contact details of 1 ticket(s)" in output


def test_days_can_be_given_on_the_command_line(volunteer):
    ticket = ticket_closed(3, user=volunteer)

    run("--days", "2")

    ticket.refresh_from_db()
    assert ticket.owner_contact == ""
    with pytest.raises(CommandError):
        run("--days", "-1")


def test_a_second_run_finds_nothing_more_to_erase(volunteer):
    ticket_closed(CONTACT_KEEP_DAYS + 1, user=volunteer)
    run()

    assert "of 0 ticket(s)" in run()


def test_donors_are_erased_twelve_months_after_their_last_donation_keeping_counts(volunteer):
    lapsed = make_donor(name="Old Champion", email="old@example.org", kind="champion")
    make_donated_phone(donor=lapsed, received_on=date(2024, 3, 1))
    make_donated_phone(donor=lapsed, received_on=date(2024, 12, 14))
    recent = make_donor(name="Recent Donor", email="recent@example.org")
    make_donated_phone(donor=recent, received_on=date(2024, 3, 1))
    make_donated_phone(donor=recent, received_on=date(2024, 12, 15))
    LogEntry.objects.log_actions(
        user_id=volunteer.pk,
        queryset=Donor.objects.filter(pk=lapsed.pk),
        action_flag=CHANGE,
        change_message="Changed email.",
    )

    output = run()

    lapsed.refresh_from_db()
    recent.refresh_from_db()
    assert (lapsed.name, lapsed.email, lapsed.erased_at) == ("", "", NOW)
    assert (recent.name, recent.email) == ("Recent Donor", "recent@example.org")
    assert Donor.objects.with_counts().get(pk=lapsed.pk).phones_donated == 2
    assert not admin_history(Donor, lapsed).exists()
    assert str(lapsed) == f"Phone champion #{lapsed.pk}"
    assert "names and emails of 1 donor(s)" in output


def test_a_donor_who_never_gave_a_phone_is_erased_a_year_after_being_recorded():
    silent = make_donor(created_at=NOW - timedelta(days=400))
    new = make_donor(created_at=NOW - timedelta(days=30))

    run()

    silent.refresh_from_db()
    new.refresh_from_db()
    assert silent.email == ""
    assert new.email == "claire@example.org"


def test_twelve_months_before_the_end_of_a_long_month_is_the_end_of_a_short_one():
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2025, 12, 15), 12) == date(2024, 12, 15)


def test_a_number_typed_again_after_the_erasure_is_erased_again(volunteer):
    ticket = ticket_closed(CONTACT_KEEP_DAYS + 1, user=volunteer)
    run()
    RepairTicket.objects.filter(pk=ticket.pk).update(owner_contact="+33 7 99 99 99 99")

    run()

    ticket.refresh_from_db()
    assert ticket.owner_contact == ""


def test_a_donor_who_gives_again_after_the_erasure_is_erased_a_year_later_again():
    donor = make_donor(erased_at=NOW - timedelta(days=30), name="", email="")
    make_donated_phone(donor=donor, received_on=date(2024, 1, 10))
    Donor.objects.filter(pk=donor.pk).update(email="back@example.org")

    run()

    donor.refresh_from_db()
    assert donor.email == ""
