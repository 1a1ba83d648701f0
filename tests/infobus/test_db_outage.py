"""While PostgreSQL is away: a 503 with Retry-After (never a 500), and recovery by itself.

The shared server is never stopped: the test's own connection is pointed at a port where
nothing listens (connections refused, as while PostgreSQL restarts), or its backend is
terminated from a second connection in the middle of a request (as a restart does to live
connections). Both are real failures of psycopg2, not mocks. bench/faults.py does the same
against a whole PostgreSQL restart under load, with gunicorn.
"""

import json
import logging
import uuid
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import IntegrityError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from guides.models import Area
from infobus import urls as project_urls
from phones import services as phone_services
from phones.models import StockItem, StockMovement
from tests.factories import make_area
from tests.phones.factories import make_stock_item
from tests.sessions_log.factories import make_site, make_staff

# Closing or cutting the connection cannot happen inside the transaction a plain django_db
# test runs in.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_refusing_connections():
    """This process's connection goes to a port where nothing listens, as when PostgreSQL is
    down; the shared server stays up for everyone else."""
    connection.close()
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def terminate_backend(pid):
    """What a PostgreSQL restart does to a live connection, done from another connection."""
    params = connection.settings_dict
    other = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"],
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


# --- Views that only these tests mount (urls below) -------------------------------------------


def cut_off_mid_request(request):
    """A query, the connection cut by the server, then another query."""
    terminate_backend(backend_pid())
    Area.objects.count()
    return HttpResponse("the second query cannot have worked")


def raise_value_error(request):
    raise ValueError("a bug, not an outage")


def raise_integrity_error(request):
    raise IntegrityError("a refused row, not an outage")


urlpatterns = [
    path("test/cut-off/", cut_off_mid_request),
    path("test/value-error/", raise_value_error),
    path("test/integrity-error/", raise_integrity_error),
    *project_urls.urlpatterns,
]
handler500 = project_urls.handler500


@pytest.fixture
def area():
    return make_area(slug="calais-outage")


@pytest.fixture
def quiet_client():
    """Answers as gunicorn would when handler500 is used, instead of raising in the test."""
    return Client(raise_request_exception=False)


def test_a_public_page_answers_503_with_retry_after_while_the_database_refuses_connections(
    client, area
):
    assert client.get(f"/en/{area.slug}/").status_code == 200

    with database_refusing_connections():
        response = client.get(f"/en/{area.slug}/")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    body = response.content.decode()
    assert '<html lang="en" dir="ltr">' in body
    assert "Please try again in a moment" in body
    # Recovers by itself: the next request opens a new connection.
    assert client.get(f"/en/{area.slug}/").status_code == 200


def test_the_503_page_is_in_the_readers_language(client, area):
    with database_refusing_connections():
        response = client.get(f"/ar/{area.slug}/")

    assert response.status_code == 503
    assert response["Content-Language"] == "ar"
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    with translation.override("ar"):
        guide = gettext("New Arrival Guide")
    assert guide != "New Arrival Guide"
    assert guide in body


def test_a_van_tap_while_the_database_is_away_gets_a_json_503_and_counts_once_when_resent(
    quiet_client, caplog
):
    volunteer = make_staff("phones.add_stockmovement")
    sim = make_stock_item(name="Lyca SIM", kind=StockItem.Kind.SIM)
    phone_services.receive_stock(item=sim, quantity=10, user=volunteer)
    site = make_site()
    quiet_client.force_login(volunteer)
    url = reverse("phones:van_site_tap", args=[site.pk])
    body = json.dumps({"tap": str(uuid.uuid4()), "item": sim.pk})

    # The session is read from the database in the view, then again on the way out (for
    # Cache-Control): both fail, and the answer is still the van's JSON 503, logged once.
    with caplog.at_level(logging.WARNING), database_refusing_connections():
        refused = quiet_client.post(url, body, content_type="application/json")

    assert refused.status_code == 503
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["ok"] is False
    assert refused.json()["code"] == "unavailable"
    assert int(refused["Retry-After"]) > 0
    outage_lines = [r for r in caplog.records if r.name in ("infobus.database", "django.request")]
    assert len(outage_lines) == 1
    assert outage_lines[0].name == "infobus.database"
    assert f"POST {url} answered 503" in outage_lines[0].getMessage()

    # The van's queue sends the same tap again until it gets a 2xx: counted once.
    for _ in range(2):
        sent_again = quiet_client.post(url, body, content_type="application/json")
        assert sent_again.status_code == 200
        assert sent_again.json()["counts"][str(sim.pk)] == 1
    assert StockMovement.objects.filter(kind=StockMovement.Kind.HANDED_OUT).count() == 1


@pytest.mark.urls(__name__)
def test_a_connection_cut_mid_request_answers_503_and_the_next_request_reconnects(client, area):
    before = backend_pid()

    response = client.get("/test/cut-off/")

    assert response.status_code == 503
    assert "Please try again in a moment" in response.content.decode()
    # Dropped at once: the test client skips Django's end-of-request clean-up, so without
    # this the next request would fail on the dead connection too.
    assert connection.connection is None
    assert client.get(f"/en/{area.slug}/").status_code == 200
    assert backend_pid() != before


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("kind", ["value-error", "integrity-error"])
def test_an_error_that_is_not_an_outage_stays_a_500(quiet_client, kind):
    response = quiet_client.get(f"/test/{kind}/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_healthz_answers_503_after_its_connection_was_cut_and_200_on_the_next_call(client):
    terminate_backend(backend_pid())

    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
