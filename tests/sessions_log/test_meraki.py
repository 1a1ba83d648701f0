"""Totals from the Meraki Dashboard API through Cisco's library, from recorded answers.

Only the network is faked: httpx's transport serves the recordings, so the library builds,
sends and reads its requests as it would against the dashboard.
"""

import json
import logging
from datetime import date, time
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from django.core.exceptions import ValidationError

from sessions_log import services, wifi
from sessions_log.models import Session, WifiImport
from tests.sessions_log.factories import make_session, make_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december_2025")]

RECORDINGS = Path(__file__).parent / "recordings"
NETWORK = "L_6463689263"
ROUTES = {
    f"/api/v1/networks/{NETWORK}/clients/overview": "clients_overview.json",
    f"/api/v1/networks/{NETWORK}/wireless/usageHistory": "wireless_usage_history.json",
    f"/api/v1/networks/{NETWORK}/wireless/clientCountHistory": "wireless_client_count_history.json",
}


class RecordedDashboard:
    """Stands in for the network between the library and api.meraki.com."""

    def __init__(self, status=200):
        self.status = status
        self.requests = []

    def handle_request(self, transport, request):
        self.requests.append(request)
        if self.status != 200:
            body = json.loads((RECORDINGS / "error_401.json").read_text())
            return httpx.Response(self.status, json=body, request=request)
        name = ROUTES[request.url.path]
        return httpx.Response(
            200, json=json.loads((RECORDINGS / name).read_text()), request=request
        )


@pytest.fixture
def dashboard(monkeypatch):
    recorded = RecordedDashboard()
    monkeypatch.setattr(
        httpx.HTTPTransport,
        "handle_request",
        lambda transport, request: recorded.handle_request(transport, request),
    )
    return recorded


@pytest.fixture
def session():
    # 14:00–16:30 in Paris on 8 December is 13:00–15:30 UTC, the recordings' window.
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    return make_session(site, date=date(2025, 12, 8), people_present=110)


def test_the_dashboard_gives_the_sessions_totals(dashboard, session):
    record = services.fetch_from_meraki(
        session=session, user=None, api_key="recorded-key", network_id=NETWORK
    )

    # 30 five-minute steps: received 4000 + 100·i kbps, sent 400 + 10·i kbps, i = 0..29.
    # Down: 300 s × (30 × 4000 + 100 × 435) = 49,050,000 kilobits = 6,131,250,000 bytes.
    # Up: 300 s × (30 × 400 + 10 × 435) = 4,905,000 kilobits = 613,125,000 bytes.
    assert record.devices == 87
    assert record.data_down_bytes == 6_131_250_000
    assert record.data_up_bytes == 613_125_000
    assert record.peak_devices == 64
    assert record.source == Session.WifiSource.API
    session.refresh_from_db()
    assert (session.devices_connected, session.peak_devices) == (87, 64)
    assert session.wifi_source == Session.WifiSource.API


def test_the_dashboard_is_asked_for_the_session_window_only(dashboard, session):
    services.fetch_from_meraki(
        session=session, user=None, api_key="recorded-key", network_id=NETWORK
    )

    assert [request.url.host for request in dashboard.requests] == ["api.meraki.com"] * 3
    assert {request.url.path for request in dashboard.requests} == set(ROUTES)
    for request in dashboard.requests:
        query = parse_qs(request.url.query.decode())
        assert query["t0"] == ["2025-12-08T13:00:00Z"]
        assert query["t1"] == ["2025-12-08T15:30:00Z"]
        assert request.headers["Authorization"] == "Bearer recorded-key"


def test_a_refused_key_says_what_to_do_and_changes_nothing(monkeypatch, session):
    refused = RecordedDashboard(status=401)
    monkeypatch.setattr(
        httpx.HTTPTransport, "handle_request", lambda t, request: refused.handle_request(t, request)
    )

    with pytest.raises(ValidationError) as error:
        services.fetch_from_meraki(
            session=session, user=None, api_key="wrong-key", network_id=NETWORK
        )

    assert error.value.messages == [
        "The Meraki dashboard refused the request (HTTP 401): check the API key and network "
        "id, or import the client list instead."
    ]
    assert WifiImport.objects.count() == 0


def test_a_session_older_than_the_dashboard_keeps_is_not_asked_for(dashboard):
    session = make_session(date=date(2025, 10, 1))

    with pytest.raises(ValidationError) as error:
        services.fetch_from_meraki(session=session, user=None, api_key="k", network_id=NETWORK)

    assert "only the last 31 days" in error.value.messages[0]
    assert dashboard.requests == []


def test_the_library_writes_no_log_file_and_logs_no_key(dashboard, session, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        services.fetch_from_meraki(
            session=session, user=None, api_key="secret-key-123", network_id=NETWORK
        )

    assert list(tmp_path.iterdir()) == []
    assert "secret-key-123" not in caplog.text
    # httpx notes each request line (the network id and the window), and that is all.
    assert {record.name for record in caplog.records} <= {"httpx"}


def test_an_unexpected_answer_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        wifi.totals_from_meraki(overview={"counts": {}}, usage=[], counts=[])

    assert "unexpected form" in error.value.messages[0]
