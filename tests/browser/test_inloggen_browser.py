from tests.a11y import assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory


def test_inloggen_met_toetsenbord_en_scan(page):
    GebruikerFactory(username="fleur", first_name="Fleur", last_name="Demo")
    page.goto("/inloggen/")
    assert_toegankelijk(page)
    # Keyboard only: the skip link comes first, then the form is reachable and submittable.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.get_by_label("Gebruikersnaam").fill("fleur")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_label("Wachtwoord").press("Enter")
    assert page.get_by_role("alert").is_visible()
    assert_toegankelijk(page)
    inloggen(page, "fleur", WACHTWOORD)
    assert page.get_by_text("Fleur Demo").is_visible()
    assert_toegankelijk(page)
