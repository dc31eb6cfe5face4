from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q

from audit import log
from techniek.formulieren import LangeKeuzelijst
from techniek.invoer import Formulier, Invoercontrole

from .models import Gebruiker, Organisatie


class InlogFormulier(Invoercontrole, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: screen-reader users should hear the page from its start (and the skip link).
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].help_text = "Bent u uitgenodigd per e-mail? Dan is uw gebruikersnaam uw e-mailadres."


# --- passwords: Django's own forms, with the validators' rules as one plain sentence ------------------------------


def wachtwoordregels():
    # Django's help text is an HTML list, which cannot stand in the field's help paragraph (partials/veld.html).
    return " ".join(str(regel) for regel in password_validation.password_validators_help_texts())


class _WachtwoordUitleg:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = wachtwoordregels()
        for naam in ("new_password1", "new_password2"):
            self.fields[naam].widget.attrs.pop("autofocus", None)


class NieuwWachtwoordFormulier(Invoercontrole, _WachtwoordUitleg, SetPasswordForm):
    """Setting one's own password with a link from an e-mail (an invitation or 'wachtwoord vergeten')."""


class WachtwoordWijzigenFormulier(Invoercontrole, _WachtwoordUitleg, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class WachtwoordVergetenFormulier(Invoercontrole, PasswordResetForm):
    """Django's form; the request is recorded in the audit log against the account when the address has one, and
    without the address when it has none (the page says the same either way)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mailadres"
        self.fields["email"].help_text = "Het e-mailadres waarop u de uitnodiging kreeg."

    def save(self, *args, **kwargs):
        gebruikers = list(self.get_users(self.cleaned_data["email"]))
        super().save(*args, **kwargs)
        for gebruiker in gebruikers:
            log.leg_vast(
                log.Actie.WACHTWOORD_HERSTEL_GEVRAAGD, gebruiker=gebruiker, object=gebruiker, via="wachtwoord vergeten"
            )
        if not gebruikers:
            log.leg_vast(log.Actie.WACHTWOORD_HERSTEL_GEVRAAGD, via="wachtwoord vergeten")


# --- invitations -----------------------------------------------------------------------------------------------

ROLUITLEG = (
    "Beleidsmaker: schrijft mee aan de uitvoeringsafspraken van de organisatie. "
    "Bestuurder: beoordeelt en ondertekent namens de organisatie, met een tweede factor."
)


class UitnodigingFormulier(Formulier):
    """Whom to invite. A beheerder chooses any role and organisation; a beleidsmaker invites beleidsmakers and
    bestuurders of their own organisation only."""

    voornaam = forms.CharField(
        label="Voornaam", max_length=150, error_messages={"required": "Vul de voornaam in."}
    )
    achternaam = forms.CharField(
        label="Achternaam", max_length=150, error_messages={"required": "Vul de achternaam in."}
    )
    email = forms.EmailField(
        label="E-mailadres",
        max_length=150,
        help_text="Hierheen gaat de uitnodiging. Het e-mailadres wordt ook de gebruikersnaam.",
        error_messages={
            "required": "Vul het e-mailadres in.",
            "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl.",
        },
    )
    rol = forms.ChoiceField(
        label="Rol", widget=forms.RadioSelect, error_messages={"required": "Kies de rol."}
    )
    organisatie = forms.ModelChoiceField(
        label="Organisatie",
        queryset=Organisatie.objects.order_by("naam"),
        required=False,
        widget=LangeKeuzelijst,
        empty_label="Kies een organisatie",
        help_text="Niet nodig voor een landelijk beheerder.",
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    functie = forms.CharField(
        label="Functie",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld wethouder of lid college van bestuur. Een bestuurder tekent met deze functie.",
    )

    def __init__(self, *args, door, **kwargs):
        super().__init__(*args, **kwargs)
        self.door = door
        rollen = [Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER]
        uitleg = ROLUITLEG
        if door.is_beheerder:
            rollen.append(Gebruiker.Rol.BEHEERDER)
            uitleg += " Beheerder: beheert gegevens, organisaties en gebruikers, met een tweede factor."
        else:
            del self.fields["organisatie"]  # always the inviter's own
        self.fields["rol"].choices = [(rol.value, rol.label) for rol in rollen]
        self.fields["rol"].help_text = uitleg

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Gebruiker.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError(
                "Met dit e-mailadres bestaat al een account. Staat de uitnodiging in de lijst, verstuur haar dan "
                "opnieuw. Heeft de persoon al een wachtwoord, dan kan die ‘Wachtwoord vergeten’ gebruiken."
            )
        return email

    def clean(self):
        gegevens = super().clean()
        if "organisatie" in self.fields:
            rol = gegevens.get("rol")
            if rol and rol != Gebruiker.Rol.BEHEERDER and not gegevens.get("organisatie") and not self.has_error(
                "organisatie"
            ):
                self.add_error(
                    "organisatie", "Kies de organisatie: een beleidsmaker of bestuurder hoort bij een organisatie."
                )
        else:
            # Another organisation's people are invited by that organisation or a beheerder, never by another party.
            gevraagd = self.data.get("organisatie")
            if gevraagd and str(gevraagd) != str(self.door.organisatie_id):
                raise forms.ValidationError(
                    "U nodigt alleen mensen van uw eigen organisatie uit. Iemand van een andere organisatie wordt "
                    "uitgenodigd door die organisatie of door een beheerder."
                )
            gegevens["organisatie"] = self.door.organisatie
        return gegevens
