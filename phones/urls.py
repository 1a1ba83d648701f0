from django.urls import path

from phones import views

app_name = "phones"

# Staff pages, outside the language prefix like the back office (include in infobus/urls.py).
urlpatterns = [
    path("bring/", views.bring_list, name="bring_list"),
    path("tickets/<int:pk>/slip/", views.ticket_slip, name="ticket_slip"),
    path("batteries/", views.battery_orders, name="battery_orders"),
    path("stock/", views.stock_levels, name="stock_levels"),
    path("month/", views.month_report, name="month_report"),
    path("open-repair-data.csv", views.ords_export, name="ords_export"),
]
