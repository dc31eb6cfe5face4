"""Monitoring of an agreement: metingen per indicator with their chart, progress of acties, what is overdue,
and the annual monitoring report as PDF (made by the task worker).

Everyone who may read the agreement sees the page; beleidsmakers of a party record metingen and progress,
and only on the version in force (ondertekend). Forms work as plain POSTs: success redirects back to the
indicator or actie, invalid input shows the page again with the errors and status 422, writing nothing.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import afdrukken, grafiek
from .. import monitoring as dienst
from ..formulieren import ActievoortgangFormulier, MetingFormulier
from ..models import Actie, Afdruk, Indicator, Uitvoeringsafspraak
from ..rechten import afspraak_of_404, mag_meeschrijven
from . import afdruk


def _meten(gebruiker, afspraak):
    return afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND and mag_meeschrijven(gebruiker, afspraak)


def _pagina(request, afspraak, *, fout=None, stand=None, vandaag=None, status=200):
    """The page; `fout` is (kind, pk, bound form) of a form that failed, shown in place with its errors."""
    vandaag = vandaag or timezone.localdate()
    stand = stand or dienst.stand(afspraak, vandaag)
    meten = _meten(request.user, afspraak)
    if meten:
        for indicatorstand in stand.indicatoren:
            if not indicatorstand.momenten:
                continue
            if fout and fout[0] == "indicator" and fout[1] == indicatorstand.indicator.pk:
                indicatorstand.formulier = fout[2]
            else:
                indicatorstand.formulier = MetingFormulier(
                    indicatorstand=indicatorstand, vandaag=vandaag, prefix=f"indicator-{indicatorstand.indicator.pk}"
                )
        for actiestand in stand.acties:
            if fout and fout[0] == "actie" and fout[1] == actiestand.actie.pk:
                actiestand.formulier = fout[2]
            else:
                actiestand.formulier = ActievoortgangFormulier(prefix=f"actie-{actiestand.actie.pk}")
    geldend = None
    if afspraak.status != Uitvoeringsafspraak.Status.ONDERTEKEND:
        geldend = (
            Uitvoeringsafspraak.objects.filter(
                regio_id=afspraak.regio_id, status=Uitvoeringsafspraak.Status.ONDERTEKEND
            )
            .exclude(pk=afspraak.pk)
            .first()
        )
    context = {
        "afspraak": afspraak,
        "stand": stand,
        "meten": meten,
        "geldend": geldend,
        "vandaag": vandaag,
        "jaren": afspraak.looptijd_jaren,
        "fout": fout,
    }
    return render(request, "afspraken/monitoring.html", context, status=status)


def _met_fout(request, afspraak, fout, **kwargs):
    """The page again with the form that failed (status 422)."""
    return _pagina(request, afspraak, fout=fout, status=422, **kwargs)


def monitoring(request, pk):
    return _pagina(request, afspraak_of_404(request, pk))


def _schrijver_of_404(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if not mag_meeschrijven(request.user, afspraak):
        raise Http404
    return afspraak


def _niet_geldend(request, afspraak):
    messages.error(
        request,
        "Er is niets vastgelegd: metingen en voortgang worden alleen vastgelegd bij de geldende, ondertekende versie "
        f"van de uitvoeringsafspraak. Deze versie is {afspraak.get_status_display().lower()}.",
    )
    return redirect("afspraak_monitoring", pk=afspraak.pk)


@require_POST
def meting_toevoegen(request, pk, indicator):
    afspraak = _schrijver_of_404(request, pk)
    indicator = get_object_or_404(Indicator, pk=indicator, afspraak=afspraak)
    if afspraak.status != Uitvoeringsafspraak.Status.ONDERTEKEND:
        return _niet_geldend(request, afspraak)
    vandaag = timezone.localdate()
    stand = dienst.stand(afspraak, vandaag)
    indicatorstand = next(s for s in stand.indicatoren if s.indicator.pk == indicator.pk)
    formulier = MetingFormulier(
        request.POST, indicatorstand=indicatorstand, vandaag=vandaag, prefix=f"indicator-{indicator.pk}"
    )
    if formulier.is_valid():
        data = formulier.cleaned_data
        try:
            meting, vervangen = dienst.leg_meting_vast(
                indicator, meetmoment=data["meetmoment"], waarde=data["waarde"], gemeten_op=data["gemeten_op"],
                bron=data["bron"], toelichting=data["toelichting"], door=request.user, vandaag=vandaag,
            )
        except dienst.Geweigerd as reden:
            formulier.add_error(None, str(reden))
        else:
            moment = grafiek.datum(meting.meetmoment)
            if vervangen:
                messages.success(request, f"De meting van {indicator.naam} voor {moment} is vervangen.")
            else:
                messages.success(request, f"De meting van {indicator.naam} voor {moment} is opgeslagen.")
            return redirect(dienst.monitoring_url(afspraak, f"indicator-{indicator.pk}"))
    return _met_fout(request, afspraak, ("indicator", indicator.pk, formulier), stand=stand, vandaag=vandaag)


@require_POST
def actievoortgang(request, pk, actie):
    afspraak = _schrijver_of_404(request, pk)
    actie = get_object_or_404(Actie, pk=actie, afspraak=afspraak)
    if afspraak.status != Uitvoeringsafspraak.Status.ONDERTEKEND:
        return _niet_geldend(request, afspraak)
    formulier = ActievoortgangFormulier(request.POST, prefix=f"actie-{actie.pk}")
    if formulier.is_valid():
        try:
            melding = dienst.meld_voortgang(
                actie, status=formulier.cleaned_data["status"], toelichting=formulier.cleaned_data["toelichting"],
                door=request.user,
            )
        except dienst.Geweigerd as reden:
            formulier.add_error(None, str(reden))
        else:
            messages.success(
                request, f"De actie “{actie.omschrijving}” staat nu op {melding.get_status_display().lower()}."
            )
            return redirect(dienst.monitoring_url(afspraak, f"actie-{actie.pk}"))
    return _met_fout(request, afspraak, ("actie", actie.pk, formulier))


def _rapport_van(request, pk, jaar):
    afspraak = afspraak_of_404(request, pk)
    if jaar not in afspraak.looptijd_jaren:
        raise Http404
    pagina = afdruk.Afdrukpagina(
        titel=f"Monitoringsrapport {jaar}",
        bestandsnaam=dienst.rapport_bestandsnaam(afspraak, jaar),
        pdf_url=reverse("afspraak_monitoringsrapport", args=[afspraak.pk, jaar]),
        stand_url=reverse("afspraak_monitoringsrapport_stand", args=[afspraak.pk, jaar]),
        opnieuw_url=reverse("afspraak_monitoringsrapport_opnieuw", args=[afspraak.pk, jaar]),
        terug_url=reverse("afspraak_monitoring", args=[afspraak.pk]),
        terug_tekst="Terug naar de monitoring",
    )
    return afspraak, pagina


def rapport(request, pk, jaar):
    """The annual report as PDF, made by the task worker (afspraken.afdrukken)."""
    afspraak, pagina = _rapport_van(request, pk, jaar)
    pdf = afdrukken.vraag(afspraak, Afdruk.Soort.MONITORINGSRAPPORT, jaar)
    return afdruk.downloaden(request, afspraak, pdf, pagina, soort="monitoringsrapport", jaar=jaar)


def rapport_stand(request, pk, jaar):
    afspraak, pagina = _rapport_van(request, pk, jaar)
    pdf = afdrukken.vraag(afspraak, Afdruk.Soort.MONITORINGSRAPPORT, jaar)
    return afdruk.stand(request, afspraak, pdf, pagina)


@require_POST
def rapport_opnieuw(request, pk, jaar):
    afspraak, _ = _rapport_van(request, pk, jaar)
    afdrukken.opnieuw(afspraak, Afdruk.Soort.MONITORINGSRAPPORT, jaar)
    return redirect("afspraak_monitoringsrapport_stand", pk=afspraak.pk, jaar=jaar)
