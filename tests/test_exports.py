"""CSV and Excel downloads: a region's student figures, an agreement's verdeling and actiepuntenlijst.

Each export: status, content type, file name, the file read back (csv module: semicolons, UTF-8 with BOM;
openpyxl), values computed by hand, formula-like texts neutralised, and who may download it.
"""

import csv
import datetime
import html as htmlmodule
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Gebruiker, Organisatie
from afspraken.models import Actie, Partij
from audit.models import Auditregel
from financiering.models import Kostenpost, Verdeelgroep
from regio.models import Dataset, Gemeente, InstellingInRegio, MboInstelling, StudentenPerWoongemeente
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

pytestmark = pytest.mark.django_db

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lees_csv(response, naam):
    assert response.status_code == 200
    assert response["Content-Type"] == CSV_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{naam}.csv"'
    inhoud = response.content.decode("utf-8")
    assert inhoud.startswith("\ufeff"), "UTF-8 met BOM, zodat Excel de tekens goed leest"
    return list(csv.reader(io.StringIO(inhoud[1:]), delimiter=";"))


def lees_xlsx(response, naam):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{naam}.xlsx"'
    boek = load_workbook(io.BytesIO(response.content))
    blad = boek.worksheets[0]
    for rij in blad.iter_rows():
        for cel in rij:
            assert cel.data_type != "f", f"formule in {cel.coordinate}: {cel.value}"
    return [[c if c is not None else "" for c in rij] for rij in blad.iter_rows(values_only=True)]


def tekst(html):
    return htmlmodule.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))).strip()


# --- a region's student figures -------------------------------------------------------------------


@pytest.fixture
def twente(refdata):
    """Region 12 (test figures, not DUO's): ROC van Twente (vestigingsgemeente unknown: contactgemeente
    Enschede stands in), a test instelling whose name starts with "@" seated in Hengelo, Grafisch lyceum
    without counts per woongemeente."""
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030, status=Dataset.Status.SYNTHETISCH, bron="Testbron"
    )
    roc = MboInstelling.objects.get(naam="ROC van Twente")
    apenstaart = MboInstelling.objects.create(
        naam="@Testcollege", vestigingsgemeente=Gemeente.objects.get(naam="Hengelo")
    )
    InstellingInRegio.objects.create(instelling=apenstaart, regio=roc.regios.get(), bron="test")
    rijen = [
        (roc, "Enschede", 100, 0), (roc, "Hengelo", 40, 0), (roc, "Almelo", 0, 1),
        (roc, "Zwolle", 5, 0), (roc, "Deventer", 0, 1), (roc, "Amsterdam", 7, 0),
        (apenstaart, "Hengelo", 30, 0), (apenstaart, "Enschede", 20, 0), (apenstaart, "Zwolle", 0, 1),
    ]
    StudentenPerWoongemeente.objects.bulk_create(
        StudentenPerWoongemeente(dataset=dataset, peiljaar=2030, instelling=i, gemeente=Gemeente.objects.get(naam=g),
                                 aantal=a, onderdrukt=o)
        for i, g, a, o in rijen
    )


def test_studenten_per_instelling_csv_en_excel(client, twente, django_assert_max_num_queries):
    url = reverse("regio_export_instellingen", args=[12, "csv"])
    client.get(url)  # the students' sums computed and kept (regio.cijfers)
    with django_assert_max_num_queries(8):
        rijen = lees_csv(client.get(url), "studenten-per-instelling-regio-12")
    kop = rijen[0]
    assert kop[:7] == ["Instelling", "Instellingscode", "Vestigingsgemeente", "Ook aanwezig in",
                       "Studenten 2024, minimaal", "Studenten 2024, maximaal", "Gemeente voor (a)"]
    assert kop[7] == "Woonplaats 2030: a. in de vestigingsgemeente, minimaal"
    per_naam = {r[0]: r for r in rijen[1:]}
    assert set(per_naam) == {"'@Testcollege", "Grafisch lyceum (Twente)", "ROC van Twente"}
    # By hand. ROC: a Enschede 100; b Hengelo 40 + Almelo 1–4; c Zwolle 5 + Deventer 1–4 + Amsterdam 7.
    assert per_naam["ROC van Twente"][4:17] == [
        "17815", "17815", "Enschede (vervanging: contactgemeente)",
        "100", "100", "41", "44", "141", "144", "13", "16", "154", "160",
    ]
    # The "@" name is neutralised; a Hengelo 30, b Enschede 20, c Zwolle 1–4; no total per instelling loaded.
    assert per_naam["'@Testcollege"][2:17] == [
        "Hengelo", "", "", "", "Hengelo", "30", "30", "20", "20", "50", "50", "1", "4", "51", "54",
    ]
    # No counts per woongemeente: empty, never 0.
    assert per_naam["Grafisch lyceum (Twente)"][4:17] == ["2390", "2390"] + [""] * 11
    assert "demo-gegevens, synthetisch" in per_naam["ROC van Twente"][-1]

    blad = lees_xlsx(client.get(reverse("regio_export_instellingen", args=[12, "xlsx"])),
                     "studenten-per-instelling-regio-12")
    assert blad[0] == kop
    xlsx_per_naam = {r[0]: r for r in blad[1:]}
    assert xlsx_per_naam["ROC van Twente"][4:8] == [17815, 17815, "Enschede (vervanging: contactgemeente)", 100]
    assert "'@Testcollege" in xlsx_per_naam


def test_studenten_per_gemeente_ook_buiten_de_regio(client, twente):
    rijen = lees_csv(client.get(reverse("regio_export_gemeenten", args=[12, "csv"])), "studenten-per-gemeente-regio-12")
    assert rijen[0][:9] == [
        "Gemeente", "CBS-code", "Regio", "In deze regio", "Contactgemeente", "Inwoners", "Peiljaar inwoners",
        "Studenten van de instellingen in de regio die hier wonen 2030, minimaal",
        "Studenten van de instellingen in de regio die hier wonen 2030, maximaal",
    ]
    per_naam = {r[0]: r[:9] for r in rijen[1:]}
    # CBS 2023: Enschede 161.235, Almelo 73.949 inwoners.
    assert per_naam["Enschede"] == ["Enschede", "GM0153", "Twente", "ja", "ja", "161235", "2023", "120", "120"]
    assert per_naam["Almelo"] == ["Almelo", "GM0141", "Twente", "ja", "nee", "73949", "2023", "1", "4"]
    assert per_naam["Hengelo"][7:] == ["70", "70"]
    assert per_naam["Losser"][7:] == ["0", "0"]  # counts loaded, nobody lives there: a real 0
    # The 14 gemeenten of Twente, then every gemeente outside, most first: Zwolle 5 + 1–4, Amsterdam 7, Deventer 1–4.
    assert len(rijen) == 1 + 14 + 3
    assert [r[0] for r in rijen[15:]] == ["Zwolle", "Amsterdam", "Deventer"]
    assert rijen[15][2:9] == ["IJssel-Vecht", "nee", "", "", "", "6", "9"]

    blad = lees_xlsx(
        client.get(reverse("regio_export_gemeenten", args=[12, "xlsx"])), "studenten-per-gemeente-regio-12"
    )
    xlsx_per_naam = {r[0]: r for r in blad[1:]}
    assert xlsx_per_naam["Enschede"][3:9] == ["ja", "ja", 161235, 2023, 120, 120]


def test_regio_downloads_op_de_regiopagina_en_onbekend_formaat(client, twente):
    html = client.get(reverse("regio_detail", args=[12])).content.decode()
    for naam in ("regio_export_instellingen", "regio_export_gemeenten"):
        for formaat in ("csv", "xlsx"):
            assert f'href="{reverse(naam, args=[12, formaat])}"' in html
    assert html.count(">Download als CSV</a>") == 2 and html.count(">als Excel</a>") == 2
    assert client.get(reverse("regio_export_instellingen", args=[12, "pdf"])).status_code == 404
    assert client.get(reverse("regio_export_gemeenten", args=[99, "csv"])).status_code == 404


def test_regio_zonder_gegevens_per_woongemeente(client, refdata):
    rijen = lees_csv(client.get(reverse("regio_export_gemeenten", args=[4, "csv"])), "studenten-per-gemeente-regio-4")
    assert rijen[0][7] == "Studenten van de instellingen in de regio die hier wonen, minimaal"
    # No counts per woongemeente at all: empty cells, not 0.
    assert all(r[7] == "" and r[8] == "" for r in rijen[1:])
    assert len(rijen) == 1 + Gemeente.objects.filter(regio__nummer=4).count()


# --- an agreement: verdeling and actiepuntenlijst ---------------------------------------------------


@pytest.fixture
def friesland(refdata):
    afspraak = maak_afspraak(4)  # looptijd 2026–2029
    partner = Organisatie.objects.create(naam="+Partner test", soort=Organisatie.Soort.PARTNER,
                                         partner_soort=Organisatie.PartnerSoort.ANDERS)
    Partij.objects.create(afspraak=afspraak, organisatie=partner, rol=Partij.Rol.PARTNER)
    return afspraak


def partij(afspraak, naam):
    return Partij.objects.get(afspraak=afspraak, organisatie__naam=naam)


@pytest.fixture
def gebruikers(friesland):
    leeuwarden = gemeente_organisatie("Leeuwarden")
    return {
        "beleidsmaker": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "x-beleid"),
        "bestuurder": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "x-bestuur"),
        "vreemde": gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "x-vreemd"),
        "beheerder": gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "x-beheer"),
    }


def als(gebruiker):
    client = Client()
    if gebruiker is not None:
        client.force_login(gebruiker)
    return client


@pytest.fixture
def verdeling(friesland):
    """€ 90.000 a year: ⅓ in equal parts to Firda and "+Partner test", ⅔ in equal parts to three gemeenten."""
    Kostenpost.objects.create(afspraak=friesland, categorie="extra_ondersteuning", omschrijving="Ondersteuners",
                              bedragen={str(j): 9_000_000 for j in (2026, 2027, 2028, 2029)})
    Verdeelgroep.objects.create(afspraak=friesland, naam="Instelling en partner", methode="gelijk", aandeel="1/3",
                                leden=[partij(friesland, "Firda").pk, partij(friesland, "+Partner test").pk])
    gemeenten = [partij(friesland, f"Gemeente {n}").pk for n in ("Leeuwarden", "Harlingen", "Waadhoeke")]
    Verdeelgroep.objects.create(afspraak=friesland, naam="Gemeenten", methode="gelijk", aandeel="2/3", leden=gemeenten)
    return friesland


def test_verdeling_csv_zoals_op_de_pagina(verdeling, gebruikers):
    client = als(gebruikers["beleidsmaker"])
    naam = "verdeling-friesland-noord-versie-1"
    rijen = lees_csv(client.get(reverse("financiering_verdeling_export", args=[verdeling.pk, "csv"])), naam)
    assert rijen[0] == ["Onderdeel", "Partij", "Gewicht", "Deel binnen de groep (%)",
                        "2026 (euro)", "2027 (euro)", "2028 (euro)", "2029 (euro)", "Totaal looptijd (euro)"]
    per_partij = {r[1]: r for r in rijen[1:] if r[0] == "Bijdrage per partij"}
    # By hand: 90.000 / 3 / 2 = 15.000 each; 90.000 · ⅔ / 3 = 20.000 each; four years.
    assert per_partij["Firda"][4:] == ["15000,00"] * 4 + ["60000,00"]
    assert per_partij["'+Partner test"][4:] == ["15000,00"] * 4 + ["60000,00"]
    for gemeente in ("Leeuwarden", "Harlingen", "Waadhoeke"):
        assert per_partij[f"Gemeente {gemeente}"][4:] == ["20000,00"] * 4 + ["80000,00"]
    assert per_partij["Totaal"][4:] == ["90000,00"] * 4 + ["360000,00"]
    assert per_partij["Te verdelen kosten"][4:] == ["90000,00"] * 4 + [""]
    groep = [r for r in rijen if r[0].startswith("Instelling en partner:")]
    # Weights by name, as on the page ("+" sorts before letters).
    assert [(r[1], r[3]) for r in groep] == [("'+Partner test", "50,00"), ("Firda", "50,00"),
                                             ("Totaal Instelling en partner", "")]
    assert [r[3] for r in rijen if r[0].startswith("Gemeenten:")][:3] == ["33,33"] * 3

    # Exactly what the page shows: the same parties and amounts, the same group captions.
    html = client.get(reverse("financiering_overzicht", args=[verdeling.pk])).content.decode()
    tabel = re.search(r'<table class="financiering-tabel" id="verdeling-per-partij">(.*?)</table>', html, re.S).group(1)
    pagina = [
        [tekst(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", tabel, re.S).group(1), re.S)
    ]
    export = [r for r in rijen[1:] if r[0] == "Bijdrage per partij" and r[1] not in ("Totaal", "Te verdelen kosten")]
    assert len(pagina) == len(export) == 5
    for op_pagina, in_export in zip(pagina, export, strict=True):
        assert in_export[1].removeprefix("'") == op_pagina[0]
        assert [f"€ {b.replace(',', '.')}" for b in in_export[4:]] == [
            b.replace(".", "").replace(",", ".") for b in op_pagina[1:]
        ]
    captions = [tekst(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S) if "van de kosten" in c]
    assert captions == list(dict.fromkeys(r[0] for r in rijen if "van de kosten" in r[0]))
    assert f'href="{reverse("financiering_verdeling_export", args=[verdeling.pk, "xlsx"])}"' in html
    assert ">Download als CSV</a>" in html


def test_verdeling_excel(verdeling, gebruikers):
    blad = lees_xlsx(als(gebruikers["bestuurder"]).get(reverse("financiering_verdeling_export",
                                                                args=[verdeling.pk, "xlsx"])),
                     "verdeling-friesland-noord-versie-1")
    per_partij = {r[1]: r for r in blad[1:] if r[0] == "Bijdrage per partij"}
    assert per_partij["Firda"][4:] == [15000] * 4 + [60000]
    assert per_partij["'+Partner test"][4] == 15000  # neutralised, a text cell, not a formula
    assert per_partij["Totaal"][8] == 360000


def test_verdeling_zonder_sleutel_zegt_waarom(friesland, gebruikers):
    rijen = lees_csv(
        als(gebruikers["beheerder"]).get(reverse("financiering_verdeling_export", args=[friesland.pk, "csv"])),
        "verdeling-friesland-noord-versie-1",
    )
    assert rijen[1][:2] == ["Geen verdeling", "Er is nog geen verdeelsleutel."]


@pytest.fixture
def acties(friesland):
    leeuwarden = Partij.objects.get(afspraak=friesland, organisatie=gemeente_organisatie("Leeuwarden"))
    for fase, omschrijving, eigenaar, deadline, status in (
        (1, '=HYPERLINK("http://voorbeeld.invalid","klik")', leeuwarden, datetime.date(2026, 3, 1), "open"),
        (2, "+31 programma", None, datetime.date(2020, 1, 1), "bezig"),
        (3, "-korting", None, None, "open"),
        (4, "@SOM(A1)", leeuwarden, datetime.date(2020, 1, 1), "afgerond"),
    ):
        Actie.objects.create(afspraak=friesland, fase=fase, omschrijving=omschrijving, eigenaar=eigenaar,
                             deadline=deadline, status=status)
    return friesland


def test_actiepuntenlijst_csv_en_excel_met_onschadelijke_teksten(acties, gebruikers):
    client = als(gebruikers["bestuurder"])
    naam = "actiepunten-friesland-noord-versie-1"
    rijen = lees_csv(client.get(reverse("afspraak_acties_export", args=[acties.pk, "csv"])), naam)
    # By deadline, then as entered; no deadline last (as on the page).
    assert rijen == [
        ["Omschrijving", "Stap", "Eigenaar", "Deadline", "Status", "Over de deadline"],
        ["'+31 programma", "Verbeelden", "", "2020-01-01", "Bezig", "ja"],
        ["'@SOM(A1)", "Verankeren", "Gemeente Leeuwarden", "2020-01-01", "Afgerond", "nee"],
        ["'=HYPERLINK(\"http://voorbeeld.invalid\",\"klik\")", "Verkennen", "Gemeente Leeuwarden", "2026-03-01", "Open",
         "nee" if datetime.date.today() < datetime.date(2026, 3, 1) else "ja"],
        ["'-korting", "Vormgeven", "", "", "Open", "nee"],
    ]
    blad = lees_xlsx(client.get(reverse("afspraak_acties_export", args=[acties.pk, "xlsx"])), naam)
    assert [r[0] for r in blad[1:]] == ["'+31 programma", "'@SOM(A1)", "'=HYPERLINK(\"http://voorbeeld.invalid\",\"klik\")",
                                        "'-korting"]
    assert blad[1][3] == datetime.datetime(2020, 1, 1)  # a real date cell
    # Downloads of an agreement's data are in the audit log.
    assert Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD, object_id=str(acties.pk),
                                     gegevens__soort="acties").count() == 2
    html = client.get(reverse("afspraak_acties", args=[acties.pk])).content.decode()
    assert f'href="{reverse("afspraak_acties_export", args=[acties.pk, "csv"])}"' in html
    assert ">Download als CSV</a>" in html and ">als Excel</a>" in html


@pytest.mark.parametrize("naam", ["afspraak_acties_export", "financiering_verdeling_export"])
@pytest.mark.parametrize("formaat", ["csv", "xlsx"])
def test_rechten_van_de_afspraakexports(acties, gebruikers, naam, formaat):
    url = reverse(naam, args=[acties.pk, formaat])
    anoniem = als(None).get(url)  # without a session: the log-in page, as every page of an agreement
    assert anoniem.status_code == 302 and anoniem["Location"].startswith(reverse("inloggen") + "?next=")
    assert als(gebruikers["vreemde"]).get(url).status_code == 404
    for rol in ("beleidsmaker", "bestuurder", "beheerder"):
        assert als(gebruikers[rol]).get(url).status_code == 200, rol
    assert als(gebruikers["beheerder"]).get(reverse(naam, args=[acties.pk, "ods"])).status_code == 404
    # Refusals leave no trace of a download.
    assert Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD, object_id=str(acties.pk)).count() == 3


def test_afspraakexport_niet_in_een_gedeelde_cache(acties, gebruikers):
    response = als(gebruikers["beheerder"]).get(reverse("afspraak_acties_export", args=[acties.pk, "csv"]))
    assert response["Cache-Control"] == "private, no-store"
