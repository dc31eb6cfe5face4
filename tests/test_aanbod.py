"""Aanbod on the continuüm, personele inzet, warme overdracht: sections, overview, checks, rights, queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aanbod import toetsregels as aanbodtoetsregels
from aanbod.models import (
    Aanbod,
    Aanbodvorm,
    Financieringsbron,
    Ondersteuningsniveau,
    PersoneleInzet,
    Waar,
    WarmeOverdracht,
)
from accounts.models import Gebruiker, Organisatie
from afspraken import secties, toetsing
from afspraken.models import Partij, Sectie, Uitvoeringsafspraak, Wijziging
from regio.models import Doorstroompuntregio
from tests.afspraak_helpers import met_versie
from tests.factories import GebruikerFactory, organisatie_van_gemeente, organisatie_van_instelling

pytestmark = pytest.mark.django_db

AANBOD, INZET, OVERDRACHT = "vormgeven-aanbod", "vormgeven-personele-inzet", "vormgeven-warme-overdracht"
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- building agreements ---------------------------------------------------------------------------


def maak_afspraak(extra_partijen=0, regionummer=4):
    """An agreement with Leeuwarden (contactgemeente), Firda (instelling) and a zorgverzekeraar; plus
    `extra_partijen` more parties, half of them mbo-instellingen, for the query-count tests."""
    regio = Doorstroompuntregio.objects.get(nummer=regionummer)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel=f"Uitvoeringsafspraak {regio.naam}",
        looptijd_start=datetime.date(2026, 1, 1), looptijd_einde=datetime.date(2029, 12, 31),
    )
    verzekeraar, _ = Organisatie.objects.get_or_create(
        naam="Zorgverzekeraar Test", soort=Organisatie.Soort.PARTNER, partner_soort="zorgverzekeraar"
    )
    vast = [organisatie_van_gemeente("Leeuwarden"), organisatie_van_instelling("Firda"), verzekeraar]
    bestaand = {o.pk for o in vast}
    instellingen = list(
        Organisatie.objects.filter(soort=Organisatie.Soort.MBO_INSTELLING).exclude(pk__in=bestaand)
        .order_by("pk")[: extra_partijen // 2]
    )
    gemeenten = list(
        Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE).exclude(pk__in=bestaand)
        .order_by("pk")[: extra_partijen - len(instellingen)]
    )
    Partij.objects.bulk_create(
        [
            Partij(afspraak=afspraak, organisatie=vast[0], rol=Partij.Rol.CONTACTGEMEENTE,
                   financieel_eindverantwoordelijk=True),
            Partij(afspraak=afspraak, organisatie=vast[1], rol=Partij.Rol.INSTELLING),
            Partij(afspraak=afspraak, organisatie=vast[2], rol=Partij.Rol.PARTNER),
        ]
        + [Partij(afspraak=afspraak, organisatie=o, rol=Partij.Rol.INSTELLING) for o in instellingen]
        + [Partij(afspraak=afspraak, organisatie=o, rol=Partij.Rol.GEMEENTE_BUITEN) for o in gemeenten]
    )
    return afspraak


def partij(afspraak, naam):
    return afspraak.partijen.get(organisatie__naam__endswith=naam)


def vorm(code):
    return Aanbodvorm.objects.select_related("niveau", "financieringsbron").get(code=code)


def niveau(nummer):
    return Ondersteuningsniveau.objects.get(nummer=nummer)


def bron(code):
    return Financieringsbron.objects.get(code=code)


def maak_aanbod(afspraak, nummer, waar=Waar.OP_SCHOOL, wettelijk=False, naam="", **kwargs):
    return Aanbod.objects.create(
        afspraak=afspraak, niveau=niveau(nummer), naam=naam or f"Aanbod op niveau {nummer}", waar=waar,
        wettelijke_basis=wettelijk, **kwargs,
    )


@pytest.fixture
def afspraak():
    return maak_afspraak()


@pytest.fixture
def beleid():
    return GebruikerFactory(username="beleid-leeuwarden", organisatie=organisatie_van_gemeente("Leeuwarden"),
                            rol=Gebruiker.Rol.BELEIDSMAKER)


@pytest.fixture
def client_beleid(beleid):
    client = Client()
    client.force_login(beleid)
    return client


def velden(prefix, **waarden):
    """POST data of a row form: every field present (as a browser sends it), with the given values."""
    return {f"{prefix}-{naam}": waarde for naam, waarde in waarden.items()}


def aanbod_data(prefix="vormgeven-aanbod-nieuw", versie=None, **waarden):
    basis = {
        "aanbodvorm": "", "naam": "", "niveau": "", "omschrijving": "", "waar": "op_school", "geleverd_door": "",
        "locaties": "", "fte": "", "uren_per_week": "", "sessies_per_student": "", "financieringsbron": "",
        "wettelijke_basis": "",
    }
    basis.update(waarden)
    data = velden(prefix, **basis)
    if versie is not None:
        data.update(met_versie(prefix, versie))
    return data


def toevoegen(client, afspraak, sleutel, data, **extra):
    return client.post(reverse("rij_toevoegen", args=[afspraak.pk, sleutel]), data, **extra)


def opslaan(client, afspraak, sleutel, rij, data, **extra):
    return client.post(reverse("rij_opslaan", args=[afspraak.pk, sleutel, rij.pk]), data, **extra)


def verwijderen(client, afspraak, sleutel, rij, versie, **extra):
    url = reverse("rij_verwijderen", args=[afspraak.pk, sleutel, rij.pk])
    return client.post(url, met_versie(f"{sleutel}-{rij.pk}", versie), **extra)


# --- registration ----------------------------------------------------------------------------------


def test_secties_staan_op_vormgeven_in_volgorde():
    definities = {d.sleutel: d for d in secties.van_fase(3)}
    assert (definities[AANBOD].volgorde, definities[INZET].volgorde, definities[OVERDRACHT].volgorde) == (50, 60, 70)
    assert definities[AANBOD].model is Aanbod
    assert all(regel in list(toetsing.regels) for regel in aanbodtoetsregels.REGELS)


# --- aanbod: adding, defaults, own aanbod, decimals ------------------------------------------------


def test_aanbod_uit_catalogus_neemt_niveau_bron_en_wettelijke_basis_over(afspraak, client_beleid, beleid):
    smw = vorm("schoolmaatschappelijk-werk")
    antwoord = toevoegen(
        client_beleid, afspraak, AANBOD, aanbod_data(aanbodvorm=smw.pk, omschrijving="Op elke locatie")
    )
    assert antwoord.status_code == 302
    assert antwoord["Location"].endswith(f"/fase/3/#sectie-{AANBOD}")
    rij = Aanbod.objects.get(afspraak=afspraak)
    assert (rij.niveau.nummer, rij.financieringsbron.code, rij.wettelijke_basis) == (3, "mbo", True)
    assert str(rij) == "Schoolmaatschappelijk werk"
    assert (rij.versie, rij.bijgewerkt_door) == (1, beleid)
    wijziging = Wijziging.objects.get(afspraak=afspraak, sectie=AANBOD)
    assert wijziging.soort == Wijziging.Soort.TOEGEVOEGD
    assert wijziging.gebruiker == beleid
    assert wijziging.nieuw["Niveau"] == "Niveau 3: Vroegsignalering en laagdrempelige ondersteuning"
    assert wijziging.nieuw["Wettelijke basis of aanvullend"] == "Wettelijke basis"
    assert Sectie.objects.get(afspraak=afspraak, sleutel=AANBOD).versie == 1


def test_eigen_keuzes_gaan_voor_de_catalogus(afspraak, client_beleid):
    jongerenwerk = vorm("jongerenwerk")  # level 2, Wmo, aanvullend in the catalogue
    antwoord = toevoegen(
        client_beleid, afspraak, AANBOD,
        aanbod_data(aanbodvorm=jongerenwerk.pk, niveau=niveau(3).pk, financieringsbron=bron("gemengd").pk,
                    wettelijke_basis="True", naam="Jongerenwerk in de aula"),
    )
    assert antwoord.status_code == 302
    rij = Aanbod.objects.get(afspraak=afspraak)
    assert (rij.niveau.nummer, rij.financieringsbron.code, rij.wettelijke_basis) == (3, "gemengd", True)
    assert str(rij) == "Jongerenwerk in de aula"
    assert rij.aanbodvorm == jongerenwerk


def test_eigen_aanbod_zonder_catalogus(afspraak, client_beleid):
    antwoord = toevoegen(
        client_beleid, afspraak, AANBOD,
        aanbod_data(naam="Studentenpsycholoog op afroep", niveau=niveau(4).pk, waar="beide",
                    wettelijke_basis="False", financieringsbron=bron("zvw").pk,
                    geleverd_door=partij(afspraak, "Zorgverzekeraar Test").pk),
    )
    assert antwoord.status_code == 302
    rij = Aanbod.objects.get(afspraak=afspraak)
    assert rij.aanbodvorm is None
    verwacht = ("Studentenpsycholoog op afroep", 4, "beide", False)
    assert (rij.naam, rij.niveau.nummer, rij.waar, rij.wettelijke_basis) == verwacht
    assert rij.geleverd_door.organisatie.naam == "Zorgverzekeraar Test"


@pytest.mark.parametrize("waarden,veld,melding", [
    ({}, "aanbodvorm", "Kies een aanbodvorm uit de catalogus of vul een eigen naam in."),
    ({"naam": "Eigen", "wettelijke_basis": "False"}, "niveau", "Kies het niveau van het continuüm"),
    ({"naam": "Eigen", "niveau": "NIVEAU1"}, "wettelijke_basis", "wettelijke basis van de instelling is of aanvullend"),
    ({"naam": "Eigen", "niveau": "NIVEAU1", "wettelijke_basis": "False", "fte": "-1"}, "fte",
     "Zorg ervoor dat deze waarde minstens 0 is."),
    ({"naam": "Eigen", "niveau": "NIVEAU1", "wettelijke_basis": "False", "fte": "veel"}, "fte", "Voer een getal in."),
])
def test_aanbod_met_fouten_wordt_niet_opgeslagen(afspraak, client_beleid, waarden, veld, melding):
    waarden = {k: (niveau(1).pk if v == "NIVEAU1" else v) for k, v in waarden.items()}
    for extra in ({}, HTMX):
        antwoord = toevoegen(client_beleid, afspraak, AANBOD, aanbod_data(**waarden), **extra)
        assert antwoord.status_code == 422
        html = antwoord.content.decode()
        assert melding in html
        assert f'id="id_vormgeven-aanbod-nieuw-{veld}_error"' in html
    assert not Aanbod.objects.filter(afspraak=afspraak).exists()
    assert not Wijziging.objects.filter(afspraak=afspraak).exists()


def test_decimalen_met_een_komma(afspraak, client_beleid):
    antwoord = toevoegen(
        client_beleid, afspraak, AANBOD,
        aanbod_data(aanbodvorm=vorm("jeugdarts").pk, fte="0,5", uren_per_week="12,25", sessies_per_student="3"),
        **HTMX,
    )
    assert antwoord.status_code == 200
    rij = Aanbod.objects.get(afspraak=afspraak)
    assert (rij.fte, rij.uren_per_week, rij.sessies_per_student) == (Decimal("0.5"), Decimal("12.25"), Decimal("3"))
    html = antwoord.content.decode()
    assert "<dd>0,5</dd>" in html and "<dd>12,25</dd>" in html  # the new row as text, the Dutch way
    assert Wijziging.objects.get(afspraak=afspraak).nieuw["Fte"] == "0,5"
    pagina = client_beleid.get(reverse("afspraak_fase", args=[afspraak.pk, 3]), {"bewerk": AANBOD, "rij": rij.pk})
    pagina = pagina.content.decode()
    assert f'name="{AANBOD}-{rij.pk}-fte" value="0,50"' in pagina  # and in its form once opened
    assert f'name="{AANBOD}-{rij.pk}-uren_per_week" value="12,25"' in pagina
    # A dot is read as a decimal point too.
    antwoord = opslaan(client_beleid, afspraak, AANBOD, rij,
                       aanbod_data(f"{AANBOD}-{rij.pk}", versie=1, aanbodvorm=rij.aanbodvorm_id, niveau=rij.niveau_id,
                                   wettelijke_basis="True", fte="0.75"))
    assert antwoord.status_code == 302
    rij.refresh_from_db()
    assert rij.fte == Decimal("0.75")


# --- aanbod: editing and removing ------------------------------------------------------------------


def test_aanbod_bewerken_met_htmx_en_zonder(afspraak, client_beleid, beleid):
    rij = maak_aanbod(afspraak, 2, naam="Voorlichting", fte=Decimal("0.5"))
    prefix = f"{AANBOD}-{rij.pk}"
    firda = partij(afspraak, "Firda")
    # htmx: only the version and the status come back (out of band); the fields are left alone.
    antwoord = opslaan(client_beleid, afspraak, AANBOD, rij,
                       aanbod_data(prefix, versie=1, naam="Voorlichting", niveau=rij.niveau_id,
                                   wettelijke_basis="False", fte="1", geleverd_door=firda.pk), **HTMX)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "Opgeslagen om" in html and 'hx-swap-oob="true"' in html
    assert f'name="{prefix}-versie" id="sectie-{AANBOD}-rij-{rij.pk}-versie" value="2"' in html
    rij.refresh_from_db()
    assert (rij.versie, rij.fte, rij.geleverd_door, rij.bijgewerkt_door) == (2, Decimal("1"), firda, beleid)
    wijziging = Wijziging.objects.get(afspraak=afspraak, soort=Wijziging.Soort.GEWIJZIGD)
    assert wijziging.oud == {"Fte": "0,5", "Geleverd door": ""}
    assert wijziging.nieuw == {"Fte": "1", "Geleverd door": "Firda"}
    # Plain POST: redirect back to the section.
    antwoord = opslaan(client_beleid, afspraak, AANBOD, rij,
                       aanbod_data(prefix, versie=2, naam="Voorlichting", niveau=niveau(1).pk, wettelijke_basis="False",
                                   fte="1", geleverd_door=firda.pk, waar="extern"))
    assert antwoord.status_code == 302
    rij.refresh_from_db()
    assert (rij.versie, rij.niveau.nummer, rij.waar) == (3, 1, "extern")
    # A stale version is refused and changes nothing.
    antwoord = opslaan(client_beleid, afspraak, AANBOD, rij,
                       aanbod_data(prefix, versie=2, naam="Iets anders", niveau=niveau(1).pk, wettelijke_basis="False"),
                       **HTMX)
    assert antwoord.status_code == 409
    assert "Iets anders" in antwoord.content.decode()
    rij.refresh_from_db()
    assert (rij.naam, rij.versie) == ("Voorlichting", 3)


def test_bestaand_aanbod_houdt_eigen_keuzes_bij_een_andere_catalogusvorm(afspraak, client_beleid):
    rij = maak_aanbod(afspraak, 2, naam="", aanbodvorm=vorm("jongerenwerk"), financieringsbron=bron("wmo"))
    prefix = f"{AANBOD}-{rij.pk}"
    antwoord = opslaan(client_beleid, afspraak, AANBOD, rij,
                       aanbod_data(prefix, versie=1, aanbodvorm=vorm("jeugdarts").pk, niveau=rij.niveau_id,
                                   financieringsbron=bron("wmo").pk, wettelijke_basis="False"))
    assert antwoord.status_code == 302
    rij.refresh_from_db()
    # What the user sees in the form is what is stored: no silent catalogue overwrite of a shown value.
    assert (rij.aanbodvorm.code, rij.niveau.nummer, rij.financieringsbron.code, rij.wettelijke_basis) == (
        "jeugdarts", 2, "wmo", False)
    # An emptied level falls back to the catalogue's.
    opslaan(client_beleid, afspraak, AANBOD, rij,
            aanbod_data(prefix, versie=2, aanbodvorm=vorm("jeugdarts").pk, niveau="", wettelijke_basis="False"))
    rij.refresh_from_db()
    assert rij.niveau.nummer == 3


def test_aanbod_verwijderen(afspraak, client_beleid, beleid):
    eerste = maak_aanbod(afspraak, 1, naam="Mentoring")
    tweede = maak_aanbod(afspraak, 2, naam="Psycho-educatie")
    antwoord = verwijderen(client_beleid, afspraak, AANBOD, eerste, 1, **HTMX)
    assert antwoord.status_code == 200
    assert "Aanbod verwijderd." in antwoord.content.decode()
    assert verwijderen(client_beleid, afspraak, AANBOD, tweede, 7).status_code == 409  # stale version
    assert verwijderen(client_beleid, afspraak, AANBOD, tweede, 1).status_code == 302
    assert not Aanbod.objects.filter(afspraak=afspraak).exists()
    weg = Wijziging.objects.filter(afspraak=afspraak, soort=Wijziging.Soort.VERWIJDERD).order_by("pk")
    assert [w.omschrijving for w in weg] == ["Mentoring", "Psycho-educatie"]
    assert weg[0].oud["Eigen naam"] == "Mentoring" and weg[0].gebruiker == beleid


def test_voor_instellingen_alleen_de_instellingen_van_de_afspraak(afspraak, client_beleid):
    firda = partij(afspraak, "Firda")
    leeuwarden = partij(afspraak, "Leeuwarden")
    pagina = client_beleid.get(reverse("afspraak_fase", args=[afspraak.pk, 3])).content.decode()
    assert f'name="{AANBOD}-nieuw-voor_instellingen" value="{firda.pk}"' in pagina
    assert f'name="{AANBOD}-nieuw-voor_instellingen" value="{leeuwarden.pk}"' not in pagina
    data = aanbod_data(naam="Eigen", niveau=niveau(1).pk, wettelijke_basis="False")
    antwoord = toevoegen(
        client_beleid, afspraak, AANBOD, {**data, f"{AANBOD}-nieuw-voor_instellingen": [leeuwarden.pk]}
    )
    assert antwoord.status_code == 422
    antwoord = toevoegen(client_beleid, afspraak, AANBOD,
                         {**data, f"{AANBOD}-nieuw-voor_instellingen": [firda.pk],
                          f"{AANBOD}-nieuw-locaties": "Leeuwarden"})
    assert antwoord.status_code == 302
    rij = Aanbod.objects.get(afspraak=afspraak)
    assert list(rij.voor_instellingen.all()) == [firda]
    assert Wijziging.objects.get(afspraak=afspraak).nieuw["Voor welke instellingen"] == "Firda"


# --- personele inzet and warme overdracht ----------------------------------------------------------


def test_personele_inzet_toevoegen_bewerken_verwijderen(afspraak, client_beleid, beleid):
    prefix = f"{INZET}-nieuw"
    leeuwarden = partij(afspraak, "Leeuwarden")
    antwoord = toevoegen(client_beleid, afspraak, INZET, velden(
        prefix, functie="Schoolmaatschappelijk werker", soort="detachering", fte="1,5", werkgever=leeuwarden.pk,
        ingezet_waar="Alle locaties in Leeuwarden"), **HTMX)
    assert antwoord.status_code == 200
    assert "Personele inzet toegevoegd" in antwoord.content.decode()
    inzet = PersoneleInzet.objects.get(afspraak=afspraak)
    assert (inzet.fte, inzet.soort, inzet.werkgever, inzet.versie) == (Decimal("1.5"), "detachering", leeuwarden, 1)
    prefix = f"{INZET}-{inzet.pk}"
    antwoord = opslaan(client_beleid, afspraak, INZET, inzet, {**met_versie(prefix, 1), **velden(
        prefix, functie="Schoolmaatschappelijk werker", soort="verbreding", fte="2", werkgever=leeuwarden.pk,
        ingezet_waar="Alle locaties in Leeuwarden")})
    assert antwoord.status_code == 302
    inzet.refresh_from_db()
    assert (inzet.soort, inzet.fte, inzet.versie) == ("verbreding", Decimal("2"), 2)
    gewijzigd = Wijziging.objects.get(afspraak=afspraak, sectie=INZET, soort=Wijziging.Soort.GEWIJZIGD)
    assert gewijzigd.oud == {"Soort inzet": "Detachering", "Fte": "1,5"}
    assert gewijzigd.nieuw == {"Soort inzet": "Verbreding van een bestaande functie", "Fte": "2"}
    # Without a function or kind nothing is saved.
    antwoord = toevoegen(client_beleid, afspraak, INZET, velden(f"{INZET}-nieuw", functie="", soort="", fte="1"))
    assert antwoord.status_code == 422
    assert verwijderen(client_beleid, afspraak, INZET, inzet, 2).status_code == 302
    assert not PersoneleInzet.objects.exists()
    assert Wijziging.objects.filter(afspraak=afspraak, sectie=INZET).count() == 3


def test_warme_overdracht_toevoegen_bewerken_verwijderen(afspraak, client_beleid):
    prefix = f"{OVERDRACHT}-nieuw"
    antwoord = toevoegen(client_beleid, afspraak, OVERDRACHT, velden(
        prefix, naar_aanbod="Specialistische GGZ", vertrouwd_gezicht="", contact_rol="Zorgcoördinator", partij=""))
    assert antwoord.status_code == 302
    overdracht = WarmeOverdracht.objects.get(afspraak=afspraak)
    prefix = f"{OVERDRACHT}-{overdracht.pk}"
    antwoord = opslaan(client_beleid, afspraak, OVERDRACHT, overdracht, {**met_versie(prefix, 1), **velden(
        prefix, naar_aanbod="Specialistische GGZ",
        vertrouwd_gezicht="De schoolmaatschappelijk werker gaat mee naar de intake en blijft wekelijks bellen.",
        contact_rol="Zorgcoördinator", partij=partij(afspraak, "Firda").pk)}, **HTMX)
    assert antwoord.status_code == 200
    overdracht.refresh_from_db()
    assert overdracht.versie == 2 and overdracht.is_beschreven and overdracht.partij.organisatie.naam == "Firda"
    assert verwijderen(client_beleid, afspraak, OVERDRACHT, overdracht, 2, **HTMX).status_code == 200
    assert [w.soort for w in Wijziging.objects.filter(sectie=OVERDRACHT).order_by("pk")] == [
        "toegevoegd", "gewijzigd", "verwijderd"]


# --- the overview ----------------------------------------------------------------------------------


def test_overzicht_toont_vijf_niveaus_en_waarschuwt_voor_het_minimum(afspraak, client_beleid):
    url = reverse("aanbod_overzicht", args=[afspraak.pk])
    assert url == f"/afspraken/{afspraak.pk}/aanbod/"
    html = client_beleid.get(url).content.decode()
    for n in Ondersteuningsniveau.objects.all():
        kop = f'<span class="continuum__nummer">Niveau {n.nummer}</span> {n.naam}</h3>'
        assert f'<h3 class="continuum__kop" id="niveau-{n.nummer}-kop">{kop}' in html
        assert n.doel in html
        assert n.praktijkvoorbeelden[0] in html
    for b in Financieringsbron.objects.all():
        assert b.naam in html
    assert "Het minimum van basisafspraak 8 is niet gedekt" in html
    assert ("Er is nog geen aanbod op niveau 1 (Normaliseren), niveau 2 (Preventie) en niveau 3 "
            "(Vroegsignalering en laagdrempelige ondersteuning).") in html

    maak_aanbod(afspraak, 1, wettelijk=True, naam="Studieloopbaanbegeleiding")
    maak_aanbod(afspraak, 3, naam="Preventiemedewerker", fte=Decimal("0.5"), financieringsbron=bron("gemengd"))
    html = client_beleid.get(url).content.decode()
    assert "Er is nog geen aanbod op niveau 2 (Preventie)." in html
    assert "Studieloopbaanbegeleiding" in html and "0,5 fte" in html
    assert '<p class="aanbodsoort aanbodsoort--wettelijk">Wettelijke basis</p>' in html
    assert '<p class="aanbodsoort aanbodsoort--aanvullend">Aanvullend</p>' in html

    maak_aanbod(afspraak, 2, waar=Waar.EXTERN, naam="Jongerenwerk")
    html = client_beleid.get(url).content.decode()
    assert "niet gedekt" not in html
    assert "Het minimum van basisafspraak 8 is gedekt" in html


def test_sectie_linkt_naar_het_overzicht_en_meldt_het_minimum(afspraak, client_beleid):
    html = client_beleid.get(reverse("afspraak_fase", args=[afspraak.pk, 3])).content.decode()
    assert reverse("aanbod_overzicht", args=[afspraak.pk]) in html
    assert "Minimum van basisafspraak 8 nog niet gedekt." in html
    for nummer in (1, 2, 3):
        maak_aanbod(afspraak, nummer)
    html = client_beleid.get(reverse("afspraak_fase", args=[afspraak.pk, 3])).content.decode()
    assert "Minimum van basisafspraak 8 nog niet gedekt." not in html


# --- checks ----------------------------------------------------------------------------------------


def uitkomsten(afspraak, nummer):
    """The outcomes of aanbod's checks for one basisafspraak, through the full toetsing."""
    eigen = {AANBOD, INZET, OVERDRACHT}
    oordeel = next(o for o in toetsing.toets(afspraak) if o.basisafspraak.nummer == nummer)
    return [u for u in oordeel.uitkomsten if u.sectie in eigen]


def status(afspraak, nummer):
    gevonden = uitkomsten(afspraak, nummer)
    assert len(gevonden) == 1, gevonden
    return gevonden[0].status


def test_toets_1_vroegsignalering(afspraak):
    assert status(afspraak, 1) == toetsing.AANDACHTSPUNT
    maak_aanbod(afspraak, 2)
    assert status(afspraak, 1) == toetsing.AANDACHTSPUNT
    maak_aanbod(afspraak, 3, naam="Schoolmaatschappelijk werk")
    assert status(afspraak, 1) == toetsing.VOLDAAN
    assert "Schoolmaatschappelijk werk" in uitkomsten(afspraak, 1)[0].reden


def test_toets_2_wettelijke_basis_en_aanvullend(afspraak):
    assert status(afspraak, 2) == toetsing.AANDACHTSPUNT
    maak_aanbod(afspraak, 3, wettelijk=True)
    assert status(afspraak, 2) == toetsing.AANDACHTSPUNT
    assert "wat de partijen aanvullend organiseren" in uitkomsten(afspraak, 2)[0].reden
    maak_aanbod(afspraak, 3, wettelijk=False)
    assert status(afspraak, 2) == toetsing.VOLDAAN


def test_toets_5_aanbod_op_school_op_de_niveaus_1_tot_3(afspraak):
    assert status(afspraak, 5) == toetsing.NIET_VOLDAAN
    maak_aanbod(afspraak, 4, waar=Waar.OP_SCHOOL)
    maak_aanbod(afspraak, 2, waar=Waar.EXTERN)
    assert status(afspraak, 5) == toetsing.NIET_VOLDAAN
    maak_aanbod(afspraak, 3, waar=Waar.BEIDE)
    assert status(afspraak, 5) == toetsing.VOLDAAN
    assert uitkomsten(afspraak, 5)[0].sectie == AANBOD


def test_toets_6_en_9_personele_inzet(afspraak):
    assert status(afspraak, 6) == toetsing.AANDACHTSPUNT
    assert status(afspraak, 9) == toetsing.NIET_VOLDAAN
    assert uitkomsten(afspraak, 9)[0].sectie == INZET
    PersoneleInzet.objects.create(afspraak=afspraak, functie="Jeugdarts", soort="verbreding")
    assert status(afspraak, 6) == toetsing.VOLDAAN
    assert status(afspraak, 9) == toetsing.VOLDAAN


def test_toets_7_meeste_aanbod_op_school(afspraak):
    assert status(afspraak, 7) == toetsing.AANDACHTSPUNT
    maak_aanbod(afspraak, 1, waar=Waar.EXTERN)
    maak_aanbod(afspraak, 2, waar=Waar.OP_SCHOOL)
    assert status(afspraak, 7) == toetsing.AANDACHTSPUNT  # half is not most
    assert "1 van de 2" in uitkomsten(afspraak, 7)[0].reden
    maak_aanbod(afspraak, 3, waar=Waar.BEIDE)
    assert status(afspraak, 7) == toetsing.VOLDAAN


def test_toets_8_minimum_noemt_de_ontbrekende_niveaus(afspraak):
    assert status(afspraak, 8) == toetsing.NIET_VOLDAAN
    maak_aanbod(afspraak, 2)
    maak_aanbod(afspraak, 5)
    reden = uitkomsten(afspraak, 8)[0].reden
    assert "niveau 1 (Normaliseren) en niveau 3 (Vroegsignalering en laagdrempelige ondersteuning)" in reden
    assert "niveau 2" not in reden
    maak_aanbod(afspraak, 1)
    assert status(afspraak, 8) == toetsing.NIET_VOLDAAN
    maak_aanbod(afspraak, 3)
    assert status(afspraak, 8) == toetsing.VOLDAAN


def test_toets_10_warme_overdracht_met_beide_teksten(afspraak):
    assert status(afspraak, 10) == toetsing.NIET_VOLDAAN
    overdracht = WarmeOverdracht.objects.create(afspraak=afspraak, naar_aanbod="Verslavingszorg")
    assert status(afspraak, 10) == toetsing.NIET_VOLDAAN
    assert "vertrouwde gezicht" in uitkomsten(afspraak, 10)[0].reden
    overdracht.vertrouwd_gezicht = "   "
    overdracht.save()
    assert status(afspraak, 10) == toetsing.NIET_VOLDAAN
    overdracht.vertrouwd_gezicht = "De mentor blijft wekelijks bellen."
    overdracht.save()
    assert status(afspraak, 10) == toetsing.VOLDAAN


def test_toetsing_pagina_linkt_naar_de_secties(afspraak, client_beleid):
    html = client_beleid.get(reverse("afspraak_toetsing", args=[afspraak.pk])).content.decode()
    for sleutel in (AANBOD, INZET, OVERDRACHT):
        assert f"/fase/3/#sectie-{sleutel}" in html


def test_toetsing_doet_een_vast_aantal_queries(afspraak):
    def tel():
        with CaptureQueriesContext(connection) as ctx:
            gegevens = toetsing.Toetsgegevens(afspraak)
            for regel in aanbodtoetsregels.REGELS:
                list(regel(afspraak, gegevens))
        return len(ctx.captured_queries)

    leeg = tel()
    assert leeg == 4  # aanbod, niveaus, personele inzet, warme overdracht
    vul(afspraak, 8)  # catalogue forms without an own name: their name comes from the catalogue
    assert tel() == leeg


# --- rights ----------------------------------------------------------------------------------------


def alle_posts(afspraak):
    """Every write of the three sections, each with the data a permitted user's save would carry."""
    rij = maak_aanbod(afspraak, 1)
    inzet = PersoneleInzet.objects.create(afspraak=afspraak, functie="SMW", soort="nieuw")
    overdracht = WarmeOverdracht.objects.create(afspraak=afspraak, naar_aanbod="GGZ")
    posts = []
    for sleutel, object_ in ((AANBOD, rij), (INZET, inzet), (OVERDRACHT, overdracht)):
        data = {**met_versie(f"{sleutel}-{object_.pk}", 1), f"{AANBOD}-nieuw-naam": "Inbraak",
                f"{AANBOD}-nieuw-wettelijke_basis": "False"}
        posts += [
            (reverse("rij_toevoegen", args=[afspraak.pk, sleutel]), data),
            (reverse("rij_opslaan", args=[afspraak.pk, sleutel, object_.pk]), data),
            (reverse("rij_verwijderen", args=[afspraak.pk, sleutel, object_.pk]), data),
        ]
    return posts


@pytest.mark.parametrize("soort", ["buitenstaander", "bestuurder", "anoniem"])
def test_rechten(afspraak, soort):
    client = Client()
    if soort == "buitenstaander":  # a beleidsmaker of an organisation that is not a party
        client.force_login(GebruikerFactory(username="beleid-groningen",
                                            organisatie=organisatie_van_gemeente("Groningen"),
                                            rol=Gebruiker.Rol.BELEIDSMAKER))
    elif soort == "bestuurder":  # reads, does not write
        client.force_login(GebruikerFactory(username="bestuur-firda", organisatie=organisatie_van_instelling("Firda"),
                                            rol=Gebruiker.Rol.BESTUURDER))
    inloggen = reverse("inloggen") + "?next="
    overzicht = client.get(reverse("aanbod_overzicht", args=[afspraak.pk]))
    if soort == "anoniem":  # without a session: the log-in page
        assert overzicht.status_code == 302 and overzicht["Location"].startswith(inloggen)
    else:
        assert overzicht.status_code == (200 if soort == "bestuurder" else 404)
    for url, data in alle_posts(afspraak):
        for extra in ({}, HTMX):
            antwoord = client.post(url, data, **extra)
            if soort != "anoniem":
                assert antwoord.status_code == 404, url
            elif extra:  # htmx: 401, the page keeps what was typed and says where to log in
                assert antwoord.status_code == 401 and antwoord["X-Inloggen"].startswith(inloggen), url
            else:
                assert antwoord.status_code == 302 and antwoord["Location"].startswith(inloggen), url
    assert Aanbod.objects.filter(afspraak=afspraak).count() == 1
    assert PersoneleInzet.objects.count() == WarmeOverdracht.objects.count() == 1
    assert not Wijziging.objects.filter(afspraak=afspraak).exists()


def test_bestuurder_ziet_het_aanbod_alleen_lezend(afspraak):
    maak_aanbod(afspraak, 2, naam="Voorlichting", fte=Decimal("0.5"))
    client = Client()
    client.force_login(GebruikerFactory(username="bestuur-lwd", organisatie=organisatie_van_gemeente("Leeuwarden"),
                                        rol=Gebruiker.Rol.BESTUURDER))
    html = client.get(reverse("afspraak_fase", args=[afspraak.pk, 3])).content.decode()
    assert "Voorlichting" in html and "0,5" in html
    assert reverse("rij_toevoegen", args=[afspraak.pk, AANBOD]) not in html


# --- query counts ----------------------------------------------------------------------------------


def vul(afspraak, aantal_aanbod):
    """Rows that use every relation: catalogue form, provider, financing, instellingen; plus inzet and overdracht."""
    instellingen = list(afspraak.partijen.filter(organisatie__soort=Organisatie.Soort.MBO_INSTELLING))
    partijen = list(afspraak.partijen.all())
    vormen = list(Aanbodvorm.objects.order_by("pk"))
    for i in range(aantal_aanbod):
        vorm_ = vormen[i % len(vormen)]
        rij = Aanbod.objects.create(
            afspraak=afspraak, niveau_id=vorm_.niveau_id, aanbodvorm=vorm_,
            financieringsbron_id=vorm_.financieringsbron_id, geleverd_door=partijen[i % len(partijen)],
            fte=Decimal("0.5"), wettelijke_basis=vorm_.wettelijke_basis,
        )
        rij.voor_instellingen.set(instellingen[: 1 + i % 2])
    for i in range(aantal_aanbod // 2):
        PersoneleInzet.objects.create(afspraak=afspraak, functie=f"Functie {i}", soort="nieuw",
                                      werkgever=partijen[i % len(partijen)])
        WarmeOverdracht.objects.create(afspraak=afspraak, naar_aanbod=f"Aanbod {i}", vertrouwd_gezicht="Blijft",
                                       partij=partijen[i % len(partijen)])


def aantal_queries(client, url):
    client.get(url)  # warm caches that are not per page (e.g. content types)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("pagina", ["vormgeven", "overzicht", "toetsing"])
@pytest.mark.parametrize("rol", [Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER])
def test_aantal_queries_groeit_niet_met_partijen_of_aanbod(pagina, rol):
    klein = maak_afspraak(extra_partijen=2)
    vul(klein, 2)
    groot_partijen = maak_afspraak(extra_partijen=37, regionummer=3)
    vul(groot_partijen, 2)
    groot_aanbod = maak_afspraak(extra_partijen=2, regionummer=5)
    vul(groot_aanbod, 20)
    assert [a.partijen.count() for a in (klein, groot_partijen, groot_aanbod)] == [5, 40, 5]
    assert [Aanbod.objects.filter(afspraak=a).count() for a in (klein, groot_partijen, groot_aanbod)] == [2, 2, 20]
    gebruiker = GebruikerFactory(username=f"q-{rol}", organisatie=organisatie_van_gemeente("Leeuwarden"), rol=rol)
    client = Client()
    client.force_login(gebruiker)

    def url(a):
        return {
            "vormgeven": reverse("afspraak_fase", args=[a.pk, 3]),
            "overzicht": reverse("aanbod_overzicht", args=[a.pk]),
            "toetsing": reverse("afspraak_toetsing", args=[a.pk]),
        }[pagina]

    if pagina == "vormgeven":  # the forms are there for a beleidsmaker, the read-only view for a bestuurder
        html = client.get(url(groot_aanbod)).content.decode()
        # The section has rows: the form to add aanbod is a link that opens it.
        assert (reverse("rij_nieuw", args=[groot_aanbod.pk, AANBOD]) in html) == (rol == Gebruiker.Rol.BELEIDSMAKER)
    basis = aantal_queries(client, url(klein))
    assert aantal_queries(client, url(groot_partijen)) == basis
    assert aantal_queries(client, url(groot_aanbod)) == basis


def test_beheer_toont_de_rijen_alleen_lezend(afspraak, beheerder_client):
    maak_aanbod(afspraak, 1, naam="Mentoring")
    for model in ("aanbod", "personeleinzet", "warmeoverdracht"):
        assert beheerder_client.get(f"/admin/aanbod/{model}/").status_code == 200
    assert beheerder_client.get("/admin/aanbod/aanbod/add/").status_code == 403
