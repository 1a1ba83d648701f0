"""Totals from the Meraki Dashboard API through Cisco's library, from recorded answers.

Only the network is faked: httpx's transport serves the recordings, so the library builds,
sends and reads its requests as it would against the dashboard. The spec_* recordings are the
example responses of Meraki's own OpenAPI description (github.com/meraki/openapi,
openapi/spec2.json at 9d78018d6f2936b67abb4a907a2e5a6c61c2ddba, API v1.44.0); the
constructed_* ones are ours, in the schema's shape (see recordings/README.md).
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
PATHS = {
    "overview": f"/api/v1/networks/{NETWORK}/clients/overview",
    "usage": f"/api/v1/networks/{NETWORK}/wireless/usageHistory",
    "counts": f"/api/v1/networks/{NETWORK}/wireless/clientCountHistory",
}
SPEC_EXAMPLES = {
    PATHS["overview"]: "spec_clients_overview.json",
    PATHS["usage"]: "spec_wireless_usage_history.json",
    PATHS["counts"]: "spec_wireless_client_count_history.json",
}
CONSTRUCTED = {
    PATHS["overview"]: "constructed_clients_overview.json",
    PATHS["usage"]: "constructed_wireless_usage_history.json",
    PATHS["counts"]: "constructed_wireless_client_count_history.json",
}


def recorded(name):
    return json.loads((RECORDINGS / name).read_text())


class RecordedDashboard:
    """Stands in for the network between the library and api.meraki.com."""

    def __init__(self, routes=SPEC_EXAMPLES, status=200):
        self.routes = routes
        self.status = status
        self.requests = []

    def handle_request(self, transport, request):
        self.requests.append(request)
        if self.status != 200:
            body = recorded("constructed_error_401.json")
            return httpx.Response(self.status, json=body, request=request)
        name = self.routes[request.url.path]
        return httpx.Response(200, json=recorded(name), request=request)


def serve(monkeypatch, dashboard):
    monkeypatch.setattr(
        httpx.HTTPTransport,
        "handle_request",
        lambda transport, request: dashboard.handle_request(transport, request),
    )
    return dashboard


@pytest.fixture
def dashboard(monkeypatch):
    return serve(monkeypatch, RecordedDashboard())


@pytest.fixture
def session():
    # 14:00–16:30 in Paris on 8 December is 13:00–15:30 UTC, the recordings' window.
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    return make_session(site, date=date(2025, 12, 8), people_present=110)


def test_the_dashboards_documented_answers_give_the_sessions_totals(dashboard, session):
    record = services.fetch_from_meraki(
        session=session, user=None, api_key="recorded-key", network_id=NETWORK
    )

    # Meraki's examples: counts.total 100 clients; one hour-long step (3600 s) at
    # receivedKbps 2431 and sentKbps 159, "kilobytes-per-second" in the schema, 1024 bytes
    # to the kilobyte; clientCount 14 in that step.
    assert record.devices == 100
    assert record.data_down_bytes == 2431 * 3600 * 1024 == 8_961_638_400
    assert record.data_up_bytes == 159 * 3600 * 1024 == 586_137_600
    assert record.peak_devices == 14
    assert record.source == Session.WifiSource.API
    session.refresh_from_db()
    assert (session.devices_connected, session.peak_devices) == (100, 14)
    assert (session.data_down_bytes, session.data_up_bytes) == (8_961_638_400, 586_137_600)
    assert session.wifi_source == Session.WifiSource.API


def test_five_minute_steps_are_summed_and_an_empty_step_is_skipped(monkeypatch, session):
    serve(monkeypatch, RecordedDashboard(routes=CONSTRUCTED))

    record = services.fetch_from_meraki(
        session=session, user=None, api_key="recorded-key", network_id=NETWORK
    )

    # 30 five-minute steps: received 4000 + 100·i, sent 400 + 10·i kilobytes a second,
    # i = 0..29 (0 + 1 + … + 29 = 435).
    # Down: 300 s × (30 × 4000 + 100 × 435) = 49,050,000 KB = 50,227,200,000 bytes.
    # Up: 300 s × (30 × 400 + 10 × 435) = 4,905,000 KB = 5,022,720,000 bytes.
    assert record.devices == 87
    assert record.data_down_bytes == 50_227_200_000
    assert record.data_up_bytes == 5_022_720_000
    # The last step's clientCount is null: it counts for nothing.
    assert record.peak_devices == 64


def test_the_dashboard_is_asked_for_the_session_window_only(dashboard, session):
    services.fetch_from_meraki(
        session=session, user=None, api_key="recorded-key", network_id=NETWORK
    )

    assert [request.url.host for request in dashboard.requests] == ["api.meraki.com"] * 3
    assert {request.url.path for request in dashboard.requests} == set(SPEC_EXAMPLES)
    for request in dashboard.requests:
        query = parse_qs(request.url.query.decode())
        assert query["t0"] == ["2025-12-08T13:00:00Z"]
        assert query["t1"] == ["2025-12-08T15:30:00Z"]
        assert request.headers["Authorization"] == "Bearer recorded-key"
    # Resolutions the schema allows: the overview's finest is two hours, the histories'
    # five minutes.
    resolutions = {
        request.url.path: parse_qs(request.url.query.decode())["resolution"]
        for request in dashboard.requests
    }
    assert resolutions == {
        PATHS["overview"]: ["7200"],
        PATHS["usage"]: ["300"],
        PATHS["counts"]: ["300"],
    }


def test_a_refused_key_says_what_to_do_and_changes_nothing(monkeypatch, session):
    serve(monkeypatch, RecordedDashboard(status=401))

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


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda answers: answers["overview"]["counts"].pop("total"), id="no total"),
        pytest.param(lambda answers: answers["usage"][0].pop("endTs"), id="step without end"),
        pytest.param(
            lambda answers: answers["usage"][0].update(endTs="2019-12-31T23:00:00Z"),
            id="step ending before it starts",
        ),
        pytest.param(
            lambda answers: answers["usage"][0].update(receivedKbps=-1), id="negative usage"
        ),
        pytest.param(
            lambda answers: answers["counts"][0].update(clientCount="many"), id="count not a number"
        ),
        pytest.param(lambda answers: answers.update(usage={"error": 1}), id="usage not a list"),
    ],
)
def test_an_answer_outside_the_documented_schema_is_refused_with_a_message(change):
    answers = {
        "overview": recorded("spec_clients_overview.json"),
        "usage": recorded("spec_wireless_usage_history.json"),
        "counts": recorded("spec_wireless_client_count_history.json"),
    }
    assert wifi.totals_from_meraki(**answers).devices == 100
    change(answers)

    with pytest.raises(ValidationError) as error:
        wifi.totals_from_meraki(**answers)

    assert error.value.messages == [
        "The Meraki dashboard answered in an unexpected form: import the client list."
    ]
