"""Auditregel moves from regio to audit; its table keeps its name (regio_auditregel) and its append-only
trigger (regio migration 0004). State only: regio migration 0011 removes the old model from the state."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('regio', '0010_sessies_naar_gebruikerbackend'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Auditregel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tijdstip', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('actie', models.CharField(choices=[('pdf_gemaakt', 'PDF gemaakt'), ('ter_ondertekening', 'Aangeboden ter ondertekening'), ('ondertekend', 'Ondertekend'), ('afgewezen', 'Ondertekening afgewezen'), ('verzegeld', 'Verzegeld'), ('taak_mislukt', 'Taak mislukt'), ('gedownload', 'Gedownload'), ('geverifieerd', 'Geverifieerd'), ('nieuwe_versie', 'Nieuwe versie gestart'), ('gegevens_geladen', 'Gegevens geladen'), ('tweede_factor', 'Tweede factor'), ('meting_vastgelegd', 'Meting vastgelegd')], max_length=30)),
                        ('gebruiker_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('gebruiker_naam', models.CharField(blank=True, max_length=200)),
                        ('onderwerp', models.CharField(blank=True, max_length=300)),
                        ('object_soort', models.CharField(blank=True, max_length=60)),
                        ('object_id', models.CharField(blank=True, max_length=60)),
                        ('gegevens', models.JSONField(blank=True, default=dict)),
                    ],
                    options={
                        'db_table': 'regio_auditregel',
                        'verbose_name': 'auditregel',
                        'verbose_name_plural': 'auditlog',
                        'ordering': ['-tijdstip', '-pk'],
                        'indexes': [models.Index(fields=['object_soort', 'object_id'], name='audit_object')],
                    },
                ),
            ],
        ),
    ]
