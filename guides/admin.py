"""Back office for the guide: volunteers keep services, places and pages up to date.

Translated fields show as one tab per language (django-modeltranslation), with jQuery UI
served from our static files, never from a CDN.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation import settings as mt_settings
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from modeltranslation.utils import build_localized_fieldname, get_translation_fields

from guides import editions, printed, services
from guides import translation_status as ts
from guides.map import PointPickerInput, allow_tiles
from guides.models import (
    SPOKEN_LANGUAGES,
    Alert,
    Area,
    Category,
    Edition,
    EditionFile,
    InfoPage,
    OpeningHours,
    Organisation,
    Place,
    Report,
    Service,
    ServiceException,
    TranslationImport,
    TranslationState,
    TranslatorProfile,
)
from infobus.admin_history import HistoryAdmin
from infobus.admin_widgets import SafeAutocompleteMixin
from infobus.user_admin import RoleLimitsMixin

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


# Non-model fields of every translated form: what the save means for the translations.
TRANSLATION_FORM_FIELDS = ("minor_edit", "translation_review")


class TranslatedAdminForm(forms.ModelForm):
    minor_edit = forms.BooleanField(
        label=_("Minor edit: translations stay valid"),
        required=False,
        help_text=_(
            "Tick when you only fixed a typo or spacing in the English: translations that "
            "were up to date stay up to date. Leave it when the meaning changed."
        ),
    )
    translation_review = forms.ChoiceField(
        label=_("Translations in this form"),
        required=False,
        choices=[
            (services.Review.READY, _("Those I changed are ready")),
            (services.Review.DRAFT, _("Those I changed are drafts: they need review")),
            (
                services.Review.REVIEWED,
                _("I checked them all against the English: mark them up to date"),
            ),
        ],
        widget=forms.RadioSelect,
    )


class TranslatorRestrictionsMixin:
    """What a translator sees of a translated model: texts, not structure.

    The English source read only beside each of the translator's own languages; other
    languages hidden; every other field read only, for context. Adding and deleting are
    already refused by the translator group's permissions (view and change only).
    """

    def _is_translator(self, request):
        return ts.is_translator(request.user)

    def _translation_columns(self):
        names = set()
        for name in ts.translated_fields(self.model):
            names.add(name)
            names.update(f"{name}_{code}" for code, _name in settings.LANGUAGES)
        return names

    def _context_fields(self):
        """The model's own fields that are not texts, in model order.

        An inline leaves out its link to the parent: where it is shown says that.
        """
        columns = self._translation_columns()
        parent = getattr(self, "parent_model", None)
        names = []
        for field in self.model._meta.get_fields():
            stored = field.concrete or (field.many_to_many and not field.auto_created)
            if not stored or field.auto_created or field.name in columns:
                continue
            if parent is not None and getattr(field, "related_model", None) is parent:
                continue
            if field.editable or field.name in self.readonly_fields:
                names.append(field.name)
        return names

    def _source_and_own(self, request, name):
        """Rows for one translated field: the English beside each of the user's languages."""
        source = f"{name}_{ts.SOURCE_LANGUAGE}"
        languages = ts.languages_for(request.user)
        return [(source, f"{name}_{code}") for code in languages] or [source]

    def get_readonly_fields(self, request, obj=None):
        if not self._is_translator(request):
            return super().get_readonly_fields(request, obj)
        sources = [f"{name}_{ts.SOURCE_LANGUAGE}" for name in ts.translated_fields(self.model)]
        return [*self._context_fields(), *sources]

    def get_prepopulated_fields(self, request, obj=None):
        if self._is_translator(request):
            return {}
        return super().get_prepopulated_fields(request, obj)


class TranslationStateInline(GenericTabularInline):
    """Which English each translation was recorded against: read only, for coordinators."""

    model = TranslationState
    extra = 0
    can_delete = False
    classes = ("collapse",)
    fields = ("field", "language", "status", "needs_review", "recorded_by", "recorded_at")
    readonly_fields = fields
    verbose_name_plural = _("translation states")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("recorded_by")
            .prefetch_related("content_object")
            .order_by("field", "language")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status(self, state):
        if state.language == ts.SOURCE_LANGUAGE:
            return _("English source")
        obj = state.content_object
        if obj is None:
            return "-"
        status = ts.status_of(
            getattr(obj, f"{state.field}_{ts.SOURCE_LANGUAGE}"),
            getattr(obj, f"{state.field}_{state.language}"),
            (state.source_hash, state.needs_review),
        )
        return status.label if status else "-"


class TranslatedAdmin(
    TranslatorRestrictionsMixin, LanguageDirectionMixin, TranslationAdmin, HistoryAdmin
):
    """modeltranslation's TabbedDjangoJqueryTranslationAdmin, with our own jQuery UI.

    That class takes jQuery UI from modeltranslation's JQUERY_UI_URL setting, which defaults
    to ajax.googleapis.com; its media cannot be narrowed by subclassing, so it is restated.

    Every save records the translation states of the texts it changed (guides.services).
    The History page lists every version with who saved it and what changed
    (django-simple-history; TranslationAdmin comes first, so its form handling wins).
    """

    form = TranslatedAdminForm
    inlines = (TranslationStateInline,)

    class Media:
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            settings.MODELTRANSLATION_JQUERY_UI_URL,
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}

    def get_fieldsets(self, request, obj=None):
        if self._is_translator(request):
            fieldsets = [
                (
                    capfirst(self.model._meta.get_field(name).verbose_name),
                    {
                        "fields": self._source_and_own(request, name),
                        "description": _("The English, read only, then your translation."),
                    },
                )
                for name in ts.translated_fields(self.model)
                # No English, nothing to translate.
                if obj is None or ts.normalise(getattr(obj, f"{name}_{ts.SOURCE_LANGUAGE}"))
            ]
            context = self._context_fields()
            if context:
                fieldsets.append(
                    (_("For context (read only)"), {"fields": context, "classes": ["collapse"]})
                )
            fieldsets.append((_("Translations"), {"fields": ["translation_review"]}))
            return fieldsets
        fieldsets = [
            (name, {**options, "fields": _without(options["fields"], TRANSLATION_FORM_FIELDS)})
            for name, options in super().get_fieldsets(request, obj)
        ]
        extra = TRANSLATION_FORM_FIELDS if obj is not None else ("translation_review",)
        return [*fieldsets, (_("Translations"), {"fields": list(extra)})]

    def get_actions(self, request):
        if self._is_translator(request):
            return {}
        return super().get_actions(request)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self._is_translator(request):
            # Order and other list-edited fields are structure, not text.
            changelist.list_editable = ()
        return changelist

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        options = {
            "user": request.user,
            "minor_edit": form.cleaned_data.get("minor_edit", False),
            "review": form.cleaned_data.get("translation_review") or services.Review.READY,
            "languages": ts.languages_for(request.user),
        }
        services.record_edit(obj=form.instance, before=form.initial if change else {}, **options)
        for formset in formsets:
            if formset.model not in ts.translated_models():
                continue
            for inline_form in formset.forms:
                instance = inline_form.instance
                # Unfilled extra rows were never saved; deleted rows took their states along.
                if instance.pk is None or inline_form in formset.deleted_forms:
                    continue
                services.record_edit(obj=instance, before=inline_form.initial, **options)


def _without(fields, names):
    kept = []
    for item in fields:
        if isinstance(item, (list, tuple)):
            item = type(item)(name for name in item if name not in names)
            if item:
                kept.append(item)
        elif item not in names:
            kept.append(item)
    return kept


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
class PlaceAdmin(SafeAutocompleteMixin, TranslatedAdmin):
    list_display = ("name", "area", "status", "moved_to", "address", "updated_at")
    list_filter = ("area", "status")
    list_select_related = ("area", "moved_to")
    search_fields = (*get_translation_fields("name"), "address")
    autocomplete_fields = ("moved_to",)
    readonly_fields = ("updated_at",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "longitude":
            kwargs["widget"] = PointPickerInput()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        # The point picker's map shows the tile server's images.
        return allow_tiles(super().changeform_view(request, *args, **kwargs))


# Stacked, a few fields to a line: as table columns the slot's eleven fields overflow the page.
class OpeningHoursInline(SafeAutocompleteMixin, admin.StackedInline):
    model = OpeningHours
    extra = 0
    autocomplete_fields = ("place",)
    fields = (
        ("weekday", "opens", "closes", "place"),
        ("recurrence", "interval_weeks", "anchor_date", "nth"),
        ("valid_from", "valid_until", "closed_on_public_holidays"),
    )


class ServiceExceptionInline(
    SafeAutocompleteMixin,
    TranslatorRestrictionsMixin,
    LanguageDirectionMixin,
    TranslationStackedInline,
):
    model = ServiceException
    extra = 0
    autocomplete_fields = ("place",)
    fields = (("date", "kind"), ("opens", "closes", "place"), "reason")

    def get_fieldsets(self, request, obj=None):
        if self._is_translator(request):
            rows = [tuple(self._context_fields())]
            for name in ts.translated_fields(self.model):
                rows.extend(self._source_and_own(request, name))
            return [(None, {"fields": rows})]
        return super().get_fieldsets(request, obj)


class ServiceAdminForm(TranslatedAdminForm):
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
class ServiceAdmin(SafeAutocompleteMixin, TranslatedAdmin):
    form = ServiceAdminForm
    inlines = (OpeningHoursInline, ServiceExceptionInline, TranslationStateInline)
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
        today, count = timezone.localdate(), 0
        with transaction.atomic():
            # One save each rather than an update(): each service's history gets a version
            # naming the volunteer, and post_save expires the public pages.
            for service in services.select_for_update():
                service.last_verified, service.verified_by = today, request.user
                service._history_user = request.user
                service.save(update_fields=list(VERIFICATION_FIELDS))
                count += 1
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
class ReportAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
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


# --- Translators: their languages and their imports, on the staff member's page -------------


class TranslatorProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Translates into"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code in ts.TARGET_LANGUAGES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TranslatorProfile
        fields = ("languages",)


class TranslatorProfileInline(admin.StackedInline):
    model = TranslatorProfile
    form = TranslatorProfileForm
    max_num = 1
    verbose_name_plural = _("translator languages")


class TranslationImportInline(admin.TabularInline):
    """Who imported which translation files: a record, never edited."""

    model = TranslationImport
    extra = 0
    fields = ("created_at", "language", "file_format", "filename", "status", "texts")
    readonly_fields = fields
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("texts"))
    def texts(self, batch):
        return len(batch.changes)


User = get_user_model()
_BaseUserAdmin = type(admin.site.get_model_admin(User))
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(RoleLimitsMixin, _BaseUserAdmin):
    inlines = (*_BaseUserAdmin.inlines, TranslatorProfileInline, TranslationImportInline)


# --- Monthly editions of the printed guide ----------------------------------------------------


class EditionFileInline(admin.TabularInline):
    """The frozen PDFs of an edition: a record, never edited."""

    model = EditionFile
    extra = 0
    fields = (
        "area",
        "language",
        "pdf_link",
        "size",
        "percent_complete",
        "outdated_texts",
        "behind",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, file):
        url = printed.url_in(
            file.language, "guides:edition_pdf", file.area.slug, f"{file.edition.month:%Y-%m}"
        )
        return format_html('<a href="{}">{}</a>', url, file.filename)


class PublishEditionForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=printed.parse_month)

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        months = printed.publishable_months(now or timezone.now())
        this_month = months[1]
        taken = set(Edition.objects.filter(month__in=months).values_list("month", flat=True))
        self.fields["month"].choices = [
            (f"{month:%Y-%m}", printed.month_label(month)) for month in months if month not in taken
        ]
        self.fields["month"].initial = f"{this_month:%Y-%m}"


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Published editions, read-only. Adding one is publishing it: the add page asks for the
    month, shows how complete each language is, and publishes on confirmation."""

    list_display = ("month_label", "published_at", "published_by", "files")
    fields = ("month", "published_at", "published_by")
    readonly_fields = fields
    inlines = (EditionFileInline,)
    change_list_template = "admin/guides/edition/change_list.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Once handed out, an edition stays on the public list.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by")

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, edition):
        return printed.month_label(edition.month)

    @admin.display(description=_("files"))
    def files(self, edition):
        return edition.files.count()

    def add_view(self, request, form_url="", extra_context=None):
        """Choose the month, see how complete each language is, confirm, publish."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PublishEditionForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish an edition"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            month = form.cleaned_data["month"]
            if "confirm" in request.POST:
                try:
                    edition = services.publish_edition(
                        month=month, user=request.user, site=printed.site_url(request)
                    )
                except services.PublishRefused as refused:
                    self.message_user(request, str(refused), messages.ERROR)
                    return redirect("admin:guides_edition_add")
                self.log_addition(request, edition, [{"added": {}}])
                self.message_user(
                    request,
                    _("The edition of %(month)s is published.")
                    % {"month": printed.month_label(month)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:guides_edition_change", args=[edition.pk]))
            now = timezone.now()
            context.update(
                month=month,
                month_label=printed.month_label(month),
                languages=settings.LANGUAGES,
                areas=[
                    (area, list(editions.area_completeness(area, now=now).values()))
                    for area in Area.objects.all()
                ],
                behind_below=editions.BEHIND_BELOW_PERCENT,
            )
        return render(request, "admin/guides/edition/publish.html", context)
