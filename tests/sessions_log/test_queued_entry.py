"""The end-of-session form sent from the van page's queue: each submission id is taken once,
refusals come back with each field's message, and a second form for the same session is an
edit only for those who may edit sessions."""

import json
import uuid
from datetime import date, time

import pytest
from django.urls import reverse

from phones.models import VanTap
from sessions_log.models import Session
from tests.sessions_log.factories import make_session, make_site, make_staff
from tests.sessions_log.test_views import COORDINATOR, VOLUNTEER, entry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("december_2025"),
    pytest.mark.urls("tests.sessions_log.urls"),
]


@pytest.fixture
def volunteer(client):
    client.force_login(make_staff(*VOLUNTEER))
    return client


@pytest.fixture
def coordinator(client):
    client.force_login(make_staff(*COORDINATOR))
    return client


@pytest.fixture
def site():
    return make_site(usual_start=time(14, 0), usual_end=time(16, 30))


def queued(client, fields, submission=None):
    body = {"submission": str(submission or uuid.uuid4()), "fields": fields}
    return client.post(
        reverse("sessions_log:record"), json.dumps(body), content_type="application/json"
    )


def test_a_queued_form_records_the_session_and_answers_in_json(volunteer, site):
    response = queued(volunteer, entry(site))

    session = Session.objects.get()
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["replayed"] is False
    assert response.json()["session"] == session.pk
    assert response.json()["url"] == reverse("sessions_log:session_detail", args=[session.pk])
    assert session.people_present == 180
    assert session.data_down_bytes == 11 * 1024**3


def test_the_same_submission_sent_twice_records_one_session_and_one_change(volunteer, site):
    submission = uuid.uuid4()

    first = queued(volunteer, entry(site), submission)
    session = Session.objects.get()
    changed_at = session.updated_at
    again = queued(volunteer, entry(site, people_present="999"), submission)

    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["session"] == first.json()["session"]
    session.refresh_from_db()
    assert Session.objects.count() == 1
    assert (session.people_present, session.updated_at) == (180, changed_at)
    assert VanTap.objects.filter(tap_id=submission).count() == 1
    if hasattr(Session, "history"):  # the audit history, where installed: one entry
        assert session.history.count() == 1


def test_without_javascript_a_form_sent_twice_records_once(volunteer, site):
    data = entry(site, submission=str(uuid.uuid4()))

    first = volunteer.post(reverse("sessions_log:record"), data)
    again = volunteer.post(reverse("sessions_log:record"), data)  # a double tap

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Session.objects.count() == 1


def test_the_record_page_gives_each_form_a_submission_id(volunteer, site):
    page = volunteer.get(reverse("sessions_log:record"), {"site": site.pk}).text

    assert 'name="submission" value="' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"actual_end": "13:00"},
            "actual_end",
            "The session ends before it starts: check the actual start and end times.",
        ),
        ({"people_present": "-5"}, "people_present", "People present (about) cannot be negative."),
        ({"phones_charged": "-1"}, "phones_charged", "Phones charged (about) cannot be negative."),
        ({"data_down_bytes": "900 GB"}, "data_down_bytes", "900.9 GB in one session"),
        (
            {"date": "2025-12-11"},
            "date",
            "This date is in the future: record a session once it has happened.",
        ),
    ],
)
def test_a_refused_queued_form_comes_back_with_the_message_and_saves_nothing(
    volunteer, site, changes, field, message
):
    response = queued(volunteer, entry(site, **changes))

    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert body["code"] == "invalid"
    assert "Some figures need checking" in body["message"]
    assert any(message in text for text in body["errors"][field])
    assert not Session.objects.exists()
    assert not VanTap.objects.exists()


def test_a_refused_form_fixed_and_sent_again_with_its_id_is_recorded(volunteer, site):
    submission = uuid.uuid4()

    refused = queued(volunteer, entry(site, actual_end="13:00"), submission)
    fixed = queued(volunteer, entry(site), submission)

    assert refused.status_code == 400
    assert fixed.status_code == 200
    assert fixed.json()["replayed"] is False
    assert Session.objects.get().actual_end == time(16, 40)


def test_a_second_form_for_the_same_session_is_refused_to_a_volunteer(volunteer, site):
    queued(volunteer, entry(site))

    second = queued(volunteer, entry(site, people_present="200"))

    assert second.status_code == 400
    assert second.json()["errors"]["__all__"] == [
        "This session is already recorded: find it in the list to change it."
    ]
    assert Session.objects.get().people_present == 180


def test_a_second_form_for_the_same_session_corrects_it_for_a_coordinator(coordinator, site):
    first = queued(coordinator, entry(site))

    second = queued(coordinator, entry(site, people_present="200"))

    assert second.status_code == 200
    assert second.json()["session"] == first.json()["session"]
    assert Session.objects.get().people_present == 200


def test_a_form_that_cannot_be_read_is_refused(volunteer):
    for body in ("nope", json.dumps({"fields": {}}), json.dumps({"submission": "x"})):
        response = volunteer.post(
            reverse("sessions_log:record"), body, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["code"] == "bad_entry"
    assert not Session.objects.exists()


def test_a_queued_form_from_someone_signed_out_goes_to_the_login_and_waits(client, site):
    response = queued(client, entry(site))

    # Not JSON: the page's queue keeps the form until the volunteer signs in again.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Session.objects.exists()


def test_staff_who_may_not_record_sessions_are_refused(client, site):
    client.force_login(make_staff("sessions_log.view_session"))

    assert queued(client, entry(site)).status_code == 403
    assert not Session.objects.exists()


def test_the_record_form_shows_the_phones_counted_at_the_van(volunteer, site):
    for _ in range(3):
        VanTap.objects.create(tap_id=uuid.uuid4(), kind="charge", site=site, day=date(2025, 12, 10))
    make_session(make_site(), date=date(2025, 12, 10))  # another site's: not counted

    response = volunteer.get(reverse("sessions_log:record"), {"site": site.pk})

    assert response.context["form"].initial["phones_charged"] == 3
    assert "3 phones counted with the charge button at the van" in response.text


def test_the_session_page_shows_the_phones_counted_at_the_van(volunteer, site):
    for _ in range(2):
        VanTap.objects.create(tap_id=uuid.uuid4(), kind="charge", site=site, day=date(2025, 12, 10))
    queued(volunteer, entry(site, phones_charged=""))
    session = Session.objects.get()

    page = volunteer.get(reverse("sessions_log:session_detail", args=[session.pk])).text

    assert session.phones_charged == 2
    assert "2 counted at the van" in page
