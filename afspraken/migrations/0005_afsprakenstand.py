"""On PostgreSQL, every committed change of where an agreement stands renews the agreements' version (row 2 of
regio_gegevensversie, regio migration 0007), so the public monitor can be kept per version.

Parties and signatures renew it on every statement. An agreement renews it when it is added or removed, or when
its region, version number, status or signing date changes: not on other updates, so saving a section never
waits on the version row (sections are saved all over the country at once; a status changes a few times a year).
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


PER_OPDRACHT = ["afspraken_partij", "afspraken_ondertekening"]
AFSPRAAK = "afspraken_uitvoeringsafspraak"
VERNIEUW = "EXECUTE FUNCTION regio_versie_vernieuwen('2')"

SQL = "".join(
    f"""
DROP TRIGGER IF EXISTS afsprakenstand ON {tabel};
CREATE TRIGGER afsprakenstand AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
    FOR EACH STATEMENT {VERNIEUW};
"""
    for tabel in PER_OPDRACHT
) + f"""
DROP TRIGGER IF EXISTS afsprakenstand ON {AFSPRAAK};
CREATE TRIGGER afsprakenstand AFTER INSERT OR DELETE OR TRUNCATE ON {AFSPRAAK}
    FOR EACH STATEMENT {VERNIEUW};
DROP TRIGGER IF EXISTS afsprakenstand_status ON {AFSPRAAK};
CREATE TRIGGER afsprakenstand_status AFTER UPDATE ON {AFSPRAAK}
    FOR EACH ROW
    WHEN ((OLD.regio_id, OLD.versie, OLD.status, OLD.ondertekend_op)
          IS DISTINCT FROM (NEW.regio_id, NEW.versie, NEW.status, NEW.ondertekend_op))
    {VERNIEUW};
"""

TERUG = "".join(f"DROP TRIGGER IF EXISTS afsprakenstand ON {tabel};\n" for tabel in PER_OPDRACHT + [AFSPRAAK]) + (
    f"DROP TRIGGER IF EXISTS afsprakenstand_status ON {AFSPRAAK};\n"
)


class Migration(migrations.Migration):
    dependencies = [("afspraken", "0004_metingen"), ("regio", "0007_versie_van_de_afsprakenstand")]
    operations = [alleen_op_postgresql(SQL, TERUG)]
