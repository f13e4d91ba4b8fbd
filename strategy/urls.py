from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal, name="goal"),
]
