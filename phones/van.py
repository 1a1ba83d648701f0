"""At the van: a page for a volunteer's phone to tally what is handed out at today's session
and take in a phone for repair.

Each "+1" is a tap with an id made where it was tapped (the browser, or the server for the
plain form), and record_handout() accepts an id once: a tap the van sends again after a lost
connection counts once. Charges are not tallied here: there is no ledger for them, only the
session's approximate "phones charged", typed in at the end.
"""

import json
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phones import services
from phones.models import FaultType, RepairTicket, StockItem, StockMovement
from phones.views import staff_with
from sessions_log.models import Session, Site

TALLIED_KINDS = (StockItem.Kind.SIM, StockItem.Kind.CABLE, StockItem.Kind.PLUG)
PERMISSION = "phones.add_stockmovement"


@dataclass
class Stop:
    """Where the van is today: a recorded session, or a site whose session is not recorded
    yet. `ref` is what the handouts are recorded under."""

    ref: str
    site: Site
    session: Session | None
    url: str

    @property
    def tap_url(self):
        return self.url + "tap/"

    @property
    def intake_url(self):
        return self.url + "repair/"

    @property
    def label(self):
        if self.session:
            return f"{self.site} · {self.session.planned_start:%H:%M}"
        return str(self.site)


def _stop(*, session=None, site=None):
    today = timezone.localdate()
    if session is not None:
        session = get_object_or_404(Session.objects.select_related("site"), pk=session)
        if session.date != today:
            raise Http404("Not a session of today.")
        return Stop(
            ref=str(session.pk),
            site=session.site,
            session=session,
            url=reverse("phones:van_session", args=[session.pk]),
        )
    site = get_object_or_404(Site, pk=site, is_active=True)
    return Stop(
        ref=f"site:{site.pk}:{today.isoformat()}",
        site=site,
        session=None,
        url=reverse("phones:van_site", args=[site.pk]),
    )


def _items():
    return StockItem.objects.active().filter(kind__in=TALLIED_KINDS).with_level()


def _totals(stop, items=None):
    """How many of each item were handed out at this stop, and each item's stock level."""
    items = list(_items()) if items is None else items
    handed = (
        StockMovement.objects.filter(kind=StockMovement.Kind.HANDED_OUT, session_ref=stop.ref)
        .values("item")
        .annotate(total=Sum("quantity"))
    )
    counts = {str(item.pk): 0 for item in items}
    counts.update({str(row["item"]): -row["total"] for row in handed})
    levels = {str(item.pk): item.level for item in items}
    return {"counts": counts, "levels": levels}


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
    """Today's held sessions, and the active sites with no session recorded yet today."""
    today = timezone.localdate()
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
def tally(request, session=None, site=None):
    """The +1 buttons with this stop's counts, and the repair intake."""
    stop = _stop(session=session, site=site)
    return _render_tally(request, stop, IntakeForm())


def _render_tally(request, stop, form):
    items = list(_items().order_by("kind", "order", "name"))
    counts = _totals(stop, items)["counts"]
    # Each plain form carries its own tap id: a double click or a resent form counts once.
    items = [(item, counts[str(item.pk)], uuid.uuid4()) for item in items]
    new_ticket = None
    code = request.GET.get("ticket", "")
    if code:
        new_ticket = RepairTicket.objects.filter(code=code).first()
    return render(
        request,
        "phones/van.html",
        {
            "title": _("At the van"),
            "stop": stop,
            "items": items,
            "form": form,
            "can_intake": request.user.has_perm("phones.add_repairticket"),
            "new_ticket": new_ticket,
            "words": {
                "waiting_one": _("1 tap waiting to be sent"),
                "waiting_many": _("%(n)s taps waiting to be sent"),
                "signed_out": _("Taps are kept on this phone: sign in again to send them."),
                "refused": _("Not recorded:"),
            },
        },
    )


def _wants_json(request):
    return request.content_type == "application/json"


@require_POST
@staff_with(PERMISSION)
def tap(request, session=None, site=None):
    """One "+1": JSON {"tap": uuid, "item": pk} from the page's script, answered with the
    totals; or the plain form (tap and item fields), answered with a redirect."""
    stop = _stop(session=session, site=site)
    as_json = _wants_json(request)
    try:
        data = json.loads(request.body) if as_json else request.POST
        tap_id = uuid.UUID(str(data.get("tap")))
        item = StockItem.objects.active().get(pk=int(data.get("item")), kind__in=TALLIED_KINDS)
    except (ValueError, TypeError, AttributeError, StockItem.DoesNotExist):
        if as_json:
            return JsonResponse(
                {"ok": False, "code": "bad_tap", "message": _("This tap cannot be read.")},
                status=400,
            )
        messages.error(request, _("This tap cannot be read."))
        return redirect(stop.url)
    try:
        services.record_handout(
            session_ref=stop.ref,
            item=item,
            quantity=1,
            user=request.user,
            tap_id=tap_id,
            site=stop.site.place,
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if as_json:
            return JsonResponse(
                {
                    "ok": False,
                    "tap": str(tap_id),
                    "code": error.code or "refused",
                    "message": message,
                    **_totals(stop),
                },
                status=409,
            )
        messages.error(request, message)
        return redirect(stop.url)
    if as_json:
        return JsonResponse({"ok": True, "tap": str(tap_id), **_totals(stop)})
    return redirect(stop.url)


@require_POST
@staff_with(PERMISSION)
def intake(request, session=None, site=None):
    """Take in a phone for repair at this stop; the page then shows its ticket code."""
    if not request.user.has_perm("phones.add_repairticket"):
        raise PermissionDenied
    stop = _stop(session=session, site=site)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _render_tally(request, stop, form)
    ticket = form.save(commit=False)
    ticket.site = stop.site.place
    services.open_ticket(ticket=ticket, user=request.user)
    return redirect(f"{stop.url}?ticket={ticket.code}#ticket")
