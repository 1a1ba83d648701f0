"""When a service happens: recurrence, overnight slots, exceptions and French public holidays.

Opening hours are wall-clock times in Europe/Paris. Every instant computed here is returned in
UTC: Python compares two datetimes that share a tzinfo by their wall-clock fields, which is
wrong across the autumn change, so all comparisons and arithmetic happen in UTC.

These functions read only prefetched relations (`opening_hours`, `exceptions`, `places`) so
that a page listing many services costs a fixed number of queries.
"""

import calendar
import functools
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

# The smallest step between datetimes: [moment, moment + EPSILON) overlaps an opening exactly
# when the opening contains the moment (a whole second would call 11:59:59.5 open at noon).
EPSILON = timedelta(microseconds=1)
# Far enough to find the next "last Sunday of the month" or "every 8 weeks" opening.
HORIZON_DAYS = 62


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Occurrence:
    """One opening of a service: [start, end) in UTC, where, and why it differs from usual."""

    service: object
    start: datetime
    end: datetime
    place: object = None
    slot: object = None
    exception: object = None
    # A public holiday on which nobody knows whether it opens.
    holiday_uncertain: bool = False

    def contains(self, moment):
        return self.start <= moment < self.end

    @property
    def day_and_night(self):
        return self.end - self.start >= timedelta(hours=24)

    @property
    def local_start(self):
        return self.start.astimezone(local_zone())

    @property
    def local_end(self):
        return self.end.astimezone(local_zone())


@dataclass(frozen=True)
class WeeklySlot:
    """One line of a weekly timetable, possibly several back-to-back slots joined."""

    opens: object
    closes: object
    place: object = None
    recurrence: str = ""
    recurrence_label: str = ""
    closed_on_public_holidays: str = ""

    @classmethod
    def of(cls, slot):
        return cls(
            slot.opens,
            slot.closes,
            slot.place,
            slot.recurrence,
            slot.recurrence_label(),
            slot.closed_on_public_holidays,
        )

    @property
    def day_and_night(self):
        return self.opens == self.closes

    def continues_into(self, other):
        return (
            self.closes == other.opens
            and not self.day_and_night
            and getattr(self.place, "pk", None) == getattr(other.place, "pk", None)
            and (self.recurrence, self.closed_on_public_holidays)
            == (other.recurrence, other.closed_on_public_holidays)
        )

    def joined(self, other):
        return replace(self, closes=other.closes)


@functools.cache
def _french_holidays(year):
    return holidays.country_holidays("FR", years=year)


def is_public_holiday(day):
    return day in _french_holidays(day.year)


def wall_clock(day, clock, zone=None):
    """The UTC instant of a wall-clock time in Paris on a day.

    A time skipped by the spring change (02:30 on the last Sunday of March) moves forward
    by the gap (03:30); a time repeated in autumn takes its first occurrence.
    """
    zone = zone or local_zone()
    return datetime.combine(day, clock).replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_date(moment):
    return moment.astimezone(local_zone()).date()


def _is_nth_weekday(day, nth):
    if nth == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == nth


def _recurs_on(slot, day):
    from guides.models import OpeningHours

    if slot.recurrence == OpeningHours.Recurrence.EVERY_N_WEEKS:
        if not (slot.interval_weeks and slot.anchor_date):
            return False
        return (day - slot.anchor_date).days % (7 * slot.interval_weeks) == 0
    if slot.recurrence == OpeningHours.Recurrence.MONTHLY_NTH:
        return bool(slot.nth) and _is_nth_weekday(day, slot.nth)
    return True


def slot_occurs_on(slot, day):
    """Whether a regular opening-hours slot starts on this (local) day."""
    from guides.models import YesNoUnknown

    if day.weekday() != slot.weekday:
        return False
    if slot.valid_from and day < slot.valid_from:
        return False
    if slot.valid_until and day > slot.valid_until:
        return False
    if not _recurs_on(slot, day):
        return False
    if slot.closed_on_public_holidays == YesNoUnknown.YES and is_public_holiday(day):
        return False
    return True


def _span(day, opens, closes):
    """[start, end) in UTC; empty (end <= start) only for a slot such as 02:30-03:00 on the day
    of the spring change, where 02:30 does not exist and becomes 03:30."""
    end_day = day + timedelta(days=1) if closes <= opens else day
    return wall_clock(day, opens), wall_clock(end_day, closes)


def service_occurrences_on(service, day):
    """The openings of a service that start on a local day, exceptions applied."""
    from guides.models import ServiceException, YesNoUnknown

    changes = [exc for exc in service.exceptions.all() if exc.date == day]
    if any(exc.kind == ServiceException.Kind.CANCELLED for exc in changes):
        return []
    other_hours = [exc for exc in changes if exc.kind == ServiceException.Kind.OTHER_HOURS]
    if other_hours:
        found = []
        for exc in other_hours:
            start, end = _span(day, exc.opens, exc.closes)
            if end > start:
                found.append(Occurrence(service, start, end, place=exc.place, exception=exc))
        found.sort(key=lambda occ: occ.start)
        return found
    moved = next((exc for exc in changes if exc.kind == ServiceException.Kind.OTHER_PLACE), None)
    holiday = is_public_holiday(day)
    found = []
    for slot in service.opening_hours.all():
        if not slot_occurs_on(slot, day):
            continue
        start, end = _span(day, slot.opens, slot.closes)
        if end <= start:
            continue
        found.append(
            Occurrence(
                service,
                start,
                end,
                place=moved.place if moved else slot.place,
                slot=slot,
                exception=moved,
                holiday_uncertain=holiday
                and slot.closed_on_public_holidays == YesNoUnknown.UNKNOWN,
            )
        )
    found.sort(key=lambda occ: occ.start)
    return found


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def service_occurrences_between(service, start, end):
    """Openings that overlap [start, end). A closed or ended service has none."""
    from guides.models import Service

    if service.status != Service.Status.ACTIVE:
        return []
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    # The day before, for an overnight slot still running at `start`.
    first = local_date(start) - timedelta(days=1)
    found = []
    for day in _days(first, local_date(end)):
        found.extend(
            occ
            for occ in service_occurrences_on(service, day)
            if occ.start < end and occ.end > start
        )
    return merge_contiguous(found)


def merge_contiguous(occurrences):
    """Join openings of the same service and place where one ends as the next starts.

    A service open day and night is entered as back-to-back slots (00:00–12:00, 12:00–00:00);
    a reader should see one opening, not a closing at noon.
    """
    merged = []
    for occ in sorted(occurrences, key=lambda o: o.start):
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == occ.start
            and getattr(last.place, "pk", None) == getattr(occ.place, "pk", None)
            and last.exception is None
            and occ.exception is None
        ):
            merged[-1] = replace(last, end=occ.end)
        else:
            merged.append(occ)
    return merged


def service_is_open_at(service, moment):
    # In UTC first: adding to a Paris datetime drops fold=1 and lands an hour earlier.
    moment = moment.astimezone(UTC)
    return bool(service_occurrences_between(service, moment, moment + EPSILON))


def service_next_opening(service, after, horizon_days=HORIZON_DAYS):
    """The first opening that starts at or after `after`, or None within the horizon."""
    from guides.models import Service

    if service.status != Service.Status.ACTIVE:
        return None
    after = after.astimezone(UTC)
    first = local_date(after)
    for day in _days(first, first + timedelta(days=horizon_days)):
        for occ in service_occurrences_on(service, day):
            if occ.start >= after:
                return occ
    return None


def running_at(service, moment):
    """The opening running at `moment`, with the back-to-back openings after it joined (over
    a day), so that a service open day and night reads so, not "until 12:00"; or None."""
    moment = moment.astimezone(UTC)
    ahead = service_occurrences_between(service, moment, moment + timedelta(days=1))
    return next((occ for occ in ahead if occ.contains(moment)), None)


def service_current_or_next(service, moment):
    """The opening running at `moment` (see running_at), else the next one."""
    return running_at(service, moment) or service_next_opening(service, moment)


def next_change(occurrences, after):
    """The first start or end after `after` among occurrences: when an open-now list goes stale."""
    after = after.astimezone(UTC)
    moments = [m for occ in occurrences for m in (occ.start, occ.end) if m > after]
    return min(moments, default=None)


def weekday_dates(day):
    """The seven dates of the Monday-to-Sunday week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]
