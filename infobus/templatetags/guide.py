"""Template helpers for the public guide: translated fields with visible fallbacks, times."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, get_language_info, gettext_noop
from django.utils.translation import gettext as _

from guides import schedule, translation_status
from guides.models import Area
from infobus.lib.i18n import text_in
from infobus.lib.markdown import render_markdown

register = template.Library()
SOURCE_LANGUAGE = translation_status.SOURCE_LANGUAGE


def _wrap(text_html, source, *, block=False):
    if source == get_language():
        return text_html
    direction = "rtl" if source in settings.LANGUAGES_BIDI else "ltr"
    tag = "div" if block else "span"
    return format_html(
        '<{} lang="{}" dir="{}">{}</{}>{}',
        tag,
        source,
        direction,
        text_html,
        tag,
        format_html(' <small class="nt">{}</small>', _("not yet translated")),
    )


@register.simple_tag(takes_context=True)
def tr(context, obj, field):
    """A translated field, marked when it falls back to English or French, or may be outdated."""
    text, source = text_in(obj, field)
    html = _wrap(format_html("{}", text), source)
    note = _outdated_note(context, obj, field, source, links=field not in LABEL_FIELDS)
    return (
        format_html("{}{}", html, format_html(' <small class="nt od">{}</small>', note))
        if note
        else html
    )


@register.simple_tag(takes_context=True)
def tr_markdown(context, obj, field):
    text, source = text_in(obj, field)
    html = _wrap(render_markdown(text), source, block=True)
    note = _outdated_note(context, obj, field, source, links=True)
    return format_html("{}{}", html, format_html('<p class="nt od">{}</p>', note)) if note else html


# Names and titles are shown inside links and page titles, where a note cannot hold links.
LABEL_FIELDS = {"name", "title"}


def _outdated_note(context, obj, field, source, *, links):
    """ "This may be out of date ..." when the shown translation was made from another English.

    The states come from translation_status.public_states: one query per language and
    content version, kept on the request so a page asks the cache once, however many texts
    it shows. Plain-text pages (autoescape off) get no note.
    """
    language = get_language()
    if source != language or language == SOURCE_LANGUAGE or not context.autoescape:
        return ""
    version = _content_version(context, obj)
    if version is None:
        return ""
    request = getattr(context, "request", None)
    memo = request if request is not None else context
    cached = getattr(memo, "_translation_states", None)
    if cached is None or cached[0] != (language, version):
        cached = ((language, version), translation_status.public_states(language, version))
        memo._translation_states = cached
    found = translation_status.outdated(obj, field, cached[1])
    if found is None:
        return ""
    note = _note_text(found.english_changed_at, language)
    if not links or request is None:
        return note
    return format_html("{} {}", note, _source_links(request))


# Translators: {date} is replaced by a date; keep it as it is.
OUTDATED_ON = gettext_noop("This may be out of date: updated in English on {date}.")
OUTDATED = gettext_noop("This may be out of date: the English has changed since it was translated.")


def _note_text(changed_at, language):
    """The note in the reader's language; in English, marked so, until it is translated."""
    message = OUTDATED_ON if changed_at else OUTDATED
    written_in = language if _(message) != message else SOURCE_LANGUAGE
    with translation.override(written_in):
        text = _(message)
        if changed_at:
            day = date_format(timezone.localtime(changed_at), "j F Y")
            text = format_html(text, date=day)
    if written_in == language:
        return text
    return format_html('<span lang="{}" dir="ltr">{}</span>', written_in, text)


def _content_version(context, obj):
    # Every write of texts or states moves every area's content_changed_at (guides.signals).
    area = obj if isinstance(obj, Area) else context.get("area")
    return getattr(area, "content_changed_at", None)


def _source_links(request):
    links = []
    for code in (SOURCE_LANGUAGE, "fr"):
        address = translate_url(request.path, code)
        if address == request.path:
            continue
        links.append(
            format_html(
                '<a href="{}" hreflang="{}" lang="{}">{}</a>',
                address,
                code,
                code,
                get_language_info(code)["name_local"],
            )
        )
    return format_html_join(" · ", "{}", ((link,) for link in links))


@register.simple_tag
def tr_row(row):
    """A name from guides.models.navigation rows."""
    return _wrap(format_html("{}", row["name"]), row["language"])


@register.filter
def hm(moment):
    """A wall-clock time in Paris, 24-hour, Western digits (see README: Languages)."""
    if moment is None:
        return ""
    if hasattr(moment, "astimezone"):
        moment = moment.astimezone(schedule.local_zone())
    return moment.strftime("%H:%M")


@register.simple_tag
def hours(start, end):
    """A time range kept left to right inside right-to-left text: 10:00–11:00, not 11:00–10:00."""
    return format_html('<span dir="ltr">{}–{}</span>', hm(start), hm(end))


@register.filter
def local_day(moment):
    return schedule.local_date(moment)


@register.simple_tag
def opening_status(occurrence, now):
    """ "Open now until 14:00", "Today 18:00-20:00", "Tuesday 12:00" for one occurrence."""
    if occurrence is None:
        return _("No opening in the coming weeks")
    start, end = occurrence.local_start, occurrence.local_end
    if occurrence.start <= now:
        if occurrence.day_and_night:
            return _("Open now, day and night")
        return format_html(_("Open now, until {end}"), end=_ltr(hm(end)))
    today = schedule.local_date(now)
    if start.date() == today:
        return format_html(_("Today {hours}"), hours=hours(start, end))
    return format_html(_("{day} {hours}"), day=date_format(start, "l j F"), hours=hours(start, end))


def _ltr(text):
    return format_html('<span dir="ltr">{}</span>', text)


@register.filter
def tel(number):
    """A French phone number as dialled from any SIM: 03 21 19 66 09 -> +33321196609."""
    digits = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+33" + digits[1:]
    return digits


@register.filter
def language_names(codes):
    """Language codes as each language's own name, so a reader finds their own."""
    from guides.models import SPOKEN_LANGUAGES

    labels = dict(SPOKEN_LANGUAGES)
    names = []
    for code in codes:
        try:
            names.append(get_language_info(code)["name_local"])
        except KeyError:
            names.append(str(labels.get(code, code)))
    return " · ".join(names)
