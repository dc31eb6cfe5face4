"""What the financing page and the financing chapter of the PDF both show, computed once in one place."""

from . import berekening
from .formulieren import SYSTEMATIEK
from .models import Geldstroom
from .onderdelen import BEKOSTIGING
from .verdeling import naar_centen


def financieringscijfers(afspraak, gegevens):
    kosten = berekening.kostenoverzicht(afspraak, gegevens)
    stromen = berekening.geldstromen(gegevens)
    uitkomst = berekening.bereken(afspraak, gegevens)
    bekend = [g for g in stromen if g.bedrag_per_jaar is not None]
    return {
        "kosten": kosten,
        "geldstromen": stromen,
        "geldstromen_totaal": sum(naar_centen(g.bedrag_per_jaar) for g in bekend),
        "geldstromen_zonder_bedrag": len(stromen) - len(bekend),
        "aantal_structureel": sum(1 for g in stromen if g.duur == Geldstroom.Duur.STRUCTUREEL),
        "systematiek": dict(SYSTEMATIEK).get(gegevens.antwoord(BEKOSTIGING, "systematiek"), ""),
        "systematiek_toelichting": gegevens.antwoord(BEKOSTIGING, "toelichting") or "",
        "berekening": uitkomst,
        "groeptabellen": berekening.groeptabellen(uitkomst.verdeling) if uitkomst.ok else [],
        "partijtabel": berekening.partijtabel(uitkomst.verdeling) if uitkomst.ok else None,
    }
