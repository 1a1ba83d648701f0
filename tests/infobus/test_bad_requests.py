"""Requests no browser sends, refused with a 4xx that says why and changes nothing.

A NUL character anywhere in an address or a form: PostgreSQL cannot hold one, so
infobus.middleware.RefuseNulMiddleware answers a tiny plain 400 before anything reads the
database. A word posted for an admin autocomplete field's id: infobus.admin_widgets lets the
form refuse it instead of crashing while showing it again.
"""

import json
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from guides.models import Report, Service
from infobus.admin_widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from tests.factories import make_area, make_place, make_service, make_user
from tests.guides.translation_support import form_data
from tests.phones.factories import make_fault
from tests.properties.helpers import NOT_DATA, fingerprint
from tests.sessions_log.factories import make_session, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return make_service(area=make_area(slug="calais"), title="Hot meal")


@pytest.fixture
def staff(client):
    client.force_login(make_user("coordinator", is_superuser=True))
    return client


NUL_MESSAGE = "Bad request: the address or the form holds a character not allowed."


def _nul_message_in(code):
    with translation.override(code):
        return gettext(NUL_MESSAGE)


NUL_MESSAGES = {_nul_message_in(code) for code, _name in settings.LANGUAGES}


def assert_refused_for_nul(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # In the reader's language when the address names it, English otherwise.
    assert response.content.decode() in NUL_MESSAGES
    assert len(response.content) < 300
    assert not response.cookies


# --- A NUL in the address or a form ---------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/en/calais%00/",
        "/en/calais/search/?q=meal%00",
        "/en/calais/search/?q%00=meal",
        "/ar/calais/?lang=%00",
    ],
)
def test_a_public_page_asked_with_a_nul_answers_a_tiny_400_without_the_database(
    client, service, django_assert_num_queries, address
):
    before = fingerprint()
    with django_assert_num_queries(0):
        response = client.get(address)

    assert_refused_for_nul(response)
    assert fingerprint() == before


def test_a_public_page_without_a_nul_is_served_as_before(client, service):
    response = client.get("/en/calais/search/?q=meal%0A")

    assert response.status_code == 200


def test_an_admin_list_filter_holding_a_nul_answers_400_before_any_query(
    staff, service, django_assert_num_queries
):
    url = reverse("admin:guides_service_changelist")
    before = fingerprint(exclude=NOT_DATA)
    with django_assert_num_queries(0):
        response = staff.get(url, {"status__exact": "\x00"})

    assert_refused_for_nul(response)
    assert response["Cache-Control"] == "no-store"
    assert fingerprint(exclude=NOT_DATA) == before
    assert staff.get(url, {"status__exact": "published"}).status_code == 200


def test_an_admin_search_holding_a_nul_answers_400(staff, service):
    url = reverse("admin:guides_service_changelist")
    before = fingerprint(exclude=NOT_DATA)

    response = staff.get(url, {"q": "Hot\x00meal"})

    assert_refused_for_nul(response)
    assert fingerprint(exclude=NOT_DATA) == before
    assert staff.get(url, {"q": "Hot meal"}).status_code == 200


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_report_form_holding_a_nul_is_refused_and_nothing_is_saved(client, service, encoding):
    url = reverse("guides:report", args=["calais", service.pk])
    form = {"problem": "closed", "details": "Closed\x00since Monday"}
    before = fingerprint()

    if encoding == "multipart":
        response = client.post(url, form)
    else:
        response = client.post(
            url, urlencode(form), content_type="application/x-www-form-urlencoded"
        )

    assert_refused_for_nul(response)
    assert fingerprint() == before
    assert not Report.objects.exists()


def test_the_same_report_without_the_nul_is_saved(client, service):
    url = reverse("guides:report", args=["calais", service.pk])

    response = client.post(url, {"problem": "closed", "details": "Closed since Monday"})

    assert response.status_code == 302
    assert Report.objects.get().details == "Closed since Monday"


def test_an_uploaded_file_holding_nul_bytes_reaches_its_form(staff):
    # Binary files hold NUL: only the form's text fields are looked at.
    session = make_session(make_site())
    url = reverse("sessions_log:import_client_list", args=[session.pk])
    before = fingerprint(exclude=NOT_DATA)

    upload = SimpleUploadedFile("clients.csv", b"\x00\x01PK\x03\x04\x00\x00")
    response = staff.post(url, {"client_list": upload})

    assert response.status_code == 400
    assert response.context["form"].errors["client_list"]
    assert fingerprint(exclude=NOT_DATA) == before


def test_a_json_body_holding_a_nul_is_left_to_its_view(staff):
    # The van's queued session form: its view reads the JSON and refuses the field itself.
    site = make_site()
    fields = {
        "site": site.pk,
        "date": timezone.localdate().isoformat(),
        "planned_start": "14:00",
        "planned_end": "16:30",
        "status": "held",
        "actual_start": "14:00",
        "actual_end": "16:30",
        "people_present": 40,
        "notes": "rain\x00",
    }
    body = json.dumps({"submission": str(uuid.uuid4()), "fields": fields})
    before = fingerprint(exclude=NOT_DATA)

    response = staff.post(reverse("sessions_log:record"), body, content_type="application/json")

    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert set(answer["errors"]) == {"notes"}
    assert fingerprint(exclude=NOT_DATA) == before


# --- A word where an admin autocomplete field wants an id -----------------------------------


def every_admin_with_autocomplete_fields(request):
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for each in [model_admin, *inlines]:
            fields = each.get_autocomplete_fields(request)
            if fields:
                yield each, fields


def test_every_admin_autocomplete_field_uses_the_safe_widget():
    request = RequestFactory().get("/")
    request.user = make_user("checker", is_superuser=True)
    checked = []

    for model_admin, fields in every_admin_with_autocomplete_fields(request):
        for name in fields:
            db_field = model_admin.model._meta.get_field(name)
            widget = model_admin.formfield_for_dbfield(db_field, request).widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            assert isinstance(widget, SafeAutocompleteSelect | SafeAutocompleteSelectMultiple), (
                f"{type(model_admin).__name__}.{name}: add infobus.admin_widgets."
                "SafeAutocompleteMixin to its bases"
            )
            checked.append(f"{type(model_admin).__name__}.{name}")

    # The admins known today, so that the check cannot pass by finding none.
    assert {"RepairTicketAdmin.site", "ServiceAdmin.places", "OpeningHoursInline.place"} <= set(
        checked
    )


@pytest.mark.parametrize("posted", ["0.0", "abc", "1e3", "-"])
def test_a_word_posted_for_an_autocomplete_id_is_refused_on_that_field(staff, posted):
    fault = make_fault()
    url = reverse("admin:phones_repairticket_add")
    form = {**form_data(staff.get(url)), "make": "Nokia", "fault": str(fault.pk)}
    before = fingerprint(exclude=NOT_DATA)

    response = staff.post(url, {**form, "site": posted, "intake_date": "2025-11-03"})

    assert response.status_code == 200
    assert fingerprint(exclude=NOT_DATA) == before
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"site"}
    assert "Select a valid choice" in errors["site"][0]


def test_the_places_of_a_service_redisplay_the_readable_ones_and_drop_the_others():
    request = RequestFactory().get("/")
    request.user = make_user("checker", is_superuser=True)
    place = make_place(name="Rue Lamy")
    model_admin = admin.site._registry[Service]
    field = model_admin.formfield_for_dbfield(Service._meta.get_field("places"), request)

    html = field.widget.render("places", ["abc", "1.5", str(place.pk)])

    assert f'<option value="{place.pk}" selected>Rue Lamy</option>' in html
    assert "abc" not in html
    assert "1.5" not in html
