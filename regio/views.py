"""Public pages: thin views over regio.cijfers (the figures) and regio.kaart (the SVG)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import cijfers, kaart
from .aantallen import Aantal
from .export import FORMATEN, Tabel, als_bestand
from .models import Doorstroompuntregio, Gemeente, MboInstelling


def home(request):
    context = {"dagen_tot_deadline": cijfers.dagen_tot_deadline(), "deadline": cijfers.DEADLINE}
    return render(request, "home.html", context)


def regio_lijst(request):
    return render(request, "regio/regio_lijst.html", {"overzicht": cijfers.regio_overzicht()})


def regio_detail(request, nummer):
    regio = get_object_or_404(Doorstroompuntregio.objects.select_related("contactgemeente"), nummer=nummer)
    c = cijfers.regio_cijfers(regio)
    grafiek = None
    if c.verdeling is not None:
        rijen = [
            (f"Deze regio ({c.woon_peiljaar})", [(d.sleutel, d.letter, d.fractie) for d in c.verdeling.delen]),
            ("Vuistregel", [(s, letter, vuist / 100) for letter, _, vuist, s in cijfers.vuistregel_delen()]),
        ]
        beschrijving = "; ".join(f"{d.letter}: {d.naam.lower()} {d.procent}" for d in c.verdeling.delen)
        grafiek = kaart.verdeling_svg(
            rijen,
            titel=f"Waar wonen de studenten van de instellingen in regio {regio.naam}, vergeleken met de vuistregel",
            omschrijving=f"Deze regio: {beschrijving}. Vuistregel: a 30%, b 40%, c 30%. "
            "De getallen staan ook in de tabel hieronder.",
        )
    elif c.schatting is not None:
        vuistregel = [(s, letter, vuist / 100) for letter, _, vuist, s in cijfers.vuistregel_delen()]
        grafiek = kaart.verdeling_svg(
            [("Schatting (vuistregel)", vuistregel)],
            titel="Schatting volgens de vuistregel: 30% in de vestigingsgemeente, 40% elders in de regio, "
            "30% buiten de regio",
            omschrijving="Geen telling: dit is de landelijke vuistregel, geen gegeven over deze regio.",
        )
    context = {
        "regio": regio,
        "c": c,
        "grafiek": grafiek,
        "kaart": kaart.kaart_svg(markeer_regio=regio),
        "vuistregel": cijfers.vuistregel_delen(),
        "vuistregel_bron": cijfers.VUISTREGEL_BRON,
    }
    return render(request, "regio/regio_detail.html", context)


# --- downloads of the region page: the counts its tables show, as CSV or Excel -------------------


def datasets_tekst(datasets):
    """The datasets with their status, for a column of an export (a file travels without its page)."""
    return "; ".join(
        f"{d.get_soort_display()}{f' {d.peiljaar}' if d.peiljaar else ''}: {d.get_status_display().lower()}"
        for d in datasets
    )


def _met_jaar(tekst, jaar):
    return f"{tekst} {jaar}" if jaar else tekst


def _koppen(kop):
    return [f"{kop}, minimaal", f"{kop}, maximaal"]


def _bereik(aantal):
    """An Aantal as two numeric columns, lowest and highest possible: a suppressed part is never 0."""
    if aantal is None:
        return [None, None]
    return [aantal.ondergrens, aantal.bovengrens]


def _regio_cijfers_of_404(nummer, formaat):
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    regio = get_object_or_404(Doorstroompuntregio.objects.select_related("contactgemeente"), nummer=nummer)
    return regio, cijfers.regio_cijfers(regio)


def regio_export_instellingen(request, nummer, formaat):
    """Per instelling of the region: its students and where they live (a/b/c), as on the region page."""
    regio, c = _regio_cijfers_of_404(nummer, formaat)
    studenten = _met_jaar("Studenten", c.studenten_peiljaar)
    woon = _met_jaar("Woonplaats", c.woon_peiljaar)
    kolommen = (
        ["Instelling", "Instellingscode", "Vestigingsgemeente", "Ook aanwezig in"]
        + _koppen(studenten)
        + ["Gemeente voor (a)"]
        + _koppen(f"{woon}: a. in de vestigingsgemeente")
        + _koppen(f"{woon}: b. elders in de regio")
        + _koppen(f"{woon}: a+b. in de regio")
        + _koppen(f"{woon}: c. buiten de regio")
        + _koppen(f"{woon}: totaal")
        + ["Gegevens en status"]
    )
    status = datasets_tekst(c.studenten_datasets + c.woon_datasets)
    rijen = []
    for rij in c.instellingen:
        v = rij.verdeling
        referentie = ""
        if rij.referentie is not None:
            referentie = rij.referentie.naam + (
                " (vervanging: contactgemeente)" if rij.referentie_is_vervanging else ""
            )
        berekenbaar = v is not None and v.vestiging_berekenbaar
        rijen.append(
            [
                rij.instelling.naam,
                rij.instelling.instellingscode or "",
                rij.instelling.vestigingsgemeente.naam if rij.instelling.vestigingsgemeente else "",
                ", ".join(r.naam for r in rij.andere_regios),
            ]
            + _bereik(rij.studenten)
            + [referentie if v is not None else ""]
            + _bereik(v.vestiging if berekenbaar else None)
            + _bereik(v.regio if berekenbaar else None)
            + _bereik(v.in_regio if v is not None else None)
            + _bereik(v.buiten if v is not None else None)
            + _bereik(v.totaal if v is not None else None)
            + [status]
        )
    return als_bestand(Tabel(f"Studenten per instelling regio {regio.nummer}", kolommen, rijen), formaat)


def regio_export_gemeenten(request, nummer, formaat):
    """Per gemeente: its inwoners and the students of the region's instellingen living there, also outside."""
    regio, c = _regio_cijfers_of_404(nummer, formaat)
    kolommen = (
        ["Gemeente", "CBS-code", "Regio", "In deze regio", "Contactgemeente", "Inwoners", "Peiljaar inwoners"]
        + _koppen(_met_jaar("Studenten van de instellingen in de regio die hier wonen", c.woon_peiljaar))
        + ["Gegevens en status"]
    )
    status = datasets_tekst(c.datasets)
    rijen = []
    for g in c.gemeenten:
        # With counts loaded, a gemeente without a row has 0 students of these instellingen (as the page shows).
        studenten = g.studenten if g.studenten is not None or c.woon_peiljaar is None else Aantal()
        rijen.append(
            [g.gemeente.naam, g.gemeente.code, regio.naam, True, g.is_contactgemeente, g.inwoners, g.inwoners_peiljaar]
            + _bereik(studenten)
            + [status]
        )
    for g in c.alle_buiten:
        rijen.append(
            [g["naam"], g["code"], g["regio_naam"] or "geen regio", False, None, None, None]
            + _bereik(g["aantal"])
            + [status]
        )
    return als_bestand(Tabel(f"Studenten per gemeente regio {regio.nummer}", kolommen, rijen), formaat)


def gemeente_detail(request, code):
    code = code.upper()
    if len(code) != 6 or not code.startswith("GM"):
        raise Http404("Geen CBS-gemeentecode")
    gemeente = get_object_or_404(Gemeente.objects.select_related("regio__contactgemeente"), code=code)
    return render(request, "regio/gemeente_detail.html", {"c": cijfers.gemeente_cijfers(gemeente)})


def instelling_detail(request, pk):
    instelling = get_object_or_404(MboInstelling.objects.select_related("vestigingsgemeente__regio"), pk=pk)
    return render(
        request,
        "regio/instelling_detail.html",
        {"c": cijfers.instelling_cijfers(instelling), "leerwegen": cijfers.LEERWEGEN},
    )


def bronnen(request):
    return render(request, "regio/bronnen.html", {"datasets": cijfers.alle_datasets(), "attributie": kaart.ATTRIBUTIE})
