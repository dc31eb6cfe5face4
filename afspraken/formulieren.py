import datetime

from django import forms
from django.db import transaction

from accounts.models import Gebruiker, Organisatie
from techniek.formulieren import LangeKeuzelijst
from techniek.invoer import Formulier, Modelformulier

from . import grafiek, organisaties
from .models import Actie, Partij, Uitvoeringsafspraak, VoorgesteldeOrganisatie, Wijziging

DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PROGRAMMA_START, PROGRAMMA_EINDE = datetime.date(2026, 1, 1), datetime.date(2029, 12, 31)


class LooptijdMixin:
    def clean(self):
        cleaned = super().clean()
        start, einde = cleaned.get("looptijd_start"), cleaned.get("looptijd_einde")
        if start and einde and einde <= start:
            self.add_error("looptijd_einde", "Het einde van de looptijd moet na het begin liggen.")
        return cleaned


class AfspraakgegevensFormulier(LooptijdMixin, Modelformulier):
    class Meta:
        model = Uitvoeringsafspraak
        fields = ["titel", "looptijd_start", "looptijd_einde"]
        widgets = {"looptijd_start": DATUM, "looptijd_einde": DATUM}
        help_texts = {
            "looptijd_einde": "Meerjarige afspraken zijn de norm: het regionaal programma loopt van 2026 tot en met "
            "2029.",
        }


class StartFormulier(LooptijdMixin, Formulier):
    titel = forms.CharField(max_length=200, label="Titel")
    looptijd_start = forms.DateField(label="Begin looptijd", widget=DATUM)
    looptijd_einde = forms.DateField(
        label="Einde looptijd",
        widget=DATUM,
        help_text="Meerjarige afspraken zijn de norm: het regionaal programma loopt van 2026 tot en met 2029.",
    )
    partijen = forms.MultipleChoiceField(
        label="Partijen",
        widget=forms.CheckboxSelectMultiple,
        help_text="Voorgesteld uit de gegevens: vink uit wie niet aan tafel zit. Partners voegt u hieronder toe.",
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partners",
        # Confirmed ones only: a partner proposed in another region's agreement is not known here.
        queryset=organisaties.bevestigde().filter(soort=Organisatie.Soort.PARTNER).order_by("naam"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Bijvoorbeeld de zorgverzekeraar, zorgaanbieders, de GGD of het jongerenwerk.",
    )
    eindverantwoordelijke = forms.ChoiceField(
        label="Financieel eindverantwoordelijke",
        help_text="Precies één partij draagt de financiële eindverantwoordelijkheid; meestal de contactgemeente.",
    )

    def __init__(self, *args, regio, voorstellen, **kwargs):
        super().__init__(*args, **kwargs)
        self.regio = regio
        self.voorstellen = {str(v.organisatie.pk): v for v in voorstellen}
        self.fields["titel"].initial = f"Uitvoeringsafspraak zorg en welzijn mbo {regio.naam}"
        self.fields["looptijd_start"].initial = PROGRAMMA_START
        self.fields["looptijd_einde"].initial = PROGRAMMA_EINDE
        self.fields["partijen"].choices = [
            (pk, f"{v.organisatie.naam} — {v.toelichting}") for pk, v in self.voorstellen.items()
        ]
        self.fields["partijen"].initial = list(self.voorstellen)
        self.fields["eindverantwoordelijke"].choices = [
            (pk, v.organisatie.naam) for pk, v in self.voorstellen.items() if v.rol != Partij.Rol.GEMEENTE_BUITEN
        ]
        contact = next((pk for pk, v in self.voorstellen.items() if v.rol == Partij.Rol.CONTACTGEMEENTE), None)
        if contact:
            self.fields["eindverantwoordelijke"].initial = contact

    def clean(self):
        cleaned = super().clean()
        gekozen = set(cleaned.get("partijen") or [])
        eind = cleaned.get("eindverantwoordelijke")
        if eind and eind not in gekozen:
            self.add_error(
                "eindverantwoordelijke", "Kies als eindverantwoordelijke een partij die u hierboven heeft aangevinkt."
            )
        if gekozen and not any(self.voorstellen[pk].rol == Partij.Rol.INSTELLING for pk in gekozen):
            if any(v.rol == Partij.Rol.INSTELLING for v in self.voorstellen.values()):
                self.add_error("partijen", "Vink ten minste één mbo-instelling aan: zij zijn partij bij de afspraak.")
        return cleaned

    def maak_afspraak(self, gebruiker):
        data = self.cleaned_data
        with transaction.atomic():
            afspraak = Uitvoeringsafspraak.objects.create(
                regio=self.regio,
                titel=data["titel"],
                looptijd_start=data["looptijd_start"],
                looptijd_einde=data["looptijd_einde"],
                aangemaakt_door=gebruiker,
            )
            partijen = [
                Partij(
                    afspraak=afspraak,
                    organisatie=self.voorstellen[pk].organisatie,
                    rol=self.voorstellen[pk].rol,
                    toelichting=self.voorstellen[pk].toelichting[:300],
                    financieel_eindverantwoordelijk=(pk == data["eindverantwoordelijke"]),
                    bijgewerkt_door=gebruiker,
                )
                for pk in data["partijen"]
            ]
            partijen += [
                Partij(
                    afspraak=afspraak, organisatie=o, rol=Partij.Rol.PARTNER, toelichting="partner",
                    bijgewerkt_door=gebruiker,
                )
                for o in data["partners"]
                if str(o.pk) not in data["partijen"]
            ]
            Partij.objects.bulk_create(partijen)
            Wijziging.objects.create(
                afspraak=afspraak,
                sectie="gegevens",
                sectie_titel="Start",
                soort=Wijziging.Soort.TOEGEVOEGD,
                omschrijving=f"Uitvoeringsafspraak gestart met {len(partijen)} partijen",
                nieuw={"Titel": afspraak.titel, "Partijen": ", ".join(p.organisatie.naam for p in partijen)},
                gebruiker=gebruiker,
            )
        return afspraak


class ToelichtingFormulier(Formulier):
    tekst = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Leg uit hoe de partijen met dit aandachtspunt omgaan. Nodig voordat de afspraak gereed is.",
    )


class PartijFormulier(Modelformulier):
    """One party of an agreement: who signs, and who carries financial end responsibility.

    A new party is an organisation on offer (afspraken.organisaties.aangeboden), or a new partner organisation
    by name, which is then proposed in this agreement only until a beheerder confirms it. A name (nearly) the
    same as one on offer is refused, and that organisation offered instead (`bestaande`).
    """

    nieuwe_partner = forms.CharField(
        label="Of: naam van een nieuwe partnerorganisatie",
        max_length=200,
        required=False,
        help_text="Alleen invullen als de organisatie nog niet in de lijst staat. Een nieuwe organisatie is "
        "alleen in deze afspraak bekend, tot een beheerder haar bevestigt.",
    )
    partner_soort = forms.ChoiceField(
        label="Soort partner", choices=[("", "—")] + list(Organisatie.PartnerSoort.choices), required=False
    )

    # Every saved party has the same fields; only the list of its bestuurders differs (afspraken.secties).
    zelfde_velden_per_rij = True

    class Meta:
        model = Partij
        fields = [
            "organisatie", "rol", "bestuurder", "bestuurder_naam", "bestuurder_functie",
            "financieel_eindverantwoordelijk",
        ]
        labels = {"bestuurder": "Bestuurder met een account"}
        widgets = {"organisatie": LangeKeuzelijst}
        help_texts = {
            "bestuurder_naam": "Als de bestuurder nog geen account heeft.",
            "financieel_eindverantwoordelijk": "Precies één partij draagt de financiële eindverantwoordelijkheid.",
        }

    def __init__(self, *args, afspraak=None, gegevens=None, **kwargs):
        self.afspraak = afspraak
        super().__init__(*args, **kwargs)
        self.gelijkend = []
        if self.instance.pk:
            # An existing party keeps its organisation; only who signs and the responsibility change.
            for naam in ("organisatie", "nieuwe_partner", "partner_soort", "rol"):
                del self.fields[naam]
            self.fields["bestuurder"].queryset = Gebruiker.objects.filter(
                organisatie_id=self.instance.organisatie_id, rol=Gebruiker.Rol.BESTUURDER, is_active=True
            )
            if gegevens is not None:
                # Rendered from the list loaded once for all parties: no query per party. Read when the list is
                # shown or checked (a callable: Django evaluates it then), so parties shown as text load nothing.
                organisatie_id = self.instance.organisatie_id
                self.fields["bestuurder"].choices = lambda: [("", "—")] + [
                    (g.pk, g.weergavenaam) for g in gegevens.bestuurders.get(organisatie_id, [])
                ]
        else:
            self._organisatiekeuze(afspraak, gegevens)
            self.fields["rol"].initial = Partij.Rol.PARTNER
            # The account is chosen once the party exists, among its own organisation's bestuurders: before
            # that the list would hold every bestuurder in the country (some 900 names, to every beleidsmaker).
            del self.fields["bestuurder"]
            # The name beside the list it is an alternative to.
            self.order_fields(["organisatie", "nieuwe_partner", "bestaande", "partner_soort"])

    def _organisatiekeuze(self, afspraak, gegevens):
        veld = self.fields["organisatie"]
        veld.required = False
        veld.queryset = organisaties.aangeboden(afspraak).order_by("soort", "naam")
        if afspraak is not None:

            def partijen():
                # Asked only when the list is rendered; from the request's parties where they are loaded already.
                if gegevens is not None:
                    return [p.organisatie_id for p in gegevens.partijen]
                return Partij.objects.filter(afspraak=afspraak).values_list("organisatie_id", flat=True)

            veld.choices = organisaties.keuzes(afspraak, behalve=partijen)
        naam = (self.data.get(self.add_prefix("nieuwe_partner")) or "").strip() if self.is_bound else ""
        if naam:
            self.gelijkend = organisaties.lijkt_op(naam, veld.queryset.values_list("pk", "naam"))
        if self.gelijkend:
            self.fields["bestaande"] = forms.ModelChoiceField(
                label="Bedoelt u deze organisatie?",
                queryset=veld.queryset,
                required=False,
                widget=forms.RadioSelect,
                help_text="Kies haar om haar als partij toe te voegen; de nieuwe naam wordt dan niet gebruikt.",
            )
            self.fields["bestaande"].choices = self.gelijkend

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            organisatie, nieuw = cleaned.get("organisatie"), (cleaned.get("nieuwe_partner") or "").strip()
            bestaande = cleaned.get("bestaande")
            if bestaande and organisatie and bestaande != organisatie:
                self.add_error("bestaande", "Kies één organisatie: in de lijst hierboven óf hier.")
            elif bestaande:
                # The existing organisation instead of the new name.
                organisatie = cleaned["organisatie"] = bestaande
                nieuw = cleaned["nieuwe_partner"] = ""
            if not organisatie and not nieuw:
                self.add_error("organisatie", "Kies een organisatie of vul de naam van een nieuwe partner in.")
            if organisatie and nieuw:
                self.add_error(
                    "nieuwe_partner", "Kies een organisatie uit de lijst óf vul een nieuwe naam in, niet allebei."
                )
            elif nieuw and self.gelijkend:
                namen = organisaties.als_opsomming([naam for _, naam in self.gelijkend])
                kies = "Kies die hieronder" if len(self.gelijkend) == 1 else "Kies er een hieronder"
                self.add_error(
                    "nieuwe_partner",
                    f"Er bestaat al een organisatie met (bijna) deze naam: {namen}. {kies}, of geef een duidelijk "
                    "andere naam.",
                )
            if (
                organisatie
                and self.afspraak
                and Partij.objects.filter(afspraak=self.afspraak, organisatie=organisatie).exists()
            ):
                self.add_error("organisatie", "Deze organisatie is al partij bij deze uitvoeringsafspraak.")
        if cleaned.get("financieel_eindverantwoordelijk") and self.afspraak is not None:
            ander = (
                Partij.objects.filter(afspraak=self.afspraak, financieel_eindverantwoordelijk=True)
                .exclude(pk=self.instance.pk)
                .select_related("organisatie")
                .first()
            )
            if ander:
                self.add_error(
                    "financieel_eindverantwoordelijk",
                    f"{ander.organisatie.naam} is al financieel eindverantwoordelijk. Zet het daar eerst uit.",
                )
        return cleaned

    def save(self, commit=True):
        partij = super().save(commit=False)
        if not partij.organisatie_id:
            partij.organisatie = Organisatie.objects.create(
                naam=self.cleaned_data["nieuwe_partner"].strip(),
                soort=Organisatie.Soort.PARTNER,
                partner_soort=self.cleaned_data.get("partner_soort") or Organisatie.PartnerSoort.ANDERS,
            )
            voorstel = VoorgesteldeOrganisatie(organisatie=partij.organisatie)
            bewaar_m2m = self.save_m2m

            def save_m2m():
                bewaar_m2m()
                # After the party is saved: its caller has set its agreement and who saved it
                # (afspraken.secties.voeg_rij_toe), which are the agreement and person that propose.
                voorstel.afspraak_id = partij.afspraak_id
                voorstel.voorgesteld_door = partij.bijgewerkt_door
                voorstel.save()

            self.save_m2m = save_m2m
        if commit:
            partij.save()
            self.save_m2m()
        return partij


# --- signing ----------------------------------------------------------------------------------------


class OndertekenFormulier(Formulier):
    # No name or function to type: the signature names the account holder (afspraken.ondertekening._beslis).
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    akkoord = forms.BooleanField(
        label="Ik heb het document gelezen en onderteken het namens mijn organisatie.",
        error_messages={"required": "Vink aan dat u het document heeft gelezen en namens uw organisatie tekent."},
    )


class AfwijsFormulier(Formulier):
    reden = forms.CharField(
        label="Waarom tekent u niet?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="De andere partijen lezen uw reden. De afspraak wordt weer een concept, als nieuwe versie.",
        error_messages={"required": "Geef de reden waarom u niet tekent."},
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class NieuweVersieFormulier(Formulier):
    STANDAARD = "Wijziging van de ondertekende uitvoeringsafspraak"

    reden = forms.CharField(label="Waarom wijzigt u de afspraak?", max_length=300, required=False)

    def clean_reden(self):
        return self.cleaned_data["reden"].strip()


# --- monitoring -------------------------------------------------------------------------------------


class MetingFormulier(Formulier):
    """One meting of an indicator, for one of its scheduled meetmomenten."""

    meetmoment = forms.TypedChoiceField(
        label="Meetmoment",
        coerce=datetime.date.fromisoformat,
        help_text="Het geplande moment waar deze meting bij hoort. Is er al een meting, dan vervangt deze haar.",
        error_messages={
            "required": "Kies het meetmoment waar deze meting bij hoort.",
            "invalid_choice": "Kies een van de meetmomenten van deze indicator.",
        },
    )
    waarde = forms.DecimalField(
        label="Gemeten waarde",
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": "Vul de gemeten waarde in.",
            "invalid": "Vul een getal in, bijvoorbeeld 12,5.",
            "max_digits": "Vul een getal in van hoogstens tien cijfers voor de komma.",
            "max_decimal_places": "Vul hoogstens twee cijfers achter de komma in.",
            "max_whole_digits": "Vul een getal in van hoogstens tien cijfers voor de komma.",
        },
    )
    gemeten_op = forms.DateField(
        label="Gemeten op",
        widget=DATUM,
        error_messages={"required": "Vul de datum in waarop is gemeten.", "invalid": "Vul een geldige datum in."},
    )
    bron = forms.CharField(label="Bron", max_length=300, required=False, help_text="Waar de meting vandaan komt.")
    toelichting = forms.CharField(
        label="Toelichting", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicatorstand, vandaag, **kwargs):
        super().__init__(*args, **kwargs)
        self.vandaag = vandaag
        indicator = indicatorstand.indicator
        gemeten = indicatorstand.gemeten
        keuzes = [("", "Kies een meetmoment")]
        for moment in indicatorstand.momenten:
            tekst = grafiek.datum(moment)
            if moment in gemeten:
                tekst += f" (gemeten: {grafiek.getal(gemeten[moment].waarde)})"
            keuzes.append((moment.isoformat(), tekst))
        self.fields["meetmoment"].choices = keuzes
        # The first passed meetmoment without a meting is the one most likely meant.
        open_ = indicatorstand.achterstallig or [m for m in indicatorstand.momenten if m not in gemeten]
        if open_:
            self.fields["meetmoment"].initial = open_[0].isoformat()
        self.fields["gemeten_op"].initial = vandaag
        self.fields["bron"].initial = indicator.bron
        if indicator.eenheid:
            self.fields["waarde"].help_text = f"In {indicator.eenheid}."

    def clean_gemeten_op(self):
        gemeten_op = self.cleaned_data["gemeten_op"]
        if gemeten_op > self.vandaag:
            raise forms.ValidationError("De datum van meten ligt in de toekomst. Vul de datum in waarop is gemeten.")
        return gemeten_op

    def clean_bron(self):
        return self.cleaned_data["bron"].strip()

    def clean_toelichting(self):
        return self.cleaned_data["toelichting"].strip()


class ActievoortgangFormulier(Formulier):
    """A report on an actie of the version in force: bezig or afgerond."""

    status = forms.ChoiceField(
        label="Stand van de actie",
        choices=[(s.value, s.label) for s in (Actie.Status.BEZIG, Actie.Status.AFGEROND)],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of de actie bezig of afgerond is.",
                        "invalid_choice": "Kies of de actie bezig of afgerond is."},
    )
    toelichting = forms.CharField(
        label="Toelichting", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld wat er is gedaan of waarom het later wordt.",
    )

    def clean_toelichting(self):
        return self.cleaned_data["toelichting"].strip()


# --- beheer: proposed organisations ----------------------------------------------------------------


class VoorstelBesluitFormulier(Formulier):
    """A beheerder's decision on an organisation proposed in an agreement (afspraken.organisaties)."""

    BEVESTIGEN, SAMENVOEGEN, AFWIJZEN = "bevestigen", "samenvoegen", "afwijzen"
    # Near matches shown to the beheerder: looser than what refuses a new name.
    LIJKT_OP = 0.75

    besluit = forms.ChoiceField(
        label="Wat doet u met deze organisatie?",
        widget=forms.RadioSelect,
        choices=[
            (BEVESTIGEN, "Bevestigen: de organisatie is nieuw en komt in de keuzelijst van elke afspraak"),
            (SAMENVOEGEN, "Samenvoegen: de organisatie bestaat al; haar partijen en gebruikers gaan over naar de "
             "bestaande"),
            (AFWIJZEN, "Afwijzen: de organisatie verdwijnt (alleen als geen partij of gebruiker haar nog heeft)"),
        ],
        error_messages={
            "required": "Kies wat u met deze organisatie doet.",
            "invalid_choice": "Kies bevestigen, samenvoegen of afwijzen.",
        },
    )
    samenvoegen_met = forms.ModelChoiceField(
        label="Samenvoegen met",
        queryset=organisaties.bevestigde().order_by("naam"),
        required=False,
        widget=LangeKeuzelijst,
        help_text="Alleen bij samenvoegen: de bevestigde organisatie die het eigenlijk is.",
        error_messages={"invalid_choice": "Kies een bevestigde organisatie uit de lijst."},
    )

    def __init__(self, *args, voorstel, **kwargs):
        super().__init__(*args, **kwargs)
        kandidaten = list(organisaties.bevestigde().order_by("naam").values_list("pk", "naam", "soort"))
        self.lijkt_op = organisaties.lijkt_op(
            voorstel.organisatie.naam, [(pk, naam) for pk, naam, _ in kandidaten], drempel=self.LIJKT_OP
        )
        groepen = {
            Organisatie.Soort.PARTNER: ("Partners", []),
            Organisatie.Soort.GEMEENTE: ("Gemeenten", []),
            Organisatie.Soort.MBO_INSTELLING: ("Mbo-instellingen", []),
        }
        for pk, naam, soort in kandidaten:
            groepen[soort][1].append((pk, naam))
        keuzes = [("", "—")]
        if self.lijkt_op:
            keuzes.append(("Lijkt op de voorgestelde naam", self.lijkt_op))
            self.fields["samenvoegen_met"].initial = self.lijkt_op[0][0]
        keuzes += [(label, opties) for label, opties in groepen.values() if opties]
        self.fields["samenvoegen_met"].choices = keuzes

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("besluit") == self.SAMENVOEGEN and not cleaned.get("samenvoegen_met"):
            if "samenvoegen_met" not in self.errors:
                self.add_error("samenvoegen_met", "Kies de organisatie waarmee u samenvoegt.")
        return cleaned
