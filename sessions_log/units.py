"""Data sizes as people and the Meraki dashboard write them: "1.2 MB", "340 KB", "11 GB".

A kilobyte is 1024 bytes, as on the dashboard (the API's "usage" figures are in those KB).
French units (Ko, Mo, Go) and a decimal comma are read too: volunteers type what they see.
Imports no models.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

KB = 1024
MB = 1024 * KB
GB = 1024 * MB
TB = 1024 * GB

UNITS = {
    "": MB,  # a bare number is read as megabytes: nobody counts a session in bytes
    "b": 1,
    "o": 1,
    "bytes": 1,
    "kb": KB,
    "kib": KB,
    "ko": KB,
    "k": KB,
    "mb": MB,
    "mib": MB,
    "mo": MB,
    "m": MB,
    "gb": GB,
    "gib": GB,
    "go": GB,
    "g": GB,
    "tb": TB,
    "tib": TB,
    "to": TB,
    "t": TB,
}

SIZE_PATTERN = re.compile(r"^\s*(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-zA-Z]*)\s*$")


def parse_size(text):
    """'1.2 MB' → 1258291 (bytes, rounded). Raises ValueError for anything else, including a
    negative number. The error message never repeats the text (it may be a misplaced column
    holding a device's name or address)."""
    match = SIZE_PATTERN.match(text or "")
    unit = match and match["unit"].lower()
    if not match or unit not in UNITS:
        raise ValueError("not a size")
    try:
        number = Decimal(match["number"].replace(",", "."))
    except InvalidOperation:
        raise ValueError("not a size") from None
    return int((number * UNITS[unit]).to_integral_value())


def format_size(size):
    """Bytes → '11.2 GB' in the active language's number format (and its units)."""
    if size is None:
        return ""
    for limit, unit in ((TB, _("TB")), (GB, _("GB")), (MB, _("MB")), (KB, _("KB"))):
        if abs(size) >= limit:
            return f"{number_format(round(size / limit, 1), 1)} {unit}"
    return f"{number_format(size)} {_('bytes')}"
