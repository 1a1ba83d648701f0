import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from guides.models import Place, Report, Service, ServiceException
from tests.factories import (
    make_alert,
    make_area,
    make_category,
    make_exception,
    make_info_page,
    make_organisation,
    make_place,
    make_service,
)

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday.
NOON = datetime(2026, 11, 18, 12, 30, tzinfo=PARIS)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guide():
    area = make_area(name="Calais", slug="calais")
    food = make_category(slug="food", name="Food", name_ar="طعام", icon="food")
    place = make_place(area, name="Rue Lamy", name_ar="شارع لامي", directions="Near the port")
    meal = make_service(
        area,
        title="Midday meal",
        title_ar="وجبة الغداء",
        categories=[food],
        places=[place],
        hours=[{"weekday": d, "opens": "12:00", "closes": "14:00"} for d in range(7)],
        phone="03 21 19 66 09",
        languages_spoken=["ar", "en", "ti"],
    )
    dinner = make_service(
        area,
        title="Evening meal",
        categories=[food],
        places=[place],
        hours=[{"weekday": d, "opens": "18:00", "closes": "19:30"} for d in range(7)],
    )
    page = make_info_page(slug="police", title="Your rights with the police", title_ar="حقوقك")
    return {
        "area": area,
        "food": food,
        "place": place,
        "meal": meal,
        "dinner": dinner,
        "page": page,
    }


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"guides:{name}", args=args)


def test_language_chooser_names_every_language_in_its_own_script(client):
    html = unicodedata.normalize("NFC", client.get("/").content.decode())
    for name in ["العربيّة", "پښتو", "ትግርኛ", "Afaan Oromoo", "Tiếng Việt", "کوردیی سۆرانی"]:
        assert name in html
    assert 'href="/ti/"' in html


def test_every_public_address_carries_the_language(guide):
    assert url("area", "calais", lang="ar") == "/ar/calais/"
    assert url("service", "calais", guide["meal"].pk, lang="ti").startswith("/ti/calais/s/")


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("ps", "rtl"), ("ti", "ltr")])
def test_pages_declare_language_and_direction(client, guide, lang, direction):
    html = client.get(url("area", "calais", lang=lang)).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html


@time_machine.travel(NOON, tick=False)
def test_area_home_lists_what_is_open_now_and_later_today(client, guide):
    html = client.get(url("area", "calais")).content.decode()
    now_section, later_section = html.split('id="later"')
    assert "Midday meal" in now_section
    assert '<span dir="ltr">12:00–14:00</span>' in now_section
    assert "Evening meal" in later_section
    assert "Evening meal" not in now_section


@time_machine.travel(NOON, tick=False)
def test_area_home_shows_active_alerts_first_and_hides_expired_ones(client, guide):
    make_alert(guide["area"], message="Storm warning tonight")
    make_alert(
        guide["area"],
        message="Old news",
        starts_at=datetime(2026, 11, 1, tzinfo=PARIS),
        ends_at=datetime(2026, 11, 2, tzinfo=PARIS),
    )
    html = client.get(url("area", "calais")).content.decode()
    assert "Storm warning tonight" in html
    assert html.index("Storm warning tonight") < html.index('id="now"')
    assert "Old news" not in html


@time_machine.travel(NOON, tick=False)
def test_missing_translation_falls_back_to_english_marked_not_yet_translated(client, guide):
    html = client.get(url("area", "calais", lang="ar")).content.decode()
    assert "وجبة الغداء" in html
    assert 'href="/ar/calais/c/food/">طعام</a>' in html
    assert '<span lang="en" dir="ltr">Your rights with the police</span>' not in html
    assert '<span lang="en" dir="ltr">Evening meal</span> <small class="nt">' in html


def test_missing_english_falls_back_to_french(client, guide):
    Service.objects.filter(pk=guide["dinner"].pk).update(title_en="", title_fr="Repas du soir")
    html = client.get(url("category", "calais", "food", lang="ar")).content.decode()
    assert '<span lang="fr" dir="ltr">Repas du soir</span>' in html


@time_machine.travel(NOON, tick=False)
def test_service_page_shows_times_place_map_link_and_contact(client, guide):
    html = client.get(url("service", "calais", guide["meal"].pk)).content.decode()
    assert 'Open now, until <span dir="ltr">14:00</span>' in html
    assert "Near the port" in html
    assert f'href="geo:{guide["place"].latitude},{guide["place"].longitude}' in html
    assert 'href="tel:+33321196609"' in html
    assert "ትግርኛ" in html  # languages spoken, each in its own script


@time_machine.travel(NOON, tick=False)
def test_temporarily_closed_and_moved_are_shown_before_anything_else(client, guide):
    new_place = make_place(guide["area"], name="Rue des Verrotières")
    Place.objects.filter(pk=guide["place"].pk).update(status="moved", moved_to=new_place)
    Service.objects.filter(pk=guide["meal"].pk).update(
        status="temporarily_closed", status_note="Closed during works"
    )
    html = client.get(url("service", "calais", guide["meal"].pk)).content.decode()
    main = html[html.index("<main") :]
    closed, moved = main.index("Temporarily closed"), main.index("Moved")
    assert closed < main.index("When") and moved < main.index("When")
    assert "Closed during works" in main
    assert "Rue des Verrotières" in main
    assert "Open now" not in main


@time_machine.travel(NOON, tick=False)
def test_service_page_lists_exceptions_ahead(client, guide):
    make_exception(
        guide["meal"], date(2026, 11, 20), ServiceException.Kind.CANCELLED, reason="Eviction"
    )
    html = client.get(url("service", "calais", guide["meal"].pk)).content.decode()
    assert "Changes ahead" in html
    assert "Eviction" in html


def test_unpublished_service_is_not_found(client, guide):
    Service.objects.filter(pk=guide["meal"].pk).update(is_published=False)
    assert client.get(url("service", "calais", guide["meal"].pk)).status_code == 404


def test_unknown_area_and_category_are_not_found(client, guide):
    assert client.get("/en/nowhere/").status_code == 404
    assert client.get(url("category", "calais", "nothing")).status_code == 404


def test_info_page_renders_markdown_without_raw_html(client, guide):
    guide["page"].body = "**Ask** for a lawyer <script>alert(1)</script>"
    guide["page"].save()
    html = client.get(url("info", "calais", "police")).content.decode()
    assert "<strong>Ask</strong>" in html
    assert "<script>alert" not in html


@time_machine.travel(NOON, tick=False)
def test_today_timeline_and_its_plain_text_share(client, guide):
    html = client.get(url("today", "calais")).content.decode()
    assert html.index("Midday meal") < html.index("Evening meal")
    text = client.get(url("today_text", "calais"))
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert "12:00–14:00 Midday meal · Rue Lamy" in body
    assert "<" not in body


def test_service_share_page_has_whatsapp_link_and_copyable_text(client, guide):
    html = client.get(url("service_share", "calais", guide["meal"].pk)).content.decode()
    assert 'href="https://wa.me/?text=' in html
    assert "<textarea" in html
    assert "Midday meal" in html


def test_search_finds_a_service_by_its_fallback_text(client, guide):
    # "Evening meal" has no Arabic title: an Arabic reader typing English still finds it.
    html = client.get(url("search", "calais", lang="ar"), {"q": "evening"}).content.decode()
    assert "Evening meal" in html


def test_search_in_the_readers_language(client, guide):
    html = client.get(url("search", "calais", lang="ar"), {"q": "الغداء"}).content.decode()
    assert "وجبة الغداء" in html
    assert "Evening meal" not in html


def test_search_with_odd_input_is_harmless(client, guide):
    for query in ["", "%", "'; drop table", "x" * 5000, "\u202e\u200f"]:
        assert client.get(url("search", "calais"), {"q": query}).status_code == 200
    # A NUL never reaches a view (infobus.middleware.RefuseNulMiddleware).
    assert client.get(url("search", "calais"), {"q": "\u202e\u0000"}).status_code == 400


def test_public_pages_set_no_cookie_and_carry_cache_validators(client, guide):
    for address in [
        "/",
        url("area", "calais"),
        url("service", "calais", guide["meal"].pk),
        url("info", "calais", "police"),
    ]:
        response = client.get(address)
        assert response.status_code == 200
        assert not response.cookies, address
        assert "Cache-Control" in response
    response = client.get(url("area", "calais"))
    assert response["ETag"] and response["Last-Modified"]
    assert "public" in response["Cache-Control"]


def test_revisit_with_etag_gets_304(client, guide):
    first = client.get(url("area", "calais"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    again = client.get(
        url("area", "calais"), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert again.content == b""


def test_cached_page_is_rendered_again_after_content_changes(client, guide):
    address = url("service", "calais", guide["meal"].pk)
    assert "Midday meal" in client.get(address).content.decode()
    guide["meal"].title = "Lunch"
    guide["meal"].save()
    assert "Lunch" in client.get(address).content.decode()


def test_cached_page_serves_without_rendering_again(client, guide, django_assert_num_queries):
    address = url("area", "calais")
    client.get(address)
    with django_assert_num_queries(1):  # the area and its content version
        client.get(address)


def test_open_now_is_never_served_stale(client, guide):
    address = url("area", "calais")
    with time_machine.travel(datetime(2026, 11, 18, 13, 50, tzinfo=PARIS), tick=False):
        response = client.get(address)
        assert "Midday meal" in response.content.decode().split('id="later"')[0]
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
        assert max_age <= 600  # until 14:00, when the meal closes
    with time_machine.travel(datetime(2026, 11, 18, 14, 0, 1, tzinfo=PARIS), tick=False):
        now_section = client.get(address).content.decode().split('id="later"')[0]
        assert "Midday meal" not in now_section


def _many_services(area, count):
    org = make_organisation()
    food = make_category()
    for n in range(count):
        place = make_place(area, name=f"Place {n}")
        make_service(
            area,
            organisation=org,
            title=f"Service {n}",
            categories=[food],
            places=[place],
            hours=[{"weekday": d, "opens": "09:00", "closes": "23:00"} for d in range(7)],
        )
    return food


@pytest.mark.parametrize("count", [10, 300])
@time_machine.travel(NOON, tick=False)
def test_public_pages_cost_at_most_six_queries(client, count, django_assert_max_num_queries):
    area = make_area(slug="big")
    food = _many_services(area, count)
    make_alert(area)
    make_info_page()
    service = Service.objects.filter(area=area).first()
    addresses = [
        url("area", "big"),
        url("today", "big"),
        url("category", "big", food.slug),
        url("service", "big", service.pk),
        url("search", "big") + "?q=service",
    ]
    for address in addresses:
        cache.clear()
        with django_assert_max_num_queries(6):
            response = client.get(address)
        assert response.status_code == 200, address
    assert f"Service {count - 1}" in client.get(url("today", "big")).content.decode()


def test_report_lands_in_the_queue_without_asking_anything_personal(client, guide):
    address = url("service", "calais", guide["meal"].pk)
    html = client.get(address).content.decode()
    form = html[html.index("<form method") :]
    assert "csrfmiddlewaretoken" not in form
    assert 'type="email"' not in form and 'type="tel"' not in form
    response = client.post(
        url("report", "calais", guide["meal"].pk),
        {"problem": "moved", "details": "Now at the stadium"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.problem, report.details, report.language) == (
        "moved",
        "Now at the stadium",
        "en",
    )
    assert not response.cookies


def test_report_with_bad_input_changes_nothing(client, guide):
    address = url("report", "calais", guide["meal"].pk)
    assert client.post(address, {"problem": "nonsense"}).status_code == 400
    assert client.post(address, {"problem": "other", "details": "x" * 501}).status_code == 400
    assert not Report.objects.exists()


def test_reports_are_rate_limited(client, guide):
    address = url("report", "calais", guide["meal"].pk)
    statuses = [client.post(address, {"problem": "closed"}).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert Report.objects.count() == 5


def test_behind_the_proxy_each_reader_has_their_own_report_limit(client, guide, settings):
    """The proxy is every reader's REMOTE_ADDR; the address it saw comes last in the header."""
    settings.BEHIND_HTTPS_PROXY = True
    address = url("report", "calais", guide["meal"].pk)

    def post(forwarded_for):
        return client.post(
            address,
            {"problem": "closed"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code

    assert [post("203.0.113.5") for _ in range(6)] == [302] * 5 + [429]
    # Another reader behind the same proxy, who puts the first one's address up front.
    assert post("203.0.113.5, 203.0.113.77") == 302
    assert Report.objects.count() == 6


def test_the_report_form_is_the_only_public_form_that_posts(client, guide):
    for address in [url("area", "calais"), url("info", "calais", "police"), url("today", "calais")]:
        assert 'method="post"' not in client.get(address).content.decode()


def test_offline_manifest_lists_every_page_of_the_area(client, guide):
    data = client.get(url("offline_manifest", "calais", lang="ar")).json()
    assert data["language"] == "ar"
    assert f"/ar/calais/s/{guide['meal'].pk}/" in data["urls"]
    assert "/ar/calais/i/police/" in data["urls"]
    assert "/ar/calais/c/food/" in data["urls"]
    assert "/ar/calais/map/" in data["urls"]


@time_machine.travel(NOON, tick=False)
def test_time_ranges_stay_left_to_right_inside_arabic_text(client, guide):
    html = client.get(url("service", "calais", guide["meal"].pk, lang="ar")).content.decode()
    assert '<span dir="ltr">12:00–14:00</span>' in html
    assert "12:00–14:00" not in html.replace('<span dir="ltr">12:00–14:00</span>', "")


def test_share_text_keeps_a_dot_in_coordinates_whatever_the_language(client, guide):
    for lang in ["ar", "fr"]:
        text = client.get(url("service_text", "calais", guide["meal"].pk, lang=lang)).content
        assert f"mlat={guide['place'].latitude}&".encode() in text


def test_weekly_hours_of_a_service_open_day_and_night_read_as_one_line(client, guide):
    hospital = make_service(
        guide["area"],
        title="Hospital emergency",
        categories=[guide["food"]],
        hours=[
            {"weekday": d, "opens": opens, "closes": closes}
            for d in range(7)
            for opens, closes in (("00:00", "12:00"), ("12:00", "00:00"))
        ],
    )
    html = client.get(url("service", "calais", hospital.pk)).content.decode()
    week = html[html.index('<table class="week">') : html.index("</table>")]
    assert week.count("Day and night") == 7
    assert "12:00" not in week


@time_machine.travel(NOON, tick=False)
def test_hours_whose_validity_has_ended_leave_the_weekly_timetable(client, guide):
    winter = make_service(
        guide["area"],
        title="Winter shelter",
        categories=[guide["food"]],
        hours=[
            # Last winter's hours, over; this winter's, still in force.
            {"weekday": 0, "opens": "19:00", "closes": "08:00", "valid_until": date(2026, 3, 31)},
            {"weekday": 0, "opens": "20:00", "closes": "09:00", "valid_from": date(2026, 11, 1)},
        ],
    )

    html = client.get(url("service", "calais", winter.pk)).content.decode()
    week = html[html.index('<table class="week">') : html.index("</table>")]

    assert "20:00" in week and "19:00" not in week


@time_machine.travel(NOON, tick=False)
def test_todays_timeline_has_a_share_page_with_whatsapp_link_and_copyable_text(client, guide):
    html = client.get(url("today", "calais")).content.decode()
    assert url("today_share", "calais") in html
    share = client.get(url("today_share", "calais")).content.decode()
    assert 'href="https://wa.me/?text=' in share
    assert "12:00" in share[share.index("<textarea") :]
    assert "Midday meal" in share[share.index("<textarea") :]


def test_page_titles_carry_no_markup_when_a_text_falls_back(client, guide):
    html = client.get(url("service", "calais", guide["dinner"].pk, lang="ar")).content.decode()
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert "Evening meal" in title
    assert "<" not in title and "&lt;" not in title
