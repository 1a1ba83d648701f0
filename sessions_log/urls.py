from django.urls import path

from sessions_log import views

app_name = "sessions_log"

# Staff pages, outside the language prefix like the back office (include in infobus/urls.py).
urlpatterns = [
    path("record/", views.record_session, name="record"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/client-list/", views.import_client_list, name="import_client_list"),
    path("<int:pk>/meraki/", views.fetch_from_meraki, name="fetch_from_meraki"),
    path("sites/<int:pk>/move/", views.move_site, name="move_site"),
    path("month/", views.month_report, name="month_report"),
    path("month/text/", views.save_month_text, name="save_month_text"),
    path("month/print/", views.month_print, name="month_print"),
    path("month.csv", views.month_csv, name="month_csv"),
    path("month.xlsx", views.month_xlsx, name="month_xlsx"),
]
