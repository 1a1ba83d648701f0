"""The public New Arrival Guide: server-rendered, readable without JavaScript, cached.

Each view parses, asks the models, and renders. Every page costs at most six queries
whatever the number of services (pinned by tests).
"""

import unicodedata
from datetime import time, timedelta

from django import forms
from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST, require_safe

from guides import schedule
from guides.models import (
    Area,
    Category,
    InfoPage,
    OpeningHours,
    Place,
    Report,
    Service,
    ServiceException,
    navigation,
)
from guides.pagecache import PublicPage, public_page
from infobus.lib.ratelimit import allow

WEEK = timedelta(days=7)
SEARCH_MAX_LENGTH = 100


def _page(request, template, context, *, fresh_until=None, content_type=None):
    html = render_to_string(template, context, request=request)
    kwargs = {"content_type": content_type} if content_type else {}
    return PublicPage(html, fresh_until=fresh_until, **kwargs)


def _end_of_day(now):
    return schedule.wall_clock(schedule.local_date(now) + timedelta(days=1), time(0))


def _fresh_until(now, occurrences, alerts=()):
    """The first moment what the page says stops being true: an opening or closing, a new
    day, an alert starting or ending."""
    moments = [_end_of_day(now)]
    change = schedule.next_change(occurrences, now)
    if change:
        moments.append(change)
    for alert in alerts:
        moments.extend(m for m in (alert.starts_at, alert.ends_at) if m and m > now)
    return min(moments)


@require_safe
@gzip_page
def choose_language(request):
    languages = [get_language_info(code) for code, _name in settings.LANGUAGES]
    response = render(request, "guides/choose_language.html", {"languages": languages})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@gzip_page
def choose_area(request):
    response = render(request, "guides/choose_area.html", {"areas": Area.objects.all()})
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_safe
@public_page
def area_home(request, area):
    now = timezone.now()
    end_of_day = _end_of_day(now)
    categories, pages, alerts = navigation(get_language(), area=area, now=now)
    # Loaded for the week (the bus's next sessions may be days away), computed for the rest
    # of today only: working out a week of openings for every service is what rendering
    # this page would otherwise spend its time on.
    services = Service.objects.visible().in_area(area).with_schedules_between(now, now + WEEK)
    today = sorted(
        (occ for service in services for occ in service.occurrences_between(now, end_of_day)),
        key=lambda occ: (occ.start, occ.service.title),
    )
    bus_sessions = sorted(
        (
            occ
            for service in services
            if service.organisation.is_own
            for occ in service.occurrences_between(now, now + WEEK)
        ),
        key=lambda occ: (occ.start, occ.service.title),
    )
    context = {
        "area": area,
        "alerts": [alert for alert in alerts if alert.is_active(now)],
        "open_now": [occ for occ in today if occ.start <= now],
        "later_today": [occ for occ in today if occ.start > now],
        "bus_sessions": bus_sessions[:5],
        "navigation": (categories, pages),
        "now": now,
    }
    return _page(
        request, "guides/area_home.html", context, fresh_until=_fresh_until(now, today, alerts)
    )


@require_safe
@public_page
def today(request, area):
    now = timezone.now()
    start = schedule.wall_clock(schedule.local_date(now), time(0))
    _services, occurrences = (
        Service.objects.visible().in_area(area).scheduled_between(start, _end_of_day(now))
    )
    context = {"area": area, "occurrences": occurrences, "now": now}
    return _page(request, "guides/today.html", context, fresh_until=_fresh_until(now, occurrences))


def _today_text_context(area):
    now = timezone.now()
    start = schedule.wall_clock(schedule.local_date(now), time(0))
    _services, occurrences = (
        Service.objects.visible().in_area(area).scheduled_between(start, _end_of_day(now))
    )
    return {"area": area, "occurrences": occurrences, "now": now}


@require_safe
@public_page
def today_text(request, area):
    context = _today_text_context(area)
    return _page(
        request,
        "guides/today.txt",
        context,
        fresh_until=_fresh_until(context["now"], context["occurrences"]),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@public_page
def today_share(request, area):
    context = _today_text_context(area)
    text = render_to_string("guides/today.txt", context, request=request)
    share = {
        "heading": _("Today"),
        "text": text,
        "text_url": reverse("guides:today_text", args=[area.slug]),
        "back_url": reverse("guides:today", args=[area.slug]),
    }
    return _page(
        request,
        "guides/share.html",
        {**context, **share},
        fresh_until=_fresh_until(context["now"], context["occurrences"]),
    )


def _services_with_schedule(queryset, now, *, places=True):
    """Services with what their timetable and status need; `places` when the page shows them.

    Each prefetch is a query: pages leave out what they do not show to stay within six.
    """
    lookups = [
        Prefetch("opening_hours", queryset=OpeningHours.objects.select_related("place")),
        Prefetch(
            "exceptions",
            queryset=ServiceException.objects.filter(
                date__gte=schedule.local_date(now) - timedelta(days=1),
                date__lte=schedule.local_date(now) + timedelta(days=31),
            ).select_related("place"),
        ),
    ]
    if places:
        lookups.append(Prefetch("places", queryset=Place.objects.order_by("name")))
    return queryset.select_related("organisation").prefetch_related(*lookups)


@require_safe
@public_page
def category(request, area, slug):
    category = get_object_or_404(Category, slug=slug)
    now = timezone.now()
    services = list(
        _services_with_schedule(
            Service.objects.visible().in_area(area).filter(categories=category),
            now,
            places=False,
        )
    )
    rows = [(service, service.current_or_next_occurrence(now)) for service in services]
    occurrences = [occ for _service, occ in rows if occ]
    context = {"area": area, "category": category, "rows": rows, "now": now}
    return _page(
        request, "guides/category.html", context, fresh_until=_fresh_until(now, occurrences)
    )


def _service_or_404(area, pk, now):
    queryset = _services_with_schedule(Service.objects.published().in_area(area), now)
    return get_object_or_404(queryset, pk=pk)


@require_safe
@public_page
def service(request, area, pk):
    now = timezone.now()
    service = _service_or_404(area, pk, now)
    current = service.current_or_next_occurrence(now)
    upcoming_changes = [
        exc for exc in service.exceptions.all() if exc.date >= schedule.local_date(now)
    ]
    context = {
        "area": area,
        "service": service,
        "current": current,
        "is_open": bool(current and current.start <= now),
        "weekly": service.weekly_hours(),
        "changes": upcoming_changes,
        "now": now,
        "report_form": ReportForm(),
    }
    return _page(
        request,
        "guides/service.html",
        context,
        fresh_until=_fresh_until(now, [current] if current else []),
    )


@require_safe
@public_page
def service_share(request, area, pk):
    now = timezone.now()
    service = _service_or_404(area, pk, now)
    context = {
        "area": area,
        "service": service,
        "current": service.current_or_next_occurrence(now),
        "weekly": service.weekly_hours(),
        "now": now,
    }
    text = render_to_string("guides/service.txt", context, request=request)
    share = {
        "heading": service.title,
        "text": text,
        "text_url": reverse("guides:service_text", args=[area.slug, service.pk]),
        "back_url": reverse("guides:service", args=[area.slug, service.pk]),
    }
    return _page(
        request,
        "guides/share.html",
        {**context, **share},
        fresh_until=now + timedelta(hours=1),
    )


@require_safe
@public_page
def service_text(request, area, pk):
    now = timezone.now()
    service = _service_or_404(area, pk, now)
    context = {
        "area": area,
        "service": service,
        "current": service.current_or_next_occurrence(now),
        "weekly": service.weekly_hours(),
        "now": now,
    }
    return _page(
        request,
        "guides/service.txt",
        context,
        fresh_until=now + timedelta(hours=1),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
@public_page
def info_page(request, area, slug):
    page = get_object_or_404(InfoPage.objects.published(), slug=slug)
    return _page(request, "guides/info_page.html", {"area": area, "page": page})


@require_safe
@public_page(cached=False)
def search(request, area):
    # Control characters (NUL among them) cannot be searched for and mean nothing to a reader.
    raw = "".join(ch for ch in request.GET.get("q", "") if unicodedata.category(ch) != "Cc")
    query = " ".join(raw.split())[:SEARCH_MAX_LENGTH]
    services, pages = [], []
    if query:
        language = get_language()
        # The reader's language and the fallbacks, so an untranslated service is found too.
        columns = dict.fromkeys([language, "en", "fr"])
        match = Q()
        for code in columns:
            for field in ("title", "description", "eligibility"):
                match |= Q(**{f"{field}_{code}__icontains": query})
            match |= Q(**{f"places__name_{code}__icontains": query})
            match |= Q(**{f"categories__name_{code}__icontains": query})
        match |= Q(organisation__name__icontains=query)
        services = list(
            Service.objects.visible()
            .in_area(area)
            .filter(match)
            .select_related("organisation")
            .distinct()[:50]
        )
        page_match = Q()
        for code in columns:
            page_match |= Q(**{f"title_{code}__icontains": query})
            page_match |= Q(**{f"body_{code}__icontains": query})
        pages = list(InfoPage.objects.published().filter(page_match)[:20])
    context = {"area": area, "query": query, "services": services, "pages": pages}
    return _page(request, "guides/search.html", context)


@require_safe
@public_page
def offline_manifest(request, area):
    """Every public page of the area in this language, for "Save this guide for offline"."""
    services = Service.objects.visible().in_area(area).values_list("pk", flat=True)
    language = get_language()
    urls = [
        reverse("guides:area", args=[area.slug]),
        reverse("guides:today", args=[area.slug]),
        # The list of places, with their directions: offline, the map page is that list.
        reverse("guides:map", args=[area.slug]),
        *(
            reverse("guides:category", args=[area.slug, slug])
            for slug in Category.objects.values_list("slug", flat=True)
        ),
        *(reverse("guides:service", args=[area.slug, pk]) for pk in services),
        *(
            reverse("guides:info", args=[area.slug, slug])
            for slug in InfoPage.objects.published().values_list("slug", flat=True)
        ),
        reverse("guides:offline"),
    ]
    body = JsonResponse({"language": language, "area": area.slug, "urls": urls}).content
    return PublicPage(body, content_type="application/json")


@require_safe
@gzip_page
def offline(request):
    response = render(request, "guides/offline.html", {})
    response["Cache-Control"] = "public, max-age=3600"
    return response


class ReportForm(forms.Form):
    problem = forms.ChoiceField(
        label=_("What is wrong?"), choices=Report.Problem.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Anything else? (optional; please do not write names or phone numbers)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# The one public form. It carries no CSRF token on purpose: a token would set a cookie on
# every reader's phone, and an anonymous note that changes nothing but a volunteers' queue
# gives a forged request nothing to gain. Abuse is bounded by the rate limit instead.
@csrf_exempt
@require_POST
def report(request, area, pk):
    service = get_object_or_404(Service.objects.published(), pk=pk, area__slug=area)
    form = ReportForm(request.POST)
    if not allow(request, "report", limit=5, period=3600):
        return render(
            request,
            "guides/report_done.html",
            {"service": service, "area": service.area, "refused": True},
            status=429,
        )
    if not form.is_valid():
        return render(
            request,
            "guides/report_done.html",
            {"service": service, "area": service.area, "form": form},
            status=400,
        )
    Report.objects.create(
        service=service,
        problem=form.cleaned_data["problem"],
        details=form.cleaned_data["details"],
        language=get_language(),
    )
    return HttpResponseRedirect(reverse("guides:report_thanks", args=[area, pk]))


@require_safe
def report_thanks(request, area, pk):
    service = get_object_or_404(Service.objects.published(), pk=pk, area__slug=area)
    return render(request, "guides/report_done.html", {"service": service, "area": service.area})
