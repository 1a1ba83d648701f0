"""Load the demo New Arrival Guide, and with DEBUG on, one staff account per role.

The data lives in guides/demo_data.py. Running the command again updates the same rows in
place: areas and categories are matched on slug, organisations on name, places on English
name and area, services on English title and area, alerts on English message and area,
info pages on slug. A demo service's opening hours and exceptions are made to match the
data exactly: rows the data no longer has are deleted.
"""

import secrets
from collections import Counter
from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from guides import demo_data, services
from guides.models import (
    Alert,
    Area,
    Category,
    InfoPage,
    OpeningHours,
    Organisation,
    Place,
    Service,
    ServiceException,
    TranslatorProfile,
)
from infobus.roles import needs_two_factor, sync_roles
from infobus.two_factor import services as two_factor

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

# (username, group, superuser): one account per role, for trying the back office.
DEMO_ACCOUNTS = [
    ("volunteer", "volunteer", False),
    ("translator_ar", "translator", False),
    ("phone_team", "phone_team", False),
    ("coordinator", "coordinator", False),
    ("admin", "admin", True),
]
# The languages each demo translator translates into.
DEMO_TRANSLATOR_LANGUAGES = {"translator_ar": ["ar"]}

SLOT_FIELDS = ["weekday", "opens", "closes", *OpeningHours.RULE_FIELDS]
EXCEPTION_FIELDS = ["date", "kind", "opens", "closes", "place_id"]


class Command(BaseCommand):
    help = (
        "Load the demo guide for Calais and Grande-Synthe (idempotent: a second run updates "
        "the same rows). With DEBUG on, also sync the role groups and (re)create one staff "
        "account per role with a new random password, printed here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change, then roll everything back. Creates no accounts.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            tally = load_demo_guide(now=now)
            accounts = []
            if settings.DEBUG and not dry_run:
                sync_roles()
                accounts = reset_demo_accounts()
            counts = summary(at=now)
            if dry_run:
                transaction.set_rollback(True)

        self.stdout.write(self.style.SUCCESS(counts))
        changes = ", ".join(f"{n} {what}" for what, n in sorted(tally.items())) or "nothing"
        prefix = "Dry run, rolled back. Would have: " if dry_run else "Rows: "
        self.stdout.write(prefix + changes + ".")

        if dry_run:
            return
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts were created.")
            return
        self.stdout.write("Demo accounts (DEBUG is on; new passwords on every run):")
        for username, group, password, second_factor in accounts:
            self.stdout.write(f"  {username:<14} {password}  (group {group})")
            if second_factor:
                key, codes = second_factor
                self.stdout.write(f"  {'':<14} two-factor key: {key}")
                self.stdout.write(f"  {'':<14} backup codes: {' '.join(codes)}")
        if any(second_factor for *_rest, second_factor in accounts):
            self.stdout.write(
                "Accounts that see personal data ask for a second factor: add the key to an "
                "authenticator app (time-based), or use a backup code once."
            )


def load_demo_guide(*, now):
    """Write the demo data and return a Counter of rows created, updated, unchanged, deleted.

    Texts are written in English context so the untranslated columns hold the source text.
    Every row is validated with full_clean() before it is saved.
    """
    today = timezone.localdate(now)
    tally = Counter()
    with translation.override(SOURCE_LANGUAGE):
        areas = {
            item["slug"]: _upsert(
                Area,
                {"slug": item["slug"]},
                {
                    **_texts("name", item["name"]),
                    "centre_latitude": Decimal(item["centre_latitude"]),
                    "centre_longitude": Decimal(item["centre_longitude"]),
                    "zoom": item["zoom"],
                    "radius_km": item["radius_km"],
                    "order": item["order"],
                },
                tally,
            )
            for item in demo_data.AREAS
        }
        categories = {
            item["slug"]: _upsert(
                Category,
                {"slug": item["slug"]},
                {**_texts("name", item["name"]), "icon": item["icon"], "order": item["order"]},
                tally,
            )
            for item in demo_data.CATEGORIES
        }
        organisations = {
            item["name"]: _upsert(
                Organisation,
                {"name": item["name"]},
                {
                    **_texts("description", item.get("description", {})),
                    "phone": item.get("phone", ""),
                    "whatsapp": item.get("whatsapp", ""),
                    "website": item.get("website", ""),
                    "is_own": item.get("is_own", False),
                },
                tally,
            )
            for item in demo_data.ORGANISATIONS
        }
        places = _load_places(areas, tally)
        for item in demo_data.SERVICES:
            _load_service(item, areas, organisations, categories, places, today, tally)
        for item in demo_data.ALERTS:
            _upsert(
                Alert,
                {"area": areas[item["area"]], "message_en": item["message"]["en"]},
                {
                    **_texts("message", item["message"]),
                    "severity": item["severity"],
                    "starts_at": now - timedelta(hours=item["starts_hours_ago"]),
                    "ends_at": now + timedelta(days=item["ends_in_days"]),
                },
                tally,
            )
        for item in demo_data.INFO_PAGES:
            _upsert(
                InfoPage,
                {"slug": item["slug"]},
                {
                    **_texts("title", item["title"]),
                    **_texts("body", item["body"]),
                    "topic": item["topic"],
                    "order": item["order"],
                    "is_published": item["is_published"],
                },
                tally,
            )
    # The demo's translations are its own, made from its English: record them as up to date.
    services.track_existing_translations()
    return tally


def _load_places(areas, tally):
    places = {}
    # A place that moved points at its new place, which must exist first.
    for item in sorted(demo_data.PLACES, key=lambda item: bool(item.get("moved_to"))):
        area = areas[item["area"]]
        places[item["key"]] = _upsert(
            Place,
            {"area": area, "name_en": item["name"]["en"]},
            {
                **_texts("name", item["name"]),
                **_texts("directions", item.get("directions", {})),
                "address": item.get("address", ""),
                "latitude": Decimal(item["latitude"]),
                "longitude": Decimal(item["longitude"]),
                "status": item.get("status", Place.Status.IN_USE),
                "moved_to": places[item["moved_to"]] if item.get("moved_to") else None,
            },
            tally,
        )
    return places


def _load_service(item, areas, organisations, categories, places, today, tally):
    area = areas[item["area"]]
    verified = item.get("verified_days_ago")
    service = _upsert(
        Service,
        {"area": area, "title_en": item["title"]["en"]},
        {
            **{
                name: value
                for field in (
                    "title",
                    "description",
                    "eligibility",
                    "fees",
                    "contact_note",
                    "status_note",
                )
                for name, value in _texts(field, item.get(field, {})).items()
            },
            "organisation": organisations[item["organisation"]],
            "access": item["access"],
            "cost": item["cost"],
            "languages_spoken": item["languages_spoken"],
            "phone": item.get("phone", ""),
            "whatsapp": item.get("whatsapp", ""),
            "status": item.get("status", Service.Status.ACTIVE),
            "last_verified": today - timedelta(days=verified) if verified is not None else None,
            "is_published": item.get("is_published", True),
        },
        tally,
    )
    service.categories.set([categories[slug] for slug in item["categories"]])
    service.places.set([places[key] for key in item["places"]])

    slots = [_slot(service, spec, places, today) for spec in item["hours"]]
    _sync_children(service.opening_hours.all(), slots, SLOT_FIELDS, [], tally)
    changes = [_exception(service, spec, places, today) for spec in item.get("exceptions", [])]
    reason_fields = [f"reason_{code}" for code in LANGUAGE_CODES]
    _sync_children(service.exceptions.all(), changes, EXCEPTION_FIELDS, reason_fields, tally)


def _slot(service, spec, places, today):
    spec = dict(spec)
    place_key = spec.pop("place", None)
    if spec.pop("season", None) == "winter":
        spec["valid_from"], spec["valid_until"] = winter_season(today)
    return OpeningHours(
        service=service,
        place=places[place_key] if place_key else None,
        opens=_clock(spec.pop("opens")),
        closes=_clock(spec.pop("closes")),
        **spec,
    )


def _exception(service, spec, places, today):
    return ServiceException(
        service=service,
        date=upcoming(today, spec["weekday"], weeks_ahead=spec["weeks_ahead"]),
        kind=spec["kind"],
        opens=_clock(spec["opens"]) if "opens" in spec else None,
        closes=_clock(spec["closes"]) if "closes" in spec else None,
        place=places[spec["place"]] if "place" in spec else None,
        **_texts("reason", spec.get("reason", {})),
    )


def _sync_children(existing, desired, key_fields, update_fields, tally):
    """Make a service's rows match `desired`: keep equal ones, update, create, delete the rest.

    Rows are matched on `key_fields`; `update_fields` are copied onto a kept row.
    """

    def key(row):
        return tuple(getattr(row, name) for name in key_fields)

    leftovers = {}
    for row in existing:
        leftovers.setdefault(key(row), []).append(row)
    for row in desired:
        matches = leftovers.get(key(row))
        label = type(row).__name__
        if not matches:
            row.full_clean()
            row.save()
            tally[f"{label} created"] += 1
            continue
        kept = matches.pop()
        if any(getattr(kept, name) != getattr(row, name) for name in update_fields):
            for name in update_fields:
                setattr(kept, name, getattr(row, name))
            kept.full_clean()
            kept.save()
            tally[f"{label} updated"] += 1
        else:
            tally[f"{label} unchanged"] += 1
    for rows in leftovers.values():
        for row in rows:
            row.delete()
            tally[f"{type(row).__name__} deleted"] += 1


def _upsert(model, lookup, values, tally):
    """Find the row by its natural key, or make it; save it only if something differs."""
    obj = model.objects.filter(**lookup).first()
    label = model.__name__
    if obj is None:
        obj = model(**lookup)
        verb = "created"
    elif any(getattr(obj, name) != value for name, value in values.items()):
        verb = "updated"
    else:
        tally[f"{label} unchanged"] += 1
        return obj
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    tally[f"{label} {verb}"] += 1
    return obj


def _texts(field, texts):
    """The per-language columns of a translated field, every language set.

    A language with no text is stored as NULL so readers get the fallback; the source
    language column is never NULL, an empty text is "".
    """
    unknown = set(texts) - set(LANGUAGE_CODES)
    if unknown:
        raise ValueError(f"{field}: unknown language codes {sorted(unknown)}")
    return {
        f"{field}_{code}": texts.get(code) or ("" if code == SOURCE_LANGUAGE else None)
        for code in LANGUAGE_CODES
    }


def _clock(text):
    return time.fromisoformat(text)


def upcoming(today, weekday, *, weeks_ahead=0):
    """The first `weekday` after today, plus `weeks_ahead` weeks: always in the future."""
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days + 7 * weeks_ahead)


def winter_season(today):
    """1 November to 31 March: the winter under way, or the next one from April on."""
    first_year = today.year if today.month >= 4 else today.year - 1
    return date(first_year, 11, 1), date(first_year + 1, 3, 31)


def reset_demo_accounts():
    """Create or update one staff account per role, each with a fresh random password.

    Returns (username, group, password, second factor) for each account; the second factor
    is (authenticator key, backup codes) for an account that needs one, else None. Only
    called with DEBUG on.
    """
    accounts = []
    for username, group_name, superuser in DEMO_ACCOUNTS:
        user, _created = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.is_superuser = superuser
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=group_name)])
        if username in DEMO_TRANSLATOR_LANGUAGES:
            TranslatorProfile.objects.update_or_create(
                user=user, defaults={"languages": DEMO_TRANSLATOR_LANGUAGES[username]}
            )
        second_factor = None
        if needs_two_factor(user):
            device, codes = two_factor.demo_app(user=user)
            second_factor = (two_factor.readable_key(device), codes)
        accounts.append((username, group_name, password, second_factor))
    return accounts


def summary(*, at):
    """One line of counts, to see at a glance what the guide holds."""
    services = Service.objects.all()
    pages = InfoPage.objects.all()
    counts = [
        f"{Area.objects.count()} areas",
        f"{Category.objects.count()} categories",
        f"{Organisation.objects.count()} organisations",
        f"{Place.objects.count()} places",
        f"{services.published().count()} published services of {services.count()}",
        f"{OpeningHours.objects.count()} opening-hours slots",
        f"{ServiceException.objects.filter(date__gte=timezone.localdate(at)).count()} "
        "exceptions ahead",
        f"{Alert.objects.active(at).count()} active alerts of {Alert.objects.count()}",
        f"{pages.published().count()} published info pages of {pages.count()}",
    ]
    per_area = ", ".join(
        f"{area.name}: {services.published().in_area(area).count()}" for area in Area.objects.all()
    )
    return "Guide: " + ", ".join(counts) + f". Published services per area: {per_area}."
