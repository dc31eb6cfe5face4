"""scripts/backup.sh and scripts/herstel.sh, for real: a backup of the test database with the signed demo
agreement, restored into a new database next to it, and compared table by table.

The application keeps its PDFs in the database (`Document.inhoud`); MEDIA_ROOT holds nothing it writes
today. The round trip still puts a file there, so the media half of the scripts is checked as well.
"""

import hashlib
import os
import subprocess
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from afspraken import demo as afsprakendemo
from afspraken import zegel
from afspraken.models import Document
from regio import cijfers

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
BACKUP = SCRIPTS / "backup.sh"
HERSTEL = SCRIPTS / "herstel.sh"


def _verbindingsgegevens():
    instellingen = connection.settings_dict
    return {
        "host": instellingen["HOST"] or "127.0.0.1",
        "port": int(instellingen["PORT"] or 5432),
        "user": instellingen["USER"],
        "password": instellingen["PASSWORD"] or "",
    }


def _url(database):
    g = _verbindingsgegevens()
    inlog = quote(g["user"], safe="") + (":" + quote(g["password"], safe="") if g["password"] else "")
    return f"postgres://{inlog}@{g['host']}:{g['port']}/{database}"


def verbind(database):
    """An autocommit connection of its own to `database` on the test server (also used by test_partities)."""
    return psycopg.connect(dbname=database, autocommit=True, **_verbindingsgegevens())


@pytest.fixture
def lege_database():
    """A freshly created database beside the test database, dropped afterwards whatever happened."""
    naam = f"herstel_{uuid.uuid4().hex[:10]}"
    with verbind("postgres") as beheer:
        beheer.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(naam)))
    try:
        yield naam
    finally:
        with verbind("postgres") as beheer:
            beheer.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(naam)))


def _draai(script, *argumenten, database, media):
    omgeving = {**os.environ, "DATABASE_URL": _url(database), "DJANGO_MEDIA_ROOT": str(media)}
    return subprocess.run(
        [str(script), *map(str, argumenten)], env=omgeving, capture_output=True, text=True, timeout=600
    )


def _tabellen(verbinding):
    rijen = verbinding.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rijen]


def _inhoud_per_tabel(verbinding):
    """Per table: the number of rows and a digest over all of them (every column, in a fixed order)."""
    uitkomst = {}
    for tabel in _tabellen(verbinding):
        aantal, digest = verbinding.execute(
            sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t").format(
                sql.Identifier(tabel)
            )
        ).fetchone()
        uitkomst[tabel] = (aantal, digest)
    return uitkomst


def _bestanden(map_):
    return {
        str(p.relative_to(map_)): hashlib.sha256(p.read_bytes()).hexdigest() for p in map_.rglob("*") if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_en_herstel_geven_dezelfde_database_met_geldig_zegel(
    refdata, demo_met_ondertekening, monkeypatch, settings, tmp_path, lege_database
):
    # Basisafspraak 12 depends on today's date; the demo offers Flevoland "before" the deadline.
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 30)
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("laad_demodata", stdout=StringIO())

    definitief = Document.objects.get(
        afspraak__regio__nummer=afsprakendemo.FLEVOLAND, soort=Document.Soort.ONDERTEKEND, status="klaar"
    )
    pdf = bytes(definitief.inhoud)
    assert zegel.controleer(pdf).authentiek
    # Nothing of the application lands in media yet (see the module docstring): give the archive content.
    (settings.MEDIA_ROOT / "documenten").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documenten" / f"{definitief.kenmerk}.pdf").write_bytes(pdf)
    (settings.MEDIA_ROOT / "leesmij.txt").write_text("media van de demo\n", encoding="utf-8")

    bron = connection.settings_dict["NAME"]
    doel = tmp_path / "backups"
    backup = _draai(BACKUP, doel, database=bron, media=settings.MEDIA_ROOT)
    assert backup.returncode == 0, backup.stderr
    dump, tarbestand, sommen = (Path(regel) for regel in backup.stdout.splitlines())
    assert dump.name.startswith("uitvoeringsafspraken-") and dump.suffix == ".dump"
    assert tarbestand.name == dump.name.removesuffix(".dump") + ".media.tar"
    assert sorted(p.name for p in doel.iterdir()) == sorted([dump.name, tarbestand.name, sommen.name])
    # The checksum file names both parts, in sha256sum's format, and matches them.
    verwacht = dict(reversed(regel.split("  ")) for regel in sommen.read_text().splitlines())
    assert verwacht == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (dump, tarbestand)
    }
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    hersteld_media = tmp_path / "hersteld-media"
    herstel = _draai(HERSTEL, dump, tarbestand, database=lege_database, media=hersteld_media)
    assert herstel.returncode == 0, herstel.stderr
    assert "Hersteld" in herstel.stdout

    with verbind(bron) as origineel, verbind(lege_database) as kopie:
        # Every table, every row, every column.
        voor, na = _inhoud_per_tabel(origineel), _inhoud_per_tabel(kopie)
        assert na == voor
        assert voor["afspraken_document"][0] >= 2 and voor["afspraken_ondertekening"][0] == 11
        assert voor["regio_auditregel"][0] > 0 and voor["regio_gemeente"][0] == 342

        # The sealed PDF: the same bytes, and its seal still verifies.
        inhoud, opgeslagen_sha = kopie.execute(
            "SELECT inhoud, sha256 FROM afspraken_document WHERE kenmerk = %s", [definitief.kenmerk]
        ).fetchone()
        inhoud = bytes(inhoud)
        assert hashlib.sha256(inhoud).hexdigest() == hashlib.sha256(pdf).hexdigest() == opgeslagen_sha
        controle = zegel.controleer(inhoud)
        assert controle.authentiek, controle.uitkomst

        # The database's own guards came along: the audit log is append-only, a finished document is fixed.
        regel_id = kopie.execute("SELECT min(id) FROM regio_auditregel").fetchone()[0]
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="alleen aan te vullen"):
            kopie.execute("UPDATE regio_auditregel SET onderwerp = 'anders' WHERE id = %s", [regel_id])
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="alleen aan te vullen"):
            kopie.execute("DELETE FROM regio_auditregel WHERE id = %s", [regel_id])
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="verandert nooit meer"):
            kopie.execute("UPDATE afspraken_document SET fout = 'x' WHERE kenmerk = %s", [definitief.kenmerk])

        # Sequences continue where the original stopped: every one in the same state, and a real insert.
        reeksen = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        assert dict(kopie.execute(reeksen).fetchall()) == dict(origineel.execute(reeksen).fetchall())
        assert dict(kopie.execute(reeksen).fetchall())["regio_auditregel_id_seq"] is not None
        hoogste = kopie.execute("SELECT max(id) FROM regio_auditregel").fetchone()[0]
        nieuw = kopie.execute(
            "INSERT INTO regio_auditregel"
            " (tijdstip, actie, gebruiker_naam, onderwerp, object_soort, object_id, gegevens)"
            " VALUES (now(), 'geverifieerd', '', 'na herstel', '', '', '{}') RETURNING id"
        ).fetchone()[0]
        assert nieuw > hoogste

    # Media: the same files with the same bytes.
    assert _bestanden(hersteld_media) == _bestanden(settings.MEDIA_ROOT)
    assert len(_bestanden(hersteld_media)) == 2

    # A second restore into the now filled database is refused, and changes nothing.
    leeg_media = tmp_path / "nog-een-media"
    opnieuw = _draai(HERSTEL, dump, tarbestand, database=lege_database, media=leeg_media)
    assert opnieuw.returncode != 0
    assert "Herstel geweigerd: de database van DATABASE_URL is niet leeg" in opnieuw.stderr
    assert not leeg_media.exists()
    with verbind(lege_database) as kopie:
        assert kopie.execute("SELECT count(*) FROM regio_auditregel").fetchone()[0] == voor["regio_auditregel"][0] + 1

    # A damaged backup is refused before anything is read into the database.
    kapot = doel / dump.name
    kapot.write_bytes(kapot.read_bytes()[:-10])
    beschadigd = _draai(HERSTEL, kapot, tarbestand, database=lege_database, media=leeg_media)
    assert beschadigd.returncode != 0 and "komt niet overeen met de controlesom" in beschadigd.stderr


def test_herstel_weigert_een_gevulde_mediamap_en_laat_de_database_leeg(tmp_path, lege_database):
    media = tmp_path / "media"
    media.mkdir()
    (media / "bestaand.pdf").write_bytes(b"%PDF- al aanwezig")
    dump, tarbestand = tmp_path / "x.dump", tmp_path / "x.media.tar"
    dump.write_bytes(b"niet gelezen")
    tarbestand.write_bytes(b"niet gelezen")

    uitkomst = _draai(HERSTEL, dump, tarbestand, database=lege_database, media=media)
    assert uitkomst.returncode != 0
    assert f"Herstel geweigerd: de mediamap {media} is niet leeg" in uitkomst.stderr
    assert "--media-overschrijven" in uitkomst.stderr
    assert _bestanden(media) == {"bestaand.pdf": hashlib.sha256(b"%PDF- al aanwezig").hexdigest()}
    with verbind(lege_database) as leeg:
        assert _tabellen(leeg) == []


def test_backup_van_een_onbereikbare_database_faalt_zonder_halve_bestanden(tmp_path):
    doel = tmp_path / "backups"
    uitkomst = _draai(BACKUP, doel, database=f"bestaat_niet_{uuid.uuid4().hex[:8]}", media=tmp_path / "media")
    assert uitkomst.returncode != 0
    assert "bestaat_niet_" in uitkomst.stderr  # pg_dump says which database it could not reach
    assert list(doel.iterdir()) == []
