"""Working offline: download XLIFF, PO or CSV, upload it back, preview, apply all or nothing."""

import csv
import io
import xml.etree.ElementTree as ET

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides import exchange, services
from guides import translation_status as ts
from guides.models import InfoPage, Service, TranslationImport, TranslationState
from tests.factories import make_info_page, make_service
from tests.guides.translation_support import make_coordinator, make_translator

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.guides.translation_support")]

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def xml(body):
    return ET.fromstring(body)  # noqa: S314 - files made by the code under test


@pytest.fixture
def guide():
    meal = make_service(title="Hot meal", description="Free food for everyone.")
    shower = make_service(title="Showers", title_ar="حمامات")
    page = make_info_page(title="Your rights", body="You may **ask** for a lawyer.")
    services.track_existing_translations()
    # The English of the showers changed after they were translated: outdated.
    Service.objects.filter(pk=shower.pk).update(title_en="Hot showers")
    return {"meal": meal, "shower": shower, "page": page}


def export_url(language, file_format):
    return reverse("guides_staff:export", args=[language, file_format])


def snapshot():
    """Everything an import may change: texts and states."""
    texts = {
        (service.pk, name): getattr(service, name)
        for service in Service.objects.all()
        for name in ("title_ar", "description_ar", "title_fa")
    }
    texts.update({(page.pk, "body_ar"): page.body_ar for page in InfoPage.objects.all()})
    rows = set(
        TranslationState.objects.values_list("object_id", "field", "language", "source_hash")
    )
    return texts, rows, TranslationImport.objects.count()


def upload(client, name, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        reverse("guides_staff:upload"), {"file": SimpleUploadedFile(name, data)}, follow=False
    )


# --- Filling in each format as a translator's tool would ---------------------------------


def fill_xliff(body, translations):
    root = xml(body)
    for unit in root.iter(f"{XLIFF}unit"):
        if unit.get("id") in translations:
            segment = unit.find(f"{XLIFF}segment")
            target = segment.find(f"{XLIFF}target")
            if target is None:
                target = ET.SubElement(segment, f"{XLIFF}target")
            target.text = translations[unit.get("id")]
            segment.set("state", "translated")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def fill_po(body, translations):
    po = polib.pofile(body.decode("utf-8"))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    return str(po).encode("utf-8")


def fill_csv(body, translations):
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        row["translation"] = translations.get(row["id"], "")
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


FILL = {"xliff": fill_xliff, "po": fill_po, "csv": fill_csv}
NAME = {"xliff": "ar.xlf", "po": "ar.po", "csv": "ar.csv"}


# --- Exports -----------------------------------------------------------------------------


def test_the_export_holds_the_missing_and_outdated_texts_with_their_hashes(client, guide):
    client.force_login(make_translator("ar"))

    response = client.get(export_url("ar", "xliff"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="infobus-ar-')
    root = xml(response.content)
    assert root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "ar")
    units = {unit.get("id"): unit for unit in root.iter(f"{XLIFF}unit")}
    meal, shower = guide["meal"], guide["shower"]
    assert {f"service.{meal.pk}.title", f"service.{shower.pk}.title"} <= set(units)
    outdated = units[f"service.{shower.pk}.title"]
    assert outdated.get(exchange.SOURCE_HASH_ATTR) == ts.source_hash("Hot showers")
    segment = outdated.find(f"{XLIFF}segment")
    assert segment.get("state") == "initial"
    assert segment.find(f"{XLIFF}target").text == "حمامات"
    missing = units[f"service.{meal.pk}.title"].find(f"{XLIFF}segment")
    assert missing.find(f"{XLIFF}source").text == "Hot meal"
    assert missing.find(f"{XLIFF}target") is None


def test_the_po_export_marks_outdated_texts_fuzzy(client, guide):
    client.force_login(make_translator("ar"))

    po = polib.pofile(client.get(export_url("ar", "po")).content.decode())

    assert po.metadata["Language"] == "ar"
    entry = next(e for e in po if e.msgctxt == f"service.{guide['shower'].pk}.title")
    assert entry.fuzzy and entry.msgstr == "حمامات" and entry.msgid == "Hot showers"
    assert f"sha256: {ts.source_hash('Hot showers')}" in entry.comment.splitlines()


def test_the_csv_export_opens_in_a_spreadsheet_and_defuses_formulas(client, guide):
    Service.objects.filter(pk=guide["meal"].pk).update(description_en="=HYPERLINK(1)")
    client.force_login(make_translator("ar"))

    body = client.get(export_url("ar", "csv")).content

    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert set(rows[0]) == set(exchange.CSV_COLUMNS)
    assert {row["language"] for row in rows} == {"ar"}
    assert "'=HYPERLINK(1)" in {row["english"] for row in rows}


def test_a_translator_cannot_export_another_language(client, guide):
    client.force_login(make_translator("ar"))

    assert client.get(export_url("fa", "po")).status_code == 403
    assert client.get(export_url("en", "po")).status_code == 404
    assert client.get(export_url("ar", "docx")).status_code == 404


# --- The round trip --------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["xliff", "po", "csv"])
def test_a_translators_round_trip_ends_with_every_text_up_to_date(client, guide, file_format):
    translator = make_translator("ar")
    client.force_login(translator)
    meal, shower, page = guide["meal"], guide["shower"], guide["page"]
    exported = client.get(export_url("ar", file_format)).content
    translations = {
        f"service.{meal.pk}.title": "وجبة ساخنة",
        f"service.{meal.pk}.description": "طعام مجاني للجميع.",
        f"service.{shower.pk}.title": "حمامات ساخنة",
        f"infopage.{page.pk}.body": "يمكنك **طلب** محامٍ.",
    }

    response = upload(client, NAME[file_format], FILL[file_format](exported, translations))

    assert response.status_code == 302
    batch = TranslationImport.objects.get()
    assert batch.status == TranslationImport.Status.PREVIEWED
    assert Service.objects.get(pk=meal.pk).title_ar is None  # nothing saved before the preview
    preview = client.get(response["Location"])
    html = preview.content.decode()
    for text in translations.values():
        assert text in html
    assert "حمامات" in html and "Hot showers" in html  # old text and English beside the new

    applied = client.post(response["Location"], {"apply": "Save all"})

    assert applied.status_code == 302
    assert applied["Location"] == reverse("guides_staff:language", args=["ar"])
    meal = Service.objects.get(pk=meal.pk)
    assert (meal.title_ar, meal.description_ar) == ("وجبة ساخنة", "طعام مجاني للجميع.")
    assert InfoPage.objects.get(pk=page.pk).body_ar == "يمكنك **طلب** محامٍ."
    by_id = {text.id: text.status for text in ts.texts(languages=["ar"]) if text.id in translations}
    assert by_id == dict.fromkeys(translations, ts.Status.UP_TO_DATE)
    batch.refresh_from_db()
    assert batch.status == TranslationImport.Status.APPLIED
    assert batch.user == translator
    assert batch.file_format == file_format
    assert {change["id"] for change in batch.changes} == set(translations)
    # Applied once: a second click changes nothing more.
    assert client.post(response["Location"], {"apply": "Save all"}).status_code == 200


def test_a_text_left_fuzzy_is_skipped_or_imported_as_a_draft(client, guide):
    client.force_login(make_translator("ar"))
    meal, shower = guide["meal"], guide["shower"]
    po = polib.pofile(client.get(export_url("ar", "po")).content.decode())
    for entry in po:
        if entry.msgctxt == f"service.{meal.pk}.title":
            entry.msgstr = "وجبة"
            entry.flags.append("fuzzy")
    # The shower's old translation stays as exported: fuzzy and unchanged.

    response = upload(client, "ar.po", str(po))
    client.post(response["Location"], {"apply": "Save all"})

    changes = TranslationImport.objects.get().changes
    assert [change["id"] for change in changes] == [f"service.{meal.pk}.title"]
    statuses = {text.id: text.status for text in ts.texts(languages=["ar"])}
    assert statuses[f"service.{meal.pk}.title"] == ts.Status.DRAFT
    assert statuses[f"service.{shower.pk}.title"] == ts.Status.OUTDATED


def test_discarding_a_preview_changes_nothing(client, guide):
    client.force_login(make_translator("ar"))
    exported = client.get(export_url("ar", "po")).content
    body = fill_po(exported, {f"service.{guide['meal'].pk}.title": "وجبة"})
    before = snapshot()[:2]
    response = upload(client, "ar.po", body)

    client.post(response["Location"], {"discard": "Discard"})

    assert snapshot()[:2] == before
    assert TranslationImport.objects.get().status == TranslationImport.Status.DISCARDED


def test_an_english_edit_between_preview_and_apply_applies_nothing(client, guide):
    client.force_login(make_translator("ar"))
    meal = guide["meal"]
    exported = client.get(export_url("ar", "po")).content
    body = fill_po(
        exported,
        {f"service.{meal.pk}.title": "وجبة", f"service.{meal.pk}.description": "مجاني"},
    )
    response = upload(client, "ar.po", body)
    Service.objects.filter(pk=meal.pk).update(description_en="Free food, every day.")
    before = snapshot()

    applied = client.post(response["Location"], {"apply": "Save all"}, follow=True)

    assert "changed since the preview" in applied.content.decode()
    assert snapshot() == before
    assert TranslationImport.objects.get().status == TranslationImport.Status.PREVIEWED


def test_nobody_else_can_see_or_apply_an_upload(client, guide):
    client.force_login(make_translator("ar"))
    exported = client.get(export_url("ar", "po")).content
    response = upload(
        client, "ar.po", fill_po(exported, {f"service.{guide['meal'].pk}.title": "و"})
    )

    client.force_login(make_translator("ar"))

    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"], {"apply": "1"}).status_code == 404


# --- Rejected uploads change nothing ---------------------------------------------------------


def _po(translator_client, guide, translations):
    exported = translator_client.get(export_url("ar", "po")).content
    return fill_po(exported, translations)


def _xliff(translator_client, guide, translations):
    exported = translator_client.get(export_url("ar", "xliff")).content
    return fill_xliff(exported, translations)


def rejected_cases():
    """(name, how to make the file, what the page must say)"""

    def unknown_id(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        return "ar.po", body.replace(b'msgctxt "service.', b'msgctxt "servize.', 1)

    def deleted_object(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        return "ar.po", body.replace(f".{g['meal'].pk}.title".encode(), b".999999.title")

    def english_changed(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        Service.objects.filter(pk=g["meal"].pk).update(title_en="Warm meal")
        return "ar.po", body

    def html(c, g):
        return "ar.po", _po(c, g, {f"service.{g['meal'].pk}.title": "<b>وجبة</b>"})

    def script_in_body(c, g):
        return "ar.po", _po(c, g, {f"infopage.{g['page'].pk}.body": "<script>x()</script>"})

    def markdown_in_title(c, g):
        return "ar.po", _po(c, g, {f"service.{g['meal'].pk}.title": "**وجبة**"})

    def too_long(c, g):
        return "ar.po", _po(c, g, {f"service.{g['meal'].pk}.title": "و" * 151})

    def inline_codes(c, g):
        root = xml(_xliff(c, g, {f"service.{g['meal'].pk}.title": "وجبة"}))
        for unit in root.iter(f"{XLIFF}unit"):
            if unit.get("id") == f"service.{g['meal'].pk}.title":
                ET.SubElement(unit.find(f"{XLIFF}segment/{XLIFF}target"), f"{XLIFF}ph", id="1")
        return "ar.xlf", ET.tostring(root, encoding="utf-8")

    def wrong_language(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        return "fa.po", body.replace(b"Language: ar", b"Language: fa")

    def not_a_guide_language(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        return "de.po", body.replace(b"Language: ar", b"Language: de")

    def not_xml(c, g):
        return "ar.xlf", b"this is not <xml"

    def not_xliff(c, g):
        return "ar.xlf", b'<?xml version="1.0"?><html><body/></html>'

    def entity_bomb(c, g):
        return "ar.xlf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'

    def wrong_encoding(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "Repas éte"})
        return "ar.po", body.decode("utf-8").encode("latin-1", errors="replace")

    def utf16(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"})
        return "ar.po", body.decode("utf-8").encode("utf-16")

    def not_po(c, g):
        return "ar.po", b'msgid "a"\nthis is not po\nmsgstr'

    def wrong_columns(c, g):
        return "ar.csv", b"identifier,text\nservice.1.title,x\n"

    def mixed_languages(c, g):
        exported = c.get(export_url("ar", "csv")).content.decode("utf-8-sig")
        lines = exported.splitlines()
        lines[1] = lines[1].replace(",ar,", ",fa,", 1)
        return "ar.csv", "\n".join(lines).encode()

    def unknown_extension(c, g):
        return "ar.docx", b"PK\x03\x04"

    def duplicate(c, g):
        body = _po(c, g, {f"service.{g['meal'].pk}.title": "وجبة"}).decode()
        entry = body[body.index("#. Service") :]
        return "ar.po", (body + "\n" + entry).encode()

    return [
        ("unknown id", unknown_id, "Unknown id"),
        ("deleted object", deleted_object, "Unknown id"),
        ("english changed", english_changed, "changed since the file was exported"),
        ("html", html, "HTML is not allowed"),
        ("script in a body", script_in_body, "HTML is not allowed"),
        ("markdown in a title", markdown_in_title, "Markdown is only for info page bodies"),
        ("too long", too_long, "at most 150"),
        ("xliff inline codes", inline_codes, "inline codes"),
        ("wrong language", wrong_language, "you translate into Arabic"),
        ("not a guide language", not_a_guide_language, "not a language the guide"),
        ("not xml", not_xml, "not a well-formed XML file"),
        ("not xliff", not_xliff, "not XLIFF 2.0"),
        ("entity bomb", entity_bomb, "DTD"),
        ("wrong encoding", wrong_encoding, "not UTF-8"),
        ("utf-16", utf16, "not UTF-8"),
        ("not po", not_po, "not a PO file"),
        ("wrong columns", wrong_columns, "Wrong columns"),
        ("mixed languages", mixed_languages, "mixes languages"),
        ("unknown extension", unknown_extension, ".xlf, .xliff, .po or .csv"),
        ("duplicate id", duplicate, "appears twice"),
    ]


@pytest.mark.parametrize(
    ("make_file", "message"),
    [case[1:] for case in rejected_cases()],
    ids=[case[0] for case in rejected_cases()],
)
def test_a_rejected_upload_says_why_and_changes_nothing(client, guide, make_file, message):
    client.force_login(make_translator("ar"))
    name, body = make_file(client, guide)
    before = snapshot()

    response = upload(client, name, body)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html, html[html.find("errornote") :][:600]
    assert "nothing changed" in html
    assert snapshot() == before


def test_markdown_is_fine_in_an_info_page_body_and_where_the_english_has_it(client, guide):
    Service.objects.filter(pk=guide["meal"].pk).update(description_en="- soup\n- bread")
    client.force_login(make_translator("ar"))
    body = _po(
        client,
        guide,
        {
            f"infopage.{guide['page'].pk}.body": "## حقوق\n\n- محامٍ",
            f"service.{guide['meal'].pk}.description": "- حساء\n- خبز",
        },
    )

    assert upload(client, "ar.po", body).status_code == 302


def test_a_file_that_changes_nothing_is_refused_with_a_message(client, guide):
    client.force_login(make_translator("ar"))
    exported = client.get(export_url("ar", "xliff")).content

    response = upload(client, "ar.xlf", exported)

    assert response.status_code == 400
    assert "changes nothing" in response.content.decode()
    assert not TranslationImport.objects.exists()


def test_a_coordinator_may_import_any_language(client, guide):
    client.force_login(make_coordinator())
    exported = client.get(export_url("ti", "csv")).content
    body = fill_csv(exported, {f"service.{guide['meal'].pk}.title": "ምግቢ"})

    response = upload(client, "ti.csv", body)
    client.post(response["Location"], {"apply": "Save all"})

    assert Service.objects.get(pk=guide["meal"].pk).title_ti == "ምግቢ"


def test_a_semicolon_csv_from_a_french_spreadsheet_is_read(client, guide):
    client.force_login(make_translator("ar"))
    exported = client.get(export_url("ar", "csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.CSV_COLUMNS, delimiter=";")
    writer.writeheader()
    for row in rows:
        if row["id"] == f"service.{guide['meal'].pk}.title":
            row["translation"] = "وجبة"
        writer.writerow(row)

    assert upload(client, "ar.csv", out.getvalue().encode("utf-8")).status_code == 302


def test_a_regional_language_code_counts_as_the_language(client, guide):
    client.force_login(make_translator("ar"))
    body = _po(client, guide, {f"service.{guide['meal'].pk}.title": "وجبة"})

    response = upload(client, "ar.po", body.replace(b"Language: ar", b"Language: ar_SA"))

    assert response.status_code == 302
    assert TranslationImport.objects.get().language == "ar"
