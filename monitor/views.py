"""The national monitor: per doorstroompuntregio the status of its uitvoeringsafspraak, on a map and in a
table, and nationally what the signed agreements cover. Thin views over monitor.stand.

/monitor/ is public and built from landelijke_stand(publiek=True): nothing a draft contains reaches it.
/monitor/beheer/ (beheerders only, like the other beheer pages: anonymous to the log-in page, anyone
else 404) adds the phase, links to the agreements and their overdue meetmomenten and acties.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.cache import never_cache

from afspraken.models import Uitvoeringsafspraak
from afspraken.monitoring import achterstanden
from regio import kaart
from regio.aantallen import Aantal
from regio.beheer_views import beheerder_vereist
from regio.cijfers import procent_van_totaal
from regio.export import FORMATEN, Tabel, als_bestand

from .adressen import adresmaker
from .stand import (
    GEEN,
    IN_VOORBEREIDING,
    ONDERTEKEND,
    STATUSSEN,
    TER_ONDERTEKENING,
    VOLGORDE,
    landelijke_stand,
    openbare_stand,
)

# Colour and pattern per status, so colour is never the only cue: two patterned, two plain (those two
# 5.6:1 apart). Colours that meet at a border between statuses differ by ≥ 5:1, pattern marks by ≥ 5:1
# from their background, black borders by ≥ 3.3:1 from every fill (docs/MONITOR.md has the figures).
RAND = "#000000"
UITERLIJK = {
    GEEN: (kaart.VLAK, "#f3f3f3", None, "lichtgrijs, zonder patroon"),
    IN_VOORBEREIDING: (kaart.STIPPEN, "#fff4d6", "#8a5a00", "lichtgeel met bruine stippen"),
    TER_ONDERTEKENING: (kaart.ARCERING, "#ffffff", "#01689b", "wit met blauwe schuine strepen"),
    ONDERTEKEND: (kaart.VLAK, "#1f6f31", None, "donkergroen, zonder patroon"),
}
MAX_NAMEN_ZONDER_AFSPRAAK = 10  # more than this: the summary gives the number, the table the names


def _opsomming(namen):
    namen = list(namen)
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


def _regios(aantal):
    return "1 regio" if aantal == 1 else f"{aantal} regio's"


def samenvatting(stand):
    """The map's text alternative: per status how many regions and which, as sentences."""
    zinnen = []
    for status in reversed(VOLGORDE):
        standen = stand.regios_met(status)
        if not standen:
            continue
        namen = _opsomming(s.regio.naam for s in standen)
        if status == ONDERTEKEND:
            zinnen.append(f"{_regios(len(standen))} ondertekend: {namen}.")
        elif status == TER_ONDERTEKENING:
            delen = _opsomming(f"{s.regio.naam} ({s.handtekeningen} van {s.partijen} handtekeningen)" for s in standen)
            zinnen.append(f"{_regios(len(standen))} ter ondertekening: {delen}.")
        elif status == IN_VOORBEREIDING:
            zinnen.append(f"{_regios(len(standen))} in voorbereiding: {namen}.")
        elif len(standen) == stand.regios_totaal:
            zinnen.append(f"Nog geen enkele regio heeft een uitvoeringsafspraak ({_regios(len(standen))}).")
        elif len(standen) <= MAX_NAMEN_ZONDER_AFSPRAAK:
            zinnen.append(f"{_regios(len(standen))} nog zonder uitvoeringsafspraak: {namen}.")
        else:
            zinnen.append(f"{_regios(len(standen))} nog zonder uitvoeringsafspraak (zie de tabel).")
    return zinnen


def _vulling(status, id_prefix):
    soort, achtergrond, _, _ = UITERLIJK[status]
    return achtergrond if soort == kaart.VLAK else f"url(#{id_prefix}-{status})"


def kaart_en_legenda(stand, id_prefix="monitor"):
    """The map coloured and patterned by status, and the legend items with the same swatches."""
    patronen = format_html_join(
        "",
        "{}",
        (
            (kaart.patroon_svg(f"{id_prefix}-{status}", soort, achtergrond, voorgrond),)
            for status, (soort, achtergrond, voorgrond, _) in UITERLIJK.items()
            if soort != kaart.VLAK
        ),
    )
    uitleg = "; ".join(f"{STATUSSEN[s].lower()}: {UITERLIJK[s][3]}" for s in VOLGORDE)
    omschrijving = (
        " ".join(samenvatting(stand))
        + f" Kleur en patroon per status: {uitleg}. Dezelfde gegevens staan in de tabel bij de kaart."
        + f" {kaart.ATTRIBUTIE}."
    )
    svg = kaart.kaart_svg(
        kleuren_per_regio={s.regio.nummer: _vulling(s.status, id_prefix) for s in stand.regios},
        titels_per_regio={s.regio.nummer: f"{s.regio.naam}: {s.toelichting}" for s in stand.regios},
        titel="Kaart van Nederland: de stand van de uitvoeringsafspraken per doorstroompuntregio",
        omschrijving=omschrijving,
        id_prefix=id_prefix,
        patronen=patronen,
        randkleur=RAND,
    )
    legenda = [
        {
            "status": status,
            "tekst": STATUSSEN[status],
            "aantal": stand.per_status[status],
            "uitleg": UITERLIJK[status][3],
            "staal": kaart.staal_svg(f"{id_prefix}-staal-{status}", *UITERLIJK[status][:3], rand=RAND),
        }
        for status in reversed(VOLGORDE)
    ]
    return svg, legenda


def _dekking(stand):
    """The national coverage rows: what, covered, out of how many, share."""

    def rij(naam, gedekt, totaal):
        if isinstance(gedekt, int):
            procent = procent_van_totaal(Aantal(gedekt), Aantal(totaal))
        else:
            procent = procent_van_totaal(gedekt, totaal)
        return {"naam": naam, "gedekt": gedekt, "totaal": totaal, "procent": procent}

    return [
        rij("Doorstroompuntregio's", stand.regios_gedekt, stand.regios_totaal),
        rij("Gemeenten", stand.gemeenten_gedekt, stand.gemeenten_totaal),
        rij("Mbo-instellingen", stand.instellingen_gedekt, stand.instellingen_totaal),
        rij("Mbo-studenten", stand.studenten_gedekt, stand.studenten_totaal),
    ]


def _context(stand):
    svg, legenda = kaart_en_legenda(stand)
    regio_adres = adresmaker("regio_detail")
    afspraak_adres = adresmaker("afspraak_overzicht")
    rijen = [
        {
            "stand": s,
            "voortgang": s.voortgang,
            "fase": _fase_tekst(s),
            "regio_adres": regio_adres(s.regio.nummer),
            "afspraak_adres": afspraak_adres(s.afspraak_id) if s.afspraak_id else None,
        }
        for s in stand.regios
    ]
    return {
        "stand": stand,
        "rijen": rijen,
        "kaart": svg,
        "legenda": legenda,
        "samenvatting": samenvatting(stand),
        "dekking": _dekking(stand),
    }


def _vandaag():
    # One place for "today", so a test can move it.
    return timezone.localdate()


def publiek(request):
    return render(request, "monitor/monitor.html", _context(openbare_stand(_vandaag())))


def _achterstanden(stand):
    # Every current version: the one in force has the meetmomenten, an amendment being written its own
    # acties; achterstanden() reports an actie copied into an amendment once. Sorted by date there.
    afspraken = Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).select_related("regio")
    return achterstanden(afspraken, vandaag=stand.vandaag)


@never_cache
@beheerder_vereist
def beheer(request):
    stand = landelijke_stand(publiek=False, vandaag=_vandaag())
    return render(request, "monitor/beheer.html", {**_context(stand), "achterstanden": _achterstanden(stand)})


# --- export ---------------------------------------------------------------------------------------


def _fase_tekst(s):
    """The beheerder's phase column: where a concept is, or what is happening to a signed one."""
    if s.status == ONDERTEKEND and s.wijziging_in_voorbereiding:
        return "wijziging in voorbereiding"
    if s.status != IN_VOORBEREIDING:
        return None
    if s.gereed:
        return "gereed voor ondertekening"
    if s.fase is not None:
        return f"{s.fase.value}. {s.fase.label}"
    return "alle fasen ingevuld"


def export_tabel(stand, request=None):
    kolommen = ["Nummer", "Doorstroompuntregio", "Contactgemeente", "Status", "Handtekeningen", "Partijen",
                "Ondertekend op"]
    if not stand.publiek:
        kolommen += ["Fase", "Uitvoeringsafspraak"]
    rijen = []
    for s in stand.regios:
        ter = s.status == TER_ONDERTEKENING
        rij = [
            s.regio.nummer,
            s.regio.naam,
            s.regio.contactgemeente.naam if s.regio.contactgemeente else None,
            STATUSSEN[s.status],
            s.handtekeningen if ter else None,
            s.partijen if ter else None,
            s.ondertekend_op,
        ]
        if not stand.publiek:
            url = reverse("afspraak_overzicht", args=[s.afspraak_id]) if s.afspraak_id else None
            rij += [_fase_tekst(s), request.build_absolute_uri(url) if url and request else url]
        rijen.append(rij)
    titel = f"Monitor {'beheer ' if not stand.publiek else ''}{stand.vandaag.isoformat()}"
    return Tabel(titel=titel, kolommen=kolommen, rijen=rijen)


@never_cache
@beheerder_vereist
def _export_beheer(request, formaat):
    return als_bestand(export_tabel(landelijke_stand(publiek=False, vandaag=_vandaag()), request), formaat)


def export(request, formaat):
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    versie = request.GET.get("versie", "")
    if versie == "beheer":
        return _export_beheer(request, formaat)
    if versie:
        raise Http404("Onbekende versie.")
    return als_bestand(export_tabel(openbare_stand(_vandaag())), formaat)
