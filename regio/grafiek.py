"""Server-drawn SVG bar charts for counts that may be ranges (suppressed parts: regio.aantallen.Aantal).

A bar is solid up to the lowest possible count; when the count is a range, a white box with a dashed
outline runs on to the highest possible count, so a suppressed part is never drawn as 0 or as a guess.
Each bar has its label above it and its count as text behind it: the chart never carries a number
on its own, and the same numbers must be in a table next to it.

No style attributes (a strict Content-Security-Policy blocks them): presentation attributes only.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.html import format_html
from django.utils.safestring import mark_safe

BREEDTE = 640
WAARDE_RUIMTE = 120  # right of the longest bar, for its count as text
LABEL_HOOGTE = 18
BALK_HOOGTE = 20
RIJ_HOOGTE = 50
MARGE = 6

KLEUR_BALK = "#154273"  # 11:1 on white
KLEUR_TEKST = "#1a1a1a"
KLEUR_BEREIK_RAND = "#154273"


@dataclass(frozen=True)
class Staaf:
    label: str
    laag: int  # lowest possible count
    hoog: int  # highest possible count (= laag when exact)
    tekst: str  # the count as the page writes it, e.g. "1.204–1.216"


def kort(waarde):
    """A coordinate with at most one decimal and no trailing zeros: 12.5, 40."""
    return f"{float(waarde):.1f}".rstrip("0").rstrip(".")


def svg_begin(breedte, hoogte, titel, omschrijving, id_prefix):
    """The opening <svg> of a chart: an image named by its title and described by its description."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" viewBox="0 0 {b} {h}" width="{b}" height="{h}"'
        ' role="img" aria-labelledby="{p}-titel" aria-describedby="{p}-omschrijving">'
        '<title id="{p}-titel">{t}</title><desc id="{p}-omschrijving">{o}</desc>',
        b=breedte,
        h=hoogte,
        p=id_prefix,
        t=titel,
        o=omschrijving,
    )


def staven_svg(staven, titel, omschrijving, id_prefix="staven"):
    """Safe SVG markup: one horizontal bar per Staaf, scaled to the largest `hoog`."""
    hoogte = len(staven) * RIJ_HOOGTE + MARGE
    delen = [svg_begin(BREEDTE, hoogte, titel, omschrijving, id_prefix)]
    grootste = max((s.hoog for s in staven), default=0)
    ruimte = BREEDTE - WAARDE_RUIMTE
    schaal = Fraction(ruimte, grootste) if grootste else Fraction(0)
    for i, staaf in enumerate(staven):
        y = MARGE + i * RIJ_HOOGTE
        delen.append(
            format_html(
                '<text x="0" y="{y}" font-size="14" fill="{c}">{label}</text>',
                y=y + LABEL_HOOGTE - 4,
                c=KLEUR_TEKST,
                label=staaf.label,
            )
        )
        balk_y = y + LABEL_HOOGTE
        laag = staaf.laag * schaal
        hoog = staaf.hoog * schaal
        if laag > 0:
            delen.append(
                format_html(
                    '<rect x="0" y="{y}" width="{w}" height="{h}" fill="{f}"/>',
                    y=balk_y,
                    w=kort(laag),
                    h=BALK_HOOGTE,
                    f=KLEUR_BALK,
                )
            )
        if hoog > laag:
            # The range: what the suppressed parts may add (each 1 to 4).
            delen.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#ffffff" stroke="{s}" stroke-width="1.5"'
                    ' stroke-dasharray="4 2"/>',
                    x=kort(laag),
                    y=balk_y + 1,
                    w=kort(max(hoog - laag, Fraction(2))),
                    h=BALK_HOOGTE - 2,
                    s=KLEUR_BEREIK_RAND,
                )
            )
        delen.append(
            format_html(
                '<text x="{x}" y="{y}" font-size="13" fill="{c}">{t}</text>',
                x=kort(max(hoog, laag) + MARGE),
                y=balk_y + BALK_HOOGTE - 5,
                c=KLEUR_TEKST,
                t=staaf.tekst,
            )
        )
    delen.append(mark_safe("</svg>"))
    return mark_safe("".join(delen))
