"""The aanbod chapters of the agreement's document (registered with afspraken.document from ready())."""

from afspraken import document

from . import gegevens as g
from .onderdelen import SLEUTEL_AANBOD, SLEUTEL_PERSONELE_INZET, SLEUTEL_WARME_OVERDRACHT


def aanbod_context(afspraak, gegevens):
    niveaus = g.niveaus(gegevens)
    rijen = g.aanbod_volledig(afspraak)
    per_niveau = g.per_niveau(rijen)
    kolommen = [{"niveau": n, "aanbod": per_niveau.get(n.nummer, [])} for n in niveaus]
    ontbrekend = g.ontbrekende_minimumniveaus(rijen, niveaus)
    return {
        "kolommen": kolommen,
        "aantal": len(rijen),
        "ontbrekend_tekst": g.niveaus_als_tekst(ontbrekend),
    }


def personele_inzet_context(afspraak, gegevens):
    return {"personele_inzet": g.personele_inzet(afspraak, gegevens)}


def warme_overdracht_context(afspraak, gegevens):
    return {"warme_overdrachten": g.warme_overdrachten(afspraak, gegevens)}


def registreer_delen():
    document.registreer(
        document.Documentdeel(
            "aanbod", "Aanbod op het continuüm", 300, "document/aanbod.html", aanbod_context, (SLEUTEL_AANBOD,)
        )
    )
    document.registreer(
        document.Documentdeel(
            "personele-inzet", "Personele inzet", 310, "document/personele_inzet.html", personele_inzet_context,
            (SLEUTEL_PERSONELE_INZET,),
        )
    )
    document.registreer(
        document.Documentdeel(
            "warme-overdracht", "Warme overdracht", 320, "document/warme_overdracht.html", warme_overdracht_context,
            (SLEUTEL_WARME_OVERDRACHT,),
        )
    )
