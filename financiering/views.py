"""The financing page of an agreement: kostenposten, geldstromen, bekostiging and the verdeling per party."""

from django.shortcuts import render

from afspraken import secties as sectiemodule
from afspraken.models import Fase
from afspraken.rechten import afspraak_of_404, mag_bewerken
from afspraken.toetsing import Toetsgegevens

from . import berekening
from .formulieren import SYSTEMATIEK
from .models import Geldstroom
from .onderdelen import BEKOSTIGING, GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL
from .verdeling import naar_centen


def _groeptabellen(verdeling):
    tabellen = []
    for groep in verdeling.groepen:
        rijen = []
        for gewicht in groep.gewichten:
            bedragen = [groep.bedragen[j].get(gewicht.sleutel, 0) for j in verdeling.jaren]
            rijen.append({"gewicht": gewicht, "bedragen": bedragen, "totaal": sum(bedragen)})
        totalen = [groep.totaal[j] for j in verdeling.jaren]
        tabellen.append({"groep": groep, "rijen": rijen, "totalen": totalen, "totaal": sum(totalen)})
    return tabellen


def _partijtabel(verdeling):
    rijen = []
    for sleutel in verdeling.partijen:
        bedragen = [verdeling.per_partij[sleutel][j] for j in verdeling.jaren]
        rijen.append({"naam": verdeling.namen[sleutel], "bedragen": bedragen, "totaal": sum(bedragen)})
    totalen = [verdeling.totaal[j] for j in verdeling.jaren]
    return {
        "rijen": rijen,
        "totalen": totalen,
        "totaal": sum(totalen),
        "te_verdelen": [verdeling.te_verdelen[j] for j in verdeling.jaren],
        "ongedekt": [verdeling.ongedekt[j] for j in verdeling.jaren],
        "heeft_ongedekt": any(verdeling.ongedekt[j] for j in verdeling.jaren),
    }


def overzicht(request, pk):
    afspraak = afspraak_of_404(request, pk)
    gegevens = Toetsgegevens(afspraak)
    kosten = berekening.kostenoverzicht(afspraak, gegevens)
    stromen = berekening.geldstromen(gegevens)
    uitkomst = berekening.bereken(afspraak, gegevens)
    bekend = [g for g in stromen if g.bedrag_per_jaar is not None]
    systematiek = gegevens.antwoord(BEKOSTIGING, "systematiek")
    context = {
        "afspraak": afspraak,
        "fasen": list(Fase),
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        "kosten": kosten,
        "geldstromen": stromen,
        "geldstromen_totaal": sum(naar_centen(g.bedrag_per_jaar) for g in bekend),
        "geldstromen_zonder_bedrag": len(stromen) - len(bekend),
        "aantal_structureel": sum(1 for g in stromen if g.duur == Geldstroom.Duur.STRUCTUREEL),
        "systematiek": dict(SYSTEMATIEK).get(systematiek, ""),
        "systematiek_toelichting": gegevens.antwoord(BEKOSTIGING, "toelichting") or "",
        "berekening": uitkomst,
        "groeptabellen": _groeptabellen(uitkomst.verdeling) if uitkomst.ok else [],
        "partijtabel": _partijtabel(uitkomst.verdeling) if uitkomst.ok else None,
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
