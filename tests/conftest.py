"""Shared test harness: PostgreSQL check, reference data, factories, Playwright browser and axe scan.

Run through `make test`, which starts a throwaway PostgreSQL server and sets DATABASE_URL.
"""

import os
import threading

import pytest
from django.core.management import call_command
from django.db.backends.signals import connection_created


def pytest_configure(config):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) and not os.environ.get("TESTS_OP_SQLITE"):
        raise pytest.UsageError(
            "De tests draaien tegen PostgreSQL: start ze met `make test` (die zet DATABASE_URL)."
        )


@pytest.fixture(autouse=True)
def snelle_wachtwoorden(settings):
    # The real hasher costs ~0.3 s per user; what the tests check does not depend on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tweede_factor_bij_force_login(monkeypatch):
    """A bestuurder or beheerder can do nothing before their session passed the second factor (issue 26). In the
    tests `client.force_login(gebruiker)` stands for a finished log-in: for them the session is verified with their
    authenticator app (made if they have none). Tests of the second factor itself log in with
    `tests.otp_helpers.zonder_tweede_factor`."""
    from django.test import Client

    from tests import otp_helpers  # takes Django's own force_login before it is replaced here

    def force_login(client, user, backend=None):
        if getattr(user, "moet_tweede_factor", False):
            otp_helpers.verifieer(client, user)
        else:
            otp_helpers._FORCE_LOGIN(client, user, backend)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="session", autouse=True)
def demo_zonder_ondertekening():
    # Loading the demo signs Flevoland: two PDFs and a seal, some 20 s. Only the tests about that signed
    # agreement ask for it, with demo_met_ondertekening.
    from afspraken import demo

    oud, demo.ONDERTEKENDE_REGIOS = demo.ONDERTEKENDE_REGIOS, ()
    yield
    demo.ONDERTEKENDE_REGIOS = oud


@pytest.fixture
def demo_met_ondertekening(monkeypatch):
    from afspraken import demo

    monkeypatch.setattr(demo, "ONDERTEKENDE_REGIOS", (demo.FLEVOLAND,))


@pytest.fixture(autouse=True)
def lege_cache(request):
    # Counters such as the verification page's rate limit, and the students' kept sums, must not carry over from
    # one test to the next. The cache is the database's (CACHES): only a test that may use the database has one.
    if not (request.node.get_closest_marker("django_db")
            or {"db", "transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("db")  # a transactional test's own database wins (pytest-django's rule)
    from django.core.cache import cache

    cache.clear()


# The main thread's connections, closed before the test database is dropped. While Playwright's sync API
# runs (the session's `chromium`), the main thread is in a context of its own, and Django keeps connections
# per context: the connection the browser tests used was not the one pytest-django closed, and was still
# open when it dropped the database ("being accessed by other users").
_VERBINDINGEN = set()  # the wrappers themselves: a dropped one must not take its connection out of reach


def _onthoud_verbinding(sender, connection, **kwargs):
    # The live server closes its own after each request; a connection may only be closed by its thread.
    if threading.current_thread() is threading.main_thread():
        _VERBINDINGEN.add(connection)


connection_created.connect(_onthoud_verbinding, weak=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data once per session; each test's transaction rolls back on top of it.
    with django_db_blocker.unblock():
        call_command("laad_referentiedata", verbosity=0)
    yield
    # Torn down before pytest-django's own django_db_setup, which drops the database.
    for verbinding in _VERBINDINGEN:
        verbinding.close()


@pytest.fixture
def refdata(db):
    """Reference data present, also after a transactional test has flushed the database."""
    from regio.models import Gemeente

    if not Gemeente.objects.exists():
        call_command("laad_referentiedata", verbosity=0)


@pytest.fixture
def gebruiker_factory(db):
    from tests.factories import GebruikerFactory

    return GebruikerFactory


@pytest.fixture
def beheerder(refdata):
    from tests.factories import GebruikerFactory

    return GebruikerFactory(rol="beheerder", username="beheerder-test")


@pytest.fixture
def beheerder_client(client, beheerder):
    client.force_login(beheerder)
    return client


@pytest.fixture(scope="session", autouse=True)
def zegelcertificaat(tmp_path_factory):
    """One self-signed seal certificate for the whole session (`settings` is per test, so set it directly)."""
    import io

    from django.conf import settings as django_settings

    pad = tmp_path_factory.mktemp("zegel") / "zegel.p12"
    wachtwoord = "test-zegel"
    call_command("maak_zegelcertificaat", pad=str(pad), wachtwoord=wachtwoord, stdout=io.StringIO())
    oud = {naam: getattr(django_settings, naam) for naam in ("ZEGEL_PKCS12", "ZEGEL_WACHTWOORD")}
    django_settings.ZEGEL_PKCS12, django_settings.ZEGEL_WACHTWOORD = pad, wachtwoord
    yield pad
    for naam, waarde in oud.items():
        setattr(django_settings, naam, waarde)
