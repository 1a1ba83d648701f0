"""Model validation: what an editor cannot save, and the reads that depend on the clock."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guides.models import Alert, OpeningHours, Place, ServiceException
from tests.factories import make_alert, make_area, make_place, make_service

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# make_area() is centred on Calais, 50.951 N 1.858 E, with a 25 km radius.
LAT, LON = Decimal("50.951000"), Decimal("1.858000")


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def new_place(area, **kw):
    return Place(
        **{"area": area, "name": "Parc Richelieu", "latitude": LAT, "longitude": LON, **kw}
    )


# --- Area and Place ------------------------------------------------------------------------------


def test_area_box_is_wider_in_degrees_of_longitude_than_latitude():
    area = make_area()
    # 0.3 degrees is about 21 km east at this latitude, but 33 km north.
    assert area.contains(LAT, LON + Decimal("0.3"))
    assert not area.contains(LAT + Decimal("0.3"), LON)
    assert area.contains(LAT - Decimal("0.2"), LON - Decimal("0.3"))
    assert not area.contains(LAT, LON - Decimal("0.4"))


def test_place_inside_the_area_is_accepted():
    place = new_place(make_area(), latitude=LAT + Decimal("0.09"))
    place.full_clean()


def test_place_outside_the_area_box_is_refused_with_a_message():
    area = make_area(name="Calais")
    errors = errors_of(new_place(area, latitude=Decimal("51.300000")))
    (message,) = errors["latitude"]
    assert "25 km" in message
    assert "Calais" in message
    assert "swapped" in message


def test_place_with_swapped_latitude_and_longitude_is_refused():
    errors = errors_of(new_place(make_area(), latitude=LON, longitude=LAT))
    assert "latitude" in errors


def test_latitude_above_90_is_refused():
    errors = errors_of(new_place(make_area(), latitude=Decimal("91")))
    assert any("less than or equal to 90" in message for message in errors["latitude"])


def test_moved_place_needs_to_say_where_it_moved():
    errors = errors_of(new_place(make_area(), status=Place.Status.MOVED))
    assert errors["moved_to"] == ["Say where the place moved to."]


def test_moved_place_with_its_new_place_is_accepted():
    area = make_area()
    new_home = make_place(area, name="New hangar")
    new_place(area, status=Place.Status.MOVED, moved_to=new_home).full_clean()


@pytest.mark.parametrize("status", [Place.Status.IN_USE, Place.Status.GONE])
def test_only_a_moved_place_has_a_new_place(status):
    area = make_area()
    errors = errors_of(new_place(area, status=status, moved_to=make_place(area)))
    assert errors["moved_to"] == ["Only a place that moved has a new place."]


def test_place_cannot_move_to_itself():
    place = make_place()
    place.status = Place.Status.MOVED
    place.moved_to = place
    assert errors_of(place)["moved_to"] == ["A place cannot move to itself."]


# --- Opening hours -------------------------------------------------------------------------------


def new_slot(**kw):
    defaults = {"weekday": 5, "opens": time(10), "closes": time(12)}
    return OpeningHours(service=make_service(), **{**defaults, **kw})


def test_weekly_slot_is_accepted():
    new_slot().full_clean()


def test_overnight_slot_is_accepted():
    new_slot(opens=time(22), closes=time(2)).full_clean()


def test_equal_opening_and_closing_times_are_refused():
    errors = errors_of(new_slot(opens=time(12), closes=time(12)))
    assert errors["closes"] == ["Closing time must differ from opening time."]


def test_every_n_weeks_needs_an_interval_and_an_anchor_date():
    errors = errors_of(new_slot(recurrence=OpeningHours.Recurrence.EVERY_N_WEEKS))
    assert "interval_weeks" in errors
    assert "anchor_date" in errors


def test_every_n_weeks_anchor_must_fall_on_the_slots_weekday():
    slot = new_slot(
        recurrence=OpeningHours.Recurrence.EVERY_N_WEEKS,
        interval_weeks=2,
        anchor_date=date(2026, 5, 3),  # a Sunday, for a Saturday slot
    )
    assert errors_of(slot)["anchor_date"] == ["The anchor date must fall on the slot's weekday."]
    slot.anchor_date = date(2026, 5, 2)
    slot.full_clean()


def test_every_n_weeks_interval_below_two_is_refused():
    slot = new_slot(
        recurrence=OpeningHours.Recurrence.EVERY_N_WEEKS,
        interval_weeks=1,
        anchor_date=date(2026, 5, 2),
    )
    assert "interval_weeks" in errors_of(slot)


def test_monthly_recurrence_needs_which_weekday_of_the_month():
    slot = new_slot(recurrence=OpeningHours.Recurrence.MONTHLY_NTH)
    assert "nth" in errors_of(slot)
    slot.nth = -1
    slot.full_clean()


def test_valid_until_before_valid_from_is_refused():
    slot = new_slot(valid_from=date(2026, 6, 10), valid_until=date(2026, 6, 9))
    assert errors_of(slot)["valid_until"] == ["The end of validity is before its start."]
    slot.valid_until = slot.valid_from
    slot.full_clean()


# --- Exceptions ----------------------------------------------------------------------------------


def new_exception(kind, **kw):
    return ServiceException(service=make_service(), date=date(2026, 6, 8), kind=kind, **kw)


def test_other_hours_needs_both_times():
    errors = errors_of(new_exception(ServiceException.Kind.OTHER_HOURS))
    assert "opens" in errors
    assert "closes" in errors
    new_exception(ServiceException.Kind.OTHER_HOURS, opens=time(16), closes=time(18)).full_clean()


def test_other_hours_with_equal_times_is_refused():
    exc = new_exception(ServiceException.Kind.OTHER_HOURS, opens=time(16), closes=time(16))
    assert "closes" in errors_of(exc)


def test_times_are_refused_on_a_cancelled_day():
    exc = new_exception(ServiceException.Kind.CANCELLED, opens=time(16), closes=time(18))
    assert "opens" in errors_of(exc)


def test_other_place_needs_a_place():
    assert "place" in errors_of(new_exception(ServiceException.Kind.OTHER_PLACE))
    new_exception(ServiceException.Kind.OTHER_PLACE, place=make_place()).full_clean()


def test_cancelled_day_has_no_place():
    exc = new_exception(ServiceException.Kind.CANCELLED, place=make_place())
    assert errors_of(exc)["place"] == ["A cancelled day has no place."]
    new_exception(ServiceException.Kind.CANCELLED).full_clean()


# --- Alerts --------------------------------------------------------------------------------------


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_alert_must_end_after_it_starts():
    start = paris(2026, 6, 1, 12, 0)
    for end in (start, start - timedelta(minutes=1)):
        alert = Alert(area=make_area(), message="Storm", starts_at=start, ends_at=end)
        assert errors_of(alert)["ends_at"] == ["An alert must end after it starts."]
    Alert(
        area=make_area(), message="Storm", starts_at=start, ends_at=start + timedelta(hours=1)
    ).full_clean()


def test_active_alerts_exclude_expired_and_future_ones():
    area = make_area()
    now = paris(2026, 6, 1, 12, 0)
    current = make_alert(area, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    open_ended = make_alert(area, starts_at=now - timedelta(days=3))
    make_alert(area, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    make_alert(area, starts_at=now + timedelta(hours=1))
    ending_now = make_alert(area, starts_at=now - timedelta(hours=1), ends_at=now)
    with time_machine.travel(now, tick=False):
        active = set(Alert.objects.active())
        assert active == {current, open_ended}
        assert not ending_now.is_active()
        assert all(alert.is_active() for alert in active)
    assert set(Alert.objects.active(at=now - timedelta(minutes=30))) == {
        current,
        open_ended,
        ending_now,
    }


def test_new_alert_starts_now_on_the_frozen_clock():
    with time_machine.travel(paris(2026, 6, 1, 12, 0), tick=False):
        alert = make_alert()
        assert alert.starts_at == paris(2026, 6, 1, 12, 0)
        assert alert.is_active()


# --- Services ------------------------------------------------------------------------------------


def test_service_accepts_known_language_codes():
    service = make_service(languages_spoken=["en", "ar", "ti", "kmr"])
    service.full_clean()


def test_service_refuses_unknown_language_codes():
    service = make_service(languages_spoken=["en", "english", "xx"])
    (message,) = errors_of(service)["languages_spoken"]
    assert message == "Unknown language codes: english, xx"


@pytest.mark.parametrize("value", ["en", {"en": True}, [1, "en"], [["en"]], [None]])
def test_service_refuses_languages_that_are_not_a_list_of_codes(value):
    service = make_service()
    service.languages_spoken = value
    assert errors_of(service)["languages_spoken"] == [
        'Give a list of language codes, e.g. ["en", "ar"].'
    ]
