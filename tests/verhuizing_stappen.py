"""Steps of tests/test_verhuizing_accounts.py, each run in a process of its own against the database in
DATABASE_URL: `oud` builds the database as it was before accounts and audit existed, with data; `nieuw` checks
it after `manage.py migrate`. Prints JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

# The last migration of each app before the move; accounts 0001 changes only the state, so applying it and
# then forgetting it leaves the database exactly as the code before the move left it.
VOOR_DE_VERHUIZING = {
    "regio": "0010_sessies_naar_gebruikerbackend",
    "afspraken": "0006_inhoudsversie",
    "aanbod": "0003_inhoudsversie",
    "financiering": "0002_inhoudsversie",
    "accounts": "0001_initial",
}
OUDE_BACKEND = "regio.backends.GebruikerBackend"


def oud():
    executor = MigrationExecutor(connection)
    doelen = [
        (app, VOOR_DE_VERHUIZING.get(app, naam))
        for app, naam in executor.loader.graph.leaf_nodes()
        if app != "audit"
    ]
    executor.migrate(doelen)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app IN ('accounts', 'audit')")
    apps = MigrationExecutor(connection).loader.project_state(doelen).apps
    Organisatie = apps.get_model("regio", "Organisatie")
    Gebruiker = apps.get_model("regio", "Gebruiker")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    organisatie = Organisatie.objects.create(naam="Zorgverzekeraar Oud", soort="partner", partner_soort="anders")
    gebruiker = Gebruiker.objects.create(
        username="oud", first_name="Olga", last_name="Oud", password=make_password("Een-lang-wachtwoord-1"),
        organisatie=organisatie, rol="beheerder", is_staff=True,
    )
    inhoudstype = ContentType.objects.create(app_label="regio", model="gebruiker")
    recht = Permission.objects.create(content_type=inhoudstype, codename="change_gebruiker", name="Can change")
    gebruiker.user_permissions.add(recht)
    apps.get_model("regio", "Auditregel").objects.create(actie="gedownload", gebruiker_id=gebruiker.pk, onderwerp="x")

    from accounts.models import Gebruiker as Nieuw

    sessie = SessionStore()
    sessie.update({
        "_auth_user_id": str(gebruiker.pk),
        "_auth_user_backend": OUDE_BACKEND,
        "_auth_user_hash": Nieuw(password=gebruiker.password).get_session_auth_hash(),
    })
    sessie.create()
    return {"gebruiker": gebruiker.pk, "sessie": sessie.session_key, "inhoudstype": inhoudstype.pk}


def nieuw(gegevens):
    from django.contrib.auth import get_user
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.test import RequestFactory

    from accounts.models import Gebruiker
    from audit.models import Auditregel

    gebruiker = Gebruiker.objects.select_related("organisatie").get(pk=gegevens["gebruiker"])
    verzoek = RequestFactory().get("/")
    verzoek.session = SessionStore(gegevens["sessie"])
    ingelogd = get_user(verzoek)
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on a change
    return {
        "naam": gebruiker.get_full_name(),
        "organisatie": gebruiker.organisatie.naam,
        "recht": gebruiker.has_perm("accounts.change_gebruiker"),
        "inhoudstype": ContentType.objects.get_for_model(Gebruiker).pk,
        "ingelogd": ingelogd.pk if ingelogd.is_authenticated else None,
        "backend": verzoek.session["_auth_user_backend"],
        "auditregels": Auditregel.objects.filter(gebruiker_id=gebruiker.pk).count(),
    }


if __name__ == "__main__":
    if sys.argv[1] == "oud":
        print(json.dumps(oud()))
    else:
        print(json.dumps(nieuw(json.loads(sys.argv[2]))))
