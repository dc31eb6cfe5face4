"""A policy officer on a phone: the demo's Achterhoek agreement, every page of it and the public pages, at 320 CSS
pixels wide (WCAG 1.4.10 Reflow). No page scrolls sideways; a wide table scrolls inside its own box, which the
keyboard can reach (WCAG 2.1.1); every page scanned with axe at that width."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Gebruiker
from afspraken import demo as afsprakendemo
from afspraken.models import Uitvoeringsafspraak
from financiering.models import Verdeelgroep
from tests.a11y import TELEFOON, assert_past_in_breedte, assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD


@pytest.fixture
def smal(chromium, live_server, refdata):
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=TELEFOON
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _past(page, pad):
    antwoord = page.goto(pad)
    assert antwoord.status == 200, pad
    assert_past_in_breedte(page)
    assert_toegankelijk(page)


def test_de_afspraak_en_de_openbare_paginas_passen_op_een_telefoon(smal, monkeypatch):
    monkeypatch.setattr(afsprakendemo, "ONDERTEKENDE_REGIOS", ())
    call_command("laad_demodata", stdout=StringIO())
    afspraak = Uitvoeringsafspraak.objects.get(regio__nummer=afsprakendemo.ACHTERHOEK)
    groep = Verdeelgroep.objects.filter(afspraak=afspraak).order_by("pk").first()
    assert groep is not None, "de demo-afspraak van de Achterhoek heeft een verdeelsleutel"
    beleidsmaker = Gebruiker.objects.get(username="demo-doetinchem")
    beleidsmaker.set_password(WACHTWOORD)
    beleidsmaker.save()

    for pad in ("/", "/regios/", f"/regios/{afsprakendemo.ACHTERHOEK}/", "/monitor/", "/bronnen/", "/inloggen/"):
        _past(smal, pad)

    inloggen(smal, "demo-doetinchem", WACHTWOORD)
    basis = f"/afspraken/{afspraak.pk}"
    paginas = ["/afspraken/", f"{basis}/"]
    paginas += [f"{basis}/fase/{fase}/" for fase in (1, 2, 3, 4)]
    paginas += [
        # A row of the verdeelsleutel open for editing: a fieldset with a table of parties.
        f"{basis}/fase/3/?bewerk=vormgeven-financiering-verdeelsleutel&rij={groep.pk}",
        f"{basis}/toetsing/", f"{basis}/aanbod/", f"{basis}/financiering/", f"{basis}/acties/",
        f"{basis}/monitoring/", f"{basis}/geschiedenis/", f"{basis}/document/", f"{basis}/ondertekening/",
    ]
    for pad in paginas:
        _past(smal, pad)

    # The wide tables did not shrink away: the history scrolls in its own box, reachable by keyboard.
    smal.goto(f"{basis}/geschiedenis/")
    kader = smal.get_by_role("region", name="Wijzigingen, nieuwste eerst")
    assert kader.evaluate("e => e.scrollWidth > e.clientWidth"), "de tabel is op 320 px breder dan haar kader"
    assert kader.evaluate("e => e.scrollLeft") == 0
    kader.focus()
    smal.keyboard.press("ArrowRight")
    smal.wait_for_function("e => e.scrollLeft > 0", arg=kader.element_handle())
