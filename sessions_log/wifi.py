"""Wifi figures for a session, without personal data: totals read from the gateway.

Two sources, one result (WifiTotals: devices, data down and up, most devices at once):
- the client list exported as CSV from the Meraki dashboard (Network-wide > Clients), and
- the Meraki Dashboard API through Cisco's `meraki` library, when an API key is configured.

The client list holds each device's MAC address, name and IP address. None of it leaves this
module: rows are read one at a time, only the usage and first/last seen columns are looked at,
and no message (error, log, exception) ever repeats a cell's content: a cell in the wrong
column could be an address. Imports no models.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions_log.units import parse_size

# A session's client list is a few hundred rows; a file far bigger is not one.
MAX_CSV_BYTES = 5 * 1024 * 1024
# Reported at once, so a file with a systematic problem is fixed in one go.
MAX_ERRORS_SHOWN = 10

# Column names as written in the export, lower-cased with spaces and punctuation removed.
# Sent is what the device sent (uploaded), received what it downloaded: the dashboard counts
# usage from the client's side.
SENT_COLUMNS = {"sent", "usagesent", "sentusage", "upload", "uploaded", "usageup", "sentkb"}
RECEIVED_COLUMNS = {
    "received",
    "recv",
    "usagereceived",
    "usagerecv",
    "receivedusage",
    "download",
    "downloaded",
    "usagedown",
    "receivedkb",
}
USAGE_COLUMNS = {"usage", "usagesentreceived", "usagesentrecv"}
FIRST_SEEN_COLUMNS = {"firstseen", "firstseenat"}
LAST_SEEN_COLUMNS = {"lastseen", "lastseenat"}
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


def _find(header, names):
    for index, name in enumerate(header):
        if _key(name) in names:
            return index
    return None


def _line_error(line, message):
    return _("Line %(line)d: %(problem)s") % {"line": line, "problem": message}


def _size(text):
    text = (text or "").strip()
    if text.lower() in NOTHING:
        return 0
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

    sent_at, received_at = _find(header, SENT_COLUMNS), _find(header, RECEIVED_COLUMNS)
    usage_at = _find(header, USAGE_COLUMNS)
    first_at, last_at = _find(header, FIRST_SEEN_COLUMNS), _find(header, LAST_SEEN_COLUMNS)
    split_columns = sent_at is not None and received_at is not None
    if not split_columns and usage_at is None:
        raise ValidationError(
            _line_error(
                1,
                _(
                    "no usage columns. The file needs Sent and Received columns, or a Usage "
                    'column written as sent / received, e.g. "1.2 MB / 340 KB".'
                ),
            )
        )
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


def _read_row(row, *, split_columns, columns, with_times, start, end, zone):
    """(problem, None) for a wrong row; (None, None) for a device outside the window;
    (None, (sent, received, interval)) otherwise."""
    sent_at, received_at, usage_at, first_at, last_at = columns
    if split_columns:
        cells = (row[sent_at], row[received_at])
    else:
        cells = tuple(row[usage_at].split("/"))
        if len(cells) != 2:
            return (
                _('the Usage column must read sent / received, e.g. "1.2 MB / 340 KB".'),
                None,
            )
    try:
        sent, received = (_size(cell) for cell in cells)
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

# The dashboard keeps client data this long; older sessions are imported from a CSV kept then.
MERAKI_LOOKBACK = timedelta(days=31)
# Five minutes: the finest the usage and client-count histories give.
MERAKI_RESOLUTION = 300


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
            network_id, t0=t0, t1=t1, resolution=7200
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
    """WifiTotals from the three answers of the dashboard (parsed JSON)."""
    try:
        devices = int(overview["counts"]["total"])
        down_kilobits = up_kilobits = 0.0
        for step in usage:
            seconds = (_iso(step["endTs"]) - _iso(step["startTs"])).total_seconds()
            down_kilobits += float(step.get("receivedKbps") or 0) * seconds
            up_kilobits += float(step.get("sentKbps") or 0) * seconds
        peaks = [int(step["clientCount"]) for step in counts if step.get("clientCount") is not None]
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            _("The Meraki dashboard answered in an unexpected form: import the client list.")
        ) from None
    # Kilobits per second are thousands of bits; the stored figure is bytes.
    return WifiTotals(
        devices=devices,
        data_down_bytes=round(down_kilobits * 1000 / 8),
        data_up_bytes=round(up_kilobits * 1000 / 8),
        peak_devices=min(max(peaks), devices) if peaks else None,
    )


def _iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
