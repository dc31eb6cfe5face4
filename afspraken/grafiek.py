"""The course of an indicator as a server-drawn SVG line chart: metingen against nulmeting and streefwaarde.

Plain SVG with presentation attributes only (no style attributes, no script), so that it passes a strict
Content-Security-Policy and WeasyPrint draws it in the PDF as well. The chart is an image with a title and
a description that name every number; the page shows the same numbers as a table beside it.
"""

import datetime
import math
from decimal import Decimal

from django.utils.dateformat import format as datumformaat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import override

BREEDTE, HOOGTE = 600, 324
LINKS, RECHTS, BOVEN, ONDER = 64, 24, 28, 222  # the plot area
KLEUR_METING = "#154273"  # 10.6:1 on white
KLEUR_DOEL = "#8a4b00"  # 6.4:1 on white; dashed as well, so colour is not the only difference
KLEUR_AS = "#4a4a4a"
KLEUR_RASTER = "#d0d0d0"
KLEUR_TEKST = "#1a1a1a"
MAX_LABELS = 12  # more points than this: only the last value is written next to the line


def getal(waarde):
    """A number as Dutch text: 1.234,5 (at most two decimals, no trailing zeros)."""
    if waarde is None:
        return ""
    waarde = Decimal(waarde).quantize(Decimal("0.01"))
    teken = "-" if waarde < 0 else ""
    geheel, _, decimalen = f"{abs(waarde):.2f}".partition(".")
    groepen = []
    while len(geheel) > 3:
        groepen.insert(0, geheel[-3:])
        geheel = geheel[:-3]
    groepen.insert(0, geheel)
    decimalen = decimalen.rstrip("0")
    return teken + ".".join(groepen) + ("," + decimalen if decimalen else "")


def datum(d):
    with override("nl"):
        return datumformaat(d, "j F Y")


def _mooie_stap(bereik):
    """A step of 1, 2 or 5 times a power of ten that divides `bereik` into about four parts."""
    ruw = bereik / 4
    macht = 10 ** math.floor(math.log10(ruw))
    for factor in (1, 2, 5, 10):
        if ruw <= factor * macht:
            return factor * macht
    return 10 * macht


def _bereik(waarden):
    laag, hoog = min(waarden), max(waarden)
    if laag == hoog:
        marge = abs(laag) / 10 or 1
        laag, hoog = laag - marge, hoog + marge
    stap = _mooie_stap(hoog - laag)
    return math.floor(laag / stap) * stap, math.ceil(hoog / stap) * stap, stap


def omschrijving(metingen, *, nulmeting, streefwaarde, start, einde, eenheid=""):
    """The chart in words: nulmeting, streefwaarde and every meting with its date."""
    achter = f" {eenheid}" if eenheid else ""
    zinnen = []
    if nulmeting is not None:
        zinnen.append(f"Nulmeting {getal(nulmeting)}{achter} bij de start op {datum(start)}.")
    if streefwaarde is not None:
        zinnen.append(f"Streefwaarde {getal(streefwaarde)}{achter} aan het einde op {datum(einde)}.")
    if metingen:
        delen = "; ".join(f"{datum(d)}: {getal(w)}{achter}" for d, w in metingen)
        zinnen.append(f"{len(metingen)} {'meting' if len(metingen) == 1 else 'metingen'}: {delen}.")
    else:
        zinnen.append("Nog geen metingen.")
    return " ".join(zinnen)


# Charts drawn before, by everything they are drawn from: a page shows the same charts until a meting is
# recorded, and drawing one took a tenth of the monitoring page. Bounded; emptied when full.
_GETEKEND = {}
MAX_GETEKEND = 1000  # 40 agreements × a dozen indicatoren fit; at most a few MB


def _exact(waarde):
    # 7 == 7.0 == Decimal("7.00") as dict keys, but getal() may write them differently: key on type and text.
    return None if waarde is None else (type(waarde), str(waarde))


def lijngrafiek(metingen, *, start, einde, nulmeting=None, streefwaarde=None, titel, id_prefix, eenheid=""):
    """The SVG markup, or "" when there is nothing to draw.

    metingen: [(meetmoment, waarde)], in any order. The time axis runs from `start` (nulmeting) to `einde`
    (streefwaarde), widened if a meting falls outside it.
    """
    metingen = list(metingen)
    sleutel = (
        tuple((d, _exact(w)) for d, w in metingen), start, einde, _exact(nulmeting), _exact(streefwaarde),
        titel, id_prefix, eenheid,
    )
    svg = _GETEKEND.get(sleutel)
    if svg is None:
        svg = _teken(
            metingen, start=start, einde=einde, nulmeting=nulmeting, streefwaarde=streefwaarde, titel=titel,
            id_prefix=id_prefix, eenheid=eenheid,
        )
        if len(_GETEKEND) >= MAX_GETEKEND:
            _GETEKEND.clear()
        _GETEKEND[sleutel] = svg
    return svg


def _teken(metingen, *, start, einde, nulmeting, streefwaarde, titel, id_prefix, eenheid):
    metingen = sorted((d, Decimal(w)) for d, w in metingen)
    waarden = [float(w) for _, w in metingen] + [float(w) for w in (nulmeting, streefwaarde) if w is not None]
    if not waarden:
        return ""
    eerste = min([start] + [d for d, _ in metingen])
    laatste = max([einde] + [d for d, _ in metingen])
    dagen = max((laatste - eerste).days, 1)
    laag, hoog, stap = _bereik(waarden)

    def x(d):
        return round(LINKS + (BREEDTE - LINKS - RECHTS) * (d - eerste).days / dagen, 1)

    def y(w):
        return round(ONDER - (ONDER - BOVEN) * (float(w) - laag) / (hoog - laag), 1)

    tekst = omschrijving(metingen, nulmeting=nulmeting, streefwaarde=streefwaarde, start=start, einde=einde,
                         eenheid=eenheid)
    delen = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="grafiek grafiek--lijn" viewBox="0 0 {b} {h}" width="{b}"'
            ' height="{h}" role="img" aria-labelledby="{p}-titel" aria-describedby="{p}-omschrijving">'
            '<title id="{p}-titel">{t}</title><desc id="{p}-omschrijving">{o}</desc>',
            b=BREEDTE, h=HOOGTE, p=id_prefix, t=titel, o=tekst,
        )
    ]
    # Horizontal grid with the values on the left.
    aantal = round((hoog - laag) / stap)
    for i in range(aantal + 1):
        waarde = laag + i * stap
        delen.append(format_html(
            '<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{k}" stroke-width="1"/>'
            '<text x="{t}" y="{ty}" font-size="12" text-anchor="end" fill="{c}">{w}</text>',
            a=LINKS, b=BREEDTE - RECHTS, y=y(waarde), k=KLEUR_RASTER, t=LINKS - 6, ty=y(waarde) + 4,
            c=KLEUR_TEKST, w=getal(Decimal(str(round(waarde, 2)))),
        ))
    # Time axis with a tick on 1 January of every year in range.
    delen.append(format_html(
        '<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{k}" stroke-width="1.5"/>',
        a=LINKS, b=BREEDTE - RECHTS, y=ONDER, k=KLEUR_AS,
    ))
    for jaar in range(eerste.year, laatste.year + 1):
        d = max(datetime.date(jaar, 1, 1), eerste)
        delen.append(format_html(
            '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{k}" stroke-width="1.5"/>'
            '<text x="{x}" y="{ty}" font-size="12" text-anchor="{anker}" fill="{c}">{j}</text>',
            x=x(d), y1=ONDER, y2=ONDER + 5, k=KLEUR_AS, ty=ONDER + 19, c=KLEUR_TEKST, j=jaar,
            anker="start" if d == eerste else "middle",
        ))
    # The intended course: from the nulmeting at the start to the streefwaarde at the end.
    if nulmeting is not None and streefwaarde is not None:
        delen.append(format_html(
            '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{k}" stroke-width="2" stroke-dasharray="7 5"/>',
            x1=x(start), y1=y(nulmeting), x2=x(einde), y2=y(streefwaarde), k=KLEUR_DOEL,
        ))
    # Nulmeting and streefwaarde as markers; their values are named in the legend, not in the plot.
    if nulmeting is not None:
        delen.append(format_html(
            '<rect x="{x}" y="{y}" width="10" height="10" fill="{k}"/>',
            x=x(start) - 5, y=y(nulmeting) - 5, k=KLEUR_DOEL,
        ))
    if streefwaarde is not None:
        sx, sy = x(einde), y(streefwaarde)
        delen.append(format_html(
            '<path d="M {x} {a} L {r} {y} L {x} {b} L {l} {y} Z" fill="#ffffff" stroke="{k}" stroke-width="2"/>',
            x=sx, y=sy, a=sy - 7, b=sy + 7, l=sx - 7, r=sx + 7, k=KLEUR_DOEL,
        ))
    # The metingen: a line through them, a dot per meting and its value above it.
    if len(metingen) > 1:
        punten = " ".join(f"{x(d)},{y(w)}" for d, w in metingen)
        delen.append(format_html(
            '<polyline points="{p}" fill="none" stroke="{k}" stroke-width="2.5" stroke-linejoin="round"/>',
            p=punten, k=KLEUR_METING,
        ))
    for i, (d, w) in enumerate(metingen):
        delen.append(format_html(
            '<circle cx="{x}" cy="{y}" r="4.5" fill="{k}" stroke="#ffffff" stroke-width="1.5"/>',
            x=x(d), y=y(w), k=KLEUR_METING,
        ))
        if len(metingen) <= MAX_LABELS or i == len(metingen) - 1:
            delen.append(format_html(
                '<text x="{x}" y="{y}" font-size="12" font-weight="bold" text-anchor="middle" fill="{k}">{w}</text>',
                x=x(d), y=y(w) - 9 if y(w) - 9 > 12 else y(w) + 20, k=KLEUR_METING, w=getal(w),
            ))
    # Legend: line style and marker shape, not only colour; with the values of nulmeting and streefwaarde.
    ly = ONDER + 44
    achter = f" {eenheid}" if eenheid else ""
    delen.append(format_html(
        '<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{k}" stroke-width="2.5"/>'
        '<circle cx="{m}" cy="{y}" r="4.5" fill="{k}"/>'
        '<text x="{t}" y="{ty}" font-size="12" fill="{c}">Metingen</text>',
        a=LINKS, b=LINKS + 30, m=LINKS + 15, y=ly, k=KLEUR_METING, t=LINKS + 38, ty=ly + 4, c=KLEUR_TEKST,
    ))
    if nulmeting is not None and streefwaarde is not None:
        delen.append(format_html(
            '<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{k}" stroke-width="2" stroke-dasharray="7 5"/>'
            '<text x="{t}" y="{ty}" font-size="12" fill="{c}">Van nulmeting naar streefwaarde</text>',
            a=LINKS + 130, b=LINKS + 160, y=ly, k=KLEUR_DOEL, t=LINKS + 168, ty=ly + 4, c=KLEUR_TEKST,
        ))
    ly += 24
    if nulmeting is not None:
        delen.append(format_html(
            '<rect x="{x}" y="{y}" width="10" height="10" fill="{k}"/>'
            '<text x="{t}" y="{ty}" font-size="12" fill="{c}">Nulmeting {w}{e} ({d})</text>',
            x=LINKS + 10, y=ly - 5, k=KLEUR_DOEL, t=LINKS + 38, ty=ly + 4, c=KLEUR_TEKST,
            w=getal(nulmeting), e=achter, d=datum(start),
        ))
    if streefwaarde is not None:
        ly += 22
        lx = LINKS + 15
        delen.append(format_html(
            '<path d="M {x} {a} L {r} {y} L {x} {b} L {l} {y} Z" fill="#ffffff" stroke="{k}" stroke-width="2"/>'
            '<text x="{t}" y="{ty}" font-size="12" fill="{c}">Streefwaarde {w}{e} ({d})</text>',
            x=lx, y=ly, a=ly - 7, b=ly + 7, l=lx - 7, r=lx + 7, k=KLEUR_DOEL, t=LINKS + 38, ty=ly + 4,
            c=KLEUR_TEKST, w=getal(streefwaarde), e=achter, d=datum(einde),
        ))
    delen.append(mark_safe("</svg>"))
    return mark_safe("".join(delen))
