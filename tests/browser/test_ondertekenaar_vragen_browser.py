"""A beleidsmaker asks a party for its signer from the toetsing page; the party's beleidsmaker gets the e-mail, opens
its link and invites their bestuurder, which waits for a beheerder's approval while the organisation has no e-mail
domain (issue 26, items 2, 3 and 10). Every page visited is scanned with axe."""

import re
from urllib.parse import urlsplit

from django.core import mail

from accounts.models import Gebruiker, Uitnodiging
from afspraken.models import Ondertekenaarsverzoek, Partij
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD


def test_beleidsmaker_vraagt_een_partij_om_haar_ondertekenaar(page, chromium, live_server):
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "anna")
    partij = Partij.objects.select_related("organisatie").filter(
        afspraak=afspraak, organisatie__gemeente__isnull=False
    ).exclude(organisatie=gemeente_organisatie("Leeuwarden")).order_by("organisatie__naam").first()
    contact = gebruiker_van(partij.organisatie, Gebruiker.Rol.BELEIDSMAKER, "bram")
    contact.email = "bram@voorbeeld.example"
    contact.save(update_fields=["email"])

    inloggen(page, "anna", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/toetsing/")
    page.get_by_role("heading", name="Toetsing aan de twaalf basisafspraken").wait_for()
    assert "Nog zonder ondertekenaar met een account" in page.locator("main").inner_text()
    assert_toegankelijk(page)
    page.get_by_role("button", name=f"Vraag om een ondertekenaar bij {partij.organisatie.naam}").click()
    page.get_by_text(f"Gevraagd wie namens {partij.organisatie.naam} tekent").wait_for()
    assert page.get_by_text(re.compile("Om een ondertekenaar gevraagd op")).first.is_visible()
    assert_toegankelijk(page)
    assert Ondertekenaarsverzoek.objects.filter(partij=partij).count() == 1

    # The party's beleidsmaker follows the link in the e-mail and invites the bestuurder.
    bericht = next(m for m in mail.outbox if m.to == ["bram@voorbeeld.example"])
    assert bericht.subject.startswith(f"Wie tekent namens {partij.organisatie}?")
    link = urlsplit(re.search(r"https?://\S+/uitnodigingen/nieuw/\S+", bericht.body).group(0))
    bram = chromium.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    inloggen(bram, "bram", WACHTWOORD)
    bram.goto(f"{link.path}?{link.query}")
    bram.get_by_role("heading", name="Iemand uitnodigen").wait_for()
    assert bram.get_by_label("Bestuurder").is_checked()
    assert_toegankelijk(bram)
    bram.get_by_label("Voornaam").fill("Dirk")
    bram.get_by_label("Achternaam").fill("Dijkgraaf")
    bram.get_by_label("E-mailadres").fill("dirk@voorbeeld.example")
    bram.get_by_label("Functie").fill("burgemeester")
    bram.get_by_role("button", name="Uitnodiging versturen").click()
    bram.get_by_role("heading", name="Uitnodigingen", level=1).wait_for()
    assert "goedkeuring" in bram.locator("main").inner_text()
    assert_toegankelijk(bram)
    uitnodiging = Uitnodiging.objects.get(gebruiker__email="dirk@voorbeeld.example")
    assert uitnodiging.gebruiker.organisatie_id == partij.organisatie_id
    assert uitnodiging.gebruiker.rol == Gebruiker.Rol.BESTUURDER
    assert not any(m.to == ["dirk@voorbeeld.example"] for m in mail.outbox)  # held until a beheerder approves
    bram.context.close()
