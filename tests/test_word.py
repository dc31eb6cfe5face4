"""The Word version of the agreement (afspraken/word.py): read back with python-docx and compared with the HTML it
is converted from and with the PDF of the same text; its marking; who may download it."""

import datetime
import io
import re
import time
import uuid
import zipfile
from io import StringIO

import docx
import lxml.html
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken import document, word
from afspraken.models import Document, Ondertekening, Partij, Uitvoeringsafspraak
from audit.models import Auditregel
from regio.models import Gemeente
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

FRIESLAND = 4
# The parts the Word version leaves out: the contents with page numbers, the watermark, anything aria-hidden.
PDF_ALLEEN = (
    "//nav[contains(concat(' ', normalize-space(@class), ' '), ' inhoudsopgave ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' watermerk ')] | //*[@aria-hidden='true']"
)


def _norm(tekst):
    return re.sub(r"\s+", " ", tekst or "").strip()


def _zonder_witruimte(tekst):
    return re.sub(r"\s+", "", tekst or "")


def _html_boom(html):
    """The HTML document without the parts the Word version leaves out (PDF-only)."""
    boom = lxml.html.document_fromstring(html)
    for el in boom.xpath(PDF_ALLEEN):
        el.drop_tree()
    return boom


def _html_koppen(html):
    boom = _html_boom(html)
    return [
        (int(el.tag[1]), _norm(el.text_content()))
        for el in boom.find("body").iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]


def _word_koppen(bestand):
    uitkomst = []
    for alinea in bestand.paragraphs:
        naam = alinea.style.name
        if naam.startswith("Heading "):
            uitkomst.append((int(naam.split()[1]), _norm(alinea.text)))
    return uitkomst


def _lees(inhoud):
    return docx.Document(io.BytesIO(inhoud))


def _kopregel(bestand):
    return " ".join(p.text for s in bestand.sections for p in s.header.paragraphs)


def _alle_tekst(bestand):
    delen = [p.text for p in bestand.paragraphs]
    for tabel in bestand.tables:
        delen.extend(c.text for rij in tabel.rows for c in rij.cells)
    return "\n".join(delen)


# --- the demo agreement, rendered once for this module -----------------------------------------------------


@pytest.fixture(scope="module")
def friesland(django_db_setup, django_db_blocker):
    """HTML, PDF and .docx of the Friesland Noord demo agreement as concept, offered for signing and signed;
    and how long a .docx takes for each demo agreement. Rolled back: other modules never see the demo data."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Gemeente.objects.exists():
                call_command("laad_referentiedata", verbosity=0)
            call_command("laad_demodata", stdout=StringIO())
            uitkomst = {"tijden": {}}
            for afspraak in Uitvoeringsafspraak.objects.select_related("regio"):
                word.render_docx(afspraak)  # warm: templates compiled, as in a running server
                start = time.perf_counter()
                html = document.render_html(afspraak, voor_pdf=True)
                midden = time.perf_counter()
                word.docx_van_html(html)
                uitkomst["tijden"][afspraak.regio.naam] = (
                    midden - start, time.perf_counter() - midden, Partij.objects.filter(afspraak=afspraak).count()
                )

            afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(regio__nummer=FRIESLAND)
            uitkomst["concept_html"] = document.render_html(afspraak, voor_pdf=True)
            uitkomst["concept_pdf"] = document.render_pdf(afspraak)
            uitkomst["concept"] = word.render_docx(afspraak)

            afspraak.status = Uitvoeringsafspraak.Status.TER_ONDERTEKENING
            afspraak.ter_ondertekening_op = timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0))
            afspraak.save()
            uitkomst["ter_ondertekening"] = word.render_docx(afspraak, soort=document.TER_ONDERTEKENING)

            bestuurder = Gebruiker.objects.create(username="word-bestuurder", rol=Gebruiker.Rol.BESTUURDER)
            for partij in Partij.objects.filter(afspraak=afspraak).select_related("organisatie")[:2]:
                Ondertekening.objects.create(
                    afspraak=afspraak, partij=partij, besluit=Ondertekening.Besluit.GETEKEND, gebruiker=bestuurder,
                    naam="Demo Bestuurder", functie="bestuurder (demo)", organisatie_naam=partij.organisatie.naam,
                    document_sha256="cd" * 32, tijdstip=timezone.make_aware(datetime.datetime(2026, 11, 20, 14, 30)),
                )
            kenmerk = uuid.UUID("12345678-1234-4123-8123-123456789abc")
            uitkomst["ondertekend_html"] = document.render_html(
                afspraak, soort=document.ONDERTEKEND, kenmerk=kenmerk, voor_pdf=True
            )
            uitkomst["ondertekend"] = word.render_docx(afspraak, soort=document.ONDERTEKEND, kenmerk=kenmerk)
            uitkomst["kenmerk"] = kenmerk
            uitkomst["verificatie_url"] = document.verificatie_url(kenmerk)
            uitkomst["titel"] = afspraak.titel
            transaction.set_rollback(True)
    return uitkomst


def test_koppen_zijn_die_van_het_html_document(friesland):
    for html, soort in ((friesland["concept_html"], "concept"), (friesland["ondertekend_html"], "ondertekend")):
        koppen = _word_koppen(_lees(friesland[soort]))
        assert koppen == _html_koppen(html)
        assert len(koppen) > 30 and koppen[0] == (1, friesland["titel"])


def test_koppen_staan_in_de_pdf_in_dezelfde_volgorde(friesland):
    """The PDF's bookmarks are its headings: the same titles and levels, and each on the page it points to."""
    koppen = _word_koppen(_lees(friesland["concept"]))
    lezer = PdfReader(io.BytesIO(friesland["concept_pdf"]))

    def vlak(items, niveau=1):
        for item in items:
            if isinstance(item, list):
                yield from vlak(item, niveau + 1)
            else:
                yield niveau, _norm(item.title), lezer.get_destination_page_number(item)

    # The PDF's own contents page has a heading (a bookmark) the Word version leaves out.
    alleen_pdf = [
        _norm(kop.text_content())
        for el in lxml.html.document_fromstring(friesland["concept_html"]).xpath(PDF_ALLEEN)
        for kop in el.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    bladwijzers = [b for b in vlak(lezer.outline) if b[1] not in alleen_pdf]
    assert [(n, t) for n, t, _ in bladwijzers] == koppen
    paginas = [_zonder_witruimte(p.extract_text()) for p in lezer.pages]
    vorige = 0
    for _, titel, pagina in bladwijzers:
        assert pagina >= vorige, titel
        assert _zonder_witruimte(titel) in paginas[pagina], (titel, pagina)
        vorige = pagina
    # And in the running text, after the contents, in the same order.
    tekst = _zonder_witruimte(" ".join(paginas[bladwijzers[2][2]:]))
    positie = 0
    for _, titel in koppen[2:]:
        gevonden = tekst.find(_zonder_witruimte(titel), positie)
        assert gevonden >= 0, titel
        positie = gevonden


def test_tabellen_met_kopregels_en_rijen_als_in_het_html(friesland):
    boom = _html_boom(friesland["concept_html"])
    html_tabellen = list(boom.find("body").iter("table"))
    bestand = _lees(friesland["concept"])
    assert len(bestand.tables) == len(html_tabellen) > 5
    for html_tabel, tabel in zip(html_tabellen, bestand.tables, strict=True):
        html_rijen = html_tabel.xpath("./thead/tr | ./tbody/tr | ./tfoot/tr | ./tr")
        assert len(tabel.rows) == len(html_rijen)
        html_kop = [_norm(c.text_content()) for c in html_tabel.xpath("./thead/tr[1]/th | ./thead/tr[1]/td")]
        kopregels = [r for r in tabel.rows if r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None]
        assert len(kopregels) == len(html_tabel.xpath("./thead/tr"))
        if html_kop:
            assert [_norm(c.text) for c in kopregels[0].cells] == html_kop
        # Every row's text is there, cell by cell (a spanned cell repeats in python-docx's view of the row; a
        # list in a cell is paragraphs in Word, run together in the HTML's text).
        for html_rij, rij in zip(html_rijen, tabel.rows, strict=True):
            verwacht = [c.text_content() for c in html_rij.xpath("./th | ./td")]
            cellen = []
            for cel in rij.cells:
                if not cellen or cel._tc is not cellen[-1][0]:
                    cellen.append((cel._tc, _norm(cel.text)))
            assert [_zonder_witruimte(t) for _, t in cellen] == [_zonder_witruimte(t) for t in verwacht]


def test_bijschriften_lijsten_en_termen(friesland):
    boom = _html_boom(friesland["concept_html"])
    bestand = _lees(friesland["concept"])
    bijschriften = [_norm(p.text) for p in bestand.paragraphs if p.style.name == "Caption"]
    html_bijschriften = [_norm(c.text_content()) for c in boom.find("body").iter("caption", "figcaption")]
    assert bijschriften == html_bijschriften
    in_cellen = [p for t in bestand.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    alineas = list(bestand.paragraphs) + in_cellen
    lijstalineas = [p for p in alineas if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(lijstalineas) == len(list(boom.find("body").iter("li")))
    termen = {_norm(dt.text_content()) for dt in boom.find("body").iter("dt")}
    vet = {_norm(p.text) for p in bestand.paragraphs if p.runs and all(r.bold for r in p.runs if r.text.strip())}
    assert termen <= vet
    # The map is an SVG: its text alternative stands in for it, with its caption.
    assert any("alleen in de PDF" in p.text for p in bestand.paragraphs)


def test_concept_is_gemarkeerd_met_nederlandse_taal_en_eigenschappen(friesland):
    bestand = _lees(friesland["concept"])
    assert _kopregel(bestand) == "CONCEPT — niet ondertekend"
    eigen = bestand.core_properties
    assert eigen.title.startswith("CONCEPT — " + friesland["titel"])
    assert eigen.author.startswith("De partijen van doorstroompuntregio")
    assert eigen.subject == "Regionale uitvoeringsafspraak zorg en welzijn mbo"
    assert eigen.language == "nl-NL"
    taal = bestand.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert taal.find(qn("w:lang")).get(qn("w:val")) == "nl-NL"
    sectie = bestand.sections[0]
    assert round(sectie.page_width.cm, 1) == 21.0 and round(sectie.page_height.cm, 1) == 29.7
    # Not python-docx's own template thumbnail (an empty page).
    assert not any("thumbnail" in naam for naam in zipfile.ZipFile(io.BytesIO(friesland["concept"])).namelist())


def test_ter_ondertekening_noemt_de_datum(friesland):
    bestand = _lees(friesland["ter_ondertekening"])
    assert _kopregel(bestand) == "Ter ondertekening aangeboden op 2 november 2026 — nog niet ondertekend"
    assert "CONCEPT" not in _kopregel(bestand) + bestand.core_properties.title


def test_ondertekend_is_een_leesversie_zonder_concept(friesland):
    bestand = _lees(friesland["ondertekend"])
    assert _kopregel(bestand) == "Leesversie van de ondertekende tekst; het ondertekende document is de PDF"
    assert "CONCEPT" not in _kopregel(bestand) + bestand.core_properties.title + _alle_tekst(bestand)
    assert bestand.core_properties.title.startswith(friesland["titel"])
    assert bestand.core_properties.identifier == str(friesland["kenmerk"])
    # The verification address is a real link.
    links = [r.target_ref for r in bestand.part.rels.values() if r.is_external]
    assert friesland["verificatie_url"] in links


def test_word_in_het_verzoek_ruim_onder_een_seconde(friesland):
    for naam, (html, omzetten, partijen) in friesland["tijden"].items():
        print(f"docx {naam}: html {html * 1000:.0f} ms + omzetten {omzetten * 1000:.0f} ms, {partijen} partijen")
        assert html + omzetten < 1, naam


def test_witruimte_nummering_en_links_van_de_omzetter():
    html = (
        "<html><head><title>T</title></head><body><div class='watermerk' aria-hidden='true'>CONCEPT</div>"
        "<nav class='inhoudsopgave'><h2>Inhoud</h2></nav><h1>Kop  <em>een</em></h1>"
        "<p>  Een\n  <strong>vet</strong> woord, <a href='#x'>anker</a> en <a href='https://example.nl/'>link</a>.<br>"
        "Regel twee </p><ol><li>a<ol><li>a1</li></ol></li><li>b</li></ol><ol><li>c</li></ol>"
        "<table><tr><td colspan='5'>breed</td></tr></table></body></html>"
    )
    bestand = _lees(word.docx_van_html(html))
    teksten = [p.text for p in bestand.paragraphs]
    assert teksten[:2] == ["Kop een", "Een vet woord, anker en link.\nRegel twee"]
    assert "CONCEPT" not in "".join(teksten) and "Inhoud" not in teksten
    nummers = [
        (p.text, p._p.pPr.numPr.numId.val, p._p.pPr.numPr.ilvl.val)
        for p in bestand.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    (a, a_num, a_niveau), (a1, a1_num, a1_niveau), (b, b_num, _), (c, c_num, _) = nummers
    assert (a_niveau, a1_niveau) == (0, 1) and a_num == b_num and len({a_num, a1_num, c_num}) == 3
    assert len(bestand.tables) == 1 and len(bestand.tables[0].columns) == 5
    # An ol's type and start (an article's lettered members, a list that continues) are kept.
    lijst = _lees(word.docx_van_html("<html><body><ol type='a' start='3'><li>c</li></ol><li>los</li></body></html>"))
    numbering = lijst.part.numbering_part.element
    num_id = lijst.paragraphs[0]._p.pPr.numPr.numId.val
    num = numbering.xpath(f"w:num[@w:numId='{num_id}']")[0]
    assert num.xpath("w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["3"]
    abstract_id = num.xpath("w:abstractNumId/@w:val")[0]
    formaat = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val")
    assert formaat == ["lowerLetter"]
    assert lijst.paragraphs[1].text == "los" and lijst.paragraphs[1]._p.pPr.numPr is not None
    assert [r.target_ref for r in bestand.part.rels.values() if r.is_external] == ["https://example.nl/"]


# --- the views: rights, audit, answers --------------------------------------------------------------------


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(FRIESLAND)


def _concept_url(afspraak):
    return reverse("afspraak_document_word", kwargs={"pk": afspraak.pk})


def _opgeslagen_url(afspraak, soort):
    return reverse("afspraak_document_word_downloaden", kwargs={"pk": afspraak.pk, "soort": soort})


def _bevries(afspraak):
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING, ter_ondertekening_op=timezone.now()
    )
    afspraak.refresh_from_db()
    return Document.objects.create(
        afspraak=afspraak, soort="ter_ondertekening", status="klaar", inhoud=b"%PDF-1.7 test", sha256="0" * 64
    )


def test_concept_download_met_auditregel(client, afspraak):
    lid = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "word-lid")
    client.force_login(lid)
    antwoord = client.get(_concept_url(afspraak))
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == word.MIMETYPE
    assert antwoord["Content-Disposition"] == (
        f'attachment; filename="uitvoeringsafspraak-regio-{FRIESLAND}-versie-1-concept.docx"'
    )
    bestand = _lees(antwoord.content)
    assert _kopregel(bestand).startswith("CONCEPT")
    assert _word_koppen(bestand)[0] == (1, afspraak.titel)
    regel = Auditregel.objects.get(actie=Auditregel.Actie.GEDOWNLOAD)
    assert regel.gebruiker_id == lid.pk and regel.object_id == str(afspraak.pk)
    assert regel.gegevens == {"soort": "concept", "formaat": "docx"}


@pytest.mark.parametrize("rol", ["anoniem", "ander", "bestuurder_partij", "beleidsmaker_partij", "beheerder"])
def test_wie_het_word_bestand_krijgt(client, afspraak, rol):
    gebruikers = {
        "ander": (gemeente_organisatie("Enschede"), Gebruiker.Rol.BELEIDSMAKER),
        "bestuurder_partij": (gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER),
        "beleidsmaker_partij": (gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER),
        "beheerder": (None, Gebruiker.Rol.BEHEERDER),
    }
    if rol != "anoniem":
        client.force_login(gebruiker_van(*gebruikers[rol], f"word-{rol}"))
    concept = client.get(_concept_url(afspraak))
    _bevries(afspraak)
    opgeslagen = client.get(_opgeslagen_url(afspraak, "ter_ondertekening"))
    for antwoord in (concept, opgeslagen):
        if rol == "anoniem":
            assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("inloggen") + "?next=")
        elif rol == "ander":
            assert antwoord.status_code == 404  # as the PDF: not even the existence of a draft leaks
        else:
            assert antwoord.status_code == 200 and antwoord["Content-Type"] == word.MIMETYPE
    aantal = Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD).count()
    assert aantal == (0 if rol in ("anoniem", "ander") else 2)


def test_bevroren_versie_verwijst_naar_de_opgeslagen_tekst(client, afspraak):
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "word-b"))
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING, ter_ondertekening_op=timezone.now()
    )
    # No stored PDF yet: the signing page shows how far it is, as the PDF link does.
    antwoord = client.get(_concept_url(afspraak))
    assert antwoord.status_code == 302 and antwoord["Location"].endswith("#documenten")
    Document.objects.create(
        afspraak=afspraak, soort="ter_ondertekening", status="klaar", inhoud=b"%PDF-1.7 test", sha256="0" * 64
    )
    antwoord = client.get(_concept_url(afspraak))
    assert antwoord.status_code == 302 and antwoord["Location"] == _opgeslagen_url(afspraak, "ter_ondertekening")
    antwoord = client.get(antwoord["Location"])
    assert antwoord.status_code == 200
    assert antwoord["Content-Disposition"].endswith('-ter-ondertekening.docx"')
    assert _kopregel(_lees(antwoord.content)).startswith("Ter ondertekening aangeboden op")
    regel = Auditregel.objects.get(actie=Auditregel.Actie.GEDOWNLOAD)
    assert regel.object_soort == "afspraken.document"
    assert regel.gegevens == {"soort": "ter_ondertekening", "formaat": "docx"}


@pytest.mark.parametrize("soort", ["concept", "ondertekend", "onbekend", "ter-ondertekening", "TER_ONDERTEKENING"])
def test_onbekende_of_ontbrekende_soort_is_404(beheerder_client, afspraak, soort):
    _bevries(afspraak)  # only ter_ondertekening is stored
    assert beheerder_client.get(_opgeslagen_url(afspraak, soort)).status_code == 404
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD).exists()


def test_slechte_adressen_geven_nooit_500(beheerder_client, afspraak):
    for url in (
        f"/afspraken/{afspraak.pk + 1000}/document.docx",
        f"/afspraken/{afspraak.pk + 1000}/documenten/ter_ondertekening.docx",
        f"/afspraken/{afspraak.pk}/documenten/ter_ondertekening%00.docx",
        f"/afspraken/{afspraak.pk}/documenten/../document.docx",
        f"/afspraken/{afspraak.pk}/documenten/ter_ondertekening.docx.docx",
        f"/afspraken/{afspraak.pk}/documenten/.docx",
    ):
        assert beheerder_client.get(url).status_code in (400, 404), url


def test_word_links_naast_de_pdf_links(client, afspraak):
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "word-links"))
    for pagina in ("afspraak_document", "afspraak_overzicht"):
        html = client.get(reverse(pagina, kwargs={"pk": afspraak.pk})).content.decode()
        assert _concept_url(afspraak) in html, pagina
    _bevries(afspraak)
    html = client.get(reverse("afspraak_ondertekening", kwargs={"pk": afspraak.pk})).content.decode()
    assert _opgeslagen_url(afspraak, "ter_ondertekening") in html
