"""Public pages: thin views over regio.cijfers (the figures) and regio.kaart (the SVG)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import cijfers, kaart
from .models import Doorstroompuntregio, Gemeente, MboInstelling


def home(request):
    dagen = cijfers.dagen_tot_deadline()
    return render(request, "home.html", {"dagen_tot_deadline": dagen, "deadline": cijfers.DEADLINE})


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
        grafiek = kaart.verdeling_svg(
            [("Schatting (vuistregel)", [(s, letter, vuist / 100) for letter, _, vuist, s in cijfers.vuistregel_delen()])],
            titel="Schatting volgens de vuistregel: 30% in de vestigingsgemeente, 40% elders in de regio, 30% buiten de regio",
            omschrijving="Geen telling: dit is de landelijke vuistregel, geen gegeven over deze regio.",
        )
    return render(
        request,
        "regio/regio_detail.html",
        {
            "regio": regio,
            "c": c,
            "grafiek": grafiek,
            "kaart": kaart.kaart_svg(markeer_regio=regio),
            "vuistregel": cijfers.vuistregel_delen(),
            "vuistregel_bron": cijfers.VUISTREGEL_BRON,
        },
    )


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
