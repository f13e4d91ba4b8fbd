# A published edition's snapshot used to hold only each value's number and
# missing reason ({id: [number, reason]}), and the page read the rest (series,
# year, footnote, status reports) live. Rebuild it in the structured form that
# the page now reads alone, keeping the frozen numbers; the status reports are
# the approved ones of the edition's year, as the page showed them.

from django.db import migrations, models

VALUE_FIELDS = [
    "id", "series_id", "series__indicator_id", "area_id", "area__name", "area__kind", "year", "value",
    "missing_reason", "footnote", "series__order",
]
CATEGORY_LABELS = {
    "done": "Genomförd",
    "ongoing": "Pågående",
    "not_started": "Ej påbörjad",
    "not_done": "Ej genomförd under året",
    "not_followed_up": "Ej uppföljd",
    "unspecified": "Ej angiven",
}


def restructure(apps, schema_editor):
    ReportEdition = apps.get_model("reports", "ReportEdition")
    Value = apps.get_model("indicators", "Value")
    StatusReport = apps.get_model("actions", "StatusReport")
    for edition in ReportEdition.objects.exclude(snapshot={}):
        old = edition.snapshot
        if "values" in old:
            continue
        rows = Value.objects.filter(pk__in=[int(pk) for pk in old]).order_by(
            "series__order", "series_id", "area_id", "year"
        )
        values = []
        for row in rows.values(*VALUE_FIELDS):
            number, reason = old[str(row["id"])]
            values.append({**row, "value": number, "missing_reason": reason})
        reports = (
            StatusReport.objects.filter(state="approved", year=edition.year, commitment__plan__kind="regional")
            .select_related("organisation")
            .order_by("commitment_id", "organisation__name")
        )
        edition.snapshot = {
            "values": values,
            "status_reports": [
                {
                    "id": r.pk,
                    "commitment_id": r.commitment_id,
                    "organisation": r.organisation.short_name or r.organisation.name,
                    "year": r.year,
                    "category": r.category,
                    "category_label": CATEGORY_LABELS.get(r.category, r.category),
                    "text": r.text,
                }
                for r in reports
            ],
        }
        edition.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_lock_published_rounds"),
        ("indicators", "0003_value_ordering_by_ids"),
        ("actions", "0005_reporting_round_moves_to_reporting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportedition",
            name="snapshot",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="innehåll vid publiceringen"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreportedition",
            name="snapshot",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="innehåll vid publiceringen"
            ),
        ),
        migrations.RunPython(restructure, migrations.RunPython.noop),
    ]
