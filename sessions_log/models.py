"""Sessions at the bus sites and the monthly report: see issue "Sessions log".

A site is where the bus stops; it points to a place of the guide, so that moving it after an
eviction moves the guide's place too (sessions_log.services.move_site), and its history of
places is kept (SitePlace). A session is one stop of the bus at a site on a date, held or
cancelled, with approximate figures that hold no personal data: counts and totals only.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sessions_log.units import GB, format_size

# A 4G gateway moves a few tens of GB in a session (11 GB in two hours for 40 people was a
# busy one); more than this is a typo in the unit (900 GB for 900 MB), not a session.
MAX_SESSION_DATA_BYTES = 200 * GB
# Nearly 2,000 people live around Calais; a session reaches up to a few hundred.
MAX_PEOPLE_PER_SESSION = 1500
MAX_DEVICES_PER_SESSION = 3000
MAX_TEAM_SIZE = 60
MAX_GENERATOR_HOURS = Decimal("24")

NO_NAMES = _(
    "No names, nationalities, phone numbers or descriptions of people: what happened, not who."
)


class Site(models.Model):
    """Where the bus stops, e.g. "BMX / Stadium"; its place in the guide changes on a move."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    place = models.ForeignKey(
        "guides.Place",
        on_delete=models.PROTECT,
        related_name="bus_sites",
        verbose_name=_("place in the guide"),
        help_text=_("Where the bus stops now. Change it with “Move the site”, never by hand."),
    )
    usual_start = models.TimeField(
        _("usual start"), null=True, blank=True, help_text=_("Fills in the session form.")
    )
    usual_end = models.TimeField(_("usual end"), null=True, blank=True)
    is_active = models.BooleanField(
        _("visited now"),
        default=True,
        help_text=_("Untick when the bus no longer goes there; its sessions stay in reports."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name

    def clean(self):
        if self.usual_start and self.usual_end and self.usual_end <= self.usual_start:
            raise ValidationError({"usual_end": _("The usual end must come after the start.")})

    def place_on(self, day):
        """The guide place the site was at on `day`, from its history (None before it)."""
        for row in self.place_history.all():
            if row.since <= day and (row.until is None or day < row.until):
                return row.place
        return None


class SitePlace(models.Model):
    """One stretch of time a site spent at one place: [since, until), until empty for now."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="place_history", verbose_name=_("site")
    )
    place = models.ForeignKey(
        "guides.Place",
        on_delete=models.PROTECT,
        related_name="bus_site_history",
        verbose_name=_("place"),
    )
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Not included."))
    note = models.CharField(_("why it moved"), max_length=200, blank=True, help_text=NO_NAMES)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "since", "pk"]
        verbose_name = _("place of a site")
        verbose_name_plural = _("places of a site")
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(until__isnull=True),
                name="sessions_log_one_current_place_per_site",
                violation_error_message=_("A site is at one place at a time."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("since")),
                name="sessions_log_site_place_until_after_since",
                violation_error_message=_("A site leaves a place after it arrived there."),
            ),
        ]

    def __str__(self):
        return f"{self.site}: {self.place} ({self.since}–{self.until or ''})"


# The figures a cancelled session cannot have: nobody came to a session that did not happen.
ATTENDANCE_FIELDS = (
    "people_present",
    "women_space_users",
    "phones_charged",
    "devices_connected",
    "peak_devices",
    "data_down_bytes",
    "data_up_bytes",
    "generator_hours",
)
COUNT_FIELDS = (
    "people_present",
    "women_space_users",
    "team_size",
    "phones_charged",
    "devices_connected",
    "peak_devices",
    "data_down_bytes",
    "data_up_bytes",
    "generator_hours",
)
COUNT_LIMITS = {
    "people_present": MAX_PEOPLE_PER_SESSION,
    "women_space_users": MAX_PEOPLE_PER_SESSION,
    "phones_charged": MAX_DEVICES_PER_SESSION,
    "devices_connected": MAX_DEVICES_PER_SESSION,
    "peak_devices": MAX_DEVICES_PER_SESSION,
    "team_size": MAX_TEAM_SIZE,
    "generator_hours": MAX_GENERATOR_HOURS,
}


class SessionQuerySet(models.QuerySet):
    def between(self, first_day, last_day):
        """Sessions on the days first_day..last_day, both included."""
        return self.filter(date__gte=first_day, date__lte=last_day)


class Session(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelReason(models.TextChoices):
        POLICE = "police", _("Police")
        EVICTION = "eviction", _("Eviction")
        WEATHER = "weather", _("Weather")
        VEHICLE = "vehicle", _("Vehicle")
        TEAM = "team", _("Not enough team")
        OTHER = "other", _("Other")

    class WifiSource(models.TextChoices):
        NONE = "", _("Not recorded")
        TYPED = "typed", _("Typed in")
        CSV = "csv", _("Gateway client list (CSV)")
        API = "api", _("Meraki dashboard")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("site")
    )
    date = models.DateField(_("date"))
    planned_start = models.TimeField(_("planned start"))
    planned_end = models.TimeField(_("planned end"))
    actual_start = models.TimeField(_("actual start"), null=True, blank=True)
    actual_end = models.TimeField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("held or cancelled"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=10, choices=CancelReason.choices, blank=True
    )

    # Approximate counts: a volunteer's estimate at the end of the session.
    people_present = models.IntegerField(_("people present (about)"), null=True, blank=True)
    women_space_users = models.IntegerField(
        _("people using the women's space"), null=True, blank=True
    )
    team_size = models.IntegerField(_("team size"), null=True, blank=True)
    phones_charged = models.IntegerField(_("phones charged (about)"), null=True, blank=True)
    generator_hours = models.DecimalField(
        _("generator hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    # Wifi: totals only, from the gateway or typed in. Never a device's address or name.
    devices_connected = models.IntegerField(_("devices connected"), null=True, blank=True)
    peak_devices = models.IntegerField(_("most devices at once"), null=True, blank=True)
    data_down_bytes = models.BigIntegerField(_("data downloaded"), null=True, blank=True)
    data_up_bytes = models.BigIntegerField(_("data uploaded"), null=True, blank=True)
    wifi_source = models.CharField(
        _("wifi figures from"),
        max_length=5,
        choices=WifiSource.choices,
        blank=True,
        default=WifiSource.NONE,
    )

    incidents = models.TextField(_("incidents"), blank=True, help_text=NO_NAMES)
    notes = models.TextField(_("notes"), blank=True, help_text=NO_NAMES)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    ATTENDANCE_FIELDS = ATTENDANCE_FIELDS
    COUNT_FIELDS = COUNT_FIELDS
    COUNT_LIMITS = COUNT_LIMITS

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-planned_start", "site"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "date", "planned_start"],
                name="sessions_log_one_session_per_site_and_start",
                violation_error_message=_(
                    "This session is already recorded: find it in the list to change it."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
                    name=f"sessions_log_session_{name}_not_negative",
                    violation_error_message=_("Counts cannot be negative."),
                )
                for name in COUNT_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(status="held", cancel_reason="")
                | Q(status="cancelled", actual_start__isnull=True, actual_end__isnull=True)
                & ~Q(cancel_reason=""),
                name="sessions_log_session_reason_only_when_cancelled",
                violation_error_message=_(
                    "A cancelled session has a reason and no times; a held one has no reason."
                ),
            ),
        ]
        indexes = [models.Index(fields=["date", "site"])]

    def __str__(self):
        return f"{self.site} · {self.date:%Y-%m-%d} {self.planned_start:%H:%M}"

    @property
    def is_held(self):
        return self.status == self.Status.HELD

    @property
    def data_total_bytes(self):
        if self.data_down_bytes is None and self.data_up_bytes is None:
            return None
        return (self.data_down_bytes or 0) + (self.data_up_bytes or 0)

    def window(self):
        """(start, end) as aware datetimes in the local time zone: the actual times of a held
        session, the planned ones otherwise. What the wifi figures are read for."""
        start = self.actual_start or self.planned_start
        end = self.actual_end or self.planned_end
        zone = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.date, start), zone),
            timezone.make_aware(datetime.combine(self.date, end), zone),
        )

    def clean(self):
        """Refuse what cannot be true, with a message that says what to check."""
        errors = {}

        def refuse(field, message):
            errors.setdefault(field, []).append(message)

        if self.date and self.date > timezone.localdate():
            refuse("date", _("This date is in the future: record a session once it has happened."))
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            refuse("planned_end", _("The planned end must come after the planned start."))
        if self.actual_start and self.actual_end and self.actual_end <= self.actual_start:
            refuse(
                "actual_end",
                _("The session ends before it starts: check the actual start and end times."),
            )

        for name in self.COUNT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            label = self._meta.get_field(name).verbose_name
            limit = self.COUNT_LIMITS.get(name)
            if value < 0:
                refuse(name, _("%(field)s cannot be negative.") % {"field": capfirst(label)})
            elif limit is not None and value > limit:
                refuse(
                    name,
                    _("%(value)s is more than %(limit)s: check the figure.")
                    % {"value": value, "limit": limit},
                )

        if self.status == self.Status.CANCELLED:
            if not self.cancel_reason:
                refuse("cancel_reason", _("Say why the session was cancelled."))
            if self.actual_start or self.actual_end:
                refuse(
                    "actual_start", _("A cancelled session has no actual times: leave them empty.")
                )
            recorded = [
                name
                for name in self.ATTENDANCE_FIELDS
                if getattr(self, name) and name not in errors
            ]
            for name in recorded:
                refuse(
                    name,
                    _(
                        "The session was cancelled, so nobody used it: leave this empty, "
                        "or mark the session as held."
                    ),
                )
        else:
            if self.cancel_reason:
                refuse("cancel_reason", _("Only a cancelled session has a reason."))
            if self.actual_start is None:
                refuse("actual_start", _("Give the time the session started."))
            if self.actual_end is None:
                refuse("actual_end", _("Give the time the session ended."))
            if self.people_present is None and "people_present" not in errors:
                refuse("people_present", _("Give an estimate of how many people came."))

        if (
            self.peak_devices is not None
            and self.devices_connected is not None
            and self.peak_devices > self.devices_connected
            and "peak_devices" not in errors
        ):
            refuse(
                "peak_devices",
                _(
                    "The most devices at once (%(peak)s) cannot be more than the devices "
                    "connected over the session (%(devices)s)."
                )
                % {"peak": self.peak_devices, "devices": self.devices_connected},
            )
        if (
            self.women_space_users is not None
            and self.people_present is not None
            and self.women_space_users > self.people_present
            and "women_space_users" not in errors
        ):
            refuse(
                "women_space_users",
                _("More people in the women's space than people present: check both figures."),
            )
        total = self.data_total_bytes
        if total is not None and total > MAX_SESSION_DATA_BYTES and "data_down_bytes" not in errors:
            refuse(
                "data_down_bytes",
                _(
                    "%(total)s in one session is more than the gateway can move (at most "
                    "%(limit)s): check the unit, MB or GB."
                )
                % {"total": format_size(total), "limit": format_size(MAX_SESSION_DATA_BYTES)},
            )
        if errors:
            raise ValidationError(errors)


class WifiImport(models.Model):
    """The wifi totals read for a session, from the gateway's client list or the dashboard.

    Totals only: the client list it was read from is never stored, nor any address or name.
    The latest import's figures are the session's.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="wifi_imports", verbose_name=_("session")
    )
    source = models.CharField(
        _("source"),
        max_length=5,
        choices=[c for c in Session.WifiSource.choices if c[0] in ("csv", "api")],
    )
    devices = models.PositiveIntegerField(_("devices"))
    peak_devices = models.PositiveIntegerField(_("most devices at once"), null=True, blank=True)
    data_down_bytes = models.PositiveBigIntegerField(_("data downloaded"))
    data_up_bytes = models.PositiveBigIntegerField(_("data uploaded"))
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_outside = models.PositiveIntegerField(
        _("rows outside the session"),
        default=0,
        help_text=_("Devices seen only before or after the session, left out."),
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("wifi import")
        verbose_name_plural = _("wifi imports")

    def __str__(self):
        return f"{self.session}: {self.get_source_display()}"


class MonthlyReportNote(models.Model):
    """The month's paragraph as edited before it is sent, one per month and language."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.TextField(_("text"), help_text=NO_NAMES)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    updated_at = models.DateTimeField(_("edited"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        # save_report_note saves through update_or_create, which cannot carry _history_user.
        get_user=lambda instance, **kwargs: instance.updated_by,
    )

    class Meta:
        ordering = ["-year", "-month", "language"]
        verbose_name = _("monthly report text")
        verbose_name_plural = _("monthly report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "language"], name="sessions_log_one_note_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="sessions_log_note_month_valid"
            ),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d} ({self.language})"
