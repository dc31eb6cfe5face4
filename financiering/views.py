"""The financing page of an agreement: kostenposten, geldstromen, bekostiging and the verdeling per party."""

from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.shortcuts import render

from afspraken import secties as sectiemodule
from afspraken.models import Fase
from afspraken.rechten import afspraak_of_404, mag_bewerken
from afspraken.toetsing import Toetsgegevens
from audit import log
from regio.export import FORMATEN, Tabel, als_bestand

from . import verdeling as kern
from .onderdelen import BEKOSTIGING, GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL
from .overzicht import financieringscijfers


def overzicht(request, pk):
    afspraak = afspraak_of_404(request, pk)
    gegevens = Toetsgegevens(afspraak)
    context = {
        "afspraak": afspraak,
        "fasen": list(Fase),
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        **financieringscijfers(afspraak, gegevens),
        "links": {
            naam: sectiemodule.definitie(sleutel).url(afspraak)
            for naam, sleutel in (
                ("kostenposten", KOSTENPOSTEN),
                ("geldstromen", GELDSTROMEN),
                ("bekostiging", BEKOSTIGING),
                ("verdeelsleutel", VERDEELSLEUTEL),
            )
        },
    }
    return render(request, "financiering/overzicht.html", context)


# --- the verdeling as CSV or Excel: the tables of the page's "Verdeling per partij", nothing else ----------


def _euro(centen):
    return None if centen is None else kern.uit_centen(centen)


def _procent(breuk):
    """A share as a number of percent with two decimals, rounded as the page rounds it (47,77%)."""
    if breuk is None:
        return None
    waarde = Decimal(breuk.numerator) / Decimal(breuk.denominator) * 100
    return waarde.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _groeptitel(groep):
    """The caption of a group's table on the page."""
    tekst = f"{groep.naam}: "
    if groep.aandeel is not None:
        tekst += f"{kern.procent(groep.aandeel)} van de kosten, "
    tekst += groep.methode_tekst
    if groep.bedrag_per_student:
        tekst += f" ({kern.euro(groep.bedrag_per_student)} per student per jaar)"
    if groep.peiljaar:
        tekst += f", peiljaar {groep.peiljaar}"
    return tekst


def verdeling_rijen(cijfers, jaren):
    """The rows of the export: per party, then per group with the weights; or why there is no verdeling."""
    berekening = cijfers["berekening"]
    leeg = [None] * (len(jaren) + 1)
    if berekening.geen_sleutel:
        return [["Geen verdeling", "Er is nog geen verdeelsleutel.", "", None, *leeg]]
    if not berekening.ok:
        return [["De verdeling kan niet worden berekend", fout, "", None, *leeg] for fout in berekening.fouten] + [
            ["Melding", melding, "", None, *leeg] for melding in berekening.meldingen
        ]
    rijen = []
    tabel = cijfers["partijtabel"]
    onderdeel = "Bijdrage per partij"
    for r in tabel["rijen"]:
        rijen.append([onderdeel, r["naam"], "", None, *map(_euro, r["bedragen"]), _euro(r["totaal"])])
    rijen.append([onderdeel, "Totaal", "", None, *map(_euro, tabel["totalen"]), _euro(tabel["totaal"])])
    rijen.append([onderdeel, "Te verdelen kosten", "", None, *map(_euro, tabel["te_verdelen"]), None])
    if tabel["heeft_ongedekt"]:
        rijen.append([onderdeel, "Nog niet verdeeld", "", None, *map(_euro, tabel["ongedekt"]), None])
    for t in cijfers["groeptabellen"]:
        titel = _groeptitel(t["groep"])
        for r in t["rijen"]:
            gewicht = r["gewicht"]
            rijen.append(
                [
                    titel,
                    gewicht.naam,
                    gewicht.toelichting + (" (schatting)" if gewicht.schatting else ""),
                    _procent(gewicht.aandeel),
                    *map(_euro, r["bedragen"]),
                    _euro(r["totaal"]),
                ]
            )
        rijen.append([titel, f"Totaal {t['groep'].naam}", "", None, *map(_euro, t["totalen"]), _euro(t["totaal"])])
    for bron in berekening.bronnen:
        rijen.append(["Gegevens van de gewichten", bron, "", None, *leeg])
    for melding in berekening.meldingen:
        rijen.append(["Melding", melding, "", None, *leeg])
    return rijen


def verdeling_export(request, pk, formaat):
    afspraak = afspraak_of_404(request, pk)
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    cijfers = financieringscijfers(afspraak, Toetsgegevens(afspraak))
    berekening = cijfers["berekening"]
    jaren = berekening.verdeling.jaren if berekening.ok else afspraak.looptijd_jaren
    tabel = Tabel(
        titel=f"Verdeling {afspraak.regio.naam} versie {afspraak.versie}",
        kolommen=["Onderdeel", "Partij", "Gewicht", "Deel binnen de groep (%)"]
        + [f"{jaar} (euro)" for jaar in jaren]
        + ["Totaal looptijd (euro)"],
        rijen=verdeling_rijen(cijfers, jaren),
    )
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=afspraak, soort="verdeling", formaat=formaat)
    antwoord = als_bestand(tabel, formaat)
    antwoord["Cache-Control"] = "private, no-store"
    return antwoord
