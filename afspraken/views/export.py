"""The actiepuntenlijst of an agreement as CSV or Excel, for whoever may read the agreement."""

from django.http import Http404
from django.utils import timezone

from audit import log
from regio.export import FORMATEN, Tabel, als_bestand

from ..models import Actie
from ..rechten import afspraak_of_404


def acties(request, pk, formaat):
    afspraak = afspraak_of_404(request, pk)
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    vandaag = timezone.localdate()
    # The order of the page (afspraken.views.schrijven.acties): by deadline, then as entered.
    alle = Actie.objects.filter(afspraak=afspraak).select_related("eigenaar__organisatie").order_by("deadline", "pk")
    tabel = Tabel(
        titel=f"Actiepunten {afspraak.regio.naam} versie {afspraak.versie}",
        kolommen=["Omschrijving", "Stap", "Eigenaar", "Deadline", "Status", "Over de deadline"],
        rijen=[
            [
                a.omschrijving,
                a.get_fase_display(),
                a.eigenaar.organisatie.naam if a.eigenaar else "",
                a.deadline,
                a.get_status_display(),
                a.is_verlopen(vandaag),
            ]
            for a in alle
        ],
    )
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=afspraak, soort="acties", formaat=formaat)
    antwoord = als_bestand(tabel, formaat)
    antwoord["Cache-Control"] = "private, no-store"
    return antwoord
