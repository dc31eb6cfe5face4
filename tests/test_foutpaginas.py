"""The Dutch error pages in the site's frame: 400, 403, 404, 500 (Django's views with our templates) and a failed
CSRF check (techniek.foutpaginas.csrf_mislukt)."""

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views import defaults

from accounts.models import Gebruiker
from techniek.foutpaginas import CSRF_KOP
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.factories import WACHTWOORD, GebruikerFactory
from tests.test_publieke_paginas import assert_in_kader


@override_settings(DEBUG=False)
def test_404_in_het_nederlands_in_het_kader(db):
    antwoord = Client().get("/bestaat-niet/")
    assert antwoord.status_code == 404
    html = antwoord.content.decode()
    assert_in_kader(html, "Pagina niet gevonden")
    assert "Not Found" not in html
    # The full frame of a page with a request: the menu and the scripts with this response's nonce.
    assert 'aria-label="Hoofdmenu"' in html and "nonce=" in html


@override_settings(DEBUG=False)
def test_404_voor_een_ingelogde_zonder_recht(refdata):
    afspraak = maak_afspraak(4)
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "buitenstaander"))
    antwoord = client.get(reverse("afspraak_overzicht", args=[afspraak.pk]))
    assert antwoord.status_code == 404
    html = antwoord.content.decode()
    assert_in_kader(html, "Pagina niet gevonden")
    assert afspraak.titel not in html and "Log dan eerst in" not in html


@pytest.mark.urls("tests.fout_urls")
@override_settings(DEBUG=False)
def test_500_in_het_nederlands_in_het_kader(db):
    antwoord = Client(raise_request_exception=False).get("/test-fout/500/")
    assert antwoord.status_code == 500
    html = antwoord.content.decode()
    assert_in_kader(html, "Er ging iets mis")
    assert "opzettelijke fout" not in html and "Server Error" not in html
    # Django renders it without a request: no scripts (they would lack a nonce) and no menu that needs a user.
    assert "<script" not in html and "Hoofdmenu" not in html


def test_500_zonder_database_en_zonder_context():
    """No `db` fixture: any query would fail this test. Django's own handler, as in production."""
    antwoord = defaults.server_error(RequestFactory().get("/"))
    assert antwoord.status_code == 500
    assert_in_kader(antwoord.content.decode(), "Er ging iets mis")


def test_400_zonder_database_en_zonder_context():
    antwoord = defaults.bad_request(RequestFactory().get("/"), Exception("x"))
    assert antwoord.status_code == 400
    html = antwoord.content.decode()
    assert_in_kader(html, "Ongeldig verzoek")
    assert "<script" not in html


@pytest.mark.urls("tests.fout_urls")
@override_settings(DEBUG=False)
def test_400_en_403_via_een_verzoek(db):
    ongeldig = Client().get("/test-fout/400/")
    assert ongeldig.status_code == 400
    assert_in_kader(ongeldig.content.decode(), "Ongeldig verzoek")
    verboden = Client().get("/test-fout/403/")
    assert verboden.status_code == 403
    html = verboden.content.decode()
    assert_in_kader(html, "Geen toestemming")
    # The reason the application gave, in Dutch.
    assert "is ondertekend en kan niet meer worden gewijzigd" in html


@override_settings(DEBUG=False)
def test_csrf_mislukt_nederlands_in_het_kader(db):
    antwoord = Client(enforce_csrf_checks=True).post(reverse("inloggen"), {"username": "iemand", "password": "x"})
    assert antwoord.status_code == 403
    assert antwoord[CSRF_KOP] == "1"
    html = antwoord.content.decode()
    assert_in_kader(html, "Uw formulier is verlopen")
    assert "Ververs de pagina" in html and "knop Terug" in html
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in html
    # What was posted is never shown.
    assert "iemand" not in html
    # A fresh token comes with it, so that reloading the page is enough.
    assert settings.CSRF_COOKIE_NAME in antwoord.cookies


def test_csrf_mislukt_voor_een_oud_formulier_na_opnieuw_inloggen(db):
    """The common case: a form left open while the user logged in again in another tab."""
    GebruikerFactory(username="oud-tabblad")
    client = Client(enforce_csrf_checks=True)
    oud = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(reverse("inloggen")).content.decode())
    token = oud.group(1)
    inloggen = client.post(reverse("inloggen"), {"username": "oud-tabblad", "password": WACHTWOORD,
                                                 "csrfmiddlewaretoken": token})
    assert inloggen.status_code == 302  # logging in renews the token
    antwoord = client.post(reverse("uitloggen"), {"csrfmiddlewaretoken": token})
    assert antwoord.status_code == 403
    html = antwoord.content.decode()
    assert "Uw formulier is verlopen" in html
    assert "Uitloggen" in html  # still logged in, in the full frame


def test_csrf_mislukt_voor_htmx_kort_en_herkenbaar(db):
    antwoord = Client(enforce_csrf_checks=True).post(reverse("inloggen"), {}, HTTP_HX_REQUEST="true")
    assert antwoord.status_code == 403
    assert antwoord[CSRF_KOP] == "1"
    assert antwoord["Content-Type"].startswith("text/plain")
    assert "Ververs de pagina" in antwoord.content.decode()
