"""Offline reading: the service worker keeps what a reader opened, and a whole area on demand."""

import pytest
from django.conf import settings
from django.core.signals import request_started
from django.urls import reverse
from django.utils import translation

# Every address the service worker has stored, in any of its caches, with its query string.
SAVED = """async () => {
  const out = []
  for (const name of await caches.keys())
    for (const r of await (await caches.open(name)).keys()) out.push(r.url)
  return out
}"""
IS_SAVED = "async (path) => !!(await caches.match(location.origin + path))"


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"guides:{name}", args=args)


def open_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def visit_and_wait_until_saved(page, path):
    page.goto(path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(IS_SAVED, arg=path)


@pytest.fixture
def server_requests():
    """The path of every request the live server answers, static files and sw.js included."""
    paths = []

    def record(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(record)
    yield paths
    request_started.disconnect(record)


def test_sw_js_is_javascript_at_the_root_that_phones_ask_for_again(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert not response.cookies
    body = response.content.decode()
    for code, _name in settings.LANGUAGES:
        assert f'"{code}": [' in body
    with translation.override("ar"):
        assert f'"ar": ["rtl", "{translation.gettext("New Arrival Guide")}"' in body
    assert '"/admin/"' in body
    again = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_sw_js_is_small_and_sent_compressed(client):
    # A phone downloads it again with each new version; most of it is the offline words.
    response = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 8_000


@pytest.mark.browser
def test_first_visit_to_an_area_home_costs_three_requests(browser, live_server, server_requests):
    context, page = open_page(browser, live_server)
    in_browser = []
    context.on("request", lambda request: in_browser.append((request.url, request.service_worker)))
    visit_and_wait_until_saved(page, url("area", "calais"))
    # The CSS too was copied from the HTTP cache when the service worker started.
    page.wait_for_function(IS_SAVED, arg="/static/guide/guide.css")
    page.wait_for_timeout(500)
    assert sorted(server_requests) == ["/en/calais/", "/static/guide/guide.css", "/sw.js"]
    # The browser's log also shows the service worker copying the page and the CSS: answered
    # by the HTTP cache (only-if-cached), they never reached the server above.
    from_worker = [address for address, worker in in_browser if worker]
    assert len(in_browser) - len(from_worker) == 2  # the page and its CSS
    assert sorted(a.removeprefix(live_server.url) for a in from_worker) == [
        "/en/calais/",
        "/static/guide/guide.css",
        "/sw.js",
    ]
    context.close()


@pytest.mark.browser
def test_pages_read_online_open_offline_saying_when_they_were_saved(browser, live_server, guide):
    context, page = open_page(browser, live_server)
    visit_and_wait_until_saved(page, "/")
    home, meal = url("area", "calais"), url("service", "calais", guide["meal"].pk)
    for path in (home, meal):
        page.goto(path)
        page.wait_for_function(IS_SAVED, arg=path)
    context.set_offline(True)

    page.reload()
    assert page.locator("h1").inner_text() == "Midday meal"
    banner = page.locator("p.saved")
    assert banner.inner_text().startswith("Saved on ")
    assert page.locator("p.saved + main").count() == 1  # at the marker, before the content
    radius = page.evaluate("getComputedStyle(document.querySelector('.saved')).borderRadius")
    assert radius != "0px"  # the saved CSS applies

    page.goto(url("category", "calais", "water"))
    assert page.locator("h1").inner_text() == "You are offline"
    links = dict(
        zip(
            page.locator("#saved a").all_inner_texts(),
            [a.get_attribute("href") for a in page.locator("#saved a").all()],
            strict=True,
        )
    )
    assert links == {"Calais": home, "Midday meal · Calais": meal}
    context.close()


@pytest.mark.browser
def test_the_offline_page_speaks_the_readers_language(browser, live_server):
    context, page = open_page(browser, live_server)
    visit_and_wait_until_saved(page, url("area", "calais", lang="ar"))
    context.set_offline(True)
    page.goto(url("today", "calais", lang="ar"))
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    with translation.override("ar"):
        assert page.locator("h1").inner_text() == translation.gettext("You are offline")
    assert page.locator("#saved a").get_attribute("href") == "/ar/calais/"
    context.close()


@pytest.mark.browser
def test_save_this_guide_keeps_every_page_of_the_area_and_nothing_private(
    browser, live_server, guide
):
    context, page = open_page(browser, live_server)
    page.goto(url("area", "calais"))
    save = page.get_by_role("button", name="Save this guide for offline")
    save.click()
    status = page.locator("#save [role=status]")
    status.filter(has_text="KB").wait_for()
    assert status.inner_text().startswith("Saved on this phone: ")
    # Pages that must never be kept, opened online.
    page.goto(f"/{settings.ADMIN_URL}login/")
    page.goto(url("search", "calais") + "?q=meal")
    page.goto("/healthz")
    # Later, when the phone's HTTP cache has nothing fresh (pages live there 5 minutes at most).
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    context.set_offline(True)

    for path, title in [
        (url("service", "calais", guide["dinner"].pk), "Evening meal"),
        (url("service", "calais", guide["tap"].pk), "Drinking water tap"),
        (url("info", "calais", "police"), "Your rights with the police"),
        (url("category", "calais", "water"), "Water"),
    ]:
        page.goto(path)
        assert page.locator("h1").inner_text() == title
        assert page.locator("p.saved").count() == 1

    saved = page.evaluate(SAVED)
    assert all(address.startswith(live_server.url + "/") for address in saved)
    paths = [address.removeprefix(live_server.url) for address in saved]
    assert not [p for p in paths if p.startswith(f"/{settings.ADMIN_URL}") or "/admin/" in p]
    assert not [p for p in paths if "?" in p or "/search/" in p or p == "/healthz"]
    assert "/static/guide/guide.css" in paths
    context.close()


@pytest.mark.browser
def test_a_new_service_worker_deletes_caches_it_does_not_know(browser, live_server):
    context, page = open_page(browser, live_server)
    page.goto("/healthz")  # no service worker yet: what an older version left behind
    page.evaluate("caches.open('pages-0').then((c) => c.put('/en/old/', new Response('old')))")
    visit_and_wait_until_saved(page, url("area", "calais"))
    assert sorted(page.evaluate("caches.keys()")) == ["pages-1", "static-1"]
    context.close()


@pytest.mark.browser
def test_without_javascript_the_guide_reads_and_the_save_button_stays_hidden(
    browser, live_server, server_requests
):
    context, page = open_page(browser, live_server, java_script_enabled=False)
    page.goto(url("area", "calais"))
    assert page.locator("h1").inner_text() == "Calais"
    assert page.locator("#save").is_hidden()
    assert "/sw.js" not in server_requests
    context.close()
