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

    assert set(groups) == set(ROLES)
    assert set(ROLES) == {"volunteer", "translator", "phone_team", "coordinator", "admin"}
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


def test_coordinator_has_everything_in_guides_phones_and_sessions_and_gives_roles():
    perms = codenames(sync_roles()["coordinator"])
    owned = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(
            content_type__app_label__in=["guides", "phones", "sessions_log"]
        ).values_list("content_type__app_label", "codename")
    }

    assert owned <= perms
    assert {"guides.delete_area", "guides.delete_service", "phones.delete_partner"} <= perms
    assert perms - owned == {
        "auth.view_user",
        "auth.change_user",
        "auth.view_group",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    }


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


# --- Made by migrate --------------------------------------------------------------------------


def test_a_fresh_migrate_alone_makes_the_role_groups_with_their_permissions():
    # The test database was made by `migrate` only; nothing here has synced the roles.
    made = {group.name: codenames(group) for group in Group.objects.all()}

    synced = {name: codenames(group) for name, group in sync_roles().items()}

    assert made == synced


def test_the_migration_skips_permissions_of_models_a_later_migration_adds():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(("infobus", "0001_roles"))
    Group.objects.all().delete()

    groups = sync_roles(registry=state.apps, strict=False)

    assert "guides.add_service" in codenames(groups["volunteer"])
    with pytest.raises(ImproperlyConfigured):
        sync_roles(roles={"volunteer": ["guides.view_service", "guides.fly_service"]})
    assert sync_roles(
        roles={"volunteer": ["guides.view_service", "guides.fly_service"]}, strict=False
    )


def test_after_every_migrate_the_groups_get_permissions_of_new_models():
    from django.core.management.sql import emit_post_migrate_signal

    coordinator = Group.objects.get(name="coordinator")
    # As if VanTap had come in a migration after the roles' one.
    coordinator.permissions.remove(Permission.objects.get(codename="view_vantap"))

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert "phones.view_vantap" in codenames(coordinator)


# --- Contact details and the second factor ----------------------------------------------------


def test_only_the_phone_team_and_coordinators_read_contact_details_in_full():
    groups = sync_roles()
    readers = {
        role for role, group in groups.items() if "phones.view_owner_contact" in codenames(group)
    }
    assert readers == {"phone_team", "coordinator", "admin"}
    assert "phones.add_repairticket" in codenames(groups["volunteer"])


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        ("volunteer", False),
        ("translator", False),
        ("phone_team", True),
        ("coordinator", True),
        ("admin", True),
    ],
)
def test_roles_that_see_personal_data_need_a_second_factor(role, needs):
    from infobus.roles import needs_two_factor
    from tests.factories import make_user

    user = make_user(groups=[Group.objects.get(name=role)])

    assert needs_two_factor(user) is needs


def test_a_volunteer_enters_a_contact_at_intake_but_reads_it_back_masked(client):
    from phones.models import RepairTicket
    from tests.factories import make_place, make_user
    from tests.phones.factories import make_fault
    from tests.phones.pages import form_data

    client.force_login(make_user(groups=[Group.objects.get(name="volunteer")]))
    place, fault = make_place(), make_fault()
    added = client.get("/admin/phones/repairticket/add/")
    assert "owner_contact" in added.context["adminform"].form.fields

    data = form_data(added) | {
        "site": place.pk,
        "intake_date": "2026-03-02",
        "make": "Samsung",
        "fault": fault.pk,
        "owner_name": "Samir",
        "owner_contact": "+33 6 12 34 56 78",
    }
    response = client.post("/admin/phones/repairticket/add/", data)
    assert response.status_code == 302
    ticket = RepairTicket.objects.get()
    assert ticket.owner_contact == "+33 6 12 34 56 78"

    for url in ["/admin/phones/repairticket/", f"/admin/phones/repairticket/{ticket.pk}/change/"]:
        html = client.get(url).content.decode()
        assert "12 34 56 78" not in html and "Samir" not in html, url
        assert "•••• 78" in html


def test_a_volunteer_saving_a_ticket_keeps_the_contact_they_cannot_see(client):
    from tests.factories import make_user
    from tests.phones.factories import make_ticket

    ticket = make_ticket(owner_name="Samir", owner_contact="+33 6 12 34 56 78")
    client.force_login(make_user(groups=[Group.objects.get(name="volunteer")]))
    form = client.get(f"/admin/phones/repairticket/{ticket.pk}/change/").context["adminform"]

    assert "owner_contact" not in form.form.fields
    assert "owner_name" not in form.form.fields


def test_the_phone_team_reads_contacts_and_donor_emails_in_full(client):
    from tests.factories import make_user
    from tests.phones.factories import make_donor, make_ticket

    ticket = make_ticket(owner_name="Samir", owner_contact="+33 6 12 34 56 78")
    donor = make_donor(email="claire@example.org")
    client.force_login(make_user(groups=[Group.objects.get(name="phone_team")]))

    html = client.get(f"/admin/phones/repairticket/{ticket.pk}/change/").content.decode()
    assert "+33 6 12 34 56 78" in html and "Samir" in html
    html = client.get(f"/admin/phones/donor/{donor.pk}/change/").content.decode()
    assert "claire@example.org" in html


def test_a_volunteer_reads_donor_emails_masked(client):
    from tests.factories import make_user
    from tests.phones.factories import make_donor

    donor = make_donor(email="claire@example.org")
    client.force_login(make_user(groups=[Group.objects.get(name="volunteer")]))

    html = client.get(f"/admin/phones/donor/{donor.pk}/change/").content.decode()

    assert "claire@example.org" not in html
    assert "c•••@example.org" in html


# --- Giving roles -----------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client):
    from tests.factories import make_user

    client.force_login(make_user("coord", groups=[Group.objects.get(name="coordinator")]))
    return client


def test_a_coordinator_gives_a_role_but_not_the_admin_role(coordinator_client):
    from tests.factories import make_user

    volunteer = make_user("amina", groups=[Group.objects.get(name="volunteer")])
    url = f"/admin/auth/user/{volunteer.pk}/change/"

    form = coordinator_client.get(url).context["adminform"].form
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert offered == {"volunteer", "translator", "phone_team", "coordinator"}
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields

    data = {
        "username": "amina",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="phone_team").pk],
        "date_joined_0": "2026-03-02",
        "date_joined_1": "09:00:00",
        "translator_profile-TOTAL_FORMS": "0",
        "translator_profile-INITIAL_FORMS": "0",
        "translation_imports-TOTAL_FORMS": "0",
        "translation_imports-INITIAL_FORMS": "0",
    }
    assert coordinator_client.post(url, data).status_code == 302
    volunteer.refresh_from_db()
    assert list(volunteer.groups.values_list("name", flat=True)) == ["phone_team"]

    data["groups"] = [Group.objects.get(name="admin").pk]
    data["is_superuser"] = "on"
    assert coordinator_client.post(url, data).status_code == 200  # the form refuses it
    volunteer.refresh_from_db()
    assert not volunteer.is_superuser
    assert list(volunteer.groups.values_list("name", flat=True)) == ["phone_team"]


def test_a_coordinator_cannot_change_an_admin_or_a_superuser(coordinator_client):
    from tests.factories import make_user

    for user in [
        make_user("boss", is_superuser=True),
        make_user("lead", groups=[Group.objects.get(name="admin")]),
    ]:
        page = coordinator_client.get(f"/admin/auth/user/{user.pk}/change/")
        assert page.context["has_change_permission"] is False
        password = coordinator_client.get(f"/admin/auth/user/{user.pk}/password/")
        assert password.status_code == 403


def test_a_volunteer_reads_no_contact_in_a_tickets_history_either(client):
    from tests.factories import make_user
    from tests.phones.factories import make_ticket

    ticket = make_ticket(owner_name="Samir", owner_contact="+33 6 12 34 56 78")
    client.force_login(make_user(groups=[Group.objects.get(name="volunteer")]))
    version = ticket.history.first()

    for url in [
        f"/admin/phones/repairticket/{ticket.pk}/history/",
        f"/admin/phones/repairticket/{ticket.pk}/history/{version.history_id}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "12 34 56 78" not in html and "Samir" not in html, url
