"""Cells a spreadsheet would run as formulas are made text; numbers stay numbers."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from infobus.lib.spreadsheet import append_row, safe_cell, safe_dict, safe_row


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","Open")',
        "+33 6 12 34 56 78",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=",
        "-",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-5, -1.5, Decimal("-2.5"), 0, "-12", "-1.5", "-1,5", "+7", "Samsung", "", None]
)
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_rows_and_dicts_are_made_safe_cell_by_cell():
    assert safe_row(["=cmd", -3, "ok"]) == ["'=cmd", -3, "ok"]
    assert safe_dict({"brand": "@x", "n": -1}) == {"brand": "'@x", "n": -1}


def test_an_xlsx_row_keeps_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["=1+1", "#N/A", -4, date(2026, 3, 29), "Calais"])
    buffer = io.BytesIO()
    book.save(buffer)

    read = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = list(read[1])
    assert [cell.value for cell in cells] == ["=1+1", "#N/A", -4, cells[3].value, "Calais"]
    assert [cell.data_type for cell in cells[:3]] == ["s", "s", "n"]
    assert cells[0].quotePrefix is True
    assert cells[4].quotePrefix is False
