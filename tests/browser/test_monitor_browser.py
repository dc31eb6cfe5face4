"""The national monitor in a browser: a visitor and a beheerder, with the map, its text alternative, the table and
the keyboard; axe on every page."""

import os
import re

import pytest

from regio.models import Doorstroompuntregio
from tests.a11y import assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory
from tests.test_monitor import _demo, maak_afspraak

KAARTNAAM = "Kaart van Nederland: de stand van de uitvoeringsafspraken per doorstroompuntregio"
TABELNAAM = "De stand van de uitvoeringsafspraak per doorstroompuntregio"
SCHERMAFDRUKKEN = os.environ.get("MONITOR_SCHERMAFDRUKKEN")  # a folder: save screenshots there to look at


@pytest.fixture
def stand(refdata, monkeypatch):
    _demo(monkeypatch)
    maak_afspraak(Doorstroompuntregio.objects.get(nummer=6), "ondertekend")
    maak_afspraak(Doorstroompuntregio.objects.get(nummer=8), "ter_ondertekening", getekend=1)


def _schermafdruk(page, naam):
    if SCHERMAFDRUKKEN:
        page.screenshot(path=os.path.join(SCHERMAFDRUKKEN, f"{naam}.png"), full_page=True)


def _past_in_de_breedte(page):
    # A wide table scrolls inside its own region; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _tab_tot(page, voorwaarde, maximaal=120):
    """Press Tab until `voorwaarde` (JavaScript on document.activeElement) holds; the number of presses."""
    for keer in range(1, maximaal + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {voorwaarde}; }})()"):
            return keer
    raise AssertionError(f"Met Tab niet bereikt: {voorwaarde}")


def test_bezoeker_bekijkt_de_monitor(page, stand):
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijke monitor"
    assert_toegankelijk(page)
    _past_in_de_breedte(page)
    _schermafdruk(page, "monitor")

    kaart = page.get_by_role("img", name=KAARTNAAM)
    assert kaart.is_visible()
    omschrijving = page.locator(f"#{kaart.get_attribute('aria-describedby')}").text_content()
    assert "1 regio ondertekend" in omschrijving and "1 regio ter ondertekening" in omschrijving
    # The same in words beside the map, and in the table.
    assert page.get_by_text(re.compile(r"^1 regio ter ondertekening: .+ \(1 van \d+ handtekeningen\)\.$")).is_visible()
    assert page.get_by_role("heading", name="Legenda").is_visible()
    legenda = page.locator("ul.monitor-legenda")
    assert legenda.get_by_role("listitem").count() == 4 and "Ondertekend (1)" in legenda.inner_text()
    tabel = page.get_by_role("table", name=TABELNAAM)
    assert tabel.locator("tbody tr").count() == 40
    assert tabel.get_by_role("rowheader").count() == 40
    assert "Ter ondertekening" in tabel.locator("tbody tr").nth(7).inner_text()

    # The keyboard reaches the scrollable table and the links in it.
    _tab_tot(page, "el.getAttribute('role') === 'region' && el.getAttribute('aria-labelledby') === 'stand-tabel-titel'")
    page.keyboard.press("Tab")
    eerste = page.evaluate("document.activeElement.textContent")
    assert eerste == Doorstroompuntregio.objects.get(nummer=1).naam
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/regios/1/$"))

    page.go_back()
    page.get_by_role("link", name="CSV-bestand").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel-bestand").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_monitor_zonder_javascript(page_zonder_js, stand):
    page = page_zonder_js
    page.goto("/monitor/")
    assert page.get_by_role("img", name=KAARTNAAM).is_visible()
    assert page.get_by_role("table", name=TABELNAAM).is_visible()
    assert_toegankelijk(page)


def test_beheerder_bekijkt_de_monitor(page, stand):
    GebruikerFactory(username="monitor-beheer", rol="beheerder")
    inloggen(page, "monitor-beheer", WACHTWOORD, tweede_factor=True)
    page.goto("/monitor/")
    page.get_by_role("link", name="monitor voor beheerders").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijke monitor voor beheerders"
    assert_toegankelijk(page)
    _past_in_de_breedte(page)
    _schermafdruk(page, "monitor-beheer")

    assert page.get_by_role("img", name=KAARTNAAM).is_visible()
    tabel = page.get_by_role("table", name=TABELNAAM)
    twente = tabel.locator("tr", has=page.get_by_role("rowheader", name="Twente"))
    assert "2. Verbeelden" in twente.inner_text()
    friesland = tabel.locator("tr", has=page.get_by_role("rowheader", name="Friesland Noord"))
    assert "gereed voor ondertekening" in friesland.inner_text()
    achterstanden = page.get_by_role("table", name=re.compile("^Meetmomenten en acties over hun datum"))
    assert achterstanden.locator("tbody tr").count() >= 1

    # By keyboard from the table to the agreement of Twente.
    _tab_tot(page, "el.textContent === 'Naar de afspraak van Twente'", maximaal=400)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/afspraken/\d+/$"))
    assert "Twente" in page.get_by_role("heading", level=1).inner_text()



def test_bezoeker_volgt_de_studentenstromen(page, stand):
    page.goto("/monitor/")
    page.get_by_role("link", name="studentenstromen tussen regio's").click()
    page.wait_for_url(re.compile(r"/monitor/stromen/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Studentenstromen tussen regio's"
    assert_toegankelijk(page)
    _past_in_de_breedte(page)
    _schermafdruk(page, "stromen")
    # The chart has a name and the same flows stand in a table beside it.
    grafiek = page.locator("svg[role='img']").first
    assert grafiek.get_attribute("aria-labelledby") or grafiek.get_attribute("aria-label")
    assert page.get_by_role("table").count() >= 2
