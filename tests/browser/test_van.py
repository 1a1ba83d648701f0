"""At the van in real Chromium: taps (stock and phones charged) and the end-of-session form,
made online and offline, reach the server once each."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import sync_playwright

from phones import services
from phones.models import StockItem, StockMovement, VanTap, van_day
from sessions_log.models import Session
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import make_user
from tests.phones.factories import make_stock_item
from tests.sessions_log.factories import make_session, make_site

PASSWORD = "van-tally-test-password"
QUEUE_EMPTY = "() => document.getElementById('van-queue').textContent === ''"
COUNT_IS = "([item, n]) => document.querySelector(`[data-count='${item}']`).textContent === n"


@pytest.fixture
def van(transactional_db):
    # Committed rows, all written before Chromium starts (see the browser fixture).
    user = make_user("van_volunteer", password=PASSWORD)
    for app_label, codename in (
        ("phones", "add_stockmovement"),
        ("sessions_log", "add_session"),
        ("sessions_log", "view_session"),
    ):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    sim = make_stock_item(name="Lyca SIM", kind=StockItem.Kind.SIM, network="Lyca")
    services.receive_stock(item=sim, quantity=20, user=user)
    # The van's day, which is yesterday's date until 04:00.
    session = make_session(date=van_day())
    site = make_site(name="Fort Nieulay")
    return {
        "sim": sim,
        "plug": make_stock_item(name="EU plug head", kind=StockItem.Kind.PLUG),
        "session": session,
        "page": reverse("phones:van_session", args=[session.pk]),
        "tap_url": reverse("phones:van_session_tap", args=[session.pk]),
        "charge_url": reverse("phones:van_session_charge", args=[session.pk]),
        "site": site,
        "site_page": reverse("phones:van_site_day", args=[site.pk, van_day()]),
        "record_url": reverse("sessions_log:record"),
    }


def sign_in(page):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "van_volunteer")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(f"**{reverse('admin:index')}")


def launch(playwright):
    if not CHROMIUM.exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.mark.browser
def test_taps_made_online_and_offline_are_each_counted_once(van, live_server):
    item = str(van["sim"].pk)
    sent = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on(
            "request",
            lambda r: r.url.endswith(van["tap_url"]) and r.post_data and sent.append(r.post_data),
        )
        sign_in(page)
        page.goto(van["page"])
        plus_one = page.locator(f"button[data-item='{item}']")

        plus_one.click()
        plus_one.click()
        page.wait_for_function(COUNT_IS, arg=[item, "2"])
        page.wait_for_function(QUEUE_EMPTY)

        context.set_offline(True)
        for _ in range(3):
            plus_one.click()
        queue = page.locator("#van-queue")
        assert queue.inner_text() == "3 taps waiting to be sent"
        assert page.locator(f"[data-count='{item}']").inner_text() == "5"

        context.set_offline(False)
        page.wait_for_function(QUEUE_EMPTY)
        assert page.evaluate("localStorage.getItem('infobus-van-taps')") == "[]"
        assert page.locator(f"[data-count='{item}']").inner_text() == "5"
        assert page.locator(f"[data-level='{item}']").inner_text() == "15"

        # One of the offline taps sent again, twice, as a flaky connection might.
        replayed = json.loads(sent[-1])["tap"]
        answers = page.evaluate(
            """async ([url, tap, item]) => {
              const csrf = document.querySelector('[name=csrfmiddlewaretoken]').value
              const send = () => fetch(url, {method: 'POST', headers: {
                'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                body: JSON.stringify({tap, item})}).then((r) => r.json())
              return [await send(), await send()]
            }""",
            [van["tap_url"], replayed, item],
        )
        assert [answer["counts"][item] for answer in answers] == [5, 5]
        browser.close()

    # The browser is closed: the database may be read from this thread again.
    movements = StockMovement.objects.filter(item=van["sim"], kind="handed_out")
    assert movements.count() == 5
    assert len({movement.tap_id for movement in movements}) == 5
    assert len({json.loads(body)["tap"] for body in sent}) == 5
    assert van["sim"].level() == 15


@pytest.mark.browser
def test_a_tap_refused_for_want_of_stock_is_shown_and_leaves_the_queue(van, live_server):
    item = str(van["plug"].pk)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page)
        page.goto(van["page"])

        page.locator(f"button[data-item='{item}']").click()

        refused = page.locator("#van-refused")
        refused.filter(has_text="Only 0 EU plug head left").wait_for()
        page.wait_for_function(QUEUE_EMPTY)
        assert page.locator(f"[data-count='{item}']").inner_text() == "0"
        browser.close()

    assert not StockMovement.objects.filter(item=van["plug"]).exists()


RESEND = """async ([url, body]) => {
  const csrf = document.querySelector('[name=csrfmiddlewaretoken]').value
  const send = () => fetch(url, {method: 'POST', headers: {
    'Content-Type': 'application/json', 'X-CSRFToken': csrf},
    body}).then((r) => r.json())
  return [await send(), await send()]
}"""
ENTRY_SAYS = "(text) => document.getElementById('van-entry-status').textContent.includes(text)"


def open_van(playwright, live_server, url, sent, watched):
    browser = launch(playwright)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "request",
        lambda r: r.url.endswith(watched) and r.post_data and sent.append(r.post_data),
    )
    sign_in(page)
    page.goto(url)
    return browser, context, page


@pytest.mark.browser
def test_a_phone_charged_offline_is_counted_once_even_when_sent_again(van, live_server):
    sent = []
    with sync_playwright() as playwright:
        browser, context, page = open_van(
            playwright, live_server, van["page"], sent, van["charge_url"]
        )
        charged = page.locator("button[data-charge]")

        context.set_offline(True)
        charged.click()
        assert page.locator("#van-queue").inner_text() == "1 tap waiting to be sent"
        assert page.locator("[data-charges]").inner_text() == "1"
        # The form's phones charged follows the button until someone types a figure.
        assert page.locator("#entry_phones_charged").count() == 0  # a recorded session

        context.set_offline(False)
        page.wait_for_function(QUEUE_EMPTY)
        assert page.locator("[data-charges]").inner_text() == "1"
        answers = page.evaluate(RESEND, [van["charge_url"], sent[-1]])
        assert [answer["charges"] for answer in answers] == [1, 1]
        browser.close()

    # Sent once by the queue, then twice by hand: one tap id, one phone charged.
    assert len(sent) == 3 and len(set(sent)) == 1
    assert VanTap.objects.charges().count() == 1
    van["session"].refresh_from_db()
    assert van["session"].phones_charged == 1


@pytest.mark.browser
def test_the_session_form_filled_offline_is_recorded_once_when_the_signal_returns(van, live_server):
    sent = []
    with sync_playwright() as playwright:
        browser, context, page = open_van(
            playwright, live_server, van["site_page"], sent, van["record_url"]
        )
        context.set_offline(True)
        page.locator("button[data-charge]").click()
        page.locator("button[data-charge]").click()
        assert page.locator("#entry_phones_charged").input_value() == "2"
        page.fill("#entry_people_present", "75")
        page.fill("#entry_notes", "Rain from four; the generator stopped once.")
        page.locator("#van-entry button[type=submit]").click()

        page.wait_for_function(ENTRY_SAYS, arg="kept on this phone")
        queue = json.loads(page.evaluate("localStorage.getItem('infobus-van-taps')"))
        assert [t["kind"] for t in queue] == ["charge", "charge", "session"]
        assert sent == []

        context.set_offline(False)
        page.wait_for_function(ENTRY_SAYS, arg="recorded")
        page.wait_for_function(QUEUE_EMPTY)
        assert page.evaluate("localStorage.getItem('infobus-van-taps')") == "[]"
        link = page.locator("#van-entry-status a").get_attribute("href")
        # The queue's request sent again, twice, as a flaky connection might.
        answers = page.evaluate(RESEND, [van["record_url"], sent[-1]])
        assert [answer["replayed"] for answer in answers] == [True, True]
        browser.close()

    session = Session.objects.get(site=van["site"])
    assert link == reverse("sessions_log:session_detail", args=[session.pk])
    assert (session.people_present, session.phones_charged) == (75, 2)
    assert session.notes == "Rain from four; the generator stopped once."
    assert len({json.loads(body)["submission"] for body in sent}) == 1
    assert VanTap.objects.filter(kind="session_entry").count() == 1
    charges = VanTap.objects.charges().filter(site=van["site"])
    assert list(charges.values_list("session", flat=True)) == [session.pk, session.pk]


@pytest.mark.browser
def test_a_refused_session_form_shows_why_and_keeps_what_was_typed(van, live_server):
    sent = []
    with sync_playwright() as playwright:
        browser, _context, page = open_van(
            playwright, live_server, van["site_page"], sent, van["record_url"]
        )
        page.fill("#entry_actual_start", "16:00")
        page.fill("#entry_actual_end", "15:00")
        page.fill("#entry_people_present", "-4")
        page.locator("#van-entry button[type=submit]").click()

        page.wait_for_function(ENTRY_SAYS, arg="not recorded")
        errors = page.locator("#field-actual_end .errorlist")
        assert "ends before it starts" in errors.inner_text()
        assert "cannot be negative" in page.locator("#field-people_present .errorlist").inner_text()
        assert page.locator("#van-entry-errors").is_visible()
        queue = json.loads(page.evaluate("localStorage.getItem('infobus-van-taps')"))
        assert len(queue) == 1 and queue[0]["held"] is True
        assert queue[0]["fields"]["people_present"] == "-4"

        # A reload keeps the form and its messages.
        page.reload()
        assert page.locator("#entry_people_present").input_value() == "-4"
        assert "cannot be negative" in page.locator("#field-people_present .errorlist").inner_text()

        page.fill("#entry_actual_end", "16:30")
        page.fill("#entry_people_present", "40")
        page.locator("#van-entry button[type=submit]").click()
        page.wait_for_function(ENTRY_SAYS, arg="recorded")
        assert page.locator("#field-people_present .errorlist").count() == 0
        browser.close()

    assert Session.objects.get(site=van["site"]).people_present == 40
    # The refused form and the fixed one carried the same id: recorded once.
    assert len({json.loads(body)["submission"] for body in sent}) == 1
