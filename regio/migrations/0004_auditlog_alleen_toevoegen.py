"""On PostgreSQL the audit log refuses UPDATE and DELETE of a row.

TRUNCATE is not refused: the test suite empties tables with it between transactional tests, and only the
table's owner may run it, which the application account need not be in production.

SQLite (the demo) relies on the model layer alone.
"""

from django.db import migrations

from regio.migraties import alleen_op_postgresql

SQL = """
CREATE OR REPLACE FUNCTION regio_auditlog_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Het auditlog is alleen aan te vullen: % is niet toegestaan', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS auditlog_alleen_toevoegen ON regio_auditregel;
CREATE TRIGGER auditlog_alleen_toevoegen BEFORE UPDATE OR DELETE ON regio_auditregel
    FOR EACH ROW EXECUTE FUNCTION regio_auditlog_alleen_toevoegen();
"""

TERUG = """
DROP TRIGGER IF EXISTS auditlog_alleen_toevoegen ON regio_auditregel;
DROP FUNCTION IF EXISTS regio_auditlog_alleen_toevoegen();
"""


class Migration(migrations.Migration):
    dependencies = [("regio", "0003_auditlog")]
    operations = [alleen_op_postgresql(SQL, TERUG)]
