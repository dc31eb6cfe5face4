"""A second version next to that of the national data (migration 0006): where the agreements stand.

Row 2 of `regio_gegevensversie` is renewed by triggers that the afspraken app puts on its own tables (its
migration 0005): a new or removed agreement, a change of status or signing date, a party, a signature. What is
computed from both (the public monitor) is kept under the pair. `regio_versie_vernieuwen(id)` renews the row
its trigger names, so one function serves every row.
"""

from django.db import migrations

from regio.migraties import alleen_op_postgresql

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
