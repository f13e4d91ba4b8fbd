from django.urls import path

from . import editor

urlpatterns = [
    path("", editor.editions, name="report_editions"),
    path("<int:year>/", editor.editor, name="report_editor"),
    path("<int:year>/del/<slug:part>/", editor.edition_part, name="report_edition_part"),
    path("<int:year>/kontroller/", editor.checks, name="report_checks"),
    path("<int:year>/publicera/", editor.publish, name="report_publish"),
    path("<int:year>/rattelse/", editor.correct, name="report_correct"),
]
