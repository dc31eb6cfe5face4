"""Signing, end to end without a browser: offer, sign per party with a second factor, seal, decline, retry.

The PDF is rendered by WeasyPrint and sealed by pyHanko for real; tasks run inline (ImmediateBackend)
after commit, and once through the database queue with a real `db_worker`.
"""

import io
import unicodedata
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from afspraken import ondertekening as dienst
from afspraken import toetsing, versies
from afspraken.models import Document, Ondertekening, Uitvoeringsafspraak
from afspraken.zegel import controleer
from audit.models import Auditregel
from tests.ondertekening_helpers import aanbieden, beleidsmaker, bestuurders, klaar_voor_ondertekening
from tests.otp_helpers import verifieer, zonder_tweede_factor


@pytest.fixture
def afspraak(db, refdata):
    return klaar_voor_ondertekening()


def _teken(afspraak, bestuurder, vastleggen, sha=None):
    client = Client()
    verifieer(client, bestuurder)
    url = reverse("afspraak_ondertekenen", args=[afspraak.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200
    document = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    assert document.sha256 in pagina.content.decode()
    with vastleggen(execute=True):
        # No name or function is typed: the signature names the account holder.
        return client.post(url, {"besluit": "tekenen", "document_sha256": sha or document.sha256, "akkoord": "on"})


def _pdf_tekst(inhoud):
    # Words as a reader sees them, whatever the line breaks of the layout.
    tekst = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(inhoud)).pages)
    # A name may break after its hyphen ("Noardeast-" / "Fryslân").
    return unicodedata.normalize("NFC", " ".join(tekst.split())).replace("- ", "-")


def test_aanbieden_bevriest_en_maakt_het_document(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    assert afspraak.status == "ter_ondertekening" and afspraak.is_bevroren
    document = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    assert document.status == "klaar" and len(document.sha256) == 64
    tekst = _pdf_tekst(bytes(document.inhoud))
    assert "CONCEPT" not in tekst and afspraak.titel.split()[0] in tekst
    # The text offered is the convenant, complete: no unanswered question, nothing still to be filled in.
    assert "Overwegende dat" in tekst and "Artikel 1. Begripsbepalingen" in tekst
    assert "Niet ingevuld" not in tekst and "nog in te vullen" not in tekst
    assert "bevoegd als" in tekst
    # Every bestuurder got an e-mail with the link to sign.
    ontvangers = {adres for bericht in mail.outbox for adres in bericht.to}
    assert {b.email for b in bestuurders(afspraak)} <= ontvangers
    assert all(reverse("afspraak_ondertekenen", args=[afspraak.pk]) in m.body for m in mail.outbox)
    acties = set(Auditregel.objects.values_list("actie", flat=True))
    assert {"ter_ondertekening", "pdf_gemaakt"} <= acties
    # The bestuurder's task list shows it.
    client = Client()
    client.force_login(bestuurders(afspraak)[0])
    assert afspraak.titel in client.get(reverse("afspraak_taken")).content.decode()


def test_alle_partijen_tekenen_en_het_document_wordt_verzegeld(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    getekend_document = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    allen = bestuurders(afspraak)
    for bestuurder in allen:
        response = _teken(afspraak, bestuurder, django_capture_on_commit_callbacks)
        assert response.status_code == 302
    afspraak.refresh_from_db()
    assert afspraak.status == "ondertekend" and afspraak.ondertekend_op is not None
    assert Ondertekening.objects.filter(afspraak=afspraak, besluit="getekend").count() == len(allen)
    assert set(Ondertekening.objects.values_list("document_sha256", flat=True)) == {getekend_document.sha256}

    definitief = Document.objects.get(afspraak=afspraak, soort="ondertekend")
    inhoud = bytes(definitief.inhoud)
    controle = controleer(inhoud)
    assert controle.authentiek, controle.melding
    tekst = _pdf_tekst(inhoud)
    for bestuurder in allen:
        assert unicodedata.normalize("NFC", bestuurder.get_full_name()) in tekst, bestuurder
    assert getekend_document.sha256[:16] in tekst.replace(" ", "")

    # Basisafspraak 12 is now met by the signature itself.
    oordeel = next(o for o in toetsing.toets(afspraak) if o.basisafspraak.nummer == 12)
    assert oordeel.status == "voldaan"

    # Party members download it; every download is in the audit log.
    client = Client()
    client.force_login(beleidsmaker())
    response = client.get(reverse("afspraak_document_downloaden", args=[afspraak.pk, "ondertekend"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == inhoud
    assert Auditregel.objects.filter(actie="gedownload", object_id=str(definitief.pk)).count() == 1
    assert Auditregel.objects.filter(actie="ondertekend").count() == len(allen)
    assert Auditregel.objects.filter(actie="verzegeld").count() == 1


def test_verkeerde_hash_en_dubbel_tekenen_worden_geweigerd(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    eerste = bestuurders(afspraak)[0]
    _teken(afspraak, eerste, django_capture_on_commit_callbacks, sha="0" * 64)
    assert not Ondertekening.objects.exists()
    _teken(afspraak, eerste, django_capture_on_commit_callbacks)
    with pytest.raises(dienst.Geweigerd):
        dienst.onderteken(afspraak, eerste, document_sha256=Document.objects.get(soort="ter_ondertekening").sha256)
    assert Ondertekening.objects.count() == 1


def test_zonder_tweede_factor_geen_ondertekening(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    client = Client()
    zonder_tweede_factor(client, bestuurders(afspraak)[0])
    response = client.get(reverse("afspraak_ondertekenen", args=[afspraak.pk]))
    assert response.status_code == 302 and "tweede-factor" in response["Location"]
    # Someone who does not sign for a party is not asked to enrol: the page does not exist for them.
    client.force_login(beleidsmaker())
    assert client.get(reverse("afspraak_ondertekenen", args=[afspraak.pk])).status_code == 404


def test_afwijzen_maakt_een_nieuwe_conceptversie(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    bestuurder = bestuurders(afspraak)[1]
    client = Client()
    verifieer(client, bestuurder)
    url = reverse("afspraak_ondertekenen", args=[afspraak.pk])
    sha = Document.objects.get(afspraak=afspraak).sha256
    # Without a reason: refused, nothing written.
    response = client.post(url, {"besluit": "afwijzen", "reden": "", "document_sha256": sha})
    assert response.status_code == 422 and not Ondertekening.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"besluit": "afwijzen", "reden": "De verdeling klopt niet.", "document_sha256": sha}
        )
    assert response.status_code == 302
    afspraak.refresh_from_db()
    assert afspraak.status == "vervangen"
    nieuw = Uitvoeringsafspraak.objects.get(vorige_versie=afspraak)
    assert nieuw.status == "concept" and nieuw.versie == afspraak.versie + 1
    besluit = Ondertekening.objects.get()
    assert besluit.besluit == "afgewezen" and besluit.reden == "De verdeling klopt niet."
    assert any("De verdeling klopt niet." in m.body for m in mail.outbox)
    assert Auditregel.objects.filter(actie="afgewezen").exists()
    assert Auditregel.objects.filter(actie="nieuwe_versie").exists()
    assert versies.verschillen(afspraak, nieuw) == []


def test_mislukte_verzegeling_laat_niets_half_en_kan_opnieuw(
    afspraak, django_capture_on_commit_callbacks, settings, tmp_path
):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    echt = settings.ZEGEL_PKCS12
    settings.ZEGEL_PKCS12 = Path(tmp_path / "bestaat-niet.p12")
    for bestuurder in bestuurders(afspraak):
        _teken(afspraak, bestuurder, django_capture_on_commit_callbacks)
    afspraak.refresh_from_db()
    document = Document.objects.get(afspraak=afspraak, soort="ondertekend")
    assert document.status == "mislukt" and "maak_zegelcertificaat" in document.fout
    assert afspraak.status == "ter_ondertekening"  # never ondertekend without its sealed document
    assert Auditregel.objects.filter(actie="taak_mislukt").exists()

    settings.ZEGEL_PKCS12 = echt
    client = Client()
    client.force_login(beleidsmaker())
    pagina = client.get(reverse("afspraak_ondertekening", args=[afspraak.pk]))
    assert "Opnieuw proberen" in pagina.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("afspraak_document_opnieuw", args=[afspraak.pk, "ondertekend"]))
    afspraak.refresh_from_db()
    document.refresh_from_db()
    assert document.status == "klaar" and document.pogingen == 2 and afspraak.status == "ondertekend"
    # Idempotent: running the task again changes nothing.
    sha = document.sha256
    dienst.maak_document(document.pk)
    document.refresh_from_db()
    assert document.sha256 == sha and document.pogingen == 2


def test_wijziging_na_ondertekening(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    for bestuurder in bestuurders(afspraak):
        _teken(afspraak, bestuurder, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(beleidsmaker())
    response = client.post(reverse("afspraak_nieuwe_versie", args=[afspraak.pk]), {"reden": "Nieuw aanbod"})
    assert response.status_code == 302
    nieuw = Uitvoeringsafspraak.objects.get(vorige_versie=afspraak)
    afspraak.refresh_from_db()
    # The signed version stays in force while the amendment is written.
    assert afspraak.status == "ondertekend" and nieuw.status == "concept"
    nieuw.status = "gereed"
    nieuw.save()
    aanbieden(nieuw, django_capture_on_commit_callbacks)
    for bestuurder in bestuurders(nieuw):
        _teken(nieuw, bestuurder, django_capture_on_commit_callbacks)
    afspraak.refresh_from_db()
    nieuw.refresh_from_db()
    assert nieuw.status == "ondertekend" and afspraak.status == "vervangen"


@pytest.mark.django_db(transaction=True)
def test_taak_via_de_databasewachtrij_en_een_worker(refdata, settings):
    afspraak = klaar_voor_ondertekening()
    # As in production: the request only queues; a separate worker makes the PDF.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    dienst.aanbieden(afspraak, beleidsmaker())
    document = Document.objects.get(afspraak=afspraak)
    assert document.status == "wachtrij"
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())
    document.refresh_from_db()
    assert document.status == "klaar" and document.sha256


def test_pdf_van_een_bevroren_versie_is_het_opgeslagen_bestand(afspraak, django_capture_on_commit_callbacks):
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(beleidsmaker())
    response = client.get(reverse("afspraak_document_pdf", args=[afspraak.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("afspraak_document_downloaden", args=[afspraak.pk, "ter_ondertekening"])
    opgeslagen = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    assert client.get(response["Location"]).content == bytes(opgeslagen.inhoud)


def test_peilen_naar_het_document_zegt_alleen_iets_als_het_klaar_is(db, refdata):
    from accounts.models import Gebruiker
    from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

    afspraak = maak_afspraak(4)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ter_ondertekening")
    document = Document.objects.create(afspraak=afspraak, soort="ter_ondertekening")
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "peil-beleid"))
    url = reverse("afspraak_ondertekening", args=[afspraak.pk]) + "?deel=documenten"
    # While it is being made: no content, so a screen reader hears nothing every 2 seconds.
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 204
    Document.objects.filter(pk=document.pk).update(status="klaar", inhoud=b"%PDF-1.7", sha256="c" * 64, grootte=8)
    # Done: the new state once, and 286 stops htmx's polling.
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 286 and "c" * 64 in response.content.decode()
    # The preview of a frozen version is the text offered for signing, not a concept.
    voorbeeld = client.get(reverse("afspraak_document", args=[afspraak.pk])).content.decode()
    assert "Ter ondertekening aangeboden" in voorbeeld

