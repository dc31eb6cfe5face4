"""The Content-Security-Policy in Chromium: the guard of tests/browser/conftest.py sees what the policy blocks,
and Django's admin (its own templates and scripts) runs under the policy without a violation."""

from tests.browser import conftest as bewaking
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory


def test_bewaking_ziet_wat_het_beleid_blokkeert(page):
    def met_inline_script_en_stijl(route):
        antwoord = route.fetch()
        extra = '<p id="rood" style="color: red">x</p><script>window.uitgevoerd = true;</script>'
        # Same headers, so the page's own policy applies to what was added.
        route.fulfill(response=antwoord, body=antwoord.text().replace("</main>", extra + "</main>"))

    page.route("**/bronnen/", met_inline_script_en_stijl)
    page.goto("/bronnen/")
    assert page.evaluate("window.uitgevoerd") is None
    assert page.evaluate("getComputedStyle(document.getElementById('rood')).color") != "rgb(255, 0, 0)"
    bewaking._spoel(page.context)
    richtlijnen = {s.get("richtlijn") for s in bewaking._SCHENDINGEN}
    assert {"script-src-elem", "style-src-attr"} <= richtlijnen
    assert any("console" in s for s in bewaking._SCHENDINGEN)
    # Caused on purpose: the autouse guard checks that nothing else was blocked in this test.
    bewaking._SCHENDINGEN.clear()
    page.unroute("**/bronnen/")
    page.goto("/bronnen/")
    assert page.locator("#rood").count() == 0


def test_admin_werkt_onder_het_beleid(page):
    GebruikerFactory(username="beheer-csp", rol="beheerder")
    inloggen(page, "beheer-csp", WACHTWOORD, tweede_factor=True)
    page.get_by_role("link", name="Inloggen").wait_for(state="detached")
    page.goto("/admin/regio/doorstroompuntregio/")
    page.locator("tr", has_text="Friesland Noord").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Opslaan", exact=True).wait_for()
    # The admin's own scripts run: its navigation sidebar opens and closes with the toggle button.
    knop = page.locator("#toggle-nav-sidebar")
    zijbalk = page.locator("#nav-sidebar")
    zichtbaar = zijbalk.is_visible()
    knop.click()
    assert zijbalk.is_visible() != zichtbaar
