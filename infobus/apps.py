from importlib import import_module

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.module_loading import module_has_submodule

# leaflet.admin imports django.contrib.gis, which needs the GDAL C library. We use leaflet's
# static files and widgets on plain latitude/longitude fields, so GDAL is not installed and
# leaflet's admin module is never imported.
ADMIN_AUTODISCOVER_SKIP = {"leaflet"}


class InfobusConfig(AppConfig):
    name = "infobus"
    verbose_name = "Infobus"

    def ready(self):
        """Django's admin autodiscovery, minus the apps that cannot be imported without GDAL."""
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_AUTODISCOVER_SKIP:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
        # post_migrate is sent once per app that has models, and infobus has none: listen
        # for auth's, always installed. sync_roles creates every app's permissions itself,
        # so it does not matter that some apps come later.
        post_migrate.connect(sync_roles_after_migrate, sender=apps.get_app_config("auth"))


def sync_roles_after_migrate(sender, using, **kwargs):
    """Grant the role groups the permissions of models added since their migration.

    Runs once per migrate (and per flush); skipped when the auth tables are gone, after
    migrating auth back to zero.
    """
    from django.contrib.auth.models import Group

    from infobus.roles import sync_roles

    if Group._meta.db_table not in connections[using].introspection.table_names():
        return
    sync_roles(using=using)
