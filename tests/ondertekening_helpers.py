"""An agreement ready to be offered for signing: the Friesland Noord demo, gereed, with a bestuurder account for
every party (the demo makes them; any party still without one gets one here)."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken.models import Grondslag, Partij, Uitvoeringsafspraak
from tests.factories import GebruikerFactory


def klaar_voor_ondertekening():
    call_command("laad_demodata", stdout=StringIO())
    afspraak = Uitvoeringsafspraak.objects.get(regio__naam__icontains="Friesland Noord")
    for partij in afspraak.partijen.select_related("organisatie").filter(bestuurder__isnull=True):
        bestuurder = GebruikerFactory(
            username=f"bestuurder-{partij.pk}", organisatie=partij.organisatie, rol=Gebruiker.Rol.BESTUURDER,
            first_name="Bestuurder", last_name=f"van {partij.organisatie.naam}", functie="Lid van het bestuur",
            email=f"bestuurder-{partij.pk}@example.org",
        )
        Partij.objects.filter(pk=partij.pk).update(bestuurder=bestuurder)
    met_bevoegdheid(afspraak)
    return afspraak


def met_bevoegdheid(afspraak):
    """Every party's signer with an authority (the convenant names it; without it offering is refused)."""
    for partij in afspraak.partijen.select_related("organisatie").filter(grondslag=""):
        if partij.organisatie.soort == "gemeente":
            waarden = {"grondslag": Grondslag.WETHOUDER_MANDAAT, "grondslag_besluit": datetime.date(2026, 3, 3)}
        elif partij.organisatie.soort == "mbo_instelling":
            waarden = {"grondslag": Grondslag.VOORZITTER_CVB}
        else:
            waarden = {"grondslag": Grondslag.STATUTEN}
        Partij.objects.filter(pk=partij.pk).update(**waarden)


def bestuurders(afspraak):
    return [p.bestuurder for p in afspraak.partijen.select_related("bestuurder", "organisatie").order_by("pk")]


def beleidsmaker():
    return Gebruiker.objects.get(username="demo-gemeente")


def aanbieden(afspraak, vastleggen):
    """Offer the agreement as its beleidsmaker through the view, running the on-commit work (`vastleggen`:
    pytest-django's django_capture_on_commit_callbacks); the agreement as stored afterwards."""
    client = Client()
    client.force_login(beleidsmaker())
    with vastleggen(execute=True):
        response = client.post(reverse("afspraak_aanbieden", args=[afspraak.pk]))
    assert response.status_code == 302
    afspraak.refresh_from_db()
    return afspraak
