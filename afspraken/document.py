"""The agreement as one document: an HTML preview and an archival, tagged PDF (WeasyPrint, PDF/A-2a).

The text is a convenant (afspraken.convenant): partijen, overwegingen, numbered articles, ondertekening, bijlagen.
Its articles and bijlagen are `Artikeldeel`s and `Bijlagedeel`s in a register, like the sections: afspraken
registers its own, aanbod and financiering register theirs from their AppConfig.ready(), so afspraken never
imports them. The seal stamp is drawn afterwards in the bottom-left corner of the last page, which the bottom
margin keeps free on every page.

The PDF renderer fetches nothing but the application's own static files (`url_fetcher`): field
contents are autoescaped text, and even a URL that slipped into the markup would be refused.
"""

import datetime
import functools
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as datumformaat
from django.utils.safestring import mark_safe

from regio import kaart
from techniek.register import Register

from . import convenant, fasen, navigatie, secties, toetsing
from .models import Actie, Ambitie, Fase, Indicator, Ondertekening, Partij, Rapportage, Resultaat

CONCEPT, TER_ONDERTEKENING, ONDERTEKEND = "concept", "ter_ondertekening", "ondertekend"
SOORTEN = (CONCEPT, TER_ONDERTEKENING, ONDERTEKEND)

# The only address the PDF renderer resolves: a reserved domain that never exists (RFC 2606).
BASIS_URL = "https://document.invalid/static/"
PDF_VARIANT = "pdf/a-2a"  # archival (PDF/A-2: no attachments but PDF/A) and tagged (level A); docs/DOCUMENT.md

register = Register("documentdelen")

ARTIKEL, BIJLAGE = "artikel", "bijlage"


@dataclass(frozen=True)
class Artikeldeel:
    """One article of the convenant: `inhoud(afspraak, gegevens)` gives its `convenant.Artikelinhoud`.

    `gegevens` is the render's `toetsing.Toetsgegevens`: the cache the sections and checks share. Articles are
    numbered in `volgorde`. `secties`: keys of the phase sections this article works out (the answers annex then
    refers here). `bron_url(afspraak)`: where the parties edit the article's text, for a provision.
    """

    sleutel: str
    titel: str
    volgorde: int
    inhoud: Callable
    secties: tuple = ()
    bron_url: Callable | None = None
    soort = ARTIKEL

    @property
    def anker(self):
        return f"artikel-{self.sleutel}"


@dataclass(frozen=True)
class Bijlagedeel:
    """One bijlage, rendered from `template` with `context(afspraak, gegevens)` (tables, the map).

    A context may return "inhoudsopgave": [(anker, titel)] for sub-entries.
    """

    sleutel: str
    titel: str
    volgorde: int
    template: str
    context: Callable
    secties: tuple = ()
    soort = BIJLAGE

    @property
    def anker(self):
        return f"bijlage-{self.sleutel}"


def registreer(deel):
    if any((d.soort, d.sleutel) == (deel.soort, deel.sleutel) for d in register):
        raise ValueError(f"Documentdeel {deel.sleutel} is al geregistreerd")
    return register.registreer(deel)


def delen():
    return sorted(register, key=lambda d: (d.soort, d.volgorde, d.sleutel))


def artikeldelen():
    return [d for d in delen() if d.soort == ARTIKEL]


def bijlagedelen():
    return [d for d in delen() if d.soort == BIJLAGE]


def sectie_anker(sleutel):
    return f"sectie-{sleutel}"


# --- the URL fetcher --------------------------------------------------------------------------------

class BronGeweigerd(ValueError):
    """The renderer asked for something other than one of the application's static files."""


def statische_mappen():
    """The directories the staticfiles finders serve from: STATICFILES_DIRS and each app's static/."""
    mappen = []
    for item in settings.STATICFILES_DIRS:
        mappen.append(Path(item[1] if isinstance(item, (tuple, list)) else item).resolve())
    for app in apps.get_app_configs():
        map_ = Path(app.path) / "static"
        if map_.is_dir():
            mappen.append(map_.resolve())
    return mappen


def statisch_bestand(url):
    """The file behind `BASIS_URL + <relative path>`, or BronGeweigerd for anything else."""
    if not isinstance(url, str) or not url.startswith(BASIS_URL):
        raise BronGeweigerd(f"Alleen de eigen statische bestanden worden opgehaald, niet {url!r}")
    relatief = unquote(url[len(BASIS_URL):].split("#")[0].split("?")[0])
    delen_ = relatief.split("/")
    if not relatief or "\\" in relatief or "\x00" in relatief or any(d in ("", ".", "..") for d in delen_):
        raise BronGeweigerd(f"Ongeldig pad: {url!r}")
    try:
        gevonden = finders.find(relatief)
    except SuspiciousFileOperation as fout:
        raise BronGeweigerd(f"Ongeldig pad: {url!r}") from fout
    if not gevonden:
        raise BronGeweigerd(f"Geen statisch bestand: {url!r}")
    pad = Path(gevonden).resolve()
    # Symlinks out of a static directory are refused as well.
    if not pad.is_file() or not any(pad.is_relative_to(m) for m in statische_mappen()):
        raise BronGeweigerd(f"Buiten de statische bestanden: {url!r}")
    return pad


@functools.cache
def _fetcherklasse():
    # WeasyPrint takes a second to import: only when a PDF is made, not at every start-up.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StatischeBestanden(URLFetcher):
        """Serves the application's static files under BASIS_URL and refuses everything else."""

        def __init__(self):
            super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            pad = statisch_bestand(url)
            soort = "font/ttf" if pad.suffix == ".ttf" else mimetypes.guess_type(pad.name)[0]
            return URLFetcherResponse(
                url, body=pad.read_bytes(), headers={"Content-Type": soort or "application/octet-stream"}
            )

    return StatischeBestanden


def url_fetcher():
    """A WeasyPrint URL fetcher that only serves the application's own static files."""
    return _fetcherklasse()()


# --- text sections as question and answer (the answers annex) --------------------------------------------


def antwoorden(definitie, afspraak, inhoud, gegevens):
    """[(vraag, antwoord as text)] of a text section; an empty answer is ''."""
    formulier = definitie.formulier(afspraak, inhoud=inhoud, gegevens=gegevens)
    uitkomst = []
    for naam, veld in formulier.fields.items():
        waarde = inhoud.get(naam)
        if isinstance(veld, forms.DateField) and isinstance(waarde, str) and waarde:
            try:
                tekst = datumformaat(datetime.date.fromisoformat(waarde), "j F Y")
            except ValueError:
                tekst = waarde
        elif isinstance(veld, forms.BooleanField):
            tekst = "Ja" if waarde else ("Nee" if naam in inhoud else "")
        else:
            tekst = secties.weergave(formulier, naam, waarde)
        uitkomst.append((str(veld.label), tekst))
    return uitkomst


def _generieke_rijen(definitie, afspraak, gegevens):
    """Rows of a row section no article or bijlage works out, as {label: text} per row (a fallback)."""
    rijen = [definitie.momentopname(formulier, rij)
             for rij, formulier in definitie.met_formulier(afspraak, definitie.rijen(afspraak), gegevens)]
    kolommen = list(rijen[0]) if rijen else []
    return {"kolommen": kolommen, "rijen": [[r.get(k, "") for k in kolommen] for r in rijen]}


def _uitgewerkt_in():
    """{section key: (anker, kop)} of the article or bijlage that works a section out."""
    uitkomst = {"partijen": ("partijen", "Partijen")}
    for lijst, woord in ((artikeldelen(), "Artikel"), (bijlagedelen(), "Bijlage")):
        for nummer, deel in enumerate(lijst, start=1):
            for sleutel in deel.secties:
                uitkomst.setdefault(sleutel, (deel.anker, f"{woord} {nummer}. {deel.titel}"))
    return uitkomst


def antwoorden_context(afspraak, gegevens):
    """The answers per phase: only what was answered (an unanswered question is no part of a text)."""
    verwijzingen = _uitgewerkt_in()
    fasen_ = []
    for fase in Fase:
        onderdelen = []
        for definitie in secties.van_fase(fase.value):
            onderdeel = {"definitie": definitie, "anker": sectie_anker(definitie.sleutel)}
            if definitie.sleutel in verwijzingen:
                if isinstance(definitie, secties.Tekstsectie) and definitie.sleutel.startswith("bepaling-"):
                    continue  # a provision is an article, not an answer
                onderdeel.update(soort="verwijzing", verwijzing=verwijzingen[definitie.sleutel])
            elif isinstance(definitie, secties.Tekstsectie):
                inhoud = gegevens.secties.get(definitie.sleutel) or {}
                beantwoord = [(v, a) for v, a in antwoorden(definitie, afspraak, inhoud, gegevens) if a]
                if not beantwoord:
                    continue
                onderdeel.update(soort="tekst", antwoorden=beantwoord)
            else:
                tabel = _generieke_rijen(definitie, afspraak, gegevens)
                if not tabel["rijen"]:
                    continue
                onderdeel.update(soort="tabel", tabel=tabel)
            onderdelen.append(onderdeel)
        fasen_.append({"fase": fase, "anker": f"bijlage-fase-{fase.value}", "onderdelen": onderdelen})
    return {
        "fasen": fasen_,
        "inhoudsopgave": [(f["anker"], f"Stap {f['fase'].value}: {f['fase'].label}") for f in fasen_],
    }


# --- afspraken's own bijlagen ---------------------------------------------------------------------------------


def toetsing_context(afspraak, gegevens):
    titels = {d.sleutel: d.titel for d in secties.alle()}
    per_basisafspraak = {}
    for deel in delen():
        for sleutel in deel.secties:
            for nummer in getattr(secties.definitie(sleutel), "basisafspraken", ()) or ():
                per_basisafspraak.setdefault(nummer, [])
                if (deel.anker, deel.titel) not in per_basisafspraak[nummer]:
                    per_basisafspraak[nummer].append((deel.anker, deel.titel))
    oordelen = []
    for oordeel in toetsing.toets(afspraak, gegevens):
        nummer = oordeel.basisafspraak.nummer
        redenen = [
            {"uitkomst": u, "label": toetsing.LABELS[u.status], "sectie": titels.get(u.sectie, "")}
            for u in oordeel.redenen
        ]
        oordelen.append(
            {
                "oordeel": oordeel,
                "redenen": redenen,
                "uitgewerkt": per_basisafspraak.get(nummer, []),
            }
        )
    return {"oordelen": oordelen, "samenvatting": toetsing.samenvatting([o["oordeel"] for o in oordelen])}


def ambities_context(afspraak, gegevens):
    ambities = list(Ambitie.objects.filter(afspraak=afspraak).order_by("pk"))
    resultaten = list(Resultaat.objects.filter(afspraak=afspraak).order_by("pk"))
    indicatoren = list(Indicator.objects.filter(afspraak=afspraak).order_by("pk"))
    resultaat_namen = {r.pk: r.omschrijving for r in resultaten}
    for indicator in indicatoren:
        indicator.resultaat_tekst = resultaat_namen.get(indicator.resultaat_id, "")
    uitkomst = []
    for ambitie in ambities:
        uitkomst.append(
            {
                "ambitie": ambitie,
                "resultaten": [r for r in resultaten if r.ambitie_id == ambitie.pk],
                "indicatoren": [i for i in indicatoren if i.ambitie_id == ambitie.pk],
            }
        )
    return {"ambities": uitkomst}


def _rapportages(afspraak, gegevens):
    if not hasattr(gegevens, "_document_rapportages"):
        gegevens._document_rapportages = list(
            Rapportage.objects.filter(afspraak=afspraak).select_related("van__organisatie")
            .order_by("eerste_datum", "pk")
        )
    return gegevens._document_rapportages


def monitoring_context(afspraak, gegevens):
    return {"rapportages": _rapportages(afspraak, gegevens)}


def acties_context(afspraak, gegevens):
    acties = list(
        Actie.objects.filter(afspraak=afspraak)
        .select_related("eigenaar__organisatie")
        .order_by("fase", "deadline", "pk")
    )
    return {"acties": acties}


def bijlage_context(afspraak, gegevens):
    cijfers = fasen.regio_cijfers(afspraak, gegevens)
    return {
        "c": cijfers,
        "kaart": kaart.kaart_svg(markeer_regio=afspraak.regio, id_prefix="document-kaart"),
    }


# --- afspraken's own articles -------------------------------------------------------------------------------


def opsomming_leden(regels):
    """Sub-items as a Dutch regulation writes them: each ends with ";", the last with "."."""
    return tuple(f"{r};" if i < len(regels) - 1 else f"{r}." for i, r in enumerate(regels))


def _sectie_url(afspraak, sleutel):
    definitie = secties.definitie(sleutel)
    return definitie.url(afspraak) if definitie else ""


def doel_inhoud(afspraak, gegevens):
    regio = afspraak.regio
    leden = [
        convenant.Lid(
            "Deze uitvoeringsafspraak legt vast hoe de partijen de zorg- en welzijnsondersteuning voor "
            f"mbo-studenten in de doorstroompuntregio {regio.naam} samen invullen, passend bij de basisafspraken, "
            "zodat studenten die dreigen vast te lopen tijdig worden gesignaleerd en dicht bij de school passende "
            "ondersteuning krijgen en niemand tussen wal en schip valt."
        )
    ]
    ontbrekend = []
    if gegevens.antwoord(fasen.ALLE_STUDENTEN, "alle_studenten"):
        leden.append(convenant.Lid(
            "Deze uitvoeringsafspraak geldt voor alle studenten van de mbo-instellingen die partij zijn, ongeacht "
            "de gemeente waarin zij wonen, hun leeftijd of hun mbo-locatie (basisafspraak 4)."
        ))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Doel en doelgroep: de afspraak dat zij geldt voor alle studenten, ongeacht woongemeente, leeftijd of "
            "mbo-locatie (basisafspraak 4)", _sectie_url(afspraak, fasen.ALLE_STUDENTEN),
        ))
    buiten = (gegevens.antwoord(fasen.ALLE_STUDENTEN, "gemeenten_buiten") or "").strip()
    if buiten:
        leden.append(convenant.Lid(
            f"Gemeenten buiten de regio waar studenten wonen, zijn als volgt betrokken: {buiten}"
        ))
    ambities = [a.omschrijving for a in Ambitie.objects.filter(afspraak=afspraak).order_by("pk")]
    if ambities:
        leden.append(convenant.Lid(
            "De partijen streven de volgende ambities na, uitgewerkt in resultaten en indicatoren in de bijlage "
            "Ambities en indicatoren:", opsomming_leden(ambities),
        ))
    return convenant.Artikelinhoud(leden=leden, ontbrekend=ontbrekend)


def _partij_naam(gegevens, pk):
    partij = next((p for p in gegevens.partijen if str(p.pk) == str(pk)), None) if pk else None
    return partij.organisatie.naam if partij else ""


def governance_inhoud(afspraak, gegevens):
    contact, contactpartij = fasen.contactgemeente_en_partij(afspraak, gegevens)
    url_partijen = convenant.partijen_url(afspraak)
    leden, ontbrekend = [], []
    tekst = (
        f"De partijen organiseren hun samenwerking op het niveau van de doorstroompuntregio {afspraak.regio.naam} "
        "(basisafspraak 11)."
    )
    if contact and contactpartij:
        tekst += f" De gemeente {contact.naam} is contactgemeente en het aanspreekpunt namens de gemeenten in de regio."
        rol = (gegevens.antwoord(fasen.GOVERNANCE, "rol_contactgemeente") or "").strip()
        if rol:
            tekst += f" Haar rol: {rol}"
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Regie en governance: de contactgemeente van de regio als partij", url_partijen
        ))
    leden.append(convenant.Lid(tekst))
    eind = [p.organisatie.naam for p in gegevens.partijen if p.financieel_eindverantwoordelijk]
    if eind:
        leden.append(convenant.Lid(f"{convenant.opsomming(eind)} draagt de financiële eindverantwoordelijkheid."))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Regie en governance: de partij die financieel eindverantwoordelijk is", url_partijen
        ))
    regie = [
        (omschrijving, _partij_naam(gegevens, gegevens.antwoord(fasen.REGIE, veld)))
        for veld, omschrijving in (
            ("regie_onderwijs", "op het onderwijsproces"),
            ("regie_hulp", "op de hulp en ondersteuning"),
            ("regie_samenwerking", "op de samenwerking"),
        )
    ]
    regie = [f"{omschrijving}: {naam}" for omschrijving, naam in regie if naam]
    if regie:
        leden.append(convenant.Lid(
            "De regie berust:", opsomming_leden(regie)
        ))
    overleg = (gegevens.antwoord(fasen.BESTUURLIJK_OVERLEG, "welk_overleg") or "").strip()
    structuur = (gegevens.antwoord(fasen.GOVERNANCE, "overlegstructuur") or "").strip()
    if overleg or structuur:
        tekst = f"De partijen overleggen bestuurlijk in {overleg.rstrip('.')}." if overleg else ""
        if structuur:
            tekst += (" " if tekst else "") + f"De overlegstructuur: {structuur}"
        leden.append(convenant.Lid(tekst))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Regie en governance: het bestuurlijk overleg of de overlegstructuur",
            _sectie_url(afspraak, fasen.GOVERNANCE),
        ))
    inkoop = dict(fasen.INKOOP_KEUZES).get(gegevens.antwoord(fasen.GOVERNANCE, "inkoop") or "")
    if inkoop and inkoop != "—":
        leden.append(convenant.Lid(f"Inkoop van het extra ondersteuningsaanbod: {inkoop.lower()}."))
    return convenant.Artikelinhoud(leden=leden, ontbrekend=ontbrekend)


def monitoring_inhoud(afspraak, gegevens):
    leden, ontbrekend = [], []
    rapportages = _rapportages(afspraak, gegevens)
    if rapportages:
        regels = []
        for r in rapportages:
            van = r.van.organisatie.naam if r.van_id else "de partijen"
            tekst = f"{van} rapporteert aan {r.aan or 'de partijen'} over {r.onderwerp}"
            if r.frequentie:
                tekst += f", {r.get_frequentie_display().lower()}"
            if r.eerste_datum:
                tekst += f", voor het eerst op {convenant.datum(r.eerste_datum)}"
            regels.append(tekst)
        leden.append(convenant.Lid(
            "De partijen bewaken de voortgang van deze uitvoeringsafspraak (basisafspraak 12). Daartoe:",
            opsomming_leden(regels),
        ))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Monitoring: wie rapporteert wat aan wie", _sectie_url(afspraak, fasen.RAPPORTAGES)
        ))
    monitor = (gegevens.antwoord(fasen.OPBRENGST, "monitor") or "").strip()
    if Indicator.objects.filter(afspraak=afspraak).exists():
        tekst = "De partijen meten de resultaten met de indicatoren in de bijlage Ambities en indicatoren."
        if monitor:
            tekst += f" {monitor}"
        leden.append(convenant.Lid(tekst))
    elif monitor:
        leden.append(convenant.Lid(monitor))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Monitoring: de indicatoren of hoe de uitkomsten worden gemonitord",
            _sectie_url(afspraak, fasen.INDICATOREN),
        ))

    def _datum(veld):
        waarde = gegevens.antwoord(fasen.EVALUATIE, veld)
        try:
            return datetime.date.fromisoformat(waarde) if waarde else None
        except ValueError:
            return None

    tussentijds, eind = _datum("tussentijds"), _datum("eind")
    if tussentijds or eind:
        delen_ = []
        if tussentijds:
            delen_.append(f"tussentijds uiterlijk op {convenant.datum(tussentijds)}")
        if eind:
            delen_.append(f"aan het einde van de looptijd uiterlijk op {convenant.datum(eind)}")
        tekst = f"De partijen evalueren deze uitvoeringsafspraak {' en '.join(delen_)}."
        hoe = (gegevens.antwoord(fasen.EVALUATIE, "antwoord") or "").strip()
        if hoe:
            tekst += f" {hoe}"
        leden.append(convenant.Lid(tekst))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Monitoring: de data van de evaluaties", _sectie_url(afspraak, fasen.EVALUATIE)
        ))
    leden.append(convenant.Lid(
        "Iedere partij legt over haar eigen inzet en bijdrage verantwoording af zoals haar eigen regels voorschrijven."
    ))
    return convenant.Artikelinhoud(leden=leden, ontbrekend=ontbrekend)


def looptijd_inhoud(afspraak, gegevens):
    start, einde = convenant.datum(afspraak.looptijd_start), convenant.datum(afspraak.looptijd_einde)
    leden = [
        convenant.Lid(
            f"Deze uitvoeringsafspraak treedt in werking op {start}, of, als de laatste partij later ondertekent, op "
            "de dag na die ondertekening."
        ),
        convenant.Lid(f"Zij loopt tot en met {einde}."),
        convenant.Lid(
            "Uiterlijk zes maanden voor het einde van de looptijd besluiten de partijen of zij de samenwerking "
            "voortzetten en in een nieuwe versie van deze uitvoeringsafspraak vastleggen."
        ),
    ]
    return convenant.Artikelinhoud(leden=leden)


def bepaling_inhoud(bepaling):
    def inhoud(afspraak, gegevens):
        opgeslagen = gegevens.secties.get(bepaling.sleutel)
        tekst = bepaling.tekst(opgeslagen)
        if bepaling.sleutel == "bepaling-slot":
            # The model text names the agreement generically; the region makes it the agreement's own.
            tekst = tekst.replace(
                "mbo van de doorstroompuntregio.", f"mbo van de doorstroompuntregio {afspraak.regio.naam}."
            )
        if not tekst:
            return convenant.Artikelinhoud(ontbrekend=[convenant.Ontbrekend(
                f"Artikel {bepaling.titel}: de tekst is leeg", _sectie_url(afspraak, bepaling.sleutel)
            )])
        return convenant.Artikelinhoud(leden=convenant.als_leden(tekst), modeltekst=bepaling.is_modeltekst(opgeslagen))

    return inhoud


def _bepaling_url(sleutel):
    return lambda afspraak: _sectie_url(afspraak, sleutel)


def registreer_delen():
    from .bepalingen import PER_SLEUTEL

    navigatie.registreer(navigatie.Pagina("document", "Document", "afspraak_document", 55))

    # The order of the articles is the order of issue 27; aanbod registers 30–50, financiering 70.
    def bepaling(sleutel, volgorde):
        b = PER_SLEUTEL[sleutel]
        registreer(Artikeldeel(sleutel, b.titel, volgorde, bepaling_inhoud(b), (sleutel,), _bepaling_url(sleutel)))

    bepaling("bepaling-begrippen", 10)
    registreer(Artikeldeel("doel", "Doel en doelgroep", 20, doel_inhoud, (fasen.ALLE_STUDENTEN,)))
    registreer(Artikeldeel(
        "governance", "Regie en governance", 60, governance_inhoud,
        (fasen.GOVERNANCE, fasen.REGIE, fasen.BESTUURLIJK_OVERLEG),
    ))
    registreer(Artikeldeel(
        "monitoring", "Monitoring, verantwoording en evaluatie", 80, monitoring_inhoud,
        (fasen.RAPPORTAGES, fasen.EVALUATIE, fasen.OPBRENGST),
    ))
    bepaling("bepaling-gegevensverwerking", 100)
    registreer(Artikeldeel("looptijd", "Looptijd en inwerkingtreding", 110, looptijd_inhoud))
    for volgorde, sleutel in enumerate(
        ("bepaling-wijziging", "bepaling-toetreding-uittreding", "bepaling-opzegging", "bepaling-geschillen",
         "bepaling-openbaarmaking", "bepaling-slot"), start=12,
    ):
        bepaling(sleutel, volgorde * 10)

    # Bijlagen: the answers first; aanbod registers 200–220, financiering 300.
    registreer(Bijlagedeel("antwoorden", "Antwoorden per fase", 100, "document/antwoorden.html", antwoorden_context))
    registreer(Bijlagedeel(
        "ambities", "Ambities en indicatoren", 400, "document/ambities.html", ambities_context,
        (fasen.AMBITIES, fasen.RESULTATEN, fasen.INDICATOREN),
    ))
    registreer(Bijlagedeel(
        "rapportages", "Voortgangsbewaking: rapportages", 410, "document/monitoring.html", monitoring_context,
    ))
    registreer(Bijlagedeel(
        "acties", "Actiepuntenlijst", 500, "document/acties.html", acties_context,
        tuple(f"acties-{fase.name.lower()}" for fase in Fase),
    ))
    registreer(Bijlagedeel(
        "basisafspraken", "Toetsing aan de twaalf basisafspraken", 600, "document/basisafspraken.html",
        toetsing_context,
    ))
    registreer(Bijlagedeel(
        "studenten", "Studentenpopulatie en kaart", 900, "document/bijlage.html", bijlage_context,
    ))


# --- the frame: cover, contents, signature page ------------------------------------------------------


QR_TEKST = "QR-code met het verificatieadres"


def qr_svg(tekst):
    """A QR code as inline SVG markup (no raster image)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M, image_factory=SvgPathImage)
    code.add_data(tekst)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    # Our own markup with a URL of our own making. The label names it in the browser; the <title> is what
    # WeasyPrint writes as the PDF Figure's /Alt (PDF/UA: every figure has alternative text).
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_TEKST}" class="qr" ', 1)
    begin = svg.index(">", svg.index("<svg")) + 1
    return mark_safe(f"{svg[:begin]}<title>{QR_TEKST}</title>{svg[begin:]}")


def verificatie_url(kenmerk):
    return settings.PUBLIEKE_URL + reverse("verificatie_document", kwargs={"kenmerk": kenmerk})


def _ondertekenaars(afspraak, vermeldingen, soort):
    """Per party: the verified signer (the account holder's name and function, the authority the party entered)
    and, once signed, the signature recorded for it."""
    handtekeningen = {}
    if soort != CONCEPT:
        handtekeningen = {
            o.partij_id: o
            for o in Ondertekening.objects.filter(afspraak=afspraak, besluit=Ondertekening.Besluit.GETEKEND)
        }
    return [{"vermelding": v, "partij": v.partij, "ondertekening": handtekeningen.get(v.partij.pk)}
            for v in vermeldingen]


def document_context(afspraak, *, soort=CONCEPT, kenmerk=None, voor_pdf=False):
    """Everything the document templates need: the convenant (afspraken.convenant) with its bijlagen rendered."""
    if soort not in SOORTEN:
        raise ValueError(f"Onbekende soort document: {soort!r}")
    gegevens = toetsing.Toetsgegevens(afspraak)
    partijen = list(
        Partij.objects.filter(afspraak=afspraak).select_related("organisatie", "bestuurder")
    )
    partijen.sort(key=lambda p: (list(Partij.Rol.values).index(p.rol), p.organisatie.naam.casefold()))
    gegevens.partijen = partijen  # shared: the checks and sections read the same list
    tekst = convenant.bouw(afspraak, gegevens, partijen)

    for nummer, deel in enumerate(bijlagedelen(), start=1):
        context = dict(deel.context(afspraak, gegevens))
        context.update({"afspraak": afspraak, "deel": deel, "voor_pdf": voor_pdf, "is_concept": soort == CONCEPT})
        tekst.bijlagen.append(
            convenant.Bijlage(
                nummer=nummer, sleutel=deel.sleutel, titel=deel.titel,
                html=mark_safe(render_to_string(deel.template, context)),
                inhoudsopgave=context.get("inhoudsopgave", []),
            )
        )
    ondertekeningen = _ondertekenaars(afspraak, tekst.partijen, soort)
    hashes = sorted({o["ondertekening"].document_sha256 for o in ondertekeningen if o["ondertekening"]})
    url = verificatie_url(kenmerk) if (soort == ONDERTEKEND and kenmerk) else ""
    aangeboden = afspraak.ter_ondertekening_op or timezone.now()
    return {
        "afspraak": afspraak,
        "regio": afspraak.regio,
        "partijen": partijen,
        "convenant": tekst,
        "soort": soort,
        "is_concept": soort == CONCEPT,
        "kenmerk": kenmerk,
        "voor_pdf": voor_pdf,
        "statisch": BASIS_URL,
        "ondertekeningen": ondertekeningen,
        "document_hashes": hashes,
        "verificatie_url": url,
        "qr": qr_svg(url) if url else "",
        "aangeboden_op": aangeboden,
        "gemaakt_op": timezone.now(),
        "auteur": f"De partijen van doorstroompuntregio {afspraak.regio.naam}",
    }


def html_van_context(context) -> str:
    """The standalone HTML page from a document_context (a separate step so the benchmark can time it)."""
    return render_to_string("document/document.html", context)


def render_html(afspraak, *, soort=CONCEPT, kenmerk=None, voor_pdf=False) -> str:
    """The whole document as a standalone HTML page; with voor_pdf its resources point at BASIS_URL."""
    with translation.override("nl"):
        return html_van_context(document_context(afspraak, soort=soort, kenmerk=kenmerk, voor_pdf=voor_pdf))


def pdf_van_html(html) -> bytes:
    """HTML rendered for print as a tagged PDF/A-2a with embedded fonts, fetching only static files."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from .pdfstructuur import maak_af

    opmaak = HTML(string=html, base_url=BASIS_URL, url_fetcher=url_fetcher()).render(
        font_config=FontConfiguration(), pdf_variant=PDF_VARIANT
    )
    # Info keeps whole seconds of dcterms.created, the XMP the text as written: PDF/A wants them equal.
    if opmaak.metadata.created:
        try:
            gemaakt = datetime.datetime.fromisoformat(opmaak.metadata.created)
            opmaak.metadata.created = gemaakt.replace(microsecond=0).isoformat()
        except ValueError:
            pass
    return opmaak.write_pdf(pdf_variant=PDF_VARIANT, finisher=maak_af)


def render_pdf(afspraak, *, soort=CONCEPT, kenmerk=None) -> bytes:
    """The document as a tagged PDF/A-2a with embedded fonts."""
    return pdf_van_html(render_html(afspraak, soort=soort, kenmerk=kenmerk, voor_pdf=True))


def standaard_soort(afspraak):
    """Which text the preview shows: a concept while it can change, the text offered for signing once
    frozen, and the signed text of a version that was signed (also after an amendment replaced it)."""
    if afspraak.ondertekend_op is not None:
        return ONDERTEKEND
    if afspraak.is_bevroren:
        return TER_ONDERTEKENING
    return CONCEPT
