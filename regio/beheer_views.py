"""Beheerder pages: load DUO/CBS files (upload → preview → confirm), the history of loads, contactgemeenten.

Anonymous visitors are sent to the log-in page; logged-in users who are not beheerder get 404 (the
pages do not exist for them). Every change is a POST with CSRF. The upload form posts with htmx
(progress bar) and works as a plain POST without JavaScript.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .beheer_formulieren import ContactgemeenteFormulier, UploadFormulier
from .loaders import LADERS, annuleer_import, bevestig_import, is_verlopen, maak_import, ruim_verlopen_op
from .loaders.lezen import MAX_GETOONDE_FOUTEN
from .models import Dataset, Doorstroompuntregio, Gegevensimport

GESCHIEDENIS_LENGTE = 50


def beheerder_vereist(view):
    @wraps(view)
    def controle(request, *args, **kwargs):
        if not request.user.is_beheerder:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(controle)


def _naar(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _kolommen_per_soort():
    uitleg = []
    for soort, lader in LADERS.items():
        verplicht = [k.weergave for k in lader.kolommen if k.verplicht]
        optioneel = [k.weergave for k in lader.kolommen if not k.verplicht]
        uitleg.append({"soort": Gegevensimport.Soort(soort).label, "verplicht": verplicht, "optioneel": optioneel})
    return uitleg


@beheerder_vereist
@require_http_methods(["GET", "POST"])
def gegevens(request):
    ruim_verlopen_op()
    if request.method == "POST":
        form = UploadFormulier(request.POST, request.FILES)
        if form.is_valid():
            bestand = form.cleaned_data["bestand"]
            soort, peiljaar = form.cleaned_data["soort"], form.cleaned_data["peiljaar"]
            if bestand.size > settings.GEGEVENS_MAX_BESTANDSGROOTTE:
                # Too large: recorded as rejected, without reading the whole file into memory.
                sha = hashlib.sha256()
                for stuk in bestand.chunks():
                    sha.update(stuk)
                imp = maak_import(
                    soort, None, bestand.name, request.user, peiljaar, grootte=bestand.size, sha256=sha.hexdigest()
                )
            else:
                imp = maak_import(soort, bestand.read(), bestand.name, request.user, peiljaar)
            return _naar(request, reverse("beheer_import", args=[imp.pk]))
        if request.htmx:
            return render(request, "beheer/_upload_formulier.html", {"form": form})
    else:
        form = UploadFormulier()
    imports = (
        Gegevensimport.objects.defer("inhoud").select_related("gebruiker").order_by("-aangemaakt_op", "-pk")
    )[:GESCHIEDENIS_LENGTE]
    datasets = Dataset.objects.exclude(soort__in=[Dataset.Soort.BASISAFSPRAKEN, Dataset.Soort.CONTINUUM])
    return render(
        request,
        "beheer/gegevens.html",
        {
            "form": form,
            "imports": imports,
            "datasets": datasets,
            "formaten": _kolommen_per_soort(),
        },
    )


@beheerder_vereist
def import_detail(request, pk):
    imp = get_object_or_404(Gegevensimport.objects.defer("inhoud").select_related("gebruiker"), pk=pk)
    if is_verlopen(imp):
        ruim_verlopen_op()
        imp.refresh_from_db(fields=["status", "afgerond_op"])
    return render(
        request,
        "beheer/import.html",
        {
            "imp": imp,
            "samenvatting": imp.samenvatting or {},
            "meer_fouten": max(imp.aantal_fouten - len(imp.fouten or []), 0),
            "max_fouten": MAX_GETOONDE_FOUTEN,
            "scheidingsteken": {";": "puntkomma (;)", ",": "komma (,)"}.get(imp.scheidingsteken, ""),
        },
    )


@beheerder_vereist
@require_POST
def import_bevestigen(request, pk):
    get_object_or_404(Gegevensimport.objects.only("pk"), pk=pk)
    uitkomst = bevestig_import(pk, request.user)
    (messages.success if uitkomst.geladen else messages.error)(request, uitkomst.melding)
    return _naar(request, reverse("beheer_import", args=[pk]))


@beheerder_vereist
@require_POST
def import_annuleren(request, pk):
    get_object_or_404(Gegevensimport.objects.only("pk"), pk=pk)
    uitkomst = annuleer_import(pk)
    (messages.success if uitkomst.geladen else messages.error)(request, uitkomst.melding)
    return _naar(request, reverse("beheer_gegevens"))


@beheerder_vereist
def regios(request):
    return render(
        request,
        "beheer/regios.html",
        {"regios": Doorstroompuntregio.objects.select_related("contactgemeente").order_by("nummer")},
    )


@beheerder_vereist
@require_http_methods(["GET", "POST"])
def contactgemeente(request, nummer):
    regio = get_object_or_404(Doorstroompuntregio.objects.select_related("contactgemeente"), nummer=nummer)
    if request.method == "POST":
        form = ContactgemeenteFormulier(request.POST, regio=regio)
        if form.is_valid():
            gemeente = form.cleaned_data["contactgemeente"]
            regio.contactgemeente = gemeente
            regio.contactgemeente_bron = (
                f"beheerder: {request.user.username}, {date_format(timezone.localdate(), 'j F Y')}"
            )[:300]
            regio.save(update_fields=["contactgemeente", "contactgemeente_bron"])
            messages.success(
                request, f"{gemeente.naam} is nu de contactgemeente van regio {regio.nummer}. {regio.naam}."
            )
            return _naar(request, reverse("beheer_regios"))
    else:
        form = ContactgemeenteFormulier(regio=regio)
    return render(request, "beheer/contactgemeente.html", {"regio": regio, "form": form})
