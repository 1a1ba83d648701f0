"""Translation states of the guide's texts: missing, draft, outdated, up to date.

A translation is outdated when the hash of the English it was made from (recorded in a
TranslationState row) differs from the hash of the English now. Hashes, never timestamps:
integreat-cms flagged translations as outdated on every re-save of an unchanged source.

Pure rules first (normalise, hash, status, markup checks), then reads that load the texts
and their states in a fixed number of queries for the dashboard, the exports and the public
"may be out of date" note. Nothing here writes: the workflows are in guides/services.py.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from modeltranslation.translator import translator

from guides.models import (
    Alert,
    InfoPage,
    Organisation,
    Place,
    Service,
    ServiceException,
    TranslationState,
    TranslatorProfile,
)

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
TARGET_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE)
# The role group whose members translate (infobus/roles.py); their admin is narrowed.
TRANSLATOR_GROUP = "translator"
# Texts that may hold Markdown whatever their English holds.
MARKDOWN_FIELDS = {("infopage", "body")}
WEEK = timedelta(days=7)


class Status(models.TextChoices):
    MISSING = "missing", _("missing")
    DRAFT = "draft", _("draft, needs review")
    OUTDATED = "outdated", _("outdated")
    UP_TO_DATE = "up_to_date", _("up to date")


# --- Pure rules ------------------------------------------------------------------------------


def normalise(text):
    """The text as a translator reads it.

    Unicode NFC, one kind of line ending, spaces inside a line collapsed, blank-line runs
    made one: re-typing or re-saving the same words gives the same text. Paragraph breaks
    stay, since a translation mirrors them.
    """
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def source_hash(text):
    """SHA-256 of the normalised English: what a translation is recorded against."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def status_of(source, translation, state, *, current_hash=None):
    """The Status of one translation, or None when the English is empty (nothing to do).

    `state` is (source_hash, needs_review) from the TranslationState row, or None when no
    row exists: a text nobody vouched for needs review.
    """
    if not normalise(source):
        return None
    if not normalise(translation):
        return Status.MISSING
    if state is None:
        return Status.DRAFT
    recorded_hash, needs_review = state
    if recorded_hash != (current_hash or source_hash(source)):
        return Status.OUTDATED
    return Status.DRAFT if needs_review else Status.UP_TO_DATE


_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<!\[CDATA\[|<\?")
_markdown = MarkdownIt("commonmark", {"html": False})
_PLAIN_INLINE = {"text", "text_special", "softbreak", "hardbreak"}


def has_html(text):
    return bool(_HTML.search(text or ""))


def uses_markdown(text):
    """Whether the text uses any Markdown beyond plain paragraphs of words."""
    for token in _markdown.parse(text or ""):
        if token.type not in {"paragraph_open", "paragraph_close", "inline"}:
            return True
        if any(child.type not in _PLAIN_INLINE for child in token.children or []):
            return True
    return False


def markdown_allowed(model, field_name, source):
    """Markdown is for info page bodies, and wherever the English itself uses it."""
    return (model._meta.model_name, field_name) in MARKDOWN_FIELDS or uses_markdown(source)


def max_length(model, field_name, language):
    return model._meta.get_field(f"{field_name}_{language}").max_length


# --- What is translated ----------------------------------------------------------------------


def translated_models():
    """The guide models with translated fields, in a stable order."""
    return sorted(
        (m for m in translator.get_registered_models() if m._meta.app_label == "guides"),
        key=lambda model: model._meta.model_name,
    )


def translated_fields(model):
    """The translated fields of a model, in the model's own order."""
    names = translator.get_options_for_model(model).fields
    return tuple(field.name for field in model._meta.fields if field.name in names)


def unit_id(obj, field_name):
    """The id of one text in export files: "service.12.title"."""
    return f"{obj._meta.model_name}.{obj.pk}.{field_name}"


def parse_unit_id(text):
    """(model, pk, field) for an id made by unit_id, or None when it names nothing known."""
    parts = (text or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    name, pk, field_name = parts
    models_by_name = {model._meta.model_name: model for model in translated_models()}
    model = models_by_name.get(name)
    if model is None or field_name not in translated_fields(model):
        return None
    return model, int(pk), field_name


def in_scope(model, *, now):
    """The rows of a translated model that readers see now or may soon: what to translate.

    Ended services, gone places, past exceptions and expired alerts are never shown, so they
    count for nothing.
    """
    today = timezone.localdate(now)
    if model is Place:
        return Place.objects.exclude(status=Place.Status.GONE)
    if model is Service:
        return Service.objects.exclude(status=Service.Status.ENDED)
    if model is ServiceException:
        return (
            ServiceException.objects.filter(date__gte=today)
            .exclude(service__status=Service.Status.ENDED)
            .select_related("service")
        )
    if model is Alert:
        return Alert.objects.exclude(ends_at__lte=now)
    return model._default_manager.all()


def with_label_relations(queryset):
    """What label_of reads, so a list of labels costs one query."""
    if queryset.model is ServiceException:
        return queryset.select_related("service")
    return queryset


def label_of(obj):
    """A short English name for an object, for translators' lists."""
    if isinstance(obj, ServiceException):
        return f"{obj.service.title_en} · {date_format(obj.date, 'j F Y')}"
    if isinstance(obj, Organisation):
        return obj.name
    first = translated_fields(type(obj))[0]
    text = getattr(obj, f"{first}_{SOURCE_LANGUAGE}") or ""
    return text if len(text) <= 80 else text[:79] + "…"


def admin_url(obj):
    """Where the text is edited: an exception's reason is an inline of its service."""
    if isinstance(obj, ServiceException):
        return reverse("admin:guides_service_change", args=[obj.service_id])
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@dataclass(frozen=True)
class Text:
    """One translation of one field of one object."""

    obj: models.Model
    field: str
    language: str
    status: Status
    source: str
    translation: str
    source_hash: str

    @property
    def id(self):
        return unit_id(self.obj, self.field)

    @property
    def model(self):
        return type(self.obj)

    @property
    def field_label(self):
        return self.model._meta.get_field(self.field).verbose_name

    @property
    def max_length(self):
        return max_length(self.model, self.field, self.language)


def states_of(objects_by_model, languages):
    """{(model, pk, field, language): (source_hash, needs_review)} in one query."""
    content_types = ContentType.objects.get_for_models(*objects_by_model)
    model_of = {ct.pk: model for model, ct in content_types.items()}
    rows = TranslationState.objects.filter(
        content_type__in=list(content_types.values()), language__in=list(languages)
    ).values_list(
        "content_type_id", "object_id", "field", "language", "source_hash", "needs_review"
    )
    return {
        (model_of[ct_id], pk, name, language): (recorded, review)
        for ct_id, pk, name, language, recorded, review in rows
    }


def texts(*, languages, now=None, objects_by_model=None, prints=None):
    """Every translation in `languages` of what is in scope, with its status.

    One query per translated model plus one for the states, whatever the number of texts.
    Fields whose English is empty are left out: there is nothing to translate; so are those
    for which `prints(obj, field)`, when given, is false.
    """
    now = now or timezone.now()
    if objects_by_model is None:
        objects_by_model = {model: list(in_scope(model, now=now)) for model in translated_models()}
    states = states_of(objects_by_model, languages)
    found = []
    for model, objects in objects_by_model.items():
        names = translated_fields(model)
        for obj in objects:
            for name in names:
                source = getattr(obj, f"{name}_{SOURCE_LANGUAGE}") or ""
                if not normalise(source) or (prints and not prints(obj, name)):
                    continue
                current = source_hash(source)
                for language in languages:
                    translation = getattr(obj, f"{name}_{language}") or ""
                    state = states.get((model, obj.pk, name, language))
                    status = status_of(source, translation, state, current_hash=current)
                    found.append(Text(obj, name, language, status, source, translation, current))
    return found


@dataclass
class Progress:
    language: str
    counts: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts.get(Status.UP_TO_DATE, 0)

    @property
    def percent_done(self):
        # Rounded down: 99.6 % is not done.
        return 100 if not self.total else self.done * 100 // self.total

    @property
    def missing(self):
        return self.counts.get(Status.MISSING, 0)

    @property
    def outdated(self):
        return self.counts.get(Status.OUTDATED, 0)

    @property
    def draft(self):
        return self.counts.get(Status.DRAFT, 0)

    @property
    def name(self):
        return dict(settings.LANGUAGES)[self.language]


def progress(all_texts, languages):
    """One Progress per language, in the order given."""
    found = {language: Progress(language, dict.fromkeys(Status, 0)) for language in languages}
    for text in all_texts:
        found[text.language].counts[text.status] += 1
    return [found[language] for language in languages]


class Urgency(models.IntegerChoices):
    ALERT = 0, _("Alerts showing now")
    OPEN_THIS_WEEK = 1, _("Services open in the coming week")
    INFO_PAGE = 2, _("Info pages")
    OTHER = 3, _("Everything else")


@dataclass
class QueueEntry:
    obj: models.Model
    urgency: Urgency
    sort_key: tuple
    texts: list = field(default_factory=list)

    @property
    def label(self):
        return label_of(self.obj)

    @property
    def url(self):
        return admin_url(self.obj)

    @property
    def kind(self):
        return self.obj._meta.verbose_name


SEVERITY_ORDER = {Alert.Severity.DANGER: 0, Alert.Severity.WARNING: 1, Alert.Severity.INFO: 2}


def queue(all_texts, *, now=None):
    """The objects with work left (missing, outdated, draft), most urgent first.

    Alerts showing now, then services that open in the coming week (and their exceptions),
    then info pages, then the rest. Three queries, for the week's schedule.
    """
    now = now or timezone.now()
    todo = [text for text in all_texts if text.status != Status.UP_TO_DATE]
    if not todo:
        return []
    _services, occurrences = Service.objects.visible().scheduled_between(now, now + WEEK)
    next_opening = {}
    for occurrence in occurrences:
        next_opening.setdefault(occurrence.service.pk, occurrence.start)
    entries = {}
    for text in todo:
        key = (text.model, text.obj.pk)
        if key not in entries:
            urgency, sort_key = _urgency(text.obj, now, next_opening)
            entries[key] = QueueEntry(text.obj, urgency, sort_key)
        entries[key].texts.append(text)
    return sorted(entries.values(), key=lambda entry: (entry.urgency, entry.sort_key))


def _urgency(obj, now, next_opening):
    if isinstance(obj, Alert) and obj.is_active(now):
        return Urgency.ALERT, (SEVERITY_ORDER.get(obj.severity, 9), -obj.starts_at.timestamp())
    service_id = (
        obj.pk
        if isinstance(obj, Service)
        else obj.service_id
        if isinstance(obj, ServiceException)
        else None
    )
    if service_id in next_opening:
        return Urgency.OPEN_THIS_WEEK, (next_opening[service_id], type(obj).__name__, obj.pk)
    if isinstance(obj, InfoPage):
        return Urgency.INFO_PAGE, (not obj.is_published, obj.order, obj.slug)
    return Urgency.OTHER, (type(obj).__name__, label_of(obj).casefold(), obj.pk)


# --- Who translates what ---------------------------------------------------------------------


def is_translator(user):
    """A member of the translator group: their admin shows only their languages' texts."""
    if not user.is_authenticated or user.is_superuser:
        return False
    cached = getattr(user, "_is_translator", None)
    if cached is None:
        cached = user.groups.filter(name=TRANSLATOR_GROUP).exists()
        user._is_translator = cached
    return cached


def is_coordinator(user):
    """Sees every language: a superuser, or a guide editor who is not a translator."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or (user.has_perm("guides.change_service") and not is_translator(user))


def languages_for(user):
    """The languages a staff member may translate into, in the order of settings."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return ()
    cached = getattr(user, "_translation_languages", None)
    if cached is not None:
        return cached
    if is_translator(user):
        profile = TranslatorProfile.objects.filter(user=user).first()
        chosen = set(profile.languages) if profile else set()
        cached = tuple(code for code in TARGET_LANGUAGES if code in chosen)
    elif is_coordinator(user):
        cached = TARGET_LANGUAGES
    else:
        cached = ()
    user._translation_languages = cached
    return cached


# --- Public pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outdated:
    """A shown translation that may be out of date, and when its English changed if known."""

    english_changed_at: object  # a datetime, or None


def public_states(language, version):
    """{"service.12.title": (recorded hash, English hash, English changed at)} for a language.

    One query, cached under the content version (Area.content_changed_at, which every
    write of texts or states moves), so a page costs it at most once per content change.
    """
    key = f"translation-states:{language}:{version.isoformat()}"
    found = cache.get(key)
    if found is None:
        english = TranslationState.objects.filter(
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            field=OuterRef("field"),
            language=SOURCE_LANGUAGE,
        )
        rows = (
            TranslationState.objects.filter(language=language)
            .annotate(
                english_hash=Subquery(english.values("source_hash")[:1]),
                english_at=Subquery(english.values("recorded_at")[:1]),
            )
            .values_list(
                "content_type__model",
                "object_id",
                "field",
                "source_hash",
                "english_hash",
                "english_at",
            )
        )
        found = {
            f"{model}.{pk}.{name}": (recorded, english_hash, english_at)
            for model, pk, name, recorded, english_hash, english_at in rows
        }
        cache.set(key, found, timeout=24 * 3600)
    return found


def outdated(obj, field_name, states):
    """Outdated(...) when the shown translation was made from another English, else None."""
    if obj._meta.app_label != "guides":
        return None
    state = states.get(unit_id(obj, field_name))
    if state is None:
        return None
    recorded, english_hash, english_at = state
    current = source_hash(getattr(obj, f"{field_name}_{SOURCE_LANGUAGE}", "") or "")
    if recorded == current:
        return None
    # The English row's date holds only if it was recorded for the English shown now.
    return Outdated(english_at if english_hash == current else None)
