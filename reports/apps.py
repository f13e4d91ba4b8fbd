from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Lägesrapporter"

    def ready(self):
        from . import signals

        signals.connect()
