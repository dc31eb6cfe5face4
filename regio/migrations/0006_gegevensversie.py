"""On PostgreSQL a version of the national data that every committed change of it renews.

`regio.gegevensversie` keys computed region facts on it. One row, set by statement-level triggers (so also
COPY loads, bulk updates and TRUNCATE) to a fresh value from a sequence: a sequence never hands out a value
twice, not even after a rollback, so a value seen inside a transaction that was rolled back never returns.

SQLite (the demo) has no version: nothing is kept, every request computes.
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


TABELLEN = [
    "regio_dataset",
    "regio_doorstroompuntregio",
    "regio_gemeente",
    "regio_inwonertal",
    "regio_mboinstelling",
    "regio_instellinginregio",
    "regio_studentenperinstelling",
    "regio_studentenperwoongemeente",
    "regio_organisatie",
]

SQL = """
CREATE SEQUENCE IF NOT EXISTS regio_gegevensversie_reeks;
CREATE TABLE IF NOT EXISTS regio_gegevensversie (
    id smallint PRIMARY KEY CHECK (id = 1),
    versie bigint NOT NULL
);
INSERT INTO regio_gegevensversie (id, versie) VALUES (1, nextval('regio_gegevensversie_reeks'))
    ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION regio_gegevensversie_vernieuwen() RETURNS trigger AS $$
BEGIN
    UPDATE regio_gegevensversie SET versie = nextval('regio_gegevensversie_reeks') WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS gegevensversie ON {tabel};
CREATE TRIGGER gegevensversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
    FOR EACH STATEMENT EXECUTE FUNCTION regio_gegevensversie_vernieuwen();
"""
    for tabel in TABELLEN
)

TERUG = "".join(f"DROP TRIGGER IF EXISTS gegevensversie ON {tabel};\n" for tabel in TABELLEN) + """
DROP FUNCTION IF EXISTS regio_gegevensversie_vernieuwen();
DROP TABLE IF EXISTS regio_gegevensversie;
DROP SEQUENCE IF EXISTS regio_gegevensversie_reeks;
"""


class Migration(migrations.Migration):
    dependencies = [("regio", "0005_auditregel_meting")]
    operations = [alleen_op_postgresql(SQL, TERUG)]
