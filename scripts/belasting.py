"""Load test: virtual users browse, edit sections and read the monitor against the production server.

Library and command line (`python -m scripts.belasting --url ... --gebruikers 10 --duur 10`). Standard library
only: the client shares a 2-core machine with gunicorn and PostgreSQL, so every virtual user is one thread with
one connection (http.client: kept open where the server allows, opened again where it closes it, as
config/gunicorn.conf.py does after every answer), handles its own cookies and parses only the form it submits.

The client stands where the TLS proxy stands in production: it sends `X-Forwarded-Proto: https` and an
`Origin`/`Referer` of `https://<host>`, so the production settings (SSL redirect, secure cookies, CSRF with a
Referer check) run unchanged.
"""

import argparse
import fcntl
import hashlib
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
VENV_BIN = BASIS / ".venv" / "bin"
GEZONDHEID = "/gezondheid/"

# Roughly what people do: mostly reading, some writing, a look at the national picture.
MIX = {"browse": 60, "edit": 20, "monitor": 20}
MONITOR_PADEN = ("/monitor/", "/monitor/stromen/", "/api/regios/", "/api/monitor/regios/")
FASEN = (1, 2, 3, 4)
VLOER = "vloer"  # the kind of request of a floor run (draai(vloer=...)): one page over and over
MAX_VOORBEELDEN = 10
MAX_PADEN = 8  # pages listed by their share of the waiting
MARKERING = "Belastingtest"


class BelastingFout(Exception):
    """The load test could not run (server did not start, a log-in failed): not a measurement."""


@dataclass
class Deelnemer:
    """A log-in for virtual users. `afspraak`: pk of an agreement this user may edit; `regio`: region number."""

    gebruikersnaam: str
    wachtwoord: str
    afspraak: int | None
    regio: int | None


@dataclass
class Uitslag:
    verzoeken: int
    fouten: int
    foutvoorbeelden: list
    conflicten: int
    p50_ms: float
    p95_ms: float
    per_seconde: float
    duur_s: float
    per_soort: dict
    gebruikers: int = 0
    # Successful saves of a section (each changed its text, so each left one Wijziging behind).
    bewaard: int = 0
    # Status code -> how often; shows that conflicts were 409s and nothing else slipped through.
    statussen: dict = field(default_factory=dict)
    # Requests sent again on a fresh connection because the server had closed the kept-alive one.
    herhaald: int = 0
    # Per page ("GET /afspraken/N/"): count, p50, p95 and its share of all waiting, largest share first.
    per_pad: list = field(default_factory=list)
    # CPU seconds the load generator itself used while measuring (it shares the machine with the server).
    cpu_s: float = 0.0
    # Answered requests per virtual user (fewest, median, most): far apart when users wait in unequal queues.
    per_gebruiker: tuple = (0, 0, 0)
    # Mean pause between a user's actions (0: none, the closed run).
    denktijd: float = 0.0

    def als_dict(self):
        rijen = [
            {"soort": soort, "verzoeken": w["verzoeken"], "p50_ms": w["p50_ms"], "p95_ms": w["p95_ms"]}
            for soort, w in self.per_soort.items()
        ]
        rijen.append({"soort": "totaal", "verzoeken": self.verzoeken, "p50_ms": self.p50_ms, "p95_ms": self.p95_ms})
        opmerkingen = [
            f"{self.gebruikers} virtuele gebruikers, {self.duur_s:.1f} s, "
            f"{self.per_seconde:.1f} verzoeken per seconde.",
            f"Bewerkingen opgeslagen: {self.bewaard}; conflicten (409, twee gebruikers in dezelfde sectie): "
            f"{self.conflicten}.",
            "Statussen: " + ", ".join(f"{s}: {n}" for s, n in sorted(self.statussen.items(), key=lambda i: str(i[0]))),
            f"De belastinggenerator zelf gebruikte {self.cpu_s:.0f} CPU-seconden in {self.duur_s:.0f} s "
            f"({self.cpu_s / self.duur_s if self.duur_s else 0:.1f} kern) op dezelfde machine als de server.",
            "Beantwoorde verzoeken per gebruiker: minst {}, mediaan {}, meest {}.".format(*self.per_gebruiker),
        ]
        opmerkingen += [
            f"{r['pad']}: {r['verzoeken']} verzoeken, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
            f"{r['aandeel']:.0%} van alle wachttijd"
            for r in self.per_pad[:MAX_PADEN]
        ]
        if self.herhaald:
            opmerkingen.append(
                f"{self.herhaald} verzoeken opnieuw verstuurd na een door de server gesloten verbinding."
            )
        opmerkingen += [
            f"Fout: {v['methode']} {v['url']} → {v['status']} {v['melding']}".rstrip() for v in self.foutvoorbeelden
        ]
        return {
            "titel": f"Belastingtest: {self.gebruikers} gebruikers, "
            + (f"pauzes van {self.denktijd / 2:.1f} tot {self.denktijd * 1.5:.1f} s, ".replace(".", ",")
               if self.denktijd else "zonder pauzes, ")
            + f"{self.duur_s:.0f} s tegen gunicorn",
            "rijen": rijen,
            "doelen": [
                {"naam": "fouten", "waarde": self.fouten, "doel": "0", "gehaald": self.fouten == 0},
                {"naam": "p95", "waarde": self.p95_ms, "doel": "≤ 250 ms", "gehaald": self.p95_ms <= 250},
            ],
            "opmerkingen": opmerkingen,
            # The figures themselves as well, for callers that want numbers rather than a table.
            "verzoeken": self.verzoeken,
            "fouten": self.fouten,
            "conflicten": self.conflicten,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "per_seconde": self.per_seconde,
            "duur_s": self.duur_s,
            "per_soort": self.per_soort,
            "per_pad": self.per_pad,
            "cpu_s": self.cpu_s,
            "per_gebruiker": self.per_gebruiker,
        }

    def als_tekst(self):
        d = self.als_dict()
        regels = [d["titel"], f"{'soort':<10}{'verzoeken':>10}{'p50 ms':>10}{'p95 ms':>10}"]
        regels += [f"{r['soort']:<10}{r['verzoeken']:>10}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}" for r in d["rijen"]]
        regels += [
            f"doel {g['naam']}: {g['waarde']} (doel {g['doel']}) {'gehaald' if g['gehaald'] else 'NIET gehaald'}"
            for g in d["doelen"]
        ]
        regels += d["opmerkingen"]
        return "\n".join(regels)


def percentiel(waarden, p):
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not waarden:
        return 0.0
    geordend = sorted(waarden)
    return float(geordend[max(0, math.ceil(p / 100 * len(geordend)) - 1)])


# --- the server ----------------------------------------------------------------------------------


def vrije_poort():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bronnen_vingerafdruk():
    """What the collected files depend on: our static folders, the settings (apps) and the installed packages."""
    delen = []
    for map_ in [BASIS / "static", *sorted(BASIS.glob("*/static"))]:
        for pad in sorted(map_.rglob("*")):
            if pad.is_file():
                stat = pad.stat()
                delen.append(f"{pad.relative_to(BASIS)}:{stat.st_size}:{stat.st_mtime_ns}")
    for bestand in ("config/settings.py", "requirements.lock", "requirements-test.lock"):
        if (BASIS / bestand).exists():
            delen.append(hashlib.sha256((BASIS / bestand).read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(delen).encode()).hexdigest()


def _collectstatic(env):
    # Production serves static files from STATIC_ROOT (BASIS/staticfiles) through WhiteNoise's manifest. Collecting and
    # compressing costs some 30 s of CPU, so it is skipped when nothing it reads has changed; two servers started at
    # the same time (tests, benchmark) must not write it at once.
    doel = BASIS / "staticfiles"
    merk = doel / ".belasting-bronnen"
    with open(Path(tempfile.gettempdir()) / "uitvoeringsafspraken-collectstatic.lock", "w") as slot:
        fcntl.flock(slot, fcntl.LOCK_EX)
        vingerafdruk = _bronnen_vingerafdruk()
        if (doel / "staticfiles.json").exists() and merk.exists() and merk.read_text() == vingerafdruk:
            return
        uitkomst = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASIS, env=env, capture_output=True, text=True,
        )
        if uitkomst.returncode != 0:
            raise BelastingFout(f"collectstatic mislukte:\n{uitkomst.stdout}{uitkomst.stderr}")
        merk.write_text(vingerafdruk)


def _staart(pad, regels=40):
    try:
        return "\n".join(Path(pad).read_text(errors="replace").splitlines()[-regels:])
    except OSError:
        return ""


class Adres(str):
    """The server's base url; `pid`: its master process (for `werkergeheugen`)."""

    pid = None


def werkergeheugen(adres):
    """Resident memory (MB) of each worker of the server at `adres`, as the kernel counts it (VmRSS, pages
    shared with the master included). Empty where /proc does not tell (not Linux)."""
    try:
        kinderen = Path(f"/proc/{adres.pid}/task/{adres.pid}/children").read_text().split()
    except (OSError, AttributeError):
        return []
    uitkomst = []
    for pid in kinderen:
        try:
            regel = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        except OSError:  # a worker that was just recycled
            continue
        if regel:
            uitkomst.append(round(int(regel.group(1)) / 1024, 1))
    return uitkomst


@contextmanager
def gunicorn(database_url, poort=None, workers=None, extra_env=None, opstarttijd=90.0):
    """Start the production server (config/gunicorn.conf.py, DJANGO_DEBUG=0) and yield its base url.

    Waits until /gezondheid/ answers 200; always stops the server (SIGTERM, then SIGKILL), also on errors.
    """
    poort = poort or vrije_poort()
    host = "127.0.0.1"
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{host},localhost",
        GUNICORN_BIND=f"{host}:{poort}",
        PUBLIEKE_URL=f"http://{host}:{poort}",
        # Like production: PDFs go to the queue, never into a request of the mix.
        TAKEN_BACKEND="database",
        PYTHONUNBUFFERED="1",
    )
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    env.update(extra_env or {})
    _collectstatic(env)
    logmap = tempfile.mkdtemp(prefix="belasting-gunicorn-")
    logpad = Path(logmap) / "gunicorn.log"
    with open(logpad, "wb") as log:
        proces = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=BASIS, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    basis_url = Adres(f"http://{host}:{poort}")
    basis_url.pid = proces.pid
    try:
        _wacht_op_gezondheid(proces, host, poort, opstarttijd, logpad)
        yield basis_url
    finally:
        _stop(proces)
        if os.environ.get("BELASTING_BEWAAR_LOG"):
            print(f"gunicorn-log: {logpad}", file=sys.stderr)
        else:
            logpad.unlink(missing_ok=True)
            os.rmdir(logmap)


def _wacht_op_gezondheid(proces, host, poort, opstarttijd, logpad):
    eind = time.monotonic() + opstarttijd
    laatste = "geen antwoord"
    while time.monotonic() < eind:
        if proces.poll() is not None:
            raise BelastingFout(f"gunicorn stopte bij het starten (code {proces.returncode}):\n{_staart(logpad)}")
        try:
            verbinding = http.client.HTTPConnection(host, poort, timeout=5)
            # The health check passes the proxy like everything else: without the header it is redirected to https.
            verbinding.request("GET", GEZONDHEID, headers={"X-Forwarded-Proto": "https"})
            antwoord = verbinding.getresponse()
            antwoord.read()
            verbinding.close()
            if antwoord.status == 200:
                return
            laatste = f"status {antwoord.status}"
        except OSError as fout:
            laatste = str(fout)
        time.sleep(0.2)
    raise BelastingFout(
        f"gunicorn antwoordde niet op {GEZONDHEID} binnen {opstarttijd:.0f} s ({laatste}):\n{_staart(logpad)}"
    )


def _stop(proces):
    if proces.poll() is not None:
        return
    proces.send_signal(signal.SIGTERM)
    try:
        proces.wait(timeout=30)
    except subprocess.TimeoutExpired:
        # The whole group: workers of a master that hangs must not outlive the test.
        os.killpg(proces.pid, signal.SIGKILL)
        proces.wait(timeout=10)


# --- forms ---------------------------------------------------------------------------------------


class _Formulier(HTMLParser):
    """The fields a browser would submit from one form: inputs, checked boxes, selected options, textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.velden = []  # [(name, value)] in document order
        self.tekstvakken = []  # names of the textareas
        self._tekstvak = None
        self._select = None  # (name, multiple, [options], [selected])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif "disabled" in a:
            return
        elif tag == "input":
            soort = (a.get("type") or "text").lower()
            if not a.get("name") or soort in {"submit", "button", "reset", "image", "file"}:
                return
            if soort in {"checkbox", "radio"}:
                if "checked" in a:
                    self.velden.append((a["name"], a.get("value", "on")))
            else:
                self.velden.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._tekstvak = [a["name"], []]
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [], [])
        elif tag == "option" and self._select is not None:
            self._select[2].append(a.get("value", ""))
            if "selected" in a:
                self._select[3].append(a.get("value", ""))

    @property
    def versieveld(self):
        return next((n for n, _ in self.velden if n.endswith("-versie")), None)

    def handle_data(self, data):
        if self._tekstvak is not None:
            self._tekstvak[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._tekstvak is not None:
            naam, delen = self._tekstvak
            tekst = "".join(delen)
            # HTML drops the newline right after <textarea>, which Django writes there.
            if tekst.startswith("\r\n"):
                tekst = tekst[2:]
            elif tekst.startswith("\n"):
                tekst = tekst[1:]
            self.velden.append((naam, tekst))
            self.tekstvakken.append(naam)
            self._tekstvak = None
        elif tag == "select" and self._select is not None:
            naam, meerdere, opties, gekozen = self._select
            if meerdere:
                self.velden += [(naam, w) for w in gekozen]
            elif gekozen:
                self.velden.append((naam, gekozen[-1]))
            elif opties:
                self.velden.append((naam, opties[0]))
            self._select = None


# A text section on a phase page: its fields are part of the page's one form and saved on their own (htmx's
# hx-post, the URL the plain POST of tests/test_belasting takes too). Row sections have no such URL.
_TEKSTSECTIE = re.compile(
    r'<section\b(?:(?!</section>).)*?data-autosave\s+hx-post="(/afspraken/\d+/sectie/[\w-]+/)"(?:(?!</section>).)*</section>',
    re.S,
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def sectieformulieren(html):
    """[_Formulier] of the text sections on a phase page that have at least one textarea, each with the page
    form's CSRF token and its section's own fields (the version among them, `versieveld`)."""
    uitkomst = []
    token = _CSRF.search(html)
    for treffer in _TEKSTSECTIE.finditer(html):
        formulier = _Formulier()
        formulier.feed(treffer.group(0))
        formulier.close()
        formulier.action = unescape(treffer.group(1))
        if token:
            formulier.velden.insert(0, ("csrfmiddlewaretoken", token.group(1)))
        if formulier.tekstvakken and formulier.versieveld:
            uitkomst.append(formulier)
    return uitkomst


# --- one virtual user ----------------------------------------------------------------------------


@dataclass
class Antwoord:
    status: int
    headers: object
    tekst: str
    ms: float


class Sessie:
    """One browser: one connection at a time, its own cookies, the headers the proxy and the browser add."""

    def __init__(self, basis_url, tijdslimiet=30.0):
        deel = urllib.parse.urlsplit(basis_url)
        self.host, self.poort = deel.hostname, deel.port or 80
        self.host_header = deel.netloc
        self.oorsprong = f"https://{deel.netloc}"
        self.tijdslimiet = tijdslimiet
        self.cookies = {}
        self.verbinding = None
        self.herhaald = 0

    def _verbind(self):
        self.verbinding = http.client.HTTPConnection(self.host, self.poort, timeout=self.tijdslimiet)
        self.verbinding.connect()
        self.verbinding.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def sluit(self):
        if self.verbinding is not None:
            self.verbinding.close()
            self.verbinding = None

    def verzoek(self, methode, pad, velden=None, headers=None, referer=None):
        """Send one request and read the whole answer; returns Antwoord. Raises OSError/HTTPException."""
        kop = {
            "Host": self.host_header,
            "X-Forwarded-Proto": "https",
            "User-Agent": "belastingtest/1 (uitvoeringsafspraken)",
            "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
            "Accept-Language": "nl-NL,nl;q=0.9",
        }
        body = None
        if velden is not None:
            body = urllib.parse.urlencode(velden).encode()
            kop["Content-Type"] = "application/x-www-form-urlencoded"
            kop["Origin"] = self.oorsprong
        if referer:
            kop["Referer"] = self.oorsprong + referer
        if self.cookies:
            kop["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        kop.update(headers or {})
        for poging in (1, 2):
            hergebruikt = self.verbinding is not None
            start = time.perf_counter()
            try:
                if not hergebruikt:
                    self._verbind()
                self.verbinding.request(methode, pad, body=body, headers=kop)
                antwoord = self.verbinding.getresponse()
                inhoud = antwoord.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.sluit()
                # The server closed a kept-alive connection (e.g. a worker recycled after max_requests): a browser sends
                # the request again on a new connection. Only then; an error on a fresh connection is an error.
                if hergebruikt and poging == 1:
                    self.herhaald += 1
                    continue
                raise
            except Exception:
                self.sluit()
                raise
            ms = (time.perf_counter() - start) * 1000
            if antwoord.will_close:
                self.sluit()
            self._bewaar_cookies(antwoord.headers.get_all("Set-Cookie") or [])
            return Antwoord(antwoord.status, antwoord.headers, inhoud.decode("utf-8", "replace"), ms)
        raise AssertionError("onbereikbaar")

    def _bewaar_cookies(self, regels):
        for regel in regels:
            koekje = SimpleCookie()
            koekje.load(regel)
            for naam, morsel in koekje.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(naam, None)
                else:
                    self.cookies[naam] = morsel.value

    def inloggen(self, gebruikersnaam, wachtwoord):
        pagina = self.verzoek("GET", "/inloggen/")
        token = _CSRF.search(pagina.tekst)
        if pagina.status != 200 or token is None:
            raise BelastingFout(f"Inlogpagina: status {pagina.status}, geen CSRF-token")
        antwoord = self.verzoek(
            "POST", "/inloggen/",
            velden=[("csrfmiddlewaretoken", token.group(1)), ("next", ""), ("username", gebruikersnaam),
                    ("password", wachtwoord)],
            referer="/inloggen/",
        )
        if antwoord.status != 302 or "sessionid" not in self.cookies:
            raise BelastingFout(f"Inloggen als {gebruikersnaam} mislukte: status {antwoord.status}")


class _Gebruiker(threading.Thread):
    def __init__(self, nummer, basis_url, deelnemer, start, eind, zaad, tijdslimiet, denktijd, vloer=None):
        super().__init__(name=f"belasting-{nummer}", daemon=True)
        self.nummer = nummer
        self.deelnemer = deelnemer
        self.sessie = Sessie(basis_url, tijdslimiet)
        self.start_sein, self.eind = start, eind
        self.kans = random.Random(f"{zaad}-{nummer}")
        self.denktijd = denktijd
        self.metingen = []  # (soort, page such as "GET /afspraken/N/", ms)
        self.fouten = 0
        self.geen_antwoord = 0
        self.voorbeelden = []
        self.conflicten = 0
        self.bewaard = 0
        self.statussen = {}
        self.inlogfout = None
        self.regios = []
        self.teller = 0
        # What this user does, {soort: (action, weight)}: the mix, or with `vloer` one page over and over.
        if vloer:
            pad = vloer.replace("{afspraak}", str(deelnemer.afspraak))
            self.handelingen = {VLOER: (lambda: self._vraag(VLOER, "GET", pad), 1)}
        else:
            acties = {"browse": self.browse, "edit": self.edit, "monitor": self.monitor}
            self.handelingen = {soort: (acties[soort], gewicht) for soort, gewicht in MIX.items()}

    # --- bookkeeping

    def _fout(self, soort, methode, pad, status, melding=""):
        self.fouten += 1
        if len(self.voorbeelden) < MAX_VOORBEELDEN:
            self.voorbeelden.append(
                {"soort": soort, "methode": methode, "url": pad, "status": status, "melding": str(melding)[:300]}
            )

    def _vraag(self, soort, methode, pad, verwacht=(200,), **kwargs):
        """One timed request. Returns the Antwoord if its status is expected, else None (counted as an error)."""
        try:
            antwoord = self.sessie.verzoek(methode, pad, **kwargs)
        except (OSError, http.client.HTTPException) as fout:
            self.geen_antwoord += 1
            self._fout(soort, methode, pad, "geen antwoord", f"{type(fout).__name__}: {fout}")
            return None
        htmx = " (htmx)" if (kwargs.get("headers") or {}).get("HX-Request") else ""
        self.metingen.append((soort, f"{methode} {_patroon(pad)}{htmx}", antwoord.ms))
        self.statussen[antwoord.status] = self.statussen.get(antwoord.status, 0) + 1
        if antwoord.status not in verwacht:
            self._fout(soort, methode, pad, antwoord.status, _melding(antwoord))
            return None
        return antwoord

    # --- what a user does

    def _regio(self):
        if self.deelnemer.regio is not None:
            return self.deelnemer.regio
        return self.kans.choice(self.regios) if self.regios else 1

    def browse(self):
        afspraak = self.deelnemer.afspraak
        paden = ["/", "/regios/", f"/regios/{self._regio()}/", "/afspraken/"]
        if afspraak is not None:
            paden += [f"/afspraken/{afspraak}/", f"/afspraken/{afspraak}/fase/{self.kans.choice(FASEN)}/"]
        self._vraag("browse", "GET", self.kans.choice(paden))

    def monitor(self):
        self._vraag("monitor", "GET", self.kans.choice(MONITOR_PADEN))

    def edit(self):
        afspraak = self.deelnemer.afspraak
        if afspraak is None:
            return self.browse()
        fasepad = f"/afspraken/{afspraak}/fase/{self.kans.choice(FASEN)}/"
        pagina = self._vraag("edit", "GET", fasepad)
        if pagina is None:
            return
        formulieren = sectieformulieren(pagina.tekst)
        if not formulieren:
            self._fout("edit", "GET", fasepad, pagina.status, "geen bewerkbare tekstsectie op de pagina")
            return
        formulier = self.kans.choice(formulieren)
        veld = self.kans.choice(formulier.tekstvakken)
        self.teller += 1
        tekst = f"{MARKERING} {self.deelnemer.gebruikersnaam} #{self.nummer}.{self.teller}: de regio werkt samen."
        velden = [(n, tekst if n == veld else w) for n, w in formulier.velden]
        token = dict(formulier.velden).get("csrfmiddlewaretoken", "")
        sleutel = formulier.action.rstrip("/").rsplit("/", 1)[-1]
        if self.kans.random() < 0.5:
            # Without JavaScript: the section's "Opslaan" posts the page form, the server redirects back to the page.
            antwoord = self._vraag("edit", "POST", fasepad + "opslaan/", verwacht=(302, 409),
                                   velden=[*velden, ("_actie", f"opslaan:{sleutel}")], referer=fasepad)
            if antwoord is None:
                return
            if antwoord.status == 409:
                self.conflicten += 1
                return
            self.bewaard += 1
            doel = urllib.parse.urlsplit(antwoord.headers.get("Location", "")).path or fasepad
            self._vraag("edit", "GET", doel, referer=fasepad)
        else:
            # With htmx: autosave answers a fragment (only the new version and the status)
            # or the section with the conflict.
            kop = {
                "HX-Request": "true",
                "HX-Current-URL": self.sessie.oorsprong + fasepad,
                "HX-Target": f"sectie-{sleutel}",
                "X-CSRFToken": token,
            }
            antwoord = self._vraag("edit", "POST", formulier.action, verwacht=(200, 409), velden=velden, headers=kop,
                                   referer=fasepad)
            if antwoord is None:
                return
            if antwoord.status == 409:
                self.conflicten += 1
            else:
                self.bewaard += 1

    def voorbereiden(self):
        """Log in and look up what to browse; not timed (password hashing is slow on purpose)."""
        try:
            self.sessie.inloggen(self.deelnemer.gebruikersnaam, self.deelnemer.wachtwoord)
            if self.deelnemer.regio is None:
                lijst = self.sessie.verzoek("GET", "/regios/")
                self.regios = sorted({int(n) for n in re.findall(r'href="/regios/(\d+)/"', lijst.tekst)})
        except Exception as fout:  # whatever it is, the others must not wait for this user forever
            self.inlogfout = f"{self.deelnemer.gebruikersnaam}: {type(fout).__name__}: {fout}"
        # Waiting for the slowest log-in outlasts the server's keep-alive: start the measured part on a new connection.
        self.sessie.sluit()

    def run(self):
        self.voorbereiden()
        try:
            self.start_sein.wait()
        except threading.BrokenBarrierError:
            return
        if self.inlogfout:
            return
        soorten = list(self.handelingen)
        gewichten = [gewicht for _, gewicht in self.handelingen.values()]
        if self.denktijd:
            # People do not all click at the moment the test starts: spread the first actions over one pause.
            time.sleep(self.kans.uniform(0, self.denktijd))
        try:
            while time.monotonic() < self.eind[0]:
                soort = self.kans.choices(soorten, gewichten)[0]
                try:
                    self.handelingen[soort][0]()
                except Exception as fout:  # a page the client cannot read counts, it must not end the run
                    self.sessie.sluit()
                    self._fout(soort, "-", "-", "clientfout", f"{type(fout).__name__}: {fout}")
                if self.denktijd:
                    # Reading time varies; a fixed pause would keep the users in step, all clicking at once.
                    time.sleep(self.kans.uniform(0.5, 1.5) * self.denktijd)
        finally:
            self.sessie.sluit()


def _patroon(pad):
    """A path with its numbers and section keys as placeholders, so requests group by page."""
    pad = urllib.parse.urlsplit(pad).path
    pad = re.sub(r"/sectie/[^/]+/", "/sectie/…/", pad)
    return re.sub(r"/\d+(?=/)", "/N", pad)


def _melding(antwoord):
    titel = re.search(r"<title>(.*?)</title>", antwoord.tekst, re.S)
    if titel:
        return " ".join(unescape(titel.group(1)).split())
    return " ".join(antwoord.tekst[:200].split())


def draai(basis_url, deelnemers, gebruikers=50, duur=60.0, zaad=0, tijdslimiet=30.0, denktijd=0.0, vloer=None):
    """Run `gebruikers` virtual users for `duur` seconds against `basis_url`; returns the Uitslag.

    Virtual users take the deelnemers in turn (several may share one log-in, each with its own session).
    All log in first; the clock starts when the last has. With `vloer` (a path) every action is a GET of that
    path instead of the mix: the floor of the same run, what the server and client cost around the cheapest page.
    `{afspraak}` in it stands for each user's own agreement (/afspraken/{afspraak}/fase/1/).
    """
    if not deelnemers:
        raise BelastingFout("Geen deelnemers: de belastingtest heeft minstens één log-in nodig.")
    if vloer and "{afspraak}" in vloer and any(d.afspraak is None for d in deelnemers):
        raise BelastingFout("De vloer noemt {afspraak}: geef elke deelnemer een afspraak (naam:wachtwoord:afspraak).")
    eind = [math.inf]
    begin = [0.0]
    draden = []
    cpu = [0.0]

    def klok():
        # Runs once, when the last user has logged in: the measured time starts here.
        begin[0] = time.monotonic()
        cpu[0] = time.process_time()
        eind[0] = begin[0] if any(d.inlogfout for d in draden) else begin[0] + duur

    start = threading.Barrier(gebruikers + 1, action=klok)
    draden += [
        _Gebruiker(i, basis_url, deelnemers[i % len(deelnemers)], start, eind, zaad, tijdslimiet, denktijd, vloer)
        for i in range(gebruikers)
    ]
    for draad in draden:
        draad.start()
    try:
        # Logging in hashes a password per user; on a small machine that takes a while.
        start.wait(timeout=max(120.0, 3.0 * gebruikers))
    except threading.BrokenBarrierError:
        start.abort()
        for draad in draden:
            draad.join()
        raise BelastingFout("Niet alle virtuele gebruikers waren op tijd ingelogd.") from None
    for draad in draden:
        draad.join()
    verstreken = time.monotonic() - begin[0]
    cpu_s = time.process_time() - cpu[0]  # all threads of this process: the load generator's own CPU
    inlogfouten = [d.inlogfout for d in draden if d.inlogfout]
    if inlogfouten:
        raise BelastingFout("Inloggen mislukte: " + "; ".join(inlogfouten[:5]))
    return replace(_uitslag(draden, verstreken, cpu_s), denktijd=denktijd)


def _verdeling(lijst):
    return {
        "verzoeken": len(lijst),
        "p50_ms": round(percentiel(lijst, 50), 1),
        "p95_ms": round(percentiel(lijst, 95), 1),
    }


def _uitslag(draden, verstreken, cpu_s):
    per_soort_ms = {soort: [] for draad in draden for soort in draad.handelingen}
    per_pad_ms = {}
    statussen = {}
    for draad in draden:
        for soort, pad, ms in draad.metingen:
            per_soort_ms[soort].append(ms)
            per_pad_ms.setdefault(pad, []).append(ms)
        for status, aantal in draad.statussen.items():
            statussen[status] = statussen.get(status, 0) + aantal
    alle = [ms for lijst in per_soort_ms.values() for ms in lijst]
    totaal_ms = sum(alle) or 1.0
    per_pad = sorted(
        ({"pad": pad, **_verdeling(lijst), "aandeel": sum(lijst) / totaal_ms} for pad, lijst in per_pad_ms.items()),
        key=lambda r: -r["aandeel"],
    )
    aantallen = sorted(len(d.metingen) for d in draden)
    fouten = sum(d.fouten for d in draden)
    # Requests without an answer count as requests too (they were sent), though they have no time.
    zonder_antwoord = sum(d.geen_antwoord for d in draden)
    return Uitslag(
        verzoeken=len(alle) + zonder_antwoord,
        fouten=fouten,
        foutvoorbeelden=[v for d in draden for v in d.voorbeelden][:MAX_VOORBEELDEN],
        conflicten=sum(d.conflicten for d in draden),
        p50_ms=round(percentiel(alle, 50), 1),
        p95_ms=round(percentiel(alle, 95), 1),
        per_seconde=round(len(alle) / verstreken, 1) if verstreken > 0 else 0.0,
        duur_s=round(verstreken, 2),
        per_soort={soort: _verdeling(lijst) for soort, lijst in per_soort_ms.items()},
        gebruikers=len(draden),
        bewaard=sum(d.bewaard for d in draden),
        statussen=statussen,
        herhaald=sum(d.sessie.herhaald for d in draden),
        per_pad=per_pad,
        cpu_s=round(cpu_s, 1),
        per_gebruiker=(aantallen[0], aantallen[len(aantallen) // 2], aantallen[-1]) if aantallen else (0, 0, 0),
    )


# --- command line --------------------------------------------------------------------------------


def _deelnemer(tekst):
    """naam:wachtwoord[:afspraak[:regio]]; the password may not contain ':'."""
    delen = tekst.split(":")
    if len(delen) < 2:
        raise argparse.ArgumentTypeError("verwacht naam:wachtwoord[:afspraak[:regio]]")
    getal = lambda i: int(delen[i]) if len(delen) > i and delen[i] else None  # noqa: E731
    return Deelnemer(delen[0], delen[1], getal(2), getal(3))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m scripts.belasting",
        description="Belastingtest: virtuele gebruikers bladeren, bewerken secties en bekijken de monitor.",
    )
    doel = parser.add_mutually_exclusive_group(required=True)
    doel.add_argument("--url", help="een draaiende server (achter wat als proxy geldt), bijv. http://127.0.0.1:8000")
    doel.add_argument("--database-url", help="start zelf gunicorn (productie-instellingen) tegen deze database")
    parser.add_argument("--workers", type=int, help="gunicorn-workers (alleen met --database-url)")
    parser.add_argument("--gebruikers", type=int, default=50)
    parser.add_argument("--duur", type=float, default=60.0, help="seconden")
    parser.add_argument("--deelnemer", type=_deelnemer, action="append", default=[],
                        help="naam:wachtwoord[:afspraak-pk[:regionummer]]; herhaalbaar")
    parser.add_argument(
        "--deelnemers", type=Path, help="JSON-bestand: lijst van {gebruikersnaam, wachtwoord, afspraak, regio}"
    )
    parser.add_argument("--vloer", metavar="PAD",
                        help="vraag alleen deze pagina, steeds opnieuw (de vloer van de test), bijv. / of "
                             "/afspraken/{afspraak}/fase/1/ ({afspraak}: de eigen afspraak van elke gebruiker)")
    parser.add_argument("--json", action="store_true", help="druk de uitslag af als JSON")
    args = parser.parse_args(argv)

    deelnemers = list(args.deelnemer)
    if args.deelnemers:
        deelnemers += [Deelnemer(**d) for d in json.loads(args.deelnemers.read_text())]
    if not deelnemers:
        parser.error("geef minstens één --deelnemer of --deelnemers")
    try:
        if args.url:
            uitslag = draai(args.url, deelnemers, args.gebruikers, args.duur, vloer=args.vloer)
        else:
            with gunicorn(args.database_url, workers=args.workers) as url:
                uitslag = draai(url, deelnemers, args.gebruikers, args.duur, vloer=args.vloer)
    except BelastingFout as fout:
        print(f"Belastingtest niet uitgevoerd: {fout}", file=sys.stderr)
        return 2
    print(json.dumps(uitslag.als_dict(), ensure_ascii=False, indent=2) if args.json else uitslag.als_tekst())
    return 0 if uitslag.fouten == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
