"""Unit tests for reading a file: encoding, delimiter, header matching, and every kind of unreadable file."""

import pytest

from regio.loaders import Afgewezen, analyseer
from regio.loaders.lezen import (
    Kolom,
    Waardefout,
    decodeer,
    geheel_getal,
    gemeentecode,
    jaartal,
    lees_tabel,
    normaliseer_kop,
)
from tests.loaders_helpers import csv_bytes

KOLOMMEN = (
    Kolom("code", ("gemeentecode",)),
    Kolom("inwoners", ("inwoners", "aantal inwoners")),
    Kolom("naam", ("gemeentenaam",), verplicht=False),
)


def meldingen(fout):
    return " | ".join(f.melding for f in fout.fouten)


# --- encoding -----------------------------------------------------------------------------------


def test_utf8_zonder_bom():
    tabel = lees_tabel("gemeentecode;inwoners;gemeentenaam\nGM1900;91000;Súdwest-Fryslân\n".encode(), KOLOMMEN)
    assert tabel.encoding == "UTF-8"
    assert tabel.rijen == [(2, ["GM1900", "91000", "Súdwest-Fryslân"])]


def test_utf8_met_bom_raakt_de_eerste_kop_niet():
    inhoud = b"\xef\xbb\xbf" + "gemeentecode;inwoners\nGM0014;1\n".encode()
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.encoding == "UTF-8 met BOM"
    assert tabel.kolommen == {"code": 0, "inwoners": 1}


def test_windows_1252_met_e_accent_en_trema():
    inhoud = "gemeentecode;inwoners;gemeentenaam\nGM0001;5;Coëvorden-é\n".encode("cp1252")
    assert b"\xeb" in inhoud and b"\xe9" in inhoud  # ë and é as single cp1252 bytes
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.encoding == "Windows-1252"
    assert tabel.rijen[0][1][2] == "Coëvorden-é"


def test_utf8_wint_van_windows_1252_als_beide_kunnen():
    tekst, encoding = decodeer("naam\nCoëvorden\n".encode("utf-8"))
    assert encoding == "UTF-8" and "Coëvorden" in tekst


# --- delimiter and header -------------------------------------------------------------------------


@pytest.mark.parametrize("scheidingsteken", [";", ","])
def test_scheidingsteken_herkend(scheidingsteken):
    inhoud = csv_bytes([["gemeentecode", "inwoners"], ["GM0014", "238147"], ["GM0034", "222825"]], scheidingsteken)
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.scheidingsteken == scheidingsteken
    assert [r[1] for r in tabel.rijen] == [["GM0014", "238147"], ["GM0034", "222825"]]


def test_komma_in_een_veld_met_aanhalingstekens_bij_puntkomma():
    inhoud = b'gemeentecode;inwoners;gemeentenaam\nGM0014;1;"Groningen, stad"\n'
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.scheidingsteken == ";"
    assert tabel.rijen[0][1][2] == "Groningen, stad"


def test_koppen_ongeacht_hoofdletters_spaties_en_aanhalingstekens():
    inhoud = b'  "GemeenteCode " ;  AANTAL_INWONERS ;x\nGM0014;12;y\n'
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.kolommen == {"code": 0, "inwoners": 1}
    assert normaliseer_kop(' "RMC-REGIO CODE" ') == normaliseer_kop("rmc_regio_code") == "rmc regio code"


def test_titelregels_voor_de_kopregel_en_lege_regels_worden_overgeslagen():
    inhoud = b'"Een titel"\n\ngemeentecode;inwoners\n\nGM0014;12\n;\nGM0034;13\n'
    tabel = lees_tabel(inhoud, KOLOMMEN)
    assert tabel.kopregel == 3
    assert [r[0] for r in tabel.rijen] == [5, 7]  # real line numbers


# --- unreadable files -----------------------------------------------------------------------------


@pytest.mark.parametrize("inhoud", [b"", b"   \r\n\r\n"])
def test_leeg_bestand(inhoud):
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(inhoud, KOLOMMEN)
    assert meldingen(fout.value) == "Het bestand is leeg."


def test_alleen_een_kopregel():
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(b"gemeentecode;inwoners\n", KOLOMMEN)
    assert "geen gegevensregels" in meldingen(fout.value)
    assert fout.value.fouten[0].regel == 1


@pytest.mark.parametrize(
    "inhoud, woord",
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40 + b"[Content_Types].xml", "Excel"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "xls"),
        (b"\xff\xfeg\x00e\x00m\x00", "UTF-16"),
        (b"abc\x00def\x00", "binaire"),
        (b"gemeentecode;inwoners\nGM\x01\x02;5\n", "stuurtekens"),
    ],
)
def test_verkeerd_bestandstype(inhoud, woord):
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(inhoud, KOLOMMEN)
    assert woord in meldingen(fout.value)


def test_onbekende_tekenset():
    # 0x81 is undefined in Windows-1252 and invalid UTF-8.
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(b"gemeentecode;inwoners\nGM0014;\x81\x8d\n", KOLOMMEN)
    assert "tekenset" in meldingen(fout.value)


@pytest.mark.parametrize("naam", ["gegevens.xlsx", "gegevens.pdf", "x.docx"])
def test_verkeerde_extensie(naam):
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(b"gemeentecode;inwoners\nGM0014;5\n", KOLOMMEN, naam)
    assert "niet ondersteund" in meldingen(fout.value)


@pytest.mark.parametrize("zaad", range(5))
def test_willekeurige_bytes_worden_netjes_afgewezen(zaad):
    import random

    inhoud = random.Random(zaad).randbytes(4096)
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(inhoud, KOLOMMEN, "rommel.csv")
    assert fout.value.fouten and all(f.melding for f in fout.value.fouten)


def test_ontbrekende_verplichte_kolom_met_regel_en_kolom():
    with pytest.raises(Afgewezen) as fout:
        lees_tabel(b"gemeentecode;bewoners\nGM0014;5\n", KOLOMMEN)
    (enige,) = fout.value.fouten
    assert (enige.regel, enige.kolom) == (1, "INWONERS")
    assert "Verplichte kolom INWONERS (of AANTAL INWONERS) ontbreekt" in enige.melding


def test_te_groot_bestand(settings):
    settings.GEGEVENS_MAX_BESTANDSGROOTTE = 100
    inhoud = csv_bytes([["gemeentecode", "inwoners"]] + [["GM0014", "1"]] * 20)
    assert len(inhoud) > 100
    with pytest.raises(Afgewezen) as fout:
        analyseer("inwoners", inhoud, "groot.csv", 2023)
    assert f"Het bestand is {len(inhoud)} bytes; de grens is 100 bytes" in meldingen(fout.value)


# --- cell values ----------------------------------------------------------------------------------


def test_aantallen():
    assert geheel_getal("12") == (12, 0)
    assert geheel_getal(" 0 ".strip()) == (0, 0)
    assert geheel_getal("-1", onderdrukking_toegestaan=True) == (0, 1)
    for fout in ["-1", "-2", "abc", "1.234", "12,5", "", "1 234"]:
        with pytest.raises(Waardefout):
            geheel_getal(fout)
    with pytest.raises(Waardefout, match="alleen -1"):
        geheel_getal("-5", onderdrukking_toegestaan=True)


def test_gemeentecodes_en_jaartallen():
    assert gemeentecode("GM0014") == gemeentecode("0014") == gemeentecode("14") == gemeentecode(" gm0014 ") == "GM0014"
    assert gemeentecode("Groningen") is None
    assert jaartal("2023") == jaartal("2023JJ00") == jaartal("2023/2024") == 2023
    with pytest.raises(Waardefout):
        jaartal("23")
