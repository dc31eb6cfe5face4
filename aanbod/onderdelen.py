"""The sections aanbod adds to the Vormgeven page (registered from AanbodConfig.ready())."""

from django import forms

from afspraken import secties
from afspraken.models import Fase

from . import gegevens as gegevensmodule
from .formulieren import AanbodFormulier, PersoneleInzetFormulier, WarmeOverdrachtFormulier
from .models import Aanbod, PersoneleInzet, WarmeOverdracht

SLEUTEL_AANBOD = "vormgeven-aanbod"
SLEUTEL_PERSONELE_INZET = "vormgeven-personele-inzet"
SLEUTEL_WARME_OVERDRACHT = "vormgeven-warme-overdracht"


class Aanbodrijen(secties.Rijensectie):
    """A row section that shows decimals with a comma in history and read-only views."""

    def momentopname(self, formulier, rij):
        uitkomst = super().momentopname(formulier, rij)
        for naam, veld in formulier.fields.items():
            if isinstance(veld, forms.DecimalField):
                uitkomst[str(veld.label)] = gegevensmodule.getal(getattr(rij, naam, None))
        return uitkomst


class Aanbodsectie(Aanbodrijen):
    def momentopname(self, formulier, rij):
        uitkomst = super().momentopname(formulier, rij)
        uitkomst[str(formulier.fields["wettelijke_basis"].label)] = (
            "Wettelijke basis" if rij.wettelijke_basis else "Aanvullend"
        )
        return uitkomst

    def rijen(self, afspraak):
        # The instellingen of every row in one query (the form reads them as its initial value).
        return super().rijen(afspraak).prefetch_related(gegevensmodule.instellingen_prefetch())

    def extra_context(self, afspraak, gegevens):
        rijen = gegevensmodule.aanbod(afspraak, gegevens)
        niveaus = gegevensmodule.niveaus(gegevens)
        aantallen = {nummer: len(lijst) for nummer, lijst in gegevensmodule.per_niveau(rijen).items()}
        ontbrekend = gegevensmodule.ontbrekende_minimumniveaus(rijen, niveaus)
        return {
            "per_niveau": [(n, aantallen.get(n.nummer, 0)) for n in niveaus],
            "ontbrekend": ontbrekend,
            "ontbrekend_tekst": gegevensmodule.niveaus_als_tekst(ontbrekend),
        }


def registreer_onderdelen():
    secties.registreer(
        Aanbodsectie(
            sleutel=SLEUTEL_AANBOD,
            fase=Fase.VORMGEVEN,
            titel="Aanbod op het continuüm",
            volgorde=50,
            inleiding=(
                "Kies per niveau van het ondersteuningscontinuüm de aanbodvormen uit de catalogus of voeg eigen "
                "aanbod toe: wat, waar, door wie, hoeveel, voor welke instellingen, met welke financieringsbron, en "
                "of het de wettelijke basis van de instelling is of aanvullend. Het minimum (basisafspraak 8) is "
                "aanbod op de niveaus 1 tot en met 3, zoveel mogelijk op school."
            ),
            template="aanbod/secties/aanbod.html",
            velden_template="aanbod/_groepen.html",
            feiten_template="aanbod/secties/_aanbod_feiten.html",
            model=Aanbod,
            formulier_klasse=AanbodFormulier,
            rij_naam="aanbod",
            toevoegen_tekst="Aanbod toevoegen",
            select_related=gegevensmodule.AANBOD_SELECT_RELATED,
            basisafspraken=(1, 2, 5, 7, 8),
        )
    )
    secties.registreer(
        Aanbodrijen(
            sleutel=SLEUTEL_PERSONELE_INZET,
            fase=Fase.VORMGEVEN,
            titel="Personele inzet",
            volgorde=60,
            inleiding=(
                "Welke professionals zet u in met een specifieke meerwaarde in het continuüm, hoeveel, bij wie in "
                "dienst en waar? Dat kan via verbreding van bestaande functies, nieuwe functies of detachering van "
                "(gemeentelijke) hulpverleners in de school."
            ),
            template="aanbod/secties/personele_inzet.html",
            model=PersoneleInzet,
            formulier_klasse=PersoneleInzetFormulier,
            rij_naam="personele inzet",
            toevoegen_tekst="Personele inzet toevoegen",
            select_related=("werkgever__organisatie",),
            basisafspraken=(6, 9),
        )
    )
    secties.registreer(
        Aanbodrijen(
            sleutel=SLEUTEL_WARME_OVERDRACHT,
            fase=Fase.VORMGEVEN,
            titel="Warme overdracht",
            volgorde=70,
            inleiding=(
                "Waar specialistisch aanbod nodig is dat niet in de school is ingepast, vindt een warme overdracht "
                "plaats: studenten worden zo lang als nodig vastgehouden door een vertrouwd gezicht. Beschrijf naar "
                "welk aanbod, hoe het vertrouwde gezicht betrokken blijft en wie (welke rol) het contact is."
            ),
            template="aanbod/secties/warme_overdracht.html",
            model=WarmeOverdracht,
            formulier_klasse=WarmeOverdrachtFormulier,
            rij_naam="warme overdracht",
            toevoegen_tekst="Warme overdracht toevoegen",
            select_related=("partij__organisatie",),
            basisafspraken=(10,),
        )
    )
