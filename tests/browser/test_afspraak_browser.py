"""Beleidsmakers write an agreement in the browser: start, autosave, rows in place, a refused conflict."""

import re

from accounts.models import Gebruiker
from afspraken.models import Actie, Uitvoeringsafspraak
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
    # The row is shown as text; "Bewerken" opens its form in place and puts focus on its first field.
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    assert rij.get_by_label("Status").count() == 0
    rij.get_by_role("button", name=re.compile("^Bewerken")).click()
    rij.get_by_label("Status").wait_for()
    assert page.evaluate("document.activeElement.name") == f"acties-verkennen-{actie.pk}-omschrijving"
    assert_toegankelijk(page)
    rij.get_by_label("Status").select_option("bezig")
    rij.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d")).wait_for()
    actie.refresh_from_db()
    assert actie.status == "bezig" and actie.versie == 2
    # "Opslaan en sluiten" shows the row as text again, focus on its edit link.
    rij.get_by_role("button", name=re.compile("^Opslaan en sluiten")).click()
    rij.get_by_role("button", name=re.compile("^Bewerken")).wait_for()
    assert rij.get_by_label("Status").count() == 0
    assert "Bezig" in rij.inner_text()
    assert page.evaluate("document.activeElement.textContent").startswith("Bewerken")
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
    from accounts.models import Organisatie

    gebruiker_van(Organisatie.objects.get(naam="Firda"), Gebruiker.Rol.BELEIDSMAKER, "bram")
    # Both open the same page.
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    tweede = chromium.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    inloggen(tweede, "bram", WACHTWOORD)
    tweede.goto(f"/afspraken/{afspraak.pk}/fase/1/")

    veld = f"#sectie-acties-verkennen-rij-{actie.pk}"
    for p in (page, tweede):
        p.locator(veld).get_by_role("button", name=re.compile("^Bewerken")).click()
        p.locator(veld).get_by_label("Omschrijving").wait_for()
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
    actie = Actie.objects.get(afspraak=afspraak)
    assert actie.omschrijving == "Zonder JavaScript"
    assert "Zonder JavaScript" in page.locator("#sectie-acties-verkennen").inner_text()
    # Editing a row without JavaScript: the link opens the page with that row's form, saving goes back to it.
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_role("button", name=re.compile("^Bewerken")).click()
    assert "bewerk=acties-verkennen" in page.url
    rij.get_by_label("Omschrijving").fill("Zonder JavaScript bijgewerkt")
    assert_toegankelijk(page)
    rij.get_by_role("button", name=re.compile("^Opslaan en sluiten")).click()
    assert page.url.endswith(f"#sectie-acties-verkennen-rij-{actie.pk}") and "bewerk=" not in page.url
    assert rij.get_by_label("Omschrijving").count() == 0
    assert "Zonder JavaScript bijgewerkt" in rij.inner_text()
    actie.refresh_from_db()
    assert actie.omschrijving == "Zonder JavaScript bijgewerkt" and actie.versie == 2
    # The section has a row: the form to add another opens through a link, on the same page.
    acties = page.locator("#sectie-acties-verkennen")
    assert acties.get_by_label("Omschrijving").count() == 0
    acties.get_by_role("button", name="Actie toevoegen…").click()
    assert "nieuw=acties-verkennen" in page.url
    assert_toegankelijk(page)
    acties.get_by_label("Omschrijving").fill("Tweede zonder JavaScript")
    acties.get_by_role("button", name="Actie toevoegen").click()
    assert Actie.objects.filter(afspraak=afspraak, omschrijving="Tweede zonder JavaScript").exists()


def test_formulier_om_toe_te_voegen_opent_op_zijn_plek(page):
    """In a section with rows the form to add one opens in place (htmx), with focus on its first field, and
    stays open after an addition for the next one."""
    afspraak = maak_afspraak(4)
    Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Eerste overleg", status="open")
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    acties = page.locator("#sectie-acties-verkennen")
    assert acties.get_by_label("Omschrijving").count() == 0
    link = acties.get_by_role("button", name="Actie toevoegen…")
    link.focus()
    page.keyboard.press("Enter")
    acties.get_by_label("Omschrijving").wait_for()
    assert "nieuw=" not in page.url  # fetched in place
    assert page.evaluate("document.activeElement.name") == "acties-verkennen-nieuw-omschrijving"
    assert_toegankelijk(page)
    page.keyboard.type("Tweede overleg")
    acties.get_by_role("button", name="Actie toevoegen").click()
    acties.get_by_text("Actie toegevoegd: Tweede overleg.").wait_for()
    assert acties.get_by_label("Omschrijving").input_value() == ""  # open and empty for the next one
    assert Actie.objects.filter(afspraak=afspraak).count() == 2


def test_geweigerde_opslag_wordt_gemeld_en_invoer_blijft_staan(page):
    """A save refused because the agreement is no longer a concept shows why, and keeps what was typed."""
    afspraak = maak_afspraak(4)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen")
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_role("button", name=re.compile("^Bewerken")).click()
    rij.get_by_label("Omschrijving").wait_for()
    # Meanwhile someone marks it ready for signing.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    rij.get_by_label("Omschrijving").fill("Overleg plannen met de wethouders")
    rij.get_by_label("Status").select_option("bezig")
    rij.get_by_role("status").filter(has_text="Niet opgeslagen").wait_for()
    assert "kan niet meer worden gewijzigd" in rij.get_by_role("status").inner_text()
    assert rij.get_by_label("Omschrijving").input_value() == "Overleg plannen met de wethouders"
    actie.refresh_from_db()
    assert actie.omschrijving == "Overleg plannen"
    assert_toegankelijk(page)
