"""How a bestuurder gets in, in Chromium: a beleidsmaker of the gemeente invites them, they open the link from the
e-mail, choose their own password, enrol a second factor and sign the agreement. 'Wachtwoord vergeten' the same way.
Every page visited is scanned with axe."""

import re
from urllib.parse import urlsplit

from django.core import mail

from accounts.models import Gebruiker
from afspraken.models import Ondertekening, Partij
from tests.a11y import assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.browser.test_ondertekening_browser import DEMO_BELEID, LANG
from tests.factories import GebruikerFactory
from tests.ondertekening_helpers import klaar_voor_ondertekening
from tests.otp_helpers import tweede_factor_in_browser

EIGEN = "Terpenland-Wad-Kwelder-2026"
ADRES = "wieke.wethouder@leeuwarden.example"


def _link(onderwerp, patroon):
    bericht = next(m for m in reversed(mail.outbox) if onderwerp in m.subject)
    return urlsplit(re.search(patroon, bericht.body).group(0)).path


def _uitnodigen(page):
    # The gemeente's own e-mail domain: an invitation to an address in it leaves at once (issue 26, item 2).
    organisatie = Gebruiker.objects.get(username=DEMO_BELEID[0]).organisatie
    organisatie.email_domeinen = ["leeuwarden.example"]
    organisatie.save(update_fields=["email_domeinen"])
    inloggen(page, *DEMO_BELEID)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitnodigingen").click()
    page.get_by_role("heading", name="Uitnodigingen", level=1).wait_for()
    assert_toegankelijk(page)
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_role("heading", name="Iemand uitnodigen").wait_for()
    assert_toegankelijk(page)
    # Sent empty: the summary of errors, each linked to its field.
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_role("alert").wait_for()
    assert page.title().startswith("Fout:")
    assert page.get_by_label("Voornaam").get_attribute("aria-invalid") == "true"
    assert_toegankelijk(page)
    page.get_by_label("Voornaam").fill("Wieke")
    page.get_by_label("Achternaam").fill("Wethouder")
    page.get_by_label("E-mailadres").fill(ADRES)
    page.get_by_label("Bestuurder").check()
    page.get_by_label("Functie").fill("wethouder onderwijs en jeugd")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text(f"De uitnodiging is verstuurd naar {ADRES}").wait_for()
    assert page.get_by_role("row", name=re.compile("Wieke Wethouder")).get_by_text("Open, geldig tot").is_visible()
    assert_toegankelijk(page)


def test_uitgenodigde_bestuurder_kiest_wachtwoord_stelt_tweede_factor_in_en_tekent(page, chromium, live_server):
    afspraak = klaar_voor_ondertekening()
    _uitnodigen(page)
    wieke = Gebruiker.objects.get(email=ADRES)
    assert not wieke.has_usable_password()
    # The beleidsmakers choose her as the gemeente's signatory (the party form is tested elsewhere), and offer it.
    Partij.objects.filter(afspraak=afspraak, organisatie=wieke.organisatie).update(bestuurder=wieke)
    page.goto(f"/afspraken/{afspraak.pk}/ondertekening/")
    page.get_by_role("button", name="Aanbieden ter ondertekening").click(timeout=LANG)
    page.get_by_text("De uitvoeringsafspraak ligt ter ondertekening").wait_for(timeout=LANG)

    # Wieke, in her own browser, with the link from her e-mail.
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    pagina = context.new_page()
    link = _link("Uitnodiging", r"http://\S+/uitnodiging/\S+/")
    pagina.goto(link)
    pagina.get_by_role("heading", name="Kies uw wachtwoord").wait_for()
    assert "/uitnodiging/wachtwoord-kiezen/" in pagina.url  # the key is gone from the address bar
    assert ADRES in pagina.locator("main").inner_text()
    assert_toegankelijk(pagina)
    pagina.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    pagina.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    pagina.get_by_role("button", name="Wachtwoord instellen").click()
    pagina.get_by_role("alert").wait_for()
    assert "te kort" in pagina.get_by_role("alert").inner_text()
    assert_toegankelijk(pagina)
    pagina.get_by_label("Nieuw wachtwoord", exact=True).fill(EIGEN)
    pagina.get_by_label("Nieuw wachtwoord bevestigen").fill(EIGEN)
    pagina.get_by_role("button", name="Wachtwoord instellen").click()

    # A bestuurder: the second factor before anything else.
    pagina.get_by_role("heading", name="Tweede factor instellen").wait_for()
    assert_toegankelijk(pagina)
    pagina.goto("/afspraken/")
    pagina.get_by_role("heading", name="Tweede factor instellen").wait_for()
    tweede_factor_in_browser(pagina, live_server.url, wieke)
    assert_toegankelijk(pagina)
    # On to the page she asked for before enrolling.
    pagina.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    pagina.get_by_role("heading", name="Te ondertekenen").wait_for()
    pagina.get_by_role("link", name="Mijn account").click()
    pagina.get_by_role("heading", name="Mijn account").wait_for()
    assert "Ingesteld: uw authenticator-app is gekoppeld" in pagina.locator("main").inner_text()
    assert_toegankelijk(pagina)

    # And she signs.
    pagina.goto("/afspraken/")
    pagina.get_by_role("heading", name="Te ondertekenen").wait_for()
    pagina.get_by_role("link", name=afspraak.titel).first.click()
    pagina.get_by_role("heading", name="1. Lees het document").wait_for()
    assert_toegankelijk(pagina)
    # Her name comes from her account; she types none.
    wieke.refresh_from_db()
    assert f"U tekent als {wieke.get_full_name()}" in pagina.get_by_text("U tekent als").inner_text()
    pagina.get_by_label("Ik heb het document gelezen").check()
    pagina.get_by_role("button", name="Ondertekenen namens").click(timeout=LANG)
    pagina.get_by_text("U heeft ondertekend namens").wait_for(timeout=LANG)
    assert_toegankelijk(pagina)
    handtekening = Ondertekening.objects.get(afspraak=afspraak, gebruiker=wieke, besluit="getekend")
    assert handtekening.naam == wieke.get_full_name() and handtekening.functie == wieke.functie

    # The link worked once.
    pagina.goto(link)
    pagina.get_by_role("heading", name="Deze link is al gebruikt").wait_for()
    assert_toegankelijk(pagina)
    context.close()

    # The beleidsmaker sees it accepted.
    page.goto("/uitnodigingen/")
    assert page.get_by_role("row", name=re.compile("Wieke Wethouder")).get_by_text("Geaccepteerd op").is_visible()


def test_wachtwoord_vergeten_en_zelf_een_nieuw_kiezen(page):
    GebruikerFactory(username="vergeten-browser", first_name="Vera", last_name="Vergeten")
    page.goto("/inloggen/")
    page.get_by_role("link", name="Vraag een link aan om een nieuw wachtwoord te kiezen").click()
    page.get_by_role("heading", name="Wachtwoord vergeten").wait_for()
    assert_toegankelijk(page)
    page.get_by_label("E-mailadres").fill("vergeten-browser@example.org")
    page.get_by_role("button", name="Link versturen").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert_toegankelijk(page)

    page.goto(_link("nieuw wachtwoord", r"http://\S+/wachtwoord-vergeten/\S+/"))
    page.get_by_role("heading", name="Kies een nieuw wachtwoord").wait_for()
    assert_toegankelijk(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(EIGEN)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(EIGEN)
    page.get_by_role("button", name="Wachtwoord instellen").click()
    page.get_by_role("heading", name="Uw nieuwe wachtwoord is ingesteld").wait_for()
    assert_toegankelijk(page)

    inloggen(page, "vergeten-browser", EIGEN)
    page.get_by_role("link", name="Mijn account").click()
    page.get_by_role("heading", name="Mijn account").wait_for()
    assert_toegankelijk(page)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_role("heading", name="Wachtwoord wijzigen").wait_for()
    assert_toegankelijk(page)
