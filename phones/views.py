"""Staff pages for phones, in the back office's look: what to bring to the next session, a
ticket's sticker and slip, the battery order list, low stock, the month's numbers and the
Open Repair Data export. Each parses, asks the models or reports, and renders.
"""

from datetime import date
from functools import wraps
from itertools import groupby

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from phones import reports
from phones.models import (
    NOT_COLLECTED_AFTER_DAYS,
    BatteryRequest,
    RepairTicket,
    StockItem,
)


def staff_with(permission):
    """The one permission check of the phone pages: staff holding `permission` get in; other
    signed-in staff are refused; anyone else is sent to the back-office login."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _render(request, template, context):
    return render(request, template, {**admin.site.each_context(request), **context})


@require_safe
@staff_with("phones.view_repairticket")
def bring_list(request):
    """Phones waiting for their owners, by site: what to take to the next session there."""
    tickets = (
        RepairTicket.objects.to_hand_back()
        .select_related("site", "fault")
        .order_by("site__name", "site_id", "resolved_at", "pk")
    )
    site = request.GET.get("site")
    if site and site.isdigit():
        tickets = tickets.filter(site_id=int(site))
    now = timezone.now()
    rows = [(ticket, (now - ticket.resolved_at).days) for ticket in tickets]
    by_site = [(site, list(group)) for site, group in groupby(rows, key=lambda row: row[0].site)]
    return _render(
        request,
        "phones/bring_list.html",
        {
            "title": _("Phones to bring to the next session"),
            "by_site": by_site,
            "overdue_days": NOT_COLLECTED_AFTER_DAYS,
        },
    )


@require_safe
@staff_with("phones.view_repairticket")
def ticket_slip(request, pk):
    """The code twice, to print: a sticker for the phone and a slip for its owner."""
    ticket = get_object_or_404(RepairTicket.objects.select_related("site", "fault"), pk=pk)
    return _render(
        request, "phones/ticket_slip.html", {"title": _("Sticker and slip"), "ticket": ticket}
    )


@require_safe
@staff_with("phones.view_batteryrequest")
def battery_orders(request):
    """Batteries to order, counted by model, and those ordered that have not arrived."""
    waiting = (
        BatteryRequest.objects.filter(status=BatteryRequest.Status.ORDERED)
        .select_related("ticket", "battery_model", "order")
        .order_by("order__ordered_at", "pk")
    )
    return _render(
        request,
        "phones/battery_orders.html",
        {
            "title": _("Batteries to order"),
            "to_order": BatteryRequest.objects.order_list(),
            "waiting": waiting,
        },
    )


@require_safe
@staff_with("phones.view_stockitem")
def stock_levels(request):
    """Every item in use with its level; the low ones first."""
    items = StockItem.objects.active().with_level()
    low = [item for item in items if item.level <= item.low_stock_threshold]
    return _render(
        request,
        "phones/stock_levels.html",
        {
            "title": _("Stock levels"),
            "low": low,
            "items": [item for item in items if item not in low],
        },
    )


def _month(text, today):
    """'2025-11' → (2025, 11); this month when absent or malformed."""
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except (AttributeError, ValueError):
        return today.year, today.month
    return year, month


def _handed_out(kind):
    return lambda figures: figures.handed_out_of(kind)


def _month_rows():
    """The rows of the month's table: a label, and how to read its figure from Figures."""
    return [
        (_("Phones fixed"), lambda figures: figures.phones_fixed),
        (_("Batteries fitted"), lambda figures: figures.batteries_fitted),
        (_("Batteries handed over"), lambda figures: figures.batteries_handed_over),
        (_("Phones given out directly"), lambda figures: figures.phones_given),
        *(
            (_("Handed out: %(kind)s") % {"kind": label}, _handed_out(value))
            for value, label in StockItem.Kind.choices
        ),
    ]


@require_safe
@staff_with("phones.view_stockmovement")
def month_report(request):
    """Per site and in total, for the monthly report; ?month=2025-11, this month by default."""
    year, month = _month(request.GET.get("month"), timezone.localdate())
    numbers = reports.month_numbers(year=year, month=month)
    rows = [
        (label, [read(figures) for _site, figures in numbers.sites], read(numbers.total))
        for label, read in _month_rows()
    ]
    to_partners = [
        (label, numbers.given_to_partners[value])
        for value, label in StockItem.Kind.choices
        if numbers.given_to_partners.get(value)
    ]
    return _render(
        request,
        "phones/month_report.html",
        {
            "title": _("Phones and stock: the month's numbers"),
            "numbers": numbers,
            "rows": rows,
            "to_partners": to_partners,
            "month_start": date(year, month, 1),
            "previous": f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}",
            "next": f"{year + (month == 12)}-{month % 12 + 1:02d}",
        },
    )


def _date(text):
    try:
        return parse_date(text or "")
    except ValueError:
        return None


@require_safe
@staff_with("phones.view_repairticket")
def ords_export(request):
    """Repairs with an outcome as Open Repair Data Standard CSV; ?from= and ?to= (dates,
    inclusive) narrow it to the outcomes recorded in that period."""
    tickets = RepairTicket.objects.all()
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if start:
        tickets = tickets.filter(resolved_at__date__gte=start)
    if end:
        tickets = tickets.filter(resolved_at__date__lte=end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="infobus-open-repair-data.csv"'
    reports.write_ords_csv(response, tickets)
    return response
