"""On PostgreSQL, a version of everything one agreement says, renewed by every committed change of it.

`afspraken.inhoudsversie` keeps rendered parts of an agreement's pages under it. One row per agreement, set
from a sequence (never the same value twice, not even after a rollback) by a deferred trigger on every table
that holds part of an agreement: the afspraken app's own here, aanbod's and financiering's in their migrations.
A row under another (a meting under its indicator) names its parent table, which holds the agreement.

Deferred, because a save locks the agreement (FOR SHARE) and its rows first, and signing locks the agreement
FOR UPDATE before it writes: an immediate trigger would lock the version row in the middle of those and could
close a cycle with them. At commit it is the last lock taken. Inside a transaction that has written, the version
is not yet renewed, so `afspraken.inhoudsversie` keeps nothing for a transaction that has written anything.
"""

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
    "afspraken_uitvoeringsafspraak": ("id",),
    "afspraken_partij": ("afspraak_id",),
    "afspraken_sectie": ("afspraak_id",),
    "afspraken_actie": ("afspraak_id",),
    "afspraken_ambitie": ("afspraak_id",),
    "afspraken_resultaat": ("afspraak_id",),
    "afspraken_indicator": ("afspraak_id",),
    "afspraken_rapportage": ("afspraak_id",),
    "afspraken_wijziging": ("afspraak_id",),
    "afspraken_toelichting": ("afspraak_id",),
    "afspraken_document": ("afspraak_id",),
    "afspraken_ondertekening": ("afspraak_id",),
    "afspraken_meting": ("indicator_id", "afspraken_indicator"),
    "afspraken_actievoortgang": ("actie_id", "afspraken_actie"),
}
LIJSTEN = ["afspraken_basisafspraak"]

FUNCTIE = """
CREATE SEQUENCE IF NOT EXISTS afspraken_inhoudsversie_reeks;
CREATE TABLE IF NOT EXISTS afspraken_inhoudsversie (
    afspraak_id bigint PRIMARY KEY,
    versie bigint NOT NULL
);
INSERT INTO afspraken_inhoudsversie (afspraak_id, versie)
    SELECT id, nextval('afspraken_inhoudsversie_reeks') FROM afspraken_uitvoeringsafspraak
    ON CONFLICT (afspraak_id) DO NOTHING;
-- TG_ARGV[0]: the column that names the agreement, or the parent row (TG_ARGV[1]: the parent's table).
CREATE OR REPLACE FUNCTION afspraken_inhoudsversie_vernieuwen() RETURNS trigger AS $$
DECLARE
    afspraak bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        afspraak := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    ELSE
        afspraak := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_NARGS > 1 AND afspraak IS NOT NULL THEN
        EXECUTE format('SELECT afspraak_id FROM %I WHERE id = $1', TG_ARGV[1]) INTO afspraak USING afspraak;
    END IF;
    IF afspraak IS NOT NULL THEN
        INSERT INTO afspraken_inhoudsversie (afspraak_id, versie)
            VALUES (afspraak, nextval('afspraken_inhoudsversie_reeks'))
            ON CONFLICT (afspraak_id) DO UPDATE SET versie = EXCLUDED.versie;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

FUNCTIE_TERUG = """
DROP FUNCTION IF EXISTS afspraken_inhoudsversie_vernieuwen();
DROP TABLE IF EXISTS afspraken_inhoudsversie;
DROP SEQUENCE IF EXISTS afspraken_inhoudsversie_reeks;
"""

_triggers, _triggers_terug = _inhoudsversie_triggers(EIGEN)
_lijsten, _lijsten_terug = _lijstversie_triggers(LIJSTEN)


class Migration(migrations.Migration):
    dependencies = [("afspraken", "0005_afsprakenstand"), ("regio", "0009_versie_van_gebruikers_en_lijsten")]
    operations = [
        alleen_op_postgresql(FUNCTIE + _triggers + _lijsten, _lijsten_terug + _triggers_terug + FUNCTIE_TERUG)
    ]
