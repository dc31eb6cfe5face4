"""A second version next to that of the national data (migration 0006): where the agreements stand.

Row 2 of `regio_gegevensversie` is renewed by triggers that the afspraken app puts on its own tables (its
migration 0005): a new or removed agreement, a change of status or signing date, a party, a signature. What is
computed from both (the public monitor) is kept under the pair. `regio_versie_vernieuwen(id)` renews the row
its trigger names, so one function serves every row.
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


SQL = """
ALTER TABLE regio_gegevensversie DROP CONSTRAINT IF EXISTS regio_gegevensversie_id_check;
ALTER TABLE regio_gegevensversie ADD CONSTRAINT regio_gegevensversie_id_check CHECK (id IN (1, 2));
INSERT INTO regio_gegevensversie (id, versie) VALUES (2, nextval('regio_gegevensversie_reeks'))
    ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION regio_versie_vernieuwen() RETURNS trigger AS $$
BEGIN
    UPDATE regio_gegevensversie SET versie = nextval('regio_gegevensversie_reeks') WHERE id = TG_ARGV[0]::smallint;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TERUG = """
DROP FUNCTION IF EXISTS regio_versie_vernieuwen();
DELETE FROM regio_gegevensversie WHERE id = 2;
ALTER TABLE regio_gegevensversie DROP CONSTRAINT IF EXISTS regio_gegevensversie_id_check;
ALTER TABLE regio_gegevensversie ADD CONSTRAINT regio_gegevensversie_id_check CHECK (id = 1);
"""


class Migration(migrations.Migration):
    dependencies = [("regio", "0006_gegevensversie")]
    operations = [alleen_op_postgresql(SQL, TERUG)]
