"""The students' sums kept in Django's cache (regio.cijfers, issue 25 item 3): a load through the real loader shows
on the next request of every page that reads them; a load committed while the sums were computed is never kept
under the stand before it; and the kept sums are the same for everyone: two users of one role in one
organisation, and each role, see the same figures (there is nothing personal in them)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from regio import cijfers
from regio.models import Dataset, MboInstelling
from tests.factories import GebruikerFactory, organisatie_van_gemeente
from tests.loaders_helpers import csv_bytes, laad
from tests.pagina_helpers import zonder_tokens

pytestmark = pytest.mark.django_db

PEILJAAR = 2031


def _lading(enschede, zwolle):
    return csv_bytes([
        ["peiljaar", "instellingscode", "gemeentecode", "aantal"],
        [PEILJAAR, "99TW", "GM0153", enschede],
        [PEILJAAR, "99TW", "GM0193", zwolle],
    ], ",")


@pytest.fixture
def roc(refdata):
    roc = MboInstelling.objects.get(naam="ROC van Twente")
    roc.instellingscode = "99TW"
    roc.save(update_fields=["instellingscode"])
    return roc


def _inhoud(response):
    """The page's main content: the header names who is logged in; CSP nonces and CSRF tokens differ."""
    assert response.status_code == 200
    html = response.content.decode()
    return zonder_tokens(re.search(r"<main\b.*</main>", html, re.S).group(0))


def _paginas():
    return [reverse("monitor_stromen"), reverse("regio_detail", args=[12]),
            reverse("regio_export_instellingen", args=[12, "csv"])]


def test_een_lading_door_de_lader_toont_meteen_de_nieuwe_sommen(client, roc, beheerder):
    laad("studenten_woongemeente", _lading(4321, 876), gebruiker=beheerder)
    for adres in _paginas():
        tekst = client.get(adres).content.decode()
        assert "4.321" in tekst or "4321" in tekst, adres
    # Kept now, under the students' stand.
    stand = cijfers.studentenstand()
    assert cache.get(f"regio.cijfers:{','.join(cijfers.Woonsom._fields)}:per-woonregio:{stand}")

    laad("studenten_woongemeente", _lading(5432, 987), gebruiker=beheerder)
    assert cijfers.studentenstand() != stand
    for adres in _paginas():
        tekst = client.get(adres).content.decode()
        assert ("5.432" in tekst or "5432" in tekst) and "4.321" not in tekst and "4321" not in tekst, adres


def test_een_lading_tijdens_het_rekenen_wordt_niet_onder_de_oude_stand_bewaard(roc, beheerder):
    laad("studenten_woongemeente", _lading(100, 10), gebruiker=beheerder)
    dataset = Dataset.objects.get(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR)
    berekend = []

    def bereken_terwijl_geladen_wordt():
        berekend.append(True)
        dataset.save()  # what a load commits while the sums are read
        return ["oud"]

    assert cijfers._bewaard("proef", bereken_terwijl_geladen_wordt) == ["oud"]
    # Not kept: the next request computes again, under the new stand.
    assert cijfers._bewaard("proef", lambda: ["nieuw"]) == ["nieuw"]
    assert cijfers._bewaard("proef", lambda: ["niet gevraagd"]) == ["nieuw"]
    assert berekend == [True]


def test_dezelfde_sommen_voor_iedereen(roc, beheerder):
    laad("studenten_woongemeente", _lading(4321, 876), gebruiker=beheerder)
    enschede = organisatie_van_gemeente("Enschede")
    hengelo = organisatie_van_gemeente("Hengelo")
    gebruikers = {
        "anoniem": None,
        "beheerder": beheerder,
        "tweede beheerder": GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER),
        "beleidsmaker Enschede": GebruikerFactory(rol=Gebruiker.Rol.BELEIDSMAKER, organisatie=enschede),
        "tweede beleidsmaker Enschede": GebruikerFactory(rol=Gebruiker.Rol.BELEIDSMAKER, organisatie=enschede),
        "bestuurder Enschede": GebruikerFactory(rol=Gebruiker.Rol.BESTUURDER, organisatie=enschede),
        "beleidsmaker Hengelo": GebruikerFactory(rol=Gebruiker.Rol.BELEIDSMAKER, organisatie=hengelo),
    }
    for adres in _paginas()[:2]:
        gezien = {}
        for naam, gebruiker in gebruikers.items():  # the first computes and keeps, the others read what was kept
            client = Client()
            if gebruiker is not None:
                client.force_login(gebruiker)
            gezien[naam] = _inhoud(client.get(adres))
        assert len(set(gezien.values())) == 1, adres
        assert "4.321" in gezien["anoniem"]
