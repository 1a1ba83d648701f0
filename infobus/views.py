import json
import sys

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page, require_safe
from django.views.defaults import server_error as plain_server_error

from infobus.middleware import (
    DATABASE_UNAVAILABLE,
    database_unavailable,
    drop_broken_connections,
)


def server_error(request):
    """handler500. The database going away while a middleware used it (the session, read on
    the way out) is a 503 like in a view (DatabaseUnavailableMiddleware); anything else is
    Django's plain 500. Django calls this while handling the exception, so it is at hand."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exception)
    return plain_server_error(request)


@never_cache
@require_safe
def healthz(request):
    """Liveness for the load balancer and the container: answers 503 while the database is away."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # So that the next check opens a new connection rather than finding this one dead.
        drop_broken_connections()
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _offline_words():
    """What the service worker writes on its own, in every language, HTML-escaped.

    Offline it cannot ask the server, and it must not download anything when it is
    installed (a reader's first visit stays at three requests), so the words travel in it.
    """
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words[code] = [
                "rtl" if translation.get_language_bidi() else "ltr",
                gettext("New Arrival Guide"),
                gettext("You are offline"),
                gettext("This page is not saved on your phone. These pages are:"),
                gettext("Nothing is saved on this phone yet."),
                # Where the service worker writes the date, in the phone's own format.
                gettext("Saved on %(date)s.") % {"date": "{date}"},
            ]
    return {code: [escape(word) for word in row] for code, row in words.items()}


# At the site root so that its scope is the whole site. no-cache: the phone asks again
# (a 304 of a few hundred bytes thanks to the ETag) so a new version reaches readers.
@require_safe
@gzip_page
@conditional_page
def service_worker(request):
    context = {
        "words": json.dumps(_offline_words(), ensure_ascii=False),
        "default_language": settings.LANGUAGE_CODE,
        "css": static("guide/guide.css"),
        "static_url": settings.STATIC_URL,
        "admin_url": "/" + settings.ADMIN_URL,
    }
    response = render(
        request, "guides/sw.js", context, content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response
