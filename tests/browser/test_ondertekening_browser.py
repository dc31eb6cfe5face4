"""The whole signing journey in Chromium: offer, two bestuurders enrol a second factor and sign, the sealed
PDF downloads and is verified on the public page. And one bestuurder declining. The second signer and the one
who declines do it on a phone (320 px wide): enrolment, the list, the signing page and its error fit the screen.

The other parties of the demo agreement sign through the service layer first, so that the two in the
browser are the last: the second one's signature triggers the sealing.
"""

from afspraken import ondertekening as dienst
from afspraken.demo import DEMO_BESTUURDERS_WACHTWOORD
from afspraken.models import Document, Uitvoeringsafspraak
from tests.a11y import TELEFOON, assert_past_in_breedte, assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.ondertekening_helpers import bestuurders, klaar_voor_ondertekening
from tests.otp_helpers import tweede_factor_in_browser

DEMO_BELEID = ("demo-gemeente", "Kanaal-Tulp-Fiets-2026")
LANG = 90_000  # rendering and sealing a 30-page PDF happens inside these requests (inline tasks)


def _aanbieden(page, afspraak):
    inloggen(page, *DEMO_BELEID)
    page.goto(f"/afspraken/{afspraak.pk}/ondertekening/")
    page.get_by_role("heading", name="Aanbieden ter ondertekening").wait_for()
    assert_toegankelijk(page)
    page.get_by_role("button", name="Aanbieden ter ondertekening").click(timeout=LANG)
    page.get_by_text("De uitvoeringsafspraak ligt ter ondertekening").wait_for(timeout=LANG)
    page.get_by_role("heading", name="Document ter ondertekening").wait_for()
    assert_toegankelijk(page)


def _als_bestuurder(chromium, live_server, bestuurder, telefoon=False):
    opties = {"viewport": TELEFOON} if telefoon else {}
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam", **opties)
    context.set_default_timeout(15_000)
    pagina = context.new_page()
    inloggen(pagina, bestuurder.username, DEMO_BESTUURDERS_WACHTWOORD)
    # First log-in of a bestuurder: straight to enrolment of the second factor.
    pagina.get_by_role("heading", name="Tweede factor instellen").wait_for()
    if telefoon:
        assert_past_in_breedte(pagina)
    tweede_factor_in_browser(pagina, live_server.url, bestuurder)
    return context, pagina


def test_twee_bestuurders_tekenen_en_het_verzegelde_document_is_echt(page, chromium, live_server):
    afspraak = klaar_voor_ondertekening()
    _aanbieden(page, afspraak)
    document = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    alle = bestuurders(afspraak)
    eerste, tweede = [b for b in alle if b.username.startswith("demo-fn-bestuurder-")][-2:]
    anderen = [b for b in alle if b not in (eerste, tweede)]
    for bestuurder in anderen:
        dienst.onderteken(afspraak, bestuurder, document_sha256=document.sha256)

    for bestuurder in (eerste, tweede):
        telefoon = bestuurder == tweede
        context, pagina = _als_bestuurder(chromium, live_server, bestuurder, telefoon=telefoon)
        pagina.goto("/afspraken/")
        pagina.get_by_role("heading", name="Te ondertekenen").wait_for()
        if telefoon:
            assert_past_in_breedte(pagina)
        pagina.get_by_role("link", name=afspraak.titel).first.click()
        pagina.get_by_role("heading", name="1. Lees het document").wait_for()
        assert document.sha256 in pagina.content()
        if telefoon:
            assert_past_in_breedte(pagina)
        assert_toegankelijk(pagina)
        # Nothing to type: the page names the account holder, as the signed document will.
        assert f"U tekent als {bestuurder.get_full_name()}" in pagina.get_by_text("U tekent als").inner_text()
        pagina.get_by_label("Ik heb het document gelezen").check()
        pagina.get_by_role("button", name="Ondertekenen namens").click(timeout=LANG)
        pagina.get_by_text("U heeft ondertekend namens").wait_for(timeout=LANG)
        context.close()

    afspraak.refresh_from_db()
    assert afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND

    # A party member downloads the sealed PDF …
    page.goto(f"/afspraken/{afspraak.pk}/ondertekening/")
    page.get_by_role("heading", name="Ondertekend en verzegeld document").wait_for()
    assert_toegankelijk(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="ondertekend.pdf").click()
    pad = download.value.path()

    # … and anyone verifies it on the public page.
    publiek = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    controle = publiek.new_page()
    controle.goto("/verifieren/")
    assert_toegankelijk(controle)
    controle.get_by_label("PDF-bestand").set_input_files(pad)
    controle.get_by_role("button", name="Controleren").click(timeout=LANG)
    controle.get_by_role("heading", name="Authentiek en ongewijzigd").wait_for()
    inhoud = controle.content()
    assert "Friesland Noord" in inhoud and eerste.get_full_name() in inhoud
    assert_toegankelijk(controle)
    publiek.close()


def test_bestuurder_tekent_niet_en_er_komt_een_nieuwe_versie(page, chromium, live_server):
    afspraak = klaar_voor_ondertekening()
    _aanbieden(page, afspraak)
    bestuurder = [b for b in bestuurders(afspraak) if b.username.startswith("demo-fn-bestuurder-")][-1]
    context, pagina = _als_bestuurder(chromium, live_server, bestuurder, telefoon=True)
    pagina.goto(f"/afspraken/{afspraak.pk}/ondertekenen/")
    assert_past_in_breedte(pagina)
    pagina.get_by_role("button", name="Niet ondertekenen").click()
    # Without a reason: an error linked to the field.
    veld = pagina.get_by_label("Waarom tekent u niet?")
    assert veld.get_attribute("aria-invalid") == "true"
    assert_past_in_breedte(pagina)
    assert_toegankelijk(pagina)
    veld.fill("Onze gemeenteraad moet eerst instemmen met de verdeelsleutel.")
    pagina.get_by_role("button", name="Niet ondertekenen").click()
    pagina.get_by_text("U heeft niet getekend").wait_for()
    context.close()

    afspraak.refresh_from_db()
    nieuw = Uitvoeringsafspraak.objects.get(vorige_versie=afspraak)
    assert afspraak.status == "vervangen" and nieuw.status == "concept"
    page.goto(f"/afspraken/{afspraak.pk}/ondertekening/")
    assert "Onze gemeenteraad moet eerst instemmen" in page.content()
    page.get_by_role("link", name=f"versie {nieuw.versie}").click()
    page.get_by_text("Status: Concept").wait_for()
