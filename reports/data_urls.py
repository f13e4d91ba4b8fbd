from django.urls import path

from . import api, downloads

urlpatterns = [
    path("data/", downloads.data_index, name="data_index"),
    path("data/values.csv", downloads.values_csv, name="values_csv"),
    path("data/values.xlsx", downloads.values_xlsx, name="values_xlsx"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/goals/", api.goals, name="api_goals"),
    path("api/v1/indicators/", api.indicators, name="api_indicators"),
    path("api/v1/indicators/<slug:slug>/", api.indicator, name="api_indicator"),
    path("api/v1/indicators/<slug:slug>/values/", api.indicator_values, name="api_indicator_values"),
]
