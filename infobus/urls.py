from django.conf import settings
from django.contrib import admin
from django.urls import path

from infobus import views

admin.site.site_header = "Infobus"
admin.site.site_title = "Infobus"
admin.site.index_title = "Back office"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]
