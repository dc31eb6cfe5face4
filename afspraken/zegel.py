"""The application's PAdES seal: sealing a signed agreement and checking an uploaded copy.

The seal is an electronic signature of the application itself (not of a person) with the certificate in
ZEGEL_PKCS12. Checking trusts that one certificate only and never fetches anything from the network.
"""

import asyncio
import concurrent.futures
import functools
import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation

logger = logging.getLogger(__name__)

VELDNAAM = "Zegel"
# The signature page reserves this area at the bottom of the last page (points, from the bottom left).
STEMPEL_VAK = (56, 18, 320, 82)
LETTERTYPE = Path("static") / "fonts" / "NotoSans-Regular.ttf"
LETTERGROOTTE = 9


class ZegelNietBeschikbaar(Exception):
    """The seal certificate cannot be loaded: sealing is impossible until it is configured."""


@dataclass(frozen=True)
class _Zegelsleutel:
    signer: object  # pyhanko SimpleSigner
    certificaat: object  # asn1crypto x509.Certificate


_cache = {}
_cache_slot = threading.Lock()


def _laad_zegel():
    """The signer from ZEGEL_PKCS12, loaded once per file version (path, mtime, size)."""
    from pyhanko.sign.signers import SimpleSigner

    pad = Path(settings.ZEGEL_PKCS12)
    hint = "Voer `python manage.py maak_zegelcertificaat` uit of zet ZEGEL_PKCS12 op een geldig PKCS#12-bestand."
    try:
        stat = pad.stat()
    except OSError:
        raise ZegelNietBeschikbaar(f"Het zegelcertificaat {pad} bestaat niet. {hint}") from None
    wachtwoord = settings.ZEGEL_WACHTWOORD or ""
    sleutel = (str(pad.resolve()), stat.st_mtime_ns, stat.st_size, hashlib.sha256(wachtwoord.encode()).digest())
    with _cache_slot:
        if sleutel in _cache:
            return _cache[sleutel]
        try:
            inhoud = pad.read_bytes()
            signer = SimpleSigner.load_pkcs12_data(inhoud, other_certs=(), passphrase=wachtwoord.encode() or None)
        except (OSError, ValueError) as fout:
            raise ZegelNietBeschikbaar(
                f"Het zegelcertificaat {pad} kan niet worden gelezen; klopt ZEGEL_WACHTWOORD? {hint}"
            ) from fout
        _cache.clear()  # only the current file matters
        _cache[sleutel] = _Zegelsleutel(signer=signer, certificaat=signer.signing_cert)
        return _cache[sleutel]


def _tijd_tekst(moment):
    with translation.override("nl"):
        return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


@functools.cache
def _lettertype_fabriek():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ZonderLayouttabellen(GlyphAccumulator):
        """pyHanko drops GSUB, GPOS and GDEF from the embedded subset anyway, but fontTools' subsetter first
        decompiles them (Noto Sans's cover every script): 1–1.5 s per seal, five times a bare signature.
        Removing them just before subsetting skips that work; HarfBuzz has already shaped the text with them,
        so the glyphs, advances and the embedded font are the same as before."""

        def _extract_subset(self, options=None):
            for tabel in ("GSUB", "GPOS", "GDEF"):
                if tabel in self.tt:
                    del self.tt[tabel]
            super()._extract_subset(options)

    @dataclass(frozen=True)
    class Fabriek(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()  # as GlyphAccumulatorFactory does
            # Read into memory: pyHanko's own factory leaves its file handle open.
            inhoud = BytesIO(Path(self.font_file).read_bytes())
            return ZonderLayouttabellen(
                writer=writer, font_handle=inhoud, font_size=self.font_size, obj_stream=obj_stream
            )

    return Fabriek


@functools.cache
def _ondertekenaarklasse():
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers.constants import ESIC_EXTENSION_1

    class Ondertekenaar(signers.PdfSigner):
        """pyHanko's signer, declaring only what a PDF 1.7 file may declare.

        With an ECDSA key on a curve of ISO/TS 32002 pyHanko registers that extension, which is one of PDF 2.0,
        and raises the catalog's /Version to 2.0. Our documents are PDF/A-2/3, defined on PDF 1.7, so that claim
        would be broken. A PAdES signature with ECDSA is valid in PDF 1.7 with the ESIC extension (ETSI EN 319 142),
        which is the only one declared here.
        """

        def register_extensions(self, pdf_out, *, md_algorithm):
            if self.signature_meta.subfilter == SigSeedSubFilter.PADES:
                pdf_out.ensure_output_version(version=(1, 7))  # as pyHanko does for PAdES
                pdf_out.register_extension(ESIC_EXTENSION_1)

    return Ondertekenaar


def _info_zoals_pyhanko_de_xmp_schrijft(writer):
    """PDF/A wants Info and XMP to say the same. When pyHanko updates a file with XMP it writes its own name as the
    XMP producer but appends it to the Info producer, and takes the time twice (Info and XMP), only writing the
    Info /ModDate if there is one. So: the Info producer becomes pyHanko's own name (the producer of this last
    revision; title, author and creation date stay those of the document in both) and Info has no /ModDate,
    leaving the one modification date in the XMP."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        verwijzing = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info = verwijzing.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    info.pop("/ModDate", None)
    writer.mark_update(verwijzing)


@functools.cache
def _lezerklasse():
    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.decode_limits import DecodePurpose
    from pyhanko.pdf_utils.reader import PdfFileReader

    class Lezer(PdfFileReader):
        """pyHanko's reader, but an object stream's table of contents is read once instead of per object.

        Placing the stamp on the last page makes pyHanko read every page object to count them. WeasyPrint
        puts them in object streams of hundreds of objects, and pyHanko parses the stream's table up to
        the wanted object for each of them: about a third of a seal. Anything unexpected goes to pyHanko's
        own code.
        """

        def __init__(self, *args, **kwargs):
            self._inhoudstafels = {}
            super().__init__(*args, **kwargs)

        def _inhoudstafel(self, stmnum):
            if stmnum not in self._inhoudstafels:
                try:
                    stroom = generic.Reference(stmnum, 0, self).get_object()
                    data = stroom.read_data(DecodePurpose.OBJECT_STREAM)
                    eerste, aantal = int(stroom["/First"]), int(stroom["/N"])
                    kop = data[:eerste].split()
                    posities = {int(kop[2 * i]): eerste + int(kop[2 * i + 1]) for i in range(aantal)}
                    self._inhoudstafels[stmnum] = (data, posities)
                except (KeyError, IndexError, TypeError, ValueError):
                    self._inhoudstafels[stmnum] = None
            return self._inhoudstafels[stmnum]

        def _get_object_from_stream(self, idnum, stmnum, idx):
            tafel = self._inhoudstafel(stmnum)
            if tafel is None or idnum not in tafel[1]:
                return super()._get_object_from_stream(idnum, stmnum, idx)
            data, posities = tafel
            buffer = BytesIO(data)
            buffer.seek(posities[idnum])
            try:
                return generic.read_object(buffer, generic.Reference(idnum, 0, self))
            except misc.PdfReadError:
                return super()._get_object_from_stream(idnum, stmnum, idx)

    return Lezer


def _stempelstijl():
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    # An embedded font: the documents are PDF/A, which forbids the unembedded standard fonts.
    lettertype = _lettertype_fabriek()(str(Path(settings.BASE_DIR) / LETTERTYPE), font_size=LETTERGROOTTE)
    return TextStampStyle(
        stamp_text="%(tekst)s",
        text_box_style=TextBoxStyle(font=lettertype, font_size=LETTERGROOTTE, leading=LETTERGROOTTE + 3),
        border_width=1,
        background=None,
    )


def _buiten_een_event_loop(functie):
    """pyHanko's synchronous API calls asyncio.run(), which fails in a thread that already runs an event loop
    (an async server, or Playwright's sync API in the test process): run it in a fresh thread then."""

    @functools.wraps(functie)
    def uitvoeren(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return functie(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as uitvoerder:
            return uitvoerder.submit(functie, *args, **kwargs).result()

    return uitvoeren


@_buiten_een_event_loop
def verzegel(pdf: bytes) -> bytes:
    """Seal the PDF (PAdES, incremental update) with a visible stamp in STEMPEL_VAK on the last page."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    zegel = _laad_zegel()
    tekst = (
        f"Verzegeld door {settings.ZEGEL_NAAM}\n{_tijd_tekst(timezone.now())}\n"
        f"Controleer op {settings.PUBLIEKE_URL}/verifieren/"
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), prev=_lezerklasse()(BytesIO(pdf), strict=False), strict=False)
    _info_zoals_pyhanko_de_xmp_schrijft(writer)
    pdf_signer = _ondertekenaarklasse()(
        signers.PdfSignatureMetadata(
            field_name=VELDNAAM,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=settings.ZEGEL_NAAM,
            reason="Verzegeling van de ondertekende uitvoeringsafspraak",
        ),
        signer=zegel.signer,
        stamp_style=_stempelstijl(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=VELDNAAM, on_page=-1, box=STEMPEL_VAK),
    )
    uit = pdf_signer.sign_pdf(writer, appearance_text_params={"tekst": tekst})
    return uit.getvalue()


@dataclass
class Controle:
    """What checking an uploaded file found. Every flag is False until proven."""

    sha256: str = ""
    is_pdf: bool = False
    verzegeld: bool = False
    intact: bool = False
    ongewijzigd: bool = False
    eigen_zegel: bool = False
    getekend_op: datetime | None = None
    ondertekenaar: str = ""  # common name in the sealing certificate, as the file claims it
    zegel_controleerbaar: bool = True  # False when this application has no certificate to compare with

    @property
    def authentiek(self):
        return self.is_pdf and self.verzegeld and self.intact and self.ongewijzigd and self.eigen_zegel

    @property
    def uitkomst(self):
        """Short code of the first check that failed (for the audit log and the templates)."""
        if not self.is_pdf:
            return "geen_pdf"
        if not self.verzegeld:
            return "geen_zegel"
        if not self.intact:
            return "gewijzigd"
        if not self.eigen_zegel:
            return "ander_zegel" if self.zegel_controleerbaar else "zegel_niet_controleerbaar"
        if not self.ongewijzigd:
            return "gewijzigd"
        return "authentiek"

    @property
    def melding(self):
        return MELDINGEN[self.uitkomst]


MELDINGEN = {
    "geen_pdf": "Dit bestand is geen leesbare PDF. Kies het PDF-bestand van de ondertekende uitvoeringsafspraak.",
    "geen_zegel": (
        "Deze PDF heeft geen zegel. Alleen de ondertekende en verzegelde uitvoeringsafspraak is te controleren."
    ),
    "gewijzigd": (
        "Deze PDF is na het verzegelen gewijzigd. "
        "Vertrouw de inhoud niet en vraag de contactgemeente om het origineel."
    ),
    "ander_zegel": (
        "Het zegel in deze PDF is niet van deze toepassing. "
        "Vertrouw de inhoud niet en vraag de contactgemeente om het origineel."
    ),
    "zegel_niet_controleerbaar": (
        "Het zegel kan nu niet worden gecontroleerd, omdat het zegelcertificaat van deze toepassing ontbreekt. "
        "Probeer het later opnieuw."
    ),
    "authentiek": "Deze PDF is authentiek en ongewijzigd: verzegeld door deze toepassing.",
}


def _kies_handtekening(reader):
    handtekeningen = reader.embedded_regular_signatures
    eigen_veld = [h for h in handtekeningen if h.field_name == VELDNAAM]
    # Our field if present (a later signature must then show up as a change), otherwise the latest one.
    return (eigen_veld or handtekeningen or [None])[-1]


@_buiten_een_event_loop
def controleer(pdf: bytes) -> Controle:
    """Check an uploaded file against the application's seal. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    pdf = bytes(pdf or b"")
    controle = Controle(sha256=hashlib.sha256(pdf).hexdigest())
    if b"%PDF-" not in pdf[:1024]:
        return controle
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        handtekening = _kies_handtekening(reader)
    except Exception:
        logger.info("Controle: geen leesbare PDF (sha256 %s)", controle.sha256, exc_info=True)
        return controle
    controle.is_pdf = True
    if handtekening is None:
        return controle
    controle.verzegeld = True

    try:
        eigen = _laad_zegel().certificaat
    except ZegelNietBeschikbaar:
        logger.warning("Controle zonder zegelcertificaat: eigen zegel niet te bepalen")
        eigen, controle.zegel_controleerbaar = None, False

    try:
        controle.ondertekenaar = handtekening.signer_cert.subject.native.get("common_name", "") or ""
        context = ValidationContext(
            trust_roots=[eigen] if eigen is not None else [], allow_fetching=False, revocation_mode="soft-fail"
        )
        # No diff analysis: any byte after the signed range already means "changed" for a sealed final document.
        status = validate_pdf_signature(handtekening, signer_validation_context=context, skip_diff=True)
    except Exception:
        logger.info("Controle: zegel niet te valideren (sha256 %s)", controle.sha256, exc_info=True)
        return controle

    controle.intact = bool(status.intact and status.valid)
    controle.ongewijzigd = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    controle.eigen_zegel = bool(
        eigen is not None and status.trusted and status.signing_cert.dump() == eigen.dump()
    )
    controle.getekend_op = status.signer_reported_dt or handtekening.self_reported_timestamp
    return controle
