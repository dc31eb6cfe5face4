from django import forms

from techniek.invoer import Formulier

from .loaders import max_grootte_tekst
from .models import Gegevensimport, Gemeente


class UploadFormulier(Formulier):
    soort = forms.ChoiceField(
        label="Soort bestand",
        choices=[("", "Kies de soort bestand")] + list(Gegevensimport.Soort.choices),
        error_messages={
            "required": "Kies welk soort bestand u laadt.",
            "invalid_choice": "Kies een soort uit de lijst.",
        },
    )
    bestand = forms.FileField(
        label="Bestand",
        help_text="",  # set in __init__: the size limit comes from the settings
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
        error_messages={
            "required": "Kies het bestand dat u wilt laden.",
            "empty": "Het gekozen bestand is leeg.",
            "invalid": "Er is geen bestand ontvangen; kies het bestand opnieuw.",
        },
    )
    peiljaar = forms.IntegerField(
        label="Peiljaar",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=(
            "Alleen nodig als het bestand geen jaarkolom heeft (adressen: standaard dit jaar). Heeft het bestand "
            "meerdere jaren, dan wordt alleen dit jaar geladen."
        ),
        error_messages={
            "invalid": "Vul het peiljaar in als jaartal, bijvoorbeeld 2024.",
            "min_value": "Het peiljaar kan niet vóór 1990 liggen.",
            "max_value": "Het peiljaar kan niet na 2100 liggen.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bestand"].help_text = (
            f"Een CSV-bestand (.csv of .txt), puntkomma- of kommagescheiden, in UTF-8 of Windows-1252; "
            f"hoogstens {max_grootte_tekst()}. U ziet eerst een voorbeeld; er wordt pas iets geladen als u bevestigt."
        )
        self.fields["peiljaar"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class ContactgemeenteFormulier(Formulier):
    contactgemeente = forms.ModelChoiceField(
        queryset=Gemeente.objects.none(),
        label="Contactgemeente",
        empty_label="Kies een gemeente",
        help_text="Alleen gemeenten van deze regio kunnen contactgemeente zijn.",
        error_messages={
            "required": "Kies de contactgemeente.",
            "invalid_choice": "Kies een gemeente uit deze regio.",
        },
    )

    def __init__(self, *args, regio, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contactgemeente"].queryset = regio.gemeenten.filter(actief=True).order_by("naam")
        if regio.contactgemeente_id and not self.is_bound:
            self.initial.setdefault("contactgemeente", regio.contactgemeente_id)
