from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = "Rapportering"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the mail receivers)
