"""Second factor (TOTP with an authenticator app, plus one-time recovery codes) on top of django-otp.

Pages: overview, enrolment (QR code as server-drawn SVG and the key as text), recovery codes (shown
once), and the verification step after log-in. Bestuurders and beheerders (`Gebruiker.moet_tweede_factor`) use it
for everything: `TweedeFactorVerplicht` sends them to enrol or verify before any other page, the Django admin
included, and `Inloggen` sends them there right after the password. `tweede_factor_vereist` guards views that need
a verified session whoever the user is (signing).

Only a beheerder resets someone's second factor (`zet_terug`, an admin action): their devices go, the person is
told by e-mail and gets a single-use link to their own address (accounts.uitnodigingen); enrolling again needs that
link in the session besides the password, so someone who learned the password cannot bind their own app.
"""

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import log
from techniek.invoer import Formulier

from . import uitnodigingen
from .formulieren import InlogFormulier
from .inloggen_nodig import terug_naar
from .inlogpogingen import adres_geblokkeerd
from .models import Gebruiker, Uitnodiging

AANTAL_HERSTELCODES = 10
# Freshly made recovery codes wait here until the next page shows them, once.
SESSIE_NIEUWE_CODES = "tweede_factor_nieuwe_codes"
# The link from the e-mail after a beheerder reset the second factor (the pk of its Uitnodiging).
SESSIE_HERSTELLINK = "tweede_factor_herstellink"
APPNAAM = "Authenticator-app"


# --- state of a user -------------------------------------------------------------------------------


def totp_apparaat(gebruiker):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(gebruiker, confirmed=True).order_by("-pk").first()


def herstelcodes_over(gebruiker):
    return StaticToken.objects.filter(device__user=gebruiker, device__confirmed=True).count()


def is_geverifieerd(request):
    """True when this session passed the second factor (also right after auth.login, before OTPMiddleware ran)."""
    gebruiker = request.user
    if hasattr(gebruiker, "is_verified"):
        return gebruiker.is_verified()
    apparaat = Device.from_persistent_id(request.session.get(DEVICE_ID_SESSION_KEY, ""))
    return apparaat is not None and apparaat.user_id == gebruiker.pk


def moet_tweede_factor(gebruiker):
    return gebruiker.is_authenticated and gebruiker.moet_tweede_factor


def herstellink(gebruiker):
    """The link a beheerder's reset sent that was not used yet (perhaps expired), or None: while there is one,
    enrolling needs it."""
    return (
        Uitnodiging.objects.filter(
            gebruiker=gebruiker, soort=Uitnodiging.Soort.TWEEDE_FACTOR, gebruikt_op=None, vervangen_op=None,
            ingetrokken_op=None,
        )
        .order_by("-verstuurd_op")
        .first()
    )


def _veilige_next(request, standaard=None):
    url = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: anything else (a bare word, a line end, an invisible character) would be taken for
    # a view's name by redirect() and answer 500.
    veilig = url.startswith("/") and url.isprintable() and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if url and veilig:
        return url
    return resolve_url(standaard or settings.LOGIN_REDIRECT_URL)


def _met_next(naam, volgende):
    return f"{reverse(naam)}?{urlencode({'next': volgende})}"


def volgende_stap(request, volgende):
    """Where a logged-in user goes for the second factor, or None when this session is done with it."""
    # Verified first: django-otp has loaded the session's device already, so a verified page costs no query here.
    if is_geverifieerd(request):
        return None
    if totp_apparaat(request.user) is None:
        return _met_next("tweede_factor_instellen", volgende)
    return _met_next("tweede_factor_controleren", volgende)


def tweede_factor_vereist(view):
    """Only for logged-in users whose session is verified with their authenticator app or a recovery code."""

    @wraps(view)
    def controle(request, *args, **kwargs):
        if not request.user.is_authenticated:
            stap = redirect_to_login(request.get_full_path()).url
        else:
            stap = volgende_stap(request, request.get_full_path())
        if stap is None:
            return view(request, *args, **kwargs)
        # An htmx request would swap the log-in page into a fragment: let the browser navigate instead.
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(stap)
        return redirect(stap)

    return controle


# --- log-in ----------------------------------------------------------------------------------------


class Inloggen(LoginView):
    """Django's LoginView (axes still sees every attempt); a bestuurder goes on to the second factor."""

    redirect_authenticated_user = True
    authentication_form = InlogFormulier

    def post(self, request, *args, **kwargs):
        if adres_geblokkeerd(request):
            return render(request, "registration/geblokkeerd.html", {"per_adres": True}, status=429)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        volgende = super().get_success_url()
        gebruiker = self.request.user
        if moet_tweede_factor(gebruiker):
            return volgende_stap(self.request, volgende) or volgende
        return volgende


# --- forms -----------------------------------------------------------------------------------------


def _code_invoer(**extra):
    attrs = {
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "spellcheck": "false",
        "autocapitalize": "off",
    }
    return forms.TextInput(attrs={**attrs, **extra})


def _zonder_scheiding(tekst):
    return "".join(tekst.split()).replace("-", "").lower()


class InstelCodeFormulier(Formulier):
    code = forms.CharField(
        label="Code van 6 cijfers uit de app",
        max_length=20,
        help_text="De app laat een code van 6 cijfers zien die elke 30 seconden verandert. "
        "Vul de code in die nu te zien is.",
        error_messages={"required": "Vul de code van 6 cijfers in die de app nu laat zien."},
        widget=_code_invoer(size="8"),
    )

    def clean_code(self):
        code = _zonder_scheiding(self.cleaned_data["code"])
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(
                "Vul precies 6 cijfers in, zoals de app ze laat zien (spaties mogen)."
            )
        return code


class ControleFormulier(Formulier):
    code = forms.CharField(
        label="Code uit de app of herstelcode",
        max_length=40,
        help_text="Vul de code van 6 cijfers uit uw authenticator-app in. Heeft u uw telefoon niet bij de hand? "
        "Vul dan een van uw herstelcodes in (8 tekens).",
        error_messages={"required": "Vul de code van 6 cijfers uit de app in, of een herstelcode."},
        widget=_code_invoer(size="12"),
    )

    def clean_code(self):
        return _zonder_scheiding(self.cleaned_data["code"])


# --- helpers for the pages -------------------------------------------------------------------------


def qr_svg(tekst, titel):
    """`tekst` as a QR code in inline SVG with a title for screen readers (no style attributes: CSP)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(tekst)
    afbeelding = qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = afbeelding.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("role", "img")
    svg.set("aria-labelledby", "qr-titel")
    svg.set("class", "qr-code")
    kop = svg.makeelement("title", {"id": "qr-titel"})
    kop.text = titel
    svg.insert(0, kop)
    # The path id from qrcode would not be unique if a page ever showed two codes.
    for pad in svg.iter("{*}path"):
        pad.attrib.pop("id", None)
    return mark_safe(afbeelding.to_string(encoding="unicode"))


def sleutel_in_blokken(apparaat):
    """The base32 secret as the apps ask for it when typed in, in blocks of 4 for reading aloud or copying."""
    sleutel = b32encode(apparaat.bin_key).decode().rstrip("=")
    return " ".join(sleutel[i : i + 4] for i in range(0, len(sleutel), 4))


def _wacht_melding(gegevens):
    if gegevens and gegevens.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        seconden = max(1, int((gegevens["locked_until"] - timezone.now()).total_seconds()) + 1)
        return (
            f"U heeft te vaak achter elkaar een verkeerde code ingevuld. Wacht {seconden} seconden "
            "en vul dan de code in die de app op dat moment laat zien."
        )
    if gegevens and gegevens.get("error_message"):
        return str(gegevens["error_message"])
    return "Controleren kan nu even niet. Wacht een minuut en probeer het opnieuw."


def _nieuwe_herstelcodes(gebruiker):
    """Replace all recovery codes of the user with 10 new ones; return them."""
    # Keep the device itself: a session verified with a recovery code stays verified.
    apparaat = StaticDevice.objects.filter(user=gebruiker).order_by("pk").first()
    if apparaat is None:
        apparaat = StaticDevice.objects.create(user=gebruiker, name="Herstelcodes", confirmed=True)
    StaticDevice.objects.filter(user=gebruiker).exclude(pk=apparaat.pk).delete()
    apparaat.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(AANTAL_HERSTELCODES)]
    StaticToken.objects.bulk_create(StaticToken(device=apparaat, token=code) for code in codes)
    return codes


# --- pages -----------------------------------------------------------------------------------------


@login_required
def overzicht(request):
    apparaat = totp_apparaat(request.user)
    return render(
        request,
        "account/tweede_factor.html",
        {
            "apparaat": apparaat,
            "herstelcodes_over": herstelcodes_over(request.user) if apparaat else 0,
            "verplicht": moet_tweede_factor(request.user),
            "geverifieerd": is_geverifieerd(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def instellen(request):
    volgende = _veilige_next(request, "tweede_factor")
    # Replacing an app that is set up needs that app (or a recovery code) first: a password alone is not enough.
    if totp_apparaat(request.user) is not None and not is_geverifieerd(request):
        return redirect(_met_next("tweede_factor_controleren", request.get_full_path()))
    # After a beheerder's reset: only with the link from the e-mail to the person's own address.
    link = herstellink(request.user)
    if link is not None and (request.session.get(SESSIE_HERSTELLINK) != link.pk or not link.is_open):
        return render(request, "account/tweede_factor_via_link.html", {"link": link}, status=403)

    # One pending device per user, so reloading the page keeps the QR code the user may have scanned.
    apparaat = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
    if apparaat is None:
        apparaat = TOTPDevice.objects.create(user=request.user, name=APPNAAM, confirmed=False)

    formulier = InstelCodeFormulier(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if formulier.is_valid():
            toegestaan, gegevens = apparaat.verify_is_allowed()
            if not toegestaan:
                formulier.add_error("code", _wacht_melding(gegevens))
                status = 429
            elif verify_token(request.user, apparaat.persistent_id, formulier.cleaned_data["code"]) is None:
                log.leg_vast(
                    log.Actie.TWEEDE_FACTOR, gebruiker=request.user, gebeurtenis="mislukt", stap="instellen"
                )
                formulier.add_error(
                    "code",
                    "Deze code klopt niet. Controleer of u de QR-code van deze pagina heeft gescand en vul de code "
                    "in die de app nu laat zien. Staat de tijd op uw telefoon goed?",
                )
            else:
                with transaction.atomic():
                    apparaat.confirmed = True
                    apparaat.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=request.user).exclude(pk=apparaat.pk).delete()
                    codes = _nieuwe_herstelcodes(request.user)
                    if link is not None:
                        Uitnodiging.objects.filter(pk=link.pk).update(gebruikt_op=timezone.now())
                    log.leg_vast(
                        log.Actie.TWEEDE_FACTOR, gebruiker=request.user, gebeurtenis="ingesteld",
                        **({"na_terugzetten": link.pk} if link is not None else {}),
                    )
                request.session.pop(SESSIE_HERSTELLINK, None)
                otp_login(request, apparaat)
                request.session[SESSIE_NIEUWE_CODES] = codes
                messages.success(request, "Uw authenticator-app is gekoppeld. Bewaar nu uw herstelcodes.")
                return redirect(_met_next("tweede_factor_herstelcodes", volgende))

    context = {
        "formulier": formulier,
        "qr": qr_svg(apparaat.config_url, "QR-code om uw authenticator-app te koppelen aan uw account"),
        "sleutel": sleutel_in_blokken(apparaat),
        "uitgever": getattr(settings, "OTP_TOTP_ISSUER", ""),
        "accountnaam": request.user.get_username(),
        "next": volgende,
        "opnieuw": totp_apparaat(request.user) is not None,
    }
    return render(request, "account/tweede_factor_instellen.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def herstelcodes(request):
    if request.method == "POST":
        return _herstelcodes_vernieuwen(request)
    codes = request.session.pop(SESSIE_NIEUWE_CODES, None)
    return render(
        request,
        "account/tweede_factor_herstelcodes.html",
        {
            "codes": codes,
            "next": _veilige_next(request, "tweede_factor"),
            "apparaat": totp_apparaat(request.user),
            "herstelcodes_over": herstelcodes_over(request.user),
        },
    )


@tweede_factor_vereist
def _herstelcodes_vernieuwen(request):
    with transaction.atomic():
        request.session[SESSIE_NIEUWE_CODES] = _nieuwe_herstelcodes(request.user)
        log.leg_vast(log.Actie.TWEEDE_FACTOR, gebruiker=request.user, gebeurtenis="herstelcodes")
    messages.success(request, "Er zijn nieuwe herstelcodes gemaakt. De oude werken niet meer.")
    return redirect("tweede_factor_herstelcodes")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def controleren(request):
    volgende = _veilige_next(request)
    totp = totp_apparaat(request.user)
    if totp is None:
        return redirect(_met_next("tweede_factor_instellen", volgende))
    if is_geverifieerd(request):
        return redirect(volgende)

    formulier = ControleFormulier(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if formulier.is_valid():
            code = formulier.cleaned_data["code"]
            is_app_code = len(code) == 6 and code.isdigit()
            if is_app_code:
                apparaat = totp
            else:
                apparaat = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
            toegestaan, gegevens = apparaat.verify_is_allowed() if apparaat else (True, None)
            if not toegestaan:
                formulier.add_error("code", _wacht_melding(gegevens))
                status = 429
            elif apparaat and verify_token(request.user, apparaat.persistent_id, code) is not None:
                otp_login(request, apparaat)
                middel = "app" if is_app_code else "herstelcode"
                log.leg_vast(
                    log.Actie.TWEEDE_FACTOR, gebruiker=request.user, gebeurtenis="geverifieerd", middel=middel
                )
                if not is_app_code:
                    over = herstelcodes_over(request.user)
                    messages.warning(
                        request,
                        f"U heeft een herstelcode gebruikt; die werkt nu niet meer. U heeft er nog {over} over. "
                        "Maak nieuwe herstelcodes via ‘Tweede factor’ als u er weinig over heeft.",
                    )
                return redirect(volgende)
            else:
                log.leg_vast(
                    log.Actie.TWEEDE_FACTOR, gebruiker=request.user, gebeurtenis="mislukt", stap="controleren"
                )
                formulier.add_error(
                    "code",
                    "Deze code klopt niet. Vul de code van 6 cijfers in die de app nu laat zien, of een herstelcode "
                    "die u nog niet eerder heeft gebruikt.",
                )

    return render(
        request,
        "account/tweede_factor_controleren.html",
        {"formulier": formulier, "next": volgende, "uitgever": getattr(settings, "OTP_TOTP_ISSUER", "")},
        status=status,
    )


# --- a beheerder resets someone's second factor ---------------------------------------------------------------


def zet_terug(gebruiker, door):
    """Remove every device of `gebruiker` and mail them a link to enrol again. Raises uitnodigingen.MailMislukt
    (nothing changed)."""
    with transaction.atomic():
        gebruiker = Gebruiker.objects.select_for_update().get(pk=gebruiker.pk)
        apps = TOTPDevice.objects.filter(user=gebruiker, confirmed=True).count()
        TOTPDevice.objects.filter(user=gebruiker).delete()
        StaticDevice.objects.filter(user=gebruiker).delete()
        link, sleutel = uitnodigingen.maak_link(gebruiker, Uitnodiging.Soort.TWEEDE_FACTOR, door)
        log.leg_vast(
            log.Actie.TWEEDE_FACTOR_TERUGGEZET, gebruiker=door, object=gebruiker, apps_verwijderd=apps,
            link=link.pk, geldig_tot=link.verloopt_op.isoformat(),
        )
        uitnodigingen.mail(
            gebruiker,
            "account/mail/tweede_factor_teruggezet.txt",
            "Uw tweede factor is teruggezet: stel hem opnieuw in",
            {"door": door, "link": uitnodigingen.adres(link.soort, sleutel), "uitnodiging": link},
        )
    return link


@never_cache
@require_safe
def opnieuw_instellen(request, sleutel):
    """The link from the e-mail after a reset: remembered in the session, then the log-in and the enrolment."""
    link = uitnodigingen.zoek(sleutel, Uitnodiging.Soort.TWEEDE_FACTOR)
    if link is None or not link.is_open:
        return uitnodigingen.ongeldige_link(request, link, Uitnodiging.Soort.TWEEDE_FACTOR)
    if request.user.is_authenticated and request.user.pk != link.gebruiker_id:
        return uitnodigingen.ander_account(request, link)
    request.session[SESSIE_HERSTELLINK] = link.pk
    if not request.user.is_authenticated:
        messages.info(
            request, "Log in met uw gebruikersnaam en wachtwoord; daarna stelt u uw tweede factor opnieuw in."
        )
        return redirect_to_login(reverse("account"))
    return redirect(_met_next("tweede_factor_instellen", reverse("account")))


# --- nothing else before the second factor ---------------------------------------------------------------------

# What a bestuurder or beheerder may open before their session passed the second factor.
VOOR_DE_TWEEDE_FACTOR = frozenset({
    "inloggen", "uitloggen", "tweede_factor_instellen", "tweede_factor_controleren", "tweede_factor_herstelcodes",
    "tweede_factor_opnieuw", "uitnodiging_openen", "uitnodiging_wachtwoord",
})


class TweedeFactorVerplicht:
    """A bestuurder or beheerder whose session has not passed the second factor goes to enrol (no app yet) or to
    verify, from every page (the Django admin and the API included), and comes back afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not moet_tweede_factor(request.user):
            return None
        if request.resolver_match.view_name in VOOR_DE_TWEEDE_FACTOR:
            return None
        stap = volgende_stap(request, terug_naar(request))
        if stap is None:
            return None
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(stap)
        return redirect(stap)
