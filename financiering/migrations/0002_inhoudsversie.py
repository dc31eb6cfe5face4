"""The content-version triggers (afspraken migration 0006) on financiering's tables: each row belongs to an
agreement."""

from django.db import migrations

from regio.migraties import alleen_op_postgresql


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
