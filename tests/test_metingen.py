"""Monitoring: metingen per meetmoment, voortgang of acties, achterstanden, the chart and the annual report."""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken import afdrukken, bevriezing, grafiek, monitoring, versies
from afspraken.models import (
    Actie,
    Actievoortgang,
    Afdruk,
    Ambitie,
    Indicator,
    Meting,
    Partij,
    Uitvoeringsafspraak,
)
from audit.models import Auditregel
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    markeer_ondertekend,
)

D = datetime.date
VANDAAG = D(2027, 6, 15)


def _vul(afspraak, *, indicatoren=1, acties=1):
    ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder voortijdig schoolverlaten")
    eigenaar = afspraak.partijen.select_related("organisatie").order_by("pk").first()
    rijen = []
    for n in range(indicatoren):
        rijen.append(Indicator.objects.create(
            afspraak=afspraak, ambitie=ambitie, naam=f"Aandeel studenten met hulp binnen vier weken {n + 1}",
            eenheid="%", nulmeting=Decimal("40"), streefwaarde=Decimal("75"), meetmoment=D(2026, 7, 1),
            meetfrequentie="halfjaarlijks", bron="Registratie schoolmaatschappelijk werk",
        ))
    for n in range(acties):
        Actie.objects.create(
            afspraak=afspraak, fase=4, omschrijving=f"Meldroute vastleggen {n + 1}", eigenaar=eigenaar,
            deadline=D(2027, 3, 1),
        )
    return rijen


@pytest.fixture
def geldend(db, refdata):
    """Friesland Noord, signed, with one half-yearly indicator and one actie past its deadline."""
    afspraak = maak_afspraak(4)
    (indicator,) = _vul(afspraak)
    markeer_ondertekend(afspraak)
    return afspraak, indicator


@pytest.fixture
def beleid(db, refdata):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "meet-beleid")


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


def _post_meting(client, afspraak, indicator, **velden):
    data = {"meetmoment": "2026-07-01", "waarde": "52,5", "gemeten_op": "2026-07-03", "bron": "Registratie",
            "toelichting": ""}
    data.update(velden)
    prefix = f"indicator-{indicator.pk}"
    return client.post(
        reverse("afspraak_meting", args=[afspraak.pk, indicator.pk]), {f"{prefix}-{k}": v for k, v in data.items()}
    )


# --- meetmomenten ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequentie, verwacht",
    [
        ("eenmalig", [D(2026, 1, 31)]),
        ("", [D(2026, 1, 31)]),
        ("jaarlijks", [D(2026, 1, 31), D(2027, 1, 31), D(2028, 1, 31)]),
        ("halfjaarlijks", [D(2026, 1, 31), D(2026, 7, 31), D(2027, 1, 31), D(2027, 7, 31), D(2028, 1, 31)]),
        ("kwartaal", [D(2026, 1, 31), D(2026, 4, 30), D(2026, 7, 31), D(2026, 10, 31), D(2027, 1, 31), D(2027, 4, 30),
                      D(2027, 7, 31), D(2027, 10, 31), D(2028, 1, 31)]),
    ],
)
def test_meetmomenten_per_frequentie(frequentie, verwacht):
    indicator = Indicator(meetmoment=D(2026, 1, 31), meetfrequentie=frequentie)
    assert monitoring.meetmomenten(indicator, D(2028, 3, 31)) == verwacht


def test_maandelijks_houdt_de_dag_vast_ook_na_een_korte_maand():
    indicator = Indicator(meetmoment=D(2028, 1, 31), meetfrequentie="maandelijks")
    assert monitoring.meetmomenten(indicator, D(2028, 5, 31)) == [
        D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30), D(2028, 5, 31)
    ]


def test_zonder_eerste_meetmoment_geen_meetmomenten_en_het_eerste_telt_altijd():
    assert monitoring.meetmomenten(Indicator(meetfrequentie="jaarlijks"), D(2029, 12, 31)) == []
    na_einde = Indicator(meetmoment=D(2030, 3, 1), meetfrequentie="jaarlijks")
    assert monitoring.meetmomenten(na_einde, D(2029, 12, 31)) == [D(2030, 3, 1)]


# --- model rules -----------------------------------------------------------------------------------


def test_meting_en_voortgang_zijn_geen_bevroren_inhoud(geldend):
    assert Meting not in bevriezing.inhoudsmodellen()
    assert Actievoortgang not in bevriezing.inhoudsmodellen()
    assert Indicator in bevriezing.inhoudsmodellen()
    afspraak, indicator = geldend
    # Written while the version is frozen: the model layer and PostgreSQL let it through.
    Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), waarde=Decimal("50"), gemeten_op=D(2026, 7, 2))
    # The indicator itself stays frozen.
    indicator.naam = "Anders"
    with pytest.raises(bevriezing.AfspraakBevroren):
        indicator.save()


def test_een_meting_per_indicator_per_meetmoment(geldend):
    _, indicator = geldend
    Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), waarde=1, gemeten_op=D(2026, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), waarde=2, gemeten_op=D(2026, 7, 1))


def test_voortgang_is_alleen_aan_te_vullen(geldend, beleid):
    afspraak, _ = geldend
    actie = Actie.objects.get(afspraak=afspraak)
    melding = monitoring.meld_voortgang(actie, status="bezig", door=beleid)
    melding.status = "afgerond"
    with pytest.raises(ValidationError):
        melding.save()
    with pytest.raises(ValidationError):
        melding.delete()
    assert Actievoortgang.objects.get().status == "bezig"


def test_leg_meting_vast_weigert_buiten_het_schema_in_de_toekomst_en_op_een_concept(db, refdata, beleid):
    afspraak = maak_afspraak(4)
    (indicator,) = _vul(afspraak)
    with pytest.raises(monitoring.Geweigerd, match="geldende, ondertekende versie"):
        monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=1, gemeten_op=D(2026, 7, 1),
                                   door=beleid, vandaag=VANDAAG)
    markeer_ondertekend(afspraak)
    with pytest.raises(monitoring.Geweigerd, match="geen meetmoment"):
        monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 2), waarde=1, gemeten_op=D(2026, 7, 1),
                                   door=beleid, vandaag=VANDAAG)
    with pytest.raises(monitoring.Geweigerd, match="toekomst"):
        monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=1, gemeten_op=D(2027, 6, 16),
                                   door=beleid, vandaag=VANDAAG)
    assert not Meting.objects.exists()


# --- the form and the view ----------------------------------------------------------------------------


def test_meting_invoeren_en_corrigeren_met_audit(geldend, beleid):
    afspraak, indicator = geldend
    client = _client(beleid)
    response = _post_meting(client, afspraak, indicator)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/monitoring/#indicator-{indicator.pk}")
    meting = Meting.objects.get()
    assert (meting.indicator, meting.meetmoment, meting.waarde, meting.gemeten_op, meting.ingevoerd_door) == (
        indicator, D(2026, 7, 1), Decimal("52.50"), D(2026, 7, 3), beleid
    )
    # A second meting for the same moment replaces the first, and the audit log keeps the old value.
    response = _post_meting(client, afspraak, indicator, waarde="55", toelichting="Telfout hersteld")
    assert response.status_code == 302
    meting = Meting.objects.get()
    assert meting.waarde == Decimal("55") and meting.toelichting == "Telfout hersteld"
    regels = list(Auditregel.objects.filter(actie="meting_vastgelegd").order_by("pk"))
    assert len(regels) == 2
    assert regels[0].gegevens["vervangen"] is None
    assert regels[1].gegevens["vervangen"]["waarde"] == "52.50" and regels[1].gegevens["waarde"] == "55"
    pagina = client.get(reverse("afspraak_monitoring", args=[afspraak.pk])).content.decode()
    assert "55" in pagina and "Telfout hersteld" in pagina


@pytest.mark.parametrize(
    "velden, veld, melding",
    [
        ({"waarde": ""}, "waarde", "Vul de gemeten waarde in."),
        ({"waarde": "veel"}, "waarde", "Vul een getal in, bijvoorbeeld 12,5."),
        ({"meetmoment": "2026-07-02"}, "meetmoment", "Kies een van de meetmomenten van deze indicator."),
        ({"meetmoment": ""}, "meetmoment", "Kies het meetmoment waar deze meting bij hoort."),
        ({"gemeten_op": "2999-01-01"}, "gemeten_op", "De datum van meten ligt in de toekomst."),
        ({"gemeten_op": ""}, "gemeten_op", "Vul de datum in waarop is gemeten."),
    ],
)
def test_foute_invoer_geeft_422_met_gekoppelde_fout_en_schrijft_niets(geldend, beleid, velden, veld, melding):
    afspraak, indicator = geldend
    response = _post_meting(_client(beleid), afspraak, indicator, **velden)
    assert response.status_code == 422
    html = response.content.decode()
    assert melding in html
    veld_id = f"id_indicator-{indicator.pk}-{veld}"
    # The error is announced in the summary and tied to the field (WCAG 3.3.1).
    assert f'href="#{veld_id}"' in html and f'id="{veld_id}_error"' in html
    invoer = html[html.index(f'id="{veld_id}"') - 300: html.index(f'id="{veld_id}"') + 300]
    assert 'aria-invalid="true"' in invoer and f"{veld_id}_error" in invoer
    assert not Meting.objects.exists()
    assert not Auditregel.objects.filter(actie="meting_vastgelegd").exists()


def test_alleen_op_de_geldende_versie(db, refdata, beleid):
    afspraak = maak_afspraak(4)
    (indicator,) = _vul(afspraak)
    client = _client(beleid)
    response = _post_meting(client, afspraak, indicator)
    assert response.status_code == 302
    assert not Meting.objects.exists()
    pagina = client.get(response["Location"]).content.decode()
    assert "alleen vastgelegd bij de geldende, ondertekende versie" in pagina
    assert "De metingen beginnen zodra de uitvoeringsafspraak is ondertekend" in pagina
    assert 'action="' + reverse("afspraak_meting", args=[afspraak.pk, indicator.pk]) not in pagina
    actie = Actie.objects.get(afspraak=afspraak)
    client.post(
        reverse("afspraak_actievoortgang", args=[afspraak.pk, actie.pk]), {f"actie-{actie.pk}-status": "afgerond"}
    )
    assert not Actievoortgang.objects.exists()


def test_een_indicator_van_een_andere_afspraak_is_niet_te_vinden(geldend, beleid):
    afspraak, _ = geldend
    ander = maak_afspraak(6)
    ander.partijen.get_or_create(organisatie=gemeente_organisatie("Leeuwarden"), defaults={"rol": "gemeente_buiten"})
    (vreemd,) = _vul(ander)
    markeer_ondertekend(ander)
    response = _post_meting(_client(beleid), afspraak, vreemd)
    assert response.status_code == 404 and not Meting.objects.exists()


def test_bestuurder_en_beheerder_lezen_maar_meten_niet(geldend):
    afspraak, indicator = geldend
    bestuurder = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "meet-bestuur")
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "meet-beheer")
    for gebruiker in (bestuurder, beheerder):
        client = _client(gebruiker)
        pagina = client.get(reverse("afspraak_monitoring", args=[afspraak.pk]))
        assert pagina.status_code == 200 and "Meting opslaan" not in pagina.content.decode()
        assert _post_meting(client, afspraak, indicator).status_code == 404
    assert not Meting.objects.exists()


def test_voortgang_melden_maakt_de_actie_afgerond_en_niet_meer_achterstallig(geldend, beleid):
    afspraak, _ = geldend
    actie = Actie.objects.get(afspraak=afspraak)
    assert [a.soort for a in monitoring.achterstanden([afspraak], VANDAAG)].count("actie") == 1
    client = _client(beleid)
    url = reverse("afspraak_actievoortgang", args=[afspraak.pk, actie.pk])
    response = client.post(url, {f"actie-{actie.pk}-status": "klaar"})
    assert response.status_code == 422 and "Kies of de actie bezig of afgerond is." in response.content.decode()
    assert not Actievoortgang.objects.exists()
    response = client.post(
        url, {f"actie-{actie.pk}-status": "afgerond", f"actie-{actie.pk}-toelichting": "Vastgesteld"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#actie-{actie.pk}")
    assert Actievoortgang.objects.get().status == "afgerond"
    assert [a.soort for a in monitoring.achterstanden([afspraak], VANDAAG)].count("actie") == 0
    actie.refresh_from_db()
    assert actie.status == "open"  # the frozen row itself never changes


# --- across versions --------------------------------------------------------------------------------


def test_metingen_en_voortgang_volgen_naar_een_nieuwe_versie(geldend, beleid):
    afspraak, indicator = geldend
    actie = Actie.objects.get(afspraak=afspraak)
    monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=Decimal("48"), gemeten_op=D(2026, 7, 2),
                               door=beleid, vandaag=VANDAAG)
    monitoring.meld_voortgang(actie, status="afgerond", door=beleid)

    nieuw = versies.nieuwe_versie(afspraak, beleid, "Ander aanbod")
    kopie = Indicator.objects.get(afspraak=nieuw)
    assert kopie.voorganger_id == indicator.pk
    assert Actie.objects.get(afspraak=nieuw).voorganger_id == actie.pk
    # The amendment is an open version: no metingen there, and the actie, done in the version in force, is
    # not overdue in the amendment either.
    assert monitoring.achterstanden([nieuw], VANDAAG) == []
    with pytest.raises(monitoring.Geweigerd):
        monitoring.leg_meting_vast(kopie, meetmoment=D(2027, 1, 1), waarde=1, gemeten_op=D(2027, 1, 2), door=beleid,
                                   vandaag=VANDAAG)

    # Once the amendment is signed (and the old version replaced), the metingen show on the new indicator.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="vervangen")
    markeer_ondertekend(nieuw)
    stand = monitoring.stand(nieuw, VANDAAG)
    (indicatorstand,) = stand.indicatoren
    assert [(m.meetmoment, m.waarde) for m in indicatorstand.metingen] == [(D(2026, 7, 1), Decimal("48.00"))]
    assert indicatorstand.achterstallig == [D(2027, 1, 1)]
    assert stand.acties[0].status == "afgerond"
    # A correction for the same moment on the new version replaces the old meting: still one per moment.
    meting, vervangen = monitoring.leg_meting_vast(
        kopie, meetmoment=D(2026, 7, 1), waarde=Decimal("49"), gemeten_op=D(2026, 7, 2), door=beleid, vandaag=VANDAAG
    )
    assert vervangen["waarde"] == "48.00" and meting.indicator_id == kopie.pk and Meting.objects.count() == 1
    # A third version copies from the second: the chain is followed to the first.
    derde = versies.nieuwe_versie(nieuw, beleid, "Nog een wijziging")
    assert Indicator.objects.get(afspraak=derde).voorganger_id == kopie.pk


def test_kopie_zet_voorganger_generiek():
    velden = {v.name for v in Indicator._meta.concrete_fields} & {v.name for v in Actie._meta.concrete_fields}
    assert "voorganger" in velden


# --- achterstanden ----------------------------------------------------------------------------------


def test_achterstanden_van_een_ondertekende_afspraak(geldend, beleid):
    afspraak, indicator = geldend
    monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=50, gemeten_op=D(2026, 7, 1),
                               door=beleid, vandaag=VANDAAG)
    uitkomst = monitoring.achterstanden([afspraak], vandaag=VANDAAG)
    assert [(a.soort, a.datum) for a in uitkomst] == [("meetmoment", D(2027, 1, 1)), ("actie", D(2027, 3, 1))]
    meetmoment, actie = uitkomst
    assert meetmoment.omschrijving == indicator.naam and meetmoment.eigenaar == ""
    assert meetmoment.url == reverse("afspraak_monitoring", args=[afspraak.pk]) + f"#indicator-{indicator.pk}"
    eigenaar = Partij.objects.select_related("organisatie").order_by("pk").filter(afspraak=afspraak).first()
    assert actie.eigenaar == eigenaar.organisatie.naam and actie.afspraak == afspraak
    assert actie.url.endswith(f"#actie-{Actie.objects.get(afspraak=afspraak).pk}")
    # On the meetmoment itself it is not overdue yet.
    assert monitoring.achterstanden([afspraak], vandaag=D(2026, 7, 1)) == []


def test_een_concept_heeft_alleen_achterstallige_acties(db, refdata):
    afspraak = maak_afspraak(4)
    _vul(afspraak)
    uitkomst = monitoring.achterstanden([afspraak], vandaag=VANDAAG)
    assert [a.soort for a in uitkomst] == ["actie"]
    Actie.objects.filter(afspraak=afspraak).update(status="afgerond")
    assert monitoring.achterstanden([afspraak], vandaag=VANDAAG) == []


def _afspraken_met_achterstand(aantal):
    uitkomst = []
    for nummer in range(1, aantal + 1):
        afspraak = maak_afspraak(nummer)
        _vul(afspraak, indicatoren=2, acties=2)
        uitkomst.append(markeer_ondertekend(afspraak))
    return uitkomst


def test_achterstanden_met_een_vast_aantal_queries(db, refdata, django_assert_num_queries):
    afspraken = _afspraken_met_achterstand(5)
    with django_assert_num_queries(6) as een:
        klein = monitoring.achterstanden(afspraken[:1], vandaag=VANDAAG)
    with django_assert_num_queries(len(een.captured_queries)):
        groot = monitoring.achterstanden(afspraken, vandaag=VANDAAG)
    # Per agreement two indicators with two passed meetmomenten (July 2026, January 2027), and two acties.
    assert len(klein) == 6 and len(groot) == 30
    assert [a.datum for a in groot] == sorted(a.datum for a in groot)


def test_achterstanden_lezen_alleen_wat_achter_kan_lopen(db, refdata, django_assert_num_queries):
    """Concepts report only acties past their deadline: before it, one query (no indicators, metingen, progress
    or voorgangers read); after it, the acties with their progress and voorgangers."""
    afspraken = [maak_afspraak(nummer) for nummer in (1, 2, 3)]
    for afspraak in afspraken:
        _vul(afspraak, indicatoren=2, acties=2)  # deadline 1 March 2027
    with django_assert_num_queries(1):
        assert monitoring.achterstanden(afspraken, vandaag=D(2027, 3, 1)) == []
    with django_assert_num_queries(3):
        uitkomst = monitoring.achterstanden(afspraken, vandaag=D(2027, 3, 2))
    assert [(a.soort, a.datum) for a in uitkomst] == [("actie", D(2027, 3, 1))] * 6


def test_lijst_toont_achterstanden_van_de_eigen_afspraken(geldend, beleid, django_assert_max_num_queries):
    afspraak, indicator = geldend
    client = _client(beleid)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("afspraak_lijst")).content.decode()
    assert "Achterstallig" in html and indicator.naam in html
    assert reverse("afspraak_monitoring", args=[afspraak.pk]) + f"#indicator-{indicator.pk}" in html
    # Someone of another organisation sees none of it.
    ander = gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "meet-ander")
    assert indicator.naam not in _client(ander).get(reverse("afspraak_lijst")).content.decode()


# --- the page ---------------------------------------------------------------------------------------


def test_monitoringpagina_met_vast_aantal_queries(db, refdata, beleid, django_assert_max_num_queries):
    afspraak = maak_afspraak(4)
    indicatoren = _vul(afspraak, indicatoren=6, acties=6)
    markeer_ondertekend(afspraak)
    for indicator in indicatoren:
        Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), waarde=45, gemeten_op=D(2026, 7, 2),
                              ingevoerd_door=beleid)
    client = _client(beleid)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("afspraak_monitoring", args=[afspraak.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="grafiek grafiek--lijn"') == 6 and html.count("Meting opslaan<") == 6
    assert "Voortgang melden<" in html
    assert "Monitoringsrapport 2026 (PDF)" in html and "Monitoringsrapport 2029 (PDF)" in html
    # The overview links here once the agreement is signed.
    overzicht = client.get(reverse("afspraak_overzicht", args=[afspraak.pk])).content.decode()
    assert reverse("afspraak_monitoring", args=[afspraak.pk]) in overzicht


def _monitoringqueries(client, afspraak):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as vastgelegd:
        response = client.get(reverse("afspraak_monitoring", args=[afspraak.pk]))
    assert response.status_code == 200
    return len(vastgelegd.captured_queries)


def test_monitoringpagina_queries_groeien_niet_met_afspraken_indicatoren_of_metingen(db, refdata, beleid):
    # Two agreements; the page of one with two indicatoren and two acties, nothing recorded yet.
    klein = maak_afspraak(4)
    _vul(klein, indicatoren=2, acties=2)
    markeer_ondertekend(klein)
    maak_afspraak(13)
    twee = _monitoringqueries(_client(beleid), klein)
    # Five agreements; the page of one with five of each, a meting per indicator and progress per actie,
    # seen by a beleidsmaker of one of its parties (as above).
    groot = maak_afspraak(12)
    indicatoren = _vul(groot, indicatoren=5, acties=5)
    markeer_ondertekend(groot)
    for nummer in (16, 20):
        maak_afspraak(nummer)
    assert Uitvoeringsafspraak.objects.count() == 5
    enschede = gebruiker_van(gemeente_organisatie("Enschede"), Gebruiker.Rol.BELEIDSMAKER, "meet-enschede")
    for indicator in indicatoren:
        Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), waarde=45, gemeten_op=D(2026, 7, 2),
                              ingevoerd_door=enschede)
    for actie in Actie.objects.filter(afspraak=groot):
        Actievoortgang.objects.create(actie=actie, status=Actie.Status.BEZIG, gebruiker=enschede)
    client = _client(enschede)
    html = client.get(reverse("afspraak_monitoring", args=[groot.pk])).content.decode()
    assert html.count("Meting opslaan<") == 5 and html.count("Voortgang melden<") == 5
    assert _monitoringqueries(client, groot) == twee


def test_de_pagina_toont_wat_een_ander_vastlegt_en_een_fout_formulier_alleen_in_zijn_antwoord(geldend, beleid):
    afspraak, indicator = geldend
    actie = Actie.objects.get(afspraak=afspraak)
    url = reverse("afspraak_monitoring", args=[afspraak.pk])
    lezer = _client(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "meet-lezer"))
    assert "Afgerond" not in lezer.get(url).content.decode()
    schrijver = _client(beleid)
    prefix = f"actie-{actie.pk}"
    antwoord = schrijver.post(reverse("afspraak_actievoortgang", args=[afspraak.pk, actie.pk]),
                              {f"{prefix}-status": "bestaat-niet", f"{prefix}-toelichting": "Wat een dag"})
    html = antwoord.content.decode()
    assert antwoord.status_code == 422 and "Wat een dag" in html and "Fout bij opslaan" in html
    # The next request is the page without the failed form's input.
    assert "Wat een dag" not in schrijver.get(url).content.decode()
    monitoring.meld_voortgang(actie, status="afgerond", door=beleid)
    Meting.objects.create(indicator=indicator, meetmoment=D(2026, 7, 1), gemeten_op=D(2026, 7, 2), waarde=52)
    html = lezer.get(url).content.decode()
    assert "Afgerond" in html and "52" in html


def test_grafiek_op_de_pagina_volgt_een_nieuwe_meting(geldend, beleid):
    """Charts are kept per everything they are drawn from: a new meting draws a new chart at once."""
    afspraak, indicator = geldend
    client = _client(beleid)
    url = reverse("afspraak_monitoring", args=[afspraak.pk])

    def grafiek_van(html):
        return html.split(f'id="grafiek-{indicator.pk}-titel"')[1].split("</svg>")[0]

    assert "52,5" not in grafiek_van(client.get(url).content.decode())
    assert _post_meting(client, afspraak, indicator).status_code == 302
    assert "52,5" in grafiek_van(client.get(url).content.decode())
    Meting.objects.filter(indicator=indicator).update(waarde=Decimal("53.75"))
    html = client.get(url).content.decode()
    assert "53,75" in grafiek_van(html) and "52,5" not in grafiek_van(html)


def test_bewaarde_grafiek_gelijk_aan_een_verse_ook_bij_gelijke_getallen_in_andere_vorm():
    # 3 == 3.0 == Decimal("3.00") as keys of a dict; the kept chart must still be the one drawn for that value.
    for waarde in (3, Decimal("3.00"), 3.5, Decimal("3.50"), Decimal("3.5")):
        argumenten = dict(start=D(2026, 1, 1), einde=D(2027, 1, 1), nulmeting=waarde, titel="x", id_prefix="g")
        bewaard = grafiek.lijngrafiek([(D(2026, 5, 1), waarde)], **argumenten)
        vers = grafiek._teken([(D(2026, 5, 1), waarde)], streefwaarde=None, eenheid="", **argumenten)
        assert bewaard == vers, waarde


def test_overzicht_van_een_concept_nodigt_niet_uit_tot_meten(db, refdata, beleid):
    # The navigation always has "Monitoring" (the same menu on every page); the call to record metingen
    # appears only once the agreement is signed, and the page itself says when measuring starts.
    afspraak = maak_afspraak(4)
    client = _client(beleid)
    overzicht = client.get(reverse("afspraak_overzicht", args=[afspraak.pk])).content.decode()
    assert "Monitoring: metingen en voortgang" not in overzicht
    pagina = client.get(reverse("afspraak_monitoring", args=[afspraak.pk])).content.decode()
    assert "De metingen beginnen zodra de uitvoeringsafspraak is ondertekend" in pagina
    assert 'name="indicator-' not in pagina


# --- the chart --------------------------------------------------------------------------------------


def test_grafiek_bevat_de_waarden_en_een_tekstalternatief():
    svg = grafiek.lijngrafiek(
        [(D(2027, 1, 1), Decimal("61.25")), (D(2026, 7, 1), Decimal("52.5"))],
        start=D(2026, 1, 1), einde=D(2029, 12, 31), nulmeting=Decimal("40"), streefwaarde=Decimal("1075"),
        titel="Verloop van <uitval>", id_prefix="g1", eenheid="%",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img" aria-labelledby="g1-titel" aria-describedby="g1-omschrijving"' in svg
    assert "<title id=\"g1-titel\">Verloop van &lt;uitval&gt;</title>" in svg  # escaped
    for tekst in ("52,5", "61,25", "Nulmeting 40", "Streefwaarde 1.075", "1 juli 2026: 52,5 %", "2029"):
        assert tekst in svg, tekst
    assert "style=" not in svg and "<script" not in svg
    # The metingen in date order: the polyline runs left to right.
    punten = svg.split('<polyline points="')[1].split('"')[0].split()
    assert float(punten[0].split(",")[0]) < float(punten[1].split(",")[0])


def test_grafiek_zonder_iets_te_tekenen_is_leeg_en_een_waarde_krijgt_een_bereik():
    assert grafiek.lijngrafiek([], start=D(2026, 1, 1), einde=D(2027, 1, 1), titel="x", id_prefix="g") == ""
    svg = grafiek.lijngrafiek([(D(2026, 5, 1), 7)], start=D(2026, 1, 1), einde=D(2027, 1, 1), titel="x", id_prefix="g")
    assert "7" in svg and "Nog geen" not in svg
    assert grafiek.getal(Decimal("-1234567.5")) == "-1.234.567,5" and grafiek.getal(Decimal("3.00")) == "3"


# --- the annual report ------------------------------------------------------------------------------


def _pdf_tekst(inhoud):
    tekst = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(inhoud)).pages)
    return unicodedata.normalize("NFC", " ".join(tekst.split()))


def test_jaarrapport_als_pdf(geldend, beleid):
    afspraak, indicator = geldend
    monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=Decimal("52.5"), gemeten_op=D(2026, 7, 2),
                               door=beleid, vandaag=VANDAAG)
    monitoring.leg_meting_vast(indicator, meetmoment=D(2027, 1, 1), waarde=Decimal("61.25"), gemeten_op=D(2027, 1, 5),
                               door=beleid, vandaag=VANDAAG)
    client = _client(beleid)
    response = client.get(reverse("afspraak_monitoringsrapport", args=[afspraak.pk, 2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    tekst = _pdf_tekst(response.content)
    assert "monitoringsrapport 2026" in tekst.lower()  # the cover sets it in capitals
    for stuk in (indicator.naam, "52,5", "Nulmeting", "40", "75",
                 "Meldroute vastleggen 1"):
        assert stuk in tekst, stuk
    assert "61,25" not in tekst  # the meting of 2027 is not in the report of 2026
    assert Auditregel.objects.filter(actie="gedownload", gegevens__soort="monitoringsrapport").count() == 1
    # Made once (inline here, by the task worker in production); asked again, the same file.
    afdruk = Afdruk.objects.get(afspraak=afspraak, soort="monitoringsrapport", jaar=2026)
    assert client.get(reverse("afspraak_monitoringsrapport", args=[afspraak.pk, 2026])).content == response.content
    assert Afdruk.objects.get(afspraak=afspraak, soort="monitoringsrapport").gereed_op == afdruk.gereed_op
    # A meting replaced is a new state of the report: the next request makes it again.
    monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=Decimal("53"), gemeten_op=D(2026, 7, 2),
                               door=beleid, vandaag=VANDAAG)
    assert afdrukken.stand(afspraak, "monitoringsrapport", 2026) != afdruk.stand
    # Years outside the looptijd do not exist.
    assert client.get(reverse("afspraak_monitoringsrapport", args=[afspraak.pk, 2031])).status_code == 404


def test_jaarrapport_2027_heeft_de_metingen_tot_en_met_dat_jaar_en_de_achterstanden(geldend, beleid):
    afspraak, indicator = geldend
    monitoring.leg_meting_vast(indicator, meetmoment=D(2026, 7, 1), waarde=Decimal("52.5"), gemeten_op=D(2026, 7, 2),
                               door=beleid, vandaag=VANDAAG)
    tekst = _pdf_tekst(monitoring.render_rapport_pdf(afspraak, 2027, vandaag=VANDAAG))
    assert "52,5" in tekst and "Achterstallig op 15 juni 2027" in tekst
    assert "1 januari 2027" in tekst and "Meldroute vastleggen 1" in tekst
