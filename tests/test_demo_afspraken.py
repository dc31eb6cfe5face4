"""Demo agreements of `make run`: Friesland Noord (gereed), Achterhoek and Twente (concepts), idempotent.

Flevoland, the fourth demo agreement, is signed at load time; that is tested in test_demo_ondertekend.py. Here
the signing is switched off (it renders and seals two PDFs), so Flevoland stays "gereed"."""

from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from aanbod import demo as aanboddemo
from aanbod.models import Aanbod, PersoneleInzet, WarmeOverdracht
from accounts import demo as accountsdemo
from accounts.models import Gebruiker, Organisatie
from afspraken import demo as afsprakendemo
from afspraken import fasen, secties, toetsing
from afspraken.bepalingen import PER_SLEUTEL
from afspraken.models import (
    Actie,
    Ambitie,
    Grondslag,
    Indicator,
    Partij,
    Rapportage,
    Sectie,
    Toelichting,
    Uitvoeringsafspraak,
    Wijziging,
)
from afspraken.partijen import stel_partijen_voor
from financiering import berekening
from financiering.models import Geldstroom, Kostenpost, Verdeelgroep
from regio import cijfers, demo
from regio.models import Doorstroompuntregio
from tests.afspraak_helpers import met_versie

pytestmark = pytest.mark.django_db

FRIESLAND, TWENTE, ACHTERHOEK = 4, 12, 13
DEMO_BELEIDSMAKERS = {"demo-gemeente", "demo-instelling", "demo-doetinchem", "demo-enschede"}


@pytest.fixture(autouse=True)
def zonder_ondertekening(monkeypatch):
    monkeypatch.setattr(afsprakendemo, "ONDERTEKENDE_REGIOS", ())


def _afspraak(nummer):
    return Uitvoeringsafspraak.objects.get(regio__nummer=nummer)


def _partij(afspraak, naam):
    return Partij.objects.select_related("organisatie").get(afspraak=afspraak, organisatie__naam=naam)


def _tellingen():
    modellen = (
        Uitvoeringsafspraak, Partij, Sectie, Wijziging, Actie, Ambitie, Indicator, Rapportage, Toelichting, Aanbod,
        PersoneleInzet, WarmeOverdracht, Kostenpost, Geldstroom, Verdeelgroep, Gebruiker, Organisatie,
    )
    return {m.__name__: m.objects.count() for m in modellen}


def _verdeling(afspraak):
    uitkomst = berekening.bereken(afspraak)
    assert uitkomst.ok, uitkomst.fouten
    return uitkomst.verdeling


def test_drie_demo_afspraken_in_verschillende_toestanden():
    verslag = demo.laad_demodata()

    friesland, achterhoek, twente = _afspraak(FRIESLAND), _afspraak(ACHTERHOEK), _afspraak(TWENTE)
    oordelen = toetsing.toets(friesland)
    kan, bezwaren = toetsing.kan_gereed(oordelen)
    # If this fails, the demo content no longer satisfies the toetsing: the loader left it a concept and said why.
    assert friesland.status == Uitvoeringsafspraak.Status.GEREED, (
        "Friesland Noord is niet gereed voor ondertekening: " + " ".join(bezwaren) + " | " + " | ".join(verslag.regels)
    )
    assert kan and friesland.gereed_door.username == "demo-gemeente"
    for oordeel in oordelen:
        assert oordeel.status == toetsing.VOLDAAN or (
            oordeel.status == toetsing.AANDACHTSPUNT and oordeel.heeft_toelichting
        ), (oordeel.basisafspraak.nummer, [u.reden for u in oordeel.uitkomsten])
    assert achterhoek.status == twente.status == Uitvoeringsafspraak.Status.CONCEPT
    assert all(a.looptijd_jaren == [2026, 2027, 2028, 2029] for a in (friesland, achterhoek, twente))

    # Parties: as proposed from the data, plus the partners; one financieel eindverantwoordelijke, the contactgemeente.
    partners = {
        FRIESLAND: {accountsdemo.DEMO_PARTNER},
        ACHTERHOEK: set(),
        TWENTE: {"Tactus (verslavingszorg)", "Mediant (GGZ)"},
    }
    for afspraak in (friesland, achterhoek, twente):
        regio = afspraak.regio
        voorgesteld = {v.organisatie.naam for v in stel_partijen_voor(regio)}
        namen = set(afspraak.partijen.values_list("organisatie__naam", flat=True))
        assert namen == voorgesteld | partners[regio.nummer]
        eind = afspraak.partijen.get(financieel_eindverantwoordelijk=True)
        assert eind.rol == Partij.Rol.CONTACTGEMEENTE and eind.organisatie.gemeente == regio.contactgemeente
        assert not afspraak.partijen.exclude(bestuurder_naam="").exists()  # no persons' names
    gemeenten_twente = twente.partijen.filter(rol__in=[Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE])
    assert gemeenten_twente.count() == 14
    assert twente.partijen.filter(rol=Partij.Rol.INSTELLING, organisatie__naam="ROC van Twente").exists()
    assert twente.partijen.filter(rol=Partij.Rol.PARTNER).count() == 2
    assert twente.partijen.count() == 14 + twente.partijen.filter(
        rol__in=[Partij.Rol.INSTELLING, Partij.Rol.GEMEENTE_BUITEN, Partij.Rol.PARTNER]
    ).count()
    assert achterhoek.partijen.filter(rol__in=[Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE]).count() == 9
    assert _partij(friesland, "Gemeente Leeuwarden").bestuurder.username == "demo-bestuurder"

    # Content was written through the sections, by the demo beleidsmakers, with history.
    bevoegdheid = Q(omschrijving__endswith=": bevoegdheid van de ondertekenaar")
    auteurs = set(Wijziging.objects.filter(afspraak__in=[friesland, achterhoek, twente]).exclude(bevoegdheid)
                  .values_list("gebruiker__username", flat=True))
    assert auteurs <= DEMO_BELEIDSMAKERS and {"demo-doetinchem", "demo-enschede"} <= auteurs
    for gebruikersnaam in ("demo-doetinchem", "demo-enschede"):
        gebruiker = Gebruiker.objects.get(username=gebruikersnaam)
        assert gebruiker.rol == Gebruiker.Rol.BELEIDSMAKER and gebruiker.first_name == "Demo"
        assert any(i.gebruikersnaam == gebruikersnaam and i.wachtwoord for i in verslag.inloggen)
    opgeslagen = set(Sectie.objects.filter(afspraak=friesland, versie__gt=0).values_list("sleutel", flat=True))
    for fase in (1, 2, 3, 4):
        ontbreekt = {d.sleutel for d in secties.van_fase(fase) if not d.sleutel.startswith("acties-")} - opgeslagen
        # A provision never saved is its model text (afspraken.bepalingen).
        assert not ontbreekt - {"partijen"} - set(PER_SLEUTEL), (fase, ontbreekt)
    assert Indicator.objects.filter(afspraak=friesland, nulmeting__isnull=False, streefwaarde__isnull=False,
                                    meetmoment__isnull=False).count() >= 3
    assert Sectie.objects.get(afspraak=friesland, sleutel=fasen.GOVERNANCE).inhoud["dsp_niveau"] == "ja"

    # Each party's authority, entered by the party itself (issue 27): in Friesland Noord by every party's demo
    # bestuurder; where a party has no signer yet, by its own demo beleidsmaker, or not at all.
    for partij in friesland.partijen.select_related("organisatie", "bestuurder"):
        wijziging = Wijziging.objects.get(bevoegdheid, afspraak=friesland, omschrijving__startswith=str(partij))
        assert wijziging.gebruiker == partij.bestuurder and partij.bevoegdheid
        if partij.organisatie.instelling_id:
            assert partij.grondslag == Grondslag.VOORZITTER_CVB
        elif partij.organisatie.gemeente_id:
            assert partij.grondslag == Grondslag.WETHOUDER_MANDAAT and partij.grondslag_besluit.year == 2026
        else:
            assert partij.bevoegdheid == "bestuurder, op grond van de statuten (artikel 9 van de statuten)"
    assert _partij(friesland, "Gemeente Leeuwarden").bevoegdheid.startswith(
        "wethouder, gemandateerd bij collegebesluit van "
    )
    for afspraak, gebruikersnaam in ((achterhoek, "demo-doetinchem"), (twente, "demo-enschede")):
        contactgemeente = afspraak.partijen.get(rol=Partij.Rol.CONTACTGEMEENTE)
        assert contactgemeente.grondslag == Grondslag.BURGEMEESTER
        assert Wijziging.objects.get(bevoegdheid, afspraak=afspraak).gebruiker.username == gebruikersnaam
        assert afspraak.partijen.exclude(grondslag="").count() == 1
    # A provision in Friesland Noord's own words, saved through the section with its history.
    geschillen = Sectie.objects.get(afspraak=friesland, sleutel="bepaling-geschillen")
    assert "bestuurlijk overleg Sterk in Firda" in geschillen.inhoud["tekst"]
    assert not PER_SLEUTEL["bepaling-geschillen"].is_modeltekst(geschillen.inhoud)
    assert Wijziging.objects.get(afspraak=friesland, sectie="bepaling-geschillen").gebruiker.username == "demo-gemeente"

    # Achterhoek: Verkennen and Verbeelden answered, Vormgeven in part, Verankeren not yet.
    achterhoek_secties = set(Sectie.objects.filter(afspraak=achterhoek, versie__gt=0).values_list("sleutel", flat=True))
    verwacht = {fasen.FINANCIERING_NU, fasen.ALLE_STUDENTEN, fasen.VISIE, fasen.INDICATOREN, fasen.GOVERNANCE}
    assert verwacht <= achterhoek_secties
    assert not {fasen.PROFESSIONALISERING, fasen.CONTINUITEIT, fasen.EVALUATIE} & achterhoek_secties
    assert Aanbod.objects.filter(afspraak=achterhoek, naam="Loopbaanplein", niveau__nummer=4).exists()

    # Twente: Verkennen answered, acties with exactly one overdue, nothing in Vormgeven's texts or Verankeren.
    twente_secties = set(Sectie.objects.filter(afspraak=twente, versie__gt=0).values_list("sleutel", flat=True))
    assert {fasen.BESTUURLIJK_OVERLEG, fasen.REGIE, fasen.STUDENTEN, fasen.ONDERSTEUNINGSVRAGEN} <= twente_secties
    assert not {fasen.AANSLUITING, fasen.GOVERNANCE, fasen.OPBRENGST} & twente_secties
    acties = list(Actie.objects.filter(afspraak=twente))
    assert len(acties) >= 3 and sum(a.is_verlopen(timezone.localdate()) for a in acties) == 1

    # Aanbod.
    assert {a.niveau.nummer for a in Aanbod.objects.filter(afspraak=friesland)} == {1, 2, 3, 4, 5}
    assert Aanbod.objects.filter(afspraak=friesland, naam="De Pitstop", aanbodvorm__code="tijdelijk-traject").exists()
    assert Aanbod.objects.get(afspraak=friesland, aanbodvorm__code="schoolmaatschappelijk-werk").wettelijke_basis
    assert WarmeOverdracht.objects.filter(afspraak=friesland).exists()
    smw = PersoneleInzet.objects.get(afspraak=twente)
    assert smw.fte == Decimal("1.3") and smw.soort == PersoneleInzet.Soort.DETACHERING
    assert "drie centrumgemeenten" in smw.ingezet_waar
    loopbaancentrum = Aanbod.objects.get(afspraak=twente, aanbodvorm__code="loopbaancentrum")
    assert loopbaancentrum.niveau.nummer == 4 and loopbaancentrum.sessies_per_student == 5

    # Friesland: ⅓ Firda / ⅓ zorgverzekeraar / ⅓ gemeenten by inwoners, exact to the cent every year.
    verdeling = _verdeling(friesland)
    firda = berekening.partijsleutel(_partij(friesland, "Firda"), {})
    zorgverzekeraar = berekening.partijsleutel(_partij(friesland, accountsdemo.DEMO_PARTNER), {})
    assert verdeling.jaren == [2026, 2027, 2028, 2029]
    for jaar in verdeling.jaren:
        totaal = verdeling.te_verdelen[jaar]
        assert totaal > 0 and sum(d[jaar] for d in verdeling.per_partij.values()) == totaal
        assert Fraction(verdeling.per_partij[firda][jaar]) == Fraction(totaal, 3)
        assert verdeling.per_partij[zorgverzekeraar][jaar] == verdeling.per_partij[firda][jaar]
    gemeenten = next(g for g in verdeling.groepen if g.methode == Verdeelgroep.Methode.INWONERS)
    assert len(gemeenten.gewichten) == 9 and all(g.waarde > 0 for g in gemeenten.gewichten)
    # The SPUK-funded post is not distributed.
    assert Kostenpost.objects.filter(afspraak=friesland, verdelen=False).count() == 1

    # Achterhoek: 87% Graafschap College, 13% the nine gemeenten by students per woongemeente.
    verdeling = _verdeling(achterhoek)
    graafschap = berekening.partijsleutel(_partij(achterhoek, "Graafschap college"), {})
    for jaar in verdeling.jaren:
        totaal = verdeling.te_verdelen[jaar]
        assert sum(d[jaar] for d in verdeling.per_partij.values()) == totaal
        assert Fraction(verdeling.per_partij[graafschap][jaar]) == Fraction(totaal * 87, 100)
    studenten = next(g for g in verdeling.groepen if g.methode == Verdeelgroep.Methode.STUDENTEN)
    assert len(studenten.gewichten) == 9

    # Twente: kostenposten only.
    assert Kostenpost.objects.filter(afspraak=twente).count() == 2
    assert not Verdeelgroep.objects.filter(afspraak=twente).exists()


def test_commando_noemt_de_afspraken_en_tweede_run_verandert_niets():
    eerste = StringIO()
    call_command("laad_demodata", stdout=eerste)
    uitvoer = eerste.getvalue()
    for titel in Uitvoeringsafspraak.objects.values_list("titel", flat=True):
        assert titel in uitvoer
    assert "Friesland Noord (Sterk in Firda) (regio 4): nieuw" in uitvoer
    assert "gereed voor ondertekening; toetsing: " in uitvoer
    assert "demo-doetinchem" in uitvoer and "demo-enschede" in uitvoer
    assert "Inloggen op de demo" in uitvoer

    # A user edits a section between the runs.
    achterhoek = _afspraak(ACHTERHOEK)
    doetinchem = Gebruiker.objects.get(username="demo-doetinchem")
    sectie = Sectie.objects.get(afspraak=achterhoek, sleutel=fasen.VISIE)
    eigen = "Eigen tekst van de gebruiker, na de demo."
    uitkomst = secties.bewaar_tekst(
        secties.definitie(fasen.VISIE), achterhoek,
        {**met_versie(fasen.VISIE, sectie.versie), f"{fasen.VISIE}-antwoord": eigen}, doetinchem,
    )
    assert uitkomst.ok
    voor = _tellingen()
    statussen = dict(Uitvoeringsafspraak.objects.values_list("regio__nummer", "status"))

    tweede = StringIO()
    call_command("laad_demodata", stdout=tweede)
    assert _tellingen() == voor
    assert dict(Uitvoeringsafspraak.objects.values_list("regio__nummer", "status")) == statussen
    assert Sectie.objects.get(afspraak=achterhoek, sleutel=fasen.VISIE).inhoud["antwoord"] == eigen
    assert tweede.getvalue().count("bestaat al") == 4
    assert "(bestond al)" in tweede.getvalue()


def test_niets_als_de_regio_al_een_afspraak_heeft():
    demo.genereer_studenten_per_woongemeente()
    regio = Doorstroompuntregio.objects.get(nummer=TWENTE)
    eigen = Uitvoeringsafspraak.objects.create(
        regio=regio, titel="Eigen afspraak Twente", looptijd_start="2026-01-01", looptijd_einde="2027-12-31"
    )
    verslag = demo.laad_demodata()
    assert Uitvoeringsafspraak.objects.filter(regio=regio).count() == 1
    assert not Partij.objects.filter(afspraak=eigen).exists() and not Aanbod.objects.filter(afspraak=eigen).exists()
    assert any("Eigen afspraak Twente (regio 12) bestaat al" in r for r in verslag.regels)
    assert Uitvoeringsafspraak.objects.filter(regio__nummer__in=[FRIESLAND, ACHTERHOEK]).count() == 2


def test_blijft_concept_en_meldt_waarom_als_de_toetsing_het_niet_toelaat(monkeypatch):
    monkeypatch.setitem(aanboddemo.PER_REGIO, FRIESLAND, lambda demo_afspraak: None)  # no aanbod at all
    verslag = demo.laad_demodata()
    friesland = _afspraak(FRIESLAND)
    assert friesland.status == Uitvoeringsafspraak.Status.CONCEPT
    regel = next(r for r in verslag.regels if "(regio 4): nieuw" in r)
    assert "Niet gereed voor ondertekening: " in regel and "Basisafspraak 8 is niet voldaan." in regel


def test_na_de_deadline_een_toelichting_en_toch_gereed(monkeypatch):
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: -3)
    demo.laad_demodata()
    friesland = _afspraak(FRIESLAND)
    assert friesland.status == Uitvoeringsafspraak.Status.GEREED
    toelichting = Toelichting.objects.get(afspraak=friesland, basisafspraak=12)
    assert toelichting.tekst == afsprakendemo.TOELICHTINGEN[12][1]
    assert toelichting.bijgewerkt_door.username == "demo-gemeente"
    assert list(Toelichting.objects.filter(afspraak=friesland).values_list("basisafspraak", flat=True)) == [12]
    # Flevoland, the agreement the demo signs, gets its own explanation and is gereed too.
    flevoland = _afspraak(afsprakendemo.FLEVOLAND)
    assert flevoland.status == Uitvoeringsafspraak.Status.GEREED
    assert Toelichting.objects.get(afspraak=flevoland, basisafspraak=12).tekst == (
        afsprakendemo.TOELICHTINGEN_PER_REGIO[afsprakendemo.FLEVOLAND][12][1]
    )
