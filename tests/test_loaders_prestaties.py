"""A 100,000-row woongemeente file loads with a bounded number of queries (one COPY on PostgreSQL, no
per-row queries), and the COPY path writes exactly what the bulk_create path (SQLite) writes.

Times are printed, never asserted: `make test TEST_ARGS="tests/test_loaders_prestaties.py -q -s"`.
"""

import time

import pytest
from django.db import IntegrityError, connection, transaction

from regio.aantallen import Aantal
from regio.loaders import bevestig_import, kopieer, maak_import
from regio.loaders.woongemeente import VELDEN, WoongemeenteLader
from regio.models import Dataset, Gemeente, StudentenPerWoongemeente
from scripts.bench.duo_bestand import groot_woongemeentebestand
from tests.loaders_helpers import csv_bytes, geef_testcodes

pytestmark = pytest.mark.django_db

AANTAL_RIJEN = 100_000
OP_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
FK_VELDEN = {"dataset": "dataset_id", "instelling": "instelling_id", "gemeente": "gemeente_id"}


def groot_bestand():
    return groot_woongemeentebestand(geef_testcodes(), AANTAL_RIJEN)


def copy_statements(vastgelegd):
    return [q["sql"] for q in vastgelegd.captured_queries if q["sql"].startswith("COPY ")]


def rijen_in_database():
    """Every stored row, without its id, in a fixed order."""
    return sorted(StudentenPerWoongemeente.objects.values_list(*(FK_VELDEN.get(veld, veld) for veld in VELDEN)))


def test_honderdduizend_rijen_met_begrensd_aantal_queries(refdata, django_assert_max_num_queries, capsys):
    inhoud, verwacht = groot_bestand()
    assert inhoud.count(b"\n") == AANTAL_RIJEN + 1

    start = time.perf_counter()
    with django_assert_max_num_queries(10):
        imp = maak_import("studenten_woongemeente", inhoud, "groot.csv")
    voorbeeld = time.perf_counter() - start
    assert imp.status == "voorbeeld", imp.fouten[:3]
    assert imp.rijen_gelezen == AANTAL_RIJEN
    assert imp.samenvatting["tellingen"] == {"nieuw": AANTAL_RIJEN, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": 0}

    start = time.perf_counter()
    with django_assert_max_num_queries(25) as vastgelegd:
        uitkomst = bevestig_import(imp.pk)
    laden = time.perf_counter() - start
    assert uitkomst.geladen, uitkomst.melding
    assert uitkomst.imp.samenvatting["geschreven"] == AANTAL_RIJEN
    if connection.vendor == "postgresql":
        assert len(copy_statements(vastgelegd)) == 1
    # The foreign keys are DEFERRABLE INITIALLY DEFERRED: what is still pending would be checked at COMMIT, which
    # this test's transaction never reaches. Run it now, as COMMIT would, to show the whole cost (on PostgreSQL
    # nothing: attaching the new partition checked the keys).
    start = time.perf_counter()
    connection.check_constraints()
    commit = time.perf_counter() - start

    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == AANTAL_RIJEN
    assert Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2024)) == verwacht

    # Loading it again replaces the peiljaar: same count (on PostgreSQL a new partition in place of the old).
    start = time.perf_counter()
    imp2 = maak_import("studenten_woongemeente", inhoud, "groot-opnieuw.csv")
    voorbeeld2 = time.perf_counter() - start
    assert imp2.samenvatting["tellingen"] == {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": AANTAL_RIJEN}
    start = time.perf_counter()
    with django_assert_max_num_queries(25):
        assert bevestig_import(imp2.pk).geladen
    connection.check_constraints()
    laden2 = time.perf_counter() - start
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == AANTAL_RIJEN
    assert Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2024)) == verwacht

    with capsys.disabled():
        print(
            f"\n100.000 rijen ({connection.vendor}): voorbeeld {voorbeeld:.2f} s, bevestigen en laden {laden:.2f} s "
            f"+ uitgestelde FK-controle bij COMMIT {commit:.2f} s; opnieuw laden: voorbeeld {voorbeeld2:.2f} s, "
            f"bevestigen met FK-controle {laden2:.2f} s"
        )


def klein_bestand(codes):
    """Two peiljaren; totals and split rows; suppressed and zero counts; codes written in several ways."""
    a, b, c = sorted(codes)[:3]
    return csv_bytes([
        ["peiljaar", "instellingscode", "gemeentecode", "aantal", "leerweg", "niveau"],
        [2024, a, "GM0014", "120", "", ""],
        [2024, a, "0034", "-1", "", ""],
        [2024, a.lower(), "gm0037", "0", "", ""],
        [2024, b, "GM0014", "7", "BBL", "2"],
        [2024, b, "GM0014", "-1", "bol-vt", "entree"],
        [2024, b, "14", "3", "BOLDT", "4"],
        [2023, b, "GM0014", "5", "EX", "3"],
        [2023, c, "GM0080", "2100", "BOLVT", ""],
        [2023, c, "GM1900", "-1", "BBL", ""],
    ])


@OP_POSTGRESQL
def test_copy_en_bulk_create_schrijven_dezelfde_rijen(refdata, monkeypatch, django_assert_max_num_queries):
    inhoud = klein_bestand(geef_testcodes())

    geschreven = {}
    for copy_aan in (False, True, False):
        monkeypatch.setattr(kopieer, "COPY_TOEGESTAAN", copy_aan)
        imp = maak_import("studenten_woongemeente", inhoud, "klein.csv")
        assert imp.status == "voorbeeld", imp.fouten
        with django_assert_max_num_queries(34) as vastgelegd:  # 20 + 6 per peiljaar (vervang_partitie)
            assert bevestig_import(imp.pk).geladen
        assert len(copy_statements(vastgelegd)) == (2 if copy_aan else 0)  # one per peiljaar
        rijen = rijen_in_database()
        assert len(rijen) == 9
        geschreven.setdefault(copy_aan, rijen)
        assert rijen == geschreven[copy_aan]
    assert geschreven[True] == geschreven[False]
    # And what was written is what the file says.
    datasets = dict(Dataset.objects.filter(soort="studenten_woongemeente").values_list("peiljaar", "pk"))
    per_jaar = {jaar: [r for r in geschreven[True] if r[1] == jaar] for jaar in (2023, 2024)}
    assert {r[0] for r in per_jaar[2024]} == {datasets[2024]} and {r[0] for r in per_jaar[2023]} == {datasets[2023]}
    assert sorted(r[4:] for r in per_jaar[2024]) == [
        ("", "", 0, 0), ("", "", 0, 1), ("", "", 120, 0),
        ("BBL", "2", 7, 0), ("BOLDT", "4", 3, 0), ("BOLVT", "1", 0, 1),
    ]
    assert Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2023)) == Aantal(2105, 1)


@pytest.mark.parametrize("copy_aan", [True, False])
def test_fout_na_het_schrijven_laat_de_vorige_lading_staan(refdata, monkeypatch, copy_aan):
    """The COPY runs in the same transaction as the delete of the replaced peiljaar: a failure after
    it rolls both back."""
    monkeypatch.setattr(kopieer, "COPY_TOEGESTAAN", copy_aan)
    codes = geef_testcodes()
    eerste = maak_import("studenten_woongemeente", klein_bestand(codes), "eerste.csv")
    assert bevestig_import(eerste.pk).geladen
    voor = rijen_in_database()
    datasets_voor = sorted(Dataset.objects.values_list("soort", "peiljaar", "bron"))

    code = sorted(codes)[3]
    kop = ["peiljaar", "instellingscode", "gemeentecode", "aantal"]
    tweede = maak_import("studenten_woongemeente", csv_bytes([kop, [2024, code, "GM0014", 9]]), "tweede.csv")
    origineel = WoongemeenteLader.toepassen

    def schrijf_en_struikel(self, plan, herkomst):
        geschreven = origineel(self, plan, herkomst)
        assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == geschreven == 1
        raise RuntimeError("storing na het schrijven")

    monkeypatch.setattr(WoongemeenteLader, "toepassen", schrijf_en_struikel)
    uitkomst = bevestig_import(tweede.pk)
    assert not uitkomst.geladen and uitkomst.imp.status == "mislukt"
    assert rijen_in_database() == voor
    assert sorted(Dataset.objects.values_list("soort", "peiljaar", "bron")) == datasets_voor


@pytest.mark.parametrize("copy_aan", [True, False])
def test_dubbele_sleutel_wordt_een_django_integrityerror_en_schrijft_niets(refdata, monkeypatch, copy_aan):
    monkeypatch.setattr(kopieer, "COPY_TOEGESTAAN", copy_aan)
    instelling = next(iter(geef_testcodes().values()))
    dataset = Dataset.objects.create(soort="studenten_woongemeente", peiljaar=2031)
    gemeente = Gemeente.objects.get(code="GM0014")
    rij = (dataset.pk, 2031, instelling.pk, gemeente.pk, "", "", 5, 0)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            kopieer.schrijf_rijen(StudentenPerWoongemeente, VELDEN, [rij, rij])
    assert not StudentenPerWoongemeente.objects.filter(peiljaar=2031).exists()
    # A clean write after the failed one works: the connection is usable again.
    with transaction.atomic():
        assert kopieer.schrijf_rijen(StudentenPerWoongemeente, VELDEN, iter([rij])) == 1
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2031).count() == 1


def test_copy_sql_neemt_tabel_en_kolommen_uit_het_model():
    sql = kopieer.copy_sql(StudentenPerWoongemeente, VELDEN)
    quote = connection.ops.quote_name
    kolommen = ("dataset_id", "peiljaar", "instelling_id", "gemeente_id", "leerweg", "niveau", "aantal", "onderdrukt")
    assert sql == (
        f"COPY {quote('regio_studentenperwoongemeente')} ({', '.join(quote(k) for k in kolommen)}) FROM STDIN"
    )
