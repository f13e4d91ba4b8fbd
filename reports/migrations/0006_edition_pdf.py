# The stored PDF of a published edition (reports.EditionPdf).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_edition_owns_its_words'),
    ]

    operations = [
        migrations.CreateModel(
            name='EditionPdf',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('pending', 'Skapas'), ('ready', 'Klar'), ('failed', 'Misslyckades')], default='pending', max_length=10, verbose_name='status')),
                ('content', models.BinaryField(default=b'', verbose_name='PDF')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256')),
                ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='sidor')),
                ('bytes', models.PositiveIntegerField(blank=True, null=True, verbose_name='storlek (byte)')),
                ('generated_at', models.DateTimeField(blank=True, null=True, verbose_name='skapad')),
                ('queued_at', models.DateTimeField(auto_now_add=True, verbose_name='köad')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='försök')),
                ('error', models.TextField(blank=True, verbose_name='senaste fel')),
                ('edition', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='pdf', to='reports.reportedition', verbose_name='lägesrapport')),
            ],
            options={
                'verbose_name': 'PDF för lägesrapport',
                'verbose_name_plural': 'PDF:er för lägesrapporter',
                'ordering': ['-edition__year'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('state', 'ready'), _negated=True), models.Q(('sha256', ''), _negated=True), _connector='OR'), name='editionpdf_ready_has_checksum', violation_error_message='En färdig PDF måste ha en kontrollsumma.')],
            },
        ),
    ]
