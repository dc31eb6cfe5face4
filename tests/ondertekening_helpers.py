"""An agreement ready to be offered for signing: the Friesland Noord demo, gereed, with a bestuurder account for
every party (the demo makes them; any party still without one gets one here)."""

from io import StringIO

from django.core.management import call_command

from accounts.models import Gebruiker
from afspraken.models import Partij, Uitvoeringsafspraak
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
    return afspraak


def bestuurders(afspraak):
    return [p.bestuurder for p in afspraak.partijen.select_related("bestuurder", "organisatie").order_by("pk")]


def beleidsmaker():
    return Gebruiker.objects.get(username="demo-gemeente")
