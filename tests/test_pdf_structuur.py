"""PDF/A and PDF/UA-1 rules in the generated concept PDF and in the sealed PDF, read back with pikepdf.

The checks walk the whole structure tree, every page's content and the metadata generically, so they hold for
whatever the document templates contain. What each test checks is listed in docs/DOCUMENT.md.
"""

import datetime
import io
import re
import shutil
import subprocess
import uuid
from io import StringIO

import pikepdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pikepdf.models.metadata import decode_pdf_date

from accounts.models import Gebruiker
from afspraken import document, zegel
from afspraken.models import Ondertekening, Partij, Uitvoeringsafspraak
from regio.models import Gemeente

FRIESLAND = 4
SOORTEN = ("concept", "verzegeld")
# pytest-django creates the test database only for a session with tests that ask for it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker):
    """The concept PDF and the sealed signed PDF of the Friesland Noord demo agreement (rolled back after)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Gemeente.objects.exists():
                call_command("laad_referentiedata", verbosity=0)
            call_command("laad_demodata", stdout=StringIO())
            afspraak = Uitvoeringsafspraak.objects.get(regio__nummer=FRIESLAND)
            uitkomst = {"concept": document.render_pdf(afspraak)}
            afspraak.status = Uitvoeringsafspraak.Status.TER_ONDERTEKENING
            afspraak.ter_ondertekening_op = timezone.now()
            afspraak.save()
            bestuurder = Gebruiker.objects.create(username="structuur-bestuurder", rol=Gebruiker.Rol.BESTUURDER)
            for nummer, partij in enumerate(Partij.objects.filter(afspraak=afspraak).select_related("organisatie")):
                Ondertekening.objects.create(
                    afspraak=afspraak, partij=partij, besluit=Ondertekening.Besluit.GETEKEND, gebruiker=bestuurder,
                    naam=f"Demo Bestuurder {nummer}", functie="bestuurder (demo)",
                    organisatie_naam=partij.organisatie.naam, document_sha256="cd" * 32, tijdstip=timezone.now(),
                )
            kenmerk = uuid.UUID("87654321-4321-4321-8321-cba987654321")
            ondertekend = document.render_pdf(afspraak, soort=document.ONDERTEKEND, kenmerk=kenmerk)
            uitkomst["verzegeld"] = zegel.verzegel(ondertekend)
            transaction.set_rollback(True)
    return uitkomst


def _open(pdf):
    return pikepdf.open(io.BytesIO(pdf))


def _lijst(waarde):
    if waarde is None:
        return []
    return list(waarde) if isinstance(waarde, pikepdf.Array) else [waarde]


# --- metadata ---------------------------------------------------------------------------------------------

# Info entry → (XMP property, kind of value), as PDF/A (ISO 19005-2 6.6.2.3.1) pairs them.
INFO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}


def _xmp(pdf):
    return pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)


def info_xmp_verschillen(pdf):
    """[(Info key, Info value, XMP value)] for every Info entry the XMP does not say the same."""
    xmp = _xmp(pdf)
    verschillen = []
    for sleutel, waarde in pdf.docinfo.items():
        if sleutel not in INFO_XMP:
            continue
        eigenschap = INFO_XMP[sleutel]
        in_xmp = xmp.get(eigenschap)
        if sleutel.endswith("Date"):
            gelijk = in_xmp is not None and decode_pdf_date(str(waarde)) == datetime.datetime.fromisoformat(in_xmp)
        elif eigenschap == "dc:creator":
            gelijk = in_xmp is not None and str(waarde) == "; ".join(in_xmp)
        else:
            gelijk = str(waarde) == in_xmp
        if not gelijk:
            verschillen.append((sleutel, str(waarde), in_xmp))
    return verschillen


def _versie(tekst):
    return tuple(int(d) for d in str(tekst).lstrip("/").split("."))


@pytest.mark.parametrize("soort", SOORTEN)
def test_info_en_xmp_zeggen_hetzelfde(pdfs, soort):
    with _open(pdfs[soort]) as pdf:
        assert pdf.docinfo.get("/Title"), "de titel hoort in Info en XMP"
        assert not info_xmp_verschillen(pdf)


@pytest.mark.parametrize("soort", SOORTEN)
def test_pdf_a_deel_2_of_3_op_pdf_1_7(pdfs, soort):
    with _open(pdfs[soort]) as pdf:
        xmp = _xmp(pdf)
        assert xmp.get("pdfaid:part") in ("2", "3")
        assert xmp.get("pdfaid:conformance") in ("A", "U")
        # PDF/A-2 and -3 are defined on PDF 1.7 (ISO 32000-1): no later version in header, catalog or extensions.
        assert pdfs[soort][:8] in (b"%PDF-1.4", b"%PDF-1.5", b"%PDF-1.6", b"%PDF-1.7")
        assert _versie(pdf.pdf_version) <= (1, 7)
        if "/Version" in pdf.Root:
            assert _versie(pdf.Root.Version) <= (1, 7), pdf.Root.Version
        for prefix, waarde in (pdf.Root.get("/Extensions") or {}).items():
            for extensie in _lijst(waarde):
                assert _versie(extensie.BaseVersion) <= (1, 7), (prefix, extensie.BaseVersion)


def _lettertypen(resources, gezien, pad):
    """Yield (where, font) for every font reachable from a resource dictionary, through form XObjects too."""
    if resources is None or resources.objgen in gezien and resources.objgen != (0, 0):
        return
    gezien.add(resources.objgen)
    for naam, font in (resources.get("/Font") or {}).items():
        yield f"{pad} {naam}", font
    for naam, xobject in (resources.get("/XObject") or {}).items():
        if xobject.get("/Subtype") == "/Form":
            yield from _lettertypen(xobject.get("/Resources"), gezien, f"{pad} {naam}")


def niet_ingebedde_lettertypen(pdf):
    gezien = set()
    bronnen = []
    for nummer, pagina in enumerate(pdf.pages, start=1):
        bronnen.append((f"pagina {nummer}", pagina.obj.get("/Resources")))
        for annotatie in pagina.obj.get("/Annots") or []:
            for weergave in (annotatie.get("/AP") or {}).values():
                stromen = weergave.values() if isinstance(weergave, pikepdf.Dictionary) and "/Length" not in weergave \
                    else [weergave]
                for stroom in stromen:
                    bronnen.append((f"pagina {nummer} annotatie {annotatie.get('/T')}", stroom.get("/Resources")))
    bronnen.append(("AcroForm /DR", (pdf.Root.get("/AcroForm") or {}).get("/DR")))
    ontbrekend = []
    for waar, resources in bronnen:
        for plek, font in _lettertypen(resources, gezien, waar):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs are content streams
            delen = _lijst(font.get("/DescendantFonts")) or [font]
            for deel in delen:
                beschrijving = deel.get("/FontDescriptor") or {}
                if not any(k in beschrijving for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    ontbrekend.append((plek, str(font.get("/BaseFont"))))
    return ontbrekend, len(gezien)


@pytest.mark.parametrize("soort", SOORTEN)
def test_alle_lettertypen_ingebed(pdfs, soort):
    with _open(pdfs[soort]) as pdf:
        ontbrekend, bronnen = niet_ingebedde_lettertypen(pdf)
        assert bronnen > 1
        assert not ontbrekend


def test_zegelstempel_heeft_een_ingebed_lettertype(pdfs):
    with _open(pdfs["verzegeld"]) as pdf:
        (widget,) = [a for a in pdf.pages[-1].obj.get("/Annots") or [] if a.get("/FT") == "/Sig"]
        resources = widget.AP.N.get("/Resources")
        lettertypen = list(_lettertypen(resources, set(), "zegel"))
        assert lettertypen
        assert not niet_ingebedde_lettertypen(pdf)[0]


# --- the structure tree -----------------------------------------------------------------------------------


class Structuur:
    """The structure tree of a PDF, walked once: every element reachable from StructTreeRoot."""

    def __init__(self, pdf):
        self.root = pdf.Root.StructTreeRoot
        self.elementen = []  # (element, parent type)
        self.bereikbaar = set()
        stapel = [(k, "StructTreeRoot") for k in _lijst(self.root.get("/K"))]
        while stapel:
            element, ouder = stapel.pop()
            if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
                continue  # a marked-content id, an MCR or an OBJR
            if element.objgen in self.bereikbaar:
                continue
            self.bereikbaar.add(element.objgen)
            self.elementen.append((element, ouder))
            stapel.extend((k, str(element.S)) for k in _lijst(element.get("/K")))
        self.ids = set(self._namen(self.root.get("/IDTree")))

    def _namen(self, knoop):
        if knoop is None:
            return
        namen = _lijst(knoop.get("/Names"))
        for i in range(0, len(namen), 2):
            yield bytes(namen[i])
        for kind in _lijst(knoop.get("/Kids")):
            yield from self._namen(kind)

    def van_soort(self, soort):
        return [e for e, _ in self.elementen if e.S == soort]

    def kinderen(self, element):
        return [k for k in _lijst(element.get("/K")) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _attributen(element):
    for attribuut in _lijst(element.get("/A")):
        if isinstance(attribuut, pikepdf.Dictionary):
            yield attribuut


@pytest.fixture(scope="module")
def structuren(pdfs):
    uitkomst = {}
    for soort in SOORTEN:
        pdf = _open(pdfs[soort])
        uitkomst[soort] = (pdf, Structuur(pdf))
    yield uitkomst
    for pdf, _ in uitkomst.values():
        pdf.close()


@pytest.mark.parametrize("soort", SOORTEN)
def test_elke_figuur_heeft_alternatieve_tekst(structuren, soort):
    _, structuur = structuren[soort]
    figuren = structuur.van_soort("/Figure")
    assert figuren  # the map; the signed one also the QR code
    zonder = [str(f.get("/A")) for f in figuren if not str(f.get("/Alt", "")).strip()]
    assert not zonder
    if soort == "verzegeld":
        assert any("QR-code" in str(f.get("/Alt")) for f in figuren)


@pytest.mark.parametrize("soort", SOORTEN)
def test_tabelkoppen_zijn_te_vinden(structuren, soort):
    """Every /Headers id of a cell resolves through the IDTree, and every TH has a Scope or an id there."""
    _, structuur = structuren[soort]
    koppen = structuur.van_soort("/TH")
    assert koppen
    onbekend = []
    for cel in structuur.van_soort("/TD") + koppen:
        for attribuut in _attributen(cel):
            onbekend.extend(bytes(i) for i in _lijst(attribuut.get("/Headers")) if bytes(i) not in structuur.ids)
    assert not onbekend, onbekend[:10]
    onvindbaar = [
        str(th.get("/ID")) for th in koppen
        if not any("/Scope" in a for a in _attributen(th)) and bytes(th.get("/ID", b"")) not in structuur.ids
    ]
    assert not onvindbaar, onvindbaar[:10]


@pytest.mark.parametrize("soort", SOORTEN)
def test_lijsten_zijn_l_li_lbl_lbody(structuren, soort):
    _, structuur = structuren[soort]
    lijsten = structuur.van_soort("/L")
    assert lijsten
    fout = []
    for lijst in lijsten:
        fout.extend(("L", str(k.S)) for k in structuur.kinderen(lijst) if k.S not in ("/LI", "/Caption"))
    for item in structuur.van_soort("/LI"):
        fout.extend(("LI", str(k.S)) for k in structuur.kinderen(item) if k.S not in ("/Lbl", "/LBody"))
    assert not fout, sorted(set(fout))


# --- content: what is tagged and what is an artifact ------------------------------------------------------


def _unicode_tabel(font, cache):
    """{code: text} from a font's ToUnicode CMap (bfchar and bfrange, as WeasyPrint writes them)."""
    if font.objgen in cache:
        return cache[font.objgen]
    tabel = {}
    if "/ToUnicode" in font:
        cmap = font.ToUnicode.read_bytes().decode("latin-1")
        for blok in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, doel in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", blok):
                tabel[int(code, 16)] = bytes.fromhex(doel).decode("utf-16-be", "replace")
        for blok in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for van, tot, doel in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", blok):
                start = int.from_bytes(bytes.fromhex(doel), "big")
                for i, code in enumerate(range(int(van, 16), int(tot, 16) + 1)):
                    tabel[code] = chr(start + i)
    cache[font.objgen] = tabel
    return tabel


def _tekst(operanden, font, cache):
    tabel = _unicode_tabel(font, cache) if font is not None else {}
    breed = font is not None and font.get("/Subtype") == "/Type0"
    uit = []
    for operand in operanden:
        for deel in _lijst(operand) if isinstance(operand, pikepdf.Array) else [operand]:
            if isinstance(deel, pikepdf.String):
                data = bytes(deel)
                stap = 2 if breed else 1
                uit.extend(tabel.get(int.from_bytes(data[i:i + stap], "big"), "?") for i in range(0, len(data), stap))
    return "".join(uit)


def pagina_inhoud(pdf, structuur):
    """Per page: (tagged text, artifact text, MCIDs whose element is not in the structure tree, untagged text)."""
    ouderboom = {}
    nums = _lijst(structuur.root.ParentTree.get("/Nums"))
    for i in range(0, len(nums), 2):
        ouderboom[int(nums[i])] = nums[i + 1]
    cache = {}
    uitkomst = []
    for pagina in pdf.pages:
        lijst = ouderboom.get(int(pagina.obj.get("/StructParents", -1)))
        getagd, artefact, wees, ongetagd = [], [], [], []
        stapel, font = [], None
        fonts = pagina.obj.Resources.get("/Font") or {}
        for instructie in pikepdf.parse_content_stream(pagina):
            operator = str(instructie.operator)
            if operator in ("BDC", "BMC"):
                soort = str(instructie.operands[0])
                mcid = None
                if operator == "BDC" and isinstance(instructie.operands[1], pikepdf.Dictionary):
                    mcid = instructie.operands[1].get("/MCID")
                stapel.append((soort, None if mcid is None else int(mcid)))
                if mcid is not None:
                    element = lijst[int(mcid)] if lijst is not None and int(mcid) < len(lijst) else None
                    if not isinstance(element, pikepdf.Dictionary) or element.objgen not in structuur.bereikbaar:
                        wees.append(int(mcid))
            elif operator == "EMC":
                stapel.pop()
            elif operator == "Tf":
                font = fonts.get(str(instructie.operands[0]))
            elif operator in ("Tj", "TJ", "'", '"'):
                tekst = _tekst(instructie.operands[-1:], font, cache)
                if any(s == "/Artifact" for s, _ in stapel):
                    artefact.append(tekst)
                elif any(m is not None for _, m in stapel):
                    getagd.append(tekst)
                else:
                    ongetagd.append(tekst)
        uitkomst.append(("".join(getagd), "".join(artefact), wees, "".join(ongetagd)))
    return uitkomst


@pytest.fixture(scope="module")
def inhoud(structuren):
    return {soort: pagina_inhoud(pdf, structuur) for soort, (pdf, structuur) in structuren.items()}


@pytest.mark.parametrize("soort", SOORTEN)
def test_alle_inhoud_is_getagd_of_artefact(inhoud, soort):
    """Every marked-content sequence with an MCID belongs to an element in the tree; no text is outside both."""
    for nummer, (getagd, _, wees, ongetagd) in enumerate(inhoud[soort], start=1):
        assert getagd, nummer
        assert not wees, (nummer, wees[:10])
        assert not ongetagd.strip(), (nummer, ongetagd[:200])


@pytest.mark.parametrize("soort", SOORTEN)
def test_kop_voet_en_puntjes_zijn_artefacten(inhoud, soort):
    paginas = inhoud[soort]
    for nummer, (getagd, artefact, _, _) in enumerate(paginas, start=1):
        # The footer "Pagina N van M" is read aloud nowhere, but is on every page as an artifact.
        assert f"Pagina {nummer} van {len(paginas)}" in artefact, (nummer, artefact[:200])
        assert not re.search(r"Pagina\s*\d+\s*van\s*\d+", getagd), nummer
        # The CONCEPT watermark neither (the cover says the status).
        assert not re.search(r"\bCONCEPT\b", getagd), nummer
        # Dot leaders in the contents are no text of the document.
        assert not re.search(r"(\.\s*){8,}", getagd), (nummer, re.search(r".{40}(\.\s*){8,}", getagd))
    # The running header (from the second page on) is an artifact too: more artifact text than the footer.
    for nummer, (_, artefact, _, _) in enumerate(paginas[1:], start=2):
        assert artefact.replace(f"Pagina {nummer} van {len(paginas)}", "").strip(), nummer


@pytest.mark.parametrize("soort", SOORTEN)
def test_pdfua_alleen_als_het_klopt(structuren, inhoud, soort):
    """pdfuaid is claimed in XMP only when the rules checked here hold (and the few PDF/UA-1 adds)."""
    pdf, structuur = structuren[soort]
    xmp = _xmp(pdf)
    if xmp.get("pdfuaid:part") is None:
        return
    assert xmp.get("pdfuaid:part") == "1"
    assert xmp.get("dc:title")
    assert pdf.Root.ViewerPreferences.DisplayDocTitle
    assert all(not wees for _, _, wees, _ in inhoud[soort])
    assert all(str(f.get("/Alt", "")).strip() for f in structuur.van_soort("/Figure"))
    for pagina in pdf.pages:
        if pagina.obj.get("/Annots"):
            assert pagina.obj.get("/Tabs") == "/S"
            assert all("/StructParent" in a for a in pagina.obj.Annots)


# --- independent readers ----------------------------------------------------------------------------------


def _poppler(programma, pdf, tmp_path):
    if shutil.which(programma) is None:
        pytest.skip(f"{programma} (poppler-utils) is niet geïnstalleerd")
    bestand = tmp_path / "document.pdf"
    bestand.write_bytes(pdf)
    return subprocess.run([programma, str(bestand)], capture_output=True, text=True, timeout=60).stdout


def test_pdfinfo_ziet_pdf_1_7_getagd_met_titel(pdfs, tmp_path):
    uit = _poppler("pdfinfo", pdfs["verzegeld"], tmp_path)
    assert re.search(r"^PDF version:\s+1\.7$", uit, re.M), uit
    assert re.search(r"^Tagged:\s+yes$", uit, re.M), uit
    assert re.search(r"^Title:\s+Uitvoeringsafspraak", uit, re.M), uit


def test_pdfsig_vindt_een_geldig_zegel_over_het_hele_bestand(pdfs, tmp_path):
    uit = _poppler("pdfsig", pdfs["verzegeld"], tmp_path)
    assert "Signature Field Name: Zegel" in uit
    assert "Total document signed" in uit
    assert "Signature is Valid" in uit
