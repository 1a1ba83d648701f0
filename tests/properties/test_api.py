"""The van page's JSON endpoints (taps, charges, the queued session form) fed any JSON, any
content type, huge bodies: a 4xx with a message and nothing written, or a tap recorded once."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from phones import services
from phones.models import StockItem, van_day
from tests.conftest import pass_second_factor
from tests.factories import make_user
from tests.phones.factories import make_stock_item
from tests.properties.helpers import NOT_DATA, changed_tables, fingerprint, odd_text, rolled_back
from tests.sessions_log.factories import make_site

pytestmark = pytest.mark.django_db

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    odd_text,
)
any_json = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture
def van(db):
    user = make_user("hypothesis-van", is_superuser=True)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    pass_second_factor(client, user)
    site = make_site()
    item = make_stock_item(name="Lyca SIM", kind=StockItem.Kind.SIM, network="Lyca")
    services.receive_stock(item=item, quantity=10, user=user)
    day = van_day()
    return {
        "client": client,
        "item": item,
        "tap": reverse("phones:van_site_day_tap", args=[site.pk, day]),
        "charge": reverse("phones:van_site_day_charge", args=[site.pk, day]),
        "record": reverse("sessions_log:record"),
        "site": site,
    }


def _reads_as(read, value, expected):
    try:
        return read(value) == expected
    except (ValueError, TypeError, OverflowError):
        return False


@st.composite
def tap_bodies(draw, item_pk):
    """(body bytes, content type, the tap id read, the item read): None where unreadable."""
    good = {"tap": str(uuid.UUID(int=draw(st.integers(1, 2**128 - 1)))), "item": item_pk}
    kind = draw(
        st.sampled_from(["good", "odd fields", "any json", "raw", "huge", "deep", "numbers"])
    )
    readable = {"tap": False, "item": False}
    if kind == "good":
        body, readable = json.dumps(good).encode(), {"tap": True, "item": True}
    elif kind == "odd fields":
        field = draw(st.sampled_from(["tap", "item"]))
        value = draw(any_json)
        body = json.dumps({**good, field: value}).encode()
        # An odd value may still read as the real one (5 and "5" and 5.0 name item 5).
        readable = {"tap": True, "item": True}
        read = {"tap": lambda v: uuid.UUID(str(v)), "item": int}[field]
        expected = {"tap": uuid.UUID(good["tap"]), "item": item_pk}[field]
        readable[field] = _reads_as(read, value, expected) and not isinstance(value, bool)
    elif kind == "any json":
        body = json.dumps(draw(any_json)).encode()
    elif kind == "raw":
        body = draw(
            st.one_of(
                st.binary(max_size=200),
                st.sampled_from(
                    [b"", b"{", b"NaN", b'{"tap": Infinity}', b"\xff\xfe{}", b"null", b"[]"]
                ),
            )
        )
    elif kind == "huge":
        body = json.dumps({**good, "item": "9" * 200_000}).encode()
        readable["tap"] = True
    elif kind == "deep":
        body = b"[" * draw(st.integers(900, 100_000))
    else:
        numbers = ["1e400", "-1e400", "1e-400", "-0", "99999999999999999999", "NaN"]
        number = draw(st.sampled_from(numbers))
        body = b'{"tap": "%s", "item": %s}' % (good["tap"].encode(), number.encode())
        readable["tap"] = True
    content_type = draw(
        st.sampled_from(
            ["application/json", "application/json; charset=latin-1", "text/plain", "text/json"]
        )
    )
    if not content_type.startswith("application/json"):
        readable = {"tap": False, "item": False}
    event(kind)
    return body, content_type, readable


def post(client, url, body, content_type):
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = client.post(url, body, content_type=content_type)
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
    return response, changed


def assert_refused_with_a_message(response, changed):
    assert 400 <= response.status_code < 500 or response.status_code == 302, response.status_code
    assert changed == set()
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body["ok"] is False
        assert str(body["message"]).strip()


@hypothesis_settings(max_examples=50)
@given(data=st.data())
def test_a_tap_is_recorded_once_or_refused_with_a_message(van, data):
    endpoint = data.draw(st.sampled_from(["tap", "charge"]))
    body, content_type, readable = data.draw(tap_bodies(van["item"].pk))
    response, changed = post(van["client"], van[endpoint], body, content_type)

    # A charge names no item: its tap id is all it needs.
    if readable["tap"] and (readable["item"] or endpoint == "charge"):
        assert response.status_code == 200
        assert response.json()["ok"] is True
        assert changed  # the tap was written
    else:
        # The plain form's answer is a redirect with a message; the script's is JSON.
        assert_refused_with_a_message(response, changed)


@st.composite
def session_bodies(draw, site):
    fields = {
        "site": site.pk,
        "date": timezone.localdate().isoformat(),
        "planned_start": "14:00",
        "planned_end": "16:30",
        "status": "held",
        "actual_start": "14:00",
        "actual_end": "16:30",
        "people_present": 40,
    }
    shape = draw(st.sampled_from(["good", "odd field", "any json", "no submission", "deep"]))
    submission = str(uuid.UUID(int=draw(st.integers(1, 2**128 - 1))))
    if shape == "good":
        body = {"submission": submission, "fields": fields}
    elif shape == "odd field":
        name = draw(st.sampled_from(sorted(fields)))
        body = {"submission": submission, "fields": {**fields, name: draw(any_json)}}
    elif shape == "no submission":
        body = {"fields": fields}
    elif shape == "deep":
        return b'{"submission": "%s", "fields": {"notes": %s}}' % (
            submission.encode(),
            b"[" * draw(st.integers(900, 5000)),
        ), shape
    else:
        body = draw(any_json)
    event(shape)
    return json.dumps(body).encode(), shape


@hypothesis_settings(max_examples=30)
@given(data=st.data())
def test_a_queued_session_form_is_recorded_or_refused_with_its_reasons(van, data):
    body, shape = data.draw(session_bodies(van["site"]))
    response, changed = post(van["client"], van["record"], body, "application/json")

    answer = response.json()
    if response.status_code == 200:
        assert answer["ok"] is True
        assert "sessions_log_session" in changed
    else:
        assert response.status_code in (400, 409)
        assert answer["ok"] is False
        assert str(answer["message"]).strip()
        assert changed == set()
        for messages in answer.get("errors", {}).values():
            assert messages and all(message.strip() for message in messages)
    if shape == "good":
        assert response.status_code == 200
