"""A beleidsmaker adds partners in the party form (a near duplicate refused, the existing one chosen instead); a
beheerder confirms the new organisation."""

import re

from accounts.models import Gebruiker
from afspraken.models import VoorgesteldeOrganisatie
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory


def test_partner_toevoegen_en_bevestigen(page, chromium, live_server):
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    partijen = page.locator("#sectie-partijen")
    partijen.get_by_role("button", name="Partij toevoegen…").click()
    naam = partijen.get_by_label("Of: naam van een nieuwe partnerorganisatie")
    naam.wait_for()
    assert_toegankelijk(page)

    # A near duplicate of Gemeente Amsterdam: refused, with Gemeente Amsterdam offered below the name.
    naam.fill("Gem. Amsterdam")
    partijen.get_by_role("button", name="Partij toevoegen", exact=True).click()
    melding = page.locator("#sectie-partijen-nieuw-fouten")
    melding.wait_for()
    assert "Er bestaat al een organisatie met (bijna) deze naam: ‘Gemeente Amsterdam’." in melding.inner_text()
    assert naam.input_value() == "Gem. Amsterdam"
    assert_toegankelijk(page)
    partijen.get_by_role("radio", name="Gemeente Amsterdam").check()
    partijen.get_by_role("button", name="Partij toevoegen", exact=True).click()
    partijen.get_by_text("Partij toegevoegd: Gemeente Amsterdam.").wait_for()
    assert not VoorgesteldeOrganisatie.objects.exists()

    # A new one (the form to add is open again after an addition): proposed in this agreement, shown as not
    # confirmed yet.
    partijen.get_by_label("Of: naam van een nieuwe partnerorganisatie").fill("Buurtzorg Kwartelkoning")
    partijen.get_by_role("button", name="Partij toevoegen", exact=True).click()
    partijen.get_by_text("Partij toegevoegd: Buurtzorg Kwartelkoning.").wait_for()
    assert "nieuwe organisatie, nog niet bevestigd" in partijen.inner_text()
    assert_toegankelijk(page)

    # The beheerder confirms it.
    GebruikerFactory(username="beheer-org", rol=Gebruiker.Rol.BEHEERDER)
    beheer = chromium.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    inloggen(beheer, "beheer-org", WACHTWOORD, tweede_factor=True)
    beheer.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisaties").click()
    assert beheer.get_by_role("heading", level=1).inner_text() == "Voorgestelde organisaties"
    assert "Regio 4 Friesland Noord" in beheer.locator("main").inner_text()
    assert_toegankelijk(beheer)
    beheer.get_by_role("link", name=re.compile("Beoordelen")).click()
    assert_toegankelijk(beheer)
    # Without a choice: the error summary, the title says so.
    beheer.get_by_role("button", name="Besluit uitvoeren").click()
    beheer.get_by_text("Kies wat u met deze organisatie doet.").first.wait_for()
    assert beheer.title().startswith("Fout:")
    assert_toegankelijk(beheer)
    beheer.get_by_role("radio", name=re.compile("^Bevestigen")).check()
    beheer.get_by_role("button", name="Besluit uitvoeren").click()
    beheer.get_by_text("Buurtzorg Kwartelkoning is bevestigd").wait_for()
    assert "Er zijn geen voorgestelde organisaties om te beoordelen." in beheer.locator("main").inner_text()
    assert_toegankelijk(beheer)
    assert not VoorgesteldeOrganisatie.objects.exists()
    beheer.context.close()
