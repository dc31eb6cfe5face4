"""The content-version triggers (afspraken migration 0006) on financiering's tables: each row belongs to an
agreement."""

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


EIGEN = {
    "financiering_kostenpost": ("afspraak_id",),
    "financiering_geldstroom": ("afspraak_id",),
    "financiering_verdeelgroep": ("afspraak_id",),
}

_triggers, _triggers_terug = _inhoudsversie_triggers(EIGEN)


class Migration(migrations.Migration):
    dependencies = [("financiering", "0001_initial"), ("afspraken", "0006_inhoudsversie")]
    operations = [alleen_op_postgresql(_triggers, _triggers_terug)]
