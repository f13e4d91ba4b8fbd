from django.urls import path

from . import views

urlpatterns = [
    path("planer/", views.plan_list, name="plans"),
    path("planer/tackning/", views.coverage, name="coverage"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan"),
]
