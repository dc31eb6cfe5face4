"""Benchmark of the full agreement PDF (issue 7): context, template, WeasyPrint and the seal, each against
its floor.

- PDF floor: WeasyPrint alone on the HTML the application already rendered, with the same base URL, URL
  fetcher and PDF variant, so fonts and CSS resolve exactly as in the application.
- Sealing floor: a bare pyHanko sign_pdf of the same unsealed PDF with the same certificate, no stamp.

The two paths alternate within every repetition, so a noisy neighbour on the machine hits both alike.
`meet_pdf(afspraak)` returns {"titel", "rijen", "doelen", "opmerkingen"} for `make bench`.
"""

import statistics
import time
import uuid
from io import BytesIO
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from afspraken import document, zegel

from . import stap_rij

DOEL_PDF = 1.15  # total PDF time against the WeasyPrint floor
DOEL_ZEGEL = 1.2  # sealing against a bare pyHanko sign_pdf
# A fixed kenmerk: the final document carries its verification URL and QR code, as a sealed one does.
KENMERK = uuid.UUID("00000000-0000-4000-8000-00000000b3c4")


def _klok(functie, *args, **kwargs):
    start = time.perf_counter()
    uitkomst = functie(*args, **kwargs)
    return uitkomst, time.perf_counter() - start


def weasyprint_vloer(html):
    """WeasyPrint on finished HTML, configured as the application configures it, without its wrapper."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=html, base_url=document.BASIS_URL, url_fetcher=document.url_fetcher()).write_pdf(
        pdf_variant=document.PDF_VARIANT, font_config=FontConfiguration()
    )


def _kale_ondertekenaar():
    """The application's certificate, loaded here (untimed) without the application's cache."""
    from django.conf import settings
    from pyhanko.sign.signers import SimpleSigner

    wachtwoord = (settings.ZEGEL_WACHTWOORD or "").encode() or None
    return SimpleSigner.load_pkcs12_data(
        Path(settings.ZEGEL_PKCS12).read_bytes(), other_certs=(), passphrase=wachtwoord
    )


@zegel._buiten_een_event_loop
def zegel_vloer(pdf, signer):
    """A bare PAdES signature with the same digest and subfilter as the seal: no visible stamp."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=zegel.VELDNAAM, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def _pagina_aantal(pdf):
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def meet_pdf(afspraak, herhalingen=5, soort=document.ONDERTEKEND, kenmerk=KENMERK, opwarmen=True):
    """Time the final document of `afspraak` `herhalingen` times, after one untimed warm-up run unless
    `opwarmen` is False (the smoke test)."""
    from django.utils import translation

    if herhalingen < 1:
        raise ValueError("herhalingen moet minstens 1 zijn")
    kenmerk = kenmerk if soort == document.ONDERTEKEND else None
    signer = _kale_ondertekenaar()

    koud = ""
    if opwarmen:  # imports, font and map caches, the seal certificate
        html, koud_html = _klok(document.render_html, afspraak, soort=soort, kenmerk=kenmerk, voor_pdf=True)
        pdf, koud_pdf = _klok(document.pdf_van_html, html)
        _, koud_zegel = _klok(zegel.verzegel, pdf)
        zegel_vloer(pdf, signer)
        koud = f"Warm-up (cold): HTML {koud_html:.2f} s, WeasyPrint {koud_pdf:.2f} s, seal {koud_zegel:.2f} s."

    tijden = {naam: [] for naam in ("context", "template", "weasyprint", "zegel", "pdf_vloer", "zegel_vloer")}
    for _ in range(herhalingen):
        with translation.override("nl"):  # as render_html does
            with CaptureQueriesContext(connection) as queries:  # a few dozen queries: no measurable cost
                context, t = _klok(document.document_context, afspraak, soort=soort, kenmerk=kenmerk, voor_pdf=True)
            tijden["context"].append(t)
            html, t = _klok(document.html_van_context, context)
            tijden["template"].append(t)
        pdf, t = _klok(document.pdf_van_html, html)
        tijden["weasyprint"].append(t)
        _, t = _klok(weasyprint_vloer, html)
        tijden["pdf_vloer"].append(t)
        verzegeld, t = _klok(zegel.verzegel, pdf)
        tijden["zegel"].append(t)
        _, t = _klok(zegel_vloer, pdf, signer)
        tijden["zegel_vloer"].append(t)

    totaal = [c + r + w for c, r, w in zip(tijden["context"], tijden["template"], tijden["weasyprint"], strict=True)]
    mediaan = {naam: statistics.median(waarden) for naam, waarden in tijden.items()}
    pdf_ratio = statistics.median(totaal) / mediaan["pdf_vloer"]
    zegel_ratio = mediaan["zegel"] / mediaan["zegel_vloer"]
    paginas = _pagina_aantal(pdf)

    rijen = [
        stap_rij("context (document_context)", tijden["context"], f"{len(queries)} queries"),
        stap_rij("template (HTML string)", tijden["template"], f"{len(html) // 1024} KB HTML"),
        stap_rij("WeasyPrint (pdf_van_html)", tijden["weasyprint"], f"{paginas} pages, {len(pdf) // 1024} KB"),
        stap_rij("PDF total (context + template + WeasyPrint)", totaal),
        stap_rij("floor: WeasyPrint on the rendered HTML", tijden["pdf_vloer"]),
        stap_rij("seal (zegel.verzegel)", tijden["zegel"], f"{len(verzegeld) // 1024} KB sealed"),
        stap_rij("floor: bare pyHanko sign_pdf", tijden["zegel_vloer"], "same certificate, no stamp"),
    ]
    doelen = [
        {
            "naam": "PDF total / WeasyPrint floor",
            "waarde": round(pdf_ratio, 3),
            "doel": f"≤ {DOEL_PDF}×",
            "gehaald": pdf_ratio <= DOEL_PDF,
        },
        {
            "naam": "seal / bare sign_pdf",
            "waarde": round(zegel_ratio, 3),
            "doel": f"≤ {DOEL_ZEGEL}×",
            "gehaald": zegel_ratio <= DOEL_ZEGEL,
        },
    ]
    opmerkingen = [
        f"Agreement {afspraak.pk} ({afspraak.regio.naam}, version {afspraak.versie}), kind {soort}; "
        f"median of {herhalingen}" + (" after one warm-up run." if opwarmen else ", no warm-up run."),
        *([koud] if koud else []),
        "The PDF floor is the same WeasyPrint call (base_url, url_fetcher, PDF/A-2a) without the application "
        "around it; the contents with page numbers cost a second layout pass in both.",
        "The seal floor signs without a visible stamp and puts its field on the first page; the seal draws "
        "its stamp (embedded Noto Sans) on the last page, which makes pyHanko read every page object.",
    ]
    return {
        "titel": f"Agreement PDF ({paginas} pages)",
        "rijen": rijen,
        "doelen": doelen,
        "opmerkingen": opmerkingen,
    }
