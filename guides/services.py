"""Workflows that write translation states (admin saves, imports, the demo loader), and the
publication of the printed guide's monthly editions.

Each is a keyword-only function inside transaction.atomic(). The rules they follow (hashes,
statuses, what markup is allowed) are in guides/translation_status.py, the file formats in
guides/exchange.py.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from guides import editions, exchange, printed, signals
from guides import translation_status as ts
from guides.models import Area, Edition, EditionFile, TranslationImport, TranslationState


class Review:
    """What a save says about the translations in the form (TranslatedAdmin's radio)."""

    READY = ""
    DRAFT = "draft"
    REVIEWED = "reviewed"


class ImportRejected(Exception):
    """An upload that cannot be applied; `problems` lists every reason, for people."""

    def __init__(self, problems):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = [str(problem) for problem in problems]


def _state_key(obj, field_name, language):
    return {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
        "field": field_name,
        "language": language,
    }


def _english(obj, field_name):
    return getattr(obj, f"{field_name}_{ts.SOURCE_LANGUAGE}") or ""


def record_translation(*, obj, field_name, language, user=None, needs_review=False):
    """Record that obj's text in `language` translates the English it has now."""
    with transaction.atomic():
        TranslationState.objects.update_or_create(
            **_state_key(obj, field_name, language),
            defaults={
                "source_hash": ts.source_hash(_english(obj, field_name)),
                "needs_review": needs_review,
                "recorded_at": timezone.now(),
                "recorded_by": user,
            },
        )


def record_source(*, obj, field_name, user=None, previous=None, minor_edit=False):
    """Record the English of a field as it is now, if it changed.

    With `minor_edit`, the translations that were up to date with the `previous` English
    are moved to the new one: a typo fixed in English leaves them valid.
    """
    new_hash = ts.source_hash(_english(obj, field_name))
    key = _state_key(obj, field_name, ts.SOURCE_LANGUAGE)
    with transaction.atomic():
        row = TranslationState.objects.select_for_update().filter(**key).first()
        if row is None or row.source_hash != new_hash:
            TranslationState.objects.update_or_create(
                **key,
                defaults={
                    "source_hash": new_hash,
                    "recorded_at": timezone.now(),
                    "recorded_by": user,
                },
            )
        if minor_edit and previous is not None:
            old_hash = ts.source_hash(previous)
            if old_hash != new_hash:
                TranslationState.objects.translations().filter(
                    content_type=key["content_type"],
                    object_id=obj.pk,
                    field=field_name,
                    source_hash=old_hash,
                ).update(source_hash=new_hash)


def record_edit(*, obj, before, user, minor_edit=False, review=Review.READY, languages=None):
    """Record what one save of `obj` did to its texts.

    `before` holds the translated columns as they were before the save ({"title_ar": ...}),
    for the columns the form could change; a column not in it did not change. A new object
    has before={}. Translations changed in the save are recorded against the English saved
    with them, as drafts when `review` is DRAFT; with REVIEWED, every translation in
    `languages` is recorded as up to date. An emptied translation loses its state.
    """
    languages = ts.TARGET_LANGUAGES if languages is None else languages
    with transaction.atomic():
        for field_name in ts.translated_fields(type(obj)):
            english_column = f"{field_name}_{ts.SOURCE_LANGUAGE}"
            english = _english(obj, field_name)
            previous = before.get(english_column, english) or ""
            if ts.normalise(english):
                record_source(
                    obj=obj,
                    field_name=field_name,
                    user=user,
                    previous=previous,
                    minor_edit=minor_edit,
                )
            for language in ts.TARGET_LANGUAGES:
                column = f"{field_name}_{language}"
                text = getattr(obj, column) or ""
                changed = column in before and (before[column] or "") != text
                if not ts.normalise(text):
                    if changed:
                        TranslationState.objects.filter(
                            **_state_key(obj, field_name, language)
                        ).delete()
                    continue
                if review == Review.REVIEWED and language in languages:
                    record_translation(obj=obj, field_name=field_name, language=language, user=user)
                elif changed:
                    record_translation(
                        obj=obj,
                        field_name=field_name,
                        language=language,
                        user=user,
                        needs_review=review == Review.DRAFT,
                    )
        signals.bump_content_version()


def track_existing_translations(*, models=None):
    """Record every text that has no state yet as matching its English now.

    For texts written before tracking began and for the demo loader: each translation
    with no state is taken as up to date, and each English gets its source row. Rows that
    exist are left alone, so running it twice changes nothing. Returns the rows created.
    """
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for model in models or ts.translated_models():
            content_type = ContentType.objects.get_for_model(model)
            have = set(
                TranslationState.objects.filter(content_type=content_type).values_list(
                    "object_id", "field", "language"
                )
            )
            rows = []
            for obj in model._default_manager.all():
                for field_name in ts.translated_fields(model):
                    english = _english(obj, field_name)
                    if not ts.normalise(english):
                        continue
                    current = ts.source_hash(english)
                    for language in (ts.SOURCE_LANGUAGE, *ts.TARGET_LANGUAGES):
                        text = getattr(obj, f"{field_name}_{language}") or ""
                        if ts.normalise(text) and (obj.pk, field_name, language) not in have:
                            rows.append(
                                TranslationState(
                                    content_type=content_type,
                                    object_id=obj.pk,
                                    field=field_name,
                                    language=language,
                                    source_hash=current,
                                    recorded_at=now,
                                )
                            )
            TranslationState.objects.bulk_create(rows)
            created += len(rows)
        if created:
            signals.bump_content_version()
    return created


# --- Offline translation: export, check, preview, apply --------------------------------------

EXPORTED = (ts.Status.MISSING, ts.Status.OUTDATED)


def export_units(*, language, now=None):
    """The texts of a language that are missing or outdated, most urgent first."""
    all_texts = ts.texts(languages=[language], now=now)
    units = []
    for entry in ts.queue(all_texts, now=now):
        for text in entry.texts:
            if text.status not in EXPORTED:
                continue
            limit = text.max_length
            note = f"{capfirst(entry.kind)}: {entry.label} · {text.field_label}"
            if limit:
                note += " · " + _("at most %(n)s characters") % {"n": limit}
            if ts.markdown_allowed(text.model, text.field, text.source):
                note += " · " + _("Markdown allowed")
            units.append(
                exchange.ExportUnit(
                    id=text.id,
                    source=text.source,
                    source_hash=text.source_hash,
                    target=text.translation if text.status == ts.Status.OUTDATED else "",
                    note=str(note),
                    status=text.status,
                    max_length=limit,
                )
            )
    return units


def _guide_language(code):
    """A file's language as the guide names it: some tools write "ar-SA" for Arabic."""
    primary = code.split("-")[0]
    return primary if code not in ts.TARGET_LANGUAGES and primary in ts.TARGET_LANGUAGES else code


def _clean_target(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _control_characters(text):
    return any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


def check_upload(*, parsed, user):
    """(changes, problems) for a parsed file: what applying it would do, and what forbids it.

    Every unit is checked against the guide as it is now: the id must name a text, the
    English must be the one exported, the translation must fit the field and hold no markup
    it may not. Units left empty, or left as exported, change nothing.
    """
    language = _guide_language(parsed.language)
    problems = []
    names = dict(settings.LANGUAGES)
    if language not in ts.TARGET_LANGUAGES:
        problems.append(
            _("The file is for “%(code)s”, not a language the guide is translated into.")
            % {"code": language or "?"}
        )
        return [], problems
    allowed = ts.languages_for(user)
    if language not in allowed:
        problems.append(
            _("This file is in %(language)s; you translate into %(yours)s.")
            % {
                "language": names[language],
                "yours": ", ".join(str(names[code]) for code in allowed) or _("no language"),
            }
        )
        return [], problems

    wanted = {}
    for unit in parsed.units:
        found = ts.parse_unit_id(unit.id)
        if found:
            model, pk, _field = found
            wanted.setdefault(model, set()).add(pk)
    objects = {
        (model, obj.pk): obj
        for model, pks in wanted.items()
        for obj in ts.with_label_relations(model._default_manager.filter(pk__in=pks))
    }
    states = ts.states_of({model: [] for model in wanted}, [language]) if wanted else {}

    changes, seen = [], set()
    for unit in parsed.units:
        if unit.id in seen:
            problems.append(_("%(id)s appears twice in the file.") % {"id": unit.id})
            continue
        seen.add(unit.id)
        found = ts.parse_unit_id(unit.id)
        obj = objects.get(found[:2]) if found else None
        if obj is None:
            problems.append(
                _("Unknown id “%(id)s”: no such text in the guide.") % {"id": unit.id or "?"}
            )
            continue
        model, _pk, field_name = found
        target = _clean_target(unit.target)
        if not ts.normalise(target):
            continue
        english = _english(obj, field_name)
        current = ts.source_hash(english)
        carried = unit.source_hash or (
            ts.source_hash(unit.source) if unit.source is not None else None
        )
        if carried is None:
            problems.append(_("%(id)s carries no source hash.") % {"id": unit.id})
            continue
        if carried != current:
            problems.append(
                _(
                    "The English of %(id)s changed since the file was exported: download a "
                    "new file for it."
                )
                % {"id": unit.id}
            )
            continue
        problems.extend(_check_text(unit, model, field_name, english, target, language))
        old = getattr(obj, f"{field_name}_{language}") or ""
        status = ts.status_of(english, old, states.get((model, obj.pk, field_name, language)))
        if target == old and (not unit.confirmed or status == ts.Status.UP_TO_DATE):
            continue
        changes.append(
            {
                "id": unit.id,
                "label": ts.label_of(obj),
                "field_label": str(model._meta.get_field(field_name).verbose_name),
                "english": english,
                "source_hash": current,
                "old": old,
                "new": target,
                "needs_review": not unit.confirmed,
            }
        )
    return changes, problems


def _check_text(unit, model, field_name, english, target, language):
    problems = []
    if unit.has_inline_codes:
        problems.append(
            _("%(id)s: the translation holds XLIFF inline codes; type plain text.")
            % {"id": unit.id}
        )
    if ts.has_html(target):
        problems.append(_("%(id)s: HTML is not allowed in the guide's texts.") % {"id": unit.id})
    elif ts.uses_markdown(target) and not ts.markdown_allowed(model, field_name, english):
        problems.append(
            _("%(id)s: Markdown is only for info page bodies; type plain text here.")
            % {"id": unit.id}
        )
    if _control_characters(target):
        problems.append(_("%(id)s: the text holds control characters.") % {"id": unit.id})
    limit = ts.max_length(model, field_name, language)
    if limit and len(target) > limit:
        problems.append(
            _("%(id)s: %(n)s characters, and the field takes at most %(limit)s.")
            % {"id": unit.id, "n": len(target), "limit": limit}
        )
    try:
        model._meta.get_field(f"{field_name}_{language}").run_validators(target)
    except ValidationError as error:
        problems.extend(f"{unit.id}: {message}" for message in error.messages)
    return problems


def preview_import(*, user, filename, data):
    """Read and check an uploaded file; keep what it would change for the preview.

    Raises ImportRejected with every problem found; nothing is written then. Otherwise
    returns a TranslationImport waiting to be applied: no text has changed yet.
    """
    try:
        parsed = exchange.parse(filename, data)
    except exchange.FileError as error:
        raise ImportRejected([error]) from None
    changes, problems = check_upload(parsed=parsed, user=user)
    if problems:
        raise ImportRejected(problems)
    if not changes:
        raise ImportRejected(
            [_("The file changes nothing: its texts are empty or the same as in the guide.")]
        )
    with transaction.atomic():
        return TranslationImport.objects.create(
            user=user,
            language=_guide_language(parsed.language),
            file_format=parsed.file_format,
            filename=filename[:255],
            changes=changes,
        )


def apply_import(*, batch, user):
    """Apply every change of a previewed import, or none of them.

    Checked again under lock: the English, and the translation the preview showed, must
    still be what they were, or nothing is written and ImportRejected says which texts moved.
    """
    with transaction.atomic():
        batch = TranslationImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != TranslationImport.Status.PREVIEWED:
            raise ImportRejected([_("This import was already applied or discarded.")])
        if batch.user_id != user.pk or batch.language not in ts.languages_for(user):
            raise ImportRejected([_("Only the person who uploaded a file can apply it.")])
        language = batch.language
        targets = {}
        for change in batch.changes:
            model, pk, field_name = ts.parse_unit_id(change["id"])
            targets.setdefault(model, {})[pk] = None
        objects = {}
        for model, pks in targets.items():
            for obj in model._default_manager.select_for_update().filter(pk__in=list(pks)):
                objects[(model, obj.pk)] = obj
        problems = []
        for change in batch.changes:
            model, pk, field_name = ts.parse_unit_id(change["id"])
            obj = objects.get((model, pk))
            if obj is None:
                problems.append(_("%(id)s was deleted since the preview.") % change)
            elif ts.source_hash(_english(obj, field_name)) != change["source_hash"]:
                problems.append(_("The English of %(id)s changed since the preview.") % change)
            elif (getattr(obj, f"{field_name}_{language}") or "") != change["old"]:
                problems.append(_("%(id)s was translated by someone else meanwhile.") % change)
        if problems:
            raise ImportRejected(problems)
        for change in batch.changes:
            model, pk, field_name = ts.parse_unit_id(change["id"])
            obj = objects[(model, pk)]
            column = f"{field_name}_{language}"
            setattr(obj, column, change["new"])
            update_fields = [column]
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update_fields.append("updated_at")
            # Named in the audit history even when applied outside a request.
            obj._history_user = user
            obj.save(update_fields=update_fields)
            record_translation(
                obj=obj,
                field_name=field_name,
                language=language,
                user=user,
                needs_review=change["needs_review"],
            )
        batch.status = TranslationImport.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.save(update_fields=["status", "applied_at"])
        signals.bump_content_version()
    return batch


def discard_import(*, batch, user):
    """Drop a previewed import without applying it; the row stays, marked discarded."""
    with transaction.atomic():
        updated = TranslationImport.objects.filter(
            pk=batch.pk, user=user, status=TranslationImport.Status.PREVIEWED
        ).update(status=TranslationImport.Status.DISCARDED)
    return bool(updated)


# --- Monthly editions of the printed guide ----------------------------------------------------


class PublishRefused(Exception):
    """An edition that cannot be published; the message says why, for people."""


def publish_edition(*, month, user, site=None, now=None):
    """Publish the edition of `month`: every area's booklet in every language, frozen.

    Each PDF is rendered from the guide as it is now (guides/printed.py) and stored with the
    share of its texts up to date in its language. All or nothing: if one render or one file
    write fails, the files already written are deleted and no Edition row remains. `site` is
    the public address printed on the covers (default: settings.PUBLIC_SITE_URL).

    Raises PublishRefused when `month` is not the first day of a month or already has an
    edition. Returns the Edition.
    """
    if month.day != 1:
        raise PublishRefused(_("An edition is for a month: give its first day."))
    try:
        site = site or printed.site_url()
    except ValueError as error:
        raise PublishRefused(str(error)) from None
    now = now or timezone.now()
    label = printed.month_label(month)
    if Edition.objects.filter(month=month).exists():
        raise PublishRefused(_("%(month)s already has an edition.") % {"month": label})
    languages = [code for code, _name in settings.LANGUAGES]
    written = []
    try:
        with transaction.atomic():
            # The row first: a second coordinator publishing the same month waits here on
            # the unique month, then is refused, before rendering anything.
            edition = Edition.objects.create(month=month, published_at=now, published_by=user)
            for area in Area.objects.all():
                completeness = editions.area_completeness(area, languages, now=now)
                for language in languages:
                    with translation.override(language):
                        pdf, _html = printed.render_booklet(
                            area,
                            now=now,
                            month=month,
                            site=site,
                            frozen=True,
                            completeness=completeness[language],
                        )
                    done = completeness[language]
                    file = EditionFile(
                        edition=edition,
                        area=area,
                        language=language,
                        size=len(pdf),
                        sha256=hashlib.sha256(pdf).hexdigest(),
                        percent_complete=done.percent,
                        outdated_texts=done.outdated,
                        behind=done.behind,
                    )
                    # Named before writing: a write that fails half way leaves a partial file
                    # under this name, which must go too.
                    target = default_storage.get_available_name(
                        file.pdf.field.generate_filename(file, file.filename)
                    )
                    written.append(target)
                    file.pdf.save(file.filename, ContentFile(pdf), save=False)
                    if file.pdf.name != target:
                        written.append(file.pdf.name)
                    file.save()
    except IntegrityError:
        _delete_files(written)
        raise PublishRefused(_("%(month)s already has an edition.") % {"month": label}) from None
    except BaseException:
        _delete_files(written)
        raise
    return edition


def _delete_files(names):
    for name in names:
        default_storage.delete(name)
