"""A third version (regio migration 0006, 0007): users and the fixed lists.

Row 3 of `regio_gegevensversie` is renewed when a user is added or removed, or changes in anything but the
moment of their last login and their password (a name, a role, an organisation: pages name who wrote a section
and who signs for a party). The afspraken and aanbod apps put the same trigger on their reference lists (the
basisafspraken, the continuüm). What is kept per agreement (afspraken migration 0006) is also kept under this
row, so a renamed user is never shown under their old name.
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


GEBRUIKER = "regio_gebruiker"
VERNIEUW = "EXECUTE FUNCTION regio_versie_vernieuwen('3')"

SQL = f"""
ALTER TABLE regio_gegevensversie DROP CONSTRAINT IF EXISTS regio_gegevensversie_id_check;
ALTER TABLE regio_gegevensversie ADD CONSTRAINT regio_gegevensversie_id_check CHECK (id IN (1, 2, 3));
INSERT INTO regio_gegevensversie (id, versie) VALUES (3, nextval('regio_gegevensversie_reeks'))
    ON CONFLICT (id) DO NOTHING;
DROP TRIGGER IF EXISTS gebruikersversie ON {GEBRUIKER};
CREATE TRIGGER gebruikersversie AFTER INSERT OR DELETE OR TRUNCATE ON {GEBRUIKER}
    FOR EACH STATEMENT {VERNIEUW};
DROP TRIGGER IF EXISTS gebruikersversie_wijziging ON {GEBRUIKER};
CREATE TRIGGER gebruikersversie_wijziging AFTER UPDATE ON {GEBRUIKER}
    FOR EACH ROW
    WHEN (to_jsonb(OLD) - 'last_login' - 'password' IS DISTINCT FROM to_jsonb(NEW) - 'last_login' - 'password')
    {VERNIEUW};
"""

TERUG = f"""
DROP TRIGGER IF EXISTS gebruikersversie ON {GEBRUIKER};
DROP TRIGGER IF EXISTS gebruikersversie_wijziging ON {GEBRUIKER};
DELETE FROM regio_gegevensversie WHERE id = 3;
ALTER TABLE regio_gegevensversie DROP CONSTRAINT IF EXISTS regio_gegevensversie_id_check;
ALTER TABLE regio_gegevensversie ADD CONSTRAINT regio_gegevensversie_id_check CHECK (id IN (1, 2));
"""


class Migration(migrations.Migration):
    dependencies = [("regio", "0008_studenten_per_peiljaar_gepartitioneerd")]
    operations = [alleen_op_postgresql(SQL, TERUG)]
