# Rounds used to count as locked whenever their year's edition was published;
# the lock is now stored on the round. Carry the old rule over once.

from django.db import migrations
from django.db.models import F


def lock_published_rounds(apps, schema_editor):
    ReportEdition = apps.get_model("reports", "ReportEdition")
    ReportingRound = apps.get_model("reporting", "ReportingRound")
    for edition in ReportEdition.objects.filter(state="published"):
        ReportingRound.objects.filter(year=edition.year, locked_at__isnull=True).update(locked_at=edition.published_at)
    ReportingRound.objects.filter(locked_at__isnull=False, is_open=True).update(is_open=False, closed_at=F("locked_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_edition_snapshot"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(lock_published_rounds, migrations.RunPython.noop)]
