"""The agreement as one document: an HTML preview and an archival, tagged PDF (WeasyPrint, PDF/A-2a).

The chapters are `Documentdeel`s in a register, like the sections: afspraken registers its own, aanbod
and financiering register theirs from their AppConfig.ready(), so afspraken never imports them. The
frame (cover, contents, signature page) is fixed; the signature page is always the last page, because
the seal stamp is drawn in its bottom-left corner afterwards.

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

from . import fasen, navigatie, secties, toetsing
from .models import Actie, Ambitie, Fase, Indicator, Ondertekening, Partij, Rapportage, Resultaat

CONCEPT, TER_ONDERTEKENING, ONDERTEKEND = "concept", "ter_ondertekening", "ondertekend"
SOORTEN = (CONCEPT, TER_ONDERTEKENING, ONDERTEKEND)

# The only address the PDF renderer resolves: a reserved domain that never exists (RFC 2606).
BASIS_URL = "https://document.invalid/static/"
PDF_VARIANT = "pdf/a-2a"  # archival (PDF/A-2: no attachments but PDF/A) and tagged (level A); docs/DOCUMENT.md

# Sections the frame itself shows (the cover lists the parties).
VOORBLAD_SECTIES = ("partijen",)
VOORBLAD_ANKER = "voorblad"

register = Register("documentdelen")


@dataclass(frozen=True)
class Documentdeel:
    """One chapter of the document, rendered from `template` with `context(afspraak, gegevens)`.

    `gegevens` is the render's `toetsing.Toetsgegevens`: the cache the sections and checks share.
    `secties`: keys of the phase sections this chapter works out; the phase chapter then refers here
    instead of repeating them. A context may return "inhoudsopgave": [(anker, titel)] for sub-entries.
    """

    sleutel: str
    titel: str
    volgorde: int
    template: str
    context: Callable
    secties: tuple = ()

    @property
    def anker(self):
        return f"deel-{self.sleutel}"


def registreer(deel):
    if any(d.sleutel == deel.sleutel for d in register):
        raise ValueError(f"Documentdeel {deel.sleutel} is al geregistreerd")
    return register.registreer(deel)


def delen():
    return sorted(register, key=lambda d: (d.volgorde, d.sleutel))


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


# --- text sections as question and answer -----------------------------------------------------------


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
    """Rows of a row section no chapter works out, as {label: text} per row (a fallback)."""
    rijen = [definitie.momentopname(formulier, rij)
             for rij, formulier in definitie.met_formulier(afspraak, definitie.rijen(afspraak), gegevens)]
    kolommen = list(rijen[0]) if rijen else []
    return {"kolommen": kolommen, "rijen": [[r.get(k, "") for k in kolommen] for r in rijen]}


def _uitgewerkt_in():
    """{section key: (anker, titel)} of the chapter (or the cover) that works a section out."""
    uitkomst = {s: (VOORBLAD_ANKER, "Voorblad: partijen") for s in VOORBLAD_SECTIES}
    for deel in delen():
        for sleutel in deel.secties:
            uitkomst.setdefault(sleutel, (deel.anker, deel.titel))
    return uitkomst


def fase_context(fase):
    def context(afspraak, gegevens):
        verwijzingen = _uitgewerkt_in()
        onderdelen = []
        for definitie in secties.van_fase(fase):
            onderdeel = {"definitie": definitie, "anker": sectie_anker(definitie.sleutel)}
            if isinstance(definitie, secties.Tekstsectie):
                inhoud = gegevens.secties.get(definitie.sleutel) or {}
                onderdeel.update(soort="tekst", antwoorden=antwoorden(definitie, afspraak, inhoud, gegevens))
            elif definitie.sleutel in verwijzingen:
                onderdeel.update(soort="verwijzing", verwijzing=verwijzingen[definitie.sleutel])
            else:
                onderdeel.update(soort="tabel", tabel=_generieke_rijen(definitie, afspraak, gegevens))
            onderdelen.append(onderdeel)
        return {
            "fase": fase,
            "onderdelen": onderdelen,
            "inhoudsopgave": [(o["anker"], o["definitie"].titel) for o in onderdelen],
        }

    return context


# --- afspraken's own chapters -------------------------------------------------------------------------


def toetsing_context(afspraak, gegevens):
    titels = {d.sleutel: d.titel for d in secties.alle()}
    per_basisafspraak = {}
    for definitie in secties.alle():
        for nummer in definitie.basisafspraken:
            per_basisafspraak.setdefault(nummer, []).append((sectie_anker(definitie.sleutel), definitie.titel))
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


def _partij_naam(gegevens, pk):
    partij = next((p for p in gegevens.partijen if p.pk == pk), None)
    return partij.organisatie.naam if partij else ""


def governance_context(afspraak, gegevens):
    contact, contactpartij = fasen.contactgemeente_en_partij(afspraak, gegevens)
    definitie = secties.definitie(fasen.GOVERNANCE)
    inhoud = gegevens.secties.get(fasen.GOVERNANCE) or {}
    regie = [
        (label, _partij_naam(gegevens, gegevens.antwoord(fasen.REGIE, veld)))
        for veld, label in (
            ("regie_onderwijs", "Regie op het onderwijsproces"),
            ("regie_hulp", "Regie op de hulp en ondersteuning"),
            ("regie_samenwerking", "Regie op het samenwerken"),
        )
    ]
    return {
        "contactgemeente": contact,
        "contactpartij": contactpartij,
        "eindverantwoordelijken": [p for p in gegevens.partijen if p.financieel_eindverantwoordelijk],
        "regie": regie,
        "antwoorden": antwoorden(definitie, afspraak, inhoud, gegevens) if definitie else [],
        "overleg": gegevens.antwoord(fasen.BESTUURLIJK_OVERLEG, "welk_overleg") or "",
    }


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


def monitoring_context(afspraak, gegevens):
    rapportages = list(
        Rapportage.objects.filter(afspraak=afspraak).select_related("van__organisatie").order_by("eerste_datum", "pk")
    )

    def datum(veld):
        waarde = gegevens.antwoord(fasen.EVALUATIE, veld)
        try:
            return datetime.date.fromisoformat(waarde) if waarde else None
        except ValueError:
            return None

    return {
        "rapportages": rapportages,
        "monitor": gegevens.antwoord(fasen.OPBRENGST, "monitor") or "",
        "tussentijds": datum("tussentijds"),
        "eind": datum("eind"),
    }


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


def registreer_delen():
    navigatie.registreer(navigatie.Pagina("document", "Document", "afspraak_document", 55))
    for fase in Fase:
        registreer(
            Documentdeel(
                sleutel=f"fase-{fase.value}",
                titel=f"Stap {fase.value}: {fase.label}",
                volgorde=100 + fase.value,
                template="document/fase.html",
                context=fase_context(fase.value),
            )
        )
    registreer(
        Documentdeel(
            "basisafspraken", "De twaalf basisafspraken", 200, "document/basisafspraken.html", toetsing_context
        )
    )
    registreer(
        Documentdeel(
            "governance", "Governance", 330, "document/governance.html", governance_context, (fasen.GOVERNANCE,)
        )
    )
    registreer(
        Documentdeel(
            "ambities", "Ambities en indicatoren", 500, "document/ambities.html", ambities_context,
            (fasen.AMBITIES, fasen.RESULTATEN, fasen.INDICATOREN),
        )
    )
    registreer(
        Documentdeel(
            "monitoring", "Monitoring en voortgangsbewaking", 510, "document/monitoring.html", monitoring_context,
            (fasen.RAPPORTAGES,),
        )
    )
    registreer(
        Documentdeel(
            "acties", "Actiepuntenlijst", 520, "document/acties.html", acties_context,
            tuple(f"acties-{fase.name.lower()}" for fase in Fase),
        )
    )
    registreer(
        Documentdeel(
            "bijlage-studenten", "Bijlage: studentenpopulatie en kaart", 900, "document/bijlage.html", bijlage_context
        )
    )


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


def _ondertekenaars(afspraak, partijen):
    """Per party: who signs (ter ondertekening) and, if any, the signature recorded for it."""
    handtekeningen = {
        o.partij_id: o
        for o in Ondertekening.objects.filter(afspraak=afspraak, besluit=Ondertekening.Besluit.GETEKEND)
    }
    return [{"partij": p, "ondertekening": handtekeningen.get(p.pk)} for p in partijen]


def document_context(afspraak, *, soort=CONCEPT, kenmerk=None, voor_pdf=False):
    """Everything the document templates need; the chapters rendered to HTML in register order."""
    if soort not in SOORTEN:
        raise ValueError(f"Onbekende soort document: {soort!r}")
    gegevens = toetsing.Toetsgegevens(afspraak)
    partijen = list(
        Partij.objects.filter(afspraak=afspraak).select_related("organisatie", "bestuurder")
    )
    partijen.sort(key=lambda p: (list(Partij.Rol.values).index(p.rol), p.organisatie.naam.casefold()))
    gegevens.partijen = partijen  # shared: the checks and sections read the same list

    hoofdstukken = []
    for deel in delen():
        context = dict(deel.context(afspraak, gegevens))
        context.update({"afspraak": afspraak, "deel": deel, "voor_pdf": voor_pdf})
        hoofdstukken.append(
            {
                "deel": deel,
                "html": mark_safe(render_to_string(deel.template, context)),
                "inhoudsopgave": context.get("inhoudsopgave", []),
            }
        )
    ondertekeningen = _ondertekenaars(afspraak, partijen) if soort != CONCEPT else []
    hashes = sorted({o["ondertekening"].document_sha256 for o in ondertekeningen if o["ondertekening"]})
    url = verificatie_url(kenmerk) if (soort == ONDERTEKEND and kenmerk) else ""
    aangeboden = afspraak.ter_ondertekening_op or timezone.now()
    return {
        "afspraak": afspraak,
        "regio": afspraak.regio,
        "partijen": partijen,
        "soort": soort,
        "is_concept": soort == CONCEPT,
        "kenmerk": kenmerk,
        "voor_pdf": voor_pdf,
        "statisch": BASIS_URL,
        "hoofdstukken": hoofdstukken,
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
