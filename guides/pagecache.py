"""Public pages: rendered once per language and content version, revalidated by phones.

A phone on prepaid data should pay for a page once: every public page carries an ETag and
Last-Modified, so a revisit costs a 304 of a few hundred bytes. Rendered pages are kept in
the cache under the area's content_changed_at (bumped by guides.signals on every edit), and
never beyond the moment their open-now lists change (`fresh_until`).

Public pages set no cookie and read no session: nothing here touches request.session,
request.user or the CSRF token.
"""

import gzip
import hashlib
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from guides.models import Area

# A phone may reuse a page this long without asking; after that it revalidates (a 304).
MAX_AGE = timedelta(minutes=5)
# Pages without schedule (info pages) are still re-rendered this often.
DEFAULT_FRESHNESS = timedelta(hours=1)


class PublicPage(HttpResponse):
    """A rendered public page and how long what it says stays true."""

    def __init__(self, content, *, fresh_until=None, content_type="text/html; charset=utf-8"):
        super().__init__(content, content_type=content_type)
        self.fresh_until = fresh_until


def _key(area, request):
    # The address asked on too: the printed guide and the open data write it into the page
    # (when PUBLIC_SITE_URL is unset), and a page made for one host must not serve another.
    origin = f"{request.scheme}://{request.get_host()}"
    raw = f"{origin}|{get_language()}|{request.path}|{area.content_changed_at.isoformat()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _render(view, request, area, kwargs, now):
    response = view(request, area, **kwargs)
    if not isinstance(response, PublicPage) or response.status_code != 200:
        return None, response
    fresh_until = response.fresh_until or now + DEFAULT_FRESHNESS
    body = response.content
    entry = {
        "body": body,
        "gzip": gzip.compress(body, compresslevel=9, mtime=0),
        "content_type": response["Content-Type"],
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "rendered_at": now,
        "fresh_until": fresh_until,
    }
    return entry, response


def public_page(view=None, *, cached=True):
    """Decorate a view taking (request, area, **kwargs) and returning a PublicPage.

    The area comes from the URL's `area` slug: one query, which also gives the content
    version. `cached=False` is for pages whose address carries free input (search).
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, area, **kwargs):
            area = get_object_or_404(Area, slug=area)
            now = timezone.now()
            key = _key(area, request)
            use_cache = cached and settings.PAGE_CACHE_ENABLED
            entry = cache.get(key) if use_cache else None
            if entry is None or entry["fresh_until"] <= now:
                entry, response = _render(view, request, area, kwargs, now)
                if entry is None:
                    return response
                if use_cache:
                    timeout = (entry["fresh_until"] - now).total_seconds()
                    cache.set(key, entry, timeout=max(1, int(timeout)))
            return _respond(request, entry, now)

        return wrapper

    return decorate(view) if view else decorate


def _respond(request, entry, now):
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(
        entry["gzip"] if use_gzip else entry["body"], content_type=entry["content_type"]
    )
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    max_age = int(min(MAX_AGE, entry["fresh_until"] - now).total_seconds())
    response["Cache-Control"] = f"public, max-age={max(0, max_age)}"
    response["Content-Language"] = get_language()
    # Each encoding is its own representation, with its own tag.
    etag = entry["etag"][:-1] + '-gz"' if use_gzip else entry["etag"]
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry["rendered_at"].timestamp())
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=int(entry["rendered_at"].timestamp()),
        response=response,
    )
