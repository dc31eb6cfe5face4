"""The agreement's content counter (`Uitvoeringsafspraak.inhoudsteller`): raised in the database by every save of
what the document of a version says, so that a PDF made from the content can be kept under it."""

import pytest
from django.test import Client
from django.urls import reverse

from afspraken import fasen, secties
from afspraken.models import Uitvoeringsafspraak
from regio.models import Gebruiker
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


def _teller(afspraak):
    return Uitvoeringsafspraak.objects.values_list("inhoudsteller", flat=True).get(pk=afspraak.pk)


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(4)


@pytest.fixture
def beleid(refdata):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "afdruk-beleid")


def test_elke_wijziging_van_de_inhoud_verhoogt_de_inhoudsteller(afspraak, beleid):
    eerder_gelezen = Uitvoeringsafspraak.objects.get(pk=afspraak.pk)
    visie = secties.definitie(fasen.VISIE)
    tekst = {**met_versie(visie.sleutel, 0), f"{visie.sleutel}-antwoord": "Samen sterk."}
    assert secties.bewaar_tekst(visie, afspraak, tekst, beleid).ok
    assert _teller(afspraak) == 1
    # The same text again changes nothing; a save on an old version is refused. Neither counts.
    assert secties.bewaar_tekst(visie, afspraak, {**tekst, **met_versie(visie.sleutel, 1)}, beleid).ok
    assert secties.bewaar_tekst(visie, afspraak, tekst, beleid).conflict is not None
    assert _teller(afspraak) == 1

    acties = secties.definitie("acties-verkennen")
    nieuw = {"acties-verkennen-nieuw-omschrijving": "Overleg", "acties-verkennen-nieuw-status": "open"}
    rij = secties.voeg_rij_toe(acties, afspraak, nieuw, beleid).rij
    assert _teller(afspraak) == 2
    prefix = acties.rij_prefix(rij.pk)
    bewerkt = {**met_versie(prefix, 1), f"{prefix}-omschrijving": "Overleg plannen", f"{prefix}-status": "open"}
    assert secties.bewaar_rij(acties, afspraak, rij.pk, bewerkt, beleid).ok
    assert _teller(afspraak) == 3
    assert secties.verwijder_rij(acties, afspraak, rij.pk, met_versie(prefix, 2), beleid).ok
    assert _teller(afspraak) == 4

    client = _client(beleid)
    client.post(reverse("afspraak_toelichting", args=[afspraak.pk, 7]), {"ba7-tekst": "Deels extern."})
    assert _teller(afspraak) == 5
    gegevens = {"versie": "1", "titel": "Andere titel", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31"}
    client.post(reverse("afspraak_gegevens", args=[afspraak.pk]), gegevens)
    assert _teller(afspraak) == 6
    # Back from gereed to concept: the concept document names its status.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    client.post(reverse("afspraak_concept", args=[afspraak.pk]))
    assert _teller(afspraak) == 7

    # save() of an agreement read before those changes never writes its old count back.
    eerder_gelezen.titel = "Nog een titel"
    eerder_gelezen.save()
    assert _teller(afspraak) == 7
