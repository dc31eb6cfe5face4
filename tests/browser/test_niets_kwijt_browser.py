"""Nothing typed on a phase page is lost: leaving right after typing (with and without JavaScript), a form to add
a row that was filled in but not added, a session that ended while typing, errors, and deleting a row."""

import datetime
import re

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Gebruiker
from afspraken import fasen
from afspraken.models import Actie, Sectie
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD

OPGESLAGEN = re.compile(r"Opgeslagen om \d\d:\d\d")
REGIE = f'textarea[name="{fasen.REGIE}-antwoord"]'
STUDENTEN = f'textarea[name="{fasen.STUDENTEN}-antwoord"]'


def _opgeslagen(afspraak, sleutel):
    sectie = Sectie.objects.filter(afspraak=afspraak, sleutel=sleutel).first()
    return sectie.inhoud.get("antwoord") if sectie else None


def _begin(page, afspraak):
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")


def _typ_en_ga_meteen_verder(page, afspraak):
    page.locator(REGIE).fill("De contactgemeente voert de regie op de samenwerking.")
    page.locator(STUDENTEN).fill("Ongeveer 9.000 studenten uit 20 gemeenten.")
    page.get_by_role("button", name="Volgende stap: Verbeelden").click()
    page.get_by_role("heading", level=1, name="Stap 2 van 4: Verbeelden").wait_for()
    page.goto(f"/afspraken/{afspraak.pk}/fase/1/")
    assert page.locator(REGIE).input_value() == "De contactgemeente voert de regie op de samenwerking."
    assert page.locator(STUDENTEN).input_value() == "Ongeveer 9.000 studenten uit 20 gemeenten."
    assert _opgeslagen(afspraak, fasen.REGIE) == "De contactgemeente voert de regie op de samenwerking."
    assert_toegankelijk(page)


def test_typen_en_meteen_volgende_stap_bewaart_alles(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    assert_toegankelijk(page)
    _typ_en_ga_meteen_verder(page, afspraak)


def test_typen_en_meteen_volgende_stap_zonder_javascript(page_zonder_js):
    afspraak = maak_afspraak(4)
    _begin(page_zonder_js, afspraak)
    assert_toegankelijk(page_zonder_js)
    _typ_en_ga_meteen_verder(page_zonder_js, afspraak)


def test_een_link_wacht_tot_alles_is_opgeslagen(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    page.locator(REGIE).fill("Getypt en meteen weg")
    page.locator(".afspraak-nav").get_by_role("link", name="Toetsing").click()
    page.get_by_role("heading", level=1).filter(has_text="Toetsing").wait_for()
    assert _opgeslagen(afspraak, fasen.REGIE) == "Getypt en meteen weg"


def test_opslaan_tijdens_het_typen_en_de_status_wordt_gemeld(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    sectie = page.locator(f"#sectie-{fasen.REGIE}")
    page.locator(REGIE).press_sequentially("Zonder het veld te verlaten")
    sectie.get_by_role("status").filter(has_text=OPGESLAGEN).wait_for()
    assert _opgeslagen(afspraak, fasen.REGIE) == "Zonder het veld te verlaten"
    assert page.evaluate("document.activeElement.name") == f"{fasen.REGIE}-antwoord"  # focus stays while typing


def test_verlaten_met_een_niet_toegevoegde_rij_vraagt_eerst(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    nieuw = page.locator("#sectie-acties-verkennen .rij--nieuw")
    nieuw.get_by_label("Omschrijving").fill("Nog niet toegevoegd")
    vragen = []

    def weiger(dialoog):
        vragen.append(dialoog.type)
        dialoog.dismiss()

    page.on("dialog", weiger)
    page.locator(".afspraak-nav").get_by_role("link", name="Toetsing").click()
    page.wait_for_timeout(500)
    assert vragen == ["beforeunload"]
    assert page.url.endswith(f"/afspraken/{afspraak.pk}/fase/1/")
    assert nieuw.get_by_label("Omschrijving").input_value() == "Nog niet toegevoegd"
    # The page's own buttons do not ask: they save what was typed, a new row included.
    page.get_by_role("button", name="Volgende stap: Verbeelden").click()
    page.get_by_role("heading", level=1, name="Stap 2 van 4: Verbeelden").wait_for()
    assert vragen == ["beforeunload"]
    assert Actie.objects.filter(afspraak=afspraak, omschrijving="Nog niet toegevoegd").exists()


def test_verlopen_sessie_houdt_de_tekst_en_na_inloggen_werkt_opslaan(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    sectie = page.locator(f"#sectie-{fasen.REGIE}")
    page.locator(REGIE).fill("Eerste zin.")
    sectie.get_by_role("status").filter(has_text=OPGESLAGEN).wait_for()
    Session.objects.all().delete()  # the session ends (8 hours after logging in)

    page.locator(REGIE).fill("Eerste zin. Tweede zin, na het verlopen van de sessie.")
    melding = sectie.get_by_role("status").filter(has_text="u bent uitgelogd")
    melding.wait_for()
    assert page.locator(REGIE).input_value() == "Eerste zin. Tweede zin, na het verlopen van de sessie."
    assert page.get_by_role("heading", level=1).inner_text() == "Stap 1 van 4: Verkennen"
    assert_toegankelijk(page)

    # Log in again in another tab, through the link in the message.
    with page.context.expect_page() as nieuw_tabblad:
        melding.get_by_role("link", name=re.compile("Log opnieuw in")).click()
    tabblad = nieuw_tabblad.value
    tabblad.get_by_label("Gebruikersnaam").fill("anna")
    tabblad.get_by_label("Wachtwoord").fill(WACHTWOORD)
    tabblad.get_by_role("button", name="Inloggen").click()
    tabblad.get_by_role("heading", level=1, name="Stap 1 van 4: Verkennen").wait_for()  # `next` brought it back
    tabblad.close()

    # The next save works (log-in gave a new CSRF token; the page sends the current one).
    page.locator(REGIE).fill("Eerste zin. Tweede zin, na het verlopen van de sessie. Derde.")
    sectie.get_by_role("status").filter(has_text=OPGESLAGEN).wait_for()
    assert _opgeslagen(afspraak, fasen.REGIE) == "Eerste zin. Tweede zin, na het verlopen van de sessie. Derde."


def test_fouten_in_een_sectie_krijgen_een_samenvatting_met_focus(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    acties = page.locator("#sectie-acties-verkennen")
    acties.get_by_role("button", name="Actie toevoegen").click()
    samenvatting = acties.locator(".foutsamenvatting")
    samenvatting.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('foutsamenvatting')")
    assert page.title().startswith("Fout: ")
    samenvatting.get_by_role("link", name=re.compile("^Omschrijving")).click()
    assert page.evaluate("document.activeElement.name") == "acties-verkennen-nieuw-omschrijving"
    assert_toegankelijk(page)
    page.keyboard.type("Overleg plannen")
    acties.get_by_role("button", name="Actie toevoegen").click()
    acties.get_by_text("Actie toegevoegd: Overleg plannen.").wait_for()
    assert not page.title().startswith("Fout: ")


def test_fouten_zonder_javascript_openen_bij_de_sectie(page_zonder_js):
    page = page_zonder_js
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    page.locator(REGIE).fill("Bewaard ondanks de fout elders")
    page.locator("#sectie-acties-verkennen").get_by_role("button", name="Actie toevoegen").click()
    assert page.url.endswith("#fase-fouten")
    assert page.title().startswith("Fout: ")
    samenvatting = page.locator("#fase-fouten")
    assert "Acties uit verkennen: Omschrijving: Dit veld is verplicht." in samenvatting.inner_text()
    assert page.locator(REGIE).input_value() == "Bewaard ondanks de fout elders"
    assert _opgeslagen(afspraak, fasen.REGIE) == "Bewaard ondanks de fout elders"
    assert_toegankelijk(page)


def _rij_met_actie(afspraak):
    return Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen", status="open")


def test_verwijderen_vraagt_eerst_en_zet_de_focus_goed(page):
    afspraak = maak_afspraak(4)
    actie = _rij_met_actie(afspraak)
    tweede = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Tweede overleg", status="open")
    _begin(page, afspraak)
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_role("button", name=re.compile("^Verwijderen…")).click()
    vraag = rij.locator(".bevestiging")
    vraag.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('bevestiging')")
    assert_toegankelijk(page)
    rij.get_by_role("button", name="Nee, behouden").click()
    rij.get_by_role("button", name=re.compile("^Bewerken")).wait_for()
    assert Actie.objects.filter(pk=actie.pk).exists()

    rij.get_by_role("button", name=re.compile("^Verwijderen…")).click()
    rij.get_by_role("button", name="Ja, verwijderen").click()
    acties = page.locator("#sectie-acties-verkennen")
    acties.get_by_text("Actie verwijderd.").wait_for()
    assert not Actie.objects.filter(pk=actie.pk).exists() and Actie.objects.filter(pk=tweede.pk).exists()
    assert page.evaluate("document.activeElement.id") == "sectie-acties-verkennen-kop"
    assert_toegankelijk(page)


def test_verwijderen_vraagt_eerst_zonder_javascript(page_zonder_js):
    page = page_zonder_js
    afspraak = maak_afspraak(4)
    actie = _rij_met_actie(afspraak)
    _begin(page, afspraak)
    page.locator(REGIE).fill("Getypt voor het verwijderen")
    rij = page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}")
    rij.get_by_role("button", name=re.compile("^Verwijderen…")).click()
    rij.get_by_role("button", name="Ja, verwijderen").wait_for()
    assert Actie.objects.filter(pk=actie.pk).exists()
    assert_toegankelijk(page)
    page.locator(f"#sectie-acties-verkennen-rij-{actie.pk}").get_by_role("button", name="Ja, verwijderen").click()
    assert "Actie verwijderd" in page.locator(".meldingen").inner_text()
    assert not Actie.objects.filter(pk=actie.pk).exists()
    assert _opgeslagen(afspraak, fasen.REGIE) == "Getypt voor het verwijderen"


def test_waarschuwing_kort_voor_het_einde_van_de_sessie(page):
    afspraak = maak_afspraak(4)
    _begin(page, afspraak)
    assert page.locator("#sessie-melding").count() == 0
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    page.reload()
    melding = page.locator("#sessie-melding")
    melding.wait_for()
    einde = timezone.localtime(Session.objects.get().expire_date).strftime("%H:%M")
    assert melding.inner_text().startswith(f"Uw sessie eindigt om {einde}.")
    assert melding.get_attribute("role") == "alert"
    assert_toegankelijk(page)
