"""What the aanbod sections, the overview and the checks read, loaded once per request.

Everything is cached on the request's `afspraken.toetsing.Toetsgegevens` under attributes starting with
`aanbod_`, so a page or a toetsing makes one query per model however many parties or rows there are.
Without a `gegevens` object (e.g. a form built on its own) the lists are loaded each time.
"""

from django.db.models import Prefetch

from afspraken.models import Partij

from .models import Aanbod, Aanbodvorm, Financieringsbron, Ondersteuningsniveau, PersoneleInzet, WarmeOverdracht

MINIMUM_NIVEAUS = (1, 2, 3)  # basisafspraak 8: normaliseren, preventie, vroegsignalering


def _gecachet(gegevens, naam, laden):
    if gegevens is None:
        return laden()
    if not hasattr(gegevens, naam):
        setattr(gegevens, naam, laden())
    return getattr(gegevens, naam)


def niveaus(gegevens=None):
    return _gecachet(
        gegevens, "aanbod_niveaus", lambda: list(Ondersteuningsniveau.objects.order_by("nummer"))
    )


def aanbodvormen(gegevens=None):
    return _gecachet(
        gegevens,
        "aanbod_aanbodvormen",
        lambda: list(
            Aanbodvorm.objects.select_related("niveau", "financieringsbron").order_by("niveau__nummer", "naam")
        ),
    )


def financieringsbronnen(gegevens=None):
    return _gecachet(
        gegevens, "aanbod_financieringsbronnen", lambda: list(Financieringsbron.objects.order_by("volgorde"))
    )


def instellingen_prefetch():
    """The instellingen an aanbod is for, with their organisation: one query for all rows."""
    partijen = Partij.objects.select_related("organisatie").order_by("organisatie__naam")
    return Prefetch("voor_instellingen", queryset=partijen)


AANBOD_SELECT_RELATED = ("niveau", "aanbodvorm", "geleverd_door__organisatie", "financieringsbron")


def aanbod(afspraak, gegevens=None):
    """The agreement's aanbod with its level and catalogue form: what the checks and the section's summary read."""
    return _gecachet(
        gegevens,
        "aanbod_rijen",
        lambda: list(
            Aanbod.objects.filter(afspraak=afspraak)
            .select_related("niveau", "aanbodvorm")
            .order_by("niveau__nummer", "pk")
        ),
    )


def aanbod_volledig(afspraak):
    """The agreement's aanbod with everything the overview shows (one query, plus one for the instellingen)."""
    return list(
        Aanbod.objects.filter(afspraak=afspraak)
        .select_related(*AANBOD_SELECT_RELATED)
        .prefetch_related(instellingen_prefetch())
        .order_by("niveau__nummer", "pk")
    )


def personele_inzet(afspraak, gegevens=None):
    return _gecachet(
        gegevens,
        "aanbod_personele_inzet",
        lambda: list(
            PersoneleInzet.objects.filter(afspraak=afspraak).select_related("werkgever__organisatie").order_by("pk")
        ),
    )


def warme_overdrachten(afspraak, gegevens=None):
    return _gecachet(
        gegevens,
        "aanbod_warme_overdrachten",
        lambda: list(
            WarmeOverdracht.objects.filter(afspraak=afspraak).select_related("partij__organisatie").order_by("pk")
        ),
    )


def per_niveau(rijen):
    """{niveau nummer: [Aanbod]}."""
    uitkomst = {}
    for rij in rijen:
        uitkomst.setdefault(rij.niveau.nummer, []).append(rij)
    return uitkomst


def ontbrekende_minimumniveaus(rijen, alle_niveaus):
    """The levels of basisafspraak 8's minimum (1–3) without any aanbod, as Ondersteuningsniveaus."""
    gedekt = {rij.niveau.nummer for rij in rijen}
    return [n for n in alle_niveaus if n.nummer in MINIMUM_NIVEAUS and n.nummer not in gedekt]


def niveaus_als_tekst(niveaulijst):
    """'niveau 2 (Preventie) en niveau 3 (Vroegsignalering …)'."""
    delen = [f"niveau {n.nummer} ({n.naam})" for n in niveaulijst]
    if len(delen) <= 1:
        return "".join(delen)
    return ", ".join(delen[:-1]) + " en " + delen[-1]


def getal(waarde):
    """A decimal as a Dutch reads it: 0,5 and 12 rather than 0.50 and 12.00."""
    if waarde is None or waarde == "":
        return ""
    tekst = format(waarde.normalize(), "f") if hasattr(waarde, "normalize") else str(waarde)
    return tekst.replace(".", ",")
