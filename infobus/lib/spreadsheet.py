"""Cells for the CSV and XLSX files staff open in a spreadsheet, made safe to open.

A spreadsheet runs a cell that starts with = + - @ (and, in some, a tab or carriage return
before one of those) as a formula: a partner's or a site's name typed as
=HYPERLINK("http://…","Open") becomes a live link or worse in the coordinator's Excel. Text
cells starting so get a leading apostrophe, which every spreadsheet reads as "this is text"
(the OWASP advice for CSV injection). Numbers stay numbers, and so does text that is a plain
number such as "-12" or "-1.5": a spreadsheet reads those as numbers, not formulas.

Every CSV and XLSX export goes through here: safe_cell() for each CSV cell, append_row() for
each XLSX row. No models, no Django: just values.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number, with a point or (French spreadsheets) a comma as the decimal mark.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _is_formula_like(text):
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def safe_cell(value):
    """`value` as a CSV cell a spreadsheet shows and never runs.

    Text starting with = + - @ tab or CR gets a leading apostrophe; a plain number written
    as text ("-12") and every non-text value (int, float, Decimal, date, None) is returned
    unchanged.
    """
    if isinstance(value, str) and _is_formula_like(value):
        return "'" + value
    return value


def safe_row(values):
    """safe_cell() of each value: a row for csv.writer."""
    return [safe_cell(value) for value in values]


def safe_dict(row):
    """safe_cell() of each value: a row for csv.DictWriter."""
    return {key: safe_cell(value) for key, value in row.items()}


def append_row(sheet, values):
    """Append `values` to an openpyxl worksheet with every text cell kept as text.

    openpyxl itself turns a string starting with "=" into a formula and "#N/A" into an error
    value. Here text stays text; text that looks like a formula is also marked with Excel's
    quote prefix, so that editing the cell later does not make it one (the apostrophe is not
    shown and not part of the value, unlike in a CSV).
    """
    sheet.append(values)
    row = sheet[sheet.max_row]
    for cell, value in zip(row, values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if _is_formula_like(value):
                cell.quotePrefix = True
    return row


__all__ = ["append_row", "safe_cell", "safe_dict", "safe_row"]
