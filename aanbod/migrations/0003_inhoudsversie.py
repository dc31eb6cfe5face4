"""The content-version triggers (afspraken migration 0006) on aanbod's tables: its rows belong to an agreement,
and its reference lists (the continuüm) renew the version of the fixed lists."""

from django.db import migrations


def alleen_op_postgresql(sql, terug):
    """`sql` forwards and `terug` backwards on PostgreSQL only (the demo's SQLite has no triggers); without
    parameters, so a `%` in the SQL is sent as written. Written out here so that this migration means the same
    forever."""

    def vooruit(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    def achteruit(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(terug, params=None)

    return migrations.RunPython(vooruit, achteruit)



def _inhoudsversie_triggers(tabellen):
    """(sql, terug) for the content-version trigger on each table of `tabellen`: {table: args}.

    args: ("afspraak_id",) where the row holds the agreement itself, ("indicator_id", "afspraken_indicator")
    where it hangs under a row that does. Constraint triggers, deferred: the version row of an agreement is
    locked only at commit, after every other lock of the transaction, so it can never close a lock cycle.
    (Written out here, as it was in afspraken/migraties.py when this migration was made.)"""
    sql, terug = [], []
    for tabel, args in tabellen.items():
        argumenten = ", ".join(f"'{a}'" for a in args)
        sql.append(f"""
DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};
CREATE CONSTRAINT TRIGGER inhoudsversie AFTER INSERT OR UPDATE OR DELETE ON {tabel}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION afspraken_inhoudsversie_vernieuwen({argumenten});
""")
        terug.append(f"DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};\n")
    return "".join(sql), "".join(terug)


def _lijstversie_triggers(tabellen):
    """(sql, terug): a change of a reference list (the basisafspraken, the continuüm) renews row 3 of
    regio_gegevensversie (regio migration 0009), as a user's does."""
    sql = "".join(
        f"""
DROP TRIGGER IF EXISTS lijstversie ON {tabel};
CREATE TRIGGER lijstversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('3');
"""
        for tabel in tabellen
    )
    terug = "".join(f"DROP TRIGGER IF EXISTS lijstversie ON {tabel};\n" for tabel in tabellen)
    return sql, terug


EIGEN = {
    "aanbod_aanbod": ("afspraak_id",),
    "aanbod_personeleinzet": ("afspraak_id",),
    "aanbod_warmeoverdracht": ("afspraak_id",),
    "aanbod_aanbod_voor_instellingen": ("aanbod_id", "aanbod_aanbod"),
}
LIJSTEN = ["aanbod_ondersteuningsniveau", "aanbod_financieringsbron", "aanbod_aanbodvorm"]

_triggers, _triggers_terug = _inhoudsversie_triggers(EIGEN)
_lijsten, _lijsten_terug = _lijstversie_triggers(LIJSTEN)


class Migration(migrations.Migration):
    dependencies = [("aanbod", "0002_aanbod_per_afspraak"), ("afspraken", "0006_inhoudsversie")]
    operations = [alleen_op_postgresql(_triggers + _lijsten, _lijsten_terug + _triggers_terug)]
