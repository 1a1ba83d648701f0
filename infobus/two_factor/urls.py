from django.urls import path

from infobus.two_factor import views

app_name = "two_factor"

# Mounted under the back office's address (infobus/urls.py), before the admin's own URLs.
urlpatterns = [
    path("", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
]
