from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "Våldsstrategin i Stockholms län – uppföljning"
admin.site.site_title = "Uppföljning av våldsstrategin"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # load balancer health check, no login
    path("admin/", admin.site.urls),
    path("", include("reports.data_urls")),  # /data/…, /api/v1/…
    path("", include("reports.urls")),  # the public pages
]
