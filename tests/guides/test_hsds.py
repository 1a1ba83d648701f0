"""The open-data endpoint: HSDS 3.0 JSON checked against the official schemas.

The schemas are the Open Referral specification's own files, vendored unmodified in
tests/data/hsds (README.md there says where from). They declare no $schema; the HSDS OpenAPI
file declares JSON Schema 2020-12 as its dialect, so that is the draft used. Their $refs
("attribute.json", and the OpenAPI file's absolute raw.githubusercontent.com addresses)
resolve through a referencing Registry holding the vendored files under their published
addresses: no test touches the network.
"""

import copy
import gzip
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from guides import hsds
from guides.models import OpeningHours, Place, Service, ServiceException
from tests.factories import (
    make_area,
    make_category,
    make_exception,
    make_organisation,
    make_place,
    make_service,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday.
NOON = datetime(2026, 11, 18, 12, 30, tzinfo=PARIS)
TODAY = NOON.date()
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "hsds" / "schema"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# The response schema of the HSDS API's GET /services: a Page whose contents are services.
PAGE_SCHEMA = SCHEMA_BASE + (
    "openapi.json#/paths/~1services/get/responses/200/content/application~1json/schema"
)


def _load(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _registry():
    resources = [
        (
            SCHEMA_BASE + path.relative_to(SCHEMA_DIR).as_posix(),
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted(SCHEMA_DIR.rglob("*.json"))
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def _validator(schema):
    return Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _strict(schema):
    """The schema with no property beyond HSDS's own but our x_ extensions.

    The specification's own example tests do the same (compiletojsonschema
    --set-additional-properties-false-everywhere): it catches a misspelt field name, which
    the open schemas would accept as an extension.
    """
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
                node["patternProperties"] = {"^x_": {}}
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


PAGE = _validator({"$ref": PAGE_SCHEMA})
SERVICE_COMPILED = _validator({"$ref": SCHEMA_BASE + "compiled/service_with_definitions.json"})
SERVICE_MODULAR = _validator({"$ref": SCHEMA_BASE + "service.json"})
SCHEDULE = _validator({"$ref": SCHEMA_BASE + "schedule.json"})
SERVICE_STRICT = _validator(_strict(_load("compiled/service_with_definitions.json")))


def _errors(validator, instance):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _schedules(node):
    """Every schedule object anywhere in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schedules":
                yield from value
            yield from _schedules(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schedules(value)


def _ids(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id" or key.endswith("_id"):
                yield value
            yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


def services_url(slug):
    return reverse("open_data_services", args=[slug])


def fetch(client, slug="calais", **headers):
    response = client.get(services_url(slug), **headers)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guide():
    """One area with a service that uses every mapping: places, recurrences, exceptions."""
    area = make_area(name="Calais", name_ar="كاليه", slug="calais")
    food = make_category(slug="food", name="Food", name_ar="طعام", name_fr="Nourriture")
    health = make_category(slug="health", name="Health")
    organisation = make_organisation(
        name="Secours Test",
        description="Helps people on the move.",
        description_ar="يساعد الناس",
        website="https://example.org/",
        email="contact@example.org",
        phone="+33 3 21 00 00 00",
        whatsapp="+33 6 00 00 00 00",
    )
    lamy = make_place(
        area,
        name="Rue Lamy",
        name_ar="شارع لامي",
        directions="Behind the church",
        address="Rue Lamy, 62100 Calais",
    )
    old = make_place(area, name="Old hall", address="somewhere near the port")
    new = make_place(area, name="New hall")
    old.status, old.moved_to = Place.Status.MOVED, new
    old.save()
    gone = make_place(area, name="Closed hangar", status=Place.Status.GONE)
    meal = make_service(
        area,
        organisation=organisation,
        title="Midday meal",
        title_ar="وجبة الغداء",
        description="Hot food for everyone.",
        eligibility="Everyone",
        fees="",
        cost=Service.Cost.FREE,
        access=Service.Access.UNCONDITIONAL,
        contact_note="Just come.",
        phone="03 21 19 66 09",
        whatsapp="+33 7 00 00 00 00",
        languages_spoken=["ar", "en", "dar"],
        last_verified=date(2026, 11, 1),
        categories=[food, health],
        places=[lamy, old, gone],
        hours=[
            {"weekday": 0, "opens": "12:00", "closes": "14:00", "place": lamy},
            {"weekday": 2, "opens": "12:00", "closes": "14:00", "place": lamy},
            {
                "weekday": 4,
                "opens": "22:00",
                "closes": "06:00",
                "recurrence": OpeningHours.Recurrence.EVERY_N_WEEKS,
                "interval_weeks": 2,
                "anchor_date": date(2026, 11, 20),
            },
            {
                "weekday": 6,
                "opens": "10:00",
                "closes": "12:00",
                "recurrence": OpeningHours.Recurrence.MONTHLY_NTH,
                "nth": -1,
                "closed_on_public_holidays": "yes",
                "valid_from": date(2026, 1, 1),
                "valid_until": date(2027, 6, 30),
            },
        ],
    )
    # Next Monday cancelled; the Wednesday after at other hours; the Monday after elsewhere.
    make_exception(meal, date(2026, 11, 23), ServiceException.Kind.CANCELLED, reason="Strike")
    make_exception(
        meal,
        date(2026, 11, 25),
        ServiceException.Kind.OTHER_HOURS,
        opens="11:00",
        closes="13:00",
        reason="Staff training",
        reason_ar="تدريب الموظفين",
    )
    make_exception(
        meal, date(2026, 11, 30), ServiceException.Kind.OTHER_PLACE, place=new, reason="Works"
    )
    # Past exceptions are history, not schedule.
    make_exception(meal, date(2026, 11, 16), ServiceException.Kind.CANCELLED)
    closed = make_service(
        area,
        organisation=organisation,
        title="Showers",
        status=Service.Status.TEMPORARILY_CLOSED,
        status_note="Broken boiler until December",
        status_note_ar="الغلاية معطلة",
        access=Service.Access.APPOINTMENT,
    )
    return {"area": area, "meal": meal, "closed": closed, "lamy": lamy, "new": new, "old": old}


def _service(document, service):
    found = [s for s in document["contents"] if s["id"] == hsds.stable_id("service", service.pk)]
    assert len(found) == 1
    return found[0]


@time_machine.travel(NOON, tick=False)
def test_services_document_validates_against_the_official_hsds_schemas(client, guide):
    document = fetch(client)
    assert _errors(PAGE, document) == []
    assert document["total_items"] == document["size"] == len(document["contents"]) == 2
    assert document["empty"] is False
    for service in document["contents"]:
        assert _errors(SERVICE_COMPILED, service) == []
        assert _errors(SERVICE_MODULAR, service) == []
        assert _errors(SERVICE_STRICT, service) == []
    schedules = list(_schedules(document))
    assert len(schedules) >= 6
    for entry in schedules:
        assert _errors(SCHEDULE, entry) == []


def test_the_validators_do_reject_what_hsds_forbids():
    """The checks above can fail: broken services are caught by the vendored schemas."""
    good = {"id": str(uuid.uuid4()), "name": "Meal", "status": "active"}
    assert _errors(SERVICE_MODULAR, good) == []
    assert _errors(SERVICE_MODULAR, {**good, "status": "open"})
    assert _errors(SERVICE_MODULAR, {**good, "id": "12"})
    bad_schedule = {"id": str(uuid.uuid4()), "freq": "DAILY"}
    assert _errors(SERVICE_MODULAR, {**good, "schedules": [bad_schedule]})
    assert _errors(SCHEDULE, bad_schedule)
    assert _errors(SERVICE_STRICT, {**good, "organisation": {}})
    assert _errors(SERVICE_STRICT, {**good, "x_translations": {}}) == []
    assert _errors(PAGE, {"total_items": "2", "contents": []})
    assert _errors(PAGE, {"total_items": 1, "contents": [{"id": "nope", "name": "x"}]})


@time_machine.travel(NOON, tick=False)
def test_service_carries_organisation_places_categories_and_languages(client, guide):
    service = _service(fetch(client), guide["meal"])
    assert service["name"] == "Midday meal"
    assert service["status"] == "active"
    assert service["assured_date"] == "2026-11-01"
    assert service["application_process"] == "Just come."
    assert service["url"].endswith(f"/en/calais/s/{guide['meal'].pk}/")
    assert service["organization"]["name"] == "Secours Test"
    assert service["organization"]["website"] == "https://example.org/"
    assert {p["type"] for p in service["organization"]["phones"]} == {"voice", "text"}
    assert [p["number"] for p in service["phones"]] == ["03 21 19 66 09", "+33 7 00 00 00 00"]
    assert service["cost_options"][0]["amount"] == 0
    assert service["cost_options"][0]["currency"] == "EUR"
    # Dari is "prs" in ISO 639-3: our "dar" would read as Dargwa.
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("ar", "Arabic"),
        ("en", "English"),
        ("prs", "Dari"),
    ]
    terms = [a["taxonomy_term"] for a in service["attributes"]]
    assert [t["code"] for t in terms] == ["food", "health", "unconditional"]
    assert terms[0]["taxonomy_detail"]["name"] == "Infobus guide categories"
    # The moved place shows as its new place; the gone place not at all.
    locations = {
        sal["location"]["name"]: sal["location"] for sal in service["service_at_locations"]
    }
    assert set(locations) == {"Rue Lamy", "New hall"}
    lamy = locations["Rue Lamy"]
    assert lamy["latitude"] == float(guide["lamy"].latitude)
    assert lamy["description"] == "Behind the church"
    assert lamy["addresses"] == [
        {
            "id": hsds.stable_id("address", guide["lamy"].pk),
            "address_1": "Rue Lamy",
            "city": "Calais",
            "state_province": "FR-62",
            "postal_code": "62100",
            "country": "FR",
            "address_type": "physical",
        }
    ]
    assert "addresses" not in locations["New hall"]


@time_machine.travel(NOON, tick=False)
def test_translations_extension_holds_each_language_written(client, guide):
    document = fetch(client)
    meal = _service(document, guide["meal"])
    assert meal["x_translations"]["name"] == {"en": "Midday meal", "ar": "وجبة الغداء"}
    # No fallback copies: a field nobody translated lists English only.
    assert meal["x_translations"]["description"] == {"en": "Hot food for everyone."}
    assert meal["organization"]["x_translations"]["description"]["ar"] == "يساعد الناس"
    lamy = next(
        sal["location"]
        for sal in meal["service_at_locations"]
        if sal["location"]["name"] == "Rue Lamy"
    )
    assert lamy["x_translations"]["name"] == {"en": "Rue Lamy", "ar": "شارع لامي"}
    food = meal["attributes"][0]["taxonomy_term"]
    assert food["x_translations"]["name"] == {"en": "Food", "fr": "Nourriture", "ar": "طعام"}
    training = next(s for s in _schedules(meal) if s.get("notes") == "Staff training")
    assert training["x_translations"]["notes"]["ar"] == "تدريب الموظفين"
    closed = _service(document, guide["closed"])
    assert closed["status"] == "temporarily closed"
    assert closed["alert"] == "Broken boiler until December"
    assert closed["x_translations"]["alert"]["ar"] == "الغلاية معطلة"


@time_machine.travel(NOON, tick=False)
def test_main_texts_fall_back_to_french_as_the_guide_does(client):
    area = make_area(slug="calais")
    make_service(area, title="", title_fr="Repas chaud", title_ar="وجبة")
    service = fetch(client)["contents"][0]
    assert service["name"] == "Repas chaud"
    assert service["x_translations"]["name"] == {"fr": "Repas chaud", "ar": "وجبة"}


@time_machine.travel(NOON, tick=False)
def test_schedules_carry_rrule_fields_for_each_recurrence(client, guide):
    meal = _service(fetch(client), guide["meal"])
    fortnightly = next(s for s in meal["schedules"] if s.get("interval") == 2)
    assert fortnightly["freq"] == "WEEKLY"
    assert fortnightly["byday"] == "FR"
    assert fortnightly["dtstart"] == "2026-11-20"
    # Paris wall-clock times, with the offset HSDS needs to read them right: winter, +01:00.
    assert (fortnightly["opens_at"], fortnightly["closes_at"]) == ("22:00+01:00", "06:00+01:00")
    assert fortnightly["timezone"] == 1
    assert "next day" in fortnightly["description"]
    assert fortnightly["x_timezone"] == "Europe/Paris"
    assert fortnightly["service_id"] == meal["id"]
    winter, summer = sorted(
        (s for s in meal["schedules"] if s["freq"] == "MONTHLY"), key=lambda s: s["valid_from"]
    )
    assert winter["byday"] == summer["byday"] == "-1SU"
    # Cut where the clocks next change (Sunday 28 March 2027): summer time is +02:00.
    assert (winter["valid_from"], winter["valid_to"]) == ("2026-01-01", "2027-03-27")
    assert (summer["valid_from"], summer["valid_to"]) == ("2027-03-28", "2027-06-30")
    assert (winter["opens_at"], winter["timezone"]) == ("10:00+01:00", 1)
    assert (summer["opens_at"], summer["timezone"]) == ("10:00+02:00", 2)
    assert winter["notes"] == "Closed on French public holidays."
    assert winter["description"] == "Sunday, 10:00–12:00, last Sunday of the month"


@time_machine.travel(NOON, tick=False)
def test_exceptions_cut_the_regular_schedule_around_the_changed_days(client, guide):
    meal = _service(fetch(client), guide["meal"])
    by_place = {sal["location"]["name"]: sal for sal in meal["service_at_locations"]}
    lamy = by_place["Rue Lamy"]
    mondays = sorted(
        (s.get("valid_from") or "", s.get("valid_to") or "")
        for s in lamy["schedules"]
        if s["byday"] == "MO" and not (s.get("valid_from") and s["valid_from"] == s.get("valid_to"))
    )
    # Monday 23 cancelled and Monday 30 elsewhere: the regular Monday stops and restarts.
    assert mondays == [
        ("", "2026-11-22"),
        ("2026-11-24", "2026-11-29"),
        ("2026-12-01", "2027-03-27"),
        ("2027-03-28", ""),
    ]
    wednesdays = sorted(
        (s.get("valid_from") or "", s.get("valid_to") or "")
        for s in lamy["schedules"]
        if s["byday"] == "WE"
    )
    assert ("", "2026-11-24") in wednesdays and ("2026-11-26", "2027-03-27") in wednesdays
    # Other hours that name no place stand where the Wednesday they replace was: Rue Lamy.
    other_hours = next(s for s in lamy["schedules"] if s.get("notes") == "Staff training")
    assert not [s for s in meal["schedules"] if s.get("notes") == "Staff training"]
    assert (other_hours["valid_from"], other_hours["valid_to"]) == ("2026-11-25", "2026-11-25")
    assert (other_hours["opens_at"], other_hours["closes_at"]) == ("11:00+01:00", "13:00+01:00")
    moved = by_place["New hall"]["schedules"]
    assert [(s["valid_from"], s["opens_at"], s["notes"]) for s in moved] == [
        ("2026-11-30", "12:00+01:00", "Works")
    ]
    # The cancelled day is a gap, not a schedule; past exceptions leave no trace.
    every = list(_schedules(meal))
    assert not any(s.get("valid_from") == "2026-11-23" for s in every)
    assert not any("2026-11-16" in (s.get("valid_from") or "") for s in every)


def _at_places(service):
    """[(place name, schedule)] of every schedule under the service's locations."""
    return [
        (sal["location"]["name"], schedule)
        for sal in service["service_at_locations"]
        for schedule in sal.get("schedules", [])
    ]


def _paris_times(occurrences):
    return [
        (occ.start.astimezone(PARIS).strftime("%H:%M"), getattr(occ.place, "name", None))
        for occ in occurrences
    ]


@time_machine.travel(NOON, tick=False)
def test_a_day_with_other_hours_and_another_place_reads_as_the_guide_reads_it(client):
    area = make_area(slug="calais")
    hall, other = make_place(area, name="Hall"), make_place(area, name="Other hall")
    wednesday = {"weekday": 2, "opens": "10:00", "closes": "12:00", "place": hall}
    service = make_service(area, title="Lessons", places=[hall], hours=[wednesday])
    day = date(2026, 11, 25)
    make_exception(
        service, day, ServiceException.Kind.OTHER_HOURS, opens="14:00", closes="15:00", place=hall
    )
    make_exception(service, day, ServiceException.Kind.OTHER_PLACE, place=other)

    exported = _at_places(fetch(client)["contents"][0])
    that_day = [
        (schedule["opens_at"], name)
        for name, schedule in exported
        if schedule.get("valid_from") == day.isoformat()
    ]
    assert _paris_times(service.occurrences_on(day)) == [("14:00", "Hall")]
    assert that_day == [("14:00+01:00", "Hall")]


@time_machine.travel(NOON, tick=False)
def test_every_n_weeks_from_an_anchor_still_to_come_keeps_the_openings_before_it(client):
    area = make_area(slug="calais")
    service = make_service(
        area,
        title="Haircuts",
        hours=[
            {
                "weekday": 5,
                "opens": "10:00",
                "closes": "12:00",
                "recurrence": OpeningHours.Recurrence.EVERY_N_WEEKS,
                "interval_weeks": 2,
                "anchor_date": date(2027, 1, 2),
            }
        ],
    )
    schedules = fetch(client)["contents"][0]["schedules"]

    first_opening = service.next_opening(NOON).start.astimezone(PARIS).date()
    assert first_opening == date(2026, 11, 21)  # the guide counts back from its anchor
    assert {s["dtstart"] for s in schedules} == {"2026-11-21"}
    assert {s["interval"] for s in schedules} == {2}


@time_machine.travel(NOON, tick=False)
def test_hours_and_changes_at_a_place_no_longer_used_are_not_published(client):
    area = make_area(slug="calais")
    gone = make_place(area, name="Closed hangar", status=Place.Status.GONE)
    hall = make_place(area, name="Hall")
    service = make_service(
        area,
        title="Clothes",
        places=[hall],
        hours=[
            {"weekday": 1, "opens": "10:00", "closes": "12:00", "place": gone},
            {"weekday": 3, "opens": "09:00", "closes": "11:00", "place": hall},
        ],
    )
    make_exception(
        service,
        date(2026, 11, 28),
        ServiceException.Kind.OTHER_HOURS,
        opens="14:00",
        closes="16:00",
        place=gone,
    )

    exported = fetch(client)["contents"][0]
    assert exported.get("schedules", []) == []
    assert {(name, s["byday"], s["opens_at"][:5]) for name, s in _at_places(exported)} == {
        ("Hall", "TH", "09:00")
    }


@time_machine.travel(NOON, tick=False)
def test_a_service_open_day_and_night_is_one_schedule_a_day_from_00_00_to_23_59(client):
    area = make_area(slug="calais")
    halves = [{"weekday": d, "opens": "00:00", "closes": "12:00"} for d in range(7)] + [
        {"weekday": d, "opens": "12:00", "closes": "00:00"} for d in range(7)
    ]
    make_service(area, title="Emergency department", hours=halves)

    winter = [s for s in fetch(client)["contents"][0]["schedules"] if s["timezone"] == 1]
    assert sorted(s["byday"] for s in winter) == sorted(hsds.RRULE_DAYS)
    assert {(s["opens_at"], s["closes_at"]) for s in winter} == {("00:00+01:00", "23:59+01:00")}
    monday = next(s for s in winter if s["byday"] == "MO")
    assert monday["description"] == "Monday, day and night"


@time_machine.travel(NOON, tick=False)
def test_one_day_changes_carry_the_offset_of_their_day_and_say_next_day(client):
    area = make_area(slug="calais")
    service = make_service(
        area, title="Night shelter", hours=[{"weekday": 3, "opens": "20:00", "closes": "08:00"}]
    )
    for day in (date(2026, 11, 26), date(2027, 4, 8)):
        make_exception(
            service, day, ServiceException.Kind.OTHER_HOURS, opens="21:00", closes="02:00"
        )

    changes = sorted(
        (s for s in fetch(client)["contents"][0]["schedules"] if s.get("until")),
        key=lambda s: s["valid_from"],
    )
    assert [(s["valid_from"], s["opens_at"], s["closes_at"], s["timezone"]) for s in changes] == [
        ("2026-11-26", "21:00+01:00", "02:00+01:00", 1),
        ("2027-04-08", "21:00+02:00", "02:00+02:00", 2),
    ]
    assert changes[0]["description"] == "Other hours on Thursday 2026-11-26: 21:00–02:00 (next day)"


@time_machine.travel(NOON, tick=False)
def test_a_category_named_only_in_french_is_a_french_term(client):
    area = make_area(slug="calais")
    lessons = make_category(slug="lessons", name="", name_fr="Cours de français")
    make_service(area, title="French class", categories=[lessons])

    (term,) = [
        attribute["taxonomy_term"]
        for attribute in fetch(client)["contents"][0]["attributes"]
        if attribute["taxonomy_term"]["taxonomy"] == hsds.CATEGORY_TAXONOMY["name"]
    ]
    assert (term["name"], term["language"]) == ("Cours de français", "fr")


def test_last_modified_moves_when_a_place_or_the_organisation_is_edited(client, guide):
    def last_modified():
        cache.clear()
        return _service(fetch(client), guide["meal"])["last_modified"]

    # Later than the guide was written (the fixture ran at the real time).
    later = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
    before = last_modified()
    with time_machine.travel(later, tick=False):
        guide["lamy"].name = "Rue Lamy (back gate)"
        guide["lamy"].save()
        after_place = last_modified()
    with time_machine.travel(later + timedelta(hours=1), tick=False):
        organisation = guide["meal"].organisation
        organisation.website = "https://example.org/new/"
        organisation.save()
        after_organisation = last_modified()

    assert before < after_place == "2030-01-15T09:00:00.000Z"
    assert after_organisation == "2030-01-15T10:00:00.000Z"


@time_machine.travel(NOON, tick=False)
def test_only_what_the_public_guide_lists_is_published(client, guide):
    area = guide["area"]
    make_service(area, title="Draft", is_published=False)
    make_service(area, title="Ended", status=Service.Status.ENDED)
    make_service(make_area(slug="dunkirk"), title="Elsewhere")
    names = {service["name"] for service in fetch(client)["contents"]}
    assert names == {"Midday meal", "Showers"}
    empty = fetch(client, "dunkirk")
    assert [s["name"] for s in empty["contents"]] == ["Elsewhere"]


@time_machine.travel(NOON, tick=False)
def test_empty_area_is_an_empty_page(client):
    make_area(slug="calais")
    document = fetch(client)
    assert _errors(PAGE, document) == []
    assert document["empty"] is True and document["contents"] == []


@time_machine.travel(NOON, tick=False)
def test_ids_are_uuids_that_stay_the_same_across_calls_and_edits(client, guide):
    first = fetch(client)
    cache.clear()
    guide["meal"].description = "Hot food, every day."
    guide["meal"].save()
    second = fetch(client)
    assert list(_ids(first)) == list(_ids(second))
    ids = [value for value in _ids(first) if value]
    assert all(uuid.UUID(value).version == 5 for value in ids)
    meal = _service(second, guide["meal"])
    assert meal["id"] == str(uuid.uuid5(hsds.NAMESPACE, f"service:{guide['meal'].pk}"))
    # An id names one object: the same id twice is the same thing (a shared taxonomy).
    objects = {}
    for entry in _schedules(second):
        assert objects.setdefault(entry["id"], entry) == entry


def test_unknown_area_answers_404_in_json_with_cors(client):
    response = client.get(services_url("nowhere"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "nowhere" in json.loads(response.content)["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


@time_machine.travel(NOON, tick=False)
def test_document_is_cached_with_etag_gzip_and_open_to_any_origin(client, guide):
    first = client.get(services_url("calais"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert first["Content-Type"] == "application/json"
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "creativecommons.org/licenses/by/4.0" in first["Link"]
    assert "public" in first["Cache-Control"]
    assert not first.cookies
    assert json.loads(gzip.decompress(first.content))["total_items"] == 2
    again = client.get(
        services_url("calais"), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    # A reader's language does not make another document.
    arabic = client.get(services_url("calais"), HTTP_ACCEPT_LANGUAGE="ar")
    plain = client.get(services_url("calais"))
    assert arabic.content == plain.content


@time_machine.travel(NOON, tick=False)
def test_document_changes_after_an_edit_and_at_midnight(client, guide):
    assert _service(fetch(client), guide["meal"])["name"] == "Midday meal"
    guide["meal"].title = "Lunch"
    guide["meal"].save()
    assert _service(fetch(client), guide["meal"])["name"] == "Lunch"
    with time_machine.travel(datetime(2026, 11, 24, 0, 0, 1, tzinfo=PARIS), tick=False):
        meal = _service(fetch(client), guide["meal"])
    # Monday the 23rd is past: its cut and the Strike are gone from the Monday schedule.
    mondays = [
        s for sal in meal["service_at_locations"] for s in sal["schedules"] if s["byday"] == "MO"
    ]
    assert not any(s.get("valid_to") == "2026-11-22" for s in mondays)


@pytest.mark.parametrize("count", [2, 20])
@time_machine.travel(NOON, tick=False)
def test_query_count_does_not_grow_with_the_guide(client, count, django_assert_max_num_queries):
    area = make_area(slug="big")
    food = make_category()
    for n in range(count):
        place = make_place(area, name=f"Place {n}", address=f"{n} rue X, 62100 Calais")
        service = make_service(
            area,
            organisation=make_organisation(),
            title=f"Service {n}",
            categories=[food],
            places=[place],
            hours=[
                {"weekday": d, "opens": "09:00", "closes": "17:00", "place": place}
                for d in range(7)
            ],
        )
        make_exception(
            service, TODAY + timedelta(days=1), ServiceException.Kind.OTHER_PLACE, place=place
        )
    cache.clear()
    with django_assert_max_num_queries(6):
        document = fetch(client, "big")
    assert document["total_items"] == count
    with django_assert_max_num_queries(1):  # cached: the area and its content version
        fetch(client, "big")


def test_index_lists_each_area_and_its_document(client):
    make_area(name="Calais", name_ar="كاليه", slug="calais")
    make_area(name="Dunkirk", slug="dunkirk")
    response = client.get(reverse("open_data"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    index = json.loads(response.content)
    assert index["version"] == "3.0"
    assert index["license"] == "https://creativecommons.org/licenses/by/4.0/"
    calais = next(area for area in index["areas"] if area["slug"] == "calais")
    assert calais["x_translations"]["name"]["ar"] == "كاليه"
    assert calais["services_url"] == "http://testserver/open-data/calais/services.json"
    assert client.get(calais["services_url"]).status_code == 200
    again = client.get(reverse("open_data"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
