"""The region's aanbod as the five columns of the continuüm (read access: every reader of the agreement)."""

from django.shortcuts import render

from afspraken.models import Fase
from afspraken.rechten import afspraak_of_404, mag_bewerken
from afspraken.toetsing import Toetsgegevens

from . import gegevens as g
from .onderdelen import SLEUTEL_AANBOD, SLEUTEL_PERSONELE_INZET, SLEUTEL_WARME_OVERDRACHT


def overzicht(request, pk):
    afspraak = afspraak_of_404(request, pk)
    gegevens = Toetsgegevens(afspraak)
    niveaus = g.niveaus(gegevens)
    rijen = g.aanbod_volledig(afspraak)
    per_niveau = g.per_niveau(rijen)
    vormen_per_niveau = {}
    for vorm in g.aanbodvormen(gegevens):
        vormen_per_niveau.setdefault(vorm.niveau.nummer, []).append(vorm)
    kolommen = []
    for niveau in niveaus:
        aanbod = per_niveau.get(niveau.nummer, [])
        kolommen.append(
            {
                "niveau": niveau,
                "aanbod": aanbod,
                "op_school": sum(1 for a in aanbod if a.is_op_school),
                "wettelijk": sum(1 for a in aanbod if a.wettelijke_basis),
                "aanvullend": sum(1 for a in aanbod if not a.wettelijke_basis),
                "catalogus": vormen_per_niveau.get(niveau.nummer, []),
            }
        )
    ontbrekend = g.ontbrekende_minimumniveaus(rijen, niveaus)
    bronnen = g.financieringsbronnen(gegevens)
    gebruik = {}
    for rij in rijen:
        gebruik[rij.financieringsbron_id] = gebruik.get(rij.financieringsbron_id, 0) + 1
    context = {
        "afspraak": afspraak,
        "fasen": list(Fase),
        "kolommen": kolommen,
        "aantal": len(rijen),
        "ontbrekend": ontbrekend,
        "ontbrekend_tekst": g.niveaus_als_tekst(ontbrekend),
        "bronnen": [(b, gebruik.get(b.pk, 0)) for b in bronnen],
        "zonder_bron": gebruik.get(None, 0),
        "personele_inzet": g.personele_inzet(afspraak, gegevens),
        "warme_overdrachten": g.warme_overdrachten(afspraak, gegevens),
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        "sleutel_aanbod": SLEUTEL_AANBOD,
        "sleutel_personele_inzet": SLEUTEL_PERSONELE_INZET,
        "sleutel_warme_overdracht": SLEUTEL_WARME_OVERDRACHT,
        "vormgeven": Fase.VORMGEVEN,
    }
    return render(request, "aanbod/overzicht.html", context)
