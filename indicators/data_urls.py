from django.urls import path

from . import downloads

urlpatterns = [
    path("data/values.csv", downloads.values_csv, name="values_csv"),
]
