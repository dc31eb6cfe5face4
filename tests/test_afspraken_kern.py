"""The agreement's core: starting, parties proposed from the data, concurrency, history, 'gereed'."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import toetsing
from afspraken.models import (
    Actie,
    Ambitie,
    Indicator,
    Ondertekening,
    Partij,
    Sectie,
    Toelichting,
    Uitvoeringsafspraak,
    Wijziging,
)
from afspraken.partijen import stel_partijen_voor
from regio.demo import genereer_studenten_per_woongemeente
from regio.models import Doorstroompuntregio
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    markeer_ondertekend,
    met_versie,
    voeg_gemeenten_toe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeuwarden_beleid():
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd")


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


# --- starting --------------------------------------------------------------------------------------


def test_voorstel_partijen_groningen_bevat_gemeenten_uit_andere_regios():
    genereer_studenten_per_woongemeente()
    regio = Doorstroompuntregio.objects.get(nummer=3)
    voorstellen = stel_partijen_voor(regio)
    rollen = [v.rol for v in voorstellen]
    assert rollen[0] == Partij.Rol.CONTACTGEMEENTE
    assert voorstellen[0].organisatie.gemeente.naam == "Groningen"
    assert rollen.count(Partij.Rol.GEMEENTE) == 2  # the other two gemeenten of region 3
    assert rollen.count(Partij.Rol.INSTELLING) == 3
    buiten = [v for v in voorstellen if v.rol == Partij.Rol.GEMEENTE_BUITEN]
    regios_buiten = {v.organisatie.gemeente.regio.nummer for v in buiten}
    # The seed's case: students from Oost-Groningen (1) and Noord-Groningen-Eemsmond (2).
    assert {1, 2} <= regios_buiten
    assert all(v.aandeel >= 0.01 for v in buiten)
    assert buiten == sorted(buiten, key=lambda v: -v.aandeel)
    assert "%" in buiten[0].toelichting and "studenten" in buiten[0].toelichting


def test_beleidsmaker_start_afspraak_met_voorgestelde_partijen(leeuwarden_beleid):
    client = _client(leeuwarden_beleid)
    pagina = client.get(reverse("afspraak_starten", args=[4]))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    ids = re.findall(r'name="partijen" value="(\d+)"', html)
    leeuwarden = str(gemeente_organisatie("Leeuwarden").pk)
    response = client.post(
        reverse("afspraak_starten", args=[4]),
        {
            "titel": "Uitvoeringsafspraak Friesland Noord",
            "looptijd_start": "2026-01-01",
            "looptijd_einde": "2029-12-31",
            "partijen": ids,
            "eindverantwoordelijke": leeuwarden,
        },
    )
    afspraak = Uitvoeringsafspraak.objects.get(regio__nummer=4)
    assert response.status_code == 302
    assert response.url == reverse("afspraak_fase", args=[afspraak.pk, 1])
    assert afspraak.partijen.count() == len(ids)
    assert afspraak.partijen.get(financieel_eindverantwoordelijk=True).organisatie_id == int(leeuwarden)
    assert afspraak.partijen.filter(rol=Partij.Rol.CONTACTGEMEENTE).count() == 1
    assert afspraak.wijzigingen.filter(soort="toegevoegd").exists()
    # One current agreement per region: starting again leads to the existing one.
    again = client.get(reverse("afspraak_starten", args=[4]))
    assert again.status_code == 302 and again.url == reverse("afspraak_overzicht", args=[afspraak.pk])


def test_start_met_fouten_schrijft_niets(leeuwarden_beleid):
    client = _client(leeuwarden_beleid)
    response = client.post(
        reverse("afspraak_starten", args=[4]),
        {
            "titel": "",
            "looptijd_start": "2029-01-01",
            "looptijd_einde": "2026-01-01",
            "partijen": [],
            "eindverantwoordelijke": "",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Het einde van de looptijd moet na het begin liggen." in html
    assert 'aria-invalid="true"' in html
    assert not Uitvoeringsafspraak.objects.exists()


def test_eenjarige_looptijd_krijgt_waarschuwing(leeuwarden_beleid):
    afspraak = maak_afspraak(4, datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    response = _client(leeuwarden_beleid).get(reverse("afspraak_overzicht", args=[afspraak.pk]))
    assert "de looptijd is een jaar of korter" in response.content.decode()


def test_alleen_organisaties_in_de_regio_kunnen_starten():
    amsterdam = gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "beleid-adam")
    assert _client(amsterdam).get(reverse("afspraak_starten", args=[4])).status_code == 404
    bestuurder = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd")
    assert _client(bestuurder).get(reverse("afspraak_starten", args=[4])).status_code == 404
    firda = gebruiker_van(Organisatie.objects.get(naam="Firda"), Gebruiker.Rol.BELEIDSMAKER, "beleid-firda")
    assert _client(firda).get(reverse("afspraak_starten", args=[4])).status_code == 200


# --- concurrency and history -----------------------------------------------------------------------


def test_gelijktijdig_bewerken_van_een_rij_weigert_de_latere(leeuwarden_beleid):
    afspraak = maak_afspraak(4)
    collega = gebruiker_van(Organisatie.objects.get(naam="Firda"), Gebruiker.Rol.BELEIDSMAKER, "beleid-firda")
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen")
    url = reverse("rij_opslaan", args=[afspraak.pk, "acties-verkennen", actie.pk])
    prefix = f"acties-verkennen-{actie.pk}"
    # Both opened version 1; Anna saves first.
    eerste = _client(leeuwarden_beleid).post(
        url, {**met_versie(prefix, 1), f"{prefix}-omschrijving": "Overleg plannen met de GGD",
              f"{prefix}-status": "bezig"}
    )
    assert eerste.status_code == 302
    tweede = _client(collega).post(
        url, {**met_versie(prefix, 1), f"{prefix}-omschrijving": "Overleg afzeggen", f"{prefix}-status": "open"},
        HTTP_HX_REQUEST="true",
    )
    assert tweede.status_code == 409
    html = tweede.content.decode()
    assert "Niet opgeslagen" in html
    assert "Overleg plannen met de GGD" in html  # the other's change is shown
    assert "Overleg afzeggen" in html  # and the user's own text is not lost
    actie.refresh_from_db()
    assert actie.omschrijving == "Overleg plannen met de GGD"
    assert actie.versie == 2
    # The form now carries the current version: saving again is a deliberate choice and succeeds.
    assert f'name="{prefix}-versie" id="sectie-acties-verkennen-rij-{actie.pk}-versie" value="2"' in html
    derde = _client(collega).post(
        url, {**met_versie(prefix, 2), f"{prefix}-omschrijving": "Overleg afzeggen", f"{prefix}-status": "open"}
    )
    assert derde.status_code == 302
    actie.refresh_from_db()
    assert actie.omschrijving == "Overleg afzeggen"


def test_verwijderen_met_oude_versie_wordt_geweigerd(leeuwarden_beleid):
    afspraak = maak_afspraak(4)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Iets", versie=3)
    url = reverse("rij_verwijderen", args=[afspraak.pk, "acties-verkennen", actie.pk])
    prefix = f"acties-verkennen-{actie.pk}"
    assert _client(leeuwarden_beleid).post(url, met_versie(prefix, 2)).status_code == 409
    assert Actie.objects.filter(pk=actie.pk).exists()
    assert _client(leeuwarden_beleid).post(url, met_versie(prefix, 3)).status_code == 302
    assert not Actie.objects.filter(pk=actie.pk).exists()
    wijziging = afspraak.wijzigingen.get(soort="verwijderd")
    assert wijziging.oud["Omschrijving"] == "Iets"
    assert wijziging.gebruiker == leeuwarden_beleid


def test_geschiedenis_toont_oud_en_nieuw(leeuwarden_beleid):
    afspraak = maak_afspraak(4)
    client = _client(leeuwarden_beleid)
    client.post(
        reverse("rij_toevoegen", args=[afspraak.pk, "acties-verkennen"]),
        {"acties-verkennen-nieuw-omschrijving": "Partners uitnodigen", "acties-verkennen-nieuw-status": "open"},
    )
    actie = Actie.objects.get(afspraak=afspraak)
    client.post(
        reverse("rij_opslaan", args=[afspraak.pk, "acties-verkennen", actie.pk]),
        {**met_versie(f"acties-verkennen-{actie.pk}", 1),
         f"acties-verkennen-{actie.pk}-omschrijving": "Partners uitnodigen",
         f"acties-verkennen-{actie.pk}-status": "afgerond"},
    )
    wijziging = afspraak.wijzigingen.filter(soort="gewijzigd").get()
    assert wijziging.oud == {"Status": "Open"} and wijziging.nieuw == {"Status": "Afgerond"}
    assert wijziging.sectie == "acties-verkennen"
    pagina = client.get(reverse("afspraak_geschiedenis", args=[afspraak.pk])).content.decode()
    assert "Afgerond" in pagina and "Open" in pagina and "Acties uit verkennen" in pagina


def test_titel_en_looptijd_met_versie(leeuwarden_beleid):
    afspraak = maak_afspraak(4)
    client = _client(leeuwarden_beleid)
    url = reverse("afspraak_gegevens", args=[afspraak.pk])
    data = {"versie": "1", "titel": "Nieuwe titel", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31"}
    assert client.post(url, data).status_code == 302
    afspraak.refresh_from_db()
    assert afspraak.titel == "Nieuwe titel" and afspraak.gegevens_versie == 2
    client.post(url, {**data, "titel": "Oude versie"})  # still version 1: refused
    afspraak.refresh_from_db()
    assert afspraak.titel == "Nieuwe titel"
    fout = client.post(url, {**data, "versie": "2", "looptijd_einde": "2025-01-01"})
    assert fout.status_code == 422
    afspraak.refresh_from_db()
    assert afspraak.looptijd_einde == datetime.date(2029, 12, 31)


# --- toetsing and 'gereed' -------------------------------------------------------------------------


def _alles(status):
    def regel(afspraak, gegevens):
        return [toetsing.Toetsuitkomst(n, status, f"test {status}") for n in range(1, 13)]

    return regel


def test_gereed_alleen_zonder_niet_voldaan_en_met_toelichtingen(leeuwarden_beleid, monkeypatch):
    afspraak = maak_afspraak(4)
    client = _client(leeuwarden_beleid)
    url = reverse("afspraak_gereed", args=[afspraak.pk])

    monkeypatch.setattr(toetsing.regels, "_items", [_alles(toetsing.NIET_VOLDAAN)])
    client.post(url)
    afspraak.refresh_from_db()
    assert afspraak.status == "concept"

    monkeypatch.setattr(
        toetsing.regels,
        "_items",
        [_alles(toetsing.VOLDAAN), lambda a, g: [toetsing.Toetsuitkomst(7, toetsing.AANDACHTSPUNT, "x")]],
    )
    client.post(url)
    afspraak.refresh_from_db()
    assert afspraak.status == "concept"
    client.post(reverse("afspraak_toelichting", args=[afspraak.pk, 7]), {"ba7-tekst": "Deel van het aanbod is extern."})
    assert Toelichting.objects.get(afspraak=afspraak, basisafspraak=7).tekst == "Deel van het aanbod is extern."
    client.post(url)
    afspraak.refresh_from_db()
    assert afspraak.status == "gereed"
    # No longer editable: saving a section is refused with 403 and a message.
    actie_url = reverse("rij_toevoegen", args=[afspraak.pk, "acties-verkennen"])
    assert client.post(actie_url, {"acties-verkennen-nieuw-omschrijving": "x"}).status_code == 403
    # Back to concept makes it editable again.
    client.post(reverse("afspraak_concept", args=[afspraak.pk]))
    afspraak.refresh_from_db()
    assert afspraak.status == "concept"


# --- query counts ----------------------------------------------------------------------------------


def _aantal_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("naam,extra", [
    ("afspraak_overzicht", []), ("afspraak_toetsing", []), ("afspraak_acties", []), ("afspraak_geschiedenis", []),
    ("afspraak_fase", [1]), ("afspraak_fase", [2]), ("afspraak_fase", [3]), ("afspraak_fase", [4]),
])
def test_aantal_queries_groeit_niet_met_partijen(naam, extra):
    # Region 2 has two gemeenten and no instelling: 2 parties, then 5 and 40.
    klein = maak_afspraak(2)
    voeg_gemeenten_toe(klein, 3)
    groot = maak_afspraak(5)
    voeg_gemeenten_toe(groot, 40 - groot.partijen.count())
    assert (klein.partijen.count(), groot.partijen.count()) == (5, 40)
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "beheer-q")
    client = _client(beheerder)
    for afspraak in (klein, groot):
        Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="a", eigenaar=afspraak.partijen.first())
        client.get(reverse(naam, args=[afspraak.pk, *extra]))  # the students' sums are kept from the first request
    assert _aantal_queries(client, reverse(naam, args=[klein.pk, *extra])) == _aantal_queries(
        client, reverse(naam, args=[groot.pk, *extra])
    )


def test_sectie_versie_begint_bij_nul_en_telt_op(leeuwarden_beleid):
    afspraak = maak_afspraak(4)
    _client(leeuwarden_beleid).post(
        reverse("rij_toevoegen", args=[afspraak.pk, "acties-verkennen"]),
        {"acties-verkennen-nieuw-omschrijving": "Eerste", "acties-verkennen-nieuw-status": "open"},
    )
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel="acties-verkennen")
    assert sectie.versie == 1 and sectie.bijgewerkt_door == leeuwarden_beleid
    assert Wijziging.objects.filter(afspraak=afspraak, sectie="acties-verkennen").count() == 1


def test_overzicht_noemt_ondertekenaars_zonder_query_per_partij(refdata):
    """Who signs for each party is shown on the overview; found at national scale as one query per party."""
    afspraak = maak_afspraak(4)
    schrijver = gebruiker_van(afspraak.partijen.first().organisatie, Gebruiker.Rol.BELEIDSMAKER, "schrijver")
    url = reverse("afspraak_overzicht", args=[afspraak.pk])

    def tel():
        for partij in afspraak.partijen.select_related("organisatie"):
            if not partij.bestuurder_id:
                partij.bestuurder = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, f"tekent-{partij.pk}")
                partij.save(update_fields=["bestuurder"])
        client = _client(schrijver)
        with CaptureQueriesContext(connection) as queries:
            antwoord = client.get(url)
        assert antwoord.status_code == 200
        return len(queries), antwoord.content.decode()

    voor, _ = tel()
    voeg_gemeenten_toe(afspraak, 5)
    na, html = tel()
    assert na == voor
    from django.utils.html import escape

    namen = [p.ondertekenaar for p in afspraak.partijen.select_related("bestuurder")]
    assert all(namen) and all(escape(naam) in html for naam in namen)


# --- the list of agreements: what each user sees is their own -----------------------------------------------


def _lijst(gebruiker):
    antwoord = _client(gebruiker).get(reverse("afspraak_lijst"))
    assert antwoord.status_code == 200
    return antwoord.content.decode()


def _te_ondertekenen(html):
    """The titles under "Te ondertekenen", or [] when the list has no such part."""
    blok = re.search(r'<section aria-labelledby="te-tekenen-kop".*?</section>', html, re.S)
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', blok.group(0)) if blok else []


def _ter_ondertekening(afspraak, organisatie, bestuurder):
    Partij.objects.filter(afspraak=afspraak, organisatie=organisatie).update(bestuurder=bestuurder)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING)


def test_twee_bestuurders_van_een_organisatie_zien_elk_alleen_hun_eigen_te_ondertekenen():
    """Two bestuurders of Leeuwarden, each signing for it in another agreement: each sees only their own."""
    leeuwarden = gemeente_organisatie("Leeuwarden")
    friesland, elders = maak_afspraak(4), maak_afspraak(12)
    Partij.objects.create(afspraak=elders, organisatie=leeuwarden, rol=Partij.Rol.GEMEENTE_BUITEN)
    Uitvoeringsafspraak.objects.filter(pk=elders.pk).update(titel="Uitvoeringsafspraak Twente, met Leeuwarden")
    burgemeester = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "burgemeester-lwd")
    wethouder = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "wethouder-lwd")
    _ter_ondertekening(friesland, leeuwarden, burgemeester)
    _ter_ondertekening(elders, leeuwarden, wethouder)

    assert _te_ondertekenen(_lijst(burgemeester)) == ["Uitvoeringsafspraak Friesland Noord"]
    assert _te_ondertekenen(_lijst(wethouder)) == ["Uitvoeringsafspraak Twente, met Leeuwarden"]
    # Both agreements are their organisation's, so both are in each one's table.
    for gebruiker in (burgemeester, wethouder):
        html = _lijst(gebruiker)
        assert "Uitvoeringsafspraak Friesland Noord</a>" in html and "Twente, met Leeuwarden</a>" in html
    # Once the burgemeester has signed, it leaves their list; the wethouder's stays as it was.
    Ondertekening.objects.create(
        afspraak=friesland, partij=Partij.objects.get(afspraak=friesland, organisatie=leeuwarden),
        besluit=Ondertekening.Besluit.GETEKEND, gebruiker=burgemeester, naam="Burgemeester", functie="Burgemeester",
        organisatie_naam=leeuwarden.naam, document_sha256="0" * 64,
    )
    assert _te_ondertekenen(_lijst(burgemeester)) == []
    assert _te_ondertekenen(_lijst(wethouder)) == ["Uitvoeringsafspraak Twente, met Leeuwarden"]


def test_twee_beleidsmakers_van_een_organisatie_zien_dezelfde_lijst_zonder_te_ondertekenen():
    """Two beleidsmakers of Leeuwarden see their organisation's agreements and what is overdue in them, never a
    bestuurder's signatures; a beleidsmaker of an organisation that is no party sees none of it."""
    leeuwarden = gemeente_organisatie("Leeuwarden")
    friesland = maak_afspraak(4)
    Actie.objects.create(afspraak=friesland, fase=4, omschrijving="Meldroute vastleggen", deadline="2026-03-01")
    een = gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd-1")
    twee = gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd-2")
    bestuurder = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "bestuur-lwd")
    buiten = gebruiker_van(gemeente_organisatie("Groningen"), Gebruiker.Rol.BELEIDSMAKER, "beleid-gron")
    _ter_ondertekening(friesland, leeuwarden, bestuurder)

    lijsten = [_lijst(een), _lijst(twee)]
    for html in lijsten:
        assert "Uitvoeringsafspraak Friesland Noord</a>" in html and "Meldroute vastleggen" in html
        assert _te_ondertekenen(html) == [] and "Te ondertekenen" not in html
    assert _te_ondertekenen(_lijst(bestuurder)) == ["Uitvoeringsafspraak Friesland Noord"]
    html = _lijst(buiten)
    assert "Friesland Noord" not in html and "Meldroute vastleggen" not in html
    assert "Uw organisatie is nog geen partij" in html


@pytest.mark.parametrize("rol", ["beleid", "bestuurder", "beheerder"])
def test_de_lijst_toont_een_wijziging_meteen(rol, leeuwarden_beleid):
    """A new title, an actie past its deadline, a signature asked of the bestuurder: on the next request."""
    afspraak = maak_afspraak(4)
    bestuurder = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd")
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "beheer")
    gebruiker = {"beleid": leeuwarden_beleid, "bestuurder": bestuurder, "beheerder": beheerder}[rol]
    assert afspraak.titel in _lijst(gebruiker)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(titel="Samen sterk in Friesland Noord")
    assert "Samen sterk in Friesland Noord" in _lijst(gebruiker)
    Actie.objects.create(afspraak=afspraak, fase=4, omschrijving="Meldroute vastleggen", deadline="2026-03-01")
    assert ("Meldroute vastleggen" in _lijst(gebruiker)) == (rol != "beheerder")  # beheerders: the national monitor
    _ter_ondertekening(afspraak, bestuurder.organisatie, bestuurder)
    assert ("Te ondertekenen" in _lijst(gebruiker)) == (rol == "bestuurder")


@pytest.mark.parametrize("naam", ["afspraak_overzicht", "afspraak_toetsing"])
def test_overzicht_en_toetsing_tonen_een_wijziging_meteen(naam):
    afspraak = maak_afspraak(4)
    lezer = _client(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd"))
    url = reverse(naam, args=[afspraak.pk])
    assert "31 december 2030" not in lezer.get(url).content.decode()
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(looptijd_einde="2030-12-31")
    assert "tot en met 31 december 2030" in lezer.get(url).content.decode()


# --- every agreement page: as many queries with 25 parties as with 5 ----------------------------------------

PAGINAS = [
    ("afspraak_lijst", None), ("afspraak_overzicht", None), ("afspraak_fase", 1), ("afspraak_fase", 2),
    ("afspraak_fase", 3), ("afspraak_fase", 4), ("afspraak_toetsing", None), ("afspraak_monitoring", None),
]


def _met_rijen_per_partij(afspraak):
    """Rows that name parties (an actie's owner, the financiers, the regie), so a query per party would show."""
    partijen = list(afspraak.partijen.order_by("pk"))
    for partij in partijen:
        Actie.objects.get_or_create(afspraak=afspraak, fase=1, omschrijving=f"Actie van {partij.pk}",
                                    defaults={"eigenaar": partij, "deadline": datetime.date(2026, 3, 1)})
    ambitie, _ = Ambitie.objects.get_or_create(afspraak=afspraak, omschrijving="Minder uitval")
    Indicator.objects.get_or_create(
        afspraak=afspraak, ambitie=ambitie, naam="Hulp binnen vier weken",
        defaults={"nulmeting": 40, "streefwaarde": 75, "meetmoment": datetime.date(2026, 7, 1),
                  "meetfrequentie": "halfjaarlijks"},
    )
    pks = [p.pk for p in partijen]
    for sleutel, inhoud in (
        ("verkennen-financiering", {"financiers": pks, "antwoord": "Samen"}),
        ("verkennen-regie", {"regie_onderwijs": pks[0], "regie_hulp": pks[1], "regie_samenwerking": pks[-1]}),
    ):
        Sectie.objects.update_or_create(afspraak=afspraak, sleutel=sleutel, defaults={"inhoud": inhoud, "versie": 1})


@pytest.mark.parametrize("rol", [Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER, Gebruiker.Rol.BEHEERDER])
@pytest.mark.parametrize("naam,fase", PAGINAS, ids=[f"{n}{f or ''}" for n, f in PAGINAS])
def test_aantal_queries_per_afspraakpagina_gelijk_voor_5_en_25_partijen(naam, fase, rol):
    leeuwarden = gemeente_organisatie("Leeuwarden")
    afspraak = maak_afspraak(2)  # two gemeenten, no instelling
    Partij.objects.create(afspraak=afspraak, organisatie=leeuwarden, rol=Partij.Rol.GEMEENTE_BUITEN)
    voeg_gemeenten_toe(afspraak, 5 - afspraak.partijen.count())
    assert afspraak.partijen.count() == 5
    _met_rijen_per_partij(afspraak)
    if naam == "afspraak_monitoring":
        afspraak = markeer_ondertekend(afspraak)  # where metingen and progress are recorded
    gebruiker = gebruiker_van(None if rol == Gebruiker.Rol.BEHEERDER else leeuwarden, rol, f"q-{rol}")
    client = _client(gebruiker)
    url = reverse(naam) if naam == "afspraak_lijst" else reverse(naam, args=[afspraak.pk, *([fase] if fase else [])])
    client.get(url)  # the session, and what a process reads once (the map's indeling)
    vijf = _aantal_queries(client, url)
    if afspraak.status == Uitvoeringsafspraak.Status.CONCEPT:
        voeg_gemeenten_toe(afspraak, 20)
        _met_rijen_per_partij(afspraak)
    else:  # a signed version is frozen: a second one with 25 parties, and the user's list holds both
        afspraak = maak_afspraak(5)
        Partij.objects.create(afspraak=afspraak, organisatie=leeuwarden, rol=Partij.Rol.GEMEENTE_BUITEN)
        voeg_gemeenten_toe(afspraak, 25 - afspraak.partijen.count())
        _met_rijen_per_partij(afspraak)
        afspraak = markeer_ondertekend(afspraak)
        url = reverse(naam, args=[afspraak.pk])
    assert afspraak.partijen.count() == 25
    assert _aantal_queries(client, url) == vijf
