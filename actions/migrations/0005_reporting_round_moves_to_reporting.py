# The reporting round now belongs to the reporting app (reporting 0001), which
# keeps the table; here only the model's state goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_unnumbered_plan_goals"),
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportingRound")],
            database_operations=[],
        ),
    ]
