"""Building agreements for tests: a region's agreement with its proposed parties and users per role."""

import datetime

from accounts.models import Organisatie
from afspraken import secties
from afspraken.models import Partij, Uitvoeringsafspraak
from afspraken.partijen import stel_partijen_voor
from regio.models import Doorstroompuntregio, Gemeente
from tests.factories import GebruikerFactory


def maak_afspraak(regionummer=4, start=datetime.date(2026, 1, 1), einde=datetime.date(2029, 12, 31), door=None):
    regio = Doorstroompuntregio.objects.get(nummer=regionummer)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel=f"Uitvoeringsafspraak {regio.naam}", looptijd_start=start, looptijd_einde=einde,
        aangemaakt_door=door,
    )
    partijen = []
    for voorstel in stel_partijen_voor(regio):
        partijen.append(
            Partij(
                afspraak=afspraak,
                organisatie=voorstel.organisatie,
                rol=voorstel.rol,
                toelichting=voorstel.toelichting[:300],
                financieel_eindverantwoordelijk=voorstel.rol == Partij.Rol.CONTACTGEMEENTE,
            )
        )
    Partij.objects.bulk_create(partijen)
    return afspraak


def met_versie(prefix, waarde):
    """The hidden version field of a section's or row's form (`prefix`: the section key, or
    `Rijensectie.rij_prefix(pk)`), as a phase page posts it: every form there is part of one page form."""
    return {secties.versieveld(prefix): str(waarde)}


def markeer_ondertekend(afspraak, op=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)):
    """Mark a version as signed without going through PDF and seal (tests/test_ondertekening.py does that):
    concept → ondertekend is allowed by the model layer and the triggers, and is all monitoring looks at."""
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(
        status=Uitvoeringsafspraak.Status.ONDERTEKEND, ondertekend_op=op
    )
    afspraak.refresh_from_db()
    return afspraak


def voeg_gemeenten_toe(afspraak, aantal):
    """Make the agreement have `aantal` more parties (gemeenten from elsewhere), for query-count tests."""
    bestaande = set(afspraak.partijen.values_list("organisatie_id", flat=True))
    gemeenten = Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE).exclude(pk__in=bestaande).order_by("pk")
    Partij.objects.bulk_create(
        Partij(afspraak=afspraak, organisatie=o, rol=Partij.Rol.GEMEENTE_BUITEN) for o in gemeenten[:aantal]
    )


def gebruiker_van(organisatie, rol, username):
    return GebruikerFactory(username=username, organisatie=organisatie, rol=rol)


def gemeente_organisatie(naam):
    return Organisatie.objects.get(gemeente=Gemeente.objects.get(naam=naam))
