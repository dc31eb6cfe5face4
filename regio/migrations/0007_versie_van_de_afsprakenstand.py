"""A second version next to that of the national data (migration 0006): where the agreements stand.

Row 2 of `regio_gegevensversie` is renewed by triggers that the afspraken app puts on its own tables (its
migration 0005): a new or removed agreement, a change of status or signing date, a party, a signature. What is
computed from both (the public monitor) is kept under the pair. `regio_versie_vernieuwen(id)` renews the row
its trigger names, so one function serves every row.
"""

from django.db import migrations

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


def vooruit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def terug(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TERUG, params=None)


class Migration(migrations.Migration):
    dependencies = [("regio", "0006_gegevensversie")]
    operations = [migrations.RunPython(vooruit, terug)]
