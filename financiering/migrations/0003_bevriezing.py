"""A version offered for signing is frozen in PostgreSQL too: the triggers on financiering' content tables, with
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
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_kostenpost";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "financiering_kostenpost" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_geldstroom";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "financiering_geldstroom" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_verdeelgroep";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "financiering_verdeelgroep" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
"""

TERUG = """
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_kostenpost";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_geldstroom";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "financiering_verdeelgroep";
"""


class Migration(migrations.Migration):
    dependencies = [("financiering", "0002_inhoudsversie"), ("afspraken", "0009_bevriezing")]

    operations = [
        migrations.RunPython(_op_postgresql(TRIGGERS), _op_postgresql(TERUG), elidable=False),
    ]
