"""Mijn account, and one's own password through Django's own views: changing it, and 'wachtwoord vergeten' by e-mail.

Nobody sets or sees another person's password: these pages act on the logged-in user, or on whoever holds the
link that Django's token generator made for their address (it stops working once the password changed).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from audit import log

from . import tweede_factor
from .formulieren import NieuwWachtwoordFormulier, WachtwoordVergetenFormulier, WachtwoordWijzigenFormulier
from .uitnodigingen import mag_uitnodigen


@require_safe
@login_required
def account(request):
    gebruiker = request.user
    apparaat = tweede_factor.totp_apparaat(gebruiker)
    return render(
        request,
        "account/account.html",
        {
            "apparaat": apparaat,
            "herstelcodes_over": tweede_factor.herstelcodes_over(gebruiker) if apparaat else 0,
            "mag_uitnodigen": mag_uitnodigen(gebruiker),
        },
    )


class MetFoutstatus:
    """A form with errors answers 422, as every form of the site does."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


class WachtwoordWijzigen(MetFoutstatus, auth_views.PasswordChangeView):
    """Django's view (asks the current password; keeps this session logged in and verified, ends the others)."""

    form_class = WachtwoordWijzigenFormulier
    template_name = "registration/wachtwoord_wijzigen.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        antwoord = super().form_valid(form)
        log.leg_vast(log.Actie.WACHTWOORD_GEWIJZIGD, gebruiker=self.request.user, object=self.request.user)
        messages.success(self.request, "Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.")
        return antwoord


class WachtwoordVergeten(MetFoutstatus, auth_views.PasswordResetView):
    """Django's view: the same answer whether or not the address has an account."""

    form_class = WachtwoordVergetenFormulier
    template_name = "registration/wachtwoord_vergeten.html"
    email_template_name = "registration/wachtwoord_vergeten_mail.txt"
    subject_template_name = "registration/wachtwoord_vergeten_onderwerp.txt"
    success_url = reverse_lazy("wachtwoord_vergeten_verstuurd")

    def form_valid(self, form):
        # Links in e-mails point at the public address, whatever host the request came in on.
        self.extra_email_context = {
            "publieke_url": settings.PUBLIEKE_URL,
            "geldig_dagen": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return super().form_valid(form)


class WachtwoordVergetenVerstuurd(auth_views.PasswordResetDoneView):
    template_name = "registration/wachtwoord_vergeten_verstuurd.html"


class NieuwWachtwoord(MetFoutstatus, auth_views.PasswordResetConfirmView):
    """Django's view: the key moves from the address into the session, the link works once."""

    form_class = NieuwWachtwoordFormulier
    template_name = "registration/wachtwoord_nieuw.html"
    reset_url_token = "kiezen"
    success_url = reverse_lazy("wachtwoord_nieuw_klaar")

    def form_valid(self, form):
        antwoord = super().form_valid(form)
        log.leg_vast(log.Actie.WACHTWOORD_HERSTELD, gebruiker=form.user, object=form.user)
        return antwoord


class NieuwWachtwoordKlaar(auth_views.PasswordResetCompleteView):
    template_name = "registration/wachtwoord_nieuw_klaar.html"
