"""The benchmark modules of `make bench` keep working: small runs against PostgreSQL, checked for the shape
`make bench` prints and for figures that add up. Times are never asserted, only that they were measured.
Also: the faster stamp font of the seal embeds exactly what pyHanko's own font factory embeds."""

import datetime
import hashlib
from io import BytesIO, StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from fontTools import ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.reader import PdfFileReader

from afspraken import zegel
from afspraken.models import Uitvoeringsafspraak
from regio.models import Gemeente, MboInstelling, StudentenPerWoongemeente
from scripts.bench import duo_bestand
from scripts.bench.laden import meet_laden
from scripts.bench.pdf import meet_pdf

FRIESLAND_NOORD = 4
KOLOMMEN = {"step", "median (s)", "min (s)", "max (s)", "note"}


def rij(uitkomst, begin):
    gevonden = [r for r in uitkomst["rijen"] if r["step"].startswith(begin)]
    assert len(gevonden) == 1, (begin, [r["step"] for r in uitkomst["rijen"]])
    return gevonden[0]


def controleer_vorm(uitkomst):
    assert set(uitkomst) == {"titel", "rijen", "doelen", "opmerkingen"}
    assert isinstance(uitkomst["titel"], str) and uitkomst["titel"]
    for r in uitkomst["rijen"]:
        assert set(r) == KOLOMMEN
        assert 0 <= r["min (s)"] <= r["median (s)"] <= r["max (s)"], r
    for doel in uitkomst["doelen"]:
        assert set(doel) == {"naam", "waarde", "doel", "gehaald"}
        assert isinstance(doel["gehaald"], bool) and doel["waarde"] > 0
    assert all(isinstance(o, str) and o for o in uitkomst["opmerkingen"])


def test_duo_bestand_heeft_precies_de_gevraagde_rijen_en_telt_op():
    inhoud, som = duo_bestand.woongemeentebestand(["T001", "T002"], ["GM0014", "GM0034"], aantal=40, peiljaar=2030)
    regels = inhoud.decode().split("\r\n")
    assert regels[0] + "\r\n" == duo_bestand.KOP and regels[-1] == "" and len(regels) == 42
    waarden = [int(r.split(";")[3]) for r in regels[1:-1]]
    assert (som.bekend, som.onderdrukt) == (sum(w for w in waarden if w >= 0), waarden.count(-1))
    assert len({tuple(r.split(";")[:3] + r.split(";")[4:]) for r in regels[1:-1]}) == 40  # distinct keys
    with pytest.raises(ValueError):
        duo_bestand.woongemeentebestand(["T001"], ["GM0014"], aantal=17)


@pytest.mark.django_db
def test_meet_laden_laat_de_database_zoals_hij_was(refdata):
    rijen_voor = StudentenPerWoongemeente.objects.count()
    codes_voor = sorted(MboInstelling.objects.values_list("pk", "instellingscode"), key=str)

    uitkomst = meet_laden(aantal=2000, herhalingen=1)

    controleer_vorm(uitkomst)
    totaal, vloer = rij(uitkomst, "load total"), rij(uitkomst, "floor total")
    assert vloer["median (s)"] > 0 and totaal["median (s)"] > 0
    delen = [rij(uitkomst, n)["median (s)"] for n in ("preview", "confirm", "deferred")]
    assert sum(delen) == pytest.approx(totaal["median (s)"], abs=0.005)  # one repetition: the parts add up
    factor, seconden = uitkomst["doelen"]
    assert factor["waarde"] == pytest.approx(totaal["median (s)"] / vloer["median (s)"], rel=0.1)
    assert factor["gehaald"] == (factor["waarde"] <= 3)
    assert seconden["doel"] == "≤ 0.1 s"  # 5 s for 100,000 rows, pro rata
    assert "2,000 rows" in totaal["note"]
    # Everything ran in rolled-back transactions: no rows, no test codes left behind.
    assert StudentenPerWoongemeente.objects.count() == rijen_voor
    assert sorted(MboInstelling.objects.values_list("pk", "instellingscode"), key=str) == codes_voor


@pytest.fixture(scope="module")
def pdf_meting(django_db_setup, django_db_blocker):
    """meet_pdf on the Friesland Noord demo agreement, in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Gemeente.objects.exists():
                call_command("laad_referentiedata", verbosity=0)
            call_command("laad_demodata", stdout=StringIO())
            afspraak = Uitvoeringsafspraak.objects.select_related("regio").get(regio__nummer=FRIESLAND_NOORD)
            uitkomst = meet_pdf(afspraak, herhalingen=1, opwarmen=False)
            transaction.set_rollback(True)
    return uitkomst


@pytest.mark.timeout(900)  # two renders and four seals of a 30-page PDF on a shared 2-core machine
def test_meet_pdf_splitst_de_tijd_en_vergelijkt_met_de_vloeren(pdf_meting):
    controleer_vorm(pdf_meting)
    mediaan = {r["step"].split(" (")[0].split(":")[0]: r["median (s)"] for r in pdf_meting["rijen"]}
    context, html = rij(pdf_meting, "context"), rij(pdf_meting, "template")
    weasyprint, totaal = rij(pdf_meting, "WeasyPrint"), rij(pdf_meting, "PDF total")
    assert context["median (s)"] > 0 and html["median (s)"] > 0 and weasyprint["median (s)"] > 0, mediaan
    som = context["median (s)"] + html["median (s)"] + weasyprint["median (s)"]
    assert totaal["median (s)"] == pytest.approx(som, abs=0.005)
    pdf_vloer = rij(pdf_meting, "floor: WeasyPrint")["median (s)"]
    zegel_tijd, zegel_vloer = (
        rij(pdf_meting, "seal")["median (s)"],
        rij(pdf_meting, "floor: bare pyHanko")["median (s)"],
    )
    assert pdf_vloer > 0 and zegel_vloer > 0 and zegel_tijd > 0
    pdf_doel, zegel_doel = pdf_meting["doelen"]
    assert pdf_doel["waarde"] == pytest.approx(totaal["median (s)"] / pdf_vloer, rel=0.02)
    assert zegel_doel["waarde"] == pytest.approx(zegel_tijd / zegel_vloer, rel=0.05)
    assert pdf_doel["gehaald"] == (pdf_doel["waarde"] <= 1.15)
    assert zegel_doel["gehaald"] == (zegel_doel["waarde"] <= 1.2)
    # The document is the real one: many pages, the context's queries counted.
    assert int(pdf_meting["titel"].split("(")[1].split()[0]) > 10
    assert int(context["note"].split()[0]) > 0


def _stempel_lettertype(verzegeld):
    """The font program and widths embedded in the seal's visible stamp."""
    reader = PdfFileReader(BytesIO(verzegeld), strict=False)
    (handtekening,) = reader.embedded_regular_signatures

    def zoek(xobject):
        xobject = xobject.get_object()
        bronnen = xobject.get("/Resources", {})
        for lettertype in bronnen.get("/Font", {}).values():
            cid = lettertype.get_object()["/DescendantFonts"][0].get_object()
            return cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().data, list(cid["/W"])
        for sub in bronnen.get("/XObject", {}).values():
            if gevonden := zoek(sub):
                return gevonden
        return None

    return zoek(handtekening.sig_field["/AP"]["/N"])


def _zonder_tijdstempel(font_bytes):
    # fontTools writes the save time into head.modified (and so the checksum); the rest must be equal.
    font = ttLib.TTFont(BytesIO(font_bytes))
    font["head"].modified = 0
    uit = BytesIO()
    font.save(uit)
    return hashlib.sha256(uit.getvalue()).hexdigest()


def test_stempel_zonder_layouttabellen_is_gelijk_aan_pyhankos_eigen_lettertype():
    import weasyprint

    pdf = weasyprint.HTML(string="<p>Een</p><p style='break-before: page'>Twee</p>").write_pdf(pdf_variant="pdf/a-3a")
    vast = timezone.make_aware(datetime.datetime(2026, 11, 20, 14, 30))
    with mock.patch.object(zegel.timezone, "now", return_value=vast):
        snel = zegel.verzegel(pdf)
        with mock.patch.object(zegel, "_lettertype_fabriek", lambda: GlyphAccumulatorFactory):
            gewoon = zegel.verzegel(pdf)
    (snel_font, snel_w), (gewoon_font, gewoon_w) = _stempel_lettertype(snel), _stempel_lettertype(gewoon)
    assert snel_w == gewoon_w and len(snel_w) > 10
    assert _zonder_tijdstempel(snel_font) == _zonder_tijdstempel(gewoon_font)
    assert "GPOS" not in ttLib.TTFont(BytesIO(snel_font))


def test_lezer_leest_elk_object_zoals_pyhanko_zelf():
    """The seal's reader (one table of contents per object stream) returns every object of a WeasyPrint PDF
    exactly as pyHanko's own reader does, and finds the same last page."""
    import weasyprint
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pagina = "<h2>Hoofdstuk</h2><p>Tekst met een <a href='#h'>verwijzing</a>.</p>"
    html = "<html lang='nl'><body>" + ("<section style='break-after: page'>" + pagina * 3 + "</section>") * 12
    pdf = weasyprint.HTML(string=html + "<p id='h'>Einde</p></body></html>").write_pdf(pdf_variant="pdf/a-3a")
    eigen, gewoon = zegel._lezerklasse()(BytesIO(pdf), strict=False), PdfFileReader(BytesIO(pdf), strict=False)
    in_stromen = 0
    for idnum in range(1, gewoon.trailer["/Size"]):
        a = eigen.get_object(generic.Reference(idnum, 0, eigen))
        b = gewoon.get_object(generic.Reference(idnum, 0, gewoon))
        assert type(a) is type(b) and repr(a) == repr(b), idnum
        in_stromen += idnum in {i for tafel in eigen._inhoudstafels.values() if tafel for i in tafel[1]}
    assert in_stromen > 40  # the objects really came from object streams
    laatste = [
        IncrementalPdfFileWriter(BytesIO(pdf), prev=lezer, strict=False).find_page_for_modification(-1)[0].idnum
        for lezer in (zegel._lezerklasse()(BytesIO(pdf), strict=False), PdfFileReader(BytesIO(pdf), strict=False))
    ]
    assert laatste[0] == laatste[1]
