"""The application's PAdES seal: the certificate command, sealing and checking (afspraken.zegel)."""

import io
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from afspraken import zegel

HTML = """<!doctype html><html lang="nl"><head><title>Proef</title></head><body>
<h1>Uitvoeringsafspraak proef</h1><p>Eerste pagina.</p>
<p style="break-before: page">Tweede pagina met de ondertekening.</p></body></html>"""


def maak_pdf(html=HTML):
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3a")


@pytest.fixture(scope="module")
def onverzegeld():
    return maak_pdf()


@pytest.fixture(scope="module")
def verzegeld(onverzegeld):
    return zegel.verzegel(onverzegeld)


def verzegel_met_ander_certificaat(pdf, map):
    """Seal with another self-signed certificate that even carries the same name."""
    pad = map / "vreemd.p12"
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="ander", stdout=io.StringIO())
    oud = settings.ZEGEL_PKCS12, settings.ZEGEL_WACHTWOORD
    settings.ZEGEL_PKCS12, settings.ZEGEL_WACHTWOORD = pad, "ander"
    try:
        return zegel.verzegel(pdf)
    finally:
        settings.ZEGEL_PKCS12, settings.ZEGEL_WACHTWOORD = oud


@pytest.fixture(scope="module")
def vreemd_verzegeld(onverzegeld, tmp_path_factory):
    return verzegel_met_ander_certificaat(onverzegeld, tmp_path_factory.mktemp("vreemd"))


def een_byte_anders(pdf):
    """Flip one byte inside a content stream, well within the signed byte range."""
    positie = pdf.index(b"stream", 200) + 30
    gewijzigd = bytearray(pdf)
    gewijzigd[positie] ^= 0x01
    return bytes(gewijzigd)


# --- the command ---


def test_commando_maakt_geldig_pkcs12(tmp_path):
    pad = tmp_path / "sub" / "map" / "zegel.p12"
    uit = io.StringIO()
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="geheim", stdout=uit)
    assert pad.exists()
    assert oct(pad.stat().st_mode & 0o777) == "0o600"
    sleutel, certificaat, extra = pkcs12.load_key_and_certificates(pad.read_bytes(), b"geheim")
    assert sleutel is not None and extra == []
    cn = certificaat.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    o = certificaat.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value
    assert cn == o == settings.ZEGEL_NAAM
    gebruik = certificaat.extensions.get_extension_for_class(x509.KeyUsage).value
    assert gebruik.digital_signature and gebruik.content_commitment and not gebruik.key_cert_sign
    duur = certificaat.not_valid_after_utc - certificaat.not_valid_before_utc
    assert 3650 <= duur.days <= 3660
    vingerafdruk = certificaat.fingerprint(certificaat.signature_hash_algorithm).hex(":").upper()
    assert vingerafdruk in uit.getvalue()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(pad.read_bytes(), b"fout")


def test_commando_overschrijft_niet_zonder_vervang(tmp_path):
    pad = tmp_path / "zegel.p12"
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="geheim", stdout=io.StringIO())
    voor = pad.read_bytes()
    with pytest.raises(CommandError, match="--vervang"):
        call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="geheim", stdout=io.StringIO())
    assert pad.read_bytes() == voor
    # make run calls it every time: an existing certificate is kept.
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="geheim", als_ontbreekt=True, stdout=io.StringIO())
    assert pad.read_bytes() == voor
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord="geheim", vervang=True, stdout=io.StringIO())
    assert pad.read_bytes() != voor


def test_commando_weigert_zonder_wachtwoord(tmp_path):
    with pytest.raises(CommandError, match="wachtwoord"):
        call_command("maak_zegelcertificaat", pad=str(tmp_path / "z.p12"), wachtwoord="", stdout=io.StringIO())
    assert not (tmp_path / "z.p12").exists()


# --- sealing ---


def test_verzegelen_is_incrementeel_en_authentiek(onverzegeld, verzegeld):
    assert verzegeld.startswith(onverzegeld)  # incremental update: the original bytes stay as they were
    controle = zegel.controleer(verzegeld)
    assert controle.authentiek, controle
    assert (controle.is_pdf, controle.verzegeld, controle.intact, controle.ongewijzigd, controle.eigen_zegel) == (
        True, True, True, True, True
    )
    assert controle.getekend_op is not None
    assert controle.uitkomst == "authentiek"
    assert "authentiek" in controle.melding


def test_pyhanko_zelf_is_het_eens(verzegeld):
    eigen = zegel._laad_zegel().certificaat
    reader = PdfFileReader(io.BytesIO(verzegeld))
    (handtekening,) = reader.embedded_signatures
    assert handtekening.field_name == "Zegel"
    assert handtekening.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # pyHanko's sync API needs a thread without an event loop (Playwright may run one in this process).
    status = zegel._buiten_een_event_loop(validate_pdf_signature)(
        handtekening, signer_validation_context=ValidationContext(trust_roots=[eigen], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"


def test_zichtbaar_stempel_op_laatste_pagina(verzegeld):
    pagina_s = PdfReader(io.BytesIO(verzegeld)).pages
    assert len(pagina_s) == 2
    assert not pagina_s[0].get("/Annots")
    (widget,) = [a.get_object() for a in pagina_s[-1]["/Annots"] if a.get_object().get("/T") == "Zegel"]
    assert [float(v) for v in widget["/Rect"]] == [56, 18, 320, 82]
    assert int(widget["/F"]) & 4  # printable, as PDF/A requires
    weergave = widget["/AP"]["/N"].get_object()
    lettertypen = weergave["/Resources"]["/Font"]
    for verwijzing in lettertypen.values():
        lettertype = verwijzing.get_object()
        # Embedded (PDF/A forbids the standard 14 fonts without their program).
        beschrijving = lettertype["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in beschrijving
    assert len(weergave.get_data()) > 0


def test_verzegelen_zonder_certificaat_zegt_wat_te_doen(onverzegeld, tmp_path):
    oud = settings.ZEGEL_PKCS12
    settings.ZEGEL_PKCS12 = tmp_path / "bestaat-niet.p12"
    try:
        with pytest.raises(zegel.ZegelNietBeschikbaar, match="maak_zegelcertificaat"):
            zegel.verzegel(onverzegeld)
    finally:
        settings.ZEGEL_PKCS12 = oud


def test_verzegelen_met_fout_wachtwoord(onverzegeld):
    oud = settings.ZEGEL_WACHTWOORD
    settings.ZEGEL_WACHTWOORD = "niet-het-wachtwoord"
    try:
        with pytest.raises(zegel.ZegelNietBeschikbaar, match="ZEGEL_WACHTWOORD"):
            zegel.verzegel(onverzegeld)
    finally:
        settings.ZEGEL_WACHTWOORD = oud


def test_controleren_zonder_certificaat(verzegeld, tmp_path):
    oud = settings.ZEGEL_PKCS12
    settings.ZEGEL_PKCS12 = tmp_path / "bestaat-niet.p12"
    try:
        controle = zegel.controleer(verzegeld)
    finally:
        settings.ZEGEL_PKCS12 = oud
    assert controle.intact and controle.ongewijzigd and not controle.eigen_zegel and not controle.authentiek
    assert controle.uitkomst == "zegel_niet_controleerbaar"


# --- checking what was changed or is not ours ---


def test_een_byte_gewijzigd_is_niet_intact(verzegeld):
    controle = zegel.controleer(een_byte_anders(verzegeld))
    assert controle.is_pdf and controle.verzegeld
    assert not controle.intact and not controle.authentiek
    assert controle.uitkomst == "gewijzigd"


def test_bytes_erachter_is_gewijzigd(verzegeld):
    controle = zegel.controleer(verzegeld + b"\n% nog iets\n")
    assert controle.intact and controle.eigen_zegel
    assert not controle.ongewijzigd and not controle.authentiek
    assert controle.uitkomst == "gewijzigd"


def test_incrementele_wijziging_na_verzegelen(verzegeld):
    schrijver = IncrementalPdfFileWriter(io.BytesIO(verzegeld))
    pagina_ref, _ = schrijver.find_page_for_modification(0)
    notitie = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (100, 100, 120, 120)]),
            generic.NameObject("/Contents"): generic.TextStringObject("Bedrag verdubbeld"),
        }
    )
    schrijver.register_annotation(pagina_ref, schrijver.add_object(notitie))
    uit = io.BytesIO()
    schrijver.write(uit)
    gewijzigd = uit.getvalue()
    assert gewijzigd.startswith(verzegeld)
    controle = zegel.controleer(gewijzigd)
    assert controle.intact and controle.eigen_zegel
    assert not controle.ongewijzigd and not controle.authentiek
    assert controle.uitkomst == "gewijzigd"


def test_zegel_van_ander_certificaat(vreemd_verzegeld):
    controle = zegel.controleer(vreemd_verzegeld)
    assert controle.is_pdf and controle.verzegeld and controle.intact and controle.ongewijzigd
    assert controle.ondertekenaar == settings.ZEGEL_NAAM  # same name, other key
    assert not controle.eigen_zegel and not controle.authentiek
    assert controle.uitkomst == "ander_zegel"


@pytest.mark.parametrize(
    "naam, inhoud",
    [
        ("leeg", lambda pdf, v: b""),
        ("willekeurig", lambda pdf, v: os.urandom(4096)),
        ("tekst", lambda pdf, v: "Gewoon een tekstbestand.\n".encode()),
        ("alleen kop", lambda pdf, v: b"%PDF-1.7\n"),
        ("afgekapt", lambda pdf, v: v[: len(v) // 2]),
        ("afgekapt net voor het einde", lambda pdf, v: v[:-40]),
        ("kop en rommel", lambda pdf, v: b"%PDF-1.7\n" + os.urandom(5000) + b"\nstartxref\n12\n%%EOF\n"),
    ],
)
def test_slechte_invoer_geeft_een_controle(naam, inhoud, onverzegeld, verzegeld):
    controle = zegel.controleer(inhoud(onverzegeld, verzegeld))
    assert isinstance(controle, zegel.Controle)
    assert not controle.authentiek
    assert controle.melding
    assert len(controle.sha256) == 64


def test_pdf_zonder_zegel(onverzegeld):
    controle = zegel.controleer(onverzegeld)
    assert controle.is_pdf and not controle.verzegeld and not controle.authentiek
    assert controle.uitkomst == "geen_zegel"


def test_ondertekenaar_wordt_per_bestand_gecachet(onverzegeld, tmp_path):
    eerste = zegel._laad_zegel()
    assert zegel._laad_zegel() is eerste
    pad = tmp_path / "nieuw.p12"
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord=settings.ZEGEL_WACHTWOORD, stdout=io.StringIO())
    oud = settings.ZEGEL_PKCS12
    settings.ZEGEL_PKCS12 = Path(pad)
    try:
        assert zegel._laad_zegel() is not eerste
    finally:
        settings.ZEGEL_PKCS12 = oud
