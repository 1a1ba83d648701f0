from django.urls import path

from guides import map as maps
from guides import printed, views

app_name = "guides"

# Every public address starts with the language (added by i18n_patterns in infobus/urls.py),
# so a shared link opens in the language it was shared in.
urlpatterns = [
    path("", views.choose_area, name="areas"),
    path("offline/", views.offline, name="offline"),
    path("<slug:area>/", views.area_home, name="area"),
    path("<slug:area>/today/", views.today, name="today"),
    path("<slug:area>/today.txt", views.today_text, name="today_text"),
    path("<slug:area>/today/share/", views.today_share, name="today_share"),
    path("<slug:area>/search/", views.search, name="search"),
    path("<slug:area>/map/", maps.map_page, name="map"),
    path("<slug:area>/map.geojson", maps.map_geojson, name="map_geojson"),
    path("<slug:area>/offline.json", views.offline_manifest, name="offline_manifest"),
    path("<slug:area>/c/<slug:slug>/", views.category, name="category"),
    path("<slug:area>/s/<int:pk>/", views.service, name="service"),
    path("<slug:area>/s/<int:pk>/share/", views.service_share, name="service_share"),
    path("<slug:area>/s/<int:pk>.txt", views.service_text, name="service_text"),
    path("<slug:area>/s/<int:pk>/report/", views.report, name="report"),
    path("<slug:area>/s/<int:pk>/report/thanks/", views.report_thanks, name="report_thanks"),
    path("<slug:area>/i/<slug:slug>/", views.info_page, name="info"),
    path("<slug:area>/print/", printed.print_view, name="print"),
    path("<slug:area>/guide.pdf", printed.guide_pdf, name="guide_pdf"),
    path("<slug:area>/editions/", printed.editions, name="editions"),
    path("<slug:area>/editions/<str:month>.pdf", printed.edition_pdf, name="edition_pdf"),
]
