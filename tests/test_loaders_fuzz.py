"""Fuzzing every loader (hypothesis): random bytes, truncated CSV and XLSX files, huge lines, wrong
encodings, formula cells and 10 MB of one column, through the upload page and through the loader itself.

What must hold for every input and every soort:
- the page never answers 500, and the loader raises nothing but Afgewezen (with Dutch reasons);
- an upload is either a preview or rejected with its reasons on the page, never "mislukt" (a caught bug);
- a rejected upload keeps no bytes and leaves every data table as it was; confirming it writes nothing;
- a preview that is confirmed is loaded as a whole or (when it fails) not at all.

Hypothesis runs derandomized and without its example database, so CI sees the same examples every time.
Each example runs in a savepoint that is rolled back, so examples do not see each other's imports.
"""

import csv
import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regio.export import GEVAARLIJK
from regio.loaders import Afgewezen, analyseer, bevestig_import, maak_import
from regio.loaders.lezen import MAX_FOUTEN, MAX_VELDGROOTTE
from regio.models import Gegevensimport, MboInstelling, StudentenPerInstelling, StudentenPerWoongemeente
from tests.loaders_helpers import VOORBEELDEN, geef_testcodes, vingerafdruk

pytestmark = pytest.mark.django_db

GEGEVENS = reverse("beheer_gegevens")
SOORTEN = [soort for soort, _ in Gegevensimport.Soort.choices]
FORMULES = [
    '=HYPERLINK("https://example.org/x","Klik hier")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1:A9)",
    "=1+1",
    "=cmd|' /C notepad'!'A1'",
    "\t=1+1",
]
MB = 1024 * 1024


def fuzz(max_examples):
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- valid files, one per soort ----------------------------------------------------------------------


def geldige_rijen(soort):
    """A small file each loader accepts (after geef_testcodes), with accents in text columns."""
    if soort == "adressen_mbo":
        return [
            ["INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENUMMER", "PLAATSNAAM", "RMC-REGIO CODE"],
            ["99FA", "Fictief Collegé Fryslân", "0080", "LJOUWERT", "04"],
            ["99FB", "Fictief Lyceüm Zuid", "0014", "GRONINGEN", "03"],
            ["99FC", "Fictieve Vakschool Noord", "0014", "GRONINGEN", "03"],
        ]
    if soort == "studenten_instelling":
        return [
            ["JAAR", "INSTELLINGSCODE", "INSTELLINGSNAAM", "PLAATSNAAM INSTELLING", "BBL", "BOLVT", "BOLDT", "EX"],
            ["2024", "T001", "Instelling één", "SNEEK", "10", "20", "-1", "3"],
            ["2024", "T001", "Instelling één", "SÚDWEST-FRYSLÂN", "5", "0", "0", "-1"],
            ["2024", "T002", "Instelling twee", "LEEUWARDEN", "7", "8", "9", "0"],
        ]
    if soort == "studenten_woongemeente":
        return [
            ["peiljaar", "instellingscode", "gemeentecode", "aantal", "leerweg", "niveau"],
            ["2024", "T001", "GM0014", "12", "", ""],
            ["2024", "T001", "GM1900", "-1", "", ""],
            ["2024", "T002", "GM0080", "30", "BOLVT", "2"],
        ]
    if soort == "inwoners":
        return [
            ["Regio's", "Perioden", "Bevolking op 1 januari (aantal)"],
            ["Súdwest-Fryslân", "2024JJ00", "90500"],
            ["Noardeast-Fryslân", "2024JJ00", "45500"],
            ["GM0014", "2024JJ00", "240000"],
        ]
    if soort == "indeling":
        tekst = (VOORBEELDEN / "indeling_voorbeeld.csv").read_text("utf-8")
        return [rij for rij in csv.reader(io.StringIO(tekst), delimiter=";")]
    raise AssertionError(soort)


def als_tekst(rijen, scheidingsteken=";"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=scheidingsteken, lineterminator="\r\n").writerows(rijen)
    return buffer.getvalue()


@functools.cache
def geldige_xlsx(soort):
    """The valid rows of `soort` as a real Excel workbook, with two real formula cells. Made once: every
    save stamps the time in it, and hypothesis needs the same bytes on every run of an example."""
    return als_xlsx(geldige_rijen(soort)[:20], [(2, 2, FORMULES[0]), (3, 1, "=SUM(1,2)")])


def als_xlsx(rijen, formules=()):
    """The rows as a real Excel workbook; `formules` are (row, column, formula) written as formula cells."""
    from openpyxl import Workbook

    boek = Workbook()
    blad = boek.active
    for rij in rijen:
        blad.append([int(w) if w.lstrip("-").isdigit() else w for w in rij])
    for rij, kolom, formule in formules:
        blad.cell(row=rij, column=kolom, value=formule)
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


@pytest.fixture
def codes(refdata):
    return geef_testcodes()


# --- what every input must satisfy -------------------------------------------------------------------


def stand():
    """Every data table a load can touch, in values where they are small and as sums where they are large."""
    woon = StudentenPerWoongemeente.objects.aggregate(n=Count("pk"), a=Sum("aantal"), o=Sum("onderdrukt"))
    spi = StudentenPerInstelling.objects.aggregate(n=Count("pk"), a=Sum("aantal"), o=Sum("onderdrukt"))
    return {**vingerafdruk(), "woon": woon, "spi": spi}


def in_savepoint(functie):
    """Run one example in a savepoint that is rolled back: examples stay independent."""
    with transaction.atomic():
        functie()
        transaction.set_rollback(True)


def controleer_lader(soort, inhoud, naam="bestand.csv", peiljaar=None):
    """The loader itself: it returns an analysis or raises Afgewezen with reasons; it writes nothing."""
    voor = stand()
    try:
        analyse = analyseer(soort, inhoud, naam, peiljaar)
    except Afgewezen as fout:
        assert fout.fouten, "an Afgewezen without reasons"
        assert fout.totaal >= len(fout.fouten)
        for f in fout.fouten:
            assert isinstance(f.melding, str) and f.melding.strip()
            assert len(f.melding) < 2000 and len(f.kolom) <= 100, "a reason echoes far too much of the file"
        analyse = None
    assert stand() == voor
    return analyse


def upload(client, soort, inhoud, naam="bestand.csv", peiljaar=""):
    return client.post(
        GEGEVENS,
        {"soort": soort, "bestand": SimpleUploadedFile(naam, inhoud, "text/csv"), "peiljaar": peiljaar},
        follow=True,
    )


def controleer_upload(client, soort, inhoud, naam="bestand.csv", peiljaar="", bevestigen=True):
    """The upload page as a beheerder: never a 500, a preview or a rejection with its reasons, and nothing
    written; confirming a rejected upload writes nothing, confirming a preview loads all or nothing."""
    voor = stand()
    laatste = Gegevensimport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    antwoord = upload(client, soort, inhoud, naam, peiljaar)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert len(html) < 500_000, "the page echoes far too much of the file"
    if not inhoud:
        # The form refuses an empty file before anything is recorded.
        assert "Het gekozen bestand is leeg." in html
        assert not Gegevensimport.objects.filter(pk__gt=laatste).exists()
        assert stand() == voor
        return None
    imp = Gegevensimport.objects.get(pk__gt=laatste)
    assert antwoord.redirect_chain[-1][0] == reverse("beheer_import", args=[imp.pk])
    assert stand() == voor, "an upload wrote data before it was confirmed"
    assert imp.status in ("voorbeeld", "afgewezen"), (imp.status, imp.fouten)
    if imp.status == "afgewezen":
        assert imp.inhoud is None and imp.aantal_fouten >= 1 and imp.fouten
        assert "Het bestand is afgewezen" in html and "Er is niets gewijzigd." in html
        assert "Bevestigen en laden" not in html
        if bevestigen:
            antwoord = client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
            assert antwoord.status_code == 200
            assert "de status is \u201cafgewezen\u201d" in antwoord.content.decode()
            assert stand() == voor
    else:
        assert bytes(imp.inhoud) == inhoud
        assert "Bevestigen en laden" in html
        if bevestigen:
            antwoord = client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
            assert antwoord.status_code == 200
            imp.refresh_from_db()
            assert imp.status in ("geladen", "afgewezen"), (imp.status, imp.fouten)
            if imp.status != "geladen":
                assert stand() == voor
    return imp


# --- the valid files are valid (else the properties below prove little) ------------------------------


@pytest.mark.parametrize("soort", SOORTEN)
@pytest.mark.parametrize("scheidingsteken", [";", ","])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_de_geldige_bestanden_worden_in_elke_goede_tekenset_gelezen(codes, soort, scheidingsteken, encoding):
    inhoud = als_tekst(geldige_rijen(soort), scheidingsteken).encode(encoding)
    analyse = controleer_lader(soort, inhoud)
    assert analyse is not None and analyse.voorbeeld.rijen_geaccepteerd >= 3
    verwacht = {"utf-8-sig": "UTF-8 met BOM"}.get(
        encoding, "UTF-8" if inhoud.isascii() or encoding == "utf-8" else "Windows-1252"
    )
    assert analyse.tabel.encoding == verwacht
    # Every cell as written, accents included: no "Ã©" from a wrong guess.
    assert [cellen for _, cellen in analyse.tabel.rijen] == geldige_rijen(soort)[1:]


@pytest.mark.parametrize("soort", SOORTEN)
@pytest.mark.parametrize(
    "encoding, woord",
    [("utf-16", "UTF-16"), ("utf-16-le", "binaire"), ("utf-16-be", "binaire"), ("utf-32", "UTF-16")],
)
def test_utf16_en_utf32_worden_afgewezen_met_uitleg(beheerder_client, codes, soort, encoding, woord):
    inhoud = als_tekst(geldige_rijen(soort)).encode(encoding)
    assert controleer_lader(soort, inhoud) is None
    imp = controleer_upload(beheerder_client, soort, inhoud)
    assert imp.status == "afgewezen" and woord in imp.fouten[0]["melding"]


@pytest.mark.parametrize("soort", SOORTEN)
def test_gemengde_tekensets_worden_afgewezen_in_plaats_van_verminkt(beheerder_client, codes, soort):
    """Regression: half UTF-8, half Windows-1252 was read as Windows-1252, so 'é' from the UTF-8 half was
    stored as 'Ã©'. Now it is rejected with the line where UTF-8 was seen."""
    rijen = geldige_rijen(soort)
    helft = len(rijen) // 2 + 1
    # A title line (allowed before the header) and the first half in Windows-1252, the rest in UTF-8 with
    # at least one accent.
    inhoud = (
        als_tekst([["Overzicht van de gemeente Súdwest-Fryslân"]] + rijen[:helft]).encode("cp1252")
        + als_tekst(rijen[helft:] + [rijen[-1][:1] + ["Hé"] + rijen[-1][2:]]).encode("utf-8")
    )
    with pytest.raises(UnicodeDecodeError):
        inhoud.decode("utf-8")
    assert controleer_lader(soort, inhoud) is None
    imp = controleer_upload(beheerder_client, soort, inhoud)
    assert imp.status == "afgewezen"
    assert imp.fouten[0]["melding"].startswith("Het bestand mengt twee tekensets")
    assert imp.fouten[0]["regel"] >= helft + 2  # a line of the UTF-8 part


# --- properties ------------------------------------------------------------------------------------------

BESTANDSNAMEN = st.sampled_from(["bestand.csv", "bestand.txt", "bestand", "GEGEVENS.CSV", "x" * 300 + ".csv"])
PEILJAREN = st.sampled_from(["", "2024", "2023"])


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(8)
@given(inhoud=st.binary(max_size=3000), naam=BESTANDSNAMEN)
def test_willekeurige_bytes_lader(codes, soort, inhoud, naam):
    in_savepoint(lambda: controleer_lader(soort, inhoud, naam))


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(4)
@given(rommel=st.binary(min_size=1, max_size=3000), naam=BESTANDSNAMEN, peiljaar=PEILJAREN)
def test_kopregel_met_willekeurige_bytes_via_de_pagina(beheerder_client, codes, soort, rommel, naam, peiljaar):
    """A valid header followed by random bytes gets past the header search into the row checks."""
    inhoud = als_tekst(geldige_rijen(soort)[:1]).encode() + rommel
    in_savepoint(
        lambda: (
            controleer_lader(soort, inhoud, naam),
            controleer_upload(beheerder_client, soort, inhoud, naam, peiljaar),
        )
    )


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(3)
@given(inhoud=st.binary(min_size=1, max_size=3000))
def test_willekeurige_bytes_via_de_pagina(beheerder_client, codes, soort, inhoud):
    in_savepoint(lambda: controleer_upload(beheerder_client, soort, inhoud))


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(6)
@given(data=st.data(), scheidingsteken=st.sampled_from([";", ","]), peiljaar=PEILJAREN)
def test_afgekapt_csv_bestand(beheerder_client, codes, soort, data, scheidingsteken, peiljaar):
    """A valid file cut off anywhere (also inside a multi-byte character or a quoted field)."""
    volledig = als_tekst(geldige_rijen(soort), scheidingsteken).encode("utf-8")
    tot = data.draw(st.integers(min_value=1, max_value=len(volledig) - 1), label="afgekapt na byte")
    inhoud = volledig[:tot]

    def voorbeeld():
        controleer_lader(soort, inhoud, "afgekapt.csv", int(peiljaar) if peiljaar else None)
        controleer_upload(beheerder_client, soort, inhoud, "afgekapt.csv", peiljaar)

    in_savepoint(voorbeeld)


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(3)
@given(data=st.data(), naam=st.sampled_from(["gegevens.xlsx", "gegevens.csv"]))
def test_xlsx_volledig_of_afgekapt_en_met_formulecellen(beheerder_client, codes, soort, data, naam):
    """Excel files are not read (docs/FORMATEN.md): whole, truncated or with real formula cells they are
    refused with a message that names them, also when they are called .csv."""
    volledig = geldige_xlsx(soort)
    tot = data.draw(st.integers(min_value=1, max_value=len(volledig)), label="afgekapt na byte")
    inhoud = volledig[:tot]

    def voorbeeld():
        assert controleer_lader(soort, inhoud, naam) is None
        imp = controleer_upload(beheerder_client, soort, inhoud, naam)
        assert imp.status == "afgewezen"
        if tot >= 4:
            assert "Excel" in imp.fouten[0]["melding"]

    in_savepoint(voorbeeld)


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(3)
@given(
    data=st.data(),
    grootte=st.sampled_from([2 * MB, MAX_VELDGROOTTE - 1000]),
    aanhalingstekens=st.booleans(),
    teken=st.sampled_from(["x", "9", "é", ";", ",", " "]),
)
def test_een_enorme_regel(beheerder_client, codes, soort, data, grootte, aanhalingstekens, teken):
    """One cell of 2 MB (over the field limit of the reader) or just under 1 MB, in any row and column."""
    rijen = [list(r) for r in geldige_rijen(soort)[:12]]
    regel = data.draw(st.integers(min_value=0, max_value=len(rijen) - 1), label="regel")
    kolom = data.draw(st.integers(min_value=0, max_value=len(rijen[regel]) - 1), label="kolom")
    scheidingsteken = ";"
    waarde = teken * (grootte // len(teken.encode()))
    if aanhalingstekens:
        rijen[regel][kolom] = waarde
        inhoud = als_tekst(rijen, scheidingsteken).encode()
    else:
        # Written raw: a delimiter in it splits the row into very many cells.
        tekst = als_tekst(rijen, scheidingsteken).split("\r\n")
        cellen = tekst[regel].split(scheidingsteken)
        cellen[kolom] = waarde
        tekst[regel] = scheidingsteken.join(cellen)
        inhoud = "\r\n".join(tekst).encode()

    def voorbeeld():
        controleer_lader(soort, inhoud)
        controleer_upload(beheerder_client, soort, inhoud, bevestigen=False)

    in_savepoint(voorbeeld)


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(5)
@given(
    data=st.data(),
    encoding=st.sampled_from(
        ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig", "mac_roman", "cp437", "gemengd"]
    ),
    tekst=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
)
def test_verkeerde_tekensets(beheerder_client, codes, soort, data, encoding, tekst):
    """Any encoding, with any text in a random cell: read correctly, or refused with the reason."""
    rijen = [list(r) for r in geldige_rijen(soort)[:15]]
    regel = data.draw(st.integers(min_value=1, max_value=len(rijen) - 1), label="regel")
    kolom = data.draw(st.integers(min_value=0, max_value=len(rijen[regel]) - 1), label="kolom")
    rijen[regel][kolom] = tekst
    if encoding == "gemengd":
        inhoud = als_tekst(rijen[:regel]).encode("cp1252", "replace") + als_tekst(rijen[regel:]).encode("utf-8")
    else:
        inhoud = als_tekst(rijen).encode(encoding, "replace")

    def voorbeeld():
        controleer_lader(soort, inhoud)
        controleer_upload(beheerder_client, soort, inhoud)

    in_savepoint(voorbeeld)


@pytest.mark.parametrize("soort", SOORTEN)
@fuzz(5)
@given(data=st.data(), formule=st.sampled_from(FORMULES), scheidingsteken=st.sampled_from([";", ","]))
def test_formulecellen_in_elke_kolom(beheerder_client, codes, soort, data, formule, scheidingsteken):
    """A formula in a count, code or year is refused; in a text it is text. Either way nothing is written
    until a valid file is confirmed, and then all of it."""
    rijen = [list(r) for r in geldige_rijen(soort)]
    regel = data.draw(st.integers(min_value=1, max_value=min(len(rijen), 15) - 1), label="regel")
    kolom = data.draw(st.integers(min_value=0, max_value=len(rijen[regel]) - 1), label="kolom")
    rijen[regel][kolom] = formule
    inhoud = als_tekst(rijen, scheidingsteken).encode("utf-8")

    def voorbeeld():
        controleer_lader(soort, inhoud)
        controleer_upload(beheerder_client, soort, inhoud)

    in_savepoint(voorbeeld)


# --- 10 MB of one column ------------------------------------------------------------------------------


def tien_mb_een_kolom(soort, met_kopregel):
    """10 MB of one column: only the first column of the valid file's rows, repeated; with the full
    header (so every row is read and checked) or with only that column's header."""
    rijen = geldige_rijen(soort)
    kop = als_tekst([rijen[0]] if met_kopregel else [rijen[0][:1]])
    regels = als_tekst([r[:1] for r in rijen[1:]])
    herhalingen = (10 * MB - len(kop)) // len(regels) + 1
    return (kop + regels * herhalingen).encode("utf-8")


@pytest.mark.parametrize("soort", SOORTEN)
@pytest.mark.parametrize("met_kopregel", [True, False], ids=["volledige-kop", "een-kop"])
def test_tien_mb_van_een_kolom(beheerder_client, codes, soort, met_kopregel):
    inhoud = tien_mb_een_kolom(soort, met_kopregel)
    assert len(inhoud) >= 10 * MB
    voor = stand()
    assert controleer_lader(soort, inhoud) is None
    imp = controleer_upload(beheerder_client, soort, inhoud, "tien.csv")
    assert imp.status == "afgewezen" and imp.inhoud is None and imp.grootte == len(inhoud)
    if met_kopregel:
        # Rows checked until 10.000 problems, then stopped (it took minutes, past the server's timeout).
        assert imp.aantal_fouten == MAX_FOUTEN and len(imp.fouten) == 200
        assert imp.fouten[0]["melding"].startswith("De controle is bij regel ")
        assert "gestopt na 10.000 problemen" in imp.fouten[0]["melding"]
        assert 0 < imp.rijen_gelezen and imp.rijen_geaccepteerd == 0
    else:
        assert "ontbreekt in de kopregel" in imp.fouten[0]["melding"]
    assert stand() == voor


# --- regressions found by the fuzzing ----------------------------------------------------------------


@pytest.mark.parametrize(
    "soort, rijen",
    [
        ("inwoners", [["gemeentecode", "inwoners", "peiljaar"], ["GM0014", "9" * 5000, "2024"]]),
        (
            "studenten_woongemeente",
            [["peiljaar", "instellingscode", "gemeentecode", "aantal"], ["2024", "T001", "GM0014", "1" * 4301]],
        ),
        (
            "studenten_instelling",
            [["JAAR", "INSTELLINGSCODE", "BBL", "BOLVT", "BOLDT"], ["2024", "T001", "1", "0" + "7" * 5000, "-1"]],
        ),
    ],
)
def test_getal_van_duizenden_cijfers_is_een_fout_geen_crash(codes, soort, rijen):
    """Regression: int() of more than 4300 digits raises ValueError (Python 3.11), which escaped the
    loader (and became 'mislukt' on the page)."""
    with pytest.raises(Afgewezen) as fout:
        analyseer(soort, als_tekst(rijen).encode(), "x.csv")
    assert "onmogelijk groot" in fout.value.fouten[0].melding
    assert fout.value.fouten[0].regel == 2
    imp = maak_import(soort, als_tekst(rijen).encode(), "x.csv")
    assert imp.status == "afgewezen"


def test_som_over_locaties_boven_het_databasebereik_wordt_bij_het_voorbeeld_afgewezen(codes):
    """Regression: each cell was within bounds but their sum per instelling was not; the preview accepted
    the file and confirming it failed in the database ('mislukt'). Now the preview refuses it."""
    rijen = [["JAAR", "INSTELLINGSCODE", "PLAATS", "BBL", "BOLVT", "BOLDT"]] + [
        ["2024", "T001", f"Locatie {i}", "2000000000", "0", "0"] for i in range(2)
    ]
    voor = stand()
    imp = maak_import("studenten_instelling", als_tekst(rijen).encode(), "som.csv")
    assert imp.status == "afgewezen"
    assert imp.fouten[0]["regel"] == 3 and imp.fouten[0]["kolom"] == "BBL"
    assert "onmogelijk groot" in imp.fouten[0]["melding"]
    assert not bevestig_import(imp.pk).geladen
    assert stand() == voor


@pytest.mark.parametrize(
    "inhoud, regel, woord",
    [
        (b"gemeentecode;inwoners;peiljaar\r\nGM0014;" + b"9" * (2 * MB) + b";2024\r\n", 2, "langer dan 1 MB"),
        (b"x" * (2 * MB), 1, "langer dan 1 MB"),
        (b"gemeentecode;inwoners;peiljaar\nGM00\r14;5;2024\n", 2, "los regeleinde"),
    ],
)
def test_csv_leesfouten_in_het_nederlands(codes, inhoud, regel, woord):
    """Regression: the reader's own English text ('field larger than field limit', 'new-line character
    seen in unquoted field - do you need to open the file in universal-newline mode?') was shown, and a
    file of one over-long line was 'without lines'."""
    with pytest.raises(Afgewezen) as fout:
        analyseer("inwoners", inhoud, "x.csv")
    melding = fout.value.fouten[0].melding
    assert woord in melding and "field" not in melding and "newline" not in melding
    assert fout.value.fouten[0].regel == regel


def test_enorme_kop_wordt_niet_in_elke_foutmelding_herhaald(beheerder_client, codes):
    """Regression: a population column is found by pattern, so its header can be 900 kB; it was repeated in
    each of 200 reasons (180 MB of JSON and HTML). Now the header is shortened in the reasons."""
    kop = "Bevolking " + "x" * 900_000
    inhoud = als_tekst([["gemeentecode", kop, "peiljaar"]] + [["GM0014", "veel", "2024"]] * 300).encode()
    imp = controleer_upload(beheerder_client, "inwoners", inhoud)
    assert imp.status == "afgewezen" and imp.aantal_fouten == 300
    assert all(len(f["kolom"]) <= 60 for f in imp.fouten)
    assert imp.fouten[0]["kolom"].startswith("Bevolking xxx")


def test_enorme_naam_in_de_indeling_wordt_ingekort_in_de_waarschuwing(codes):
    rijen = [list(r) for r in geldige_rijen("indeling")]
    rijen[1][2] = "Groningen " + "y" * 500_000
    analyse = analyseer("indeling", als_tekst(rijen).encode(), "indeling.csv")
    waarschuwingen = [w for w in analyse.voorbeeld.waarschuwingen if w.startswith("Regel 2:")]
    assert len(waarschuwingen) == 1 and len(waarschuwingen[0]) < 300


# --- a formula in a text field that is otherwise valid --------------------------------------------------


def test_formule_in_tekstvelden_wordt_letterlijk_opgeslagen_en_onschadelijk_geexporteerd(beheerder_client, codes):
    namen = {"99FA": FORMULES[0], "99FB": "+cmd|' /C calc'!A0", "99FC": "-1+1", "99FD": "@SUM(A1:A9)"}
    rijen = [["INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENUMMER", "PLAATSNAAM", "RMC-REGIO CODE"]] + [
        [code, naam, "0014", "=1+1", "03"] for code, naam in namen.items()
    ]
    imp = controleer_upload(beheerder_client, "adressen_mbo", als_tekst(rijen, ",").encode(), peiljaar="2025")
    imp.refresh_from_db()
    assert imp.status == "geladen"
    for code, naam in namen.items():
        instelling = MboInstelling.objects.get(instellingscode=code)
        assert (instelling.naam, instelling.plaatsnaam) == (naam, "=1+1")

    regio = 3  # the RMC-regio of the file
    antwoord = beheerder_client.get(reverse("regio_export_instellingen", args=[regio, "csv"]))
    assert antwoord.status_code == 200
    cellen = [c for rij in csv.reader(io.StringIO(antwoord.content.decode("utf-8-sig")), delimiter=";") for c in rij]
    for naam in namen.values():
        assert "'" + naam in cellen and naam not in cellen
    assert not any(c.startswith(GEVAARLIJK) for c in cellen)

    from openpyxl import load_workbook

    antwoord = beheerder_client.get(reverse("regio_export_instellingen", args=[regio, "xlsx"]))
    blad = load_workbook(io.BytesIO(antwoord.content)).active
    waarden = [c for rij in blad.iter_rows() for c in rij]
    for naam in namen.values():
        assert any(c.value == "'" + naam and c.data_type == "s" for c in waarden)
    assert not any(c.data_type == "f" for c in waarden)


def test_de_controle_stopt_na_tienduizend_problemen(codes):
    """Regression: every bad row was checked and counted; 10 MB of bad rows took minutes (a 25 MB file would
    outlast gunicorn's timeout: a 502). The check now stops at MAX_FOUTEN and says so first."""
    kop = ["peiljaar", "instellingscode", "gemeentecode", "aantal"]
    rijen = [kop] + [["2024", "T001", "GM0014", "x"]] * (MAX_FOUTEN + 50)
    imp = maak_import("studenten_woongemeente", als_tekst(rijen).encode(), "veel.csv")
    assert imp.status == "afgewezen" and imp.aantal_fouten == MAX_FOUTEN and len(imp.fouten) == 200
    assert imp.fouten[0]["regel"] == MAX_FOUTEN + 1
    assert imp.fouten[0]["melding"].startswith(
        f"De controle is bij regel {MAX_FOUTEN + 1} gestopt na 10.000 problemen."
    )
    assert [f["regel"] for f in imp.fouten[1:4]] == [2, 3, 4]
    assert imp.rijen_gelezen == MAX_FOUTEN + 50
