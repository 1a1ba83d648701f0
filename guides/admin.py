"""Back office for the guide: volunteers keep services, places and pages up to date.

Translated fields show as one tab per language (django-modeltranslation), with jQuery UI
served from our static files, never from a CDN.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from guides import signals
from guides.models import (
    SPOKEN_LANGUAGES,
    Alert,
    Area,
    Category,
    InfoPage,
    OpeningHours,
    Organisation,
    Place,
    Report,
    Service,
    ServiceException,
)

# A service not checked for this long is flagged in the list for a volunteer to call them.
VERIFY_EVERY_DAYS = 60
VERIFICATION_FIELDS = ("last_verified", "verified_by")

# Slugs are written from the English title, whatever language the volunteer's browser is in.
SOURCE_TITLE = build_localized_fieldname("title", mt_settings.DEFAULT_LANGUAGE)
SOURCE_NAME = build_localized_fieldname("name", mt_settings.DEFAULT_LANGUAGE)


class LanguageDirectionMixin:
    """Give each translation input the `lang` and `dir` of its language.

    Arabic typed into a left-to-right box comes out with its punctuation and numbers in the
    wrong place, and English in a right-to-left admin would too, so every translation input
    states its direction rather than inheriting the page's.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # modeltranslation's per-language columns carry their language; other fields do not.
        language = getattr(db_field, "language", None)
        if formfield is not None and language:
            formfield.widget.attrs.update(
                lang=language, dir="rtl" if language in settings.LANGUAGES_BIDI else "ltr"
            )
        return formfield


class TranslatedAdmin(LanguageDirectionMixin, TranslationAdmin):
    """modeltranslation's TabbedDjangoJqueryTranslationAdmin, with our own jQuery UI.

    That class takes jQuery UI from modeltranslation's JQUERY_UI_URL setting, which defaults
    to ajax.googleapis.com; its media cannot be narrowed by subclassing, so it is restated.
    """

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            settings.MODELTRANSLATION_JQUERY_UI_URL,
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}


@admin.register(Area)
class AreaAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "radius_km", "zoom", "order")
    list_editable = ("order",)
    search_fields = (*get_translation_fields("name"), "slug")
    prepopulated_fields = {"slug": (SOURCE_NAME,)}
    # Moved by guides.signals on every edit, to expire the public page cache.
    readonly_fields = ("content_changed_at",)


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "icon", "order")
    list_editable = ("order",)
    search_fields = (*get_translation_fields("name"), "slug")
    prepopulated_fields = {"slug": (SOURCE_NAME,)}


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin):
    list_display = ("name", "is_own", "phone", "whatsapp", "website", "email")
    search_fields = ("name", "email")
    # Volunteers type "www.example.org"; Django 6 makes https the default too.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Place)
class PlaceAdmin(TranslatedAdmin):
    list_display = ("name", "area", "status", "moved_to", "address", "updated_at")
    list_filter = ("area", "status")
    list_select_related = ("area", "moved_to")
    search_fields = (*get_translation_fields("name"), "address")
    autocomplete_fields = ("moved_to",)
    readonly_fields = ("updated_at",)


# Stacked, a few fields to a line: as table columns the slot's eleven fields overflow the page.
class OpeningHoursInline(admin.StackedInline):
    model = OpeningHours
    extra = 0
    autocomplete_fields = ("place",)
    fields = (
        ("weekday", "opens", "closes", "place"),
        ("recurrence", "interval_weeks", "anchor_date", "nth"),
        ("valid_from", "valid_until", "closed_on_public_holidays"),
    )


class ServiceExceptionInline(LanguageDirectionMixin, TranslationStackedInline):
    model = ServiceException
    extra = 0
    autocomplete_fields = ("place",)
    fields = (("date", "kind"), ("opens", "closes", "place"), "reason")


class ServiceAdminForm(forms.ModelForm):
    # The model keeps a JSON list of codes; volunteers tick languages rather than type codes.
    languages_spoken = forms.MultipleChoiceField(
        label=capfirst(Service._meta.get_field("languages_spoken").verbose_name),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NotVerifiedFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "not_verified"

    def lookups(self, request, model_admin):
        return [
            (
                str(VERIFY_EVERY_DAYS),
                _("Not verified for %(days)d days") % {"days": VERIFY_EVERY_DAYS},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == str(VERIFY_EVERY_DAYS):
            return queryset.not_verified_since(VERIFY_EVERY_DAYS)
        return queryset


@admin.register(Service)
class ServiceAdmin(TranslatedAdmin):
    form = ServiceAdminForm
    inlines = (OpeningHoursInline, ServiceExceptionInline)
    list_display = ("title", "area", "organisation", "status", "is_published", "last_verified")
    list_filter = (
        "area",
        "categories",
        "status",
        "is_published",
        "access",
        NotVerifiedFilter,
    )
    list_select_related = ("area", "organisation")
    search_fields = (
        *get_translation_fields("title"),
        "organisation__name",
        *(f"places__{name}" for name in get_translation_fields("name")),
    )
    autocomplete_fields = ("organisation", "places")
    filter_horizontal = ("categories",)
    readonly_fields = ("created_at", "updated_at")
    actions = ("mark_verified_today",)
    fieldsets = (
        (None, {"fields": ("title", "area", "organisation", "categories", "is_published")}),
        (
            _("What and for whom"),
            {"fields": ("description", "eligibility", "access", "languages_spoken")},
        ),
        (_("Where"), {"fields": ("places",)}),
        (_("Cost"), {"fields": ("cost", "fees")}),
        (_("Contact"), {"fields": ("phone", "whatsapp", "contact_note")}),
        (_("Status"), {"fields": ("status", "status_note")}),
        (
            _("Verification"),
            {"fields": ("last_verified", "verified_by", "created_at", "updated_at")},
        ),
    )

    @admin.action(description=_("Mark verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        # By id: the changelist's own queryset may be filtered on "not verified", which the
        # update makes false, and the history below still has to find the services.
        services = Service.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        count = services.update(last_verified=timezone.localdate(), verified_by=request.user)
        # update() sends no post_save: expire the public pages that show the dates ourselves.
        signals.bump_content_version()
        with translation.override(None):
            # Stored untranslated, like Django's own change messages, and translated on display.
            fields = [str(Service._meta.get_field(f).verbose_name) for f in VERIFICATION_FIELDS]
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=services,
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": fields}}],
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d service marked as verified today.",
                "%(count)d services marked as verified today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Alert)
class AlertAdmin(TranslatedAdmin):
    list_display = ("__str__", "area", "severity", "starts_at", "ends_at", "active_now")
    list_filter = ("area", "severity")
    list_select_related = ("area",)
    search_fields = get_translation_fields("message")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(boolean=True, description=_("active now"))
    def active_now(self, alert):
        return alert.is_active()


@admin.register(InfoPage)
class InfoPageAdmin(TranslatedAdmin):
    list_display = ("title", "topic", "slug", "order", "is_published", "updated_at")
    list_editable = ("order",)
    list_filter = ("topic", "is_published")
    search_fields = (*get_translation_fields("title"), "slug")
    prepopulated_fields = {"slug": (SOURCE_TITLE,)}
    readonly_fields = ("updated_at",)


class HandledFilter(admin.SimpleListFilter):
    title = _("handled")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("Still to look at")), ("yes", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.open()
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("service", "problem", "details", "language", "created_at", "handled_at")
    list_filter = (HandledFilter, "problem", "service__area")
    list_select_related = ("service", "handled_by")
    search_fields = ("details", *(f"service__{name}" for name in get_translation_fields("title")))
    autocomplete_fields = ("service",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at",)
    actions = ["mark_handled"]

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset):
        count = queryset.open().update(handled_at=timezone.now(), handled_by=request.user)
        self.message_user(
            request,
            ngettext("%d report marked as handled.", "%d reports marked as handled.", count)
            % count,
        )

    def get_readonly_fields(self, request, obj=None):
        # What a reader wrote is kept as written; volunteers only record that it was handled.
        if obj is not None:
            return ("service", "problem", "details", "language", "created_at")
        return self.readonly_fields
