"""The project's URLs are the lead's to wire; the tests mount the session pages like this."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/sessions/", include("sessions_log.urls")),
]
