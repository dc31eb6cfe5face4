"""Server-drawn SVG: the map of the Netherlands per doorstroompuntregio, and the chart of where students live.

The map is built from the shipped gemeente shapes (regio.geo). The gemeenten of a region are
dissolved into the region's outline: the simplified CBS/PDOK layer keeps shared borders
identical in both gemeenten (topology), so every edge that occurs twice within a region is an
inner border and is left out of the outline. What remains is chained into closed rings. The
inner borders of the highlighted region are drawn as thin lines on top.

Projection: x = lon · cos(52.2°), y = −lat, scaled to about 500 × 600 px; coordinates are
rounded to whole pixels and repeated points are dropped, paths are written with relative
commands. The result for one indeling (gemeente → regio) is cached per process; only the small
query for that indeling runs per page.

No style attributes (a strict Content-Security-Policy blocks them): presentation attributes only.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .geo import ATTRIBUTIE, gemeente_vormen
from .grafiek import kort, svg_begin

COS_LAT = math.cos(math.radians(52.2))
MAX_BREEDTE = 500
MAX_HOOGTE = 600
MARGE = 8
ONDERSCHRIFT_RUIMTE = 18  # room under the map for the attribution
DECIMALEN = 0  # whole pixels: small enough, sharp enough at this size

KLEUR_REGIO = "#e6e6e6"
KLEUR_REGIOGRENS = "#6b6b6b"
KLEUR_GEMARKEERD = "#154273"
KLEUR_ARCERING = "#4d79a8"
KLEUR_RAND_GEMARKEERD = "#000000"
KLEUR_GEMEENTEGRENS = "#ffffff"


# --- geometry ---------------------------------------------------------------------------------


def _oppervlak(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring)) / 2


def _georienteerd(ring, buiten):
    """Outer rings counter-clockwise, holes clockwise (in lon/lat), so shared edges run opposite ways."""
    tegen_de_klok_in = _oppervlak(ring) > 0
    return ring if tegen_de_klok_in == buiten else ring[::-1]


@lru_cache(maxsize=1)
def _raam():
    """Scale and offsets that fit the whole country into MAX_BREEDTE × MAX_HOOGTE."""
    punten = [p for polygons in gemeente_vormen().values() for polygon in polygons for ring in polygon for p in ring]
    min_x = min(p[0] for p in punten) * COS_LAT
    max_x = max(p[0] for p in punten) * COS_LAT
    min_y = -max(p[1] for p in punten)
    max_y = -min(p[1] for p in punten)
    schaal = min((MAX_BREEDTE - 2 * MARGE) / (max_x - min_x), (MAX_HOOGTE - 2 * MARGE) / (max_y - min_y))
    breedte = math.ceil((max_x - min_x) * schaal + 2 * MARGE)
    hoogte = math.ceil((max_y - min_y) * schaal + 2 * MARGE)
    return schaal, min_x, min_y, breedte, hoogte


def _projecteer(punt):
    schaal, min_x, min_y, _, _ = _raam()
    lon, lat = punt
    x = (lon * COS_LAT - min_x) * schaal + MARGE
    y = (-lat - min_y) * schaal + MARGE
    return round(x, DECIMALEN or None), round(y, DECIMALEN or None)


def _zonder_herhaling(punten):
    uit = []
    for p in punten:
        if not uit or uit[-1] != p:
            uit.append(p)
    return uit


def _getal(waarde):
    if DECIMALEN == 0:
        return str(int(waarde))
    tekst = f"{waarde:.{DECIMALEN}f}".rstrip("0").rstrip(".")
    return "0" if tekst == "-0" else tekst


def _padtekst(lijnen, gesloten):
    """SVG path data: absolute move, then relative line segments; no space before a minus sign."""
    delen = []
    for punten in lijnen:
        stappen = [f"M{_getal(punten[0][0])} {_getal(punten[0][1])}l"]
        getallen = []
        for (x0, y0), (x1, y1) in pairwise(punten):
            getallen.extend((_getal(x1 - x0), _getal(y1 - y0)))
        tekst = ""
        for g in getallen:
            tekst += g if (not tekst or g.startswith("-")) else " " + g
        stappen.append(tekst)
        if gesloten:
            stappen.append("z")
        delen.append("".join(stappen))
    return "".join(delen)


def _ketens_gericht(randen):
    """Chain directed edges into closed rings (an Eulerian walk per ring)."""
    uit = defaultdict(list)
    for a, b in randen:
        uit[a].append(b)
    ringen = []
    for start in list(uit):
        while uit[start]:
            ring = [start]
            punt = uit[start].pop()
            while punt != start and uit.get(punt):
                ring.append(punt)
                punt = uit[punt].pop()
            ring.append(punt)
            ringen.append(ring)
    return ringen


def _ketens_ongericht(randen):
    """Chain undirected edges into as few polylines as a greedy walk gives."""
    buren = defaultdict(list)
    for a, b in randen:
        buren[a].append(b)
        buren[b].append(a)
    lijnen = []
    # Start at odd-degree points first so open lines come out whole.
    volgorde = sorted(buren, key=lambda p: len(buren[p]) % 2 == 0)
    for start in volgorde:
        while buren[start]:
            lijn = [start]
            punt = start
            while buren[punt]:
                volgende = buren[punt].pop()
                buren[volgende].remove(punt)
                lijn.append(volgende)
                punt = volgende
            lijnen.append(lijn)
    return lijnen


@dataclass(frozen=True)
class RegioVorm:
    omtrek: str  # path data of the region's outline rings (fill-rule nonzero)
    binnengrenzen: str  # path data of the gemeente borders inside the region


@lru_cache(maxsize=8)
def regio_vormen(indeling):
    """{regio nummer: RegioVorm} for an indeling given as a sorted tuple of (gemeentecode, regio nummer)."""
    vormen = gemeente_vormen()
    per_regio = defaultdict(list)
    for code, nummer in indeling:
        if code in vormen:
            per_regio[nummer].append(code)
    uitkomst = {}
    for nummer, codes in per_regio.items():
        gericht = []
        for code in codes:
            for polygon in vormen[code]:
                for i, ring in enumerate(polygon):
                    ring = _georienteerd(ring, buiten=i == 0)
                    gericht.extend(pairwise(ring))
        telling = Counter(frozenset(rand) for rand in gericht)
        omtrek = [rand for rand in gericht if telling[frozenset(rand)] == 1]
        binnen = [tuple(sleutel) for sleutel, n in telling.items() if n > 1 and len(sleutel) == 2]
        ringen = []
        for ring in _ketens_gericht(omtrek):
            punten = _zonder_herhaling([_projecteer(p) for p in ring])
            if punten[0] == punten[-1]:
                punten = punten[:-1]
            if len(set(punten)) >= 3:
                ringen.append(punten)
        lijnen = []
        for lijn in _ketens_ongericht(binnen):
            punten = _zonder_herhaling([_projecteer(p) for p in lijn])
            if len(punten) >= 2:
                lijnen.append(punten)
        uitkomst[nummer] = RegioVorm(_padtekst(ringen, gesloten=True), _padtekst(lijnen, gesloten=False))
    return uitkomst


def indeling_uit_database():
    """The current indeling as a hashable key for regio_vormen (one query)."""
    from .models import Gemeente

    # Sorted by the (unique) code; a gemeente without a region gets None and is drawn in grey all the same.
    return tuple(sorted(Gemeente.objects.values_list("code", "regio__nummer")))


# --- the map ----------------------------------------------------------------------------------


def kaart_svg(
    markeer_regio=None,
    kleuren_per_regio=None,
    indeling=None,
    titel=None,
    omschrijving=None,
    id_prefix="kaart",
    patronen=None,
    titels_per_regio=None,
    randkleur=KLEUR_REGIOGRENS,
):
    """Safe SVG markup: the 40 regions, one path each, optionally one highlighted and/or coloured per region.

    markeer_regio: a Doorstroompuntregio (or None); it is drawn hatched with a thick black outline
    and its gemeente borders. kleuren_per_regio: {regio nummer: fill colour} for a national map
    (the caller adds the legend); a fill may be "url(#id)" of a pattern passed in `patronen`
    (markup from patroon_svg(), written into <defs>). titels_per_regio: {regio nummer: text}
    written as the <title> of the region's path (a tooltip). randkleur: the colour of the region
    borders. indeling: from indeling_uit_database(), passed in when the caller already has it.
    """
    if indeling is None:
        indeling = indeling_uit_database()
    sleutel = (
        indeling,
        (markeer_regio.nummer, markeer_regio.naam) if markeer_regio is not None else None,
        tuple(sorted((kleuren_per_regio or {}).items(), key=_regio_volgorde)),
        tuple(sorted((titels_per_regio or {}).items(), key=_regio_volgorde)),
        titel, omschrijving, id_prefix, str(patronen) if patronen else None, randkleur,
    )
    svg = _GETEKEND.get(sleutel)
    if svg is None:
        svg = _teken(markeer_regio, kleuren_per_regio, indeling, titel, omschrijving, id_prefix, patronen,
                     titels_per_regio, randkleur)
        if len(_GETEKEND) >= MAX_GETEKEND:
            _GETEKEND.clear()
        _GETEKEND[sleutel] = svg
    return svg


# Maps drawn before, by everything they are drawn from (the indeling included), so a map is never stale:
# the monitor draws the same map until a status changes, a region page the same map per region. The
# paths come from regio_vormen; this saves formatting and escaping 35 KB per page. Bounded; emptied when full.
_GETEKEND = {}
MAX_GETEKEND = 200  # 40 region pages, 40 documents, the monitor: at most ~13 MB


def _regio_volgorde(item):
    return (item[0] is None, item[0] or 0)


def _teken(markeer_regio, kleuren_per_regio, indeling, titel, omschrijving, id_prefix, patronen, titels_per_regio,
           randkleur):
    vormen = regio_vormen(indeling)
    _, _, _, breedte, hoogte = _raam()
    kleuren_per_regio = kleuren_per_regio or {}
    titels_per_regio = titels_per_regio or {}
    nummer = markeer_regio.nummer if markeer_regio is not None else None
    if titel is None:
        titel = (
            f"Kaart van Nederland met regio {markeer_regio.naam} gemarkeerd"
            if markeer_regio is not None
            else "Kaart van Nederland met de doorstroompuntregio's"
        )
    if omschrijving is None:
        omschrijving = "De 40 doorstroompuntregio's van Nederland met hun grenzen."
        if markeer_regio is not None:
            omschrijving += (
                f" Regio {markeer_regio.naam} (nummer {markeer_regio.nummer}) is donkerblauw gearceerd met een"
                " dikke zwarte rand; de dunne witte lijnen daarbinnen zijn de gemeentegrenzen."
            )
        omschrijving += f" {ATTRIBUTIE}."
    titel_id = f"{id_prefix}-titel"
    omschrijving_id = f"{id_prefix}-omschrijving"
    arcering_id = f"{id_prefix}-arcering"

    delen = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="landkaart" viewBox="0 0 {b} {h}" width="{b}" height="{h}"'
            ' role="img" aria-labelledby="{t}" aria-describedby="{o}">'
            '<title id="{t}">{titel}</title><desc id="{o}">{omschrijving}</desc>',
            b=breedte,
            h=hoogte + ONDERSCHRIFT_RUIMTE,
            t=titel_id,
            o=omschrijving_id,
            titel=titel,
            omschrijving=omschrijving,
        )
    ]
    if nummer is not None or patronen:
        delen.append(mark_safe("<defs>"))
        if nummer is not None:
            delen.append(patroon_svg(arcering_id, ARCERING, KLEUR_GEMARKEERD, KLEUR_ARCERING, maat=5, lijn=1.5))
        if patronen:
            delen.append(patronen)
        delen.append(mark_safe("</defs>"))
    delen.append(
        format_html(
            '<g fill="{f}" stroke="{s}" stroke-width="0.8" stroke-linejoin="round">', f=KLEUR_REGIO, s=randkleur
        )
    )
    for regio_nummer in sorted(vormen, key=lambda n: (n is None, n or 0)):
        if regio_nummer == nummer:
            continue
        kleur = kleuren_per_regio.get(regio_nummer)
        vulling = format_html(' fill="{}"', kleur) if kleur else ""
        padtitel = titels_per_regio.get(regio_nummer)
        delen.append(
            format_html(
                '<path data-regio="{}"{} d="{}"',
                "geen" if regio_nummer is None else regio_nummer,
                vulling,
                vormen[regio_nummer].omtrek,
            )
        )
        # A <title> inside the path: the region's name and what its fill means, shown on hover.
        delen.append(format_html("><title>{}</title></path>", padtitel) if padtitel else mark_safe("/>"))
    delen.append(mark_safe("</g>"))
    if nummer is not None and nummer in vormen:
        vorm = vormen[nummer]
        delen.append(
            format_html(
                '<path class="landkaart__gemarkeerd" data-regio="{n}" data-gemarkeerd="ja" fill="url(#{a})"'
                ' stroke="{r}" stroke-width="3" stroke-linejoin="round" d="{d}"/>',
                n=nummer,
                a=arcering_id,
                r=KLEUR_RAND_GEMARKEERD,
                d=vorm.omtrek,
            )
        )
        if vorm.binnengrenzen:
            delen.append(
                format_html(
                    '<path class="landkaart__gemeentegrenzen" fill="none" stroke="{s}" stroke-width="0.8"'
                    ' stroke-linejoin="round" d="{d}"/>',
                    s=KLEUR_GEMEENTEGRENS,
                    d=vorm.binnengrenzen,
                )
            )
    delen.append(
        format_html(
            '<text x="{x}" y="{y}" text-anchor="end" font-size="12" fill="#1a1a1a">{a}</text></svg>',
            x=breedte - MARGE,
            y=hoogte + ONDERSCHRIFT_RUIMTE - 5,
            a=ATTRIBUTIE,
        )
    )
    return mark_safe("".join(delen))


# Fill patterns, so that a fill is told apart by its pattern as well as by its colour (the caller picks
# marks that contrast with their background).
VLAK = "vlak"
ARCERING = "arcering"
STIPPEN = "stippen"


def patroon_svg(patroon_id, soort, achtergrond, voorgrond, maat=6, lijn=2.5):
    """A <pattern> for <defs>: diagonal hatching (ARCERING) or dots (STIPPEN) of `voorgrond` on `achtergrond`.

    In user space, so it scales with the map and looks the same in a legend swatch drawn at map scale.
    """
    if soort == ARCERING:
        return format_html(
            '<pattern id="{id}" width="{m}" height="{m}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="{m}" height="{m}" fill="{a}"/><rect width="{l}" height="{m}" fill="{v}"/></pattern>',
            id=patroon_id, m=maat, a=achtergrond, v=voorgrond, l=lijn,
        )
    if soort == STIPPEN:
        return format_html(
            '<pattern id="{id}" width="{m}" height="{m}" patternUnits="userSpaceOnUse">'
            '<rect width="{m}" height="{m}" fill="{a}"/><circle cx="{c}" cy="{c}" r="{r}" fill="{v}"/></pattern>',
            id=patroon_id, m=maat, a=achtergrond, v=voorgrond, c=maat / 2, r=lijn * 0.75,
        )
    raise ValueError(f"Onbekend patroon: {soort}")


def staal_svg(staal_id, soort, achtergrond, voorgrond=None, rand="#000000", breedte=32, hoogte=22):
    """A legend swatch, drawn with the same fill (and pattern) as the map; decorative, the label says it."""
    if soort == VLAK:
        defs, vulling = "", achtergrond
    else:
        defs = format_html("<defs>{}</defs>", patroon_svg(staal_id, soort, achtergrond, voorgrond))
        vulling = f"url(#{staal_id})"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="staal" viewBox="0 0 {b} {h}" width="{b}" height="{h}"'
        ' aria-hidden="true" focusable="false">{defs}<rect x="0.5" y="0.5" width="{rb}" height="{rh}" fill="{f}"'
        ' stroke="{r}"/></svg>',
        b=breedte, h=hoogte, rb=breedte - 1, rh=hoogte - 1, defs=defs, f=vulling, r=rand,
    )


# --- the chart of where students live -----------------------------------------------------------

GRAFIEK_BREEDTE = 640
LABEL_BREEDTE = 170
BALK_HOOGTE = 34
RIJ_HOOGTE = 62
# Fill and text colour per part; text contrast ≥ 4.5:1, white gaps separate adjacent parts.
GRAFIEK_KLEUREN = {
    "vestiging": ("#154273", "#ffffff"),
    "regio": ("#01689b", "#ffffff"),
    "in_regio": ("#154273", "#ffffff"),
    "buiten": ("#d9d9d9", "#1a1a1a"),
}


def verdeling_svg(rijen, titel, omschrijving, id_prefix="grafiek"):
    """A horizontal stacked bar per row, each part labelled with its letter and percentage in the bar.

    rijen: [(label, [(sleutel, letter, fractie 0..1), ...]), ...]. The same numbers must be in a table next to it.
    """
    staaf_breedte = GRAFIEK_BREEDTE - LABEL_BREEDTE - 10
    hoogte = len(rijen) * RIJ_HOOGTE + 10
    delen = [svg_begin(GRAFIEK_BREEDTE, hoogte, titel, omschrijving, id_prefix)]
    for i, (label, stukken) in enumerate(rijen):
        y = 10 + i * RIJ_HOOGTE
        delen.append(
            format_html(
                '<text x="0" y="{y}" font-size="14" fill="#1a1a1a">{label}</text>',
                y=y + BALK_HOOGTE / 2 + 5,
                label=label,
            )
        )
        x = Fraction(LABEL_BREEDTE)
        for sleutel, letter, fractie in stukken:
            breedte = Fraction(fractie) * staaf_breedte
            vulling, tekstkleur = GRAFIEK_KLEUREN.get(sleutel, ("#d9d9d9", "#1a1a1a"))
            if breedte > 0:
                delen.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}" stroke="#ffffff" stroke-width="2"/>',
                        x=kort(x),
                        y=y,
                        w=kort(breedte),
                        h=BALK_HOOGTE,
                        f=vulling,
                    )
                )
            procent = _procent_tekst(fractie)
            tekst = f"{letter}: {procent}"
            if breedte >= 62:
                delen.append(
                    format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" font-size="13" font-weight="bold" '
                        'fill="{c}">{t}</text>',
                        x=kort(x + breedte / 2),
                        y=y + BALK_HOOGTE / 2 + 5,
                        c=tekstkleur,
                        t=tekst,
                    )
                )
            else:
                # Too narrow for its label: write it under the bar, at the part's start.
                delen.append(
                    format_html(
                        '<text x="{x}" y="{y}" font-size="12" fill="#1a1a1a">{t}</text>',
                        x=kort(x),
                        y=y + BALK_HOOGTE + 14,
                        t=tekst,
                    )
                )
            x += breedte
    delen.append(mark_safe("</svg>"))
    return mark_safe("".join(delen))


def _procent_tekst(fractie):
    f = Fraction(fractie) * 100
    return f"{math.floor(f + Fraction(1, 2))}%"


def svg_grootte(markup):
    """Size in bytes of SVG markup as sent (UTF-8)."""
    return len(str(markup).encode("utf-8"))
