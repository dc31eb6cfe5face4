"""The five loads end to end against PostgreSQL: preview, confirm, replacement, provenance, history."""

import pytest

from accounts.models import Organisatie
from regio.aantallen import Aantal
from regio.loaders import analyseer
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gegevensimport,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    MboInstelling,
    StudentenPerInstelling,
    StudentenPerWoongemeente,
)
from tests.loaders_helpers import VOORBEELDEN, csv_bytes, geef_testcodes, laad, vingerafdruk

pytestmark = pytest.mark.django_db


def laad_voorbeeld(naam, soort, peiljaar=None, gebruiker=None):
    return laad(soort, (VOORBEELDEN / naam).read_bytes(), naam, peiljaar, gebruiker)


# --- 1. adressen mbo-instellingen ------------------------------------------------------------------


def test_adressen_koppelt_op_naam_maakt_nieuwe_en_laat_de_rest_staan(beheerder):
    assert MboInstelling.objects.count() == 54
    voor = Organisatie.objects.filter(soort="mbo_instelling").count()
    analyse = analyseer("adressen_mbo", (VOORBEELDEN / "adressen_mbo_voorbeeld.csv").read_bytes(), "a.csv", 2025)
    assert analyse.voorbeeld.tellingen == {"nieuw": 1, "gewijzigd": 3, "verwijderd": 0, "ongewijzigd": 0}
    assert "51 instellingen staan niet in het bestand. Zij blijven staan" in " ".join(analyse.voorbeeld.regels)

    imp = laad_voorbeeld("adressen_mbo_voorbeeld.csv", "adressen_mbo", 2025, beheerder)
    assert imp.rijen_gelezen == 4 and imp.rijen_geaccepteerd == 4
    assert MboInstelling.objects.count() == 55  # nothing deleted, one new
    firda = MboInstelling.objects.get(instellingscode="99XA")
    assert firda.naam == "Firda"
    assert firda.vestigingsgemeente.code == "GM0080"
    assert firda.plaatsnaam == "LEEUWARDEN"
    assert StudentenPerInstelling.objects.get(instelling=firda, peiljaar=2024).aantal == 20881  # same instelling
    # ROC Midden Nederland is in the table under two regions; DUO's region 19 is already known.
    roc = MboInstelling.objects.get(instellingscode="99XC")
    assert sorted(roc.regios.values_list("nummer", flat=True)) == [16, 19]
    nieuw = MboInstelling.objects.get(instellingscode="99XD")
    assert nieuw.naam == "Voorbeeld Vakcollege (fictief)"
    assert nieuw.vestigingsgemeente.naam == "Súdwest-Fryslân"
    assert list(nieuw.aanwezigheden.values_list("regio__nummer", "bron")) == [(5, "DUO adressen mbo-instellingen")]
    assert Organisatie.objects.filter(soort="mbo_instelling").count() == voor + 1
    assert Organisatie.objects.get(instelling=nieuw).naam == "Voorbeeld Vakcollege (fictief)"
    dataset = Dataset.objects.get(soort="instellingen", peiljaar=2025)
    assert dataset.door_beheerder and dataset.status == "officieel"
    assert (
        "adressen_mbo_voorbeeld.csv" in dataset.bron and imp.sha256 in dataset.bron and "beheerder-test" in dataset.bron
    )


def test_adressen_oude_kop_brin_nummer_en_hernieuwde_lading_vervangt_de_regiokoppelingen(refdata):
    kop = ["BRIN NUMMER", "INSTELLINGSNAAM", "GEMEENTENUMMER", "PLAATSNAAM", "RMC-REGIO CODE", "RMC-REGIO NAAM", "X"]
    eerste = csv_bytes([kop, ["99ZA", "Fictief College Een", "0014", "GRONINGEN", "03", "CW Groningen", "a"],
                        ["99ZB", "Fictief College Twee", "34", "ALMERE", "18", "Flevoland", "b"]])
    laad("adressen_mbo", eerste, peiljaar=2025)
    assert set(InstellingInRegio.objects.filter(bron="DUO adressen mbo-instellingen").values_list(
        "instelling__instellingscode", "regio__nummer")) == {("99ZA", 3), ("99ZB", 18)}
    # Second load: 99ZA moves to region 4 and is renamed, 99ZB is gone from the file.
    tweede = csv_bytes([kop, ["99ZA", "Fictief College Een Nieuw", "0080", "LEEUWARDEN", "4", "", "a"]])
    analyse = analyseer("adressen_mbo", tweede, "b.csv", 2025)
    assert analyse.voorbeeld.tellingen["gewijzigd"] == 1
    assert any("Koppelingen met een regio die vervallen" == v["titel"] and v["totaal"] == 2
               for v in analyse.voorbeeld.voorbeelden)
    laad("adressen_mbo", tweede, peiljaar=2025)
    assert set(InstellingInRegio.objects.filter(bron="DUO adressen mbo-instellingen").values_list(
        "instelling__instellingscode", "regio__nummer")) == {("99ZA", 4)}
    assert MboInstelling.objects.filter(instellingscode="99ZB").exists()  # not deleted
    een = MboInstelling.objects.get(instellingscode="99ZA")
    assert een.naam == "Fictief College Een Nieuw"
    assert een.organisatie.naam == "Fictief College Een Nieuw"


def test_adressen_dubbelzinnige_naam_wordt_met_de_regio_beslist(refdata):
    # Two shipped instellingen carry the table name "Grafisch lyceum" (regions 12 and 40).
    kop = ["INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENUMMER", "RMC-REGIO CODE"]
    laad("adressen_mbo", csv_bytes([kop, ["99GL", "Grafisch lyceum", "0268", "40"]]), peiljaar=2025)
    instelling = MboInstelling.objects.get(instellingscode="99GL")
    assert list(instelling.regios.values_list("nummer", flat=True)) == [40]
    assert MboInstelling.objects.filter(naam__startswith="Grafisch").count() == 2


def test_adressen_windows_1252_met_accenten_en_koppen_in_andere_schrijfwijze(refdata):
    inhoud = csv_bytes(
        [[" instellingscode ", "Instellingsnaam", '"gemeentenummer"', "Plaatsnaam", "rmc_regio_code"],
         ["99WA", "Fictief Collège Noordëlijk", "0080", "LEEUWARDEN", "04"]],
        ";", encoding="cp1252",
    )
    assert "è".encode("cp1252") in inhoud and "ë".encode("cp1252") in inhoud
    imp = laad("adressen_mbo", inhoud, peiljaar=2025)
    assert (imp.encoding, imp.scheidingsteken) == ("Windows-1252", ";")
    instelling = MboInstelling.objects.get(instellingscode="99WA")
    assert instelling.naam == "Fictief Collège Noordëlijk"
    assert list(instelling.regios.values_list("nummer", flat=True)) == [4]


# --- 2. studenten per instelling -------------------------------------------------------------------


def test_studenten_per_instelling_somt_locaties_en_houdt_onderdrukking(refdata):
    laad_voorbeeld("adressen_mbo_voorbeeld.csv", "adressen_mbo", 2025)
    analyse = analyseer(
        "studenten_instelling", (VOORBEELDEN / "studenten_per_instelling_voorbeeld.csv").read_bytes(), "s.csv"
    )
    assert analyse.tabel.encoding == "UTF-8 met BOM" and analyse.tabel.scheidingsteken == ","
    assert analyse.voorbeeld.peiljaren == [2023, 2024]
    # 2024: 4 instellingen × 4 leerwegen new; the 54 table totals of 2024 are replaced.
    assert "Peiljaar 2024: 4 instellingen, 16 rijen nieuw, 0 gewijzigd, 54 verwijderd" in analyse.voorbeeld.regels[1]

    laad_voorbeeld("studenten_per_instelling_voorbeeld.csv", "studenten_instelling")
    firda = MboInstelling.objects.get(instellingscode="99XA")
    rijen = {r.leerweg: Aantal(r.aantal, r.onderdrukt)
             for r in StudentenPerInstelling.objects.filter(instelling=firda, peiljaar=2024)}
    assert rijen == {"BBL": Aantal(1500), "BOLVT": Aantal(4300), "BOLDT": Aantal(0, 1), "EX": Aantal(12, 1)}
    assert str(rijen["BOLDT"]) == "1–4"
    assert str(sum(rijen.values())) == "5.814–5.820"
    assert StudentenPerInstelling.objects.filter(peiljaar=2024).count() == 16
    assert not StudentenPerInstelling.objects.filter(peiljaar=2024, leerweg="TOTAAL").exists()
    assert StudentenPerInstelling.objects.filter(peiljaar=2023).count() == 16
    for jaar in (2023, 2024):
        assert Dataset.objects.get(soort="studenten_instelling", peiljaar=jaar).door_beheerder


def test_studenten_per_instelling_alleen_het_gevraagde_peiljaar(refdata):
    laad_voorbeeld("adressen_mbo_voorbeeld.csv", "adressen_mbo", 2025)
    imp = laad_voorbeeld("studenten_per_instelling_voorbeeld.csv", "studenten_instelling", peiljaar=2023)
    assert imp.rijen_gelezen == 10 and imp.rijen_geaccepteerd == 5
    assert StudentenPerInstelling.objects.filter(peiljaar=2023).count() == 16
    # 2024 still holds the shipped table totals.
    assert StudentenPerInstelling.objects.filter(peiljaar=2024, leerweg="TOTAAL").count() == 54


# --- 3. studenten per woongemeente -----------------------------------------------------------------


def test_woongemeente_voorbeeld_en_vervanging_van_een_peiljaar(beheerder):
    laad_voorbeeld("adressen_mbo_voorbeeld.csv", "adressen_mbo", 2025)
    analyse = analyseer(
        "studenten_woongemeente", (VOORBEELDEN / "studenten_per_woongemeente_voorbeeld.csv").read_bytes(), "w.csv"
    )
    (nieuw,) = [v for v in analyse.voorbeeld.voorbeelden if v["titel"] == "Nieuw in peiljaar 2024"]
    assert nieuw["totaal"] == 15
    assert nieuw["regels"][4] == "Firda (99XA) — Groningen: 1–4"  # suppressed stays suppressed, never 0 or -1
    assert "samen 11.796–11.808 studenten (waarvan 4 onderdrukt delen van 1–4)" in analyse.voorbeeld.regels[0]
    imp = laad_voorbeeld("studenten_per_woongemeente_voorbeeld.csv", "studenten_woongemeente", gebruiker=beheerder)
    assert imp.peiljaar == 2024
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == 15
    som = Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2024))
    assert (som.bekend, som.onderdrukt) == (11_792, 4)
    vak = StudentenPerWoongemeente.objects.get(
        instelling__instellingscode="99XD", gemeente__code="GM1900", leerweg="BOLVT", niveau="3"
    )
    assert (vak.aantal, vak.onderdrukt) == (12, 0)
    eerste_dataset = Dataset.objects.get(soort="studenten_woongemeente", peiljaar=2024)

    # Reload 2024 with other rows: old rows of 2024 gone, other peiljaren untouched.
    codes = geef_testcodes()
    code = next(iter(codes))
    ander_jaar = csv_bytes(
        [["peiljaar", "instellingscode", "gemeentecode", "aantal"], [2023, "99XA", "GM0080", 7]], ","
    )
    laad("studenten_woongemeente", ander_jaar)
    nieuw = csv_bytes(
        [["Peiljaar", "InstellingsCode", "GemeenteCode", "Aantal"],
         [2024, "99XA", "GM0080", 2000],  # changed
         [2024, "99XA", "GM1900", 650],  # unchanged
         [2024, code, "0014", 5],  # new, code without GM
         [2024, code, "GM0034", -1]],  # new, suppressed
        ",",
    )
    analyse = analyseer("studenten_woongemeente", nieuw, "n.csv")
    assert analyse.voorbeeld.tellingen == {"nieuw": 2, "gewijzigd": 1, "verwijderd": 13, "ongewijzigd": 1}
    assert analyse.voorbeeld.regels[0].startswith(
        "Peiljaar 2024: 2 rijen nieuw, 1 gewijzigd, 13 verwijderd, 1 ongewijzigd (vorige lading van peiljaar 2024)"
    )
    laad("studenten_woongemeente", nieuw)
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == 4
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2023).count() == 1
    som = Aantal.som_van(StudentenPerWoongemeente.objects.filter(peiljaar=2024))
    assert str(som) == "2.656–2.659"
    assert Dataset.objects.get(soort="studenten_woongemeente", peiljaar=2024).pk == eerste_dataset.pk
    assert set(StudentenPerWoongemeente.objects.values_list("dataset__peiljaar", flat=True)) == {2023, 2024}


# --- 4. CBS inwoners -------------------------------------------------------------------------------


def test_inwoners_canoniek_vervangt_alleen_het_eigen_peiljaar(refdata):
    imp = laad_voorbeeld("inwoners_cbs_voorbeeld.csv", "inwoners")
    assert imp.peiljaar == 2024
    assert Inwonertal.objects.filter(peiljaar=2024).count() == 5
    assert Inwonertal.objects.get(peiljaar=2024, gemeente__code="GM0344").aantal == 370_000
    assert Inwonertal.objects.filter(peiljaar=2023).count() == 342
    dataset = Dataset.objects.get(soort="inwoners", peiljaar=2024)
    assert dataset.door_beheerder and "CBS" in dataset.bron


def test_inwoners_statline_export_met_namen_perioden_en_windows_1252(refdata):
    inhoud = (VOORBEELDEN / "inwoners_statline_voorbeeld.csv").read_bytes()
    analyse = analyseer("inwoners", inhoud, "statline.csv")
    assert analyse.tabel.encoding == "Windows-1252"
    assert analyse.tabel.kopregel == 3
    assert analyse.voorbeeld.peiljaren == [2024]
    assert "2 rijen voor Nederland, landsdelen, provincies of COROP-gebieden" in " ".join(analyse.voorbeeld.regels)
    laad("inwoners", inhoud, "statline.csv")
    tallen = dict(Inwonertal.objects.filter(peiljaar=2024).values_list("gemeente__naam", "aantal"))
    assert tallen == {
        "Groningen": 240_000, "Leeuwarden": 126_000, "Súdwest-Fryslân": 91_000, "Hengelo": 82_000,
        "Bergen (NH.)": 30_000, "'s-Gravenhage": 560_000,
    }


def test_inwoners_statline_met_codes_en_totale_bevolking_vervangt_2023(refdata):
    inhoud = csv_bytes(
        [["Regio's", "Perioden", "Totale bevolking (aantal)", "Bevolkingsdichtheid (aantal inwoners per km²)"]]
        + [[code, "2023JJ00", str(1000 + i), "1"] for i, code in
           enumerate(Gemeente.objects.order_by("code").values_list("code", flat=True))]
        + [["NL01  ", "2023JJ00", "1", "1"], ["PV20  ", "2023JJ00", "1", "1"]],
        ";",
    )
    analyse = analyseer("inwoners", inhoud, "cbs.csv")
    assert analyse.voorbeeld.tellingen == {"nieuw": 0, "gewijzigd": 342, "verwijderd": 0, "ongewijzigd": 0}
    laad("inwoners", inhoud, "cbs.csv")
    assert Inwonertal.objects.filter(peiljaar=2023).count() == 342
    assert Inwonertal.objects.get(peiljaar=2023, gemeente__code="GM0014").aantal == 1000
    assert Dataset.objects.get(soort="inwoners", peiljaar=2023).door_beheerder


def test_inwoners_zonder_jaarkolom_neemt_het_peiljaar_van_het_formulier(refdata):
    laad("inwoners", csv_bytes([["gemeentecode", "aantal_inwoners"], ["GM0014", "5"]], ","), peiljaar=2022)
    assert Inwonertal.objects.get(peiljaar=2022).aantal == 5


# --- 5. indeling -----------------------------------------------------------------------------------


def indeling_rijen():
    return [["gemeentecode", "RMC-REGIO CODE", "gemeentenaam"]] + [
        [code, f"{nummer:02d}", naam]
        for code, nummer, naam in Gemeente.objects.order_by("code").values_list("code", "regio__nummer", "naam")
    ]


def test_indeling_voorbeeld_is_de_huidige_indeling(refdata):
    analyse = analyseer("indeling", (VOORBEELDEN / "indeling_voorbeeld.csv").read_bytes(), "indeling.csv")
    assert analyse.voorbeeld.tellingen == {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": 342}


def test_indeling_verplaatst_gemeenten_en_beschermt_tegen_referentiedata(beheerder):
    from django.core.management import call_command

    rijen = indeling_rijen()
    for rij in rijen[1:]:
        if rij[0] == "GM0080":  # Leeuwarden: 4 → 5, and it is the contactgemeente of region 4
            rij[1] = "05"
        if rij[0] == "GM0014":  # Groningen: 3 → 1
            rij[1] = "1"
    assert Doorstroompuntregio.objects.get(nummer=4).contactgemeente.code == "GM0080"
    analyse = analyseer("indeling", csv_bytes(rijen, ";"), "officieel.csv")
    assert analyse.voorbeeld.tellingen["gewijzigd"] == 2
    assert any("contactgemeente van regio 4, Leeuwarden" in w for w in analyse.voorbeeld.waarschuwingen)
    laad("indeling", csv_bytes(rijen, ";"), "officieel.csv", gebruiker=beheerder)
    assert Gemeente.objects.get(code="GM0080").regio.nummer == 5
    assert Gemeente.objects.get(code="GM0014").regio.nummer == 1
    regio4 = Doorstroompuntregio.objects.get(nummer=4)
    assert regio4.contactgemeente is None and regio4.contactgemeente_bron.startswith("beheerder: beheerder-test")
    dataset = Dataset.objects.get(soort="indeling", peiljaar=0)
    assert dataset.status == "officieel" and dataset.door_beheerder
    # The shipped reference data no longer overwrites the official indeling.
    call_command("laad_referentiedata", verbosity=0)
    assert Gemeente.objects.get(code="GM0080").regio.nummer == 5
    assert Doorstroompuntregio.objects.get(nummer=4).contactgemeente is None


# --- history and provenance ------------------------------------------------------------------------


def test_geschiedenis_legt_wie_wat_en_hoeveel_vast(beheerder):
    imp = laad_voorbeeld("inwoners_cbs_voorbeeld.csv", "inwoners", gebruiker=beheerder)
    assert imp.gebruiker == beheerder
    assert imp.status == "geladen" and imp.afgerond_op is not None
    assert imp.bestandsnaam == "inwoners_cbs_voorbeeld.csv"
    assert imp.grootte == len((VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes())
    assert len(imp.sha256) == 64 and imp.encoding == "UTF-8" and imp.scheidingsteken == ","
    assert (imp.rijen_gelezen, imp.rijen_geaccepteerd) == (5, 5)
    assert imp.inhoud is None  # the bytes are dropped once loaded
    assert imp.samenvatting["bevestigd_door"] == "beheerder-test"


def test_analyseer_schrijft_niets(refdata):
    voor = vingerafdruk()
    aantal_imports = Gegevensimport.objects.count()
    for naam, soort in [
        ("adressen_mbo_voorbeeld.csv", "adressen_mbo"),
        ("inwoners_cbs_voorbeeld.csv", "inwoners"),
        ("indeling_voorbeeld.csv", "indeling"),
    ]:
        analyseer(soort, (VOORBEELDEN / naam).read_bytes(), naam)
    assert vingerafdruk() == voor
    assert Gegevensimport.objects.count() == aantal_imports
