"""Wifi figures for a session, without personal data: totals read from the gateway.

Two sources, one result (WifiTotals: devices, data down and up, most devices at once):
- the client list exported as CSV from the Meraki dashboard (Network-wide > Clients), and
- the Meraki Dashboard API through Cisco's `meraki` library, when an API key is configured.

The client list holds each device's MAC address, name and IP address. None of it leaves this
module: rows are read one at a time, only the usage and first/last seen columns are looked at,
and no message (error, log, exception) ever repeats a device row's content: a cell in the wrong
column could be an address. The one exception is the first line's column names, named back
when the usage columns are missing, and only when that line holds no address (else it is a
device, not a header) and the name is shaped like a column name. Imports no models.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_log.units import KB, UNITS, parse_size

# A session's client list is a few hundred rows; a file far bigger is not one.
MAX_CSV_BYTES = 5 * 1024 * 1024
# Reported at once, so a file with a systematic problem is fixed in one go.
MAX_ERRORS_SHOWN = 10

# The client list's column names, in this one place. NOT VERIFIED against a real export: no
# published description of the header the dashboard writes (Network-wide > Clients >
# Download as CSV) was found, neither in Meraki's documentation nor in public pages, so these
# are the names the dashboard's client table shows plus likely variants. A file that has none
# of them is refused with the names looked for and the names the file has (see
# _missing_columns), so a real export's header can be added here in a minute.
# Names are compared lower-cased with spaces and punctuation removed; a unit in brackets at
# the end ("Sent (kB)") is taken off first and gives the unit of bare numbers in that column.
# Sent is what the device sent (uploaded), received what it downloaded: the dashboard counts
# usage from the client's side.
CLIENT_LIST_COLUMNS = {
    "sent": ("Sent", "Usage sent", "Sent usage", "Upload", "Uploaded", "Usage up"),
    "received": (
        "Received",
        "Recv",
        "Usage received",
        "Usage recv",
        "Received usage",
        "Download",
        "Downloaded",
        "Usage down",
    ),
    # One column written "sent / received", e.g. "1.2 MB / 340 KB".
    "usage": ("Usage", "Usage sent / received", "Usage sent / recv"),
    "first_seen": ("First seen", "First seen at"),
    "last_seen": ("Last seen", "Last seen at"),
}
# A unit closing a column name: "Sent (kB)", "Received [MB]".
HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[]\s*(?P<unit>[a-zA-Z]+)\s*[)\]]\s*$")
# What a device's row has and a header never does: a MAC or an IPv4 address.
ADDRESS = re.compile(r"^\s*(?:[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}|\d{1,3}(?:\.\d{1,3}){3})\s*$")
# A header cell shown back in an error: a column name, not something a device wrote.
BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
SHOWABLE_NAME = re.compile(r"^[^\W_][\w ()\[\]/.-]{0,39}$")
NOTHING = {"", "-", "—", "n/a", "none"}

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%b %d %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%b %d %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
)


@dataclass(frozen=True)
class WifiTotals:
    devices: int
    data_down_bytes: int
    data_up_bytes: int
    peak_devices: int | None
    rows_read: int = 0
    rows_outside: int = 0


def _key(name):
    return "".join(ch for ch in (name or "").lower() if ch.isalnum())


def _column(name):
    """(comparison key, bytes per unit named at the end of the column name, or None)."""
    match = HEADER_UNIT.match(name or "")
    if match and match["unit"].lower() in UNITS:
        return _key(match["name"]), UNITS[match["unit"].lower()]
    return _key(name), None


def _find(columns, role):
    """(index, unit) of the first column named as CLIENT_LIST_COLUMNS[role] says."""
    names = {_key(name) for name in CLIENT_LIST_COLUMNS[role]}
    for index, (key, unit) in enumerate(columns):
        if key in names:
            return index, unit
    return None, None


def _file_columns(header):
    """The file's column names for an error message. A cell not shaped like a column name is
    shown by its position only: it could be a device's name."""
    return ", ".join(
        name.strip()
        if SHOWABLE_NAME.match(name.strip())
        else _("column %(number)d") % {"number": number}
        for number, name in enumerate(header, start=1)
    )


def _missing_columns(header, *, sent_at, received_at):
    """The message for a first line without the usage columns: what was looked for, what the
    file has (so a real export's header can be added to CLIENT_LIST_COLUMNS)."""
    if any(ADDRESS.match(cell) for cell in header):
        return _line_error(
            1,
            _(
                "this line is a device, not the column names: export the client list again, "
                "with its first line of column names."
            ),
        )
    found = _file_columns(header)
    if sent_at is not None:
        problem = _(
            "a Sent column but no Received column (looked for: %(names)s). Columns in this "
            "file: %(found)s."
        ) % {"names": ", ".join(CLIENT_LIST_COLUMNS["received"]), "found": found}
    elif received_at is not None:
        problem = _(
            "a Received column but no Sent column (looked for: %(names)s). Columns in this "
            "file: %(found)s."
        ) % {"names": ", ".join(CLIENT_LIST_COLUMNS["sent"]), "found": found}
    else:
        problem = _(
            "no usage columns. The file needs Sent and Received columns, or a Usage column "
            'written as sent / received, e.g. "1.2 MB / 340 KB". Looked for: %(sent)s; '
            "%(received)s; %(usage)s. Columns in this file: %(found)s."
        ) % {
            "sent": ", ".join(CLIENT_LIST_COLUMNS["sent"]),
            "received": ", ".join(CLIENT_LIST_COLUMNS["received"]),
            "usage": ", ".join(CLIENT_LIST_COLUMNS["usage"]),
            "found": found,
        }
    return _line_error(1, problem)


def _line_error(line, message):
    return _("Line %(line)d: %(problem)s") % {"line": line, "problem": message}


class _NoUnit(ValueError):
    pass


def _size(text, unit):
    """A usage cell in bytes. A bare number takes the unit the column name gives ("Sent (kB)");
    with none given it is refused rather than guessed (the dashboard counts in KB, a person in
    MB: a factor of a thousand either way)."""
    text = (text or "").strip()
    if text.lower() in NOTHING:
        return 0
    bare = BARE_NUMBER.match(text)
    if bare and unit is not None:
        return int((Decimal(text.replace(",", ".")) * unit).to_integral_value())
    if bare and Decimal(text.replace(",", ".")) != 0:
        raise _NoUnit("no unit")
    return parse_size(text)


def _moment(text, *, year, zone):
    """A first/last seen cell as an aware datetime; naive times are the network's local time."""
    text = (text or "").strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        for pattern in (*DATETIME_FORMATS, "%b %d %H:%M", "%b %d %H:%M:%S"):
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if "%Y" not in pattern:
                moment = moment.replace(year=year)
            break
        if moment is None:
            raise ValueError("not a time") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    return moment


def _decode(data):
    # Saved again from a spreadsheet, it may be in Windows' encoding; names are not read, so
    # a wrong guess there does no harm, and latin-1 decodes anything.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _peak(intervals):
    """Most intervals open at once; touching intervals count as overlapping."""
    events = sorted(
        [(start, 0) for start, _end in intervals] + [(end, 1) for _start, end in intervals]
    )
    peak = current = 0
    for _at, kind in events:
        current += 1 if kind == 0 else -1
        peak = max(peak, current)
    return peak


def read_client_list(data, *, start, end):
    """Totals from a Meraki client list export (bytes of a CSV file) for the window
    [start, end) (aware datetimes).

    Devices whose first and last seen times do not meet the window are left out (when the
    export has those columns; otherwise every row counts and the peak is unknown). Usage is
    taken from Sent and Received columns, or from a Usage column written "sent / received"
    (e.g. "1.2 MB / 340 KB"). Raises ValidationError listing the lines that are wrong and why;
    then nothing is to be saved.
    """
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(
            _("This file is bigger than %(mb)d MB: it is not a session's client list.")
            % {"mb": MAX_CSV_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationError(_("The file is empty: export the client list again.")) from None

    columns = [_column(name) for name in header]
    sent_at, sent_unit = _find(columns, "sent")
    received_at, received_unit = _find(columns, "received")
    usage_at, usage_unit = _find(columns, "usage")
    first_at, _unit = _find(columns, "first_seen")
    last_at, _unit = _find(columns, "last_seen")
    split_columns = sent_at is not None and received_at is not None
    if not split_columns and usage_at is None:
        raise ValidationError(_missing_columns(header, sent_at=sent_at, received_at=received_at))
    with_times = first_at is not None and last_at is not None
    zone = timezone.get_current_timezone()

    errors, intervals = [], []
    devices = down = up = rows = outside = 0
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append(_line_error(reader.line_num, _("this line is not valid CSV.")))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) != len(header):
            errors.append(
                _line_error(
                    line,
                    _("it has %(found)d columns where the first line has %(expected)d.")
                    % {"found": len(row), "expected": len(header)},
                )
            )
        else:
            problem, figures = _read_row(
                row,
                split_columns=split_columns,
                columns=(sent_at, received_at, usage_at, first_at, last_at),
                units=(sent_unit, received_unit, usage_unit),
                with_times=with_times,
                start=start,
                end=end,
                zone=zone,
            )
            if problem:
                errors.append(_line_error(line, problem))
            elif figures is None:
                outside += 1
            else:
                sent, received, interval = figures
                devices += 1
                up += sent
                down += received
                if interval:
                    intervals.append(interval)
        if len(errors) >= MAX_ERRORS_SHOWN:
            errors.append(_("Stopped after %(count)d errors.") % {"count": len(errors)})
            break
    if errors:
        raise ValidationError(errors)
    if rows == 0:
        raise ValidationError(_("The file has no devices in it: export the client list again."))
    return WifiTotals(
        devices=devices,
        data_down_bytes=down,
        data_up_bytes=up,
        peak_devices=_peak(intervals) if with_times else None,
        rows_read=rows,
        rows_outside=outside,
    )


def _read_row(row, *, split_columns, columns, units, with_times, start, end, zone):
    """(problem, None) for a wrong row; (None, None) for a device outside the window;
    (None, (sent, received, interval)) otherwise."""
    sent_at, received_at, usage_at, first_at, last_at = columns
    sent_unit, received_unit, usage_unit = units
    if split_columns:
        cells = (row[sent_at], row[received_at])
        cell_units = (sent_unit, received_unit)
    else:
        cell_units = (usage_unit, usage_unit)
        cells = tuple(row[usage_at].split("/"))
        if len(cells) != 2:
            return (
                _('the Usage column must read sent / received, e.g. "1.2 MB / 340 KB".'),
                None,
            )
    try:
        sent, received = (_size(cell, unit) for cell, unit in zip(cells, cell_units, strict=True))
    except _NoUnit:
        return _(
            'a usage is a number without a unit: write it as "1.2 MB" or "340 KB", or put '
            'the unit in the column name, e.g. "Sent (kB)".'
        ), None
    except ValueError:
        return _('a usage is not a size such as "1.2 MB" or "340 KB".'), None
    interval = None
    if with_times:
        try:
            first = _moment(row[first_at], year=start.year, zone=zone)
            last = _moment(row[last_at], year=start.year, zone=zone)
        except ValueError:
            return _(
                'a first or last seen time is not a date and time like "2025-11-03 14:05".'
            ), None
        if last < first:
            return _("the device was last seen before it was first seen."), None
        if last < start or first >= end:
            return None, None
        interval = (max(first, start), min(last, end))
    return None, (sent, received, interval)


# --- Meraki Dashboard API -------------------------------------------------------------------
#
# Checked against Meraki's OpenAPI description of the Dashboard API v1 (github.com/meraki/
# openapi, openapi/spec2.json at 9d78018d6f2936b67abb4a907a2e5a6c61c2ddba, v1.44.0; the same in
# spec3.json v1.42.0) and the installed `meraki` library (API 1.75.1):
# - getNetworkClientsOverview: counts.total is "the total number of clients on a network" over
#   the time range; resolution one of 7200, 86400, 604800, a month.
# - getNetworkWirelessUsageHistory: per step startTs, endTs, sentKbps, receivedKbps, which the
#   schema describes as "kilobytes-per-second"; resolution one of 300, 600, 1200, 3600, 14400,
#   86400.
# - getNetworkWirelessClientCountHistory: per step startTs, endTs, clientCount ("number of
#   connected clients"); same resolutions.
# None of the three is paginated (the library makes one GET, no total_pages), and all take
# t0/t1 as ISO 8601 strings, at most 31 days back.

# The dashboard keeps client data this long; older sessions are imported from a CSV kept then.
MERAKI_LOOKBACK = timedelta(days=31)
# Five minutes: the finest the usage and client-count histories give.
MERAKI_RESOLUTION = 300
# Two hours: the finest the clients overview takes.
MERAKI_OVERVIEW_RESOLUTION = 7200
# The usage history's rates are kilobytes per second (the schema's words, despite "Kbps" in
# the field names); a kilobyte is 1024 bytes here as everywhere in this app (units.KB).
MERAKI_USAGE_BYTES_PER_UNIT_SECOND = KB


def _meraki_dashboard(api_key):
    """Cisco's client, quiet: no log files, no console output, no rate-limit cache on disk,
    and none of the extra look-ups its "smart flow" makes."""
    import meraki

    return meraki.DashboardAPI(
        api_key=api_key,
        output_log=False,
        print_console=False,
        suppress_logging=True,
        smart_flow_enabled=False,
        maximum_retries=2,
        single_request_timeout=30,
        caller="Infobus RefugeeInfoBus",
    )


def fetch_meraki_totals(*, api_key, network_id, start, end, now=None):
    """Totals for [start, end) from the Meraki Dashboard API for one network.

    Three read-only calls: the clients overview (devices seen), the wireless usage history
    (data sent and received, summed over five-minute steps) and the wireless client-count
    history (most devices at once). None returns a device's address. Raises ValidationError
    with a message for the volunteer when the dashboard cannot answer.
    """
    import httpx
    import meraki

    now = now or timezone.now()
    if start < now - MERAKI_LOOKBACK:
        raise ValidationError(
            _(
                "The Meraki dashboard keeps only the last %(days)d days: import the client "
                "list saved at the time instead."
            )
            % {"days": MERAKI_LOOKBACK.days}
        )
    t0 = start.astimezone(UTC).isoformat().replace("+00:00", "Z")
    t1 = end.astimezone(UTC).isoformat().replace("+00:00", "Z")
    dashboard = _meraki_dashboard(api_key)
    try:
        overview = dashboard.networks.getNetworkClientsOverview(
            network_id, t0=t0, t1=t1, resolution=MERAKI_OVERVIEW_RESOLUTION
        )
        usage = dashboard.wireless.getNetworkWirelessUsageHistory(
            network_id, t0=t0, t1=t1, resolution=MERAKI_RESOLUTION
        )
        counts = dashboard.wireless.getNetworkWirelessClientCountHistory(
            network_id, t0=t0, t1=t1, resolution=MERAKI_RESOLUTION
        )
    except meraki.APIError as error:
        # The status only: the body is the dashboard's, and is not ours to show or log.
        raise ValidationError(
            _(
                "The Meraki dashboard refused the request (HTTP %(status)s): check the API key "
                "and network id, or import the client list instead."
            )
            % {"status": error.status}
        ) from None
    except httpx.HTTPError:
        raise ValidationError(
            _("The Meraki dashboard could not be reached: import the client list instead.")
        ) from None
    finally:
        dashboard._session.close()
    return totals_from_meraki(overview=overview, usage=usage, counts=counts)


def totals_from_meraki(*, overview, usage, counts):
    """WifiTotals from the three answers of the dashboard (parsed JSON), read as the OpenAPI
    schema above describes them."""
    try:
        devices = int(overview["counts"]["total"])
        down_kilobytes = up_kilobytes = 0.0
        for step in usage:
            seconds = (_iso(step["endTs"]) - _iso(step["startTs"])).total_seconds()
            if seconds <= 0:
                raise ValueError("step ends before it starts")
            down_kilobytes += float(step.get("receivedKbps") or 0) * seconds
            up_kilobytes += float(step.get("sentKbps") or 0) * seconds
        peaks = [int(step["clientCount"]) for step in counts if step.get("clientCount") is not None]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ValidationError(
            _("The Meraki dashboard answered in an unexpected form: import the client list.")
        ) from None
    if devices < 0 or down_kilobytes < 0 or up_kilobytes < 0 or any(peak < 0 for peak in peaks):
        raise ValidationError(
            _("The Meraki dashboard answered in an unexpected form: import the client list.")
        )
    return WifiTotals(
        devices=devices,
        data_down_bytes=round(down_kilobytes * MERAKI_USAGE_BYTES_PER_UNIT_SECOND),
        data_up_bytes=round(up_kilobytes * MERAKI_USAGE_BYTES_PER_UNIT_SECOND),
        # Client counts are per step; the overview counts every device over the window, so
        # the most at once can be no more than that.
        peak_devices=min(max(peaks), devices) if peaks else None,
    )


def _iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
