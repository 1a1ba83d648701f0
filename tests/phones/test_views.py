"""The staff pages: the session list, the slip, batteries, stock, the month and the export."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phones import services
from phones.models import NOT_COLLECTED_AFTER_DAYS
from tests.factories import make_place, make_user
from tests.phones.factories import (
    make_battery_model,
    make_stock_item,
    make_ticket,
    move,
    paris,
)
from tests.phones.pages import outside_sources

pytestmark = pytest.mark.django_db

PAGES = [
    "phones:bring_list",
    "phones:battery_orders",
    "phones:stock_levels",
    "phones:month_report",
    "phones:ords_export",
]


def staff(role_groups, role):
    return make_user(f"{role}_{uuid.uuid4().hex[:6]}", groups=[role_groups[role]])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["volunteer", "coordinator"])
def test_volunteers_and_coordinators_open_every_phone_page(client, role_groups, page, role):
    client.force_login(staff(role_groups, role))

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", [page for page in PAGES if page != "phones:ords_export"])
def test_phone_pages_load_nothing_from_outside_our_static_files(admin_client, page):
    assert outside_sources(admin_client.get(reverse(page))) == []


@pytest.mark.parametrize("page", PAGES)
def test_a_translator_is_refused_the_phone_pages(client, role_groups, page):
    client.force_login(staff(role_groups, "translator"))

    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_someone_not_signed_in_is_sent_to_the_back_office_login(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_bring_list_groups_waiting_phones_by_site_with_contacts_masked(
    admin_client, admin_user, django_assert_max_num_queries
):
    user = admin_user
    bmx, fort = make_place(name="BMX stadium"), make_place(name="Fort Nieulay")
    long_ago = timezone.now() - timedelta(days=NOT_COLLECTED_AFTER_DAYS + 2)
    ready = move(
        make_ticket(user=user, site=bmx, owner_contact="+33 6 12 34 56 78"),
        "ready",
        user=user,
        now=long_ago,
        repair_status="fixed",
    )
    dead = move(
        make_ticket(user=user, site=fort), "unrepairable", user=user, barrier="too_worn_out"
    )
    in_repair = move(make_ticket(user=user, site=bmx), "at_repair_shop", user=user)
    for _ in range(5):
        move(make_ticket(user=user, site=fort), "ready", user=user, repair_status="fixed")

    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("phones:bring_list"))

    by_site = response.context["by_site"]
    assert [site.name for site, _rows in by_site] == ["BMX stadium", "Fort Nieulay"]
    assert [ticket for ticket, _days in by_site[0][1]] == [ready]
    assert dead in [ticket for ticket, _days in by_site[1][1]]
    html = response.content.decode()
    assert in_repair.code not in html
    assert "•••• 78" in html
    assert "12 34 56 78" not in html
    assert 'class="n overdue"' in html


def test_the_bring_list_can_be_narrowed_to_one_site(admin_client, admin_user):
    bmx, fort = make_place(), make_place()
    move(make_ticket(user=admin_user, site=bmx), "ready", user=admin_user, repair_status="fixed")
    there = move(
        make_ticket(user=admin_user, site=fort), "ready", user=admin_user, repair_status="fixed"
    )

    response = admin_client.get(reverse("phones:bring_list"), {"site": fort.pk})

    assert [[t for t, _d in rows] for _site, rows in response.context["by_site"]] == [[there]]


def test_the_slip_shows_the_code_for_the_sticker_and_the_owner_but_no_contact(
    admin_client, admin_user
):
    ticket = make_ticket(user=admin_user, owner_name="Yonas", owner_contact="0612345678")

    html = admin_client.get(reverse("phones:ticket_slip", args=[ticket.pk])).content.decode()

    assert html.count(ticket.code) >= 2
    assert "Yonas" not in html
    assert "0612345678" not in html


def test_the_battery_page_counts_what_to_order_by_model(admin_client, admin_user):
    model = make_battery_model(name="EB-BG530")
    for _ in range(3):
        services.request_battery(
            ticket=make_ticket(user=admin_user), battery_model=model, user=admin_user
        )

    response = admin_client.get(reverse("phones:battery_orders"))

    (row,) = response.context["to_order"]
    assert (row["battery_model__name"], row["count"]) == ("EB-BG530", 3)


def test_the_stock_page_lists_what_is_low_first(admin_client, admin_user):
    low = make_stock_item(name="Power bank 10 Ah", kind="power_bank", low_stock_threshold=5)
    services.receive_stock(item=low, quantity=3, user=admin_user)

    response = admin_client.get(reverse("phones:stock_levels"))

    assert low in response.context["low"]
    assert low not in response.context["items"]


def test_the_month_page_shows_the_chosen_month(admin_client, admin_user):
    site = make_place(name="BMX stadium")
    move(
        make_ticket(user=admin_user, site=site),
        "ready",
        user=admin_user,
        now=paris(2025, 11, 4, 12),
        repair_status="fixed",
    )

    response = admin_client.get(reverse("phones:month_report"), {"month": "2025-11"})

    assert response.context["numbers"].total.phones_fixed == 1
    assert (response.context["previous"], response.context["next"]) == ("2025-10", "2025-12")
    assert "BMX stadium" in response.content.decode()


@pytest.mark.parametrize("month", ["2025-13", "soon", ""])
def test_a_malformed_month_shows_this_month(admin_client, month):
    response = admin_client.get(reverse("phones:month_report"), {"month": month})

    today = timezone.localdate()
    assert (response.context["numbers"].year, response.context["numbers"].month) == (
        today.year,
        today.month,
    )


def test_the_export_downloads_as_csv_narrowed_to_dates(admin_client, admin_user):
    early = move(
        make_ticket(user=admin_user),
        "ready",
        user=admin_user,
        now=paris(2025, 1, 10, 12),
        repair_status="fixed",
    )
    late = move(
        make_ticket(user=admin_user),
        "ready",
        user=admin_user,
        now=paris(2025, 3, 10, 12),
        repair_status="fixed",
    )

    response = admin_client.get(
        reverse("phones:ords_export"), {"from": "2025-03-01", "to": "2025-03-31"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("id,data_provider,country,")
    assert f"infobus-{late.pk}," in text
    assert f"infobus-{early.pk}," not in text
