"""The printed guide: an A5 booklet of one area in one language, as HTML and as PDF.

The PDF is WeasyPrint applied to the print view's HTML and its print stylesheet, so what a
volunteer checks on screen is what the printer gets. Rendering fetches nothing from another
host (GuideFetcher): our static files and data: URLs only. A rendered PDF is kept in the cache
under the area's content version and the edition month, like the public pages
(guides.pagecache), and carries an ETag, so a phone pays for it once.

Monthly editions freeze one PDF per area and language (guides.services.publish_edition); the
views at the end list them and serve them as they were published.
"""

import functools
import hashlib
import logging
import posixpath
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.translation import get_language, get_language_info
from django.views.decorators.http import require_safe

from guides import booklet, schedule
from guides.editions import REFERENCE_LANGUAGES, area_completeness
from guides.models import (
    Alert,
    Area,
    Edition,
    EditionFile,
    InfoPage,
    OpeningHours,
    pdf_filename,
)
from guides.pagecache import MAX_AGE, PublicPage, public_page

logger = logging.getLogger(__name__)

TEMPLATE = "guides/print/guide.html"


def edition_month(moment):
    """The first day of the month `moment` falls in, in Paris."""
    return schedule.local_date(moment).replace(day=1)


def next_month(month):
    return (month + timedelta(days=32)).replace(day=1)


def month_label(month):
    return date_format(month, "YEAR_MONTH_FORMAT")


SITE = re.compile(r"https?://[a-z0-9.-]+(:[0-9]+)?", re.IGNORECASE)


def clean_site(text):
    """A public origin as typed (https://guide.example.org, a trailing slash allowed), or
    ValueError: the booklet's links and its own stylesheet's address are built on it."""
    site = (text or "").strip().rstrip("/")
    if not SITE.fullmatch(site):
        raise ValueError(f"{text!r} is not an address like https://guide.example.org (no path).")
    return site


def site_url(request=None):
    """The public origin printed on the booklet: PUBLIC_SITE_URL, else the request's."""
    if settings.PUBLIC_SITE_URL:
        return settings.PUBLIC_SITE_URL
    if request is None:
        raise ValueError("Set PUBLIC_SITE_URL: a booklet rendered outside a request needs it.")
    return f"{request.scheme}://{request.get_host()}"


def url_in(language, name, *args):
    """A path of the public guide in another language (the /<lang>/ prefix follows it)."""
    with translation.override(language):
        return reverse(name, args=args)


def qr_svg(url):
    """The QR code of `url` as inline SVG: no image file, nothing to fetch."""
    # Medium error correction survives a fold or a smudge on a handed-out booklet.
    return segno.make(url, error="m", micro=False).svg_inline(
        omitsize=True, border=4, svgclass="qr-code", lineclass=None, title=url
    )


# --- What the booklet says --------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    month: date
    url: str
    qr: str
    completeness: object  # editions.Completeness
    # [(language name, url)] of the French and English booklets, when this one is behind.
    references: tuple


def _week_grid(services):
    """Rows of (service, [slots per weekday Monday..Sunday]) for services with regular hours."""
    rows = []
    for service in services:
        weekly = service.weekly_hours()
        if not weekly:
            continue
        days = [[] for _day in OpeningHours.Weekday]
        for day, _name, slots in weekly:
            days[day] = slots
        rows.append((service, days))
    return rows


def booklet_context(area, *, now, month, site, frozen=False, completeness=None):
    """Everything the booklet prints, in the active language, as it is at `now`.

    `frozen` for an edition being published (its cover points to the same edition in French
    and English), else the live booklet. `completeness` is the language's
    editions.Completeness when the caller has it; else it is counted on this selection.
    """
    language = get_language()
    selection = booklet.select(area, now=now)
    if completeness is None:
        completeness = area_completeness(area, [language], now=now, selection=selection)[language]
    references = ()
    if completeness.behind:
        name = "guides:edition_pdf" if frozen else "guides:guide_pdf"
        args = [area.slug, f"{month:%Y-%m}"] if frozen else [area.slug]
        references = tuple(
            (get_language_info(code)["name_local"], site + url_in(code, name, *args))
            for code in REFERENCE_LANGUAGES
            if code != language
        )
    online = site + reverse("guides:area", args=[area.slug])
    today = schedule.local_date(now)
    pages = selection.pages
    return {
        "area": area,
        "now": now,
        "frozen": frozen,
        "cover": Cover(month, online, qr_svg(online), completeness, references),
        "month_label": month_label(month),
        "alerts": selection.alerts,
        "sections": selection.sections,
        "week": _week_grid(selection.services),
        "weekdays": [date_format(day, "D") for day in schedule.weekday_dates(today)],
        "places": selection.places,
        "info_pages": [page for page in pages if page.topic != InfoPage.Topic.EMERGENCY],
        "emergency_pages": [page for page in pages if page.topic == InfoPage.Topic.EMERGENCY],
        "site": site,
    }


def fresh_until(area, now):
    """When the live booklet stops being true: the next midnight in Paris (its "changes
    ahead" and completeness count from today), or an alert starting or ending."""
    midnight = schedule.wall_clock(schedule.local_date(now) + timedelta(days=1), time(0))
    moments = [midnight]
    for starts, ends in Alert.objects.filter(area=area).values_list("starts_at", "ends_at"):
        moments.extend(moment for moment in (starts, ends) if moment and moment > now)
    return min(moments)


def booklet_html(area, *, now, month, site, **options):
    """The print view's HTML. No request: the PDF and the print page are the same document.

    `options` are booklet_context's (frozen, completeness).
    """
    context = booklet_context(area, now=now, month=month, site=site, **options)
    return render_to_string(TEMPLATE, context)


# --- HTML to PDF, fetching nothing from elsewhere -----------------------------------------------


def static_file(url, site):
    """The file behind one of our static URLs (as the booklet's HTML writes them), or None."""
    # settings.STATIC_URL reads "/static/": Django adds the script prefix to "static/".
    prefix = settings.STATIC_URL
    prefix = site + prefix if prefix.startswith("/") else prefix
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    name = unquote(parts.path[len(urlsplit(prefix).path) :])
    if parts.query or parts.fragment or not name or name.startswith("/"):
        return None
    if name != posixpath.normpath(name):
        return None
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
        # Development (DEBUG): the unhashed name, from the apps' static folders.
        return finders.find(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None


@functools.cache
def fetcher_class():
    """GuideFetcher, built on first use: importing WeasyPrint takes about two seconds, which
    every process (manage.py, each worker) would otherwise pay at start-up."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class GuideFetcher(URLFetcher):
        """Serves WeasyPrint our static files and data: URLs; refuses every other address.

        A template or a text naming an image or stylesheet on another host must not make the
        server fetch it: that would tell the host who prints the guide, and wait on it.
        Refused addresses are kept in `refused`, and logged.
        """

        def __init__(self, site):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.site = site
            self.refused = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url, self.site)
            if path is None:
                self.refused.append(url)
                logger.warning("Printed guide: refused to fetch %s", url)
                raise ValueError(f"Only the guide's own static files are fetched, not {url}")
            with open(path, "rb") as file:
                body = file.read()
            headers = {"Content-Type": "text/css"} if path.endswith(".css") else {}
            return URLFetcherResponse(url, body, headers)

    return GuideFetcher


def render_pdf(html, *, site, fetcher=None):
    """PDF bytes of the booklet's HTML. The same HTML gives the same bytes (no dates inside)."""
    from weasyprint import HTML

    fetcher = fetcher or fetcher_class()(site)
    return HTML(string=html, base_url=site + "/", url_fetcher=fetcher).write_pdf()


def render_booklet(area, *, now, month, site, **options):
    """(PDF bytes, HTML) of the area's booklet in the active language."""
    html = booklet_html(area, now=now, month=month, site=site, **options)
    return render_pdf(html, site=site), html


# --- The live booklet, cached --------------------------------------------------------------------


def _cache_key(area, language, month, site):
    raw = f"{area.pk}|{language}|{area.content_changed_at.isoformat()}|{month:%Y-%m}|{site}"
    return "guide-pdf:" + hashlib.sha256(raw.encode()).hexdigest()


def live_pdf(area, *, now, site):
    """The cached entry {"pdf", "etag", "rendered_at", "fresh_until", "filename"} of the
    area's live booklet in the active language, rendered when missing or stale.

    Keyed on the area, language, content version (Area.content_changed_at, moved by every
    edit), edition month and public address, so a content edit or a new month renders anew.
    """
    language = get_language()
    month = edition_month(now)
    key = _cache_key(area, language, month, site)
    use_cache = settings.PAGE_CACHE_ENABLED
    entry = cache.get(key) if use_cache else None
    if entry is None or entry["fresh_until"] <= now:
        pdf, _html = render_booklet(area, now=now, month=month, site=site)
        entry = {
            "pdf": pdf,
            "etag": '"' + hashlib.sha256(pdf).hexdigest()[:32] + '"',
            "rendered_at": now,
            "fresh_until": fresh_until(area, now),
            "filename": pdf_filename(area, language, month),
        }
        if use_cache:
            timeout = (entry["fresh_until"] - now).total_seconds()
            cache.set(key, entry, timeout=max(1, int(timeout)))
    return entry


def _pdf_response(request, body, *, etag, last_modified, filename, max_age):
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={max(0, int(max_age))}"
    response["Content-Language"] = get_language()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
    )


# --- Views ----------------------------------------------------------------------------------------


@require_safe
@public_page
def print_view(request, area):
    """The booklet as a web page: what the PDF is made from, to check or print from a browser."""
    now = timezone.now()
    html = booklet_html(area, now=now, month=edition_month(now), site=site_url(request))
    return PublicPage(html, fresh_until=fresh_until(area, now))


@require_safe
def guide_pdf(request, area):
    area = get_object_or_404(Area, slug=area)
    now = timezone.now()
    entry = live_pdf(area, now=now, site=site_url(request))
    return _pdf_response(
        request,
        entry["pdf"],
        etag=entry["etag"],
        last_modified=entry["rendered_at"],
        filename=entry["filename"],
        max_age=min(MAX_AGE, entry["fresh_until"] - now).total_seconds(),
    )


@require_safe
@public_page(cached=False)
def editions(request, area):
    """Every published edition of the area, with a link per language and how complete it was.

    Not kept in the page cache: publishing an edition moves no content version.
    """
    files = EditionFile.objects.filter(area=area).order_by()
    rows = []
    for edition in Edition.objects.prefetch_related(Prefetch("files", queryset=files)):
        by_language = {file.language: file for file in edition.files.all()}
        languages = []
        for code, _name in settings.LANGUAGES:
            file = by_language.get(code)
            if file is None:
                continue
            url = url_in(code, "guides:edition_pdf", area.slug, f"{edition.month:%Y-%m}")
            languages.append((get_language_info(code), file, url))
        if languages:
            rows.append((edition, month_label(edition.month), languages))
    html = render_to_string(
        "guides/print/editions.html", {"area": area, "rows": rows}, request=request
    )
    return PublicPage(html)


MONTH = re.compile(r"([1-9]\d{3})-(0[1-9]|1[0-2])")


def publishable_months(now):
    """The months an edition may be published for: last month, this month and next month."""
    this_month = edition_month(now)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return [last_month, this_month, next_month(this_month)]


def parse_month(text):
    """date(2026, 12, 1) for "2026-12"; None for anything else (year 0 included)."""
    match = MONTH.fullmatch(text or "")
    return date(int(match[1]), int(match[2]), 1) if match else None


@require_safe
def edition_pdf(request, area, month):
    """A frozen booklet, byte for byte as published."""
    month = parse_month(month)
    if month is None:
        raise Http404
    file = get_object_or_404(
        EditionFile.objects.select_related("edition", "area"),
        area__slug=area,
        language=get_language(),
        edition__month=month,
    )
    etag = f'"{file.sha256[:32]}"'
    published = file.edition.published_at
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(published.timestamp()), response=None
    )
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    try:
        stored = default_storage.open(file.pdf.name, "rb")
    except FileNotFoundError:
        # The row outlived its file (a volume not mounted, a restore without media/).
        logger.error("Edition file missing from storage: %s", file.pdf.name)
        raise Http404 from None
    response = FileResponse(stored, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file.filename}"'
    # Frozen: it never changes under this address.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Language"] = file.language
    response["ETag"] = etag
    response["Last-Modified"] = http_date(published.timestamp())
    return response
