"""The checks afspraken owns (basisafspraken 2, 3, 4, 6, 11, 12): each turns to voldaan as the fields are filled."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import fasen, secties, toetsing, toetsregels
from afspraken.models import Ambitie, Indicator, Partij, Rapportage, Sectie, Uitvoeringsafspraak
from afspraken.partijen import DREMPEL_BUITEN_REGIO, studenten_buiten_regio
from afspraken.toetsing import AANDACHTSPUNT, NIET_VOLDAAN, VOLDAAN, Toetsgegevens
from regio import cijfers
from regio.models import Dataset, Doorstroompuntregio, Gemeente, MboInstelling, StudentenPerWoongemeente
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    met_versie,
    voeg_gemeenten_toe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def beleid():
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd")


@pytest.fixture
def afspraak():
    return maak_afspraak(4)


def uitkomsten(regel, afspraak):
    """The outcomes of one check, on fresh data (as a new request would load it)."""
    afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
    return list(regel(afspraak, Toetsgegevens(afspraak)))


def statussen(regel, afspraak):
    return [u.status for u in uitkomsten(regel, afspraak)]


def oordeel(regel, afspraak):
    """The worst status of this check's outcomes, as the toetsing's verdict would be."""
    return max(statussen(regel, afspraak), key=toetsing.ERNST.__getitem__)


def redenen(regel, afspraak):
    return " | ".join(u.reden for u in uitkomsten(regel, afspraak))


def vul(afspraak, sleutel, gebruiker=None, **velden):
    """Save a text section through its form, as a user would (validation, version, history)."""
    definitie = secties.definitie(sleutel)
    sectie = Sectie.objects.filter(afspraak=afspraak, sleutel=sleutel).first()
    data = met_versie(sleutel, sectie.versie if sectie else 0)
    for naam, waarde in velden.items():
        if waarde is True:
            waarde = "on"
        data[f"{sleutel}-{naam}"] = waarde
    uitkomst = secties.bewaar_tekst(definitie, afspraak, data, gebruiker, Toetsgegevens(afspraak))
    assert uitkomst.ok, uitkomst.formulier.errors if uitkomst.formulier else uitkomst.conflict


def partij(afspraak, naam):
    return afspraak.partijen.get(organisatie__naam=naam)


def test_regels_zijn_geregistreerd():
    for regel in toetsregels.REGELS:
        assert regel in list(toetsing.regels)


def test_elke_regel_heet_naar_de_basisafspraak_die_hij_toetst(afspraak):
    """One scheme in every app: `<app>.toetsregels.basisafspraak_<n>_<wat>`, yielding outcomes of n only, so
    `grep -rn "def basisafspraak_<n>_"` finds all checks of n."""
    gegevens = Toetsgegevens(afspraak)
    getoetst = set()
    for regel in toetsing.regels:
        naam = re.fullmatch(r"basisafspraak_(\d+)_[a-z_]+", regel.__name__)
        assert naam, f"{regel.__module__}.{regel.__name__} volgt het schema basisafspraak_<n>_<wat> niet"
        assert regel.__module__.endswith(".toetsregels"), regel.__module__
        nummer = int(naam.group(1))
        assert {u.basisafspraak for u in regel(afspraak, gegevens)} == {nummer}, regel.__name__
        getoetst.add(nummer)
    assert getoetst == set(range(1, 13))


# --- 2 ---------------------------------------------------------------------------------------------


def test_basisafspraak_2_wie_financiert_nu_en_hoe(afspraak):
    regel = toetsregels.basisafspraak_2_financiering_nu
    assert statussen(regel, afspraak) == [AANDACHTSPUNT]
    assert "Nog niet beschreven wie" in redenen(regel, afspraak)
    firda = partij(afspraak, "Firda")
    vul(afspraak, fasen.FINANCIERING_NU, financiers=[firda.pk])
    assert statussen(regel, afspraak) == [AANDACHTSPUNT]
    assert "Bekend is wie nu financiert (Firda), maar niet hoe" in redenen(regel, afspraak)
    vul(afspraak, fasen.FINANCIERING_NU, financiers=[firda.pk], onderwijsmiddelen="Kwaliteitsgelden")
    assert statussen(regel, afspraak) == [VOLDAAN]
    assert "transparant wie de aansluiting nu financiert (Firda) en hoe" in redenen(regel, afspraak)
    assert uitkomsten(regel, afspraak)[0].sectie == fasen.FINANCIERING_NU


# --- 3 ---------------------------------------------------------------------------------------------


def test_basisafspraak_3_aansluiting_en_continuiteit(afspraak):
    regel = toetsregels.basisafspraak_3_aansluiting_en_continuiteit
    assert statussen(regel, afspraak) == [NIET_VOLDAAN, NIET_VOLDAAN]
    assert [u.sectie for u in uitkomsten(regel, afspraak)] == [fasen.AANSLUITING, fasen.CONTINUITEIT]
    vul(afspraak, fasen.AANSLUITING, antwoord="Het zorgteam van Firda schakelt met de wijkteams.")
    assert statussen(regel, afspraak) == [VOLDAAN, AANDACHTSPUNT]
    assert oordeel(regel, afspraak) == AANDACHTSPUNT
    assert "Nog niet beschreven hoe de partijen samen zorgen voor continuïteit" in redenen(regel, afspraak)
    vul(afspraak, fasen.CONTINUITEIT, antwoord="Meerjarenafspraken tot en met 2029.", meerjarig="ja")
    assert statussen(regel, afspraak) == [VOLDAAN, VOLDAAN]
    assert "Nog niet" not in redenen(regel, afspraak)
    # The other way round: only continuity.
    vul(afspraak, fasen.AANSLUITING, antwoord="")
    assert statussen(regel, afspraak) == [AANDACHTSPUNT, VOLDAAN]


# --- 4 ---------------------------------------------------------------------------------------------


def _studenten_firda(aantallen):
    dataset, _ = Dataset.objects.update_or_create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030,
        defaults={"status": Dataset.Status.SYNTHETISCH, "bron": "Test"},
    )
    firda = MboInstelling.objects.get(naam="Firda")
    StudentenPerWoongemeente.objects.bulk_create(
        StudentenPerWoongemeente(dataset=dataset, peiljaar=2030, instelling=firda,
                                 gemeente=Gemeente.objects.get(naam=naam), aantal=aantal)
        for naam, aantal in aantallen.items()
    )


def test_basisafspraak_4_verklaring_en_gemeenten_buiten_de_regio(afspraak):
    regel = toetsregels.basisafspraak_4_alle_studenten
    # The agreement was started before the counts were loaded: the gemeenten outside are not parties.
    _studenten_firda({"Leeuwarden": 400, "Dantumadiel": 200, "Waadhoeke": 100,
                      "Súdwest-Fryslân": 150, "Smallingerland": 40, "Groningen": 5})
    assert statussen(regel, afspraak) == [NIET_VOLDAAN, AANDACHTSPUNT]
    tekst = redenen(regel, afspraak)
    assert "verklaart nog niet dat zij geldt voor alle studenten" in tekst
    assert "In Súdwest-Fryslân (16,8%) en Smallingerland (4,5%) woont 1% of meer" in tekst
    assert "Groningen" not in tekst  # 0,6%: below the threshold

    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True)
    assert statussen(regel, afspraak) == [VOLDAAN, AANDACHTSPUNT]
    assert "De afspraak verklaart dat zij geldt voor alle studenten" in redenen(regel, afspraak)

    # Súdwest-Fryslân becomes a party; Smallingerland is named (without accents or capitals is fine too).
    Partij.objects.create(afspraak=afspraak, organisatie=gemeente_organisatie("Súdwest-Fryslân"),
                          rol=Partij.Rol.GEMEENTE_BUITEN)
    assert "In Smallingerland (4,5%) woont 1% of meer" in redenen(regel, afspraak)
    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True,
        gemeenten_buiten="smallingerland doet mee via de afspraak van Friesland-Oost.")
    assert statussen(regel, afspraak) == [VOLDAAN, VOLDAAN]
    assert "Súdwest-Fryslân (16,8%) en Smallingerland (4,5%)" in redenen(regel, afspraak)
    # A word inside another word does not count as naming the gemeente.
    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True, gemeenten_buiten="Smallingerlandse jongeren")
    assert statussen(regel, afspraak) == [VOLDAAN, AANDACHTSPUNT]


def test_basisafspraak_4_zonder_aantallen_vraagt_een_beschrijving(afspraak):
    regel = toetsregels.basisafspraak_4_alle_studenten
    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True)
    assert statussen(regel, afspraak) == [VOLDAAN, AANDACHTSPUNT]
    assert "Beschrijf toch hoe studenten van buiten de regio meedoen" in redenen(regel, afspraak)
    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True, gemeenten_buiten="Via hun eigen regio's.")
    assert statussen(regel, afspraak) == [VOLDAAN, VOLDAAN]
    assert "de afspraak beschrijft hoe studenten van buiten de regio meedoen" in redenen(regel, afspraak)


# --- 6 ---------------------------------------------------------------------------------------------


def test_basisafspraak_6_professionalisering(afspraak):
    regel = toetsregels.basisafspraak_6_professionalisering
    assert statussen(regel, afspraak) == [AANDACHTSPUNT]
    assert "Nog niet beschreven" in redenen(regel, afspraak)
    vul(afspraak, fasen.PROFESSIONALISERING, antwoord="Gezamenlijke intervisie elk kwartaal.", vormen=["intervisie"])
    assert statussen(regel, afspraak) == [VOLDAAN]
    assert "Beschreven is hoe de partijen ruimte geven" in redenen(regel, afspraak)


# --- 11 --------------------------------------------------------------------------------------------


def test_basisafspraak_11_contactgemeente_governance_eindverantwoordelijke(afspraak):
    regel = toetsregels.basisafspraak_11_doorstroompuntregio
    leeuwarden = afspraak.partijen.get(organisatie__gemeente__naam="Leeuwarden")
    # As started: the contactgemeente is a party and carries the end responsibility; governance still open.
    assert statussen(regel, afspraak) == [VOLDAAN, AANDACHTSPUNT, VOLDAAN]
    assert "Nog niet vastgelegd of de partijen zich organiseren op het niveau" in redenen(regel, afspraak)
    vul(afspraak, fasen.GOVERNANCE, dsp_niveau="nee")
    assert statussen(regel, afspraak)[1] == AANDACHTSPUNT
    assert "zich niet op het niveau van de doorstroompuntregio organiseren" in redenen(regel, afspraak)
    vul(afspraak, fasen.GOVERNANCE, dsp_niveau="ja", inkoop="dsp_regio")
    assert statussen(regel, afspraak) == [VOLDAAN, VOLDAAN, VOLDAAN]

    # No party carries the end responsibility: niet voldaan.
    Partij.objects.filter(pk=leeuwarden.pk).update(financieel_eindverantwoordelijk=False)
    assert statussen(regel, afspraak)[2] == NIET_VOLDAAN
    assert "Geen partij draagt de financiële eindverantwoordelijkheid" in redenen(regel, afspraak)
    Partij.objects.filter(pk=partij(afspraak, "Firda").pk).update(financieel_eindverantwoordelijk=True)
    assert statussen(regel, afspraak)[2] == VOLDAAN
    assert "Firda draagt de financiële eindverantwoordelijkheid" in redenen(regel, afspraak)
    # A second one the database refuses, so the check never meets two.
    with pytest.raises(IntegrityError, match="een_financieel_eindverantwoordelijke"), transaction.atomic():
        Partij.objects.filter(pk=leeuwarden.pk).update(financieel_eindverantwoordelijk=True)
    assert Partij.objects.filter(afspraak=afspraak, financieel_eindverantwoordelijk=True).count() == 1

    # Without the contactgemeente: niet voldaan, naming her.
    leeuwarden.delete()
    assert statussen(regel, afspraak)[0] == NIET_VOLDAAN
    assert "De contactgemeente van de regio, Leeuwarden, is geen partij" in redenen(regel, afspraak)


def test_basisafspraak_11_onbekende_contactgemeente_is_aandachtspunt():
    afspraak = maak_afspraak(5)  # Zuid-West Friesland: the sources name no contactgemeente
    Partij.objects.filter(afspraak=afspraak).update(financieel_eindverantwoordelijk=False)
    eerste = afspraak.partijen.order_by("pk").first()
    Partij.objects.filter(pk=eerste.pk).update(financieel_eindverantwoordelijk=True)
    regel = toetsregels.basisafspraak_11_doorstroompuntregio
    assert statussen(regel, afspraak)[0] == AANDACHTSPUNT
    assert "De contactgemeente van regio Zuid-West Friesland is niet bekend" in redenen(regel, afspraak)


# --- 12 --------------------------------------------------------------------------------------------


def test_basisafspraak_12_monitoring(afspraak, monkeypatch):
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 39)
    regel = toetsregels.basisafspraak_12_monitoring_en_deadline
    assert statussen(regel, afspraak) == [NIET_VOLDAAN, NIET_VOLDAAN, VOLDAAN]
    assert [u.sectie for u in uitkomsten(regel, afspraak)][:2] == [fasen.RAPPORTAGES, fasen.INDICATOREN]
    Rapportage.objects.create(afspraak=afspraak, onderwerp="Voortgang", aan="Bestuurlijk overleg",
                              van=partij(afspraak, "Firda"), frequentie="jaarlijks")
    assert statussen(regel, afspraak)[0] == VOLDAAN
    assert "Vastgelegd is wie aan wie rapporteert en hoe vaak (1 rapportage)" in redenen(regel, afspraak)
    ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder uitval")
    indicator = Indicator.objects.create(afspraak=afspraak, ambitie=ambitie, naam="Uitval", streefwaarde=Decimal("5"))
    assert statussen(regel, afspraak)[1] == NIET_VOLDAAN
    assert "Er is 1 indicator, maar geen met zowel een streefwaarde als een meetmoment" in redenen(regel, afspraak)
    indicator.meetmoment = datetime.date(2027, 9, 1)
    indicator.save()
    assert statussen(regel, afspraak) == [VOLDAAN, VOLDAAN, VOLDAAN]
    assert "1 van de 1 indicator heeft een streefwaarde en een meetmoment" in redenen(regel, afspraak)


def test_basisafspraak_12_deadline(afspraak, monkeypatch):
    regel = toetsregels.basisafspraak_12_monitoring_en_deadline
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 39)
    deadline = uitkomsten(regel, afspraak)[-1]
    assert deadline.status == VOLDAAN
    assert deadline.reden == "Ondertekening volgt; deadline 31 december 2026 (nog 39 dagen)"
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 1)
    assert uitkomsten(regel, afspraak)[-1].reden == "Ondertekening volgt; deadline 31 december 2026 (nog 1 dag)"
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: -3)
    deadline = uitkomsten(regel, afspraak)[-1]
    assert deadline.status == AANDACHTSPUNT
    assert "De deadline van 31 december 2026 is verstreken" in deadline.reden
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.ONDERTEKEND)
    deadline = uitkomsten(regel, afspraak)[-1]
    assert deadline.status == VOLDAAN and deadline.reden == "De uitvoeringsafspraak is ondertekend."
    # With the signature date (set when the sealed document is stored): before or after the deadline.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        ondertekend_op=datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.timezone.utc)
    )
    afspraak.refresh_from_db()
    deadline = uitkomsten(regel, afspraak)[-1]
    assert deadline.status == VOLDAAN and deadline.reden == (
        "De uitvoeringsafspraak is ondertekend op 3 december 2026, vóór de deadline van 31 december 2026."
    )
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        ondertekend_op=datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.timezone.utc)
    )
    afspraak.refresh_from_db()
    assert uitkomsten(regel, afspraak)[-1].status == AANDACHTSPUNT


def test_de_echte_deadline_van_vandaag():
    """Without mocking: before the deadline the reason counts the days; after it, it is an aandachtspunt."""
    afspraak = maak_afspraak(4)
    deadline = uitkomsten(toetsregels.basisafspraak_12_monitoring_en_deadline, afspraak)[-1]
    if cijfers.dagen_tot_deadline() >= 0:
        assert deadline.status == VOLDAAN and deadline.reden.startswith(
            "Ondertekening volgt; deadline 31 december 2026"
        )
    else:
        assert deadline.status == AANDACHTSPUNT


# --- the toetsing page and its query count ---------------------------------------------------------


def test_toetsingpagina_toont_redenen_met_link_naar_het_onderdeel(beleid, afspraak):
    client = Client()
    client.force_login(beleid)
    pagina = client.get(reverse("afspraak_toetsing", args=[afspraak.pk])).content.decode()
    blok = re.search(r'<section class="toets toets--\w+" id="ba-4".*?</section>', pagina, re.S).group(0)
    assert "toets--niet_voldaan" in blok
    assert "verklaart nog niet dat zij geldt voor alle studenten" in blok
    assert reverse("afspraak_fase", args=[afspraak.pk, 1]) + "#sectie-verkennen-alle-studenten" in blok
    vul(afspraak, fasen.ALLE_STUDENTEN, alle_studenten=True, gemeenten_buiten="Via hun eigen regio.")
    pagina = client.get(reverse("afspraak_toetsing", args=[afspraak.pk])).content.decode()
    blok = re.search(r'<section class="toets toets--\w+" id="ba-4".*?</section>', pagina, re.S).group(0)
    assert "toets--voldaan" in blok
    assert "verklaart nog niet" not in blok


def test_aantal_queries_van_deze_regels_hangt_niet_af_van_het_aantal_partijen(afspraak):
    _studenten_firda({"Leeuwarden": 400, "Súdwest-Fryslân": 150})
    vul(afspraak, fasen.FINANCIERING_NU, financiers=[p.pk for p in afspraak.partijen.all()], antwoord="Samen")

    def meet():
        geladen = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
        gegevens = Toetsgegevens(geladen)
        with CaptureQueriesContext(connection) as queries:
            for regel in toetsregels.REGELS:
                list(regel(geladen, gegevens))
        return len(queries)

    meet()  # the students' sums are kept from the first time on (regio.cijfers); counted below as kept
    voor = meet()
    voeg_gemeenten_toe(afspraak, 40)
    ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="A")
    for i in range(5):
        Indicator.objects.create(afspraak=afspraak, ambitie=ambitie, naam=f"I{i}")
        Rapportage.objects.create(afspraak=afspraak, onderwerp=f"R{i}", aan="X")
    assert meet() == voor
    # Parties, sections, two row models, and the students outside the region (the region's instellingen, the
    # students' stand, their kept sums, the names); for the signers the parties' bestuurders, their open
    # invitations and the requests for a signer.
    assert voor <= 11


def test_gemeenten_buiten_de_regio_zoals_het_partijvoorstel_en_zonder_dubbeltelling(afspraak):
    from afspraken.partijen import stel_partijen_voor

    _studenten_firda({"Leeuwarden": 400, "Dantumadiel": 200, "Súdwest-Fryslân": 150, "Smallingerland": 40})
    voorstel = {
        v.organisatie.pk: v.aandeel_tekst
        for v in stel_partijen_voor(afspraak.regio)
        if v.rol == Partij.Rol.GEMEENTE_BUITEN
    }
    eigen = {g.organisatie_id: g.aandeel_tekst for g in fasen.gemeenten_buiten_regio(afspraak, Toetsgegevens(afspraak))}
    assert eigen == voorstel and len(eigen) == 2
    # A breakdown per leerweg next to the totals is not counted again.
    dataset = Dataset.objects.get(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030)
    StudentenPerWoongemeente.objects.create(
        dataset=dataset, peiljaar=2030, instelling=MboInstelling.objects.get(naam="Firda"),
        gemeente=Gemeente.objects.get(naam="Smallingerland"), leerweg="BBL", aantal=40,
    )
    eigen = {g.naam: g.aandeel_tekst for g in fasen.gemeenten_buiten_regio(afspraak, Toetsgegevens(afspraak))}
    assert eigen == {"Súdwest-Fryslân": "19,0%", "Smallingerland": "5,1%"}  # 150 and 40 of 790


def test_gemeenten_buiten_de_regio_uit_de_regiocijfers_zijn_dezelfde(afspraak, django_assert_num_queries):
    """Phase 1 derives them from the region's figures it shows anyway: the same list as the query of the toetsing,
    with suppressed parts, breakdowns next to totals, a gemeente without a region and one below the threshold."""
    _studenten_firda({"Leeuwarden": 400, "Dantumadiel": 200, "Súdwest-Fryslân": 150, "Groningen": 5})
    dataset = Dataset.objects.get(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030)
    firda = MboInstelling.objects.get(naam="Firda")
    zonder_regio = Gemeente.objects.create(code="GM9999", naam="Zonder Regio")
    Organisatie.objects.create(naam="Gemeente Zonder Regio", soort=Organisatie.Soort.GEMEENTE, gemeente=zonder_regio)
    StudentenPerWoongemeente.objects.bulk_create([
        StudentenPerWoongemeente(dataset=dataset, peiljaar=2030, instelling=firda, gemeente=zonder_regio, aantal=0,
                                 onderdrukt=1),
        StudentenPerWoongemeente(dataset=dataset, peiljaar=2030, instelling=firda,
                                 gemeente=Gemeente.objects.get(naam="Smallingerland"), aantal=60, onderdrukt=3),
        # A breakdown beside Firda's totals: not counted again.
        StudentenPerWoongemeente(dataset=dataset, peiljaar=2030, instelling=firda,
                                 gemeente=Gemeente.objects.get(naam="Smallingerland"), leerweg="BBL", aantal=60),
    ])
    regio = Doorstroompuntregio.objects.select_related("contactgemeente").get(nummer=4)
    uit_query = studenten_buiten_regio(regio)
    c = cijfers.regio_cijfers(regio)
    with django_assert_num_queries(0):
        uit_cijfers = studenten_buiten_regio(regio, c)
    assert uit_cijfers == uit_query
    assert [g.naam for g in uit_query] == ["Súdwest-Fryslân", "Smallingerland"]
    assert all(g.organisatie_id for g in uit_query)
    # Every gemeente outside, also below the threshold and without a region, has the same share both ways.
    totaal = c.verdeling.totaal.midden
    assert {g["naam"] for g in c.alle_buiten} >= {"Groningen", "Zonder Regio"}
    zonder = next(g for g in c.alle_buiten if g["naam"] == "Zonder Regio")
    assert zonder["aantal"].midden / totaal < DREMPEL_BUITEN_REGIO


def test_aantal_queries_van_deze_regels_hangt_niet_af_van_de_regio_of_de_gegevens():
    def meet(afspraak):
        geladen = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
        gegevens = Toetsgegevens(geladen)
        with CaptureQueriesContext(connection) as queries:
            for regel in toetsregels.REGELS:
                list(regel(geladen, gegevens))
        return len(queries)

    leeg = maak_afspraak(5)  # no instellingen, no contactgemeente, no counts
    meet(leeg)  # the students' sums are kept from the first time on (regio.cijfers)
    zonder_instellingen = meet(leeg)
    _studenten_firda({"Leeuwarden": 400, "Súdwest-Fryslân": 150})
    # One more only to name the gemeenten outside the region that reach the threshold, however many there are.
    friesland = maak_afspraak(4)
    meet(friesland)
    assert meet(friesland) == zonder_instellingen + 1
