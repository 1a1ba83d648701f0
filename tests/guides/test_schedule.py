"""When services are open: every schedule rule pinned with explicit or frozen Paris moments."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from guides.models import OpeningHours, Service, ServiceException, YesNoUnknown
from tests.factories import (
    make_area,
    make_category,
    make_exception,
    make_hours,
    make_organisation,
    make_place,
    make_service,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def paris(year, month, day, hour=0, minute=0, second=0, microsecond=0, *, fold=0):
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=PARIS, fold=fold)


def utc(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def lunch_on_mondays(**slot):
    """A Monday 12:00-14:00 service; Monday 1 June 2026 is the first day of a week."""
    return make_service(hours=[{"weekday": MON, "opens": "12:00", "closes": "14:00", **slot}])


# --- Weekly slots ------------------------------------------------------------------------------


def test_weekly_slot_is_open_at_the_opening_minute():
    service = lunch_on_mondays()
    assert service.is_open_at(paris(2026, 6, 1, 12, 0))


def test_weekly_slot_is_closed_at_the_closing_minute():
    service = lunch_on_mondays()
    assert service.is_open_at(paris(2026, 6, 1, 13, 59, 59, 999999))
    assert not service.is_open_at(paris(2026, 6, 1, 14, 0))


def test_weekly_slot_is_closed_a_fraction_of_a_second_before_opening():
    service = lunch_on_mondays()
    assert not service.is_open_at(paris(2026, 6, 1, 11, 59, 59, 500000))
    assert not service.is_open_at(paris(2026, 6, 1, 11, 59, 59, 999999))


def test_weekly_slot_is_closed_on_other_weekdays_and_open_the_next_week():
    service = lunch_on_mondays()
    assert not service.is_open_at(paris(2026, 6, 2, 13, 0))
    assert service.is_open_at(paris(2026, 6, 8, 13, 0))


def test_occurrence_instants_are_in_utc_and_local_times_in_paris():
    service = lunch_on_mondays()
    (occ,) = service.occurrences_on(date(2026, 6, 1))
    assert occ.start == utc(2026, 6, 1, 10, 0)
    assert occ.start.tzinfo is UTC
    assert occ.end.tzinfo is UTC
    assert (occ.local_start.hour, occ.local_end.hour) == (12, 14)


def test_open_now_follows_the_frozen_clock():
    service = lunch_on_mondays()
    with time_machine.travel(paris(2026, 6, 1, 12, 30), tick=False):
        assert service.is_open_at(timezone.now())
    with time_machine.travel(paris(2026, 6, 1, 14, 30), tick=False):
        assert not service.is_open_at(timezone.now())
        assert service.next_opening(timezone.now()).start == paris(2026, 6, 8, 12, 0)


def test_several_slots_a_day_are_each_open_and_closed_between():
    service = make_service(
        hours=[
            {"weekday": MON, "opens": "14:00", "closes": "16:00"},
            {"weekday": MON, "opens": "09:00", "closes": "11:00"},
        ]
    )
    assert service.is_open_at(paris(2026, 6, 1, 10, 0))
    assert not service.is_open_at(paris(2026, 6, 1, 12, 0))
    assert service.is_open_at(paris(2026, 6, 1, 15, 0))
    starts = [occ.local_start.hour for occ in service.occurrences_on(date(2026, 6, 1))]
    assert starts == [9, 14]


def test_current_or_next_occurrence_is_the_running_slot_else_the_next_one():
    service = make_service(
        hours=[
            {"weekday": MON, "opens": "09:00", "closes": "11:00"},
            {"weekday": MON, "opens": "14:00", "closes": "16:00"},
        ]
    )
    running = service.current_or_next_occurrence(paris(2026, 6, 1, 10, 0))
    assert running.start == paris(2026, 6, 1, 9, 0)
    upcoming = service.current_or_next_occurrence(paris(2026, 6, 1, 12, 0))
    assert upcoming.start == paris(2026, 6, 1, 14, 0)


# --- Overnight slots ---------------------------------------------------------------------------


def test_overnight_slot_is_open_after_midnight_the_next_day():
    service = make_service(hours=[{"weekday": FRI, "opens": "22:00", "closes": "02:00"}])
    assert service.is_open_at(paris(2026, 6, 5, 23, 0))
    assert service.is_open_at(paris(2026, 6, 6, 1, 0))
    assert not service.is_open_at(paris(2026, 6, 6, 2, 0))
    assert not service.is_open_at(paris(2026, 6, 5, 21, 59))
    (occ,) = service.occurrences_on(date(2026, 6, 5))
    assert (occ.start, occ.end) == (paris(2026, 6, 5, 22, 0), paris(2026, 6, 6, 2, 0))


def test_overnight_slot_wraps_from_sunday_to_monday():
    service = make_service(hours=[{"weekday": SUN, "opens": "22:00", "closes": "02:00"}])
    assert service.is_open_at(paris(2026, 6, 8, 1, 0))
    # The early hours of Sunday belong to no slot: Saturday has none.
    assert not service.is_open_at(paris(2026, 6, 7, 1, 0))
    monday_morning = service.occurrences_between(paris(2026, 6, 8, 0, 0), paris(2026, 6, 8, 12, 0))
    assert [occ.start for occ in monday_morning] == [paris(2026, 6, 7, 22, 0)]


def test_overnight_slot_wraps_across_the_new_year():
    service = make_service(hours=[{"weekday": THU, "opens": "22:00", "closes": "01:00"}])
    assert service.is_open_at(paris(2027, 1, 1, 0, 30))
    assert not service.is_open_at(paris(2027, 1, 1, 1, 0))


# --- Daylight saving time ------------------------------------------------------------------------
# Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST. Sunday 25 October 2026: 03:00 CEST goes
# back to 02:00 CET, so 02:00-03:00 happens twice.


def test_slot_across_the_spring_change_lasts_one_hour_less():
    service = make_service(hours=[{"weekday": SUN, "opens": "01:00", "closes": "04:00"}])
    (occ,) = service.occurrences_on(date(2026, 3, 29))
    assert (occ.start, occ.end) == (utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0))
    assert occ.end - occ.start == timedelta(hours=2)
    (week_before,) = service.occurrences_on(date(2026, 3, 22))
    assert week_before.end - week_before.start == timedelta(hours=3)


def test_slot_starting_in_the_skipped_hour_starts_at_the_same_time_after_the_jump():
    service = make_service(hours=[{"weekday": SUN, "opens": "02:30", "closes": "05:00"}])
    (occ,) = service.occurrences_on(date(2026, 3, 29))
    assert occ.start == utc(2026, 3, 29, 1, 30)
    assert occ.local_start.time() == time(3, 30)
    assert occ.end - occ.start == timedelta(hours=1, minutes=30)


def test_is_open_just_before_and_after_the_spring_jump():
    service = make_service(hours=[{"weekday": SUN, "opens": "01:00", "closes": "04:00"}])
    assert service.is_open_at(paris(2026, 3, 29, 1, 59, 59))
    assert service.is_open_at(paris(2026, 3, 29, 3, 0))
    assert service.is_open_at(paris(2026, 3, 29, 3, 59))
    assert not service.is_open_at(paris(2026, 3, 29, 4, 0))


def test_slot_opening_at_three_opens_the_instant_after_the_spring_jump():
    service = make_service(hours=[{"weekday": SUN, "opens": "03:00", "closes": "05:00"}])
    assert not service.is_open_at(paris(2026, 3, 29, 1, 59, 59, 999999))
    assert service.is_open_at(utc(2026, 3, 29, 1, 0))
    assert service.is_open_at(paris(2026, 3, 29, 3, 0))


def test_slot_entirely_inside_the_skipped_hour_moves_forward_by_the_gap():
    service = make_service(hours=[{"weekday": SUN, "opens": "02:15", "closes": "02:45"}])
    (occ,) = service.occurrences_on(date(2026, 3, 29))
    assert (occ.local_start.time(), occ.local_end.time()) == (time(3, 15), time(3, 45))


def test_slot_that_would_end_before_its_shifted_start_does_not_happen():
    # 02:30 does not exist and becomes 03:30, after the 03:00 closing: no instant is open.
    service = make_service(hours=[{"weekday": SUN, "opens": "02:30", "closes": "03:00"}])
    assert service.occurrences_on(date(2026, 3, 29)) == []
    assert service.next_opening(paris(2026, 3, 29, 0, 0)).start == paris(2026, 4, 5, 2, 30)
    assert len(service.occurrences_on(date(2026, 3, 22))) == 1


def test_slot_across_the_autumn_change_lasts_one_hour_more():
    service = make_service(hours=[{"weekday": SUN, "opens": "01:00", "closes": "04:00"}])
    (occ,) = service.occurrences_on(date(2026, 10, 25))
    assert (occ.start, occ.end) == (utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0))
    assert occ.end - occ.start == timedelta(hours=4)


def test_moment_in_the_repeated_autumn_hour_with_fold_is_inside_a_long_slot():
    service = make_service(hours=[{"weekday": SUN, "opens": "01:00", "closes": "04:00"}])
    first = paris(2026, 10, 25, 2, 30, fold=0)
    second = paris(2026, 10, 25, 2, 30, fold=1)
    assert service.is_open_at(first)
    assert service.is_open_at(second)
    assert service.current_or_next_occurrence(second).start == utc(2026, 10, 24, 23, 0)


def test_slot_in_the_repeated_hour_happens_once_at_its_first_occurrence():
    # Comparing datetimes that share the Paris tzinfo ignores fold, and would call the second
    # 02:30 open: the schedule compares in UTC.
    service = make_service(hours=[{"weekday": SUN, "opens": "02:00", "closes": "02:45"}])
    (occ,) = service.occurrences_on(date(2026, 10, 25))
    assert (occ.start, occ.end) == (utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 0, 45))
    assert service.is_open_at(paris(2026, 10, 25, 2, 30, fold=0))
    assert not service.is_open_at(paris(2026, 10, 25, 2, 30, fold=1))
    after_second = service.next_opening(paris(2026, 10, 25, 2, 0, fold=1))
    assert after_second.start == paris(2026, 11, 1, 2, 0)


def test_slot_opening_in_the_first_repeated_hour_is_open_during_the_second():
    service = make_service(hours=[{"weekday": SUN, "opens": "02:45", "closes": "04:00"}])
    (occ,) = service.occurrences_on(date(2026, 10, 25))
    assert (occ.start, occ.end) == (utc(2026, 10, 25, 0, 45), utc(2026, 10, 25, 3, 0))
    second = paris(2026, 10, 25, 2, 30, fold=1)
    assert service.is_open_at(second)
    assert service.current_or_next_occurrence(second) == occ


def test_slot_after_the_repeated_hour_is_closed_during_its_second_pass():
    service = make_service(hours=[{"weekday": SUN, "opens": "03:00", "closes": "05:00"}])
    assert not service.is_open_at(paris(2026, 10, 25, 2, 59, fold=1))
    assert service.is_open_at(paris(2026, 10, 25, 3, 0))
    assert service.next_opening(paris(2026, 10, 25, 2, 30, fold=1)).start == utc(2026, 10, 25, 2)


# --- Every N weeks from an anchor date -----------------------------------------------------------


def clothes_every_two_saturdays():
    # Saturday 2 May 2026 is a known distribution day.
    return make_service(
        hours=[
            {
                "weekday": SAT,
                "opens": "10:00",
                "closes": "12:00",
                "recurrence": OpeningHours.Recurrence.EVERY_N_WEEKS,
                "interval_weeks": 2,
                "anchor_date": date(2026, 5, 2),
            }
        ]
    )


def test_every_two_weeks_happens_on_the_anchor_and_fourteen_days_later_not_seven():
    service = clothes_every_two_saturdays()
    anchor = date(2026, 5, 2)
    assert len(service.occurrences_on(anchor)) == 1
    assert service.occurrences_on(anchor + timedelta(days=7)) == []
    assert len(service.occurrences_on(anchor + timedelta(days=14))) == 1
    assert service.is_open_at(paris(2026, 5, 16, 11, 0))
    assert not service.is_open_at(paris(2026, 5, 9, 11, 0))


def test_every_two_weeks_also_happens_before_the_anchor_date():
    service = clothes_every_two_saturdays()
    assert len(service.occurrences_on(date(2026, 4, 18))) == 1
    assert service.occurrences_on(date(2026, 4, 25)) == []


def test_every_two_weeks_next_opening_skips_the_off_week():
    service = clothes_every_two_saturdays()
    assert service.next_opening(paris(2026, 5, 2, 12, 0)).start == paris(2026, 5, 16, 10, 0)


def test_every_three_weeks_counts_from_the_anchor():
    service = make_service(
        hours=[
            {
                "weekday": SAT,
                "opens": "10:00",
                "closes": "12:00",
                "recurrence": OpeningHours.Recurrence.EVERY_N_WEEKS,
                "interval_weeks": 3,
                "anchor_date": date(2026, 5, 2),
            }
        ]
    )
    days = [date(2026, 5, 2) + timedelta(weeks=n) for n in range(-3, 7)]
    assert [day for day in days if service.occurrences_on(day)] == [
        date(2026, 4, 11),
        date(2026, 5, 2),
        date(2026, 5, 23),
        date(2026, 6, 13),
    ]


# --- The nth weekday of the month ----------------------------------------------------------------


def monthly(weekday, nth):
    service = make_service()
    slot = make_hours(
        service,
        weekday=weekday,
        opens="10:00",
        closes="12:00",
        recurrence=OpeningHours.Recurrence.MONTHLY_NTH,
        nth=nth,
    )
    return service, slot


def test_first_monday_of_the_month_only():
    _service, slot = monthly(MON, 1)
    assert slot.occurs_on(date(2026, 6, 1))
    assert not slot.occurs_on(date(2026, 6, 8))
    assert slot.occurs_on(date(2026, 7, 6))
    assert not slot.occurs_on(date(2026, 6, 29))


def test_third_wednesday_of_the_month_only():
    _service, slot = monthly(WED, 3)
    assert [d.day for d in (date(2026, 6, n) for n in range(1, 31)) if slot.occurs_on(d)] == [17]
    assert [d.day for d in (date(2026, 1, n) for n in range(1, 32)) if slot.occurs_on(d)] == [21]


def test_last_friday_of_a_month_with_five_fridays_is_the_fifth():
    _service, slot = monthly(FRI, -1)
    january = [date(2026, 1, n) for n in range(1, 32)]
    assert [d.day for d in january if slot.occurs_on(d)] == [30]


def test_last_friday_of_a_month_with_four_fridays_is_the_fourth():
    _service, slot = monthly(FRI, -1)
    february = [date(2026, 2, n) for n in range(1, 29)]
    assert [d.day for d in february if slot.occurs_on(d)] == [27]


def test_fourth_friday_is_not_the_last_in_a_month_with_five():
    _service, slot = monthly(FRI, 4)
    january = [date(2026, 1, n) for n in range(1, 32)]
    assert [d.day for d in january if slot.occurs_on(d)] == [23]


def test_monthly_next_opening_crosses_into_the_next_month():
    service, _slot = monthly(MON, 1)
    assert service.next_opening(paris(2026, 6, 1, 12, 0)).start == paris(2026, 7, 6, 10, 0)
    last_friday, _slot = monthly(FRI, -1)
    assert last_friday.next_opening(paris(2026, 1, 31)).start == paris(2026, 2, 27, 10, 0)


# --- Validity ------------------------------------------------------------------------------------


def test_slot_happens_only_between_valid_from_and_valid_until_inclusive():
    service = lunch_on_mondays(valid_from=date(2026, 6, 8), valid_until=date(2026, 6, 22))
    mondays = [date(2026, 6, 1) + timedelta(weeks=n) for n in range(5)]
    assert [day for day in mondays if service.occurrences_on(day)] == [
        date(2026, 6, 8),
        date(2026, 6, 15),
        date(2026, 6, 22),
    ]
    assert service.next_opening(paris(2026, 6, 22, 15, 0)) is None


def test_next_opening_waits_for_valid_from():
    service = lunch_on_mondays(valid_from=date(2026, 7, 6))
    assert service.next_opening(paris(2026, 6, 1)).start == paris(2026, 7, 6, 12, 0)


# --- French public holidays ----------------------------------------------------------------------


def test_slot_closed_on_public_holidays_skips_christmas():
    service = make_service(
        hours=[
            {
                "weekday": FRI,
                "opens": "12:00",
                "closes": "14:00",
                "closed_on_public_holidays": YesNoUnknown.YES,
            }
        ]
    )
    assert service.occurrences_on(date(2026, 12, 25)) == []
    assert not service.is_open_at(paris(2026, 12, 25, 13, 0))
    assert len(service.occurrences_on(date(2026, 12, 18))) == 1
    # Friday 1 January 2027 is New Year's Day: the next is 8 January.
    assert service.next_opening(paris(2026, 12, 24)).start == paris(2027, 1, 8, 12, 0)


def test_slot_closed_on_public_holidays_skips_easter_monday():
    service = lunch_on_mondays(closed_on_public_holidays=YesNoUnknown.YES)
    assert service.occurrences_on(date(2026, 4, 6)) == []
    assert service.next_opening(paris(2026, 4, 6, 8, 0)).start == paris(2026, 4, 13, 12, 0)


def test_slot_open_on_public_holidays_keeps_bastille_day_without_doubt():
    service = make_service(
        hours=[
            {
                "weekday": TUE,
                "opens": "12:00",
                "closes": "14:00",
                "closed_on_public_holidays": YesNoUnknown.NO,
            }
        ]
    )
    (occ,) = service.occurrences_on(date(2026, 7, 14))
    assert occ.holiday_uncertain is False
    assert service.is_open_at(paris(2026, 7, 14, 13, 0))


def test_unknown_holiday_rule_keeps_all_saints_day_but_flags_it_uncertain():
    service = make_service(
        hours=[
            {
                "weekday": SUN,
                "opens": "12:00",
                "closes": "14:00",
                "closed_on_public_holidays": YesNoUnknown.UNKNOWN,
            }
        ]
    )
    (holiday,) = service.occurrences_on(date(2026, 11, 1))
    assert holiday.holiday_uncertain is True
    (ordinary,) = service.occurrences_on(date(2026, 11, 8))
    assert ordinary.holiday_uncertain is False


def test_holiday_rule_applies_to_the_day_an_overnight_slot_starts():
    service = make_service(
        hours=[
            {
                "weekday": THU,
                "opens": "22:00",
                "closes": "02:00",
                "closed_on_public_holidays": YesNoUnknown.YES,
            }
        ]
    )
    # Thursday 24 December is not a holiday: its night runs into Christmas morning.
    assert service.is_open_at(paris(2026, 12, 25, 1, 0))
    # New Year's Day 2026 is a Thursday: that night's slot does not happen.
    assert service.occurrences_on(date(2026, 1, 1)) == []


# --- Exceptions ----------------------------------------------------------------------------------


def test_cancelled_day_has_no_opening_and_other_weeks_are_unchanged():
    service = lunch_on_mondays()
    make_exception(service, date(2026, 6, 8), ServiceException.Kind.CANCELLED)
    assert service.occurrences_on(date(2026, 6, 8)) == []
    assert not service.is_open_at(paris(2026, 6, 8, 13, 0))
    assert len(service.occurrences_on(date(2026, 6, 15))) == 1
    assert service.next_opening(paris(2026, 6, 2)).start == paris(2026, 6, 15, 12, 0)


def test_other_hours_replace_the_regular_slot_for_that_day():
    service = lunch_on_mondays()
    exc = make_exception(
        service, date(2026, 6, 8), ServiceException.Kind.OTHER_HOURS, opens="16:00", closes="18:00"
    )
    (occ,) = service.occurrences_on(date(2026, 6, 8))
    assert (occ.start, occ.end) == (paris(2026, 6, 8, 16, 0), paris(2026, 6, 8, 18, 0))
    assert occ.exception == exc
    assert occ.slot is None
    assert not service.is_open_at(paris(2026, 6, 8, 13, 0))
    assert service.is_open_at(paris(2026, 6, 8, 17, 0))
    assert service.is_open_at(paris(2026, 6, 15, 13, 0))


def test_two_other_hours_the_same_day_come_out_in_time_order():
    service = lunch_on_mondays()
    day = date(2026, 6, 8)
    make_exception(service, day, ServiceException.Kind.OTHER_HOURS, opens="16:00", closes="18:00")
    make_exception(service, day, ServiceException.Kind.OTHER_HOURS, opens="09:00", closes="10:00")
    assert [occ.local_start.hour for occ in service.occurrences_on(day)] == [9, 16]


def test_other_hours_add_an_opening_on_a_day_without_a_slot():
    service = lunch_on_mondays()
    make_exception(
        service, date(2026, 6, 9), ServiceException.Kind.OTHER_HOURS, opens="10:00", closes="11:00"
    )
    assert service.is_open_at(paris(2026, 6, 9, 10, 30))


def test_other_hours_overnight_run_past_midnight():
    service = lunch_on_mondays()
    make_exception(
        service, date(2026, 6, 8), ServiceException.Kind.OTHER_HOURS, opens="22:00", closes="01:00"
    )
    assert service.is_open_at(paris(2026, 6, 9, 0, 30))
    assert not service.is_open_at(paris(2026, 6, 9, 1, 0))


def test_other_place_for_a_day_is_on_the_occurrence():
    area = make_area()
    usual = make_place(area, name="Rue Lamy")
    elsewhere = make_place(area, name="Parc Richelieu")
    service = lunch_on_mondays(place=usual)
    exc = make_exception(
        service, date(2026, 6, 8), ServiceException.Kind.OTHER_PLACE, place=elsewhere
    )
    (moved,) = service.occurrences_on(date(2026, 6, 8))
    assert moved.place == elsewhere
    assert moved.exception == exc
    assert moved.start == paris(2026, 6, 8, 12, 0)
    (usual_day,) = service.occurrences_on(date(2026, 6, 15))
    assert usual_day.place == usual
    assert usual_day.exception is None


def test_cancelled_wins_over_other_hours_and_other_place_the_same_day():
    service = lunch_on_mondays()
    day = date(2026, 6, 8)
    make_exception(service, day, ServiceException.Kind.OTHER_HOURS, opens="16:00", closes="18:00")
    make_exception(service, day, ServiceException.Kind.OTHER_PLACE, place=make_place())
    make_exception(service, day, ServiceException.Kind.CANCELLED)
    assert service.occurrences_on(day) == []
    assert not service.is_open_at(paris(2026, 6, 8, 17, 0))


def test_cancelled_day_cancels_the_overnight_part_after_midnight():
    service = make_service(hours=[{"weekday": FRI, "opens": "22:00", "closes": "02:00"}])
    make_exception(service, date(2026, 6, 5), ServiceException.Kind.CANCELLED)
    assert not service.is_open_at(paris(2026, 6, 6, 1, 0))


# --- Closed and ended services -------------------------------------------------------------------


@pytest.mark.parametrize("status", [Service.Status.TEMPORARILY_CLOSED, Service.Status.ENDED])
def test_closed_or_ended_service_is_never_open_and_has_no_next_opening(status):
    service = make_service(
        status=status, hours=[{"weekday": MON, "opens": "12:00", "closes": "14:00"}]
    )
    moment = paris(2026, 6, 1, 13, 0)
    assert not service.is_open_at(moment)
    assert service.next_opening(paris(2026, 6, 1)) is None
    assert service.current_or_next_occurrence(moment) is None
    assert service.occurrences_between(paris(2026, 6, 1), paris(2026, 7, 1)) == []


# --- Next opening --------------------------------------------------------------------------------


def test_next_opening_crosses_the_week():
    service = lunch_on_mondays()
    assert service.next_opening(paris(2026, 6, 2, 9, 0)).start == paris(2026, 6, 8, 12, 0)
    # Late Sunday night, it is the next morning's.
    assert service.next_opening(paris(2026, 6, 7, 23, 59)).start == paris(2026, 6, 8, 12, 0)


def test_next_opening_at_the_opening_instant_is_that_opening():
    service = lunch_on_mondays()
    assert service.next_opening(paris(2026, 6, 1, 12, 0)).start == paris(2026, 6, 1, 12, 0)
    assert service.next_opening(paris(2026, 6, 1, 12, 0, 1)).start == paris(2026, 6, 8, 12, 0)


def test_next_opening_is_none_beyond_the_horizon():
    far = lunch_on_mondays(valid_from=date(2026, 9, 7))
    assert far.next_opening(paris(2026, 6, 1)) is None
    assert far.next_opening(paris(2026, 8, 1)).start == paris(2026, 9, 7, 12, 0)
    assert make_service().next_opening(paris(2026, 6, 1)) is None


# --- Many services at once -----------------------------------------------------------------------


def test_queryset_occurrences_between_are_sorted_by_start_then_title():
    area = make_area()
    make_service(
        area, title="Showers", hours=[{"weekday": TUE, "opens": "09:00", "closes": "11:00"}]
    )
    make_service(area, title="Lunch", hours=[{"weekday": MON, "opens": "12:00", "closes": "14:00"}])
    make_service(
        area, title="Breakfast", hours=[{"weekday": MON, "opens": "08:00", "closes": "09:00"}]
    )
    make_service(
        area, title="Clinic", hours=[{"weekday": MON, "opens": "12:00", "closes": "13:00"}]
    )
    found = Service.objects.in_area(area).occurrences_between(paris(2026, 6, 1), paris(2026, 6, 3))
    assert [(occ.local_start.day, occ.local_start.hour, occ.service.title) for occ in found] == [
        (1, 8, "Breakfast"),
        (1, 12, "Clinic"),
        (1, 12, "Lunch"),
        (2, 9, "Showers"),
    ]


def test_queryset_open_at_lists_only_what_runs_at_that_moment():
    area = make_area()
    make_service(area, title="Lunch", hours=[{"weekday": MON, "opens": "12:00", "closes": "14:00"}])
    make_service(area, title="Night", hours=[{"weekday": SUN, "opens": "22:00", "closes": "02:00"}])
    make_service(
        area,
        title="Closed",
        status=Service.Status.TEMPORARILY_CLOSED,
        hours=[{"weekday": MON, "opens": "00:00", "closes": "23:59"}],
    )
    at_one = Service.objects.in_area(area).open_at(paris(2026, 6, 1, 1, 0))
    assert [occ.service.title for occ in at_one] == ["Night"]
    with time_machine.travel(paris(2026, 6, 1, 13, 0), tick=False):
        at_lunch = Service.objects.in_area(area).open_at(timezone.now())
    assert [occ.service.title for occ in at_lunch] == ["Lunch"]


def make_many(count):
    area, organisation, category = make_area(), make_organisation(), make_category()
    place = make_place(area)
    for n in range(count):
        service = make_service(
            area,
            organisation,
            categories=[category],
            places=[place],
            title=f"Service {n:03}",
            hours=[
                {"weekday": n % 7, "opens": "09:00", "closes": "11:00", "place": place},
                {"weekday": (n + 3) % 7, "opens": "22:00", "closes": "02:00"},
            ],
        )
        make_exception(
            service, date(2026, 6, 1 + n % 7), ServiceException.Kind.OTHER_PLACE, place=place
        )
    return area


@pytest.mark.parametrize("count", [10, 100])
def test_queryset_occurrences_between_costs_the_same_queries_for_10_or_100_services(
    count, django_assert_num_queries
):
    area = make_many(count)
    # Services (with organisation and area), opening hours, exceptions, places, categories.
    with django_assert_num_queries(5):
        found = Service.objects.in_area(area).occurrences_between(
            paris(2026, 6, 1, 3, 0), paris(2026, 6, 8, 3, 0)
        )
        for occ in found:
            assert occ.place is None or occ.place.area_id == area.pk
    assert len(found) == count * 2


def test_schedule_methods_on_prefetched_services_run_no_queries(django_assert_num_queries):
    area = make_many(10)
    services = list(Service.objects.in_area(area).with_schedule())
    with django_assert_num_queries(0):
        for service in services:
            service.is_open_at(paris(2026, 6, 1, 10, 0))
            service.next_opening(paris(2026, 6, 1, 10, 0))


def test_back_to_back_slots_read_as_one_opening_day_and_night():
    service = make_service(
        hours=[
            {"weekday": d, "opens": opens, "closes": closes}
            for d in range(7)
            for opens, closes in (("00:00", "12:00"), ("12:00", "00:00"))
        ]
    )
    start = datetime(2026, 11, 18, 0, 0, tzinfo=PARIS)
    occurrences = service.occurrences_between(start, start + timedelta(days=1))
    assert len(occurrences) == 1
    assert occurrences[0].day_and_night
    assert service.is_open_at(datetime(2026, 11, 18, 12, 0, tzinfo=PARIS))
