"""The agreement as a convenant (issue 27): what the text for signing contains, read back from the real PDF; what
stops a text from being offered; model texts; and the signer named from their account, not from what was typed."""

import io
import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Gebruiker
from afspraken import convenant, document, ondertekening, secties
from afspraken.bepalingen import PER_SLEUTEL
from afspraken.models import Document, Ondertekening, Partij, Sectie, Uitvoeringsafspraak, Wijziging
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie
from tests.ondertekening_helpers import aanbieden, beleidsmaker, bestuurders, klaar_voor_ondertekening
from tests.otp_helpers import verifieer

# Item 1 of issue 27, in this order.
ARTIKELEN = (
    "Begripsbepalingen",
    "Doel en doelgroep",
    "Aanbod op het continuüm",
    "Personele inzet",
    "Warme overdracht",
    "Regie en governance",
    "Financiering en verdeelsleutel",
    "Monitoring, verantwoording en evaluatie",
    "Gegevensverwerking",
    "Looptijd en inwerkingtreding",
    "Wijziging",
    "Toetreding en uittreding",
    "Opzegging",
    "Geschillen",
    "Openbaarmaking",
    "Slotbepalingen",
)


# Where the articles begin in the body (the contents list names them too).
KOMEN_OVEREEN = "Komen overeen Artikel 1. Begripsbepalingen In deze uitvoeringsafspraak"


def _pdf_tekst(inhoud):
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(inhoud)).pages)
    return unicodedata.normalize("NFC", " ".join(tekst.split())).replace("- ", "-")


@pytest.fixture
def afspraak(db, refdata):
    return klaar_voor_ondertekening()


def test_de_tekst_ter_ondertekening_is_een_convenant(afspraak, django_capture_on_commit_callbacks):
    """The PDF offered for signing, read back: parties with their authority, overwegingen, every article in order
    and numbered, the signatures, the bijlagen; no unanswered question and nothing 'still to be filled in'."""
    aanbieden(afspraak, django_capture_on_commit_callbacks)
    assert afspraak.status == Uitvoeringsafspraak.Status.TER_ONDERTEKENING
    tekst = _pdf_tekst(bytes(Document.objects.get(afspraak=afspraak, soort="ter_ondertekening").inhoud))

    # Partijen: each represented by its account holder, with function and authority.
    leeuwarden = Partij.objects.select_related("bestuurder").get(
        afspraak=afspraak, organisatie__naam="Gemeente Leeuwarden"
    )
    assert (
        f"De gemeente Leeuwarden, te dezen rechtsgeldig vertegenwoordigd door {leeuwarden.bestuurder.get_full_name()}, "
        f"{leeuwarden.bestuurder.functie}, bevoegd als wethouder, gemandateerd bij collegebesluit van 3 maart 2026, "
        "hierna: „Gemeente Leeuwarden”" in tekst
    )
    firda = Partij.objects.get(afspraak=afspraak, organisatie__naam="Firda")
    assert f"bevoegd als {firda.bevoegdheid}" in tekst
    assert "voorzitter van het college van bestuur, op grond van de statuten" in tekst

    # The structure of a Dutch convenant, in this order.
    posities = [
        tekst.index(kop)
        for kop in ("Partijen De ondergetekenden", "Overwegende dat a. de Vereniging", KOMEN_OVEREEN)
    ]
    assert posities == sorted(posities)
    overwegingen = tekst[tekst.index("Overwegende dat a. de Vereniging"):tekst.index(KOMEN_OVEREEN)]
    assert "2 februari 2026" in overwegingen and "doorstroompuntregio Friesland Noord" in overwegingen
    assert "Leeuwarden is de contactgemeente" in overwegingen and "Firda" in overwegingen
    assert "buiten de regio" in overwegingen  # where the students live
    assert "ongeacht de gemeente waarin ze wonen" in overwegingen  # basisafspraak 4, verbatim

    vorige = tekst.index(KOMEN_OVEREEN)
    for nummer, titel in enumerate(ARTIKELEN, start=1):
        positie = tekst.index(f"Artikel {nummer}. {titel}", vorige)
        assert positie >= vorige, titel
        vorige = positie
    artikelen = tekst[tekst.index(KOMEN_OVEREEN):tekst.index("Ondertekening Aldus overeengekomen")]
    # Built from the agreement's content: the aanbod, the verdeelsleutel to the cent, the looptijd.
    assert "Studentmaatjes" in artikelen and "naar rato van het aantal inwoners" in artikelen
    assert re.search(r"Gemeente Leeuwarden: € [\d.]+,\d\d", artikelen)
    assert "treedt in werking op 1 januari 2026" in artikelen and "tot en met 31 december 2029" in artikelen
    # Provisions, with numbered leden.
    for woord in ("AVG", "persoonsgegevens", "verwerkingsverantwoordelijke", "Woo", "Gemeenteblad", "opzeggen",
                  "geschil", "toetreden", "uittreedt"):
        assert woord in artikelen, woord
    assert "Artikel 13. Opzegging 1. Iedere partij kan deze uitvoeringsafspraak" in artikelen
    assert "2. Voordat een partij opzegt" in artikelen
    assert "verstaan onder: a. basisafspraken:" in artikelen and "b. doorstroompuntregio:" in artikelen

    ondertekening_ = tekst[tekst.index("Ondertekening Aldus overeengekomen"):tekst.index("Bijlagen De bijlagen")]
    for partij in afspraak.partijen.select_related("bestuurder", "organisatie"):
        assert partij.organisatie.naam in ondertekening_
        assert partij.bestuurder.get_full_name() in ondertekening_
        assert f"Bevoegd als {partij.bevoegdheid}" in ondertekening_
    assert "Handtekening: nog niet ondertekend" in ondertekening_

    bijlagen = tekst[tekst.index("Bijlagen De bijlagen"):]
    for kop in ("Bijlage 1. Antwoorden per fase", "Financiering en verdeling", "Actiepuntenlijst",
                "Ambities en indicatoren", "Studentenpopulatie en kaart"):
        assert kop in bijlagen, kop
    assert "Uitgewerkt in Artikel 6. Regie en governance" in bijlagen

    assert "Niet ingevuld" not in tekst and "nog in te vullen" not in tekst.lower()
    assert "CONCEPT" not in tekst


def test_aanbieden_geweigerd_met_de_lijst_van_wat_ontbreekt(afspraak):
    """An emptied provision and a party without its signer's authority: the page lists both as links to where they
    are filled in, without JavaScript; offering is refused and nothing is written."""
    Sectie.objects.update_or_create(
        afspraak=afspraak, sleutel="bepaling-opzegging", defaults={"inhoud": {"tekst": "  "}}
    )
    firda = Partij.objects.get(afspraak=afspraak, organisatie__naam="Firda")
    Partij.objects.filter(pk=firda.pk).update(grondslag="", grondslag_toelichting="")

    ontbrekend = convenant.ontbrekend_voor_ondertekening(afspraak)
    assert [o.omschrijving for o in ontbrekend] == [
        "Firda: de bevoegdheid van de ondertekenaar (op te geven door de partij zelf)",
        "Artikel Opzegging: de tekst is leeg",
    ]
    fase_4 = reverse("afspraak_fase", args=[afspraak.pk, 4])
    assert [o.url for o in ontbrekend] == [
        reverse("afspraak_bevoegdheid", args=[afspraak.pk, firda.pk]) + "#id_grondslag",
        f"{fase_4}#sectie-bepaling-opzegging",
    ]

    client = Client()
    client.force_login(beleidsmaker())
    pagina = client.get(reverse("afspraak_ondertekening", args=[afspraak.pk])).content.decode()
    for o in ontbrekend:
        assert f'<li><a href="{o.url}">Nog in te vullen: {o.omschrijving}</a></li>' in pagina
    assert 'action="' + reverse("afspraak_aanbieden", args=[afspraak.pk]) not in pagina

    status = afspraak.status
    response = client.post(reverse("afspraak_aanbieden", args=[afspraak.pk]), follow=True)
    antwoord = response.content.decode()
    assert "De uitvoeringsafspraak is niet aangeboden." in antwoord
    assert "Nog in te vullen: Artikel Opzegging: de tekst is leeg." in antwoord
    afspraak.refresh_from_db()
    assert afspraak.status == status and afspraak.ter_ondertekening_op is None
    assert not Document.objects.filter(afspraak=afspraak).exists()
    assert not Wijziging.objects.filter(afspraak=afspraak, omschrijving="Aangeboden ter ondertekening").exists()
    with pytest.raises(ondertekening.Geweigerd):
        ondertekening.aanbieden(afspraak, beleidsmaker())

    # The concept shows what is missing, marked as such, where it belongs.
    html = document.render_html(afspraak)
    assert "[nog in te vullen: de bevoegdheid van de ondertekenaar]" in html
    assert "[nog in te vullen: Artikel Opzegging: de tekst is leeg]" in html


def test_modeltekst_gemarkeerd_in_het_concept_en_een_bewerkte_niet(refdata):
    afspraak = maak_afspraak(4)
    schrijver = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "convenant-schrijver")

    def artikel(html, sleutel):
        return re.search(rf'<section class="artikel" id="artikel-{sleutel}".*?</section>', html, re.S).group(0)

    html = document.render_html(afspraak)
    for sleutel in PER_SLEUTEL:
        assert "Modeltekst van de toepassing" in artikel(html, sleutel), sleutel

    definitie = secties.definitie("bepaling-geschillen")
    eigen = "1. Geschillen legt het bestuurlijk overleg voor aan de provincie.\n2. Zij beslist binnen acht weken."
    uitkomst = secties.bewaar_tekst(
        definitie, afspraak, {**met_versie(definitie.sleutel, 0), f"{definitie.sleutel}-tekst": eigen}, schrijver
    )
    assert uitkomst.ok
    html = document.render_html(afspraak)
    geschillen = artikel(html, "bepaling-geschillen")
    assert "Modeltekst van de toepassing" not in geschillen
    # Its own leden, numbered by the document.
    assert (
        '<li><span class="nummer">1.</span> Geschillen legt het bestuurlijk overleg voor aan de provincie.</li>'
        in geschillen
    )
    assert '<li><span class="nummer">2.</span> Zij beslist binnen acht weken.</li>' in geschillen
    assert "Modeltekst van de toepassing" in artikel(html, "bepaling-opzegging")
    # The history shows the change.
    assert Wijziging.objects.filter(afspraak=afspraak, sectie="bepaling-geschillen", gebruiker=schrijver).exists()
    # A text for signing never carries the note.
    assert "Modeltekst van de toepassing" not in document.render_html(afspraak, soort=document.TER_ONDERTEKENING)


def test_de_ondertekenaar_is_de_accounthouder_niet_wat_is_getypt(afspraak, django_capture_on_commit_callbacks):
    leeuwarden = Partij.objects.select_related("bestuurder").get(
        afspraak=afspraak, organisatie__naam="Gemeente Leeuwarden"
    )
    bestuurder = leeuwarden.bestuurder
    Gebruiker.objects.filter(pk=bestuurder.pk).update(first_name="Nieuwe", last_name="Naam (demo)",
                                                      functie="burgemeester (demo)")
    html = document.render_html(afspraak)
    assert "Nieuwe Naam (demo), burgemeester (demo)" in html
    assert f"{bestuurder.get_full_name()}, " not in html  # the old name is gone

    aanbieden(afspraak, django_capture_on_commit_callbacks)
    bestuurder.refresh_from_db()
    client = Client()
    verifieer(client, bestuurder)
    url = reverse("afspraak_ondertekenen", args=[afspraak.pk])
    pagina = client.get(url).content.decode()
    assert 'name="naam"' not in pagina and 'name="functie"' not in pagina
    assert "U tekent als <strong>Nieuwe Naam (demo)</strong>, burgemeester (demo)" in pagina
    document_ = Document.objects.get(afspraak=afspraak, soort="ter_ondertekening")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "besluit": "tekenen", "naam": "Iemand Anders", "functie": "getypte functie",
            "document_sha256": document_.sha256, "akkoord": "on",
        })
    assert response.status_code == 302
    handtekening = Ondertekening.objects.get(partij=leeuwarden)
    assert (handtekening.naam, handtekening.functie) == ("Nieuwe Naam (demo)", "burgemeester (demo)")

    # The signed text, once all have signed, names the account holder with the authority.
    for ander in bestuurders(afspraak):
        if ander.pk != bestuurder.pk:
            ondertekening.onderteken(afspraak, ander, document_sha256=document_.sha256)
    html = document.render_html(afspraak, soort=document.ONDERTEKEND)
    assert (
        "Ondertekend namens Gemeente Leeuwarden door Nieuwe Naam (demo), burgemeester (demo), bevoegd als wethouder, "
        "gemandateerd bij collegebesluit van 3 maart 2026, op " in html
    )
    assert "Iemand Anders" not in html and "getypte functie" not in html
