"""The convenant's provisions that no data decides (issue 27): each starts from a model text shipped here.

Every provision is a text section of step 4 (Verankeren), so the parties edit it per agreement with autosave,
conflicts and history like any other answer. A provision never saved, or saved unchanged, is the model text and
is shown as such. An emptied provision is missing: the agreement cannot be offered for signing with it.

The model texts are a starting point written for this application, not an official text: each region's jurists
decide what their convenant says.
"""

from dataclasses import dataclass

from django import forms

from . import secties
from .models import Fase

VELD = "tekst"  # the one field of every provision's form, and its key in Sectie.inhoud


@dataclass(frozen=True)
class Bepaling:
    sleutel: str
    titel: str
    modeltekst: str

    def tekst(self, inhoud):
        """The provision's text in this agreement: what the parties saved, else the model text."""
        if inhoud and VELD in inhoud:
            return (inhoud[VELD] or "").strip()
        return self.modeltekst

    def is_modeltekst(self, inhoud):
        return self.tekst(inhoud) == self.modeltekst


BEPALINGEN = (
    Bepaling(
        "bepaling-begrippen",
        "Begripsbepalingen",
        "In deze uitvoeringsafspraak wordt verstaan onder:\n"
        "a. basisafspraken: de twaalf basisafspraken over zorg en welzijn voor mbo-studenten, zoals bestuurlijk "
        "vastgesteld op 2 februari 2026;\n"
        "b. doorstroompuntregio: de regio waarvoor deze uitvoeringsafspraak geldt, met de gemeenten die daarin "
        "liggen;\n"
        "c. contactgemeente: de gemeente die namens de gemeenten in de regio het aanspreekpunt is;\n"
        "d. student: iedere student die staat ingeschreven bij een mbo-instelling die partij is, ongeacht "
        "woongemeente, leeftijd of locatie van de opleiding;\n"
        "e. ondersteuningscontinuüm: de vijf niveaus van ondersteuning, van algemene preventie tot specialistische "
        "zorg, waarop het aanbod in deze uitvoeringsafspraak is ingedeeld;\n"
        "f. verdeelsleutel: de rekenregel waarmee de partijen de kosten van het gezamenlijke aanbod onderling "
        "verdelen.",
    ),
    Bepaling(
        "bepaling-gegevensverwerking",
        "Gegevensverwerking",
        "1. Iedere partij is verwerkingsverantwoordelijke in de zin van de Algemene verordening "
        "gegevensbescherming (AVG) voor de persoonsgegevens die zij zelf verwerkt bij de uitvoering van deze "
        "afspraak, op de grondslag die haar eigen wettelijke taak haar geeft.\n"
        "2. Persoonsgegevens van studenten worden alleen gedeeld voor zover dat nodig is voor de ondersteuning van "
        "die student, met diens toestemming of op een andere grondslag uit de AVG. Voor structurele "
        "gegevensdeling, zoals de warme overdracht naar de lokale teams, sluiten de betrokken partijen vooraf een "
        "afzonderlijke schriftelijke afspraak.\n"
        "3. Deze uitvoeringsafspraak en de toepassing waarin zij is opgesteld bevatten geen persoonsgegevens van "
        "studenten; monitoring gebeurt met geaggregeerde aantallen.",
    ),
    Bepaling(
        "bepaling-wijziging",
        "Wijziging",
        "1. Iedere partij kan de andere partijen schriftelijk verzoeken deze uitvoeringsafspraak te wijzigen.\n"
        "2. De partijen treden binnen zes weken na het verzoek met elkaar in overleg.\n"
        "3. Een wijziging wordt schriftelijk vastgelegd in een nieuwe versie van deze uitvoeringsafspraak, die door "
        "alle partijen wordt ondertekend. De nieuwe versie vervangt de vorige vanaf de datum waarop de laatste "
        "partij heeft ondertekend.",
    ),
    Bepaling(
        "bepaling-toetreding-uittreding",
        "Toetreding en uittreding",
        "1. Een organisatie die bijdraagt aan de ondersteuning van studenten in de regio kan tot deze "
        "uitvoeringsafspraak toetreden als alle partijen daarmee instemmen. De toetreding wordt vastgelegd in een "
        "nieuwe versie van deze uitvoeringsafspraak.\n"
        "2. Een partij die uittreedt, doet dat met inachtneming van het artikel over opzegging. Zij blijft "
        "gehouden aan de financiële verplichtingen die zij voor het lopende kalenderjaar is aangegaan.",
    ),
    Bepaling(
        "bepaling-opzegging",
        "Opzegging",
        "1. Iedere partij kan deze uitvoeringsafspraak voor zich schriftelijk opzeggen tegen het einde van een "
        "kalenderjaar, met een opzegtermijn van ten minste zes maanden.\n"
        "2. Voordat een partij opzegt, overlegt zij met de andere partijen over de gevolgen voor de studenten en "
        "voor de financiering.\n"
        "3. Na opzegging door een partij blijft de uitvoeringsafspraak tussen de overige partijen van kracht, "
        "tenzij zij anders besluiten.",
    ),
    Bepaling(
        "bepaling-geschillen",
        "Geschillen",
        "1. Bij een geschil over de uitleg of uitvoering van deze uitvoeringsafspraak treden de partijen eerst met "
        "elkaar in overleg in het bestuurlijk overleg van de regio.\n"
        "2. Komen de partijen er binnen acht weken niet uit, dan kunnen zij gezamenlijk een onafhankelijke "
        "bemiddelaar vragen.\n"
        "3. Deze uitvoeringsafspraak is naar haar aard niet bedoeld om in rechte af te dwingen; de partijen spannen "
        "zich in om de afspraken na te komen.",
    ),
    Bepaling(
        "bepaling-openbaarmaking",
        "Openbaarmaking",
        "1. Deze uitvoeringsafspraak is openbaar. Op verzoeken om informatie is de Wet open overheid (Woo) van "
        "toepassing voor de partijen die onder die wet vallen.\n"
        "2. Iedere partij maakt deze uitvoeringsafspraak bekend zoals haar eigen regels voorschrijven; een gemeente "
        "publiceert haar in het Gemeenteblad als haar regels dat vereisen.",
    ),
    Bepaling(
        "bepaling-slot",
        "Slotbepalingen",
        "1. Op deze uitvoeringsafspraak is Nederlands recht van toepassing.\n"
        "2. De bijlagen maken deel uit van deze uitvoeringsafspraak. Bij strijd tussen de artikelen en een bijlage "
        "gaan de artikelen voor.\n"
        "3. Deze uitvoeringsafspraak kan worden aangehaald als: uitvoeringsafspraak zorg en welzijn mbo van de "
        "doorstroompuntregio.",
    ),
)

PER_SLEUTEL = {b.sleutel: b for b in BEPALINGEN}


class Bepalingformulier(secties.Sectieformulier):
    """One provision: its text, which starts as the model text."""


def _formulier_klasse(bepaling):
    veld = forms.CharField(
        label=bepaling.titel,
        required=False,
        initial=bepaling.modeltekst,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Dit is de modeltekst van de toepassing. Pas hem aan waar de partijen iets anders afspreken.",
    )
    return type(f"Bepalingformulier_{bepaling.sleutel.replace('-', '_')}", (Bepalingformulier,), {VELD: veld})


def registreer_bepalingen():
    for volgorde, bepaling in enumerate(BEPALINGEN, start=100):
        secties.registreer(
            secties.Tekstsectie(
                sleutel=bepaling.sleutel,
                fase=Fase.VERANKEREN,
                titel=f"Bepaling: {bepaling.titel}",
                volgorde=volgorde,
                inleiding=(
                    "Een artikel van de uitvoeringsafspraak dat geen gegevens bepalen. Het begint als modeltekst; "
                    "de geschiedenis bewaart elke wijziging."
                ),
                formulier_klasse=_formulier_klasse(bepaling),
            )
        )
