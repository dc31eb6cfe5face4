"""A party's own statement of the authority its signer signs on (issue 27): `Partij.grondslag`, the date of the
besluit for a mandate and a toelichting.

Entered only by the party itself (afspraken.rechten.mag_vertegenwoordiging_opgeven), on its own page, never in the
shared party row that every writer edits (afspraken.formulieren.PartijFormulier). Every change is recorded in the
agreement's history and raises its content counter: the document names the authority.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone

from techniek.invoer import Modelformulier

from . import secties
from .formulieren import DATUM
from .models import Grondslag, Partij, Wijziging, verhoog_inhoudsteller

SECTIE = "partijen"  # the history files it under the parties, where it is shown
GEEN_BEVOEGDHEID = "nog niet opgegeven"


def kenmerk(partij):
    """The stored authority as one text: the form carries the one it was opened at, so that a save over someone
    else's newer entry is refused instead of silently overwriting it."""
    besluit = partij.grondslag_besluit.isoformat() if partij.grondslag_besluit else ""
    return f"{partij.grondslag}|{besluit}|{partij.grondslag_toelichting}"


class BevoegdheidFormulier(Modelformulier):
    grondslag = forms.ChoiceField(
        label="Op grond waarvan tekent de bestuurder namens deze partij?",
        choices=Grondslag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies op grond waarvan de bestuurder de partij vertegenwoordigt.",
            "invalid_choice": "Kies een van de mogelijkheden.",
        },
    )
    vorige = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Partij
        fields = ["grondslag", "grondslag_besluit", "grondslag_toelichting"]
        widgets = {"grondslag_besluit": DATUM}
        labels = {
            "grondslag_besluit": "Datum van het collegebesluit",
            "grondslag_toelichting": "Toelichting",
        }
        help_texts = {
            "grondslag_besluit": "Alleen bij mandaat: de datum waarop het college de wethouder mandaat gaf om te "
            "tekenen.",
            "grondslag_toelichting": "Verplicht bij ‘anders’: de functie en het besluit of artikel waarop de "
            "bevoegdheid berust. Bij de andere keuzes kunt u iets toevoegen, bijvoorbeeld het artikel van de "
            "statuten.",
        }
        error_messages = {
            "grondslag_besluit": {"invalid": "Vul een geldige datum in, bijvoorbeeld 3-3-2026."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["vorige"].initial = kenmerk(self.instance)

    def clean(self):
        gegevens = super().clean()
        grondslag = gegevens.get("grondslag")
        besluit = gegevens.get("grondslag_besluit")
        if besluit and besluit > timezone.localdate():
            self.add_error(
                "grondslag_besluit",
                "Deze datum ligt in de toekomst. Vul de datum in waarop het college het besluit nam.",
            )
        if grondslag == Grondslag.WETHOUDER_MANDAAT:
            if not besluit and "grondslag_besluit" not in self.errors:
                self.add_error(
                    "grondslag_besluit", "Vul de datum in van het collegebesluit waarbij de wethouder is gemandateerd."
                )
        elif grondslag:
            # Only a mandate names a besluit's date; a date left from an earlier choice would mislead.
            gegevens["grondslag_besluit"] = None
        if grondslag == Grondslag.ANDERS and not gegevens.get("grondslag_toelichting"):
            self.add_error(
                "grondslag_toelichting",
                "Beschrijf bij ‘anders’ op grond waarvan de bestuurder de partij vertegenwoordigt.",
            )
        return gegevens


@dataclass
class Uitkomst:
    ok: bool
    formulier: BevoegdheidFormulier
    gewijzigd: bool = False
    # Set when the authority changed since the form was opened: the stored phrase, shown beside what was typed.
    conflict: str | None = None


def leg_vast(afspraak, partij_pk, data, gebruiker):
    """Validate and store the authority of one party of a concept agreement, with history. None: no such party.
    Raises PermissionDenied when the agreement stopped being a concept (as every section save)."""
    with transaction.atomic():
        # The same order as a row save (afspraken.secties.bewaar_rij): the agreement held as a concept, then the
        # row locked, so a parallel row save neither waits in a cycle nor writes back an older authority.
        secties._nog_concept(afspraak)
        partij = (
            Partij.objects.select_for_update(of=("self",)).select_related("organisatie")
            .filter(afspraak=afspraak, pk=partij_pk).first()
        )
        if partij is None:
            return None
        oud, oud_kenmerk = partij.bevoegdheid, kenmerk(partij)
        formulier = BevoegdheidFormulier(data, instance=partij)
        if not formulier.is_valid():
            return Uitkomst(ok=False, formulier=formulier)
        if formulier.cleaned_data["vorige"] != oud_kenmerk:
            # What was typed stays; the form now knows the stored entry, so saving again overwrites it on purpose.
            opnieuw = data.copy()
            opnieuw["vorige"] = oud_kenmerk
            return Uitkomst(
                ok=False, formulier=BevoegdheidFormulier(opnieuw, instance=partij), conflict=oud or GEEN_BEVOEGDHEID
            )
        partij = formulier.save(commit=False)
        if kenmerk(partij) == oud_kenmerk:
            return Uitkomst(ok=True, formulier=formulier)
        partij.save(update_fields=["grondslag", "grondslag_besluit", "grondslag_toelichting"])
        definitie = secties.definitie(SECTIE)
        Wijziging.objects.create(
            afspraak=afspraak,
            sectie=SECTIE,
            sectie_titel=definitie.titel if definitie else "Partijen aan tafel",
            soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving=f"{partij.organisatie}: bevoegdheid van de ondertekenaar"[:300],
            oud={"Bevoegdheid": oud or GEEN_BEVOEGDHEID},
            nieuw={"Bevoegdheid": partij.bevoegdheid},
            gebruiker=gebruiker,
        )
        verhoog_inhoudsteller(afspraak)  # the document names the authority
    return Uitkomst(ok=True, formulier=formulier, gewijzigd=True)
