"""Forms of the aanbod sections. Every choice list is rendered from lists loaded once per request
(`aanbod.gegevens`), so a section with many rows makes no query per row."""

from django import forms

from accounts.models import Organisatie
from afspraken import secties

from . import gegevens as gegevensmodule
from .models import Aanbod, PersoneleInzet, WarmeOverdracht

DECIMAAL = forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
DECIMAAL_HULP = "Met een komma, bijvoorbeeld 0,5."


def _catalogusvorm_keuzes(vormen):
    """The catalogue grouped by level (optgroups), for the select of aanbodvormen."""
    groepen, per_niveau = [], {}
    for vorm in vormen:
        if vorm.niveau_id not in per_niveau:
            per_niveau[vorm.niveau_id] = []
            groepen.append((str(vorm.niveau), per_niveau[vorm.niveau_id]))
        per_niveau[vorm.niveau_id].append((vorm.pk, vorm.naam))
    return [("", "— eigen aanbod, niet uit de catalogus")] + groepen


class AanbodFormulier(secties.Rijformulier):
    leest_rij = False

    WETTELIJK, AANVULLEND = "True", "False"

    wettelijke_basis = forms.TypedChoiceField(
        label="Wettelijke basis of aanvullend",
        choices=[
            (WETTELIJK, "Wettelijke basis: de instelling biedt dit al vanuit haar zorgplicht"),
            (AANVULLEND, "Aanvullend: dit organiseren de partijen extra"),
        ],
        coerce=lambda waarde: waarde == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    # Field groups, shown as fieldsets (aanbod/_groepen.html, the velden_template of the aanbod section).
    GROEPEN = (
        ("Wat", ("aanbodvorm", "naam", "niveau", "omschrijving")),
        ("Waar en voor wie", ("waar", "geleverd_door", "voor_instellingen", "locaties")),
        ("Hoeveel", ("fte", "uren_per_week", "sessies_per_student")),
        ("Financiering", ("financieringsbron", "wettelijke_basis")),
    )

    class Meta:
        model = Aanbod
        fields = [
            "aanbodvorm", "naam", "niveau", "omschrijving", "waar", "geleverd_door", "voor_instellingen", "locaties",
            "fte", "uren_per_week", "sessies_per_student", "financieringsbron", "wettelijke_basis",
        ]
        localized_fields = ["fte", "uren_per_week", "sessies_per_student"]
        widgets = {
            "omschrijving": forms.Textarea(attrs={"rows": 2}),
            "waar": forms.RadioSelect,
            "voor_instellingen": forms.CheckboxSelectMultiple,
            "fte": DECIMAAL,
            "uren_per_week": DECIMAAL,
            "sessies_per_student": DECIMAAL,
        }
        help_texts = {
            "aanbodvorm": (
                "Kiest u een aanbodvorm uit de catalogus en laat u niveau, financieringsbron of wettelijke basis "
                "leeg, dan neemt de applicatie die over uit de catalogus."
            ),
            "geleverd_door": "De partij die het aanbod levert.",
            "fte": DECIMAAL_HULP,
            "uren_per_week": DECIMAAL_HULP,
            "sessies_per_student": "Gemiddeld aantal gesprekken of bijeenkomsten per student. " + DECIMAAL_HULP,
            "financieringsbron": "Volgens de legenda van het continuüm.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        gegevens = self.gegevens
        nieuw = self.instance.pk is None
        velden = self.fields
        velden["niveau"].required = False
        velden["niveau"].empty_label = "— zoals in de catalogus" if nieuw else "—"
        velden["niveau"].choices = [("", velden["niveau"].empty_label)] + [
            (n.pk, str(n)) for n in gegevensmodule.niveaus(gegevens)
        ]
        velden["aanbodvorm"].queryset = velden["aanbodvorm"].queryset.select_related("niveau", "financieringsbron")
        velden["aanbodvorm"].choices = _catalogusvorm_keuzes(gegevensmodule.aanbodvormen(gegevens))
        leeg = "— zoals in de catalogus" if nieuw else "— nog niet bepaald"
        velden["financieringsbron"].choices = [("", leeg)] + [
            (b.pk, b.naam) for b in gegevensmodule.financieringsbronnen(gegevens)
        ]
        if nieuw:
            velden["wettelijke_basis"].choices = [("", "Zoals in de catalogus")] + velden["wettelijke_basis"].choices
            velden["wettelijke_basis"].help_text = "Bij eigen aanbod: kies zelf."
        # Only the agreement's mbo-instellingen, from the parties loaded once per request.
        veld = velden["voor_instellingen"]
        if self.afspraak is not None:
            veld.queryset = veld.queryset.model.objects.filter(
                afspraak=self.afspraak, organisatie__soort=Organisatie.Soort.MBO_INSTELLING
            ).select_related("organisatie")
            if gegevens is not None:
                veld.choices = [
                    (p.pk, str(p)) for p in gegevens.partijen if p.organisatie.soort == Organisatie.Soort.MBO_INSTELLING
                ]

    def groepen(self):
        return [(titel, [self[naam] for naam in namen if naam in self.fields]) for titel, namen in self.GROEPEN]

    def clean(self):
        cleaned = super().clean()
        vorm = cleaned.get("aanbodvorm")
        naam = (cleaned.get("naam") or "").strip()
        cleaned["naam"] = naam
        if vorm is None and not naam and "aanbodvorm" not in self.errors:
            self.add_error("aanbodvorm", "Kies een aanbodvorm uit de catalogus of vul een eigen naam in.")
        if vorm is not None:
            # Defaults from the catalogue for what the user left empty.
            if cleaned.get("niveau") is None and "niveau" not in self.errors:
                cleaned["niveau"] = vorm.niveau
            if self.instance.pk is None:
                if cleaned.get("financieringsbron") is None and "financieringsbron" not in self.errors:
                    cleaned["financieringsbron"] = vorm.financieringsbron
                if cleaned.get("wettelijke_basis") is None:
                    cleaned["wettelijke_basis"] = vorm.wettelijke_basis
        if cleaned.get("niveau") is None and "niveau" not in self.errors and (vorm is not None or naam):
            self.add_error("niveau", "Kies het niveau van het continuüm waarop dit aanbod hoort.")
        if cleaned.get("wettelijke_basis") is None and "wettelijke_basis" not in self.errors:
            self.add_error(
                "wettelijke_basis",
                "Geef aan of dit de wettelijke basis van de instelling is of aanvullend aanbod.",
            )
        return cleaned


class PersoneleInzetFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = PersoneleInzet
        fields = ["functie", "soort", "fte", "werkgever", "ingezet_waar"]
        localized_fields = ["fte"]
        widgets = {"fte": DECIMAAL}
        help_texts = {"fte": DECIMAAL_HULP, "werkgever": "De partij bij wie de professional in dienst is."}


class WarmeOverdrachtFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = WarmeOverdracht
        fields = ["naar_aanbod", "vertrouwd_gezicht", "contact_rol", "partij"]
        widgets = {"vertrouwd_gezicht": forms.Textarea(attrs={"rows": 3})}
