"""The page on which a party enters the authority its signer signs on (issue 27; afspraken.vertegenwoordiging).
Only for that party's own beleidsmakers and bestuurders; a plain form, without JavaScript too: invalid input shows
the page again with the errors (422), a save over a newer entry is refused with both shown (409)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .. import secties
from .. import vertegenwoordiging as dienst
from ..rechten import afspraak_of_404, mag_vertegenwoordiging_opgeven


def bevoegdheid(request, pk, partij):
    afspraak = afspraak_of_404(request, pk)
    partij = get_object_or_404(afspraak.partijen.select_related("organisatie", "bestuurder"), pk=partij)
    if not mag_vertegenwoordiging_opgeven(request.user, partij):
        raise Http404  # as for any page of an agreement one may not use: not even a hint of what it would show
    if not afspraak.is_bewerkbaar:
        raise PermissionDenied(
            f"Deze uitvoeringsafspraak is {afspraak.get_status_display().lower()}; de bevoegdheid van de "
            "ondertekenaar kan alleen in een concept worden gewijzigd."
        )
    terug = _terug(afspraak, partij)
    status, conflict = 200, None
    if request.method == "POST":
        uitkomst = dienst.leg_vast(afspraak, partij.pk, request.POST, request.user)
        if uitkomst is None:
            raise Http404
        if uitkomst.ok:
            partij.refresh_from_db(fields=["grondslag", "grondslag_besluit", "grondslag_toelichting"])
            if uitkomst.gewijzigd:
                messages.success(
                    request, f"De bevoegdheid voor {partij.organisatie} is opgeslagen: {partij.bevoegdheid}."
                )
            else:
                messages.info(request, f"Er was niets gewijzigd aan de bevoegdheid voor {partij.organisatie}.")
            return redirect(terug)
        formulier, conflict = uitkomst.formulier, uitkomst.conflict
        status = 409 if conflict is not None else 422
    else:
        formulier = dienst.BevoegdheidFormulier(instance=partij)
    return render(
        request,
        "afspraken/bevoegdheid.html",
        {"afspraak": afspraak, "partij": partij, "formulier": formulier, "conflict": conflict, "terug": terug},
        status=status,
    )


def _terug(afspraak, partij):
    """Back to the party in the parties section of step 1."""
    definitie = secties.definitie(dienst.SECTIE)
    return definitie.url(afspraak).split("#")[0] + f"#{definitie.rij_anker(partij.pk)}"
