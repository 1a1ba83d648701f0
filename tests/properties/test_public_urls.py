"""Every public address, under every language, with odd path segments, query strings and
headers: never a server error, and a GET never writes to the database or sets a cookie."""

import re
from urllib.parse import quote_from_bytes

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from guides import urls as guides_urls
from tests.factories import make_area, make_category, make_info_page, make_service
from tests.properties.helpers import (
    fingerprint,
    header_text,
    odd_bytes,
    odd_text,
    rolled_back,
)

pytestmark = pytest.mark.django_db

# Every route of guides/urls.py, read from the URL conf so that a new page is covered too.
GUIDE_ROUTES = [str(pattern.pattern) for pattern in guides_urls.urlpatterns]
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SITE_ROUTES = ["/", "/healthz", "/sw.js"]
ALLOWED = {200, 301, 302, 304, 400, 404, 405, 429}


@pytest.fixture
def guide():
    area = make_area(slug="calais")
    category = make_category(slug="food")
    service = make_service(
        area=area,
        categories=[category],
        title="Hot meal",
        hours=[{"weekday": day, "opens": "09:00", "closes": "17:00"} for day in range(7)],
    )
    page = make_info_page(slug="police")
    return {"area": area.slug, "slug": [category.slug, page.slug], "pk": service.pk}


def encoded(raw):
    return quote_from_bytes(raw, safe="")


def segment(valid):
    """A path segment: the real one, or odd bytes, percent-encoded."""
    return st.one_of(st.just(valid), odd_bytes.map(encoded))


def int_segment(valid):
    """An <int:pk> segment: the real pk, others of the right type, or the wrong type."""
    return st.one_of(
        st.just(str(valid)),
        st.integers(0, 2**80).map(str),
        st.sampled_from(["-1", "0", "00001", "1.0", "1e3", "١", "0x1", "9" * 400]),
        odd_bytes.map(encoded),
    )


@st.composite
def public_paths(draw, guide):
    languages = st.sampled_from([code for code, _name in settings.LANGUAGES])
    language = draw(
        st.one_of(
            # Mostly real languages, so that most addresses reach a view.
            languages,
            languages,
            languages,
            st.sampled_from(["EN", "xx", "en-gb", "zh-hans", "ar-SA", ""]),
            odd_bytes.map(encoded),
        )
    )
    route = draw(st.sampled_from(GUIDE_ROUTES))

    def fill(match):
        kind, name = match["kind"], match["name"]
        if name == "area":
            return draw(segment(guide["area"]))
        if kind == "int":
            return draw(int_segment(guide["pk"]))
        if kind == "slug":
            return draw(st.one_of(st.sampled_from(guide["slug"]), odd_bytes.map(encoded)))
        return draw(
            st.one_of(st.sampled_from(["2025-11", "2025-13", "0-0"]), odd_bytes.map(encoded))
        )

    path = "/" + language + "/" + CONVERTER.sub(fill, route)
    path = draw(st.one_of(st.just(path), st.sampled_from(SITE_ROUTES)))
    path = draw(
        st.sampled_from(
            [path, path.rstrip("/"), path.replace("/", "//", 1), path + "..%2f", path + "%2e%2e/"]
        )
    )
    query = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(["q", "page", "lang", "ticket"]), odd_bytes.map(encoded)),
                st.one_of(odd_bytes.map(encoded), odd_text.map(lambda t: encoded(t.encode()))),
            ),
            max_size=3,
        )
    )
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query)
    return path


odd_headers = st.fixed_dictionaries(
    {},
    optional={
        "accept-language": header_text,
        "if-none-match": header_text,
        "if-modified-since": header_text,
        "accept-encoding": header_text,
        "user-agent": header_text,
        "cookie": st.one_of(
            header_text,
            st.just("sessionid=" + "a" * 40),
            st.just('sessionid="\\000\\000\\000\\000\\000\\000\\000\\000"'),
            st.just("csrftoken=" + "x" * 8000 + "; sessionid=" + "%" * 4000),
        ),
        "x-forwarded-for": header_text,
    },
)


@hypothesis_settings(max_examples=100)
@given(data=st.data())
def test_public_addresses_never_fail_and_a_get_never_writes(guide, data):
    path = data.draw(public_paths(guide), label="path")
    headers = data.draw(odd_headers, label="headers")
    method = data.draw(st.sampled_from(["get", "head"]), label="method")
    # raise_request_exception: a server error shows up as its traceback, not a bare 500.
    client = Client(raise_request_exception=True)
    with rolled_back():
        before = fingerprint()
        response = getattr(client, method)(path, headers=headers)
        after = fingerprint()

    event(f"status {response.status_code}")
    assert response.status_code in ALLOWED, (path, response.status_code)
    assert after == before
    if path.startswith(tuple(f"/{code}/" for code, _name in settings.LANGUAGES)):
        # A reader is never given a cookie. Django may clear a stale session cookie, or
        # replace a malformed CSRF cookie the request carried: that is no new cookie.
        sent = response.wsgi_request.COOKIES
        given = {
            name for name, morsel in response.cookies.items() if morsel.value and name not in sent
        }
        assert not given, given


@hypothesis_settings(max_examples=25)
@given(query=odd_text, language=st.sampled_from([code for code, _name in settings.LANGUAGES]))
def test_a_search_for_anything_answers_a_page_and_writes_nothing(guide, query, language):
    client = Client(raise_request_exception=True)
    with rolled_back():
        before = fingerprint()
        response = client.get(f"/{language}/{guide['area']}/search/", {"q": query})
        after = fingerprint()

    assert after == before
    if "\x00" in query:
        # infobus.middleware.RefuseNulMiddleware: PostgreSQL cannot search for a NUL.
        assert response.status_code == 400
        return
    assert response.status_code == 200
    # What is shown as the query is at most the length the search reads.
    assert len(response.context["query"]) <= 100
