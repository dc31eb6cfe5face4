"""A version offered for signing is frozen in PostgreSQL too: the triggers on aanbod' content tables, with
the guard function of afspraken 0009 (afspraken/bevriezing.py describes the three layers).

Written out here, not generated from application code, so that this migration means the same forever; a content
table added later gets its trigger in a migration of its own (tests/test_bevriezing.py fails until it has one).
Before this migration the same SQL was installed after every migrate from afspraken.bevriezing (post_migrate).
"""

from django.db import migrations


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


TRIGGERS = """
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_aanbod";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "aanbod_aanbod" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_personeleinzet";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "aanbod_personeleinzet" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_warmeoverdracht";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "aanbod_warmeoverdracht" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_aanbod_voor_instellingen";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "aanbod_aanbod_voor_instellingen" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('aanbod_id', 'aanbod_aanbod');
"""

TERUG = """
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_aanbod";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_personeleinzet";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_warmeoverdracht";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "aanbod_aanbod_voor_instellingen";
"""


class Migration(migrations.Migration):
    dependencies = [("aanbod", "0003_inhoudsversie"), ("afspraken", "0009_bevriezing")]

    operations = [
        migrations.RunPython(_op_postgresql(TRIGGERS), _op_postgresql(TERUG), elidable=False),
    ]
