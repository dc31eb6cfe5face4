"""What names the moved models outside their tables follows them: content types and stored sessions.

- The content types of regio.organisatie, regio.gebruiker and regio.auditregel get app label accounts or audit,
  so the permissions granted on them and the admin's log entries keep pointing at them.
- Sessions stored with the backend's old path (regio.backends.GebruikerBackend) get its new one: Django restores
  a session's user only through a backend still in AUTHENTICATION_BACKENDS, so nobody is logged out by the
  deploy (as regio migration 0010 did before). Expired sessions are left to clearsessions.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

MODELLEN = [("organisatie", "accounts"), ("gebruiker", "accounts"), ("auditregel", "audit")]
OUDE_BACKEND = "regio.backends.GebruikerBackend"
NIEUWE_BACKEND = "accounts.backends.GebruikerBackend"


def _inhoudstypen(apps, van_nieuw):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app in MODELLEN:
        van, naar = ("regio", app) if van_nieuw else (app, "regio")
        oud = ContentType.objects.filter(app_label=van, model=model).first()
        if oud is None:
            continue  # a fresh database: post_migrate creates the new one
        # Only made by a post_migrate in between (`migrate accounts 0001`): empty, the old one holds the references.
        ContentType.objects.filter(app_label=naar, model=model).delete()
        oud.app_label = naar
        oud.save(update_fields=["app_label"])


def _sessies(apps, van, naar):
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
    _inhoudstypen(apps, van_nieuw=True)
    _sessies(apps, OUDE_BACKEND, NIEUWE_BACKEND)


def terug(apps, schema_editor):
    _inhoudstypen(apps, van_nieuw=False)
    _sessies(apps, NIEUWE_BACKEND, OUDE_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(vooruit, terug)]
