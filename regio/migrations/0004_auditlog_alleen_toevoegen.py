"""On PostgreSQL the audit log refuses UPDATE and DELETE of a row.

TRUNCATE is not refused: the test suite empties tables with it between transactional tests, and only the
table's owner may run it, which the application account need not be in production.

SQLite (the demo) relies on the model layer alone.
"""

from django.db import migrations

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


# Inlined, not imported from the application: an old migration must keep working whatever becomes of that code.
# PostgreSQL only; SQLite (the demo) relies on the model layer alone. Without parameters, so that a `%` in the
# SQL (RAISE's format) is sent as written.
def vooruit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def achteruit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TERUG, params=None)


class Migration(migrations.Migration):
    dependencies = [("regio", "0003_auditlog")]
    operations = [migrations.RunPython(vooruit, achteruit)]
