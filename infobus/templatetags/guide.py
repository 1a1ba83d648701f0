"""Template helpers for the public guide: translated fields with visible fallbacks, times."""

from django import template
from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from guides import schedule
from infobus.lib.i18n import text_in
from infobus.lib.markdown import render_markdown

register = template.Library()


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


@register.simple_tag
def tr(obj, field):
    """A translated field, marked when it falls back to English or French."""
    text, source = text_in(obj, field)
    return _wrap(format_html("{}", text), source)


@register.simple_tag
def tr_markdown(obj, field):
    text, source = text_in(obj, field)
    return _wrap(render_markdown(text), source, block=True)


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
