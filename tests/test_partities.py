"""Students per woongemeente are partitioned by peiljaar on PostgreSQL (regio migration 0008), and a load
replaces the peiljaar's partition (regio.loaders.kopieer.vervang_partitie): the foreign keys are checked once
per key when the new partition is attached, not per row at COMMIT; what was there stays until the commit;
readers of the gemeenten are never blocked."""

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from regio.loaders import bevestig_import, kopieer, maak_import
from regio.loaders.woongemeente import VELDEN
from regio.models import Dataset, Gemeente, StudentenPerWoongemeente
from tests.loaders_helpers import csv_bytes, geef_testcodes, laad
from tests.test_backup_herstel import verbind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's"),
]

TABEL = StudentenPerWoongemeente._meta.db_table


def partities():
    """{partition name: (bound, number of rows)} of the students table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [TABEL],
        )
        grenzen = dict(cursor.fetchall())
        uitkomst = {}
        for naam, grens in grenzen.items():
            cursor.execute(f'SELECT count(*) FROM "{naam}"')
            uitkomst[naam] = (grens, cursor.fetchone()[0])
    return uitkomst


def oid(naam):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)::oid", [naam])
        return cursor.fetchone()[0]


KOP = ["peiljaar", "instellingscode", "gemeentecode", "aantal"]


def laad_studenten(rijen, naam="studenten.csv"):
    laad("studenten_woongemeente", csv_bytes([KOP, *rijen]), naam)


def test_de_tabel_is_per_peiljaar_gepartitioneerd_met_een_standaardpartitie():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABEL])
        assert cursor.fetchone() == ("p",)
        cursor.execute("SELECT pg_get_partkeydef(%s::regclass)", [TABEL])
        assert cursor.fetchone() == ("LIST (peiljaar)",)
    assert partities()[f"{TABEL}_overig"][0] == "DEFAULT"


def test_laden_vervangt_de_partitie_van_het_peiljaar(refdata):
    codes = geef_testcodes()
    a, b = sorted(codes)[:2]
    gemeente = Gemeente.objects.get(code="GM0014")
    # A row of 2024 written through the ORM before 2024 had a partition: it lands in the default partition and
    # the load replaces it like any other row of that peiljaar.
    dataset = Dataset.objects.create(soort="studenten_woongemeente", peiljaar=2024)
    oude = StudentenPerWoongemeente.objects.create(
        dataset=dataset, peiljaar=2024, instelling=codes[b], gemeente=gemeente, aantal=99
    )
    assert partities()[f"{TABEL}_overig"] == ("DEFAULT", 1)

    laad_studenten([[2024, a, "GM0014", 10], [2024, a, "GM0034", 11], [2023, b, "GM0014", 12]])
    na = partities()
    assert (na[f"{TABEL}_overig"], na[f"{TABEL}_2023"], na[f"{TABEL}_2024"]) == (
        ("DEFAULT", 0), ("FOR VALUES IN ('2023')", 1), ("FOR VALUES IN ('2024')", 2),
    )
    assert not StudentenPerWoongemeente.objects.filter(pk=oude.pk).exists()
    eerste = oid(f"{TABEL}_2024")

    # A reload of 2024 swaps in a new partition; 2023 is untouched.
    twintig_drie = oid(f"{TABEL}_2023")
    laad_studenten([[2024, b, "GM0080", 7]], "opnieuw.csv")
    assert oid(f"{TABEL}_2024") != eerste
    assert oid(f"{TABEL}_2023") == twintig_drie
    assert sorted(StudentenPerWoongemeente.objects.values_list("peiljaar", "gemeente__code", "aantal")) == [
        (2023, "GM0014", 12), (2024, "GM0080", 7),
    ]
    # The partition has the parent's indexes and keys, attached to the parent's.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid "
            "WHERE x.indrelid = %s::regclass",
            [f"{TABEL}_2024"],
        )
        aangehecht = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = %s::regclass", [TABEL])
        assert aangehecht == cursor.fetchone()[0] == 7
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND conparentid <> 0",
            [f"{TABEL}_2024"],
        )
        assert cursor.fetchone()[0] == 3
    # New rows through the ORM go to their peiljaar's partition and take ids from the same sequence.
    nieuw = StudentenPerWoongemeente.objects.create(
        dataset=dataset, peiljaar=2024, instelling=codes[a], gemeente=gemeente, aantal=1
    )
    assert nieuw.pk > max(StudentenPerWoongemeente.objects.exclude(pk=nieuw.pk).values_list("pk", flat=True))
    assert partities()[f"{TABEL}_2024"][1] == 2


def test_een_onbekende_sleutel_wordt_bij_het_aanhechten_een_integrityerror_en_schrijft_niets(refdata):
    codes = geef_testcodes()
    a = sorted(codes)[0]
    laad_studenten([[2024, a, "GM0014", 10]])
    voor = oid(f"{TABEL}_2024")
    dataset = Dataset.objects.get(soort="studenten_woongemeente", peiljaar=2024)
    geen_gemeente = Gemeente.objects.order_by("-pk").first().pk + 1000
    rij = (dataset.pk, 2024, codes[a].pk, geen_gemeente, "", "", 5, 0)
    with pytest.raises(IntegrityError, match="gemeente"):
        with transaction.atomic():
            kopieer.vervang_partitie(StudentenPerWoongemeente, "peiljaar", 2024, VELDEN, [rij])
    assert oid(f"{TABEL}_2024") == voor
    assert list(StudentenPerWoongemeente.objects.values_list("gemeente__code", "aantal")) == [("GM0014", 10)]


def _andere_verbinding():
    verbinding = verbind(connection.settings_dict["NAME"])
    verbinding.execute("SET lock_timeout = '2s'")
    return verbinding


def test_lezers_van_gemeenten_en_instellingen_wachten_niet_op_een_lading(refdata):
    """While a load's transaction is open another session reads the gemeenten and instellingen (every page
    does): attaching takes only a lock against their writers. From dropping the old partition of a reloaded
    peiljaar to the commit the students table itself waits (the last milliseconds of the load)."""
    codes = geef_testcodes()
    a = sorted(codes)[0]
    dataset = Dataset.objects.create(soort="studenten_woongemeente", peiljaar=2023)
    gemeente = Gemeente.objects.get(code="GM0014")
    rij = (dataset.pk, 2023, codes[a].pk, gemeente.pk, "", "", 5, 0)
    gemeenten = Gemeente.objects.count()
    with _andere_verbinding() as ander:
        for _ in ("eerste lading", "opnieuw"):
            kopieer.vervang_partitie(StudentenPerWoongemeente, "peiljaar", 2023, VELDEN, [rij])
            assert ander.execute("SELECT count(*) FROM regio_gemeente").fetchone() == (gemeenten,)
            assert ander.execute("SELECT count(*) FROM regio_mboinstelling").fetchone()[0] > 0
        ander.execute("SET lock_timeout = '100ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            ander.execute(f"SELECT count(*) FROM {TABEL}")


def test_een_bezette_tabel_laat_de_import_wachten_en_schrijft_niets(refdata, monkeypatch):
    """A reader that keeps the table busy (a long report) makes the swap give up after WACHTTIJD instead of
    queueing every other reader behind it; the beheerder is told to confirm again, and that then works."""
    monkeypatch.setattr(kopieer, "WACHTTIJD", "200ms")
    a = sorted(geef_testcodes())[0]
    imp = maak_import(
        "studenten_woongemeente",
        csv_bytes([KOP, [2024, a, "GM0014", 10]]),
        "bezet.csv",
    )
    with _andere_verbinding() as ander:
        ander.execute("BEGIN")
        ander.execute(f"LOCK TABLE {TABEL} IN ACCESS SHARE MODE")
        uitkomst = bevestig_import(imp.pk)
        ander.execute("COMMIT")
    assert not uitkomst.geladen
    assert "over een minuut opnieuw" in uitkomst.melding
    imp.refresh_from_db()
    assert imp.status == "voorbeeld"
    assert not StudentenPerWoongemeente.objects.exists()
    assert f"{TABEL}_2024" not in partities()

    assert bevestig_import(imp.pk).geladen
    assert list(StudentenPerWoongemeente.objects.values_list("peiljaar", "aantal")) == [(2024, 10)]
