from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from config.locale import switch_language
from django.contrib.auth import views as auth_views

from workspace import accounts
from workspace.views import login as workspace_login

admin.site.site_header = _("Våldsstrategin i Stockholms län – uppföljning")
admin.site.site_title = _("Uppföljning av våldsstrategin")
admin.site.index_title = _("Administration")

# A database that cannot be reached answers 503 with Retry-After, any other fault Django's 500.
handler500 = "config.health.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # load balancer health check, no login
    # The admin's login, landing a reporter on the reporting workspace.
    path("admin/login/", workspace_login, name="login"),
    path("admin/", admin.site.urls),
    # Password reset for everyone: Django's own views and tokens (workspace.accounts adds the rate limit).
    path("konto/losenord/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("konto/losenord/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/aterstall/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("konto/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The report editor, in the coordinator's workspace (the reports app owns the editions).
    path("rapportering/lagesrapport/", include("reports.editor_urls")),
    path("rapportering/", include("workspace.urls")),
    # The language switch: sets the language cookie and returns to the page in that language.
    path("sprak/", switch_language, name="set_language"),
    # Downloads and the API keep their Swedish paths and field names in every language.
    path("", include("reports.data_urls")),  # /data/…, /api/v1/…
]
# The public pages: Swedish at today's addresses, English under /en/.
urlpatterns += i18n_patterns(path("", include("reports.urls")), prefix_default_language=False)
