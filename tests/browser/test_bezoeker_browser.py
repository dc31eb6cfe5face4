"""An anonymous visitor browses the regions, a gemeente, an instelling and the sources."""

from tests.a11y import assert_toegankelijk


def test_bezoeker_bladert_door_regios(page):
    page.goto("/")
    assert_toegankelijk(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Uitvoeringsafspraken zorg & welzijn mbo"

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regio's").click()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("tbody tr").count() >= 40
    assert_toegankelijk(page)

    page.get_by_role("link", name="Twente", exact=True).first.click()
    assert "Twente" in page.get_by_role("heading", level=1).inner_text()
    kaart = page.get_by_role("img", name="Kaart van Nederland met regio Twente gemarkeerd")
    assert kaart.is_visible()
    assert "Bron: CBS, PDOK" in page.locator("figure", has=kaart).inner_text()
    assert_toegankelijk(page)

    page.get_by_role("link", name="Enschede").first.click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Enschede")
    assert_toegankelijk(page)

    page.go_back()
    page.get_by_role("link", name="ROC van Twente").first.click()
    assert "ROC van Twente" in page.get_by_role("heading", level=1).inner_text()
    assert_toegankelijk(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bronnen").click()
    assert page.get_by_text("gereconstrueerd", exact=False).first.is_visible()
    assert_toegankelijk(page)


def test_beheerpagina_niet_voor_bezoekers(page):
    page.goto("/beheer/gegevens/")
    # Anonymous visitors are sent to the log-in page, which says what to do.
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"
    assert_toegankelijk(page)
