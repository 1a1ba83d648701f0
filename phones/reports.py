"""Reads across the phone models: the month's figures and the Open Repair Data export."""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from guides.models import Place
from infobus.lib.spreadsheet import safe_dict
from phones.models import (
    ORDS_REPAIR_BARRIER,
    ORDS_REPAIR_STATUS,
    BatteryRequest,
    DonatedPhone,
    Partner,
    RepairStatus,
    RepairTicket,
    StockMovement,
)

# --- Open Repair Data Standard ---------------------------------------------------------------
# The columns of ORDS v0.3 as the Open Repair Alliance publishes its datasets
# (github.com/openrepair/data), in their order. Codelist values are the standard's English
# texts; the problem column is the MobiFix fault type, never the volunteers' notes (the
# standard asks for personal data to be left out of it).
ORDS_COLUMNS = (
    "id",
    "data_provider",
    "country",
    "partner_product_category",
    "product_category",
    "product_category_id",
    "brand",
    "year_of_manufacture",
    "product_age",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
    "problem",
)
ORDS_DATA_PROVIDER = "Refugee Info Bus"
ORDS_COUNTRY = "FRA"
ORDS_ID_PREFIX = "infobus"
ORDS_PARTNER_PRODUCT_CATEGORY = "Mobile phone"
# ORDS product category 19: "Any hand-held smartphone or other telecommunications device".
ORDS_PRODUCT_CATEGORY = "Mobile"
ORDS_PRODUCT_CATEGORY_ID = 19


def ords_rows(tickets):
    """One ORDS row per ticket with an outcome, oldest first. `tickets` is a queryset."""
    resolved = tickets.resolved().select_related("fault").order_by("resolved_at", "pk")
    for ticket in resolved:
        end_of_life = ticket.repair_status == RepairStatus.END_OF_LIFE
        yield {
            "id": f"{ORDS_ID_PREFIX}-{ticket.pk}",
            "data_provider": ORDS_DATA_PROVIDER,
            "country": ORDS_COUNTRY,
            "partner_product_category": ORDS_PARTNER_PRODUCT_CATEGORY,
            "product_category": ORDS_PRODUCT_CATEGORY,
            "product_category_id": ORDS_PRODUCT_CATEGORY_ID,
            "brand": ticket.make.strip() or "Unknown",
            "year_of_manufacture": "",
            "product_age": "",
            "repair_status": ORDS_REPAIR_STATUS[ticket.repair_status],
            "repair_barrier_if_end_of_life": (
                ORDS_REPAIR_BARRIER[ticket.repair_barrier]
                if end_of_life and ticket.repair_barrier
                else ""
            ),
            # The standard uses the provider's name when it has no separate repair groups.
            "group_identifier": ORDS_DATA_PROVIDER,
            "event_date": timezone.localdate(ticket.resolved_at).isoformat(),
            "problem": ticket.fault.mobifix_fault,
        }


def write_ords_csv(out, tickets):
    writer = csv.DictWriter(out, fieldnames=ORDS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    # The brand is what a volunteer typed: "=cmd" must stay text in the reader's spreadsheet.
    writer.writerows(safe_dict(row) for row in ords_rows(tickets))


# --- Numbers for the month --------------------------------------------------------------------


@dataclass
class Figures:
    phones_fixed: int = 0
    batteries_fitted: int = 0
    batteries_handed_over: int = 0
    phones_given: int = 0
    # StockItem.Kind → how many were handed out at sessions.
    handed_out: dict = field(default_factory=dict)

    def handed_out_of(self, kind):
        return self.handed_out.get(kind, 0)


@dataclass
class MonthNumbers:
    year: int
    month: int
    # (site, Figures) by site name; a site of None collects what was recorded without one.
    sites: list
    total: Figures
    # (partner, phones delivered to it)
    phones_via_partners: list
    # StockItem.Kind → how many were given to partners.
    given_to_partners: dict

    @property
    def phones_given_total(self):
        return self.total.phones_given + sum(count for _partner, count in self.phones_via_partners)


def month_bounds(year, month):
    """The month as [start, end) in the local time zone."""
    zone = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


def month_numbers(*, year, month):
    """Phones fixed, batteries fitted, phones given out (directly and via partners) and items
    handed out, per site and in total, for one calendar month in local time.

    A repair counts in the month its outcome was recorded; a battery in the month it was
    fitted or handed over; a phone in the month it was delivered; stock when it was recorded.
    """
    start, end = month_bounds(year, month)
    per_site = defaultdict(Figures)

    fixed = RepairTicket.objects.filter(
        repair_status=RepairStatus.FIXED, resolved_at__gte=start, resolved_at__lt=end
    )
    for row in fixed.values("site").annotate(n=Count("pk")).order_by():
        per_site[row["site"]].phones_fixed += row["n"]

    batteries = BatteryRequest.objects.filter(done_at__gte=start, done_at__lt=end)
    for row in batteries.values("ticket__site", "status").annotate(n=Count("pk")).order_by():
        figures = per_site[row["ticket__site"]]
        if row["status"] == BatteryRequest.Status.FITTED:
            figures.batteries_fitted += row["n"]
        elif row["status"] == BatteryRequest.Status.HANDED_OVER:
            figures.batteries_handed_over += row["n"]

    delivered = DonatedPhone.objects.filter(
        status=DonatedPhone.Status.DELIVERED, delivered_at__gte=start, delivered_at__lt=end
    )
    directly = delivered.filter(partner__isnull=True)
    for row in directly.values("site").annotate(n=Count("pk")).order_by():
        per_site[row["site"]].phones_given += row["n"]

    movements = StockMovement.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    handouts = movements.filter(kind=StockMovement.Kind.HANDED_OUT)
    for row in handouts.values("site", "item__kind").annotate(n=Sum("quantity")).order_by():
        handed_out = per_site[row["site"]].handed_out
        handed_out[row["item__kind"]] = handed_out.get(row["item__kind"], 0) - row["n"]

    places = Place.objects.in_bulk([pk for pk in per_site if pk is not None])
    sites = sorted(
        ((places.get(pk), figures) for pk, figures in per_site.items()),
        key=lambda pair: (pair[0] is None, pair[0].name if pair[0] else ""),
    )

    total = Figures()
    for _site, figures in sites:
        total.phones_fixed += figures.phones_fixed
        total.batteries_fitted += figures.batteries_fitted
        total.batteries_handed_over += figures.batteries_handed_over
        total.phones_given += figures.phones_given
        for kind, count in figures.handed_out.items():
            total.handed_out[kind] = total.handed_out.get(kind, 0) + count

    via = list(
        delivered.filter(partner__isnull=False).values("partner").annotate(n=Count("pk")).order_by()
    )
    partners = Partner.objects.in_bulk([row["partner"] for row in via])
    phones_via_partners = sorted(
        ((partners[row["partner"]], row["n"]) for row in via), key=lambda pair: pair[0].name
    )

    to_partners = movements.filter(kind=StockMovement.Kind.TO_PARTNER)
    given_to_partners = {
        row["item__kind"]: -row["n"]
        for row in to_partners.values("item__kind").annotate(n=Sum("quantity")).order_by()
    }

    return MonthNumbers(
        year=year,
        month=month,
        sites=sites,
        total=total,
        phones_via_partners=phones_via_partners,
        given_to_partners=given_to_partners,
    )
