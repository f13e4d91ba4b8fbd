from django.urls import path

from . import downloads, views

urlpatterns = [
    path("indikatorer/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("indikatorer/<slug:slug>/data.csv", downloads.indicator_csv, name="indicator_csv"),
]
