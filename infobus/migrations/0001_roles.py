"""The staff role groups (infobus/roles.py), so that a fresh `migrate` alone yields them.

The permissions are created first (Django would only create them after all migrations).
Permissions of models that later migrations add are granted by the sync that runs after
every migrate (InfobusConfig.ready), so this migration never needs redoing.
"""

from django.db import migrations


def make_role_groups(apps, schema_editor):
    from infobus.roles import sync_roles

    sync_roles(using=schema_editor.connection.alias, registry=apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("guides", "0003_translation_tracking"),
        ("phones", "0003_owner_contact_permission"),
        ("sessions_log", "0001_initial"),
    ]

    # Going back leaves the groups: they may hold staff, and a new sync puts them right.
    operations = [migrations.RunPython(make_role_groups, migrations.RunPython.noop)]
