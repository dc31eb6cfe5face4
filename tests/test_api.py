"""The read-only JSON API (/api/): rights per role for every URL, read-only, pagination, filters, identifiers,
suppressed counts, nothing of a draft in public answers, query counts, and the committed OpenAPI description.

A URL under api/ without an entry in MATRIX makes test_elke_api_url_staat_in_de_matrix fail.
"""

import datetime
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from drf_spectacular.drainage import reset_generator_stats

from aanbod.models import Aanbod, Ondersteuningsniveau, PersoneleInzet
from accounts.models import Gebruiker, Organisatie
from afspraken import fasen
from afspraken.models import (
    Actie,
    Ambitie,
    Indicator,
    Partij,
    Rapportage,
    Resultaat,
    Sectie,
    Toelichting,
    Uitvoeringsafspraak,
)
from afspraken.rechten import mag_lezen
from financiering.models import Categorie, Geldstroom, Kostenpost, Verdeelgroep
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    Leerweg,
    MboInstelling,
    StudentenPerInstelling,
)
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    markeer_ondertekend,
    voeg_gemeenten_toe,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.yaml"
SCHEMA_OPDRACHT = (
    "make schema  (of: python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn --lang nl)"
)

PUBLIEK, LIJST, LEZEN = "publiek", "lijst", "lezen"
ROLLEN = ["anoniem", "beleidsmaker_partij", "bestuurder_partij", "beleidsmaker_ander", "beheerder"]
AFSPRAAK = lambda c: {"regio": 4, "versie": c["afspraak"].versie}  # noqa: E731

# url name -> (kind, kwargs builder)
MATRIX = {
    "api_documentatie": (PUBLIEK, lambda c: {}),
    "api_schema": (PUBLIEK, lambda c: {}),
    "api_regio_lijst": (PUBLIEK, lambda c: {}),
    "api_regio": (PUBLIEK, lambda c: {"nummer": 4}),
    "api_gemeente_lijst": (PUBLIEK, lambda c: {}),
    "api_gemeente": (PUBLIEK, lambda c: {"cbs_code": "GM0080"}),
    "api_instelling_lijst": (PUBLIEK, lambda c: {}),
    "api_instelling": (PUBLIEK, lambda c: {"sleutel": c["firda"]}),
    "api_studenten_instellingen": (PUBLIEK, lambda c: {}),
    "api_studenten_regios": (PUBLIEK, lambda c: {}),
    "api_monitor": (PUBLIEK, lambda c: {}),
    "api_monitor_regios": (PUBLIEK, lambda c: {}),
    "api_afspraak_lijst": (LIJST, lambda c: {}),
    "api_afspraak": (LEZEN, AFSPRAAK),
    "api_afspraak_toetsing": (LEZEN, AFSPRAAK),
    "api_afspraak_verdeling": (LEZEN, AFSPRAAK),
}

# Distinctive texts of a draft: none may appear in any public answer.
GEHEIM = [
    "Geheime titel Kwartelkoning",
    "Geheim visieantwoord Roerdomp",
    "Geheime actie Grutto",
    "Geheime partner Wulp BV",
]


def _api_patronen(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for patroon in resolver.url_patterns:
        pad = prefix + str(patroon.pattern)
        if isinstance(patroon, URLResolver):
            yield from _api_patronen(patroon, pad)
        elif isinstance(patroon, URLPattern) and pad.startswith("api/"):
            yield patroon


def test_elke_api_url_staat_in_de_matrix():
    namen = [p.name for p in _api_patronen()]
    assert None not in namen, "Een URL onder api/ zonder naam kan niet in de rechtenmatrix"
    assert set(namen) - set(MATRIX) == set(), "Nieuwe URL onder api/ zonder regel in de rechtenmatrix"
    assert set(MATRIX) - set(namen) == set(), "Regel in de matrix voor een URL die niet meer bestaat"


def _firda():
    return MboInstelling.objects.get(naam="Firda")


@pytest.fixture
def context(db, refdata):
    afspraak = maak_afspraak(4)
    leeuwarden = gemeente_organisatie("Leeuwarden")
    return {
        "afspraak": afspraak,
        "firda": str(_firda().pk),
        "gebruikers": {
            "beleidsmaker_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "api-beleid"),
            "bestuurder_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "api-bestuur"),
            "beleidsmaker_ander": gebruiker_van(
                gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "api-ander"
            ),
            "beheerder": gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "api-beheer"),
        },
    }


def _client(context, rol, **kwargs):
    client = Client(**kwargs)
    if rol != "anoniem":
        client.force_login(context["gebruikers"][rol])
    return client


def _verwacht(soort, rol):
    if soort == PUBLIEK:
        return 200
    if rol == "anoniem":
        return 403  # DRF's NotAuthenticated: the session authentication sends no WWW-Authenticate
    if soort == LIJST:
        return 200
    return 404 if rol == "beleidsmaker_ander" else 200


@pytest.mark.parametrize("rol", ROLLEN)
@pytest.mark.parametrize("naam", sorted(MATRIX))
def test_rechtenmatrix(naam, rol, context):
    soort, kwargs = MATRIX[naam]
    response = _client(context, rol).get(reverse(naam, kwargs=kwargs(context)))
    assert response.status_code == _verwacht(soort, rol), (naam, rol, response.status_code)


@pytest.mark.parametrize("rol", ["anoniem", "beleidsmaker_partij", "beheerder"])
def test_alles_is_alleen_lezen(rol, context):
    # With CSRF checks on, as a browser would be: a write is 405, never a 403 for a missing token.
    client = _client(context, rol, enforce_csrf_checks=True)
    aantallen = (Uitvoeringsafspraak.objects.count(), Partij.objects.count(), Gemeente.objects.count())
    for naam, (_, kwargs) in MATRIX.items():
        url = reverse(naam, kwargs=kwargs(context))
        for methode in ("post", "put", "patch", "delete"):
            response = getattr(client, methode)(url, data="{}", content_type="application/json")
            assert response.status_code == 405, (naam, methode, rol, response.status_code)
    assert (Uitvoeringsafspraak.objects.count(), Partij.objects.count(), Gemeente.objects.count()) == aantallen


def test_geen_toegang_en_onbekend_zijn_niet_te_onderscheiden(context):
    ander = _client(context, "beleidsmaker_ander")
    bestaand = ander.get(reverse("api_afspraak", kwargs={"regio": 4, "versie": 1}))
    onbekend = ander.get(reverse("api_afspraak", kwargs={"regio": 4, "versie": 99}))
    assert bestaand.status_code == onbekend.status_code == 404
    assert bestaand.json() == onbekend.json()
    anoniem = Client().get(reverse("api_afspraak_toetsing", kwargs={"regio": 4, "versie": 1}))
    assert anoniem.status_code == 403
    assert "Kwartelkoning" not in anoniem.content.decode()


def test_lijst_volgt_precies_mag_lezen(context):
    """Every role, and some edge cases, see exactly the agreements mag_lezen allows them."""
    afspraak = context["afspraak"]
    amsterdam = Gemeente.objects.get(naam="Amsterdam").regio.nummer
    tweede = maak_afspraak(amsterdam)  # the 'ander' user's own region
    partner = Organisatie.objects.create(naam="Partnerorganisatie Test", soort="partner", partner_soort="ggd")
    afspraak.partijen.create(organisatie=partner, rol=Partij.Rol.PARTNER)
    gebruikers = dict(context["gebruikers"])
    gebruikers["partner_bestuurder"] = gebruiker_van(partner, Gebruiker.Rol.BESTUURDER, "api-partner")
    gebruikers["zonder_organisatie"] = gebruiker_van(None, Gebruiker.Rol.BELEIDSMAKER, "api-los")
    gebruikers["beheerder_met_organisatie"] = gebruiker_van(
        gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BEHEERDER, "api-beheer-2"
    )
    alle = [afspraak, tweede]
    for naam, gebruiker in gebruikers.items():
        client = Client()
        client.force_login(gebruiker)
        data = client.get(reverse("api_afspraak_lijst")).json()
        gezien = {(a["regio"], a["versie"]) for a in data["results"]}
        verwacht = {(a.regio.nummer, a.versie) for a in alle if mag_lezen(gebruiker, a)}
        assert gezien == verwacht, naam
        assert data["count"] == len(verwacht)
        if naam.startswith("beheerder"):
            assert gezien == {(4, 1), (amsterdam, 1)}
        if naam == "beleidsmaker_ander":
            assert gezien == {(amsterdam, 1)}


def test_inactieve_gebruiker_is_anoniem(context):
    gebruiker = context["gebruikers"]["beleidsmaker_partij"]
    client = Client()
    client.force_login(gebruiker)
    Gebruiker.objects.filter(pk=gebruiker.pk).update(is_active=False)
    assert client.get(reverse("api_afspraak_lijst")).status_code == 403


# --- pagination, filters, identifiers ------------------------------------------------------------


def test_paginering(refdata):
    client = Client()
    totaal = Gemeente.objects.count()
    eerste = client.get("/api/gemeenten/?limit=10").json()
    assert eerste["count"] == totaal
    assert len(eerste["results"]) == 10
    assert eerste["previous"] is None
    assert "offset=10" in eerste["next"]
    tweede = client.get(eerste["next"]).json()
    codes = [g["cbs_code"] for g in eerste["results"] + tweede["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 20  # stable order, no overlap
    laatste = client.get(f"/api/gemeenten/?limit=10&offset={totaal - 3}").json()
    assert len(laatste["results"]) == 3 and laatste["next"] is None
    standaard = client.get("/api/gemeenten/").json()
    assert len(standaard["results"]) == 100
    alles = client.get("/api/gemeenten/?limit=100000").json()
    assert len(alles["results"]) == min(totaal, 1000)


def test_filters_gemeenten_en_instellingen(refdata):
    client = Client()
    friesland = client.get("/api/gemeenten/?regio=4").json()
    assert friesland["count"] == Gemeente.objects.filter(regio__nummer=4).count() > 0
    assert {g["regio"] for g in friesland["results"]} == {4}
    leeuwarden = next(g for g in friesland["results"] if g["cbs_code"] == "GM0080")
    assert leeuwarden["is_contactgemeente"] is True
    assert leeuwarden["inwoners"] > 100_000 and leeuwarden["inwoners_peiljaar"] == 2023
    assert client.get("/api/gemeenten/?regio=x").status_code == 400

    regio = Doorstroompuntregio.objects.get(nummer=4)
    instellingen = client.get("/api/instellingen/?regio=4").json()
    verwacht = set(InstellingInRegio.objects.filter(regio=regio).values_list("instelling__naam", flat=True))
    assert {i["naam"] for i in instellingen["results"]} == verwacht
    assert all(4 in i["regios"] for i in instellingen["results"])


def test_identificatie_met_domeincodes(refdata):
    client = Client()
    regio = client.get("/api/regios/4/").json()
    assert regio["nummer"] == 4 and regio["code_duo"] == "04"
    assert regio["contactgemeente"] == {"cbs_code": "GM0080", "naam": "Leeuwarden"}
    assert {"cbs_code": "GM0080", "naam": "Leeuwarden"} in regio["gemeenten"]
    assert client.get("/api/gemeenten/gm0080/").json()["cbs_code"] == "GM0080"
    leeuwarden = Gemeente.objects.get(code="GM0080")
    # A gemeente's database number is no identifier.
    assert client.get(f"/api/gemeenten/{leeuwarden.pk}/").status_code == 404
    assert client.get("/api/regios/41/").status_code == 404

    # An instelling: its number while the DUO code is unknown; the code once known (the number keeps working).
    firda = _firda()
    zonder = client.get(f"/api/instellingen/{firda.pk}/").json()
    assert zonder["sleutel"] == str(firda.pk) and zonder["instellingscode"] is None
    MboInstelling.objects.filter(pk=firda.pk).update(instellingscode="25LX")
    met = client.get("/api/instellingen/25lx/").json()
    assert met["sleutel"] == "25LX" and met["instellingscode"] == "25LX" and met["naam"] == "Firda"
    assert client.get(f"/api/instellingen/{firda.pk}/").json()["sleutel"] == "25LX"
    assert {"sleutel": "25LX", "instellingscode": "25LX", "naam": "Firda"} in client.get("/api/regios/4/").json()[
        "instellingen"
    ]
    assert client.get("/api/instellingen/99ZZ/").status_code == 404

    # No database numbers as fields anywhere in the public answers.
    for url in [
        "/api/regios/",
        "/api/regios/4/",
        "/api/gemeenten/",
        "/api/instellingen/",
        "/api/monitor/regios/",
        "/api/studentaantallen/instellingen/",
        "/api/studentaantallen/regios/",
        "/api/monitor/",
    ]:
        assert not _sleutels(client.get(url).json()) & {"id", "pk"}, url


def _sleutels(waarde):
    if isinstance(waarde, dict):
        return set(waarde) | set().union(*(_sleutels(v) for v in waarde.values()))
    if isinstance(waarde, list):
        return set().union(*(_sleutels(v) for v in waarde)) if waarde else set()
    return set()


# --- student counts: suppressed parts are ranges, never 0 -----------------------------------------


@pytest.fixture
def onderdrukt(refdata):
    """Peiljaar 2030: Firda by leerweg with a suppressed cell; Friesland College's total plus a breakdown."""
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_INSTELLING, peiljaar=2030, status=Dataset.Status.SYNTHETISCH, bron="test"
    )
    firda = _firda()
    tweede = InstellingInRegio.objects.filter(regio__nummer=4).exclude(instelling=firda).first()
    if tweede is None:
        tweede = InstellingInRegio.objects.create(
            instelling=MboInstelling.objects.create(naam="Testcollege Noord"),
            regio=Doorstroompuntregio.objects.get(nummer=4),
        )
    tweede = tweede.instelling

    def rij(instelling, leerweg, aantal, onderdrukt_=0):
        StudentenPerInstelling.objects.create(
            dataset=dataset,
            instelling=instelling,
            peiljaar=2030,
            leerweg=leerweg,
            aantal=aantal,
            onderdrukt=onderdrukt_,
        )

    rij(firda, Leerweg.BBL, 10)
    rij(firda, Leerweg.BOLDT, 0, 1)  # DUO wrote -1: somewhere from 1 to 4
    rij(tweede, Leerweg.TOTAAL, 100)
    rij(tweede, Leerweg.BOLVT, 60)  # a breakdown next to the total: never counted twice
    return firda, tweede


def test_onderdrukte_aantallen_als_bereik(onderdrukt):
    firda, _ = onderdrukt
    client = Client()
    data = client.get(f"/api/studentaantallen/instellingen/?peiljaar=2030&instelling={firda.pk}").json()
    per_leerweg = {r["leerweg"]: r for r in data["results"]}
    assert set(per_leerweg) == {"BBL", "BOLDT"}
    assert per_leerweg["BOLDT"]["aantal"] == {
        "bekend": 0,
        "onderdrukt": 1,
        "ondergrens": 1,
        "bovengrens": 4,
        "is_exact": False,
    }
    assert per_leerweg["BBL"]["aantal"] == {
        "bekend": 10,
        "onderdrukt": 0,
        "ondergrens": 10,
        "bovengrens": 10,
        "is_exact": True,
    }
    assert per_leerweg["BOLDT"]["bronstatus"] == "synthetisch"

    assert client.get("/api/studentaantallen/instellingen/?peiljaar=2030&leerweg=BOLDT").json()["count"] == 1
    assert client.get("/api/studentaantallen/instellingen/?leerweg=XYZ").status_code == 400
    assert client.get("/api/studentaantallen/instellingen/?peiljaar=2030&regio=4").json()["count"] == 4
    assert client.get("/api/studentaantallen/instellingen/?peiljaar=2030&regio=21").json()["count"] == 0


def test_studenten_per_regio(onderdrukt):
    client = Client()
    data = client.get("/api/studentaantallen/regios/?peiljaar=2030&regio=4").json()
    assert data["count"] == 1
    rij = data["results"][0]
    # Firda 10 + one suppressed part; the other instelling its total 100 only (not 100 + 60).
    assert rij["aantal"] == {"bekend": 110, "onderdrukt": 1, "ondergrens": 111, "bovengrens": 114, "is_exact": False}
    assert rij["instellingen_met_cijfers"] == 2 <= rij["aantal_instellingen"]
    alle_jaren = client.get("/api/studentaantallen/regios/?regio=4").json()["results"]
    assert [r["peiljaar"] for r in alle_jaren] == sorted({r["peiljaar"] for r in alle_jaren}, reverse=True)
    zonder = client.get("/api/studentaantallen/regios/?peiljaar=2030&regio=1").json()["results"][0]
    assert zonder["instellingen_met_cijfers"] == 0 and zonder["aantal"] is None
    assert client.get("/api/studentaantallen/regios/?peiljaar=twintig").status_code == 400


# --- public status: nothing of a draft -------------------------------------------------------------


@pytest.fixture
def geheim_concept(context):
    """The region-4 concept with distinctive texts in its title, a section, an actie and a party."""
    afspraak = context["afspraak"]
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(titel=GEHEIM[0])
    afspraak.refresh_from_db()
    Sectie.objects.create(afspraak=afspraak, sleutel=fasen.VISIE, inhoud={"antwoord": GEHEIM[1]}, versie=1)
    leeuwarden = afspraak.partijen.get(organisatie__gemeente__code="GM0080")
    Actie.objects.create(afspraak=afspraak, fase=1, omschrijving=GEHEIM[2], eigenaar=leeuwarden)
    partner = Organisatie.objects.create(naam=GEHEIM[3], soort="partner", partner_soort="zorgaanbieder")
    afspraak.partijen.create(organisatie=partner, rol=Partij.Rol.PARTNER)
    return afspraak


def test_openbare_status_toont_niets_van_een_concept(geheim_concept, context):
    client = Client()
    for naam, (soort, kwargs) in MATRIX.items():
        if soort != PUBLIEK:
            continue
        url = reverse(naam, kwargs=kwargs(context))
        for query in ("", "?regio=4", "?status=in_voorbereiding", "?format=json"):
            tekst = client.get(url + query).content.decode()
            for geheim in GEHEIM:
                assert geheim not in tekst, (url + query, geheim)
    stand = client.get("/api/monitor/regios/?regio=4").json()["results"]
    assert stand == [
        {
            "regio": 4,
            "regio_naam": "Friesland Noord",
            "status": "in_voorbereiding",
            "status_tekst": "In voorbereiding",
            "ondertekend_op": None,
            "handtekeningen": None,
            "partijen": None,
        }
    ]
    # A member does see the draft's content.
    lid = _client(context, "beleidsmaker_partij").get("/api/afspraken/4/1/").content.decode()
    assert all(geheim in lid for geheim in GEHEIM)


def test_status_per_regio_en_monitor(context):
    client = Client()
    alle = client.get("/api/monitor/regios/").json()
    assert alle["count"] == 40
    assert client.get("/api/monitor/regios/?status=in_voorbereiding").json()["count"] == 1
    assert client.get("/api/monitor/regios/?status=geen").json()["count"] == 39
    assert client.get("/api/monitor/regios/?status=concept").status_code == 400
    monitor = client.get("/api/monitor/").json()
    assert monitor["regios_totaal"] == 40 and monitor["regios_gedekt"] == 0
    assert monitor["per_status"] == {"geen": 39, "in_voorbereiding": 1, "ter_ondertekening": 0, "ondertekend": 0}
    assert monitor["deadline"] == "2026-12-31"
    assert set(monitor["studenten_totaal"]) == {"bekend", "onderdrukt", "ondergrens", "bovengrens", "is_exact"}
    assert monitor["studenten_totaal"]["ondergrens"] > 0


def test_status_ter_ondertekening_noemt_handtekeningen(context):
    afspraak = context["afspraak"]
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING, ter_ondertekening_op=timezone.now()
    )
    rij = Client().get("/api/monitor/regios/?regio=4").json()["results"][0]
    assert rij["status"] == "ter_ondertekening"
    assert rij["handtekeningen"] == 0 and rij["partijen"] == afspraak.partijen.count()


def test_status_ondertekend_en_dekking(context, django_assert_max_num_queries):
    markeer_ondertekend(context["afspraak"], op=timezone.now())
    client = Client()
    rij = client.get("/api/monitor/regios/?status=ondertekend").json()["results"]
    assert [r["regio"] for r in rij] == [4]
    assert rij[0]["ondertekend_op"] == timezone.localdate().isoformat() and rij[0]["handtekeningen"] is None
    monitor = client.get("/api/monitor/").json()
    gemeenten = Partij.objects.filter(afspraak=context["afspraak"], organisatie__gemeente__actief=True).count()
    assert monitor["regios_gedekt"] == 1 and monitor["gemeenten_gedekt"] == gemeenten
    assert monitor["instellingen_gedekt"] == 1  # Firda
    assert 0 < monitor["studenten_gedekt"]["ondergrens"] <= monitor["studenten_totaal"]["ondergrens"]
    # The answers cost as many queries with three signed agreements as with one.
    een = _queries(client, "/api/monitor/")
    for nummer in (13, 20):
        markeer_ondertekend(maak_afspraak(nummer), op=timezone.now())
    with django_assert_max_num_queries(8):
        client.get("/api/monitor/")
    assert _queries(client, "/api/monitor/") == een == _queries(client, "/api/monitor/regios/")


# --- members' content, toetsing, verdeling ---------------------------------------------------------


def vul(afspraak, aantal):
    """`aantal` more of every kind of row, and as many more parties (gemeenten from elsewhere)."""
    voeg_gemeenten_toe(afspraak, aantal)
    eigenaar = afspraak.partijen.get(organisatie__gemeente__code="GM0080")
    firda = afspraak.partijen.get(organisatie__instelling__naam="Firda")
    niveau = Ondersteuningsniveau.objects.order_by("nummer").first()
    for i in range(aantal):
        Actie.objects.create(
            afspraak=afspraak,
            fase=1 + i % 4,
            omschrijving=f"Actie {i}",
            eigenaar=eigenaar,
            deadline=datetime.date(2026, 6, 1),
        )
        ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving=f"Ambitie {i}")
        resultaat = Resultaat.objects.create(afspraak=afspraak, ambitie=ambitie, omschrijving=f"Resultaat {i}")
        Indicator.objects.create(
            afspraak=afspraak,
            ambitie=ambitie,
            resultaat=resultaat,
            naam=f"Indicator {i}",
            nulmeting="7.40",
            streefwaarde="5.50",
            meetfrequentie="jaarlijks",
        )
        Indicator.objects.create(afspraak=afspraak, ambitie=ambitie, naam=f"Losse indicator {i}")
        Rapportage.objects.create(
            afspraak=afspraak, onderwerp=f"Rapportage {i}", van=eigenaar, aan="Bestuurlijk overleg"
        )
        aanbod = Aanbod.objects.create(afspraak=afspraak, niveau=niveau, naam=f"Aanbod {i}", geleverd_door=firda)
        aanbod.voor_instellingen.add(firda)
        PersoneleInzet.objects.create(afspraak=afspraak, functie=f"Functie {i}", soort="nieuw", werkgever=firda)
        Kostenpost.objects.create(
            afspraak=afspraak,
            categorie=Categorie.EXTRA_ONDERSTEUNING,
            omschrijving=f"Post {i}",
            bedragen={str(j): 1_000_000 + i for j in afspraak.looptijd_jaren},
        )
        Geldstroom.objects.create(
            afspraak=afspraak,
            bron="spuk",
            van=eigenaar,
            duur="structureel",
            karakter="bestaand",
            bedrag_per_jaar="1000.00",
        )
    Verdeelgroep.objects.filter(afspraak=afspraak).delete()
    Verdeelgroep.objects.create(afspraak=afspraak, naam="Instelling", methode="gelijk", aandeel="1/3", leden=[firda.pk])
    # The region's own gemeenten: each has inwoners (CBS 2023), so the verdeling can be computed.
    gemeenten = list(
        afspraak.partijen.filter(rol__in=[Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE]).values_list("pk", flat=True)
    )
    Verdeelgroep.objects.create(afspraak=afspraak, naam="Gemeenten", methode="inwoners", aandeel="2/3", leden=gemeenten)


def test_inhoud_voor_leden(geheim_concept, context):
    vul(geheim_concept, 2)
    Toelichting.objects.create(afspraak=geheim_concept, basisafspraak=7, tekst="Toelichting op zeven")
    data = _client(context, "bestuurder_partij").get("/api/afspraken/4/1/").json()
    assert data["afspraak"]["titel"] == GEHEIM[0] and data["afspraak"]["status"] == "concept"
    assert data["afspraak"]["regio"] == 4 and data["afspraak"]["versie"] == 1
    leeuwarden = next(p for p in data["partijen"] if p["cbs_code"] == "GM0080")
    assert leeuwarden["rol"] == "contactgemeente" and leeuwarden["financieel_eindverantwoordelijk"] is True
    firda = next(p for p in data["partijen"] if p["organisatie"] == "Firda")
    assert firda["soort"] == "mbo_instelling" and firda["instelling"] == context["firda"]
    assert [f["nummer"] for f in data["fasen"]] == [1, 2, 3, 4]
    secties = {s["sleutel"]: s for f in data["fasen"] for s in f["secties"]}
    assert "partijen" not in secties  # the parties are given in full above
    visie = secties[fasen.VISIE]
    assert visie["soort"] == "tekst" and visie["antwoorden"][0]["veld"] == "antwoord"
    assert visie["antwoorden"][0]["antwoord"] == GEHEIM[1] and visie["antwoorden"][0]["vraag"].startswith("Op welke")
    acties = secties["acties-verkennen"]
    assert acties["soort"] == "rijen" and GEHEIM[2] in json.dumps(acties["rijen"])
    assert any(s["sleutel"] == "vormgeven-aanbod" and len(s["rijen"]) == 2 for s in secties.values())
    assert {
        "fase": 1,
        "fase_naam": "Verkennen",
        "omschrijving": GEHEIM[2],
        "deadline": None,
        "status": "open",
        "eigenaar": {
            "organisatie": "Gemeente Leeuwarden",
            "soort": "gemeente",
            "cbs_code": "GM0080",
            "instelling": None,
            "instellingscode": None,
        },
    } in data["acties"]
    ambitie = data["ambities"][0]
    assert ambitie["omschrijving"] == "Ambitie 0"
    assert ambitie["resultaten"][0]["indicatoren"][0]["nulmeting"] == "7.40"
    assert ambitie["indicatoren_zonder_resultaat"][0]["naam"] == "Losse indicator 0"
    assert data["rapportages"][0]["van"]["cbs_code"] == "GM0080"


def test_toetsing_voor_leden(context):
    Toelichting.objects.create(afspraak=context["afspraak"], basisafspraak=7, tekst="Toelichting op zeven")
    data = _client(context, "beleidsmaker_partij").get("/api/afspraken/4/1/toetsing/").json()
    assert [b["nummer"] for b in data["basisafspraken"]] == list(range(1, 13))
    assert sum(data["samenvatting"].values()) == 12
    assert all(b["oordeel"] in {"voldaan", "aandachtspunt", "niet_voldaan"} for b in data["basisafspraken"])
    assert data["gereed_mogelijk"] is False and data["bezwaren"]  # an empty concept is not ready
    assert all(r["reden"] for b in data["basisafspraken"] for r in b["redenen"])
    assert data["basisafspraken"][6]["toelichting"] == "Toelichting op zeven"
    assert data["basisafspraken"][5]["toelichting"] is None


def test_verdeling_voor_leden(context):
    afspraak = context["afspraak"]
    vul(afspraak, 1)
    data = _client(context, "beheerder").get("/api/afspraken/4/1/verdeling/").json()
    assert data["jaren"] == [2026, 2027, 2028, 2029]
    verdeling = data["verdeling"]
    assert verdeling["berekend"] is True, verdeling["fouten"]
    te_verdelen = {b["jaar"]: b["centen"] for b in verdeling["te_verdelen"]}
    assert te_verdelen == {j: 1_000_000 for j in data["jaren"]}
    for jaar in data["jaren"]:
        # Every cent is accounted for: the parts add up exactly to the total.
        assert (
            sum(b["centen"] for p in verdeling["partijen"] for b in p["bedragen"] if b["jaar"] == jaar)
            == te_verdelen[jaar]
        )
    groepen = {g["naam"]: g for g in verdeling["groepen"]}
    assert groepen["Instelling"]["aandeel"] == "1/3" and groepen["Gemeenten"]["aandeel"] == "2/3"
    assert groepen["Instelling"]["leden"][0]["partij"]["instelling"] == context["firda"]
    assert all(lid["partij"]["cbs_code"].startswith("GM") for lid in groepen["Gemeenten"]["leden"])
    assert sum(lid["totaal_centen"] for lid in groepen["Gemeenten"]["leden"]) == groepen["Gemeenten"]["totaal_centen"]
    assert data["geldstromen"][0]["bedrag_per_jaar_centen"] == 100_000
    assert data["kosten"]["categorieen"][0]["categorie"] == "extra_ondersteuning"


def test_verdeling_zonder_sleutel(context):
    data = _client(context, "beleidsmaker_partij").get("/api/afspraken/4/1/verdeling/").json()
    assert data["verdeling"]["berekend"] is False and data["verdeling"]["geen_verdeelsleutel"] is True
    assert data["verdeling"]["partijen"] == [] and data["verdeling"]["totaal_centen"] is None


def test_afspraken_filteren(context):
    client = _client(context, "beheerder")
    maak_afspraak(21)
    assert client.get("/api/afspraken/?regio=21").json()["count"] == 1
    assert client.get("/api/afspraken/?status=concept").json()["count"] == 2
    assert client.get("/api/afspraken/?status=ondertekend").json()["count"] == 0
    assert client.get("/api/afspraken/?status=klaar").status_code == 400


def test_de_inhoud_volgt_een_opgeslagen_sectie_meteen(context):
    client = _client(context, "beleidsmaker_partij")
    afspraak = context["afspraak"]
    Sectie.objects.create(afspraak=afspraak, sleutel=fasen.REGIE, inhoud={"antwoord": "Samen in het DSP-overleg"},
                          versie=1)
    assert "Samen in het DSP-overleg" in client.get("/api/afspraken/4/1/").content.decode()
    Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE).update(inhoud={"antwoord": "Het DSP-overleg beslist"})
    inhoud = client.get("/api/afspraken/4/1/").content.decode()
    assert "Het DSP-overleg beslist" in inhoud and "Samen in het DSP-overleg" not in inhoud


# --- query counts ------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as vastgelegd:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(vastgelegd.captured_queries)


OPENBARE_LIJSTEN = {
    # url: (few rows, many rows, most queries)
    "/api/regios/": ("?limit=2", "?limit=40", 2),
    "/api/regios/4/": ("", "", 3),
    "/api/gemeenten/": ("?limit=2", "?limit=400", 2),
    "/api/instellingen/": ("?limit=2", "?limit=100", 3),
    "/api/studentaantallen/instellingen/": ("?limit=2", "?limit=1000", 2),
    "/api/studentaantallen/regios/": ("?limit=2", "?limit=1000", 3),
    # monitor.stand.landelijke_stand takes 5 today; a little room for its refinements.
    "/api/monitor/regios/": ("?limit=2", "?limit=40", 6),
    "/api/monitor/": ("", "", 6),
}


@pytest.mark.parametrize("url", sorted(OPENBARE_LIJSTEN))
def test_queries_openbaar(url, onderdrukt, django_assert_max_num_queries):
    weinig, veel, hoogstens = OPENBARE_LIJSTEN[url]
    client = Client()
    with django_assert_max_num_queries(hoogstens):
        client.get(url + veel)
    assert _queries(client, url + weinig) == _queries(client, url + veel)


LIJSTEN_MET_NAMEN = ["/api/regios/", "/api/gemeenten/", "/api/instellingen/", "/api/studentaantallen/instellingen/",
                     "/api/studentaantallen/regios/"]


@pytest.mark.parametrize("url", LIJSTEN_MET_NAMEN)
def test_een_lijst_volgt_de_gegevens_meteen(url, onderdrukt):
    """A change of the national data shows on the next request."""
    client = Client()
    voor = client.get(url).json()
    # Every list shows some region's, gemeente's or instelling's name.
    Doorstroompuntregio.objects.update(naam=Concat(F("naam"), Value(" (hernoemd)")))
    Gemeente.objects.update(naam=Concat(F("naam"), Value(" (hernoemd)")))
    MboInstelling.objects.update(naam=Concat(F("naam"), Value(" (hernoemd)")))
    na = client.get(url).json()
    assert na != voor and "(hernoemd)" in json.dumps(na)


def test_links_per_host_en_schema(onderdrukt):
    """The links to the next page name the host and scheme they were asked on."""
    client = Client()
    for host, https in (("a.example", False), ("b.example", True), ("a.example", False), ("b.example", True)):
        with override_settings(ALLOWED_HOSTS=["a.example", "b.example"]):
            volgende = client.get("/api/gemeenten/", HTTP_HOST=host, secure=https).json()["next"]
        assert volgende.startswith(f"{'https' if https else 'http'}://{host}/api/gemeenten/?")


def test_een_ongeldige_filter_wordt_geweigerd(onderdrukt):
    """Refused with the parameter named, every time."""
    client = Client()
    for _ in range(2):
        response = client.get("/api/gemeenten/?regio=x")
        assert response.status_code == 400 and "regio" in response.json()


def test_queries_eigen_lijst(context, django_assert_max_num_queries):
    client = _client(context, "beheerder")
    een = _queries(client, "/api/afspraken/")
    for nummer in (13, 20, 30):
        maak_afspraak(nummer)
    with django_assert_max_num_queries(5):  # session, user, the second factor's device (django-otp), count, page
        client.get("/api/afspraken/")
    assert _queries(client, "/api/afspraken/") == een


# Today 27, 21 and 13: one query per row section and per check, never per row or party.
AFSPRAAKDELEN = {"": 34, "toetsing/": 26, "verdeling/": 16}


@pytest.mark.parametrize("deel", sorted(AFSPRAAKDELEN))
def test_queries_afspraak_groeien_niet(deel, context, django_assert_max_num_queries):
    afspraak = context["afspraak"]
    client = _client(context, "beleidsmaker_partij")
    url = f"/api/afspraken/4/1/{deel}"
    vul(afspraak, 1)
    weinig = _queries(client, url)
    vul(afspraak, 8)
    with django_assert_max_num_queries(AFSPRAAKDELEN[deel]):
        client.get(url)
    assert _queries(client, url) == weinig


def test_queries_afspraak_groeien_niet_met_het_aantal_afspraken(context):
    client = _client(context, "beheerder")
    vul(context["afspraak"], 2)
    maak_afspraak(13)  # two agreements
    twee = {deel: _queries(client, f"/api/afspraken/4/1/{deel}") for deel in AFSPRAAKDELEN}
    for nummer in (16, 20, 21):
        maak_afspraak(nummer)
    assert Uitvoeringsafspraak.objects.count() == 5
    assert {deel: _queries(client, f"/api/afspraken/4/1/{deel}") for deel in AFSPRAAKDELEN} == twee


def test_inhoud_met_een_formulier_per_sectie_gelijk_aan_een_formulier_per_rij(context, monkeypatch):
    """api.inhoud reads all rows of a section with one form when its form does not read the row
    (Rijformulier.leest_rij is False); the answer must be exactly what a form per row gives."""
    from aanbod.models import Aanbodvorm
    from afspraken import secties as sectiemodule

    afspraak = context["afspraak"]
    vul(afspraak, 3)
    # Rows that differ in what a form could take from its row: a catalogue form next to an own name, another
    # provider and instellingen, an actie with another owner and status, an indicator without a resultaat.
    firda = afspraak.partijen.get(organisatie__instelling__naam="Firda")
    andere = afspraak.partijen.exclude(pk=firda.pk).order_by("pk").first()
    vorm = Aanbodvorm.objects.order_by("pk").first()
    catalogus = Aanbod.objects.create(
        afspraak=afspraak, aanbodvorm=vorm, niveau_id=vorm.niveau_id, financieringsbron_id=vorm.financieringsbron_id,
        wettelijke_basis=vorm.wettelijke_basis, geleverd_door=andere,
    )
    catalogus.voor_instellingen.add(firda)
    Actie.objects.create(afspraak=afspraak, fase=3, omschrijving="Andere eigenaar", eigenaar=andere, status="afgerond")
    # Financing rows: amounts in other years (one outside the looptijd), another party, no amount.
    Kostenpost.objects.create(afspraak=afspraak, categorie=Categorie.TRANSITIE, omschrijving="Anders verdeeld",
                              bedragen={"2026": 5, "2031": 7})
    Geldstroom.objects.create(afspraak=afspraak, bron="anders", omschrijving="Fonds", van=andere, duur="tijdelijk",
                              karakter="aanvullend")
    client = _client(context, "beleidsmaker_partij")
    gedeeld = client.get("/api/afspraken/4/1/").json()
    for definitie in sectiemodule.alle():
        monkeypatch.setattr(definitie.formulier_klasse, "leest_rij", True, raising=False)
        monkeypatch.setattr(definitie.formulier_klasse, "zelfde_velden_per_rij", False, raising=False)
    per_rij = client.get("/api/afspraken/4/1/").json()
    assert gedeeld == per_rij
    secties = {s["sleutel"]: s for f in gedeeld["fasen"] for s in f["secties"]}
    aanbod = json.dumps(secties["vormgeven-aanbod"]["rijen"], ensure_ascii=False)
    assert len(secties["vormgeven-aanbod"]["rijen"]) == 4 and vorm.naam in aanbod and "Aanbod 2" in aanbod
    assert sum(len(s["rijen"]) for s in secties.values()) >= 30
    kosten = json.dumps(secties["vormgeven-financiering-kostenposten"]["rijen"], ensure_ascii=False)
    assert "Anders verdeeld" in kosten and "2031" in kosten


def test_veldnamen_van_tekstsecties_zijn_die_van_het_formulier(context):
    """api.inhoud takes a text section's field names from its form class when the labels match the questions;
    they must be the names of the form as built for this agreement, for every text section."""
    from afspraken import secties as register
    from afspraken.models import Fase
    from afspraken.toetsing import Toetsgegevens

    afspraak = context["afspraak"]
    data = _client(context, "beleidsmaker_partij").get("/api/afspraken/4/1/").json()
    per_sleutel = {s["sleutel"]: s for f in data["fasen"] for s in f["secties"]}
    gegevens = Toetsgegevens(afspraak)
    getoetst = 0
    for fase in Fase:
        for definitie in register.van_fase(fase):
            if not isinstance(definitie, register.Tekstsectie):
                continue
            formulier = definitie.formulier(afspraak, inhoud={}, gegevens=gegevens)
            assert [a["veld"] for a in per_sleutel[definitie.sleutel]["antwoorden"]] == list(formulier.fields)
            getoetst += 1
    assert getoetst >= 10


# --- the OpenAPI description and its page --------------------------------------------------------------


def test_openapi_is_bijgewerkt(tmp_path):
    nieuw = tmp_path / "openapi.yaml"
    reset_generator_stats()
    call_command("spectacular", file=str(nieuw), validate=True, fail_on_warn=True, lang="nl")
    assert SCHEMA.read_text(encoding="utf-8") == nieuw.read_text(encoding="utf-8"), (
        f"docs/openapi.yaml is verouderd. Maak het opnieuw met: {SCHEMA_OPDRACHT}"
    )


def test_openapi_beschrijft_elk_endpoint_in_het_nederlands(refdata):
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    client = Client()
    geserveerd = client.get("/api/schema/")
    assert geserveerd.status_code == 200 and yaml.safe_load(geserveerd.content) == schema
    assert json.loads(client.get("/api/schema/?format=json").content) == schema
    paden = {p for p in _api_patronen() if p.name not in ("api_documentatie", "api_schema")}
    assert len(schema["paths"]) == len(paden)
    for pad, operaties in schema["paths"].items():
        assert set(operaties) == {"get"}, pad  # read-only
        operatie = operaties["get"]
        assert operatie["summary"] and operatie["description"] and operatie["tags"], pad
        for code, antwoord in operatie["responses"].items():
            assert antwoord["description"], (pad, code)
        for parameter in operatie.get("parameters", []):
            assert parameter.get("description"), (pad, parameter["name"])

    def velden_zonder_beschrijving(naam, onderdeel):
        for veld, eigenschap in onderdeel.get("properties", {}).items():
            if not eigenschap.get("description"):
                yield f"{naam}.{veld}"

    ontbrekend = [
        v
        for naam, onderdeel in schema["components"]["schemas"].items()
        for v in velden_zonder_beschrijving(naam, onderdeel)
    ]
    assert not ontbrekend, ontbrekend


def test_documentatiepagina(refdata):
    response = Client().get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    for pad, operaties in schema["paths"].items():
        assert f"<code>{pad}</code>" in html, pad
        assert escape(operaties["get"]["summary"]) in html
    for veld in (
        "results[].contactgemeente.cbs_code",
        "studenten_gedekt.ondergrens",
        "verdeling.partijen[].bedragen[].centen",
    ):
        assert f"<code>{veld}</code>" in html, veld
    assert "Toegang: alleen ingelogd" in html and "Toegang: iedereen" in html
    # Ready for a strict Content-Security-Policy: no inline styles or scripts.
    assert 'style="' not in html and "<style" not in html
    assert all("src=" in tag for tag in html.split("<script")[1:])
