"""How people get in: an invitation by e-mail with a single-use link, after which they set their own password.

A beheerder invites anyone; a beleidsmaker invites beleidsmakers and bestuurders of their own organisation. The
invitee's account exists from the invitation on, without a usable password (username: the e-mail address). The
link (`/uitnodiging/<sleutel>/`) holds a random key of which only the SHA-256 is stored (`Uitnodiging`); opening
it puts the invitation in the session and sends the browser on to a page without the key, as Django's password
reset does, so the key is not left in the address bar or sent on as a referrer. Setting the password uses the
invitation up, logs the person in, and a bestuurder or beheerder enrols a second factor before anything else
(accounts.tweede_factor). Re-sending makes a new link and kills the old one; withdrawing kills it and, when the
person never had a password, deactivates the account.

The same kind of link, soort TWEEDE_FACTOR, lets a person enrol again after a beheerder reset their second factor.
"""

import hashlib
import logging
import secrets
from functools import wraps
from smtplib import SMTPException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit import log
from regio.beheer_views import beheerder_vereist
from techniek.invoer import enkele_regel

from .formulieren import NieuwWachtwoordFormulier, UitnodigingFormulier
from .models import Gebruiker, Uitnodiging

logger = logging.getLogger(__name__)

SESSIE_UITNODIGING = "uitnodiging"
PER_PAGINA = 50
BACKEND = "accounts.backends.GebruikerBackend"


class MailMislukt(Exception):
    pass


# --- links -------------------------------------------------------------------------------------------------------


def hash_van(sleutel):
    return hashlib.sha256(sleutel.encode()).hexdigest()


def adres(soort, sleutel):
    naam = "uitnodiging_openen" if soort == Uitnodiging.Soort.ACCOUNT else "tweede_factor_opnieuw"
    return settings.PUBLIEKE_URL + reverse(naam, kwargs={"sleutel": sleutel})


def maak_link(gebruiker, soort, door=None, wacht=False):
    """A new link for `gebruiker`; the previous one of this soort that was not used stops working. Returns the
    Uitnodiging and the key, which exists only in the e-mail (and, in the demo, on the console). Call inside a
    transaction that holds the user's row (`select_for_update`), so two at once cannot both be the open one."""
    nu = timezone.now()
    Uitnodiging.objects.filter(gebruiker=gebruiker, soort=soort, gebruikt_op=None, vervangen_op=None).update(
        vervangen_op=nu
    )
    sleutel = secrets.token_urlsafe(32)
    uitnodiging = Uitnodiging.objects.create(
        gebruiker=gebruiker,
        soort=soort,
        sleutel_hash=hash_van(sleutel),
        verstuurd_door=door,
        verstuurd_op=nu,
        verloopt_op=nu + Uitnodiging.GELDIG,
        wacht_op_goedkeuring=wacht,
    )
    return uitnodiging, sleutel


def zoek(sleutel, soort):
    return (
        Uitnodiging.objects.select_related("gebruiker__organisatie", "verstuurd_door")
        .filter(sleutel_hash=hash_van(sleutel), soort=soort)
        .first()
    )


def mail(gebruiker, sjabloon, onderwerp, context):
    """Send one plain-text Dutch e-mail; MailMislukt when the mail server refuses, so the caller's transaction
    rolls back and the person who sent it hears so. The subject on one line: it may name a title or organisation
    saved before the fields refused line ends, and Django refuses such a header."""
    tekst = render_to_string(sjabloon, {"gebruiker": gebruiker, "publieke_url": settings.PUBLIEKE_URL, **context})
    try:
        send_mail(enkele_regel(onderwerp), tekst, None, [gebruiker.email], fail_silently=False)
    except (SMTPException, OSError) as fout:
        logger.exception("E-mail niet verstuurd", extra={"onderwerp": onderwerp})
        raise MailMislukt(str(fout)) from fout


def _mail_uitnodiging(uitnodiging, sleutel):
    mail(
        uitnodiging.gebruiker,
        "account/mail/uitnodiging.txt",
        "Uitnodiging: Uitvoeringsafspraken zorg & welzijn mbo",
        {"uitnodiging": uitnodiging, "link": adres(uitnodiging.soort, sleutel)},
    )


def _gegevens(uitnodiging):
    gebruiker = uitnodiging.gebruiker
    return {
        "voor": gebruiker.username,
        "rol": gebruiker.rol,
        "organisatie": str(gebruiker.organisatie) if gebruiker.organisatie_id else "",
        "geldig_tot": uitnodiging.verloopt_op.isoformat(),
    }


# --- what a user may do ------------------------------------------------------------------------------------------


def mag_uitnodigen(gebruiker):
    return gebruiker.is_authenticated and (
        gebruiker.is_beheerder or (gebruiker.rol == Gebruiker.Rol.BELEIDSMAKER and gebruiker.organisatie_id is not None)
    )


def zichtbare_uitnodigingen(gebruiker):
    """The invitations `gebruiker` sees and manages: all for a beheerder, those to beleidsmakers and bestuurders of
    their own organisation for a beleidsmaker, none for anyone else. Only the latest link per person."""
    uitnodigingen = Uitnodiging.objects.filter(soort=Uitnodiging.Soort.ACCOUNT, vervangen_op=None)
    if not mag_uitnodigen(gebruiker):
        return uitnodigingen.none()
    if gebruiker.is_beheerder:
        return uitnodigingen
    return uitnodigingen.filter(
        gebruiker__organisatie_id=gebruiker.organisatie_id,
        gebruiker__rol__in=[Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER],
    )


def moet_goedgekeurd(door, gebruiker):
    """An invitation waits for a beheerder unless a beheerder sends it or the address is in one of the
    organisation's e-mail domains (none set: every address waits). Issue 26: who may invite whom."""
    if door is None or door.is_beheerder:
        return False
    organisatie = gebruiker.organisatie
    return organisatie is None or not organisatie.heeft_adres(gebruiker.email)


def beheerders_met_email():
    return [
        g for g in (
            Gebruiker.objects.filter(is_active=True, rol=Gebruiker.Rol.BEHEERDER)
            | Gebruiker.objects.filter(is_active=True, is_superuser=True)
        ).distinct()
        if g.email
    ]


def _meld_wachtende(uitnodiging):
    """Tell the beheerders an invitation waits for them; one of them refusing the e-mail rolls it all back."""
    for beheerder in beheerders_met_email():
        mail(
            beheerder,
            "account/mail/uitnodiging_goedkeuren.txt",
            "Uitnodiging wacht op uw goedkeuring",
            {"uitnodiging": uitnodiging, "link": settings.PUBLIEKE_URL + reverse("uitnodigingen")},
        )


def _verstuur_of_houd_vast(uitnodiging, sleutel, door, **gegevens):
    """Send the invitation, or (held) record that it waits and tell the beheerders: the key is then dropped."""
    if uitnodiging.wacht_op_goedkeuring:
        log.leg_vast(log.Actie.UITNODIGING_WACHT, gebruiker=door, object=uitnodiging, **gegevens,
                     **_gegevens(uitnodiging))
        _meld_wachtende(uitnodiging)
    else:
        _mail_uitnodiging(uitnodiging, sleutel)


def uitnodigen_toegestaan(view):
    @wraps(view)
    def controle(request, *args, **kwargs):
        if not mag_uitnodigen(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(controle)


# --- inviting, re-sending, withdrawing ---------------------------------------------------------------------------


def nodig_uit(door, gegevens):
    """Create the account (without a password) and send the invitation. Raises MailMislukt (nothing is kept)."""
    with transaction.atomic():
        gebruiker = Gebruiker(
            username=gegevens["email"],
            email=gegevens["email"],
            first_name=gegevens["voornaam"],
            last_name=gegevens["achternaam"],
            rol=gegevens["rol"],
            organisatie=gegevens.get("organisatie"),
            functie=gegevens.get("functie", ""),
        )
        gebruiker.set_unusable_password()
        gebruiker.save()
        wacht = moet_goedgekeurd(door, gebruiker)
        uitnodiging, sleutel = maak_link(gebruiker, Uitnodiging.Soort.ACCOUNT, door, wacht=wacht)
        if not wacht:
            log.leg_vast(
                log.Actie.UITNODIGING_VERSTUURD, gebruiker=door, object=uitnodiging, **_gegevens(uitnodiging)
            )
        _verstuur_of_houd_vast(uitnodiging, sleutel, door)
    return uitnodiging


def stuur_opnieuw(uitnodiging, door):
    """A new link for an invitation that was not accepted (open, expired or withdrawn); the old link dies."""
    with transaction.atomic():
        gebruiker = Gebruiker.objects.select_for_update().get(pk=uitnodiging.gebruiker_id)
        oud = Uitnodiging.objects.get(pk=uitnodiging.pk)
        if oud.gebruikt_op or oud.vervangen_op:
            return None
        if oud.wacht_op_goedkeuring and not oud.ingetrokken_op and not door.is_beheerder:
            return None  # only a beheerder lets a held invitation go
        goedgekeurd = oud.wacht_op_goedkeuring and not oud.ingetrokken_op
        wacht = moet_goedgekeurd(door, gebruiker)
        nieuw, sleutel = maak_link(gebruiker, Uitnodiging.Soort.ACCOUNT, door, wacht=wacht)
        if not gebruiker.is_active:
            gebruiker.is_active = True  # withdrawn earlier: invited again
            gebruiker.save(update_fields=["is_active", "is_staff"])
        if goedgekeurd:
            log.leg_vast(
                log.Actie.UITNODIGING_GOEDGEKEURD, gebruiker=door, object=nieuw, vorige=oud.pk,
                aangevraagd_door=oud.verstuurd_door_id, **_gegevens(nieuw),
            )
        elif not wacht:
            log.leg_vast(
                log.Actie.UITNODIGING_OPNIEUW, gebruiker=door, object=nieuw, vorige=oud.pk, **_gegevens(nieuw)
            )
        _verstuur_of_houd_vast(nieuw, sleutel, door, vorige=oud.pk)
    return nieuw


def trek_in(uitnodiging, door, actie=log.Actie.UITNODIGING_INGETROKKEN):
    """Kill an open, expired or held invitation; an account that never had a password is deactivated with it.
    `actie` UITNODIGING_AFGEWEZEN: a beheerder refused a held one."""
    with transaction.atomic():
        gebruiker = Gebruiker.objects.select_for_update().get(pk=uitnodiging.gebruiker_id)
        uitnodiging = Uitnodiging.objects.get(pk=uitnodiging.pk)
        if uitnodiging.gebruikt_op or uitnodiging.vervangen_op or uitnodiging.ingetrokken_op:
            return False
        uitnodiging.ingetrokken_op = timezone.now()
        uitnodiging.ingetrokken_door = door
        uitnodiging.save(update_fields=["ingetrokken_op", "ingetrokken_door"])
        gedeactiveerd = not gebruiker.has_usable_password() and gebruiker.is_active
        if gedeactiveerd:
            gebruiker.is_active = False
            gebruiker.save(update_fields=["is_active", "is_staff"])
        log.leg_vast(
            actie, gebruiker=door, object=uitnodiging, account_gedeactiveerd=gedeactiveerd,
            **_gegevens(uitnodiging),
        )
    return True


# --- pages for those who invite -----------------------------------------------------------------------------------


@require_safe
@uitnodigen_toegestaan
def lijst(request):
    uitnodigingen = zichtbare_uitnodigingen(request.user).select_related(
        "gebruiker__organisatie", "verstuurd_door", "ingetrokken_door"
    )
    pagina = Paginator(uitnodigingen, PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "account/uitnodigingen.html",
        {"pagina": pagina, "alle_organisaties": request.user.is_beheerder},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@uitnodigen_toegestaan
def nieuw(request):
    # A link from "Vraag om een ondertekenaar" fills in role and organisation (afspraken/views/ondertekenaars.py).
    initial = {naam: request.GET[naam] for naam in ("rol", "organisatie") if request.GET.get(naam, "").isalnum()}
    formulier = UitnodigingFormulier(request.POST or None, door=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if formulier.is_valid():
            try:
                uitnodiging = nodig_uit(request.user, formulier.cleaned_data)
            except IntegrityError:  # the same address invited by someone else a moment ago
                formulier.add_error("email", "Met dit e-mailadres bestaat al een account.")
            except MailMislukt:
                formulier.add_error(
                    None,
                    "De uitnodiging kon niet worden verstuurd: de e-mailserver nam haar niet aan. Er is niets "
                    "opgeslagen. Probeer het over een paar minuten opnieuw.",
                )
                status = 503
            else:
                if uitnodiging.wacht_op_goedkeuring:
                    messages.success(request, _WACHT_TEKST.format(email=uitnodiging.gebruiker.email))
                else:
                    messages.success(
                        request,
                        f"De uitnodiging is verstuurd naar {uitnodiging.gebruiker.email}. De link is 7 dagen geldig.",
                    )
                return redirect("uitnodigingen")
    return render(request, "account/uitnodiging_nieuw.html", {"formulier": formulier}, status=status)


_WACHT_TEKST = (
    "De uitnodiging voor {email} wacht op goedkeuring van een beheerder: het adres valt buiten de e-maildomeinen "
    "van de organisatie (of die zijn nog niet vastgelegd). Na goedkeuring gaat de e-mail weg."
)


def _beheerde(request, pk):
    return get_object_or_404(zichtbare_uitnodigingen(request.user).select_related("gebruiker"), pk=pk)


@require_POST
@uitnodigen_toegestaan
def opnieuw(request, pk):
    uitnodiging = _beheerde(request, pk)
    if uitnodiging.gebruikt_op:
        messages.error(request, f"{uitnodiging.gebruiker.weergavenaam} heeft de uitnodiging al geaccepteerd.")
        return redirect("uitnodigingen")
    try:
        nieuw_ = stuur_opnieuw(uitnodiging, request.user)
    except MailMislukt:
        messages.error(
            request,
            "De uitnodiging kon niet opnieuw worden verstuurd: de e-mailserver nam haar niet aan. De vorige link "
            "werkt nog. Probeer het over een paar minuten opnieuw.",
        )
        return redirect("uitnodigingen")
    if nieuw_ is None and uitnodiging.wacht_op_goedkeuring and not request.user.is_beheerder:
        messages.error(request, "Deze uitnodiging wacht op goedkeuring van een beheerder; er is niets verstuurd.")
    elif nieuw_ is None:
        messages.error(request, "Deze uitnodiging is intussen al geaccepteerd of opnieuw verstuurd.")
    elif nieuw_.wacht_op_goedkeuring:
        messages.success(request, _WACHT_TEKST.format(email=uitnodiging.gebruiker.email))
    else:
        messages.success(
            request,
            f"Er is een nieuwe uitnodiging verstuurd naar {uitnodiging.gebruiker.email}, 7 dagen geldig. "
            "De link in de vorige e-mail werkt niet meer.",
        )
    return redirect("uitnodigingen")


@require_POST
@uitnodigen_toegestaan
def intrekken(request, pk):
    uitnodiging = _beheerde(request, pk)
    if trek_in(uitnodiging, request.user):
        messages.success(
            request,
            f"De uitnodiging van {uitnodiging.gebruiker.weergavenaam} is ingetrokken: de link werkt niet meer. "
            "Met ‘Opnieuw versturen’ nodigt u deze persoon later toch nog uit.",
        )
    else:
        messages.error(request, "Deze uitnodiging is al geaccepteerd, ingetrokken of opnieuw verstuurd.")
    return redirect("uitnodigingen")


@require_POST
@beheerder_vereist
def goedkeuren(request, pk):
    """A beheerder lets a held invitation go: a new link is made and e-mailed (the held row is replaced)."""
    uitnodiging = _beheerde(request, pk)
    if uitnodiging.status != Uitnodiging.Status.WACHT:
        messages.error(request, "Deze uitnodiging wacht niet (meer) op goedkeuring.")
        return redirect("uitnodigingen")
    try:
        nieuw_ = stuur_opnieuw(uitnodiging, request.user)
    except MailMislukt:
        messages.error(
            request,
            "De uitnodiging kon niet worden verstuurd: de e-mailserver nam haar niet aan. Ze wacht nog op "
            "goedkeuring. Probeer het over een paar minuten opnieuw.",
        )
        return redirect("uitnodigingen")
    if nieuw_ is None:
        messages.error(request, "Deze uitnodiging is intussen al goedgekeurd of afgewezen.")
    else:
        messages.success(
            request, f"Goedgekeurd: de uitnodiging is verstuurd naar {uitnodiging.gebruiker.email}, 7 dagen geldig."
        )
    return redirect("uitnodigingen")


@require_POST
@beheerder_vereist
def afwijzen(request, pk):
    """A beheerder refuses a held invitation: nothing is sent and the account (never used) is deactivated."""
    uitnodiging = _beheerde(request, pk)
    if uitnodiging.status != Uitnodiging.Status.WACHT or not trek_in(
        uitnodiging, request.user, log.Actie.UITNODIGING_AFGEWEZEN
    ):
        messages.error(request, "Deze uitnodiging wacht niet (meer) op goedkeuring.")
    else:
        messages.success(
            request, f"Afgewezen: de uitnodiging voor {uitnodiging.gebruiker.email} is niet verstuurd."
        )
    return redirect("uitnodigingen")


# --- the invitee --------------------------------------------------------------------------------------------------


def ongeldige_link(request, uitnodiging, soort=Uitnodiging.Soort.ACCOUNT):
    """The page for a link that does not work (any more), with what to do; 404 for an unknown key, else 410."""
    status = 404 if uitnodiging is None else 410
    return render(
        request,
        "account/link_ongeldig.html",
        {
            "uitnodiging": uitnodiging,
            "status": uitnodiging.status if uitnodiging else "onbekend",
            "soort": soort,
        },
        status=status,
    )


def ander_account(request, uitnodiging):
    return render(request, "account/link_ander_account.html", {"uitnodiging": uitnodiging}, status=403)


@never_cache
@require_safe
def openen(request, sleutel):
    uitnodiging = zoek(sleutel, Uitnodiging.Soort.ACCOUNT)
    if uitnodiging is None or not uitnodiging.is_open:
        return ongeldige_link(request, uitnodiging)
    if request.user.is_authenticated and request.user.pk != uitnodiging.gebruiker_id:
        return ander_account(request, uitnodiging)
    request.session[SESSIE_UITNODIGING] = uitnodiging.pk
    return redirect("uitnodiging_wachtwoord")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def wachtwoord_kiezen(request):
    pk = request.session.get(SESSIE_UITNODIGING)
    uitnodiging = (
        Uitnodiging.objects.select_related("gebruiker__organisatie", "verstuurd_door").filter(pk=pk).first()
        if pk
        else None
    )
    if uitnodiging is None:
        return render(request, "account/link_ongeldig.html", {"status": "geen_sessie"}, status=404)
    if not uitnodiging.is_open:
        return ongeldige_link(request, uitnodiging)
    if request.user.is_authenticated and request.user.pk != uitnodiging.gebruiker_id:
        return ander_account(request, uitnodiging)

    gebruiker = uitnodiging.gebruiker
    formulier = NieuwWachtwoordFormulier(gebruiker, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if formulier.is_valid():
            with transaction.atomic():
                uitnodiging = Uitnodiging.objects.select_for_update().get(pk=uitnodiging.pk)
                if not uitnodiging.is_open:  # withdrawn or re-sent while the form was open
                    return ongeldige_link(request, uitnodiging)
                formulier.save()
                uitnodiging.gebruikt_op = timezone.now()
                uitnodiging.save(update_fields=["gebruikt_op"])
                log.leg_vast(log.Actie.UITNODIGING_GEACCEPTEERD, gebruiker=gebruiker, object=uitnodiging)
            request.session.pop(SESSIE_UITNODIGING, None)
            login(request, gebruiker, backend=BACKEND)
            if gebruiker.moet_tweede_factor:
                messages.success(
                    request, "Uw wachtwoord is ingesteld. Stel nu uw tweede factor in; daarna kunt u aan de slag."
                )
                return redirect(f"{reverse('tweede_factor_instellen')}?next={reverse('account')}")
            messages.success(request, "Uw wachtwoord is ingesteld en u bent ingelogd.")
            return redirect("account")
    return render(
        request,
        "account/uitnodiging_accepteren.html",
        {"formulier": formulier, "uitnodiging": uitnodiging, "uitgenodigde": gebruiker},
        status=status,
    )
