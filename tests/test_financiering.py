"""Financiering in the application: sections on the Vormgeven page, the financing page, checks, rights and
query counts, against PostgreSQL with the shipped reference data (CBS inwoners 2023, the 2024 table)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import toetsing
from afspraken.models import Partij, Sectie, Uitvoeringsafspraak, Wijziging
from afspraken.partijen import stel_partijen_voor
from afspraken.toetsing import Toetsgegevens
from financiering import berekening
from financiering.models import Categorie, Geldstroom, Kostenpost, Verdeelgroep
from regio.models import Dataset, Doorstroompuntregio, Gemeente, MboInstelling, StudentenPerWoongemeente
from tests.afspraak_helpers import met_versie
from tests.factories import GebruikerFactory
from tests.pagina_helpers import zonder_tokens

KOSTEN = "vormgeven-financiering-kostenposten"
GELD = "vormgeven-financiering-geldstromen"
BEKOSTIGING = "vormgeven-financiering-bekostiging"
SLEUTEL = "vormgeven-financiering-verdeelsleutel"
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


# --- building agreements ----------------------------------------------------------------------------


def maak_afspraak(regionummer, einde=datetime.date(2029, 12, 31)):
    """The region's agreement 2026–<einde> with the parties proposed from the data."""
    regio = Doorstroompuntregio.objects.get(nummer=regionummer)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel=f"Uitvoeringsafspraak {regio.naam}",
        looptijd_start=datetime.date(2026, 1, 1), looptijd_einde=einde,
    )
    Partij.objects.bulk_create(
        Partij(
            afspraak=afspraak,
            organisatie=v.organisatie,
            rol=v.rol,
            financieel_eindverantwoordelijk=v.rol == "contactgemeente",
        )
        for v in stel_partijen_voor(regio)
    )
    return afspraak


def zorgverzekeraar(afspraak, naam="De Friesland Zorgverzekeraar"):
    organisatie = Organisatie.objects.create(
        naam=naam, soort=Organisatie.Soort.PARTNER, partner_soort=Organisatie.PartnerSoort.ZORGVERZEKERAAR
    )
    return Partij.objects.create(afspraak=afspraak, organisatie=organisatie, rol=Partij.Rol.PARTNER)


def partij(afspraak, naam):
    return Partij.objects.select_related("organisatie").get(afspraak=afspraak, organisatie__naam=naam)


def gemeentepartijen(afspraak, alleen_regio=False):
    partijen = Partij.objects.filter(afspraak=afspraak, organisatie__gemeente__isnull=False)
    if alleen_regio:
        partijen = partijen.filter(rol__in=[Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE])
    return list(partijen.order_by("pk"))


def kostenpost(afspraak, bedrag_per_jaar, categorie=Categorie.EXTRA_ONDERSTEUNING,
               omschrijving="Ondersteuners op school", jaren=None):
    jaren = jaren or afspraak.looptijd_jaren
    return Kostenpost.objects.create(
        afspraak=afspraak, categorie=categorie, omschrijving=omschrijving,
        bedragen={str(j): bedrag_per_jaar for j in jaren},
    )


def groep(afspraak, naam, methode, leden, aandeel="", **extra):
    return Verdeelgroep.objects.create(
        afspraak=afspraak, naam=naam, methode=methode, aandeel=aandeel, leden=[p.pk for p in leden], **extra
    )


def sterk_in_firda(afspraak):
    """⅓ Firda, ⅓ De Friesland, ⅓ the region's gemeenten by inwoners; € 250.000 a year."""
    kostenpost(afspraak, 20_000_000)
    kostenpost(afspraak, 5_000_000, Categorie.VASTE_KOSTEN, "Coördinatie")
    groep(afspraak, "Mbo-instelling", "gelijk", [partij(afspraak, "Firda")], "1/3")
    groep(afspraak, "Zorgverzekeraar", "gelijk", [zorgverzekeraar(afspraak)], "1/3")
    groep(afspraak, "Gemeenten", "inwoners", gemeentepartijen(afspraak), "1/3")


def gebruiker(afspraak_of_organisatie, rol=Gebruiker.Rol.BELEIDSMAKER, naam="beleid"):
    organisatie = afspraak_of_organisatie
    if isinstance(afspraak_of_organisatie, Uitvoeringsafspraak):
        organisatie = Organisatie.objects.get(gemeente=afspraak_of_organisatie.regio.contactgemeente)
    return GebruikerFactory(username=naam, organisatie=organisatie, rol=rol)


@pytest.fixture
def friesland(refdata):
    return maak_afspraak(4)


@pytest.fixture
def schrijver(client, friesland):
    client.force_login(gebruiker(friesland))
    return client


def pagina(afspraak):
    return reverse("financiering_overzicht", args=[afspraak.pk])


def fase3(afspraak):
    return reverse("afspraak_fase", args=[afspraak.pk, 3])


# --- kostenposten ---------------------------------------------------------------------------------


def kosten_data(prefix, **bedragen):
    data = {
        f"{prefix}-categorie": Categorie.EXTRA_ONDERSTEUNING,
        f"{prefix}-omschrijving": "Schoolmaatschappelijk werk",
        f"{prefix}-verdelen": "on",
    }
    for jaar in (2026, 2027, 2028, 2029):
        data[f"{prefix}-bedrag_{jaar}"] = bedragen.get(f"j{jaar}", "")
    return data


def test_kostenpost_toevoegen_wijzigen_verwijderen_met_gewone_post(schrijver, friesland):
    url = reverse("rij_toevoegen", args=[friesland.pk, KOSTEN])
    antwoord = schrijver.post(url, kosten_data(f"{KOSTEN}-nieuw", j2026="12.500,00", j2027="12500,5", j2029="0"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].endswith(f"/fase/3/#sectie-{KOSTEN}")
    post = Kostenpost.objects.get(afspraak=friesland)
    assert post.bedragen == {"2026": 1_250_000, "2027": 1_250_050, "2029": 0}
    assert post.versie == 1
    toegevoegd = Wijziging.objects.get(afspraak=friesland, sectie=KOSTEN, soort=Wijziging.Soort.TOEGEVOEGD)
    assert toegevoegd.nieuw["Bedrag 2026"] == "€ 12.500,00"
    assert toegevoegd.nieuw["Bedrag 2027"] == "€ 12.500,50"
    assert toegevoegd.nieuw["Bedrag 2028"] == ""
    assert toegevoegd.nieuw["Categorie"] == "Extra ondersteuningsaanbod"

    url = reverse("rij_opslaan", args=[friesland.pk, KOSTEN, post.pk])
    rij = f"{KOSTEN}-{post.pk}"
    data = kosten_data(rij, j2026="13.000", j2027="12.500,50", j2029="0")
    antwoord = schrijver.post(url, {**data, **met_versie(rij, 1)})
    assert antwoord.status_code == 302
    post.refresh_from_db()
    assert post.versie == 2 and post.bedragen["2026"] == 1_300_000
    gewijzigd = Wijziging.objects.get(afspraak=friesland, sectie=KOSTEN, soort=Wijziging.Soort.GEWIJZIGD)
    assert gewijzigd.oud == {"Bedrag 2026": "€ 12.500,00"}
    assert gewijzigd.nieuw == {"Bedrag 2026": "€ 13.000,00"}

    # A save based on version 1 is refused: nothing is overwritten.
    antwoord = schrijver.post(url, {**kosten_data(rij, j2026="1,00"), **met_versie(rij, 1)})
    assert antwoord.status_code == 409
    assert "iemand anders heeft dit intussen gewijzigd" in antwoord.content.decode()
    post.refresh_from_db()
    assert post.bedragen["2026"] == 1_300_000 and post.versie == 2

    verwijderen = reverse("rij_verwijderen", args=[friesland.pk, KOSTEN, post.pk])
    antwoord = schrijver.post(verwijderen, met_versie(rij, 2))
    assert antwoord.status_code == 302
    assert not Kostenpost.objects.filter(afspraak=friesland).exists()
    verwijderd = Wijziging.objects.get(afspraak=friesland, sectie=KOSTEN, soort=Wijziging.Soort.VERWIJDERD)
    assert verwijderd.oud["Bedrag 2026"] == "€ 13.000,00"
    assert Sectie.objects.get(afspraak=friesland, sleutel=KOSTEN).versie == 3


def test_kostenpost_met_htmx(schrijver, friesland):
    url = reverse("rij_toevoegen", args=[friesland.pk, KOSTEN])
    antwoord = schrijver.post(url, kosten_data(f"{KOSTEN}-nieuw", j2026="1234,56"), **HTMX)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert f'id="sectie-{KOSTEN}"' in html
    assert "Kostenpost toegevoegd: Schoolmaatschappelijk werk." in html
    assert "€ 1.234,56" in html  # the total of the post and the facts above the section
    post = Kostenpost.objects.get(afspraak=friesland)

    url = reverse("rij_opslaan", args=[friesland.pk, KOSTEN, post.pk])
    rij = f"{KOSTEN}-{post.pk}"
    antwoord = schrijver.post(url, {**kosten_data(rij, j2026="2.000,00"), **met_versie(rij, 1)}, **HTMX)
    assert antwoord.status_code == 200
    assert "Opgeslagen om" in antwoord.content.decode()
    assert antwoord["HX-Reswap"] == "none"
    post.refresh_from_db()
    assert post.bedragen == {"2026": 200_000} and post.versie == 2

    antwoord = schrijver.post(url, {**kosten_data(rij, j2026="12,345"), **met_versie(rij, 2)}, **HTMX)
    assert antwoord.status_code == 422
    assert "Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen)." in antwoord.content.decode()

    verwijderen = reverse("rij_verwijderen", args=[friesland.pk, KOSTEN, post.pk])
    antwoord = schrijver.post(verwijderen, met_versie(rij, 2), **HTMX)
    assert antwoord.status_code == 200
    assert "Kostenpost verwijderd." in antwoord.content.decode()
    assert Wijziging.objects.filter(afspraak=friesland, sectie=KOSTEN).count() == 3


@pytest.mark.parametrize(
    "invoer, fout",
    [
        ({}, "Vul voor ten minste één jaar een bedrag in (0 mag ook)."),
        ({"j2026": "-5"}, "Een bedrag kan niet negatief zijn."),
        ({"j2026": "twaalf"}, "Vul een bedrag in euro&#x27;s in, bijvoorbeeld 1.234,56 of 1234,56."),
        ({"j2026": "2.000.000.000"}, "Dit bedrag is onwaarschijnlijk hoog"),
    ],
)
def test_kostenpost_ongeldige_invoer(schrijver, friesland, invoer, fout):
    antwoord = schrijver.post(
        reverse("rij_toevoegen", args=[friesland.pk, KOSTEN]), kosten_data(f"{KOSTEN}-nieuw", **invoer)
    )
    assert antwoord.status_code == 422
    assert fout in antwoord.content.decode()
    assert not Kostenpost.objects.exists()


# --- geldstromen, bekostiging -----------------------------------------------------------------------


def test_geldstroom_met_bron_partij_en_bedrag(schrijver, friesland):
    leeuwarden = partij(friesland, "Gemeente Leeuwarden")
    prefix = f"{GELD}-nieuw"
    data = {f"{prefix}-bron": "anders", f"{prefix}-omschrijving": "", f"{prefix}-van": leeuwarden.pk,
            f"{prefix}-duur": "structureel", f"{prefix}-karakter": "aanvullend", f"{prefix}-bedrag_per_jaar": "40.000"}
    url = reverse("rij_toevoegen", args=[friesland.pk, GELD])
    antwoord = schrijver.post(url, data, **HTMX)
    assert antwoord.status_code == 422
    assert "Beschrijf de bron als u ‘Anders’ kiest." in antwoord.content.decode()
    antwoord = schrijver.post(url, {**data, f"{prefix}-bron": "spuk"})
    assert antwoord.status_code == 302
    stroom = Geldstroom.objects.get(afspraak=friesland)
    assert stroom.bedrag_per_jaar == Decimal("40000.00") and stroom.van == leeuwarden
    nieuw = Wijziging.objects.get(sectie=GELD).nieuw
    assert nieuw["Bedrag per jaar"] == "€ 40.000,00"
    assert nieuw["Van partij"] == "Gemeente Leeuwarden"


def test_geldstroom_van_partij_buiten_de_afspraak_geweigerd(schrijver, friesland):
    andere = maak_afspraak(13)
    vreemd = Partij.objects.filter(afspraak=andere).first()
    prefix = f"{GELD}-nieuw"
    antwoord = schrijver.post(
        reverse("rij_toevoegen", args=[friesland.pk, GELD]),
        {
            f"{prefix}-bron": "wmo",
            f"{prefix}-van": vreemd.pk,
            f"{prefix}-duur": "tijdelijk",
            f"{prefix}-karakter": "bestaand",
        },
    )
    assert antwoord.status_code == 422
    assert not Geldstroom.objects.exists()


def test_bekostigingssystematiek_als_tekstsectie(schrijver, friesland):
    url = reverse("sectie_opslaan", args=[friesland.pk, BEKOSTIGING])
    data = {f"{BEKOSTIGING}-systematiek": "beschikbaarheid", f"{BEKOSTIGING}-toelichting": "Licht aanbod op school.",
            **met_versie(BEKOSTIGING, 0)}
    antwoord = schrijver.post(url, data, **HTMX)
    assert antwoord.status_code == 200
    assert antwoord["HX-Reswap"] == "none"
    sectie = Sectie.objects.get(afspraak=friesland, sleutel=BEKOSTIGING)
    assert sectie.inhoud["systematiek"] == "beschikbaarheid" and sectie.versie == 1
    wijziging = Wijziging.objects.get(sectie=BEKOSTIGING)
    assert wijziging.nieuw["Bekostigingssystematiek"] == "Collectief: beschikbaarheidsfinanciering"
    antwoord = schrijver.post(url, {**data, f"{BEKOSTIGING}-systematiek": "individueel"})
    assert antwoord.status_code == 409  # based on version 0, but it is 1 now
    antwoord = schrijver.post(url, {**data, f"{BEKOSTIGING}-systematiek": "individueel", **met_versie(BEKOSTIGING, 1)})
    assert antwoord.status_code == 302
    pagina_html = schrijver.get(pagina(friesland)).content.decode()
    assert "Individueel: traject- of productiefinanciering (p × q)" in pagina_html
    fase = schrijver.get(fase3(friesland)).content.decode()
    assert "Voor licht en preventief aanbod op mbo-locaties is collectieve financiering aanbevolen" in fase


# --- verdeelsleutel -------------------------------------------------------------------------------


def groep_data(prefix, naam, methode, aandeel, leden, percentages=None, **extra):
    data = {f"{prefix}-naam": naam, f"{prefix}-methode": methode, f"{prefix}-aandeel": aandeel,
            f"{prefix}-peiljaar": extra.pop("peiljaar", ""), f"{prefix}-bedrag_per_student": extra.pop("bedrag", ""),
            f"{prefix}-toelichting": ""}
    for p in leden:
        data[f"{prefix}-lid_{p.pk}"] = "on"
    for p, pct in (percentages or {}).items():
        data[f"{prefix}-pct_{p.pk}"] = pct
    return data


def test_verdeelgroep_toevoegen_en_fouten(schrijver, friesland):
    url = reverse("rij_toevoegen", args=[friesland.pk, SLEUTEL])
    prefix = f"{SLEUTEL}-nieuw"
    firda, leeuwarden, harlingen = (
        partij(friesland, n) for n in ("Firda", "Gemeente Leeuwarden", "Gemeente Harlingen")
    )

    antwoord = schrijver.post(url, groep_data(prefix, "Gemeenten", "inwoners", "1/3", [leeuwarden, firda]))
    assert antwoord.status_code == 422
    assert (
        "Naar inwoners of studenten verdelen kan alleen over gemeenten. Geen gemeente: Firda."
        in antwoord.content.decode()
    )

    antwoord = schrijver.post(url, groep_data(prefix, "Gemeenten", "inwoners", "", []), **HTMX)
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert "Kies ten minste één partij voor deze groep." in html
    assert "Vul het vaste aandeel van deze groep in, bijvoorbeeld 1/3 of 87%." in html

    antwoord = schrijver.post(
        url,
        groep_data(prefix, "Vast", "percentages", "50%", [leeuwarden, harlingen], {leeuwarden: "60", harlingen: "30"}),
    )
    assert antwoord.status_code == 422
    assert "De percentages tellen op tot 90%; dat moet precies 100% zijn." in antwoord.content.decode()

    antwoord = schrijver.post(
        url, groep_data(prefix, "Gemeenten", "inwoners", "1/3", [leeuwarden, harlingen], peiljaar="2023")
    )
    assert antwoord.status_code == 302
    groep_ = Verdeelgroep.objects.get(afspraak=friesland)
    assert sorted(groep_.leden) == sorted([leeuwarden.pk, harlingen.pk])
    assert groep_.peiljaar == 2023
    nieuw = Wijziging.objects.get(sectie=SLEUTEL).nieuw
    assert nieuw["Partijen"] == "Gemeente Harlingen, Gemeente Leeuwarden"
    assert nieuw["Vast aandeel"] == "1/3"

    antwoord = schrijver.post(url, groep_data(prefix, "gemeenten", "gelijk", "1/3", [leeuwarden]))
    assert antwoord.status_code == 422
    assert "Er is al een groep met deze naam" in antwoord.content.decode()

    # Edit with htmx: Firda joins with fixed percentages.
    url = reverse("rij_opslaan", args=[friesland.pk, SLEUTEL, groep_.pk])
    data = groep_data(f"{SLEUTEL}-{groep_.pk}", "Gemeenten", "percentages", "1/3", [leeuwarden, firda],
                      {leeuwarden: "75", firda: "25%"})
    antwoord = schrijver.post(url, {**data, **met_versie(f"{SLEUTEL}-{groep_.pk}", 1)}, **HTMX)
    assert antwoord.status_code == 200
    groep_.refresh_from_db()
    assert groep_.percentages == {str(leeuwarden.pk): "75", str(firda.pk): "25%"}
    assert groep_.peiljaar is None  # only inwoners and students have a peiljaar
    gewijzigd = Wijziging.objects.get(sectie=SLEUTEL, soort=Wijziging.Soort.GEWIJZIGD)
    assert gewijzigd.nieuw["Percentages"] == "Firda 25%, Gemeente Leeuwarden 75%"


def test_bedrag_per_student_vraagt_een_bedrag_en_geen_aandeel(schrijver, friesland):
    prefix = f"{SLEUTEL}-nieuw"
    leeuwarden = partij(friesland, "Gemeente Leeuwarden")
    url = reverse("rij_toevoegen", args=[friesland.pk, SLEUTEL])
    antwoord = schrijver.post(url, groep_data(prefix, "Per student", "per_student", "10%", [leeuwarden]))
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert "Een groep die een bedrag per student betaalt heeft geen vast aandeel." in html
    assert "Vul het bedrag per student per jaar in." in html
    antwoord = schrijver.post(url, groep_data(prefix, "Per student", "per_student", "", [leeuwarden], bedrag="15,-"))
    assert antwoord.status_code == 302
    assert Verdeelgroep.objects.get().bedrag_per_student == Decimal("15.00")


# --- the financing page: the practice examples with the real reference data -------------------------


def bedragen_per_naam(uitkomst, jaar):
    v = uitkomst.verdeling
    return {v.namen[s]: v.per_partij[s][jaar] for s in v.per_partij}


def test_sterk_in_firda_met_cbs_inwoners_2023(schrijver, friesland):
    """The figures of tests/test_verdeling.py, now from the database's CBS 2023 inwoners and through the page."""
    sterk_in_firda(friesland)
    uitkomst = berekening.bereken(friesland)
    assert uitkomst.ok, uitkomst.fouten
    for jaar in (2026, 2029):
        per_naam = bedragen_per_naam(uitkomst, jaar)
        assert per_naam == {
            "Firda": 8_333_333,
            "De Friesland Zorgverzekeraar": 8_333_333,
            "Gemeente Ameland": 120_289,
            "Gemeente Dantumadiel": 601_257,
            "Gemeente Harlingen": 507_093,
            "Gemeente Leeuwarden": 3_980_595,
            "Gemeente Noardeast-Fryslân": 1_435_073,
            "Gemeente Schiermonnikoog": 30_761,
            "Gemeente Terschelling": 154_371,
            "Gemeente Vlieland": 40_441,
            "Gemeente Waadhoeke": 1_463_454,
        }
        assert sum(per_naam.values()) == 25_000_000
    assert uitkomst.bronnen == ["Inwoners CBS 2023: officieel"]

    html = schrijver.get(pagina(friesland)).content.decode()
    for tekst in (
        "€ 39.805,95",  # Leeuwarden per year
        "€ 159.223,80",  # Leeuwarden over 2026–2029
        "€ 250.000,00",  # the total row per year
        "€ 1.000.000,00",  # over the looptijd
        "127.073 inwoners",
        "47,77%",  # Leeuwarden's share within the gemeenten: 127.073 / 266.026
        "Gemeenten: 33,33% van de kosten, naar rato van het aantal inwoners (CBS), peiljaar 2023",
        "Ondersteuners op school",
        "Subtotaal vaste kosten samenwerking",
    ):
        assert tekst in html, tekst


@pytest.fixture
def graafschap_studenten(refdata):
    """Test figures (not DUO's): students of Graafschap college per woongemeente, peiljaar 2024; Doesburg
    suppressed (1–4), Zutphen outside the region; a breakdown per leerweg that must not be counted twice."""
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE,
        peiljaar=2024,
        status=Dataset.Status.SYNTHETISCH,
        bron="testgegevens",
    )
    instelling = MboInstelling.objects.get(naam__iexact="Graafschap college")
    aantallen = {"Aalten": 620, "Doesburg": -1, "Doetinchem": 2410, "Winterswijk": 705, "Oude IJsselstreek": 950,
                 "Oost Gelre": 598, "Berkelland": 1012, "Bronckhorst": 688, "Montferland": 840, "Zutphen": 300}
    rijen = []
    for naam, aantal in aantallen.items():
        gemeente = Gemeente.objects.get(naam=naam)
        rijen.append(StudentenPerWoongemeente(
            dataset=dataset, peiljaar=2024, instelling=instelling, gemeente=gemeente,
            aantal=0 if aantal == -1 else aantal, onderdrukt=1 if aantal == -1 else 0,
        ))
    rijen.append(StudentenPerWoongemeente(
        dataset=dataset, peiljaar=2024, instelling=instelling, gemeente=Gemeente.objects.get(naam="Doetinchem"),
        leerweg="BBL", aantal=999,
    ))
    StudentenPerWoongemeente.objects.bulk_create(rijen)
    return dataset


def test_graafschap_college_87_procent_en_de_rest_naar_studenten(client, graafschap_studenten):
    afspraak = maak_afspraak(13)
    kostenpost(afspraak, 40_000_000, jaren=[2026])
    kostenpost(afspraak, 20_000_000, omschrijving="Loopbaanplein", jaren=[2027, 2028, 2029])
    groep(afspraak, "Mbo-instelling", "gelijk", [partij(afspraak, "Graafschap college")], "87%")
    # Zutphen is proposed as a party (3,7% of the students live there) but the 13% is for the nine gemeenten.
    assert partij(afspraak, "Gemeente Zutphen").rol == Partij.Rol.GEMEENTE_BUITEN
    groep(afspraak, "Gemeenten", "studenten", gemeentepartijen(afspraak, alleen_regio=True), "13", peiljaar=2024)
    uitkomst = berekening.bereken(afspraak)
    assert uitkomst.ok, uitkomst.fouten
    assert bedragen_per_naam(uitkomst, 2026) == {
        "Graafschap college": 34_800_000,
        "Gemeente Aalten": 411_986,
        "Gemeente Doesburg": 1_661,
        "Gemeente Doetinchem": 1_601_431,
        "Gemeente Winterswijk": 468_469,
        "Gemeente Oude IJsselstreek": 631_270,
        "Gemeente Oost Gelre": 397_368,
        "Gemeente Berkelland": 672_468,
        "Gemeente Bronckhorst": 457_172,
        "Gemeente Montferland": 558_175,
    }
    assert sum(bedragen_per_naam(uitkomst, 2027).values()) == 20_000_000
    meldingen = " ".join(uitkomst.meldingen)
    assert "3,7% van de studenten (peiljaar 2024) woont in 1 gemeente die niet in deze groep zit (Zutphen)" in meldingen
    assert "De gewichten naar studenten zijn schattingen: ze bevatten 1 onderdrukt aantal" in meldingen

    client.force_login(gebruiker(afspraak))
    html = client.get(pagina(afspraak)).content.decode()
    for tekst in ("€ 348.000,00", "€ 16.014,31", "€ 16,61", "(schatting)", "Zutphen",
                  "demo-gegevens, synthetisch — geen echte aantallen, alleen voor de demo"):
        assert tekst in html, tekst


def test_school_als_werkplaats_vijftien_euro_per_student(client, refdata):
    afspraak = maak_afspraak(4)
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE,
        peiljaar=2024,
        status=Dataset.Status.SYNTHETISCH,
        bron="testgegevens",
    )
    firda = MboInstelling.objects.get(naam="Firda")
    for naam, aantal, onderdrukt in (("Leeuwarden", 1840, 0), ("Vlieland", 0, 1), ("Harlingen", 312, 0)):
        StudentenPerWoongemeente.objects.create(
            dataset=dataset, peiljaar=2024, instelling=firda, gemeente=Gemeente.objects.get(naam=naam),
            aantal=aantal, onderdrukt=onderdrukt,
        )
    kostenpost(afspraak, 3_231_750)
    groep(afspraak, "Alle gemeenten", "per_student", gemeentepartijen(afspraak), bedrag_per_student=Decimal("15.00"))
    uitkomst = berekening.bereken(afspraak)
    assert uitkomst.ok, uitkomst.fouten
    per_naam = bedragen_per_naam(uitkomst, 2027)
    assert per_naam["Gemeente Leeuwarden"] == 2_760_000
    assert per_naam["Gemeente Vlieland"] == 3_750
    assert per_naam["Gemeente Harlingen"] == 468_000
    assert per_naam["Gemeente Ameland"] == 0  # no students of Firda: said plainly below
    meldingen = " ".join(uitkomst.meldingen)
    assert "Gemeente Ameland heeft gewicht nul (0 studenten) en betaalt in deze groep niets." in meldingen
    client.force_login(gebruiker(afspraak))
    html = client.get(pagina(afspraak)).content.decode()
    assert "€ 27.600,00" in html and "€ 37,50" in html
    assert "een vast bedrag per student per jaar (€ 15,00 per student per jaar)" in html


def test_ontbrekende_gegevens_en_nul_gewichten_staan_duidelijk_op_de_pagina(schrijver, friesland):
    kostenpost(friesland, 1_000_000)
    groep(friesland, "Gemeenten", "studenten", gemeentepartijen(friesland), "50%")
    groep(friesland, "Instelling", "gelijk", [partij(friesland, "Firda")], "40%")
    antwoord = schrijver.get(pagina(friesland))
    html = antwoord.content.decode()
    assert "De verdeling kan niet worden berekend:" in html
    assert "er zijn geen studentenaantallen per woongemeente van Firda geladen (DUO)" in html
    assert "De vaste aandelen van de groepen tellen op tot 90%; dat moet precies 100% zijn." in html
    assert "Bijdrage per partij per jaar" not in html  # no table from a wrong verdeling

    # A party that left the agreement after the group was saved.
    Verdeelgroep.objects.all().delete()
    harlingen = partij(friesland, "Gemeente Harlingen")
    groep(friesland, "Gemeenten", "inwoners", [harlingen], "100")
    harlingen.delete()
    html = schrijver.get(pagina(friesland)).content.decode()
    assert "Groep “Gemeenten” noemt een partij die niet (meer) bij de afspraak hoort." in html


def test_kosten_buiten_de_looptijd_worden_gemeld(schrijver, friesland):
    Kostenpost.objects.create(afspraak=friesland, categorie=Categorie.TRANSITIE, omschrijving="Procesbegeleider",
                              bedragen={"2026": 100, "2031": 500})
    html = schrijver.get(pagina(friesland)).content.decode()
    assert (
        "Kostenpost “Procesbegeleider” heeft een bedrag voor 2031, buiten de looptijd; dat bedrag telt nergens mee."
        in html
    )
    assert "Voor 2027 zijn geen kosten ingevuld." in html


# --- toetsing ---------------------------------------------------------------------------------------


def uitkomsten(afspraak, nummer):
    return [
        u for regel in toetsing.regels for u in regel(afspraak, Toetsgegevens(afspraak))
        if u.basisafspraak == nummer and u.sectie.startswith("vormgeven-financiering")
    ]


def test_toetsregels_2_3_12(friesland):
    leeg = {n: uitkomsten(friesland, n) for n in (2, 3, 12)}
    assert [(u.status, u.sectie) for u in leeg[2]] == [("aandachtspunt", GELD)]
    assert [u.status for u in leeg[3]] == ["aandachtspunt"]
    assert [(u.status, u.sectie) for u in leeg[12]] == [("aandachtspunt", SLEUTEL)]
    assert "nog geen verdeelsleutel" in leeg[12][0].reden

    stroom = Geldstroom.objects.create(afspraak=friesland, bron="anders", duur="tijdelijk", karakter="aanvullend")
    assert [u.status for u in uitkomsten(friesland, 2)] == ["aandachtspunt", "aandachtspunt"]
    stroom.bron, stroom.van = "spuk", partij(friesland, "Gemeente Leeuwarden")
    stroom.save()
    [twee] = uitkomsten(friesland, 2)
    assert twee.status == "voldaan" and "SPUK" in twee.reden

    kostenpost(friesland, 100_000, jaren=[2026, 2027])
    [drie] = uitkomsten(friesland, 3)
    assert drie.status == "aandachtspunt" and "2028 en 2029" in drie.reden
    kostenpost(friesland, 100_000, jaren=[2028, 2029], omschrijving="Later")
    assert [u.status for u in uitkomsten(friesland, 3)] == ["voldaan"]

    groep(friesland, "Gemeenten", "inwoners", gemeentepartijen(friesland), "50%")
    [twaalf] = uitkomsten(friesland, 12)
    assert twaalf.status == "niet_voldaan"
    assert "De vaste aandelen van de groepen tellen op tot 50%" in twaalf.reden
    groep(friesland, "Instelling", "gelijk", [partij(friesland, "Firda")], "50%")
    [twaalf] = uitkomsten(friesland, 12)
    assert twaalf.status == "voldaan" and "2026–2029" in twaalf.reden

    # The whole toetsing sees the same: 12 is not worse than its other checks allow.
    oordelen = {o.basisafspraak.nummer: o for o in toetsing.toets(friesland)}
    assert any(u.sectie == SLEUTEL and u.status == "voldaan" for u in oordelen[12].uitkomsten)


def test_toetsregel_3_voldaan_met_structurele_geldstroom(friesland):
    Geldstroom.objects.create(afspraak=friesland, bron="au", duur="structureel", karakter="bestaand")
    [drie] = uitkomsten(friesland, 3)
    assert drie.status == "voldaan" and drie.sectie == GELD


# --- rights -------------------------------------------------------------------------------------------


def test_rechten(client, friesland):
    url = pagina(friesland)
    toevoegen = reverse("rij_toevoegen", args=[friesland.pk, KOSTEN])
    data = kosten_data(f"{KOSTEN}-nieuw", j2026="10")
    anoniem = client.get(url)  # anonymous: the log-in page
    assert anoniem.status_code == 302 and anoniem["Location"].startswith(reverse("inloggen") + "?next=")
    anoniem = client.post(toevoegen, data)
    assert anoniem.status_code == 302 and anoniem["Location"].startswith(reverse("inloggen") + "?next=")

    buiten = GebruikerFactory(username="buiten", organisatie=Organisatie.objects.get(gemeente__naam="Groningen"))
    client.force_login(buiten)
    assert client.get(url).status_code == 404
    assert client.post(toevoegen, data).status_code == 404

    bestuurder = gebruiker(friesland, Gebruiker.Rol.BESTUURDER, "bestuurder")
    client.force_login(bestuurder)
    assert client.get(url).status_code == 200
    assert client.post(toevoegen, data).status_code == 404

    client.force_login(GebruikerFactory(username="beheer", rol=Gebruiker.Rol.BEHEERDER))
    assert client.get(url).status_code == 200
    assert client.post(toevoegen, data).status_code == 404
    assert not Kostenpost.objects.exists()

    client.force_login(gebruiker(friesland))
    assert client.get(url).status_code == 200
    assert client.post(toevoegen, data).status_code == 302


# --- links and the Vormgeven page -----------------------------------------------------------------


def test_secties_op_vormgeven_met_link_naar_de_pagina(schrijver, friesland):
    sterk_in_firda(friesland)
    html = schrijver.get(fase3(friesland)).content.decode()
    for sleutel in (KOSTEN, GELD, BEKOSTIGING, SLEUTEL):
        assert f'id="sectie-{sleutel}"' in html
    assert html.index(f'id="sectie-{KOSTEN}"') < html.index(f'id="sectie-{SLEUTEL}"')
    assert f'href="{pagina(friesland)}"' in html
    assert (
        "De verdeling telt voor elk jaar precies op: € 1.000.000,00 over de looptijd, verdeeld over 11 partijen."
        in html
    )
    # Amounts are shown as a person writes them: in the row as text, and in its form once opened.
    assert "€ 200.000,00" in html and "2.000.000,00" not in html
    post = Kostenpost.objects.get(afspraak=friesland, omschrijving="Ondersteuners op school")
    geopend = schrijver.get(fase3(friesland), {"bewerk": KOSTEN, "rij": post.pk}).content.decode()
    assert 'value="2.000.000,00"' not in geopend
    assert 'value="200.000,00"' in geopend


# --- query counts: the same for 5 and 40 parties --------------------------------------------------


def _vul(afspraak):
    """Financing that touches every code path: costs, geldstromen, groups by inwoners, students, per student."""
    dataset = Dataset.objects.get_or_create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2024,
        defaults={"status": Dataset.Status.SYNTHETISCH, "bron": "testgegevens"},
    )[0]
    firda = MboInstelling.objects.get(naam="Firda")
    for gemeente in Gemeente.objects.filter(regio__nummer=4):
        StudentenPerWoongemeente.objects.get_or_create(
            dataset=dataset,
            peiljaar=2024,
            instelling=firda,
            gemeente=gemeente,
            defaults={"aantal": 100, "onderdrukt": 1},
        )
    kostenpost(afspraak, 20_000_000)
    kostenpost(afspraak, 500_000, Categorie.TRANSITIE, "Procesbegeleider")
    for p in Partij.objects.filter(afspraak=afspraak)[:2]:
        Geldstroom.objects.create(afspraak=afspraak, bron="wmo", van=p, duur="structureel", karakter="bestaand",
                                  bedrag_per_jaar=Decimal("1000.00"))


def _groepen(afspraak):
    Verdeelgroep.objects.filter(afspraak=afspraak).delete()
    gemeenten = gemeentepartijen(afspraak)
    groep(afspraak, "Instelling", "gelijk", [partij(afspraak, "Firda")], "1/3")
    groep(afspraak, "Gemeenten naar inwoners", "inwoners", gemeenten, "1/3")
    groep(afspraak, "Gemeenten naar studenten", "studenten", gemeenten, "1/3")
    groep(afspraak, "Per student", "per_student", gemeenten, bedrag_per_student=Decimal("15.00"))
    pcts = Verdeelgroep.objects.create(afspraak=afspraak, naam="Vast", methode="percentages", aandeel="0",
                                       leden=[gemeenten[0].pk], percentages={str(gemeenten[0].pk): "100"})
    return pcts


def _partijen_tot(afspraak, aantal):
    bestaand = set(Partij.objects.filter(afspraak=afspraak).values_list("organisatie_id", flat=True))
    extra = Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE).exclude(pk__in=bestaand).order_by("pk")
    nodig = aantal - len(bestaand)
    Partij.objects.bulk_create(
        Partij(afspraak=afspraak, organisatie=o, rol=Partij.Rol.GEMEENTE_BUITEN) for o in extra[:nodig]
    )
    assert Partij.objects.filter(afspraak=afspraak).count() == aantal


@pytest.mark.parametrize("url_van", [pagina, fase3], ids=["financieringspagina", "vormgeven"])
def test_aantal_queries_gelijk_voor_5_en_40_partijen(client, refdata, url_van, django_assert_num_queries):
    regio = Doorstroompuntregio.objects.get(nummer=4)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel="Klein", looptijd_start=datetime.date(2026, 1, 1), looptijd_einde=datetime.date(2029, 12, 31)
    )
    leeuwarden = Organisatie.objects.get(gemeente__naam="Leeuwarden")
    Partij.objects.create(afspraak=afspraak, organisatie=leeuwarden, rol=Partij.Rol.CONTACTGEMEENTE)
    Partij.objects.create(
        afspraak=afspraak, organisatie=Organisatie.objects.get(instelling__naam="Firda"), rol=Partij.Rol.INSTELLING
    )
    _partijen_tot(afspraak, 5)
    _vul(afspraak)
    _groepen(afspraak)
    client.force_login(gebruiker(leeuwarden))
    url = url_van(afspraak)
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as vijf:
        html5 = client.get(url).content.decode()
    _partijen_tot(afspraak, 40)
    _groepen(afspraak)
    with django_assert_num_queries(len(vijf)):
        html40 = client.get(url).content.decode()
    # The larger agreement really shows more: the counts are not equal because nothing was rendered.
    assert html40.count("Gemeente ") > html5.count("Gemeente ")
    if url_van is pagina:
        assert "Bijdrage per partij per jaar" in html40


def test_aantal_queries_van_de_toetsregels_hangt_niet_af_van_het_aantal_partijen(refdata, django_assert_num_queries):
    """The three financing checks on one Toetsgegevens: a fixed number of queries, and none the second time."""
    from financiering import toetsregels

    regels = toetsregels.REGELS
    afspraak = maak_afspraak(4)
    _vul(afspraak)
    _groepen(afspraak)
    gegevens = Toetsgegevens(afspraak)
    with CaptureQueriesContext(connection) as eerst:
        uitkomsten5 = [u for regel in regels for u in regel(afspraak, gegevens)]
    with django_assert_num_queries(0):
        assert [u for regel in regels for u in regel(afspraak, gegevens)] == uitkomsten5
    assert all(naam.startswith("financiering_") for naam in vars(gegevens) if naam not in ("afspraak", "partijen"))
    _partijen_tot(afspraak, 40)
    _groepen(afspraak)
    gegevens = Toetsgegevens(afspraak)
    with django_assert_num_queries(len(eerst)):
        uitkomsten40 = [u for regel in regels for u in regel(afspraak, gegevens)]
    assert [u.status for u in uitkomsten40] == [u.status for u in uitkomsten5] == ["voldaan", "voldaan", "voldaan"]


def test_bestuurder_leest_de_secties_zonder_formulieren(client, friesland):
    sterk_in_firda(friesland)
    Geldstroom.objects.create(afspraak=friesland, bron="zvw", van=partij(friesland, "De Friesland Zorgverzekeraar"),
                              duur="tijdelijk", karakter="aanvullend", bedrag_per_jaar=Decimal("83333.33"))
    client.force_login(gebruiker(friesland, Gebruiker.Rol.BESTUURDER, "bestuurder"))
    html = client.get(fase3(friesland)).content.decode()
    assert reverse("rij_toevoegen", args=[friesland.pk, KOSTEN]) not in html and 'id="fase-formulier"' not in html
    for tekst in ("<dd>€ 200.000,00</dd>", "<dd>€ 83.333,33</dd>", "<dd>Naar inwoners (CBS)</dd>",
                  "Gemeente Ameland, Gemeente Dantumadiel"):
        assert tekst in html, tekst


def test_een_formulier_beschrijft_elke_kostenpost_en_geldstroom_zoals_een_formulier_per_rij(
    schrijver, friesland, monkeypatch
):
    """Cost items and money flows are shown as text through one form per section (zelfde_velden_per_rij): the
    page must read exactly as with a form per row, whatever the rows hold."""
    from financiering.formulieren import GeldstroomFormulier, KostenpostFormulier

    kostenpost(friesland, 20_000_000)
    kostenpost(friesland, 5, Categorie.TRANSITIE, "Buiten de looptijd & meer", jaren=[2026, 2031])
    Kostenpost.objects.create(afspraak=friesland, categorie=Categorie.VASTE_KOSTEN, omschrijving="Leeg", bedragen={})
    firda, verzekeraar = partij(friesland, "Firda"), zorgverzekeraar(friesland)
    Geldstroom.objects.create(afspraak=friesland, bron="spuk", van=firda, duur="structureel", karakter="bestaand",
                              bedrag_per_jaar="1000.00")
    Geldstroom.objects.create(afspraak=friesland, bron="anders", omschrijving="Fonds", van=verzekeraar,
                              duur="tijdelijk", karakter="aanvullend")
    url = reverse("afspraak_fase", args=[friesland.pk, 3])

    def pagina():
        return zonder_tokens(schrijver.get(url).content.decode())

    gedeeld = pagina()
    assert "Buiten de looptijd &amp; meer" in gedeeld and "Fonds" in gedeeld
    for klasse in (KostenpostFormulier, GeldstroomFormulier):
        monkeypatch.setattr(klasse, "zelfde_velden_per_rij", False)
    assert pagina() == gedeeld


def test_een_formulier_beschrijft_elke_verdeelgroep_zoals_een_formulier_per_rij(schrijver, friesland, monkeypatch):
    """The groups of the verdeelsleutel are shown as text through one form (zelfde_velden_per_rij), also a group
    whose peiljaar is no longer loaded, one with percentages and one whose party left the table."""
    from financiering.formulieren import VerdeelgroepFormulier

    kostenpost(friesland, 20_000_000)
    firda, verzekeraar = partij(friesland, "Firda"), zorgverzekeraar(friesland)
    groep(friesland, "Mbo-instelling", "gelijk", [firda], "1/3")
    groep(friesland, "Vast", "percentages", [firda, verzekeraar], "1/3",
          percentages={str(firda.pk): "60", str(verzekeraar.pk): "40%"})
    groep(friesland, "Gemeenten", "inwoners", gemeentepartijen(friesland), "1/3", peiljaar=1999)
    weg = groep(friesland, "Vertrokken", "gelijk", [firda], "0")
    Verdeelgroep.objects.filter(pk=weg.pk).update(leden=[firda.pk, 987654])
    url = reverse("afspraak_fase", args=[friesland.pk, 3])

    def pagina():
        return zonder_tokens(schrijver.get(url).content.decode())

    gedeeld = pagina()
    for tekst in ("1999 (niet meer geladen)", "Firda 60%", "partij 987654 (niet meer aan tafel)"):
        assert tekst in gedeeld, tekst
    monkeypatch.setattr(VerdeelgroepFormulier, "zelfde_velden_per_rij", False)
    assert pagina() == gedeeld
