"""Every class of bad row rejects the whole file, with Dutch reasons per line and column, and writes nothing."""

import random

import pytest

from regio.loaders import Afgewezen, analyseer, bevestig_import, maak_import
from regio.models import Gegevensimport, Gemeente
from tests.loaders_helpers import csv_bytes, geef_testcodes, vingerafdruk

pytestmark = pytest.mark.django_db


def afwijzing(soort, inhoud, peiljaar=None, naam="bestand.csv"):
    with pytest.raises(Afgewezen) as fout:
        analyseer(soort, inhoud, naam, peiljaar)
    return fout.value


def plaatsen(fout):
    return [(f.regel, f.kolom) for f in fout.fouten]


@pytest.fixture
def codes(refdata):
    return geef_testcodes()


WG_KOP = ["peiljaar", "instellingscode", "gemeentecode", "aantal", "leerweg", "niveau"]


# --- studenten per woongemeente --------------------------------------------------------------------


def test_woongemeente_elke_soort_fout_met_regel_en_kolom(codes):
    fout = afwijzing(
        "studenten_woongemeente",
        csv_bytes([
            WG_KOP,
            [2024, "T001", "GM0014", "10", "", ""],  # fine
            [2024, "ZZ99", "GM0014", "10", "", ""],  # unknown instelling
            [2024, "T001", "GM9999", "10", "", ""],  # unknown gemeente
            [2024, "T001", "Groningen", "10", "", ""],  # no gemeentecode
            [2024, "T002", "GM0014", "-3", "", ""],  # negative
            [2024, "T002", "GM0034", "tien", "", ""],  # not a number
            [2024, "T002", "GM0037", "", "", ""],  # empty count
            [2024, "T001", "0014", "3", "", ""],  # duplicate of line 2
            [2024, "T003", "GM0014", "3", "BOL", ""],  # unknown leerweg
            [2024, "T003", "GM0034", "3", "", "7"],  # unknown niveau
            ["twintig", "T003", "GM0014", "3", "", ""],  # no year
        ]),
    )
    assert fout.totaal == 10
    assert plaatsen(fout) == [
        (3, "instellingscode"), (4, "gemeentecode"), (5, "gemeentecode"), (6, "aantal"), (7, "aantal"),
        (8, "aantal"), (9, ""), (10, "leerweg"), (11, "niveau"), (12, "peiljaar"),
    ]
    teksten = [f.melding for f in fout.fouten]
    assert teksten[0].startswith(
        "Instellingscode ZZ99 is onbekend. Laad eerst het DUO-bestand 'Adressen mbo-instellingen'"
    )
    assert teksten[1] == "Gemeentecode GM9999 is onbekend."
    assert teksten[3] == "Negatief aantal -3: alleen -1 (onderdrukt, 1 tot 4) is toegestaan."
    assert teksten[4].startswith("'tien' is geen geheel getal")
    assert teksten[5] == "Geen aantal ingevuld."
    assert teksten[6] == "Dubbele rij: T001, GM0014 in peiljaar 2024 staat ook op regel 2."


def test_woongemeente_totaal_naast_uitsplitsing_telt_dubbel_en_wordt_afgewezen(codes):
    fout = afwijzing(
        "studenten_woongemeente",
        csv_bytes([WG_KOP, [2024, "T001", "GM0014", "10", "BBL", ""], [2024, "T001", "GM0034", "5", "", ""]]),
    )
    assert plaatsen(fout) == [(3, "leerweg")]
    assert "telt dubbel" in fout.fouten[0].melding


def test_woongemeente_zonder_peiljaar_kolom_en_zonder_peiljaar(codes):
    fout = afwijzing("studenten_woongemeente", csv_bytes([WG_KOP[1:4], ["T001", "GM0014", "1"]]))
    assert "geen kolom peiljaar" in fout.fouten[0].melding
    # With the peiljaar given it loads.
    analyse = analyseer("studenten_woongemeente", csv_bytes([WG_KOP[1:4], ["T001", "GM0014", "1"]]), "x.csv", 2024)
    assert analyse.plan["rijen"][2024]


def test_foutenlijst_wordt_afgekapt_op_200_met_het_totaal(codes):
    rijen = [WG_KOP] + [[2024, "ONBEKEND", "GM0014", "1", "", ""] for _ in range(450)]
    fout = afwijzing("studenten_woongemeente", csv_bytes(rijen))
    assert fout.totaal == 450
    assert len(fout.fouten) == 200
    assert fout.fouten[-1].regel == 201
    imp = maak_import("studenten_woongemeente", csv_bytes(rijen), "veel.csv")
    assert imp.status == "afgewezen" and imp.aantal_fouten == 450 and len(imp.fouten) == 200
    assert imp.rijen_gelezen == 450 and imp.rijen_geaccepteerd == 0
    assert imp.inhoud is None  # a rejected file is not kept


# --- studenten per instelling ----------------------------------------------------------------------

SPI_KOP = ["JAAR", "INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENAAM", "BBL", "BOLVT", "BOLDT", "EX"]


def test_studenten_per_instelling_fouten(codes):
    fout = afwijzing(
        "studenten_instelling",
        csv_bytes([
            SPI_KOP,
            [2024, "T001", "A", "X", 1, 2, 3, 4],
            [2024, "T001", "A", "X", 1, 2, 3, 4],  # identical location: duplicate
            [2024, "QQ12", "Onbekend college", "X", 1, 2, 3, 4],
            [2024, "T002", "B", "X", -2, 2, 3, 4],
            [2024, "T002", "B", "Y", 1, "1,5", 3, 4],
        ], ","),
    )
    assert plaatsen(fout) == [(3, ""), (4, "INSTELLINGSCODE"), (5, "BBL"), (6, "BOLVT")]
    assert "QQ12 (Onbekend college) is onbekend. Laad eerst het DUO-bestand 'Adressen mbo-instellingen'" in (
        fout.fouten[1].melding
    )


def test_studenten_per_instelling_ontbrekende_kolom(codes):
    fout = afwijzing(
        "studenten_instelling", csv_bytes([["JAAR", "INSTELLINGSCODE", "BBL", "BOLVT"], [2024, "T001", 1, 1]])
    )
    assert plaatsen(fout) == [(1, "BOLDT")]
    assert fout.fouten[0].melding == "Verplichte kolom BOLDT (of BOL DT of BOL DEELTIJD) ontbreekt in de kopregel."


# --- adressen --------------------------------------------------------------------------------------

ADR_KOP = ["INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENUMMER", "RMC-REGIO CODE"]


def test_adressen_fouten(refdata):
    fout = afwijzing(
        "adressen_mbo",
        csv_bytes([
            ADR_KOP,
            ["99AA", "Fictief A", "0014", "03"],
            ["99AA", "Fictief B", "0014", "03"],  # duplicate code
            ["99AC", "", "0014", "03"],  # no name
            ["99AD", "Fictief D", "9999", "03"],  # unknown gemeente
            ["99AE", "Fictief E", "0014", "41"],  # region out of range
            ["99AF", "Fictief F", "0014", "drie"],  # region not a number
            ["9 9", "Fictief G", "0014", "03"],  # bad code
        ]),
    )
    assert plaatsen(fout) == [
        (3, "INSTELLINGSCODE"), (4, "INSTELLINGSNAAM"), (5, "GEMEENTENUMMER"), (6, "RMC-REGIO CODE"),
        (7, "RMC-REGIO CODE"), (8, "INSTELLINGSCODE"),
    ]
    assert fout.fouten[0].melding == "Instellingscode 99AA staat ook op regel 2: elke instelling één keer."


# --- inwoners --------------------------------------------------------------------------------------


def test_inwoners_fouten(refdata):
    fout = afwijzing(
        "inwoners",
        csv_bytes([
            ["gemeentecode", "inwoners", "peiljaar"],
            ["GM0014", "100", "2024"],
            ["GM0014", "100", "2024"],  # duplicate
            ["Atlantis", "5", "2024"],  # unknown name
            ["GM0034", "-1", "2024"],  # CBS has no suppression: negative
            ["GM0037", ".", "2024"],  # CBS's "unknown" is no number
        ]),
    )
    assert plaatsen(fout) == [(3, "gemeentecode"), (4, "gemeentecode"), (5, "inwoners"), (6, "inwoners")]
    assert fout.fouten[1].melding == "Gemeente 'Atlantis' is onbekend."
    assert fout.fouten[2].melding == "Negatief aantal inwoners -1."


# --- indeling --------------------------------------------------------------------------------------


def test_indeling_moet_elke_gemeente_precies_een_keer_bevatten(refdata):
    gemeenten = list(Gemeente.objects.order_by("code").values_list("code", "regio__nummer"))
    rijen = [["gemeentecode", "regionummer"]] + [[c, n] for c, n in gemeenten]
    rijen[1][1] = 41  # GM0014 in a region that does not exist
    rijen[2][1] = 0
    del rijen[5]  # one gemeente missing
    rijen.append([gemeenten[10][0], gemeenten[10][1]])  # one gemeente twice
    rijen.append(["GM9999", 3])  # unknown gemeente
    fout = afwijzing("indeling", csv_bytes(rijen))
    assert fout.totaal == 5
    assert [f.melding for f in fout.fouten] == [
        "Regio 41 bestaat niet: regionummers lopen van 1 tot en met 40.",
        "Regio 0 bestaat niet: regionummers lopen van 1 tot en met 40.",
        f"Gemeente {Gemeente.objects.get(code=gemeenten[10][0]).naam} ({gemeenten[10][0]}) staat ook op regel 11: "
        "elke gemeente hoort in precies één regio.",
        "Gemeentecode GM9999 is onbekend.",
        f"Gemeente {Gemeente.objects.get(code=gemeenten[4][0]).naam} ({gemeenten[4][0]}) ontbreekt: elke gemeente "
        "moet in precies één regio staan.",
    ]
    assert fout.fouten[-1].regel is None


# --- rejected means nothing written ----------------------------------------------------------------


@pytest.mark.parametrize(
    "soort, inhoud",
    [
        (
            "studenten_woongemeente",
            csv_bytes([WG_KOP, [2024, "T001", "GM0014", "5", "", ""], [2024, "T001", "GM0034", "-7", "", ""]]),
        ),
        (
            "studenten_instelling",
            csv_bytes([SPI_KOP, [2024, "T001", "A", "X", 1, 2, 3, 4], [2024, "NIETS", "B", "X", 1, 2, 3, 4]]),
        ),
        (
            "adressen_mbo",
            csv_bytes([ADR_KOP, ["99AA", "Fictief A", "0014", "03"], ["99AB", "Fictief B", "0014", "99"]]),
        ),
        (
            "inwoners",
            csv_bytes([["gemeentecode", "inwoners", "peiljaar"], ["GM0014", "1", "2023"], ["GM0014", "2", "2023"]]),
        ),
        ("indeling", csv_bytes([["gemeentecode", "regionummer"], ["GM0014", "1"]])),
        ("inwoners", b"PK\x03\x04" + bytes(range(256)) * 4),
        ("inwoners", random.Random(7).randbytes(20_000)),
        ("adressen_mbo", b""),
    ],
)
def test_een_afgewezen_bestand_schrijft_niets_in_de_gegevenstabellen(codes, soort, inhoud):
    voor = vingerafdruk()
    imp = maak_import(soort, inhoud, "fout.csv", peiljaar=None)
    assert imp.status == Gegevensimport.Status.AFGEWEZEN
    assert imp.aantal_fouten >= 1 and imp.fouten[0]["melding"]
    uitkomst = bevestig_import(imp.pk)
    assert not uitkomst.geladen and "afgewezen" in uitkomst.melding
    assert vingerafdruk() == voor


def test_bevestigen_controleert_opnieuw_tegen_de_gegevens_van_nu(codes):
    """The preview was fine, but the instelling disappeared before confirming: rejected, nothing written."""
    from regio.models import MboInstelling

    imp = maak_import("studenten_woongemeente", csv_bytes([WG_KOP, [2024, "T005", "GM0014", "5", "", ""]]), "x.csv")
    assert imp.status == "voorbeeld"
    MboInstelling.objects.filter(instellingscode="T005").update(instellingscode="T999")
    voor = vingerafdruk()
    uitkomst = bevestig_import(imp.pk)
    assert not uitkomst.geladen
    imp.refresh_from_db()
    assert imp.status == "afgewezen" and "T005" in imp.fouten[0]["melding"]
    assert vingerafdruk() == voor


def test_gewijzigde_opgeslagen_bytes_worden_niet_geladen(codes):
    imp = maak_import("studenten_woongemeente", csv_bytes([WG_KOP, [2024, "T001", "GM0014", "5", "", ""]]), "x.csv")
    Gegevensimport.objects.filter(pk=imp.pk).update(inhoud=csv_bytes([WG_KOP, [2024, "T001", "GM0014", "6", "", ""]]))
    voor = vingerafdruk()
    uitkomst = bevestig_import(imp.pk)
    assert not uitkomst.geladen and "niet meer hetzelfde" in uitkomst.melding
    imp.refresh_from_db()
    assert imp.status == "mislukt"
    assert vingerafdruk() == voor
