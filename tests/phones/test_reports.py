"""The Open Repair Data export and the month's numbers, against figures worked out by hand."""

import csv
import io
import uuid
from decimal import Decimal

import pytest

from phones import services
from phones.models import ORDS_REPAIR_BARRIER, ORDS_REPAIR_STATUS, RepairTicket, StockItem
from phones.reports import ORDS_COLUMNS, month_numbers, write_ords_csv
from tests.factories import make_place, make_user
from tests.phones.factories import (
    make_battery_model,
    make_fault,
    make_partner,
    make_stock_item,
    make_tested_phone,
    make_ticket,
    move,
    paris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer():
    return make_user("volunteer_r")


def export(tickets=None):
    out = io.StringIO()
    write_ords_csv(out, tickets if tickets is not None else RepairTicket.objects.all())
    return out.getvalue()


# --- Open Repair Data Standard export ------------------------------------------------------------


def test_the_export_has_the_ords_columns_in_the_published_order():
    header = export().splitlines()[0]

    assert header == (
        "id,data_provider,country,partner_product_category,product_category,"
        "product_category_id,brand,year_of_manufacture,product_age,repair_status,"
        "repair_barrier_if_end_of_life,group_identifier,event_date,problem"
    )
    assert tuple(header.split(",")) == ORDS_COLUMNS


def test_our_outcomes_map_onto_the_ords_codelists_exactly():
    assert set(ORDS_REPAIR_STATUS.values()) == {"Fixed", "Repairable", "End of life", "Unknown"}
    assert set(ORDS_REPAIR_BARRIER.values()) == {
        "Spare parts not available",
        "Spare parts too expensive",
        "No way to open product",
        "Repair information not available",
        "Lack of equipment",
        "Item too worn out",
    }


def test_each_outcome_is_exported_with_its_ords_status_barrier_and_problem(volunteer):
    battery_fault = make_fault(name="Battery", mobifix_fault="Power/battery")
    port_fault = make_fault(name="Port", mobifix_fault="USB/charging port")
    fixed = make_ticket(user=volunteer, make="Samsung", fault=battery_fault)
    repairable = make_ticket(user=volunteer, make="Apple", model="iPhone 7", fault=port_fault)
    dead = make_ticket(user=volunteer, make="Huawei", fault=port_fault)
    make_ticket(user=volunteer, make="Nokia")  # still being diagnosed: no outcome, not exported
    # Half past midnight in Calais on 1 February is still 31 January in UTC.
    move(fixed, "ready", user=volunteer, now=paris(2025, 2, 1, 0, 30), repair_status="fixed")
    move(repairable, "ready", user=volunteer, now=paris(2025, 2, 3, 12), repair_status="repairable")
    move(
        dead,
        "unrepairable",
        user=volunteer,
        now=paris(2025, 2, 4, 12),
        barrier="parts_too_expensive",
    )

    rows = list(csv.DictReader(io.StringIO(export())))

    assert [row["id"] for row in rows] == [
        f"infobus-{fixed.pk}",
        f"infobus-{repairable.pk}",
        f"infobus-{dead.pk}",
    ]
    first = rows[0]
    assert first == {
        "id": f"infobus-{fixed.pk}",
        "data_provider": "Refugee Info Bus",
        "country": "FRA",
        "partner_product_category": "Mobile phone",
        "product_category": "Mobile",
        "product_category_id": "19",
        "brand": "Samsung",
        "year_of_manufacture": "",
        "product_age": "",
        "repair_status": "Fixed",
        "repair_barrier_if_end_of_life": "",
        "group_identifier": "Refugee Info Bus",
        "event_date": "2025-02-01",
        "problem": "Power/battery",
    }
    assert (rows[1]["repair_status"], rows[1]["repair_barrier_if_end_of_life"]) == (
        "Repairable",
        "",
    )
    assert (rows[2]["repair_status"], rows[2]["repair_barrier_if_end_of_life"]) == (
        "End of life",
        "Spare parts too expensive",
    )
    assert rows[2]["problem"] == "USB/charging port"


def test_the_export_carries_no_notes_names_or_numbers(volunteer):
    ticket = make_ticket(
        user=volunteer,
        notes="Dropped in the canal; Ahmed will call back",
        owner_name="Ahmed",
        owner_contact="+33 6 12 34 56 78",
    )
    move(ticket, "ready", user=volunteer, repair_status="fixed")

    text = export()

    for private in ("Ahmed", "canal", "56 78", ticket.code):
        assert private not in text


# --- Numbers for the month ------------------------------------------------------------------------


@pytest.fixture
def november(volunteer):
    """A month at two sites, with events just inside and just outside its edges.

    Worked out by hand:
      BMX stadium: fixed 3 (two tickets, one battery handed over), 1 battery handed over,
        1 phone given, SIMs 7, cables 3.
      Fort Nieulay: fixed 2 (one ticket, one battery fitted), 1 battery fitted, 1 phone given,
        SIMs 4, plug heads 6.
      Via partners: 1 phone to the partner; 20 SIM cards to partners.
    """
    user = volunteer
    bmx, fort = make_place(name="BMX stadium"), make_place(name="Fort Nieulay")
    partner = make_partner(name="Refugee Youth Service (test)")

    def fixed_at(site, when, outcome="fixed"):
        move(make_ticket(user=user, site=site), "ready", user=user, now=when, repair_status=outcome)

    fixed_at(bmx, paris(2025, 11, 3, 16))
    fixed_at(bmx, paris(2025, 11, 30, 23, 30))  # 22:30 UTC: still November in Calais
    fixed_at(fort, paris(2025, 10, 31, 23, 30))  # October
    fixed_at(fort, paris(2025, 11, 10, 12), outcome="repairable")  # not fixed
    fixed_at(fort, paris(2025, 12, 1, 0, 10))  # December
    fixed_at(fort, paris(2025, 11, 20, 12))
    move(make_ticket(user=user, site=fort), "unrepairable", user=user, barrier="no_way_to_open")

    def battery(site, finish, when):
        ticket = make_ticket(user=user, site=site)
        request = services.request_battery(
            ticket=ticket, battery_model=make_battery_model(), user=user
        )
        services.order_batteries(
            requests=[request],
            supplier="A",
            price=Decimal("8"),
            reference="",
            user=user,
            now=paris(2025, 10, 1, 12),
        )
        finish(request=request, user=user, now=when)

    battery(bmx, services.battery_handed_over, paris(2025, 11, 5, 12))
    battery(fort, services.battery_fitted, paris(2025, 11, 15, 12))
    battery(fort, services.battery_fitted, paris(2025, 10, 30, 12))  # October

    def given(*, site=None, to=None, when=None):
        phone = make_tested_phone(user=user)
        services.allocate_phone(phone=phone, user=user, partner=to)
        if when:
            services.deliver_phone(phone=phone, user=user, site=site, now=when)

    given(site=bmx, when=paris(2025, 11, 8, 15))
    given(site=fort, when=paris(2025, 11, 30, 23))
    given(to=partner, when=paris(2025, 11, 9, 10))
    given(to=partner, when=paris(2025, 12, 1, 10))  # December
    given()  # allocated, not delivered yet

    sim = make_stock_item(name="SIM card, Three 1 GB", kind="sim", network="Three")
    cable = make_stock_item(name="Cable, micro-USB 1 m", kind="cable", connector="micro_usb")
    plug = make_stock_item(name="Plug head 2 A", kind="plug")
    for item in (sim, cable, plug):
        services.receive_stock(item=item, quantity=100, user=user, now=paris(2025, 10, 1, 9))

    def hand_out(item, site, quantity, when):
        services.record_handout(
            session_ref="",
            item=item,
            quantity=quantity,
            user=user,
            tap_id=uuid.uuid4(),
            site=site,
            now=when,
        )

    hand_out(sim, bmx, 5, paris(2025, 11, 3, 15))
    hand_out(sim, bmx, 2, paris(2025, 11, 17, 15))
    hand_out(sim, fort, 4, paris(2025, 11, 4, 15))
    hand_out(sim, fort, 10, paris(2025, 10, 31, 23, 59))  # October
    hand_out(cable, bmx, 3, paris(2025, 11, 3, 15))
    hand_out(plug, fort, 6, paris(2025, 11, 4, 15))
    services.give_to_partner(
        item=sim, quantity=20, partner=partner, user=user, now=paris(2025, 11, 9, 10)
    )
    services.correct_stock(
        item=sim, change=-2, reason="Two torn", user=user, now=paris(2025, 11, 10, 10)
    )
    return bmx, fort, partner


def test_month_numbers_per_site_match_the_hand_computed_month(november):
    bmx, fort, _partner = november
    Kind = StockItem.Kind

    numbers = month_numbers(year=2025, month=11)

    assert [site for site, _figures in numbers.sites] == [bmx, fort]
    at_bmx, at_fort = (figures for _site, figures in numbers.sites)
    assert (at_bmx.phones_fixed, at_bmx.batteries_fitted, at_bmx.batteries_handed_over) == (3, 0, 1)
    assert (at_fort.phones_fixed, at_fort.batteries_fitted, at_fort.batteries_handed_over) == (
        2,
        1,
        0,
    )
    assert (at_bmx.phones_given, at_fort.phones_given) == (1, 1)
    assert at_bmx.handed_out == {Kind.SIM: 7, Kind.CABLE: 3}
    assert at_fort.handed_out == {Kind.SIM: 4, Kind.PLUG: 6}


def test_month_numbers_totals_and_partners_match_the_hand_computed_month(november):
    _bmx, _fort, partner = november
    Kind = StockItem.Kind

    numbers = month_numbers(year=2025, month=11)

    total = numbers.total
    assert (total.phones_fixed, total.batteries_fitted, total.batteries_handed_over) == (5, 1, 1)
    assert total.phones_given == 2
    assert total.handed_out == {Kind.SIM: 11, Kind.CABLE: 3, Kind.PLUG: 6}
    assert numbers.phones_via_partners == [(partner, 1)]
    assert numbers.phones_given_total == 3
    assert numbers.given_to_partners == {Kind.SIM: 20}


def test_the_months_around_count_what_fell_outside_november(november):
    october = month_numbers(year=2025, month=10)
    december = month_numbers(year=2025, month=12)

    assert october.total.phones_fixed == 2  # a ticket and a fitted battery
    assert october.total.handed_out == {StockItem.Kind.SIM: 10}
    assert december.total.phones_fixed == 1
    assert december.phones_via_partners[0][1] == 1


def test_a_brand_typed_as_a_formula_is_exported_as_text(volunteer):
    ticket = make_ticket(user=volunteer, make='=HYPERLINK("http://x.example","Open")')
    move(ticket, "ready", user=volunteer, now=paris(2025, 2, 3, 12), repair_status="fixed")

    row = next(csv.DictReader(io.StringIO(export())))

    assert row["brand"] == '\'=HYPERLINK("http://x.example","Open")'
    assert row["product_category_id"] == "19"
