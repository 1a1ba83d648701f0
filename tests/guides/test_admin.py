from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from guides.models import (
    Alert,
    Area,
    Category,
    Edition,
    InfoPage,
    Place,
    Report,
    Service,
    ServiceException,
)
from tests.factories import (
    make_alert,
    make_area,
    make_category,
    make_exception,
    make_info_page,
    make_place,
    make_service,
)

# The guide's admin and the accounts; phones and sessions_log test their own admin pages.
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in {"guides", "auth"}),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label_lower for model in REGISTERED_MODELS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class TagCollector(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(response):
    parser = TagCollector()
    parser.feed(response.content.decode())
    return parser.tags


def attrs_of(response, name):
    found = [attrs for _tag, attrs in tags(response) if attrs.get("name") == name]
    assert len(found) == 1, f"{len(found)} inputs named {name}"
    return found[0]


def form_data(response):
    """What a browser would post back from an admin change form, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def one_of_each(admin_user):
    """One object of every model the admin shows, so each change form has something to open."""
    area = make_area()
    place = make_place(area=area, name="Parc Richelieu")
    service = make_service(
        area=area,
        places=[place],
        hours=[{"weekday": 0, "opens": "12:00", "closes": "13:30", "place": place}],
    )
    make_exception(service, date(2025, 12, 25), ServiceException.Kind.CANCELLED, reason="Noël")
    make_alert(area=area)
    # A second of each related row, or the admin hides the filters that would have one choice.
    make_service(area=make_area(), title="Showers")
    make_info_page()
    Report.objects.create(service=service, problem=Report.Problem.CLOSED, language="ar")
    Group.objects.create(name="Translators")
    Edition.objects.create(month=date(2026, 12, 1))
    return service


def test_every_guide_model_is_editable_in_the_admin():
    editable = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        editable.update(inline.model for inline in model_admin.inlines)
    # Past versions are read on each object's History page, not as models of their own.
    models = apps.get_app_config("guides").get_models()
    assert {model for model in models if not issubclass(model, HistoricalChanges)} <= editable


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=MODEL_IDS)
def test_changelist_loads_with_a_search_and_every_filter_choice(admin_client, one_of_each, model):
    url = admin_url(model, "changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert admin_client.get(url, {"q": "x"}).status_code == 200

    changelist = response.context["cl"]
    assert len(changelist.filter_specs) == len(admin.site._registry[model].list_filter)
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            filtered = admin_client.get(url + choice["query_string"])
            # A filter the admin cannot apply redirects to ?e=1 instead of failing loudly.
            assert filtered.status_code == 200, (spec.title, choice["display"])


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=MODEL_IDS)
def test_add_form_loads(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=MODEL_IDS)
def test_change_form_of_an_existing_object_loads(admin_client, one_of_each, model):
    obj = model._default_manager.first()
    assert obj is not None, f"add a {model.__name__} to the one_of_each fixture"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=MODEL_IDS)
def test_admin_pages_load_scripts_and_styles_only_from_our_static_files(
    admin_client, one_of_each, model
):
    obj = model._default_manager.first()
    jsi18n = reverse("admin:jsi18n")
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = admin_client.get(url)
        sources = [
            attrs["src"] for tag, attrs in tags(response) if tag == "script" and "src" in attrs
        ]
        sources += [attrs["href"] for tag, attrs in tags(response) if tag == "link"]
        assert sources, url
        # The admin's own translation catalogue is the one script not served as a static file.
        foreign = [s for s in sources if not s.startswith("/static/") and s != jsi18n]
        assert foreign == [], url


def test_translation_tabs_use_our_own_jquery_ui(admin_client):
    response = admin_client.get(admin_url(Service, "add"))
    scripts = [attrs.get("src", "") for tag, attrs in tags(response) if tag == "script"]
    assert any("/vendor/jquery-ui/jquery-ui" in src for src in scripts)
    assert any("tabbed_translation_fields" in src for src in scripts)


def test_arabic_inputs_are_right_to_left_and_english_ones_are_not(admin_client, one_of_each):
    response = admin_client.get(admin_url(Service, "change", one_of_each.pk))

    title_ar = attrs_of(response, "title_ar")
    assert title_ar["dir"] == "rtl"
    assert title_ar["lang"] == "ar"
    title_en = attrs_of(response, "title_en")
    assert title_en["dir"] == "ltr"
    assert title_en["lang"] == "en"

    # Textareas and inline rows get them too.
    assert attrs_of(response, "description_ckb")["dir"] == "rtl"
    assert attrs_of(response, "exceptions-0-reason_fa")["dir"] == "rtl"
    assert attrs_of(response, "exceptions-0-reason_fr")["dir"] == "ltr"


def test_every_right_to_left_language_from_settings_gets_rtl_inputs(admin_client):
    response = admin_client.get(admin_url(InfoPage, "add"))
    for code, _name in settings.LANGUAGES:
        expected = "rtl" if code in settings.LANGUAGES_BIDI else "ltr"
        assert attrs_of(response, f"body_{code}")["dir"] == expected, code


def test_mark_verified_today_sets_the_date_and_the_volunteer(admin_client, admin_user):
    stale = make_service(last_verified=date(2024, 1, 1))
    never = make_service()
    untouched = make_service(last_verified=date(2024, 1, 1))
    area = untouched.area
    area.refresh_from_db()
    before = area.content_changed_at

    response = admin_client.post(
        admin_url(Service, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [stale.pk, never.pk]},
        follow=True,
    )

    assert "2 services marked as verified today." in response.content.decode()
    for service in (stale, never):
        service.refresh_from_db()
        assert service.last_verified == timezone.localdate()
        assert service.verified_by == admin_user
    untouched.refresh_from_db()
    assert untouched.last_verified == date(2024, 1, 1)
    assert untouched.verified_by is None
    assert LogEntry.objects.filter(user=admin_user, object_id=str(stale.pk)).exists()
    # A queryset update sends no post_save; the public page cache must still expire.
    area.refresh_from_db()
    assert area.content_changed_at > before


def test_mark_verified_today_works_from_the_not_verified_filter(admin_client, admin_user):
    stale = make_service(last_verified=date(2024, 1, 1))

    response = admin_client.post(
        admin_url(Service, "changelist") + "?not_verified=60",
        {"action": "mark_verified_today", "_selected_action": [stale.pk]},
        follow=True,
    )

    assert "1 service marked as verified today." in response.content.decode()
    stale.refresh_from_db()
    assert stale.verified_by == admin_user
    assert LogEntry.objects.filter(object_id=str(stale.pk)).count() == 1


def test_not_verified_filter_lists_services_unchecked_for_60_days(admin_client):
    today = timezone.localdate()
    old = make_service(title="Old check", last_verified=today - timedelta(days=61))
    never = make_service(title="Never checked")
    recent = make_service(title="Recent check", last_verified=today - timedelta(days=59))

    response = admin_client.get(admin_url(Service, "changelist"), {"not_verified": "60"})

    listed = set(response.context["cl"].result_list)
    assert listed == {old, never}
    assert recent not in listed


def test_service_search_finds_titles_in_any_language_organisation_and_place(admin_client):
    area = make_area()
    by_arabic = make_service(area=area, title="Meal", title_ar="وجبة ساخنة")
    by_place = make_service(area=area, places=[make_place(area=area, name="Hangar Fort Nieulay")])
    by_org = make_service(area=area)
    by_org.organisation.name = "Salam Nord"
    by_org.organisation.save()
    url = admin_url(Service, "changelist")

    assert list(admin_client.get(url, {"q": "ساخنة"}).context["cl"].result_list) == [by_arabic]
    assert list(admin_client.get(url, {"q": "nieulay"}).context["cl"].result_list) == [by_place]
    assert list(admin_client.get(url, {"q": "salam"}).context["cl"].result_list) == [by_org]


def test_service_changelist_queries_do_not_grow_with_the_number_of_services(admin_client):
    area = make_area()
    category = make_category()
    make_service(area=area, categories=[category])
    url = admin_url(Service, "changelist")

    admin_client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(5):
        make_service(area=area, categories=[category])
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200

    assert len(many) == len(few)


def test_languages_spoken_are_ticked_and_stored_as_a_list_of_codes(admin_client, one_of_each):
    url = admin_url(Service, "change", one_of_each.pk)
    response = admin_client.get(url)
    checkboxes = [
        attrs["value"]
        for tag, attrs in tags(response)
        if tag == "input" and attrs.get("name") == "languages_spoken"
    ]
    assert "ar" in checkboxes
    assert "kmr" in checkboxes

    data = form_data(response)
    data["languages_spoken"] = ["ar", "ti", "kmr"]
    saved = admin_client.post(url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    one_of_each.refresh_from_db()
    assert one_of_each.languages_spoken == ["ar", "ti", "kmr"]


def test_alert_list_shows_whether_each_alert_is_active_now(admin_client):
    area = make_area()
    now = timezone.now()
    make_alert(area=area, starts_at=now - timedelta(hours=1))
    make_alert(area=area, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))

    response = admin_client.get(admin_url(Alert, "changelist"))

    html = response.content.decode()
    assert html.count('src="/static/admin/img/icon-yes') == 1
    assert html.count('src="/static/admin/img/icon-no') == 1


def test_place_outside_its_area_is_refused_and_left_unchanged(admin_client):
    area = make_area(centre_latitude=Decimal("50.951000"), centre_longitude=Decimal("1.858000"))
    place = make_place(area=area, name="Rue Lamy")
    url = admin_url(Place, "change", place.pk)
    data = form_data(admin_client.get(url))
    # Latitude and longitude swapped: a point in the sea off Somalia.
    data["latitude"], data["longitude"] = "1.858000", "50.951000"
    data["name_en"] = "Renamed"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "check that latitude and longitude are not swapped" in response.content.decode()
    assert "latitude" in response.context["adminform"].form.errors
    place.refresh_from_db()
    assert place.latitude == Decimal("50.951000")
    assert place.name == "Rue Lamy"


def test_a_place_inside_its_area_is_saved(admin_client):
    place = make_place(name="Rue Lamy")
    url = admin_url(Place, "change", place.pk)
    data = form_data(admin_client.get(url))
    data["name_en"] = "Rue Lamy, behind the church"

    assert admin_client.post(url, data).status_code == 302
    place.refresh_from_db()
    assert place.name == "Rue Lamy, behind the church"


def test_info_page_slug_is_prepopulated_from_the_english_title(admin_client):
    response = admin_client.get(admin_url(InfoPage, "add"))
    constants = [
        attrs
        for tag, attrs in tags(response)
        if attrs.get("id") == "django-admin-prepopulated-fields-constants"
    ]
    assert '"dependency_ids": ["#id_title_en"]' in constants[0]["data-prepopulated-fields"]


@pytest.mark.parametrize("model", [Area, Category])
def test_order_is_edited_from_the_list(admin_client, model):
    make = make_area if model is Area else make_category
    first, second = make(order=1), make(order=2)
    url = admin_url(model, "changelist")
    formset = admin_client.get(url).context["cl"].formset
    management = formset.management_form
    data = {management.add_prefix(name): management[name].value() for name in management.fields}
    for form in formset.forms:
        data[form.add_prefix("id")] = form["id"].value()
        data[form.add_prefix("order")] = 5 if form.instance == first else 3
    data["_save"] = "Save"

    assert admin_client.post(url, data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (5, 3)


def test_what_a_reader_reported_is_kept_as_written_when_a_volunteer_handles_it(
    admin_client, admin_user, one_of_each
):
    report = Report.objects.get()
    url = admin_url(Report, "change", report.pk)
    data = form_data(admin_client.get(url))
    assert "details" not in data
    data.update({"details": "edited", "handled_by": admin_user.pk})

    assert admin_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.details == ""
    assert report.handled_by == admin_user


def test_mark_handled_closes_open_reports_and_records_who(admin_client, admin_user):
    from guides.models import Report

    service = make_service()
    open_report = Report.objects.create(service=service, problem="closed", language="ar")
    response = admin_client.post(
        "/admin/guides/report/",
        {"action": "mark_handled", "_selected_action": [open_report.pk]},
    )
    assert response.status_code == 302
    open_report.refresh_from_db()
    assert open_report.handled_by == admin_user
    assert open_report.handled_at is not None
