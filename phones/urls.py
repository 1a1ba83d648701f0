from django.urls import path, register_converter

from phones import van, views

app_name = "phones"

register_converter(van.DayConverter, "van_day")

# Staff pages, outside the language prefix like the back office (include in infobus/urls.py).
urlpatterns = [
    path("bring/", views.bring_list, name="bring_list"),
    path("tickets/<int:pk>/slip/", views.ticket_slip, name="ticket_slip"),
    path("batteries/", views.battery_orders, name="battery_orders"),
    path("stock/", views.stock_levels, name="stock_levels"),
    path("month/", views.month_report, name="month_report"),
    path("open-repair-data.csv", views.ords_export, name="ords_export"),
    path("van/", van.choose, name="van"),
    path("van/session/<int:session>/", van.tally, name="van_session"),
    path("van/session/<int:session>/tap/", van.tap, name="van_session_tap"),
    path("van/session/<int:session>/charge/", van.charge, name="van_session_charge"),
    path("van/session/<int:session>/repair/", van.intake, name="van_session_intake"),
    # A site's stop is named by its day, so a tap queued offline lands on the day it was made.
    path("van/site/<int:site>/", van.site_today, name="van_site"),
    path("van/site/<int:site>/<van_day:day>/", van.tally, name="van_site_day"),
    path("van/site/<int:site>/<van_day:day>/tap/", van.tap, name="van_site_day_tap"),
    path("van/site/<int:site>/<van_day:day>/charge/", van.charge, name="van_site_day_charge"),
    path("van/site/<int:site>/<van_day:day>/repair/", van.intake, name="van_site_day_intake"),
    # The undated addresses of the first van page: taps queued by it land on the van's day.
    path("van/site/<int:site>/tap/", van.tap, name="van_site_tap"),
    path("van/site/<int:site>/repair/", van.intake, name="van_site_intake"),
]
