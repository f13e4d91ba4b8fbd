from django.urls import path

from . import accounts, desk, matrix, overview, views, worklist

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/atagande/<int:pk>/", views.commitment, name="commitment"),
    path("<int:year>/indikator/<int:pk>/", views.indicator, name="indicator"),
    path("<int:year>/skicka-in-alla/", views.submit_all, name="submit_all"),
    path("<int:year>/mall.csv", views.import_template, name="import_template"),
    path("omgang/ny/", overview.round_create, name="round_create"),
    path("omgang/<int:year>/oppna/", overview.round_open, name="round_open"),
    path("omgang/<int:year>/stang/", overview.round_close, name="round_close"),
    path("granskning/", desk.queue, name="desk"),
    path("granskning/<str:kind>/<int:pk>/<str:transition>/", desk.transition, name="desk_transition"),
    path("granskning/godkann-markerade/", desk.bulk_approve, name="desk_bulk_approve"),
    path("rapporteringslage/<int:year>/", matrix.matrix, name="matrix"),
    path("rapporteringslage/<int:year>.csv", matrix.matrix_csv, name="matrix_csv"),
    path("rapporteringslage/<int:year>.xlsx", matrix.matrix_xlsx, name="matrix_xlsx"),
    path("datakallor/<int:year>/", worklist.worklist, name="worklist"),
    path("datakallor/<int:year>/indikator/<int:pk>/", worklist.entry, name="worklist_entry"),
    path("konton/", accounts.accounts, name="accounts"),
    path("konton/<int:pk>/inaktivera/", accounts.account_deactivate, name="account_deactivate"),
    path("konton/<int:pk>/flytta/", accounts.account_move, name="account_move"),
    path("konton/<int:pk>/hav-sparr/", accounts.account_unlock, name="account_unlock"),
    path("konton/<int:pk>/bjud-in-igen/", accounts.account_reinvite, name="account_reinvite"),
]
