"""Beheer of the partner organisations beleidsmakers proposed in their agreements: confirm, merge or reject.

Beheerders only (regio.beheer_views.beheerder_vereist: the log-in page for visitors, 404 for everyone else).
The decision is a plain POST with CSRF; what it does is in afspraken.organisaties.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from regio.beheer_views import beheerder_vereist

from .. import organisaties
from ..formulieren import VoorstelBesluitFormulier
from ..models import Partij


@beheerder_vereist
@require_safe
def lijst(request):
    voorstellen = organisaties.open_voorstellen().annotate(partijen=Count("organisatie__partijschappen"))
    return render(request, "beheer/organisaties.html", {"voorstellen": voorstellen})


@beheerder_vereist
@require_http_methods(["GET", "POST"])
def beoordelen(request, pk):
    voorstel = get_object_or_404(organisaties.open_voorstellen(), pk=pk)
    formulier = VoorstelBesluitFormulier(request.POST or None, voorstel=voorstel)
    if request.method == "POST" and formulier.is_valid():
        besluit, naam = formulier.cleaned_data["besluit"], voorstel.organisatie.naam
        try:
            if besluit == formulier.BEVESTIGEN:
                organisaties.bevestig(voorstel.pk, request.user)
                melding = f"{naam} is bevestigd en staat nu in de keuzelijst van elke afspraak."
            elif besluit == formulier.SAMENVOEGEN:
                doel = organisaties.voeg_samen(voorstel.pk, formulier.cleaned_data["samenvoegen_met"], request.user)
                melding = f"{naam} is samengevoegd met {doel.naam}."
            else:
                organisaties.wijs_af(voorstel.pk, request.user)
                melding = f"{naam} is afgewezen en verwijderd."
        except organisaties.Geweigerd as fout:
            formulier.add_error(None, str(fout))
        else:
            messages.success(request, melding)
            return redirect("beheer_organisaties")
    partijen = (
        Partij.objects.filter(organisatie=voorstel.organisatie)
        .select_related("afspraak__regio")
        .order_by("afspraak__regio__nummer", "afspraak__versie")
    )
    return render(
        request,
        "beheer/organisatie.html",
        {"voorstel": voorstel, "formulier": formulier, "partijen": partijen},
        status=422 if formulier.errors else 200,
    )
