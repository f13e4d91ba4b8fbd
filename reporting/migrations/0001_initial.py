# The reporting round moved here from the actions app; its table keeps its name,
# so this migration only takes over the model's state (actions 0005 lets go of it).

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("actions", "0004_unnumbered_plan_goals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportingRound",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="uppföljningsår")),
                        ("deadline", models.DateField(verbose_name="sista dag att rapportera")),
                        ("is_open", models.BooleanField(default=False, verbose_name="öppen")),
                        ("opened_at", models.DateTimeField(blank=True, null=True, verbose_name="öppnad")),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="stängd")),
                    ],
                    options={
                        "verbose_name": "rapporteringsomgång",
                        "verbose_name_plural": "rapporteringsomgångar",
                        "ordering": ["-year"],
                        "db_table": "actions_reportinground",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="reportinground",
            name="locked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="låst (lägesrapporten publicerad)"),
        ),
    ]
