"""The back office for phones: every page loads, and each change goes through the services."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from phones import services
from phones.models import (
    BatteryOrder,
    BatteryRequest,
    DonatedPhone,
    FaultType,
    Partner,
    RepairTicket,
    StockMovement,
    TicketStatus,
    VanTap,
)
from tests.factories import make_organisation, make_place, make_user
from tests.phones.factories import (
    make_battery_model,
    make_donated_phone,
    make_donor,
    make_fault,
    make_partner,
    make_stock_item,
    make_tested_phone,
    make_ticket,
    move,
)
from tests.phones.pages import form_data, outside_sources
from tests.sessions_log.factories import make_site

pytestmark = pytest.mark.django_db

PHONE_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "phones"),
    key=lambda model: model._meta.model_name,
)
MODEL_IDS = [model._meta.model_name for model in PHONE_MODELS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_each(admin_user):
    """One row of every phone model (and a second where a filter needs two choices)."""
    user = admin_user
    site = make_place(name="BMX stadium")
    ticket = make_ticket(user=user, site=site, owner_name="Yonas", owner_contact="+33 612345678")
    move(make_ticket(user=user), "ready", user=user, repair_status="fixed")
    battery = services.request_battery(ticket=ticket, battery_model=make_battery_model(), user=user)
    services.order_batteries(
        requests=[battery], supplier="Amazon", price=Decimal("9"), reference="1", user=user
    )
    services.request_battery(ticket=ticket, battery_model=make_battery_model(), user=user)
    partner = make_partner()
    phone = make_tested_phone(user=user, donor=make_donor())
    services.allocate_phone(phone=phone, user=user, partner=partner)
    make_donated_phone()
    item = make_stock_item()
    services.receive_stock(item=item, quantity=10, user=user)
    services.record_handout(
        session_ref="s", item=item, quantity=1, user=user, tap_id=uuid.uuid4(), site=site
    )
    bus_site = make_site(make_place(name="Fort Nieulay"))
    services.record_charge(
        site=bus_site, day=date(2026, 3, 10), session_ref="s", user=user, tap_id=uuid.uuid4()
    )
    return ticket


@pytest.mark.parametrize("model", PHONE_MODELS, ids=MODEL_IDS)
def test_changelist_loads_with_a_search_and_every_filter_choice(admin_client, one_of_each, model):
    url = admin_url(model, "changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    if admin.site._registry[model].search_fields:
        assert admin_client.get(url, {"q": "x"}).status_code == 200

    changelist = response.context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            filtered = admin_client.get(url + choice["query_string"])
            assert filtered.status_code == 200, (spec.title, choice["display"])


@pytest.mark.parametrize("model", PHONE_MODELS, ids=MODEL_IDS)
def test_add_form_loads_or_is_refused_where_rows_come_from_elsewhere(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    # Orders are made from battery requests, and taps at the van, never added by hand.
    assert response.status_code == (403 if model in (BatteryOrder, VanTap) else 200)


@pytest.mark.parametrize("model", PHONE_MODELS, ids=MODEL_IDS)
def test_change_form_of_an_existing_object_loads(admin_client, one_of_each, model):
    obj = model._default_manager.first()
    assert obj is not None, f"add a {model.__name__} to the one_of_each fixture"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", PHONE_MODELS, ids=MODEL_IDS)
def test_admin_pages_load_scripts_and_styles_only_from_our_static_files(
    admin_client, one_of_each, model
):
    obj = model._default_manager.first()
    for url in (admin_url(model, "changelist"), admin_url(model, "change", obj.pk)):
        assert outside_sources(admin_client.get(url)) == [], url


def test_every_phone_model_is_in_the_admin():
    from django.apps import apps

    in_admin = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        in_admin.update(inline.model for inline in model_admin.inlines)
    # Past versions are read on each object's History page, not as models of their own.
    models = apps.get_app_config("phones").get_models()
    assert {model for model in models if not issubclass(model, HistoricalChanges)} <= in_admin


# --- Tickets --------------------------------------------------------------------------------------


def test_a_ticket_added_in_the_admin_gets_a_code_and_its_first_step(admin_client, admin_user):
    site, fault = make_place(), make_fault()
    data = form_data(admin_client.get(admin_url(RepairTicket, "add")))
    data.update(
        {
            "site": site.pk,
            "make": "Samsung",
            "model": "A12",
            "fault": fault.pk,
            "owner_name": "Sam",
            "owner_contact": "+33 6 12 34 56 78",
        }
    )

    response = admin_client.post(admin_url(RepairTicket, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    ticket = RepairTicket.objects.get()
    assert len(ticket.code) == 5
    assert ticket.created_by == admin_user
    assert list(ticket.events.values_list("to_status", "by")) == [("received", admin_user.pk)]


def test_a_fault_no_longer_offered_is_not_offered_for_new_tickets(admin_client):
    gone = make_fault(name="Old fault", is_active=False)
    offered = make_fault(name="Screen cracked")

    response = admin_client.get(admin_url(RepairTicket, "add"))

    choices = response.context["adminform"].form.fields["fault"].queryset
    assert offered in choices
    assert gone not in choices


def test_the_ticket_list_masks_names_and_numbers_that_the_ticket_page_shows(
    admin_client, one_of_each
):
    listed = admin_client.get(admin_url(RepairTicket, "changelist")).content.decode()
    assert "•••• 78" in listed
    assert "612345678" not in listed
    assert "Yonas" not in listed
    assert "Y•••" in listed

    page = admin_client.get(admin_url(RepairTicket, "change", one_of_each.pk)).content.decode()
    assert "+33 612345678" in page


def test_a_ticket_is_found_by_its_code_typed_in_lower_case_with_a_dash(admin_client, one_of_each):
    code = one_of_each.code
    typed = f"{code[:3]}-{code[3:]}".lower()

    response = admin_client.get(admin_url(RepairTicket, "changelist"), {"q": typed})

    assert list(response.context["cl"].result_list) == [one_of_each]


def test_an_action_moves_the_tickets_it_may_and_says_why_not_for_the_others(
    admin_client, admin_user
):
    received = make_ticket(user=admin_user)
    collected = move(
        make_ticket(user=admin_user), "ready", "collected", user=admin_user, repair_status="fixed"
    )

    response = admin_client.post(
        admin_url(RepairTicket, "changelist"),
        {"action": "mark_diagnosing", "_selected_action": [received.pk, collected.pk]},
        follow=True,
    )

    received.refresh_from_db()
    collected.refresh_from_db()
    assert received.status == TicketStatus.DIAGNOSING
    assert collected.status == TicketStatus.COLLECTED
    text = response.content.decode()
    assert "1 ticket is now “Diagnosing”." in text
    assert f"{collected.code}" in text and "cannot go from “Collected” to “Diagnosing”" in text


def test_unrepairable_takes_its_barrier_from_the_action_bar(admin_client, admin_user):
    ticket = make_ticket(user=admin_user)
    url = admin_url(RepairTicket, "changelist")

    admin_client.post(url, {"action": "mark_unrepairable", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RECEIVED

    admin_client.post(
        url,
        {
            "action": "mark_unrepairable",
            "_selected_action": [ticket.pk],
            "barrier": "parts_not_available",
            "note": "No screen for this model",
        },
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.repair_barrier) == ("unrepairable", "parts_not_available")
    assert ticket.events.last().note == "No screen for this model"


def test_a_battery_requested_on_the_ticket_page_joins_the_order_list(
    admin_client, admin_user, one_of_each
):
    model = make_battery_model(name="BL-5C")
    url = admin_url(RepairTicket, "change", one_of_each.pk)
    data = form_data(admin_client.get(url))
    prefix = "battery_requests"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data[f"{prefix}-{index}-battery_model"] = model.pk

    response = admin_client.post(url, data)

    assert response.status_code == 302
    battery = BatteryRequest.objects.get(battery_model=model)
    assert (battery.ticket, battery.requested_by) == (one_of_each, admin_user)
    assert battery.phone_model == one_of_each.phone


def test_ticket_list_queries_do_not_grow_with_the_number_of_tickets(admin_client, admin_user):
    site, fault = make_place(), make_fault()
    make_ticket(user=admin_user, site=site, fault=fault)
    url = admin_url(RepairTicket, "changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(5):
        make_ticket(user=admin_user, site=site, fault=fault)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)

    assert len(many) == len(few)


# --- Batteries, donated phones, stock -----------------------------------------------------------


def test_batteries_are_marked_ordered_from_the_request_list(admin_client, admin_user):
    model = make_battery_model()
    requests = [
        services.request_battery(
            ticket=make_ticket(user=admin_user), battery_model=model, user=admin_user
        )
        for _ in range(2)
    ]
    url = admin_url(BatteryRequest, "changelist")
    selected = [r.pk for r in requests]

    admin_client.post(url, {"action": "mark_ordered", "_selected_action": selected})
    assert not BatteryOrder.objects.exists()

    response = admin_client.post(
        url,
        {
            "action": "mark_ordered",
            "_selected_action": selected,
            "supplier": "Batteries.fr",
            "price": "21.40",
            "reference": "BF-88",
        },
        follow=True,
    )

    order = BatteryOrder.objects.get()
    assert (order.supplier, order.price, order.reference) == (
        "Batteries.fr",
        Decimal("21.40"),
        "BF-88",
    )
    assert set(order.requests.all()) == set(requests)
    assert "2 batteries ordered" in response.content.decode()


def test_ticking_the_whole_checklist_puts_a_donated_phone_in_store(admin_client):
    phone = make_donated_phone()
    url = admin_url(DonatedPhone, "change", phone.pk)
    data = form_data(admin_client.get(url))
    data.update(dict.fromkeys(DonatedPhone.CHECKLIST, "on"))

    assert admin_client.post(url, data).status_code == 302

    phone.refresh_from_db()
    assert phone.status == DonatedPhone.Status.STORED
    assert phone.passed_test


def test_a_phone_is_allocated_to_a_person_with_a_code_from_the_list(admin_client, admin_user):
    phone = make_tested_phone(user=admin_user)

    response = admin_client.post(
        admin_url(DonatedPhone, "changelist"),
        {"action": "allocate_to_person", "_selected_action": [phone.pk]},
        follow=True,
    )

    phone.refresh_from_db()
    assert phone.status == DonatedPhone.Status.ALLOCATED
    assert phone.handout_code in response.content.decode()


def test_a_stock_movement_added_in_the_admin_is_signed_by_its_kind(admin_client, admin_user):
    item = make_stock_item()
    services.receive_stock(item=item, quantity=10, user=admin_user)
    url = admin_url(StockMovement, "add")
    data = form_data(admin_client.get(url))
    data.update({"item": item.pk, "kind": "handed_out", "count": 3, "site": make_place().pk})

    response = admin_client.post(url, data)

    assert response.status_code == 302
    movement = StockMovement.objects.get(kind="handed_out")
    assert (movement.quantity, movement.recorded_by) == (-3, admin_user)
    assert item.level() == 7


def test_the_admin_refuses_a_handout_larger_than_the_stock(admin_client, admin_user):
    item = make_stock_item()
    services.receive_stock(item=item, quantity=2, user=admin_user)
    url = admin_url(StockMovement, "add")
    data = form_data(admin_client.get(url))
    data.update({"item": item.pk, "kind": "handed_out", "count": 3})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "count" in response.context["adminform"].form.errors
    assert item.level() == 2


def test_a_correction_in_the_admin_needs_a_reason(admin_client):
    item = make_stock_item()
    url = admin_url(StockMovement, "add")
    data = form_data(admin_client.get(url))
    data.update({"item": item.pk, "kind": "correction", "count": 4})

    response = admin_client.post(url, data)

    assert "reason" in response.context["adminform"].form.errors
    assert not item.movements.exists()


def test_stock_movements_are_never_edited_or_deleted(admin_client, admin_user):
    item = make_stock_item()
    movement = services.receive_stock(item=item, quantity=5, user=admin_user)

    page = admin_client.get(admin_url(StockMovement, "change", movement.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(admin_url(StockMovement, "delete", movement.pk)).status_code == 403
    assert item.level() == 5


# --- Roles --------------------------------------------------------------------------------------


def staff(role_groups, role):
    return make_user(f"{role}_{uuid.uuid4().hex[:6]}", groups=[role_groups[role]])


def test_a_volunteer_opens_tickets_but_cannot_edit_the_fault_list(client, role_groups):
    client.force_login(staff(role_groups, "volunteer"))
    fault = make_fault()

    assert client.get(admin_url(RepairTicket, "add")).status_code == 200
    assert client.get(admin_url(FaultType, "changelist")).status_code == 200
    assert client.get(admin_url(FaultType, "add")).status_code == 403
    assert client.post(admin_url(FaultType, "delete", fault.pk)).status_code == 403


def test_a_coordinator_keeps_the_fixed_lists(client, role_groups):
    client.force_login(staff(role_groups, "coordinator"))

    for model in (FaultType, StockMovement.item.field.related_model, BatteryOrder):
        assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(FaultType, "add")).status_code == 200


def test_a_translator_sees_no_repair_tickets(client, role_groups):
    client.force_login(staff(role_groups, "translator"))

    assert client.get(admin_url(RepairTicket, "changelist")).status_code == 403


def test_volunteers_may_not_delete_tickets_but_coordinators_may(role_groups):
    volunteer = staff(role_groups, "volunteer")
    coordinator = staff(role_groups, "coordinator")

    assert not volunteer.has_perm("phones.delete_repairticket")
    assert coordinator.has_perm("phones.delete_repairticket")
    assert volunteer.has_perm("phones.add_stockmovement")
    assert not volunteer.has_perm("phones.change_faulttype")
    assert (
        not Group.objects.get(name="translator")
        .permissions.filter(content_type__app_label="phones")
        .exists()
    )


# --- Partners in the guide ------------------------------------------------------------------------


def test_a_partner_in_the_guide_takes_its_name_from_the_organisation(admin_client):
    organisation = make_organisation(name="Secours Catholique")
    data = form_data(admin_client.get(admin_url(Partner, "add")))

    response = admin_client.post(
        admin_url(Partner, "add"), {**data, "name": "", "organisation": organisation.pk}
    )

    assert response.status_code == 302
    partner = Partner.objects.get(organisation=organisation)
    assert (partner.name, partner.organisation) == ("Secours Catholique", organisation)


def test_an_organisation_is_one_partner_and_a_partner_has_a_name(admin_client):
    organisation = make_organisation(name="Utopia 56")
    make_partner(name="Utopia", organisation=organisation)
    before = Partner.objects.count()
    data = form_data(admin_client.get(admin_url(Partner, "add")))

    twice = admin_client.post(
        admin_url(Partner, "add"),
        {**data, "name": "Utopia 56 Calais", "organisation": organisation.pk},
    )
    nameless = admin_client.post(admin_url(Partner, "add"), {**data, "name": " "})

    assert "This organisation is already a partner." in twice.content.decode()
    assert "Give the partner a name, or choose its organisation" in nameless.content.decode()
    assert Partner.objects.count() == before


def test_the_partner_form_finds_the_organisation_by_typing(admin_client):
    page = admin_client.get(admin_url(Partner, "add")).content.decode()

    assert 'class="admin-autocomplete"' in page
    assert 'data-field-name="organisation"' in page
