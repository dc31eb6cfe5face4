"""The financing page of an agreement: kostenposten, geldstromen, bekostiging and the verdeling per party."""

from django.shortcuts import render

from afspraken import secties as sectiemodule
from afspraken.models import Fase
from afspraken.rechten import afspraak_of_404, mag_bewerken
from afspraken.toetsing import Toetsgegevens

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
