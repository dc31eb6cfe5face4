"""A party's beleidsmaker enters the authority its signer signs on (issue 27): from step 1's parties, through the
error summary, to the phrase shown with the party; another party's beleidsmaker gets no link for it. With and
without JavaScript. Every page visited is scanned with axe."""

import re

from accounts.models import Gebruiker
from afspraken.models import Grondslag, Partij, Wijziging
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD

# The link's text, and (visually hidden) whose authority it is; Chromium may put a space before the hidden part.
OPGEVEN = re.compile(r"^Opgeven\W+bevoegdheid van de ondertekenaar van Gemeente Leeuwarden$")


def _afspraak_met_een_andere_partij():
    afspraak = maak_afspraak(4)
    leeuwarden = afspraak.partijen.get(organisatie=gemeente_organisatie("Leeuwarden"))
    andere = afspraak.partijen.exclude(pk=leeuwarden.pk).select_related("organisatie").order_by("pk").first()
    return afspraak, leeuwarden, andere


def _naar_stap_1(page, afspraak):
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    page.get_by_role("heading", level=1, name="Stap 1 van 4: Verkennen").wait_for()


def test_partij_geeft_de_bevoegdheid_van_haar_ondertekenaar_op(page):
    _geef_op(page, zonder_js=False)


def test_zonder_javascript_net_zo(page_zonder_js):
    _geef_op(page_zonder_js, zonder_js=True)


def _geef_op(page, zonder_js):
    afspraak, leeuwarden, andere = _afspraak_met_een_andere_partij()
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "lotte")

    inloggen(page, "lotte", WACHTWOORD)
    _naar_stap_1(page, afspraak)
    rij = page.locator(f"#sectie-partijen-rij-{leeuwarden.pk}")
    assert "Bevoegdheid nog niet opgegeven." in rij.inner_text()
    # Only the own party has the link; another party's row has none.
    andere_rij = page.locator(f"#sectie-partijen-rij-{andere.pk}")
    assert andere_rij.get_by_role("link", name=re.compile("^Opgeven")).count() == 0
    assert_toegankelijk(page)
    rij.get_by_role("link", name=OPGEVEN).click()
    page.get_by_role("heading", level=1, name="Bevoegdheid van de ondertekenaar van Gemeente Leeuwarden").wait_for()
    assert_toegankelijk(page)

    # A mandate without the date of its besluit: the error summary takes focus and leads to the field.
    page.get_by_label("wethouder, gemandateerd bij collegebesluit").check()
    page.get_by_role("button", name="Bevoegdheid opslaan").click()
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    assert page.title().startswith("Fout: ")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'foutsamenvatting'")
    veld = page.get_by_label("Datum van het collegebesluit")
    assert veld.get_attribute("aria-invalid") == "true"
    assert_toegankelijk(page)
    page.get_by_role("link", name=re.compile("^Datum van het collegebesluit: Vul de datum in")).click()
    if not zonder_js:
        # Following the link puts focus on the field (a plain fragment link; without scripts the browser scrolls).
        page.wait_for_function("document.activeElement && document.activeElement.id === 'id_grondslag_besluit'")
    assert Wijziging.objects.filter(afspraak=afspraak).count() == 0

    veld.fill("2026-03-03")
    page.get_by_role("button", name="Bevoegdheid opslaan").click()
    page.get_by_role("heading", level=1, name="Stap 1 van 4: Verkennen").wait_for()
    page.get_by_text("De bevoegdheid voor Gemeente Leeuwarden is opgeslagen").wait_for()
    rij = page.locator(f"#sectie-partijen-rij-{leeuwarden.pk}")
    assert "Bevoegdheid: wethouder, gemandateerd bij collegebesluit van 3 maart 2026." in rij.inner_text()
    assert rij.get_by_role("link", name=re.compile(r"^Wijzigen\W+bevoegdheid van de ondertekenaar")).count() == 1
    assert_toegankelijk(page)
    leeuwarden.refresh_from_db()
    assert leeuwarden.grondslag == Grondslag.WETHOUDER_MANDAAT


def test_beleidsmaker_van_een_andere_partij_krijgt_geen_link(page):
    afspraak, leeuwarden, andere = _afspraak_met_een_andere_partij()
    Partij.objects.filter(pk=leeuwarden.pk).update(grondslag=Grondslag.BURGEMEESTER)
    gebruiker_van(andere.organisatie, Gebruiker.Rol.BELEIDSMAKER, "ruben")

    inloggen(page, "ruben", WACHTWOORD)
    _naar_stap_1(page, afspraak)
    rij = page.locator(f"#sectie-partijen-rij-{leeuwarden.pk}")
    assert "Bevoegdheid: burgemeester, op grond van artikel 171 van de Gemeentewet." in rij.inner_text()
    assert rij.get_by_role("link", name=re.compile("bevoegdheid van de ondertekenaar")).count() == 0
    eigen = page.locator(f"#sectie-partijen-rij-{andere.pk}")
    assert eigen.get_by_role("link", name=re.compile(r"^Opgeven\W+bevoegdheid van de ondertekenaar")).count() == 1
    assert_toegankelijk(page)
    # Typing the address anyway: not found.
    antwoord = page.goto(f"/afspraken/{afspraak.pk}/partijen/{leeuwarden.pk}/bevoegdheid/")
    assert antwoord.status == 404
    assert_toegankelijk(page)
