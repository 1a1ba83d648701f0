"""At the van in real Chromium: taps made online and offline reach the server once each."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import sync_playwright

from phones import services
from phones.models import StockItem, StockMovement
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import make_user
from tests.phones.factories import make_stock_item
from tests.sessions_log.factories import make_session

PASSWORD = "van-tally-test-password"
QUEUE_EMPTY = "() => document.getElementById('van-queue').textContent === ''"
COUNT_IS = "([item, n]) => document.querySelector(`[data-count='${item}']`).textContent === n"


@pytest.fixture
def van(transactional_db):
    # Committed rows, all written before Chromium starts (see the browser fixture).
    user = make_user("van_volunteer", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="phones", codename="add_stockmovement")
    )
    sim = make_stock_item(name="Lyca SIM", kind=StockItem.Kind.SIM, network="Lyca")
    services.receive_stock(item=sim, quantity=20, user=user)
    session = make_session(date=timezone.localdate())
    return {
        "sim": sim,
        "plug": make_stock_item(name="EU plug head", kind=StockItem.Kind.PLUG),
        "page": reverse("phones:van_session", args=[session.pk]),
        "tap_url": reverse("phones:van_session_tap", args=[session.pk]),
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
