"""Every table of a web page stands in a box of its own that scrolls sideways, which the keyboard can reach and a
screen reader names: on a phone (320 px, WCAG 1.4.10) a wide table scrolls there instead of the whole page, and a
box without links or fields in it is reachable with Tab (WCAG 2.1.1). tests/browser/test_smal_scherm_browser.py
checks the pages of a filled agreement in Chromium; this checks every template, also pages that test does not open.
"""

import re
from pathlib import Path

from django.conf import settings

SJABLONEN = Path(settings.BASE_DIR) / "templates"

# Each with the reason it needs no such box.
UITZONDERINGEN = {
    # Rendered only into the annual PDF report, whose pages have a fixed width (afspraken.monitoring).
    "document/monitoringsrapport.html": "alleen pdf",
    # A form: every row has a checkbox and a field, which are the keyboard's stops inside its scrolling box.
    "financiering/secties/_partijkeuze.html": "formulier",
}

KADER = re.compile(r'<div class="tabel-wrapper"([^>]*)>')


def _open_kader(tekst, positie):
    """The attributes of the innermost wrapper still open at `positie`, or None."""
    open_kaders = []  # per open <div>: its attributes when it is a wrapper, else None
    for m in re.finditer(KADER.pattern + r"|<div\b|</div>", tekst[:positie]):
        if m.group(0) == "</div>":
            if open_kaders:
                open_kaders.pop()
        else:
            open_kaders.append(m.group(1))
    for attributen in reversed(open_kaders):
        if attributen is not None:
            return attributen
    return None


def _gebreken(tekst):
    gebreken = []
    for tabel in re.finditer(r"<table\b", tekst):
        regel = tekst.count("\n", 0, tabel.start()) + 1
        attributen = _open_kader(tekst, tabel.start())
        if attributen is None:
            gebreken.append(f"regel {regel}: tabel zonder kader")
            continue
        ontbreekt = [
            naam for naam, patroon in (
                ('tabindex="0"', r'\btabindex="0"'), ('role="region"', r'\brole="region"'),
                ("aria-labelledby of aria-label", r'\baria-label(?:ledby)?="[^"]+"'),
            ) if not re.search(patroon, attributen)
        ]
        if ontbreekt:
            gebreken.append(f"regel {regel}: kader zonder {', '.join(ontbreekt)}")
    return gebreken


def test_elke_tabel_staat_in_een_kader_dat_het_toetsenbord_bereikt():
    gevonden = {}
    for pad in sorted(SJABLONEN.rglob("*.html")):
        naam = pad.relative_to(SJABLONEN).as_posix()
        if naam in UITZONDERINGEN or naam.startswith("admin/"):
            continue
        gebreken = _gebreken(pad.read_text(encoding="utf-8"))
        if gebreken:
            gevonden[naam] = gebreken
    assert gevonden == {}


def test_de_controle_ziet_een_tabel_zonder_kader_en_een_kader_zonder_naam():
    assert _gebreken("<table></table>") == ["regel 1: tabel zonder kader"]
    assert _gebreken('<div class="tabel-wrapper">\n<table></table></div>') == [
        'regel 2: kader zonder tabindex="0", role="region", aria-labelledby of aria-label'
    ]
    # A wrapper that was closed before the table does not count.
    assert _gebreken('<div class="tabel-wrapper" tabindex="0" role="region" aria-label="x"></div><table>') == [
        "regel 1: tabel zonder kader"
    ]
    goed = '<div class="tabel-wrapper" tabindex="0" role="region" aria-labelledby="t">\n<div>\n</div>\n<table>'
    assert _gebreken(goed) == []


def test_de_uitzonderingen_bestaan_nog():
    for naam in UITZONDERINGEN:
        assert (SJABLONEN / naam).exists(), naam
