from django.urls import include, path

from . import api, catalog, downloads

urlpatterns = [
    path("data/values.csv", downloads.values_csv, name="values_csv"),
    path("data/values.xlsx", downloads.values_xlsx, name="values_xlsx"),
    path("data/katalog", catalog.catalog_negotiated, name="catalog"),
    path("data/katalog.<str:suffix>", catalog.catalog_file, name="catalog_file"),
    path("api/v1/openapi.json", api.openapi_json, name="api_openapi"),
    # The API's own patterns, without a namespace: the names api_index, api_goals,
    # api_indicators, api_indicator and api_indicator_values stay as they were.
    path("api/v1/", include(api.api.urls[0])),
]
