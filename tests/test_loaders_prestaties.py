"""A 100,000-row woongemeente file loads with a bounded number of queries (bulk operations, no per-row queries)."""

import io
import itertools
import time

import pytest

from regio.aantallen import Aantal
from regio.loaders import bevestig_import, maak_import
from regio.models import Gemeente, StudentenPerWoongemeente
from tests.loaders_helpers import geef_testcodes

pytestmark = pytest.mark.django_db

AANTAL_RIJEN = 100_000


def groot_bestand():
    codes = sorted(geef_testcodes())
    gemeenten = list(Gemeente.objects.order_by("code").values_list("code", flat=True))
    combinaties = itertools.product(codes, gemeenten, ["BBL", "BOLVT", "BOLDT", "EX"], ["1", "2", "3", "4"])
    buffer = io.StringIO()
    buffer.write("peiljaar;instellingscode;gemeentecode;aantal;leerweg;niveau\r\n")
    bekend = onderdrukt = 0
    for i, (code, gemeente, leerweg, niveau) in enumerate(itertools.islice(combinaties, AANTAL_RIJEN)):
        aantal = -1 if i % 7 == 0 else i % 50
        if aantal == -1:
            onderdrukt += 1
        else:
            bekend += aantal
        buffer.write(f"2024;{code};{gemeente};{aantal};{leerweg};{niveau}\r\n")
    return buffer.getvalue().encode(), Aantal(bekend, onderdrukt)


def test_honderdduizend_rijen_met_begrensd_aantal_queries(refdata, django_assert_max_num_queries, capsys):
    inhoud, verwacht = groot_bestand()
    assert inhoud.count(b"\n") == AANTAL_RIJEN + 1

    start = time.perf_counter()
    with django_assert_max_num_queries(15):
        imp = maak_import("studenten_woongemeente", inhoud, "groot.csv")
    voorbeeld = time.perf_counter() - start
    assert imp.status == "voorbeeld", imp.fouten[:3]
    assert imp.rijen_gelezen == AANTAL_RIJEN
    assert imp.samenvatting["tellingen"]["nieuw"] == AANTAL_RIJEN

    start = time.perf_counter()
    with django_assert_max_num_queries(50):
        uitkomst = bevestig_import(imp.pk)
    laden = time.perf_counter() - start
    assert uitkomst.geladen, uitkomst.melding

    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == AANTAL_RIJEN
    assert Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2024)) == verwacht

    # Loading it again replaces the peiljaar: same count, one delete.
    imp2 = maak_import("studenten_woongemeente", inhoud, "groot-opnieuw.csv")
    assert imp2.samenvatting["tellingen"] == {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": AANTAL_RIJEN}
    with django_assert_max_num_queries(50):
        assert bevestig_import(imp2.pk).geladen
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == AANTAL_RIJEN

    with capsys.disabled():
        print(f"\n100.000 rijen: voorbeeld {voorbeeld:.2f} s, bevestigen en laden {laden:.2f} s")
