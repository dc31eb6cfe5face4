"""Server time and query count of every main page, and of saving a section, in process (django.test.Client).

Every page is rendered fresh (nothing is kept between requests). Targets: a page p95 ≤ 100 ms, a save p95 ≤ 50 ms
(DESIGN.md §6). For information, a trivial template view through the same middleware (scripts/bench/urls.py) is
measured in the same run: the floor, what any page costs around its own work.

Timing requests run with DEBUG off (no query log); the query count comes from one extra request under
CaptureQueriesContext. Each page and each floor: 3 warm-up requests, then `aantal` timed ones.
"""

import cProfile
import io
import pstats
import re
import statistics
import time

from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Gebruiker
from afspraken import secties
from afspraken.models import Sectie, Uitvoeringsafspraak
from scripts.belasting import _Formulier, percentiel, sectieformulieren

from .urls import VLOER_URL

OPWARMEN = 3
DOEL_P95_MS = 100.0  # a page
DOEL_OPSLAAN_P95_MS = 50.0  # a save


def _client(gebruiker):
    client = Client()
    if gebruiker is not None:
        client.force_login(gebruiker)
        if gebruiker.moet_tweede_factor:
            # A beheerder sees nothing before the second factor (accounts.tweede_factor): a verified session, as
            # after a real log-in with the app.
            apparaat = TOTPDevice.objects.filter(user=gebruiker, confirmed=True).first() or TOTPDevice.objects.create(
                user=gebruiker, name="Authenticator-app", confirmed=True
            )
            sessie = client.session
            sessie[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
            sessie.save()
    return client


def _meet(client, url, aantal):
    """(status, queries, [ms]) of `aantal` requests after the warm-up."""
    for _ in range(OPWARMEN):
        client.get(url)
    # The seed ran with DEBUG on: a full query log (9,000 entries, a bounded deque) would hide every new query.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        antwoord = client.get(url)
    # Counted now: the next request's request_started signal clears the log the context reads lazily.
    aantal_queries = len(queries)
    tijden = []
    for _ in range(aantal):
        begin = time.perf_counter()
        antwoord = client.get(url)
        tijden.append((time.perf_counter() - begin) * 1000)
        if antwoord.status_code != 200:
            break
    return antwoord.status_code, aantal_queries, len(antwoord.content), tijden


def kies_afspraken(gebruikers):
    """(concept, signed or None): the concept agreement with the most parties, for the phase pages, and the
    signed one, for the monitoring page."""
    pks = [g["afspraak"] for g in gebruikers if g.get("afspraak")]
    afspraken = Uitvoeringsafspraak.objects.filter(pk__in=pks).select_related("regio")
    concept = max(
        (a for a in afspraken if a.status == Uitvoeringsafspraak.Status.CONCEPT),
        key=lambda a: (a.partijen.count(), -a.regio.nummer), default=None,
    )
    getekend = next((a for a in afspraken if a.status == Uitvoeringsafspraak.Status.ONDERTEKEND), None)
    return concept, getekend


def paginas(gebruikers):
    """[(name, url, user kind)] with user kind None (anonymous), "partij" or "beheerder"."""
    concept, getekend = kies_afspraken(gebruikers)
    lijst = [
        ("home", "/", None),
        ("regio's", "/regios/", None),
        (f"regio {concept.regio.nummer}", f"/regios/{concept.regio.nummer}/", None),
        ("afspraken (lijst)", "/afspraken/", "partij"),
        ("afspraak: overzicht", f"/afspraken/{concept.pk}/", "partij"),
    ]
    lijst += [(f"afspraak: fase {n}", f"/afspraken/{concept.pk}/fase/{n}/", "partij") for n in (1, 2, 3, 4)]
    lijst += [
        ("afspraak: toetsing", f"/afspraken/{concept.pk}/toetsing/", "partij"),
        ("monitor", "/monitor/", None),
        ("monitor: stromen", "/monitor/stromen/", None),
        ("monitor: beheer", "/monitor/beheer/", "beheerder"),
    ]
    if getekend is not None:
        lijst.append(("afspraak: monitoring (ondertekend)", f"/afspraken/{getekend.pk}/monitoring/", "getekend"))
    lijst += [
        ("api: regio's", "/api/regios/", None),
        ("api: gemeenten", "/api/gemeenten/", None),
        ("api: instellingen", "/api/instellingen/", None),
        ("api: studenten per instelling", "/api/studentaantallen/instellingen/", None),
        ("api: studenten per regio", "/api/studentaantallen/regios/", None),
        ("api: monitor", "/api/monitor/", None),
        ("api: monitor per regio", "/api/monitor/regios/", None),
        ("api: eigen afspraken", "/api/afspraken/", "partij"),
        ("api: afspraak (inhoud)", f"/api/afspraken/{concept.regio.nummer}/{concept.versie}/", "partij"),
    ]
    return lijst, concept, getekend


def _gebruikers(gebruikers, concept, getekend):
    def van(afspraak):
        if afspraak is None:
            return None
        naam = next(g["gebruikersnaam"] for g in gebruikers if g.get("afspraak") == afspraak.pk)
        return Gebruiker.objects.get(username=naam)

    beheerder = next(g["gebruikersnaam"] for g in gebruikers if g.get("beheerder"))
    return {None: None, "partij": van(concept), "getekend": van(getekend),
            "beheerder": Gebruiker.objects.get(username=beheerder)}


# Only the project's own functions: the middleware frames above the view say nothing.
PROJECT = r"/(afspraken|regio|aanbod|financiering|monitor|api|config)/"


def profiel(client, url, aantal=3, regels=25):
    """The project's top functions by cumulative time over `aantal` requests, as text."""
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(aantal):
        client.get(url)
    profiler.disable()
    uit = io.StringIO()
    pstats.Stats(profiler, stream=uit).sort_stats("cumulative").print_stats(PROJECT, regels)
    return uit.getvalue()


# DEBUG off as in production (no query log); the test client's host added as Django's test runner does.
@override_settings(ROOT_URLCONF="scripts.bench.urls", DEBUG=False, ALLOWED_HOSTS=["testserver"])
def meet_paginas(gebruikers, aantal=50, profielen=3):
    lijst, concept, getekend = paginas(gebruikers)
    wie = _gebruikers(gebruikers, concept, getekend)
    clients = {soort: _client(gebruiker) for soort, gebruiker in wie.items()}

    vloeren = {}
    for soort, client in clients.items():
        status, queries, _, tijden = _meet(client, VLOER_URL, aantal)
        vloeren[soort] = {"status": status, "queries": queries, "mediaan": statistics.median(tijden),
                          "p95": percentiel(tijden, 95)}

    rijen, doelen, gemeten = [], [], []
    for soort, v in vloeren.items():
        rijen.append({"pagina": f"vloer ({soort or 'anoniem'})", "url": VLOER_URL, "status": v["status"],
                      "queries": v["queries"], "KB": "", "mediaan ms": f"{v['mediaan']:.1f}",
                      "p95 ms": f"{v['p95']:.1f}", "× vloer": "1.0"})
    for naam, url, soort in lijst:
        status, queries, grootte, tijden = _meet(clients[soort], url, aantal)
        mediaan, p95 = statistics.median(tijden), percentiel(tijden, 95)
        factor = mediaan / vloeren[soort]["mediaan"]
        gehaald = status == 200 and p95 <= DOEL_P95_MS
        gemeten.append((mediaan, naam, url, soort))
        rijen.append({"pagina": naam, "url": url, "status": status, "queries": queries,
                      "KB": f"{grootte / 1024:.0f}", "mediaan ms": f"{mediaan:.1f}", "p95 ms": f"{p95:.1f}",
                      "× vloer": f"{factor:.1f}"})
        doelen.append({"naam": naam, "waarde": f"p95 {p95:.1f} ms (mediaan {mediaan:.1f}), status {status}",
                       "doel": f"p95 ≤ {DOEL_P95_MS:.0f} ms, 200", "gehaald": gehaald})
        print(f"[paginas] {naam:38} {status} {queries:3} q  mediaan {mediaan:7.1f} ms  p95 {p95:7.1f} ms  "
              f"{factor:5.1f}× vloer", flush=True)

    opmerkingen = [
        f"Django test client in one process, DEBUG off, {aantal} requests per page after {OPWARMEN} warm-up "
        "requests, every one rendered fresh. For information (no target): the floor, a one-line template through "
        "the full middleware, measured per kind of user (anonymous, party beleidsmaker, beheerder) because a "
        "session and its user cost queries of their own; × vloer is a page's median over its floor's.",
        f"Agreement pages: {concept} (regio {concept.regio.nummer}, {concept.partijen.count()} partijen, concept).",
    ]
    if getekend is None:
        opmerkingen.append("No signed agreement in the seed: the monitoring page was skipped.")
    else:
        opmerkingen.append(f"Monitoring page: {getekend} (regio {getekend.regio.nummer}, ondertekend).")

    profielteksten = []
    for mediaan, naam, url, soort in sorted(gemeten, reverse=True)[:profielen]:
        tekst = profiel(clients[soort], url)
        profielteksten.append((naam, url, tekst))
        print(f"[paginas] profiel {naam} ({url}), mediaan {mediaan:.1f} ms:\n{tekst}", flush=True)
    return {"titel": "Pages (server time in process)", "rijen": rijen, "doelen": doelen,
            "opmerkingen": opmerkingen, "profielen": profielteksten}


# --- saves ------------------------------------------------------------------------------------------------

ACTIES_FASE_1 = "acties-verkennen"
_PAGINAFORMULIER = re.compile(r'<form\b[^>]*\bid="fase-formulier".*?</form>', re.S)


def _paginaformulier(html):
    """What a browser without JavaScript posts from a phase page: every field of its one form."""
    formulier = _Formulier()
    formulier.feed(_PAGINAFORMULIER.search(html).group(0))
    formulier.close()
    return formulier


def _met(velden, naam, waarde):
    return [(n, waarde if n == naam else w) for n, w in velden]


def _opslaan(client, naam, aantal, verzoek, verwacht):
    """[ms] of `aantal` saves; `verzoek(i)` sends save i (every one changes a text) and returns the response."""
    for i in range(OPWARMEN):
        verzoek(-1 - i)
    tijden = []
    for i in range(aantal):
        begin = time.perf_counter()
        antwoord = verzoek(i)
        tijden.append((time.perf_counter() - begin) * 1000)
        if antwoord.status_code != verwacht:
            raise AssertionError(f"{naam}: status {antwoord.status_code}, verwacht {verwacht}")
    return tijden


@override_settings(ROOT_URLCONF="scripts.bench.urls", DEBUG=False, ALLOWED_HOSTS=["testserver"])
def meet_opslaan(gebruikers, aantal=50):
    """Saves by a beleidsmaker of the concept agreement with the most parties: a text section and a row with htmx
    (autosave: the answer is the new version and the status), and the phase page's one form as a plain POST (a
    browser without JavaScript: every field of the page, one of them changed; the answer a redirect)."""
    concept, _ = kies_afspraken(gebruikers)
    client = _client(_gebruikers(gebruikers, concept, None)["partij"])
    htmx = {"HTTP_HX_REQUEST": "true"}

    # A text section of phase 1 (the page's forms as sectieformulieren reads them, as the load test does).
    fasepad = f"/afspraken/{concept.pk}/fase/1/"
    tekst = sectieformulieren(client.get(fasepad).content.decode())[0]
    sleutel = tekst.action.rstrip("/").rsplit("/", 1)[-1]
    veld, versieveld = tekst.tekstvakken[0], tekst.versieveld

    def versie_van_tekst():
        return str(Sectie.objects.filter(afspraak=concept, sleutel=sleutel).values_list("versie", flat=True).first()
                   or 0)

    def tekst_htmx(i):
        velden = _met(_met(tekst.velden, veld, f"Bench: tekst via htmx {i}"), versieveld, versie_van_tekst())
        return client.post(tekst.action, _als_dict(velden), **htmx)

    # An actie of the same page, opened as its "Bewerken" does (htmx).
    definitie = secties.definitie(ACTIES_FASE_1)
    rij = definitie.rijen(concept).first()
    open_rij = client.get(f"/afspraken/{concept.pk}/sectie/{definitie.sleutel}/{rij.pk}/bewerken/", **htmx)
    rijformulier = _Formulier()
    rijformulier.feed(open_rij.content.decode())
    rijformulier.close()
    rijveld = definitie.rij_prefix(rij.pk) + "-omschrijving"
    rijpad = f"/afspraken/{concept.pk}/sectie/{definitie.sleutel}/{rij.pk}/"

    def rij_htmx(i):
        versie = str(type(rij).objects.filter(pk=rij.pk).values_list("versie", flat=True).get())
        velden = _met(_met(rijformulier.velden, rijveld, f"Bench: rij via htmx {i}"), rijformulier.versieveld, versie)
        return client.post(rijpad, _als_dict(velden), **htmx)

    # The whole phase page as one form, without JavaScript: the section's "Opslaan".
    pagina = _paginaformulier(client.get(fasepad).content.decode())

    def pagina_post(i):
        velden = _met(_met(pagina.velden, veld, f"Bench: hele pagina {i}"), versieveld, versie_van_tekst())
        return client.post(f"{fasepad}opslaan/", _als_dict([*velden, ("_actie", f"opslaan:{sleutel}")]))

    def tekst_nu():
        inhoud = Sectie.objects.get(afspraak=concept, sleutel=sleutel).inhoud
        return inhoud.get(veld.removeprefix(f"{sleutel}-"))

    soorten = [
        (f"tekstsectie, htmx ({sleutel})", tekst_htmx, 200, tekst_nu, "Bench: tekst via htmx"),
        (f"rij, htmx ({definitie.sleutel})", rij_htmx, 200,
         lambda: type(rij).objects.get(pk=rij.pk).omschrijving, "Bench: rij via htmx"),
        (f"fasepagina 1 zonder JavaScript, gewone POST ({len(pagina.velden)} velden)", pagina_post, 302, tekst_nu,
         "Bench: hele pagina"),
    ]
    rijen, doelen = [], []
    for naam, verzoek, verwacht, opgeslagen, laatste in soorten:
        tijden = _opslaan(client, naam, aantal, verzoek, verwacht)
        # Each save stored its text: the last one is what the database holds now.
        if opgeslagen() != f"{laatste} {aantal - 1}":
            raise AssertionError(f"{naam}: niet opgeslagen ({opgeslagen()!r})")
        mediaan, p95 = statistics.median(tijden), percentiel(tijden, 95)
        rijen.append({"opslaan": naam, "status": verwacht, "mediaan ms": f"{mediaan:.1f}", "p95 ms": f"{p95:.1f}"})
        doelen.append({"naam": naam, "waarde": f"p95 {p95:.1f} ms (mediaan {mediaan:.1f})",
                       "doel": f"p95 ≤ {DOEL_OPSLAAN_P95_MS:.0f} ms", "gehaald": p95 <= DOEL_OPSLAAN_P95_MS})
        print(f"[opslaan] {naam:60} mediaan {mediaan:7.1f} ms  p95 {p95:7.1f} ms", flush=True)
    opmerkingen = [
        f"{aantal} saves of each kind after {OPWARMEN} warm-up saves, as a beleidsmaker of {concept} "
        f"({concept.partijen.count()} partijen); each changes a text, so each writes the row, its version and "
        "one Wijziging, and commits (fsync on). Measured in process like the pages.",
    ]
    return {"titel": "Saves (server time in process)", "rijen": rijen, "doelen": doelen, "opmerkingen": opmerkingen}


def _als_dict(velden):
    uitkomst = {}
    for naam, waarde in velden:
        uitkomst.setdefault(naam, []).append(waarde)
    return uitkomst
