"""A version offered for signing is frozen in PostgreSQL too: the guard functions, and the triggers on
afspraken' own tables (afspraken/bevriezing.py describes the three layers).

Written out here, not generated from application code, so that this migration means the same forever; a content
table added later gets its trigger in a migration of its own (tests/test_bevriezing.py fails until it has one).
Before this migration the same SQL was installed after every migrate from afspraken.bevriezing (post_migrate).
"""

from django.db import migrations


def _op_postgresql(sql):
    def uitvoeren(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return uitvoeren


FUNCTIES = r"""
CREATE OR REPLACE FUNCTION afspraken_bewaak_inhoud() RETURNS trigger AS $$
DECLARE
    kolom text := TG_ARGV[0];
    via_tabel text := TG_ARGV[1];
    rijen jsonb[];
    rij jsonb;
    sleutel bigint;
    afspraak bigint;
    huidige text;
BEGIN
    IF TG_OP = 'INSERT' THEN rijen := ARRAY[to_jsonb(NEW)];
    ELSIF TG_OP = 'DELETE' THEN rijen := ARRAY[to_jsonb(OLD)];
    ELSE rijen := ARRAY[to_jsonb(OLD), to_jsonb(NEW)];
    END IF;
    FOREACH rij IN ARRAY rijen LOOP
        sleutel := (rij ->> kolom)::bigint;
        IF via_tabel = '' THEN
            afspraak := sleutel;
        ELSE
            EXECUTE format('SELECT afspraak_id FROM %I WHERE id = $1', via_tabel) INTO afspraak USING sleutel;
        END IF;
        IF afspraak IS NOT NULL THEN
            SELECT status INTO huidige FROM afspraken_uitvoeringsafspraak WHERE id = afspraak;
            IF huidige IN ('ter_ondertekening', 'ondertekend', 'vervangen') THEN
                RAISE EXCEPTION 'Uitvoeringsafspraak % is bevroren (%): % op % is niet toegestaan',
                    afspraak, huidige, TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION afspraken_bewaak_afspraak() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('ter_ondertekening', 'ondertekend', 'vervangen') THEN
            RAISE EXCEPTION 'Uitvoeringsafspraak % is bevroren: verwijderen is niet toegestaan', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('ter_ondertekening', 'ondertekend', 'vervangen') THEN
        IF (to_jsonb(NEW) - ARRAY['status', 'ondertekend_op', 'bijgewerkt_op'])
                IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'ondertekend_op', 'bijgewerkt_op']) THEN
            RAISE EXCEPTION 'Uitvoeringsafspraak % is bevroren: de inhoud kan niet veranderen', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status <> OLD.status AND NOT ((OLD.status = 'ter_ondertekening' AND NEW.status IN ('ondertekend', 'vervangen')) OR (OLD.status = 'ondertekend' AND NEW.status IN ('vervangen'))) THEN
            RAISE EXCEPTION 'Uitvoeringsafspraak %: van % naar % is niet toegestaan', OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION afspraken_bewaak_ondertekening() RETURNS trigger AS $$
DECLARE
    huidige text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'Een ondertekening wordt nooit gewijzigd of verwijderd'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT status INTO huidige FROM afspraken_uitvoeringsafspraak WHERE id = NEW.afspraak_id;
    IF huidige IS DISTINCT FROM 'ter_ondertekening' THEN
        RAISE EXCEPTION 'Uitvoeringsafspraak % ligt niet ter ondertekening (%)', NEW.afspraak_id, huidige
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION afspraken_bewaak_document() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'klaar' THEN
        RAISE EXCEPTION 'Document % is gereed en verandert nooit meer', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_partij";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_partij" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_sectie";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_sectie" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_actie";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_actie" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_ambitie";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_ambitie" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_resultaat";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_resultaat" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_indicator";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_indicator" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_rapportage";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_rapportage" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_wijziging";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_wijziging" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_toelichting";
CREATE TRIGGER bevroren_inhoud BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_toelichting" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_inhoud('afspraak_id', '');
DROP TRIGGER IF EXISTS bevroren_afspraak ON "afspraken_uitvoeringsafspraak";
CREATE TRIGGER bevroren_afspraak BEFORE UPDATE OR DELETE ON "afspraken_uitvoeringsafspraak" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_afspraak();
DROP TRIGGER IF EXISTS alleen_toevoegen ON "afspraken_ondertekening";
CREATE TRIGGER alleen_toevoegen BEFORE INSERT OR UPDATE OR DELETE ON "afspraken_ondertekening" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_ondertekening();
DROP TRIGGER IF EXISTS gereed_document ON "afspraken_document";
CREATE TRIGGER gereed_document BEFORE UPDATE OR DELETE ON "afspraken_document" FOR EACH ROW EXECUTE FUNCTION afspraken_bewaak_document();
"""

TERUG = """
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_partij";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_sectie";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_actie";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_ambitie";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_resultaat";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_indicator";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_rapportage";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_wijziging";
DROP TRIGGER IF EXISTS bevroren_inhoud ON "afspraken_toelichting";
DROP TRIGGER IF EXISTS bevroren_afspraak ON "afspraken_uitvoeringsafspraak";
DROP TRIGGER IF EXISTS alleen_toevoegen ON "afspraken_ondertekening";
DROP TRIGGER IF EXISTS gereed_document ON "afspraken_document";
DROP FUNCTION IF EXISTS afspraken_bewaak_inhoud(), afspraken_bewaak_afspraak(),
    afspraken_bewaak_ondertekening(), afspraken_bewaak_document();
"""


class Migration(migrations.Migration):
    dependencies = [("afspraken", "0008_afdruk")]

    operations = [
        migrations.RunPython(_op_postgresql(FUNCTIES + TRIGGERS), _op_postgresql(TERUG), elidable=False),
    ]
