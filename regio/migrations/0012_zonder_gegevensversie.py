"""The data versions go (issue 25): pages are rendered fresh, nothing is kept per version any more.

Drops what migrations 0006, 0007, 0008 (the trigger on the partitioned students table) and 0009 made: the
`gegevensversie` triggers on the national data, the two triggers on the users, both functions, the version table
and its sequence. The afspraken and aanbod apps drop their triggers on these functions first (their migrations
run before this one). Backwards it puts them all back, with fresh versions. SQLite (the demo) never had them.
"""

from django.db import migrations

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
GEBRUIKER = "regio_gebruiker"

SQL = "".join(f"DROP TRIGGER IF EXISTS gegevensversie ON {tabel};\n" for tabel in TABELLEN) + f"""
DROP TRIGGER IF EXISTS gebruikersversie ON {GEBRUIKER};
DROP TRIGGER IF EXISTS gebruikersversie_wijziging ON {GEBRUIKER};
DROP FUNCTION IF EXISTS regio_versie_vernieuwen();
DROP FUNCTION IF EXISTS regio_gegevensversie_vernieuwen();
DROP TABLE IF EXISTS regio_gegevensversie;
DROP SEQUENCE IF EXISTS regio_gegevensversie_reeks;
"""

TERUG = """
CREATE SEQUENCE regio_gegevensversie_reeks;
CREATE TABLE regio_gegevensversie (
    id smallint PRIMARY KEY CONSTRAINT regio_gegevensversie_id_check CHECK (id IN (1, 2, 3)),
    versie bigint NOT NULL
);
INSERT INTO regio_gegevensversie (id, versie) SELECT i, nextval('regio_gegevensversie_reeks') FROM generate_series(1, 3) i;
CREATE FUNCTION regio_gegevensversie_vernieuwen() RETURNS trigger AS $$
BEGIN
    UPDATE regio_gegevensversie SET versie = nextval('regio_gegevensversie_reeks') WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION regio_versie_vernieuwen() RETURNS trigger AS $$
BEGIN
    UPDATE regio_gegevensversie SET versie = nextval('regio_gegevensversie_reeks') WHERE id = TG_ARGV[0]::smallint;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER gegevensversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}\n"
    "    FOR EACH STATEMENT EXECUTE FUNCTION regio_gegevensversie_vernieuwen();\n"
    for tabel in TABELLEN
) + f"""
CREATE TRIGGER gebruikersversie AFTER INSERT OR DELETE OR TRUNCATE ON {GEBRUIKER}
    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('3');
CREATE TRIGGER gebruikersversie_wijziging AFTER UPDATE ON {GEBRUIKER}
    FOR EACH ROW
    WHEN (to_jsonb(OLD) - 'last_login' - 'password' IS DISTINCT FROM to_jsonb(NEW) - 'last_login' - 'password')
    EXECUTE FUNCTION regio_versie_vernieuwen('3');
"""


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


class Migration(migrations.Migration):
    dependencies = [("regio", "0011_accounts_en_audit_verhuisd")]
    operations = [migrations.RunPython(_op_postgresql(SQL), _op_postgresql(TERUG))]
