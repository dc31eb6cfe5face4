"""Asking a party for its signer (issue 26): the party's beleidsmakers get an e-mail with a link to invite their
bestuurder; where the party has nobody who can act on it, the beheerders get it."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Gebruiker
from accounts.uitnodigingen import MailMislukt, beheerders_met_email, mail
from audit import log

from .. import secties
from ..models import Ondertekenaarsverzoek
from ..rechten import BEWERKEN, afspraak_of_404


def ontvangers(organisatie):
    """(naar, [Gebruiker]): the organisation's active beleidsmakers who can log in, else every active beheerder."""
    beleidsmakers = [
        g for g in Gebruiker.objects.filter(organisatie=organisatie, rol=Gebruiker.Rol.BELEIDSMAKER, is_active=True)
        if g.has_usable_password() and g.email
    ]
    if beleidsmakers:
        return Ondertekenaarsverzoek.Naar.ORGANISATIE, beleidsmakers
    return Ondertekenaarsverzoek.Naar.BEHEERDERS, beheerders_met_email()


@require_POST
def vragen(request, pk, partij):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    partij = get_object_or_404(afspraak.partijen.select_related("organisatie"), pk=partij)
    terug = reverse("afspraak_toetsing", args=[afspraak.pk]) + f"#ondertekenaar-{partij.pk}"
    naar, wie = ontvangers(partij.organisatie)
    if not wie:
        messages.error(request, "Er is niemand om het aan te vragen: er is geen beheerder met een e-mailadres.")
        return redirect(terug)
    link = settings.PUBLIEKE_URL + reverse("uitnodiging_nieuw") + "?" + urlencode(
        {"organisatie": partij.organisatie_id, "rol": Gebruiker.Rol.BESTUURDER}
    )
    partijen_link = settings.PUBLIEKE_URL + secties.definitie("partijen").url(afspraak)
    try:
        with transaction.atomic():
            verzoek = Ondertekenaarsverzoek.objects.create(
                partij=partij, gevraagd_door=request.user, naar=naar, aantal_ontvangers=len(wie)
            )
            log.leg_vast(
                log.Actie.ONDERTEKENAAR_GEVRAAGD, gebruiker=request.user, object=verzoek,
                afspraak=afspraak.pk, organisatie=str(partij.organisatie), naar=naar,
                ontvangers=[g.pk for g in wie],
            )
            for gebruiker in wie:
                mail(
                    gebruiker,
                    "afspraken/mail/ondertekenaar_gevraagd.txt",
                    f"Wie tekent namens {partij.organisatie}? {afspraak.titel}",
                    {
                        "door": request.user, "afspraak": afspraak, "partij": partij, "link": link,
                        "partijen_link": partijen_link, "beheerder": naar == Ondertekenaarsverzoek.Naar.BEHEERDERS,
                    },
                )
    except MailMislukt:
        messages.error(
            request,
            "Het verzoek kon niet worden verstuurd: de e-mailserver nam het niet aan. Er is niets opgeslagen. "
            "Probeer het over een paar minuten opnieuw.",
        )
        return redirect(terug)
    if naar == Ondertekenaarsverzoek.Naar.ORGANISATIE:
        wat = f"de {'beleidsmaker' if len(wie) == 1 else f'{len(wie)} beleidsmakers'} van {partij.organisatie}"
    else:
        wat = f"een beheerder ({partij.organisatie} heeft nog niemand in deze toepassing)"
    messages.success(request, f"Gevraagd wie namens {partij.organisatie} tekent: er is een e-mail gestuurd naar {wat}.")
    return redirect(terug)
