"""Every form, fed odd values: it either saves everything it should, or refuses with a
message on the field at fault and changes nothing. Never a server error."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from guides.models import InfoPage, Report
from phones.models import RepairTicket, StockItem, StockMovement
from sessions_log.models import MonthlyReportNote, Session, SitePlace
from tests.conftest import pass_second_factor
from tests.factories import make_area, make_place, make_service, make_user
from tests.guides.translation_support import form_data
from tests.phones.factories import make_fault, make_stock_item
from tests.properties.helpers import (
    MISSING,
    NOT_DATA,
    assert_clear_errors,
    changed_tables,
    fingerprint,
    is_history,
    odd_date,
    odd_number,
    odd_text,
    odd_time,
    post_data,
    rolled_back,
)
from tests.sessions_log.factories import make_site

pytestmark = pytest.mark.django_db


def field_values(valid, odd):
    """Each field valid, odd (of its kind) or missing: the valid value half the time, so that
    both accepted and refused forms are explored."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), st.just(value), odd[name], st.just(MISSING))
            for name, value in valid.items()
        }
    )


def one_field_wrong(valid, odd):
    """The valid form with one field made odd or left out: (field, values)."""
    return st.sampled_from(sorted(valid)).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.one_of(odd[name], st.just(MISSING)).map(lambda value: {**valid, name: value}),
        )
    )


def holds_nul(values):
    return any("\x00" in value for value in post_data(values).values())


def assert_refused_for_nul(response, changed):
    """A NUL in any field never reaches a form: infobus.middleware.RefuseNulMiddleware answers
    a plain 400 first (PostgreSQL cannot hold NUL), and nothing is written."""
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.context is None
    assert changed == set()


@pytest.fixture
def staff_client(db):
    # A superuser: these tests are about input, the role tests pin who may post what.
    user = make_user("hypothesis", is_superuser=True)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    pass_second_factor(client, user)
    return client


# --- The public report form (guides/views.py report) ----------------------------------------


@pytest.fixture
def service():
    return make_service(area=make_area(slug="calais"))


REPORT_VALID = {"problem": "closed", "details": "Closed since Monday"}
REPORT_ODD = {
    "problem": st.one_of(odd_text, st.sampled_from(["CLOSED", "closed ", "other\x00", "1"])),
    "details": odd_text,
}


@hypothesis_settings(max_examples=50)
@given(values=field_values(REPORT_VALID, REPORT_ODD), language=st.sampled_from(["en", "ar", "fa"]))
def test_a_readers_report_is_saved_whole_or_refused_with_nothing_saved(service, values, language):
    with translation.override(language):
        url = reverse("guides:report", args=["calais", service.pk])
    client = Client(raise_request_exception=True)
    with rolled_back():
        before = fingerprint()
        response = client.post(url, post_data(values))
        changed = changed_tables(before, fingerprint())
        report = Report.objects.first()

    if holds_nul(values):
        assert_refused_for_nul(response, changed)
    elif response.status_code == 302:
        assert changed == {"guides_report"} | {t for t in changed if is_history(t)}
        sent = post_data(values)
        assert report.problem == sent["problem"]
        assert report.details == sent.get("details", "").strip()
        assert report.language == language
    else:
        assert response.status_code == 400
        assert changed == set()
        assert_clear_errors(response.context["form"].errors, fields={"problem", "details"})


# --- Recording a session (sessions_log SessionForm) -----------------------------------------


@pytest.fixture
def site():
    return make_site()


def session_valid(site):
    return {
        "site": str(site.pk),
        "date": "2025-11-03",
        "planned_start": "14:00",
        "planned_end": "16:30",
        "status": "held",
        "cancel_reason": "",
        "actual_start": "14:05",
        "actual_end": "16:20",
        "people_present": "60",
        "women_space_users": "12",
        "team_size": "4",
        "phones_charged": "30",
        "devices_connected": "40",
        "peak_devices": "25",
        "data_down_bytes": "11 GB",
        "data_up_bytes": "900 MB",
        "generator_hours": "2.5",
        "incidents": "",
        "notes": "Rain",
    }


SESSION_ODD = {
    "site": odd_number,
    "date": odd_date,
    "planned_start": odd_time,
    "planned_end": odd_time,
    "status": st.one_of(st.sampled_from(["cancelled", "HELD", "held\x00"]), odd_text),
    "cancel_reason": st.one_of(st.sampled_from(["police", "weather", "x"]), odd_text),
    "actual_start": odd_time,
    "actual_end": odd_time,
    "people_present": odd_number,
    "women_space_users": odd_number,
    "team_size": odd_number,
    "phones_charged": odd_number,
    "devices_connected": odd_number,
    "peak_devices": odd_number,
    "data_down_bytes": st.one_of(
        odd_number, st.sampled_from(["900 TB", "1,5 Go", "١٢ MB", "12 parsecs", "-3 MB"])
    ),
    "data_up_bytes": st.one_of(odd_number, st.sampled_from(["99999999999999999999 TB"])),
    "generator_hours": odd_number,
    "incidents": odd_text,
    "notes": odd_text,
}
# Rules that tie two fields: a wrong value in one may be reported on the other.
SESSION_RELATED = {
    "planned_start": {"planned_end"},
    "actual_start": {"actual_end"},
    "actual_end": {"actual_start"},
    "status": {"cancel_reason", "actual_start", "actual_end", "people_present"}
    | {"women_space_users", "phones_charged", "devices_connected", "peak_devices"}
    | {"data_down_bytes", "data_up_bytes"},
    "people_present": {"women_space_users"},
    "women_space_users": {"people_present"},
    "devices_connected": {"peak_devices"},
    "data_up_bytes": {"data_down_bytes"},
}


def post_session(client, values):
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = client.post(reverse("sessions_log:record"), post_data(values))
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        session = Session.objects.first()
    return response, changed, session


def assert_session_saved_whole_or_not_at_all(response, changed, session, values):
    if holds_nul(values):
        assert_refused_for_nul(response, changed)
    elif response.status_code == 302:
        assert "sessions_log_session" in changed
        assert response["Location"] == reverse("sessions_log:session_detail", args=[session.pk])
        assert str(session.site_id) == values["site"].strip()
        # Notes may be left out: an absent field is saved as empty.
        assert session.notes == post_data(values).get("notes", "").strip()
    else:
        assert response.status_code == 400
        assert changed == set()


@hypothesis_settings(max_examples=50)
@given(data=st.data())
def test_a_session_form_with_odd_values_saves_whole_or_refuses_without_writing(
    staff_client, site, data
):
    values = data.draw(field_values(session_valid(site), SESSION_ODD))
    response, changed, session = post_session(staff_client, values)

    assert_session_saved_whole_or_not_at_all(response, changed, session, values)
    if response.status_code == 400 and not holds_nul(values):
        assert_clear_errors(response.context["form"].errors, fields=set(SESSION_ODD))


@hypothesis_settings(max_examples=40)
@given(data=st.data())
def test_a_session_refused_for_one_wrong_field_says_so_on_that_field(staff_client, site, data):
    field, values = data.draw(one_field_wrong(session_valid(site), SESSION_ODD))
    response, changed, session = post_session(staff_client, values)

    assert_session_saved_whole_or_not_at_all(response, changed, session, values)
    if response.status_code == 400 and not holds_nul(values):
        errors = response.context["form"].errors
        assert_clear_errors(errors, fields=set(SESSION_ODD))
        assert field in errors or errors.keys() & SESSION_RELATED.get(field, set()), (
            field,
            errors,
        )
        assert set(errors) <= {field, "__all__", *SESSION_RELATED.get(field, ())}, errors


# --- Moving a site, the month's text (sessions_log) -----------------------------------------


@pytest.fixture
def new_place():
    return make_place(name="Fort Nieulay")


@hypothesis_settings(max_examples=25)
@given(
    data=st.data(),
    on=st.one_of(st.just(""), odd_date),
    note=odd_text,
)
def test_moving_a_site_with_odd_values_moves_it_whole_or_changes_nothing(
    staff_client, site, new_place, data, on, note
):
    place = data.draw(st.one_of(st.just(str(new_place.pk)), odd_number))
    values = {"new_place": place, "on": on, "note": note}
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.post(reverse("sessions_log:move_site", args=[site.pk]), values)
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        stretches = SitePlace.objects.filter(site=site).count()

    if holds_nul(values):
        assert_refused_for_nul(response, changed)
    elif response.status_code == 302:
        assert {"sessions_log_site", "sessions_log_siteplace"} <= changed
        assert stretches == 2
    else:
        assert response.status_code == 400
        assert changed == set()
        assert_clear_errors(response.context["form"].errors, fields={"new_place", "on", "note"})


@hypothesis_settings(max_examples=25)
@given(
    language=st.one_of(st.sampled_from(["en", "fr"]), odd_text),
    text=odd_text,
    month=st.one_of(st.just("2025-11"), odd_text, st.sampled_from(["0-0", "99999-1", "2025-١"])),
)
def test_the_months_text_is_saved_or_refused_with_a_message(staff_client, language, text, month):
    # Only this example's notices: the messages cookie of earlier answers is dropped.
    staff_client.cookies.pop("messages", None)
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.post(
            reverse("sessions_log:save_month_text") + "?" + _query({"month": month}),
            {"language": language, "text": text},
        )
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        notes = MonthlyReportNote.objects.count()

    if holds_nul({"language": language, "text": text, "month": month}):
        assert_refused_for_nul(response, changed)
        return
    assert response.status_code == 302
    level = [m.level_tag for m in get_messages(response.wsgi_request)]
    if language in ("en", "fr"):
        assert level == ["success"]
        assert notes == (1 if text.strip() else 0)
    else:
        assert level == ["error"]
        assert changed == set()


def _query(params):
    from urllib.parse import urlencode

    return urlencode(params)


# --- Repair intake at the van (phones IntakeForm) -------------------------------------------


@pytest.fixture
def fault():
    return make_fault()


INTAKE_ODD = {
    "make": odd_text,
    "model": odd_text,
    "fault": odd_number,
    "owner_name": odd_text,
    "owner_contact": odd_text,
}


@hypothesis_settings(max_examples=40)
@given(data=st.data())
def test_a_van_repair_intake_opens_a_whole_ticket_or_refuses_without_writing(
    staff_client, site, fault, data
):
    valid = {
        "make": "Samsung",
        "model": "A12",
        "fault": str(fault.pk),
        "owner_name": "K.",
        "owner_contact": "07 00 00 00 00",
    }
    values = data.draw(field_values(valid, INTAKE_ODD))
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.post(
            reverse("phones:van_site_intake", args=[site.pk]), post_data(values)
        )
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        ticket = RepairTicket.objects.first()

    if holds_nul(values):
        assert_refused_for_nul(response, changed)
    elif response.status_code == 302:
        assert {"phones_repairticket", "phones_ticketevent"} <= changed
        assert ticket.code in response["Location"]
        assert ticket.make == values["make"].strip()
    else:
        assert response.status_code in (200, 400)
        assert changed == set()
        assert_clear_errors(response.context["form"].errors, fields=set(INTAKE_ODD))


# --- Admin forms of the key models ----------------------------------------------------------


def admin_add(client, model, valid, odd_values):
    """Post the admin's add form as a browser would, with some fields replaced."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    data = {**form_data(client.get(url)), **valid, "_save": "Save"}
    data = post_data({**data, **odd_values})
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = client.post(url, data)
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))
        created = model._default_manager.count()
    return response, changed, created


def assert_admin_saved_or_refused(response, changed, created, table, fields):
    if response.status_code == 302:
        assert table in changed
        assert created == 1
    else:
        assert response.status_code == 200
        assert changed == set(), changed
        form = response.context["adminform"].form
        errors = {**form.errors}
        for formset in response.context["inline_admin_formsets"]:
            errors.update(
                (f"{formset.formset.prefix}:{name}", messages)
                for form_errors in formset.formset.errors
                for name, messages in form_errors.items()
            )
        assert errors or response.context["errors"], "refused without saying why"
        assert_clear_errors(form.errors or {"__all__": ["inline"]}, fields=fields | {"__all__"})


# Autocomplete fields (infobus.admin_widgets) get numbers, words and floats like any other key.
odd_pk = st.one_of(odd_number, st.sampled_from(["", " 7 ", "007", "0.0", "abc"]))

ADMIN_CASES = {
    "infopage": (
        InfoPage,
        lambda: {"slug": "police", "topic": "police", "title_en": "Rights", "body_en": "Text"},
        {
            "slug": odd_text,
            "topic": odd_text,
            "title_en": odd_text,
            "title_ar": odd_text,
            "body_en": odd_text,
            "order": odd_number,
        },
    ),
    "repairticket": (
        RepairTicket,
        lambda: {
            "site": str(make_place().pk),
            "intake_date": "2025-11-03",
            "make": "Nokia",
            "fault": str(make_fault().pk),
        },
        {
            "site": odd_pk,
            "intake_date": odd_date,
            "make": odd_text,
            "model": odd_text,
            "fault": odd_number,
            "notes": odd_text,
            "owner_name": odd_text,
            "owner_contact": odd_text,
        },
    ),
    "stockmovement": (
        StockMovement,
        lambda: {
            "item": str(make_stock_item(kind=StockItem.Kind.SIM).pk),
            "kind": "received",
            "count": "10",
            "reason": "delivery",
        },
        {
            "item": odd_number,
            "kind": st.one_of(
                st.sampled_from(["handed_out", "correction", "to_partner"]), odd_text
            ),
            "count": odd_number,
            "site": odd_pk,
            "partner": odd_number,
            "reason": odd_text,
            "session_ref": odd_text,
        },
    ),
    "session": (
        Session,
        lambda: session_valid(make_site()),
        {**SESSION_ODD, "wifi_source": odd_text},
    ),
}


@pytest.fixture(params=sorted(ADMIN_CASES))
def admin_case(request, db):
    """(model, valid values, odd strategies); the objects the valid form points at are built
    once, before the examples."""
    model, valid, odd = ADMIN_CASES[request.param]
    return model, valid(), odd


@hypothesis_settings(max_examples=15)
@given(data=st.data())
def test_an_admin_add_form_saves_whole_or_refuses_without_writing(staff_client, admin_case, data):
    model, valid, odd = admin_case
    odd_values = data.draw(
        st.fixed_dictionaries({}, optional={name: odd[name] | st.just(MISSING) for name in odd})
    )
    response, changed, created = admin_add(staff_client, model, valid, odd_values)

    if holds_nul(odd_values):
        assert_refused_for_nul(response, changed)
    else:
        assert_admin_saved_or_refused(response, changed, created, model._meta.db_table, set(odd))


ADMIN_SEARCHES = [
    "guides_service",
    "guides_infopage",
    "guides_report",
    "phones_repairticket",
    "phones_stockmovement",
    "phones_stockitem",
    "sessions_log_session",
    "sessions_log_site",
]


@hypothesis_settings(max_examples=25)
@given(
    changelist=st.sampled_from(ADMIN_SEARCHES),
    query=odd_text,
    extra=st.dictionaries(
        st.sampled_from(["o", "p", "e", "all", "kind", "status__exact"]), odd_text, max_size=2
    ),
)
def test_admin_lists_answer_any_search_without_a_server_error(
    staff_client, changelist, query, extra
):
    app_label, model_name = changelist.split("_", 1)
    app_label = "sessions_log" if changelist.startswith("sessions_log") else app_label
    model_name = changelist.removeprefix(app_label + "_")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.get(url, {"q": query, **extra})
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))

    if holds_nul({"q": query, **extra}):
        assert_refused_for_nul(response, changed)
    else:
        assert response.status_code in (200, 302, 400)
        assert changed == set()


# --- Two server errors found here, fixed in infobus ----------------------------------------


def test_an_admin_form_with_a_word_in_an_autocomplete_field_is_refused(staff_client):
    # Django's AutocompleteSelect looked the posted "0.0" up as an id while showing the refused
    # form again: ValueError. infobus.admin_widgets leaves it out; the field says why.
    fault = make_fault()
    url = reverse("admin:phones_repairticket_add")
    data = {**form_data(staff_client.get(url)), "make": "Nokia", "fault": str(fault.pk)}

    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.post(url, {**data, "site": "0.0", "intake_date": "2025-11-03"})
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))

    assert response.status_code == 200
    assert changed == set()
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"site"}
    assert "Select a valid choice" in errors["site"][0]
    assert "Select a valid choice" in response.content.decode()


def test_an_admin_list_filter_holding_a_nul_is_refused(staff_client):
    # PostgreSQL refuses a NUL in a query: infobus.middleware.RefuseNulMiddleware answers first.
    with rolled_back():
        before = fingerprint(exclude=NOT_DATA)
        response = staff_client.get(
            reverse("admin:guides_service_changelist"), {"status__exact": "\x00"}
        )
        changed = changed_tables(before, fingerprint(exclude=NOT_DATA))

    assert_refused_for_nul(response, changed)
