"""The load test in short: 10 virtual users for 10 s against gunicorn with production settings on this run's PostgreSQL.

Asserts behaviour only (no errors, every kind of request made, edits stored, conflicts are 409s), never timings:
`make bench` measures those. `-s` shows the figures. Select with `-k belasting`.
"""

import os
import urllib.parse

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from accounts.models import Gebruiker
from afspraken.models import Partij, Sectie, Uitvoeringsafspraak, Wijziging
from scripts.belasting import (
    MARKERING,
    VLOER,
    BelastingFout,
    Deelnemer,
    draai,
    gunicorn,
    sectieformulieren,
    werkergeheugen,
)
from tests.afspraak_helpers import gebruiker_van, maak_afspraak

WACHTWOORD = "Belasting-Proef-Lange-Zin-2026"
ACHTERHOEK, TWENTE = 13, 12


def _database_url():
    # During the test NAME is the test database (test_<name>); gunicorn must read what this test committed.
    s = connection.settings_dict
    gebruiker = urllib.parse.quote(s["USER"] or "", safe="")
    wachtwoord = f":{urllib.parse.quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    host = s["HOST"] or "localhost"
    poort = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{gebruiker}{wachtwoord}@{host}{poort}/{urllib.parse.quote(s['NAME'], safe='')}"


def _productiewachtwoord():
    # conftest sets MD5 for this process only; gunicorn runs Django's default hashers, which refuse MD5.
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(WACHTWOORD, hasher.salt())


def test_belasting_formulieren_lezen_zoals_een_browser(client, refdata):
    """What the client reads from a phase page and posts back is a valid save, and comes back as it was posted."""
    afspraak = maak_afspraak(4)
    partij = afspraak.partijen.select_related("organisatie").get(rol=Partij.Rol.CONTACTGEMEENTE)
    client.force_login(gebruiker_van(partij.organisatie, Gebruiker.Rol.BELEIDSMAKER, "belasting-lezer"))
    gezien = 0
    for fase in (1, 2, 3, 4):
        pad = f"/afspraken/{afspraak.pk}/fase/{fase}/"
        gepost = {}
        for formulier in sectieformulieren(client.get(pad).content.decode()):
            veld = formulier.tekstvakken[0]
            velden = [(n, f"{MARKERING} {n}" if n == veld else w) for n, w in formulier.velden]
            antwoord = client.post(formulier.action, _als_querydict(velden))
            assert antwoord.status_code == 302, (formulier.action, antwoord.status_code)
            gepost[formulier.action] = (velden, int(dict(velden)[formulier.versieveld]))
        for terug in sectieformulieren(client.get(pad).content.decode()):
            velden, versie = gepost.pop(terug.action)
            zonder = {"csrfmiddlewaretoken", terug.versieveld}
            assert [v for v in terug.velden if v[0] not in zonder] == [v for v in velden if v[0] not in zonder]
            assert dict(terug.velden)[terug.versieveld] == str(versie + 1)
            gezien += 1
        assert not gepost
    assert gezien >= 8


def test_vloer_met_afspraak_vraagt_een_afspraak_per_deelnemer():
    """A floor on each user's own agreement with a user who has none stops before any request, with a reason."""
    with pytest.raises(BelastingFout, match="afspraak"):
        draai("http://127.0.0.1:9", [Deelnemer("iemand", "geheim", None, None)], gebruikers=1, duur=1.0,
              vloer="/afspraken/{afspraak}/")


def _als_querydict(velden):
    uitkomst = {}
    for naam, waarde in velden:
        uitkomst.setdefault(naam, []).append(waarde)
    return uitkomst


@pytest.fixture
def deelnemers(refdata):
    """The demo's two concept agreements, each with its demo beleidsmaker and a colleague of the same organisation."""
    call_command("laad_demodata", stil=True, verbosity=0)
    wachtwoord = _productiewachtwoord()
    uitkomst = []
    for regio, demo_naam in ((ACHTERHOEK, "demo-doetinchem"), (TWENTE, "demo-enschede")):
        afspraak = Uitvoeringsafspraak.objects.get(regio__nummer=regio, status=Uitvoeringsafspraak.Status.CONCEPT)
        demo = Gebruiker.objects.get(username=demo_naam)
        assert Partij.objects.filter(afspraak=afspraak, organisatie=demo.organisatie).exists()
        collega = Gebruiker.objects.create(
            username=f"belasting-{regio}", first_name="Belasting", last_name=f"Collega {regio}",
            email=f"belasting-{regio}@example.org", rol=Gebruiker.Rol.BELEIDSMAKER, organisatie=demo.organisatie,
        )
        for gebruiker in (demo, collega):
            Gebruiker.objects.filter(pk=gebruiker.pk).update(password=wachtwoord)
        uitkomst += [
            Deelnemer(demo.username, WACHTWOORD, afspraak.pk, regio),
            # No region: this user picks one from the region list, as someone browsing would.
            Deelnemer(collega.username, WACHTWOORD, afspraak.pk, None),
        ]
    return uitkomst


@pytest.fixture
def server(deelnemers):
    # Two workers: this machine also runs PostgreSQL, the client and possibly other test runs.
    with gunicorn(_database_url(), workers=int(os.environ.get("BELASTING_WORKERS", "2"))) as basis_url:
        yield basis_url


@pytest.mark.timeout(900)
@pytest.mark.django_db(transaction=True)
def test_belasting_kort_tegen_gunicorn(server, deelnemers):
    laatste_voor = Wijziging.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # By hand, for a longer look: BELASTING_GEBRUIKERS=50 BELASTING_DUUR=60 make test TEST_ARGS="-s -k belasting".
    gebruikers = int(os.environ.get("BELASTING_GEBRUIKERS", "10"))
    duur = float(os.environ.get("BELASTING_DUUR", "10"))
    # A generous client timeout: on a busy test machine a timeout would measure the machine, not the application.
    uitslag = draai(server, deelnemers, gebruikers=gebruikers, duur=duur, tijdslimiet=110.0)

    print("\n" + uitslag.als_tekst())
    assert uitslag.fouten == 0, uitslag.foutvoorbeelden
    for soort in ("browse", "edit", "monitor"):
        assert uitslag.per_soort[soort]["verzoeken"] > 0, soort
    assert uitslag.verzoeken == sum(w["verzoeken"] for w in uitslag.per_soort.values())
    # Pages 200, a plain save 302, a conflict 409 and nothing else: no 403/404/422 slipped through as "an answer".
    assert set(uitslag.statussen) <= {200, 302, 409}, uitslag.statussen
    assert uitslag.conflicten == uitslag.statussen.get(409, 0)
    # Every answered request is in the per-page breakdown, and the shares of the waiting add up to the whole.
    assert sum(r["verzoeken"] for r in uitslag.per_pad) == sum(uitslag.statussen.values())
    assert abs(sum(r["aandeel"] for r in uitslag.per_pad) - 1) < 1e-6
    assert any(r["pad"] == "GET /afspraken/N/fase/N/" for r in uitslag.per_pad)
    assert uitslag.cpu_s > 0
    minst, mediaan, meest = uitslag.per_gebruiker
    assert 1 <= minst <= mediaan <= meest and meest < sum(uitslag.statussen.values())
    # Each worker of the running server reports its memory (the bench writes these figures down).
    geheugen = werkergeheugen(server)
    assert len(geheugen) == int(os.environ.get("BELASTING_WORKERS", "2")) and all(mb > 20 for mb in geheugen)

    # Every successful save changed a text, so it left exactly one Wijziging; a conflict left none.
    assert uitslag.bewaard >= 1
    nieuw = list(Wijziging.objects.filter(pk__gt=laatste_voor).select_related("gebruiker").order_by("pk"))
    assert len(nieuw) == uitslag.bewaard
    namen = {d.gebruikersnaam for d in deelnemers}
    assert {w.gebruiker.username for w in nieuw} <= namen

    # The last save of each section is what the section holds now.
    laatste = {}
    for w in nieuw:
        laatste[(w.afspraak_id, w.sectie)] = w
    for (afspraak_id, sleutel), w in laatste.items():
        tekst = next(iter(w.nieuw.values()))
        assert tekst.startswith(MARKERING)
        sectie = Sectie.objects.get(afspraak_id=afspraak_id, sleutel=sleutel)
        assert tekst in sectie.inhoud.values()
        assert sectie.bijgewerkt_door == w.gebruiker

    # The floor of the run (make bench): the same users ask only the home page; nothing else is requested or saved.
    vloer = draai(server, deelnemers, gebruikers=4, duur=2.0, tijdslimiet=110.0, vloer="/")
    assert vloer.fouten == 0, vloer.foutvoorbeelden
    assert list(vloer.per_soort) == [VLOER] and vloer.per_soort[VLOER]["verzoeken"] == vloer.verzoeken > 0
    assert [r["pad"] for r in vloer.per_pad] == ["GET /"]
    assert vloer.statussen == {200: vloer.verzoeken} and vloer.bewaard == 0
    assert not Wijziging.objects.filter(pk__gt=nieuw[-1].pk).exists()
    # `{afspraak}` is each user's own agreement: the floor of an agreement page (by hand; docs/PERFORMANCE.md).
    eigen = draai(server, deelnemers, gebruikers=2, duur=1.0, tijdslimiet=110.0, vloer="/afspraken/{afspraak}/")
    assert eigen.fouten == 0 and eigen.verzoeken > 0 and eigen.statussen == {200: eigen.verzoeken}
    assert [r["pad"] for r in eigen.per_pad] == ["GET /afspraken/N/"]

    # People's pace (make bench: 100 users, pauses of 1.5–4.5 s): here short pauses, to see that they work.
    bedachtzaam = draai(server, deelnemers, gebruikers=4, duur=3.0, tijdslimiet=110.0, denktijd=0.4)
    assert bedachtzaam.fouten == 0, bedachtzaam.foutvoorbeelden
    assert 0 < bedachtzaam.verzoeken < uitslag.verzoeken and bedachtzaam.denktijd == 0.4
    assert "pauzes van 0,2 tot 0,6 s" in bedachtzaam.als_dict()["titel"]
