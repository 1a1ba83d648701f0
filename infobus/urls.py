from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from guides import open_data_views
from guides import views as guide_views
from infobus import views

admin.site.site_header = "Infobus"
admin.site.site_title = "Infobus"
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", guide_views.choose_language, name="choose_language"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", views.service_worker, name="service_worker"),
    # Open data (HSDS 3.0 JSON, docs/open-data.md): one language-neutral address per area.
    path("open-data/", open_data_views.index, name="open_data"),
    path(
        "open-data/<slug:area>/services.json",
        open_data_views.services,
        name="open_data_services",
    ),
    path("phones/", include("phones.urls")),
    path("staff/sessions/", include("sessions_log.urls")),
    path("staff/translations/", include("guides.staff_urls")),
    # Before the admin's own URLs, which would take "two-factor/" for an app's name.
    path(settings.ADMIN_URL + "two-factor/", include("infobus.two_factor.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
urlpatterns += i18n_patterns(path("", include("guides.urls")), prefix_default_language=True)

# A database that went away answers 503, not 500, even outside a view (infobus.middleware).
handler500 = "infobus.views.server_error"
