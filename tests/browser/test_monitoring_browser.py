"""Monitoring in Chromium: a party's beleidsmaker enters a meting with the keyboard only, sees the error of an
empty value tied to its field, then the saved meting in the table and the chart; every state scanned with axe."""

import datetime
from decimal import Decimal

from accounts.models import Gebruiker
from afspraken.models import Actie, Ambitie, Indicator, Meting, Uitvoeringsafspraak
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory


def _ondertekende_afspraak():
    afspraak = maak_afspraak(4)
    ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="Snelle hulp voor elke student")
    indicator = Indicator.objects.create(
        afspraak=afspraak, ambitie=ambitie, naam="Wachttijd tot eerste gesprek", eenheid="dagen",
        nulmeting=Decimal("21"), streefwaarde=Decimal("7"), meetmoment=datetime.date(2026, 3, 1),
        meetfrequentie="jaarlijks", bron="Registratie mbo-instelling",
    )
    Actie.objects.create(
        afspraak=afspraak, fase=4, omschrijving="Gezamenlijke intake inrichten", deadline=datetime.date(2026, 6, 1),
        eigenaar=afspraak.partijen.order_by("pk").first(),
    )
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ondertekend")
    return afspraak, indicator


def test_meting_invoeren_met_het_toetsenbord(page):
    afspraak, indicator = _ondertekende_afspraak()
    gebruiker = GebruikerFactory(
        username="meet-browser", organisatie=gemeente_organisatie("Leeuwarden"), rol=Gebruiker.Rol.BELEIDSMAKER
    )
    inloggen(page, gebruiker.username, WACHTWOORD)
    page.goto("/afspraken/")
    page.get_by_role("heading", name="Achterstallig").wait_for()  # the agreements list shows what is overdue
    page.get_by_role("link", name="Wachttijd tot eerste gesprek").first.click()
    page.get_by_role("heading", name="Monitoring", exact=True).wait_for()
    assert_toegankelijk(page)

    # An empty value: Enter in the field submits the form; the error is announced and tied to the field.
    waarde = page.get_by_label("Gemeten waarde")
    waarde.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Er is een probleem").wait_for()
    fout = page.locator(f"#id_indicator-{indicator.pk}-waarde_error")
    assert "Vul de gemeten waarde in." in fout.inner_text()
    veld = page.get_by_label("Gemeten waarde")
    assert veld.get_attribute("aria-invalid") == "true"
    assert f"id_indicator-{indicator.pk}-waarde_error" in veld.get_attribute("aria-describedby")
    assert_toegankelijk(page)
    assert not Meting.objects.exists()

    # The link in the error summary leads to the field; type the value and save with the keyboard.
    page.get_by_role("link", name="Gemeten waarde: Vul de gemeten waarde in.").press("Enter")
    veld.focus()
    page.keyboard.type("18,5")
    page.keyboard.press("Tab")  # "Gemeten op" already holds today; a date field has its own segments to tab past
    assert page.evaluate("document.activeElement.id") == f"id_indicator-{indicator.pk}-gemeten_op"
    page.get_by_label("Bron").focus()
    page.keyboard.press("End")
    page.keyboard.type(" (telling maart)")
    page.get_by_role("button", name="Meting opslaan voor Wachttijd tot eerste gesprek").focus()
    page.keyboard.press("Enter")
    page.get_by_text("De meting van Wachttijd tot eerste gesprek voor 1 maart 2026 is opgeslagen.").wait_for()

    meting = Meting.objects.get()
    assert meting.waarde == Decimal("18.5") and meting.meetmoment == datetime.date(2026, 3, 1)
    assert meting.bron == "Registratie mbo-instelling (telling maart)"
    tabel = page.get_by_role("table", name="Verloop van Wachttijd tot eerste gesprek in cijfers")
    assert "18,5" in tabel.inner_text()
    grafiek = page.get_by_role("img", name="Verloop van Wachttijd tot eerste gesprek")
    assert "18,5" in grafiek.inner_html()
    assert_toegankelijk(page)
