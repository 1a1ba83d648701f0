"""Imports are all or nothing: the gateway's client list and translation files, broken in
the ways real files break (random bytes, another encoding, a byte-order mark, cut short, an
extra column, one bad row among good ones, a huge cell, spreadsheet formulas) are either
applied whole or change nothing and say what is wrong, by line where there is one."""

import csv
import io
import re
from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from guides import services as guide_services
from guides.models import TranslationImport
from sessions_log.models import Session, WifiImport
from tests.conftest import pass_second_factor
from tests.factories import make_info_page, make_service, make_user
from tests.guides.translation_support import make_translator
from tests.properties.helpers import NOT_DATA, changed_tables, fingerprint, rolled_back
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db

CLIENT_LIST = (
    Path(__file__).parent.parent / "sessions_log" / "recordings" / "clients_2025-11-03.csv"
).read_bytes()
FORMULAS = ["=1+1", '=HYPERLINK("http://x","y")', "+SUM(A1)", "-2+3", "@cmd", "=cmd|' /C calc'!A0"]


def logged_in(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    pass_second_factor(client, user)
    return client


# --- Breaking a file ------------------------------------------------------------------------


def _rows(data):
    return [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if row]


def _write(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def broken(draw, data, *, line_cells):
    """(how, bytes, bad line or None): `data` (a good UTF-8 file) broken one way.

    `line_cells` names the cells of a data row that a wrong value makes the row wrong.
    """
    how = draw(
        st.sampled_from(
            [
                "as is",
                "random bytes",
                "utf-16",
                "latin-1",
                "bom",
                "cut short",
                "extra column",
                "one bad row",
                "huge cell",
                "formula cells",
                "empty",
            ]
        )
    )
    bad_line = None
    if how == "random bytes":
        data = draw(st.binary(min_size=1, max_size=2000))
    elif how == "utf-16":
        data = data.decode("utf-8-sig").encode("utf-16")
    elif how == "latin-1":
        data = data.decode("utf-8-sig").replace("a", "é").encode("latin-1", "replace")
    elif how == "bom":
        data = b"\xef\xbb\xbf" + data
    elif how == "cut short":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif how == "empty":
        data = b""
    else:
        rows = _rows(data)
        row = draw(st.integers(1, len(rows) - 1))
        if how == "extra column":
            rows[row] = [*rows[row], draw(st.text(max_size=10))]
            bad_line = row + 1
        elif how == "one bad row":
            cell = draw(st.sampled_from(line_cells(rows[0])))
            rows[row][cell] = draw(st.sampled_from(["12 parsecs", "yesterday", "٣ PB", "\x00"]))
            bad_line = row + 1
        elif how == "huge cell":
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = "x" * 100_000
        elif how == "formula cells":
            for cells in rows[1:]:
                cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(FORMULAS))
        data = _write(rows)
    return how, data, bad_line


# --- The wifi client list (sessions_log) ----------------------------------------------------


@pytest.fixture
def session():
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    return make_session(site, date=date(2025, 11, 3), people_present=60)


def usage_cells(header):
    return [header.index(name) for name in ("Usage", "First seen", "Last seen")]


@pytest.fixture
def staff_client(db):
    return logged_in(make_user("hypothesis-wifi", is_superuser=True))


@hypothesis_settings(max_examples=40)
@given(case=broken(CLIENT_LIST, line_cells=usage_cells))
def test_a_client_list_is_imported_whole_or_changes_nothing_and_says_why(
    session, staff_client, case
):
    how, data, bad_line = case
    event(how)
    client = staff_client
    url = reverse("sessions_log:import_client_list", args=[session.pk])
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = client.post(url, {"client_list": SimpleUploadedFile("clients.csv", data)})
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        saved = Session.objects.get(pk=session.pk)
        record = WifiImport.objects.filter(session=session).first()

    event(f"{how}: {response.status_code}")
    if response.status_code == 302:
        assert {"sessions_log_session", "sessions_log_wifiimport"} <= changed
        assert (saved.devices_connected, saved.data_down_bytes) == (
            record.devices,
            record.data_down_bytes,
        )
        assert bad_line is None
    else:
        assert response.status_code == 400
        assert changed == set()
        messages = response.context["form"].errors["client_list"]
        assert messages and all(message.strip() for message in messages)
        if bad_line is not None:
            assert any(f"Line {bad_line}:" in message for message in messages), messages


# --- Translation files (guides/exchange.py) -------------------------------------------------


@pytest.fixture
def guide():
    make_service(title="Hot meal", description="Free food for everyone.")
    make_info_page(title="Your rights", body="You may ask for a lawyer.")
    guide_services.track_existing_translations()


@pytest.fixture
def translator(guide):
    return make_translator("ar", username="hypothesis-ar")


def filled_export(client, file_format):
    """An Arabic export with every text translated, as a translator's tool returns it."""
    body = client.get(reverse("guides_staff:export", args=["ar", file_format])).content
    if file_format == "csv":
        rows = _rows(body)
        at = rows[0].index("translation")
        for cells in rows[1:]:
            cells[at] = "ترجمة"
        return _write(rows)
    if file_format == "po":
        text = body.decode("utf-8")
        return re.sub(r'msgstr ""\n(?!")', 'msgstr "ترجمة"\n', text).encode("utf-8")
    text = body.decode("utf-8")
    return re.sub(
        r"(</source>)(\s*)(</segment>)",
        r'\1\2<target xml:space="preserve">ترجمة</target>\2\3',
        text,
    ).encode("utf-8")


def translation_cells(header):
    return [header.index("id"), header.index("source_hash")]


@pytest.fixture(params=["csv", "po", "xliff"])
def translation_file(request, translator):
    """(client, format, a good filled-in file): built once, before the examples."""
    client = logged_in(translator)
    return client, request.param, filled_export(client, request.param)


@hypothesis_settings(max_examples=15)
@given(data=st.data())
def test_a_translation_file_is_taken_whole_or_refused_with_the_reason(
    translator, translation_file, data
):
    client, file_format, good = translation_file
    if file_format == "csv":
        how, body, bad_line = data.draw(broken(good, line_cells=translation_cells))
    else:
        how, body, bad_line = data.draw(broken_text(good))
    event(how)
    name = {"csv": "ar.csv", "po": "ar.po", "xliff": "ar.xlf"}[file_format]
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = client.post(
            reverse("guides_staff:upload"), {"file": SimpleUploadedFile(name, body)}
        )
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        batch = TranslationImport.objects.filter(user=translator).first()
        if response.status_code == 302:
            # Applying the previewed file writes every text of it, or none.
            before_apply = fingerprint(exclude=NOT_DATA)
            applied = client.post(response["Location"])
            after_apply = fingerprint(exclude=NOT_DATA)
            batch.refresh_from_db()

    event(f"{how}: {response.status_code}")
    if response.status_code == 302:
        assert {t for t in changed if not is_history(t)} == {"guides_translationimport"}
        assert applied.status_code == 302
        assert batch.status == TranslationImport.Status.APPLIED
        assert changed_tables(before_apply, after_apply) >= {"guides_translationstate"}
        assert bad_line is None
    else:
        assert response.status_code == 400
        assert changed == set()
        problems = response.context["problems"] or [
            message
            for messages in response.context["upload_form"].errors.values()
            for message in messages
        ]
        assert problems and all(str(problem).strip() for problem in problems)
        if how == "extra column":
            assert any(f"Line {bad_line} " in str(problem) for problem in problems), problems


def is_history(table):
    return "historical" in table


@st.composite
def broken_text(draw, data):
    """XLIFF and PO files broken as bytes (they have no rows to break one of)."""
    how = draw(
        st.sampled_from(
            [
                "as is",
                "random bytes",
                "utf-16",
                "latin-1",
                "bom",
                "cut short",
                "huge cell",
                "empty",
                "unknown id",
            ]
        )
    )
    if how == "random bytes":
        data = draw(st.binary(min_size=1, max_size=2000))
    elif how == "utf-16":
        data = data.decode("utf-8").encode("utf-16")
    elif how == "latin-1":
        data = data.decode("utf-8").encode("latin-1", "replace")
    elif how == "bom":
        data = b"\xef\xbb\xbf" + data
    elif how == "cut short":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif how == "empty":
        data = b""
    elif how == "huge cell":
        data = data.replace("ترجمة".encode(), ("ترجمة" * 20_000).encode(), 1)
    elif how == "unknown id":
        data = re.sub(rb"service\.(\d+)\.title", rb"service.999999.title", data, count=1)
    return how, data, None
