"""A visitor reaches the toegankelijkheidsverklaring, the privacyverklaring, the colofon and the contact page from the
footer, and meets the error pages: each scanned with axe, also at 320 px wide (WCAG 1.4.10)."""

import pytest

from tests.a11y import TELEFOON, assert_past_in_breedte, assert_toegankelijk

# Link in the footer → heading of the page.
VOETLINKS = [
    ("Toegankelijkheid", "Toegankelijkheidsverklaring"),
    ("Privacy en cookies", "Privacyverklaring"),
    ("Colofon", "Colofon"),
    ("Contact", "Contact"),
]


def _scan_ook_smal(page):
    assert_toegankelijk(page)
    breed = page.viewport_size
    page.set_viewport_size(TELEFOON)
    try:
        assert_past_in_breedte(page)
        assert_toegankelijk(page)
    finally:
        page.set_viewport_size(breed)


def test_verklaringen_via_de_voettekst(page):
    page.goto("/")
    for link, kop in VOETLINKS:
        voettekst = page.get_by_role("contentinfo").get_by_role("navigation", name="Over deze website")
        voettekst.get_by_role("link", name=link, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == kop
        _scan_ook_smal(page)
    # The cookie table of the privacy statement is a keyboard-reachable box with a name.
    page.goto("/privacy/")
    tabel = page.get_by_role("region", name="De cookies van deze website")
    tabel.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert tabel.get_by_role("rowheader").count() == 3


def test_pagina_niet_gevonden(page):
    antwoord = page.goto("/bestaat-niet/")
    assert antwoord.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    _scan_ook_smal(page)


@pytest.mark.urls("tests.fout_urls")
def test_serverfout(page):
    antwoord = page.goto("/test-fout/500/")
    assert antwoord.status == 500
    assert page.get_by_role("heading", level=1).inner_text() == "Er ging iets mis"
    assert page.get_by_role("contentinfo").get_by_role("link", name="Contact", exact=True).is_visible()
    _scan_ook_smal(page)


def test_formulier_verlopen(page):
    page.goto("/inloggen/")
    # As after logging in elsewhere or a browser that refuses cookies: the form's token no longer matches.
    page.context.clear_cookies()
    page.get_by_label("Gebruikersnaam").fill("iemand")
    page.get_by_label("Wachtwoord").fill("iets")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw formulier is verlopen"
    _scan_ook_smal(page)
    # Going back and sending again works: the error page brought a fresh token.
    page.go_back()
    page.reload()
    page.get_by_label("Gebruikersnaam").fill("iemand")
    page.get_by_label("Wachtwoord").fill("iets")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
