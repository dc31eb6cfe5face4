"""Who may see and change an agreement.

Beleidsmakers of party organisations edit (while it is a concept); bestuurders of parties read, and with the
party's beleidsmakers enter their own party's authority; beheerders read all; everyone else gets 404, so that
not even the existence of a draft leaks.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.inloggen_nodig import InloggenNodig
from accounts.models import Gebruiker
from regio.models import InstellingInRegio

from .models import Partij, Uitvoeringsafspraak

LEZEN, BEWERKEN = "lezen", "bewerken"


def _partijen(gebruiker):
    """Per request (the user object lives as long as it): agreement pk → is the user's organisation a party."""
    cache = getattr(gebruiker, "_partij_cache", None)
    if cache is None:
        cache = gebruiker._partij_cache = {}
    return cache


def is_partij(gebruiker, afspraak):
    if not gebruiker.is_authenticated or not gebruiker.organisatie_id:
        return False
    cache = _partijen(gebruiker)
    if afspraak.pk not in cache:
        cache[afspraak.pk] = Partij.objects.filter(afspraak=afspraak, organisatie_id=gebruiker.organisatie_id).exists()
    return cache[afspraak.pk]


def mag_lezen(gebruiker, afspraak):
    if not gebruiker.is_authenticated or not gebruiker.is_active:
        return False
    if gebruiker.is_beheerder:
        return True
    return gebruiker.rol in (Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER) and is_partij(gebruiker, afspraak)


def mag_meeschrijven(gebruiker, afspraak):
    """A beleidsmaker of a party: may write, whatever the status (the status decides if writing is open)."""
    return (
        gebruiker.is_authenticated
        and gebruiker.is_active
        and gebruiker.rol == Gebruiker.Rol.BELEIDSMAKER
        and is_partij(gebruiker, afspraak)
    )


def mag_bewerken(gebruiker, afspraak):
    return afspraak.is_bewerkbaar and mag_meeschrijven(gebruiker, afspraak)


def mag_vertegenwoordiging_opgeven(gebruiker, partij):
    """Who enters on what authority a party's signer represents it (`Partij.grondslag`): that party's own
    beleidsmakers and bestuurders. Not another party's writers: only the party itself can state its own mandate.
    Not a beheerder: beheerders read every agreement but write in none (`mag_meeschrijven`). Whether the agreement
    is still open for it is `mag_vertegenwoordiging_wijzigen`."""
    return (
        gebruiker.is_authenticated
        and gebruiker.is_active
        and gebruiker.rol in (Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER)
        and gebruiker.organisatie_id is not None
        and gebruiker.organisatie_id == partij.organisatie_id
    )


def mag_vertegenwoordiging_wijzigen(gebruiker, afspraak, partij):
    """As `mag_vertegenwoordiging_opgeven`, while the agreement is a concept: the document names the authority, so
    it changes only when the rest of the content may (afspraken.bevriezing)."""
    return afspraak.is_bewerkbaar and mag_vertegenwoordiging_opgeven(gebruiker, partij)


def afspraak_of_404(request, pk, recht=LEZEN):
    """The agreement if this user may see it; 404 otherwise. For BEWERKEN: 403 when it is no longer a draft.
    Without a session: the log-in page (InloggenNodig), before anything is looked up."""
    if not request.user.is_authenticated:
        raise InloggenNodig
    afspraken = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente")
    gebruiker = request.user
    organisatie_id = gebruiker.organisatie_id if gebruiker.is_authenticated else None
    if organisatie_id:
        # The party check in the same query: every page of an agreement asks it.
        afspraken = afspraken.annotate(
            is_partij_van_gebruiker=Exists(
                Partij.objects.filter(afspraak=OuterRef("pk"), organisatie_id=organisatie_id)
            )
        )
    afspraak = get_object_or_404(afspraken, pk=pk)
    if organisatie_id:
        _partijen(gebruiker)[afspraak.pk] = afspraak.is_partij_van_gebruiker
    if not mag_lezen(gebruiker, afspraak):
        raise Http404
    if recht == BEWERKEN:
        if not mag_meeschrijven(gebruiker, afspraak):
            raise Http404
        if not afspraak.is_bewerkbaar:
            raise PermissionDenied(
                f"Deze uitvoeringsafspraak is {afspraak.get_status_display().lower()} "
                "en kan niet meer worden gewijzigd."
            )
    return afspraak


def regios_om_te_starten(gebruiker):
    """Regions where this beleidsmaker's organisation sits (gemeente) or is present (instelling)."""
    from regio.models import Doorstroompuntregio

    if not gebruiker.is_authenticated or gebruiker.rol != Gebruiker.Rol.BELEIDSMAKER or not gebruiker.organisatie_id:
        return Doorstroompuntregio.objects.none()
    organisatie = gebruiker.organisatie
    if organisatie.gemeente_id:
        return Doorstroompuntregio.objects.filter(gemeenten__pk=organisatie.gemeente_id)
    if organisatie.instelling_id:
        regio_ids = InstellingInRegio.objects.filter(instelling_id=organisatie.instelling_id).values("regio_id")
        return Doorstroompuntregio.objects.filter(pk__in=regio_ids)
    return Doorstroompuntregio.objects.none()
