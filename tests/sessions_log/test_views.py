"""The staff pages: one permission check each, a quick entry that says what to fix, the
month's report and its exports."""

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides.models import Place
from sessions_log.models import MonthlyReportNote, Session
from tests.sessions_log.factories import make_place, make_session, make_site, make_staff
from tests.sessions_log.test_wifi_csv import CLIENT_LIST, IDENTIFIERS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("december_2025"),
    pytest.mark.urls("tests.sessions_log.urls"),
]

VOLUNTEER = ("sessions_log.add_session", "sessions_log.view_session", "sessions_log.view_site")
COORDINATOR = (
    *VOLUNTEER,
    "sessions_log.change_session",
    "sessions_log.change_site",
    "sessions_log.add_wifiimport",
    "sessions_log.change_monthlyreportnote",
    "sessions_log.add_monthlyreportnote",
)


@pytest.fixture
def volunteer(client):
    client.force_login(make_staff(*VOLUNTEER))
    return client


@pytest.fixture
def coordinator(client):
    client.force_login(make_staff(*COORDINATOR))
    return client


def entry(site, **changes):
    data = {
        "site": site.pk,
        "date": "2025-12-10",
        "planned_start": "14:00",
        "planned_end": "16:30",
        "status": "held",
        "actual_start": "14:10",
        "actual_end": "16:40",
        "people_present": "180",
        "women_space_users": "22",
        "team_size": "6",
        "phones_charged": "140",
        "devices_connected": "95",
        "peak_devices": "60",
        "data_down_bytes": "11 GB",
        "data_up_bytes": "900 MB",
        "generator_hours": "2.5",
        "incidents": "",
        "notes": "",
    }
    data.update(changes)
    return data


PAGES = [
    ("sessions_log:record", (), "sessions_log.add_session"),
    ("sessions_log:month_report", (), "sessions_log.view_session"),
    ("sessions_log:month_print", (), "sessions_log.view_session"),
    ("sessions_log:month_csv", (), "sessions_log.view_session"),
    ("sessions_log:month_xlsx", (), "sessions_log.view_session"),
]


@pytest.mark.parametrize(("name", "args", "permission"), PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, name, args, permission):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("name", "args", "permission"), PAGES)
def test_staff_without_the_permission_are_refused(client, name, args, permission):
    client.force_login(make_staff())

    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args", "permission"), PAGES)
def test_staff_with_the_permission_get_in(client, name, args, permission):
    client.force_login(make_staff(permission))

    assert client.get(reverse(name, args=args)).status_code == 200


def test_a_translator_cannot_open_the_session_of_the_day(client):
    session = make_session()
    client.force_login(make_staff("guides.change_service"))

    assert client.get(reverse("sessions_log:session_detail", args=[session.pk])).status_code == 403


def test_the_first_tap_is_where_the_bus_is(volunteer):
    make_site(name="BMX / Stadium")
    make_site(name="Verrotières")

    response = volunteer.get(reverse("sessions_log:record"))

    assert "Where is the bus?" in response.text
    assert 'name="people_present"' not in response.text


def test_choosing_the_site_fills_in_today_and_its_usual_times(volunteer):
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))

    response = volunteer.get(reverse("sessions_log:record"), {"site": site.pk})

    form = response.context["form"]
    assert form.initial["date"] == date(2025, 12, 10)
    assert form.initial["actual_start"] == time(14, 0)
    assert 'inputmode="numeric"' in response.text
    assert 'name="people_present"' in response.text


def test_a_volunteer_records_a_session_from_a_phone(volunteer):
    site = make_site()

    response = volunteer.post(reverse("sessions_log:record"), entry(site))

    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_log:session_detail", args=[session.pk])
    assert session.people_present == 180
    assert session.data_down_bytes == 11 * 1024**3
    assert session.wifi_source == Session.WifiSource.TYPED
    assert session.recorded_by is not None


def test_nonsense_is_sent_back_with_a_clear_message_and_nothing_saved(volunteer):
    site = make_site()

    response = volunteer.post(
        reverse("sessions_log:record"),
        entry(site, actual_end="13:00", data_down_bytes="900 GB", people_present="-5"),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["actual_end"] == [
        "The session ends before it starts: check the actual start and end times."
    ]
    assert "People present (about) cannot be negative." in errors["people_present"]
    assert "900.9 GB in one session" in errors["data_down_bytes"][0]
    assert "Some figures need checking" in response.text
    assert not Session.objects.exists()


def test_a_size_that_is_not_one_is_explained(volunteer):
    response = volunteer.post(
        reverse("sessions_log:record"), entry(make_site(), data_down_bytes="lots")
    )

    assert response.context["form"].errors["data_down_bytes"] == [
        'Write a size such as "900 MB" or "11 GB" (a plain number means MB).'
    ]


def test_a_cancelled_session_is_recorded_with_its_reason_only(volunteer):
    site = make_site()
    data = entry(site, status="cancelled", cancel_reason="weather")
    for name in (
        "actual_start",
        "actual_end",
        "people_present",
        "women_space_users",
        "phones_charged",
        "devices_connected",
        "peak_devices",
        "data_down_bytes",
        "data_up_bytes",
        "generator_hours",
    ):
        data[name] = ""

    response = volunteer.post(reverse("sessions_log:record"), data)

    assert response.status_code == 302
    assert Session.objects.get().cancel_reason == "weather"


def test_a_cancelled_session_with_people_is_sent_back(volunteer):
    response = volunteer.post(
        reverse("sessions_log:record"),
        entry(
            make_site(), status="cancelled", cancel_reason="police", actual_start="", actual_end=""
        ),
    )

    assert response.status_code == 400
    assert "The session was cancelled" in response.context["form"].errors["people_present"][0]


def test_a_coordinator_corrects_a_session_in_the_admin(coordinator):
    session = make_session(data_down_bytes=2 * 1024**3)
    url = reverse("admin:sessions_log_session_change", args=[session.pk])

    page = coordinator.get(url)
    assert 'value="2.0 GB"' in page.text
    data = {
        "site": session.site_id,
        "date": "2025-11-03",
        "planned_start": "14:00",
        "planned_end": "16:30",
        "status": "held",
        "cancel_reason": "",
        "actual_start": "14:00",
        "actual_end": "16:30",
        "people_present": "140",
        "data_down_bytes": "3 GB",
        "data_up_bytes": "",
        "wifi_source": "typed",
    }
    response = coordinator.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    session.refresh_from_db()
    assert (session.people_present, session.data_down_bytes) == (140, 3 * 1024**3)


def test_the_client_list_is_imported_from_the_session_page(coordinator):
    site = make_site(usual_start=time(14, 0), usual_end=time(16, 30))
    session = make_session(site, date=date(2025, 11, 3))
    upload = SimpleUploadedFile("clients.csv", CLIENT_LIST, content_type="text/csv")

    response = coordinator.post(
        reverse("sessions_log:import_client_list", args=[session.pk]), {"client_list": upload}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.devices_connected == 4


def test_a_wrong_client_list_is_sent_back_with_the_line_and_no_address(coordinator):
    session = make_session(date=date(2025, 11, 3))
    broken = CLIENT_LIST.replace(b"800 KB / 45 MB", b"3c:2e:ff:10:aa:03 / x")
    upload = SimpleUploadedFile("clients.csv", broken, content_type="text/csv")

    response = coordinator.post(
        reverse("sessions_log:import_client_list", args=[session.pk]), {"client_list": upload}
    )

    assert response.status_code == 400
    assert "Line 4: a usage is not a size" in response.text
    for identifier in IDENTIFIERS:
        assert identifier.lower() not in response.text.lower()
    session.refresh_from_db()
    assert session.devices_connected is None


def test_a_file_far_too_big_is_refused_before_it_is_read(coordinator, monkeypatch):
    from sessions_log import wifi

    monkeypatch.setattr(wifi, "MAX_CSV_BYTES", 100)
    monkeypatch.setattr("sessions_log.forms.MAX_CSV_BYTES", 100)
    session = make_session(date=date(2025, 11, 3))
    upload = SimpleUploadedFile("clients.csv", CLIENT_LIST, content_type="text/csv")

    response = coordinator.post(
        reverse("sessions_log:import_client_list", args=[session.pk]), {"client_list": upload}
    )

    assert response.status_code == 400
    assert "it is not a session&#x27;s client list" in response.text


def test_the_meraki_button_shows_only_when_a_key_is_configured(coordinator, settings):
    session = make_session()
    url = reverse("sessions_log:session_detail", args=[session.pk])

    assert "Fetch the totals" not in coordinator.get(url).text
    settings.MERAKI_API_KEY, settings.MERAKI_NETWORK_ID = "key", "L_1"
    assert "Fetch the totals from the Meraki dashboard" in coordinator.get(url).text


def test_a_coordinator_moves_a_site_and_the_guide_follows(coordinator):
    old = make_place(name="Rue des Verrotières")
    site = make_site(old)
    new = make_place(old.area, name="Old hospital")

    response = coordinator.post(
        reverse("sessions_log:move_site", args=[site.pk]),
        {"new_place": new.pk, "on": "2025-12-09", "note": "eviction"},
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.moved_to) == (Place.Status.MOVED, new)


def test_a_volunteer_cannot_move_a_site(volunteer):
    site = make_site()

    response = volunteer.get(reverse("sessions_log:move_site", args=[site.pk]))

    assert response.status_code == 403


def test_the_report_page_shows_the_charts_and_the_texts(coordinator):
    make_session(date=date(2025, 11, 3), people_present=120)

    response = coordinator.get(reverse("sessions_log:month_report"), {"month": "2025-11"})

    assert response.status_code == 200
    assert response.text.count('class="chart"') == 2
    assert "In November the bus held 1 session at 1 site." in response.text
    assert "<textarea" in response.text
    assert "@media print" in response.text
    # Nothing on the page comes from elsewhere.
    assert "https://" not in response.text.replace("http://www.w3.org/2000/svg", "")


def test_the_report_defaults_to_last_month(volunteer):
    response = volunteer.get(reverse("sessions_log:month_report"))

    assert (response.context["report"].year, response.context["report"].month) == (2025, 11)


def test_a_volunteer_reads_the_text_but_cannot_edit_it(volunteer):
    response = volunteer.get(reverse("sessions_log:month_report"), {"month": "2025-11"})

    assert "<textarea" not in response.text
    post = volunteer.post(
        reverse("sessions_log:save_month_text") + "?month=2025-11",
        {"language": "en", "text": "Mine"},
    )
    assert post.status_code == 403


def test_the_edited_text_is_saved_per_month_and_language(coordinator):
    url = reverse("sessions_log:save_month_text") + "?month=2025-11"

    response = coordinator.post(url, {"language": "fr", "text": "En novembre, le bus…"})

    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_log:month_report") + "?month=2025-11"
    note = MonthlyReportNote.objects.get()
    assert (note.year, note.month, note.language, note.text) == (
        2025,
        11,
        "fr",
        "En novembre, le bus…",
    )
    page = coordinator.get(reverse("sessions_log:month_print"), {"month": "2025-11"})
    assert "En novembre, le bus…" in page.text


def test_the_exports_download_as_files(volunteer):
    make_session(date=date(2025, 11, 3))

    csv_response = volunteer.get(reverse("sessions_log:month_csv"), {"month": "2025-11"})
    xlsx_response = volunteer.get(reverse("sessions_log:month_xlsx"), {"month": "2025-11"})

    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="infobus-sessions-2025-11.csv"' in csv_response["Content-Disposition"]
    assert b"All sites,Sessions held,,1,0,1" in csv_response.content
    assert xlsx_response.content[:2] == b"PK"


def test_the_report_page_costs_a_bounded_number_of_queries(
    volunteer, django_assert_max_num_queries
):
    site = make_site()
    for day in range(1, 29):
        make_session(site, date=date(2025, 11, day))

    with django_assert_max_num_queries(30):
        volunteer.get(reverse("sessions_log:month_report"), {"month": "2025-11"})
