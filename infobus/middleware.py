"""Headers every response carries: the Content-Security-Policy and, on private pages, no-store."""

from django.conf import settings
from django.template.loader import get_template

from infobus.lib.csp import policy, template_script_hashes


def back_office_prefixes():
    return ("/" + settings.ADMIN_URL, "/phones/", "/staff/")


class ContentSecurityPolicyMiddleware:
    """Sets one of two fixed policies: the public one, or the back office's.

    The back office (Django's admin and the staff pages built on it) writes <style> blocks, so
    its policy allows inline styles; neither allows an inline script other than ours, by hash.
    The hashes are read from the templates once, at start-up.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        hashes = []
        for name in settings.CSP_INLINE_SCRIPT_TEMPLATES:
            source = get_template(name).template.source
            hashes += [h for h in template_script_hashes(name, source) if h not in hashes]
        public = {**settings.CSP_DIRECTIVES}
        public["script-src"] = [*public["script-src"], *hashes]
        back_office = {**public, "style-src": [*public["style-src"], "'unsafe-inline'"]}
        self.public_policy = policy(public)
        self.back_office_policy = policy(back_office)
        self.prefixes = back_office_prefixes()

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            back_office = request.path.startswith(self.prefixes)
            response["Content-Security-Policy"] = (
                self.back_office_policy if back_office else self.public_policy
            )
        return response


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


def client_address(request):
    """The reader's address for login lockouts (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind our TLS proxy REMOTE_ADDR is the proxy's: the address it saw is the last one it
    appended to X-Forwarded-For (earlier ones are whatever the client sent, so not trusted).
    """
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
