"""A partner organisation proposed in one agreement until a beheerder confirms it (issue 26 item 5).

No data to move: every existing organisation has no proposal, and so is confirmed.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_inhoudstypen_en_sessies'),
        ('afspraken', '0011_zonder_inhoudsversie'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='VoorgesteldeOrganisatie',
            fields=[
                ('organisatie', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='voorstel', serialize=False, to='accounts.organisatie')),
                ('voorgesteld_op', models.DateTimeField(default=django.utils.timezone.now)),
                ('afspraak', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='voorgestelde_organisaties', to='afspraken.uitvoeringsafspraak')),
                ('voorgesteld_door', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'voorgestelde organisatie',
                'verbose_name_plural': 'voorgestelde organisaties',
                'ordering': ['voorgesteld_op', 'pk'],
            },
        ),
    ]
