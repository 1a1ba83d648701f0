"""Repair tickets: codes that survive being read aloud, and the status flow with its history."""

import secrets
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from phones import services
from phones.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    NOT_COLLECTED_AFTER_DAYS,
    TRANSITIONS,
    FaultType,
    RepairBarrier,
    RepairStatus,
    RepairTicket,
    TicketStatus,
    mask,
    normalise_code,
)
from tests.factories import make_user
from tests.phones.factories import make_ticket, move, paris

pytestmark = pytest.mark.django_db

S = TicketStatus


@pytest.fixture
def volunteer():
    return make_user("volunteer_a")


# --- Codes ----------------------------------------------------------------------------------------


def test_ticket_codes_avoid_characters_that_are_misread_aloud_or_by_hand(volunteer):
    codes = {make_ticket(user=volunteer).code for _ in range(30)}

    assert len(codes) == 30
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
    assert not set("0O1ILU") & set(CODE_ALPHABET)


def test_a_code_already_taken_is_drawn_again(volunteer, monkeypatch):
    taken = make_ticket(user=volunteer)
    # secrets is the standard library, not our code: make it draw the taken code first.
    draws = iter(taken.code + "ABCDE")
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))

    fresh = make_ticket(user=volunteer)

    assert fresh.code == "ABCDE"
    assert RepairTicket.objects.count() == 2


def test_the_database_refuses_two_tickets_with_one_code(volunteer):
    ticket = make_ticket(user=volunteer)
    twin = RepairTicket(site=ticket.site, fault=ticket.fault, make="Nokia", code=ticket.code)

    with pytest.raises(IntegrityError):
        twin.save()


def test_a_code_typed_in_lower_case_with_a_dash_is_read_as_stored():
    assert normalise_code(" k7m-xr ") == "K7MXR"


def test_contact_numbers_are_masked_to_their_last_two_digits():
    assert mask("+33 6 12 34 56 78") == "•••• 78"
    assert mask("") == ""
    assert mask("7") == "••••"


def test_opening_a_ticket_records_who_received_the_phone(volunteer):
    ticket = make_ticket(user=volunteer)

    (event,) = ticket.events.all()
    assert (event.from_status, event.to_status, event.by) == ("", S.RECEIVED, volunteer)
    assert ticket.status == S.RECEIVED
    assert ticket.created_by == volunteer


def test_a_ticket_has_no_place_for_nationality_documents_or_legal_status():
    names = " ".join(field.name for field in RepairTicket._meta.get_fields())
    for word in ("nationality", "document", "passport", "legal", "asylum", "country", "surname"):
        assert word not in names


# --- Status flow ----------------------------------------------------------------------------------


def test_the_whole_flow_records_each_step_with_who_and_when(volunteer):
    coordinator = make_user("coordinator_b")
    ticket = make_ticket(user=volunteer)
    steps = [
        (S.DIAGNOSING, volunteer, {}),
        (S.WAITING_FOR_PART, volunteer, {}),
        (S.AT_REPAIR_SHOP, coordinator, {}),
        (S.READY, coordinator, {"repair_status": RepairStatus.FIXED}),
        (S.COLLECTED, volunteer, {}),
    ]
    for day, (status, user, outcome) in enumerate(steps, start=1):
        services.change_status(
            ticket=ticket, to=status, user=user, now=paris(2025, 11, day, 15), **outcome
        )

    ticket.refresh_from_db()
    assert ticket.status == S.COLLECTED
    assert ticket.repair_status == RepairStatus.FIXED
    assert ticket.resolved_at == paris(2025, 11, 4, 15)
    assert ticket.closed_at == paris(2025, 11, 5, 15)
    moves = ticket.events.exclude(from_status="")
    history = [(e.from_status, e.to_status, e.by, e.at) for e in moves]
    assert history == [
        (S.RECEIVED, S.DIAGNOSING, volunteer, paris(2025, 11, 1, 15)),
        (S.DIAGNOSING, S.WAITING_FOR_PART, volunteer, paris(2025, 11, 2, 15)),
        (S.WAITING_FOR_PART, S.AT_REPAIR_SHOP, coordinator, paris(2025, 11, 3, 15)),
        (S.AT_REPAIR_SHOP, S.READY, coordinator, paris(2025, 11, 4, 15)),
        (S.READY, S.COLLECTED, volunteer, paris(2025, 11, 5, 15)),
    ]


FORBIDDEN = [
    (start, to)
    for start, allowed in TRANSITIONS.items()
    for to in S
    if to not in allowed and to != S.RECEIVED
]
# Reaching each status from received, by allowed moves.
ROUTE = {
    S.RECEIVED: [],
    S.DIAGNOSING: [S.DIAGNOSING],
    S.WAITING_FOR_PART: [S.WAITING_FOR_PART],
    S.AT_REPAIR_SHOP: [S.AT_REPAIR_SHOP],
    S.READY: [S.READY],
    S.UNREPAIRABLE: [S.UNREPAIRABLE],
    S.COLLECTED: [S.READY, S.COLLECTED],
    S.NOT_COLLECTED: [S.READY, S.NOT_COLLECTED],
}


@pytest.mark.parametrize(("start", "to"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_a_forbidden_move_is_refused_and_changes_nothing(volunteer, start, to):
    ticket = make_ticket(user=volunteer)
    for step, status in enumerate(ROUTE[start]):
        # Forty days apart, so a phone may be marked not collected.
        move(
            ticket,
            status,
            user=volunteer,
            now=paris(2025, 1, 1, 12) + timedelta(days=40 * step),
            repair_status=RepairStatus.FIXED,
            barrier=RepairBarrier.NO_WAY_TO_OPEN if status == S.UNREPAIRABLE else "",
        )
    events_before = ticket.events.count()

    with pytest.raises(ValidationError) as refused:
        services.change_status(
            ticket=ticket,
            to=to,
            user=volunteer,
            repair_status=RepairStatus.FIXED,
            barrier=RepairBarrier.NO_WAY_TO_OPEN if to == S.UNREPAIRABLE else "",
        )

    assert refused.value.code == "transition"
    ticket.refresh_from_db()
    assert ticket.status == start
    assert ticket.events.count() == events_before


def test_collected_is_final_and_received_is_never_reached_again(volunteer):
    assert TRANSITIONS[S.COLLECTED] == set()
    assert not any(S.RECEIVED in allowed for allowed in TRANSITIONS.values())
    ticket = move(make_ticket(user=volunteer), S.READY, user=volunteer, repair_status="fixed")

    with pytest.raises(ValidationError):
        services.change_status(ticket=ticket, to=S.DIAGNOSING, user=volunteer)


def test_a_phone_cannot_be_ready_without_saying_whether_it_was_fixed(volunteer):
    ticket = make_ticket(user=volunteer)

    with pytest.raises(ValidationError) as refused:
        services.change_status(ticket=ticket, to=S.READY, user=volunteer)

    assert refused.value.code == "outcome"
    with pytest.raises(ValidationError):
        services.change_status(
            ticket=ticket, to=S.READY, user=volunteer, repair_status=RepairStatus.END_OF_LIFE
        )


def test_unrepairable_needs_the_barrier_and_records_end_of_life(volunteer):
    ticket = make_ticket(user=volunteer)
    with pytest.raises(ValidationError) as refused:
        services.change_status(ticket=ticket, to=S.UNREPAIRABLE, user=volunteer)
    assert refused.value.code == "barrier"

    services.change_status(
        ticket=ticket, to=S.UNREPAIRABLE, user=volunteer, barrier=RepairBarrier.PARTS_TOO_EXPENSIVE
    )

    ticket.refresh_from_db()
    assert ticket.repair_status == RepairStatus.END_OF_LIFE
    assert ticket.repair_barrier == RepairBarrier.PARTS_TOO_EXPENSIVE


def test_a_barrier_is_refused_on_a_phone_that_was_fixed(volunteer):
    ticket = make_ticket(user=volunteer)

    with pytest.raises(ValidationError):
        services.change_status(
            ticket=ticket,
            to=S.READY,
            user=volunteer,
            repair_status=RepairStatus.FIXED,
            barrier=RepairBarrier.LACK_OF_EQUIPMENT,
        )


def test_an_unrepairable_phone_is_given_back_as_collected(volunteer):
    ticket = move(
        make_ticket(user=volunteer), S.UNREPAIRABLE, user=volunteer, barrier="no_way_to_open"
    )

    services.change_status(ticket=ticket, to=S.COLLECTED, user=volunteer)

    ticket.refresh_from_db()
    assert ticket.status == S.COLLECTED
    assert ticket.repair_status == RepairStatus.END_OF_LIFE


def test_not_collected_only_after_the_phone_has_waited_long_enough(volunteer):
    ready_at = paris(2025, 11, 1, 17)
    ticket = move(
        make_ticket(user=volunteer), S.READY, user=volunteer, now=ready_at, repair_status="fixed"
    )
    too_soon = ready_at + timedelta(days=NOT_COLLECTED_AFTER_DAYS - 1)

    with pytest.raises(ValidationError) as refused:
        services.change_status(ticket=ticket, to=S.NOT_COLLECTED, user=volunteer, now=too_soon)
    assert refused.value.code == "too_soon"

    services.change_status(
        ticket=ticket,
        to=S.NOT_COLLECTED,
        user=volunteer,
        now=ready_at + timedelta(days=NOT_COLLECTED_AFTER_DAYS),
    )
    ticket.refresh_from_db()
    assert ticket.status == S.NOT_COLLECTED


def test_an_owner_who_turns_up_late_may_still_collect(volunteer):
    ready_at = paris(2025, 9, 1, 17)
    ticket = move(
        make_ticket(user=volunteer), S.READY, user=volunteer, now=ready_at, repair_status="fixed"
    )
    move(ticket, S.NOT_COLLECTED, user=volunteer, now=ready_at + timedelta(days=40))

    services.change_status(
        ticket=ticket, to=S.COLLECTED, user=volunteer, now=ready_at + timedelta(days=50)
    )

    ticket.refresh_from_db()
    assert ticket.status == S.COLLECTED
    # The erasure clock starts again from the day the phone was collected.
    assert ticket.closed_at == ready_at + timedelta(days=50)


def test_the_database_refuses_a_ready_phone_without_an_outcome(volunteer):
    ticket = make_ticket(user=volunteer)

    with pytest.raises(IntegrityError):
        RepairTicket.objects.filter(pk=ticket.pk).update(status=S.READY)


def test_to_hand_back_lists_ready_and_unrepairable_phones(volunteer):
    ready = move(make_ticket(user=volunteer), S.READY, user=volunteer, repair_status="repairable")
    broken = move(
        make_ticket(user=volunteer), S.UNREPAIRABLE, user=volunteer, barrier="too_worn_out"
    )
    move(make_ticket(user=volunteer), S.READY, S.COLLECTED, user=volunteer, repair_status="fixed")
    make_ticket(user=volunteer)

    assert set(RepairTicket.objects.to_hand_back()) == {ready, broken}


def test_seeded_fault_types_are_exported_as_mobifix_terms():
    seeded = dict(FaultType.objects.values_list("name", "mobifix_fault"))

    assert seeded["Battery or power"] == "Power/battery"
    assert seeded["Charging port"] == "USB/charging port"
    assert seeded["Liquid damage"] == "Liquid damage"
    assert seeded["Stuck booting"] == "Stuck booting"
    assert seeded["Software"] == "Software issue"
