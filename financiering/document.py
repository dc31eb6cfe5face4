"""The financing chapter of the agreement's document (registered with afspraken.document from ready()).

It shows what the financing page shows, computed by the same code (financiering.overzicht).
"""

from afspraken import document

from .onderdelen import GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL
from .overzicht import financieringscijfers


def financiering_context(afspraak, gegevens):
    return {
        **financieringscijfers(afspraak, gegevens),
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
