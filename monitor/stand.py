"""Where the country stands: per doorstroompuntregio the status of its uitvoeringsafspraak, and nationally
what a signed agreement covers. A fixed handful of queries, whatever the number of regions.

Two views of the same figures. The beheerder's shows the phase a concept is in and links to it; the
public one (publiek=True) shows nothing a draft contains: a concept or a version that is ready is
only "in voorbereiding", without title, phase or parties. A version offered for signing is final,
so its signature count is public, as is the date of a signature.

Covered ("gedekt"): a gemeente or mbo-instelling counts when its organisation is a party to a signed
agreement (basisafspraak 12 asks every gemeente and instelling to have laid down agreements); its
students are those of the covered instellingen, each instelling once, in the latest peiljaar. Out of:
the active gemeenten, and the instellingen present in a region (a covered one outside both is not
counted, so "x van y" never exceeds y).

The beheerder's phase of a concept is the first phase with a section never saved, not counting the
parties (set when the agreement starts) and the acties (optional).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from afspraken import secties
from afspraken.grafiek import datum
from afspraken.models import Fase, Ondertekening, Partij, Sectie, Uitvoeringsafspraak
from regio.aantallen import Aantal
from regio.cijfers import DEADLINE, studenten_per_instelling
from regio.models import Doorstroompuntregio, Gemeente, InstellingInRegio

GEEN = "geen"
IN_VOORBEREIDING = "in_voorbereiding"
TER_ONDERTEKENING = "ter_ondertekening"
ONDERTEKEND = "ondertekend"
STATUSSEN = {
    GEEN: "Nog geen uitvoeringsafspraak",
    IN_VOORBEREIDING: "In voorbereiding",
    TER_ONDERTEKENING: "Ter ondertekening",
    ONDERTEKEND: "Ondertekend",
}
VOLGORDE = [GEEN, IN_VOORBEREIDING, TER_ONDERTEKENING, ONDERTEKEND]


@dataclass
class Regiostand:
    regio: Doorstroompuntregio
    status: str  # one of STATUSSEN
    ondertekend_op: date | None = None  # of the version in force
    handtekeningen: int = 0  # of the version ter ondertekening
    partijen: int = 0  # parties of the version ter ondertekening, each signs
    # Only in the beheerder's view (None in the public one):
    afspraak_id: int | None = None  # the version being written or signed, else the one in force
    fase: Fase | None = None  # the first phase with a section never saved; None when all are
    gereed: bool = False  # the concept is marked ready to be offered
    wijziging_in_voorbereiding: bool = False  # a signed agreement with an amendment being written

    @property
    def status_tekst(self):
        return STATUSSEN[self.status]

    @property
    def voortgang(self):
        """The table's "Handtekeningen of datum": the signatures so far, or the date of signing; else None."""
        if self.status == TER_ONDERTEKENING:
            return f"{self.handtekeningen} van {self.partijen} handtekeningen"
        if self.status == ONDERTEKEND:
            return f"ondertekend op {datum_tekst(self.ondertekend_op)}"
        return None

    @property
    def toelichting(self):
        """The status in a few words, as the map's titles and text alternative say it."""
        if self.status == ONDERTEKEND:
            tekst = self.voortgang
            if self.wijziging_in_voorbereiding:
                tekst += "; een wijziging is in voorbereiding"
            return tekst
        if self.status == TER_ONDERTEKENING:
            return f"ter ondertekening, {self.voortgang}"
        if self.status == IN_VOORBEREIDING:
            if self.gereed:
                return "in voorbereiding, gereed om te ondertekenen"
            if self.fase is not None:
                return f"in voorbereiding, fase {self.fase.value}: {self.fase.label}"
            return "in voorbereiding"
        return "nog geen uitvoeringsafspraak"


@dataclass
class Landelijk:
    regios: list
    vandaag: date
    publiek: bool
    dagen_tot_deadline: int
    regios_gedekt: int
    gemeenten_gedekt: int
    gemeenten_totaal: int
    instellingen_gedekt: int
    instellingen_totaal: int
    studenten_gedekt: Aantal
    studenten_totaal: Aantal
    studenten_peiljaar: int | None
    per_status: dict = field(default_factory=dict)  # status → number of regions

    deadline = DEADLINE

    @property
    def regios_totaal(self):
        return len(self.regios)

    @property
    def verstreken(self):
        return self.dagen_tot_deadline < 0

    @property
    def dagen_na_deadline(self):
        return -self.dagen_tot_deadline

    @property
    def regios_niet_gedekt(self):
        return self.regios_totaal - self.regios_gedekt

    def regios_met(self, status):
        return [stand for stand in self.regios if stand.status == status]


def datum_tekst(dag):
    """31 december 2026, whatever the active language (afspraken.grafiek.datum)."""
    if dag is None:
        return "onbekende datum"
    return datum(dag)


def _lokale_datum(moment):
    if moment is None:
        return None
    return timezone.localdate(moment) if isinstance(moment, datetime) else moment


def _telt_mee_voor_fase(definitie):
    # The parties are set when the agreement starts and acties are optional: neither marks progress.
    return definitie.sleutel != "partijen" and not definitie.sleutel.startswith("acties-")


def _fasen_per_afspraak(afspraak_ids):
    """{afspraak pk: first phase with a section that was never saved, or None}: one query."""
    if not afspraak_ids:
        return {}
    opgeslagen = {}
    for afspraak_id, sleutel in Sectie.objects.filter(afspraak_id__in=afspraak_ids, versie__gt=0).values_list(
        "afspraak_id", "sleutel"
    ):
        opgeslagen.setdefault(afspraak_id, set()).add(sleutel)
    per_fase = [(fase, {d.sleutel for d in secties.van_fase(fase) if _telt_mee_voor_fase(d)}) for fase in Fase]
    uit = {}
    for afspraak_id in afspraak_ids:
        klaar = opgeslagen.get(afspraak_id, set())
        uit[afspraak_id] = next((fase for fase, sleutels in per_fase if sleutels - klaar), None)
    return uit


def landelijke_stand(publiek=True, vandaag=None):
    vandaag = vandaag or timezone.localdate()
    regios = list(Doorstroompuntregio.objects.select_related("contactgemeente").order_by("nummer"))
    afspraken = list(
        Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN)
        .annotate(
            aantal_partijen=Count("partijen", distinct=True),
            aantal_getekend=Count(
                "ondertekeningen", filter=Q(ondertekeningen__besluit=Ondertekening.Besluit.GETEKEND), distinct=True
            ),
        )
        .order_by("regio_id", "versie")
    )
    geldend = {a.regio_id: a for a in afspraken if a.status == Uitvoeringsafspraak.Status.ONDERTEKEND}
    open_ = {a.regio_id: a for a in afspraken if a.is_open}
    concepten = [a.pk for a in open_.values() if a.status == Uitvoeringsafspraak.Status.CONCEPT]
    fasen = {} if publiek else _fasen_per_afspraak(concepten)

    standen = []
    for regio in regios:
        in_kracht, bezig = geldend.get(regio.pk), open_.get(regio.pk)
        if in_kracht is not None:
            stand = Regiostand(regio, ONDERTEKEND, ondertekend_op=_lokale_datum(in_kracht.ondertekend_op))
            if not publiek:
                stand.afspraak_id = (bezig or in_kracht).pk
                stand.wijziging_in_voorbereiding = bezig is not None
        elif bezig is not None and bezig.status == Uitvoeringsafspraak.Status.TER_ONDERTEKENING:
            stand = Regiostand(
                regio, TER_ONDERTEKENING, handtekeningen=bezig.aantal_getekend, partijen=bezig.aantal_partijen
            )
            if not publiek:
                stand.afspraak_id = bezig.pk
        elif bezig is not None:
            stand = Regiostand(regio, IN_VOORBEREIDING)
            if not publiek:
                stand.afspraak_id = bezig.pk
                stand.gereed = bezig.status == Uitvoeringsafspraak.Status.GEREED
                stand.fase = fasen.get(bezig.pk)
        else:
            stand = Regiostand(regio, GEEN)
        standen.append(stand)

    getekend = [a.pk for a in geldend.values()]
    gemeenten_gedekt, instellingen_gedekt = set(), set()
    if getekend:
        for gemeente_id, gemeente_actief, instelling_id in Partij.objects.filter(afspraak_id__in=getekend).values_list(
            "organisatie__gemeente_id", "organisatie__gemeente__actief", "organisatie__instelling_id"
        ):
            if gemeente_id is not None and gemeente_actief:
                gemeenten_gedekt.add(gemeente_id)
            if instelling_id is not None:
                instellingen_gedekt.add(instelling_id)
    instellingen_totaal = set(InstellingInRegio.objects.values_list("instelling_id", flat=True))
    # "x van y": an instelling counts when it is in a region, like the total it is a part of.
    instellingen_gedekt &= instellingen_totaal
    studenten, peiljaar = studenten_per_instelling()
    per_status = {s: 0 for s in VOLGORDE}
    for stand in standen:
        per_status[stand.status] += 1
    return Landelijk(
        regios=standen,
        vandaag=vandaag,
        publiek=publiek,
        dagen_tot_deadline=(DEADLINE - vandaag).days,
        regios_gedekt=len(geldend),
        gemeenten_gedekt=len(gemeenten_gedekt),
        gemeenten_totaal=Gemeente.objects.filter(actief=True).count(),
        instellingen_gedekt=len(instellingen_gedekt),
        instellingen_totaal=len(instellingen_totaal),
        studenten_gedekt=sum((studenten[i] for i in instellingen_gedekt if i in studenten), Aantal()),
        studenten_totaal=sum((studenten[i] for i in instellingen_totaal if i in studenten), Aantal()),
        studenten_peiljaar=peiljaar,
        per_status=per_status,
    )


def openbare_stand(vandaag=None):
    """landelijke_stand(publiek=True): what anyone may see."""
    return landelijke_stand(publiek=True, vandaag=vandaag or timezone.localdate())
