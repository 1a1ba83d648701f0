"""Back office for phones: tickets, batteries, donated phones and stock, and the lists that
coordinators keep (fault types, battery models, partners, stock items).

Statuses, codes and stock levels are never written here: every change goes through
phones.services, which checks it and records who and when. Lists show owners' names and
numbers masked; the change form shows them in full, to send the "it is ready" message, to
the phone team and coordinators only (phones.view_owner_contact), and donors' emails too.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides.models import Place
from infobus.admin_history import HistoryAdmin
from infobus.admin_widgets import SafeAutocompleteMixin
from phones import services
from phones.models import (
    NOT_COLLECTED_AFTER_DAYS,
    BatteryModel,
    BatteryOrder,
    BatteryRequest,
    DonatedPhone,
    Donor,
    FaultType,
    Partner,
    RepairBarrier,
    RepairStatus,
    RepairTicket,
    StockItem,
    StockMovement,
    TicketEvent,
    TicketStatus,
    VanTap,
    normalise_code,
)


def _adopt(obj, saved):
    """Make the admin's unsaved object the row a service saved, so the admin's history and
    redirect point at it."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


def _run_each(model_admin, request, objects, work, done_message):
    """Apply `work` to each object, report how many succeeded and why others were refused."""
    done, refused = 0, []
    for obj in objects:
        try:
            work(obj)
        except ValidationError as error:
            refused.append(
                _("%(object)s: %(problem)s") % {"object": obj, "problem": " ".join(error.messages)}
            )
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)
    for text in refused:
        model_admin.message_user(request, text, messages.ERROR)


def sees_contacts(request):
    """Owners' and donors' contact details in full: the phone team and coordinators only."""
    return request.user.has_perm("phones.view_owner_contact")


def _action_data(model_admin, request):
    form = model_admin.action_form(request.POST)
    form.is_valid()
    return getattr(form, "cleaned_data", {})


# --- Lists coordinators keep --------------------------------------------------------------------


@admin.register(FaultType)
class FaultTypeAdmin(HistoryAdmin):
    list_display = ("name", "mobifix_fault", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(BatteryModel)
class BatteryModelAdmin(HistoryAdmin):
    list_display = ("name", "fits", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "fits")


class PartnerPhoneInline(admin.TabularInline):
    model = DonatedPhone
    fk_name = "partner"
    fields = ("make", "model", "imei", "status", "allocated_at", "delivered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("phones passed to this partner")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(SafeAutocompleteMixin, HistoryAdmin):
    list_display = ("name", "organisation", "is_active", "phones_allocated", "phones_delivered")
    list_filter = ("is_active",)
    list_select_related = ("organisation",)
    search_fields = ("name", "organisation__name")
    # The guide's organisations, found by typing (guides' OrganisationAdmin searches names).
    autocomplete_fields = ("organisation",)
    fields = ("name", "organisation", "notes", "is_active")
    inlines = [PartnerPhoneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_phone_counts()

    @admin.display(description=_("phones allocated"), ordering="phones_allocated")
    def phones_allocated(self, partner):
        return partner.phones_allocated

    @admin.display(description=_("phones delivered"), ordering="phones_delivered")
    def phones_delivered(self, partner):
        return partner.phones_delivered


class LowStockFilter(admin.SimpleListFilter):
    title = _("stock level")
    parameter_name = "low"

    def lookups(self, request, model_admin):
        return [("yes", _("Low"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(level__lte=F("low_stock_threshold"))
        return queryset


@admin.register(StockItem)
class StockItemAdmin(HistoryAdmin):
    list_display = (
        "name",
        "kind",
        "network",
        "data_allowance",
        "connector",
        "level",
        "low_stock_threshold",
        "is_low",
        "is_active",
    )
    list_filter = ("kind", LowStockFilter, "is_active")
    search_fields = ("name", "network")

    def get_queryset(self, request):
        return super().get_queryset(request).with_level()

    @admin.display(description=_("level"), ordering="level")
    def level(self, item):
        return item.level

    @admin.display(description=_("low"), boolean=True)
    def is_low(self, item):
        return item.level <= item.low_stock_threshold


# --- Repair tickets -----------------------------------------------------------------------------


class RepairTicketForm(forms.ModelForm):
    class Meta:
        model = RepairTicket
        fields = (
            "site",
            "intake_date",
            "make",
            "model",
            "fault",
            "notes",
            "owner_name",
            "owner_contact",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "fault" in self.fields:
            # A fault no longer offered stays valid on the tickets that have it.
            self.fields["fault"].queryset = FaultType.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.fault_id)
            )


class TicketActionForm(ActionForm):
    barrier = forms.ChoiceField(
        label=_("barrier (for unrepairable)"),
        choices=[("", "---------"), *RepairBarrier.choices],
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ticket", "by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BatteryRequestInline(SafeAutocompleteMixin, admin.TabularInline):
    model = BatteryRequest
    fields = ("battery_model", "phone_model", "status", "order")
    readonly_fields = ("status", "order")
    autocomplete_fields = ("battery_model",)
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("ticket", "battery_model", "order__battery_model")
        )


class WaitingTooLongFilter(admin.SimpleListFilter):
    title = _("waiting for its owner")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            (
                "overdue",
                _("More than %(days)d days") % {"days": NOT_COLLECTED_AFTER_DAYS},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            cutoff = timezone.now() - timezone.timedelta(days=NOT_COLLECTED_AFTER_DAYS)
            return queryset.to_hand_back().filter(resolved_at__lte=cutoff)
        return queryset


@admin.register(RepairTicket)
class RepairTicketAdmin(SafeAutocompleteMixin, HistoryAdmin):
    form = RepairTicketForm
    action_form = TicketActionForm
    list_display = (
        "code",
        "intake_date",
        "site",
        "phone",
        "fault",
        "status",
        "repair_status",
        "owner",
        "contact",
    )
    list_filter = (
        "status",
        WaitingTooLongFilter,
        ("site", admin.RelatedOnlyFieldListFilter),
        "fault",
        "repair_status",
    )
    list_select_related = ("site", "fault")
    search_fields = ("code", "make", "model")
    date_hierarchy = "intake_date"
    autocomplete_fields = ("site",)
    readonly_fields = (
        "code",
        "slip",
        "status",
        "repair_status",
        "repair_barrier",
        "resolved_at",
        "closed_at",
        "contact_erased_at",
        "created_at",
        "created_by",
    )
    fieldsets = (
        (None, {"fields": ("code", "slip", "site", "intake_date", "make", "model", "fault")}),
        (None, {"fields": ("notes",)}),
        (
            _("Owner"),
            {
                "fields": ("owner_name", "owner_contact", "contact_erased_at"),
                "description": _(
                    "Only what is needed to say the phone is ready. Never nationality, "
                    "documents or legal status."
                ),
            },
        ),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "repair_status",
                    "repair_barrier",
                    "resolved_at",
                    "closed_at",
                    "created_at",
                    "created_by",
                )
            },
        ),
    )
    inlines = [BatteryRequestInline, TicketEventInline]
    actions = (
        "mark_diagnosing",
        "mark_waiting_for_part",
        "mark_at_repair_shop",
        "mark_ready_fixed",
        "mark_ready_repairable",
        "mark_unrepairable",
        "mark_collected",
        "mark_not_collected",
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or sees_contacts(request):
            return fieldsets
        # Typed in at intake by whoever takes the phone in; read back only by the phone team.
        masked = {"owner_name": "owner", "owner_contact": "contact"}
        return [
            (name, {**options, "fields": tuple(masked.get(f, f) for f in options["fields"])})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or sees_contacts(request):
            return readonly
        return (*readonly, "owner", "contact")

    @admin.display(description=_("phone"))
    def phone(self, ticket):
        return ticket.phone

    @admin.display(description=_("owner"))
    def owner(self, ticket):
        return ticket.masked_name

    @admin.display(description=_("contact"))
    def contact(self, ticket):
        return ticket.masked_contact

    @admin.display(description=_("sticker and slip"))
    def slip(self, ticket):
        if not ticket.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("phones:ticket_slip", args=[ticket.pk]),
            _("Print the sticker and the owner's slip"),
        )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # "k7m-xr" read out or typed in lower case still finds K7MXR.
        code = normalise_code(search_term)
        if code and code != search_term:
            results |= queryset.filter(code=code)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.open_ticket(ticket=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not BatteryRequest:
            return super().save_formset(request, form, formset, change)
        for battery in formset.save(commit=False):
            if battery.pk:
                battery.save()
            else:
                saved = services.request_battery(
                    ticket=form.instance,
                    battery_model=battery.battery_model,
                    phone_model=battery.phone_model,
                    user=request.user,
                )
                _adopt(battery, saved)
        return None

    def _move(self, request, queryset, to, repair_status=None):
        data = _action_data(self, request)
        barrier = data.get("barrier", "") if to == TicketStatus.UNREPAIRABLE else ""

        def work(ticket):
            services.change_status(
                ticket=ticket,
                to=to,
                user=request.user,
                repair_status=repair_status,
                barrier=barrier,
                note=data.get("note", ""),
            )

        _run_each(
            self,
            request,
            queryset.order_by("pk"),
            work,
            lambda count: (
                ngettext(
                    "%(count)d ticket is now “%(status)s”.",
                    "%(count)d tickets are now “%(status)s”.",
                    count,
                )
                % {"count": count, "status": TicketStatus(to).label}
            ),
        )

    @admin.action(description=_("Move to: diagnosing"), permissions=["change"])
    def mark_diagnosing(self, request, queryset):
        self._move(request, queryset, TicketStatus.DIAGNOSING)

    @admin.action(description=_("Move to: waiting for a part"), permissions=["change"])
    def mark_waiting_for_part(self, request, queryset):
        self._move(request, queryset, TicketStatus.WAITING_FOR_PART)

    @admin.action(description=_("Move to: at the repair shop"), permissions=["change"])
    def mark_at_repair_shop(self, request, queryset):
        self._move(request, queryset, TicketStatus.AT_REPAIR_SHOP)

    @admin.action(description=_("Ready for collection: fixed"), permissions=["change"])
    def mark_ready_fixed(self, request, queryset):
        self._move(request, queryset, TicketStatus.READY, RepairStatus.FIXED)

    @admin.action(
        description=_("Ready for collection: repairable, not fixed here"), permissions=["change"]
    )
    def mark_ready_repairable(self, request, queryset):
        self._move(request, queryset, TicketStatus.READY, RepairStatus.REPAIRABLE)

    @admin.action(description=_("Unrepairable (choose the barrier)"), permissions=["change"])
    def mark_unrepairable(self, request, queryset):
        self._move(request, queryset, TicketStatus.UNREPAIRABLE)

    @admin.action(description=_("Collected by the owner"), permissions=["change"])
    def mark_collected(self, request, queryset):
        self._move(request, queryset, TicketStatus.COLLECTED)

    @admin.action(description=_("Not collected"), permissions=["change"])
    def mark_not_collected(self, request, queryset):
        self._move(request, queryset, TicketStatus.NOT_COLLECTED)


# --- Battery orders -----------------------------------------------------------------------------


class BatteryActionForm(ActionForm):
    supplier = forms.CharField(label=_("supplier"), max_length=100, required=False)
    price = forms.DecimalField(
        label=_("price paid (€)"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    reference = forms.CharField(label=_("order reference"), max_length=100, required=False)


@admin.register(BatteryRequest)
class BatteryRequestAdmin(SafeAutocompleteMixin, HistoryAdmin):
    action_form = BatteryActionForm
    list_display = ("ticket", "phone_model", "battery_model", "status", "order", "requested_at")
    list_filter = ("status", ("battery_model", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("ticket", "battery_model", "order", "order__battery_model")
    search_fields = ("ticket__code", "phone_model", "battery_model__name")
    autocomplete_fields = ("ticket", "battery_model")
    fields = (
        "ticket",
        "battery_model",
        "phone_model",
        "status",
        "order",
        "requested_at",
        "requested_by",
        "done_at",
        "done_by",
    )
    readonly_fields = ("status", "order", "requested_at", "requested_by", "done_at", "done_by")
    actions = ("mark_ordered", "mark_fitted", "mark_handed_over", "cancel")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            saved = services.request_battery(
                ticket=obj.ticket,
                battery_model=obj.battery_model,
                phone_model=obj.phone_model,
                user=request.user,
            )
            _adopt(obj, saved)

    @admin.action(
        description=_("Ordered (give the supplier, price and reference)"), permissions=["change"]
    )
    def mark_ordered(self, request, queryset):
        data = _action_data(self, request)
        if not data.get("supplier") or data.get("price") is None:
            self.message_user(
                request, _("Give the supplier and the price to mark an order."), messages.ERROR
            )
            return
        try:
            order = services.order_batteries(
                requests=queryset,
                supplier=data["supplier"],
                price=data["price"],
                reference=data.get("reference", ""),
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        count = order.requests.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d battery ordered: %(order)s.",
                "%(count)d batteries ordered: %(order)s.",
                count,
            )
            % {"count": count, "order": order},
            messages.SUCCESS,
        )

    @admin.action(description=_("Fitted in the phone"), permissions=["change"])
    def mark_fitted(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda battery: services.battery_fitted(request=battery, user=request.user),
            lambda count: (
                ngettext("%(count)d battery fitted.", "%(count)d batteries fitted.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Handed over to the owner"), permissions=["change"])
    def mark_handed_over(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda battery: services.battery_handed_over(request=battery, user=request.user),
            lambda count: (
                ngettext(
                    "%(count)d battery handed over.", "%(count)d batteries handed over.", count
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("Cancel"), permissions=["change"])
    def cancel(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda battery: services.cancel_battery_request(request=battery, user=request.user),
            lambda count: (
                ngettext("%(count)d request cancelled.", "%(count)d requests cancelled.", count)
                % {"count": count}
            ),
        )


class OrderRequestInline(admin.TabularInline):
    model = BatteryRequest
    fk_name = "order"
    fields = ("ticket", "phone_model", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ticket", "battery_model")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BatteryOrder)
class BatteryOrderAdmin(HistoryAdmin):
    list_display = (
        "battery_model",
        "supplier",
        "reference",
        "price",
        "ordered_at",
        "ordered_by",
        "arrived_at",
    )
    list_filter = (("battery_model", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("battery_model", "ordered_by")
    search_fields = ("supplier", "reference", "battery_model__name", "requests__ticket__code")
    fields = (
        "battery_model",
        "supplier",
        "price",
        "reference",
        "ordered_at",
        "ordered_by",
        "arrived_at",
    )
    readonly_fields = ("battery_model", "ordered_at", "ordered_by", "arrived_at")
    inlines = [OrderRequestInline]
    actions = ("mark_arrived",)

    def has_add_permission(self, request):
        # An order is made from the battery requests it is for (Battery requests → Ordered).
        return False

    @admin.action(description=_("Arrived"), permissions=["change"])
    def mark_arrived(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda order: services.batteries_arrived(order=order, user=request.user),
            lambda count: (
                ngettext("%(count)d order arrived.", "%(count)d orders arrived.", count)
                % {"count": count}
            ),
        )


# --- Donated phones -----------------------------------------------------------------------------


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "email_masked", "phones_donated", "last_donation")
    list_filter = ("kind",)
    search_fields = ("name", "email")
    fields = ("kind", "name", "email", "created_at", "erased_at")
    readonly_fields = ("created_at", "erased_at")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or sees_contacts(request):
            return fields
        return tuple("email_masked" if name == "email" else name for name in fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or sees_contacts(request):
            return readonly
        return (*readonly, "email_masked")

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("email"))
    def email_masked(self, donor):
        return donor.masked_email

    @admin.display(description=_("phones donated"), ordering="phones_donated")
    def phones_donated(self, donor):
        return donor.phones_donated

    @admin.display(description=_("last donation"), ordering="last_donation")
    def last_donation(self, donor):
        return donor.last_donation


class PhoneActionForm(ActionForm):
    partner = forms.ModelChoiceField(
        label=_("partner"), queryset=Partner.objects.active(), required=False
    )
    site = forms.ModelChoiceField(
        label=_("handed out at"), queryset=Place.objects.in_use(), required=False
    )


CHECKS = (*DonatedPhone.CHECKLIST, "battery_health")


@admin.register(DonatedPhone)
class DonatedPhoneAdmin(SafeAutocompleteMixin, HistoryAdmin):
    action_form = PhoneActionForm
    list_display = (
        "__str__",
        "status",
        "passed",
        "received_on",
        "donor",
        "partner",
        "handout_code",
        "site",
    )
    list_filter = ("status", ("partner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("donor", "partner", "site")
    search_fields = ("make", "model", "imei", "handout_code")
    date_hierarchy = "received_on"
    autocomplete_fields = ("donor",)
    fieldsets = (
        (None, {"fields": ("donor", "received_on", "make", "model", "imei", "notes")}),
        (
            _("Test before it is given out"),
            {"fields": (*CHECKS, "still_to_check", "tested_at", "tested_by")},
        ),
        (
            _("Where it went"),
            {
                "fields": (
                    "status",
                    "partner",
                    "handout_code",
                    "replaces_ticket",
                    "allocated_at",
                    "allocated_by",
                    "site",
                    "delivered_at",
                    "delivered_by",
                    "recycled_at",
                )
            },
        ),
    )
    actions = ("allocate_to_partner", "allocate_to_person", "deliver", "recycle")

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "still_to_check",
            "tested_at",
            "tested_by",
            "status",
            "partner",
            "handout_code",
            "replaces_ticket",
            "allocated_at",
            "allocated_by",
            "site",
            "delivered_at",
            "delivered_by",
            "recycled_at",
        ]
        testable = (DonatedPhone.Status.RECEIVED, DonatedPhone.Status.STORED)
        if obj is not None and obj.status not in testable:
            readonly.extend(CHECKS)
        return readonly

    @admin.display(description=_("still to check"))
    def still_to_check(self, phone):
        return ", ".join(str(label) for label in phone.missing_checks()) if phone.pk else ""

    @admin.display(description=_("passed its test"), boolean=True)
    def passed(self, phone):
        return phone.passed_test

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & set(CHECKS):
            services.record_phone_test(
                phone=obj, user=request.user, **{name: form.cleaned_data[name] for name in CHECKS}
            )

    @admin.action(description=_("Allocate to the chosen partner"), permissions=["change"])
    def allocate_to_partner(self, request, queryset):
        partner = _action_data(self, request).get("partner")
        if partner is None:
            self.message_user(request, _("Choose the partner."), messages.ERROR)
            return
        _run_each(
            self,
            request,
            queryset,
            lambda phone: services.allocate_phone(phone=phone, user=request.user, partner=partner),
            lambda count: (
                ngettext(
                    "%(count)d phone allocated to %(partner)s.",
                    "%(count)d phones allocated to %(partner)s.",
                    count,
                )
                % {"count": count, "partner": partner}
            ),
        )

    @admin.action(description=_("Allocate to a person (new handout code)"), permissions=["change"])
    def allocate_to_person(self, request, queryset):
        codes = []

        def work(phone):
            services.allocate_phone(phone=phone, user=request.user)
            codes.append(f"{phone.handout_code} ({phone})")

        _run_each(
            self,
            request,
            queryset,
            work,
            lambda count: (
                _("Write each code on the person's slip: %(codes)s.") % {"codes": ", ".join(codes)}
            ),
        )

    @admin.action(
        description=_("Delivered (at the chosen site, for a person)"), permissions=["change"]
    )
    def deliver(self, request, queryset):
        site = _action_data(self, request).get("site")
        _run_each(
            self,
            request,
            queryset,
            lambda phone: services.deliver_phone(phone=phone, user=request.user, site=site),
            lambda count: (
                ngettext("%(count)d phone delivered.", "%(count)d phones delivered.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Recycled"), permissions=["change"])
    def recycle(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda phone: services.recycle_phone(phone=phone, user=request.user),
            lambda count: (
                ngettext("%(count)d phone recycled.", "%(count)d phones recycled.", count)
                % {"count": count}
            ),
        )


# --- Stock --------------------------------------------------------------------------------------


class StockMovementForm(forms.ModelForm):
    count = forms.IntegerField(
        label=_("how many"),
        help_text=_(
            "Always a positive number, except for a correction: negative to remove, e.g. -3."
        ),
    )

    class Meta:
        model = StockMovement
        fields = ("item", "kind", "site", "partner", "reason", "session_ref")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            self.fields["item"].queryset = StockItem.objects.active()

    def clean(self):
        data = super().clean()
        kind, count, item = data.get("kind"), data.get("count"), data.get("item")
        if kind is None or count is None:
            return data
        Kind = StockMovement.Kind
        if kind == Kind.CORRECTION:
            if count == 0:
                self.add_error("count", _("A correction changes the level by at least one."))
            if not data.get("reason", "").strip():
                self.add_error("reason", _("Say why the level is corrected."))
            change = count
        else:
            if count <= 0:
                self.add_error("count", _("The quantity must be a whole number above zero."))
            change = count if kind == Kind.RECEIVED else -count
        if kind == Kind.TO_PARTNER and not data.get("partner"):
            self.add_error("partner", _("Choose the partner."))
        if kind != Kind.TO_PARTNER and data.get("partner"):
            self.add_error("partner", _("A partner only for stock given to a partner."))
        if item is not None and change < 0 and item.level() + change < 0:
            self.add_error(
                "count",
                _("Only %(level)d left: record what was received, or a correction, first.")
                % {"level": item.level()},
            )
        self.instance.quantity = change
        return data


@admin.register(StockMovement)
class StockMovementAdmin(SafeAutocompleteMixin, HistoryAdmin):
    """Movements are added, never edited: a mistake is corrected by another movement."""

    form = StockMovementForm
    list_display = (
        "recorded_at",
        "item",
        "kind",
        "quantity",
        "site",
        "partner",
        "reason",
        "recorded_by",
    )
    list_filter = (
        "kind",
        ("item", admin.RelatedOnlyFieldListFilter),
        ("site", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("item", "site", "partner", "recorded_by")
    search_fields = ("item__name", "reason", "session_ref")
    date_hierarchy = "recorded_at"
    autocomplete_fields = ("site",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("item", "kind", "count", "site", "partner", "reason", "session_ref")
        return (
            "item",
            "kind",
            "quantity",
            "site",
            "partner",
            "reason",
            "session_ref",
            "tap_id",
            "recorded_at",
            "recorded_by",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data, Kind = form.cleaned_data, StockMovement.Kind
        count, item, user = data["count"], data["item"], request.user
        if obj.kind == Kind.RECEIVED:
            saved = services.receive_stock(
                item=item, quantity=count, user=user, reason=data["reason"]
            )
        elif obj.kind == Kind.HANDED_OUT:
            saved = services.record_handout(
                session_ref=data["session_ref"],
                item=item,
                quantity=count,
                user=user,
                tap_id=None,
                site=data["site"],
            )
        elif obj.kind == Kind.TO_PARTNER:
            saved = services.give_to_partner(
                item=item, quantity=count, partner=data["partner"], user=user
            )
        else:
            saved = services.correct_stock(
                item=item, change=count, reason=data["reason"], user=user
            )
        _adopt(obj, saved)


@admin.register(VanTap)
class VanTapAdmin(admin.ModelAdmin):
    """Phones charged and end-of-session forms as the van sent them: read only, since a
    session's phones charged is kept at least their count."""

    list_display = ("recorded_at", "kind", "site", "day", "session", "recorded_by")
    list_filter = ("kind", ("site", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("site", "session__site", "recorded_by")
    date_hierarchy = "recorded_at"
    fields = ("kind", "site", "day", "session_ref", "session", "tap_id", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
