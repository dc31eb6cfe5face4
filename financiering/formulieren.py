"""Forms of the financing sections: Dutch amounts ("1.234,56"), amounts per year, the verdeelsleutel."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from afspraken import secties
from afspraken.models import Partij

from . import berekening
from .models import Geldstroom, Kostenpost, Verdeelgroep
from .verdeling import (
    ALLEEN_GEMEENTEN,
    MAX_PER_STUDENT_CENTEN,
    MAX_TOTAAL_CENTEN,
    bedrag_tekst,
    lees_aandeel,
    lees_bedrag,
    naar_centen,
    procent,
    uit_centen,
)


class BedragVeld(forms.DecimalField):
    """An amount in euros as a Dutch person types it: "1.234,56", "1234,56", "€ 1.234", "15,-".

    Cleans to a Decimal with two decimals; shows a stored amount as "1.234,56"."""

    widget = forms.TextInput

    def __init__(self, *, max_centen=MAX_TOTAAL_CENTEN, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        self.max_centen = max_centen
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return lees_bedrag(value)
        except ValueError as fout:
            raise ValidationError(str(fout), code="invalid") from fout

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError("Een bedrag kan niet negatief zijn.", code="min_value")
        if naar_centen(value) > self.max_centen:
            raise ValidationError(
                f"Dit bedrag is onwaarschijnlijk hoog (meer dan € {bedrag_tekst(self.max_centen)}); controleer het.",
                code="max_value",
            )

    def run_validators(self, value):
        # DecimalValidator's English-ish message for too many digits is covered by validate() above.
        return None

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return bedrag_tekst(naar_centen(Decimal(value)))
        return value


def _partijen(formulier):
    """The agreement's parties from the cached list (no query per form)."""
    if formulier.gegevens is not None:
        return formulier.gegevens.partijen
    if formulier.afspraak is None:
        return []
    return list(Partij.objects.filter(afspraak=formulier.afspraak).select_related("organisatie"))


# --- kostenposten ---------------------------------------------------------------------------------


class KostenpostFormulier(secties.Rijformulier):
    """Category, description and one amount per year of the looptijd (empty: no amount for that year)."""

    # The years come from the agreement, not the row; a row's amounts are read from the row (onderdelen).
    zelfde_velden_per_rij = True

    class Meta:
        model = Kostenpost
        fields = ["categorie", "omschrijving", "verdelen"]
        widgets = {"omschrijving": forms.TextInput()}
        help_texts = {
            "categorie": "Extra ondersteuningsaanbod, transitiekosten of vaste kosten van de samenwerking.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.jaren = self.afspraak.looptijd_jaren if self.afspraak is not None else []
        bestaand = self.instance.bedragen or {}
        for jaar in self.jaren:
            naam = f"bedrag_{jaar}"
            self.fields[naam] = BedragVeld(
                label=f"Bedrag {jaar}",
                required=False,
                help_text="In euro's, bijvoorbeeld 12.500,00." if jaar == self.jaren[0] else "",
            )
            if str(jaar) in bestaand:
                self.initial[naam] = uit_centen(bestaand[str(jaar)])
        self.order_fields(["categorie", "omschrijving", *[f"bedrag_{j}" for j in self.jaren], "verdelen"])

    def bedragen_uit_formulier(self):
        # Amounts for years outside the current looptijd stay as they are (the page reports them).
        bedragen = {j: c for j, c in (self.instance.bedragen or {}).items() if int(j) not in self.jaren}
        for jaar in self.jaren:
            waarde = self.cleaned_data.get(f"bedrag_{jaar}")
            if waarde is not None:
                bedragen[str(jaar)] = naar_centen(waarde)
        return dict(sorted(bedragen.items()))

    def clean(self):
        cleaned = super().clean()
        if self.jaren and not self.errors and all(cleaned.get(f"bedrag_{j}") is None for j in self.jaren):
            raise ValidationError("Vul voor ten minste één jaar een bedrag in (0 mag ook).")
        return cleaned

    def save(self, commit=True):
        self.instance.bedragen = self.bedragen_uit_formulier()
        return super().save(commit)


# --- geldstromen ----------------------------------------------------------------------------------


class GeldstroomFormulier(secties.Rijformulier):
    zelfde_velden_per_rij = True  # only the parties to choose from, the agreement's

    bedrag_per_jaar = BedragVeld(
        label="Bedrag per jaar",
        required=False,
        help_text="Als het bekend is, in euro's, bijvoorbeeld 40.000,00.",
    )

    class Meta:
        model = Geldstroom
        fields = ["bron", "omschrijving", "van", "duur", "karakter", "bedrag_per_jaar"]
        widgets = {"omschrijving": forms.TextInput()}
        help_texts = {
            "bron": "Uit welk budget het geld komt.",
            "omschrijving": "Bijvoorbeeld de regeling of het fonds; verplicht bij ‘Anders’.",
            "van": "De partij die het geld inbrengt.",
            "duur": "Structureel geld geeft continuïteit na de looptijd; tijdelijk geld vraagt een plan voor daarna.",
            "karakter": "Bestaand: geld dat al naar deze taak gaat. Aanvullend: nieuw geld voor deze afspraak.",
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bron") == Geldstroom.Bron.ANDERS and not (cleaned.get("omschrijving") or "").strip():
            self.add_error("omschrijving", "Beschrijf de bron als u ‘Anders’ kiest.")
        return cleaned


# --- bekostigingssystematiek ----------------------------------------------------------------------

SYSTEMATIEK = [
    ("individueel", "Individueel: traject- of productiefinanciering (p × q)"),
    ("beschikbaarheid", "Collectief: beschikbaarheidsfinanciering"),
    ("doelgroep", "Collectief: doelgroepfinanciering"),
]
SYSTEMATIEK_HULP = (
    "Individueel (p × q): inspanningsgericht, betaald per traject of product. Meer precisie, maar meer "
    "administratieve last en een productieprikkel; past bij kleine groepen met een diverse zorgvraag. "
    "Collectief, beschikbaarheid: de beschikbaarheid wordt betaald, ongeacht het gebruik; geeft meer zekerheid. "
    "Collectief, doelgroep: een afspraak voor de hele populatie, afgerekend op gebruik; geeft meer flexibiliteit. "
    "Voor licht en preventief aanbod op mbo-locaties is collectieve financiering aanbevolen, waarschijnlijk "
    "beschikbaarheidsfinanciering."
)


class BekostigingFormulier(secties.Sectieformulier):
    systematiek = forms.ChoiceField(
        label="Bekostigingssystematiek",
        choices=[("", "— nog niet gekozen —"), *SYSTEMATIEK],
        required=False,
        help_text=SYSTEMATIEK_HULP,
    )
    toelichting = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="Waarom deze keuze past bij het aanbod, en hoe en wanneer wordt afgerekend.",
    )


# --- verdeelsleutel -------------------------------------------------------------------------------

PEILJAAR_SOORTEN = (("inwoners", "inwoners CBS"), ("studenten", "studenten DUO"))


class VerdeelgroepFormulier(secties.Rijformulier):
    """A group of the verdeelsleutel; per party of the agreement a checkbox and (vaste percentages) a percentage."""

    # The text of a row reads neither the checkboxes nor the percentages of the form (VerdeelsleutelSectie), and
    # a peiljaar no longer loaded is named by the section itself: one form describes every group.
    zelfde_velden_per_rij = True

    aandeel = forms.CharField(
        label="Vast aandeel",
        required=False,
        max_length=20,
        help_text="Het deel van de kosten dat deze groep samen betaalt: een percentage (87 of 87%) of een breuk "
        "(1/3). De aandelen van alle groepen tellen op tot 100%. Leeg bij een bedrag per student.",
    )
    bedrag_per_student = BedragVeld(
        label="Bedrag per student per jaar",
        required=False,
        max_centen=MAX_PER_STUDENT_CENTEN,
        help_text="Alleen bij ‘Bedrag per student per jaar’, bijvoorbeeld 15,00. Die bijdragen dekken eerst een "
        "deel van de kosten; de groepen met een vast aandeel verdelen de rest.",
    )
    peiljaar = forms.TypedChoiceField(
        label="Peiljaar",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Het jaar van de inwoners (CBS) of de studentenaantallen (DUO). Leeg: het laatst geladen jaar.",
    )

    class Meta:
        model = Verdeelgroep
        fields = ["naam", "aandeel", "methode", "peiljaar", "bedrag_per_student", "toelichting"]
        widgets = {"toelichting": forms.TextInput()}
        help_texts = {
            "naam": "Bijvoorbeeld ‘Mbo-instelling’, ‘Zorgverzekeraar’ of ‘Gemeenten’.",
            "methode": "Hoe het aandeel van de groep over de partijen in de groep wordt verdeeld.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        peiljaren = berekening.peiljaren(self.gegevens, self.afspraak)
        keuzes = [("", "— het laatst geladen jaar —")]
        for jaar in sorted(set(peiljaren["inwoners"]) | set(peiljaren["studenten"]), reverse=True):
            soorten = [label for s, label in PEILJAAR_SOORTEN if jaar in peiljaren[s]]
            keuzes.append((jaar, f"{jaar} ({', '.join(soorten)})"))
        if self.instance.peiljaar and self.instance.peiljaar not in dict(keuzes):
            keuzes.append((self.instance.peiljaar, f"{self.instance.peiljaar} (niet meer geladen)"))
        self.fields["peiljaar"].choices = keuzes
        self.peiljaren = peiljaren
        self.partijen = sorted(_partijen(self), key=lambda p: (p.organisatie.naam.casefold(), p.pk))
        leden = {int(pk) for pk in (self.instance.leden or []) if str(pk).isdigit()}
        percentages = self.instance.percentages or {}
        for partij in self.partijen:
            lid = f"lid_{partij.pk}"
            pct = f"pct_{partij.pk}"
            self.fields[lid] = forms.BooleanField(label=str(partij), required=False)
            self.fields[pct] = forms.CharField(
                label=f"Percentage voor {partij}", required=False, max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}),
            )
            self.initial[lid] = partij.pk in leden
            if str(partij.pk) in percentages:
                self.initial[pct] = percentages[str(partij.pk)]

    # Rendering helpers for the section template.
    def basisvelden(self):
        return [self[naam] for naam in self.fields if not naam.startswith(("lid_", "pct_"))]

    def partijvelden(self):
        return [(p, self[f"lid_{p.pk}"], self[f"pct_{p.pk}"]) for p in self.partijen]

    def aantal_gekozen(self):
        return sum(1 for p in self.partijen if self[f"lid_{p.pk}"].value())

    def partijkeuze_open(self):
        """Show the table of parties unfolded: a new group, or errors to fix."""
        return self.instance.pk is None or bool(self.errors)

    def clean_aandeel(self):
        tekst = (self.cleaned_data.get("aandeel") or "").strip()
        if not tekst:
            return ""
        try:
            breuk = lees_aandeel(tekst)
        except ValueError as fout:
            raise ValidationError(str(fout)) from fout
        if breuk > 1:
            raise ValidationError("Een aandeel kan niet meer dan 100% zijn.")
        return tekst

    def clean_naam(self):
        naam = (self.cleaned_data.get("naam") or "").strip()
        if self.afspraak is not None and naam:
            andere = Verdeelgroep.objects.filter(afspraak=self.afspraak, naam__iexact=naam)
            if self.instance.pk:
                andere = andere.exclude(pk=self.instance.pk)
            if andere.exists():
                raise ValidationError("Er is al een groep met deze naam; geef elke groep een eigen naam.")
        return naam

    def clean(self):
        cleaned = super().clean()
        methode = cleaned.get("methode")
        gekozen = [p for p in self.partijen if cleaned.get(f"lid_{p.pk}")]
        self.gekozen_leden = [p.pk for p in gekozen]
        self.gekozen_percentages = {}
        if not gekozen:
            self.add_error(None, "Kies ten minste één partij voor deze groep.")
        if methode == Verdeelgroep.Methode.PER_STUDENT:
            if cleaned.get("aandeel"):
                self.add_error("aandeel", "Een groep die een bedrag per student betaalt heeft geen vast aandeel.")
            if not cleaned.get("bedrag_per_student") and "bedrag_per_student" not in self.errors:
                self.add_error("bedrag_per_student", "Vul het bedrag per student per jaar in.")
        elif methode:
            if not cleaned.get("aandeel") and "aandeel" not in self.errors:
                self.add_error("aandeel", "Vul het vaste aandeel van deze groep in, bijvoorbeeld 1/3 of 87%.")
            if cleaned.get("bedrag_per_student"):
                self.add_error(
                    "bedrag_per_student", "Een bedrag per student hoort alleen bij ‘Bedrag per student per jaar’."
                )
        if methode in ALLEEN_GEMEENTEN:
            geen_gemeente = [str(p) for p in gekozen if p.organisatie.gemeente_id is None]
            if geen_gemeente:
                self.add_error(
                    None,
                    "Naar inwoners of studenten verdelen kan alleen over gemeenten. Geen gemeente: "
                    + ", ".join(geen_gemeente) + ".",
                )
        peiljaar = cleaned.get("peiljaar")
        if methode and methode not in ALLEEN_GEMEENTEN:
            cleaned["peiljaar"] = None  # only inwoners and students have a peiljaar
        elif peiljaar:
            soort = "inwoners" if methode == Verdeelgroep.Methode.INWONERS else "studenten"
            if peiljaar not in self.peiljaren[soort]:
                beschikbaar = ", ".join(str(j) for j in sorted(self.peiljaren[soort])) or "geen"
                self.add_error(
                    "peiljaar",
                    f"Voor {peiljaar} zijn geen {'inwoners' if soort == 'inwoners' else 'studentenaantallen'} "
                    f"geladen (beschikbaar: {beschikbaar}).",
                )
        if methode == Verdeelgroep.Methode.PERCENTAGES:
            som = 0
            for partij in gekozen:
                tekst = (cleaned.get(f"pct_{partij.pk}") or "").strip()
                if not tekst:
                    self.add_error(f"pct_{partij.pk}", f"Vul het percentage van {partij} in.")
                    continue
                try:
                    waarde = lees_aandeel(tekst)
                except ValueError as fout:
                    self.add_error(f"pct_{partij.pk}", str(fout))
                    continue
                self.gekozen_percentages[str(partij.pk)] = tekst
                som += waarde
            if len(self.gekozen_percentages) == len(gekozen) and gekozen and som != 1:
                self.add_error(None, f"De percentages tellen op tot {procent(som)}; dat moet precies 100% zijn.")
        return cleaned

    def save(self, commit=True):
        self.instance.leden = sorted(getattr(self, "gekozen_leden", []))
        self.instance.percentages = dict(sorted(getattr(self, "gekozen_percentages", {}).items()))
        return super().save(commit)
