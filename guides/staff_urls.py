from django.urls import path

from guides import staff_views

app_name = "guides_staff"

# Included by infobus/urls.py outside i18n_patterns: staff pages follow the staff member's
# own language (the admin's LocaleMiddleware choice), not an address prefix.
urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("upload/", staff_views.upload, name="upload"),
    path("upload/<int:pk>/", staff_views.preview, name="preview"),
    path("<str:language>/", staff_views.language, name="language"),
    path("<str:language>/export.<str:file_format>", staff_views.export, name="export"),
]
