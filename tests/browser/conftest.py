"""Real Chromium (Debian's, through Playwright) against pytest-django's live server.

http://localhost is a secure context, so service workers run there without HTTPS.
"""

from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from tests.factories import make_area, make_category, make_info_page, make_place, make_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _plain_static_names(settings):
    # The live server puts Django's StaticFilesHandler in front of the site, and it finds files
    # through the finders, which know source names only: the manifest storage of DEBUG=0 would
    # write hashed names it answers 404 for. The plain storage writes the source names, so no
    # collectstatic is needed. What this leaves untested is the service worker's handling of
    # hashed names (cache first without asking again); the rest is the same code.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guide(transactional_db):
    # Committed rows (transactional_db): the live server reads them from another thread.
    area = make_area(name="Calais", slug="calais")
    food = make_category(slug="food", name="Food", name_ar="طعام", icon="food")
    water = make_category(slug="water", name="Water", icon="water")
    place = make_place(area, name="Rue Lamy", directions="Near the port")
    every_day = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
    meal = make_service(
        area, title="Midday meal", categories=[food], places=[place], hours=every_day
    )
    dinner = make_service(
        area, title="Evening meal", categories=[food], places=[place], hours=every_day
    )
    tap = make_service(area, title="Drinking water tap", categories=[water], places=[place])
    page = make_info_page(slug="police", title="Your rights with the police")
    return {"area": area, "meal": meal, "dinner": dinner, "tap": tap, "page": page}


@pytest.fixture
def browser(guide, live_server):
    """Chromium, started after the guide is written and stopped before the database is flushed.

    While Playwright's sync API runs, the main thread has a running event loop and Django
    refuses database calls from it: build every row before, read none during a test.
    """
    if not CHROMIUM.exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
