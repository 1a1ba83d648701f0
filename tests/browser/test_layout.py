"""Layout as a reader's phone draws it: mirrored in right-to-left languages, no sideways
scrolling on a 320 px screen or with text at 200 %, tap targets of at least 44 px."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(browser, address, *, width=360, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(address)
    return context, page


# What sticks out of the screen, to name the culprit when a layout test fails.
OVERFLOWING = """width => [...document.querySelectorAll('body *')]
    .filter(el => {
        const r = el.getBoundingClientRect();
        return r.right > width + 0.5 || r.left < -0.5;
    })
    .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40))"""


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("lang", ["ar", "ps", "ckb"])
def test_header_and_lists_mirror_in_right_to_left_languages(browser, live_server, lang):
    context, page = _open(browser, f"{live_server.url}/{lang}/calais/")
    brand, switch = _box(page, ".brand"), _box(page, ".top .lang")
    # The guide's name starts on the right, the language link sits on the left.
    assert brand["x"] > switch["x"]
    heading = _box(page, "main h1")
    assert heading["x"] + heading["width"] > 300  # aligned to the right edge
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    context.close()


def test_left_to_right_languages_keep_the_usual_order(browser, live_server):
    context, page = _open(browser, f"{live_server.url}/ti/calais/")
    assert _box(page, ".brand")["x"] < _box(page, ".top .lang")["x"]
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en", "ti"])
@pytest.mark.parametrize("path", ["calais/", "calais/c/food/", "calais/today/", "calais/i/police/"])
def test_no_sideways_scrolling_on_a_320_px_screen(browser, live_server, lang, path):
    context, page = _open(browser, f"{live_server.url}/{lang}/{path}", width=320)
    overflowing = page.evaluate(OVERFLOWING, 320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, overflowing
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_text_at_200_percent_still_fits(browser, live_server, lang, guide):
    address = f"{live_server.url}/{lang}/calais/s/{guide['meal'].pk}/"
    context, page = _open(browser, address, width=640)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    # Text really grew: the heading is at least twice its usual 24 px.
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") >= 48
    )
    context.close()


def test_tap_targets_are_at_least_44_px_high(browser, live_server, guide):
    context, page = _open(browser, f"{live_server.url}/ar/calais/")
    small = page.evaluate(
        """() => [...document.querySelectorAll(`.top a, .tiles a, .langs a, .occ a, .list a,
                .links a, footer a, button, input, summary`)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert small == []
    context.close()


def test_pages_read_fully_with_javascript_off(browser, live_server, guide):
    context, page = _open(
        browser, f"{live_server.url}/en/calais/s/{guide['meal'].pk}/", javascript=False
    )
    assert "Midday meal" in page.inner_text("main")
    assert "Near the port" in page.inner_text("main")
    context.close()
