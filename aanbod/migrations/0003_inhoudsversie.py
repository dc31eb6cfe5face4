"""The content-version triggers (afspraken migration 0006) on aanbod's tables: its rows belong to an agreement,
and its reference lists (the continuüm) renew the version of the fixed lists."""

from django.db import migrations

from afspraken.migraties import inhoudsversie_triggers, lijstversie_triggers
from regio.migraties import alleen_op_postgresql

EIGEN = {
    "aanbod_aanbod": ("afspraak_id",),
    "aanbod_personeleinzet": ("afspraak_id",),
    "aanbod_warmeoverdracht": ("afspraak_id",),
    "aanbod_aanbod_voor_instellingen": ("aanbod_id", "aanbod_aanbod"),
}
LIJSTEN = ["aanbod_ondersteuningsniveau", "aanbod_financieringsbron", "aanbod_aanbodvorm"]

_triggers, _triggers_terug = inhoudsversie_triggers(EIGEN)
_lijsten, _lijsten_terug = lijstversie_triggers(LIJSTEN)


class Migration(migrations.Migration):
    dependencies = [("aanbod", "0002_aanbod_per_afspraak"), ("afspraken", "0006_inhoudsversie")]
    operations = [alleen_op_postgresql(_triggers + _lijsten, _lijsten_terug + _triggers_terug)]
