from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Våldsstrategin i Stockholms län – uppföljning"
admin.site.site_title = "Uppföljning av våldsstrategin"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
]
