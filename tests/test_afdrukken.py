"""The concept PDF is made by the task worker, once per state of the agreement's content (afspraken.afdrukken):
the content counter that every save raises, the page that says the PDF is being made, polling, a retry.

As in production the tasks go to the database queue here and `db_worker` makes them; the inline backend of the
demo is covered by tests/test_document.py (the first request gets the PDF at once) and tests/test_metingen.py.
"""

import io
import re
import threading
import traceback

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken import afdrukken, fasen, secties
from afspraken.models import Afdruk, Uitvoeringsafspraak
from audit.models import Auditregel
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie

DATABASEWACHTRIJ = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HTMX = {"HX-Request": "true"}


def _tekst(pdf):
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _taken():
    return DBTaskResult.objects.filter(task_path="afspraken.taken.maak_afdruk").count()


def _werker():
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


def _teller(afspraak):
    return Uitvoeringsafspraak.objects.values_list("inhoudsteller", flat=True).get(pk=afspraak.pk)


def _urls(afspraak):
    return (
        reverse("afspraak_document_pdf", args=[afspraak.pk]),
        reverse("afspraak_document_pdf_stand", args=[afspraak.pk]),
        reverse("afspraak_document_pdf_opnieuw", args=[afspraak.pk]),
    )


@pytest.fixture
def wachtrij(settings):
    settings.TASKS = DATABASEWACHTRIJ


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(4)


@pytest.fixture
def beleid(refdata):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "afdruk-beleid")


@pytest.mark.django_db(transaction=True)  # db_worker closes the connection, ending a test's transaction
def test_concept_eenmaal_per_stand_gemaakt_door_de_werker(wachtrij, afspraak, beleid):
    client = _client(beleid)
    pdf_url, stand_url, _ = _urls(afspraak)

    # Queued, not made: the page says so and offers to look again; a second request queues nothing new.
    for _ in range(2):
        pagina = client.get(pdf_url)
        assert pagina.status_code == 200 and pagina["Content-Type"].startswith("text/html")
        html = pagina.content.decode()
        assert "Het PDF-document wordt gemaakt" in html
        assert f'<a href="{stand_url}">Opnieuw kijken</a>' in html
        assert 'role="status"' in html and f'hx-get="{stand_url}" hx-trigger="every 2s"' in html
        assert "http-equiv" not in html  # no refresh the user cannot stop (WCAG 2.2.1)
    assert _taken() == 1 and Afdruk.objects.get().status == Afdruk.Status.WACHTRIJ
    assert client.get(stand_url, headers=HTMX).status_code == 204  # a poll while it is made: nothing to announce

    _werker()
    afdruk = Afdruk.objects.get()
    assert (afdruk.status, afdruk.stand, afdruk.pogingen) == (Afdruk.Status.KLAAR, "0", 1)
    klaar = client.get(stand_url, headers=HTMX)
    assert klaar.status_code == 286  # the state once; 286 stops htmx's polling
    assert "Het PDF-document is klaar" in klaar.content.decode() and f'href="{pdf_url}"' in klaar.content.decode()
    zonder_js = client.get(stand_url).content.decode()
    assert "Het PDF-document is klaar" in zonder_js and "hx-trigger" not in zonder_js

    eerste = client.get(pdf_url)
    assert eerste["Content-Type"] == "application/pdf"
    assert eerste["Content-Disposition"] == 'attachment; filename="uitvoeringsafspraak-regio-4-versie-1-concept.pdf"'
    assert afspraak.titel in _tekst(eerste.content)
    # The second request for the same content gets the same file: not made again, not queued again.
    assert client.get(pdf_url).content == eerste.content
    nogmaals = Afdruk.objects.get()
    assert (nogmaals.pk, nogmaals.gereed_op, nogmaals.pogingen) == (afdruk.pk, afdruk.gereed_op, 1)
    assert _taken() == 1
    gedownload = Auditregel.objects.filter(actie=Auditregel.Actie.GEDOWNLOAD, object_id=str(afspraak.pk))
    assert list(gedownload.values_list("gebruiker_id", "gegevens")) == [(beleid.pk, {"soort": "concept"})] * 2

    # A save raises the counter; the next request queues a new PDF, and once that is made the old one goes.
    gegevens = {"versie": "1", "titel": "Afspraak Kwartelkoning", "looptijd_start": "2026-01-01",
                "looptijd_einde": "2029-12-31"}
    assert client.post(reverse("afspraak_gegevens", args=[afspraak.pk]), gegevens).status_code == 302
    assert _teller(afspraak) == 1
    assert "Het PDF-document wordt gemaakt" in client.get(pdf_url).content.decode()
    assert _taken() == 2
    _werker()
    assert list(Afdruk.objects.values_list("stand", "status")) == [("1", Afdruk.Status.KLAAR)]
    assert "Afspraak Kwartelkoning" in _tekst(client.get(pdf_url).content)


def test_mislukt_toont_de_fout_en_opnieuw_proberen_zet_het_eenmaal_terug(wachtrij, afspraak, beleid, beheerder):
    client = _client(beleid)
    pdf_url, stand_url, opnieuw_url = _urls(afspraak)
    client.get(pdf_url)
    # What a failed render leaves behind (afdrukken.maak; see the real failure below).
    Afdruk.objects.update(status=Afdruk.Status.MISLUKT, pogingen=1, fout="OSError: schijf vol")
    antwoord = client.get(stand_url, headers=HTMX)
    assert antwoord.status_code == 286
    html = antwoord.content.decode()
    assert "Het maken van het PDF-document is mislukt" in html
    assert f'action="{opnieuw_url}"' in html and "Opnieuw proberen</button>" in html
    assert "schijf vol" not in html  # the technical message is for the beheerder
    assert "schijf vol" in _client(beheerder).get(stand_url).content.decode()
    for _ in range(2):  # a second click finds it queued already
        antwoord = client.post(opnieuw_url)
        assert antwoord.status_code == 302 and antwoord["Location"] == stand_url
    assert Afdruk.objects.get().status == Afdruk.Status.WACHTRIJ and _taken() == 2

    # A real failure: a report without its year cannot be rendered. Left retryable, with the error.
    kapot = Afdruk.objects.create(afspraak=afspraak, soort=Afdruk.Soort.MONITORINGSRAPPORT, stand="kapot")
    afdrukken.maak(kapot.pk)
    kapot.refresh_from_db()
    assert kapot.status == Afdruk.Status.MISLUKT and kapot.fout.startswith("TypeError")
    assert Auditregel.objects.filter(actie=Auditregel.Actie.TAAK_MISLUKT, object_id=str(kapot.pk)).exists()

    # Offered for signing meanwhile: the stored document counts, and while it is made the signing page shows it.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING)
    antwoord = client.get(pdf_url)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("afspraak_ondertekening", args=[afspraak.pk]) + "#documenten"
    peiling = client.get(stand_url, headers=HTMX)
    assert peiling.status_code == 286 and "Deze versie ligt intussen vast" in peiling.content.decode()


def test_elke_wijziging_van_de_inhoud_verhoogt_de_inhoudsteller(afspraak, beleid):
    eerder_gelezen = Uitvoeringsafspraak.objects.get(pk=afspraak.pk)
    visie = secties.definitie(fasen.VISIE)
    tekst = {**met_versie(visie.sleutel, 0), f"{visie.sleutel}-antwoord": "Samen sterk."}
    assert secties.bewaar_tekst(visie, afspraak, tekst, beleid).ok
    assert _teller(afspraak) == 1
    # The same text again changes nothing; a save on an old version is refused. Neither counts.
    assert secties.bewaar_tekst(visie, afspraak, {**tekst, **met_versie(visie.sleutel, 1)}, beleid).ok
    assert secties.bewaar_tekst(visie, afspraak, tekst, beleid).conflict is not None
    assert _teller(afspraak) == 1

    acties = secties.definitie("acties-verkennen")
    nieuw = {"acties-verkennen-nieuw-omschrijving": "Overleg", "acties-verkennen-nieuw-status": "open"}
    rij = secties.voeg_rij_toe(acties, afspraak, nieuw, beleid).rij
    assert _teller(afspraak) == 2
    prefix = acties.rij_prefix(rij.pk)
    bewerkt = {**met_versie(prefix, 1), f"{prefix}-omschrijving": "Overleg plannen", f"{prefix}-status": "open"}
    assert secties.bewaar_rij(acties, afspraak, rij.pk, bewerkt, beleid).ok
    assert _teller(afspraak) == 3
    assert secties.verwijder_rij(acties, afspraak, rij.pk, met_versie(prefix, 2), beleid).ok
    assert _teller(afspraak) == 4

    client = _client(beleid)
    client.post(reverse("afspraak_toelichting", args=[afspraak.pk, 7]), {"ba7-tekst": "Deels extern."})
    assert _teller(afspraak) == 5
    gegevens = {"versie": "1", "titel": "Andere titel", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31"}
    client.post(reverse("afspraak_gegevens", args=[afspraak.pk]), gegevens)
    assert _teller(afspraak) == 6
    # Back from gereed to concept: the concept document names its status.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    client.post(reverse("afspraak_concept", args=[afspraak.pk]))
    assert _teller(afspraak) == 7

    # save() of an agreement read before those changes never writes its old count back.
    eerder_gelezen.titel = "Nog een titel"
    eerder_gelezen.save()
    assert _teller(afspraak) == 7


@pytest.mark.django_db(transaction=True)
def test_tegelijk_gevraagd_komt_het_eenmaal_in_de_wachtrij(refdata, settings):
    settings.TASKS = DATABASEWACHTRIJ
    afspraak = maak_afspraak(4)
    beleid = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "afdruk-tegelijk")
    clients = [_client(beleid) for _ in range(8)]
    url = reverse("afspraak_document_pdf", args=[afspraak.pk])
    barriere = threading.Barrier(len(clients), timeout=60)
    statussen, fouten = [], []

    def vraag(client):
        try:
            barriere.wait()
            statussen.append(client.get(url).status_code)
        except BaseException:  # noqa: BLE001 - reported below, with the traceback
            fouten.append(traceback.format_exc())
            barriere.abort()
        finally:
            connection.close()

    draden = [threading.Thread(target=vraag, args=(c,), daemon=True) for c in clients]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(90)
    assert not fouten, fouten[0]
    assert statussen == [200] * len(clients)
    assert Afdruk.objects.count() == 1 and _taken() == 1
