"""The signed demo agreement of `make run`: Flevoland, offered with 12 of 12 basisafspraken voldaan, signed by
every party's demo bestuurder through afspraken.ondertekening, its PDF rendered and sealed; metingen on its
indicators with one meetmoment overdue; a second run changes nothing.

Loading the whole demo with the signing renders and seals two PDFs, so the full load happens in one test."""

import datetime
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from aanbod.models import Aanbod, PersoneleInzet, WarmeOverdracht
from accounts.models import Gebruiker, Organisatie
from afspraken import demo as afsprakendemo
from afspraken import document as afsprakendocument
from afspraken import fasen, monitoring, secties, toetsing, zegel
from afspraken.bepalingen import PER_SLEUTEL
from afspraken.models import (
    Actie,
    Actievoortgang,
    Document,
    Grondslag,
    Indicator,
    Meting,
    Ondertekening,
    Partij,
    Rapportage,
    Sectie,
    Toelichting,
    Uitvoeringsafspraak,
    Wijziging,
)
from audit.models import Auditregel
from financiering import berekening
from financiering.models import Geldstroom, Kostenpost, Verdeelgroep
from regio import cijfers, demo

pytestmark = pytest.mark.django_db

FLEVOLAND = afsprakendemo.FLEVOLAND
TOEN = datetime.date(2026, 11, 23)  # the day this demo was written: what is overdue is judged on this day


@pytest.fixture(autouse=True)
def met_ondertekening(demo_met_ondertekening):
    """The suite loads the demo without signing (tests/conftest.py); this module is about the signing."""


@pytest.fixture
def voor_de_deadline(monkeypatch):
    # Basisafspraak 12 depends on today's date (deadline 31 December 2026): the offer happens "before" it.
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 30)


def _flevoland():
    return Uitvoeringsafspraak.objects.select_related("regio").get(regio__nummer=FLEVOLAND)


def _tellingen():
    modellen = (
        Uitvoeringsafspraak, Partij, Sectie, Wijziging, Actie, Indicator, Rapportage, Toelichting, Aanbod,
        PersoneleInzet, WarmeOverdracht, Kostenpost, Geldstroom, Verdeelgroep, Gebruiker, Organisatie,
        Document, Ondertekening, Meting, Actievoortgang, Auditregel,
    )
    return {m.__name__: m.objects.count() for m in modellen}


def test_flevoland_is_ondertekend_verzegeld_en_gemeten_en_een_tweede_run_verandert_niets(voor_de_deadline, client):
    uitvoer = StringIO()
    begin = time.perf_counter()
    call_command("laad_demodata", stdout=uitvoer)
    duur = time.perf_counter() - begin
    uitvoer = uitvoer.getvalue()
    print(f"laad_demodata met ondertekening: {duur:.1f} s")  # shown with -s; the figure is in the report

    afspraak = _flevoland()
    assert afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND and afspraak.ondertekend_op is not None
    assert afspraak.ter_ondertekening_door.username == "demo-almere"
    assert afspraak.gereed_door.username == "demo-almere"

    # 12 of 12 voldaan when it was offered (the report says so; no aandachtspunt needed an explanation).
    assert "Flevoland (Studentsteunpunt) (regio 18): nieuw, 11 partijen, ondertekend; toetsing bij het aanbieden: " \
           "12 voldaan, 0 aandachtspunten, 0 niet voldaan." in uitvoer
    assert not Toelichting.objects.filter(afspraak=afspraak).exists()
    # And still, signed: every basisafspraak voldaan (12 now by the signature before the deadline).
    assert all(o.status == toetsing.VOLDAAN for o in toetsing.toets(afspraak)), [
        (o.basisafspraak.nummer, [u.reden for u in o.uitkomsten]) for o in toetsing.toets(afspraak)
        if o.status != toetsing.VOLDAAN
    ]

    # Parties: as proposed from the data plus the invented partner; each signed by its own demo bestuurder.
    partijen = list(afspraak.partijen.select_related("organisatie", "bestuurder", "ondertekening"))
    assert len(partijen) == 11
    assert {p.rol for p in partijen} == {
        Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE, Partij.Rol.GEMEENTE_BUITEN, Partij.Rol.INSTELLING,
        Partij.Rol.PARTNER,
    }
    eind = afspraak.partijen.get(financieel_eindverantwoordelijk=True)
    assert eind.organisatie.naam == "Gemeente Almere" and eind.rol == Partij.Rol.CONTACTGEMEENTE
    ter_ondertekening = Document.objects.get(afspraak=afspraak, soort=Document.Soort.TER_ONDERTEKENING)
    for partij in partijen:
        bestuurder = partij.bestuurder
        assert bestuurder.username.startswith("demo-fl-bestuurder-") and bestuurder.first_name == "Demo"
        assert bestuurder.rol == Gebruiker.Rol.BESTUURDER and bestuurder.organisatie_id == partij.organisatie_id
        assert bestuurder.check_password(afsprakendemo.DEMO_BESTUURDERS_WACHTWOORD)
        assert not partij.bestuurder_naam  # no persons' names
        handtekening = partij.ondertekening
        assert handtekening.besluit == Ondertekening.Besluit.GETEKEND and handtekening.gebruiker == bestuurder
        assert handtekening.naam == bestuurder.get_full_name() and handtekening.functie == bestuurder.functie
        assert handtekening.document_sha256 == ter_ondertekening.sha256
    assert Ondertekening.objects.filter(afspraak=afspraak).count() == len(partijen)

    # The document signed and the final one, sealed and verifiable.
    assert ter_ondertekening.status == Document.Status.KLAAR and bytes(ter_ondertekening.inhoud)[:5] == b"%PDF-"
    definitief = Document.objects.get(afspraak=afspraak, soort=Document.Soort.ONDERTEKEND)
    assert definitief.status == Document.Status.KLAAR and definitief.sha256
    controle = zegel.controleer(bytes(definitief.inhoud))
    assert controle.authentiek, controle.uitkomst
    assert str(definitief.kenmerk) in uitvoer
    response = client.get(reverse("verificatie_document", args=[definitief.kenmerk]))
    assert response.status_code == 200 and "Flevoland" in response.content.decode()
    assert Auditregel.objects.filter(actie="verzegeld", object_id=str(definitief.pk)).count() == 1
    assert Auditregel.objects.filter(actie="ondertekend").count() == len(partijen)

    # Content: every section of every phase, written by the demo beleidsmaker, with history.
    opgeslagen = set(Sectie.objects.filter(afspraak=afspraak, versie__gt=0).values_list("sleutel", flat=True))
    for fase in (1, 2, 3, 4):
        ontbreekt = {d.sleutel for d in secties.van_fase(fase) if not d.sleutel.startswith("acties-")} - opgeslagen
        # A provision never saved is its model text (afspraken.bepalingen).
        assert not ontbreekt - {"partijen"} - set(PER_SLEUTEL), (fase, ontbreekt)
    # The content by the demo beleidsmaker; each party's authority by that party's own bestuurder (issue 27).
    bevoegdheid = Q(omschrijving__endswith=": bevoegdheid van de ondertekenaar")
    assert set(Wijziging.objects.filter(afspraak=afspraak).exclude(bevoegdheid).values_list(
        "gebruiker__username", flat=True)) == {"demo-almere"}
    assert sorted(Wijziging.objects.filter(bevoegdheid, afspraak=afspraak).values_list("gebruiker_id", flat=True)) == (
        sorted(p.bestuurder_id for p in partijen)
    )
    for partij in partijen:
        assert partij.bevoegdheid, partij
        if partij.rol == Partij.Rol.CONTACTGEMEENTE:
            assert partij.bevoegdheid == "burgemeester, op grond van artikel 171 van de Gemeentewet"
            assert partij.bestuurder.functie == "burgemeester (demo)"
        elif partij.organisatie.gemeente_id:
            assert partij.grondslag == Grondslag.WETHOUDER_MANDAAT
            assert datetime.date(2026, 1, 1) <= partij.grondslag_besluit <= datetime.date(2026, 6, 30)
        elif partij.organisatie.instelling_id:
            assert partij.grondslag == Grondslag.VOORZITTER_CVB

    indicatoren = list(Indicator.objects.filter(afspraak=afspraak))
    assert len(indicatoren) >= 3
    for indicator in indicatoren:
        assert indicator.nulmeting is not None and indicator.streefwaarde is not None and indicator.bron
        assert indicator.meetmoment <= datetime.date(2027, 12, 31) and indicator.meetfrequentie
    acties = list(Actie.objects.filter(afspraak=afspraak))
    verlopen = [a for a in acties if a.is_verlopen(TOEN)]
    assert len(verlopen) == 2 and all(a.deadline < datetime.date(2026, 11, 1) for a in verlopen)
    assert any(a.status == Actie.Status.AFGEROND for a in acties)
    assert {a.niveau.nummer for a in Aanbod.objects.filter(afspraak=afspraak)} == {1, 2, 3, 4, 5}
    assert PersoneleInzet.objects.filter(afspraak=afspraak).count() == 3
    assert WarmeOverdracht.objects.filter(afspraak=afspraak).count() == 2
    uitkomst = berekening.bereken(afspraak)
    assert uitkomst.ok, uitkomst.fouten
    verdeling = uitkomst.verdeling
    for jaar in verdeling.jaren:
        assert verdeling.te_verdelen[jaar] > 0
        assert sum(d[jaar] for d in verdeling.per_partij.values()) == verdeling.te_verdelen[jaar]
    assert {g.methode for g in Verdeelgroep.objects.filter(afspraak=afspraak)} == {
        Verdeelgroep.Methode.PER_STUDENT, Verdeelgroep.Methode.GELIJK, Verdeelgroep.Methode.STUDENTEN,
    }

    # Monitoring: metingen through the service, one meetmoment passed without one, progress on an actie.
    metingen = Meting.objects.filter(indicator__afspraak=afspraak)
    assert metingen.count() == 4 and set(metingen.values_list("ingevoerd_door__username", flat=True)) == {
        "demo-almere"
    }
    stand = monitoring.stand(afspraak, vandaag=TOEN)
    open_momenten = [(a.omschrijving, a.datum) for a in stand.achterstanden if a.soort == "meetmoment"]
    assert open_momenten == [("Vragen binnen tien werkdagen opgepakt", datetime.date(2026, 10, 1))]
    assert len([a for a in stand.achterstanden if a.soort == "actie"]) == 2
    assert Actievoortgang.objects.filter(actie__afspraak=afspraak, status="bezig").count() == 1

    # The log-ins: the beleidsmaker and the bestuurder of the contactgemeente, with their passwords.
    assert "gebruikersnaam: demo-almere" in uitvoer and "Weerwater-Fietsbrug-Horizon-2026" in uitvoer
    assert f"gebruikersnaam: {eind.bestuurder.username}" in uitvoer
    assert "demo-fl-bestuurder-1 tot en met demo-fl-bestuurder-11" in uitvoer

    # A second run: nothing changes, nothing is signed or rendered again; only every demo user's invitation link is
    # new (the old key exists nowhere to print again), one audit line each.
    voor = _tellingen()
    tweede = StringIO()
    call_command("laad_demodata", stdout=tweede)
    opnieuw = Auditregel.objects.filter(actie=Auditregel.Actie.UITNODIGING_OPNIEUW).count()
    assert opnieuw == Gebruiker.objects.filter(username__startswith="demo-").count()
    assert _tellingen() == {**voor, "Auditregel": voor["Auditregel"] + opnieuw}
    assert "Flevoland (Studentsteunpunt) (regio 18) bestaat al (ondertekend)" in tweede.getvalue()
    assert f"gebruikersnaam: {eind.bestuurder.username}" in tweede.getvalue()
    definitief.refresh_from_db()
    assert zegel.controleer(bytes(definitief.inhoud)).authentiek


def test_zonder_zegelcertificaat_gereed_en_niet_aangeboden(voor_de_deadline, settings, tmp_path):
    settings.ZEGEL_PKCS12 = tmp_path / "bestaat-niet.p12"
    verslag = demo.laad_demodata()
    afspraak = _flevoland()
    assert afspraak.status == Uitvoeringsafspraak.Status.GEREED and afspraak.ter_ondertekening_op is None
    assert not Document.objects.filter(afspraak=afspraak).exists()
    assert not Ondertekening.objects.filter(afspraak=afspraak).exists()
    regel = next(r for r in verslag.regels if "(regio 18): nieuw" in r)
    assert "gereed voor ondertekening" in regel and "Niet ondertekend: Het zegelcertificaat" in regel
    assert "maak_zegelcertificaat" in regel
    assert not Meting.objects.filter(indicator__afspraak=afspraak).exists()


def test_mislukt_document_laat_niets_half_achter(voor_de_deadline, monkeypatch):
    def kapot(*args, **kwargs):
        raise RuntimeError("renderer stuk")

    monkeypatch.setattr(afsprakendocument, "render_pdf", kapot)
    verslag = demo.laad_demodata()
    afspraak = _flevoland()
    # The attempt is rolled back as a whole: gereed, not frozen, no documents, signatures or audit lines.
    assert afspraak.status == Uitvoeringsafspraak.Status.GEREED
    assert not Document.objects.filter(afspraak=afspraak).exists()
    assert not Ondertekening.objects.exists()
    assert not Auditregel.objects.filter(actie__in=["ter_ondertekening", "taak_mislukt"]).exists()
    regel = next(r for r in verslag.regels if "(regio 18): nieuw" in r)
    assert "Niet ondertekend: het document (ter ondertekening) is niet gemaakt: RuntimeError: renderer stuk" in regel
    # The other demo agreements are as always.
    assert Uitvoeringsafspraak.objects.get(regio__nummer=afsprakendemo.FRIESLAND_NOORD).status == "gereed"


def test_de_ondertekening_kan_uit_voor_tests_die_haar_niet_nodig_hebben(voor_de_deadline, monkeypatch):
    monkeypatch.setattr(afsprakendemo, "ONDERTEKENDE_REGIOS", ())
    demo.laad_demodata()
    afspraak = _flevoland()
    assert afspraak.status == Uitvoeringsafspraak.Status.GEREED
    assert Sectie.objects.get(afspraak=afspraak, sleutel=fasen.GOVERNANCE).inhoud["dsp_niveau"] == "ja"
    assert not Document.objects.exists() and not Meting.objects.exists()
