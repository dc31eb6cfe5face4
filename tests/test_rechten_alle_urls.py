"""Who may open what: one rights matrix over EVERY URL of the project, for every role.

Coverage: all URL patterns are enumerated by walking get_resolver() recursively. Each pattern is named by its
(namespaced) url name, or by its full pattern when it has none. A pattern counts as covered when

- it is in tests/test_afspraken_rechten.py's MATRIX (afspraken, aanbod, financiering, verifieren),
- it is in tests/test_api.py's MATRIX (api/),
- it lies under admin/ (one group: a sample is checked in ADMIN_STEEKPROEF below), or
- it has an entry in MATRIX below (regio pages, beheer, account, invitations, monitor, health check, the site's
  own pages).

Roles: a beleidsmaker of a party (Leeuwarden), a colleague of the same organisation, a beleidsmaker of another
organisation, a bestuurder of the party and a beheerder (both logged in with their second factor), and a bestuurder
and a beheerder who gave their password only. Those two get nothing but the enrolment of a second factor, here and on
every other URL of the project (test_zonder_tweede_factor_alleen_instellen).

A URL without an entry makes test_elke_url_staat_in_een_rechtenmatrix fail, naming the URL and where to add it.
Expectations follow the intended behaviour read from the views (beheer: anonymous → log-in page, other
logged-in users → 404, beheerder → 200; account pages: log-in required), not whatever the code happens to do.
"""

from collections import namedtuple

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import uitnodigingen
from accounts.models import Gebruiker, Organisatie, Uitnodiging
from accounts.tweede_factor import VOOR_DE_TWEEDE_FACTOR
from afspraken.models import VoorgesteldeOrganisatie
from regio.models import Gegevensimport, MboInstelling
from tests import test_afspraken_rechten, test_api
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.otp_helpers import zonder_tweede_factor

HIER = "tests/test_rechten_alle_urls.py"
ZONDER_TWEEDE_FACTOR = ["bestuurder_zonder_tweede_factor", "beheerder_zonder_tweede_factor"]
ROLLEN = [
    "anoniem", "beleidsmaker_partij", "beleidsmaker_collega", "beleidsmaker_ander", "bestuurder_partij", "beheerder",
    *ZONDER_TWEEDE_FACTOR,
]
INGELOGD = ROLLEN[1:]
BELEIDSMAKERS = ("beleidsmaker_partij", "beleidsmaker_collega", "beleidsmaker_ander")

# Distinctive title of a draft agreement: no public page may show it.
GEHEIM = "Geheime titel Kwartelkoning"

# --- kinds of URL and what each role gets -----------------------------------------------------------
PUBLIEK = "publiek"  # open to all, GET
BEHEER = "beheer"  # regio.beheer_views.beheerder_vereist, GET
BEHEER_GET_OP_POST = "beheer_get_op_post"  # GET on a POST-only beheer view
BEHEER_POST = "beheer_post"  # POST (no form data) on a POST-only beheer view: the import is not in preview
BEHEER_FORMULIER_POST = "beheer_formulier_post"  # POST without valid data on a beheer form
INLOGGEN = "inloggen"  # GET or empty POST of the log-in page
UITLOGGEN_GET = "uitloggen_get"
UITLOGGEN_POST = "uitloggen_post"
ACCOUNT = "account"  # login_required page, GET
ACCOUNT_FORMULIER_POST = "account_formulier_post"  # login_required form, POST without a code
# The second factor: of these users only the bestuurder and the beheerder have an app (and a verified session).
HERSTELCODES_POST = "herstelcodes_post"  # new recovery codes: only with a verified session
CONTROLEREN = "controleren"  # the code after the password: without an app to enrolment, verified already on
ADMIN = "admin"  # the Django admin: staff (beheerders) only
WACHTWOORD = "wachtwoord"  # 'wachtwoord vergeten' and its pages: open to all, GET
WACHTWOORD_POST = "wachtwoord_post"  # its form posted empty: the form again with its errors
UITNODIGINGEN = "uitnodigingen"  # the list and the form: beheerders, and beleidsmakers with an organisation
UITNODIGINGEN_POST = "uitnodigingen_post"  # the form posted empty
UITNODIGING_BEHEREN = "uitnodiging_beheren"  # POST re-send or withdraw an invitation to Leeuwarden
UITNODIGING_GOEDKEUREN = "uitnodiging_goedkeuren"  # POST approve or refuse a held invitation: beheerders only
ALLEEN_POST = "alleen_post"  # GET of a POST-only view: 405 for anyone
UITNODIGINGSLINK = "uitnodigingslink"  # an open invitation's link (for someone else than every role here)
HERSTELLINK = "herstellink"  # the link after a second-factor reset (of someone else than every role here)
ZONDER_LINK = "zonder_link"  # the password page of an invitation, without having opened a link


def _verwachting(soort, rol, naam=""):
    """(allowed status codes, name of the URL the redirect must go to, or None)."""
    anoniem = rol == "anoniem"
    beheerder = rol == "beheerder"
    if rol in ZONDER_TWEEDE_FACTOR:
        return _zonder_tweede_factor(soort, naam)
    if soort == PUBLIEK:
        return {200}, None
    if soort == BEHEER:
        return ({302}, "inloggen") if anoniem else ({200}, None) if beheerder else ({404}, None)
    if soort == BEHEER_GET_OP_POST:
        return ({302}, "inloggen") if anoniem else ({405}, None) if beheerder else ({404}, None)
    if soort == BEHEER_POST:
        return ({302}, "inloggen") if anoniem else ({302}, None) if beheerder else ({404}, None)
    if soort == BEHEER_FORMULIER_POST:
        return ({302}, "inloggen") if anoniem else ({200, 422}, None) if beheerder else ({404}, None)
    if soort == INLOGGEN:
        # Invalid (empty) form for a visitor; a logged-in user is sent on.
        return ({200}, None) if anoniem else ({302}, "home")
    if soort == UITLOGGEN_GET:
        return {405}, None  # Django's LogoutView only logs out on POST
    if soort == UITLOGGEN_POST:
        return {302}, "home"
    if soort == ACCOUNT:
        return ({302}, "inloggen") if anoniem else ({200}, None)
    if soort == ACCOUNT_FORMULIER_POST:
        return ({302}, "inloggen") if anoniem else ({422}, None)
    met_app = rol in ("bestuurder_partij", "beheerder")
    if soort == HERSTELCODES_POST:
        if anoniem:
            return {302}, "inloggen"
        return {302}, "tweede_factor_herstelcodes" if met_app else "tweede_factor_instellen"
    if soort == CONTROLEREN:
        if anoniem:
            return {302}, "inloggen"
        return {302}, "home" if met_app else "tweede_factor_instellen"
    if soort == ADMIN:
        return ({200}, None) if beheerder else ({302}, "admin:login")
    if soort == WACHTWOORD:
        return {200}, None
    if soort == WACHTWOORD_POST:
        return {422}, None
    mag_uitnodigen = beheerder or rol in BELEIDSMAKERS
    if soort == UITNODIGINGEN:
        return ({302}, "inloggen") if anoniem else ({200}, None) if mag_uitnodigen else ({404}, None)
    if soort == UITNODIGINGEN_POST:
        return ({302}, "inloggen") if anoniem else ({422}, None) if mag_uitnodigen else ({404}, None)
    if soort == UITNODIGING_BEHEREN:
        # Leeuwarden's invitation: its beleidsmakers and the beheerder; not another organisation's beleidsmaker.
        if anoniem:
            return {302}, "inloggen"
        mag = beheerder or rol in ("beleidsmaker_partij", "beleidsmaker_collega")
        return ({302}, "uitnodigingen") if mag else ({404}, None)
    if soort == UITNODIGING_GOEDKEUREN:
        # Only a beheerder lets an invitation outside the organisation's e-mail domains go (or refuses it).
        if anoniem:
            return {302}, "inloggen"
        return ({302}, "uitnodigingen") if beheerder else ({404}, None)
    if soort == ALLEEN_POST:
        return {405}, None
    if soort == UITNODIGINGSLINK:
        # Opened without a session it goes on to choosing the password; logged in as someone else it says so.
        return ({302}, "uitnodiging_wachtwoord") if anoniem else ({403}, None)
    if soort == HERSTELLINK:
        # Remembered in the session, then the log-in page; logged in as someone else it says so.
        return ({302}, "inloggen") if anoniem else ({403}, None)
    if soort == ZONDER_LINK:
        return {404}, None
    raise AssertionError(f"onbekende soort {soort}")


def _zonder_tweede_factor(soort, naam):
    """A bestuurder or beheerder after the password only (no app yet): to the enrolment, from every page but the
    few that lead there (accounts.tweede_factor.VOOR_DE_TWEEDE_FACTOR)."""
    if naam not in VOOR_DE_TWEEDE_FACTOR:
        return {302}, "tweede_factor_instellen"
    if soort == INLOGGEN:
        return {302}, "tweede_factor_instellen"
    if soort == ACCOUNT:
        return {200}, None
    if soort == ACCOUNT_FORMULIER_POST:
        return {422}, None
    if soort in (HERSTELCODES_POST, CONTROLEREN):
        return {302}, "tweede_factor_instellen"
    if soort in (UITNODIGINGSLINK, HERSTELLINK):
        return {403}, None
    return _verwachting(soort, "beleidsmaker_partij", naam)


Geval = namedtuple("Geval", "soort kwargs methode query", defaults=("get", ""))
GEEN = lambda c: {}  # noqa: E731
REGIO = lambda c: {"nummer": c["afspraak"].regio.nummer}  # noqa: E731
IMPORT = lambda c: {"pk": c["import"].pk}  # noqa: E731
CSV = lambda c: {"formaat": "csv"}  # noqa: E731
VOORSTEL = lambda c: {"pk": c["voorstel"]}  # noqa: E731


# url name -> one Geval or a tuple of them (e.g. GET and POST of one form).
MATRIX = {
    # Public region pages and their downloads.
    "home": Geval(PUBLIEK, GEEN),
    "regio_lijst": Geval(PUBLIEK, GEEN),
    "regio_detail": Geval(PUBLIEK, REGIO),
    "regio_export_instellingen": Geval(PUBLIEK, lambda c: {**REGIO(c), "formaat": "csv"}),
    "regio_export_gemeenten": Geval(PUBLIEK, lambda c: {**REGIO(c), "formaat": "xlsx"}),
    "gemeente_detail": Geval(PUBLIEK, lambda c: {"code": "GM0080"}),
    "instelling_detail": Geval(PUBLIEK, lambda c: {"pk": c["firda"]}),
    "bronnen": Geval(PUBLIEK, GEEN),
    # The national monitor: public, with a beheer page and a beheer version of the export.
    "monitor": Geval(PUBLIEK, GEEN),
    "monitor_beheer": Geval(BEHEER, GEEN),
    "monitor_export": (Geval(PUBLIEK, CSV), Geval(BEHEER, CSV, "get", "?versie=beheer")),
    "monitor_stromen": Geval(PUBLIEK, GEEN),
    "monitor_stromen_export": Geval(PUBLIEK, lambda c: {"formaat": "xlsx"}),
    # Beheer pages.
    "beheer_gegevens": (Geval(BEHEER, GEEN), Geval(BEHEER_FORMULIER_POST, GEEN, "post")),
    "beheer_import": Geval(BEHEER, IMPORT),
    "beheer_import_bevestigen": (Geval(BEHEER_GET_OP_POST, IMPORT), Geval(BEHEER_POST, IMPORT, "post")),
    "beheer_import_annuleren": (Geval(BEHEER_GET_OP_POST, IMPORT), Geval(BEHEER_POST, IMPORT, "post")),
    "beheer_regios": Geval(BEHEER, GEEN),
    "beheer_contactgemeente": (Geval(BEHEER, REGIO), Geval(BEHEER_FORMULIER_POST, REGIO, "post")),
    "beheer_auditlog": Geval(BEHEER, GEEN),
    "beheer_auditlog_export": Geval(BEHEER, CSV),
    # Partner organisations proposed in an agreement: the beheerder confirms, merges or rejects them.
    "beheer_organisaties": Geval(BEHEER, GEEN),
    "beheer_organisatie": (Geval(BEHEER, VOORSTEL), Geval(BEHEER_FORMULIER_POST, VOORSTEL, "post")),
    # Health check for monitoring tools: open to all, says only whether the application is up.
    "gezondheid": Geval(PUBLIEK, GEEN),
    # The site's own pages (statements, colofon, contact): open to all, linked from every page's footer.
    "toegankelijkheid": Geval(PUBLIEK, GEEN),
    "privacy": Geval(PUBLIEK, GEEN),
    "colofon": Geval(PUBLIEK, GEEN),
    "contact": Geval(PUBLIEK, GEEN),
    # Account.
    "inloggen": (Geval(INLOGGEN, GEEN), Geval(INLOGGEN, GEEN, "post")),
    "uitloggen": (Geval(UITLOGGEN_GET, GEEN), Geval(UITLOGGEN_POST, GEEN, "post")),
    "tweede_factor": Geval(ACCOUNT, GEEN),
    "tweede_factor_instellen": (Geval(ACCOUNT, GEEN), Geval(ACCOUNT_FORMULIER_POST, GEEN, "post")),
    "tweede_factor_herstelcodes": (Geval(ACCOUNT, GEEN), Geval(HERSTELCODES_POST, GEEN, "post")),
    "tweede_factor_controleren": (Geval(CONTROLEREN, GEEN), Geval(CONTROLEREN, GEEN, "post")),
    # The link after a beheerder reset someone's second factor (someone else than every role here).
    "tweede_factor_opnieuw": Geval(HERSTELLINK, lambda c: {"sleutel": c["herstelsleutel"]}),
    # Mijn account and one's own password (Django's views).
    "account": Geval(ACCOUNT, GEEN),
    "wachtwoord_wijzigen": (Geval(ACCOUNT, GEEN), Geval(ACCOUNT_FORMULIER_POST, GEEN, "post")),
    "wachtwoord_vergeten": (Geval(WACHTWOORD, GEEN), Geval(WACHTWOORD_POST, GEEN, "post")),
    "wachtwoord_vergeten_verstuurd": Geval(WACHTWOORD, GEEN),
    # A key that is no key: the page says the link does not work (any more).
    "wachtwoord_nieuw": Geval(WACHTWOORD, lambda c: {"uidb64": "MQ", "token": "abc-123"}),
    "wachtwoord_nieuw_klaar": Geval(WACHTWOORD, GEEN),
    # Invitations: beheerders all, beleidsmakers their own organisation's (tests/test_uitnodigingen.py shows which).
    "uitnodigingen": Geval(UITNODIGINGEN, GEEN),
    "uitnodiging_nieuw": (Geval(UITNODIGINGEN, GEEN), Geval(UITNODIGINGEN_POST, GEEN, "post")),
    "uitnodiging_opnieuw": (
        Geval(ALLEEN_POST, lambda c: {"pk": c["uitnodiging"].pk}),
        Geval(UITNODIGING_BEHEREN, lambda c: {"pk": c["uitnodiging"].pk}, "post"),
    ),
    "uitnodiging_intrekken": (
        Geval(ALLEEN_POST, lambda c: {"pk": c["uitnodiging"].pk}),
        Geval(UITNODIGING_BEHEREN, lambda c: {"pk": c["uitnodiging"].pk}, "post"),
    ),
    "uitnodiging_goedkeuren": (
        Geval(ALLEEN_POST, lambda c: {"pk": c["wachtende"].pk}),
        Geval(UITNODIGING_GOEDKEUREN, lambda c: {"pk": c["wachtende"].pk}, "post"),
    ),
    "uitnodiging_afwijzen": (
        Geval(ALLEEN_POST, lambda c: {"pk": c["wachtende"].pk}),
        Geval(UITNODIGING_GOEDKEUREN, lambda c: {"pk": c["wachtende"].pk}, "post"),
    ),
    "uitnodiging_openen": Geval(UITNODIGINGSLINK, lambda c: {"sleutel": c["sleutel"]}),
    "uitnodiging_wachtwoord": (Geval(ZONDER_LINK, GEEN), Geval(ZONDER_LINK, GEEN, "post")),
}

# Everything under admin/ is one group; this sample is checked for every role.
ADMIN_STEEKPROEF = {
    "admin:index": Geval(ADMIN, GEEN),
    "admin:afspraken_uitvoeringsafspraak_changelist": Geval(ADMIN, GEEN),
    "admin:audit_auditregel_changelist": Geval(ADMIN, GEEN),
}

ANDERE_MATRICES = {
    "tests/test_afspraken_rechten.py": set(test_afspraken_rechten.MATRIX),
    "tests/test_api.py": set(test_api.MATRIX),
}


# --- enumerating -------------------------------------------------------------------------------------


def alle_patronen(resolver=None, prefix="", namespace=""):
    """(full pattern, key, URLPattern) for every pattern; key is the namespaced url name, or the pattern."""
    resolver = resolver or get_resolver()
    for patroon in resolver.url_patterns:
        pad = prefix + str(patroon.pattern)
        if isinstance(patroon, URLResolver):
            ns = f"{namespace}{patroon.namespace}:" if patroon.namespace else namespace
            yield from alle_patronen(patroon, pad, ns)
        elif isinstance(patroon, URLPattern):
            yield pad, (f"{namespace}{patroon.name}" if patroon.name else pad), patroon


def is_admin(pad):
    return pad.startswith("admin/")


def waar_gedekt(pad, sleutel):
    """Which matrix covers this pattern, or None."""
    if is_admin(pad):
        return "admin"
    for bestand, namen in ANDERE_MATRICES.items():
        if sleutel in namen:
            return bestand
    if sleutel in MATRIX:
        return HIER
    return None


def _bestaande_sleutels(resolver=None):
    return {sleutel for _, sleutel, _ in alle_patronen(resolver)}


def ontbrekende_urls(resolver=None):
    """'name (/pattern)' of every URL that no rights matrix covers."""
    return sorted(
        f"{sleutel} (/{pad})" for pad, sleutel, _ in alle_patronen(resolver) if waar_gedekt(pad, sleutel) is None
    )


def test_elke_url_staat_in_een_rechtenmatrix():
    ontbrekend = ontbrekende_urls()
    assert not ontbrekend, (
        "URL zonder regel in een rechtenmatrix: " + ", ".join(ontbrekend) + ". Voeg per URL een regel toe aan "
        f"MATRIX in {HIER} (soort en kwargs; bij GET+POST beide), of — voor afspraken/aanbod/financiering — aan "
        "MATRIX in tests/test_afspraken_rechten.py, en voor api/ aan MATRIX in tests/test_api.py. Een URL zonder "
        "naam: geef hem een name= in urls.py."
    )


def test_een_nieuwe_url_zonder_regel_valt_op():
    """The check itself: a URL added next to the project's own, named or not, is reported."""
    from django.urls import include, path
    from django.urls.resolvers import RegexPattern

    def view(request):
        raise AssertionError

    resolver = URLResolver(
        RegexPattern(r"^/"),
        [path("nieuw/", view, name="nieuwe_pagina"), path("naamloos/", view), path("", include("config.urls"))],
    )
    assert ontbrekende_urls(resolver) == ["naamloos/ (/naamloos/)", "nieuwe_pagina (/nieuw/)"]


def verouderde_regels(resolver=None):
    """Names in MATRIX or ADMIN_STEEKPROEF that no URL has (any more): a renamed URL fails, never skips."""
    bestaand = _bestaande_sleutels(resolver)
    return sorted(set(MATRIX) - bestaand) + sorted(set(ADMIN_STEEKPROEF) - bestaand)


def test_geen_regels_voor_verdwenen_urls():
    verouderd = verouderde_regels()
    assert not verouderd, f"Regel in {HIER} voor een URL die niet (meer) bestaat: {verouderd}"


def test_een_verdwenen_url_met_regel_valt_op():
    """The check itself: a rule whose URL is gone (as after a rename) is reported. Here only the monitor's
    URLs exist, so every other rule is one."""
    from django.urls import include, path
    from django.urls.resolvers import RegexPattern

    resolver = URLResolver(RegexPattern(r"^/"), [path("monitor/", include("monitor.urls"))])
    verouderd = verouderde_regels(resolver)
    assert {"home", "beheer_auditlog_export", "gezondheid", "admin:index"} <= set(verouderd)
    assert "monitor" not in verouderd and "monitor_stromen" not in verouderd


def test_geen_dubbele_regels():
    for bestand, namen in ANDERE_MATRICES.items():
        assert not namen & set(MATRIX), f"Staat al in {bestand}; haal de regel uit {HIER}: {namen & set(MATRIX)}"


def test_opsomming_vindt_alle_delen_van_het_project():
    """Guards the walk itself: each include of config/urls.py yields patterns, and admin/ is a group."""
    dekking = {waar_gedekt(pad, sleutel) for pad, sleutel, _ in alle_patronen()}
    assert {"admin", HIER, *ANDERE_MATRICES} <= dekking
    paden = [pad for pad, _, _ in alle_patronen()]
    for prefix in ("admin/", "afspraken/", "verifieren/", "monitor/", "api/", "beheer/", "account/", "inloggen/"):
        assert any(p.startswith(prefix) for p in paden), prefix


# --- the matrix per (url, role) ---------------------------------------------------------------------


def _gevallen():
    for naam, gevallen in sorted({**MATRIX, **ADMIN_STEEKPROEF}.items()):
        gevallen = (gevallen,) if isinstance(gevallen, Geval) else gevallen
        for geval in gevallen:
            yield pytest.param(naam, geval, id=f"{naam}-{geval.methode.upper()}{geval.query}")


def objecten_van_de_matrix(afspraak, beheerder):
    """What the URLs of MATRIX take besides the agreement (also tests/test_invoer.py): a proposed organisation, an
    open invitation, one waiting for a beheerder, and a second-factor link."""
    leeuwarden = gemeente_organisatie("Leeuwarden")
    voorgesteld = Organisatie.objects.create(naam="Zorgpartner Kwartelkoning", soort=Organisatie.Soort.PARTNER)
    VoorgesteldeOrganisatie.objects.create(organisatie=voorgesteld, afspraak=afspraak)
    # An open invitation to a bestuurder of Leeuwarden, and a second-factor link of a bestuurder elsewhere.
    uitgenodigd = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "alle-uitgenodigd")
    uitgenodigd.set_unusable_password()
    uitgenodigd.save()
    uitnodiging, sleutel = uitnodigingen.maak_link(uitgenodigd, Uitnodiging.Soort.ACCOUNT, beheerder)
    # An invitation to Leeuwarden outside its e-mail domains, waiting for a beheerder (issue 26).
    buiten = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "alle-buiten-domein")
    buiten.set_unusable_password()
    buiten.save()
    wachtende, _ = uitnodigingen.maak_link(buiten, Uitnodiging.Soort.ACCOUNT, None, wacht=True)
    elders = gebruiker_van(gemeente_organisatie("Utrecht"), Gebruiker.Rol.BESTUURDER, "alle-elders")
    _, herstelsleutel = uitnodigingen.maak_link(elders, Uitnodiging.Soort.TWEEDE_FACTOR, beheerder)
    return {
        "voorstel": voorgesteld.pk,
        "uitnodiging": uitnodiging,
        "wachtende": wachtende,
        "sleutel": sleutel,
        "herstelsleutel": herstelsleutel,
    }


@pytest.fixture
def context(db, refdata):
    afspraak = maak_afspraak(4)
    afspraak.titel = GEHEIM
    afspraak.save(update_fields=["titel"])
    leeuwarden = gemeente_organisatie("Leeuwarden")
    beheerder = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "alle-beheer")
    return {
        **objecten_van_de_matrix(afspraak, beheerder),
        "afspraak": afspraak,
        "firda": MboInstelling.objects.get(naam="Firda").pk,
        # Not in preview any more: confirming or cancelling it changes nothing.
        "import": Gegevensimport.objects.create(
            soort=Gegevensimport.Soort.ADRESSEN_MBO, status=Gegevensimport.Status.GEANNULEERD,
            bestandsnaam="adressen.csv", sha256="0" * 64, grootte=10, gebruiker=beheerder,
        ),
        "gebruikers": {
            "beleidsmaker_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "alle-beleid"),
            "beleidsmaker_collega": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "alle-collega"),
            "bestuurder_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "alle-bestuur"),
            "beleidsmaker_ander": gebruiker_van(
                gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "alle-ander"
            ),
            "beheerder": beheerder,
            "bestuurder_zonder_tweede_factor": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "alle-zonder-app"),
            "beheerder_zonder_tweede_factor": gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "alle-beheer-zonder-app"),
        },
    }


@pytest.mark.parametrize("rol", ROLLEN)
@pytest.mark.parametrize("naam, geval", list(_gevallen()))
def test_rechtenmatrix(naam, geval, rol, context):
    # A URL renamed or reshaped fails here with NoReverseMatch: the rule must follow it.
    url = reverse(naam, kwargs=geval.kwargs(context)) + geval.query
    client = Client()
    if rol in ZONDER_TWEEDE_FACTOR:
        zonder_tweede_factor(client, context["gebruikers"][rol])
    elif rol != "anoniem":
        client.force_login(context["gebruikers"][rol])  # bestuurder and beheerder: verified (tests/conftest.py)
    regio = context["afspraak"].regio
    contactgemeente = regio.contactgemeente_id
    response = getattr(client, geval.methode)(url)
    statussen, doel = _verwachting(geval.soort, rol, naam)
    assert response.status_code in statussen, (naam, geval.methode, rol, response.status_code, statussen)
    if doel is not None:
        locatie = response.headers.get("Location", "")
        assert locatie.split("?")[0] == reverse(doel), (naam, geval.methode, rol, locatie, doel)
    if geval.soort == PUBLIEK and rol == "anoniem" and not response.streaming:
        assert GEHEIM.encode() not in response.content, f"{naam} toont een concept openbaar"
    if geval.soort in (BEHEER_POST, BEHEER_FORMULIER_POST):
        # Refused or without valid data: nothing changed.
        context["import"].refresh_from_db()
        assert context["import"].status == Gegevensimport.Status.GEANNULEERD
        regio.refresh_from_db()
        assert regio.contactgemeente_id == contactgemeente
        assert VoorgesteldeOrganisatie.objects.filter(pk=context["voorstel"]).exists()
    beheerd = geval.soort in (UITNODIGING_BEHEREN, UITNODIGINGSLINK, ZONDER_LINK, ALLEEN_POST)
    if beheerd and doel != "uitnodigingen":
        # Refused (or only looked at): the invitation is as it was, its link still works.
        uitnodiging = Uitnodiging.objects.get(pk=context["uitnodiging"].pk)
        assert uitnodiging.is_open and uitnodiging.ingetrokken_op is None
        assert not Gebruiker.objects.get(pk=uitnodiging.gebruiker_id).has_usable_password()


# --- without a second factor: nothing but its enrolment, on every URL of the project --------------------------------


def _voorbeeldpad(sleutel, patroon):
    """A path for the pattern with made-up values (the middleware answers before any view looks them up), or None
    for a regular expression pattern (a few of the admin's)."""
    converters = getattr(patroon.pattern, "converters", None)
    if converters is None:
        return None
    voorbeelden = {int: 1}
    kwargs = {}
    for naam, converter in converters.items():
        kwargs[naam] = "00000000-0000-4000-8000-000000000000" if "UUID" in type(converter).__name__ else "x"
        if getattr(converter, "regex", "") == "[0-9]+":
            kwargs[naam] = voorbeelden[int]
    try:
        return reverse(sleutel, kwargs=kwargs) if ":" in sleutel or patroon.name else None
    except Exception:  # a converter with its own format: not guessed here
        return None


@pytest.mark.parametrize("rol", ["bestuurder", "beheerder"])
def test_zonder_tweede_factor_alleen_instellen(rol, refdata):
    gebruiker = gebruiker_van(None if rol == "beheerder" else gemeente_organisatie("Leeuwarden"), rol, f"kaal-{rol}")
    client = Client()
    zonder_tweede_factor(client, gebruiker)
    gezien, overgeslagen = 0, []
    for pad, sleutel, patroon in alle_patronen():
        if patroon.name in VOOR_DE_TWEEDE_FACTOR:
            continue
        url = _voorbeeldpad(sleutel, patroon)
        if url is None:
            overgeslagen.append(pad)
            continue
        for methode in ("get", "post"):
            antwoord = getattr(client, methode)(url)
            assert antwoord.status_code == 302, (url, methode, antwoord.status_code)
            assert antwoord["Location"].startswith(reverse("tweede_factor_instellen") + "?next="), (url, methode)
        gezien += 1
    assert gezien > 100
    assert all(is_admin(pad) for pad in overgeslagen), overgeslagen
