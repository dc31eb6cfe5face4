"""The content versions go (issue 25): drops the triggers migration 0003 put on this app's tables, before
afspraken and regio drop the functions they call. Backwards it puts them back. SQLite never had them."""

from django.db import migrations

EIGEN = {
    "aanbod_aanbod": ("afspraak_id",),
    "aanbod_personeleinzet": ("afspraak_id",),
    "aanbod_warmeoverdracht": ("afspraak_id",),
    "aanbod_aanbod_voor_instellingen": ("aanbod_id", "aanbod_aanbod"),
}
LIJSTEN = ["aanbod_ondersteuningsniveau", "aanbod_financieringsbron", "aanbod_aanbodvorm"]

SQL = "".join(f"DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};\n" for tabel in EIGEN) + "".join(
    f"DROP TRIGGER IF EXISTS lijstversie ON {tabel};\n" for tabel in LIJSTEN
)

TERUG = "".join(
    f"CREATE CONSTRAINT TRIGGER inhoudsversie AFTER INSERT OR UPDATE OR DELETE ON {tabel}\n"
    "    DEFERRABLE INITIALLY DEFERRED\n"
    f"    FOR EACH ROW EXECUTE FUNCTION afspraken_inhoudsversie_vernieuwen({', '.join(repr(a) for a in args)});\n"
    for tabel, args in EIGEN.items()
) + "".join(
    f"CREATE TRIGGER lijstversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}\n"
    "    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('3');\n"
    for tabel in LIJSTEN
)


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


class Migration(migrations.Migration):
    dependencies = [("aanbod", "0005_naar_accounts")]
    run_before = [("afspraken", "0011_zonder_inhoudsversie")]
    operations = [migrations.RunPython(_op_postgresql(SQL), _op_postgresql(TERUG))]
