"""Input the application refuses (issue 26, item 8): techniek/invoer.py.

- Single-line fields refuse CR/LF and other control characters, every text field NUL and the characters that
  override or isolate the reading direction, with a Dutch message at the field.
- No request answers 500 for such input: for every URL of the three rights matrices (tests/test_rechten_alle_urls.py,
  tests/test_afspraken_rechten.py, tests/test_api.py) and every role, NUL, CR/LF, U+202E and U+2066 go into each
  path parameter and into the query parameters the application reads, and every form the page shows is posted
  with them in its fields; nothing is written then, and a form says what is wrong.
- A title with a line end saved before the title field refused it can still be offered for signing.
"""

import html
import re
import sys
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
import yaml
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from accounts.models import Gebruiker
from afspraken.formulieren import AfspraakgegevensFormulier, StartFormulier, ToelichtingFormulier
from afspraken.models import Actie, Document, Uitvoeringsafspraak
from regio.models import Doorstroompuntregio, Gegevensimport, Gemeente, MboInstelling
from techniek import invoer
from tests import test_afspraken_rechten, test_api, test_rechten_alle_urls
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.ondertekening_helpers import beleidsmaker, bestuurders, klaar_voor_ondertekening

RICHTING = sorted(invoer.RICHTINGTEKENS)
# A line end last: a section of textareas and choices may be saved with it (see below), raising its version.
SLECHT = {"nul": "\x00", "rlo": "\u202e", "lri": "\u2066", "crlf": "\r\n"}
MELDINGEN = ("Dit veld mag geen regelovergang bevatten", "Dit veld bevat een teken dat niet is toegestaan")


# --- the validators -----------------------------------------------------------------------------------------


def _fout(validator, waarde):
    try:
        validator(waarde)
    except forms.ValidationError as fout:
        return fout
    return None


@pytest.mark.parametrize(
    "tekst",
    [
        "Uitvoeringsafspraak Friesland Noord",
        "Regel één\r\nregel twee\n\tingesprongen",
        "Arabisch: مرحبا, Hebreeuws: שלום, Fries: Fryslân, Turks: İstanbul, emoji: 👍",
        "met richtingsmarkering \u200e en \u200f (LRM, RLM: geen overschrijving)",
        "",
    ],
)
def test_gewone_tekst_mag(tekst):
    assert _fout(invoer.geen_verboden_tekens, tekst) is None


@pytest.mark.parametrize("teken", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", *RICHTING])
def test_elk_tekstveld_weigert(teken):
    fout = _fout(invoer.geen_verboden_tekens, f"Begin van de zin{teken} en verder")
    assert fout is not None and fout.code == "verboden_teken"
    # Invisible, so the message says where it is.
    assert fout.messages == [invoer.VERBODEN_TEKEN + " Het staat direct na „Begin van de zin”."]


def test_richtingtekens_zijn_precies_de_overschrijvingen_en_isolaties():
    assert "".join(RICHTING) == "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_de_patronen_zijn_precies_de_regel():
    """The regular expressions against the rule in Unicode's own terms, over every code point."""
    for punt in range(sys.maxunicode + 1):
        teken = chr(punt)
        stuurteken = unicodedata.category(teken) == "Cc"
        assert bool(invoer.VERBODEN.match(teken)) == (
            stuurteken and teken not in "\t\n\r" or teken in invoer.RICHTINGTEKENS
        ), hex(punt)
        assert bool(invoer.VERBODEN_OP_EEN_REGEL.match(teken)) == (
            stuurteken or teken in invoer.RICHTINGTEKENS or teken in "\u2028\u2029"
        ), hex(punt)


@pytest.mark.parametrize("regeleinde", ["\n", "\r", "\r\n", "\u2028", "\u2029"])
def test_enkele_regel_weigert_regelovergang(regeleinde):
    fout = _fout(invoer.geen_stuurtekens_enkele_regel, f"Titel{regeleinde}met tweede regel")
    assert fout.code == "regelovergang" and fout.messages == [invoer.REGELOVERGANG]
    assert fout.messages[0].startswith("Dit veld mag geen regelovergang bevatten.")
    # In text of more lines it is what a line end is.
    assert _fout(invoer.geen_verboden_tekens, f"Titel{regeleinde}met tweede regel") is None


@pytest.mark.parametrize("teken", ["\t", "\x00", "\x1f", "\u202e", "\u2066"])
def test_enkele_regel_weigert_stuurtekens(teken):
    fout = _fout(invoer.geen_stuurtekens_enkele_regel, f"{teken}Titel")
    assert fout.code == "verboden_teken"
    assert fout.messages == [invoer.VERBODEN_TEKEN + " Het staat aan het begin."]


def test_enkele_regel_laat_gewone_tekst():
    assert _fout(invoer.geen_stuurtekens_enkele_regel, "Zorg & welzijn — mbo (2026–2029) «Fryslân» ü ß ı") is None


@pytest.mark.parametrize(
    "tekst, regel",
    [
        ("Titel\nmet regel", "Titel met regel"),
        ("  Titel\r\n\r\n\tmet \u202eregel\u2066 \x00 ", "Titel met regel"),
        ("\n\n", ""),
        ("Gewoon", "Gewoon"),
    ],
)
def test_enkele_regel_maakt_een_regel(tekst, regel):
    assert invoer.enkele_regel(tekst) == regel


# --- the forms ------------------------------------------------------------------------------------------------

PROJECT = ("techniek", "regio", "audit", "accounts", "afspraken", "aanbod", "financiering", "monitor", "api")


def _alle_subklassen(klasse):
    for sub in klasse.__subclasses__():
        yield sub
        yield from _alle_subklassen(sub)


def test_elk_formulier_van_het_project_controleert_zijn_invoer():
    """Every form class of the project mixes in techniek.invoer.Invoercontrole (through Formulier,
    Modelformulier, Sectieformulier or Rijformulier): a new form without it fails here."""
    import importlib
    import pkgutil

    for app in PROJECT:
        pakket = importlib.import_module(app)
        for module in pkgutil.walk_packages(pakket.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    eigen = {
        k for k in _alle_subklassen(forms.BaseForm)
        if k.__module__.split(".")[0] in PROJECT and k.__module__ != invoer.__name__
    }
    assert len(eigen) > 40, sorted(k.__name__ for k in eigen)
    zonder = sorted(f"{k.__module__}.{k.__qualname__}" for k in eigen if not issubclass(k, invoer.Invoercontrole))
    assert not zonder, f"Formulier zonder techniek.invoer.Invoercontrole (erf van Formulier/Modelformulier): {zonder}"


def test_elk_beheerformulier_controleert_zijn_invoer(db):
    """The admin's log-in (the site's own, accounts.beheersite), and the form of every model the project registers
    with the admin."""
    from accounts.formulieren import InlogFormulier

    assert issubclass(InlogFormulier, invoer.Invoercontrole)
    antwoord = Client().post(reverse("admin:login"), {"username": "a\x00", "password": "b"})
    assert antwoord.status_code == 302 and antwoord["Location"].startswith(reverse("inloggen"))
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "invoer-admin")
    verzoek = RequestFactory().get("/admin/")
    verzoek.user, verzoek.resolver_match = beheerder, resolve("/admin/")
    for model, modeladmin in admin.site._registry.items():
        if model._meta.app_label in PROJECT:
            assert issubclass(modeladmin.get_form(verzoek), invoer.Invoercontrole), model


def test_titel_met_regelovergang_wordt_geweigerd(db, refdata):
    afspraak = maak_afspraak(4)
    formulier = AfspraakgegevensFormulier(
        {"titel": "Uitvoeringsafspraak\r\nFriesland", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31"},
        instance=afspraak,
    )
    assert not formulier.is_valid()
    assert formulier.errors["titel"] == [invoer.REGELOVERGANG]


def test_ingevoegde_velden_worden_ook_gecontroleerd(db, refdata):
    """Fields a form adds in its own __init__ (after the mixin's) are checked too: the start form's title, the
    verdeelsleutel's percentages per party."""
    regio = Doorstroompuntregio.objects.get(nummer=4)
    formulier = StartFormulier({"titel": "A\u202eB"}, regio=regio, voorstellen=[])
    assert not formulier.is_valid()
    assert formulier.errors["titel"][0].startswith(invoer.VERBODEN_TEKEN)


def test_tekstvak_houdt_regels_en_weigert_nul_met_een_melding():
    assert ToelichtingFormulier({"tekst": "Eerste regel\r\nTweede\tregel"}).is_valid()
    formulier = ToelichtingFormulier({"tekst": "Eerste regel\x00"})
    assert not formulier.is_valid()
    # One message, ours: Django's own "Null-tekens zijn niet toegestaan." is replaced.
    assert formulier.errors["tekst"] == [invoer.VERBODEN_TEKEN + " Het staat direct na „Eerste regel”."]


def test_wachtwoord_blijft_zoals_django_het_controleert():
    from accounts.formulieren import InlogFormulier

    formulier = InlogFormulier(data={"username": "iemand\u202e", "password": "wacht\twoord\u202e"})
    assert not formulier.is_valid()
    assert formulier.errors["username"][0].startswith(invoer.VERBODEN_TEKEN)
    assert "password" not in formulier.errors


def test_toelichting_die_niet_kan_komt_terug_bij_het_veld_zoals_getypt(db, refdata):
    afspraak = maak_afspraak(4)
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "invoer-t"))
    response = client.post(
        reverse("afspraak_toelichting", args=[afspraak.pk, 7]), {"ba7-tekst": "Deels extern\u202e geregeld."}
    )
    assert response.status_code == 422
    inhoud = response.content.decode()
    assert "<title>Fout: Toetsing" in inhoud
    assert "De toelichting bij basisafspraak 7 kon niet worden opgeslagen" in inhoud
    # At the field, with what was typed (escaped as Django writes a textarea's text).
    assert 'id="id_ba7-tekst_error"' in inhoud and "Deels extern\u202e geregeld." in inhoud
    assert not afspraak.wijzigingen.exists()


# --- offering for signing with an old title -------------------------------------------------------------------


def test_oude_titel_met_regelovergang_breekt_het_aanbieden_niet(db, refdata, django_capture_on_commit_callbacks):
    """A title saved before the field refused line ends: offering answers as always, and every bestuurder gets
    the e-mail, with the title on one line in the subject (Django refuses a subject with a line end)."""
    afspraak = klaar_voor_ondertekening()
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(titel="Uitvoeringsafspraak\r\nFriesland Noord\n")
    client = Client()
    client.force_login(beleidsmaker())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("afspraak_aanbieden", args=[afspraak.pk]))
    assert response.status_code == 302
    afspraak.refresh_from_db()
    assert afspraak.status == Uitvoeringsafspraak.Status.TER_ONDERTEKENING
    assert Document.objects.get(afspraak=afspraak, soort="ter_ondertekening").status == "klaar"
    ontvangers = {adres for bericht in mail.outbox for adres in bericht.to}
    assert {b.email for b in bestuurders(afspraak)} <= ontvangers
    assert {m.subject for m in mail.outbox} == {"Te ondertekenen: Uitvoeringsafspraak Friesland Noord"}


# --- addresses ------------------------------------------------------------------------------------------------


def test_nul_in_het_adres_is_400_met_uitleg(db, refdata):
    client = Client()
    for adres in ("/api/gemeenten/%00/", "/regios/?sectie=%00", "/regios/?%00=1", "/monitor/%00"):
        response = client.get(adres)
        assert response.status_code == 400, adres
        assert "Het adres bevat een teken dat niet is toegestaan" in response.content.decode()


def test_nul_in_het_adres_van_de_api_is_400_in_json(db, refdata):
    response = Client().get("/api/gemeenten/%00/", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Het adres bevat een teken dat niet is toegestaan."}


def test_sessiecookie_met_nul_is_geen_sessie(db, refdata):
    client = Client()
    client.cookies.load('sessionid="abcdefgh\\000ijklmnop"')
    assert "\x00" in client.cookies["sessionid"].value
    response = client.get(reverse("afspraak_lijst"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("inloggen"))


# --- every URL, every role --------------------------------------------------------------------------------------

ROLLEN = ["anoniem", "beleidsmaker_partij", "bestuurder_partij", "beleidsmaker_ander", "beheerder"]


def _matrixgevallen():
    """(url name, method, kwargs builder) of every case of the three rights matrices."""
    gevallen = {}
    for naam, regels in {**test_rechten_alle_urls.MATRIX, **test_rechten_alle_urls.ADMIN_STEEKPROEF}.items():
        for geval in (regels,) if isinstance(regels, test_rechten_alle_urls.Geval) else regels:
            gevallen[(naam, geval.methode)] = geval.kwargs
    schrijven = {test_afspraken_rechten.SCHRIJVEN, test_afspraken_rechten.OPNIEUW, test_afspraken_rechten.METEN,
                 test_afspraken_rechten.AFDRUK_OPNIEUW}
    for naam, (soort, kwargs) in test_afspraken_rechten.MATRIX.items():
        gevallen[(naam, "post" if soort in schrijven else "get")] = kwargs
        gevallen.setdefault((naam, "get"), kwargs)
    for naam, (_, kwargs) in test_api.MATRIX.items():
        gevallen[(naam, "get")] = kwargs
    return sorted(gevallen.items(), key=lambda geval: geval[0])


# Pages beyond the matrices whose forms take text: every phase, a row opened for editing, the start of an
# agreement, the monitoring of a signed one, and the admin's change forms.
EXTRA_PAGINAS = {
    "fase 1": lambda c: reverse("afspraak_fase", args=[c["afspraak"].pk, 1]),
    "fase 1, rij open": lambda c: reverse("afspraak_fase", args=[c["afspraak"].pk, 1])
    + f"?bewerk=acties-verkennen&rij={c['actie'].pk}",
    "fase 3": lambda c: reverse("afspraak_fase", args=[c["afspraak"].pk, 3]),
    "fase 4": lambda c: reverse("afspraak_fase", args=[c["afspraak"].pk, 4]),
    "starten": lambda c: reverse("afspraak_starten", args=[Gemeente.objects.get(naam="Amsterdam").regio.nummer]),
    "monitoring": lambda c: reverse("afspraak_monitoring", args=[c["ondertekend"].pk]),
    "admin afspraak": lambda c: reverse("admin:afspraken_uitvoeringsafspraak_change", args=[c["afspraak"].pk]),
    "admin organisatie": lambda c: reverse(
        "admin:accounts_organisatie_change", args=[gemeente_organisatie("Leeuwarden").pk]
    ),
    "admin gebruiker": lambda c: reverse(
        "admin:accounts_gebruiker_change", args=[c["gebruikers"]["beleidsmaker_partij"].pk]
    ),
    "uitnodigen": lambda c: reverse("uitnodiging_nieuw"),  # the admin's "add user" leads here
    "admin regio": lambda c: reverse("admin:regio_doorstroompuntregio_change", args=[c["afspraak"].regio_id]),
    "admin instelling": lambda c: reverse("admin:regio_mboinstelling_change", args=[c["firda"]]),
    "admin aanbodvorm": lambda c: reverse("admin:aanbod_aanbodvorm_add"),
}


def _routes():
    return {sleutel: pad for pad, sleutel, _ in test_rechten_alle_urls.alle_patronen()}


ROUTEPARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _adres(route, kwargs, slecht_in=None, slecht=""):
    """The path of `route` with its parameters filled in, `slecht` appended to parameter `slecht_in`; built by
    hand, since reverse() refuses what a converter does not match (that is the point: a request may send it)."""

    def vul(treffer):
        waarde = str(kwargs[treffer.group(1)])
        return quote(waarde + slecht if treffer.group(1) == slecht_in else waarde, safe="")

    return "/" + ROUTEPARAMETER.sub(vul, route)


def _queryparameters():
    """The names of every query parameter the application reads: its views, the audit log's filter, the admin's
    lists, and the API's (from its OpenAPI description)."""
    from audit.views import AuditlogFilter

    namen = {"sectie", "nieuw", "bewerk", "verwijder", "rij", "stand", "deel", "met", "versie", "next", "pagina",
             "q", "o", "p", "e", "_changelist_filters", "_to_field", "_popup"}
    namen |= set(AuditlogFilter.base_fields)
    schema = yaml.safe_load(test_api.SCHEMA.read_text(encoding="utf-8"))
    for pad in schema["paths"].values():
        for operatie in pad.values():
            namen |= {p["name"] for p in operatie.get("parameters", []) if p.get("in") == "query"}
    return sorted(namen)


@pytest.fixture
def taken_in_de_wachtrij(settings):
    """PDFs are queued, not made: what is tested is the answer to the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def context(db, refdata, taken_in_de_wachtrij):
    afspraak = maak_afspraak(4)
    leeuwarden = gemeente_organisatie("Leeuwarden")
    ondertekend, indicator, geldende_actie = test_afspraken_rechten._ondertekend_met_leeuwarden()
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "invoer-beheer")
    from afspraken import secties

    return {
        **test_rechten_alle_urls.objecten_van_de_matrix(afspraak, beheerder),
        "afspraak": afspraak,
        "actie": Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Bestaande actie"),
        "tekstsectie": next(d.sleutel for d in secties.alle() if isinstance(d, secties.Tekstsectie)),
        "ondertekend": ondertekend,
        "indicator": indicator,
        "geldende_actie": geldende_actie,
        "document": Document.objects.create(
            afspraak=afspraak, soort="ter_ondertekening", status="klaar", inhoud=b"%PDF-1.7 test", sha256="0" * 64
        ),
        "firda": MboInstelling.objects.get(naam="Firda").pk,
        "import": Gegevensimport.objects.create(
            soort=Gegevensimport.Soort.ADRESSEN_MBO, status=Gegevensimport.Status.GEANNULEERD,
            bestandsnaam="adressen.csv", sha256="0" * 64, grootte=10, gebruiker=beheerder,
        ),
        "gebruikers": {
            "beleidsmaker_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "invoer-beleid"),
            "bestuurder_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "invoer-bestuur"),
            "beleidsmaker_ander": gebruiker_van(
                gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "invoer-ander"
            ),
            "beheerder": beheerder,
        },
    }


def _client(context, rol):
    client = Client(raise_request_exception=False)
    if rol != "anoniem":
        client.force_login(context["gebruikers"][rol])
    return client


def _beschrijving(response):
    fout = getattr(response, "exc_info", None)
    return f"{response.status_code} {fout[1]!r}" if fout else str(response.status_code)


def _verzoek(client, methode, adres, data=None):
    return getattr(client, methode)(adres, data or {})


# In the query string the two direction characters go together: each full page is rendered fewer times.
IN_QUERY = {"nul": "\x00", "crlf": "\r\n", "richting": "\u202e\u2066"}


@pytest.mark.parametrize("rol", ROLLEN)
def test_geen_500_voor_tekens_in_adres_en_query(rol, context):
    """Every URL of the matrices, for this role: each path parameter with each character appended, and every
    query parameter the application reads set to it (alone, after a number, after a section's key). Never a 500;
    a NUL is 400 before any view."""
    routes = _routes()
    client = _client(context, rol)
    queryparameters = _queryparameters()
    actie = context["actie"].pk
    problemen = []

    def verzoek(methode, adres, naam, soort):
        response = _verzoek(client, methode, adres)
        if response.status_code >= 500 or (soort == "nul" and response.status_code != 400):
            problemen.append(f"{methode.upper()} {adres!r} ({naam}, {soort}): {_beschrijving(response)}")

    for (naam, methode), kwargs_van in _matrixgevallen():
        kwargs = kwargs_van(context)
        route, basis = routes[naam], reverse(naam, kwargs=kwargs)
        assert _adres(route, kwargs) == basis, naam
        for soort, teken in SLECHT.items():
            for parameter in kwargs:
                verzoek(methode, _adres(route, kwargs, parameter, teken), naam, soort)
        for soort, teken in IN_QUERY.items():
            for waarde in (teken, f"1{teken}", f"acties-verkennen{teken}"):
                verzoek(methode, basis + "?" + urlencode({n: waarde for n in queryparameters}), naam, soort)
        # A row of a section that exists, with something in its number that is no number for int() (²).
        for soort, teken in {**IN_QUERY, "superscript": "²"}.items():
            rij = {"bewerk": "acties-verkennen", "verwijder": "acties-verkennen", "rij": f"{actie}{teken}"}
            verzoek(methode, basis + "?" + urlencode(rij), naam, soort)
    assert not problemen, "\n".join(problemen)


def test_knop_met_een_superscript_in_zijn_nummer(context):
    """`_actie` names a row or phase by number; "²" passes str.isdigit() but not int()."""
    client = _client(context, "beleidsmaker_partij")
    afspraak = context["afspraak"]
    adres = reverse("fase_opslaan", args=[afspraak.pk, 1])
    for actie in ("naar:²", "bewerk:acties-verkennen:²", "verwijder:acties-verkennen:²"):
        response = client.post(adres, {"_actie": actie})
        assert response.status_code < 500, (actie, _beschrijving(response))
    response = client.post(adres, {f"acties-verkennen-{context['actie'].pk}²-omschrijving": "x"})
    assert response.status_code < 500, _beschrijving(response)


# --- every form -------------------------------------------------------------------------------------------------


class _Formulieren(HTMLParser):
    """The forms of a page as a browser would submit them: their fields with the values shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formulieren, self._per_id, self._los = [], {}, []
        self._huidig = self._tekstvak = self._keuzelijst = self._optie = None

    def _voeg_toe(self, veld, attrs):
        doel = attrs.get("form")
        if doel:
            self._los.append((doel, veld))
        elif self._huidig is not None:
            self._huidig["velden"].append(veld)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._huidig = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "velden": []}
            self.formulieren.append(self._huidig)
            if a.get("id"):
                self._per_id[a["id"]] = self._huidig
        elif "disabled" in a or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            soort = a.get("type", "text").lower()
            if soort in ("checkbox", "radio") and "checked" not in a:
                soort += "-uit"
            self._voeg_toe({"naam": a["name"], "soort": soort, "waarde": a.get("value", "on" if "checkbox" in soort
                                                                                 else "")}, a)
        elif tag == "button":
            self._voeg_toe({"naam": a["name"], "soort": a.get("type", "submit").lower(),
                            "waarde": a.get("value", "")}, a)
        elif tag == "textarea":
            self._tekstvak = {"naam": a["name"], "soort": "textarea", "waarde": ""}
            self._voeg_toe(self._tekstvak, a)
        elif tag == "select":
            self._keuzelijst = {"naam": a["name"], "soort": "select", "waarde": None, "eerste": None,
                                "meer": "multiple" in a}
            self._voeg_toe(self._keuzelijst, a)
        if tag == "option" and self._keuzelijst is not None:
            self._optie = {"waarde": a.get("value"), "tekst": "", "gekozen": "selected" in a}

    def handle_data(self, data):
        if self._tekstvak is not None:
            self._tekstvak["waarde"] += data
        if self._optie is not None:
            self._optie["tekst"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._huidig = None
        elif tag == "textarea" and self._tekstvak is not None:
            # A browser drops the line end right after <textarea>.
            self._tekstvak["waarde"] = self._tekstvak["waarde"].removeprefix("\n")
            self._tekstvak = None
        elif tag == "option" and self._optie is not None:
            self._sluit_optie()
        elif tag == "select" and self._keuzelijst is not None:
            if self._optie is not None:
                self._sluit_optie()
            lijst = self._keuzelijst
            if lijst["waarde"] is None and not lijst["meer"]:
                lijst["waarde"] = lijst["eerste"]
            if lijst["waarde"] is None:
                lijst["soort"] = "select-leeg"
            self._keuzelijst = None

    def _sluit_optie(self):
        optie, lijst = self._optie, self._keuzelijst
        waarde = optie["waarde"] if optie["waarde"] is not None else optie["tekst"].strip()
        if lijst["eerste"] is None:
            lijst["eerste"] = waarde
        if optie["gekozen"] and lijst["waarde"] is None:
            lijst["waarde"] = waarde
        self._optie = None

    def close(self):
        super().close()
        for doel, veld in self._los:
            if doel in self._per_id:
                self._per_id[doel]["velden"].append(veld)


TYPEN = {"text", "search", "email", "url", "tel"}  # what a person types on one line
KNOPPEN = {"submit", "image"}


def _formulieren(inhoud):
    parser = _Formulieren()
    parser.feed(inhoud)
    parser.close()
    # Only forms with something to type or choose; a form of one button (log out, offer, queue again) has not.
    return [f for f in parser.formulieren
            if any(v["soort"] not in KNOPPEN | {"hidden", "button", "reset", "file"} for v in f["velden"])]


# Around what is typed into a text field: stored, it would show (CharField strips the ends of what is typed).
MERKTEKEN = "‹{}›"


def _invulling(formulier, teken, alles):
    """The form's data with `teken` typed into its text fields (`alles`: appended to every field's value).

    Checkboxes stay as shown: a checked box is any value."""
    data, knop = {}, None
    for veld in formulier["velden"]:
        soort, waarde = veld["soort"], veld["waarde"]
        if soort in KNOPPEN:
            if knop is None:  # the button a browser uses when Enter is pressed
                knop = veld
            continue
        if soort in ("checkbox-uit", "radio-uit", "select-leeg", "button", "reset", "file"):
            continue
        if alles and soort not in ("checkbox", "radio"):
            waarde = f"{waarde}{teken}"
        elif not alles and (soort in TYPEN or soort == "textarea" and teken != "\r\n"):
            waarde = waarde + MERKTEKEN.format(teken)
        data.setdefault(veld["naam"], []).append(waarde)
    if knop is not None:
        data.setdefault(knop["naam"], []).append(f"{knop['waarde']}{teken}" if alles else knop["waarde"])
    return data


def _getypt(formulier, teken):
    """Whether a person types into this form a text field where `teken` is refused."""
    return any(v["soort"] in TYPEN or v["soort"] == "textarea" and teken != "\r\n" for v in formulier["velden"])


def _project_tabellen():
    return [m._meta.db_table for m in apps.get_models() if m._meta.app_label in PROJECT and m._meta.managed
            and not m._meta.proxy]


def _aantallen(tabellen):
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {connection.ops.quote_name(t)}"
                                          for t in tabellen))
        return dict(cursor.fetchall())


def _opgeslagen_invoer(tabellen):
    """Columns of the project's tables (text or JSON) holding a direction override or what was typed."""
    teken = "[" + "".join(RICHTING) + MERKTEKEN[0] + "]"
    gevonden = []
    with connection.cursor() as cursor:
        for tabel in tabellen:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND data_type IN "
                "('text', 'character varying', 'jsonb', 'json')", [tabel]
            )
            for (kolom,) in cursor.fetchall():
                q = connection.ops.quote_name
                cursor.execute(f"SELECT count(*) FROM {q(tabel)} WHERE {q(kolom)}::text ~ %s", [teken])
                if cursor.fetchone()[0]:
                    gevonden.append(f"{tabel}.{kolom}")
    return gevonden


def _paginas(context):
    routes = _routes()
    paginas = {}
    for (naam, methode), kwargs_van in _matrixgevallen():
        if methode == "get" and not routes[naam].startswith("api/"):
            paginas[naam] = reverse(naam, kwargs=kwargs_van(context))
    paginas.update({naam: adres(context) for naam, adres in EXTRA_PAGINAS.items()})
    return paginas


VERWACHTE_FORMULIEREN = {
    "anoniem": {"inloggen", "wachtwoord_vergeten"},
    "beleidsmaker_partij": {
        "fase_opslaan", "afspraak_gegevens", "afspraak_toelichting", "afspraak_meting", "afspraak_actievoortgang",
        "afspraak_bevoegdheid",
    },
    "bestuurder_partij": {"afspraak_bevoegdheid"},
    "beleidsmaker_ander": {"afspraak_starten"},
    "beheerder": {
        "beheer_gegevens", "beheer_contactgemeente", "beheer_auditlog", "admin:afspraken_uitvoeringsafspraak_change",
        "admin:accounts_organisatie_change", "admin:accounts_gebruiker_change", "uitnodiging_nieuw",
        "admin:regio_doorstroompuntregio_change", "admin:regio_mboinstelling_change", "admin:aanbod_aanbodvorm_add",
    },
}
for _rol in ROLLEN[1:]:
    VERWACHTE_FORMULIEREN[_rol].add("tweede_factor_instellen")


@pytest.mark.parametrize("rol", ROLLEN)
def test_elk_formulier_weigert_de_tekens_zonder_500_en_schrijft_niets(rol, context):
    """Every form on every page this role opens, posted with each character typed into its text fields, and once
    with it appended to every value (hidden fields, choices and the button too): never a 500, a Dutch message at
    the field where it was typed, nothing of it stored, and nothing written at all (but for a line end typed
    into the inputs: the form's textareas may hold one, so a section of textareas and choices is saved as
    shown)."""
    client = _client(context, rol)
    tabellen = _project_tabellen()
    problemen, geposte_formulieren, bereikt = [], 0, set()
    for naam, pagina in _paginas(context).items():
        response = client.get(pagina)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for formulier in _formulieren(response.content.decode()):
            adres = html.unescape(formulier["action"]) or pagina
            methode = "post" if formulier["method"] == "post" else "get"
            for soort, teken in SLECHT.items():
                for alles in (False, True):
                    if not alles and not _getypt(formulier, teken):
                        continue
                    voor = _aantallen(tabellen) if methode == "post" else None
                    antwoord = _verzoek(client, methode, adres, _invulling(formulier, teken, alles))
                    geposte_formulieren += 1
                    bereikt.add(resolve(urlsplit(adres).path).view_name)
                    waar = f"{naam}: {methode.upper()} {adres} ({soort}, {'alles' if alles else 'getypt'})"
                    if antwoord.status_code >= 500:
                        problemen.append(f"{waar}: {_beschrijving(antwoord)}")
                        continue
                    # A line end is what a textarea holds: a section of textareas and choices is saved as shown.
                    beperkt = teken == "\r\n" and not alles
                    if methode == "post" and not beperkt and _aantallen(tabellen) != voor:
                        na = _aantallen(tabellen)
                        problemen.append(f"{waar}: geschreven in {[t for t in na if na[t] != voor[t]]}")
                    if methode == "post" and not alles:
                        tekst = html.unescape(antwoord.content.decode())
                        if not any(melding in tekst for melding in MELDINGEN):
                            problemen.append(f"{waar}: {antwoord.status_code} zonder melding bij het veld")
    assert not problemen, "\n".join(problemen)
    assert not _opgeslagen_invoer(tabellen)
    # The forms that take text were found and posted (a page that changed its markup would otherwise pass unseen).
    assert VERWACHTE_FORMULIEREN[rol] <= bereikt, VERWACHTE_FORMULIEREN[rol] - bereikt
