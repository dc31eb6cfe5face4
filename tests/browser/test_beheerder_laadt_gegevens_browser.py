"""A beheerder uploads a DUO file, checks the preview, confirms, and the region page changes."""

from django.conf import settings

from tests.a11y import assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory

ADRESSEN = settings.BASE_DIR / "fixtures" / "voorbeelden" / "adressen_mbo_voorbeeld.csv"


def _firda_op_regiopagina(page):
    page.goto("/regios/4/")
    rij = page.locator("tr", has=page.get_by_role("link", name="Firda", exact=True)).last
    return rij.inner_text()


def _upload_en_bevestig(page):
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gegevens laden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gegevens laden"
    assert_toegankelijk(page)
    page.get_by_label("Soort bestand").select_option("adressen_mbo")
    page.get_by_label("Bestand", exact=True).set_input_files(str(ADRESSEN))
    page.get_by_label("Peiljaar").fill("2025")
    page.get_by_role("button", name="Bestand controleren").click()

    page.get_by_role("heading", name="Wat er verandert als u bevestigt").wait_for()
    assert "Firda" in page.locator("main").inner_text()
    assert_toegankelijk(page)
    page.get_by_role("button", name="Bevestigen en laden").click()
    page.get_by_role("heading", name="Wat er is geladen").wait_for()
    assert_toegankelijk(page)


def test_beheerder_laadt_adressenbestand_met_javascript(page):
    GebruikerFactory(username="beheer", rol="beheerder")
    assert "nog niet bekend" in _firda_op_regiopagina(page)

    inloggen(page, "beheer", WACHTWOORD, tweede_factor=True)
    _upload_en_bevestig(page)

    assert "Leeuwarden" in _firda_op_regiopagina(page)
    assert_toegankelijk(page)
    page.get_by_role("link", name="Firda", exact=True).last.click()
    assert page.get_by_text("99XA").first.is_visible()


def test_beheerder_laadt_adressenbestand_zonder_javascript(page_zonder_js):
    page = page_zonder_js
    GebruikerFactory(username="beheer2", rol="beheerder")
    inloggen(page, "beheer2", WACHTWOORD, tweede_factor=True)
    _upload_en_bevestig(page)
    assert "Leeuwarden" in _firda_op_regiopagina(page)


def test_afgewezen_bestand_toont_redenen(page, tmp_path):
    GebruikerFactory(username="beheer3", rol="beheerder")
    slecht = tmp_path / "kapot.csv"
    slecht.write_text(
        "INSTELLINGSCODE;INSTELLINGSNAAM;GEMEENTENUMMER;RMC-REGIO CODE\n99XA;Firda;9999;04\n99XA;Dubbel;0080;04\n",
        encoding="utf-8",
    )
    inloggen(page, "beheer3", WACHTWOORD, tweede_factor=True)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gegevens laden").click()
    page.get_by_label("Soort bestand").select_option("adressen_mbo")
    page.get_by_label("Bestand", exact=True).set_input_files(str(slecht))
    page.get_by_label("Peiljaar").fill("2025")
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("heading", name="Het bestand is afgewezen").wait_for()
    # Each reason names its line and column: the unknown gemeente on line 2, the duplicate code on line 3.
    redenen = page.get_by_role("table", name="Redenen van afwijzing").locator("tbody tr")
    redenen.first.wait_for()
    regels = [(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()) for r in redenen.all()]
    assert ("2", "GEMEENTENUMMER") in regels
    assert ("3", "INSTELLINGSCODE") in regels
    assert_toegankelijk(page)
    assert "nog niet bekend" in _firda_op_regiopagina(page)


def test_beheerder_bekijkt_het_auditlog_en_een_fout_in_de_periode(page):
    GebruikerFactory(username="beheer", rol="beheerder")
    inloggen(page, "beheer", WACHTWOORD, tweede_factor=True)
    page.get_by_role("link", name="Auditlog").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Auditlog")
    assert_toegankelijk(page)
    # A period that ends before it starts: the error is linked to its field and the page stays accessible.
    page.get_by_label("Van", exact=True).fill("2026-11-20")
    page.get_by_label("Tot en met", exact=True).fill("2026-11-01")
    page.get_by_role("button", name="Tonen").click()
    fout = page.locator(".veld__fout").first
    assert fout.is_visible()
    assert_toegankelijk(page)
