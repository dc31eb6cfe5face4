"""The content versions go (issue 25): drops the triggers migration 0002 put on this app's tables, before
afspraken drops the function they call. Backwards it puts them back. SQLite never had them."""

from django.db import migrations

EIGEN = ["financiering_kostenpost", "financiering_geldstroom", "financiering_verdeelgroep"]

SQL = "".join(f"DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};\n" for tabel in EIGEN)

TERUG = "".join(
    f"CREATE CONSTRAINT TRIGGER inhoudsversie AFTER INSERT OR UPDATE OR DELETE ON {tabel}\n"
    "    DEFERRABLE INITIALLY DEFERRED\n"
    "    FOR EACH ROW EXECUTE FUNCTION afspraken_inhoudsversie_vernieuwen('afspraak_id');\n"
    for tabel in EIGEN
)


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


class Migration(migrations.Migration):
    dependencies = [("financiering", "0004_naar_accounts")]
    run_before = [("afspraken", "0011_zonder_inhoudsversie")]
    operations = [migrations.RunPython(_op_postgresql(SQL), _op_postgresql(TERUG))]
