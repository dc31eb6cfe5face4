"""Who may do what with an agreement, as a matrix over every URL of afspraken, aanbod and financiering.

A URL of these apps that has no entry below makes test_elke_url_staat_in_de_matrix fail, and an entry for a
URL that no longer exists (renamed, removed) makes test_geen_regels_voor_verdwenen_urls fail: nothing is skipped.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import secties
from afspraken.models import (
    Actie,
    Actievoortgang,
    Ambitie,
    Document,
    Indicator,
    Meting,
    Ondertekenaarsverzoek,
    Uitvoeringsafspraak,
)
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

APPS = ("afspraken.", "aanbod.", "financiering.")
# Beheer pages of these apps are in tests/test_rechten_alle_urls.py, with every other beheer page.
BEHEER = ("afspraken.views.beheer",)
LEZEN, SCHRIJVEN, LIJST, STARTEN, PUBLIEK = "lezen", "schrijven", "lijst", "starten", "publiek"
ONDERTEKENEN, OPNIEUW = "ondertekenen", "opnieuw"
BEWERKEN = "bewerken"  # GET of a row's form or the form to add one: without htmx a redirect to the phase page
METEN = "meten"  # writing metingen and voortgang: on the signed version in force, by a party's beleidsmaker
AFDRUK_OPNIEUW = "afdruk_opnieuw"  # POST: queue a failed PDF again, by everyone who may read it
# The authority of a party's signer: that party's own beleidsmakers and bestuurders only (issue 27); posted empty
VERTEGENWOORDIGEN = "vertegenwoordigen"

# url name -> (kind, kwargs builder)
MATRIX = {
    "afspraak_lijst": (LIJST, lambda c: {}),
    "afspraak_starten": (STARTEN, lambda c: {"regio": c["afspraak"].regio.nummer}),
    "afspraak_overzicht": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_fase": (LEZEN, lambda c: {"pk": c["afspraak"].pk, "fase": 2}),
    "afspraak_toetsing": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_acties": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_acties_export": (LEZEN, lambda c: {"pk": c["afspraak"].pk, "formaat": "csv"}),
    "afspraak_geschiedenis": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_gegevens": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk}),
    "sectie_opslaan": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": c["tekstsectie"]}),
    "fase_opslaan": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "nummer": 1}),
    "rij_toevoegen": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": "acties-verkennen"}),
    "rij_opslaan": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": "acties-verkennen", "rij": c["actie"].pk}),
    "rij_bewerken": (BEWERKEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": "acties-verkennen", "rij": c["actie"].pk}),
    "rij_nieuw": (BEWERKEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": "acties-verkennen"}),
    "rij_verwijderen": (
        SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "sleutel": "acties-verkennen", "rij": c["actie"].pk}
    ),
    "afspraak_toelichting": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "nummer": 7}),
    "afspraak_gereed": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_concept": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk}),
    # Ask a party (here another than the asker's own) for its signer: e-mails, a stored request (issue 26).
    "afspraak_ondertekenaar_vragen": (
        SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk, "partij": c["afspraak"].partijen.exclude(
            organisatie__gemeente__naam="Leeuwarden").order_by("pk").first().pk},
    ),
    # The authority of the signer of Leeuwarden, entered by Leeuwarden itself (tests/test_vertegenwoordiging.py).
    "afspraak_bevoegdheid": (
        VERTEGENWOORDIGEN, lambda c: {"pk": c["afspraak"].pk, "partij": c["afspraak"].partijen.get(
            organisatie__gemeente__naam="Leeuwarden").pk},
    ),
    "aanbod_overzicht": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "financiering_overzicht": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "financiering_verdeling_export": (LEZEN, lambda c: {"pk": c["afspraak"].pk, "formaat": "xlsx"}),
    "afspraak_document": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_document_pdf": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_document_pdf_stand": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_document_pdf_opnieuw": (AFDRUK_OPNIEUW, lambda c: {"pk": c["afspraak"].pk}),
    # The same text as .docx, made in the request (afspraken/word.py): the PDF's rights.
    "afspraak_document_word": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_document_word_downloaden": (LEZEN, lambda c: {"pk": c["afspraak"].pk, "soort": "ter_ondertekening"}),
    "afspraak_taken": (LIJST, lambda c: {}),
    "afspraak_ondertekening": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_aanbieden": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk}),
    # Only the party's chosen bestuurder signs (tests/test_ondertekening.py); this one is not chosen.
    "afspraak_ondertekenen": (ONDERTEKENEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_document_downloaden": (LEZEN, lambda c: {"pk": c["afspraak"].pk, "soort": "ter_ondertekening"}),
    "afspraak_document_opnieuw": (OPNIEUW, lambda c: {"pk": c["afspraak"].pk, "soort": "ter_ondertekening"}),
    "afspraak_nieuwe_versie": (SCHRIJVEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_versies": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_monitoring": (LEZEN, lambda c: {"pk": c["afspraak"].pk}),
    "afspraak_monitoringsrapport": (LEZEN, lambda c: {"pk": c["ondertekend"].pk, "jaar": 2026}),
    "afspraak_monitoringsrapport_stand": (LEZEN, lambda c: {"pk": c["ondertekend"].pk, "jaar": 2026}),
    "afspraak_monitoringsrapport_opnieuw": (AFDRUK_OPNIEUW, lambda c: {"pk": c["ondertekend"].pk, "jaar": 2026}),
    "afspraak_meting": (METEN, lambda c: {"pk": c["ondertekend"].pk, "indicator": c["indicator"].pk}),
    "afspraak_actievoortgang": (METEN, lambda c: {"pk": c["ondertekend"].pk, "actie": c["geldende_actie"].pk}),
    "verificatie": (PUBLIEK, lambda c: {}),
    # An unknown kenmerk is "not found", the same for everyone.
    "verificatie_document": (PUBLIEK, lambda c: {"kenmerk": "00000000-0000-4000-8000-000000000000"}),
}
ROLLEN = ["anoniem", "beleidsmaker_partij", "bestuurder_partij", "beleidsmaker_ander", "beheerder"]


def _patronen(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for patroon in resolver.url_patterns:
        if isinstance(patroon, URLResolver):
            yield from _patronen(patroon, prefix + str(patroon.pattern))
        elif (
            isinstance(patroon, URLPattern)
            and patroon.callback.__module__.startswith(APPS)
            and patroon.callback.__module__ not in BEHEER
        ):
            yield patroon


def test_elke_url_staat_in_de_matrix():
    namen = {p.name for p in _patronen()}
    assert namen - set(MATRIX) == set(), "Nieuwe URL zonder regel in de rechtenmatrix"


def test_geen_regels_voor_verdwenen_urls():
    namen = {p.name for p in _patronen()}
    assert set(MATRIX) - namen == set(), "Regel in de matrix voor een URL die niet (meer) bestaat"


def _ondertekend_met_leeuwarden():
    """A signed agreement of another region with Leeuwarden as party, with an indicator and an actie."""
    afspraak = maak_afspraak(6)
    afspraak.partijen.get_or_create(organisatie=gemeente_organisatie("Leeuwarden"), defaults={"rol": "gemeente_buiten"})
    ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder uitval")
    indicator = Indicator.objects.create(
        afspraak=afspraak, ambitie=ambitie, naam="Uitval", meetmoment="2026-03-01", meetfrequentie="jaarlijks"
    )
    actie = Actie.objects.create(afspraak=afspraak, fase=4, omschrijving="Monitor inrichten")
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ondertekend")
    afspraak.refresh_from_db()
    return afspraak, indicator, actie


@pytest.fixture(autouse=True)
def taken_in_de_wachtrij(settings):
    """PDFs are queued as in production, not made: rights are what is tested here, and no render is needed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def context(db, refdata):
    afspraak = maak_afspraak(4)
    leeuwarden = gemeente_organisatie("Leeuwarden")
    ondertekend, indicator, geldende_actie = _ondertekend_met_leeuwarden()
    teksten = [d.sleutel for d in secties.alle() if isinstance(d, secties.Tekstsectie)]
    assert teksten, "sectie_opslaan heeft een tekstsectie nodig"
    return {
        "afspraak": afspraak,
        "actie": Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Bestaande actie"),
        "tekstsectie": teksten[0],
        "ondertekend": ondertekend,
        "indicator": indicator,
        "geldende_actie": geldende_actie,
        "document": Document.objects.create(
            afspraak=afspraak, soort="ter_ondertekening", status="klaar", inhoud=b"%PDF-1.7 test", sha256="0" * 64
        ),
        "gebruikers": {
            "beleidsmaker_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "m-beleid"),
            "bestuurder_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "m-bestuur"),
            "beleidsmaker_ander": gebruiker_van(
                gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "m-ander"
            ),
            "beheerder": gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "m-beheer"),
        },
    }


def _verwacht(soort, rol, naam=""):
    """Expected status codes; for a permitted write any outcome of the form itself (saved, 422, 409).
    Without a session every page of an agreement sends to the log-in page (accounts.inloggen_nodig)."""
    if rol == "anoniem" and soort != PUBLIEK:
        return {302}
    if soort == LIJST:
        return {302} if rol == "anoniem" else {200}
    if soort == STARTEN:
        # Region 4 already has its agreement: a party's beleidsmaker is sent there; others may not start here.
        return {302} if rol in ("anoniem", "beleidsmaker_partij") else {404}
    if soort == ONDERTEKENEN:
        return {302} if rol == "anoniem" else {404}
    if soort == OPNIEUW:
        return {302} if rol in ("beleidsmaker_partij", "beheerder") else {404}
    if soort == AFDRUK_OPNIEUW:
        return {302} if rol in ("beleidsmaker_partij", "bestuurder_partij", "beheerder") else {404}
    if soort == PUBLIEK:
        # The verification form is open to all; the kenmerk in the matrix belongs to no document.
        return {404} if naam == "verificatie_document" else {200}
    if soort == METEN:
        return {200, 302, 422} if rol == "beleidsmaker_partij" else {404}
    if soort == BEWERKEN:
        return {302} if rol == "beleidsmaker_partij" else {404}
    if soort == VERTEGENWOORDIGEN:
        return {422} if rol in ("beleidsmaker_partij", "bestuurder_partij") else {404}
    if soort == LEZEN:
        return {200} if rol in ("beleidsmaker_partij", "bestuurder_partij", "beheerder") else {404}
    return {200, 302, 409, 422} if rol == "beleidsmaker_partij" else {404}


@pytest.mark.parametrize("rol", ROLLEN)
@pytest.mark.parametrize("naam", sorted(MATRIX))
def test_rechtenmatrix(naam, rol, context):
    soort, kwargs = MATRIX[naam]
    url = reverse(naam, kwargs=kwargs(context))
    client = Client()
    if rol != "anoniem":
        client.force_login(context["gebruikers"][rol])
    schrijven = (SCHRIJVEN, OPNIEUW, METEN, AFDRUK_OPNIEUW, VERTEGENWOORDIGEN)
    response = client.post(url, {}) if soort in schrijven else client.get(url)
    assert response.status_code in _verwacht(soort, rol, naam), (naam, rol, response.status_code)
    if rol == "anoniem" and soort != PUBLIEK:
        assert response["Location"].startswith(reverse("inloggen") + "?next="), (naam, response["Location"])
    if soort == SCHRIJVEN and rol != "beleidsmaker_partij":
        # A refused write changes nothing.
        assert context["afspraak"].wijzigingen.count() == 0
        assert Actie.objects.filter(pk=context["actie"].pk).exists()
        assert not Ondertekenaarsverzoek.objects.exists()
    if soort == VERTEGENWOORDIGEN:
        assert not context["afspraak"].partijen.exclude(grondslag="").exists()
        assert client.get(url).status_code == (
            302 if rol == "anoniem" else 200 if rol in ("beleidsmaker_partij", "bestuurder_partij") else 404
        )
    if soort == METEN and rol != "beleidsmaker_partij":
        assert not Meting.objects.exists() and not Actievoortgang.objects.exists()
    if soort in (SCHRIJVEN, METEN, AFDRUK_OPNIEUW):
        mag = rol == "beleidsmaker_partij" or (soort == AFDRUK_OPNIEUW and rol in ("bestuurder_partij", "beheerder"))
        assert client.get(url).status_code in ({405} if mag else {404, 405})


def test_partner_beleidsmaker_van_partij_mag_schrijven(context):
    partner = Organisatie.objects.create(naam="Zorgverzekeraar Test", soort="partner", partner_soort="zorgverzekeraar")
    context["afspraak"].partijen.create(organisatie=partner, rol="partner")
    gebruiker = gebruiker_van(partner, Gebruiker.Rol.BELEIDSMAKER, "m-partner")
    client = Client()
    client.force_login(gebruiker)
    url = reverse("rij_toevoegen", args=[context["afspraak"].pk, "acties-verkennen"])
    response = client.post(
        url, {"acties-verkennen-nieuw-omschrijving": "Budget checken", "acties-verkennen-nieuw-status": "open"}
    )
    assert response.status_code == 302
    assert Actie.objects.filter(afspraak=context["afspraak"], omschrijving="Budget checken").exists()
