"""Content-Security-Policy (django-csp, config/settings.py) and the session timeout.

The policy allows only our own scripts, styles, fonts and images and, inline, a script carrying the response's
nonce. These tests read the header and parse the HTML of a representative set of pages: any <style>, style=
or on…= attribute, a script without the nonce or from elsewhere, would be blocked in the browser.
"""

import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Gebruiker
from regio.models import Doorstroompuntregio
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.factories import WACHTWOORD, GebruikerFactory

pytestmark = pytest.mark.django_db

VERWACHT = {
    "default-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}


# --- helpers ---------------------------------------------------------------------------------------


def _beleid(refdata):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-csp")


def _client(gebruiker=None):
    client = Client()
    if gebruiker is not None:
        client.force_login(gebruiker)
    return client


def _beleid_client(refdata):
    return _client(_beleid(refdata))


def _beheerder_client(refdata):
    return _client(GebruikerFactory(rol="beheerder", username="beheerder-csp"))


def beleid(refdata):
    return _beleid_client(refdata)


def beheer(refdata):
    return _beheerder_client(refdata)


def bezoeker(refdata):
    return _client()


def _beleid_afspraak(refdata):
    """A beleidsmaker of Leeuwarden with the agreement of Friesland Noord, and that agreement."""
    afspraak = maak_afspraak(4)
    return _beleid_client(refdata), afspraak


def _beleid_pagina(naam, *extra):
    def maak(refdata):
        client, afspraak = _beleid_afspraak(refdata)
        return client, reverse(naam, args=[afspraak.pk, *extra])

    return maak


# (name, function of refdata giving (client, url)): public pages, forms, an agreement's pages, the monitor,
# beheer, the API documentation and Django's admin (its own templates, also under the policy).
PAGINAS = [
    ("home", lambda r: (bezoeker(r), reverse("home"))),
    ("regio's", lambda r: (bezoeker(r), reverse("regio_lijst"))),
    ("regio met grafiek en kaart", lambda r: (bezoeker(r), reverse("regio_detail", args=[4]))),
    ("bronnen", lambda r: (bezoeker(r), reverse("bronnen"))),
    ("toegankelijkheid", lambda r: (bezoeker(r), reverse("toegankelijkheid"))),
    ("privacy", lambda r: (bezoeker(r), reverse("privacy"))),
    ("colofon", lambda r: (bezoeker(r), reverse("colofon"))),
    ("contact", lambda r: (bezoeker(r), reverse("contact"))),
    ("inloggen (formulier)", lambda r: (bezoeker(r), reverse("inloggen"))),
    ("verifiëren (formulier)", lambda r: (bezoeker(r), reverse("verificatie"))),
    ("monitor", lambda r: (bezoeker(r), reverse("monitor"))),
    ("studentenstromen", lambda r: (bezoeker(r), reverse("monitor_stromen"))),
    ("API-documentatie", lambda r: (bezoeker(r), reverse("api_documentatie"))),
    ("afspraken", lambda r: (beleid(r), reverse("afspraak_lijst"))),
    ("afspraak starten", lambda r: (beleid(r), reverse("afspraak_starten", args=[4]))),
    ("afspraak overzicht", _beleid_pagina("afspraak_overzicht")),
    ("fase 1", _beleid_pagina("afspraak_fase", 1)),
    ("fase 2", _beleid_pagina("afspraak_fase", 2)),
    ("fase 3", _beleid_pagina("afspraak_fase", 3)),
    ("fase 4", _beleid_pagina("afspraak_fase", 4)),
    ("toetsing", _beleid_pagina("afspraak_toetsing")),
    ("acties", _beleid_pagina("afspraak_acties")),
    ("geschiedenis", _beleid_pagina("afspraak_geschiedenis")),
    ("documentvoorbeeld", _beleid_pagina("afspraak_document")),
    ("ondertekening", _beleid_pagina("afspraak_ondertekening")),
    ("tweede factor instellen (QR-code)", lambda r: (beheer(r), reverse("tweede_factor_instellen"))),
    ("beheer: gegevens laden", lambda r: (beheer(r), reverse("beheer_gegevens"))),
    ("beheer: regio's", lambda r: (beheer(r), reverse("beheer_regios"))),
    ("beheer: auditlog", lambda r: (beheer(r), reverse("beheer_auditlog"))),
    ("monitor voor beheerders", lambda r: (beheer(r), reverse("monitor_beheer"))),
    ("admin: index", lambda r: (beheer(r), "/admin/")),
    ("admin: lijst", lambda r: (beheer(r), "/admin/regio/doorstroompuntregio/")),
    (
        "admin: wijzigformulier",
        lambda r: (
            beheer(r),
            f"/admin/regio/doorstroompuntregio/{Doorstroompuntregio.objects.get(nummer=4).pk}/change/",
        ),
    ),
    ("admin: gebruikers", lambda r: (beheer(r), "/admin/accounts/gebruiker/")),
    ("mijn account", lambda r: (beleid(r), reverse("account"))),
    ("wachtwoord wijzigen", lambda r: (beleid(r), reverse("wachtwoord_wijzigen"))),
    ("wachtwoord vergeten", lambda r: (bezoeker(r), reverse("wachtwoord_vergeten"))),
    ("uitnodigingen", lambda r: (beheer(r), reverse("uitnodigingen"))),
    ("iemand uitnodigen", lambda r: (beheer(r), reverse("uitnodiging_nieuw"))),
]


def _beleid_regels(header):
    regels = {}
    for deel in header.split(";"):
        woorden = deel.split()
        if woorden:
            regels[woorden[0]] = set(woorden[1:])
    return regels


def _nonce(regels):
    gevonden = [w[len("'nonce-") : -1] for w in regels.get("script-src", ()) if w.startswith("'nonce-")]
    return gevonden[0] if gevonden else None


class _Elementen(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _elementen(html):
    parser = _Elementen()
    parser.feed(html)
    return parser.tags


def _van_zelf(url):
    """Same origin: a path on this site (not //host/, not a scheme such as data: or javascript:)."""
    return url.startswith("/") and not url.startswith("//")


def _problemen(html, nonce):
    """What the policy in the header would block in this page, as readable lines."""
    problemen = []
    for tag, attrs in _elementen(html):
        if "style" in attrs:
            problemen.append(f"<{tag}> met style=: {attrs['style']!r}")
        for naam in attrs:
            if naam.startswith("on"):
                problemen.append(f"<{tag}> met {naam}=")
        for naam in ("href", "src", "action", "formaction"):
            if (attrs.get(naam) or "").strip().lower().startswith("javascript:"):
                problemen.append(f"<{tag}> met {naam}=javascript:")
        if tag == "style":
            problemen.append("<style>-element (style-src staat geen inline stijl toe)")
        if tag == "script":
            if "nonce" in attrs and attrs["nonce"] != nonce:
                problemen.append(f"<script> met een andere nonce dan de header: {attrs['nonce']!r}")
            if "src" in attrs:
                if not _van_zelf(attrs["src"]):
                    problemen.append(f"<script> van buiten: {attrs['src']}")
            elif not nonce or attrs.get("nonce") != nonce:
                problemen.append("inline <script> zonder de nonce van dit antwoord")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and not _van_zelf(attrs.get("href", "")):
            problemen.append(f"stylesheet van buiten: {attrs.get('href')}")
        if tag in ("img", "iframe", "embed", "object", "audio", "video", "source") and not _van_zelf(
            attrs.get("src") or attrs.get("data") or "/"
        ):
            problemen.append(f"<{tag}> van buiten: {attrs.get('src') or attrs.get('data')}")
    return problemen


def _scripts(html):
    return [attrs for tag, attrs in _elementen(html) if tag == "script"]


# --- the header ------------------------------------------------------------------------------------


def test_strikt_beleid_met_nonce_op_de_homepagina(refdata):
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "unsafe-hashes" not in header
    regels = _beleid_regels(header)
    nonce = _nonce(regels)
    assert nonce and len(nonce) >= 22  # 16 random bytes, base64
    assert regels.pop("script-src") == {"'self'", f"'nonce-{nonce}'"}
    assert regels == VERWACHT
    # Not a report-only policy: the browser enforces it.
    assert "Content-Security-Policy-Report-Only" not in response


def test_elk_antwoord_een_nieuwe_nonce_die_de_scripts_dragen(refdata):
    client = Client()
    nonces = []
    for _ in range(3):
        response = client.get(reverse("home"))
        nonce = _nonce(_beleid_regels(response["Content-Security-Policy"]))
        eigen = [s for s in _scripts(response.content.decode()) if "nonce" in s]
        assert eigen and all(s["nonce"] == nonce for s in eigen)
        nonces.append(nonce)
    assert len(set(nonces)) == 3


@pytest.mark.parametrize("adres", ["/", "/regios/", "/regios/12/", "/monitor/", "/monitor/stromen/"])
def test_openbare_pagina_eigen_nonce_en_een_csrf_token_dat_zijn_cookie_aanvaardt(refdata, adres):
    """Every response its own nonce (the one its header allows); the token on the page (htmx sends it) passes the
    CSRF check with the cookie set beside it, and not without."""
    nonces = set()
    for _ in range(2):
        bezoeker = Client(enforce_csrf_checks=True)
        antwoord = bezoeker.get(adres)
        html = antwoord.content.decode()
        nonce = _nonce(_beleid_regels(antwoord["Content-Security-Policy"]))
        eigen = [script for script in _scripts(html) if "nonce" in script]
        assert eigen and all(script["nonce"] == nonce for script in eigen)
        nonces.add(nonce)
        assert settings.CSRF_COOKIE_NAME in antwoord.cookies
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        inloggen = bezoeker.post(
            reverse("inloggen"), {"auth-username": "niemand", "auth-password": "fout"}, HTTP_X_CSRFTOKEN=token
        )
        assert inloggen.status_code == 200  # the form again with its error, not 403
    assert len(nonces) == 2
    assert Client(enforce_csrf_checks=True).post(
        reverse("inloggen"), {"auth-username": "niemand"}, HTTP_X_CSRFTOKEN=token
    ).status_code == 403


def test_ook_een_redirect_en_een_formulier_met_fouten_dragen_het_beleid(refdata):
    client = Client()
    omleiding = client.get(reverse("afspraak_lijst"))
    assert omleiding.status_code == 302
    assert _beleid_regels(omleiding["Content-Security-Policy"])["frame-ancestors"] == {"'none'"}
    fout = client.post(reverse("inloggen"), {"username": "niemand", "password": "fout"})
    assert fout.status_code == 200
    header = fout["Content-Security-Policy"]
    assert "unsafe" not in header
    assert _problemen(fout.content.decode(), _nonce(_beleid_regels(header))) == []


def test_htmx_zonder_eval_en_zonder_eigen_stijl(refdata):
    response = Client().get(reverse("home"))
    meta = [a for t, a in _elementen(response.content.decode()) if t == "meta" and a.get("name") == "htmx-config"]
    assert len(meta) == 1
    config = json.loads(meta[0]["content"])
    # allowEval off: hx-on, trigger filters and js: values would need 'unsafe-eval'.
    assert config["allowEval"] is False
    # htmx would inject a <style> for its indicators; their rules are in app.css instead.
    assert config["includeIndicatorStyles"] is False
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css


def test_geen_sjabloon_vraagt_htmx_om_eval():
    """hx-on, hx-vals/hx-vars with js:, and hx-trigger filters ([…]) are evaluated as JavaScript."""
    verdacht = re.compile(
        r"\bhx-on[:-]|\bhx-vars=|\bhx-(?:vals|headers)=['\"]\s*(?:js|javascript):|\bhx-trigger=['\"][^'\"]*\["
    )
    gevonden = []
    for pad in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for nummer, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1):
            if verdacht.search(regel):
                gevonden.append(f"{pad.relative_to(settings.BASE_DIR)}:{nummer}: {regel.strip()}")
    assert gevonden == []


def test_de_controle_van_de_html_vindt_wat_het_beleid_blokkeert():
    """The checker itself: each of these would be blocked, and is reported."""
    html = (
        '<div style="color:red"></div><button onclick="x()"></button><style>p{}</style>'
        '<script>alert(1)</script><script nonce="oud">1</script><script src="https://cdn.example/x.js"></script>'
        '<a href="javascript:void(0)">x</a><img src="data:image/png;base64,AA">'
        '<link rel="stylesheet" href="//cdn/x.css">'
    )
    assert len(_problemen(html, "goed")) == 10
    assert _problemen('<script src="/static/x.js"></script><script nonce="goed">1</script>', "goed") == []


# --- every page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("naam,pagina", PAGINAS, ids=[p[0] for p in PAGINAS])
def test_pagina_heeft_niets_wat_het_beleid_blokkeert(refdata, naam, pagina):
    client, url = pagina(refdata)
    response = client.get(url)
    assert response.status_code == 200, f"{naam}: {url} gaf {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    header = response["Content-Security-Policy"]
    assert "unsafe" not in header
    regels = _beleid_regels(header)
    assert {k: v for k, v in regels.items() if k != "script-src"} == VERWACHT
    nonce = _nonce(regels)
    html = response.content.decode()
    assert _problemen(html, nonce) == [], f"{naam}: {url}"
    if not url.startswith("/admin/"):
        # Our pages all load sectie.js with the nonce (base.html); the admin has only its own static scripts.
        assert nonce and any(s.get("nonce") == nonce for s in _scripts(html))


# --- session timeout -------------------------------------------------------------------------------


def _inloggen(client, gebruikersnaam):
    response = client.post(reverse("inloggen"), {"username": gebruikersnaam, "password": WACHTWOORD})
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME]


def test_sessie_duurt_acht_uur_vanaf_het_inloggen_en_eindigt_met_de_browser(refdata):
    GebruikerFactory(username="sessie-a")
    client = Client()
    voor = timezone.now()
    cookie = _inloggen(client, "sessie-a")
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sessie = Session.objects.get(session_key=cookie.value)
    verwacht = voor + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert verwacht <= sessie.expire_date <= verwacht + datetime.timedelta(seconds=30)
    # A browser-session cookie (no Max-Age, no Expires); the server still ends it after eight hours.
    assert not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get(reverse("afspraak_lijst")).status_code == 200


def test_gewoon_gebruik_verlengt_de_sessie_niet_en_schrijft_haar_niet(refdata):
    GebruikerFactory(username="sessie-b")
    client = Client()
    sleutel = _inloggen(client, "sessie-b").value
    vervalt = Session.objects.get(session_key=sleutel).expire_date
    with CaptureQueriesContext(connection) as queries:
        for url in (reverse("home"), reverse("afspraak_lijst"), reverse("regio_lijst")):
            assert client.get(url).status_code == 200
    schrijven = [
        q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]
    assert schrijven == []
    assert Session.objects.get(session_key=sleutel).expire_date == vervalt


def test_na_acht_uur_is_de_sessie_voorbij(refdata):
    GebruikerFactory(username="sessie-c")
    client = Client()
    sleutel = _inloggen(client, "sessie-c").value
    assert client.get(reverse("afspraak_lijst")).status_code == 200
    # Eight hours and a second later: move the session's end back by that much in the session store.
    sessie = SessionStore(session_key=sleutel)
    eind = sessie.get_expiry_date()
    assert sessie.get("_auth_user_id")
    sessie.set_expiry(eind - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    sessie.save()
    assert Session.objects.get(session_key=sleutel).expire_date < timezone.now()
    response = client.get(reverse("afspraak_lijst"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("inloggen"))
    assert "_auth_user_id" not in client.session


def test_een_minuut_voor_het_einde_is_de_sessie_er_nog(refdata):
    GebruikerFactory(username="sessie-d")
    client = Client()
    sleutel = _inloggen(client, "sessie-d").value
    sessie = SessionStore(session_key=sleutel)
    sessie.set_expiry(sessie.get_expiry_date() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
    sessie.save()
    assert client.get(reverse("afspraak_lijst")).status_code == 200
