"""The Word version (.docx) of the agreement: the document's own HTML converted, so it has the PDF's structure.

Not built from the data a second time: `render_docx` takes `document.render_html` (the HTML the PDF is made
from) and converts the small set of elements the document templates use, whatever text they hold:

- h1–h6 → Word's heading styles ("Heading 1" …), so the navigation pane and a generated contents work;
- p, div, section, header, footer, article, blockquote (indented "Quote"), nav → paragraphs / containers;
- strong/b, em/i, code, sup/sub, br → run formatting; a → a real hyperlink for http(s), plain text for the
  document's own anchors (Word has no page numbers of the PDF to point at);
- ol/ul/li, nested → Word numbering (each ol restarts at 1 or its start, in its type 1/a/A/i/I; ul bullets),
  one level per nesting;
- dl/dt/dd → the term in bold (kept with the next line), the description indented;
- table with caption/thead/tbody/tfoot/th/td → a Word table ("Table Grid") with its caption above in the
  "Caption" style; the thead rows are header rows that Word repeats on every page; colspan is merged;
- figure/figcaption: an SVG (map, chart, QR code) is left out and replaced by its text alternative
  (aria-label, or its <title> and <desc>) in italics with "(afbeelding alleen in de PDF)"; the caption stays.

Left out as PDF-only: the contents with page numbers (`nav.inhoudsopgave`: Word's navigation pane or its own
generated contents takes its place), the watermark and anything aria-hidden.

Marking (docs/DOCUMENT.md): a concept carries "CONCEPT — niet ondertekend" in the header of every page and
"CONCEPT" in its title; the text offered for signing says "Ter ondertekening aangeboden op …"; the signed text
says it is a reading copy and that the signed document is the PDF. The views are in afspraken/views/word.py.
"""

import datetime
import io
import re

import lxml.etree
import lxml.html
from django.utils import timezone, translation
from django.utils.dateformat import format as datumformaat
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.run import Run

from . import document
from .models import pdf_bestandsnaam

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TAAL = "nl-NL"

BLOKKEN = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "section", "table", "ul",
}
OVERSLAAN = {"head", "script", "style", "template", "title", "meta", "link"}
PDF_ONLY_KLASSEN = {"inhoudsopgave", "watermerk"}
INSPRINGING = Cm(0.75)
SVG = "{http://www.w3.org/2000/svg}svg"


def word_bestandsnaam(afspraak, soort):
    return pdf_bestandsnaam(afspraak, soort).removesuffix(".pdf") + ".docx"


def markering(afspraak, soort):
    """(text in the header of every page, prefix of the title) for this kind of text."""
    if soort == document.CONCEPT:
        return "CONCEPT — niet ondertekend", "CONCEPT — "
    if soort == document.TER_ONDERTEKENING:
        aangeboden = afspraak.ter_ondertekening_op or timezone.now()
        with translation.override("nl"):
            datum = datumformaat(timezone.localtime(aangeboden), "j F Y")
        return f"Ter ondertekening aangeboden op {datum} — nog niet ondertekend", "Ter ondertekening — "
    # The signed record is the sealed PDF: a .docx can be edited by anyone and proves nothing.
    return "Leesversie van de ondertekende tekst; het ondertekende document is de PDF", ""


def render_docx(afspraak, *, soort=document.CONCEPT, kenmerk=None) -> bytes:
    """The document as .docx, converted from exactly the HTML the PDF of the same text is made from."""
    html = document.render_html(afspraak, soort=soort, kenmerk=kenmerk, voor_pdf=True)
    kop, titelprefix = markering(afspraak, soort)
    return docx_van_html(html, kopregel=kop, titelprefix=titelprefix, kenmerk=str(kenmerk or ""))


def docx_van_html(html, *, kopregel="", titelprefix="", kenmerk="") -> bytes:
    boom = lxml.html.document_fromstring(html)
    woord = WordDocument()
    # python-docx's template carries a thumbnail of its own empty page; a file manager would show that.
    pakket = woord.part.package
    for r_id, relatie in list(pakket.rels.items()):
        if relatie.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del pakket.rels[r_id]
    _opmaak(woord, kopregel)
    _eigenschappen(woord, boom, titelprefix, kenmerk)
    body = boom.find("body")
    _Omzetter(woord).container(body if body is not None else boom, _Plek(woord))
    uit = io.BytesIO()
    woord.save(uit)
    return uit.getvalue()


# --- the document as a whole ------------------------------------------------------------------------------


def _opmaak(woord, kopregel):
    sectie = woord.sections[0]
    sectie.orientation = WD_ORIENT.PORTRAIT
    sectie.page_width, sectie.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
    sectie.left_margin = sectie.right_margin = Cm(2.5)
    sectie.top_margin = sectie.bottom_margin = Cm(2.5)
    # Dutch for spelling and hyphenation, on every run by default.
    rpr = woord.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    taal = rpr.find(qn("w:lang"))
    if taal is None:
        taal = OxmlElement("w:lang")
        rpr.append(taal)
    taal.set(qn("w:val"), TAAL)
    instellingen = woord.settings.element.find(qn("w:themeFontLang"))
    if instellingen is not None:
        instellingen.set(qn("w:val"), TAAL)
    woord.styles["Normal"].font.size = Pt(10.5)
    if kopregel:
        alinea = sectie.header.paragraphs[0]
        run = alinea.add_run(kopregel)
        run.bold = True
        run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
    voet = sectie.footer.paragraphs[0]
    voet.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    voet.add_run("Pagina ")
    _veld(voet, "PAGE")


def _veld(alinea, instructie):
    """A simple field (PAGE) that Word fills in when it lays out the page."""
    veld = OxmlElement("w:fldSimple")
    veld.set(qn("w:instr"), instructie)
    run = OxmlElement("w:r")
    tekst = OxmlElement("w:t")
    tekst.text = "1"
    run.append(tekst)
    veld.append(run)
    alinea._p.append(veld)


def _meta(boom, naam):
    for meta in boom.iter("meta"):
        if meta.get("name") == naam:
            return meta.get("content") or ""
    return ""


def _eigenschappen(woord, boom, titelprefix, kenmerk):
    titel = boom.find(".//title")
    eigen = woord.core_properties
    eigen.title = titelprefix + _witruimte(titel.text_content() if titel is not None else "").strip()
    eigen.author = eigen.last_modified_by = _meta(boom, "author")
    eigen.subject = "Regionale uitvoeringsafspraak zorg en welzijn mbo"
    eigen.comments = _meta(boom, "description")
    eigen.keywords = _meta(boom, "keywords")
    eigen.language = TAAL
    eigen.identifier = kenmerk
    eigen.category = ""
    eigen.revision = 1
    nu = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    eigen.created = eigen.modified = nu


# --- numbering --------------------------------------------------------------------------------------------


LIJSTSOORTEN = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


class _Nummering:
    """Abstract lists (bullets, and per kind of number of an ol's type) added to numbering.xml; each HTML list gets
    its own w:num, so every ol starts again at 1 (or at its start) and nested lists take the next level."""

    def __init__(self, woord):
        self.numbering = woord.part.numbering_part.element
        bestaande = [int(a.get(qn("w:abstractNumId"))) for a in self.numbering.findall(qn("w:abstractNum"))]
        self.volgende_abstract = max(bestaande, default=-1) + 1
        nums = [int(n.get(qn("w:numId"))) for n in self.numbering.findall(qn("w:num"))]
        self.volgende_num = max(nums, default=0) + 1
        self.abstract = {}

    def _abstract(self, formaat):
        if formaat in self.abstract:
            return self.abstract[formaat]
        nummer = self.abstract[formaat] = self.volgende_abstract
        self.volgende_abstract += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(nummer))
        soort = OxmlElement("w:multiLevelType")
        soort.set(qn("w:val"), "multilevel")
        abstract.append(soort)
        tekens = "•◦▪"
        for niveau in range(9):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(niveau))
            for tag, waarde in (
                ("w:start", "1"),
                ("w:numFmt", formaat),
                ("w:lvlText", tekens[niveau % 3] if formaat == "bullet" else f"%{niveau + 1}."),
                ("w:lvlJc", "left"),
            ):
                kind = OxmlElement(tag)
                kind.set(qn("w:val"), waarde)
                lvl.append(kind)
            ppr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(360 * (niveau + 1) + 360))
            ind.set(qn("w:hanging"), "360")
            ppr.append(ind)
            lvl.append(ppr)
            abstract.append(lvl)
        # abstractNum elements must come before the num elements.
        eerste_num = self.numbering.find(qn("w:num"))
        if eerste_num is not None:
            eerste_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        return nummer

    def nieuwe_lijst(self, el):
        """A new w:num for this ul or ol (its type and start honoured)."""
        if el.tag == "ol":
            formaat = LIJSTSOORTEN.get((el.get("type") or "1").strip(), "decimal")
            try:
                start = max(0, min(int(el.get("start") or 1), 32767))
            except ValueError:
                start = 1
        else:
            formaat, start = "bullet", 1
        num_id = self.volgende_num
        self.volgende_num += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), str(self._abstract(formaat)))
        num.append(abstract)
        for niveau in range(9):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(niveau))
            start_ = OxmlElement("w:startOverride")
            start_.set(qn("w:val"), str(start))
            override.append(start_)
            num.append(override)
        self.numbering.append(num)
        return num_id


# --- the conversion ---------------------------------------------------------------------------------------


def _witruimte(tekst):
    return re.sub(r"\s+", " ", tekst or "")


def _klassen(el):
    return set((el.get("class") or "").split())


def _overslaan(el):
    if not isinstance(el.tag, str) or el.tag in OVERSLAAN:
        return True  # comments, processing instructions, head
    return el.get("aria-hidden") == "true" or el.get("hidden") is not None or bool(_klassen(el) & PDF_ONLY_KLASSEN)


class _Plek:
    """Where new paragraphs go and how they look: the body or a table cell, the list item, the indentation."""

    def __init__(self, container, *, lijstitem=None, inspringen=0, stijl=None, vet=False, rechts=False, leeg=None):
        self.container = container
        self.lijstitem = lijstitem  # {"num_id", "niveau", "genummerd"} of the li being written
        self.inspringen = inspringen
        self.stijl = stijl
        self.vet = vet
        self.rechts = rechts
        self.leeg = leeg  # a cell's own empty first paragraph, used before adding any

    def met(self, **wijzigingen):
        nieuw = _Plek.__new__(_Plek)
        nieuw.__dict__.update(self.__dict__)
        nieuw.__dict__.update(wijzigingen)
        return nieuw


class _Alinea:
    """A Word paragraph being filled with HTML's collapsed whitespace."""

    def __init__(self, paragraph):
        self.paragraph = paragraph
        self.spatie = True  # drop leading whitespace
        self.laatste = None  # the last w:t written

    def tekst(self, tekst, opmaak, doel=None):
        tekst = _witruimte(tekst)
        if self.spatie:
            tekst = tekst.lstrip(" ")
        if not tekst:
            return
        self.spatie = tekst.endswith(" ")
        # The w:r built directly: Run.text = … writes character by character and searches the run first.
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = tekst
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        (doel if doel is not None else self.paragraph._p).append(r)
        self.laatste = t
        if doel is not None or any(opmaak.get(k) for k in ("vet", "cursief", "code", "positie")):
            run = Run(r, self.paragraph)
            run.bold = opmaak.get("vet") or None
            run.italic = opmaak.get("cursief") or None
            if opmaak.get("code"):
                run.font.name = "Consolas"
            if opmaak.get("positie") == "sup":
                run.font.superscript = True
            elif opmaak.get("positie") == "sub":
                run.font.subscript = True
            if doel is not None:
                run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
                run.font.underline = True

    def regeleinde(self):
        self.paragraph.add_run().add_break()
        self.spatie = True
        self.laatste = None

    def sluit(self):
        # Collapsed whitespace at the end of a block is not text.
        if self.laatste is not None and self.laatste.text.endswith(" "):
            self.laatste.text = self.laatste.text.rstrip(" ")


class _Omzetter:
    def __init__(self, woord):
        self.woord = woord
        self.nummering = _Nummering(woord)
        self.stijlen = {}
        self.gemaakt = []  # every paragraph made, in order (Document.paragraphs is a walk of the whole body)

    # Paragraphs

    def stijl_id(self, naam):
        # Paragraph.style = name looks the name up among all ~160 styles each time.
        if naam not in self.stijlen:
            self.stijlen[naam] = self.woord.styles[naam].style_id
        return self.stijlen[naam]

    def alinea(self, plek, stijl=None):
        if plek.leeg is not None and plek.leeg.get("alinea") is not None:
            paragraph = plek.leeg.pop("alinea")
        else:
            paragraph = plek.container.add_paragraph()
        if stijl or plek.stijl:
            paragraph._p.style = self.stijl_id(stijl or plek.stijl)
        item = plek.lijstitem
        if item is not None and not item["genummerd"]:
            item["genummerd"] = True
            numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()  # in its place in the schema's order
            numpr.get_or_add_ilvl().val = item["niveau"]
            numpr.get_or_add_numId().val = item["num_id"]
        elif item is not None or plek.inspringen:
            niveau = (item["niveau"] + 1) if item is not None else 0
            paragraph.paragraph_format.left_indent = INSPRINGING * (niveau + plek.inspringen) + (
                Cm(0.64) if item is not None else 0
            )
        if plek.rechts:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.gemaakt.append(paragraph)
        return _Alinea(paragraph)

    def bij_volgende(self, start):
        """Keeps the paragraphs made since `start` on the page of what follows (a term, a caption)."""
        for paragraph in self.gemaakt[start:]:
            paragraph.paragraph_format.keep_with_next = True

    # Mixed content: text and inline elements gather in one paragraph until a block element comes.

    def container(self, el, plek, opmaak=None):
        opmaak = dict(opmaak or {}, vet=(opmaak or {}).get("vet") or plek.vet)
        open_ = {"alinea": None}

        def doel():
            if open_["alinea"] is None:
                open_["alinea"] = self.alinea(plek)
            return open_["alinea"]

        def sluit():
            if open_["alinea"] is not None:
                open_["alinea"].sluit()
                open_["alinea"] = None

        self._tekst(el.text, doel, opmaak, open_)
        for kind in el:
            if not _overslaan(kind):
                if kind.tag in BLOKKEN or kind.tag == SVG or kind.tag == "svg":
                    sluit()
                    self.blok(kind, plek)
                else:
                    self.inline(kind, doel, opmaak, open_)
            self._tekst(kind.tail, doel, opmaak, open_)
        sluit()

    def _tekst(self, tekst, doel, opmaak, open_, link=None):
        if not tekst:
            return
        if open_["alinea"] is None and not tekst.strip():
            return
        doel().tekst(tekst, opmaak, link)

    def inline(self, el, doel, opmaak, open_, link=None):
        tag = el.tag
        if tag == "br":
            doel().regeleinde()
            return
        opmaak = dict(opmaak)
        if tag in ("strong", "b", "th"):
            opmaak["vet"] = True
        elif tag in ("em", "i", "cite"):
            opmaak["cursief"] = True
        elif tag in ("code", "kbd", "samp"):
            opmaak["code"] = True
        elif tag in ("sup", "sub"):
            opmaak["positie"] = tag
        if tag == "a" and link is None and (el.get("href") or "").startswith(("https://", "http://")):
            if not el.text_content().strip():
                return
            link = self._hyperlink(doel().paragraph, el.get("href"))
        self._tekst(el.text, doel, opmaak, open_, link)
        for kind in el:
            if not _overslaan(kind):
                self.inline(kind, doel, opmaak, open_, link)
            self._tekst(kind.tail, doel, opmaak, open_, link)

    def _hyperlink(self, paragraph, url):
        r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), r_id)
        paragraph._p.append(hyperlink)
        return hyperlink

    # Blocks

    def blok(self, el, plek):
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.container(el, plek.met(stijl=f"Heading {tag[1]}", lijstitem=None, vet=False))
        elif tag in ("ol", "ul"):
            self.lijst(el, plek)
        elif tag == "li":  # an li outside a list: a bullet of its own
            self.lijst_item(el, plek, self.nummering.nieuwe_lijst(lxml.etree.Element("ul")), 0)
        elif tag == "dl":
            self.container(el, plek)
        elif tag == "dt":
            start = len(self.gemaakt)
            self.container(el, plek.met(vet=True))
            self.bij_volgende(start)
        elif tag == "dd":
            self.container(el, plek.met(inspringen=plek.inspringen + 1))
        elif tag == "blockquote":
            self.container(el, plek.met(inspringen=plek.inspringen + 1, stijl="Quote"))
        elif tag == "table":
            self.tabel(el, plek)
        elif tag == "figure":
            self.container(el, plek)
        elif tag == "figcaption":
            self.container(el, plek.met(stijl="Caption"))
        elif tag in (SVG, "svg"):
            self.afbeelding(el, plek)
        else:  # p, div, section, nav, header, footer …
            self.container(el, plek)

    def lijst(self, el, plek):
        num_id = self.nummering.nieuwe_lijst(el)
        niveau = plek.lijstitem["niveau"] + 1 if plek.lijstitem is not None else 0
        for kind in el:
            if not _overslaan(kind) and kind.tag == "li":
                self.lijst_item(kind, plek, num_id, min(niveau, 8))

    def lijst_item(self, el, plek, num_id, niveau):
        item = {"num_id": num_id, "niveau": niveau, "genummerd": False}
        self.container(el, plek.met(lijstitem=item))
        if not item["genummerd"]:  # an empty li still takes its number
            self.alinea(plek.met(lijstitem=item))

    def afbeelding(self, el, plek):
        alternatief = el.get("aria-label") or ""
        if not alternatief:
            delen = [
                _witruimte(kind.text_content()).strip()
                for kind in el
                if isinstance(kind.tag, str) and kind.tag.rsplit("}", 1)[-1] in ("title", "desc")
            ]
            alternatief = ". ".join(d.rstrip(".") for d in delen if d)
        if alternatief:
            alinea = self.alinea(plek.met(lijstitem=None))
            alinea.tekst(f"{alternatief.rstrip('.')}. (Afbeelding alleen in de PDF.)", {"cursief": True})

    def tabel(self, el, plek):
        bijschrift = el.find("caption")
        if bijschrift is not None and bijschrift.text_content().strip():
            start = len(self.gemaakt)
            self.container(bijschrift, plek.met(stijl="Caption", lijstitem=None))
            self.bij_volgende(start)
        rijen = []
        for kind in el:
            if _overslaan(kind):
                continue
            if kind.tag in ("thead", "tbody", "tfoot"):
                rijen.extend((tr, kind.tag) for tr in kind if isinstance(tr.tag, str) and tr.tag == "tr")
            elif kind.tag == "tr":
                rijen.append((kind, "tbody"))
        if not rijen:
            return

        def cellen(tr):
            return [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]

        def breedte(cel):
            try:
                return max(1, min(int(cel.get("colspan") or 1), 50))
            except ValueError:
                return 1

        kolommen = max(sum(breedte(c) for c in cellen(tr)) for tr, _ in rijen) or 1
        tabel = plek.container.add_table(rows=len(rijen), cols=kolommen)
        tabel.style = self.woord.styles["Table Grid"]
        # Cells by their XML element: Table.cell() and Cell.merge() walk the whole grid on every call.
        for (tr, deel), rij in zip(rijen, tabel.rows, strict=True):
            if deel == "thead":
                rij._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
            tcs = list(rij._tr.tc_lst)
            kolom = 0
            for cel in cellen(tr):
                if kolom >= kolommen:
                    break
                tc = tcs[kolom]
                span = min(breedte(cel), kolommen - kolom)
                if span > 1:
                    breedte_samen = sum((t.width or 0) for t in tcs[kolom:kolom + span])
                    for overbodig in tcs[kolom + 1:kolom + span]:
                        rij._tr.remove(overbodig)
                    tc.grid_span = span
                    if breedte_samen:
                        tc.width = breedte_samen
                kolom += span
                wordcel = _Cell(tc, tabel)
                celplek = _Plek(
                    wordcel,
                    vet=cel.tag == "th" or deel == "tfoot",
                    rechts="getal" in _klassen(cel),
                    leeg={"alinea": wordcel.paragraphs[0]},
                )
                self.container(cel, celplek)
