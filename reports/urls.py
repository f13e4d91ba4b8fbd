from django.urls import path

from . import views

urlpatterns = [
    path("lagesrapport/", views.latest_report, name="latest_report"),
    path("lagesrapport/<int:year>/", views.report, name="report"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
