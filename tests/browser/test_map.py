"""The map in real Chromium: markers over the list, the category filter, "Nearest first",
and the back office's point picker. No request leaves the machine: every address outside
the live server is aborted (tiles included) or, where a tile must arrive, answered here."""

import base64
import math
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import make_area, make_category, make_place, make_service, make_user

# A 1x1 transparent PNG, standing in for a tile.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
TILES = "https://tile.openstreetmap.org/"
MARKERS = ".leaflet-marker-icon.pin"


@pytest.fixture
def guide(transactional_db, client, settings):
    """Overrides the browser suite's guide: three places, and a coordinator's session.

    Every row is written before Chromium starts (see the browser fixture in conftest).
    """
    settings.MAP_TILES_URL = TILES + "{z}/{x}/{y}.png"
    area = make_area(name="Calais", slug="calais")
    food = make_category(slug="food", name="Food", icon="food", order=1)
    water = make_category(slug="water", name="Water", icon="water", order=2)
    every_day = [{"weekday": d, "opens": "00:00", "closes": "12:00"} for d in range(7)] + [
        {"weekday": d, "opens": "12:00", "closes": "00:00"} for d in range(7)
    ]
    lamy = make_place(
        area, name="Rue Lamy", latitude=Decimal("50.958000"), longitude=Decimal("1.852000")
    )
    port = make_place(
        area, name="Port kitchen", latitude=Decimal("50.965000"), longitude=Decimal("1.870000")
    )
    fountain = make_place(
        area, name="Fountain", latitude=Decimal("50.940000"), longitude=Decimal("1.830000")
    )
    meal = make_service(area, title="Meal", categories=[food], places=[lamy], hours=every_day)
    make_service(area, title="Breakfast", categories=[food], places=[port])
    make_service(area, title="Drinking water", categories=[water], places=[fountain])
    coordinator = make_user("coordinator", is_superuser=True)
    client.force_login(coordinator)
    return {
        "area": area,
        "lamy": lamy,
        "port": port,
        "fountain": fountain,
        "meal": meal,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"guides:{name}", args=args)


def open_page(browser, live_server, *, tiles="abort", **options):
    """A page whose requests never leave the machine; returns it and every URL it asked for.

    tiles="abort": the tile server is unreachable (offline); "answer": a blank tile arrives.
    """
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    asked = []

    def route(r):
        asked.append(r.request.url)
        if r.request.url.startswith(live_server.url):
            r.continue_()
        elif tiles == "answer" and r.request.url.startswith(TILES):
            r.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    # What the Content-Security-Policy refused, as the console reports it.
    page.refused = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.refused.append(m.text),
    )
    return context, page, asked


@pytest.mark.browser
def test_markers_show_without_tiles_and_the_filter_changes_them(browser, live_server, guide):
    context, page, asked = open_page(browser, live_server)
    page.goto(url("map", "calais"))
    page.locator(MARKERS).nth(2).wait_for()
    assert page.locator(MARKERS).count() == 3
    assert page.locator("#map").is_visible()
    # The tiles were asked for, could not load, and the markers are there all the same.
    assert any(address.startswith(TILES) for address in asked)
    assert page.locator(".leaflet-tile-loaded").count() == 0
    assert all(marker.is_visible() for marker in page.locator(MARKERS).all())
    # Day and night: the meal's place is ringed as open.
    assert page.locator(f"{MARKERS}.open").count() == 1
    assert (
        page.locator(".leaflet-control-attribution")
        .inner_text()
        .endswith("OpenStreetMap contributors")
    )

    assert page.refused == []

    page.get_by_label("Food").uncheck()
    assert page.locator(MARKERS).count() == 1
    assert page.locator("#places li[data-lat]:visible h3").all_inner_texts() == ["Fountain"]
    page.get_by_label("Water").uncheck()
    assert page.locator(MARKERS).count() == 0
    page.get_by_label("Food").check()
    assert page.locator(MARKERS).count() == 2
    assert sorted(page.locator(MARKERS).evaluate_all("els => els.map(e => e.title)")) == [
        "Port kitchen",
        "Rue Lamy",
    ]
    context.close()


@pytest.mark.browser
def test_a_marker_opens_the_services_there_with_their_links(browser, live_server, guide):
    context, page, _asked = open_page(browser, live_server)
    page.goto(url("map", "calais"))
    page.locator(f"{MARKERS}[title='Rue Lamy']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == "Rue Lamy"
    assert "Open now" in popup.inner_text()
    popup.get_by_role("link", name="Meal").click()
    page.wait_for_url(f"**{url('service', 'calais', guide['meal'].pk)}")
    assert page.locator("h1").inner_text() == "Meal"
    context.close()


@pytest.mark.browser
def test_in_arabic_popups_read_from_the_right_and_keep_clear_of_the_zoom_buttons(
    browser, live_server, guide
):
    with translation.override("ar"):
        labels = [gettext(text) for text in ("Zoom in", "Zoom out", "Close")]
    assert labels != ["Zoom in", "Zoom out", "Close"]
    context, page, _asked = open_page(browser, live_server, viewport={"width": 360, "height": 740})
    page.goto(url("map", "calais", lang="ar"))
    page.locator(MARKERS).nth(2).wait_for()
    # Leaflet's own English labels give way to the reader's language.
    assert [
        page.locator(".leaflet-control-zoom-in").get_attribute("title"),
        page.locator(".leaflet-control-zoom-out").get_attribute("title"),
    ] == labels[:2]
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    frame = page.locator("#map").bounding_box()
    # Mirrored: the buttons stand where an Arabic page starts, on the right.
    assert zoom["x"] > frame["x"] + frame["width"] / 2

    for marker in page.locator(MARKERS).all():
        # Leaflet opens a focused marker's popup with Enter, as a tap would.
        marker.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)  # the map pans the popup into view
        box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
        clear_beside = box["x"] + box["width"] <= zoom["x"]
        clear_below = box["y"] >= zoom["y"] + zoom["height"]
        assert clear_beside or clear_below, (box, zoom)
        # The short name sits on the right (after the category's icon), not on the left.
        edges = page.evaluate(
            """() => {
              const content = document.querySelector('.leaflet-popup-content > div')
              const range = document.createRange()
              range.selectNodeContents(content.querySelector('h3'))
              const text = range.getBoundingClientRect(), own = content.getBoundingClientRect()
              return [text.right, own.right, text.left, own.left]
            }"""
        )
        text_right, own_right, text_left, own_left = edges
        assert (text_left + text_right) / 2 > (own_left + own_right) / 2, edges
        assert text_left - own_left > 20 and own_right - text_right < 40, edges
        close_button = page.locator(".leaflet-popup-close-button")
        assert close_button.get_attribute("aria-label") == labels[2]
        close = close_button.bounding_box()
        assert close["x"] < box["x"] + box["width"] / 2
    context.close()


@pytest.fixture
def crowded(guide):
    """Two more places: showers on the very spot of the port kitchen, a tent 10 m north of
    Rue Lamy."""
    area, lamy, port = guide["area"], guide["lamy"], guide["port"]
    twin = make_place(area, name="Port showers", latitude=port.latitude, longitude=port.longitude)
    north = make_place(
        area,
        name="Lamy tent",
        latitude=lamy.latitude + Decimal("0.00009"),
        longitude=lamy.longitude,
    )
    make_service(area, title="Showers", places=[twin])
    make_service(area, title="Tents", places=[north])
    return guide


def centre(box):
    return (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.browser
def test_places_close_together_each_get_a_marker_that_can_be_tapped(crowded, browser, live_server):
    context, page, _asked = open_page(browser, live_server)
    page.goto(url("map", "calais"))
    page.locator(MARKERS).nth(4).wait_for()
    names = ("Rue Lamy", "Lamy tent", "Port kitchen", "Port showers")
    for name in names:
        x, y = centre(page.locator(f"{MARKERS}[title='{name}']").bounding_box())
        # What a finger on the marker's middle touches is that marker, not one drawn over it.
        assert page.evaluate(f"document.elementFromPoint({x}, {y}).title") == name
    for name in names:
        page.locator(f"{MARKERS}[title='{name}']").click()
        popup = page.locator(".leaflet-popup", has=page.locator("h3", has_text=name))
        popup.locator(".leaflet-popup-close-button").click()
        popup.wait_for(state="detached")

    # Close in: 10 m is some 53 px at zoom 19 here, so the tent's marker is back on its point,
    # while the showers, on the very same spot as the port kitchen, stay apart from it.
    zoom_in = page.locator(".leaflet-control-zoom-in")
    while "leaflet-disabled" not in (zoom_in.get_attribute("class") or ""):
        zoom_in.click()
        page.wait_for_timeout(350)
    lamy = centre(page.locator(f"{MARKERS}[title='Rue Lamy']").bounding_box())
    tent = centre(page.locator(f"{MARKERS}[title='Lamy tent']").bounding_box())
    assert tent[0] == pytest.approx(lamy[0], abs=1)
    assert lamy[1] - tent[1] == pytest.approx(53, abs=4)
    showers = centre(page.locator(f"{MARKERS}[title='Port showers']").bounding_box())
    kitchen = centre(page.locator(f"{MARKERS}[title='Port kitchen']").bounding_box())
    assert math.dist(showers, kitchen) >= 36
    context.close()


@pytest.mark.browser
def test_nearest_first_sorts_the_list_and_sends_the_position_nowhere(browser, live_server, guide):
    context, page, asked = open_page(
        browser,
        live_server,
        geolocation={"latitude": 50.9401, "longitude": 1.8302},
        permissions=["geolocation"],
    )
    sent = []
    context.on("request", lambda request: sent.append(request.post_data))
    page.goto(url("map", "calais"))
    page.locator(MARKERS).nth(2).wait_for()
    before = len(asked)
    page.get_by_role("button", name="Nearest first").click()
    page.locator("#map-tools [role=status]").filter(has_text="Nearest first.").wait_for()
    names = page.locator("#places li[data-lat] h3").all_inner_texts()
    assert names == ["Fountain", "Rue Lamy", "Port kitchen"]
    assert page.locator("#places li[data-lat] .dist").first.inner_text() == "0.0 km"
    page.wait_for_timeout(300)
    # Whatever was asked for since (tiles around the reader, perhaps) carries no position.
    assert not [a for a in asked[before:] if "50.94" in a or "1.83" in a]
    assert not [body for body in sent if body]  # nothing was posted anywhere
    context.close()


@pytest.mark.browser
def test_without_javascript_the_map_page_is_the_list(browser, live_server, guide):
    context, page, asked = open_page(browser, live_server, java_script_enabled=False)
    page.goto(url("map", "calais"))
    assert page.locator("#map").is_hidden()
    assert page.locator("#map-tools").is_hidden()
    assert page.locator("#places li[data-lat] h3").all_inner_texts() == [
        "Fountain",
        "Port kitchen",
        "Rue Lamy",
    ]
    page.get_by_role("link", name="List of places").click()
    assert page.url.endswith("#places")
    assert not [a for a in asked if not a.startswith(live_server.url)]
    context.close()


@pytest.mark.browser
def test_the_service_worker_stores_no_tile(browser, live_server, guide):
    context, page, asked = open_page(browser, live_server, tiles="answer")
    page.goto(url("map", "calais"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # Now under the worker's control: the tiles load through it.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.locator(".leaflet-tile-loaded").first.wait_for()
    page.wait_for_function(
        "async (p) => !!(await caches.match(location.origin + p))", arg=url("map", "calais")
    )
    saved = page.evaluate(
        """async () => {
          const out = []
          for (const name of await caches.keys())
            for (const r of await (await caches.open(name)).keys()) out.push(r.url)
          return out
        }"""
    )
    assert any(a.startswith(TILES) for a in asked)
    assert saved and all(address.startswith(live_server.url + "/") for address in saved)
    context.close()


@pytest.mark.browser
def test_point_picker_click_fills_the_fields_and_typing_moves_the_marker(
    browser, live_server, guide
):
    context, page, asked = open_page(browser, live_server)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": guide["session"], "url": live_server.url}]
    )
    page.goto(reverse("admin:guides_place_change", args=[guide["lamy"].pk]))
    marker = page.locator(".point-picker .leaflet-marker-icon")
    marker.wait_for()
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    assert (latitude.input_value(), longitude.input_value()) == ("50.958000", "1.852000")

    picker = page.locator(".point-picker")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    lat, lon = float(latitude.input_value()), float(longitude.input_value())
    # South-west of the place, which was in the middle of the map.
    assert 50.9 < lat < 50.958 and 1.8 < lon < 1.852
    assert re.fullmatch(r"\d+\.\d{6}", latitude.input_value())
    after_click = marker.bounding_box()

    latitude.fill("50.960000")
    longitude.fill("1.856000")
    moved = marker.bounding_box()
    assert (moved["x"], moved["y"]) != (after_click["x"], after_click["y"])
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.point-picker')).height"
    ) not in ("0px", "auto")
    assert page.refused == []
    # Its policy let the tiles be asked for (here they are aborted).
    assert any(address.startswith(TILES) for address in asked)
    context.close()
