from django.urls import path

from . import downloads, views

urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal, name="goal"),
    path("indikatorer/", views.indicator_list, name="indicator_index"),
    path("indikatorer/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("indikatorer/<slug:slug>/data.csv", downloads.indicator_csv, name="indicator_csv"),
    path("indikatorer/<slug:slug>/data.xlsx", downloads.indicator_xlsx, name="indicator_xlsx"),
    path("planer/", views.plan_list, name="plans"),
    path("planer/tackning/", views.coverage, name="coverage"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan"),
    path("planer/<slug:slug>/<str:number>/", views.commitment_detail, name="commitment"),
    path("lagesrapport/", views.report_archive, name="report_archive"),
    path("lagesrapport/<int:year>/", views.report, name="report"),
    path("lagesrapport/<int:year>/lagesrapport-<int:file_year>.pdf", views.report_pdf, name="report_pdf"),
    path("lagesrapport/<int:year>/forhandsgranska.pdf", views.report_preview_pdf, name="report_preview_pdf"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    # The page that describes the downloads and the API is a public page (/en/data/ in English); the
    # files and the API themselves keep one address (reports.data_urls).
    path("data/", downloads.data_index, name="data_index"),
]
