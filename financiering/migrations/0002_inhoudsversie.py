"""The content-version triggers (afspraken migration 0006) on financiering's tables: each row belongs to an
agreement."""

from django.db import migrations

from afspraken.migraties import inhoudsversie_triggers
from regio.migraties import alleen_op_postgresql

EIGEN = {
    "financiering_kostenpost": ("afspraak_id",),
    "financiering_geldstroom": ("afspraak_id",),
    "financiering_verdeelgroep": ("afspraak_id",),
}

_triggers, _triggers_terug = inhoudsversie_triggers(EIGEN)


class Migration(migrations.Migration):
    dependencies = [("financiering", "0001_initial"), ("afspraken", "0006_inhoudsversie")]
    operations = [alleen_op_postgresql(_triggers, _triggers_terug)]
