"""The content of the four phases: the questions of the conversation plate, as sections of the agreement.

Source: shared/domain/fasen.md (*Handvatten voor gesprek — Bestuur en beleid*, seed 000). Every question
is a field with the question as its label and its tip as help text. Where a question asks for facts, the
section has structured fields and, where the application has the data, read-only facts next to them
(`feiten_template` + `extra_context`), computed from what the request loaded once (`Toetsgegevens`) so
that a phase page takes the same number of queries however many parties an agreement has.

The aanbod and financiering of Vormgeven are contributed by those apps (volgorde 50–70 and 80–89).
The keys of the sections below are also what the toetsregels of afspraken read (afspraken.toetsregels).
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable

from django import forms
from django.utils import formats
from django.utils.text import Truncator

from accounts.models import Organisatie
from regio import cijfers

from . import secties
from .formulieren import DATUM
from .models import Ambitie, Fase, Indicator, Partij, Rapportage, Resultaat
from .partijen import DREMPEL_BUITEN_REGIO, studenten_buiten_regio
from .toetsing import Toetsgegevens

# --- keys (the toetsregels and the tests use these) ----------------------------------------------

BESTUURLIJK_OVERLEG = "verkennen-bestuurlijk-overleg"
PARTNERS = "verkennen-partners"
CENTRUMGEMEENTE = "verkennen-centrumgemeente"
FINANCIERING_NU = "verkennen-financiering"
REGIE = "verkennen-regie"
STUDENTEN = "verkennen-studenten"
ALLE_STUDENTEN = "verkennen-alle-studenten"
ONDERSTEUNINGSVRAGEN = "verkennen-ondersteuningsvragen"

VISIE = "verbeelden-visie"
AMBITIES_TEKST = "verbeelden-ambities"
AMBITIES = "verbeelden-ambitielijst"
RESULTATEN = "verbeelden-resultaten"
INDICATOREN = "verbeelden-indicatoren"

AANSLUITING = "vormgeven-aansluiting"
GOVERNANCE = "vormgeven-governance"
KWALITEITSEISEN = "vormgeven-kwaliteitseisen"
DEKKEND_AANBOD = "vormgeven-dekkend-aanbod"
PROFESSIONALISERING = "vormgeven-professionalisering"

OPBRENGST = "verankeren-opbrengst"
RAPPORTAGES = "verankeren-rapportages"
CONTINUITEIT = "verankeren-continuiteit"
CONTINUITEIT_FINANCIERING = "verankeren-financiering"
AANPAK = "verankeren-aanpak"
EVALUATIE = "verankeren-evaluatie"

BASISAFSPRAAK_4 = (
    "Deze afspraken gelden voor alle studenten van een mbo-instelling, ongeacht de gemeente waarin ze wonen, "
    "leeftijd of mbo-locatie."
)

INKOOP_KEUZES = [
    ("", "—"),
    ("dsp_regio", "De doorstroompuntregio (DSP-regio) koopt in"),
    ("contactgemeente", "De contactgemeente koopt in"),
    ("mbo_instelling", "De mbo-instelling koopt in"),
]
JA_NEE = [("", "—"), ("ja", "Ja"), ("nee", "Nee")]
PROFESSIONALISERINGSVORMEN = [
    ("coaching", "Coaching"),
    ("training", "Training"),
    ("intervisie", "Intervisie"),
    ("supervisie", "Supervisie"),
]


# --- fields ----------------------------------------------------------------------------------------


def _tekst(label, hulp="", regels=4):
    return forms.CharField(
        label=label, help_text=hulp, required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": regels})
    )


def _regel(label, hulp=""):
    return forms.CharField(label=label, help_text=hulp, required=False, max_length=300)


def _ja_nee(label, hulp=""):
    return forms.ChoiceField(label=label, help_text=hulp, required=False, choices=JA_NEE)


def _partij(label, hulp=""):
    # The choices become this agreement's parties (secties.beperk_partijkeuzes), from the cached list.
    return forms.ModelChoiceField(label=label, help_text=hulp, required=False, queryset=Partij.objects.none())


def _datum(label, hulp=""):
    return forms.DateField(label=label, help_text=hulp, required=False, widget=DATUM)


# --- per-request cache on the Toetsgegevens -------------------------------------------------------


def _onthoud(gegevens, naam, maak):
    """Compute once per request: the value is kept on the request's Toetsgegevens."""
    if gegevens is None:
        return maak()
    cache = gegevens.__dict__.setdefault("_fasen", {})
    if naam not in cache:
        cache[naam] = maak()
    return cache[naam]


def _gegevens(afspraak, gegevens):
    return gegevens if gegevens is not None else Toetsgegevens(afspraak)


def regio_cijfers(afspraak, gegevens):
    """The region's student figures (regio.cijfers), once per request."""
    return _onthoud(gegevens, "regio_cijfers", lambda: cijfers.regio_cijfers(afspraak.regio))


def _zonder_accenten(tekst):
    return "".join(c for c in unicodedata.normalize("NFKD", tekst) if not unicodedata.combining(c)).casefold()


def noemt(tekst, naam):
    """Does the text name this gemeente (as a whole word, ignoring case and accents)?"""
    if not tekst or not naam:
        return False
    return re.search(rf"(?<!\w){re.escape(_zonder_accenten(naam))}(?!\w)", _zonder_accenten(tekst)) is not None


def gemeenten_buiten_regio(afspraak, gegevens, uit_cijfers=False):
    """[GemeenteBuiten], largest share first, each marked with whether it is a party or named (by its own
    name, ignoring case and accents) in the answer on how gemeenten outside the region are involved.

    uit_cijfers: from the region's figures (regio_cijfers, which phase 1 shows anyway) instead of a query."""
    c = regio_cijfers(afspraak, gegevens) if uit_cijfers else None
    buiten = _onthoud(gegevens, "gemeenten_buiten", lambda: studenten_buiten_regio(afspraak.regio, c))
    partij_organisaties = {p.organisatie_id for p in gegevens.partijen}
    tekst = gegevens.antwoord(ALLE_STUDENTEN, "gemeenten_buiten") or ""
    return [
        replace(g, is_partij=g.organisatie_id in partij_organisaties, genoemd=noemt(tekst, g.naam)) for g in buiten
    ]


# --- section kinds with facts ----------------------------------------------------------------------


@dataclass
class Fasetekst(secties.Tekstsectie):
    """A text section of a phase, optionally with read-only facts computed by `feiten(afspraak, gegevens)`."""

    feiten: Callable | None = None

    def extra_context(self, afspraak, gegevens):
        return self.feiten(afspraak, _gegevens(afspraak, gegevens)) if self.feiten else {}


@dataclass
class Faserijen(secties.Rijensectie):
    """A row section of a phase: decimals shown the Dutch way in history and read-only views."""

    feiten: Callable | None = None

    def extra_context(self, afspraak, gegevens):
        return self.feiten(afspraak, _gegevens(afspraak, gegevens)) if self.feiten else {}

    def momentopname(self, formulier, rij):
        uitkomst = super().momentopname(formulier, rij)
        for naam, veld in formulier.fields.items():
            if isinstance(veld, forms.DecimalField):
                waarde = getattr(rij, naam, None)
                uitkomst[str(veld.label)] = (
                    "" if waarde is None else formats.number_format(waarde, decimal_pos=veld.decimal_places)
                )
        return uitkomst


# --- fase 1: Verkennen -----------------------------------------------------------------------------


class BestuurlijkOverlegFormulier(secties.Sectieformulier):
    er_is_overleg = _ja_nee(
        "Is er een bestuurlijk overleg in de regio dat initiatief kan nemen tot samenwerking?"
    )
    welk_overleg = _regel("Welk overleg is dat?", "Bijvoorbeeld de naam van het overleg en wie erin zitten.")
    antwoord = _tekst("Zo nee, hoe kunnen jullie er in de regio dan toe komen?")


class PartnersFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Ga na welke partners voor bestuurlijk overleg nodig zijn en breng hen om tafel.",
        "Tip: denk aan verantwoordelijke financiers: gemeenten, regionale inkooporganisaties, mbo-instellingen en "
        "zorgverzekeraar(s). Denk ook aan instellingen die betrokken zijn bij de ondersteuningsvragen zoals "
        "wijkteams, (jeugd)hulpinstellingen, wmo-instellingen of schuldsanering.",
    )


def feiten_partners(afspraak, gegevens):
    partijen = gegevens.partijen
    per_rol = {}
    for partij in partijen:
        per_rol.setdefault(partij.rol, []).append(partij)
    rollen = [(label, per_rol[waarde]) for waarde, label in Partij.Rol.choices if waarde in per_rol]
    heeft_zorgverzekeraar = any(
        p.organisatie.partner_soort == Organisatie.PartnerSoort.ZORGVERZEKERAAR for p in partijen
    )
    return {"aantal": len(partijen), "rollen": rollen, "zonder_zorgverzekeraar": not heeft_zorgverzekeraar}


class CentrumgemeenteFormulier(secties.Sectieformulier):
    centrumgemeente = _partij(
        "Welke gemeente is de centrumgemeente?", "Laat leeg als er geen centrumgemeente is die een rol speelt."
    )
    antwoord = _tekst(
        "In hoeverre speelt een centrumgemeente in deze ((jeugd)hulp)regio een rol? Welke rol pakt deze "
        "centrumgemeente en welke invloed heeft dit voor kleine(re) gemeenten?",
        "Tip: als de rol van de centrumgemeente legitiem is, faciliteert dit de mogelijkheid om niet alleen namens "
        "de gemeente maar ook namens de regio afspraken te maken over de verbinding.",
    )


def contactgemeente_en_partij(afspraak, gegevens):
    """(the region's contactgemeente or None, its party or None)."""
    contact = afspraak.regio.contactgemeente
    if contact is None:
        return None, None
    partij = next((p for p in gegevens.partijen if p.organisatie.gemeente_id == contact.pk), None)
    return contact, partij


def feiten_contactgemeente(afspraak, gegevens):
    contact, partij = contactgemeente_en_partij(afspraak, gegevens)
    eindverantwoordelijken = [p for p in gegevens.partijen if p.financieel_eindverantwoordelijk]
    return {
        "contactgemeente": contact,
        "contact_is_partij": partij is not None,
        "eindverantwoordelijken": eindverantwoordelijken,
    }


class FinancieringNuFormulier(secties.Sectieformulier):
    financiers = forms.ModelMultipleChoiceField(
        label="Wie financiert de aansluiting tussen mbo en (jeugd)hulp?",
        help_text="Kies de partijen die er nu aan bijdragen.",
        required=False,
        queryset=Partij.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    antwoord = _tekst(
        "En hoe is dit dan gefinancierd?",
        "Tip: wees transparant over financiering. Dat is een belangrijke basis voor goede samenwerkingsafspraken. "
        "Wat wordt bekostigd vanuit onderwijsmiddelen en welk deel door gemeenten (vanuit (jeugd)hulpverlening, "
        "Wmo of Participatiewet) en/of zorgverzekeraar?",
    )
    onderwijsmiddelen = _tekst(
        "Wat wordt bekostigd vanuit onderwijsmiddelen?",
        "Bijvoorbeeld lumpsum, kwaliteitsgelden, vsv-middelen of middelen passend onderwijs.",
        regels=2,
    )
    gemeentelijk = _tekst(
        "Welk deel betalen gemeenten, en uit welk budget?",
        "Vanuit (jeugd)hulpverlening (Jeugdwet), Wmo of Participatiewet.",
        regels=2,
    )
    zorgverzekeraar = _tekst(
        "Welk deel betaalt de zorgverzekeraar?", "Vanuit de Zorgverzekeringswet.", regels=2
    )
    overig = _tekst(
        "Andere bronnen", "Bijvoorbeeld projectsubsidies, fondsen of een specifieke uitkering (SPUK).", regels=2
    )
    transparantie = _tekst(
        "Wat is over de financiering nog niet duidelijk of nog niet gedeeld?",
        "Noem wat partijen nog van elkaar moeten weten; dat kan een actie worden.",
        regels=2,
    )


FINANCIERING_BRONNEN = ("antwoord", "onderwijsmiddelen", "gemeentelijk", "zorgverzekeraar", "overig")


class RegieFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Wie voert de regie?",
        "Tip: de mbo-instellingen voeren regie op het onderwijsproces. De gemeenten op de organisatie van de hulp "
        "en steun bij maatschappelijke ondersteuning en arbeidstoeleiding. Afspraken over de regie van het "
        "samenwerken dienen zij in onderling overleg te maken.",
    )
    regie_onderwijs = _partij("Welke partij voert de regie op het onderwijsproces?")
    regie_hulp = _partij("Welke partij voert de regie op de hulp en ondersteuning?")
    regie_samenwerking = _partij(
        "Welke partij voert de regie op het samenwerken?", "Dat spreken de partijen in onderling overleg af."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.voorgesteld = False
        if not self.initial and self.gegevens is not None:
            # Never saved: propose from the parties at the table, as the tip describes.
            instellingen = [p for p in self.gegevens.partijen if p.rol == Partij.Rol.INSTELLING]
            contact = [p for p in self.gegevens.partijen if p.rol == Partij.Rol.CONTACTGEMEENTE]
            if len(instellingen) == 1:
                self.initial["regie_onderwijs"] = instellingen[0].pk
            if len(contact) == 1:
                self.initial["regie_hulp"] = contact[0].pk
            self.voorgesteld = bool(self.initial)


class StudentenFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Heeft u uw populatie mbo-studenten goed in beeld? Waar komen ze vandaan? In welke gemeente wonen zij? "
        "En naar welke scholen gaan zij?",
        "Tip: de regionale verschillen zijn groot. Als landelijke vuistregel kan gebruikt worden: 30% uit de plaats "
        "van vestiging van de mbo-instelling, 40% uit de regio, 30% van buiten de regio.",
    )


def feiten_studenten(afspraak, gegevens):
    c = regio_cijfers(afspraak, gegevens)
    return {
        "cijfers": c,
        "vuistregel": cijfers.vuistregel_delen(),
        "vuistregel_bron": cijfers.VUISTREGEL_BRON,
    }


class AlleStudentenFormulier(secties.Sectieformulier):
    alle_studenten = forms.BooleanField(
        label=(
            "De partijen spreken af: deze afspraken gelden voor alle studenten van de mbo-instellingen, ongeacht de "
            "gemeente waarin ze wonen, hun leeftijd of hun mbo-locatie."
        ),
        help_text=f"Basisafspraak 4: “{BASISAFSPRAAK_4}”",
        required=False,
    )
    gemeenten_buiten = _tekst(
        "Hoe zijn de gemeenten buiten de regio betrokken waar studenten van deze instellingen wonen?",
        "Noem elke gemeente buiten de regio waar 1% of meer van de studenten woont en die geen partij is, bij naam, "
        "en hoe zij betrokken is: bijvoorbeeld via de afspraak van haar eigen regio of met een bijdrage per student.",
    )


def feiten_alle_studenten(afspraak, gegevens):
    return {
        "buiten": gemeenten_buiten_regio(afspraak, gegevens, uit_cijfers=True),
        "drempel": f"{DREMPEL_BUITEN_REGIO * 100:.0f}%",
        "basisafspraak": BASISAFSPRAAK_4,
    }


class OndersteuningsvragenFormulier(secties.Sectieformulier):
    aard_omvang = _tekst(
        "Ga na wat de aard en omvang van ondersteuningsvragen van de studenten zijn.",
        "Alleen als aantallen (per gemeente, leefgebied of soort ondersteuning): schrijf hier nooit persoonsgegevens "
        "van studenten.",
    )
    aanwezig_aanbod = _tekst("Verken het aanwezige ondersteuningsaanbod in en buiten de instelling.")
    regionaal_karakter = _tekst("Hoe breed is het regionale karakter van de mbo-instelling(en)?", regels=3)
    vragen = _tekst(
        "Welke vragen roept dit vervolgens op voor de samenwerking tussen mbo en (jeugd)hulp?", regels=3
    )
    schaal = _tekst("Met wie en op welke schaal zijn afspraken realistisch?", regels=3)


# --- fase 2: Verbeelden ----------------------------------------------------------------------------


class VisieFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Op welke manier betrekt de gemeente/betrekken gemeenten het mbo bij visieontwikkeling over de aansluiting "
        "van het sociale domein op het onderwijs?"
    )


class AmbitiesFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Welke ambities bestaan er aangaande de samenwerking tussen mbo en (jeugd)hulp?",
        "Tip: deel onderling de visies op ondersteuning aan studenten in het mbo en breng deze samen tot één. Zorg "
        "voor een bestuurlijke opdrachtgever en bijbehorend kader.",
    )
    opdrachtgever = _regel(
        "Wie is de bestuurlijke opdrachtgever?", "Bijvoorbeeld het bestuurlijk overleg of een portefeuillehouder."
    )
    kader = _tekst("Wat is het bijbehorende kader?", regels=2)


def _kort(tekst, lengte=80):
    return Truncator(str(tekst)).chars(lengte)


def ambities_van(afspraak, gegevens):
    return _onthoud(gegevens, "ambities", lambda: list(Ambitie.objects.filter(afspraak=afspraak).order_by("pk")))


def resultaten_van(afspraak, gegevens):
    return _onthoud(
        gegevens, "resultaten", lambda: list(Resultaat.objects.filter(afspraak=afspraak).order_by("ambitie_id", "pk"))
    )


def _kies_ambitie(formulier, afspraak, gegevens):
    """Limit the ambitie choice to this agreement's ambities, rendered from one cached list."""
    veld = formulier.fields["ambitie"]
    veld.queryset = Ambitie.objects.filter(afspraak=afspraak)
    veld.choices = [("", "—")] + [(a.pk, _kort(a)) for a in ambities_van(afspraak, gegevens)]


class AmbitieFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = Ambitie
        fields = ["omschrijving", "toelichting"]
        labels = {"omschrijving": "Ambitie"}
        widgets = {"omschrijving": forms.TextInput(), "toelichting": forms.Textarea(attrs={"rows": 2})}


class ResultaatFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = Resultaat
        fields = ["ambitie", "omschrijving"]
        labels = {"omschrijving": "Resultaat"}
        help_texts = {
            "ambitie": "De ambitie waar dit resultaat bij hoort.",
            "omschrijving": "Wat moet er per ambitie behaald zijn?",
        }
        widgets = {"omschrijving": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.afspraak is not None:
            _kies_ambitie(self, self.afspraak, self.gegevens)


class IndicatorFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = Indicator
        fields = [
            "ambitie", "resultaat", "naam", "eenheid", "nulmeting", "streefwaarde", "meetmoment", "meetfrequentie",
            "bron",
        ]
        localized_fields = ["nulmeting", "streefwaarde"]
        labels = {"naam": "Naam van de indicator", "resultaat": "Resultaat"}
        help_texts = {
            "resultaat": "Het resultaat dat deze indicator meet (niet verplicht).",
            "nulmeting": "De waarde vooraf, bijvoorbeeld 7,5.",
            "streefwaarde": "De waarde die u wilt bereiken, bijvoorbeeld 8,0.",
            "meetmoment": "Wanneer voor het eerst gemeten wordt.",
        }
        widgets = {"meetmoment": DATUM}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for naam in ("nulmeting", "streefwaarde"):
            self.fields[naam].widget.attrs["inputmode"] = "decimal"
        if self.afspraak is None:
            return
        _kies_ambitie(self, self.afspraak, self.gegevens)
        veld = self.fields["resultaat"]
        veld.queryset = Resultaat.objects.filter(afspraak=self.afspraak)
        ambities = {a.pk: _kort(a, 60) for a in ambities_van(self.afspraak, self.gegevens)}
        groepen = {}
        for resultaat in resultaten_van(self.afspraak, self.gegevens):
            groep = f"Bij ambitie: {ambities.get(resultaat.ambitie_id, '')}"
            groepen.setdefault(groep, []).append((resultaat.pk, _kort(resultaat)))
        veld.choices = [("", "—")] + list(groepen.items())

    def clean(self):
        cleaned = super().clean()
        ambitie, resultaat = cleaned.get("ambitie"), cleaned.get("resultaat")
        if ambitie and resultaat and resultaat.ambitie_id != ambitie.pk:
            self.add_error(
                "resultaat", "Dit resultaat hoort bij een andere ambitie. Kies een resultaat van deze ambitie."
            )
        return cleaned


def feiten_ambities(afspraak, gegevens):
    return {"geen_ambities": not ambities_van(afspraak, gegevens)}


# --- fase 3: Vormgeven -----------------------------------------------------------------------------


class AansluitingFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Hoe sluit de ondersteuningsstructuur van het mbo aan op die van de gemeenten (en andersom)?",
        "Tip: draag zorg voor een heldere aansturing en (overleg)structuur met betrokken partijen.",
    )


class GovernanceFormulier(secties.Sectieformulier):
    dsp_niveau = _ja_nee(
        "Organiseren de mbo-instellingen en gemeenten zich op het niveau van de doorstroompuntregio?",
        "Basisafspraak 11: mbo-instellingen en gemeenten organiseren zich op het niveau van de Doorstroompuntregio "
        "en kijken op basis daarvan welke aanvullende afspraken er nodig zijn.",
    )
    rol_contactgemeente = _tekst(
        "Welke rol heeft de contactgemeente?",
        "Bijvoorbeeld: ontvangt de specifieke uitkering (SPUK) en verdeelt die binnen de regio, koopt in namens de "
        "regio, is penvoerder of voorzitter van het overleg.",
        regels=3,
    )
    inkoop = forms.ChoiceField(
        label="Wie koopt het extra ondersteuningsaanbod in?",
        help_text="De drie mogelijkheden uit de basisafspraken (hoofdstuk 4, financiering): de DSP-regio, de "
        "contactgemeente of de mbo-instelling koopt in.",
        required=False,
        choices=INKOOP_KEUZES,
    )
    overlegstructuur = _tekst(
        "Hoe is de overlegstructuur ingericht?",
        "Wie overlegt met wie en hoe vaak, en hoe zijn de Sterke Lokale Teams van de gemeenten gekoppeld aan de "
        "doorstroompuntregio?",
        regels=3,
    )


class KwaliteitseisenFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Waaraan dient de ondersteuning te voldoen?",
        "Tip: bepaal de kwaliteitseisen. Maak onderscheid tussen onderwijs en gemeenten. Denk hierbij aan sluitende "
        "werkprocessen, periodieke toetsing op basis van casuïstiek of ingezette hulp, een integraal beeld en "
        "continuïteit van ondersteuning.",
    )
    eisen_onderwijs = _tekst("Kwaliteitseisen voor het onderwijs (de mbo-instellingen)", regels=3)
    eisen_gemeenten = _tekst("Kwaliteitseisen voor de gemeenten", regels=3)


class DekkendAanbodFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Hoe creëert u op organisatieniveau ruimte om een dekkend aanbod voor de student te ontwikkelen met de focus "
        "op het doorlopen van de schoolloopbaan?",
        "Tip: draag zorg voor tijd en ruimte om te mogen leren en ontwikkelen. Benut de feedback van studenten en "
        "collega's. Leer van andere werkpraktijken.",
    )


class ProfessionaliseringFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Hoe geeft u aandacht aan ruimte voor professionalisering van professionals op de werkvloer?",
        "Tip: de samenwerking tussen mbo en (jeugd)hulp is niet vanzelfsprekend. In beide sectoren vraagt "
        "samenwerking om specifieke competenties. Besteed daarom tijd aan coaching, training, intervisie en "
        "supervisie.",
    )
    vormen = forms.MultipleChoiceField(
        label="Welke vormen zetten de partijen in?",
        help_text="Kies alles wat van toepassing is.",
        required=False,
        choices=PROFESSIONALISERINGSVORMEN,
        widget=forms.CheckboxSelectMultiple,
    )


# --- fase 4: Verankeren ----------------------------------------------------------------------------


class OpbrengstFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Wat levert de aansluiting tussen mbo en (jeugd)hulpverlening op?",
        "Tip: bepaal en monitor de geleverde uitkomsten. Zorg voor periodieke verslaglegging als onderdeel van "
        "kwaliteitsbeleid. Bespreek de resultaten en bepaal verbeteracties met betrokkenen.",
    )
    monitor = _tekst(
        "Hoe worden de uitkomsten gemonitord?",
        "Bijvoorbeeld een regionale monitor met de indicatoren uit stap 2 (Verbeelden).",
        regels=2,
    )


class RapportageFormulier(secties.Rijformulier):
    leest_rij = False

    class Meta:
        model = Rapportage
        fields = ["onderwerp", "van", "aan", "frequentie", "eerste_datum"]
        labels = {"van": "Wie rapporteert", "aan": "Aan wie", "frequentie": "Hoe vaak"}
        help_texts = {
            "onderwerp": "Bijvoorbeeld de voortgang op de indicatoren, het bereik van het aanbod of de besteding.",
            "van": "De partij die rapporteert.",
        }
        widgets = {"eerste_datum": DATUM}


class ContinuiteitFormulier(secties.Sectieformulier):
    meerjarig = _ja_nee(
        "Is meerjarige financiering vastgelegd?",
        "Meerjarige afspraken zijn de norm: het regionaal programma loopt van 2026 tot en met 2029.",
    )
    antwoord = _tekst(
        "Hoe draagt u samen zorg voor continuïteit?",
        "Tip: een gemeenschappelijke regionale visie op het aansluitingsvraagstuk lijkt een voorwaarde om alle "
        "gemeenten financieel te laten participeren en daar meerjarenafspraken over vast te leggen. Ondersteun met "
        "een monitor die de resultaten gericht in beeld brengt.",
    )


def feiten_looptijd(afspraak, gegevens):
    return {"looptijd_jaren": afspraak.looptijd_jaren, "meerjarig": afspraak.is_meerjarig}


class ContinuiteitFinancieringFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Welke factoren zijn nog meer van belang voor continuïteit in financiering?",
        "Tip: borg door bestuurlijke besluitvorming (in regioverband) en verantwoording over de financiering in "
        "meerjarenafspraken (in regioverband) en geleverde uitkomsten. Zorg voor afstemming en samenhang met andere "
        "bestuurlijke gremia (zorgverzekeraar, gemeente, regio, school). Voorbeelden: in Leeuwarden is een "
        "verdeelsleutel afgesproken tussen alle Friese gemeenten. De gemeente Zwolle heeft een projectsubsidie "
        "toegekend voor het Deltion Jongerenteam.",
    )


class AanpakFormulier(secties.Sectieformulier):
    antwoord = _tekst(
        "Welke aanpak werkt het beste?",
        "Tip: samenwerking is in de praktijk alleen effectief mits beleid en management een consequente uitvoering "
        "steunen, borgen en dragen.",
    )


class EvaluatieFormulier(secties.Sectieformulier):
    tussentijds = _datum("Tussentijdse evaluatie", "Datum van de tussentijdse evaluatie.")
    eind = _datum("Eindevaluatie", "Datum van de evaluatie aan het einde van de looptijd.")
    antwoord = _tekst(
        "Hoe en met wie evalueren de partijen de afspraak?",
        "Bespreek de resultaten en bepaal verbeteracties met betrokkenen: jongeren, professionals en bestuurders.",
    )

    def clean(self):
        cleaned = super().clean()
        tussentijds, eind = cleaned.get("tussentijds"), cleaned.get("eind")
        if tussentijds and eind and eind < tussentijds:
            self.add_error("eind", "De eindevaluatie ligt vóór de tussentijdse evaluatie.")
        return cleaned


# --- registration ----------------------------------------------------------------------------------


def _definities():
    V1, V2, V3, V4 = Fase.VERKENNEN, Fase.VERBEELDEN, Fase.VORMGEVEN, Fase.VERANKEREN
    return [
        # Verkennen (the parties section, volgorde 5, is in afspraken.onderdelen)
        Fasetekst(sleutel=BESTUURLIJK_OVERLEG, fase=V1, volgorde=10, titel="Bestuurlijk overleg",
                  formulier_klasse=BestuurlijkOverlegFormulier),
        Fasetekst(sleutel=PARTNERS, fase=V1, volgorde=20, titel="Partners voor het bestuurlijk overleg",
                  formulier_klasse=PartnersFormulier, feiten_template="afspraken/secties/feiten_partners.html",
                  feiten=feiten_partners),
        Fasetekst(sleutel=CENTRUMGEMEENTE, fase=V1, volgorde=30, titel="De rol van de centrumgemeente",
                  formulier_klasse=CentrumgemeenteFormulier,
                  feiten_template="afspraken/secties/feiten_contactgemeente.html", feiten=feiten_contactgemeente),
        Fasetekst(sleutel=FINANCIERING_NU, fase=V1, volgorde=40, titel="Wie financiert nu?",
                  formulier_klasse=FinancieringNuFormulier, basisafspraken=(2,),
                  feiten_template="afspraken/secties/feiten_eindverantwoordelijke.html", feiten=feiten_contactgemeente),
        Fasetekst(sleutel=REGIE, fase=V1, volgorde=50, titel="Regie", formulier_klasse=RegieFormulier,
                  feiten_template="afspraken/secties/feiten_regie.html"),
        Fasetekst(sleutel=STUDENTEN, fase=V1, volgorde=60, titel="De studentenpopulatie",
                  formulier_klasse=StudentenFormulier, feiten_template="afspraken/secties/feiten_studenten.html",
                  feiten=feiten_studenten, basisafspraken=(4,)),
        Fasetekst(sleutel=ALLE_STUDENTEN, fase=V1, volgorde=65, titel="Alle studenten, ongeacht hun woongemeente",
                  formulier_klasse=AlleStudentenFormulier, basisafspraken=(4,),
                  feiten_template="afspraken/secties/feiten_alle_studenten.html", feiten=feiten_alle_studenten),
        Fasetekst(sleutel=ONDERSTEUNINGSVRAGEN, fase=V1, volgorde=70, titel="Ondersteuningsvragen en aanbod",
                  formulier_klasse=OndersteuningsvragenFormulier),
        # Verbeelden
        Fasetekst(sleutel=VISIE, fase=V2, volgorde=10, titel="Visieontwikkeling", formulier_klasse=VisieFormulier),
        Fasetekst(sleutel=AMBITIES_TEKST, fase=V2, volgorde=20, titel="Ambities voor de samenwerking",
                  formulier_klasse=AmbitiesFormulier),
        Faserijen(sleutel=AMBITIES, fase=V2, volgorde=30, titel="Ambities",
                  inleiding=(
                      "Hoe vertalen jullie deze ambities naar concrete resultaten? Tip: bespreek met betrokkenen "
                      "(jongeren, professionals, bestuurders) welke resultaten per ambitie behaald moeten worden en "
                      "hoe je dit met behulp van welke indicatoren gaat meten (vooraf en achteraf)."
                  ),
                  model=Ambitie, formulier_klasse=AmbitieFormulier, rij_naam="ambitie",
                  toevoegen_tekst="Ambitie toevoegen", basisafspraken=(12,)),
        Faserijen(sleutel=RESULTATEN, fase=V2, volgorde=40, titel="Resultaten per ambitie",
                  inleiding="Welke resultaten moeten per ambitie behaald worden?",
                  model=Resultaat, formulier_klasse=ResultaatFormulier, rij_naam="resultaat",
                  toevoegen_tekst="Resultaat toevoegen", select_related=("ambitie",),
                  template="afspraken/secties/fase_resultaten.html",
                  feiten_template="afspraken/secties/feiten_zonder_ambitie.html", feiten=feiten_ambities),
        Faserijen(sleutel=INDICATOREN, fase=V2, volgorde=50, titel="Indicatoren",
                  inleiding=(
                      "Hoe meet u of een resultaat behaald is: de nulmeting vooraf, de streefwaarde, wanneer en hoe "
                      "vaak er gemeten wordt, en de bron van de meting."
                  ),
                  model=Indicator, formulier_klasse=IndicatorFormulier, rij_naam="indicator",
                  toevoegen_tekst="Indicator toevoegen", select_related=("ambitie", "resultaat"),
                  template="afspraken/secties/fase_indicatoren.html", basisafspraken=(12,),
                  feiten_template="afspraken/secties/feiten_zonder_ambitie.html", feiten=feiten_ambities),
        # Vormgeven (aanbod 50–70 and financiering 80–89 come from their apps)
        Fasetekst(sleutel=AANSLUITING, fase=V3, volgorde=10, titel="Aansluiting van de ondersteuningsstructuren",
                  formulier_klasse=AansluitingFormulier, basisafspraken=(3,)),
        Fasetekst(sleutel=GOVERNANCE, fase=V3, volgorde=15, titel="Governance in de doorstroompuntregio",
                  formulier_klasse=GovernanceFormulier, basisafspraken=(11,),
                  feiten_template="afspraken/secties/feiten_contactgemeente.html", feiten=feiten_contactgemeente),
        Fasetekst(sleutel=KWALITEITSEISEN, fase=V3, volgorde=20, titel="Kwaliteitseisen",
                  formulier_klasse=KwaliteitseisenFormulier),
        Fasetekst(sleutel=DEKKEND_AANBOD, fase=V3, volgorde=25, titel="Ruimte voor een dekkend aanbod",
                  formulier_klasse=DekkendAanbodFormulier),
        Fasetekst(sleutel=PROFESSIONALISERING, fase=V3, volgorde=30, titel="Professionalisering",
                  formulier_klasse=ProfessionaliseringFormulier, basisafspraken=(6,)),
        # Verankeren
        Fasetekst(sleutel=OPBRENGST, fase=V4, volgorde=10, titel="Opbrengst en monitoring",
                  formulier_klasse=OpbrengstFormulier, basisafspraken=(12,)),
        Faserijen(sleutel=RAPPORTAGES, fase=V4, volgorde=15, titel="Voortgangsbewaking: wie rapporteert aan wie",
                  inleiding="Wie rapporteert wat aan wie, hoe vaak, en wanneer voor het eerst.",
                  model=Rapportage, formulier_klasse=RapportageFormulier, rij_naam="rapportage",
                  toevoegen_tekst="Rapportage toevoegen", select_related=("van__organisatie",),
                  template="afspraken/secties/fase_rapportages.html", basisafspraken=(12,)),
        Fasetekst(sleutel=CONTINUITEIT, fase=V4, volgorde=20, titel="Continuïteit",
                  formulier_klasse=ContinuiteitFormulier, basisafspraken=(3,),
                  feiten_template="afspraken/secties/feiten_looptijd.html", feiten=feiten_looptijd),
        Fasetekst(sleutel=CONTINUITEIT_FINANCIERING, fase=V4, volgorde=30, titel="Continuïteit van financiering",
                  formulier_klasse=ContinuiteitFinancieringFormulier),
        Fasetekst(sleutel=AANPAK, fase=V4, volgorde=40, titel="Aanpak", formulier_klasse=AanpakFormulier),
        Fasetekst(sleutel=EVALUATIE, fase=V4, volgorde=50, titel="Evaluatie", formulier_klasse=EvaluatieFormulier),
    ]


def registreer_fasen():
    for definitie in _definities():
        secties.registreer(definitie)
