"""The admin as a translator sees it: their languages' texts, nothing structural, no other app."""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from guides.models import Area, InfoPage, Service, ServiceException
from tests.factories import (
    make_area,
    make_exception,
    make_info_page,
    make_place,
    make_service,
    make_user,
)
from tests.guides.translation_support import (
    admin_url,
    form_data,
    make_coordinator,
    make_translator,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.guides.translation_support")]


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "textarea", "select"} and attrs.get("name"):
            self.names.add(attrs["name"])


def input_names(response):
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.names


@pytest.fixture
def service():
    area = make_area()
    place = make_place(area, name="Rue Lamy")
    service = make_service(
        area,
        title="Hot meal",
        title_fa="غذای گرم",
        description="Free.",
        places=[place],
        hours=[{"weekday": 2, "opens": "12:00", "closes": "14:00"}],
    )
    make_exception(service, timezone.localdate() + timedelta(days=2), "cancelled", reason="Holiday")
    return service


def test_a_translator_sees_the_english_read_only_beside_their_own_language_only(client, service):
    client.force_login(make_translator("ar"))

    response = client.get(admin_url(service, "change"))

    assert response.status_code == 200
    names = input_names(response)
    assert {"title_ar", "description_ar", "exceptions-0-reason_ar"} <= names
    assert not {"title_en", "title_fa", "title_fr", "description_fa", "exceptions-0-reason_fa"} & (
        names
    )
    html = response.content.decode()
    assert "Hot meal" in html  # the English, read only
    assert "غذای گرم" not in html  # the Farsi is not theirs to see
    # Times, places, status: read only or absent.
    assert not {"status", "places", "is_published", "phone", "exceptions-0-date"} & names
    assert not any(name.startswith("opening_hours-") for name in names)
    assert "minor_edit" not in names
    assert "translation_review" in names


def test_a_translator_cannot_change_times_status_places_or_other_languages(client, service):
    client.force_login(make_translator("ar"))
    url = admin_url(service, "change")
    data = form_data(client.get(url))
    other_place = make_place(service.area, name="Elsewhere")
    data.update(
        {
            "title_ar": "وجبة ساخنة",
            "title_fa": "changed",
            "title_en": "changed",
            "status": Service.Status.ENDED,
            "is_published": "",
            "places": [other_place.pk],
            "opening_hours-0-opens": "08:00",
            "exceptions-0-date": (timezone.localdate() + timedelta(days=9)).isoformat(),
            "exceptions-0-kind": "other_place",
            "exceptions-0-reason_fa": "changed",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    saved = Service.objects.get(pk=service.pk)
    assert saved.title_ar == "وجبة ساخنة"
    assert (saved.title_en, saved.title_fa) == ("Hot meal", "غذای گرم")
    assert saved.status == Service.Status.ACTIVE
    assert saved.is_published
    assert list(saved.places.values_list("name_en", flat=True)) == ["Rue Lamy"]
    assert saved.opening_hours.get().opens.hour == 12
    exception = ServiceException.objects.get(service=saved)
    assert exception.kind == "cancelled"
    assert exception.date == timezone.localdate() + timedelta(days=2)
    assert exception.reason_fa is None


def test_a_translator_cannot_add_or_delete(client, service):
    client.force_login(make_translator("ar"))

    assert client.get(admin_url(Service, "add")).status_code == 403
    assert client.post(admin_url(service, "delete", service.pk), {"post": "yes"}).status_code == 403
    assert Service.objects.filter(pk=service.pk).exists()


def test_a_translator_cannot_mark_services_verified_or_reorder_lists(client, service):
    area = make_area(order=1)
    client.force_login(make_translator("ar"))

    response = client.get(admin_url(Service, "changelist"))
    assert response.status_code == 200
    assert "mark_verified_today" not in response.content.decode()
    client.post(
        admin_url(Service, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [service.pk]},
    )
    assert Service.objects.get(pk=service.pk).last_verified is None

    areas = client.get(admin_url(Area, "changelist"))
    assert areas.context["cl"].formset is None
    assert "form-0-order" not in input_names(areas)
    assert Area.objects.get(pk=area.pk).order == 1


def test_a_translator_sees_only_guide_models_and_cannot_open_other_apps(client):
    client.force_login(make_translator("ar"))

    index = client.get(reverse("admin:index"))

    apps = {app["app_label"] for app in index.context["app_list"]}
    assert apps == {"guides"}
    models = {model["object_name"] for model in index.context["app_list"][0]["models"]}
    assert "Report" not in models
    assert "OpeningHours" not in models
    for url in (
        reverse("admin:phones_repairticket_changelist"),
        reverse("admin:sessions_log_session_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:guides_report_changelist"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_translator_for_two_languages_gets_the_english_beside_each(client, service):
    client.force_login(make_translator("ar", "fa"))

    response = client.get(admin_url(service, "change"))

    assert {"title_ar", "title_fa"} <= input_names(response)
    assert "غذای گرم" in response.content.decode()


def test_a_translator_with_no_language_can_change_nothing(client, service):
    client.force_login(make_translator())

    response = client.get(admin_url(service, "change"))

    assert not any(name.startswith("title_") for name in input_names(response))


def test_a_translator_translates_an_info_page_without_its_slug_prepopulating(client):
    page = make_info_page(title="Your rights")
    client.force_login(make_translator("ar"))
    url = admin_url(page, "change")
    data = form_data(client.get(url))
    data["title_ar"] = "حقوقك"

    assert client.post(url, data).status_code == 302
    page = InfoPage.objects.get(pk=page.pk)
    assert (page.title_ar, page.slug, page.title_en) == ("حقوقك", page.slug, "Your rights")


def test_coordinators_see_every_language_and_the_minor_edit_box(client, service):
    client.force_login(make_coordinator())

    names = input_names(client.get(admin_url(service, "change")))

    assert {"title_en", "title_ar", "title_fa", "status", "minor_edit"} <= names


def test_the_add_form_has_no_minor_edit_box(admin_client):
    names = input_names(admin_client.get(admin_url(Service, "add")))

    assert "translation_review" in names
    assert "minor_edit" not in names


def test_translator_languages_are_set_on_the_staff_members_page(admin_client):
    user = make_user(groups=[Group.objects.get_or_create(name="translator")[0]])
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "translator_profile-TOTAL_FORMS": "1",
            "translator_profile-INITIAL_FORMS": "0",
            "translator_profile-0-languages": ["fa", "ar"],
            "translator_profile-0-user": user.pk,
        }
    )
    data["date_joined_0"] = date.today().isoformat()
    data["date_joined_1"] = "10:00:00"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.translator_profile.refresh_from_db()
    assert user.translator_profile.languages == ["ar", "fa"]  # in the order of settings


def test_coordinators_see_which_english_each_translation_was_recorded_against(client, service):
    client.force_login(make_coordinator())
    url = admin_url(service, "change")
    data = form_data(client.get(url))
    data["title_ar"] = "وجبة"
    client.post(url, data)

    response = client.get(url)

    html = response.content.decode()
    assert "Translation states" in html
    assert "up to date" in html
    assert "English source" in html


def test_a_translator_is_not_asked_for_texts_that_have_no_english(client, service):
    client.force_login(make_translator("ar"))

    names = input_names(client.get(admin_url(service, "change")))

    assert "title_ar" in names
    assert not {"fees_ar", "status_note_ar", "contact_note_ar"} & names
