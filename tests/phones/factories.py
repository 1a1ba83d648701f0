"""Phone objects with sensible defaults; tickets are opened through the service, as in use."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from phones import services
from phones.models import (
    BatteryModel,
    DonatedPhone,
    Donor,
    FaultType,
    MobiFixFault,
    Partner,
    RepairTicket,
    StockItem,
)
from tests.factories import make_place, make_user

PARIS = ZoneInfo("Europe/Paris")
_seq = itertools.count(1)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def make_fault(**kw):
    n = next(_seq)
    return FaultType.objects.create(
        **{"name": f"Fault {n}", "mobifix_fault": MobiFixFault.SCREEN, **kw}
    )


def make_ticket(*, user=None, site=None, fault=None, **kw):
    defaults = {"make": "Samsung", "model": "Galaxy A12"}
    ticket = RepairTicket(site=site or make_place(), fault=fault or make_fault(), **defaults | kw)
    return services.open_ticket(ticket=ticket, user=user or make_user())


def move(ticket, *statuses, user, now=None, **outcome):
    """Move a ticket through `statuses` in turn; the outcome goes with the move that needs it."""
    for status in statuses:
        given = {}
        if status == "ready":
            given = {"repair_status": outcome.get("repair_status")}
        elif status == "unrepairable":
            given = {"barrier": outcome.get("barrier", "")}
        services.change_status(ticket=ticket, to=status, user=user, now=now, **given)
    return ticket


def make_stock_item(**kw):
    n = next(_seq)
    defaults = {"name": f"Plug head {n}", "kind": StockItem.Kind.PLUG, "low_stock_threshold": 5}
    return StockItem.objects.create(**defaults | kw)


def make_battery_model(**kw):
    return BatteryModel.objects.create(**{"name": f"EB-BG{next(_seq)}BBE", **kw})


def make_partner(**kw):
    return Partner.objects.create(**{"name": f"Partner {next(_seq)}", **kw})


def make_donor(**kw):
    return Donor.objects.create(**{"name": "Claire Martin", "email": "claire@example.org", **kw})


def make_donated_phone(**kw):
    return DonatedPhone.objects.create(**{"make": "Nokia", "model": "G10", **kw})


ALL_CHECKS = dict.fromkeys(DonatedPhone.CHECKLIST, True)


def make_tested_phone(*, user, **kw):
    phone = make_donated_phone(**kw)
    return services.record_phone_test(phone=phone, user=user, **ALL_CHECKS)
