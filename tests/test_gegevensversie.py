"""Region facts kept per process while the national data is unchanged (regio.gegevensversie, migration 0006)."""

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from afspraken.partijen import studenten_buiten_regio
from regio import cijfers, gegevensversie
from regio.models import Dataset, Doorstroompuntregio, Gemeente, MboInstelling, StudentenPerWoongemeente
from tests.factories import GebruikerFactory
from tests.test_exports import twente  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _twente():
    return Doorstroompuntregio.objects.select_related("contactgemeente").get(nummer=12)


def _roc(c):
    return next(i for i in c.instellingen if i.instelling.naam == "ROC van Twente")


@pytest.mark.usefixtures("twente")
def test_regiocijfers_blijven_bewaard_tot_de_gegevens_veranderen(django_assert_num_queries):
    regio = _twente()
    eerst = cijfers.regio_cijfers(regio)
    assert _roc(eerst).verdeling.vestiging.ondergrens == 100  # Enschede
    with django_assert_num_queries(1):  # only the version
        assert cijfers.regio_cijfers(regio) is eerst
    # One UPDATE statement, no model signal: the version is renewed and the figures follow at once.
    StudentenPerWoongemeente.objects.filter(gemeente__naam="Enschede", instelling__naam="ROC van Twente").update(
        aantal=200
    )
    daarna = cijfers.regio_cijfers(regio)
    assert daarna is not eerst and _roc(daarna).verdeling.vestiging.ondergrens == 200


@pytest.mark.usefixtures("twente")
def test_een_lading_met_copy_vernieuwt_de_versie():
    regio = _twente()
    voor = {g.naam for g in studenten_buiten_regio(regio)}
    assert "Amsterdam" in voor and "Utrecht" not in voor
    dataset = Dataset.objects.get(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030)
    roc, utrecht = MboInstelling.objects.get(naam="ROC van Twente"), Gemeente.objects.get(naam="Utrecht")
    versie = gegevensversie.huidige()
    # The way the loader writes: COPY, on the same connection and transaction.
    with connection.connection.cursor() as cursor:
        kolommen = "dataset_id, peiljaar, instelling_id, gemeente_id, leerweg, niveau, aantal, onderdrukt"
        with cursor.copy(f"COPY regio_studentenperwoongemeente ({kolommen}) FROM STDIN") as copy:
            copy.write_row((dataset.pk, 2030, roc.pk, utrecht.pk, "", "", 50, 0))
    assert gegevensversie.huidige() != versie
    assert "Utrecht" in {g.naam for g in studenten_buiten_regio(regio)}


@pytest.mark.usefixtures("twente")
def test_een_teruggedraaide_wijziging_laat_geen_bruikbare_versie_achter():
    voor = gegevensversie.huidige()
    with pytest.raises(RuntimeError), transaction.atomic():
        Gemeente.objects.filter(naam="Enschede").update(naam="Enschede (tijdelijk)")
        binnen = gegevensversie.huidige()
        assert binnen != voor
        cijfers.regio_cijfers(_twente())  # kept under `binnen`, with the name that is rolled back
        raise RuntimeError
    assert gegevensversie.huidige() == voor
    Gemeente.objects.filter(naam="Hengelo").update(naam="Hengelo")
    # A sequence never gives a value twice: the facts kept inside the rolled-back transaction never return.
    assert gegevensversie.huidige() not in (voor, binnen)
    namen = {g.gemeente.naam for g in cijfers.regio_cijfers(_twente()).gemeenten}
    assert "Enschede" in namen and "Enschede (tijdelijk)" not in namen


# The pages and API lists kept whole per version: nothing on them may come from a table without the trigger.
BEWAARDE_ADRESSEN = [
    "/regios/", "/regios/12/", "/monitor/stromen/", "/api/regios/", "/api/gemeenten/", "/api/instellingen/",
    "/api/studentaantallen/instellingen/", "/api/studentaantallen/regios/",
]


@pytest.mark.usefixtures("twente")
def test_elke_tabel_waaruit_de_feiten_komen_vernieuwt_de_versie(client):
    """Every table the kept facts and pages read carries the trigger: a new table in their queries without it
    fails here."""
    regio = _twente()
    gegevensversie.vergeet()
    with CaptureQueriesContext(connection) as queries:
        cijfers.regio_cijfers(regio)
        studenten_buiten_regio(regio)
        for adres in BEWAARDE_ADRESSEN:
            assert client.get(adres).status_code == 200, adres
    gelezen = {t for q in queries for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}
    gelezen -= {"regio_gegevensversie"}
    assert "regio_studentenperwoongemeente" in gelezen
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'gegevensversie'"
        )
        met_trigger = {r[0] for r in cursor.fetchall()}
    assert gelezen <= met_trigger, sorted(gelezen - met_trigger)


def test_zonder_versie_wordt_niets_bewaard(monkeypatch):
    """SQLite (the demo) has no version table: every call computes."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert gegevensversie.huidige() is None
    berekend = []
    for _ in range(2):
        gegevensversie.per_versie("proef", 1, lambda: berekend.append(1))
    assert len(berekend) == 2


def zonder_nonce_en_token(html):
    """A page without what differs per response (the CSP nonce, the CSRF token); also used by test_monitor."""
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", re.sub(r'nonce="[^"]+"', "", html))


def _pagina(client, adres):
    return zonder_nonce_en_token(client.get(adres).content.decode())


@pytest.mark.usefixtures("twente")
def test_regiopaginas_volgen_de_gegevens_meteen(client, django_assert_num_queries):
    """The region list and page are kept whole per version; an edit shows on the next request, and the kept page
    is the one built fresh."""
    for adres in ("/regios/", "/regios/12/"):
        voor = _pagina(client, adres)
        with django_assert_num_queries(1):  # the data version only
            assert _pagina(client, adres) == voor
        assert "Enschede" in voor
    Gemeente.objects.filter(naam="Enschede").update(naam="Enschede (hernoemd)")
    for adres in ("/regios/", "/regios/12/"):
        na = _pagina(client, adres)
        assert "Enschede (hernoemd)" in na
        gegevensversie.vergeet()
        assert _pagina(client, adres) == na
    assert client.get("/regios/99/").status_code == 404


# --- whole public pages: one rendering, a nonce and a CSRF token of their own per response ---------------

KEPT_WHOLE = ["/", "/regios/", "/regios/12/", "/monitor/", "/monitor/stromen/"]


def _nonce_en_token(response):
    html = response.content.decode()
    nonce = re.search(r'<script src="[^"]+" nonce="([^"]+)"', html).group(1)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    return nonce, token


@pytest.mark.usefixtures("twente")
@pytest.mark.parametrize("adres", KEPT_WHOLE)
def test_een_bewaarde_pagina_vult_nonce_en_token_per_antwoord(adres, django_assert_num_queries):
    """The kept page is the page built fresh, apart from the two holes; every response gets its own nonce (the
    one its CSP header allows) and a CSRF token that its own cookie accepts."""
    gegevensversie.vergeet()
    client = Client(enforce_csrf_checks=True)
    eerste = client.get(adres)
    with django_assert_num_queries(0 if adres == "/" else 1):  # the version only; the home page reads none
        tweede = Client(enforce_csrf_checks=True).get(adres)
    nonces = set()
    for antwoord in (eerste, tweede):
        assert antwoord.status_code == 200 and antwoord["Content-Type"] == "text/html; charset=utf-8"
        assert gegevensversie._GAT not in antwoord.content.decode()
        nonce, token = _nonce_en_token(antwoord)
        assert f"'nonce-{nonce}'" in antwoord["Content-Security-Policy"]
        assert settings.CSRF_COOKIE_NAME in antwoord.cookies
        nonces.add(nonce)
    assert len(nonces) == 2
    # The token of the kept page, with the cookie set beside it, passes Django's CSRF check on a real form.
    bezoeker = Client(enforce_csrf_checks=True)
    _, token = _nonce_en_token(bezoeker.get(adres))
    inloggen = bezoeker.post(
        reverse("inloggen"), {"auth-username": "niemand", "auth-password": "fout"}, HTTP_X_CSRFTOKEN=token
    )
    assert inloggen.status_code == 200  # the form again with its error, not 403
    assert Client(enforce_csrf_checks=True).post(
        reverse("inloggen"), {"auth-username": "niemand"}, HTTP_X_CSRFTOKEN=token
    ).status_code == 403  # without the cookie that goes with it

    # The same page rendered the ordinary way, with the same headers and cookies.
    vers = _gewoon_gerenderd(adres)
    assert zonder_nonce_en_token(vers.content.decode()) == zonder_nonce_en_token(tweede.content.decode())
    assert sorted(vers.headers) == sorted(tweede.headers)
    assert sorted(vers.cookies) == sorted(tweede.cookies)


def _gewoon_gerenderd(adres):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gegevensversie, "_voor_iedereen", lambda request: False)
        return Client().get(adres)


def test_de_bewaarde_home_volgt_het_aftellen(db, monkeypatch):
    gegevensversie.vergeet()
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 10)
    assert "Nog <strong>10 dagen</strong>" in Client().get("/").content.decode()
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 9)
    assert "Nog <strong>9 dagen</strong>" in Client().get("/").content.decode()


@pytest.mark.usefixtures("twente")
def test_wat_per_bezoeker_verschilt_wordt_niet_bewaard():
    """A signed-in user, a query string and a pending message each get the page built for them, and leave the
    store as it was."""
    gegevensversie.vergeet()
    assert Client().get("/regios/").status_code == 200
    bewaard = dict(gegevensversie._bewaard)

    gebruiker = GebruikerFactory(first_name="Ingelogde", last_name="Beleidsmaker")
    ingelogd = Client()
    ingelogd.force_login(gebruiker)
    html = ingelogd.get("/regios/").content.decode()
    assert "Ingelogde Beleidsmaker" in html and "Uitloggen" in html

    assert Client().get("/regios/?sorteer=naam").status_code == 200

    met_melding = Client()
    verzoek = RequestFactory().get("/")
    opslag = CookieStorage(verzoek)
    opslag.add(messages.INFO, "Een melding voor deze bezoeker.")
    antwoord = HttpResponse()
    opslag.update(antwoord)
    met_melding.cookies[opslag.cookie_name] = antwoord.cookies[opslag.cookie_name].value
    assert "Een melding voor deze bezoeker." in met_melding.get("/regios/").content.decode()
    assert "Een melding voor deze bezoeker." not in Client().get("/regios/").content.decode()

    assert gegevensversie._bewaard == bewaard


@pytest.mark.usefixtures("twente")
def test_een_onbekende_regio_wordt_niet_bewaard():
    gegevensversie.vergeet()
    assert Client().get("/regios/99/").status_code == 404
    assert gegevensversie._bewaard == {}


@pytest.mark.usefixtures("twente")
def test_head_op_een_bewaarde_pagina():
    gegevensversie.vergeet()
    Client().get("/regios/12/")
    antwoord = Client().head("/regios/12/")
    assert antwoord.status_code == 200 and antwoord.content == b""
