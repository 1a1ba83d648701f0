"""The month's CSV and XLSX: a site named like a formula stays text; a fall stays a number."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from sessions_log.reports import month_report, write_csv, write_xlsx
from tests.sessions_log.factories import make_session, make_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december_2025")]


@pytest.fixture
def report():
    site = make_site(name='=HYPERLINK("http://x.example","BMX")')
    make_session(site, date=date(2025, 10, 6), people_present=150)
    make_session(site, date=date(2025, 11, 3), people_present=100)
    return month_report(year=2025, month=11)


def test_the_csv_neutralises_a_site_name_and_keeps_negative_changes_as_numbers(report):
    out = io.StringIO()
    write_csv(out, report)

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    site_rows = [row for row in rows if row[0].startswith("'=HYPERLINK")]
    assert site_rows
    people = next(row for row in site_rows if row[1].startswith("People present"))
    assert people[3:] == ["100", "150", "-50"]
    assert not any(cell.startswith("'-") for row in rows for cell in row)


def test_the_xlsx_keeps_a_site_name_as_text(report):
    out = io.BytesIO()
    write_xlsx(out, report)

    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[0].value)]
    assert names
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)
    changes = [
        row[5].value
        for row in sheet.iter_rows(min_row=2)
        if str(row[1].value).startswith("People present")
    ]
    assert -50 in changes
