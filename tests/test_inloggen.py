import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import WACHTWOORD, GebruikerFactory

pytestmark = pytest.mark.django_db


def test_inloggen_en_uitloggen(client):
    GebruikerFactory(username="anna")
    response = client.post(reverse("inloggen"), {"username": "anna", "password": WACHTWOORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" in client.session
    # Log-out is a POST (a link could be triggered by anyone's page).
    assert client.get(reverse("uitloggen")).status_code == 405
    client.post(reverse("uitloggen"))
    assert "_auth_user_id" not in client.session


def test_verkeerd_wachtwoord_geeft_nederlandse_melding(client):
    GebruikerFactory(username="bert")
    response = client.post(reverse("inloggen"), {"username": "bert", "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_na_vijf_mislukte_pogingen_geblokkeerd(client, settings):
    GebruikerFactory(username="cees")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("inloggen"), {"username": "cees", "password": "fout"}, REMOTE_ADDR="10.0.0.1")
    # Even the right password is refused during the cool-off.
    response = client.post(reverse("inloggen"), {"username": "cees", "password": WACHTWOORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_een_adres_dat_veel_gebruikersnamen_probeert_wordt_geblokkeerd(client, settings):
    """Password spraying: one wrong password each for many usernames from one address. No username reaches the
    per-username limit, the address does; another address and the right password elsewhere are not affected."""
    settings.INLOGPOGINGEN_PER_ADRES = 6
    namen = [f"spray{n}" for n in range(settings.INLOGPOGINGEN_PER_ADRES)]
    for naam in namen:
        GebruikerFactory(username=naam)
    for naam in namen:
        response = client.post(reverse("inloggen"), {"username": naam, "password": "Zomer2026!"},
                               REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 200
    response = client.post(reverse("inloggen"), {"username": namen[0], "password": WACHTWOORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    tekst = response.content.decode()
    assert "Vanaf dit netwerkadres is in korte tijd te vaak een verkeerd wachtwoord ingevuld" in tekst
    assert "_auth_user_id" not in client.session
    # Someone else, elsewhere, logs in as usual.
    ander = Client()
    response = ander.post(reverse("inloggen"), {"username": namen[0], "password": WACHTWOORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302 and "_auth_user_id" in ander.session


def test_een_paar_fouten_op_een_kantooradres_blokkeren_niemand(client, settings):
    GebruikerFactory(username="anna")
    GebruikerFactory(username="bram")
    for _ in range(2):
        client.post(reverse("inloggen"), {"username": "anna", "password": "fout"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("inloggen"), {"username": "bram", "password": WACHTWOORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_beheerder_krijgt_toegang_tot_admin_en_beleidsmaker_niet(client):
    beheerder = GebruikerFactory(username="dina", rol="beheerder")
    assert beheerder.is_staff
    client.force_login(beheerder)
    assert client.get("/admin/regio/doorstroompuntregio/").status_code == 200
    assert client.get("/admin/regio/gemeente/add/").status_code == 403
    beleidsmaker = GebruikerFactory(username="eef", rol="beleidsmaker")
    assert not beleidsmaker.is_staff
    client.force_login(beleidsmaker)
    assert client.get("/admin/regio/doorstroompuntregio/").status_code == 302


def test_een_sessie_van_voor_de_gebruikerbackend_blijft_ingelogd(client, settings):
    """Sessions stored under ModelBackend are moved by regio 0010 (to regio.backends.GebruikerBackend), and from
    there by accounts 0002 to accounts.backends.GebruikerBackend."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    migratie = import_module("regio.migrations.0010_sessies_naar_gebruikerbackend")
    gebruiker = GebruikerFactory(username="dirk", first_name="Dirk", last_name="Dekker")
    sessie = SessionStore()
    sessie[SESSION_KEY] = str(gebruiker.pk)
    sessie[BACKEND_SESSION_KEY] = migratie.MODELBACKEND
    sessie[HASH_SESSION_KEY] = gebruiker.get_session_auth_hash()
    sessie.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessie.session_key
    # A backend no longer listed does not restore the user: the log-in page.
    assert client.get(reverse("afspraak_lijst")).status_code == 302

    migratie.vooruit(apps, None)
    import_module("accounts.migrations.0002_inhoudstypen_en_sessies").vooruit(apps, None)
    antwoord = client.get(reverse("afspraak_lijst"))
    assert antwoord.status_code == 200 and "Dirk Dekker" in antwoord.content.decode()
    assert SessionStore(sessie.session_key).load()[BACKEND_SESSION_KEY] == "accounts.backends.GebruikerBackend"
