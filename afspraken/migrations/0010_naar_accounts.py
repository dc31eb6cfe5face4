"""The foreign keys to organisations and users point to accounts (where Organisatie and Gebruiker moved).

State only: the columns and the tables they reference stay as they are.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('afspraken', '0009_bevriezing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='actie',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='actievoortgang',
                    name='gebruiker',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='ambitie',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='indicator',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='meting',
                    name='ingevoerd_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='ondertekening',
                    name='gebruiker',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ondertekeningen', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='partij',
                    name='bestuurder',
                    field=models.ForeignKey(blank=True, help_text='De bestuurder met een account die namens de partij tekent.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='te_ondertekenen_partijschappen', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='partij',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='partij',
                    name='organisatie',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='partijschappen', to='accounts.organisatie'),
                ),
                migrations.AlterField(
                    model_name='rapportage',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='resultaat',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='sectie',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='toelichting',
                    name='bijgewerkt_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='uitvoeringsafspraak',
                    name='aangemaakt_door',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='gestarte_afspraken', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='uitvoeringsafspraak',
                    name='gereed_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='uitvoeringsafspraak',
                    name='ter_ondertekening_door',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='wijziging',
                    name='gebruiker',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='wijzigingen', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
