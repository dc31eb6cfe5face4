"""/gezondheid/: database and task queue, 200 or 503, never cached, no log-in, no personal data."""

from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from techniek.gezondheid import controleer_database, controleer_taken

pytestmark = pytest.mark.django_db

URL = reverse("gezondheid")


def wachtende_taak(enqueued_at, run_after=None, status="READY"):
    taak = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="afspraken.taken.voorbeeld",
        backend_name="default",
        run_after=run_after or get_date_max(),
        exception_class_path="",
        traceback="",
    )
    # enqueued_at is auto_now_add: set it afterwards to make the task old.
    DBTaskResult.objects.filter(pk=taak.pk).update(enqueued_at=enqueued_at)
    return taak


def test_gezond_met_inline_taken(client, settings):
    settings.TAKEN_BACKEND = "inline"
    antwoord = client.get(URL)
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "application/json"
    assert antwoord["Cache-Control"] == "no-store"
    assert antwoord.json() == {
        "status": "ok",
        "database": {"status": "ok"},
        "taken": {"backend": "inline", "status": "ok"},
    }


def test_geen_inloggen_nodig_en_alleen_lezen(client):
    assert client.get(URL).status_code == 200
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_database_backend_met_lege_wachtrij_is_gezond(client, settings):
    settings.TAKEN_BACKEND = "database"
    antwoord = client.get(URL)
    assert antwoord.status_code == 200
    taken = antwoord.json()["taken"]
    assert taken["backend"] == "database"
    assert taken["status"] == "ok"
    assert taken["wachtend"] == 0
    assert taken["max_wachttijd_seconden"] == 300


def test_oude_wachtende_taak_geeft_503_met_reden(client, settings):
    settings.TAKEN_BACKEND = "database"
    settings.GEZONDHEID_MAX_WACHTTIJD = 300
    wachtende_taak(timezone.now() - timedelta(minutes=10))
    wachtende_taak(timezone.now() - timedelta(seconds=5))

    antwoord = client.get(URL)
    assert antwoord.status_code == 503
    assert antwoord["Cache-Control"] == "no-store"
    gegevens = antwoord.json()
    assert gegevens["status"] == "fout"
    assert gegevens["database"] == {"status": "ok"}
    taken = gegevens["taken"]
    assert taken["status"] == "fout"
    assert taken["wachtend"] == 2
    assert 590 <= taken["oudste_wachttijd_seconden"] <= 700
    assert "db_worker" in taken["reden"]


def test_recente_taak_is_binnen_de_grens(settings):
    settings.TAKEN_BACKEND = "database"
    settings.GEZONDHEID_MAX_WACHTTIJD = 300
    wachtende_taak(timezone.now() - timedelta(seconds=30))
    taken = controleer_taken()
    assert taken["status"] == "ok"
    assert taken["wachtend"] == 1


def test_lopende_en_uitgestelde_taken_tellen_niet_als_wachtend(settings):
    settings.TAKEN_BACKEND = "database"
    oud = timezone.now() - timedelta(hours=2)
    wachtende_taak(oud, status="RUNNING")
    wachtende_taak(oud, status="SUCCESSFUL")
    # Enqueued long ago but only due in an hour: not waiting yet.
    wachtende_taak(oud, run_after=timezone.now() + timedelta(hours=1))
    # Due a minute ago: it waits since then, not since it was enqueued.
    wachtende_taak(oud, run_after=timezone.now() - timedelta(minutes=1))
    taken = controleer_taken()
    assert taken["status"] == "ok"
    assert taken["wachtend"] == 1
    assert taken["oudste_wachttijd_seconden"] < 300


def test_onbereikbare_database_geeft_fout():
    # A second connection with the same settings but a port where nothing listens.
    standaard = connections["default"]
    instellingen = {**standaard.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    instellingen["OPTIONS"] = {**instellingen.get("OPTIONS", {}), "connect_timeout": 2}
    nergens = standaard.__class__(instellingen, alias="nergens")
    try:
        assert controleer_database(nergens) == {"status": "fout", "reden": "De database antwoordt niet."}
    finally:
        nergens.close()


def test_geen_persoonsgegevens(client, gebruiker_factory, settings):
    settings.TAKEN_BACKEND = "database"
    gebruiker_factory(username="jan-jansen", first_name="Jan", last_name="Jansen")
    wachtende_taak(timezone.now() - timedelta(hours=1))
    inhoud = client.get(URL).content.decode()
    assert "jan" not in inhoud.lower()
    assert "afspraken.taken" not in inhoud
