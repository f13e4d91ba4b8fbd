from django.db import migrations, models


def join_lines(apps, schema_editor):
    """A name stored with a line break (it stopped the organisation's mails) becomes one line."""
    Organisation = apps.get_model("strategy", "Organisation")
    for organisation in Organisation.objects.filter(
        models.Q(name__contains="\n") | models.Q(name__contains="\r")
        | models.Q(short_name__contains="\n") | models.Q(short_name__contains="\r")
    ):
        organisation.name = " ".join(organisation.name.split())
        organisation.short_name = " ".join(organisation.short_name.split())
        organisation.save(update_fields=["name", "short_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("strategy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(join_lines, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("name__contains", "\n"), _negated=True),
                    models.Q(("name__contains", "\r"), _negated=True),
                    models.Q(("short_name__contains", "\n"), _negated=True),
                    models.Q(("short_name__contains", "\r"), _negated=True),
                ),
                name="organisation_name_single_line",
                violation_error_message="Namnet får inte innehålla radbrytningar.",
            ),
        ),
    ]
