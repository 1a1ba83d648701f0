"""Monthly editions: every area's booklet in every language, frozen when a coordinator
publishes the month, listed publicly with how complete each translation was."""

import hashlib
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guides import editions, services
from guides.models import Edition, EditionFile, OpeningHours, ServiceException
from infobus.roles import sync_roles
from tests.factories import (
    make_alert,
    make_area,
    make_category,
    make_exception,
    make_place,
    make_service,
    make_user,
)

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 1)
PUBLISHED = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
SITE = "https://guide.test"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class FailingStorage(FileSystemStorage):
    """A disk that fills up after a few files: the fifth save fails half way through,
    leaving the part of the file it wrote."""

    saved = 0

    def _save(self, name, content):
        FailingStorage.saved += 1
        if FailingStorage.saved >= 5:
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as partial:
                partial.write(content.read()[:1000])
            raise OSError(28, "No space left on device")
        return super()._save(name, content)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def text_of(pdf):
    result = subprocess.run(
        [shutil.which("pdftotext"), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(unicodedata.normalize("NFKC", result.stdout.decode()).split())


def guide_in_arabic(**area):
    """An area whose texts are all in English and Arabic, recorded as up to date; nothing in
    the other languages."""
    area = make_area(name="Calais", name_ar="كاليه", **area)
    food = make_category(name="Food", name_ar="طعام")
    place = make_place(area, name="Rue Lamy meal point", name_ar="نقطة الوجبات في شارع لامي")
    make_service(
        area,
        title="Hot evening meal",
        title_ar="وجبة عشاء ساخنة",
        categories=[food],
        places=[place],
        hours=[{"weekday": OpeningHours.Weekday.MONDAY, "opens": "18:00", "closes": "19:30"}],
    )
    services.track_existing_translations()
    area.refresh_from_db()
    return area


def publish(user=None, month=DECEMBER):
    with time_machine.travel(PUBLISHED, tick=False):
        return services.publish_edition(month=month, user=user, site=SITE)


def stored(file):
    with default_storage.open(file.pdf.name, "rb") as handle:
        return handle.read()


def test_publishing_freezes_one_pdf_per_area_and_language(media):
    calais = guide_in_arabic(slug="calais")
    synthe = make_area(name="Grande-Synthe", slug="grande-synthe")
    coordinator = make_user("coordinator")

    edition = publish(coordinator)

    assert edition.month == DECEMBER
    assert edition.published_by == coordinator
    assert edition.published_at == PUBLISHED
    files = list(edition.files.select_related("area"))
    assert sorted((f.area.slug, f.language) for f in files) == sorted(
        (area.slug, code) for area in (calais, synthe) for code in LANGUAGES
    )
    for file in files:
        pdf = stored(file)
        assert pdf.startswith(b"%PDF")
        assert file.size == len(pdf)
        assert file.sha256 == hashlib.sha256(pdf).hexdigest()
        assert (
            file.pdf.name
            == f"editions/2026-12/infobus-{file.area.slug}-{file.language}-2026-12.pdf"
        )
    assert len(files_in(media)) == len(files)


def test_completeness_is_recorded_per_language_at_publication():
    guide_in_arabic()

    edition = publish()

    by_language = {file.language: file for file in edition.files.all()}
    assert by_language["en"].percent_complete == 100 and not by_language["en"].behind
    assert by_language["ar"].percent_complete == 100 and not by_language["ar"].behind
    assert by_language["ti"].percent_complete == 0 and by_language["ti"].behind


def test_completeness_counts_only_the_texts_the_booklet_prints():
    area = guide_in_arabic()
    service = area.services.get()
    # None of these is printed in the booklet of 28 November; none is in Arabic.
    make_alert(area, message="Storm on Sunday", starts_at=PUBLISHED + timedelta(days=2))
    make_category(name="Haircuts")  # no service of the area under it
    make_place(area, name="Unused hangar", directions="By the canal")
    make_exception(
        service,
        date(2027, 1, 11),  # beyond the month of changes a booklet prints
        ServiceException.Kind.CANCELLED,
        reason="Staff holiday",
    )
    service.status_note = "Nothing to note while it is open."
    service.save()

    assert editions.area_completeness(area, ["ar"], now=PUBLISHED)["ar"].percent == 100

    # What is printed does count: an alert in force, in English only.
    make_alert(area, message="Evictions this week", starts_at=PUBLISHED - timedelta(hours=1))
    assert editions.area_completeness(area, ["ar"], now=PUBLISHED)["ar"].percent < 100


def test_an_outdated_translation_puts_a_language_behind():
    area = guide_in_arabic()
    service = area.services.get()
    assert not editions.area_completeness(area, ["ar"], now=PUBLISHED)["ar"].behind

    service.title_en = "Hot evening meal, every day"
    service.save()
    completeness = editions.area_completeness(area, ["ar"], now=PUBLISHED)["ar"]

    assert completeness.outdated == 1
    assert completeness.behind


def test_publishing_is_all_or_nothing_when_a_file_cannot_be_written(settings, media):
    guide_in_arabic()
    FailingStorage.saved = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.guides.test_editions.FailingStorage"},
    }

    with pytest.raises(OSError, match="No space left"):
        publish()

    assert FailingStorage.saved == 5
    assert not Edition.objects.exists()
    assert not EditionFile.objects.exists()
    assert files_in(media) == []


def test_a_month_is_published_once():
    guide_in_arabic()
    publish()

    with pytest.raises(services.PublishRefused, match="December 2026 already has an edition"):
        publish()

    assert Edition.objects.count() == 1


def test_an_edition_is_for_a_whole_month():
    with pytest.raises(services.PublishRefused, match="first day"):
        publish(month=date(2026, 12, 15))

    assert not Edition.objects.exists()


def test_a_frozen_pdf_stays_as_published_after_the_guide_changes(client):
    area = guide_in_arabic(slug="calais")
    publish()
    with time_machine.travel(PUBLISHED, tick=False):
        frozen = client.get("/en/calais/editions/2026-12.pdf")
        live_before = client.get("/en/calais/guide.pdf")

    service = area.services.get()
    service.title_en = "Evening meal moved to Tuesdays"
    service.save()
    with time_machine.travel(PUBLISHED, tick=False):
        frozen_again = client.get("/en/calais/editions/2026-12.pdf")
        live_after = client.get("/en/calais/guide.pdf")

    assert frozen.status_code == frozen_again.status_code == 200
    assert frozen["Content-Disposition"] == 'inline; filename="infobus-calais-en-2026-12.pdf"'
    body = b"".join(frozen.streaming_content)
    assert b"".join(frozen_again.streaming_content) == body
    assert "Hot evening meal" in text_of(body)
    assert "Evening meal moved to Tuesdays" not in text_of(body)
    assert live_after.content != live_before.content
    assert "Evening meal moved to Tuesdays" in text_of(live_after.content)


def test_a_frozen_pdf_answers_a_304_to_a_phone_that_has_it(client):
    guide_in_arabic(slug="calais")
    publish()
    first = client.get("/ar/calais/editions/2026-12.pdf")

    again = client.get("/ar/calais/editions/2026-12.pdf", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_editions_are_listed_publicly_per_language_with_their_completeness(client):
    guide_in_arabic(slug="calais")
    publish()

    response = client.get("/ti/calais/editions/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    for code in LANGUAGES:
        assert f'href="/{code}/calais/editions/2026-12.pdf"' in html
    arabic = re.search(r'<li><a href="/ar/calais/editions/2026-12.pdf".*?</li>', html).group(0)
    tigrinya = re.search(r'<li><a href="/ti/calais/editions/2026-12.pdf".*?</li>', html).group(0)
    with translation.override("ti"):
        behind = gettext("translation behind")
    assert "100%" in arabic and behind not in arabic
    assert "0%" in tigrinya and behind in tigrinya


def test_editions_page_before_any_edition_says_so(client):
    guide_in_arabic(slug="calais")

    response = client.get("/en/calais/editions/")

    assert "No edition has been published yet." in response.content.decode()


REFERENCES_NOTE = "The French and English editions of the same month:"


def first_words_of(msgid, code, count=2):
    with translation.override(code):
        return " ".join(gettext(msgid).split()[:count])


def test_cover_of_a_language_behind_says_so_and_links_the_french_and_english_editions():
    guide_in_arabic(slug="calais")

    edition = publish()

    files = {file.language: file for file in edition.files.all()}
    tigrinya = text_of(stored(files["ti"]))
    arabic = text_of(stored(files["ar"]))
    # The note's first words in each language (pdftotext may break the line after them).
    assert first_words_of(REFERENCES_NOTE, "ti") in tigrinya
    assert f"{SITE}/fr/calais/editions/2026-12.pdf" in tigrinya
    assert f"{SITE}/en/calais/editions/2026-12.pdf" in tigrinya
    assert first_words_of(REFERENCES_NOTE, "ar") not in arabic
    assert "/fr/calais/editions/" not in arabic


def test_unknown_month_or_language_has_no_frozen_pdf(client):
    guide_in_arabic(slug="calais")
    publish()

    assert client.get("/en/calais/editions/2026-13.pdf").status_code == 404
    assert client.get("/en/calais/editions/0000-01.pdf").status_code == 404
    # A row whose file is gone from the disk: not found, not a server error.
    default_storage.delete(EditionFile.objects.get(language="en").pdf.name)
    assert client.get("/en/calais/editions/2026-12.pdf").status_code == 404
    assert client.get("/en/calais/editions/2026-11.pdf").status_code == 404
    assert client.get("/en/elsewhere/editions/2026-12.pdf").status_code == 404


# --- The back office ---------------------------------------------------------------------------


@pytest.fixture
def roles():
    sync_roles()
    return {group.name: group for group in Group.objects.all()}


def test_coordinator_publishes_from_the_admin_after_a_confirm_step(client, roles):
    guide_in_arabic(slug="calais")
    coordinator = make_user(groups=[roles["coordinator"]])
    url = reverse("admin:guides_edition_add")

    with time_machine.travel(PUBLISHED, tick=False):
        client.force_login(coordinator)
        form = client.get(url)
        check = client.post(url, {"month": "2026-12"})
        assert not Edition.objects.exists()
        done = client.post(url, {"month": "2026-12", "confirm": "1"})

    assert form.status_code == 200
    assert '<option value="2026-12"' in form.content.decode()
    assert check.status_code == 200
    assert "Publish December 2026" in check.content.decode()
    edition = Edition.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:guides_edition_change", args=[edition.pk])
    assert edition.published_by == coordinator
    assert edition.files.count() == len(LANGUAGES)


def test_volunteer_sees_editions_but_cannot_publish(client, roles):
    guide_in_arabic(slug="calais")
    publish()
    volunteer = make_user(groups=[roles["volunteer"]])
    client.force_login(volunteer)

    listing = client.get(reverse("admin:guides_edition_changelist"))
    refused = client.post(reverse("admin:guides_edition_add"), {"month": "2027-01", "confirm": "1"})

    assert listing.status_code == 200
    assert "December 2026" in listing.content.decode()
    assert reverse("admin:guides_edition_add") not in listing.content.decode()
    assert refused.status_code == 403
    assert Edition.objects.count() == 1


def test_nobody_edits_or_deletes_an_edition_in_the_admin(admin_client):
    guide_in_arabic(slug="calais")
    edition = publish()

    change = admin_client.get(reverse("admin:guides_edition_change", args=[edition.pk]))
    delete = admin_client.post(reverse("admin:guides_edition_delete", args=[edition.pk]))

    assert change.status_code == 200
    assert "infobus-calais-ar-2026-12.pdf" in change.content.decode()
    assert delete.status_code == 403
    assert Edition.objects.filter(pk=edition.pk).exists()


def test_the_publish_command_freezes_the_month_for_a_coordinator(roles):
    guide_in_arabic()
    coordinator = make_user("coord", groups=[roles["coordinator"]])

    with time_machine.travel(PUBLISHED, tick=False):
        call_command("publish_edition", "2026-12", "--user", "coord", "--site", SITE)

    edition = Edition.objects.get()
    assert (edition.month, edition.published_by) == (DECEMBER, coordinator)
    assert edition.files.count() == len(LANGUAGES)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["2026-13", "--user", "coord"], "is not a month"),
        (["december", "--user", "coord"], "is not a month"),
        (["0000-01", "--user", "coord"], "is not a month"),
        (["+2026-1", "--user", "coord"], "is not a month"),
        # An edition cannot be taken back: a mistyped year publishes nothing.
        (["2062-12", "--user", "coord"], "2026-10, 2026-11, 2026-12 only"),
        (["2026-12", "--user", "nobody"], "not an active user allowed"),
        (["2026-12", "--user", "volunteer"], "not an active user allowed"),
        (["2026-12", "--user", "coord", "--site", "https://guide.test/calais"], "--site"),
        (["2026-12", "--user", "coord", "--site", "guide.test"], "--site"),
    ],
)
def test_the_publish_command_refuses_a_bad_month_user_or_site(roles, arguments, message):
    make_user("coord", groups=[roles["coordinator"]])
    make_user("volunteer", groups=[roles["volunteer"]])
    if "--site" not in arguments:
        arguments = [*arguments, "--site", SITE]

    with time_machine.travel(PUBLISHED, tick=False), pytest.raises(CommandError, match=message):
        call_command("publish_edition", *arguments)

    assert not Edition.objects.exists()


def test_the_publish_command_takes_a_site_with_a_trailing_slash(roles, media):
    guide_in_arabic()
    make_user("coord", groups=[roles["coordinator"]])

    with time_machine.travel(PUBLISHED, tick=False):
        call_command("publish_edition", "2026-12", "--user", "coord", "--site", SITE + "/")

    pdf = stored(EditionFile.objects.get(language="en"))
    # The covers link the guide without a doubled slash, and the booklet has its stylesheet:
    # its pages are A5 (a page without it would be A4).
    assert f"{SITE}/en/" in text_of(pdf) and f"{SITE}//" not in text_of(pdf)
    info = subprocess.run(
        [shutil.which("pdfinfo"), "-"], input=pdf, capture_output=True, check=True
    )
    assert re.search(r"Page size: +419\.5\d* x 595\.2\d* pts", info.stdout.decode())
