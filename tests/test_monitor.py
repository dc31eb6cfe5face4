"""The national monitor: figures against the demo and hand-built agreements, rights, exports, query counts, and
nothing of a draft on the public page.

Expected figures are computed here from the models, not by calling landelijke_stand.
"""

import csv
import datetime
import io
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Gebruiker, Organisatie
from afspraken import secties
from afspraken.models import Actie, Ambitie, Fase, Indicator, Ondertekening, Partij, Sectie, Uitvoeringsafspraak
from monitor import views
from monitor.stand import GEEN, IN_VOORBEREIDING, ONDERTEKEND, TER_ONDERTEKENING, landelijke_stand
from regio import kaart
from regio.aantallen import Aantal
from regio.models import Doorstroompuntregio, Gemeente, InstellingInRegio, MboInstelling, StudentenPerInstelling
from tests.factories import GebruikerFactory
from tests.ondertekening_helpers import beleidsmaker, bestuurders, klaar_voor_ondertekening
from tests.otp_helpers import verifieer

pytestmark = pytest.mark.django_db

FRIESLAND, TWENTE, ACHTERHOEK = 4, 12, 13
LOOPTIJD = (datetime.date(2026, 1, 1), datetime.date(2029, 12, 31))
MONITOR, BEHEER = reverse("monitor"), reverse("monitor_beheer")
# Measured: the public page and the beheerder's, whatever the number of agreements (docs/MONITOR.md).
MAX_QUERIES_PUBLIEK = 7
MAX_QUERIES_BEHEER = 18


def _demo(monkeypatch=None):
    """The demo data; with `monkeypatch`, without signing Flevoland (rendering and sealing take seconds)."""
    if monkeypatch is not None:
        from afspraken import demo

        monkeypatch.setattr(demo, "ONDERTEKENDE_REGIOS", ())
    call_command("laad_demodata", stdout=StringIO())


def _tekst(response):
    """The page as a reader sees it: tags removed, whitespace collapsed."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- expected figures, from the models ---------------------------------------------------------------


def _studenten(instelling_ids):
    """Students of these instellingen in the latest peiljaar: the TOTAAL row, else the sum of the leerwegen."""
    laatste = StudentenPerInstelling.objects.aggregate(j=Max("peiljaar"))["j"]
    totaal = Aantal()
    for pk in instelling_ids:
        rijen = list(StudentenPerInstelling.objects.filter(instelling_id=pk, peiljaar=laatste))
        for r in [r for r in rijen if r.leerweg == "TOTAAL"] or rijen:
            totaal += Aantal(r.aantal, r.onderdrukt)
    return totaal


def _aanwezige_instellingen():
    return set(InstellingInRegio.objects.values_list("instelling_id", flat=True))


def _verwacht():
    """Per region the status, and the national coverage, from the agreements as they are in the database."""
    status = {}
    for regio in Doorstroompuntregio.objects.all():
        versies = {a.status: a for a in Uitvoeringsafspraak.objects.filter(regio=regio)}
        if "ondertekend" in versies:
            status[regio.nummer] = ONDERTEKEND
        elif "ter_ondertekening" in versies:
            status[regio.nummer] = TER_ONDERTEKENING
        elif "concept" in versies or "gereed" in versies:
            status[regio.nummer] = IN_VOORBEREIDING
        else:
            status[regio.nummer] = GEEN
    getekend = Partij.objects.filter(afspraak__status="ondertekend").select_related("organisatie__gemeente")
    gemeenten = {
        p.organisatie.gemeente_id for p in getekend if p.organisatie.gemeente_id and p.organisatie.gemeente.actief
    }
    instellingen = {p.organisatie.instelling_id for p in getekend if p.organisatie.instelling_id}
    instellingen &= _aanwezige_instellingen()
    return status, gemeenten, instellingen


# --- building agreements quickly ---------------------------------------------------------------------


def _organisaties(regio, aantal_gemeenten=2, instelling=True):
    gemeenten = list(Organisatie.objects.filter(gemeente__regio=regio).order_by("gemeente__code")[:aantal_gemeenten])
    if instelling:
        gemeenten += list(Organisatie.objects.filter(instelling__aanwezigheden__regio=regio).order_by("pk")[:1])
    return gemeenten


def maak_afspraak(
    regio, status, organisaties=None, getekend=0, titel="Afspraak", ondertekend_op=None, acties=(), indicatoren=()
):
    """An agreement straight in the database, through the model layer (which keeps the freezing rules).

    acties: (omschrijving, deadline) pairs; indicatoren: (naam, eerste meetmoment) pairs, measured every
    quarter; both added while it is still a concept.
    """
    organisaties = organisaties if organisaties is not None else _organisaties(regio)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel=titel, looptijd_start=LOOPTIJD[0], looptijd_einde=LOOPTIJD[1]
    )
    for omschrijving, deadline in acties:
        Actie.objects.create(afspraak=afspraak, fase=Fase.VERKENNEN, omschrijving=omschrijving, deadline=deadline)
    if indicatoren:
        ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder uitval")
        for naam, meetmoment in indicatoren:
            Indicator.objects.create(
                afspraak=afspraak, ambitie=ambitie, naam=naam, meetmoment=meetmoment, meetfrequentie="kwartaal"
            )
    partijen = []
    for i, organisatie in enumerate(organisaties):
        rol = Partij.Rol.INSTELLING if organisatie.instelling_id else Partij.Rol.GEMEENTE
        partijen.append(Partij.objects.create(
            afspraak=afspraak, organisatie=organisatie, rol=rol, financieel_eindverantwoordelijk=i == 0
        ))
    if status == "gereed":
        afspraak.status = Uitvoeringsafspraak.Status.GEREED
        afspraak.save()
    if status in ("ter_ondertekening", "ondertekend"):
        afspraak.status = Uitvoeringsafspraak.Status.TER_ONDERTEKENING
        afspraak.save()
        tekenaar = GebruikerFactory(rol=Gebruiker.Rol.BESTUURDER)
        aantal = len(partijen) if status == "ondertekend" else getekend
        for partij in partijen[:aantal]:
            Ondertekening.objects.create(
                afspraak=afspraak, partij=partij, besluit=Ondertekening.Besluit.GETEKEND, gebruiker=tekenaar,
                naam="Bestuurder", functie="Wethouder", organisatie_naam=partij.organisatie.naam,
                document_sha256="0" * 64,
            )
    if status == "ondertekend":
        afspraak.status = Uitvoeringsafspraak.Status.ONDERTEKEND
        afspraak.ondertekend_op = ondertekend_op or timezone.now()
        afspraak.save()
    return afspraak


def _regio(nummer):
    return Doorstroompuntregio.objects.get(nummer=nummer)


# --- the demo ----------------------------------------------------------------------------------------


def test_demo_stand_en_dekking(refdata, client, demo_met_ondertekening):
    _demo()
    status, gemeenten, instellingen = _verwacht()
    assert {FRIESLAND, TWENTE, ACHTERHOEK} <= {n for n, s in status.items() if s == IN_VOORBEREIDING}
    ondertekend = sorted(n for n, s in status.items() if s == ONDERTEKEND)
    assert ondertekend, "de demo heeft een ondertekende regio"

    stand = landelijke_stand(publiek=True, vandaag=datetime.date(2026, 6, 1))
    assert {s.regio.nummer: s.status for s in stand.regios} == status
    assert stand.regios_totaal == Doorstroompuntregio.objects.count() == 40
    assert stand.per_status == {k: list(status.values()).count(k) for k in (GEEN, IN_VOORBEREIDING,
                                                                          TER_ONDERTEKENING, ONDERTEKEND)}
    assert stand.regios_gedekt == len(ondertekend)
    assert stand.gemeenten_gedekt == len(gemeenten) > 0
    assert stand.instellingen_gedekt == len(instellingen) > 0
    assert stand.studenten_gedekt == _studenten(instellingen) and stand.studenten_gedekt.ondergrens > 0
    assert stand.gemeenten_totaal == Gemeente.objects.filter(actief=True).count()
    assert stand.instellingen_totaal == len(_aanwezige_instellingen())
    assert stand.studenten_totaal == _studenten(_aanwezige_instellingen())
    assert stand.studenten_totaal.ondergrens > 100_000
    assert stand.studenten_peiljaar == StudentenPerInstelling.objects.aggregate(j=Max("peiljaar"))["j"]
    assert stand.dagen_tot_deadline == 213
    # The public view knows nothing of the drafts.
    assert all(s.afspraak_id is None and s.fase is None and not s.gereed for s in stand.regios)
    geldend = {a.regio.nummer: a for a in Uitvoeringsafspraak.objects.filter(status="ondertekend")}
    for s in stand.regios:
        if s.status == ONDERTEKEND:
            assert s.ondertekend_op == timezone.localdate(geldend[s.regio.nummer].ondertekend_op)

    beheer = {s.regio.nummer: s for s in landelijke_stand(publiek=False).regios}
    assert beheer[FRIESLAND].gereed and beheer[FRIESLAND].toelichting == "in voorbereiding, gereed om te ondertekenen"
    # Twente: Verkennen answered, a start on Verbeelden; Achterhoek: Vormgeven in part (afspraken.demo).
    assert beheer[TWENTE].fase == Fase.VERBEELDEN and not beheer[TWENTE].gereed
    assert beheer[ACHTERHOEK].fase == Fase.VORMGEVEN
    assert beheer[TWENTE].afspraak_id == Uitvoeringsafspraak.objects.get(regio__nummer=TWENTE).pk

    pagina = _tekst(client.get(MONITOR))
    namen = {r.nummer: r.naam for r in Doorstroompuntregio.objects.all()}
    voorbereiding = [namen[n] for n in sorted(status) if status[n] == IN_VOORBEREIDING]
    assert (
        f"{len(voorbereiding)} regio's in voorbereiding: {', '.join(voorbereiding[:-1])} en {voorbereiding[-1]}."
        in pagina
    )
    assert f"regio{'' if len(ondertekend) == 1 else chr(39) + 's'} ondertekend: {namen[ondertekend[0]]}" in pagina
    assert f"{stand.per_status[GEEN]} regio's nog zonder uitvoeringsafspraak (zie de tabel)." in pagina
    assert f"Gemeenten {len(gemeenten)} van {stand.gemeenten_totaal}" in pagina
    assert f"Mbo-instellingen {len(instellingen)} van {stand.instellingen_totaal}" in pagina
    assert f"Mbo-studenten {stand.studenten_gedekt} van {stand.studenten_totaal}" in pagina


def test_fase_telt_partijen_en_acties_niet_mee(refdata):
    regio = _regio(20)
    afspraak = maak_afspraak(regio, "concept")
    assert landelijke_stand(publiek=False).regios[19].fase == Fase.VERKENNEN
    from afspraken import secties

    for definitie in secties.van_fase(Fase.VERKENNEN):
        if definitie.sleutel != "partijen" and not definitie.sleutel.startswith("acties-"):
            Sectie.objects.create(afspraak=afspraak, sleutel=definitie.sleutel, versie=1)
    stand = landelijke_stand(publiek=False).regios[19]
    assert stand.regio == regio and stand.fase == Fase.VERBEELDEN
    assert stand.toelichting == "in voorbereiding, fase 2: Verbeelden"


# --- hand-built: ter ondertekening and signed ----------------------------------------------------------


@pytest.fixture
def onderdrukte_instelling(refdata):
    """An instelling in region 7 whose only count is suppressed (1 to 4), with its organisation."""
    instelling = MboInstelling.objects.create(naam="Testcollege Onderdrukt", instellingscode="99ZZ")
    InstellingInRegio.objects.create(instelling=instelling, regio=_regio(7))
    laatste = StudentenPerInstelling.objects.aggregate(j=Max("peiljaar"))["j"]
    dataset = StudentenPerInstelling.objects.filter(peiljaar=laatste).first().dataset
    StudentenPerInstelling.objects.create(
        dataset=dataset, instelling=instelling, peiljaar=laatste, leerweg="TOTAAL", aantal=0, onderdrukt=1
    )
    return Organisatie.objects.create(
        naam=instelling.naam, soort=Organisatie.Soort.MBO_INSTELLING, instelling=instelling
    )


def test_ondertekend_en_ter_ondertekening_met_dekking(refdata, onderdrukte_instelling, client):
    zuid = _regio(7)
    maak_afspraak(
        zuid, "ondertekend", _organisaties(zuid, 3) + [onderdrukte_instelling],
        ondertekend_op=datetime.datetime(2026, 10, 5, 23, 30, tzinfo=datetime.UTC),
    )
    ter = maak_afspraak(_regio(8), "ter_ondertekening", _organisaties(_regio(8), 4), getekend=2)
    aantal_partijen = ter.partijen.count()
    assert aantal_partijen >= 3
    maak_afspraak(_regio(9), "gereed")
    status, gemeenten, instellingen = _verwacht()

    stand = landelijke_stand(vandaag=datetime.date(2026, 11, 1))
    per_nummer = {s.regio.nummer: s for s in stand.regios}
    assert {n: s.status for n, s in per_nummer.items()} == status
    assert per_nummer[7].status == ONDERTEKEND
    # 23:30 UTC on 5 October is 6 October in the Netherlands.
    assert per_nummer[7].ondertekend_op == datetime.date(2026, 10, 6)
    assert per_nummer[8].status == TER_ONDERTEKENING
    assert (per_nummer[8].handtekeningen, per_nummer[8].partijen) == (2, aantal_partijen)
    assert per_nummer[9].status == IN_VOORBEREIDING
    assert stand.per_status == {GEEN: 37, IN_VOORBEREIDING: 1, TER_ONDERTEKENING: 1, ONDERTEKEND: 1}

    assert stand.regios_gedekt == 1
    assert stand.gemeenten_gedekt == len(gemeenten) == 3
    assert stand.instellingen_gedekt == len(instellingen) == 2
    assert onderdrukte_instelling.instelling_id in instellingen
    verwacht = _studenten(instellingen)
    assert stand.studenten_gedekt == verwacht
    # The suppressed count is a range of 1 to 4, never 0.
    assert not stand.studenten_gedekt.is_exact and stand.studenten_gedekt.onderdrukt == 1
    assert stand.studenten_gedekt.bovengrens - stand.studenten_gedekt.ondergrens == 3
    assert stand.dagen_tot_deadline == 60

    pagina = _tekst(client.get(MONITOR))
    assert f"1 regio ondertekend: {zuid.naam}." in pagina
    assert f"1 regio ter ondertekening: {_regio(8).naam} (2 van {aantal_partijen} handtekeningen)." in pagina
    assert "ondertekend op 6 oktober 2026" in pagina
    assert f"Mbo-studenten {stand.studenten_gedekt} van {stand.studenten_totaal}" in pagina
    assert "–" in str(stand.studenten_gedekt) and "DUO geeft aantallen van 1 tot 4 niet vrij" in pagina


def test_gemeente_buiten_gebruik_en_instelling_zonder_regio_tellen_niet_mee(refdata):
    regio = _regio(10)
    organisaties = _organisaties(regio, 2, instelling=False)
    Gemeente.objects.filter(pk=organisaties[1].gemeente_id).update(actief=False)
    zwerver = MboInstelling.objects.create(naam="Instelling zonder regio")
    organisaties.append(Organisatie.objects.create(naam=zwerver.naam, soort="mbo_instelling", instelling=zwerver))
    maak_afspraak(regio, "ondertekend", organisaties)
    stand = landelijke_stand()
    assert stand.gemeenten_gedekt == 1 and stand.instellingen_gedekt == 0
    assert stand.gemeenten_totaal == Gemeente.objects.filter(actief=True).count()


def test_een_wijziging_van_een_ondertekende_afspraak(refdata):
    regio = _regio(11)
    oud = maak_afspraak(regio, "ondertekend")
    nieuw = Uitvoeringsafspraak.objects.create(
        regio=regio, versie=2, vorige_versie=oud, titel="Wijziging", looptijd_start=LOOPTIJD[0],
        looptijd_einde=LOOPTIJD[1],
    )
    publiek = {s.regio.nummer: s for s in landelijke_stand().regios}[11]
    assert publiek.status == ONDERTEKEND and not publiek.wijziging_in_voorbereiding
    beheer = {s.regio.nummer: s for s in landelijke_stand(publiek=False).regios}[11]
    assert beheer.status == ONDERTEKEND and beheer.wijziging_in_voorbereiding and beheer.afspraak_id == nieuw.pk
    assert landelijke_stand().regios_gedekt == 1


@pytest.mark.parametrize(
    ("vandaag", "dagen", "zin"),
    [
        (datetime.date(2026, 1, 1), 364, "Nog 364 dagen tot de uitvoeringsafspraken ondertekend moeten zijn."),
        (datetime.date(2026, 12, 30), 1, "Nog 1 dag tot de uitvoeringsafspraken ondertekend moeten zijn."),
        (datetime.date(2026, 12, 31), 0, "Vandaag is de laatste dag om de uitvoeringsafspraken te ondertekenen."),
        (datetime.date(2027, 1, 1), -1, "De deadline van 31 december 2026 is verstreken (1 dag geleden)."),
        (datetime.date(2027, 3, 1), -60, "De deadline van 31 december 2026 is verstreken (60 dagen geleden)."),
    ],
)
def test_dagen_tot_de_deadline(refdata, client, monkeypatch, vandaag, dagen, zin):
    assert landelijke_stand(vandaag=vandaag).dagen_tot_deadline == dagen
    monkeypatch.setattr(views, "_vandaag", lambda: vandaag)
    pagina = _tekst(client.get(MONITOR))
    assert zin in pagina
    if dagen < 0:
        assert "40 van de 40 regio's hebben nog geen ondertekende uitvoeringsafspraak." in pagina
    assert "Nog geen enkele regio heeft een uitvoeringsafspraak (40 regio's)." in pagina


def test_samenvatting_noemt_de_laatste_regios_zonder_afspraak(refdata):
    for nummer in range(1, 32):
        maak_afspraak(_regio(nummer), "concept", organisaties=[])
    zinnen = views.samenvatting(landelijke_stand())
    namen = [r.naam for r in Doorstroompuntregio.objects.filter(nummer__gte=32).order_by("nummer")]
    assert zinnen[0].startswith("31 regio's in voorbereiding: ")
    assert zinnen[1] == f"9 regio's nog zonder uitvoeringsafspraak: {', '.join(namen[:-1])} en {namen[-1]}."


# --- signed for real ------------------------------------------------------------------------------------


def _aanbieden(afspraak, vastleggen):
    client = Client()
    client.force_login(beleidsmaker())
    with vastleggen(execute=True):
        assert client.post(reverse("afspraak_aanbieden", args=[afspraak.pk])).status_code == 302


def _teken(afspraak, bestuurder, vastleggen):
    from afspraken.models import Document

    client = Client()
    verifieer(client, bestuurder)
    document = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    with vastleggen(execute=True):
        response = client.post(reverse("afspraak_ondertekenen", args=[afspraak.pk]), {
            "besluit": "tekenen", "naam": bestuurder.get_full_name(), "functie": bestuurder.functie or "Wethouder",
            "document_sha256": document.sha256, "akkoord": "on",
        })
    assert response.status_code == 302


def test_echte_ondertekening_van_aanbieden_tot_verzegeld(
    refdata, client, django_capture_on_commit_callbacks, monkeypatch
):
    from afspraken import demo

    monkeypatch.setattr(demo, "ONDERTEKENDE_REGIOS", ())
    afspraak = klaar_voor_ondertekening()
    voor, voor_gemeenten = landelijke_stand().regios_gedekt, landelijke_stand().gemeenten_gedekt
    _aanbieden(afspraak, django_capture_on_commit_callbacks)
    allen = bestuurders(afspraak)
    n = len(allen)

    def friesland():
        return {s.regio.nummer: s for s in landelijke_stand().regios}[FRIESLAND]

    assert (friesland().status, friesland().handtekeningen, friesland().partijen) == (TER_ONDERTEKENING, 0, n)
    _teken(afspraak, allen[0], django_capture_on_commit_callbacks)
    assert (friesland().handtekeningen, friesland().partijen) == (1, n)
    assert f"1 van {n} handtekeningen" in _tekst(client.get(MONITOR))
    for bestuurder in allen[1:]:
        _teken(afspraak, bestuurder, django_capture_on_commit_callbacks)
    afspraak.refresh_from_db()
    assert afspraak.status == "ondertekend"

    stand = landelijke_stand()
    assert friesland().status == ONDERTEKEND
    assert friesland().ondertekend_op == timezone.localdate(afspraak.ondertekend_op)
    _, gemeenten, instellingen = _verwacht()
    partijen = list(afspraak.partijen.select_related("organisatie"))
    assert {p.organisatie.gemeente_id for p in partijen if p.organisatie.gemeente_id} <= gemeenten
    assert stand.regios_gedekt == Uitvoeringsafspraak.objects.filter(status="ondertekend").count() == voor + 1
    assert stand.gemeenten_gedekt == len(gemeenten) >= voor_gemeenten + 9
    assert stand.instellingen_gedekt == len(instellingen) >= 1
    assert stand.studenten_gedekt == _studenten(instellingen) and stand.studenten_gedekt.ondergrens > 0
    assert "ondertekend: Friesland Noord" in _tekst(client.get(MONITOR))


# --- nothing of a draft in public ---------------------------------------------------------------------

GEHEIM = ["Geheimtitel Kwartelkoning", "Vertrouwelijke sectietekst Zwaluwstaart", "Partnerorganisatie Roerdomp",
          "Geheime actie Grutto"]


def test_publieke_pagina_en_export_tonen_niets_van_een_concept(refdata, client, monkeypatch):
    _demo(monkeypatch)
    regio = _regio(30)
    partner = Organisatie.objects.create(naam=GEHEIM[2], soort=Organisatie.Soort.PARTNER, partner_soort="anders")
    concept = maak_afspraak(
        regio, "concept", _organisaties(regio) + [partner], titel=GEHEIM[0],
        acties=[(GEHEIM[3], datetime.date(2026, 1, 1))],
    )
    Sectie.objects.create(
        afspraak=concept, sleutel="verkennen-bestuurlijk-overleg", inhoud={"tekst": GEHEIM[1]}, versie=1
    )
    gereed = Uitvoeringsafspraak.objects.get(regio__nummer=FRIESLAND)
    titels = list(Uitvoeringsafspraak.objects.values_list("titel", flat=True))
    partijnamen = set(Partij.objects.filter(rol=Partij.Rol.PARTNER).values_list("organisatie__naam", flat=True))

    html = client.get(MONITOR).content.decode()
    csv_tekst = client.get(reverse("monitor_export", args=["csv"])).content.decode("utf-8-sig")
    rijen, _ = _xlsx_rijen(client.get(reverse("monitor_export", args=["xlsx"])))
    xlsx_tekst = " ".join(str(c) for rij in rijen for c in rij)
    for inhoud in (html, csv_tekst, xlsx_tekst):
        for geheim in GEHEIM + titels + sorted(partijnamen):
            assert geheim not in inhoud, geheim
        for fase in Fase:
            assert fase.label not in inhoud, fase.label
        assert "gereed" not in inhoud.lower()
        assert f"/afspraken/{concept.pk}/" not in inhoud and f"/afspraken/{gereed.pk}/" not in inhoud
    assert "In voorbereiding" in html and regio.naam in html

    # The beheerder's page does show the phase and links to the agreement.
    beheerder = GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER)
    client.force_login(beheerder)
    pagina = client.get(BEHEER).content.decode()
    assert "1. Verkennen" in pagina and reverse("afspraak_overzicht", args=[concept.pk]) in pagina
    assert "gereed voor ondertekening" in pagina


# --- rights --------------------------------------------------------------------------------------------


@pytest.fixture
def gebruikers(refdata):
    return {
        "beleidsmaker": GebruikerFactory(rol=Gebruiker.Rol.BELEIDSMAKER),
        "bestuurder": GebruikerFactory(rol=Gebruiker.Rol.BESTUURDER),
        "beheerder": GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER),
    }


@pytest.mark.parametrize("rol", [None, "beleidsmaker", "bestuurder", "beheerder"])
def test_rechten(gebruikers, rol):
    client = Client()
    if rol:
        client.force_login(gebruikers[rol])
    for url in (MONITOR, reverse("monitor_export", args=["csv"]), reverse("monitor_export", args=["xlsx"])):
        assert client.get(url).status_code == 200, url
    for url in (BEHEER, reverse("monitor_export", args=["csv"]) + "?versie=beheer",
                reverse("monitor_export", args=["xlsx"]) + "?versie=beheer"):
        response = client.get(url)
        if rol is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("inloggen")), url
        elif rol == "beheerder":
            assert response.status_code == 200, url
            assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        else:
            assert response.status_code == 404, url
    assert client.get(reverse("monitor_export", args=["csv"]) + "?versie=onzin").status_code == 404
    assert client.get(reverse("monitor_export", args=["pdf"])).status_code == 404
    # The menu links to the monitor; only a beheerder is told about the beheerder's version.
    pagina = client.get(MONITOR).content.decode()
    assert f'<a href="{MONITOR}" aria-current="page">Monitor</a>' in pagina
    assert (f'href="{BEHEER}"' in pagina) == (rol == "beheerder")


def test_home_linkt_naar_de_monitor(refdata, client):
    assert f'href="{MONITOR}"' in client.get(reverse("home")).content.decode()


# --- export ------------------------------------------------------------------------------------------


def _xlsx_rijen(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    boek = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in rij] for rij in boek.active.iter_rows()], boek.active


def test_export_csv_en_xlsx_met_formules_onschadelijk(refdata, client):
    Doorstroompuntregio.objects.filter(nummer=1).update(naam='=HYPERLINK("http://voorbeeld.invalid","klik")')
    Doorstroompuntregio.objects.filter(nummer=2).update(naam="+31 regio")
    Doorstroompuntregio.objects.filter(nummer=3).update(naam="@regio")
    Doorstroompuntregio.objects.filter(nummer=5).update(naam="-regio")
    maak_afspraak(_regio(6), "ondertekend", ondertekend_op=datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC))
    partijen = maak_afspraak(_regio(8), "ter_ondertekening", getekend=1).partijen.count()

    response = client.get(reverse("monitor_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="monitor-')
    rijen = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0] == ["Nummer", "Doorstroompuntregio", "Contactgemeente", "Status", "Handtekeningen", "Partijen",
                        "Ondertekend op"]
    assert len(rijen) == 41
    per_nummer = {r[0]: r for r in rijen[1:]}
    assert per_nummer["1"][1] == '\'=HYPERLINK("http://voorbeeld.invalid","klik")'
    assert per_nummer["2"][1] == "'+31 regio" and per_nummer["3"][1] == "'@regio" and per_nummer["5"][1] == "'-regio"
    assert per_nummer["6"][3] == "Ondertekend" and per_nummer["6"][6] == "2026-09-01"
    assert per_nummer["8"][3:6] == ["Ter ondertekening", "1", str(partijen)]
    assert per_nummer["9"][3:7] == ["Nog geen uitvoeringsafspraak", "", "", ""]
    assert not any(cel.startswith(("=", "+", "-", "@")) for rij in rijen for cel in rij)

    (kop, *data), blad = _xlsx_rijen(client.get(reverse("monitor_export", args=["xlsx"])))
    assert kop == rijen[0] and len(data) == 40
    eerste = next(r for r in data if r[0] == 1)
    assert eerste[1] == '\'=HYPERLINK("http://voorbeeld.invalid","klik")'
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for rij in data for c in rij)
    assert all(cel.data_type != "f" for rij in blad.iter_rows() for cel in rij)
    assert next(r for r in data if r[0] == 6)[6].date() == datetime.date(2026, 9, 1)
    assert next(r for r in data if r[0] == 8)[4:6] == [1, partijen]


def test_export_voor_beheerder_met_fase_en_link(refdata, beheerder_client, monkeypatch):
    _demo(monkeypatch)
    (kop, *data), _ = _xlsx_rijen(beheerder_client.get(reverse("monitor_export", args=["xlsx"]) + "?versie=beheer"))
    assert kop[-2:] == ["Fase", "Uitvoeringsafspraak"]
    twente = next(r for r in data if r[0] == TWENTE)
    assert twente[-2] == "2. Verbeelden"
    pk = Uitvoeringsafspraak.objects.get(regio__nummer=TWENTE).pk
    assert twente[-1] == "http://testserver" + reverse("afspraak_overzicht", args=[pk])
    assert next(r for r in data if r[0] == FRIESLAND)[-2] == "gereed voor ondertekening"
    assert next(r for r in data if r[0] == 1)[-2:] == [None, None]


# --- map -----------------------------------------------------------------------------------------------


def test_kaart_kleur_patroon_titels_en_legenda(refdata, client):
    maak_afspraak(_regio(6), "ondertekend")
    partijen = maak_afspraak(_regio(8), "ter_ondertekening", getekend=1).partijen.count()
    maak_afspraak(_regio(9), "concept")
    html = client.get(MONITOR).content.decode()
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="landkaart".*?</svg>', html, re.S).group(0)
    assert 'role="img" aria-labelledby="monitor-titel" aria-describedby="monitor-omschrijving"' in svg
    assert "<title id=\"monitor-titel\">Kaart van Nederland: de stand van de uitvoeringsafspraken" in svg
    omschrijving = re.search(r'<desc id="monitor-omschrijving">(.*?)</desc>', svg, re.S).group(1)
    assert "1 regio ondertekend" in omschrijving and "wit met blauwe schuine strepen" in omschrijving
    # Patterns for two statuses, plain fills for the other two; each region has its name and status as title.
    assert '<pattern id="monitor-ter_ondertekening"' in svg and '<pattern id="monitor-in_voorbereiding"' in svg
    assert "<circle" in svg and 'patternTransform="rotate(45)"' in svg
    paden = re.findall(r'<path data-regio="(\d+)" fill="([^"]+)" d="[^"]+"><title>([^<]+)</title></path>', svg)
    assert len(paden) == 40
    per_nummer = {int(n): (vulling, unescape(titel)) for n, vulling, titel in paden}
    assert per_nummer[6][0] == "#1f6f31" and per_nummer[6][1].startswith(f"{_regio(6).naam}: ondertekend op ")
    assert per_nummer[8] == ("url(#monitor-ter_ondertekening)",
                             f"{_regio(8).naam}: ter ondertekening, 1 van {partijen} handtekeningen")
    assert per_nummer[9] == ("url(#monitor-in_voorbereiding)", f"{_regio(9).naam}: in voorbereiding")
    assert per_nummer[1] == ("#f3f3f3", f"{_regio(1).naam}: nog geen uitvoeringsafspraak")
    assert '<g fill="#e6e6e6" stroke="#000000"' in svg
    assert kaart.svg_grootte(svg) < 40_000, kaart.svg_grootte(svg)
    assert " style=" not in html and "<script>" not in html
    # The legend has the same swatches, with the number of regions; the table has every region.
    legenda = re.search(r'<ul class="monitor-legenda".*?</ul>', html, re.S).group(0)
    assert legenda.count('<svg xmlns="http://www.w3.org/2000/svg" class="staal"') == 4
    assert 'fill="url(#monitor-staal-ter_ondertekening)"' in legenda and 'fill="#1f6f31"' in legenda
    tekst = " ".join(unescape(re.sub(r"<[^>]+>", " ", legenda)).split())
    assert "Ondertekend (1)" in tekst and "Ter ondertekening (1)" in tekst and "In voorbereiding (1)" in tekst
    assert "Nog geen uitvoeringsafspraak (37)" in tekst
    tabel = re.search(r'<table>\s*<caption id="stand-tabel-titel">.*?</table>', html, re.S).group(0)
    assert tabel.count('<th scope="row">') == 40 and tabel.count('scope="col"') == 4


def test_andere_kaarten_onveranderd(refdata):
    # The regional map has no titles per region, grey borders and only its own hatching.
    svg = str(kaart.kaart_svg(markeer_regio=_regio(12)))
    assert "<title>" not in svg.split("</desc>", 1)[1]
    assert svg.count("<pattern") == 1 and 'stroke="#6b6b6b"' in svg


# --- query counts --------------------------------------------------------------------------------------


def _aantal_queries(client, url):
    with CaptureQueriesContext(connection) as vastgelegd:
        response = client.get(url)
    assert response.status_code == 200
    return len(vastgelegd.captured_queries)


def test_aantal_queries_hangt_niet_af_van_het_aantal_afspraken(
    refdata, beheerder, django_assert_max_num_queries, monkeypatch
):
    _demo(monkeypatch)
    monkeypatch.setattr(views, "_vandaag", lambda: datetime.date(2026, 11, 1))
    publiek, beheer = Client(), Client()
    beheer.force_login(beheerder)
    _aantal_queries(publiek, MONITOR)  # warms the per-process map cache
    maak_afspraak(_regio(19), "ondertekend", indicatoren=[("Verzuim", datetime.date(2026, 3, 1))])
    voor = (_aantal_queries(publiek, MONITOR), _aantal_queries(beheer, BEHEER))
    aantal = Uitvoeringsafspraak.objects.count()
    # Twenty more agreements in every state, each with an overdue actie and overdue meetmomenten.
    for nummer in range(20, 40):
        status = ["concept", "gereed", "ter_ondertekening", "ondertekend"][nummer % 4]
        maak_afspraak(
            _regio(nummer), status, getekend=1, acties=[(f"Actie {nummer}", datetime.date(2026, 1, 1))],
            indicatoren=[(f"Indicator {nummer}", datetime.date(2026, 2, 1))],
        )
    assert Uitvoeringsafspraak.objects.count() == aantal + 20
    na = (_aantal_queries(publiek, MONITOR), _aantal_queries(beheer, BEHEER))
    assert voor == na, (voor, na)
    with django_assert_max_num_queries(MAX_QUERIES_PUBLIEK):
        publiek.get(MONITOR)
    with django_assert_max_num_queries(MAX_QUERIES_BEHEER):
        pagina = beheer.get(BEHEER).content.decode()
    # Every agreement's overdue actie is listed (signed ones with their meetmomenten too).
    assert all(f"Actie {n}" in pagina for n in range(20, 40)) and "Indicator 23" in pagina
    with django_assert_max_num_queries(MAX_QUERIES_PUBLIEK):
        publiek.get(reverse("monitor_export", args=["csv"]))
    print("queries publiek, beheer:", na)


def test_beheerder_ziet_achterstanden_met_links(refdata, beheerder_client, monkeypatch):
    monkeypatch.setattr(views, "_vandaag", lambda: datetime.date(2026, 11, 1))
    getekend = maak_afspraak(
        _regio(21), "ondertekend", acties=[("Werkgroep verzuim starten", datetime.date(2026, 10, 1)),
                                           ("Nog niet aan de beurt", datetime.date(2026, 12, 1))],
        indicatoren=[("Aantal doorverwijzingen", datetime.date(2026, 9, 30))],
    )
    concept = maak_afspraak(_regio(22), "concept", acties=[("Overleg plannen", datetime.date(2026, 5, 4))])
    html = beheerder_client.get(BEHEER).content.decode()
    tabel = re.search(r'<table class="monitor-achterstanden">.*?</table>', html, re.S).group(0)
    rijen = [" ".join(unescape(re.sub(r"<[^>]+>", " ", r)).split()) for r in re.findall(r"<tr>.*?</tr>", tabel, re.S)]
    assert rijen[1:] == [
        f"Overleg plannen Actie 4 mei 2026 {_regio(22).naam} –",
        f"Aantal doorverwijzingen Meetmoment 30 september 2026 {_regio(21).naam} –",
        f"Werkgroep verzuim starten Actie 1 oktober 2026 {_regio(21).naam} –",
    ]
    assert reverse("afspraak_monitoring", args=[getekend.pk]) in tabel
    assert reverse("afspraak_monitoring", args=[concept.pk]) in tabel
    assert "Nog niet aan de beurt" not in tabel


# --- kept maps and built links: never stale --------------------------------------------------------------


def _kaart(html):
    return re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="landkaart".*?</svg>', html, re.S).group(0)


def test_kaart_volgt_meteen_een_nieuwe_stand(refdata, beheerder_client, monkeypatch):
    """The map is kept per everything it is drawn from: a region that signs is drawn green on the next request,
    and the kept map is the one a fresh drawing gives."""
    monkeypatch.setattr(views, "_vandaag", lambda: datetime.date(2026, 11, 1))
    twente = _regio(12)
    voor = _kaart(Client().get(MONITOR).content.decode())
    assert f"<title>{twente.naam}: nog geen uitvoeringsafspraak</title>" in voor
    maak_afspraak(twente, "ondertekend", ondertekend_op=datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC))
    na = _kaart(Client().get(MONITOR).content.decode())
    assert f"<title>{twente.naam}: ondertekend op 5 oktober 2026</title>" in na
    assert '<path data-regio="12" fill="#1f6f31"' in na and '<path data-regio="12" fill="#1f6f31"' not in voor
    kaart._GETEKEND.clear()
    assert _kaart(Client().get(MONITOR).content.decode()) == na
    # The beheerder's page draws the same map (the same drawing, kept once).
    assert _kaart(beheerder_client.get(BEHEER).content.decode()) == na


def test_links_in_de_tabel(refdata, beheerder_client):
    afspraak = maak_afspraak(_regio(21), "concept")
    publiek = Client().get(MONITOR).content.decode()
    beheer = beheerder_client.get(BEHEER).content.decode()
    for html in (publiek, beheer):
        for nummer in (1, 21, 40):
            assert f'<a href="{reverse("regio_detail", args=[nummer])}">{_regio(nummer).naam}</a>' in html
    assert f'<a href="{reverse("afspraak_overzicht", args=[afspraak.pk])}">Naar de afspraak' in beheer
    assert reverse("afspraak_overzicht", args=[afspraak.pk]) not in publiek


# --- what changes shows on the next request ------------------------------------------------------------


def test_openbare_monitor_volgt_de_stand_meteen(refdata, monkeypatch):
    """Page and API: a new signature and a signed status show on the next request."""
    monkeypatch.setattr(views, "_vandaag", lambda: timezone.localdate())
    adressen = (MONITOR, "/api/monitor/", "/api/monitor/regios/")
    client = Client()

    def alles():
        return [client.get(adres).content.decode() for adres in adressen]

    afspraak = maak_afspraak(_regio(TWENTE), "ter_ondertekening", getekend=1)
    assert "1 van 3 handtekeningen" in alles()[0]
    partij = afspraak.partijen.filter(ondertekening__isnull=True).first()
    Ondertekening.objects.create(
        afspraak=afspraak, partij=partij, besluit=Ondertekening.Besluit.GETEKEND, gebruiker=GebruikerFactory(),
        naam="Bestuurder", functie="Wethouder", organisatie_naam="x", document_sha256="0" * 64,
    )
    assert "2 van 3 handtekeningen" in client.get(MONITOR).content.decode()
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status=Uitvoeringsafspraak.Status.ONDERTEKEND,
        ondertekend_op=datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC),
    )
    na = alles()
    assert "ondertekend op 5 oktober 2026" in na[0]
    assert '"regios_gedekt":1' in na[1].replace(" ", "")
    assert '"ondertekend_op":"2026-10-05"' in na[2].replace(" ", "")


def test_beheermonitor_volgt_de_afspraken_meteen(refdata, beheerder_client, monkeypatch):
    """An overdue actie and the phase of a concept (its sections) show on the next request."""
    monkeypatch.setattr(views, "_vandaag", lambda: datetime.date(2026, 11, 1))
    afspraak = maak_afspraak(_regio(TWENTE), "concept")
    html = beheerder_client.get(BEHEER).content.decode()
    assert "Meldroute vastleggen" not in html and "1. Verkennen" in html
    Actie.objects.create(afspraak=afspraak, fase=4, omschrijving="Meldroute vastleggen", deadline="2026-03-01")
    assert "Meldroute vastleggen" in beheerder_client.get(BEHEER).content.decode()
    for sleutel in [d.sleutel for d in secties.van_fase(Fase.VERKENNEN)]:
        Sectie.objects.update_or_create(
            afspraak=afspraak, sleutel=sleutel, defaults={"inhoud": {"antwoord": "x"}, "versie": 1}
        )
    assert "1. Verkennen" not in beheerder_client.get(BEHEER).content.decode()
