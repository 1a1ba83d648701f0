"""Translation states: missing, draft, up to date, outdated; hashes of the English, not dates."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guides import services
from guides import translation_status as ts
from guides.models import Service, ServiceException, TranslationState
from tests.factories import make_exception, make_service
from tests.guides.translation_support import (
    admin_url,
    form_data,
    make_coordinator,
    make_translator,
    states,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.guides.translation_support")]


def status(obj, field, language):
    [text] = [
        text
        for text in ts.texts(languages=[language], objects_by_model={type(obj): [obj]})
        if text.field == field
    ]
    return text.status


def refreshed(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- The rules -------------------------------------------------------------------------------


def test_the_hash_ignores_spacing_and_line_endings_but_not_words():
    base = ts.source_hash("Hot meal\n\nEvery day")
    assert ts.source_hash("  Hot   meal\r\n\r\n\r\nEvery day  ") == base
    assert ts.source_hash("Hot meal\n\nEvery day.") != base
    assert ts.source_hash("Hot meal\nEvery day") != base  # a paragraph break is kept


def test_status_rules():
    english = "Hot meal"
    current = ts.source_hash(english)
    assert ts.status_of("", "وجبة", None) is None
    assert ts.status_of(english, "", None) == ts.Status.MISSING
    assert ts.status_of(english, "  ", (current, False)) == ts.Status.MISSING
    assert ts.status_of(english, "وجبة", None) == ts.Status.DRAFT
    assert ts.status_of(english, "وجبة", (current, True)) == ts.Status.DRAFT
    assert ts.status_of(english, "وجبة", (current, False)) == ts.Status.UP_TO_DATE
    assert ts.status_of(english, "وجبة", (ts.source_hash("Cold meal"), False)) == (
        ts.Status.OUTDATED
    )


def test_markup_rules():
    assert ts.has_html("Open <b>today</b>")
    assert ts.has_html("<script>alert(1)</script>")
    assert not ts.has_html("Children < 12 years and adults > 60")
    assert ts.uses_markdown("**Bring** your papers")
    assert ts.uses_markdown("- one\n- two")
    assert ts.uses_markdown("[map](https://example.org)")
    assert not ts.uses_markdown("Bring your papers. Open 9-12, free.")


# --- Every state change, through the admin ---------------------------------------------------


def save_in_admin(client, obj, **changes):
    url = admin_url(obj, "change")
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return refreshed(obj)


def test_missing_then_draft_then_up_to_date_then_outdated_then_minor_edit(client):
    service = make_service(title="Hot meal", description="Free food for everyone.")
    translator = make_translator("ar")
    coordinator = make_coordinator()
    assert status(service, "title", "ar") == ts.Status.MISSING

    client.force_login(translator)
    service = save_in_admin(
        client, service, title_ar="وجبة ساخنة", translation_review=services.Review.DRAFT
    )
    assert status(service, "title", "ar") == ts.Status.DRAFT

    service = save_in_admin(client, service, translation_review=services.Review.REVIEWED)
    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE
    service = save_in_admin(client, service, description_ar="طعام مجاني للجميع.")
    assert status(service, "description", "ar") == ts.Status.UP_TO_DATE

    client.force_login(coordinator)
    service = save_in_admin(client, service, title_en="Hot meal and tea")
    assert status(service, "title", "ar") == ts.Status.OUTDATED
    assert status(service, "description", "ar") == ts.Status.UP_TO_DATE

    # A typo fixed with the box ticked: what matched the old English matches the new one;
    # what was already outdated stays outdated.
    service = save_in_admin(
        client,
        service,
        title_en="Hot meal and tea.",
        description_en="Free food for everyone!",
        minor_edit="on",
    )
    assert status(service, "description", "ar") == ts.Status.UP_TO_DATE
    assert status(service, "title", "ar") == ts.Status.OUTDATED

    client.force_login(translator)
    service = save_in_admin(client, service, title_ar="وجبة ساخنة وشاي")
    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE


def test_saving_again_later_without_changing_the_english_keeps_translations_up_to_date(client):
    service = make_service(title="Hot meal")
    coordinator = make_coordinator()
    client.force_login(coordinator)
    service = save_in_admin(client, service, title_ar="وجبة")
    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE

    with time_machine.travel(timezone.now() + timedelta(days=40)):
        client.force_login(coordinator)
        service = save_in_admin(client, service, title_en="  Hot   meal ", fees_en="1 euro")

    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE


def test_a_coordinator_marks_a_translation_still_valid_without_retyping_it(client):
    service = make_service(title="Hot meal")
    client.force_login(make_coordinator())
    service = save_in_admin(client, service, title_ar="وجبة")
    service = save_in_admin(client, service, title_en="Hot meal, with tea")
    assert status(service, "title", "ar") == ts.Status.OUTDATED

    service = save_in_admin(client, service, translation_review=services.Review.REVIEWED)

    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE


def test_emptying_a_translation_makes_it_missing_and_forgets_its_state(client):
    service = make_service(title="Hot meal")
    client.force_login(make_coordinator())
    service = save_in_admin(client, service, title_ar="وجبة")
    assert ("title", "ar") in states(service)

    service = save_in_admin(client, service, title_ar="")

    assert status(service, "title", "ar") == ts.Status.MISSING
    assert ("title", "ar") not in states(service)


def test_an_exception_reason_typed_in_the_inline_is_recorded(client):
    service = make_service()
    exception = make_exception(
        service, timezone.localdate() + timedelta(days=3), "cancelled", reason="Holiday"
    )
    client.force_login(make_translator("ar"))
    save_in_admin(client, service, **{"exceptions-0-reason_ar": "عطلة"})

    exception = ServiceException.objects.get(pk=exception.pk)
    assert exception.reason_ar == "عطلة"
    assert status(exception, "reason", "ar") == ts.Status.UP_TO_DATE


def test_a_translation_with_no_recorded_state_needs_review():
    service = make_service(title="Hot meal", title_ar="وجبة")

    assert status(service, "title", "ar") == ts.Status.DRAFT


def test_tracking_existing_translations_records_them_once():
    service = make_service(title="Hot meal", title_ar="وجبة", title_fr="Repas chaud")

    created = services.track_existing_translations()
    again = services.track_existing_translations()

    assert created >= 3  # English, Arabic and French titles at least
    assert again == 0
    assert status(service, "title", "ar") == ts.Status.UP_TO_DATE
    assert status(service, "title", "fa") == ts.Status.MISSING


def test_deleting_an_object_deletes_its_states():
    service = make_service(title="Hot meal", title_ar="وجبة")
    services.track_existing_translations()
    assert TranslationState.objects.for_object(service).exists()

    Service.objects.filter(pk=service.pk).delete()

    assert not TranslationState.objects.for_object(service).exists()
    assert TranslationState.objects.exists()  # the area's, category's... stay
