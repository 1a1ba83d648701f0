"""The printed guide: an A5 PDF booklet per area and language, and its print view.

The PDFs are read back with poppler's pdftotext, pdffonts and pdfinfo (Debian's
poppler-utils, installed by scripts/system-deps.sh test): what a printer or a phone's PDF
reader gets, not our own idea of it.
"""

import re
import subprocess
import threading
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.templatetags.static import static
from django.utils import timezone, translation

from guides import demo_data, printed
from guides.management.commands.load_demo import load_demo_guide
from guides.models import Area, InfoPage, OpeningHours, ServiceException
from tests.factories import (
    make_alert,
    make_area,
    make_category,
    make_info_page,
    make_place,
    make_service,
)

pytestmark = pytest.mark.django_db

# 10 December 2026, 11:00 in Paris.
DECEMBER = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
# A5 in PostScript points: 148 x 210 mm.
A5_POINTS = (148 / 25.4 * 72, 210 / 25.4 * 72)
# Marks pdftotext writes around right-to-left runs (it outputs logical order, embedded).
BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


def poppler(tool, pdf, *args):
    """Run one of poppler's tools on PDF bytes and return its output as text."""
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def _searchable(text):
    """NFKC (no presentation forms), no bidi controls, no combining marks, one space between
    words. Arabic vowel marks are optional in writing, and pdftotext may leave one on the
    line before when the word after it wraps ("للمبيت ً" / "ليلا"): compared without them."""
    text = unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.split())


def text_of(pdf, *args):
    """The PDF's text as a reader would search it (see _searchable)."""
    return _searchable(poppler("pdftotext", pdf, *args))


def normalised(text):
    return _searchable(text)


def embedded_fonts(pdf):
    """{font name without subset prefix or dashes: embedded?} from pdffonts."""
    fonts = {}
    for line in poppler("pdffonts", pdf).splitlines()[2:]:
        columns = line.split()
        name = re.sub(r"^[A-Z]{6}\+", "", columns[0]).replace("-", "")
        # The columns after the name: type (one or two words), encoding, emb, sub, uni, id.
        fonts[name] = columns[-5] == "yes"
    return fonts


def page_sizes(pdf):
    info = poppler("pdfinfo", pdf, "-f", "1", "-l", "999")
    return [
        (float(width), float(height))
        for width, height in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    ]


@pytest.fixture(scope="module")
def demo_booklets(django_db_setup, django_db_blocker):
    """Calais from the demo guide, rendered once in Arabic and Tigrinya: {language: (pdf,
    html)}. The database is rolled back afterwards; the bytes stay.

    pytestmark below: pytest-django creates the test database only for a run that has a test
    needing it, and `-k` may choose none but the tests of this fixture, which query nothing."""
    booklets = {}
    now = timezone.now()
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_guide(now=now)
        area = Area.objects.get(slug="calais")
        for language in ("ar", "ti"):
            with translation.override(language):
                booklets[language] = printed.render_booklet(
                    area, now=now, month=printed.edition_month(now), site="https://guide.test"
                )
        transaction.set_rollback(True)
    return booklets


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def small_guide(**area):
    """An area with one category, one place and one service open on Mondays."""
    area = make_area(**area)
    food = make_category(name="Food", name_ar="طعام", name_ti="መግቢ")
    place = make_place(area, name="Rue Lamy meal point", directions="Behind the port.")
    service = make_service(
        area,
        title="Hot evening meal",
        title_ar="وجبة عشاء ساخنة",
        categories=[food],
        places=[place],
        hours=[{"weekday": OpeningHours.Weekday.MONDAY, "opens": "18:00", "closes": "19:30"}],
    )
    return area, service


# --- The PDF itself --------------------------------------------------------------------------


def test_arabic_booklet_prints_the_demo_guide_in_arabic(demo_booklets):
    pdf, _html = demo_booklets["ar"]
    text = text_of(pdf)

    calais = next(item for item in demo_data.AREAS if item["slug"] == "calais")
    food = next(item for item in demo_data.CATEGORIES if item["slug"] == "food")
    police = next(item for item in demo_data.INFO_PAGES if item["slug"] == "rights-with-the-police")
    emergency = next(item for item in demo_data.INFO_PAGES if item["topic"] == "emergency")
    # pdftotext gives Arabic in logical order (checked on poppler 22): whole phrases, in the
    # order they were typed, so a shaping or ordering fault shows as a missing phrase.
    for phrase in (
        calais["name"]["ar"],
        food["name"]["ar"],
        police["title"]["ar"],
        emergency["title"]["ar"],
        "مأوى طارئ للمبيت ليلًا",
    ):
        assert normalised(phrase) in text, phrase
    assert "115" in text and "119" in text


def test_tigrinya_booklet_prints_the_demo_guide_in_ethiopic_script(demo_booklets):
    pdf, _html = demo_booklets["ti"]
    text = text_of(pdf)

    calais = next(item for item in demo_data.AREAS if item["slug"] == "calais")
    for category in demo_data.CATEGORIES[:3]:
        assert normalised(category["name"]["ti"]) in text, category["slug"]
    assert normalised(calais["name"]["ti"]) in text


def test_noto_arabic_and_ethiopic_fonts_are_embedded(demo_booklets):
    arabic = embedded_fonts(demo_booklets["ar"][0])
    tigrinya = embedded_fonts(demo_booklets["ti"][0])

    assert arabic.get("NotoNaskhArabic") is True, arabic
    assert tigrinya.get("NotoSansEthiopic") is True, tigrinya
    assert all(arabic.values()) and all(tigrinya.values())


def test_every_page_of_the_booklet_is_a5(demo_booklets):
    sizes = page_sizes(demo_booklets["ar"][0])

    assert len(sizes) > 4
    for width, height in sizes:
        assert width == pytest.approx(A5_POINTS[0], abs=0.5)
        assert height == pytest.approx(A5_POINTS[1], abs=0.5)


def page_texts(pdf):
    return [
        text_of(pdf, "-f", str(number), "-l", str(number))
        for number in range(1, len(page_sizes(pdf)) + 1)
    ]


def first_words(fragment, count=3):
    return " ".join(normalised(re.sub(r"<[^>]+>", " ", fragment)).split()[:count])


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_the_alerts_print_together_and_the_first_category_follows_them(demo_booklets, language):
    pdf, html = demo_booklets[language]
    pages = page_texts(pdf)
    section = re.search(r'<section id="alerts".*?</section>', html, re.DOTALL)[0]
    alerts = [first_words(text) for text in re.findall(r'<p class="alert \w+">(.*?)</p>', section)]
    # The first service of the first category: its title is not in the contents.
    first_service = first_words(
        re.search(r'<article class="service"[^>]*>\s*<h3>(.*?)</h3>', html)[1]
    )

    def pages_with(phrase):
        return [number for number, text in enumerate(pages, 1) if phrase in text]

    assert len(alerts) >= 2
    alert_pages = {number for alert in alerts for number in pages_with(alert)}
    # Never one alert per page.
    assert len(alert_pages) == 1, (alerts, alert_pages)
    # The categories start at once, or on the next page: no page left nearly empty between.
    assert pages_with(first_service)[0] - max(alert_pages) in (0, 1)
    assert len(pages[max(alert_pages) - 1]) > 300


def test_print_html_is_right_to_left_in_arabic_and_left_to_right_in_tigrinya(demo_booklets):
    assert '<html lang="ar" dir="rtl">' in demo_booklets["ar"][1]
    assert '<html lang="ti" dir="ltr">' in demo_booklets["ti"][1]


# (direction, font, whether pdftotext reads the words back). Nastaliq sets each word's letters
# on a slope, one above the other: pdftotext then reads them in the wrong order, though the page
# is right (seen in pdftoppm's rendering); for Urdu the font and direction are checked.
SCRIPT_FONTS = {
    "fa": ("rtl", "NotoNaskhArabic", True),
    "ps": ("rtl", "NotoNaskhArabic", True),
    "ur": ("rtl", "NotoNastaliqUrdu", False),
    "ckb": ("rtl", "NotoNaskhArabic", True),
    "am": ("ltr", "NotoSansEthiopic", True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPT_FONTS)
def test_each_language_is_printed_in_its_direction_and_noto_font(language):
    direction, font, extractable = SCRIPT_FONTS[language]
    calais = next(item for item in demo_data.AREAS if item["slug"] == "calais")
    area, _service = small_guide(**{f"name_{language}": calais["name"][language]})
    now = timezone.now()

    with translation.override(language):
        pdf, html = printed.render_booklet(
            area, now=now, month=printed.edition_month(now), site="https://guide.test"
        )

    assert f'<html lang="{language}" dir="{direction}">' in html
    assert embedded_fonts(pdf).get(font) is True
    if extractable:
        assert normalised(calais["name"][language]) in text_of(pdf, "-f", "1", "-l", "1")


@pytest.mark.django_db
def test_an_area_name_not_translated_prints_without_the_note_on_the_cover_and_page_tops():
    area, _service = small_guide(name="Calais")
    now = timezone.now()

    with translation.override("vi"):
        note = translation.gettext("not yet translated")
        pdf, html = printed.render_booklet(
            area, now=now, month=printed.edition_month(now), site="https://guide.test"
        )

    assert note != "not yet translated" and note in html  # the service's texts still say it
    cover, later = text_of(pdf, "-f", "1", "-l", "1"), text_of(pdf, "-f", "2", "-l", "2")
    assert "Calais" in cover and f"Calais {note}" not in cover
    assert later.startswith("Calais ·")


def test_print_stylesheet_names_the_noto_family_of_each_script():
    path = printed.static_file(
        "https://guide.test" + static("guides/print.css"), "https://guide.test"
    )
    with open(path, encoding="utf-8") as file:
        css = file.read()

    rules = dict(re.findall(r"([^{}]*:lang\([^{}]*)\{font-family:([^;}]*)", css))
    arabic = next(family for selector, family in rules.items() if ":lang(ar)" in selector)
    ethiopic = next(family for selector, family in rules.items() if ":lang(ti)" in selector)
    assert arabic.startswith('"Noto Naskh Arabic"')
    assert ethiopic.startswith('"Noto Sans Ethiopic"')
    assert any(":lang(ur)" in selector for selector in rules)
    assert any(":lang(ckb)" in selector and "Arabic" in rules[selector] for selector in rules)
    assert any(":lang(am)" in selector and "Ethiopic" in rules[selector] for selector in rules)


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_cover_carries_the_edition_month_and_a_qr_code_of_the_online_guide(client):
    area, _service = small_guide(slug="calais-cover")

    html = client.get(f"/en/{area.slug}/print/").content.decode()
    pdf = client.get(f"/en/{area.slug}/guide.pdf").content

    online = f"http://testserver/en/{area.slug}/"
    cover = text_of(pdf, "-f", "1", "-l", "1")
    assert "December 2026" in cover
    assert online in cover
    assert 'class="qr-code"' in html
    assert printed.qr_svg(online) in html
    assert f'<a href="{online}"' in html


@pytest.mark.django_db
def test_booklet_holds_alerts_services_by_category_week_places_pages_and_emergency_numbers():
    now = timezone.now()
    area, _service = small_guide()
    make_alert(area, message="Evictions expected this week", starts_at=now)
    make_alert(area, message="An alert that ended", starts_at=now, ends_at=now)
    make_service(area, title="A draft service", is_published=False)
    make_info_page(title="Your rights with the police", body="You may ask for a lawyer.")
    make_info_page(
        topic=InfoPage.Topic.EMERGENCY, title="Emergency numbers", body="- **115**: shelter"
    )

    html = printed.booklet_html(area, now=now, month=printed.edition_month(now), site="http://x")

    assert "Evictions expected this week" in html
    assert "An alert that ended" not in html
    assert "A draft service" not in html
    section = re.search(r'<section class="category" id="c-food-\d+">(.*?)</section>', html, re.S)
    assert "Hot evening meal" in section.group(1)
    week = re.search(r'<section id="week".*?</section>', html, re.S).group(0)
    row = re.search(r"<tr><th scope=\"row\">Hot evening meal</th>(.*?)</tr>", week, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert "18:00–19:30" in cells[0] and not any(cells[1:])
    places = re.search(r'<section id="places".*?</section>', html, re.S).group(0)
    assert "Rue Lamy meal point" in places and "Behind the port." in places
    assert "You may ask for a lawyer." in html
    emergency = re.search(r'<section id="emergency".*?</section>', html, re.S).group(0)
    assert "<strong>115</strong>" in emergency
    assert "police" not in emergency


@pytest.mark.django_db
def test_every_place_a_service_is_at_is_named_and_a_place_no_longer_used_says_so():
    now = timezone.now()
    area = make_area()
    food = make_category(name="Food")
    hangar = make_place(area, name="Old hangar", directions="By the canal", status="gone")
    hall = make_place(area, name="Sports hall", directions="Next to the stadium")
    # At the hangar (gone) by its places; at the hall only through its hours.
    make_service(
        area,
        title="Clothes",
        categories=[food],
        places=[hangar],
        hours=[{"weekday": 0, "opens": "08:00", "closes": "09:00", "place": hall}],
    )

    html = printed.booklet_html(area, now=now, month=printed.edition_month(now), site="http://x")

    where = re.search(r"Where:</dt> <dd>(.*?)</dd>", html, re.S)[1]
    assert "This place is no longer used</b>: Old hangar" in where
    assert f'href="#p-{hall.pk}">Sports hall</a>' in where
    assert "No fixed place" not in where
    places = re.search(r'<section id="places".*?</section>', html, re.S)[0]
    assert "Sports hall" in places and "Next to the stadium" in places
    assert "Old hangar" not in places and "By the canal" not in html


@pytest.mark.django_db
def test_the_live_booklet_is_made_again_each_day_for_its_changes_ahead(client):
    area, service = small_guide(slug="calais-days")
    make_exception = ServiceException.objects.create
    make_exception(service=service, date=date(2026, 12, 14), kind="cancelled")
    make_exception(service=service, date=date(2027, 1, 18), kind="cancelled")

    with time_machine.travel(DECEMBER, tick=False):
        first = client.get(f"/en/{area.slug}/guide.pdf")
    with time_machine.travel(DECEMBER + timedelta(days=10), tick=False):
        later = client.get(f"/en/{area.slug}/guide.pdf")

    # 10 December: the 14th is ahead, 18 January beyond the month printed. 20 December: the
    # 14th has passed and 18 January has come into view.
    assert "14 December" in text_of(first.content) and "18 January" not in text_of(first.content)
    assert "14 December" not in text_of(later.content) and "18 January" in text_of(later.content)
    assert first["ETag"] != later["ETag"]


@pytest.mark.django_db
def test_a_print_page_made_for_one_host_is_not_served_to_another(client, settings):
    settings.PUBLIC_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "guide.example.org"]
    area, _service = small_guide(slug="calais-hosts")

    client.get(f"/en/{area.slug}/print/")
    other = client.get(f"/en/{area.slug}/print/", HTTP_HOST="guide.example.org").content.decode()

    assert f"http://guide.example.org/en/{area.slug}/" in other
    assert "http://testserver/" not in other


# --- Nothing fetched from elsewhere ------------------------------------------------------------


class CountingHandler(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def other_host():
    """A web server on the loopback that counts what it is asked for: 'another host'."""
    CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_rendering_fetches_nothing_from_another_host(other_host):
    pixel = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
    html = (
        f'<html><head><link rel="stylesheet" href="{other_host}/style.css">'
        f"<style>body{{background:url({other_host}/bg.png)}}</style></head>"
        f'<body><img src="{other_host}/photo.png"><img src="{pixel}"><p>Hello</p></body></html>'
    )
    fetcher = printed.fetcher_class()("https://guide.test")

    pdf = printed.render_pdf(html, site="https://guide.test", fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    assert CountingHandler.requests == []
    assert set(fetcher.refused) == {
        f"{other_host}/style.css",
        f"{other_host}/bg.png",
        f"{other_host}/photo.png",
    }


def test_fetcher_serves_only_our_static_files():
    site = "https://guide.test"
    css = site + static("guides/print.css")

    assert printed.static_file(css, site).endswith(".css")
    assert printed.static_file(site + "/static/../infobus/settings.py", site) is None
    assert printed.static_file(site + "/static/%2e%2e/infobus/settings.py", site) is None
    assert printed.static_file(site + "/static//etc/passwd", site) is None
    assert printed.static_file("https://elsewhere.test" + static("guides/print.css"), site) is None
    assert printed.static_file(site + "/en/calais/", site) is None


# --- The live PDF: cache, ETag, file name ------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_pdf_is_rendered_once_then_served_from_the_cache_with_identical_bytes(
    client, django_assert_num_queries
):
    small_guide(slug="calais")
    first = client.get("/ar/calais/guide.pdf")

    # A cache hit asks the database for the area (and its content version) only.
    with django_assert_num_queries(1):
        second = client.get("/ar/calais/guide.pdf")

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'inline; filename="infobus-calais-ar-2026-12.pdf"'
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Set-Cookie" not in first
    assert normalised("وجبة عشاء ساخنة") in text_of(first.content)


@pytest.mark.django_db
# The clock runs: the content version is the time of the edit.
@time_machine.travel(DECEMBER, tick=True)
def test_a_content_edit_renders_a_new_pdf(client):
    area, service = small_guide()
    before = client.get(f"/en/{area.slug}/guide.pdf")

    service.title_en = "Hot evening meal and tea"
    service.save()
    after = client.get(f"/en/{area.slug}/guide.pdf")

    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    assert "Hot evening meal and tea" in text_of(after.content)


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_a_phone_that_has_the_pdf_gets_a_304(client):
    area, _service = small_guide()
    first = client.get(f"/en/{area.slug}/guide.pdf")

    again = client.get(f"/en/{area.slug}/guide.pdf", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_a_new_month_renders_a_new_edition_of_the_live_pdf(client):
    area, _service = small_guide(slug="calais-month")
    with time_machine.travel(DECEMBER, tick=False):
        december = client.get(f"/en/{area.slug}/guide.pdf")
    january = datetime.combine(datetime(2027, 1, 2).date(), time(10), tzinfo=UTC)
    with time_machine.travel(january, tick=False):
        new_year = client.get(f"/en/{area.slug}/guide.pdf")

    assert "December 2026" in text_of(december.content, "-f", "1", "-l", "1")
    assert "January 2027" in text_of(new_year.content, "-f", "1", "-l", "1")
    assert new_year["Content-Disposition"].endswith('-en-2027-01.pdf"')


@pytest.mark.django_db
def test_unknown_area_has_no_printed_guide(client):
    assert client.get("/en/nowhere/guide.pdf").status_code == 404
    assert client.get("/en/nowhere/print/").status_code == 404


@pytest.mark.django_db
def test_area_home_links_to_the_print_view_the_pdf_and_previous_editions(client):
    area, _service = small_guide()

    html = client.get(f"/fa/{area.slug}/").content.decode()

    assert f'href="/fa/{area.slug}/print/"' in html
    assert f'href="/fa/{area.slug}/guide.pdf"' in html
    assert f'href="/fa/{area.slug}/editions/"' in html
