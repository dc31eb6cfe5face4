"""The agreement as a document: the PDF (PDF/A-2a, tagged, fonts embedded), the preview, and the renderer
fetching nothing but the application's own static files."""

import datetime
import http.server
import io
import re
import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken import document, fasen, secties
from afspraken.models import Actie, Afdruk, Ambitie, Fase, Ondertekening, Partij, Uitvoeringsafspraak
from audit.models import Auditregel
from financiering import berekening
from financiering.verdeling import euro
from regio.models import Gemeente
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    met_versie,
    voeg_gemeenten_toe,
)

FRIESLAND = 4
KLEINE_REGIO = 4


def _tekst(pdf):
    lezer = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in lezer.pages))


def _zonder_witruimte(tekst):
    return re.sub(r"\s+", "", tekst)


def _lettertypen(pdf):
    """{BaseFont: has an embedded TrueType program} over all pages."""
    lezer = PdfReader(io.BytesIO(pdf))
    uitkomst = {}
    for pagina in lezer.pages:
        fonts = (pagina.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            beschrijvingen = []
            if "/FontDescriptor" in font:
                beschrijvingen.append(font["/FontDescriptor"].get_object())
            for afstammeling in font.get("/DescendantFonts", []):
                beschrijvingen.append(afstammeling.get_object()["/FontDescriptor"].get_object())
            uitkomst[str(font["/BaseFont"])] = all("/FontFile2" in b for b in beschrijvingen) and bool(beschrijvingen)
    return uitkomst


# --- the full demo agreement, rendered once for this module --------------------------------------------


@pytest.fixture(scope="module")
def friesland(django_db_setup, django_db_blocker):
    """The three kinds of PDF of the Friesland Noord demo agreement, plus what the tests expect in them.

    Everything happens in one transaction that is rolled back, so other modules never see the demo data.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Gemeente.objects.exists():  # a transactional test before this module flushed it
                call_command("laad_referentiedata", verbosity=0)
            call_command("laad_demodata", stdout=StringIO())
            afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(regio__nummer=FRIESLAND)
            firda = Partij.objects.get(afspraak=afspraak, organisatie__naam="Firda")
            firda.bestuurder = None  # a signatory without an account yet: shown by name and function
            firda.bestuurder_naam, firda.bestuurder_functie = "Demo Voorzitter", "voorzitter college van bestuur (demo)"
            firda.save()
            partijen = list(Partij.objects.filter(afspraak=afspraak).select_related("organisatie", "bestuurder"))
            verdeling = berekening.bereken(afspraak).verdeling
            uitkomst = {
                "titels": [f"Artikel {n}. {d.titel}" for n, d in enumerate(document.artikeldelen(), start=1)]
                + [f"Bijlage {n}. {d.titel}" for n, d in enumerate(document.bijlagedelen(), start=1)],
                "partijen": [p.organisatie.naam for p in partijen],
                # The account holders, as their accounts name them.
                "ondertekenaars": [
                    f"{p.bestuurder.weergavenaam}, {p.bestuurder.functie}" for p in partijen if p.bestuurder_id
                ],
                "verdeling": verdeling,
                "concept": document.render_pdf(afspraak),
            }

            afspraak.status = Uitvoeringsafspraak.Status.TER_ONDERTEKENING
            afspraak.ter_ondertekening_op = timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0))
            afspraak.save()
            uitkomst["ter_ondertekening"] = document.render_pdf(afspraak, soort=document.TER_ONDERTEKENING)

            bestuurder = Gebruiker.objects.create(username="document-bestuurder", rol=Gebruiker.Rol.BESTUURDER)
            sha = "ab" * 32
            for nummer, partij in enumerate(partijen[:3], start=1):
                Ondertekening.objects.create(
                    afspraak=afspraak, partij=partij, besluit=Ondertekening.Besluit.GETEKEND, gebruiker=bestuurder,
                    naam=f"Demo Bestuurder {nummer}", functie="bestuurder (demo)",
                    organisatie_naam=partij.organisatie.naam, document_sha256=sha,
                    tijdstip=timezone.make_aware(datetime.datetime(2026, 11, 20, 14, 30)),
                )
            kenmerk = uuid.UUID("12345678-1234-4123-8123-123456789abc")
            uitkomst["ondertekend"] = document.render_pdf(afspraak, soort=document.ONDERTEKEND, kenmerk=kenmerk)
            uitkomst["ondertekenaar_namen"] = [p.organisatie.naam for p in partijen[:3]]
            uitkomst["sha"] = sha
            uitkomst["kenmerk"] = kenmerk
            uitkomst["verificatie_url"] = document.verificatie_url(kenmerk)
            transaction.set_rollback(True)
    return uitkomst


def test_elke_titel_uit_de_registers_staat_in_de_pdf(friesland):
    tekst = _tekst(friesland["concept"])
    ontbrekend = [t for t in friesland["titels"] if t not in tekst]
    assert not ontbrekend, ontbrekend
    # The articles and bijlagen of aanbod and financiering came through their registrations, not through afspraken.
    artikelen = {d.sleutel for d in document.artikeldelen()}
    bijlagen = {d.sleutel for d in document.bijlagedelen()}
    assert {"aanbod", "personele-inzet", "warme-overdracht", "financiering"} <= artikelen & bijlagen
    for titel in ("Inhoud", "Partijen", "Overwegende dat", "Komen overeen", "Ondertekening", "Basisafspraak 12"):
        assert titel in tekst


def test_verdeling_tot_op_de_cent(friesland):
    tekst = _tekst(friesland["concept"])
    verdeling = friesland["verdeling"]
    assert verdeling is not None and verdeling.partijen
    for sleutel in verdeling.partijen[:5]:
        for jaar in verdeling.jaren:
            bedrag = euro(verdeling.per_partij[sleutel][jaar])
            assert re.match(r"^€ -?\d{1,3}(\.\d{3})*,\d\d$", bedrag)
            assert bedrag in tekst, (verdeling.namen[sleutel], jaar, bedrag)
        assert euro(verdeling.totaal_van(sleutel)) in tekst
    assert euro(verdeling.totaal_looptijd) in tekst


def test_partijen_ondertekenaars_paginanummers_en_datums(friesland):
    tekst = _tekst(friesland["concept"])
    for naam in friesland["partijen"]:
        assert naam in tekst
    assert friesland["ondertekenaars"] and all(o in tekst for o in friesland["ondertekenaars"])
    # Firda's signer has no account: the concept says what is missing, never the name typed on the party row.
    assert "Demo Voorzitter" not in tekst
    assert "[nog in te vullen: de ondertekenaar]" in tekst
    aantal = len(PdfReader(io.BytesIO(friesland["concept"])).pages)
    assert f"Pagina 1 van {aantal}" in tekst and f"Pagina {aantal} van {aantal}" in tekst
    assert "1 januari 2026 tot en met 31 december 2029" in tekst


def test_concept_heeft_watermerk_op_elke_pagina(friesland):
    lezer = PdfReader(io.BytesIO(friesland["concept"]))
    assert all("CONCEPT" in p.extract_text() for p in lezer.pages)
    for soort in ("ter_ondertekening", "ondertekend"):
        assert "CONCEPT" not in _tekst(friesland[soort]), soort


def test_ter_ondertekening_noemt_de_datum_en_lege_vakken(friesland):
    tekst = _tekst(friesland["ter_ondertekening"])
    assert "Ter ondertekening aangeboden op 2 november 2026" in tekst
    assert "Handtekening: nog niet ondertekend" in tekst and "Datum:" in tekst
    # Only an account holder signs: the name typed on Firda's party row is not in the text.
    assert "Demo Voorzitter" not in tekst and "nog in te vullen" not in tekst


def test_ondertekend_noemt_handtekeningen_hash_en_verificatieadres(friesland):
    tekst = _tekst(friesland["ondertekend"])
    for nummer, organisatie in enumerate(friesland["ondertekenaar_namen"], start=1):
        assert re.search(
            rf"Ondertekend namens {re.escape(organisatie)} door Demo Bestuurder {nummer}, bestuurder \(demo\), "
            r"bevoegd als [^.]+, op 20 november 2026 14:30", tekst
        ), organisatie
    assert friesland["sha"] in _zonder_witruimte(tekst)
    assert _zonder_witruimte(friesland["verificatie_url"]) in _zonder_witruimte(tekst)
    assert str(friesland["kenmerk"]) in friesland["verificatie_url"]
    # The QR code is vector graphics in the page, not an image.
    lezer = PdfReader(io.BytesIO(friesland["ondertekend"]))
    paginas = [p.extract_text() for p in lezer.pages]
    # As in a convenant: the articles, then the signatures with the means to verify them, then the bijlagen.
    artikelen = max(i for i, t in enumerate(paginas) if "Slotbepalingen" in t)
    handtekeningen = min(i for i, t in enumerate(paginas) if "Ondertekend namens" in t)
    verificatie = next(i for i, t in enumerate(paginas) if "Controleer of dit document echt en ongewijzigd is" in t)
    bijlage = min(i for i, t in enumerate(paginas) if "De antwoorden van de partijen op de vragen" in t)
    assert artikelen <= handtekeningen <= verificatie < bijlage
    # The QR code is vector graphics in the page, not an image.
    xobjects = (lezer.pages[verificatie].get("/Resources") or {}).get("/XObject") or {}
    assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


def test_pdf_a_2a_getagd_met_ingebedde_lettertypen(friesland):
    pdf = friesland["concept"]
    lezer = PdfReader(io.BytesIO(pdf))
    catalogus = lezer.trailer["/Root"]
    xmp = catalogus["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(=\"|>)2", xmp), xmp
    assert re.search(r"pdfaid:conformance(=\"|>)A", xmp), xmp
    assert "/StructTreeRoot" in catalogus
    assert catalogus["/MarkInfo"]["/Marked"]
    assert catalogus["/Lang"] == "nl"
    assert "Friesland Noord" in lezer.metadata.title
    assert lezer.metadata.author
    lettertypen = _lettertypen(pdf)
    assert lettertypen and all(lettertypen.values()), lettertypen
    assert all("Noto-Sans" in naam for naam in lettertypen), lettertypen


def test_zegelvak_blijft_vrij_op_de_laatste_pagina(friesland):
    """Nothing is drawn where pyHanko puts the seal stamp (56–320 pt × 18–82 pt from bottom-left)."""
    lezer = PdfReader(io.BytesIO(friesland["ondertekend"]))
    laatste = lezer.pages[-1]
    assert float(laatste.mediabox.width) == pytest.approx(595.28, abs=0.5)
    assert float(laatste.mediabox.height) == pytest.approx(841.89, abs=0.5)
    posities = []

    def bezoek(tekst, cm, tm, font, grootte):
        if tekst.strip():
            posities.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], tekst))

    laatste.extract_text(visitor_text=bezoek)
    in_vak = [(x, y, t) for x, y, t in posities if 56 <= x <= 320 and 18 <= y <= 82]
    assert not in_vak, in_vak
    assert any("Pagina" in t for _, _, t in posities)


# --- the renderer fetches nothing from outside ----------------------------------------------------------


class _Opnemer(http.server.BaseHTTPRequestHandler):
    verzoeken = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.verzoeken.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Opnemer.verzoeken = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Opnemer)
    draad = threading.Thread(target=httpd.serve_forever, daemon=True)
    draad.start()
    yield httpd.server_address[1], _Opnemer.verzoeken
    httpd.shutdown()
    httpd.server_close()


def test_veldinhoud_met_urls_wordt_tekst_en_niets_wordt_opgehaald(refdata, server):
    poort, verzoeken = server
    ladingen = [
        f'<img src="http://127.0.0.1:{poort}/x">',
        f'<link rel=stylesheet href="http://127.0.0.1:{poort}/y.css">',
        '<link href="file:///etc/passwd">',
        f"<style>body{{background:url(http://127.0.0.1:{poort}/z)}}</style>",
    ]
    afspraak = maak_afspraak(KLEINE_REGIO)
    afspraak.titel = f"Afspraak {ladingen[0]}"
    afspraak.save()
    schrijver = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "doc-schrijver")
    definitie = secties.definitie(fasen.VISIE)
    uitkomst = secties.bewaar_tekst(
        definitie, afspraak, {**met_versie(definitie.sleutel, 0), f"{definitie.sleutel}-antwoord": " ".join(ladingen)},
        schrijver
    )
    assert uitkomst.ok
    Actie.objects.create(afspraak=afspraak, fase=Fase.VERKENNEN, omschrijving=ladingen[1])
    Ambitie.objects.create(afspraak=afspraak, omschrijving=ladingen[3], toelichting=ladingen[2])

    html = document.render_html(afspraak, voor_pdf=True)
    assert "<img src=\"http://127.0.0.1" not in html and "&lt;img src=" in html
    pdf = document.render_pdf(afspraak)

    assert verzoeken == []
    tekst = _zonder_witruimte(_tekst(pdf))
    for lading in ladingen:
        assert _zonder_witruimte(lading) in tekst, lading


def test_fetcher_levert_eigen_statische_bestanden():
    fetcher = document.url_fetcher()
    antwoord = fetcher.fetch(document.BASIS_URL + "fonts/NotoSans-Regular.ttf")
    assert antwoord.read(4) == b"\x00\x01\x00\x00"
    antwoord.close()
    antwoord = fetcher.fetch(document.BASIS_URL + "document/document.css")
    assert b"@font-face" in antwoord.read()
    antwoord.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/static/document/document.css",
        "data:text/css,body{color:red}",
        document.BASIS_URL + "../../etc/passwd",
        document.BASIS_URL + "document/../../../etc/passwd",
        document.BASIS_URL + "%2e%2e/%2e%2e/etc/passwd",
        document.BASIS_URL + "..%2f..%2fetc%2fpasswd",
        document.BASIS_URL + "/etc/passwd",
        document.BASIS_URL + "fonts/bestaat-niet.ttf",
        document.BASIS_URL,
        "https://document.invalid/etc/passwd",
    ],
)
def test_fetcher_weigert_al_het_andere(url):
    with pytest.raises(document.BronGeweigerd):
        document.url_fetcher().fetch(url)


# --- the views ------------------------------------------------------------------------------------------


@pytest.fixture
def kleine_afspraak(refdata):
    return maak_afspraak(KLEINE_REGIO)


def test_voorbeeld_toont_het_document_met_conceptbanner(
    beheerder_client, kleine_afspraak, django_assert_max_num_queries
):
    url = reverse("afspraak_document", kwargs={"pk": kleine_afspraak.pk})
    with django_assert_max_num_queries(60):
        antwoord = beheerder_client.get(url)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "CONCEPT" in html
    assert reverse("afspraak_document_pdf", kwargs={"pk": kleine_afspraak.pk}) in html
    for deel in document.delen():
        assert deel.titel in html
    assert html.count("<h1") == 1


def test_voorbeeld_telt_niet_meer_queries_bij_meer_partijen(beheerder_client, kleine_afspraak):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("afspraak_document", kwargs={"pk": kleine_afspraak.pk})
    beheerder_client.get(url)
    with CaptureQueriesContext(connection) as voor:
        beheerder_client.get(url)
    voeg_gemeenten_toe(kleine_afspraak, 10)
    with CaptureQueriesContext(connection) as na:
        beheerder_client.get(url)
    assert len(na.captured_queries) == len(voor.captured_queries)


def test_pdf_download_met_auditregel(beheerder_client, beheerder, kleine_afspraak):
    url = reverse("afspraak_document_pdf", kwargs={"pk": kleine_afspraak.pk})
    antwoord = beheerder_client.get(url)
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "application/pdf"
    assert antwoord["Content-Disposition"] == (
        f'attachment; filename="uitvoeringsafspraak-regio-{KLEINE_REGIO}-versie-1-concept.pdf"'
    )
    assert antwoord.content.startswith(b"%PDF-")
    assert "CONCEPT" in _tekst(antwoord.content)
    regel = Auditregel.objects.get(actie=Auditregel.Actie.GEDOWNLOAD, object_id=str(kleine_afspraak.pk))
    assert regel.gebruiker_id == beheerder.pk
    assert regel.object_soort == "afspraken.uitvoeringsafspraak"
    assert regel.gegevens == {"soort": "concept"}
    # The inline task backend (demo, tests) made it within the request; a second request gets the same file.
    afdruk = Afdruk.objects.get(afspraak=kleine_afspraak)
    assert beheerder_client.get(url).content == antwoord.content
    assert Afdruk.objects.get(afspraak=kleine_afspraak).gereed_op == afdruk.gereed_op


def test_buitenstaander_krijgt_404(client, kleine_afspraak):
    buiten = gebruiker_van(gemeente_organisatie("Enschede"), Gebruiker.Rol.BELEIDSMAKER, "doc-buiten")
    client.force_login(buiten)
    for naam in ("afspraak_document", "afspraak_document_pdf"):
        assert client.get(reverse(naam, kwargs={"pk": kleine_afspraak.pk})).status_code == 404
    client.logout()
    for naam in ("afspraak_document", "afspraak_document_pdf"):  # without a session: the log-in page
        antwoord = client.get(reverse(naam, kwargs={"pk": kleine_afspraak.pk}))
        assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("inloggen") + "?next=")
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD).exists()


def test_partijlid_leest_het_document(client, kleine_afspraak):
    lid = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "doc-bestuurder")
    client.force_login(lid)
    antwoord = client.get(reverse("afspraak_document", kwargs={"pk": kleine_afspraak.pk}))
    assert antwoord.status_code == 200
