"""Back office for sessions: coordinators correct sessions entered on a phone, keep the list of
sites, and read the history of wifi imports and of each site's places.

A site's place is never edited here: moving goes through sessions_log.services.move_site (the
"Move the site" page), which keeps the history and updates the guide.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from infobus.admin_history import HistoryAdmin
from infobus.admin_widgets import SafeAutocompleteMixin
from sessions_log import services
from sessions_log.forms import DataSizeField, SessionForm
from sessions_log.models import MonthlyReportNote, Session, Site, SitePlace, WifiImport
from sessions_log.units import format_size


class SitePlaceInline(admin.TabularInline):
    model = SitePlace
    extra = 0
    can_delete = False
    fields = ("place", "since", "until", "note", "recorded_by", "recorded_at")
    readonly_fields = fields
    verbose_name_plural = _("history of places")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(SafeAutocompleteMixin, HistoryAdmin):
    list_display = ("name", "place", "usual_start", "usual_end", "is_active", "move_link")
    list_filter = ("is_active",)
    list_select_related = ("place",)
    search_fields = ("name", "place__name")
    autocomplete_fields = ("place",)
    inlines = [SitePlaceInline]

    def get_readonly_fields(self, request, obj=None):
        return ("place",) if obj else ()

    @admin.display(description=_("move"))
    def move_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("sessions_log:move_site", args=[obj.pk]), _("Move")
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        site = services.create_site(
            name=obj.name,
            place=obj.place,
            user=request.user,
            usual_start=obj.usual_start,
            usual_end=obj.usual_end,
            order=obj.order,
            is_active=obj.is_active,
        )
        # The admin's history and redirect point at the row the service saved.
        obj.pk = site.pk
        obj._state.adding = False


class SessionAdminForm(forms.ModelForm):
    data_down_bytes = DataSizeField(label=_("Data downloaded"), required=False)
    data_up_bytes = DataSizeField(label=_("Data uploaded"), required=False)

    class Meta:
        model = Session
        fields = [*SessionForm.Meta.fields, "wifi_source"]


@admin.register(Session)
class SessionAdmin(HistoryAdmin):
    form = SessionAdminForm
    list_display = (
        "date",
        "planned_start",
        "site",
        "status",
        "cancel_reason",
        "people_present",
        "devices_connected",
        "data_total",
        "wifi_source",
    )
    list_filter = ("status", "cancel_reason", "site", "wifi_source")
    list_select_related = ("site",)
    date_hierarchy = "date"
    search_fields = ("site__name", "incidents", "notes")
    readonly_fields = ("recorded_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("site", "date", ("planned_start", "planned_end"))}),
        (
            _("Held or cancelled"),
            {"fields": ("status", "cancel_reason", ("actual_start", "actual_end"))},
        ),
        (
            _("People"),
            {
                "fields": (
                    "people_present",
                    "women_space_users",
                    "team_size",
                    "phones_charged",
                    "generator_hours",
                )
            },
        ),
        (
            _("Wifi"),
            {
                "fields": (
                    ("devices_connected", "peak_devices"),
                    ("data_down_bytes", "data_up_bytes"),
                    "wifi_source",
                )
            },
        ),
        (_("What happened"), {"fields": ("incidents", "notes")}),
        (_("Record"), {"fields": ("recorded_by", "created_at", "updated_at")}),
    )

    @admin.display(description=_("data used"))
    def data_total(self, obj):
        return format_size(obj.data_total_bytes)

    def save_model(self, request, obj, form, change):
        # The form has run the model's checks; the service fills in who recorded it.
        services.record_session(session=obj, user=request.user)


@admin.register(WifiImport)
class WifiImportAdmin(HistoryAdmin):
    list_display = ("session", "source", "devices", "peak_devices", "data_down", "imported_at")
    list_filter = ("source",)
    list_select_related = ("session__site",)
    readonly_fields = [field.name for field in WifiImport._meta.fields]

    @admin.display(description=_("data downloaded"))
    def data_down(self, obj):
        return format_size(obj.data_down_bytes)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReportNote)
class MonthlyReportNoteAdmin(HistoryAdmin):
    list_display = ("year", "month", "language", "updated_by", "updated_at")
    list_filter = ("language", "year")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
