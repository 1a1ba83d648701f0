"""Repairs, battery orders, donated phones and stock: see issue "Phones".

What we keep about the people whose phones we repair is the least that works: a ticket code
(on a sticker on the phone and on the owner's slip), an optional first name or nickname and
an optional number to say the phone is ready. Never nationality, documents or legal status.
The name and number are erased CONTACT_KEEP_DAYS days after the phone is collected (or marked not
collected) by `manage.py erase_phone_contacts`, run daily.

Rules about one object are methods here; workflows that write several rows are in
services.py; the month's figures and the Open Repair Data export are in reports.py.
"""

import calendar
import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- Rules the organisation may want to change: here, in one place, documented -------------

# The owner's name and number are erased this many days after the phone is collected or
# marked not collected: long enough to sort out a phone that fails again the next day.
CONTACT_KEEP_DAYS = 30
# A phone ready (or unrepairable) this many days without its owner may be marked not
# collected; until then it is brought to every session.
NOT_COLLECTED_AFTER_DAYS = 30
# A donor's name and email are erased this many months after their last donation.
DONOR_KEEP_MONTHS = 12
# The van's day turns at this local hour, not at midnight: a session still running at 00:30,
# its taps and its end-of-session form belong to the evening it started. Nobody starts a
# session before this hour.
VAN_DAY_TURNS_AT = time(4, 0)
# Taps queued on a phone that stayed offline are still taken this many days after their stop
# (a weekend without signal); older ones are refused, visibly, and leave the queue.
VAN_TAPS_KEPT_DAYS = 7

# Ticket codes are read aloud at a noisy van and copied by hand: no 0/O, 1/I/L, and no U
# (so no accidental words). 30 symbols, 5 characters: 24 million codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 5

code_validator = RegexValidator(
    rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$",
    _("A code is 5 letters and digits, without 0, O, 1, I, L or U."),
)
phone_number_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,20}$",
    _("Enter a phone number of digits, spaces and an optional leading +."),
)


def new_code():
    """A fresh random ticket code; the caller retries if it is already taken."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """What a volunteer typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def mask(value, *, keep=2):
    """Show "•••• 42": enough to tell two entries apart in a list, not to call anyone."""
    value = (value or "").strip()
    if not value:
        return ""
    digits_or_chars = [ch for ch in value if ch.isalnum()]
    if len(digits_or_chars) <= keep:
        return "••••"
    return "•••• " + "".join(digits_or_chars[-keep:])


def mask_name(value):
    value = (value or "").strip()
    return f"{value[0]}•••" if value else ""


def van_day(moment=None):
    """The day of the van at `moment` (now by default): the local date in the site's time zone
    (Europe/Paris), the day before until VAN_DAY_TURNS_AT.

    Compared on the local wall clock rather than by subtracting hours, so the two Sundays a
    year when the clocks change (the night is 23 or 25 hours long) turn at 04:00 too.
    """
    local = timezone.localtime(moment)
    if local.time() < VAN_DAY_TURNS_AT:
        return local.date() - timedelta(days=1)
    return local.date()


def months_before(day, months):
    """The same day of the month `months` earlier, or that month's last day if it is shorter."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def imei_is_valid(imei):
    """15 digits whose last is the Luhn check digit of the first 14."""
    if len(imei) != 15 or not imei.isdigit():
        return False
    total = 0
    for index, char in enumerate(imei[:14]):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(imei[14])


def validate_imei(value):
    if not imei_is_valid(value):
        raise ValidationError(
            _("An IMEI is 15 digits (dial *#06# to see it); check for a typing mistake.")
        )


# --- Lists coordinators edit ------------------------------------------------------------------


class MobiFixFault(models.TextChoices):
    """Fault types of the Open Repair Alliance's MobiFix quests on mobile phone repairs; the
    value is the exact MobiFix term, written to the ORDS export's problem column."""

    POWER_BATTERY = "Power/battery", _("Power or battery")
    SCREEN = "Screen", _("Screen")
    CHARGING_PORT = "USB/charging port", _("USB or charging port")
    STUCK_BOOTING = "Stuck booting", _("Stuck booting")
    LIQUID_DAMAGE = "Liquid damage", _("Liquid damage")
    SOFTWARE_ISSUE = "Software issue", _("Software issue")
    SOFTWARE_UPDATE = "Software update", _("Software update")
    ACCESS_ISSUE = "Access issue", _("Access issue (locked out)")
    STORAGE = "Storage problem", _("Storage problem")
    PERFORMANCE = "Performance", _("Performance")
    CAMERA = "Camera", _("Camera")
    SPEAKER = "Speaker/amplifier", _("Speaker or amplifier")
    MICROPHONE = "Microphone", _("Microphone")
    HEADPHONE_JACK = "Headphone jack", _("Headphone jack")
    ON_OFF_BUTTON = "On/Off button", _("On/off button")
    VOLUME_BUTTONS = "Volume buttons", _("Volume buttons")
    OTHER_BUTTONS = "Other buttons", _("Other buttons")
    SIM_SLOT = "Sim card slot", _("SIM card slot")
    MEMORY_CARD_SLOT = "Memory card slot", _("Memory card slot")
    CHARGER = "Charger", _("Charger")
    INTERNAL_DAMAGE = "Internal damage", _("Internal damage")
    EXTERNAL_DAMAGE = "External damage", _("External damage")
    HELP_CONFIGURATION = "Help/configuration", _("Help or configuration")
    OTHER = "Other", _("Other")
    UNKNOWN = "Unknown", _("Unknown")


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class FaultType(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    mobifix_fault = models.CharField(
        _("MobiFix fault type"),
        max_length=30,
        choices=MobiFixFault.choices,
        help_text=_("The Open Repair Data term this fault is exported as."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("offered for new tickets"),
        default=True,
        help_text=_("Untick instead of deleting: old tickets keep their fault."),
    )

    objects = ActiveQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("fault type")
        verbose_name_plural = _("fault types")

    def __str__(self):
        return self.name


class BatteryModel(models.Model):
    name = models.CharField(
        _("battery model"), max_length=80, unique=True, help_text=_("e.g. Samsung EB-BG532BBE.")
    )
    fits = models.CharField(
        _("fits phones"), max_length=200, blank=True, help_text=_("e.g. Galaxy J5 Prime, J2.")
    )
    is_active = models.BooleanField(_("offered for new requests"), default=True)

    objects = ActiveQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("battery model")
        verbose_name_plural = _("battery models")

    def __str__(self):
        return self.name


class PartnerQuerySet(ActiveQuerySet):
    def with_phone_counts(self):
        """Phones allocated to each partner, and how many of those were delivered."""
        return self.annotate(
            phones_allocated=Count("phones", distinct=True),
            phones_delivered=Count(
                "phones", filter=Q(phones__status=DonatedPhone.Status.DELIVERED), distinct=True
            ),
        )


class Partner(models.Model):
    """An organisation we fix and provide phones for, which hands them out itself."""

    name = models.CharField(
        _("name"),
        max_length=150,
        unique=True,
        blank=True,
        help_text=_("Leave empty to use the name of its organisation in the guide."),
    )
    # A partner that is also in the guide is not typed twice: its contact details are the
    # guide's. Optional, as many partners (a church group, a lawyer) are not in the guide.
    organisation = models.ForeignKey(
        "guides.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_partners",
        verbose_name=_("organisation in the guide"),
        help_text=_("If the partner is in the guide: its phone, email and website are there."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartnerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(organisation__isnull=False),
                name="phones_partner_one_per_organisation",
                violation_error_message=_("This organisation is already a partner."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="phones_partner_has_a_name",
                violation_error_message=_("Give the partner a name, or its organisation."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = (self.name or "").strip()
        if not self.name and self.organisation_id:
            self.name = self.organisation.name
        if not self.name:
            raise ValidationError(
                {"name": _("Give the partner a name, or choose its organisation in the guide.")}
            )


# --- Repair tickets ---------------------------------------------------------------------------


class RepairStatus(models.TextChoices):
    """The outcome, in Open Repair Data Standard terms (ORDS_REPAIR_STATUS gives the text)."""

    UNKNOWN = "unknown", _("Unknown")
    FIXED = "fixed", _("Fixed")
    REPAIRABLE = "repairable", _("Repairable (not fixed here)")
    END_OF_LIFE = "end_of_life", _("End of life")


class RepairBarrier(models.TextChoices):
    """Why an end-of-life phone could not be repaired, from the ORDS barrier codelist."""

    PARTS_NOT_AVAILABLE = "parts_not_available", _("Spare parts not available")
    PARTS_TOO_EXPENSIVE = "parts_too_expensive", _("Spare parts too expensive")
    NO_WAY_TO_OPEN = "no_way_to_open", _("No way to open the phone")
    NO_INFORMATION = "no_information", _("Repair information not available")
    LACK_OF_EQUIPMENT = "lack_of_equipment", _("Lack of equipment")
    TOO_WORN_OUT = "too_worn_out", _("Too worn out")


# The exact texts of the Open Repair Data Standard v0.3 codelists: data, never translated.
ORDS_REPAIR_STATUS = {
    RepairStatus.UNKNOWN: "Unknown",
    RepairStatus.FIXED: "Fixed",
    RepairStatus.REPAIRABLE: "Repairable",
    RepairStatus.END_OF_LIFE: "End of life",
}
ORDS_REPAIR_BARRIER = {
    RepairBarrier.PARTS_NOT_AVAILABLE: "Spare parts not available",
    RepairBarrier.PARTS_TOO_EXPENSIVE: "Spare parts too expensive",
    RepairBarrier.NO_WAY_TO_OPEN: "No way to open product",
    RepairBarrier.NO_INFORMATION: "Repair information not available",
    RepairBarrier.LACK_OF_EQUIPMENT: "Lack of equipment",
    RepairBarrier.TOO_WORN_OUT: "Item too worn out",
}


class TicketStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DIAGNOSING = "diagnosing", _("Diagnosing")
    WAITING_FOR_PART = "waiting_for_part", _("Waiting for a part")
    AT_REPAIR_SHOP = "at_repair_shop", _("At the repair shop")
    READY = "ready", _("Ready for collection")
    UNREPAIRABLE = "unrepairable", _("Unrepairable, to give back")
    COLLECTED = "collected", _("Collected")
    NOT_COLLECTED = "not_collected", _("Not collected")


S = TicketStatus
# Every move a ticket may make. Forward along received → diagnosing → waiting for part → at
# repair shop → ready → collected, skipping steps a repair does not need (a battery fitted at
# the van never goes to the shop); back only from the shop to waiting for a part. An
# unrepairable phone is given back (collected) too. A phone marked not collected is kept
# until recycled, so its owner may still turn up with the slip.
TRANSITIONS = {
    S.RECEIVED: {S.DIAGNOSING, S.WAITING_FOR_PART, S.AT_REPAIR_SHOP, S.READY, S.UNREPAIRABLE},
    S.DIAGNOSING: {S.WAITING_FOR_PART, S.AT_REPAIR_SHOP, S.READY, S.UNREPAIRABLE},
    S.WAITING_FOR_PART: {S.AT_REPAIR_SHOP, S.READY, S.UNREPAIRABLE},
    S.AT_REPAIR_SHOP: {S.WAITING_FOR_PART, S.READY, S.UNREPAIRABLE},
    S.READY: {S.COLLECTED, S.NOT_COLLECTED},
    S.UNREPAIRABLE: {S.COLLECTED, S.NOT_COLLECTED},
    S.NOT_COLLECTED: {S.COLLECTED},
    S.COLLECTED: set(),
}
# Waiting at the warehouse for the owner: brought to the sessions at the ticket's site.
TO_HAND_BACK = (S.READY, S.UNREPAIRABLE)
CLOSED = (S.COLLECTED, S.NOT_COLLECTED)


class RepairTicketQuerySet(models.QuerySet):
    def to_hand_back(self):
        return self.filter(status__in=TO_HAND_BACK)

    def resolved(self):
        """Tickets with a recorded outcome: what the Open Repair Data export holds."""
        return self.filter(resolved_at__isnull=False)

    def contacts_to_erase(self, *, now=None, days=CONTACT_KEEP_DAYS):
        """Closed at least `days` ago, and never erased or holding something personal again
        (a number typed in after the erasure, a note on a later step)."""
        cutoff = (now or timezone.now()) - timedelta(days=days)
        notes = TicketEvent.objects.filter(ticket=models.OuterRef("pk")).exclude(note="")
        return self.filter(status__in=CLOSED, closed_at__lte=cutoff).filter(
            Q(contact_erased_at__isnull=True)
            | ~Q(owner_name="")
            | ~Q(owner_contact="")
            | models.Exists(notes)
        )


class RepairTicket(models.Model):
    Status = TicketStatus

    code = models.CharField(
        _("ticket code"),
        max_length=CODE_LENGTH,
        unique=True,
        editable=False,
        validators=[code_validator],
    )
    # Sites will belong to sessions_log and point to a guide place; until then, the place.
    site = models.ForeignKey(
        "guides.Place",
        on_delete=models.PROTECT,
        related_name="repair_tickets",
        verbose_name=_("site"),
        help_text=_("Where the phone was handed in; it is brought back to sessions there."),
    )
    intake_date = models.DateField(_("intake date"), default=timezone.localdate)
    make = models.CharField(_("make"), max_length=60, help_text=_("e.g. Samsung."))
    model = models.CharField(_("model"), max_length=80, blank=True, help_text=_("e.g. A12."))
    fault = models.ForeignKey(
        FaultType, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("fault")
    )
    notes = models.TextField(
        _("notes on the phone"),
        blank=True,
        help_text=_(
            "The fault and what was tried. Never a name, number, nationality, documents or "
            "legal status."
        ),
    )
    owner_name = models.CharField(
        _("first name or nickname"),
        max_length=40,
        blank=True,
        help_text=_("Optional. Erased some days after collection."),
    )
    owner_contact = models.CharField(
        _("phone or WhatsApp number"),
        max_length=30,
        blank=True,
        validators=[phone_number_validator],
        help_text=_("Optional, to say the phone is ready. Erased some days after collection."),
    )
    contact_erased_at = models.DateTimeField(_("contact erased"), null=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TicketStatus.choices,
        default=TicketStatus.RECEIVED,
        editable=False,
    )
    repair_status = models.CharField(
        _("outcome"),
        max_length=20,
        choices=RepairStatus.choices,
        default=RepairStatus.UNKNOWN,
        editable=False,
    )
    repair_barrier = models.CharField(
        _("barrier to repair"),
        max_length=30,
        choices=RepairBarrier.choices,
        blank=True,
        editable=False,
    )
    resolved_at = models.DateTimeField(_("outcome recorded"), null=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = RepairTicketQuerySet.as_manager()

    # Never the owner's name or number: the erasure clears them from the ticket, and no
    # older version may keep them (docs/data-map.md, "Audit history").
    history = HistoricalRecords(excluded_fields=["owner_name", "owner_contact"])

    class Meta:
        ordering = ["-intake_date", "-pk"]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        # Who reads owners' names and numbers (and donors' emails) in full: the phone team
        # and coordinators (infobus/roles.py). Others enter them at intake, then see them masked.
        permissions = [
            ("view_owner_contact", _("Can see owners' and donors' contact details in full"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(repair_barrier="") | Q(repair_status=RepairStatus.END_OF_LIFE),
                name="phones_ticket_barrier_only_at_end_of_life",
                violation_error_message=_("Only an end-of-life phone has a barrier to repair."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TicketStatus.READY)
                | Q(repair_status__in=[RepairStatus.FIXED, RepairStatus.REPAIRABLE]),
                name="phones_ticket_ready_is_fixed_or_repairable",
                violation_error_message=_("A phone ready for collection is fixed or repairable."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TicketStatus.UNREPAIRABLE)
                | Q(repair_status=RepairStatus.END_OF_LIFE),
                name="phones_ticket_unrepairable_is_end_of_life",
                violation_error_message=_("An unrepairable phone is at its end of life."),
            ),
        ]
        indexes = [models.Index(fields=["status", "site"])]

    def __str__(self):
        # Also what the admin's history stores: never the owner's name or number.
        return f"{self.code} {self.make} {self.model}".strip()

    @property
    def phone(self):
        return f"{self.make} {self.model}".strip()

    @property
    def masked_contact(self):
        return mask(self.owner_contact)

    @property
    def masked_name(self):
        return mask_name(self.owner_name)

    def allowed_next(self):
        return TRANSITIONS[TicketStatus(self.status)]

    def check_transition(self, to, *, repair_status=None, barrier="", now=None):
        """Raise ValidationError if this ticket may not move to `to` with this outcome."""
        now = now or timezone.now()
        if to not in self.allowed_next():
            raise ValidationError(
                _("A ticket cannot go from “%(from)s” to “%(to)s”.")
                % {"from": TicketStatus(self.status).label, "to": TicketStatus(to).label},
                code="transition",
            )
        if to == TicketStatus.READY and repair_status not in (
            RepairStatus.FIXED,
            RepairStatus.REPAIRABLE,
        ):
            raise ValidationError(
                _("Say whether the phone was fixed, or is repairable but was not fixed here."),
                code="outcome",
            )
        if to == TicketStatus.UNREPAIRABLE and not barrier:
            raise ValidationError(_("Say what prevented the repair (the barrier)."), code="barrier")
        if barrier and barrier not in RepairBarrier.values:
            raise ValidationError(_("Choose a barrier from the list."), code="barrier")
        if barrier and to != TicketStatus.UNREPAIRABLE:
            raise ValidationError(
                _("Only an unrepairable phone has a barrier to repair."), code="barrier"
            )
        if to == TicketStatus.NOT_COLLECTED:
            waited = now - self.resolved_at if self.resolved_at else timedelta(0)
            if waited < timedelta(days=NOT_COLLECTED_AFTER_DAYS):
                raise ValidationError(
                    _(
                        "The phone has waited %(waited)d days; it can be marked not collected "
                        "after %(days)d days."
                    )
                    % {"waited": waited.days, "days": NOT_COLLECTED_AFTER_DAYS},
                    code="too_soon",
                )


class TicketEvent(models.Model):
    """One change of a ticket's status: who, when, from what to what.

    A ledger that is itself the ticket's history, so it has no audit history of its own:
    that would keep the notes the erasure clears."""

    ticket = models.ForeignKey(
        RepairTicket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=TicketStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=TicketStatus.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Erased with the owner's contact details."),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ticket status change")
        verbose_name_plural = _("ticket status changes")

    def __str__(self):
        return (
            f"{self.ticket.code}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


# --- Battery orders -----------------------------------------------------------------------------


class BatteryOrder(models.Model):
    """Batteries of one model bought together from a supplier, for the requests it lists."""

    battery_model = models.ForeignKey(
        BatteryModel, on_delete=models.PROTECT, related_name="orders", verbose_name=_("battery")
    )
    supplier = models.CharField(_("supplier"), max_length=100)
    price = models.DecimalField(
        _("price paid (€)"), max_digits=8, decimal_places=2, help_text=_("For the whole order.")
    )
    reference = models.CharField(_("order reference"), max_length=100, blank=True)
    ordered_at = models.DateTimeField(_("ordered"), default=timezone.now)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name = _("battery order")
        verbose_name_plural = _("battery orders")

    def __str__(self):
        return f"{self.battery_model} · {self.supplier} {self.reference}".strip()


class BatteryRequestQuerySet(models.QuerySet):
    def to_order(self):
        return self.filter(status=BatteryRequest.Status.REQUESTED)

    def order_list(self):
        """One row per battery model still to order: the model's name and how many."""
        return (
            self.to_order()
            .values("battery_model", "battery_model__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "battery_model__name")
        )


class BatteryRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("To order")
        ORDERED = "ordered", _("Ordered")
        ARRIVED = "arrived", _("Arrived")
        FITTED = "fitted", _("Fitted")
        HANDED_OVER = "handed_over", _("Handed over")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey(
        RepairTicket,
        on_delete=models.PROTECT,
        related_name="battery_requests",
        verbose_name=_("ticket"),
    )
    phone_model = models.CharField(_("phone model"), max_length=150, blank=True)
    battery_model = models.ForeignKey(
        BatteryModel, on_delete=models.PROTECT, related_name="requests", verbose_name=_("battery")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    order = models.ForeignKey(
        BatteryOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("order"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    done_at = models.DateTimeField(_("fitted or handed over"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fitted or handed over by"),
    )

    objects = BatteryRequestQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("battery request")
        verbose_name_plural = _("battery requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "cancelled"]) | Q(order__isnull=False),
                name="phones_battery_request_past_ordering_has_an_order",
                violation_error_message=_("A battery past ordering belongs to an order."),
            )
        ]

    def __str__(self):
        return f"{self.ticket.code}: {self.battery_model}"


# --- Donated phones ---------------------------------------------------------------------------


class DonorQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            phones_donated=Count("phones"), last_donation=Max("phones__received_on")
        )

    def to_erase(self, *, today=None, months=DONOR_KEEP_MONTHS):
        """Donors with a name or email (or never erased) whose last donation (or record, if
        none) is older than `months` months."""
        cutoff = months_before(today or timezone.localdate(), months)
        return (
            self.filter(Q(erased_at__isnull=True) | ~Q(name="") | ~Q(email=""))
            .annotate(last_donation=Max("phones__received_on"))
            .filter(
                Q(last_donation__lt=cutoff)
                | Q(last_donation__isnull=True, created_at__date__lt=cutoff)
            )
        )


class Donor(models.Model):
    class Kind(models.TextChoices):
        CHAMPION = "champion", _("Phone champion")
        DONOR = "donor", _("Donor")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DONOR)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    erased_at = models.DateTimeField(
        _("name and email erased"),
        null=True,
        editable=False,
        help_text=_("Erased 12 months after the last donation; the count of phones stays."),
    )

    objects = DonorQuerySet.as_manager()

    # No audit history: apart from the kind, a donor is a name and an email, which are
    # erased on time; older versions would keep them. The phones donated are tracked.

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        # Also stored in the admin's history, which the erasure purges.
        return self.name or f"{self.get_kind_display()} #{self.pk}"

    @property
    def masked_email(self):
        local, _at, domain = (self.email or "").partition("@")
        return f"{local[:1]}•••@{domain}" if domain else ""


class DonatedPhone(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, to test")
        STORED = "stored", _("Tested, in store")
        ALLOCATED = "allocated", _("Allocated")
        DELIVERED = "delivered", _("Delivered")
        RECYCLED = "recycled", _("Recycled")

    CHECKLIST = (
        "factory_reset",
        "account_lock_removed",
        "battery_ok",
        "screen_ok",
        "charging_ok",
        "sim_slot_ok",
    )

    donor = models.ForeignKey(
        Donor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("donor or champion"),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    make = models.CharField(_("make"), max_length=60)
    model = models.CharField(_("model"), max_length=80, blank=True)
    imei = models.CharField(
        _("IMEI"), max_length=15, blank=True, validators=[validate_imei], help_text=_("*#06#")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    # The test before a phone may be given out.
    factory_reset = models.BooleanField(_("factory reset done"), default=False)
    account_lock_removed = models.BooleanField(
        _("Google / Apple account lock removed"), default=False
    )
    battery_ok = models.BooleanField(_("battery holds a charge"), default=False)
    battery_health = models.PositiveSmallIntegerField(
        _("battery health (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    screen_ok = models.BooleanField(_("screen and touch work"), default=False)
    charging_ok = models.BooleanField(_("charges"), default=False)
    sim_slot_ok = models.BooleanField(_("SIM slot reads a SIM"), default=False)
    tested_at = models.DateTimeField(_("tested"), null=True, editable=False)
    tested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("tested by"),
    )
    # Allocation: to a partner, or to a person, known only by a handout code on their slip.
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="phones",
        verbose_name=_("partner"),
    )
    handout_code = models.CharField(
        _("handout code"),
        max_length=CODE_LENGTH,
        blank=True,
        editable=False,
        validators=[code_validator],
    )
    replaces_ticket = models.ForeignKey(
        RepairTicket,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="replacement_phones",
        verbose_name=_("replaces the phone of ticket"),
    )
    allocated_at = models.DateTimeField(_("allocated"), null=True, editable=False)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("allocated by"),
    )
    site = models.ForeignKey(
        "guides.Place",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="donated_phones",
        verbose_name=_("handed out at"),
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, editable=False)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    recycled_at = models.DateTimeField(_("recycled"), null=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("donated phone")
        verbose_name_plural = _("donated phones")
        constraints = [
            models.UniqueConstraint(
                fields=["imei"],
                condition=~Q(imei=""),
                name="phones_donated_phone_unique_imei",
                violation_error_message=_("A phone with this IMEI is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["handout_code"],
                condition=~Q(handout_code=""),
                name="phones_donated_phone_unique_handout_code",
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=True) | Q(handout_code=""),
                name="phones_donated_phone_to_partner_or_person",
                violation_error_message=_("A phone goes to a partner or to a person, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.make} {self.model}".strip() + (f" ({self.imei})" if self.imei else "")

    @property
    def passed_test(self):
        return all(getattr(self, name) for name in self.CHECKLIST)

    def missing_checks(self):
        return [
            self._meta.get_field(name).verbose_name
            for name in self.CHECKLIST
            if not getattr(self, name)
        ]


# --- Stock --------------------------------------------------------------------------------------


class StockItemQuerySet(ActiveQuerySet):
    def with_level(self):
        """Each item's level: the sum of its movements."""
        return self.annotate(level=Coalesce(Sum("movements__quantity"), 0))

    def low(self):
        return self.with_level().filter(level__lte=models.F("low_stock_threshold"))


class StockItem(models.Model):
    class Kind(models.TextChoices):
        SIM = "sim", _("SIM card")
        CABLE = "cable", _("Cable")
        PLUG = "plug", _("Plug head")
        POWER_BANK = "power_bank", _("Power bank")
        BATTERY = "battery", _("Battery")
        OTHER = "other", _("Other")

    class Connector(models.TextChoices):
        USB_C = "usb_c", _("USB-C")
        MICRO_USB = "micro_usb", _("Micro-USB")
        LIGHTNING = "lightning", _("Lightning")

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    network = models.CharField(
        _("network"), max_length=40, blank=True, help_text=_("SIM cards: e.g. Lyca, Three.")
    )
    data_allowance = models.CharField(
        _("data allowance"), max_length=40, blank=True, help_text=_("SIM cards: e.g. 1 GB.")
    )
    connector = models.CharField(
        _("connector"), max_length=12, choices=Connector.choices, blank=True
    )
    low_stock_threshold = models.PositiveIntegerField(
        _("low stock at"),
        default=10,
        help_text=_("Listed as low when the level is this or less."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = StockItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "kind", "name"]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind != self.Kind.SIM and (self.network or self.data_allowance):
            errors["network"] = _("Only SIM cards have a network and data allowance.")
        if self.kind == self.Kind.SIM and not self.network:
            errors["network"] = _("Say which network the SIM cards are on.")
        if self.kind == self.Kind.CABLE and not self.connector:
            errors["connector"] = _("Say which connector the cable has.")
        if self.kind != self.Kind.CABLE and self.connector:
            errors["connector"] = _("Only cables have a connector.")
        if errors:
            raise ValidationError(errors)

    def level(self):
        return self.movements.aggregate(level=Coalesce(Sum("quantity"), 0))["level"]


class StockMovement(models.Model):
    """One change of stock; the level is the sum. Never edited: a mistake is corrected by a
    further movement with a reason."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        HANDED_OUT = "handed_out", _("Handed out at a session")
        TO_PARTNER = "to_partner", _("Given to a partner")
        CORRECTION = "correction", _("Correction")

    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(_("change"), help_text=_("Positive in, negative out."))
    site = models.ForeignKey(
        "guides.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("site"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("partner"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Until sessions_log exists: the session a handout was tallied at, as the van names it.
    session_ref = models.CharField(_("session"), max_length=64, blank=True)
    # The id the van's offline tally gives each tap, so a tap sent twice counts once.
    tap_id = models.UUIDField(_("tap id"), null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="received") | Q(quantity__gt=0),
                name="phones_stock_received_is_positive",
                violation_error_message=_("What is received adds to the stock."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["handed_out", "to_partner"]) | Q(quantity__lt=0),
                name="phones_stock_out_is_negative",
                violation_error_message=_("What is handed out or given takes from the stock."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | (~Q(quantity=0) & ~Q(reason="")),
                name="phones_stock_correction_has_a_reason",
                violation_error_message=_("A correction changes the level and says why."),
            ),
            models.CheckConstraint(
                condition=Q(kind="to_partner", partner__isnull=False)
                | Q(~Q(kind="to_partner"), partner__isnull=True),
                name="phones_stock_partner_only_when_given_to_one",
                violation_error_message=_("A partner only for stock given to a partner."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "recorded_at"])]

    def __str__(self):
        return f"{self.item}: {self.quantity:+d} ({self.get_kind_display()})"


# --- At the van ---------------------------------------------------------------------------------


class VanTapQuerySet(models.QuerySet):
    def charges(self):
        return self.filter(kind=VanTap.Kind.CHARGE)

    def charges_for_entry(self, *, site, day, session=None):
        """The phones charged that an end-of-session form for `site` on `day` counts: the
        taps already attached to the session (when it is recorded) and those made at the
        site's stop that day and not yet attached to any session."""
        where = Q(site=site, day=day, session__isnull=True)
        if session is not None and session.pk:
            where |= Q(session=session)
        return self.charges().filter(where)


class VanTap(models.Model):
    """One message from the van page that the server takes once, by the id the phone gave
    it: a phone charged (counted, one row each), or an end-of-session form (the session it
    recorded). Sent again after a lost connection, the same id changes nothing.

    A ledger, never edited: a session's phones charged is at least the number of its charge
    rows (phones.services keeps it so). Stock handed out has its own ledger, StockMovement.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Phone charged")
        SESSION_ENTRY = "session_entry", _("End-of-session form")

    tap_id = models.UUIDField(_("tap id"), unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    site = models.ForeignKey(
        "sessions_log.Site",
        on_delete=models.PROTECT,
        related_name="van_taps",
        verbose_name=_("site"),
    )
    day = models.DateField(_("day of the van"))
    # What the van names the stop, as StockMovement.session_ref: the session's id, or
    # "site:<id>:<day>" before the session is recorded. The page's counts are read by it.
    session_ref = models.CharField(_("stop"), max_length=64, blank=True)
    # Set when the tap was made at a recorded session, and for taps made at the site's stop
    # once the session is recorded.
    session = models.ForeignKey(
        "sessions_log.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="van_taps",
        verbose_name=_("session"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = VanTapQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("tap at the van")
        verbose_name_plural = _("taps at the van")
        indexes = [
            models.Index(fields=["site", "day", "kind"]),
            models.Index(fields=["session_ref", "kind"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.site_id} · {self.day:%Y-%m-%d}"
