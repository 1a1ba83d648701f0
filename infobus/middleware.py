"""Headers every response carries: the Content-Security-Policy and, on private pages, no-store."""

import logging

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext

from infobus.lib.csp import template_script_hashes


def back_office_prefixes():
    return ("/" + settings.ADMIN_URL, "/phones/", "/staff/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one of two base policies: the public one, or the back office's.

    Both add the hashes of our public inline scripts (settings.CSP_INLINE_SCRIPT_TEMPLATES),
    computed once at start-up. The back office (Django's admin and the staff pages built on it)
    writes <style> blocks, so its policy also allows inline styles. A view adds sources with
    django-csp's csp_update (the map's tile server); a nonce appears in the header only on a
    page that used request.csp_nonce.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        hashes = []
        for name in settings.CSP_INLINE_SCRIPT_TEMPLATES:
            source = get_template(name).template.source
            hashes += [h for h in template_script_hashes(name, source) if h not in hashes]
        public = default_config(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
        public["script-src"] = [*public["script-src"], *hashes]
        self.public = public
        self.back_office = {**public, "style-src": [*public["style-src"], "'unsafe-inline'"]}
        self.prefixes = back_office_prefixes()

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            back_office = request.path.startswith(self.prefixes)
            parts.config = self.back_office if back_office else self.public
        return parts


class PrivateNoStoreMiddleware:
    """Cache-Control: no-store on the back office, staff pages and any logged-in response.

    Personal data must not stay in a shared browser's cache or a proxy. Public pages keep
    their public caching: the session is only read when the request brings a session cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = back_office_prefixes()

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) or self._logged_in(request):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _logged_in(request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "user"):
            return False
        return request.user.is_authenticated


class TwoFactorMiddleware:
    """The one check of the second factor: on the back office and staff pages, a staff member
    whose roles can see personal data (infobus.roles.needs_two_factor) and whose session has
    no verified device is sent to give a code, or to set up an app first.

    Only the login, the logout and the two-factor pages themselves are let through. Needs
    django-otp's OTPMiddleware before it (request.user.is_verified).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = back_office_prefixes()

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(self.prefixes) or _two_factor_exempt(request, view_func):
            return None
        from infobus.roles import needs_two_factor
        from infobus.two_factor.services import confirmed_app

        user = request.user
        if not needs_two_factor(user) or user.is_verified():
            return None
        step = "two_factor:verify" if confirmed_app(user) else "two_factor:setup"
        return redirect_to_login(request.get_full_path(), reverse(step))


def _two_factor_exempt(request, view_func):
    match = request.resolver_match
    if match and match.namespace == "admin" and match.url_name in {"login", "logout"}:
        return True
    return getattr(view_func, "two_factor_exempt", False)


# --- While the database is away -------------------------------------------------------------

# What psycopg2 raises (wrapped by Django) when the server refuses connections, is shutting
# down or restarting, or cut ours: the request may well succeed a few seconds later.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# A PostgreSQL restart takes a few seconds; a failover, up to about half a minute.
RETRY_AFTER_SECONDS = 30
database_logger = logging.getLogger("infobus.database")


class DatabaseUnavailableMiddleware:
    """A 503 with Retry-After instead of a 500 while the database is away, and the broken
    connection dropped, so that the next request opens a new one: the site recovers by itself
    when the database is back, without restarting gunicorn.

    Only the view's errors reach process_exception; one raised by another middleware (the
    session read on the way out) reaches handler500, infobus.views.server_error, which gives
    the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


def database_unavailable(request, exception):
    """The 503 answer, made without the database: no session, no user, no context processor.

    JSON for the van's tap queue (it keeps the tap and sends it again after a 5xx; an HTML
    page would read to it as "signed out"), else a small page in the reader's language. Never
    stored by a browser or proxy, so the page comes back as soon as the database does.
    """
    drop_broken_connections()
    if not getattr(request, "database_unavailable_logged", False):
        request.database_unavailable_logged = True
        reason = next((line.strip() for line in str(exception).splitlines() if line.strip()), "")
        database_logger.warning(
            "database unavailable: %s %s answered 503 (%s: %s)",
            request.method,
            request.path,
            type(exception).__name__,
            reason,
        )
    if request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        message = gettext("Not saved yet: the server is busy. Trying again in a moment.")
        response = JsonResponse(
            {"ok": False, "code": "unavailable", "message": message}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = get_language() or settings.LANGUAGE_CODE
    # Logged above in one line: Django would add a second one ("Service Unavailable: /path")
    # per request, thousands during a restart. It checks this attribute for its own 500s.
    response._has_been_logged = True
    return response


def drop_broken_connections():
    """Close connections the outage broke. Django also does this when the request ends, but a
    connection cut mid-request must not be used again whatever runs after (and with the test
    client, which skips that step)."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


# --- Requests holding NUL -------------------------------------------------------------------

# The bodies Django itself parses into request.POST; any other (JSON) is read by its view.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNulMiddleware:
    """A plain 400 for a request whose path, query string or form fields hold a NUL character
    ("\\x00", %00 in an address).

    PostgreSQL cannot store or compare text holding NUL: a query given one fails, and the page
    answers 500 (Django's admin list filters do, and so would any lookup by slug). No browser
    sends one, a crafted request can, anywhere: refused here, before the session, the user or
    any view, the answer costs no query and sets no cookie. Uploaded files are not looked at
    (binary files hold NUL), nor JSON bodies: their views parse and check them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = holds_nul(request)
        except UnreadablePostError:
            # The client went away mid-upload: there is no form to read.
            refused = True
        if refused:
            return HttpResponse(
                gettext("Bad request: the address or the form holds a character not allowed."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def holds_nul(request):
    """Whether the decoded path, a query string key or value, or a form field holds NUL.

    request.GET and request.POST are only parsed when there is something to parse, as Django
    would anyway; a form too large or malformed raises Django's own 400 exceptions.
    """
    if "\x00" in request.path_info:
        return True
    if request.META.get("QUERY_STRING") and _query_dict_holds_nul(request.GET):
        return True
    return (
        request.method == "POST"
        and request.content_type in FORM_CONTENT_TYPES
        and _query_dict_holds_nul(request.POST)
    )


def _query_dict_holds_nul(query_dict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )
