"""The content versions go (issue 25): pages are rendered fresh, nothing is kept per version any more.

Drops what migrations 0005 and 0006 made on this app's tables: the `afsprakenstand` triggers (row 2 of the
data versions), the `inhoudsversie` triggers, the `lijstversie` trigger on the basisafspraken, the function, the
version table and its sequence. The aanbod and financiering apps drop their triggers on that function first;
regio drops the data versions after this (run_before). Backwards it puts them all back, with fresh versions.
SQLite (the demo) never had them.
"""

from django.db import migrations

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
AFSPRAAK = "afspraken_uitvoeringsafspraak"
PER_OPDRACHT = ["afspraken_partij", "afspraken_ondertekening"]

SQL = (
    "".join(f"DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};\n" for tabel in EIGEN)
    + "".join(f"DROP TRIGGER IF EXISTS afsprakenstand ON {tabel};\n" for tabel in [*PER_OPDRACHT, AFSPRAAK])
    + f"""DROP TRIGGER IF EXISTS afsprakenstand_status ON {AFSPRAAK};
DROP TRIGGER IF EXISTS lijstversie ON afspraken_basisafspraak;
DROP FUNCTION IF EXISTS afspraken_inhoudsversie_vernieuwen();
DROP TABLE IF EXISTS afspraken_inhoudsversie;
DROP SEQUENCE IF EXISTS afspraken_inhoudsversie_reeks;
"""
)

TERUG = (
    f"""
CREATE SEQUENCE afspraken_inhoudsversie_reeks;
CREATE TABLE afspraken_inhoudsversie (afspraak_id bigint PRIMARY KEY, versie bigint NOT NULL);
INSERT INTO afspraken_inhoudsversie (afspraak_id, versie)
    SELECT id, nextval('afspraken_inhoudsversie_reeks') FROM {AFSPRAAK};
CREATE FUNCTION afspraken_inhoudsversie_vernieuwen() RETURNS trigger AS $$
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
    + "".join(
        f"CREATE CONSTRAINT TRIGGER inhoudsversie AFTER INSERT OR UPDATE OR DELETE ON {tabel}\n"
        "    DEFERRABLE INITIALLY DEFERRED\n"
        f"    FOR EACH ROW EXECUTE FUNCTION afspraken_inhoudsversie_vernieuwen({', '.join(repr(a) for a in args)});\n"
        for tabel, args in EIGEN.items()
    )
    + "".join(
        f"CREATE TRIGGER afsprakenstand AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}\n"
        "    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('2');\n"
        for tabel in PER_OPDRACHT
    )
    + f"""
CREATE TRIGGER afsprakenstand AFTER INSERT OR DELETE OR TRUNCATE ON {AFSPRAAK}
    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('2');
CREATE TRIGGER afsprakenstand_status AFTER UPDATE ON {AFSPRAAK}
    FOR EACH ROW
    WHEN ((OLD.regio_id, OLD.versie, OLD.status, OLD.ondertekend_op)
          IS DISTINCT FROM (NEW.regio_id, NEW.versie, NEW.status, NEW.ondertekend_op))
    EXECUTE FUNCTION regio_versie_vernieuwen('2');
CREATE TRIGGER lijstversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON afspraken_basisafspraak
    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('3');
"""
)


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


class Migration(migrations.Migration):
    dependencies = [("afspraken", "0010_naar_accounts")]
    # Its triggers call regio's function: gone before regio drops it (and back after it, backwards).
    run_before = [("regio", "0012_zonder_gegevensversie")]
    operations = [migrations.RunPython(_op_postgresql(SQL), _op_postgresql(TERUG))]
