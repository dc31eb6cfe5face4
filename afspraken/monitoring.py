"""Monitoring of a signed agreement: metingen per meetmoment, progress of acties, and what is overdue.

Measurements and progress are made while a signed version is in force, so they are not part of the frozen
content: `Meting` hangs on an indicator and `Actievoortgang` on an actie, without a foreign key to the
agreement. A new version copies indicatoren and acties with `voorganger` pointing at the old row
(versies.kopieer_inhoud); what was recorded on any row of that chain counts for the newest one.

Everything here loads in a fixed number of queries, whatever the number of agreements, indicatoren or
versions: the chains are built in Python from one query per model over the regions involved.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit import log

from . import grafiek
from .document import BASIS_URL, pdf_van_html
from .models import Actie, Actievoortgang, Ambitie, Frequentie, Indicator, Meting, Uitvoeringsafspraak

MAANDEN_PER_STAP = {
    Frequentie.EENMALIG: 0,
    Frequentie.MAANDELIJKS: 1,
    Frequentie.KWARTAAL: 3,
    Frequentie.HALFJAARLIJKS: 6,
    Frequentie.JAARLIJKS: 12,
}
ONDERTEKEND = Uitvoeringsafspraak.Status.ONDERTEKEND


class Geweigerd(Exception):
    """A meting or report that may not be recorded; the message says why, in Dutch."""


# --- meetmomenten ---------------------------------------------------------------------------------


def plus_maanden(d, maanden):
    """`d` plus a number of months; the 31st becomes the last day of a shorter month."""
    jaar, maand = divmod(d.month - 1 + maanden, 12)
    jaar, maand = d.year + jaar, maand + 1
    return datetime.date(jaar, maand, min(d.day, calendar.monthrange(jaar, maand)[1]))


def meetmomenten(indicator, looptijd_einde):
    """The scheduled dates of an indicator: the first meetmoment, then one per period up to the end.

    The first meetmoment always counts (the agreement names it); later ones only up to and including
    `looptijd_einde`. Without a frequentie the indicator is measured once. Periods are counted from
    the first date, so 31 January monthly gives 28/29 February, 31 March, …
    """
    eerste = indicator.meetmoment
    if eerste is None:
        return []
    stap = MAANDEN_PER_STAP.get(indicator.meetfrequentie or Frequentie.EENMALIG, 0)
    momenten = [eerste]
    if not stap:
        return momenten
    n = 1
    while (volgende := plus_maanden(eerste, n * stap)) <= looptijd_einde:
        momenten.append(volgende)
        n += 1
    return momenten


# --- chains of versions -----------------------------------------------------------------------------


def keten(pk, voorgangers):
    """pk, its voorganger, that one's voorganger, … (`voorgangers`: {pk: voorganger pk})."""
    gezien = []
    while pk is not None and pk not in gezien:
        gezien.append(pk)
        pk = voorgangers.get(pk)
    return gezien


def huidige_status(actie, laatste):
    """The status of an actie now: its latest progress report, unless the row itself was changed later
    (possible only in a concept, where the actie is edited directly)."""
    if laatste is not None and laatste.tijdstip >= actie.bijgewerkt_op:
        return laatste.status
    return actie.status


@dataclass
class _Gegevens:
    """Indicatoren, acties, metingen and progress of some agreements, loaded in six queries."""

    indicatoren: dict  # afspraak pk -> [Indicator]
    acties: dict  # afspraak pk -> [Actie]
    metingen: dict  # indicator pk (of any version) -> [Meting]
    voortgang: dict  # actie pk (of any version) -> [Actievoortgang], oldest first
    indicator_voorgangers: dict
    actie_voorgangers: dict

    def metingen_van(self, indicator):
        """Every meting of the indicator and its voorgangers, one per meetmoment (the newest), by date."""
        per_moment = {}
        for pk in keten(indicator.pk, self.indicator_voorgangers):
            for meting in self.metingen.get(pk, []):
                bestaand = per_moment.get(meting.meetmoment)
                if bestaand is None or (meting.ingevoerd_op, meting.pk) > (bestaand.ingevoerd_op, bestaand.pk):
                    per_moment[meting.meetmoment] = meting
        return [per_moment[d] for d in sorted(per_moment)]

    def voortgang_van(self, actie):
        meldingen = [v for pk in keten(actie.pk, self.actie_voorgangers) for v in self.voortgang.get(pk, [])]
        return sorted(meldingen, key=lambda v: (v.tijdstip, v.pk))


def _voorgangers(model, regio_ids):
    """{pk: voorganger pk} of every Indicator or Actie with a voorganger in these regions. The chains run
    within one region: every version of an agreement belongs to the same region."""
    return dict(
        model.objects.filter(afspraak__regio_id__in=regio_ids, voorganger__isnull=False)
        .values_list("pk", "voorganger_id")
    )


def _per(rijen, sleutel, uitkomst=None):
    """The rows grouped by an attribute, in their order: {value: [row]}."""
    uitkomst = {} if uitkomst is None else uitkomst
    for rij in rijen:
        uitkomst.setdefault(getattr(rij, sleutel), []).append(rij)
    return uitkomst


def _laad(afspraken, *, volledig, voor=None):
    """`volledig`: whole metingen with who entered them (a page); otherwise only what overdue needs.

    `voor` (only without `volledig`): what can be overdue on that day. Indicators only of signed versions, acties
    only with a deadline before it, and metingen, progress and voorgangers only where there are such rows: a
    list of concepts with nothing overdue costs one query, not six."""
    ids = [a.pk for a in afspraken]
    indicator_ids = ids if volledig else [a.pk for a in afspraken if a.status == ONDERTEKEND]
    indicatoren = _per(
        Indicator.objects.filter(afspraak_id__in=indicator_ids).order_by("pk") if indicator_ids else [],
        "afspraak_id", {pk: [] for pk in ids},
    )
    acties = Actie.objects.filter(afspraak_id__in=ids)
    if voor is not None:
        acties = acties.filter(deadline__lt=voor)
    acties = _per(
        acties.select_related("eigenaar__organisatie").order_by("deadline", "pk"), "afspraak_id",
        {pk: [] for pk in ids},
    )
    # The chains run within one region (every version of an agreement belongs to it): read per region.
    met_indicator = {a.regio_id for a in afspraken if indicatoren[a.pk]}
    met_actie = {a.regio_id for a in afspraken if acties[a.pk]}
    metingen = Meting.objects.filter(indicator__afspraak__regio_id__in=met_indicator).order_by("meetmoment", "pk")
    meldingen = Actievoortgang.objects.filter(actie__afspraak__regio_id__in=met_actie).order_by("tijdstip", "pk")
    if volledig:
        metingen, meldingen = metingen.select_related("ingevoerd_door"), meldingen.select_related("gebruiker")
    else:
        metingen = metingen.only("pk", "indicator_id", "meetmoment", "ingevoerd_op")
        meldingen = meldingen.only("pk", "actie_id", "status", "tijdstip")
    return _Gegevens(
        indicatoren, acties,
        _per(metingen, "indicator_id") if met_indicator else {},
        _per(meldingen, "actie_id") if met_actie else {},
        _voorgangers(Indicator, met_indicator) if met_indicator else {},
        _voorgangers(Actie, met_actie) if met_actie else {},
    )


# --- what is overdue ------------------------------------------------------------------------------


@dataclass
class Achterstand:
    afspraak: Uitvoeringsafspraak
    soort: str  # "meetmoment" or "actie"
    omschrijving: str  # indicator name, or the actie's omschrijving
    datum: datetime.date  # the meetmoment or deadline that passed
    eigenaar: str  # the responsible party's organisation name, or ""
    url: str  # where a party member fixes it (the monitoring page, with an anchor)

    @property
    def soort_tekst(self):
        return "Meetmoment" if self.soort == "meetmoment" else "Actie"


def monitoring_url(afspraak, anker=""):
    return reverse("afspraak_monitoring", args=[afspraak.pk]) + (f"#{anker}" if anker else "")


def _open_momenten(momenten, metingen, peildatum):
    """The scheduled dates before `peildatum` without a meting."""
    gemeten = {m.meetmoment for m in metingen}
    return [d for d in momenten if d < peildatum and d not in gemeten]


def _achterstanden(afspraak, gegevens, vandaag, overslaan_met_voorganger=False):
    uitkomst = []
    if afspraak.status == ONDERTEKEND:
        for indicator in gegevens.indicatoren[afspraak.pk]:
            momenten = meetmomenten(indicator, afspraak.looptijd_einde)
            for d in _open_momenten(momenten, gegevens.metingen_van(indicator), vandaag):
                uitkomst.append(Achterstand(
                    afspraak, "meetmoment", indicator.naam, d, "", monitoring_url(afspraak, f"indicator-{indicator.pk}")
                ))
    for actie in gegevens.acties[afspraak.pk]:
        if actie.deadline is None or actie.deadline >= vandaag:
            continue
        if overslaan_met_voorganger and actie.voorganger_id is not None:
            continue
        meldingen = gegevens.voortgang_van(actie)
        if huidige_status(actie, meldingen[-1] if meldingen else None) == Actie.Status.AFGEROND:
            continue
        eigenaar = actie.eigenaar.organisatie.naam if actie.eigenaar_id else ""
        url = monitoring_url(afspraak, f"actie-{actie.pk}")
        uitkomst.append(Achterstand(afspraak, "actie", actie.omschrijving, actie.deadline, eigenaar, url))
    return uitkomst


def achterstanden(afspraken, vandaag=None) -> list[Achterstand]:
    """What is overdue in these agreements, by date: meetmomenten without a meting and acties past their
    deadline that are not afgerond.

    Signed versions (the version in force): meetmomenten and acties, with the progress reported.
    Open versions (concept, gereed, ter ondertekening): only acties. Replaced versions: nothing. When an
    open amendment is passed together with the version in force it amends, its copies of that version's
    acties are left out, so an actie is reported once. A fixed number of queries, whatever the number.
    """
    vandaag = vandaag or timezone.localdate()
    afspraken = [a for a in afspraken if a.status != Uitvoeringsafspraak.Status.VERVANGEN]
    if not afspraken:
        return []
    gegevens = _laad(afspraken, volledig=False, voor=vandaag)
    geldend = {a.pk for a in afspraken if a.status == ONDERTEKEND}
    uitkomst = []
    for afspraak in afspraken:
        uitkomst += _achterstanden(afspraak, gegevens, vandaag, afspraak.vorige_versie_id in geldend)
    uitkomst.sort(key=lambda a: (a.datum, a.afspraak.regio_id, a.soort, a.omschrijving.casefold()))
    return uitkomst


# --- the state of one agreement: the monitoring page and the annual report ----------------------------


@dataclass
class Indicatorstand:
    indicator: Indicator
    momenten: list  # scheduled dates
    metingen: list  # Meting, of this indicator and its voorgangers, by meetmoment
    achterstallig: list  # dates passed without a meting
    grafiek: str = ""
    formulier: object = None

    @property
    def gemeten(self):
        return {m.meetmoment: m for m in self.metingen}

    @property
    def buiten_schema(self):
        """Metingen for a date that is no longer scheduled (an amendment changed the schedule)."""
        momenten = set(self.momenten)
        return [m for m in self.metingen if m.meetmoment not in momenten]


@dataclass
class Actiestand:
    actie: Actie
    status: str
    voortgang: list  # Actievoortgang, oldest first
    verlopen: bool
    formulier: object = None

    @property
    def status_tekst(self):
        return Actie.Status(self.status).label


@dataclass
class Monitoringstand:
    afspraak: Uitvoeringsafspraak
    ambities: list = field(default_factory=list)  # [(Ambitie, [Indicatorstand])]
    acties: list = field(default_factory=list)  # [Actiestand]
    achterstanden: list = field(default_factory=list)

    @property
    def indicatoren(self):
        return [s for _, standen in self.ambities for s in standen]


def stand(afspraak, vandaag=None, tot=None):
    """Everything the monitoring page and the annual report show, in a fixed number of queries.

    `tot`: only metingen with a meetmoment up to this date and progress reported before its end (the
    annual report of a year); overdue is then judged on min(vandaag, tot).
    """
    vandaag = vandaag or timezone.localdate()
    peildatum = min(vandaag, tot + datetime.timedelta(days=1)) if tot else vandaag
    gegevens = _laad([afspraak], volledig=True)
    if tot:
        grens = timezone.make_aware(datetime.datetime.combine(tot + datetime.timedelta(days=1), datetime.time()))
        gegevens.metingen = {
            pk: [m for m in rijen if m.meetmoment <= tot] for pk, rijen in gegevens.metingen.items()
        }
        gegevens.voortgang = {
            pk: [v for v in rijen if v.tijdstip < grens] for pk, rijen in gegevens.voortgang.items()
        }
    uitkomst = Monitoringstand(afspraak)
    per_ambitie = {}
    for indicator in gegevens.indicatoren[afspraak.pk]:
        metingen = gegevens.metingen_van(indicator)
        # The numbers as the chart writes them (12,5 rather than 12,50), so table and chart read the same.
        indicator.nulmeting_tekst = grafiek.getal(indicator.nulmeting)
        indicator.streefwaarde_tekst = grafiek.getal(indicator.streefwaarde)
        for meting in metingen:
            meting.waarde_tekst = grafiek.getal(meting.waarde)
        momenten = meetmomenten(indicator, afspraak.looptijd_einde)
        indicatorstand = Indicatorstand(
            indicator=indicator,
            momenten=momenten,
            metingen=metingen,
            achterstallig=_open_momenten(momenten, metingen, peildatum) if afspraak.status == ONDERTEKEND else [],
        )
        indicatorstand.grafiek = grafiek.lijngrafiek(
            [(m.meetmoment, m.waarde) for m in metingen],
            start=afspraak.looptijd_start, einde=afspraak.looptijd_einde,
            nulmeting=indicator.nulmeting, streefwaarde=indicator.streefwaarde,
            titel=f"Verloop van {indicator.naam}", id_prefix=f"grafiek-{indicator.pk}", eenheid=indicator.eenheid,
        )
        per_ambitie.setdefault(indicator.ambitie_id, []).append(indicatorstand)
    for ambitie in Ambitie.objects.filter(afspraak=afspraak).order_by("pk"):
        uitkomst.ambities.append((ambitie, per_ambitie.get(ambitie.pk, [])))
    for actie in gegevens.acties[afspraak.pk]:
        meldingen = gegevens.voortgang_van(actie)
        status = huidige_status(actie, meldingen[-1] if meldingen else None)
        verlopen = actie.deadline is not None and actie.deadline < peildatum and status != Actie.Status.AFGEROND
        uitkomst.acties.append(Actiestand(actie, status, meldingen, verlopen))
    if afspraak.status != Uitvoeringsafspraak.Status.VERVANGEN:  # a replaced version has nothing left to fix
        uitkomst.achterstanden = sorted(
            _achterstanden(afspraak, gegevens, peildatum), key=lambda a: (a.datum, a.soort, a.omschrijving.casefold())
        )
    return uitkomst


# --- recording --------------------------------------------------------------------------------------


def _geldende_versie(afspraak_pk):
    """The agreement locked for the duration of the transaction, if it is the version in force."""
    afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak_pk)
    if afspraak.status != ONDERTEKEND:
        raise Geweigerd(
            "Metingen en voortgang worden alleen vastgelegd bij de geldende, ondertekende versie van de "
            f"uitvoeringsafspraak. Deze versie is {afspraak.get_status_display().lower()}."
        )
    return afspraak


def leg_meting_vast(indicator, *, meetmoment, waarde, gemeten_op, door, bron="", toelichting="", vandaag=None):
    """Record the meting of `indicator` for `meetmoment`; a second one for the same moment replaces the first
    (also when that one hangs on a voorganger), with the old values in the audit log.

    Returns (meting, vervangen: dict of the old values or None). Raises Geweigerd when the version is not in
    force, the meetmoment is not scheduled, or the date of measuring lies in the future.
    """
    vandaag = vandaag or timezone.localdate()
    with transaction.atomic():
        afspraak = _geldende_versie(indicator.afspraak_id)
        if meetmoment not in meetmomenten(indicator, afspraak.looptijd_einde):
            raise Geweigerd("Dit is geen meetmoment van deze indicator.")
        if gemeten_op > vandaag:
            raise Geweigerd("De datum van meten ligt in de toekomst.")
        voorgangers = _voorgangers(Indicator, [afspraak.regio_id])
        meting = (
            Meting.objects.select_for_update()
            .filter(indicator_id__in=keten(indicator.pk, voorgangers), meetmoment=meetmoment)
            .order_by("-ingevoerd_op", "-pk")
            .first()
        )
        vervangen = None
        if meting is None:
            meting = Meting(indicator=indicator, meetmoment=meetmoment)
        else:
            vervangen = {
                "waarde": str(meting.waarde), "gemeten_op": meting.gemeten_op.isoformat(), "bron": meting.bron,
                "toelichting": meting.toelichting, "ingevoerd_door": meting.ingevoerd_door_id,
                "ingevoerd_op": meting.ingevoerd_op.isoformat(), "indicator": meting.indicator_id,
            }
            meting.indicator = indicator  # it now belongs to the version in force
        meting.waarde = waarde
        meting.gemeten_op = gemeten_op
        meting.bron = bron
        meting.toelichting = toelichting
        meting.ingevoerd_door = door
        meting.ingevoerd_op = timezone.now()
        meting.save()
        log.leg_vast(
            log.Actie.METING_VASTGELEGD, gebruiker=door, object=meting,
            onderwerp=f"{indicator.naam} — meetmoment {grafiek.datum(meetmoment)}"[:300],
            afspraak=afspraak.pk, indicator=indicator.pk, meetmoment=meetmoment.isoformat(),
            waarde=str(waarde), gemeten_op=gemeten_op.isoformat(), vervangen=vervangen,
        )
    return meting, vervangen


def meld_voortgang(actie, *, status, door, toelichting=""):
    """Report that an actie of the version in force is now `status`; insert-only, the latest counts."""
    if status not in Actie.Status.values:
        raise Geweigerd("Kies een geldige status.")
    with transaction.atomic():
        _geldende_versie(actie.afspraak_id)
        return Actievoortgang.objects.create(actie=actie, status=status, toelichting=toelichting, gebruiker=door)


# --- the annual monitoring report ---------------------------------------------------------------------


def rapport_bestandsnaam(afspraak, jaar):
    return f"monitoringsrapport-regio-{afspraak.regio.nummer}-versie-{afspraak.versie}-{jaar}.pdf"


def rapport_context(afspraak, jaar, vandaag=None, voor_pdf=False):
    """The report of calendar year `jaar`: metingen up to the end of that year, progress reported by then,
    and what was overdue at the end of the year (or today, for the current year)."""
    vandaag = vandaag or timezone.localdate()
    einde_jaar = datetime.date(jaar, 12, 31)
    gegevens = stand(afspraak, vandaag, tot=einde_jaar)
    for actiestand in gegevens.acties:
        actiestand.voortgang_dit_jaar = [v for v in actiestand.voortgang if timezone.localtime(v.tijdstip).year == jaar]
    return {
        "afspraak": afspraak,
        "regio": afspraak.regio,
        "jaar": jaar,
        "stand": gegevens,
        "peildatum": min(vandaag, einde_jaar),
        "gemaakt_op": timezone.now(),
        "voor_pdf": voor_pdf,
        "statisch": BASIS_URL,
        "auteur": f"De partijen van doorstroompuntregio {afspraak.regio.naam}",
    }


def render_rapport_html(afspraak, jaar, vandaag=None, voor_pdf=False):
    with translation.override("nl"):
        return render_to_string(
            "document/monitoringsrapport.html", rapport_context(afspraak, jaar, vandaag, voor_pdf=voor_pdf)
        )


def render_rapport_pdf(afspraak, jaar, vandaag=None) -> bytes:
    """The annual report as a tagged PDF/A-2a, through the document's renderer, fonts and URL fetcher."""
    return pdf_van_html(render_rapport_html(afspraak, jaar, vandaag, voor_pdf=True))
