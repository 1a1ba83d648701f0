"""The guide as Open Referral HSDS 3.0 JSON, so other maps and directories can reuse it.

Plain functions from our models to HSDS objects (dicts ready for json.dumps); the endpoint
that serves them is guides/open_data_views.py and the format is documented for reusers in
docs/open-data.md. What maps to what:

- Service -> service; its Organisation -> the nested organization; its places (and the
  places its hours and exceptions name) -> service_at_locations, each with its location.
- OpeningHours -> schedules (RFC 5545 RRULE fields), on the service_at_location of the slot's
  place, or on the service when the slot names none. Dated exceptions follow the HSDS
  guidance on exceptional schedules: the regular schedule is cut around the changed day and
  a one-day schedule gives that day's other hours or other place. A cancelled day is a gap.
- Categories (and access: no appointment, appointment, referral) -> attributes holding a
  taxonomy_term of our own small taxonomies; cost "free" -> a cost_option of 0 EUR.
- languages_spoken -> languages (ISO 639 codes).

Main texts are English, or French where no English exists (the guide's own fallback). The
texts in every language of the guide are in `x_translations`, an extension HSDS allows
("additional properties", docs/hsds/extending.md upstream): {hsds_field: {language: text}}.
Wall-clock times are Paris time. HSDS reads a time without an offset as UTC, so every time
carries the offset in force (10:00+01:00) and `timezone` says it in hours; a regular schedule
is cut at the next change of clocks, the document being rebuilt every day. `x_timezone`
names the zone.

Ids are UUIDs derived (uuid5) from a fixed namespace and our primary keys: the same row
keeps the same id on every call and every server, with nothing stored.
"""

import copy
import functools
import re
import uuid
from datetime import UTC, time, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from guides import schedule
from guides.models import (
    SPOKEN_LANGUAGES,
    OpeningHours,
    Place,
    Service,
    ServiceException,
)

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
# Never change it: every published id is derived from it.
NAMESPACE = uuid.UUID("3bf45aa5-beb7-426d-90f6-449ad023fe8d")
SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
GUIDE_LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The order a text missing in English is looked for, as the public guide reads it.
MAIN_LANGUAGES = list(
    dict.fromkeys([SOURCE_LANGUAGE, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]])
)
TIMEZONE = settings.TIME_ZONE
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Written in English whatever the reader's language: HSDS main values are English, and these
# descriptions sit beside RRULE fields that say the same thing for machines.
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NTH_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
# Our code "dar" means Dari, whose ISO 639-3 code is "prs" ("dar" is Dargwa).
ISO_639_CODES = {"dar": "prs"}
SERVICE_STATUS = {
    Service.Status.ACTIVE: "active",
    Service.Status.TEMPORARILY_CLOSED: "temporarily closed",
    Service.Status.ENDED: "defunct",
}
# "Rue Lamy, 62100 Calais": the form the guide's addresses are typed in.
FRENCH_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{5})\s+(?P<city>\S.*)$")

CATEGORY_TAXONOMY = {
    "key": "categories",
    "name": "Infobus guide categories",
    "description": "The categories the Infobus guide sorts services into.",
}
ACCESS_TAXONOMY = {
    "key": "access",
    "name": "Infobus access",
    "description": "How a person gets the service: open to all, by appointment or by referral.",
}


def stable_id(kind, *parts):
    """The HSDS id of one of our rows (or of something derived from rows)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)])))


def main_text(obj, field):
    """The text HSDS gets as the main value: English, else the guide's fallback language."""
    return main_text_and_language(obj, field)[0]


def main_text_and_language(obj, field):
    """(text, language code) of the main value; ("", English) when there is none."""
    for code in MAIN_LANGUAGES:
        text = getattr(obj, f"{field}_{code}", "") or ""
        if text:
            return text, code
    return "", SOURCE_LANGUAGE


def translations(obj, fields):
    """{hsds_field: {language: text}} for every language holding a text of its own.

    `fields` maps HSDS field names to our translated fields. No fallbacks: a language is
    listed only when a translator (or the editor, for English and French) wrote its text.
    """
    found = {}
    for hsds_field, field in fields.items():
        texts = {}
        for code in GUIDE_LANGUAGES:
            text = getattr(obj, f"{field}_{code}", "") or ""
            if text:
                texts[code] = text
        if texts:
            found[hsds_field] = texts
    return found


def _compact(data, keep=()):
    """Leave out empty optional values: an absent field says "not known" in HSDS."""
    return {
        key: value for key, value in data.items() if key in keep or value not in (None, "", [], {})
    }


def _translated(data, obj, fields, keep=()):
    # Names and descriptions right after the id, where a reader of the JSON looks first.
    mains = {hsds: main_text(obj, field) for hsds, field in fields.items()}
    data = _compact({"id": data["id"], **mains, **data}, keep)
    texts = translations(obj, fields)
    if texts:
        data["x_translations"] = texts
    return data


def _utc_timestamp(moment):
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clock(value):
    return value.strftime("%H:%M")


def utc_offset(day):
    """Paris's offset from UTC on a day, in whole hours (1 in winter, 2 in summer)."""
    local = schedule.wall_clock(day, time(12)).astimezone(schedule.local_zone())
    return int(local.utcoffset().total_seconds() // 3600)


@functools.lru_cache(maxsize=16)
def next_offset_change(today):
    """The first day after `today` whose offset differs: when the clocks next change."""
    offset = utc_offset(today)
    for days in range(1, 370):
        day = today + timedelta(days=days)
        if utc_offset(day) != offset:
            return day
    return None  # a zone without summer time


def _clock_at(value, offset):
    """HH:MM with its UTC offset, as HSDS asks: 10:00+01:00."""
    sign = "+" if offset >= 0 else "-"
    return f"{_clock(value)}{sign}{abs(offset):02d}:00"


# --- Objects ---------------------------------------------------------------------------------


def phones(owner, kind):
    """A service's or organisation's phone and WhatsApp numbers as HSDS phones."""
    found = []
    if owner.phone:
        found.append(
            {"id": stable_id(f"{kind}_phone", owner.pk), "number": owner.phone, "type": "voice"}
        )
    if owner.whatsapp:
        found.append(
            {
                "id": stable_id(f"{kind}_whatsapp", owner.pk),
                "number": owner.whatsapp,
                # RFC 6350 has no type for a messaging app; "text" is the nearest.
                "type": "text",
                "description": "WhatsApp",
            }
        )
    return found


def organization_object(organisation):
    data = {
        "id": stable_id("organisation", organisation.pk),
        "name": organisation.name,
        "email": organisation.email,
        "website": organisation.website,
        "phones": phones(organisation, "organisation"),
    }
    # HSDS requires a description, even an empty one.
    return _translated(data, organisation, {"description": "description"}, keep={"description"})


def address_object(place):
    """The place's address, when it reads as "street, postcode city"; else None.

    state_province (required by HSDS) is the département's ISO 3166-2 code, which French
    postcodes begin with: FR-62 for 62100 Calais.
    """
    match = FRENCH_ADDRESS.match(place.address.strip())
    if not match:
        return None
    postcode = match["postcode"]
    if postcode.startswith(("97", "98")):
        department = postcode[:3]
    elif postcode.startswith("20"):
        # Corsica's two départements share the 20 prefix: name the collectivity instead.
        department = "20R"
    else:
        department = postcode[:2]
    return {
        "id": stable_id("address", place.pk),
        "address_1": match["street"],
        "city": match["city"],
        "state_province": f"FR-{department}",
        "postal_code": postcode,
        "country": "FR",
        "address_type": "physical",
    }


def location_object(place):
    data = {
        "id": stable_id("place", place.pk),
        "location_type": "physical",
        "latitude": float(place.latitude),
        "longitude": float(place.longitude),
    }
    address = address_object(place)
    if address:
        data["addresses"] = [address]
    return _translated(data, place, {"name": "name", "description": "directions"})


def shown_place(place):
    """Where a reader should go: the place if in use, the new place if it moved, else None."""
    return place.in_use_or_moved_to() if place is not None else None


def _day_and_night(slot):
    return slot.opens == slot.closes


def _slot_description(slot):
    if _day_and_night(slot):
        text = f"{DAY_NAMES[slot.weekday]}, day and night"
    else:
        text = f"{DAY_NAMES[slot.weekday]}, {_clock(slot.opens)}–{_clock(slot.closes)}"
    if slot.overnight and not _day_and_night(slot):
        text += " (next day)"
    if slot.recurrence == OpeningHours.Recurrence.EVERY_N_WEEKS and slot.interval_weeks:
        text += f", every {slot.interval_weeks} weeks"
    elif slot.recurrence == OpeningHours.Recurrence.MONTHLY_NTH and slot.nth:
        text += f", {NTH_NAMES[slot.nth]} {DAY_NAMES[slot.weekday]} of the month"
    return text


def _first_on_or_after(slot, day):
    """The first opening of an every-N-weeks slot on or after `day`."""
    period = timedelta(weeks=slot.interval_weeks)
    steps = -((slot.anchor_date - day) // period)  # whole periods from the anchor, rounded up
    return slot.anchor_date + steps * period


def _rrule(slot, today):
    day = RRULE_DAYS[slot.weekday]
    if slot.recurrence == OpeningHours.Recurrence.EVERY_N_WEEKS:
        # RFC 5545 counts the weeks of an interval from dtstart, and has nothing before it;
        # the guide counts from its anchor both ways. An anchor still to come is moved back
        # to the first opening from the slot's start (or today) on, so none is lost.
        start = slot.anchor_date
        if start and slot.interval_weeks:
            since = max(filter(None, [slot.valid_from, today]))
            if start > since:
                start = _first_on_or_after(slot, since)
        return {
            "freq": "WEEKLY",
            "interval": slot.interval_weeks,
            "byday": day,
            "dtstart": start.isoformat() if start else None,
        }
    if slot.recurrence == OpeningHours.Recurrence.MONTHLY_NTH:
        return {"freq": "MONTHLY", "interval": 1, "byday": f"{slot.nth}{day}"}
    return {"freq": "WEEKLY", "interval": 1, "byday": day}


def _pieces(slot, changed_days):
    """[(valid_from, valid_to)] of a slot, cut around the days an exception changes.

    HSDS has no way to say "not on this date": its guidance ends the regular schedule the day
    before and starts it again the day after.
    """
    skipped = sorted(day for day in changed_days if schedule.slot_occurs_on(slot, day))
    pieces, start = [], slot.valid_from
    for day in skipped:
        end = day - timedelta(days=1)
        if start is None or start <= end:
            pieces.append((start, end))
        start = day + timedelta(days=1)
    if start is None or slot.valid_until is None or start <= slot.valid_until:
        pieces.append((start, slot.valid_until))
    return pieces


def _offset_pieces(pieces, today):
    """[(valid_from, valid_to, UTC offset)]: each piece cut where the clocks next change."""
    change = next_offset_change(today)
    found = []
    for start, end in pieces:
        if change and (start is None or start < change) and (end is None or end >= change):
            found.append((start, change - timedelta(days=1), utc_offset(change - timedelta(1))))
            found.append((change, end, utc_offset(change)))
        else:
            # Wholly before the change or wholly after it: the offset of its days to come, or
            # of its last day when all are past.
            day = end if end is not None and end < today else max(start or today, today)
            found.append((start, end, utc_offset(day)))
    return found


def regular_schedules(slot, changed_days, today):
    notes = ""
    if slot.closed_on_public_holidays == "yes":
        notes = "Closed on French public holidays."
    # HSDS's guidance for a service open round the clock: 00:00 to 23:59.
    closes = time(23, 59) if _day_and_night(slot) else slot.closes
    found = []
    for valid_from, valid_to, offset in _offset_pieces(_pieces(slot, changed_days), today):
        # The first piece keeps the slot's own id; a piece after a changed day is new.
        if valid_from == slot.valid_from:
            schedule_id = stable_id("opening_hours", slot.pk)
        else:
            schedule_id = stable_id("opening_hours", slot.pk, valid_from.isoformat())
        data = {
            "id": schedule_id,
            "valid_from": valid_from.isoformat() if valid_from else None,
            "valid_to": valid_to.isoformat() if valid_to else None,
            "wkst": "MO",
            **_rrule(slot, today),
            "opens_at": _clock_at(slot.opens, offset),
            "closes_at": _clock_at(closes, offset),
            "timezone": offset,
            "description": _slot_description(slot),
            "notes": notes,
            "x_timezone": TIMEZONE,
        }
        found.append(_compact(data))
    return found


def exception_schedule(schedule_id, exception, opens, closes, what):
    """A one-day schedule for a day with other hours or at another place."""
    day = exception.date
    description = (
        f"{what} on {DAY_NAMES[day.weekday()]} {day.isoformat()}: {_clock(opens)}–{_clock(closes)}"
    )
    if closes <= opens:
        description += " (next day)"
    offset = utc_offset(day)
    data = {
        "id": schedule_id,
        "valid_from": day.isoformat(),
        "valid_to": day.isoformat(),
        "dtstart": day.isoformat(),
        "until": day.isoformat(),
        "wkst": "MO",
        "freq": "WEEKLY",
        "byday": RRULE_DAYS[day.weekday()],
        "opens_at": _clock_at(opens, offset),
        "closes_at": _clock_at(closes, offset),
        "timezone": offset,
        "description": description,
        "x_timezone": TIMEZONE,
    }
    return _translated(data, exception, {"notes": "reason"})


def usable_place(place):
    """(True, where to go) for no place or a place in use (or moved to one); (False, None)
    for a place no longer used: what happens there is not published."""
    shown = shown_place(place)
    return (place is None or shown is not None), shown


def _joined_slots(slots):
    """The slots, with back-to-back ones of the same day, place and recurrence joined: the
    guide shows 00:00–12:00 and 12:00–00:00 as one opening, day and night."""
    joined = []
    for slot in sorted(slots, key=lambda s: (s.weekday, s.opens, s.pk)):
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.weekday == slot.weekday
            and last.closes == slot.opens
            and last.opens != last.closes
            and _same_rule(last, slot)
        ):
            last.closes = slot.closes
        else:
            joined.append(copy.copy(slot))
    return joined


def _same_rule(a, b):
    return all(getattr(a, name) == getattr(b, name) for name in OpeningHours.RULE_FIELDS)


def schedules_by_place(service, today):
    """[(place or None, schedule)] for a service's hours and upcoming exceptions.

    Reads the prefetched opening_hours and exceptions (only the exceptions to show: see
    services_for_area). A day's changes are read as the public guide reads them
    (schedule.service_occurrences_on): a cancellation wins over everything, other hours over
    another place. Other hours that name no place stand where the openings they replace
    were.
    """
    exceptions = list(service.exceptions.all())
    changed_days = {exc.date for exc in exceptions}
    slots = [slot for slot in service.opening_hours.all() if usable_place(slot.place)[0]]
    found = []
    for slot in _joined_slots(slots):
        place = shown_place(slot.place)
        found.extend((place, data) for data in regular_schedules(slot, changed_days, today))
    for day in sorted(changed_days):
        changes = [exc for exc in exceptions if exc.date == day]
        if any(exc.kind == ServiceException.Kind.CANCELLED for exc in changes):
            continue
        replaced = [slot for slot in slots if schedule.slot_occurs_on(slot, day)]
        other_hours = [exc for exc in changes if exc.kind == ServiceException.Kind.OTHER_HOURS]
        for exc in other_hours:
            usable, place = usable_place(exc.place)
            if not usable:
                continue
            if exc.place is not None:
                where = [place]
            else:
                where = list({shown_place(s.place): None for s in replaced}) or [None]
            for target in where:
                parts = [exc.pk] if len(where) == 1 else [exc.pk, getattr(target, "pk", "")]
                data = exception_schedule(
                    stable_id("service_exception", *parts),
                    exc,
                    exc.opens,
                    exc.closes,
                    "Other hours",
                )
                found.append((target, data))
        if other_hours:
            continue
        moved = next(
            (exc for exc in changes if exc.kind == ServiceException.Kind.OTHER_PLACE), None
        )
        usable, place = usable_place(moved.place) if moved else (False, None)
        if not usable:
            continue
        for slot in replaced:
            data = exception_schedule(
                stable_id("service_exception", moved.pk, slot.pk),
                moved,
                slot.opens,
                slot.closes,
                "At another place",
            )
            found.append((place, data))
    return found


def taxonomy_detail(taxonomy):
    return {
        "id": stable_id("taxonomy", taxonomy["key"]),
        "name": taxonomy["name"],
        "description": taxonomy["description"],
    }


def attribute(service_id, attribute_id, term):
    return {
        "id": attribute_id,
        "link_id": service_id,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def category_term(category):
    term = {
        "id": stable_id("category", category.pk),
        "code": category.slug,
        "taxonomy": CATEGORY_TAXONOMY["name"],
        "taxonomy_id": stable_id("taxonomy", CATEGORY_TAXONOMY["key"]),
        "taxonomy_detail": taxonomy_detail(CATEGORY_TAXONOMY),
        # The language of the name given: French where no English name was written.
        "language": main_text_and_language(category, "name")[1],
    }
    term = _translated(term, category, {"name": "name"}, keep={"name"})
    # HSDS requires a description; a category is described by its name.
    term["description"] = f"Infobus guide category: {term['name']}"
    return term


def access_term(access):
    label = str(Service.Access(access).label)
    return {
        "id": stable_id("access", access),
        "code": access,
        "name": label,
        "description": label,
        "taxonomy": ACCESS_TAXONOMY["name"],
        "taxonomy_id": stable_id("taxonomy", ACCESS_TAXONOMY["key"]),
        "taxonomy_detail": taxonomy_detail(ACCESS_TAXONOMY),
        "language": SOURCE_LANGUAGE,
    }


def language_objects(service):
    names = {code: str(name) for code, name in SPOKEN_LANGUAGES}
    return [
        {
            "id": stable_id("service_language", service.pk, code),
            "name": names.get(code, code),
            "code": ISO_639_CODES.get(code, code),
        }
        for code in service.languages_spoken or []
    ]


def service_object(service, *, today, url=None):
    """One fully nested HSDS service as of `today`; reads only prefetched relations
    (services_for_area)."""
    service_id = stable_id("service", service.pk)
    organisation = service.organisation
    locations = {}
    for place in service.places.all():
        place = shown_place(place)
        if place is not None:
            locations.setdefault(place.pk, place)
    service_schedules, located = [], {}
    for place, data in schedules_by_place(service, today):
        if place is None:
            service_schedules.append({**data, "service_id": service_id})
        else:
            locations.setdefault(place.pk, place)
            located.setdefault(place.pk, []).append(data)
    at_locations = []
    for place in sorted(locations.values(), key=lambda p: (main_text(p, "name"), p.pk)):
        link_id = stable_id("service_at_location", service.pk, place.pk)
        location = location_object(place)
        entry = {
            "id": link_id,
            "service_id": service_id,
            "location_id": location["id"],
            "location": location,
            "schedules": [
                {**data, "service_at_location_id": link_id} for data in located.get(place.pk, [])
            ],
        }
        at_locations.append(_compact(entry))
    attributes = [
        attribute(service_id, stable_id("service_category", service.pk, c.pk), category_term(c))
        for c in service.categories.all()
    ]
    if service.access != Service.Access.UNKNOWN:
        attributes.append(
            attribute(
                service_id, stable_id("service_access", service.pk), access_term(service.access)
            )
        )
    cost_options = []
    if service.cost == Service.Cost.FREE:
        cost_options.append(
            {"id": stable_id("service_cost", service.pk), "amount": 0, "currency": "EUR"}
        )
    data = {
        "id": service_id,
        "organization_id": stable_id("organisation", organisation.pk),
        "url": url,
        "status": SERVICE_STATUS[service.status],
        "assured_date": service.last_verified.isoformat() if service.last_verified else None,
        # HSDS: when the service "or any related information about the service" changed.
        "last_modified": _utc_timestamp(
            max(
                service.updated_at,
                organisation.updated_at,
                *(place.updated_at for place in locations.values()),
            )
        ),
        "organization": organization_object(organisation),
        "phones": phones(service, "service"),
        "schedules": service_schedules,
        "service_at_locations": at_locations,
        "languages": language_objects(service),
        "cost_options": cost_options,
        "attributes": attributes,
    }
    fields = {
        "name": "title",
        "description": "description",
        "eligibility_description": "eligibility",
        "fees_description": "fees",
        "application_process": "contact_note",
    }
    # The status note explains a closure; on an active service it would be stale.
    if service.status != Service.Status.ACTIVE:
        fields["alert"] = "status_note"
    return _translated(data, service, fields, keep={"name"})


# --- Reads -----------------------------------------------------------------------------------


def services_for_area(area, *, today):
    """What the public guide lists for an area, with all service_object reads: six queries
    with the area's, whatever the number of services."""
    places = Place.objects.select_related("moved_to")
    return (
        Service.objects.visible()
        .in_area(area)
        .select_related("organisation")
        .prefetch_related(
            "categories",
            Prefetch("places", queryset=places),
            Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.select_related("place__moved_to").order_by(
                    "weekday", "opens", "pk"
                ),
            ),
            Prefetch(
                "exceptions",
                queryset=ServiceException.objects.filter(date__gte=today)
                .select_related("place__moved_to")
                .order_by("date", "pk"),
            ),
        )
        .order_by("pk")
    )


def services_page(area, *, today, service_url=None):
    """The HSDS API's /services answer for an area: one Page holding every service.

    One page: an area has at most a few hundred services, and one cached document is
    cheaper to serve and to mirror than a paginated walk.
    """
    with translation.override(SOURCE_LANGUAGE):
        contents = [
            service_object(service, today=today, url=service_url(service) if service_url else None)
            for service in services_for_area(area, today=today)
        ]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
