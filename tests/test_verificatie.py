"""The public verification pages (/verifieren/): upload a PDF, see whether it is the signed, sealed original."""

import hashlib
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from afspraken import zegel
from afspraken.models import Document, Ondertekening, Uitvoeringsafspraak
from afspraken.views import verificatie
from audit.models import Auditregel
from tests.afspraak_helpers import gebruiker_van, maak_afspraak
from tests.test_zegel import een_byte_anders, maak_pdf, verzegel_met_ander_certificaat


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    onverzegeld = maak_pdf()
    return {
        "onverzegeld": onverzegeld,
        "eigen": zegel.verzegel(onverzegeld),
        "vreemd": verzegel_met_ander_certificaat(onverzegeld, tmp_path_factory.mktemp("vreemd")),
    }


def ter_ondertekening(regionummer=4):
    """An agreement offered for signing and signed by all its parties (the status rules allow no shortcut)."""
    afspraak = maak_afspraak(regionummer)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status="ter_ondertekening", ter_ondertekening_op=timezone.now()
    )
    for i, partij in enumerate(afspraak.partijen.select_related("organisatie")):
        gebruiker = gebruiker_van(partij.organisatie, "bestuurder", f"bestuurder-{regionummer}-{i}")
        Ondertekening.objects.create(
            afspraak=afspraak, partij=partij, besluit="getekend", gebruiker=gebruiker,
            naam=f"Bestuurder Nummer{i}", functie="Wethouder", organisatie_naam=partij.organisatie.naam,
            document_sha256="0" * 64, tijdstip=timezone.now(),
        )
    return afspraak


@pytest.fixture
def document(refdata, pdfs):
    afspraak = ter_ondertekening(4)
    moment = timezone.now()
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ondertekend", ondertekend_op=moment)
    inhoud = pdfs["eigen"]
    return Document.objects.create(
        afspraak=afspraak, soort="ondertekend", status="klaar", inhoud=inhoud,
        sha256=hashlib.sha256(inhoud).hexdigest(), grootte=len(inhoud), gereed_op=moment,
    )


def upload(inhoud, naam="afspraak.pdf", soort="application/pdf"):
    return {"bestand": SimpleUploadedFile(naam, inhoud, content_type=soort)}


def tekst(response):
    """The page's visible text, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def laatste_audit():
    return Auditregel.objects.filter(actie=Auditregel.Actie.GEVERIFIEERD).order_by("-pk").first()


def test_formulier_voor_iedereen(client, db):
    response = client.get(reverse("verificatie"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "PDF, maximaal 25 MB" in html
    assert 'for="id_bestand"' in html and 'aria-describedby="id_bestand_helptext"' in html
    assert "csrfmiddlewaretoken" in html


def test_authentiek_document(client, document):
    response = client.post(reverse("verificatie"), upload(document.inhoud))
    assert response.status_code == 200
    pagina = tekst(response)
    assert "authentiek" in pagina.lower()
    afspraak = document.afspraak
    assert afspraak.regio.naam in pagina
    assert "Bestuurder Nummer0" in pagina
    assert "1 januari 2026 tot en met 31 december 2029" in pagina
    for partij in afspraak.partijen.select_related("organisatie"):
        assert partij.organisatie.naam in pagina
    regel = laatste_audit()
    assert regel.gegevens == {"uitkomst": "authentiek", "sha256": document.sha256}
    assert regel.object_id == str(document.pk) and regel.gebruiker_id is None


def test_gewijzigd_document(client, document):
    response = client.post(reverse("verificatie"), upload(een_byte_anders(document.inhoud)))
    assert response.status_code == 200
    pagina = tekst(response)
    assert "gewijzigd" in pagina
    assert "Bestuurder Nummer0" not in pagina  # nothing of the original is shown for a changed copy
    assert laatste_audit().gegevens["uitkomst"] == "gewijzigd"


def test_bytes_toegevoegd(client, document):
    response = client.post(reverse("verificatie"), upload(document.inhoud + b"\n% toegevoegd na het verzegelen\n"))
    assert "gewijzigd" in tekst(response)
    assert laatste_audit().gegevens["uitkomst"] == "gewijzigd"


def test_zegel_van_ander(client, document, pdfs):
    response = client.post(reverse("verificatie"), upload(pdfs["vreemd"]))
    assert response.status_code == 200
    assert "niet van deze toepassing" in tekst(response)
    assert laatste_audit().gegevens["uitkomst"] == "ander_zegel"


def test_pdf_zonder_zegel(client, document, pdfs):
    response = client.post(reverse("verificatie"), upload(pdfs["onverzegeld"]))
    assert "geen zegel" in tekst(response)
    assert laatste_audit().gegevens["uitkomst"] == "geen_zegel"


def test_eigen_zegel_maar_onbekend_document(client, db, pdfs):
    response = client.post(reverse("verificatie"), upload(pdfs["eigen"]))
    pagina = tekst(response)
    assert "niet bij de ondertekende afspraken" in pagina
    assert laatste_audit().gegevens["uitkomst"] == "onbekend"


def test_niet_ondertekend_wordt_nooit_getoond(client, refdata, pdfs):
    # Sealed bytes stored with a version that is not (yet) signed: nothing of it is public.
    afspraak = ter_ondertekening(4)
    inhoud = pdfs["eigen"]
    stukken = [
        Document.objects.create(afspraak=afspraak, soort=soort, status="klaar", inhoud=inhoud,
                                sha256=hashlib.sha256(inhoud).hexdigest(), grootte=len(inhoud))
        for soort in ("ter_ondertekening", "ondertekend")
    ]
    response = client.post(reverse("verificatie"), upload(inhoud))
    pagina = tekst(response)
    assert "Bestuurder Nummer0" not in pagina and afspraak.titel not in pagina
    assert laatste_audit().gegevens["uitkomst"] == "onbekend"
    for stuk in stukken:
        assert client.get(reverse("verificatie_document", kwargs={"kenmerk": stuk.kenmerk})).status_code == 404


def test_tekstbestand_is_fout_bij_het_veld(client, db):
    response = client.post(reverse("verificatie"), upload(b"Dit is geen PDF.\n", "notitie.txt", "text/plain"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_bestand_error"' in html
    veld = re.search(r"<input[^>]*name=\"bestand\"[^>]*>", html).group(0)
    assert "id_bestand_error" in veld and 'aria-invalid="true"' in veld
    assert 'href="#id_bestand"' in html  # the error summary links to the field
    assert "geen PDF" in html
    assert laatste_audit().gegevens["uitkomst"] == "geen_pdf"


def test_te_groot(client, db, monkeypatch):
    assert verificatie.MAX_GROOTTE == 25 * 1024 * 1024
    monkeypatch.setattr(verificatie, "MAX_GROOTTE", 1000)
    response = client.post(reverse("verificatie"), upload(b"%PDF-1.7\n" + b"0" * 2000))
    assert response.status_code == 422
    assert "groter dan 25 MB" in response.content.decode()
    assert laatste_audit().gegevens["uitkomst"] == "te_groot"


def test_geen_bestand_gekozen(client, db):
    response = client.post(reverse("verificatie"), {})
    assert response.status_code == 422
    assert "Kies het PDF-bestand" in response.content.decode()


def test_csrf_verplicht(db, pdfs):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("verificatie"), upload(pdfs["eigen"]))
    assert response.status_code == 403


def test_onbekend_kenmerk_is_404(client, db):
    response = client.get(reverse("verificatie_document", kwargs={"kenmerk": uuid.uuid4()}))
    assert response.status_code == 404


def test_document_pagina(client, document, django_assert_max_num_queries):
    url = reverse("verificatie_document", kwargs={"kenmerk": document.kenmerk})
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    pagina = tekst(response)
    assert document.afspraak.regio.naam in pagina
    assert "Bestuurder Nummer0" in pagina and "Wethouder" in pagina
    assert document.sha256 in pagina
    assert f'action="{url}"' in response.content.decode()


def test_document_pagina_vergelijkt_kopie(client, document, pdfs):
    url = reverse("verificatie_document", kwargs={"kenmerk": document.kenmerk})
    response = client.post(url, upload(document.inhoud))
    pagina = tekst(response)
    assert "authentiek" in pagina.lower() and "hetzelfde document" in pagina
    regel = laatste_audit()
    assert regel.object_id == str(document.pk) and regel.gegevens["uitkomst"] == "authentiek"

    response = client.post(url, upload(een_byte_anders(document.inhoud)))
    assert "gewijzigd" in tekst(response)
    assert laatste_audit().object_id == str(document.pk)


def test_document_pagina_fout_422(client, document):
    url = reverse("verificatie_document", kwargs={"kenmerk": document.kenmerk})
    response = client.post(url, upload(b"nee", "x.txt", "text/plain"))
    assert response.status_code == 422
    assert 'id="id_bestand_error"' in response.content.decode()


def test_te_veel_controles_van_een_adres_worden_afgeremd(client, db):
    url = reverse("verificatie")
    for _ in range(verificatie.MAX_CONTROLES):
        assert client.post(url, {}).status_code == 422
    response = client.post(url, {})
    assert response.status_code == 429
    assert "Probeer het over tien minuten opnieuw" in response.content.decode()
