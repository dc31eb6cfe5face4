"""The concept PDF in Chromium while the task worker makes it: the page says so; with JavaScript its state is
polled and the result announced, without JavaScript "Opnieuw kijken" asks again. Both pass axe, and the file
that downloads is the agreement's PDF."""

import io
import re

import docx
from django.core.management import call_command
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken.models import Afdruk
from tests.a11y import assert_toegankelijk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD

BESTAND = re.compile(r"^uitvoeringsafspraak-regio-4-versie-1-concept\.pdf$")


def _tekst(pad):
    with open(pad, "rb") as bestand:
        lezer = PdfReader(io.BytesIO(bestand.read()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in lezer.pages))


def test_concept_pdf_wordt_gemaakt_met_en_zonder_javascript(page, page_zonder_js, settings):
    # As in production: the request queues, a worker makes it (here: db_worker in this process, below).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "pdf-lezer")
    for pagina in (page, page_zonder_js):
        inloggen(pagina, "pdf-lezer", WACHTWOORD)
        pagina.goto(f"/afspraken/{afspraak.pk}/document/")
        pagina.get_by_role("link", name=re.compile("^PDF downloaden")).click()
        pagina.get_by_role("heading", name="Concept van de uitvoeringsafspraak als PDF").wait_for()
        assert "Het PDF-document wordt gemaakt" in pagina.get_by_role("status").inner_text()
        assert_toegankelijk(pagina)
    assert Afdruk.objects.count() == 1  # asked twice, queued once

    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())

    # With JavaScript the poll brings the result into the status region, which announces it.
    status = page.get_by_role("status")
    status.get_by_text("Het PDF-document is klaar").wait_for()
    assert_toegankelijk(page)
    with page.expect_download() as download:
        status.get_by_role("link", name=BESTAND).click()
    assert afspraak.titel in _tekst(download.value.path())

    # Without JavaScript nothing changes by itself; "Opnieuw kijken" shows that it is ready.
    assert "Het PDF-document wordt gemaakt" in page_zonder_js.get_by_role("status").inner_text()
    page_zonder_js.get_by_role("link", name="Opnieuw kijken").click()
    page_zonder_js.get_by_role("status").get_by_text("Het PDF-document is klaar").wait_for()
    assert_toegankelijk(page_zonder_js)
    with page_zonder_js.expect_download() as download:
        page_zonder_js.get_by_role("link", name=BESTAND).click()
    assert download.value.suggested_filename == "uitvoeringsafspraak-regio-4-versie-1-concept.pdf"


def test_word_link_naast_de_pdf_met_het_toetsenbord(page):
    """The Word version is offered next to the PDF, reached with Tab and opened with Enter: a .docx of the text."""
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "word-lezer")
    inloggen(page, "word-lezer", WACHTWOORD)
    page.goto(f"/afspraken/{afspraak.pk}/document/")
    link = page.get_by_role("link", name=re.compile("^Word downloaden"))
    assert link.is_visible()
    assert_toegankelijk(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.startsWith('Word downloaden')"):
            break
    else:
        raise AssertionError("De Word-link is met Tab niet bereikt")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "uitvoeringsafspraak-regio-4-versie-1-concept.docx"
    bestand = docx.Document(download.value.path())
    koppen = [p.text for p in bestand.paragraphs if p.style.name == "Heading 1"]
    assert koppen == [afspraak.titel]
    assert "CONCEPT" in bestand.sections[0].header.paragraphs[0].text
