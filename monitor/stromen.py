"""Public page on student flows between regions, and its table as CSV or Excel (monitor/stromen_cijfers.py)."""

from django.http import Http404
from django.shortcuts import render

from regio import grafiek
from regio.export import FORMATEN, Tabel, als_bestand
from regio.views import datasets_tekst

from .adressen import adresmaker
from .stromen_cijfers import stromen


def _grafiek(s):
    staven = [
        grafiek.Staaf(
            f"{stroom.van_naam} → {stroom.naar.naam}",
            stroom.aantal.ondergrens,
            stroom.aantal.bovengrens,
            str(stroom.aantal),
        )
        for stroom in s.top
    ]
    if not staven:
        return None
    return grafiek.staven_svg(
        staven,
        titel=f"De {len(staven)} grootste studentenstromen tussen regio's, {s.peiljaar}",
        omschrijving=(
            "Per stroom het aantal studenten dat in de eerste regio woont en bij een instelling in de tweede regio "
            "studeert. Een gestippeld vak is een bereik: de bron noemt aantallen van 1 tot 4 niet. "
            "De getallen staan ook in de tabel onder de grafiek."
        ),
        id_prefix="stromen-grafiek",
    )


def pagina(request):
    s = stromen()
    # Every region object on the page (woonregio, study regions, destinations) is one of s.regios.
    adres = adresmaker("regio_detail")
    for regio in s.regios:
        regio.adres = adres(regio.nummer)
    grafiek_svg = _grafiek(s) if s.heeft_gegevens else None
    return render(request, "monitor/stromen.html", {"s": s, "grafiek": grafiek_svg})


def export(request, formaat):
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    s = stromen()
    status = datasets_tekst(s.datasets)
    rijen = [
        [
            stroom.van.nummer if stroom.van else None,
            stroom.van_naam,
            stroom.naar.nummers,
            stroom.naar.naam,
            s.peiljaar,
            stroom.aantal.ondergrens,
            stroom.aantal.bovengrens,
            status,
        ]
        for stroom in s.stromen
    ]
    tabel = Tabel(
        titel=f"Studentenstromen {s.peiljaar}" if s.peiljaar else "Studentenstromen",
        kolommen=[
            "Woonregio (nummer)",
            "Woonregio",
            "Regio('s) van de instelling (nummer)",
            "Regio('s) van de instelling",
            "Peiljaar",
            "Studenten, minimaal",
            "Studenten, maximaal",
            "Gegevens en status",
        ],
        rijen=rijen,
    )
    return als_bestand(tabel, formaat)
