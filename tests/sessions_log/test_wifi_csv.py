"""The gateway's client list gives totals only: no device's address or name is ever kept,
logged or repeated, and a wrong line changes nothing and is named by its number.

The recorded client lists are constructed: the column names of the dashboard's CSV export are
NOT verified against a real export or a published description (none was found; see
sessions_log/wifi.py CLIENT_LIST_COLUMNS and recordings/README.md). What these tests pin is
how the names listed there are read, and that any other layout is refused with the names
looked for and the names found.
"""

import logging
from datetime import date, time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers import serialize

from sessions_log import services
from sessions_log.models import Session, WifiImport
from sessions_log.units import GB, KB, MB
from tests.sessions_log.factories import make_session, make_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december_2025")]

RECORDINGS = Path(__file__).parent / "recordings"
CLIENT_LIST = (RECORDINGS / "clients_2025-11-03.csv").read_bytes()
# Every identifying value in the recorded client list.
IDENTIFIERS = [
    "3c:2e:ff",
    "aa:01",
    "10.80.12",
    "Galaxy-A12",
    "android-91be",
    "cracked screen",
    "Redmi",
    "TECNO",
    "Infobus-MR74",
]


@pytest.fixture
def session():
    # The client list covers 2025-11-03; the session ran 14:00–16:30 there.
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    return make_session(site, date=date(2025, 11, 3), people_present=60)


def assert_nothing_identifying(text):
    for identifier in IDENTIFIERS:
        assert identifier.lower() not in text.lower(), identifier


def test_the_client_list_gives_the_sessions_totals(session):
    record = services.import_client_list(session=session, data=CLIENT_LIST, user=None)

    # Four devices met the window; the Redmi left at 12:30, before the session.
    assert (record.devices, record.rows_read, record.rows_outside) == (4, 5, 1)
    # Usage is "sent / received": received is what the devices downloaded.
    assert record.data_down_bytes == round(340.2 * MB) + round(1.1 * GB) + 45 * MB + 0
    assert record.data_up_bytes == round(12.5 * MB) + 3 * MB + 800 * KB + 0
    # 15:00–15:10 and 16:00–16:20 each had three devices on at once.
    assert record.peak_devices == 3
    session.refresh_from_db()
    assert session.devices_connected == 4
    assert session.peak_devices == 3
    assert session.data_down_bytes == record.data_down_bytes
    assert session.data_up_bytes == record.data_up_bytes
    assert session.wifi_source == Session.WifiSource.CSV


def test_no_address_or_device_name_reaches_the_database(session):
    services.import_client_list(session=session, data=CLIENT_LIST, user=None)

    stored = serialize("json", [*Session.objects.all(), *WifiImport.objects.all()])
    assert_nothing_identifying(stored)


def test_no_address_or_device_name_reaches_the_logs(session, caplog):
    caplog.set_level(logging.DEBUG)
    broken = CLIENT_LIST.replace(b"3 MB / 1.1 GB", b"3c:2e:ff:10:aa:02")

    services.import_client_list(session=session, data=CLIENT_LIST, user=None)
    with pytest.raises(ValidationError):
        services.import_client_list(session=session, data=broken, user=None)

    assert_nothing_identifying(caplog.text)


def test_a_malformed_row_changes_nothing_and_names_its_line(session):
    services.import_client_list(session=session, data=CLIENT_LIST, user=None)
    before = Session.objects.values().get(pk=session.pk)
    # Line 4 (the iPhone) has an address where its usage should be.
    broken = CLIENT_LIST.replace(b"800 KB / 45 MB", b"3c:2e:ff:10:aa:03 / x")

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=broken, user=None)

    assert refused.value.messages == ['Line 4: a usage is not a size such as "1.2 MB" or "340 KB".']
    assert_nothing_identifying(" ".join(refused.value.messages))
    assert Session.objects.values().get(pk=session.pk) == before
    assert WifiImport.objects.count() == 1


def test_every_wrong_line_is_listed(session):
    lines = CLIENT_LIST.decode().splitlines()
    lines[1] = lines[1].replace("2025-11-03 15:10:42", "yesterday")
    lines[4] = ",".join(lines[4].split(",")[:5])
    broken = "\n".join(lines).encode()

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=broken, user=None)

    assert refused.value.messages == [
        'Line 2: a first or last seen time is not a date and time like "2025-11-03 14:05".',
        "Line 5: it has 5 columns where the first line has 11.",
    ]
    assert WifiImport.objects.count() == 0


def test_a_file_without_usage_columns_is_refused_naming_what_was_looked_for_and_found(session):
    data = b"Description,MAC address,Total (kB)\nGalaxy-A12,3c:2e:ff:10:aa:01,1200\n"

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert refused.value.messages == [
        "Line 1: no usage columns. The file needs Sent and Received columns, or a Usage column "
        'written as sent / received, e.g. "1.2 MB / 340 KB". Looked for: Sent, Usage sent, '
        "Sent usage, Upload, Uploaded, Usage up; Received, Recv, Usage received, Usage recv, "
        "Received usage, Download, Downloaded, Usage down; Usage, Usage sent / received, "
        "Usage sent / recv. Columns in this file: Description, MAC address, Total (kB)."
    ]
    assert_nothing_identifying(" ".join(refused.value.messages))
    assert WifiImport.objects.count() == 0


def test_a_sent_column_without_a_received_one_names_the_missing_column(session):
    data = b"Description,Sent (kB)\nGalaxy-A12,1200\n"

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert refused.value.messages == [
        "Line 1: a Sent column but no Received column (looked for: Received, Recv, Usage "
        "received, Usage recv, Received usage, Download, Downloaded, Usage down). Columns in "
        "this file: Description, Sent (kB)."
    ]


def test_a_file_without_its_line_of_column_names_is_refused_without_repeating_it(session):
    data = b"Galaxy-A12,3c:2e:ff:10:aa:01,10.80.12.14,12.5 MB / 340.2 MB\n"

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert refused.value.messages == [
        "Line 1: this line is a device, not the column names: export the client list again, "
        "with its first line of column names."
    ]
    assert_nothing_identifying(" ".join(refused.value.messages))


def test_a_column_name_that_is_not_shaped_like_one_is_shown_by_position_only(session):
    data = b"iPhone: cracked screen,Description\nx,y\n"

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert refused.value.messages[0].endswith("Columns in this file: column 1, Description.")
    assert_nothing_identifying(" ".join(refused.value.messages))


def test_bare_numbers_take_the_unit_the_column_name_gives(session):
    data = b"Description,Sent (kB),Received (kB)\nGalaxy-A12,1200,350000.5\nRedmi,0,-\n"

    record = services.import_client_list(session=session, data=data, user=None)

    assert record.devices == 2
    assert record.data_up_bytes == 1200 * KB
    assert record.data_down_bytes == round(350000.5 * KB)


def test_a_bare_number_in_a_column_without_a_unit_is_refused_not_guessed(session):
    data = b"Description,Sent,Received\nGalaxy-A12,1200,35 MB\nRedmi,0,0\n"

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert refused.value.messages == [
        'Line 2: a usage is a number without a unit: write it as "1.2 MB" or "340 KB", or put '
        'the unit in the column name, e.g. "Sent (kB)".'
    ]
    assert WifiImport.objects.count() == 0


def test_sent_and_received_columns_and_french_units_are_read(session):
    data = (RECORDINGS / "clients_split_columns.csv").read_bytes()

    record = services.import_client_list(session=session, data=data, user=None)

    assert record.devices == 2
    assert record.data_up_bytes == round(1.5 * MB) + 2 * MB
    assert record.data_down_bytes == 120 * MB + GB
    # Without first and last seen times, the most at once cannot be known.
    assert record.peak_devices is None


def test_a_client_list_claiming_900_gb_is_refused(session):
    data = CLIENT_LIST.replace(b"3 MB / 1.1 GB", b"3 MB / 900 GB")

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=data, user=None)

    assert "more than the gateway can move" in " ".join(refused.value.messages)
    session.refresh_from_db()
    assert session.data_down_bytes is None
    assert WifiImport.objects.count() == 0


def test_a_cancelled_session_takes_no_wifi_figures():
    session = make_session(status=Session.Status.CANCELLED)

    with pytest.raises(ValidationError) as refused:
        services.import_client_list(session=session, data=CLIENT_LIST, user=None)

    assert refused.value.messages == ["This session was cancelled: it has no wifi figures."]
