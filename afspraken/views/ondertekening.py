"""Signing pages: the state of signing, offering, signing or declining, downloads, versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.tweede_factor import tweede_factor_vereist
from audit import log

from .. import ondertekening as dienst
from .. import versies
from ..formulieren import AfwijsFormulier, NieuweVersieFormulier, OndertekenFormulier
from ..models import Document, Ondertekening, Uitvoeringsafspraak
from ..rechten import afspraak_of_404, mag_lezen, mag_meeschrijven


def _documenten_context(request, afspraak):
    """What the documents part of the page needs; also all that a poll while one is being made reads."""
    documenten = {d.soort: d for d in Document.objects.filter(afspraak=afspraak).defer("inhoud")}
    meeschrijver = mag_meeschrijven(request.user, afspraak)
    return {
        "afspraak": afspraak,
        "te_ondertekenen": documenten.get(Document.Soort.TER_ONDERTEKENING),
        "ondertekend": documenten.get(Document.Soort.ONDERTEKEND),
        "bezig": any(d.status in (Document.Status.WACHTRIJ, Document.Status.BEZIG) for d in documenten.values()),
        "meeschrijver": meeschrijver,
        "mag_opnieuw": meeschrijver or request.user.is_beheerder,
    }


def ondertekening(request, pk):
    afspraak = afspraak_of_404(request, pk)
    context = _documenten_context(request, afspraak)
    if request.htmx and request.GET.get("deel") == "documenten":
        # A poll: nothing to swap while the document is still being made; the finished state once.
        if context["bezig"]:
            return HttpResponse(status=204)
        return render(request, "afspraken/_documenten_stand.html", context, status=286)
    besluiten = {o.partij_id: o for o in Ondertekening.objects.filter(afspraak=afspraak)}
    partijen = list(afspraak.partijen.select_related("organisatie", "bestuurder"))
    for partij in partijen:
        partij.besluit = besluiten.get(partij.pk)
    mijn_partij = dienst.partij_van_bestuurder(afspraak, request.user)
    if mijn_partij is not None:
        mijn_partij.besluit = besluiten.get(mijn_partij.pk)
    kan_aanbieden = context["meeschrijver"] and afspraak.status in (
        Uitvoeringsafspraak.Status.CONCEPT, Uitvoeringsafspraak.Status.GEREED
    )
    context.update({
        "partijen": partijen,
        "getekend": sum(1 for o in besluiten.values() if o.besluit == Ondertekening.Besluit.GETEKEND),
        "mijn_partij": mijn_partij,
        "bezwaren": dienst.bezwaren_tegen_aanbieden(afspraak) if kan_aanbieden else [],
        "volgende": Uitvoeringsafspraak.objects.filter(vorige_versie=afspraak).first(),
        "nieuwe_versie": NieuweVersieFormulier(),
    })
    return render(request, "afspraken/ondertekening.html", context)


@require_POST
def aanbieden(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if not mag_meeschrijven(request.user, afspraak):
        raise Http404
    try:
        dienst.aanbieden(afspraak, request.user)
    except dienst.Geweigerd as reden:
        messages.error(request, f"De uitvoeringsafspraak is niet aangeboden. {reden}")
    else:
        messages.success(
            request,
            "De uitvoeringsafspraak ligt ter ondertekening. De inhoud van deze versie staat nu vast; de bestuurders "
            "hebben een e-mail gekregen.",
        )
    return redirect("afspraak_ondertekening", pk=afspraak.pk)


@login_required
def ondertekenen(request, pk):
    # Who may sign is checked before the second factor, so that nobody else is asked to enrol.
    afspraak = afspraak_of_404(request, pk)
    partij = dienst.partij_van_bestuurder(afspraak, request.user)
    if partij is None:
        raise Http404
    return _ondertekenen(request, afspraak, partij)


@tweede_factor_vereist
def _ondertekenen(request, afspraak, partij):
    document = Document.objects.filter(
        afspraak=afspraak, soort=Document.Soort.TER_ONDERTEKENING, status=Document.Status.KLAAR
    ).defer("inhoud").first()
    besluit = Ondertekening.objects.filter(partij=partij).first()
    gebruiker = request.user
    begin = {"document_sha256": document.sha256 if document else ""}
    formulier = OndertekenFormulier(initial=begin)
    afwijzen = AfwijsFormulier(initial={"document_sha256": begin["document_sha256"]})
    status = 200
    if request.method == "POST" and (afspraak.status != Uitvoeringsafspraak.Status.TER_ONDERTEKENING or besluit):
        messages.info(request, "Voor deze versie is uw besluit al vastgelegd of zij ligt niet meer ter ondertekening.")
        return redirect("afspraak_ondertekening", pk=afspraak.pk)
    if request.method == "POST":
        if request.POST.get("besluit") == "afwijzen":
            afwijzen = AfwijsFormulier(request.POST)
            if afwijzen.is_valid():
                try:
                    nieuw = dienst.wijs_af(
                        afspraak, gebruiker, document_sha256=afwijzen.cleaned_data["document_sha256"],
                        reden=afwijzen.cleaned_data["reden"],
                    )
                except dienst.Geweigerd as reden:
                    messages.error(request, str(reden))
                    return redirect("afspraak_ondertekenen", pk=afspraak.pk)
                messages.success(
                    request,
                    f"U heeft niet getekend. De partijen werken verder in versie {nieuw.versie}, een nieuw concept.",
                )
                return redirect("afspraak_ondertekening", pk=afspraak.pk)
        else:
            formulier = OndertekenFormulier(request.POST)
            if formulier.is_valid():
                try:
                    dienst.onderteken(
                        afspraak, gebruiker, document_sha256=formulier.cleaned_data["document_sha256"],
                    )
                except dienst.Geweigerd as reden:
                    messages.error(request, str(reden))
                    return redirect("afspraak_ondertekenen", pk=afspraak.pk)
                messages.success(request, f"U heeft ondertekend namens {partij.organisatie}.")
                return redirect("afspraak_ondertekening", pk=afspraak.pk)
        status = 422
    context = {
        "afspraak": afspraak, "partij": partij, "document": document, "besluit": besluit, "gebruiker": gebruiker,
        "formulier": formulier, "afwijzen": afwijzen,
    }
    return render(request, "afspraken/ondertekenen.html", context, status=status)


def document_downloaden(request, pk, soort):
    afspraak = afspraak_of_404(request, pk)
    document = get_object_or_404(Document, afspraak=afspraak, soort=soort, status=Document.Status.KLAAR)
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=document, soort=soort,
                   sha256=document.sha256)
    response = HttpResponse(bytes(document.inhoud), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.bestandsnaam}"'
    return response


@require_POST
def opnieuw_proberen(request, pk, soort):
    afspraak = afspraak_of_404(request, pk)
    if not (mag_meeschrijven(request.user, afspraak) or request.user.is_beheerder):
        raise Http404
    document = get_object_or_404(Document, afspraak=afspraak, soort=soort)
    if dienst.opnieuw_proberen(document):
        messages.success(request, "Het document wordt opnieuw gemaakt.")
    else:
        messages.info(request, "Het document is niet mislukt; er is niets opnieuw gestart.")
    return redirect("afspraak_ondertekening", pk=afspraak.pk)


@require_POST
def nieuwe_versie(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if not mag_meeschrijven(request.user, afspraak):
        raise Http404
    if afspraak.status != Uitvoeringsafspraak.Status.ONDERTEKEND:
        messages.error(request, "Alleen van een ondertekende uitvoeringsafspraak start u een wijziging.")
        return redirect("afspraak_ondertekening", pk=afspraak.pk)
    formulier = NieuweVersieFormulier(request.POST)
    reden = (formulier.cleaned_data["reden"] if formulier.is_valid() else "") or NieuweVersieFormulier.STANDAARD
    try:
        nieuw = versies.nieuwe_versie(afspraak, request.user, reden)
    except ValueError as fout:
        messages.error(request, str(fout))
        return redirect("afspraak_ondertekening", pk=afspraak.pk)
    messages.success(
        request,
        f"Versie {nieuw.versie} is gestart als concept. Versie {afspraak.versie} blijft gelden tot de nieuwe versie "
        "is ondertekend.",
    )
    return redirect("afspraak_overzicht", pk=nieuw.pk)


def verschillen(request, pk):
    afspraak = afspraak_of_404(request, pk)
    alle = [v for v in afspraak.regio.uitvoeringsafspraken.order_by("-versie") if mag_lezen(request.user, v)]
    vergelijk = afspraak.vorige_versie
    if request.GET.get("met"):
        try:
            nummer = int(request.GET["met"])
        except ValueError:
            nummer = None
        vergelijk = next((v for v in alle if v.versie == nummer and v.pk != afspraak.pk), None)
        if vergelijk is None:
            messages.error(request, "Die versie bestaat niet of u kunt haar niet inzien.")
    if vergelijk is not None and not mag_lezen(request.user, vergelijk):
        vergelijk = None
    oud, nieuw = sorted([vergelijk, afspraak], key=lambda a: a.versie) if vergelijk else (None, afspraak)
    context = {
        "afspraak": afspraak,
        "versies": alle,
        "oud": oud,
        "nieuw": nieuw,
        "verschillen": versies.verschillen(oud, nieuw) if oud else None,
    }
    return render(request, "afspraken/versies.html", context)


@login_required
def taken(request):
    """The bestuurder's task list: versions waiting for their signature."""
    return render(request, "afspraken/taken.html", {"partijen": dienst.te_tekenen_partijen(request.user)})
