"""At the van: a page for a volunteer's phone to tally what is handed out and the phones
charged at today's stop, take in a phone for repair, and fill in the end-of-session form.

Each "+1" is a tap with an id made where it was tapped (the browser, or the server for the
plain form), and the services accept an id once: a tap the van sends again after a lost
connection counts once. Stock handed out is a StockMovement (record_handout); a phone charged
is a VanTap (record_charge), and the session's "phones charged" is kept at least their count.
The end-of-session form posts to sessions_log's record page, which takes each submission id
once too (phones.services.record_session_entry).

"Today" is the van's day (phones.models.van_day): the Europe/Paris date, turning at 04:00 so
that a session running past midnight keeps its taps. A stop's URL names its session or its
site and day, so a tap queued offline lands on the stop it was made at, whenever it is sent.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phones import services
from phones.models import (
    VAN_TAPS_KEPT_DAYS,
    FaultType,
    RepairTicket,
    StockItem,
    StockMovement,
    VanTap,
    van_day,
)
from phones.views import staff_with
from sessions_log.forms import SessionForm
from sessions_log.models import Session, Site

TALLIED_KINDS = (StockItem.Kind.SIM, StockItem.Kind.CABLE, StockItem.Kind.PLUG)
PERMISSION = "phones.add_stockmovement"


class DayConverter:
    """A stop's day in its URL: 2026-03-29."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else str(value)


@dataclass
class Stop:
    """Where the van is: a recorded session, or a site on a day whose session is not recorded
    yet. `ref` is what the handouts and charges are recorded under."""

    ref: str
    site: Site
    day: date
    session: Session | None
    url: str

    @property
    def tap_url(self):
        return self.url + "tap/"

    @property
    def charge_url(self):
        return self.url + "charge/"

    @property
    def intake_url(self):
        return self.url + "repair/"

    @property
    def label(self):
        if self.session:
            return f"{self.site} · {self.session.planned_start:%H:%M}"
        return str(self.site)

    def takes_taps(self, today):
        """A tap queued offline is still recorded some days later; not one for the future."""
        return today - timedelta(days=VAN_TAPS_KEPT_DAYS) <= self.day <= today


def _stop(*, session=None, site=None, day=None, for_taps=False):
    """The stop a URL names. Its page opens on the van's day only; taps sent to it are
    checked with Stop.takes_taps (a queue may send them the next morning)."""
    today = van_day()
    if session is not None:
        session = get_object_or_404(Session.objects.select_related("site"), pk=session)
        stop = Stop(
            ref=str(session.pk),
            site=session.site,
            day=session.date,
            session=session,
            url=reverse("phones:van_session", args=[session.pk]),
        )
    else:
        # A tap queued at a site made inactive since is still recorded there.
        sites = Site.objects.all() if for_taps else Site.objects.filter(is_active=True)
        site = get_object_or_404(sites, pk=site)
        day = day or today
        stop = Stop(
            ref=f"site:{site.pk}:{day.isoformat()}",
            site=site,
            day=day,
            session=None,
            url=reverse("phones:van_site_day", args=[site.pk, day]),
        )
    if stop.day > today or (not for_taps and stop.day != today):
        raise Http404("Not a stop of today.")
    return stop


def _items():
    return StockItem.objects.active().filter(kind__in=TALLIED_KINDS).with_level()


def _charges(stop):
    if stop.session is not None:
        # Taps made at the site's stop before the session was recorded count here too.
        return VanTap.objects.charges().filter(session=stop.session)
    return VanTap.objects.charges().filter(session_ref=stop.ref)


def _totals(stop, items=None):
    """How many of each item were handed out at this stop, each item's stock level, and
    how many phones were charged there."""
    items = list(_items()) if items is None else items
    handed = (
        StockMovement.objects.filter(kind=StockMovement.Kind.HANDED_OUT, session_ref=stop.ref)
        .values("item")
        .annotate(total=Sum("quantity"))
    )
    counts = {str(item.pk): 0 for item in items}
    counts.update({str(row["item"]): -row["total"] for row in handed})
    levels = {str(item.pk): item.level for item in items}
    return {"counts": counts, "levels": levels, "charges": _charges(stop).count()}


class IntakeForm(forms.ModelForm):
    class Meta:
        model = RepairTicket
        fields = ["make", "model", "fault", "owner_name", "owner_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fault"].queryset = FaultType.objects.active()


@require_safe
@staff_with(PERMISSION)
def choose(request):
    """The day's held sessions, and the active sites with no session recorded yet that day."""
    today = van_day()
    recorded = Session.objects.filter(date=today)
    sessions = (
        recorded.filter(status=Session.Status.HELD)
        .select_related("site")
        .order_by("planned_start", "site__name")
    )
    sites = Site.objects.filter(is_active=True).exclude(pk__in=recorded.values("site"))
    return render(
        request,
        "phones/van_choose.html",
        {"title": _("At the van"), "sessions": sessions, "sites": sites, "today": today},
    )


@require_safe
@staff_with(PERMISSION)
def site_today(request, site):
    """A site's stop on the van's day, under its dated address (what taps are sent to)."""
    return redirect(_stop(site=site).url)


@require_safe
@staff_with(PERMISSION)
def tally(request, session=None, site=None, day=None):
    """The +1 buttons with this stop's counts, the repair intake, the end-of-session form."""
    stop = _stop(session=session, site=site, day=day)
    return _render_tally(request, stop, IntakeForm())


def _entry(request, stop, charges):
    """The end-of-session form for this stop, or None; and the session already recorded.

    Volunteers record a session once; those who may edit sessions get it filled in to
    correct (the same rules as the record page)."""
    user = request.user
    recorded = stop.session or (
        Session.objects.filter(site=stop.site, date=stop.day).order_by("planned_start").last()
    )
    if not user.has_perm("sessions_log.add_session"):
        return None, recorded
    if recorded is not None:
        if not user.has_perm("sessions_log.change_session"):
            return None, recorded
        form = SessionForm(instance=recorded, counted_charges=charges, auto_id="entry_%s")
    else:
        form = SessionForm(
            initial=SessionForm.initial_for(stop.site, today=stop.day),
            counted_charges=charges,
            auto_id="entry_%s",
        )
    return form, recorded


def _render_tally(request, stop, form):
    items = list(_items().order_by("kind", "order", "name"))
    totals = _totals(stop, items)
    counts = totals["counts"]
    # Each plain form carries its own tap id: a double click or a resent form counts once.
    items = [(item, counts[str(item.pk)], uuid.uuid4()) for item in items]
    new_ticket = None
    code = request.GET.get("ticket", "")
    # A NUL in a forged address would make PostgreSQL refuse the query: no such ticket.
    if code and "\x00" not in code:
        new_ticket = RepairTicket.objects.filter(code=code).first()
    entry_form, recorded = _entry(request, stop, totals["charges"])
    return render(
        request,
        "phones/van.html",
        {
            "title": _("At the van"),
            "stop": stop,
            "items": items,
            "charges": totals["charges"],
            "charge_tap": uuid.uuid4(),
            "form": form,
            "can_intake": request.user.has_perm("phones.add_repairticket"),
            "new_ticket": new_ticket,
            "entry_form": entry_form,
            "recorded": recorded,
            "submission": uuid.uuid4(),
            "words": {
                "waiting_one": _("1 tap waiting to be sent"),
                "waiting_many": _("%(n)s taps waiting to be sent"),
                "signed_out": _("Taps are kept on this phone: sign in again to send them."),
                "refused": _("Not recorded:"),
                "entry_waiting": _(
                    "The session is kept on this phone: it will be sent when there is signal."
                ),
                "entry_refused": _(
                    "The session was not recorded: check the figures in red and save again. "
                    "What you typed is kept on this phone."
                ),
                "entry_elsewhere": _("A session form from another stop needs checking:"),
                "entry_open": _("Open it"),
                "entry_see": _("See the session"),
            },
        },
    )


def _wants_json(request):
    return request.content_type == "application/json"


def _read_tap(request):
    """(tap id, data) from the page's script (JSON) or the plain form; ValueError if unreadable."""
    try:
        data = json.loads(request.body) if _wants_json(request) else request.POST
        return uuid.UUID(str(data.get("tap"))), data
    # RecursionError: JSON nested thousands deep is no tap either.
    except (ValueError, TypeError, AttributeError, RecursionError):
        raise ValueError("unreadable tap") from None


def _refuse(request, stop, message, *, code, status, tap_id=None):
    if _wants_json(request):
        body = {"ok": False, "code": code, "message": message}
        if tap_id is not None:
            body.update(tap=str(tap_id), **_totals(stop))
        return JsonResponse(body, status=status)
    messages.error(request, message)
    return redirect(stop.url if stop.takes_taps(van_day()) else reverse("phones:van"))


def _too_old(request, stop, tap_id):
    return _refuse(
        request,
        stop,
        _("This tap was made more than %(days)s days ago: it was not recorded.")
        % {"days": VAN_TAPS_KEPT_DAYS},
        code="too_old",
        status=409,
        tap_id=tap_id,
    )


def _record_tap(request, stop, tap_id, record):
    """The end every "+1" shares: refused when too old or by the service's rules, else the
    totals for the page's script or a redirect for the plain form."""
    if not stop.takes_taps(van_day()):
        return _too_old(request, stop, tap_id)
    try:
        record()
    except ValidationError as error:
        message = " ".join(error.messages)
        return _refuse(
            request, stop, message, code=error.code or "refused", status=409, tap_id=tap_id
        )
    if _wants_json(request):
        return JsonResponse({"ok": True, "tap": str(tap_id), **_totals(stop)})
    return redirect(stop.url)


@require_POST
@staff_with(PERMISSION)
def tap(request, session=None, site=None, day=None):
    """One "+1": JSON {"tap": uuid, "item": pk} from the page's script, answered with the
    totals; or the plain form (tap and item fields), answered with a redirect."""
    stop = _stop(session=session, site=site, day=day, for_taps=True)
    try:
        tap_id, data = _read_tap(request)
        item = StockItem.objects.active().get(pk=int(data.get("item")), kind__in=TALLIED_KINDS)
    # OverflowError: int() of a JSON 1e400, which Python reads as infinity.
    except (ValueError, TypeError, OverflowError, StockItem.DoesNotExist):
        return _refuse(request, stop, _("This tap cannot be read."), code="bad_tap", status=400)
    return _record_tap(
        request,
        stop,
        tap_id,
        lambda: services.record_handout(
            session_ref=stop.ref,
            item=item,
            quantity=1,
            user=request.user,
            tap_id=tap_id,
            site=stop.site.place,
        ),
    )


@require_POST
@staff_with(PERMISSION)
def charge(request, session=None, site=None, day=None):
    """One phone charged: JSON {"tap": uuid} or the plain form. Charges are counted taps
    (phones.VanTap), not stock."""
    stop = _stop(session=session, site=site, day=day, for_taps=True)
    try:
        tap_id, _data = _read_tap(request)
    except ValueError:
        return _refuse(request, stop, _("This tap cannot be read."), code="bad_tap", status=400)
    return _record_tap(
        request,
        stop,
        tap_id,
        lambda: services.record_charge(
            site=stop.site,
            day=stop.day,
            session_ref=stop.ref,
            session=stop.session,
            user=request.user,
            tap_id=tap_id,
        ),
    )


@require_POST
@staff_with(PERMISSION)
def intake(request, session=None, site=None, day=None):
    """Take in a phone for repair at this stop; the page then shows its ticket code."""
    if not request.user.has_perm("phones.add_repairticket"):
        raise PermissionDenied
    stop = _stop(session=session, site=site, day=day)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _render_tally(request, stop, form)
    ticket = form.save(commit=False)
    ticket.site = stop.site.place
    ticket.intake_date = stop.day
    services.open_ticket(ticket=ticket, user=request.user)
    return redirect(f"{stop.url}?ticket={ticket.code}#ticket")
