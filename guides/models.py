"""The New Arrival Guide: areas, places, organisations, services and when they happen.

Fields that people read are translated with django-modeltranslation (see translation.py):
each gets one column per language, `title_ar`, `title_ti`, ...; `title` reads the active
language with the fallbacks from settings.
"""

import math
from datetime import UTC
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides import schedule
from infobus.lib.markdown import render_markdown


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,20}$",
    _("Enter a phone number of digits, spaces and an optional leading +, e.g. +33 3 21 19 66 09."),
)

LATITUDE_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


class Area(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in public web addresses."))
    centre_latitude = models.DecimalField(
        _("map centre latitude"), max_digits=8, decimal_places=6, validators=LATITUDE_VALIDATORS
    )
    centre_longitude = models.DecimalField(
        _("map centre longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS
    )
    zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=13, validators=[MinValueValidator(3), MaxValueValidator(19)]
    )
    radius_km = models.PositiveSmallIntegerField(
        _("radius (km)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Places must lie within this distance of the map centre."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Bumped by guides.signals on every content change: the public page cache is keyed on it,
    # and the area home shows it as the date the guide was last updated.
    content_changed_at = models.DateTimeField(_("content last changed"), default=timezone.now)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    def contains(self, latitude, longitude):
        """Whether a point lies in the box of radius_km around the map centre.

        A box, not a circle: it only has to catch swapped or mistyped coordinates.
        """
        lat0, lon0 = float(self.centre_latitude), float(self.centre_longitude)
        dlat = self.radius_km / 111.32
        dlon = self.radius_km / (111.32 * max(math.cos(math.radians(lat0)), 0.01))
        return abs(float(latitude) - lat0) <= dlat and abs(float(longitude) - lon0) <= dlon


class Category(models.Model):
    class Icon(models.TextChoices):
        FOOD = "food", _("Food")
        WATER = "water", _("Water")
        CLOTHES = "clothes", _("Clothes")
        SHOWER = "shower", _("Shower")
        SHELTER = "shelter", _("Shelter")
        HEALTH = "health", _("Health")
        LEGAL = "legal", _("Legal")
        CHARGE = "charge", _("Charging and wifi")
        LESSONS = "lessons", _("Lessons")
        FAMILY = "family", _("Women and children")
        EMERGENCY = "emergency", _("Emergency")
        INFO = "info", _("Information")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    icon = models.CharField(_("icon"), max_length=20, choices=Icon.choices, default=Icon.INFO)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, validators=[phone_validator]
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_own = models.BooleanField(
        _("this is the Info Bus"),
        default=False,
        help_text=_("Its services are shown as the bus's own sessions on the area home."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class PlaceQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(status=Place.Status.IN_USE)


class Place(models.Model):
    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        MOVED = "moved", _("Moved")
        GONE = "gone", _("Gone")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="places", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=150)
    directions = models.TextField(
        _("directions"),
        blank=True,
        help_text=_("How to find it, e.g. behind the Citadel, opposite the high school."),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_USE
    )
    moved_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("moved to"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if (
            self.area_id
            and self.latitude is not None
            and self.longitude is not None
            and not self.area.contains(self.latitude, self.longitude)
        ):
            errors["latitude"] = _(
                "This point is more than %(km)s km from the centre of %(area)s: "
                "check that latitude and longitude are not swapped or mistyped."
            ) % {"km": self.area.radius_km, "area": self.area}
        if self.status == self.Status.MOVED and not self.moved_to_id:
            errors["moved_to"] = _("Say where the place moved to.")
        if self.status != self.Status.MOVED and self.moved_to_id:
            errors["moved_to"] = _("Only a place that moved has a new place.")
        if self.moved_to_id and self.moved_to_id == self.pk:
            errors["moved_to"] = _("A place cannot move to itself.")
        if errors:
            raise ValidationError(errors)

    def in_use_or_moved_to(self):
        """Where a reader should go: this place if in use, the place in use it moved to, or
        None for a place no longer used."""
        if self.status == self.Status.IN_USE:
            return self
        if self.status == self.Status.MOVED and self.moved_to:
            return self.moved_to if self.moved_to.status == self.Status.IN_USE else None
        return None

    @property
    def geo_uri(self):
        """RFC 5870 link that opens the phone's own map app (which may have offline maps)."""
        return f"geo:{self.latitude},{self.longitude}?q={self.latitude},{self.longitude}"


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible(self):
        """What the public guide lists: published and not ended."""
        return self.published().exclude(status=Service.Status.ENDED)

    def in_area(self, area):
        return self.filter(area=area)

    def not_verified_since(self, days, *, today=None):
        today = today or timezone.localdate()
        cutoff = today - timezone.timedelta(days=days)
        return self.filter(
            models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=cutoff)
        )

    def with_schedule(self):
        """Prefetch what the schedule methods read, so a list costs a fixed number of queries."""
        return self.select_related("organisation", "area").prefetch_related(
            models.Prefetch("opening_hours", queryset=OpeningHours.objects.select_related("place")),
            models.Prefetch(
                "exceptions", queryset=ServiceException.objects.select_related("place")
            ),
            models.Prefetch("places", queryset=Place.objects.order_by("name")),
            "categories",
        )

    def occurrences_between(self, start, end):
        """Every opening of these services that overlaps [start, end), sorted by start.

        Computed in Python from prefetched rows: recurrence rules, holidays and exceptions do
        not reduce to SQL, and a guide has hundreds of services, not millions.
        """
        found = []
        for service in self.with_schedule():
            found.extend(service.occurrences_between(start, end))
        found.sort(key=lambda occ: (occ.start, occ.service.title))
        return found

    def scheduled_between(self, start, end):
        """The services of this queryset that open in [start, end), with their openings.

        Returns (services, occurrences), in three queries (see with_schedules_between).
        """
        services = self.with_schedules_between(start, end)
        found = []
        for service in services:
            found.extend(service.occurrences_between(start, end))
        found.sort(key=lambda occ: (occ.start, occ.service.title))
        return services, found

    def with_schedules_between(self, start, end):
        """The services that may open in [start, end), each with its hours, the window's
        exceptions and its places loaded, so their schedule methods run no query.

        Three queries whatever the number of services: opening hours and exceptions each
        bring their service along, and one more brings the places. A service with neither
        cannot open in the window.
        """
        first_day = schedule.local_date(start) - timezone.timedelta(days=1)
        last_day = schedule.local_date(end)
        hours = list(
            OpeningHours.objects.filter(service__in=self).select_related(
                "service__organisation", "place"
            )
        )
        changes = list(
            ServiceException.objects.filter(
                service__in=self, date__gte=first_day, date__lte=last_day
            ).select_related("service__organisation", "place")
        )
        services = {}
        for row in [*hours, *changes]:
            services.setdefault(row.service_id, row.service)
        links = Service.places.through.objects.filter(service_id__in=services).select_related(
            "place"
        )
        grouped = {pk: {"opening_hours": [], "exceptions": [], "places": []} for pk in services}
        for slot in hours:
            grouped[slot.service_id]["opening_hours"].append(slot)
        for change in changes:
            grouped[change.service_id]["exceptions"].append(change)
        for link in links:
            grouped[link.service_id]["places"].append(link.place)
        for pk, service in services.items():
            for name, rows in grouped[pk].items():
                _set_prefetched(service, name, rows)
        return list(services.values())

    def open_at(self, moment):
        # In UTC first: adding to a Paris time in the repeated autumn hour would drop its fold.
        moment = moment.astimezone(UTC)
        return self.occurrences_between(moment, moment + schedule.EPSILON)


def _set_prefetched(instance, name, rows):
    """Fill a relation's cache as prefetch_related would, from rows loaded another way."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = getattr(instance, "_prefetched_objects_cache", {})
    instance._prefetched_objects_cache[name] = queryset


class Service(models.Model):
    class Access(models.TextChoices):
        UNCONDITIONAL = "unconditional", _("Open to all, no appointment")
        APPOINTMENT = "appointment", _("By appointment")
        REFERRAL = "referral", _("By referral from another organisation")
        UNKNOWN = "unknown", _("Unknown")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        ENDED = "ended", _("Ended")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        PAID = "paid", _("Costs money")
        UNKNOWN = "unknown", _("Unknown")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="services", verbose_name=_("area")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organisation"),
    )
    categories = models.ManyToManyField(
        Category, related_name="services", verbose_name=_("categories")
    )
    places = models.ManyToManyField(
        Place,
        blank=True,
        related_name="services",
        verbose_name=_("places"),
        help_text=_("Leave empty for a mobile service with no fixed place."),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.CharField(
        _("who it is for"),
        max_length=250,
        blank=True,
        help_text=_("e.g. women and children only. Leave empty when it is open to everyone."),
    )
    access = models.CharField(
        _("access"), max_length=20, choices=Access.choices, default=Access.UNKNOWN
    )
    languages_spoken = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("Language codes, e.g. en, fr, ar."),
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.UNKNOWN)
    fees = models.CharField(
        _("fees"), max_length=200, blank=True, help_text=_("e.g. 1 euro per hour.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, validators=[phone_validator]
    )
    contact_note = models.CharField(_("how to get in touch"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_note = models.CharField(
        _("status note"),
        max_length=250,
        blank=True,
        help_text=_("Why it is closed and until when, shown before anything else."),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["area", "title"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.title

    def clean(self):
        codes = self.languages_spoken
        # JSON can hold anything: check the shape before treating items as codes.
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ValidationError(
                {"languages_spoken": _('Give a list of language codes, e.g. ["en", "ar"].')}
            )
        unknown = sorted(set(codes) - set(SPOKEN_LANGUAGE_CODES))
        if unknown:
            raise ValidationError(
                {"languages_spoken": _("Unknown language codes: %s") % ", ".join(unknown)}
            )

    @property
    def contact_phone(self):
        return self.phone or self.organisation.phone

    @property
    def contact_whatsapp(self):
        return self.whatsapp or self.organisation.whatsapp

    def weekly_hours(self, on=None):
        """[(weekday number, weekday name, [WeeklySlot])] for the days it has regular hours.

        Back-to-back slots of a day read as one (00:00–12:00 and 12:00–00:00: day and night).
        Slots whose validity ended before `on` (today) are past, not part of the timetable.
        """
        today = on or schedule.local_date(timezone.now())
        days = {}
        for slot in sorted(self.opening_hours.all(), key=lambda s: (s.weekday, s.opens)):
            if slot.valid_until and slot.valid_until < today:
                continue
            shown = schedule.WeeklySlot.of(slot)
            slots = days.setdefault(slot.weekday, [])
            if slots and slots[-1].continues_into(shown):
                slots[-1] = slots[-1].joined(shown)
            else:
                slots.append(shown)
        return [
            (day, OpeningHours.Weekday(day).label, slots) for day, slots in sorted(days.items())
        ]

    # Schedule: see guides/schedule.py for the rules.
    def occurrences_on(self, day):
        return schedule.service_occurrences_on(self, day)

    def occurrences_between(self, start, end):
        return schedule.service_occurrences_between(self, start, end)

    def is_open_at(self, moment):
        return schedule.service_is_open_at(self, moment)

    def next_opening(self, after):
        return schedule.service_next_opening(self, after)

    def current_or_next_occurrence(self, moment):
        return schedule.service_current_or_next(self, moment)


# Languages people may find spoken at a service: the guide's own plus common ones at the border.
SPOKEN_LANGUAGES = [
    *settings.LANGUAGES,
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("de", _("German")),
    ("kmr", _("Kurdish Kurmanji")),
    ("so", _("Somali")),
    ("sq", _("Albanian")),
    ("ha", _("Hausa")),
    ("sw", _("Swahili")),
    ("dar", _("Dari")),
]
SPOKEN_LANGUAGE_CODES = [code for code, _name in SPOKEN_LANGUAGES]


class OpeningHours(models.Model):
    # Where and on which days a slot recurs, apart from its weekday and times: two slots
    # alike in these follow one rule.
    RULE_FIELDS = (
        "place_id",
        "recurrence",
        "interval_weeks",
        "anchor_date",
        "nth",
        "valid_from",
        "valid_until",
        "closed_on_public_holidays",
    )

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        EVERY_N_WEEKS = "every_n_weeks", _("Every N weeks from an anchor date")
        MONTHLY_NTH = "monthly_nth", _("The nth weekday of the month")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("service")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(
        _("closes"), help_text=_("A closing time before the opening time means past midnight.")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_hours",
        verbose_name=_("place"),
        help_text=_("Where this slot happens, when the service moves between places."),
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("every N weeks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(8)],
    )
    anchor_date = models.DateField(
        _("anchor date"),
        null=True,
        blank=True,
        help_text=_("One date on which it happens, for every N weeks."),
    )
    nth = models.SmallIntegerField(
        _("nth weekday of the month"),
        null=True,
        blank=True,
        choices=[
            (1, _("first")),
            (2, _("second")),
            (3, _("third")),
            (4, _("fourth")),
            (-1, _("last")),
        ],
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed_on_public_holidays = models.CharField(
        _("closed on French public holidays"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )

    class Meta:
        ordering = ["service", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        errors = {}
        if self.opens is not None and self.opens == self.closes:
            errors["closes"] = _("Closing time must differ from opening time.")
        if self.recurrence == self.Recurrence.EVERY_N_WEEKS:
            if not self.interval_weeks:
                errors["interval_weeks"] = _("Say every how many weeks (2 to 8).")
            if not self.anchor_date:
                errors["anchor_date"] = _("Give one date on which it happens.")
            elif self.weekday is not None and self.anchor_date.weekday() != self.weekday:
                errors["anchor_date"] = _("The anchor date must fall on the slot's weekday.")
        elif self.recurrence == self.Recurrence.MONTHLY_NTH and not self.nth:
            errors["nth"] = _("Say which weekday of the month (first, second, ... last).")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity is before its start.")
        if errors:
            raise ValidationError(errors)

    def recurrence_label(self):
        """How often, in the reader's language; empty for every week."""
        if self.recurrence == self.Recurrence.EVERY_N_WEEKS and self.interval_weeks:
            return ngettext("every %(n)s week", "every %(n)s weeks", self.interval_weeks) % {
                "n": self.interval_weeks
            }
        if self.recurrence == self.Recurrence.MONTHLY_NTH:
            return _("%(nth)s %(weekday)s of the month") % {
                "nth": self.get_nth_display(),
                "weekday": self.get_weekday_display(),
            }
        return ""

    @property
    def overnight(self):
        return self.closes <= self.opens

    def occurs_on(self, day):
        return schedule.slot_occurs_on(self, day)


class ServiceException(models.Model):
    """A dated change to a service's regular hours: cancelled, other hours, another place."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Cancelled that day")
        OTHER_HOURS = "other_hours", _("Other hours that day")
        OTHER_PLACE = "other_place", _("Another place that day")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("service")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exceptions",
        verbose_name=_("place"),
    )
    reason = models.CharField(_("reason"), max_length=250, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self):
        return f"{self.date}: {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.OTHER_HOURS:
            if self.opens is None:
                errors["opens"] = _("Give the opening time for that day.")
            if self.closes is None:
                errors["closes"] = _("Give the closing time for that day.")
            if self.opens is not None and self.opens == self.closes:
                errors["closes"] = _("Closing time must differ from opening time.")
        elif self.opens is not None or self.closes is not None:
            errors["opens"] = _("Times are only given for 'other hours'.")
        if self.kind == self.Kind.OTHER_PLACE and not self.place_id:
            errors["place"] = _("Say where it happens that day.")
        if self.kind == self.Kind.CANCELLED and self.place_id:
            errors["place"] = _("A cancelled day has no place.")
        if errors:
            raise ValidationError(errors)


class AlertQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at)
        )


class Alert(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Danger")

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("area")
    )
    message = models.TextField(_("message"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.INFO
    )
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("The alert disappears by itself after this.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self):
        return self.message[:60]

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An alert must end after it starts.")})

    def is_active(self, at=None):
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


class InfoPageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class InfoPage(models.Model):
    class Topic(models.TextChoices):
        ASYLUM_FRANCE = "asylum_france", _("Asylum in France")
        ASYLUM_UK = "asylum_uk", _("Asylum in the UK")
        POLICE = "police", _("Rights with the police")
        DETENTION = "detention", _("Detention")
        MINORS = "minors", _("Minors")
        HEALTH = "health", _("Health")
        PHONES = "phones", _("Phones and data")
        # Printed on the back of the booklet (guides/printed.py), as well as listed online.
        EMERGENCY = "emergency", _("Emergency numbers")

    slug = models.SlugField(_("slug"), unique=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: **bold**, *italic*, lists, headings, links. HTML is shown as typed, "
            "never run."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InfoPageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("info page")
        verbose_name_plural = _("info pages")

    def __str__(self):
        return self.title

    def body_html(self):
        return render_markdown(self.body)


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(handled_at__isnull=True)


class Report(models.Model):
    """An anonymous "Is this wrong?" note from a reader, queued for volunteers.

    It holds no personal data: no name, no contact, no address; the free text is guided
    not to contain any.
    """

    class Problem(models.TextChoices):
        CLOSED = "closed", _("It is closed")
        MOVED = "moved", _("It has moved")
        TIMES = "times", _("The times are different")
        OTHER = "other", _("Something else")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="reports", verbose_name=_("service")
    )
    problem = models.CharField(_("what is wrong"), max_length=10, choices=Problem.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    language = models.CharField(_("reader's language"), max_length=10)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report from a reader")
        verbose_name_plural = _("reports from readers")

    def __str__(self):
        return f"{self.service}: {self.get_problem_display()}"


def navigation(language, *, area=None, now=None):
    """Categories, published info pages and the area's alerts for the area home, in one query.

    Returns (categories, pages, alerts). Categories and pages are dicts with slug, name,
    mark (icon or topic) and the language the name is written in: the reader's, else English,
    then French. Alerts are Alert objects (not ended at `now`) with the texts a reader of
    `language` may be shown. One UNION keeps the area home within six queries.
    """
    codes = list(dict.fromkeys([language, "en", "fr"]))
    no_time = Cast(models.Value(None), models.DateTimeField())

    def columns(queryset, kind, slug, mark, order, name, starts=no_time, ends=no_time):
        # Every branch gets the same aliases in the same order, so UNION lines them up.
        aliases = {"k": models.Value(kind), "s": slug, "m": F(mark), "o": order}
        aliases.update({"t1": starts, "t2": ends})
        aliases.update({f"n{i}": F(f"{name}_{code}") for i, code in enumerate(codes)})
        # A plain QuerySet: modeltranslation's reorders the SELECT list per branch.
        plain = models.QuerySet(queryset.model).filter(pk__in=queryset.values("pk"))
        return plain.order_by().annotate(**aliases).values(*aliases)

    rows = columns(Category.objects.all(), "c", F("slug"), "icon", F("order"), "name").union(
        columns(InfoPage.objects.published(), "p", F("slug"), "topic", F("order"), "title"),
        all=True,
    )
    if area is not None:
        not_ended = Q(ends_at__isnull=True) | Q(ends_at__gt=now or timezone.now())
        alerts = Alert.objects.filter(not_ended, area=area)
        rows = rows.union(
            columns(
                alerts,
                "a",
                Cast("id", models.CharField()),
                "severity",
                models.Value(0),
                "message",
                F("starts_at"),
                F("ends_at"),
            ),
            all=True,
        )
    found = {"c": [], "p": [], "a": []}
    for row in rows:
        names = [row[f"n{i}"] for i in range(len(codes))]
        if row["k"] == "a":
            texts = {f"message_{code}": text for code, text in zip(codes, names, strict=True)}
            found["a"].append(
                Alert(
                    id=int(row["s"]),
                    area=area,
                    severity=row["m"],
                    starts_at=row["t1"],
                    ends_at=row["t2"],
                    **texts,
                )
            )
            continue
        name, source = next(
            ((text, code) for text, code in zip(names, codes, strict=True) if text), ("", language)
        )
        found[row["k"]].append(
            {
                "slug": row["s"],
                "mark": row["m"],
                "order": row["o"],
                "name": name,
                "language": source,
            }
        )
    found["c"].sort(key=lambda row: (row["order"], row["slug"]))
    found["p"].sort(key=lambda row: (row["order"], row["slug"]))
    found["a"].sort(key=lambda alert: alert.starts_at, reverse=True)
    return found["c"], found["p"], found["a"]


# --- Translation tracking ------------------------------------------------------------------
# Which translations match the English they were made from. A hash of the normalised English,
# never a timestamp: an edit that changes nothing a translator reads (whitespace, a re-save)
# leaves every translation up to date. The rules are in guides/translation_status.py, the
# workflows that write these rows in guides/services.py.


class TranslationStateQuerySet(models.QuerySet):
    def for_objects(self, objects):
        """The states of these objects, all of one model."""
        objects = list(objects)
        if not objects:
            return self.none()
        content_type = ContentType.objects.get_for_model(type(objects[0]))
        return self.filter(content_type=content_type, object_id__in=[obj.pk for obj in objects])

    def for_object(self, obj):
        return self.for_objects([obj])

    def translations(self):
        """Rows about a translation, not about the English source."""
        return self.exclude(language=settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


class TranslationState(models.Model):
    """What one translated text was made from: one row per object, field and language.

    For a translation, `source_hash` is the hash of the English it translates; the text is
    outdated when that no longer matches the English. The English row (language "en") records
    when the source itself last changed, for the "updated in English on" note. No row for a
    translation that has text means nobody vouched for it: it counts as needing review.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of text")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=50)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    source_hash = models.CharField(
        _("hash of the English"),
        max_length=64,
        help_text=_("SHA-256 of the normalised English text this row was recorded against."),
    )
    needs_review = models.BooleanField(_("draft, needs review"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = TranslationStateQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field", "language"]
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_state_per_text",
            )
        ]
        indexes = [models.Index(fields=["language", "content_type"], name="translation_state_lang")]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} {self.field} [{self.language}]"


class TranslatorProfile(models.Model):
    """The languages a member of the translator group translates into."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="translator_profile",
        verbose_name=_("user"),
    )
    languages = models.JSONField(
        _("translates into"),
        default=list,
        blank=True,
        help_text=_("Language codes, e.g. ar, fa. English is the source and cannot be chosen."),
    )

    class Meta:
        verbose_name = _("translator languages")
        verbose_name_plural = _("translator languages")

    def __str__(self):
        return f"{self.user}: {', '.join(self.languages)}"

    def clean(self):
        codes = self.languages
        targets = [
            code
            for code, _name in settings.LANGUAGES
            if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        ]
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ValidationError({"languages": _('Give a list of language codes, e.g. ["ar"].')})
        unknown = sorted(set(codes) - set(targets))
        if unknown:
            raise ValidationError(
                {"languages": _("Not a language of the guide: %s") % ", ".join(unknown)}
            )
        # Stored in the order of settings.LANGUAGES, so every list of them reads the same.
        self.languages = [code for code in targets if code in codes]


class TranslationImport(models.Model):
    """One uploaded file of translations: checked, previewed, then applied whole or not at all.

    `changes` keeps every text the file changes (id, old and new text, state), so who
    imported what stays on record after the file itself is gone.
    """

    class Format(models.TextChoices):
        XLIFF = "xliff", "XLIFF 2.0"
        PO = "po", "PO (gettext)"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, waiting to be applied")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="translation_imports",
        verbose_name=_("imported by"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file_format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("translation import")
        verbose_name_plural = _("translation imports")

    def __str__(self):
        return f"{self.filename} [{self.language}] {self.get_status_display()}"


# Deleting a translated object deletes its states (admin, inlines, the demo loader alike).
for _translated_model in (
    Area,
    Category,
    Organisation,
    Place,
    Service,
    ServiceException,
    Alert,
    InfoPage,
):
    _translated_model.add_to_class("translation_states", GenericRelation(TranslationState))


# --- Monthly editions of the printed guide ---------------------------------------------------
# A coordinator publishes the month's booklet (guides.services.publish_edition): every area in
# every language is rendered once and frozen, so what was handed out in December can still be
# read, unchanged, after the guide has moved on.


def edition_file_path(instance, filename):
    return f"editions/{instance.edition.month:%Y-%m}/{filename}"


class Edition(models.Model):
    month = models.DateField(
        _("month"), unique=True, help_text=_("The first day of the month the edition is for.")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="edition_month_first_day")
        ]

    def __str__(self):
        return self.month.strftime("%Y-%m")

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("An edition is for a month: give its first day.")})


class EditionFile(models.Model):
    """One frozen PDF of an edition: an area in a language, as it was at publication."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="files", verbose_name=_("edition")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="edition_files", verbose_name=_("area")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    pdf = models.FileField(_("PDF"), upload_to=edition_file_path, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    percent_complete = models.PositiveSmallIntegerField(
        _("translated (%)"),
        validators=[MaxValueValidator(100)],
        help_text=_("Texts of this booklet up to date in its language when it was published."),
    )
    outdated_texts = models.PositiveIntegerField(_("outdated texts"), default=0)
    behind = models.BooleanField(
        _("translation behind"),
        default=False,
        help_text=_("Its cover says so and points to the French and English editions."),
    )

    class Meta:
        ordering = ["edition", "area", "language"]
        verbose_name = _("edition file")
        verbose_name_plural = _("edition files")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "area", "language"], name="one_edition_file_per_language"
            )
        ]

    def __str__(self):
        return f"{self.edition} {self.area.slug} [{self.language}]"

    @property
    def filename(self):
        return pdf_filename(self.area, self.language, self.edition.month)


def pdf_filename(area, language, month):
    """infobus-calais-ar-2026-12.pdf: what a reader's phone saves the booklet as."""
    return f"infobus-{area.slug}-{language}-{month:%Y-%m}.pdf"
