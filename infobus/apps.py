from importlib import import_module

from django.apps import AppConfig, apps
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
