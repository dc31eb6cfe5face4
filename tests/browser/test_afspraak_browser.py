"""Beleidsmakers write an agreement in the browser: start, autosave, rows in place, a refused conflict."""

import re

from afspraken.models import Actie, Uitvoeringsafspraak
from regio.models import Gebruiker
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD


def test_beleidsmaker_start_afspraak_en_werkt_acties_bij(page):
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afspraken").click()
    assert_toegankelijk(page)
    page.get_by_role("link", name="Start de uitvoeringsafspraak voor Friesland Noord").click()
    assert_toegankelijk(page)
    # The proposal is pre-checked: the contactgemeente, the region's gemeenten and Firda.
    assert page.get_by_role("checkbox", name=re.compile("^Gemeente Leeuwarden")).is_checked()
    assert page.get_by_role("checkbox", name=re.compile("^Firda")).is_checked()
    page.get_by_role("button", name="Uitvoeringsafspraak starten").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Stap 1 van 4: Verkennen"
    assert page.title().startswith("Stap 1 van 4: Verkennen")
    assert_toegankelijk(page)

    # Add an action in place (htmx), then change its status: it saves on its own when the field changes.
    acties = page.locator("#sectie-acties-verkennen")
    acties.get_by_label("Omschrijving").fill("Bestuurlijk overleg plannen")
    acties.get_by_role("button", name="Actie toevoegen").click()
    acties.get_by_text("Actie toegevoegd: Bestuurlijk overleg plannen.").wait_for()
    afspraak = Uitvoeringsafspraak.objects.get(regio__nummer=4)
    actie = Actie.objects.get(afspraak=afspraak)
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_label("Status").select_option("bezig")
    rij.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d")).wait_for()
    actie.refresh_from_db()
    assert actie.status == "bezig" and actie.versie == 2
    assert_toegankelijk(page)

    page.get_by_role("link", name="Actiepunten").click()
    assert "Bestuurlijk overleg plannen" in page.locator("main").inner_text()
    assert_toegankelijk(page)
    page.get_by_role("link", name="Geschiedenis").click()
    assert "Bezig" in page.locator("main").inner_text()
    assert_toegankelijk(page)


def test_conflicterende_opslag_wordt_geweigerd(page, chromium, live_server):
    afspraak = maak_afspraak(4)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen")
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    from regio.models import Organisatie

    gebruiker_van(Organisatie.objects.get(naam="Firda"), Gebruiker.Rol.BELEIDSMAKER, "bram")
    # Both open the same page.
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    tweede = chromium.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    inloggen(tweede, "bram", WACHTWOORD)
    tweede.goto(f"/afspraken/{afspraak.pk}/fase/1/")

    veld = f"#sectie-acties-verkennen-rij-{actie.pk}"
    page.locator(veld).get_by_label("Omschrijving").fill("Overleg plannen met de GGD")
    page.locator(veld).get_by_role("button", name=re.compile("^Opslaan")).click()
    page.locator(veld).get_by_text(re.compile("Opgeslagen om")).wait_for()

    tweede.locator(veld).get_by_label("Omschrijving").fill("Overleg afzeggen")
    tweede.locator(veld).get_by_role("button", name=re.compile("^Opslaan")).click()
    melding = tweede.get_by_role("alert")
    melding.wait_for()
    assert "Niet opgeslagen" in melding.inner_text()
    assert "Overleg plannen met de GGD" in melding.inner_text()
    assert tweede.locator(veld).get_by_label("Omschrijving").input_value() == "Overleg afzeggen"
    assert_toegankelijk(tweede)
    actie.refresh_from_db()
    assert actie.omschrijving == "Overleg plannen met de GGD"
    tweede.context.close()


def test_sectie_zonder_javascript(page_zonder_js):
    page = page_zonder_js
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    acties = page.locator("#sectie-acties-verkennen")
    acties.get_by_label("Deadline").fill("2026-12-15")
    acties.get_by_role("button", name="Actie toevoegen").click()
    # A plain POST: the page comes back (422) with the error next to the field and the input kept.
    fout = page.locator("#sectie-acties-verkennen").locator(".veld__fout")
    assert "Dit veld is verplicht" in fout.first.inner_text()
    assert page.locator("#sectie-acties-verkennen").get_by_label("Deadline").input_value() == "2026-12-15"
    assert not Actie.objects.filter(afspraak=afspraak).exists()
    assert_toegankelijk(page)
    page.locator("#sectie-acties-verkennen").get_by_label("Omschrijving").fill("Zonder JavaScript")
    page.locator("#sectie-acties-verkennen").get_by_role("button", name="Actie toevoegen").click()
    assert page.url.endswith("#sectie-acties-verkennen")
    assert Actie.objects.get(afspraak=afspraak).omschrijving == "Zonder JavaScript"
    assert "Zonder JavaScript" in page.locator("#sectie-acties-verkennen").inner_text()


def test_geweigerde_opslag_wordt_gemeld_en_invoer_blijft_staan(page):
    """A save refused because the agreement is no longer a concept shows why, and keeps what was typed."""
    afspraak = maak_afspraak(4)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen")
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    # Meanwhile someone marks it ready for signing.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_label("Omschrijving").fill("Overleg plannen met de wethouders")
    rij.get_by_label("Status").select_option("bezig")
    rij.get_by_role("status").filter(has_text="Niet opgeslagen").wait_for()
    assert "kan niet meer worden gewijzigd" in rij.get_by_role("status").inner_text()
    assert rij.get_by_label("Omschrijving").input_value() == "Overleg plannen met de wethouders"
    actie.refresh_from_db()
    assert actie.omschrijving == "Overleg plannen"
    assert_toegankelijk(page)
