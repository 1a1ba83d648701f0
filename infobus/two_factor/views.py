"""The second step of a staff login: set up an authenticator app, or give a code from it.

Thin views: check who asks, call infobus.two_factor.services, render or redirect. The
login itself is the back office's (admin:login); TwoFactorMiddleware sends a staff member
who needs a second factor here until their session is verified.
"""

from functools import wraps

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from infobus.roles import needs_two_factor
from infobus.two_factor import services
from infobus.two_factor.forms import SetupForm, TokenForm

# New backup codes wait here between the POST that made them and the page that shows them.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
# Fewer backup codes than this left: the staff member is told to make new ones.
FEW_CODES_LEFT = 3


def two_factor_exempt(view):
    """Reachable before the second factor (TwoFactorMiddleware lets these through)."""
    view.two_factor_exempt = True
    return view


def staff_needing_two_factor(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not needs_two_factor(request.user):
            return redirect(_next(request))
        return view(request, *args, **kwargs)

    return wrapper


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(url, request):
    target = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': target})}" if target else url


def _render(request, template, context, *, verified=False):
    base = admin.site.each_context(request)
    if not verified:
        # No menu of the back office before the second factor: nothing there would open.
        base.update(has_permission=False, available_apps=[], is_nav_sidebar_enabled=False)
    return render(request, template, {**base, "next": _next(request), **context})


def _locked_out(request):
    """Axes' lockout covers codes too; a locked-out login ends here, with its 429 page."""
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    request.axes_locked_out = True
    request.axes_credentials = credentials
    # AxesMiddleware replaces this answer with its lockout page.
    return redirect("admin:login")


@two_factor_exempt
@require_http_methods(["GET", "POST"])
@staff_needing_two_factor
def verify(request):
    """Ask for a code from the app or a backup code; a wrong one counts as a failed login."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if services.confirmed_app(user) is None:
        return redirect(_with_next(reverse("two_factor:setup"), request))
    locked = _locked_out(request)
    if locked:
        return locked
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.check_token(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                _warn_about_backup_codes(request)
            return redirect(_next(request))
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        locked = _locked_out(request)
        if locked:
            return locked
        form.add_error(
            "token",
            _(
                "This code is not right, or was used already. Check the time on your phone, "
                "wait a few seconds, and try the next code."
            ),
        )
    status = 400 if form.errors else 200
    response = _render(
        request,
        "infobus/two_factor/verify.html",
        {"title": _("Confirm it is you"), "form": form},
    )
    response.status_code = status
    return response


def _warn_about_backup_codes(request):
    left = services.backup_codes_left(request.user)
    message = ngettext(
        "You used a backup code: %(count)d is left.",
        "You used a backup code: %(count)d are left.",
        left,
    ) % {"count": left}
    if left < FEW_CODES_LEFT:
        message = format_html(
            '{} <a href="{}">{}</a>',
            message,
            reverse("two_factor:backup_codes"),
            _("Make new backup codes now."),
        )
    messages.warning(request, message)


@two_factor_exempt
@require_http_methods(["GET", "POST"])
@staff_needing_two_factor
def setup(request):
    """Scan the QR code (or type the key) into an authenticator app, then give its code."""
    user = request.user
    if services.confirmed_app(user) is not None:
        # A second app only after a coordinator resets this one: whoever has the password
        # alone must not be able to add their own.
        return redirect(_with_next(reverse("two_factor:verify"), request))
    device = services.pending_app(user=user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_app(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(_with_next(reverse("two_factor:backup_codes"), request))
        form.add_error(
            "token",
            _("This code is not right. Check the time on your phone and try the next code."),
        )
    qr = segno.make(device.config_url, error="m")
    response = _render(
        request,
        "infobus/two_factor/setup.html",
        {
            "title": _("Set up two-factor authentication"),
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR code for your authenticator app")),
            "key": services.readable_key(device),
        },
    )
    response.status_code = 400 if form.errors else 200
    return response


@require_http_methods(["GET", "POST"])
@staff_needing_two_factor
def backup_codes(request):
    """New backup codes, shown once; or how many are left, and a button for new ones."""
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.replace_backup_codes(user=request.user)
        return redirect(_with_next(reverse("two_factor:backup_codes"), request))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return _render(
        request,
        "infobus/two_factor/backup_codes.html",
        {
            "title": _("Backup codes"),
            "codes": codes,
            "left": services.backup_codes_left(request.user),
        },
        verified=True,
    )
