"""Role groups: one table, synced idempotently, with exactly the permissions each role needs."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from modeltranslation.translator import translator

from infobus.roles import ROLES, sync_roles

pytestmark = pytest.mark.django_db


def codenames(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_sync_roles_makes_one_group_per_role():
    groups = sync_roles()

    assert set(groups) == set(ROLES) == {"volunteer", "translator", "coordinator", "admin"}
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)


def test_sync_roles_is_idempotent():
    sync_roles()
    first = {group.name: codenames(group) for group in Group.objects.all()}

    sync_roles()

    assert Group.objects.count() == len(ROLES)
    assert {group.name: codenames(group) for group in Group.objects.all()} == first


def test_sync_roles_removes_a_permission_added_by_hand():
    translator_group = sync_roles()["translator"]
    translator_group.permissions.add(Permission.objects.get(codename="delete_service"))

    sync_roles()

    assert "guides.delete_service" not in codenames(translator_group)


def test_translator_can_only_view_and_change_translatable_guide_rows():
    perms = codenames(sync_roles()["translator"])

    assert perms
    assert all(name.split(".")[1].split("_")[0] in {"view", "change"} for name in perms)
    assert not any("add_" in name or "delete_" in name for name in perms)
    translatable = {
        model._meta.model_name
        for model in translator.get_registered_models()
        if model._meta.app_label == "guides"
    }
    assert {name.split("_", 1)[1] for name in perms} == translatable
    assert "guides.change_openinghours" not in perms


def test_volunteer_edits_content_but_cannot_delete_areas_or_categories():
    perms = codenames(sync_roles()["volunteer"])

    assert {"guides.add_service", "guides.change_place", "guides.add_alert"} <= perms
    assert {"guides.delete_openinghours", "guides.delete_serviceexception"} <= perms
    assert "guides.view_area" in perms
    assert not {"guides.delete_area", "guides.delete_category", "guides.change_area"} & perms
    assert not any(name.startswith("auth.") for name in perms)


def test_coordinator_has_everything_in_guides_phones_and_sessions_and_only_views_users():
    perms = codenames(sync_roles()["coordinator"])
    owned = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(
            content_type__app_label__in=["guides", "phones", "sessions_log"]
        ).values_list("content_type__app_label", "codename")
    }

    assert owned <= perms
    assert {"guides.delete_area", "guides.delete_service", "phones.delete_partner"} <= perms
    assert perms - owned == {"auth.view_user"}


def test_admin_group_has_every_permission():
    admin_group = sync_roles()["admin"]

    assert admin_group.permissions.count() == Permission.objects.count()


def test_sync_roles_works_right_after_migrate_on_an_empty_database():
    # What a fresh database looks like before anything has created the permissions.
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()

    groups = sync_roles()

    assert "guides.add_service" in codenames(groups["volunteer"])
    guide_models = list(apps.get_app_config("guides").get_models())
    assert Permission.objects.filter(content_type__app_label="guides").count() == 4 * len(
        guide_models
    )


def test_a_permission_that_does_not_exist_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"guides\.fly_service"):
        sync_roles(roles={"volunteer": ["guides.view_service", "guides.fly_service"]})
    with pytest.raises(ImproperlyConfigured, match="nosuchapp"):
        sync_roles(roles={"volunteer": ["nosuchapp.*"]})


def test_volunteers_can_work_through_readers_reports_in_the_admin(client):
    from guides.models import Report
    from tests.factories import make_service, make_user

    groups = sync_roles()
    volunteer = make_user(groups=[groups["volunteer"]])
    report = Report.objects.create(service=make_service(), problem="moved", language="ar")
    client.force_login(volunteer)
    assert client.get("/admin/guides/report/").status_code == 200
    response = client.post(
        "/admin/guides/report/", {"action": "mark_handled", "_selected_action": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.handled_by == volunteer
