"""The map of an area: the page (a list of places first, Leaflet on top), its GeoJSON, and
the tile server allowed on that page and the back office's place form only."""

import gzip
import json
import os
import re
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from guides.map import tiles_origin
from guides.models import OpeningHours, Place, Service, ServiceException
from infobus.lib.csp import inline_scripts
from tests.factories import (
    make_area,
    make_category,
    make_exception,
    make_info_page,
    make_organisation,
    make_place,
    make_service,
    make_user,
)

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday: the midday meal (12:00-14:00) is open, the evening meal (18:00) is not yet.
NOON = datetime(2026, 11, 18, 12, 30, tzinfo=PARIS)
OSM = "https://tile.openstreetmap.org"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _osm_tiles(settings):
    settings.MAP_TILES_URL = OSM + "/{z}/{x}/{y}.png"


@pytest.fixture
def guide():
    area = make_area(name="Calais", slug="calais")
    food = make_category(slug="food", name="Food", name_ar="طعام", icon="food", order=1)
    water = make_category(slug="water", name="Water", icon="water", order=2)
    lamy = make_place(
        area,
        name="Rue Lamy",
        name_ar="شارع لامي",
        directions="Near the port",
        address="Rue Lamy, 62100 Calais",
        latitude=Decimal("50.958123"),
        longitude=Decimal("1.852456"),
    )
    tap = make_place(area, name="Fountain", latitude=Decimal("50.95"), longitude=Decimal("1.86"))
    every_day = [{"weekday": d, "opens": "12:00", "closes": "14:00"} for d in range(7)]
    evenings = [{"weekday": d, "opens": "18:00", "closes": "19:30"} for d in range(7)]
    meal = make_service(
        area,
        title="Midday meal",
        title_ar="وجبة الغداء",
        categories=[food],
        places=[lamy],
        hours=every_day,
    )
    dinner = make_service(
        area, title="Evening meal", categories=[food], places=[lamy], hours=evenings
    )
    water_point = make_service(area, title="Drinking water", categories=[water], places=[tap])
    return {
        "area": area,
        "food": food,
        "water": water,
        "lamy": lamy,
        "tap": tap,
        "meal": meal,
        "dinner": dinner,
        "water_point": water_point,
    }


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"guides:{name}", args=args)


def geojson(client, lang="en", **headers):
    response = client.get(url("map_geojson", "calais", lang=lang), **headers)
    assert response.status_code == 200
    return response, json.loads(response.content)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@time_machine.travel(NOON, tick=False)
def test_geojson_is_an_rfc7946_feature_collection_with_longitude_first(client, guide):
    response, data = geojson(client)
    assert response["Content-Type"] == "application/geo+json"
    assert set(data) == {"type", "features"}  # no "crs": RFC 7946 removed it
    assert data["type"] == "FeatureCollection"
    lamy = next(f for f in data["features"] if f["properties"]["name"] == "Rue Lamy")
    assert lamy["type"] == "Feature"
    assert lamy["id"] == guide["lamy"].pk
    assert lamy["geometry"] == {"type": "Point", "coordinates": [1.852456, 50.958123]}
    assert all(type(n) is float for n in lamy["geometry"]["coordinates"])
    properties = lamy["properties"]
    assert properties["icon"] == "food"
    assert properties["categories"] == [{"slug": "food", "icon": "food", "name": "Food"}]
    assert properties["directions"] == "Near the port"
    assert properties["address"] == "Rue Lamy, 62100 Calais"
    assert properties["open_now"] is True
    # Full addresses, so another map can link them; times in UTC.
    assert properties["services"] == [
        {
            "title": "Evening meal",
            "url": "http://testserver" + url("service", "calais", guide["dinner"].pk),
            "status": "active",
            "open_now": False,
            "next": {
                "start": "2026-11-18T17:00:00Z",
                "end": "2026-11-18T18:30:00Z",
                "change": "",
                "holiday_uncertain": False,
            },
        },
        {
            "title": "Midday meal",
            "url": "http://testserver" + url("service", "calais", guide["meal"].pk),
            "status": "active",
            "open_now": True,
            "next": {
                "start": "2026-11-18T11:00:00Z",
                "end": "2026-11-18T13:00:00Z",
                "change": "",
                "holiday_uncertain": False,
            },
        },
    ]
    # Other maps read it from their own pages.
    assert response["Access-Control-Allow-Origin"] == "*"


def test_geojson_holds_only_the_visible_services_at_places_in_use_of_that_area(client, guide):
    area = guide["area"]
    gone = make_place(area, name="Old warehouse", status=Place.Status.GONE)
    make_service(area, title="Old clothes store", places=[gone])
    hidden = make_place(area, name="Hidden yard")
    make_service(area, title="Draft", places=[hidden], is_published=False)
    ended = make_place(area, name="Closed hall")
    make_service(area, title="Ended", places=[ended], status=Service.Status.ENDED)
    make_place(area, name="Empty corner")  # no service at all
    make_service(area, title="Ended at Rue Lamy", places=[guide["lamy"]], status="ended")
    elsewhere = make_area(slug="dunkerque", name="Dunkerque")
    make_service(elsewhere, title="Dunkirk meal", places=[make_place(elsewhere, name="Grande")])

    _response, data = geojson(client)

    names = [feature["properties"]["name"] for feature in data["features"]]
    assert names == ["Fountain", "Rue Lamy"]
    titles = [s["title"] for f in data["features"] for s in f["properties"]["services"]]
    assert sorted(titles) == ["Drinking water", "Evening meal", "Midday meal"]


def test_a_place_whose_services_have_no_category_gets_the_information_icon(client, guide):
    guide["water_point"].categories.clear()
    _response, data = geojson(client)
    fountain = next(f for f in data["features"] if f["id"] == guide["tap"].pk)["properties"]
    assert (fountain["icon"], fountain["categories"]) == ("info", [])
    html = client.get(url("map", "calais")).content.decode()
    assert 'data-c="" data-icon="info"' in html


@time_machine.travel(NOON, tick=False)
def test_geojson_texts_and_links_are_in_the_active_language(client, guide):
    _response, data = geojson(client, lang="ar")
    lamy = next(f for f in data["features"] if f["id"] == guide["lamy"].pk)["properties"]
    assert lamy["name"] == "شارع لامي"
    assert lamy["categories"][0]["name"] == "طعام"
    by_url = {service["url"]: service["title"] for service in lamy["services"]}
    # Untranslated texts fall back to English, as on the pages.
    assert by_url == {
        "http://testserver" + url("service", "calais", guide["meal"].pk, lang="ar"): "وجبة الغداء",
        "http://testserver"
        + url("service", "calais", guide["dinner"].pk, lang="ar"): "Evening meal",
    }
    assert all(link.startswith("http://testserver/ar/calais/s/") for link in by_url)


def test_geojson_is_cached_with_an_etag_and_a_revisit_costs_a_304(
    client, guide, django_assert_num_queries
):
    first = client.get(url("map_geojson", "calais"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(first.content))["type"] == "FeatureCollection"
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=")
    assert not first.cookies
    with django_assert_num_queries(1):  # the area and its content version
        again = client.get(
            url("map_geojson", "calais"),
            HTTP_ACCEPT_ENCODING="gzip",
            HTTP_IF_NONE_MATCH=first["ETag"],
        )
    assert again.status_code == 304


def test_geojson_follows_an_edit_at_once(client, guide):
    geojson(client)
    guide["tap"].name = "Water fountain"
    guide["tap"].save()
    _response, data = geojson(client)
    assert "Water fountain" in [f["properties"]["name"] for f in data["features"]]


def test_open_now_on_the_map_is_never_served_stale(client, guide):
    with time_machine.travel(datetime(2026, 11, 18, 13, 50, tzinfo=PARIS), tick=False):
        response, data = geojson(client)
        lamy = next(f for f in data["features"] if f["id"] == guide["lamy"].pk)
        assert lamy["properties"]["open_now"] is True
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
        assert max_age <= 600  # until 14:00, when the meal closes
        page = client.get(url("map", "calais")).content.decode()
        assert "Open now, until" in page
    with time_machine.travel(datetime(2026, 11, 18, 14, 0, 1, tzinfo=PARIS), tick=False):
        _response, data = geojson(client)
        lamy = next(f for f in data["features"] if f["id"] == guide["lamy"].pk)
        assert lamy["properties"]["open_now"] is False
        assert "Open now" not in client.get(url("map", "calais")).content.decode()


@time_machine.travel(NOON, tick=False)
def test_a_service_moving_between_places_is_open_only_where_it_is_now(client, guide):
    area = guide["area"]
    beach, station = make_place(area, name="Beach"), make_place(area, name="Station")
    wednesday = {"weekday": 2, "opens": "12:00", "closes": "14:00", "place": beach}
    thursday = {"weekday": 3, "opens": "12:00", "closes": "14:00", "place": station}
    make_service(area, title="Van", places=[beach, station], hours=[wednesday, thursday])

    _response, data = geojson(client)

    van = {
        f["properties"]["name"]: f["properties"]["services"][0]["open_now"]
        for f in data["features"]
        if f["properties"]["name"] in {"Beach", "Station"}
    }
    assert van == {"Beach": True, "Station": False}
    page = client.get(url("map", "calais")).content.decode()
    station_entry = page.split("Station</h3>")[1].split("</li>")[0]
    assert "Thursday 19 November" in station_entry


def _services_at(data, place_name):
    feature = next((f for f in data["features"] if f["properties"]["name"] == place_name), None)
    return {s["title"]: s for s in feature["properties"]["services"]} if feature else {}


@time_machine.travel(NOON, tick=False)
def test_a_service_at_another_place_for_the_day_is_on_the_map_there_and_open(client, guide):
    area = guide["area"]
    hall = make_place(area, name="Sports hall")
    make_exception(
        guide["meal"],
        NOON.date(),
        ServiceException.Kind.OTHER_PLACE,
        place=hall,
        reason="Storm: inside today",
    )

    _response, data = geojson(client)

    at_hall = _services_at(data, "Sports hall")["Midday meal"]
    assert at_hall["open_now"] is True
    assert at_hall["next"]["change"] == "Storm: inside today"
    # At its usual place, not today: the next regular day.
    assert _services_at(data, "Rue Lamy")["Midday meal"]["open_now"] is False
    page = client.get(url("map", "calais")).content.decode()
    hall_entry = page.split("Sports hall</h3>")[1].split("</li></ul>")[0]
    assert "Open now, until" in hall_entry and "Storm: inside today" in hall_entry


@time_machine.travel(NOON, tick=False)
def test_services_at_a_place_that_moved_show_at_its_new_place(client, guide):
    area = guide["area"]
    new = make_place(area, name="New hall")
    guide["tap"].status, guide["tap"].moved_to = Place.Status.MOVED, new
    guide["tap"].save()

    _response, data = geojson(client)

    assert "Drinking water" in _services_at(data, "New hall")
    assert not _services_at(data, "Fountain")


@time_machine.travel(datetime(2026, 10, 26, 12, 0, tzinfo=PARIS), tick=False)
def test_a_monthly_service_shows_its_next_opening_more_than_a_month_ahead(client, guide):
    last_sunday = {
        "weekday": 6,
        "opens": "10:00",
        "closes": "12:00",
        "recurrence": OpeningHours.Recurrence.MONTHLY_NTH,
        "nth": -1,
    }
    make_service(guide["area"], title="Haircuts", places=[guide["tap"]], hours=[last_sunday])

    page = client.get(url("map", "calais")).content.decode()

    fountain = page.split("Fountain</h3>")[1].split("</li></ul>")[0]
    assert "Sunday 29 November" in fountain


@time_machine.travel(NOON, tick=False)
def test_a_service_open_day_and_night_reads_so_on_the_map_and_its_page(client, guide):
    halves = [{"weekday": d, "opens": "00:00", "closes": "12:00"} for d in range(7)] + [
        {"weekday": d, "opens": "12:00", "closes": "00:00"} for d in range(7)
    ]
    hospital = make_service(
        guide["area"], title="Emergency department", places=[guide["tap"]], hours=halves
    )

    page = client.get(url("map", "calais")).content.decode()
    service_page = client.get(url("service", "calais", hospital.pk)).content.decode()

    assert "Open now, day and night" in page.split("Emergency department")[1][:200]
    assert "Open now, day and night" in service_page
    assert "until 00:00" not in page and "until 12:00" not in service_page


@time_machine.travel(datetime(2026, 12, 25, 12, 30, tzinfo=PARIS), tick=False)
def test_the_map_warns_that_a_service_may_be_closed_on_a_public_holiday(client, guide):
    page = client.get(url("map", "calais")).content.decode()
    lamy = page.split("Rue Lamy</h3>")[1].split("</li></ul>")[0]

    assert "Open now, until" in lamy
    assert "Public holiday: may be closed" in lamy
    _response, data = geojson(client)
    assert _services_at(data, "Rue Lamy")["Midday meal"]["next"]["holiday_uncertain"] is True


@time_machine.travel(NOON, tick=False)
def test_map_page_is_the_list_of_places_without_javascript(client, guide):
    response = client.get(url("map", "calais"))
    assert response.status_code == 200
    html = response.content.decode()
    # The list is one tap from the top, before the map.
    assert html.index('href="#places"') < html.index('id="map"') < html.index('id="places"')
    places = html.split('id="places"')[1]
    assert places.index("Fountain") < places.index("Rue Lamy")
    lamy = places.split("Rue Lamy</h3>")[1].split("</ul>")[0]
    assert "Near the port" in places and "Rue Lamy, 62100 Calais" in places
    assert f'href="{url("service", "calais", guide["meal"].pk)}"' in lamy
    assert f'href="{url("service", "calais", guide["dinner"].pk)}"' in lamy
    assert '<span class="status open">Open now, until' in lamy
    assert "Today" in lamy  # the evening meal, later
    assert guide["lamy"].geo_uri in places
    # The map and its tools wait for the script; the data it needs is in the list.
    assert re.search(r'<div id="map"[^>]* hidden', html)
    assert re.search(r'<div id="map-tools"[^>]* hidden', html)
    assert 'data-lat="50.958123" data-lon="1.852456" data-c="food" data-icon="food"' in html
    assert f'data-tiles="{OSM}/{{z}}/{{x}}/{{y}}.png"' in html
    assert "OpenStreetMap" in html
    assert "style=" not in html and "<style" not in html


def test_coordinates_keep_a_dot_in_french_pages(client, guide):
    html = client.get(url("map", "calais", lang="fr")).content.decode()
    assert 'data-lat="50.958123" data-lon="1.852456"' in html
    assert 'data-lat="50.951000" data-lon="1.858000" data-zoom="13"' in html


def test_map_page_scripts_are_files_of_our_own_server(client, guide):
    html = client.get(url("map", "calais")).content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert [s.rsplit("/", 1)[-1].split(".")[0] for s in sources] == ["leaflet", "map"]
    assert all(s.startswith(settings.STATIC_URL) or s.startswith("/static/") for s in sources)
    # No inline script of its own: only the service worker registration every page has.
    area_home = client.get(url("area", "calais")).content.decode()
    assert inline_scripts(html) == inline_scripts(area_home)[:1]


def test_only_the_map_page_loads_leaflet(client, guide):
    page = make_info_page(slug="police")
    addresses = [
        "/",
        url("areas"),
        url("area", "calais"),
        url("today", "calais"),
        url("category", "calais", "food"),
        url("service", "calais", guide["meal"].pk),
        url("info", "calais", page.slug),
        url("search", "calais") + "?q=meal",
    ]
    for address in addresses:
        html = client.get(address).content.decode()
        assert "leaflet" not in html.lower(), address
        assert "map.js" not in html and "map.css" not in html, address
    assert "/leaflet/leaflet." in client.get(url("map", "calais")).content.decode()


def test_area_home_links_to_the_map(client, guide):
    html = client.get(url("area", "calais", lang="ar")).content.decode()
    assert f'href="{url("map", "calais", lang="ar")}"' in html


def test_map_page_allows_the_tile_server_and_no_other_page_does(client, guide):
    home = directives(client.get(url("area", "calais")))
    response = client.get(url("map", "calais"))
    on_map = directives(response)
    assert on_map["img-src"] == [*home["img-src"], OSM]
    assert {k: v for k, v in on_map.items() if k != "img-src"} == {
        k: v for k, v in home.items() if k != "img-src"
    }
    # A revisit answered from the page cache, or with a 304, carries the same policy.
    assert directives(client.get(url("map", "calais"))) == on_map
    again = client.get(url("map", "calais"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert directives(again) == on_map
    for address in [url("area", "calais"), url("map_geojson", "calais"), url("today", "calais")]:
        assert OSM not in client.get(address)["Content-Security-Policy"], address


def test_without_a_tile_server_the_map_page_allows_nothing_more(client, guide, settings):
    settings.MAP_TILES_URL = ""
    response = client.get(url("map", "calais"))
    assert directives(response)["img-src"] == ["'self'", "data:"]
    assert 'data-tiles=""' in response.content.decode()


@pytest.mark.parametrize(
    ("tiles", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        (
            "https://{s}.tile.example.org:8443/osm/{z}/{x}/{y}.png",
            "https://*.tile.example.org:8443",
        ),
        ("", ""),
    ],
)
def test_tiles_origin_is_the_csp_source_of_the_tiles_url(tiles, origin):
    assert tiles_origin(tiles) == origin


@pytest.mark.parametrize(
    "value",
    [
        "http://tile.example.org/{z}/{x}/{y}.png",
        "https://tile.example.org/tiles.png",
        "tile.example.org/{z}/{x}/{y}.png",
        "https://tile{s}.example.org/{z}/{x}/{y}.png",
    ],
)
def test_start_up_with_a_malformed_tiles_url_stops_naming_the_variable(value):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "MAP_TILES_URL"}}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "infobus.settings", "MAP_TILES_URL": value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "SECRET_KEY": "k"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "MAP_TILES_URL" in result.stderr.splitlines()[-1]


def _many_places(area, count):
    org = make_organisation()
    food, water = make_category(), make_category(icon="water")
    for n in range(count):
        place = make_place(area, name=f"Place {n}")
        make_service(
            area,
            organisation=org,
            title=f"Service {n}",
            categories=[food, water] if n % 2 else [food],
            places=[place],
            hours=[{"weekday": d, "opens": "09:00", "closes": "23:00"} for d in range(7)],
        )


@pytest.mark.parametrize("count", [10, 200])
@time_machine.travel(NOON, tick=False)
def test_map_and_geojson_cost_at_most_six_queries(client, count, django_assert_max_num_queries):
    area = make_area(slug="big")
    _many_places(area, count)
    # In Arabic the page also reads which translations may be out of date: one more query.
    addresses = [
        url(name, "big", lang=lang) for name in ("map", "map_geojson") for lang in ["en", "ar"]
    ]
    for address in addresses:
        cache.clear()
        with django_assert_max_num_queries(6):
            response = client.get(address)
        assert response.status_code == 200
    assert len(json.loads(response.content)["features"]) == count


def test_the_service_worker_leaves_other_hosts_alone(client, guide):
    body = client.get("/sw.js").content.decode()
    handler = body.split('addEventListener("fetch"')[1].split("\n})")[0]
    # The fetch handler steps aside for another host's requests before anything else.
    assert handler.index("!here(u)) return") < handler.index("respondWith")
    manifest = client.get(url("offline_manifest", "calais")).json()
    assert all(address.startswith("/") for address in manifest["urls"])


@pytest.fixture
def coordinator_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


def test_place_form_has_a_point_picker_under_latitude_and_longitude(coordinator_client, guide):
    address = reverse("admin:guides_place_change", args=[guide["lamy"].pk])
    response = coordinator_client.get(address)
    assert response.status_code == 200
    html = response.content.decode()
    picker = re.search(r'<div class="point-picker"[^>]*>', html).group(0)
    assert 'data-latitude="id_latitude" data-longitude="id_longitude"' in picker
    assert f"&quot;{guide['area'].pk}&quot;: [50.951, 1.858, 13]" in picker
    assert 'name="latitude" value="50.958123"' in html
    assert "/leaflet/leaflet." in html and "/guides/admin_point_picker." in html
    policy = directives(response)
    assert policy["img-src"] == ["'self'", "data:", OSM]
    assert "'unsafe-inline'" in policy["style-src"]  # still the back office's policy


def test_other_back_office_pages_do_not_allow_the_tile_server(coordinator_client, guide):
    for address in [
        reverse("admin:guides_place_changelist"),
        reverse("admin:guides_service_change", args=[guide["meal"].pk]),
    ]:
        response = coordinator_client.get(address)
        assert response.status_code == 200, address
        assert OSM not in response["Content-Security-Policy"], address
