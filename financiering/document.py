"""The financing chapter of the agreement's document (registered with afspraken.document from ready()).

It shows what the financing page shows, computed by the same code (berekening and the page's tables).
"""

from afspraken import document

from . import berekening
from .formulieren import SYSTEMATIEK
from .models import Geldstroom
from .onderdelen import BEKOSTIGING, GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL
from .verdeling import naar_centen
from .views import _groeptabellen, _partijtabel


def financiering_context(afspraak, gegevens):
    kosten = berekening.kostenoverzicht(afspraak, gegevens)
    stromen = berekening.geldstromen(gegevens)
    uitkomst = berekening.bereken(afspraak, gegevens)
    bekend = [s for s in stromen if s.bedrag_per_jaar is not None]
    return {
        "kosten": kosten,
        "geldstromen": stromen,
        "geldstromen_totaal": sum(naar_centen(s.bedrag_per_jaar) for s in bekend),
        "geldstromen_zonder_bedrag": len(stromen) - len(bekend),
        "aantal_structureel": sum(1 for s in stromen if s.duur == Geldstroom.Duur.STRUCTUREEL),
        "systematiek": dict(SYSTEMATIEK).get(gegevens.antwoord(BEKOSTIGING, "systematiek"), ""),
        "systematiek_toelichting": gegevens.antwoord(BEKOSTIGING, "toelichting") or "",
        "berekening": uitkomst,
        "groeptabellen": _groeptabellen(uitkomst.verdeling) if uitkomst.ok else [],
        "partijtabel": _partijtabel(uitkomst.verdeling) if uitkomst.ok else None,
        "inhoudsopgave": [
            ("document-kosten-kop", "Kostenposten"),
            ("document-geldstromen-kop", "Geldstromen"),
            ("document-bekostiging-kop", "Bekostigingssystematiek"),
            ("document-verdeling-kop", "Verdeling per partij"),
        ],
    }


def registreer_delen():
    document.registreer(
        document.Documentdeel(
            "financiering", "Financiering", 400, "document/financiering.html", financiering_context,
            (KOSTENPOSTEN, GELDSTROMEN, VERDEELSLEUTEL),
        )
    )
