"""Organisatie, Gebruiker (now in accounts) and Auditregel (now in audit) leave regio's state.

State only: their tables stay, under their names, for the models in accounts and audit. After every app's
foreign keys point there (the dependencies below).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('financiering', '0004_naar_accounts'),
        ('aanbod', '0005_naar_accounts'),
        ('afspraken', '0010_naar_accounts'),
        ('audit', '0001_initial'),
        ('regio', '0010_sessies_naar_gebruikerbackend'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='Auditregel',
                ),
                migrations.AlterField(
                    model_name='gegevensimport',
                    name='gebruiker',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='gegevensimports', to=settings.AUTH_USER_MODEL),
                ),
                migrations.RemoveField(
                    model_name='organisatie',
                    name='gemeente',
                ),
                migrations.RemoveField(
                    model_name='organisatie',
                    name='instelling',
                ),
                migrations.DeleteModel(
                    name='Gebruiker',
                ),
                migrations.DeleteModel(
                    name='Organisatie',
                ),
            ],
        ),
    ]
