"""Open data: the guide as HSDS 3.0 JSON, one document per area (format: docs/open-data.md).

Language-neutral addresses outside the /<lang>/ prefix: each document carries every
language. Read-only, cookieless and open to any origin (CORS `*`), so another map or
directory can read it from a browser. The services document goes through the public page
cache (guides/pagecache.py): built once per content version and day, ETag/304, gzip.
"""

import hashlib
import json
from datetime import time, timedelta

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from guides import hsds, schedule
from guides.models import Area
from guides.pagecache import PublicPage, public_page

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
INDEX_MAX_AGE = 600


def _open(response):
    """Any origin may read it: the data is public and no request carries a cookie."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{DATA_LICENSE}>; rel="license"'
    return response


def _json(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


@require_safe
def index(request):
    """The areas and the address of each one's HSDS document."""
    areas = []
    with translation.override(hsds.SOURCE_LANGUAGE):
        for area in Area.objects.all():
            areas.append(
                {
                    "slug": area.slug,
                    "name": hsds.main_text(area, "name"),
                    "x_translations": hsds.translations(area, {"name": "name"}),
                    "services_url": request.build_absolute_uri(
                        reverse("open_data_services", args=[area.slug])
                    ),
                    "guide_url": request.build_absolute_uri(
                        reverse("guides:area", args=[area.slug])
                    ),
                    "content_changed_at": area.content_changed_at.isoformat(),
                }
            )
    body = _json(
        {
            "version": hsds.HSDS_VERSION,
            "openapi_url": hsds.OPENAPI_URL,
            "license": DATA_LICENSE,
            "attribution": "Infobus New Arrival Guide",
            "languages": hsds.GUIDE_LANGUAGES,
            "areas": areas,
        }
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={INDEX_MAX_AGE}"
    return _open(get_conditional_response(request, etag=etag, response=response))


@public_page
def _services_document(request, area):
    now = timezone.now()
    today = schedule.local_date(now)
    page = hsds.services_page(
        area,
        today=today,
        service_url=lambda service: request.build_absolute_uri(
            reverse("guides:service", args=[area.slug, service.pk])
        ),
    )
    # Exceptions dated before today drop out at midnight.
    midnight = schedule.wall_clock(today + timedelta(days=1), time(0))
    return PublicPage(_json(page), fresh_until=midnight, content_type="application/json")


@require_safe
def services(request, area):
    """Every service the public guide lists in an area, as an HSDS /services Page."""
    try:
        # One cached document whatever the reader's language: the key and main texts in English.
        with translation.override(hsds.SOURCE_LANGUAGE):
            response = _services_document(request, area)
    except Http404:
        response = JsonResponse(
            {"error": gettext("There is no area called “%(area)s”.") % {"area": area}},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return _open(response)
