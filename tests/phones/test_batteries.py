"""Battery requests: counted by model to order, and their tickets follow them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from phones import services
from phones.models import BatteryRequest, RepairStatus, TicketStatus
from tests.factories import make_user
from tests.phones.factories import make_battery_model, make_ticket, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer():
    return make_user("volunteer_b")


def request_for(battery_model, *, user, **ticket_fields):
    ticket = make_ticket(user=user, **ticket_fields)
    return services.request_battery(ticket=ticket, battery_model=battery_model, user=user)


def test_the_order_list_counts_requests_by_battery_model(volunteer):
    j5, a12 = make_battery_model(name="EB-BG530"), make_battery_model(name="EB-BA505")
    for _ in range(3):
        request_for(j5, user=volunteer)
    request_for(a12, user=volunteer)
    ordered = request_for(a12, user=volunteer)
    services.order_batteries(
        requests=[ordered],
        supplier="Batteries.fr",
        price=Decimal("9.50"),
        reference="",
        user=volunteer,
    )

    rows = [
        (row["battery_model__name"], row["count"]) for row in BatteryRequest.objects.order_list()
    ]

    assert rows == [("EB-BG530", 3), ("EB-BA505", 1)]


def test_a_request_remembers_the_phone_model_of_its_ticket(volunteer):
    battery = request_for(make_battery_model(), user=volunteer, make="Samsung", model="J5")

    assert battery.phone_model == "Samsung J5"
    assert battery.requested_by == volunteer


def test_ordering_records_the_supplier_and_moves_the_tickets_to_waiting_for_a_part(volunteer):
    model = make_battery_model()
    first, second = request_for(model, user=volunteer), request_for(model, user=volunteer)
    move(second.ticket, TicketStatus.DIAGNOSING, user=volunteer)

    order = services.order_batteries(
        requests=BatteryRequest.objects.filter(pk__in=[first.pk, second.pk]),
        supplier="Amazon",
        price=Decimal("19.80"),
        reference="402-1234",
        user=volunteer,
    )

    assert (order.supplier, order.price, order.reference) == (
        "Amazon",
        Decimal("19.80"),
        "402-1234",
    )
    assert order.battery_model == model
    assert order.ordered_by == volunteer
    for battery in (first, second):
        battery.refresh_from_db()
        battery.ticket.refresh_from_db()
        assert battery.status == BatteryRequest.Status.ORDERED
        assert battery.order == order
        assert battery.ticket.status == TicketStatus.WAITING_FOR_PART
        assert battery.ticket.events.last().by == volunteer


def test_a_request_cannot_be_ordered_twice(volunteer):
    battery = request_for(make_battery_model(), user=volunteer)
    services.order_batteries(
        requests=[battery], supplier="A", price=Decimal("5"), reference="", user=volunteer
    )

    with pytest.raises(ValidationError):
        services.order_batteries(
            requests=[battery], supplier="B", price=Decimal("5"), reference="", user=volunteer
        )


def test_one_order_is_for_one_battery_model(volunteer):
    one = request_for(make_battery_model(), user=volunteer)
    other = request_for(make_battery_model(), user=volunteer)

    with pytest.raises(ValidationError):
        services.order_batteries(
            requests=[one, other], supplier="A", price=Decimal("5"), reference="", user=volunteer
        )
    one.refresh_from_db()
    assert one.status == BatteryRequest.Status.REQUESTED


def test_arrived_then_fitted_makes_the_ticket_ready_and_fixed(volunteer):
    battery = request_for(make_battery_model(), user=volunteer)
    order = services.order_batteries(
        requests=[battery], supplier="A", price=Decimal("5"), reference="", user=volunteer
    )
    services.batteries_arrived(order=order, user=volunteer)
    battery.refresh_from_db()
    assert battery.status == BatteryRequest.Status.ARRIVED

    services.battery_fitted(request=battery, user=volunteer)

    battery.refresh_from_db()
    ticket = battery.ticket
    ticket.refresh_from_db()
    assert battery.status == BatteryRequest.Status.FITTED
    assert battery.done_by == volunteer
    assert ticket.status == TicketStatus.READY
    assert ticket.repair_status == RepairStatus.FIXED


def test_a_battery_handed_over_closes_its_ticket_as_fixed_and_collected(volunteer):
    battery = request_for(make_battery_model(), user=volunteer)
    services.order_batteries(
        requests=[battery], supplier="A", price=Decimal("5"), reference="", user=volunteer
    )

    services.battery_handed_over(request=battery, user=volunteer)

    ticket = battery.ticket
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.COLLECTED
    assert ticket.repair_status == RepairStatus.FIXED
    moves = list(ticket.events.values_list("to_status", flat=True))
    assert moves == ["received", "waiting_for_part", "ready", "collected"]


def test_a_battery_not_yet_ordered_cannot_be_fitted(volunteer):
    battery = request_for(make_battery_model(), user=volunteer)

    with pytest.raises(ValidationError):
        services.battery_fitted(request=battery, user=volunteer)


def test_an_order_is_marked_arrived_once(volunteer):
    battery = request_for(make_battery_model(), user=volunteer)
    order = services.order_batteries(
        requests=[battery], supplier="A", price=Decimal("5"), reference="", user=volunteer
    )
    services.batteries_arrived(order=order, user=volunteer)

    with pytest.raises(ValidationError):
        services.batteries_arrived(order=order, user=volunteer)
