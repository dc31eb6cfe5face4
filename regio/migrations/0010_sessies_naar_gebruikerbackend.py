"""Sessions logged in under Django's ModelBackend move to regio.backends.GebruikerBackend.

Django only restores a session's user through a backend that is still in AUTHENTICATION_BACKENDS: without this,
everyone logged in when the new backend was deployed would be sent to the log-in page, and a form sent at that
moment would be lost. Only the stored backend path changes; expired sessions are left to clearsessions.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

MODELBACKEND = "django.contrib.auth.backends.ModelBackend"
GEBRUIKERBACKEND = "regio.backends.GebruikerBackend"


def verplaats(apps, van, naar):
    Session = apps.get_model("sessions", "Session")
    winkel = SessionStore()  # encode/decode only: the signing of the sessions table
    gewijzigd = []
    for sessie in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        gegevens = winkel.decode(sessie.session_data)
        if gegevens.get(BACKEND_SESSION_KEY) == van:
            gegevens[BACKEND_SESSION_KEY] = naar
            sessie.session_data = winkel.encode(gegevens)
            gewijzigd.append(sessie)
    Session.objects.bulk_update(gewijzigd, ["session_data"], batch_size=500)


def vooruit(apps, schema_editor):
    verplaats(apps, MODELBACKEND, GEBRUIKERBACKEND)


def terug(apps, schema_editor):
    verplaats(apps, GEBRUIKERBACKEND, MODELBACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("regio", "0009_versie_van_gebruikers_en_lijsten"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(vooruit, terug)]
