"""Nonsense is refused with a message that says what to check."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sessions_log.models import MAX_SESSION_DATA_BYTES, Session
from sessions_log.units import GB, MB
from tests.sessions_log.factories import make_session, make_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december_2025")]


def refusal(**fields):
    """The messages full_clean gives a session with these fields, by field."""
    site = make_site()
    base = {
        "site": site,
        "date": date(2025, 11, 3),
        "planned_start": time(14, 0),
        "planned_end": time(16, 30),
        "actual_start": time(14, 5),
        "actual_end": time(16, 40),
        "people_present": 150,
    }
    session = Session(**{**base, **fields})
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    return refused.value.message_dict


def test_a_plain_held_session_is_accepted():
    session = make_session(devices_connected=80, peak_devices=45, data_down_bytes=11 * GB)

    assert session.pk


def test_a_session_that_ends_before_it_starts_is_refused():
    errors = refusal(actual_start=time(16, 0), actual_end=time(14, 0))

    assert errors["actual_end"] == [
        "The session ends before it starts: check the actual start and end times."
    ]


def test_a_planned_end_before_the_planned_start_is_refused():
    errors = refusal(planned_start=time(16, 0), planned_end=time(15, 0))

    assert "planned end must come after" in errors["planned_end"][0]


@pytest.mark.parametrize(
    "name", ["people_present", "women_space_users", "team_size", "phones_charged"]
)
def test_a_negative_count_is_refused(name):
    errors = refusal(**{name: -3})

    assert errors[name] == [
        f"{Session._meta.get_field(name).verbose_name.capitalize()} cannot be negative."
    ]


def test_900_gb_from_one_session_is_refused():
    errors = refusal(devices_connected=90, data_down_bytes=900 * GB, data_up_bytes=0)

    assert errors["data_down_bytes"] == [
        "900.0 GB in one session is more than the gateway can move (at most 200.0 GB): "
        "check the unit, MB or GB."
    ]


def test_the_limit_counts_download_and_upload_together():
    errors = refusal(data_down_bytes=150 * GB, data_up_bytes=60 * GB)

    assert "data_down_bytes" in errors


def test_data_up_to_the_limit_is_accepted():
    session = make_session(data_down_bytes=MAX_SESSION_DATA_BYTES - 10 * MB, data_up_bytes=10 * MB)

    assert session.data_total_bytes == MAX_SESSION_DATA_BYTES


def test_a_session_in_the_future_is_refused():
    errors = refusal(date=date(2025, 12, 11))

    assert errors["date"] == ["This date is in the future: record a session once it has happened."]


def test_today_is_not_the_future():
    assert make_session(date=date(2025, 12, 10)).pk


def test_a_cancelled_session_with_attendance_figures_is_refused():
    errors = refusal(
        status=Session.Status.CANCELLED,
        cancel_reason=Session.CancelReason.POLICE,
        actual_start=None,
        actual_end=None,
        people_present=40,
        devices_connected=12,
    )

    expected = [
        "The session was cancelled, so nobody used it: leave this empty, "
        "or mark the session as held."
    ]
    assert errors["people_present"] == expected
    assert errors["devices_connected"] == expected


def test_a_cancelled_session_needs_a_reason_and_no_actual_times():
    errors = refusal(status=Session.Status.CANCELLED, people_present=None)

    assert errors["cancel_reason"] == ["Say why the session was cancelled."]
    assert errors["actual_start"] == ["A cancelled session has no actual times: leave them empty."]


def test_a_cancelled_session_with_a_reason_and_a_note_is_accepted():
    session = make_session(
        status=Session.Status.CANCELLED,
        cancel_reason=Session.CancelReason.EVICTION,
        team_size=5,
        incidents="Site cleared by the police in the morning.",
    )

    assert session.get_cancel_reason_display() == "Eviction"


def test_more_devices_at_once_than_devices_connected_is_refused():
    errors = refusal(devices_connected=40, peak_devices=55)

    assert errors["peak_devices"] == [
        "The most devices at once (55) cannot be more than the devices connected over the "
        "session (40)."
    ]


def test_a_held_session_needs_its_times_and_a_headcount():
    errors = refusal(actual_start=None, actual_end=None, people_present=None)

    assert errors["actual_start"] == ["Give the time the session started."]
    assert errors["actual_end"] == ["Give the time the session ended."]
    assert errors["people_present"] == ["Give an estimate of how many people came."]


def test_more_people_in_the_womens_space_than_present_is_refused():
    errors = refusal(people_present=20, women_space_users=30)

    assert "women's space" in errors["women_space_users"][0]


def test_an_impossible_headcount_is_refused():
    errors = refusal(people_present=15000)

    assert errors["people_present"] == ["15000 is more than 1500: check the figure."]


def test_the_same_session_cannot_be_recorded_twice():
    first = make_session()
    again = Session(
        site=first.site,
        date=first.date,
        planned_start=first.planned_start,
        planned_end=first.planned_end,
        actual_start=first.actual_start,
        actual_end=first.actual_end,
        people_present=10,
    )

    with pytest.raises(ValidationError) as refused:
        again.full_clean()

    assert "already recorded" in str(refused.value)


def test_the_database_refuses_a_negative_count_written_around_the_checks():
    session = make_session()

    with pytest.raises(IntegrityError):
        Session.objects.filter(pk=session.pk).update(people_present=-1)


def test_the_database_refuses_a_cancelled_session_without_a_reason():
    session = make_session()

    with pytest.raises(IntegrityError):
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
