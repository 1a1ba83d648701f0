"""Headers and login lockout that protect the back office and the guide's readers."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone, translation

from infobus.lib.csp import inline_scripts, script_hash, template_script_hashes
from tests.factories import (
    make_area,
    make_category,
    make_info_page,
    make_place,
    make_service,
    make_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guide():
    area = make_area(name="Calais", slug="calais")
    food = make_category(slug="food", name="Food", icon="food")
    place = make_place(area, name="Rue Lamy")
    every_day = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
    meal = make_service(area, title="Meal", categories=[food], places=[place], hours=every_day)
    page = make_info_page(slug="police", title="Your rights with the police")
    return {"area": area, "food": food, "meal": meal, "page": page}


def public_pages(guide, lang):
    with translation.override(lang):
        slug, meal = "calais", guide["meal"].pk
        return [
            "/",
            reverse("guides:areas"),
            reverse("guides:offline"),
            reverse("guides:area", args=[slug]),
            reverse("guides:today", args=[slug]),
            reverse("guides:today_share", args=[slug]),
            reverse("guides:search", args=[slug]) + "?q=meal",
            reverse("guides:category", args=[slug, "food"]),
            reverse("guides:service", args=[slug, meal]),
            reverse("guides:service_share", args=[slug, meal]),
            reverse("guides:info", args=[slug, "police"]),
        ]


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@pytest.mark.parametrize("lang", ["en", "ar", "ti"])
def test_every_inline_script_on_every_public_page_is_allowed_by_its_hash(client, guide, lang):
    seen = 0
    for path in public_pages(guide, lang):
        response = client.get(path)
        assert response.status_code == 200, path
        allowed = directives(response)["script-src"]
        for text in inline_scripts(response.content.decode()):
            seen += 1
            assert script_hash(text) in allowed, f"{path}: an inline script is not allowed"
    assert seen >= 2  # the service worker registration and the save button at least


def test_public_pages_allow_nothing_from_other_hosts(client, guide):
    response = client.get(reverse("guides:area", args=["calais"]))
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert all(re.fullmatch(r"'self'|'sha256-[A-Za-z0-9+/=]+'", s) for s in policy["script-src"])
    assert "http" not in response["Content-Security-Policy"]


def test_public_pages_write_no_inline_style(client, guide):
    for path in public_pages(guide, "en"):
        html = client.get(path).content.decode()
        assert "style=" not in html and "<style" not in html, path


def test_the_service_worker_and_healthz_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/sw.js")
    assert "Content-Security-Policy" in client.get("/healthz")


def test_back_office_allows_inline_styles_but_still_no_inline_script(client):
    client.force_login(make_user(is_superuser=True))
    response = client.get("/" + settings.ADMIN_URL)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_back_office_page_that_uses_the_nonce_gets_it_in_its_policy(rf):
    from django.http import HttpResponse
    from django.template import engines

    from infobus.middleware import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string("<script nonce={{ request.csp_nonce }}>go()</script>")

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/" + settings.ADMIN_URL)
    response = ContentSecurityPolicyMiddleware(view)(request)

    nonce = re.search(r"nonce=([^>]+)>", response.content.decode())[1]
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_public_pages_carry_no_nonce_since_everyone_gets_the_same_cached_bytes(client, guide):
    for path in public_pages(guide, "ar"):
        assert "nonce-" not in client.get(path)["Content-Security-Policy"], path


def test_a_template_script_holding_template_syntax_stops_start_up():
    source = "<script>go(\"{% url 'x' %}\")</script>"
    with pytest.raises(ImproperlyConfigured, match=r"guides/x\.html"):
        template_script_hashes("guides/x.html", source)


def test_data_blocks_and_external_scripts_need_no_hash():
    html = '<script src="/static/a.js"></script><script type="application/json">{}</script>'
    assert inline_scripts(html) == []


def test_public_pages_keep_their_public_caching(client, guide):
    response = client.get(reverse("guides:area", args=["calais"]))
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies


@pytest.mark.parametrize("path", ["admin", "/phones/stock/", "/staff/sessions/month/"])
def test_back_office_and_staff_pages_are_never_stored(client, path):
    path = "/" + settings.ADMIN_URL if path == "admin" else path
    client.force_login(make_user(is_superuser=True))
    response = client.get(path)
    assert response["Cache-Control"] == "no-store"
    # Even the login page an anonymous visitor is sent to.
    client.logout()
    assert client.get(path)["Cache-Control"] == "no-store"


def test_a_logged_in_staff_member_reading_the_guide_gets_no_stored_copy(client, guide):
    client.force_login(make_user())
    response = client.get(reverse("guides:area", args=["calais"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def login(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/" + settings.ADMIN_URL},
        **extra,
    )


def logged_in(client):
    return client.get("/" + settings.ADMIN_URL).status_code == 200


def test_five_wrong_passwords_lock_the_username_even_for_the_right_password(client):
    make_user("amina", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert login(client, "amina", "wrong").status_code in {200, 429}
    refused = login(client, "amina", PASSWORD)
    assert refused.status_code == 429
    assert "too many login attempts" in refused.content.decode().lower()
    assert not logged_in(client)


def test_a_locked_username_stays_locked_from_another_address(client):
    make_user("amina", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "amina", "wrong", REMOTE_ADDR="10.0.0.1")
    assert login(client, "amina", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_an_address_trying_many_usernames_is_locked_out(client):
    make_user("amina", password=PASSWORD)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong", REMOTE_ADDR="10.0.0.9")
    assert login(client, "amina", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert login(client, "amina", PASSWORD, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client):
    make_user("amina", password=PASSWORD)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "amina", "wrong")
        assert login(client, "amina", PASSWORD).status_code == 429
    later = start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert login(client, "amina", PASSWORD).status_code == 302
        assert logged_in(client)


def test_a_few_typos_do_not_lock_anyone_out(client):
    make_user("amina", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "amina", "wrong")
    assert login(client, "amina", PASSWORD).status_code == 302


def test_behind_the_proxy_the_lockout_counts_the_address_the_proxy_saw(client, settings):
    settings.BEHIND_HTTPS_PROXY = True
    make_user("amina", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A client may send its own X-Forwarded-For; the proxy appends what it saw.
        login(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7", **proxy)
    blocked = login(client, "amina", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert blocked.status_code == 429
    # Someone else behind the same proxy is not locked out.
    other = login(client, "amina", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert other.status_code == 302


def test_a_coordinator_sees_and_can_lift_a_lockout_in_the_back_office(client):
    make_user("amina", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "amina", "wrong")
    client.force_login(make_user(is_superuser=True))
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "amina" in listing.content.decode()
    for attempt in AccessAttempt.objects.all():
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert login(client, "amina", PASSWORD).status_code == 302
