"""The sections afspraken itself owns on the phase pages: the parties, and the acties of each phase."""

from django import forms

from . import secties
from .formulieren import DATUM, PartijFormulier
from .models import Actie, Fase, Partij


class ActieFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = Actie
        fields = ["omschrijving", "eigenaar", "deadline", "status"]
        widgets = {"deadline": DATUM, "omschrijving": forms.TextInput()}
        help_texts = {"eigenaar": "De partij die de actie uitvoert."}


class Partijensectie(secties.Rijensectie):
    def rij_context(self, afspraak, gegevens):
        # Each party shows whether its signer is known, invited or missing, from step 1 on (issue 26).
        return {"ondertekenaars": gegevens.ondertekenaars} if gegevens is not None else {}


def registreer_onderdelen():
    secties.registreer(
        Partijensectie(
            sleutel="partijen",
            fase=Fase.VERKENNEN,
            titel="Partijen aan tafel",
            volgorde=5,
            inleiding=(
                "Wie zit er aan tafel, wie tekent namens welke partij, en wie draagt de financiële "
                "eindverantwoordelijkheid? Denk aan verantwoordelijke financiers: gemeenten, regionale "
                "inkooporganisaties, mbo-instellingen en zorgverzekeraar(s), en aan wijkteams, (jeugd)hulp-, "
                "wmo-instellingen of schuldhulp."
            ),
            model=Partij,
            formulier_klasse=PartijFormulier,
            template="afspraken/secties/partijen.html",
            rij_naam="partij",
            toevoegen_tekst="Partij toevoegen",
            # Whether the organisation is still a proposal (afspraken.organisaties) is shown beside its name.
            select_related=("organisatie__voorstel", "bestuurder"),
            basisafspraken=(11,),
        )
    )
    for fase in Fase:
        secties.registreer(
            secties.Rijensectie(
                sleutel=f"acties-{fase.name.lower()}",
                fase=fase,
                titel=f"Acties uit {fase.label.lower()}",
                volgorde=900,
                inleiding=(
                    "De antwoorden geven aanleiding tot acties. Samen vormen ze de actiepuntenlijst van de afspraak."
                ),
                model=Actie,
                formulier_klasse=ActieFormulier,
                rij_naam="actie",
                toevoegen_tekst="Actie toevoegen",
                filter={"fase": fase.value},
                select_related=("eigenaar__organisatie",),
            )
        )
