from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import log
from regio.admin import BeheerderToegang
from techniek.invoer import Modelformulier

from . import tweede_factor, uitnodigingen
from .models import Gebruiker, Organisatie, valideer_domeinen

# Nobody binds an authenticator app for someone else or reads its key: people enrol themselves (accounts.tweede_factor).
for _model in (TOTPDevice, StaticDevice):
    try:
        admin.site.unregister(_model)
    except NotRegistered:
        pass


class DomeinenVeld(forms.CharField):
    """The e-mail domains as lines of text (a JSON list is stored); lower-cased, without a leading @."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        domeinen = []
        for deel in (value or "").replace(",", "\n").split():
            domein = deel.strip().lower().lstrip("@")
            if domein and domein not in domeinen:
                domeinen.append(domein)
        return domeinen

    def validate(self, value):
        valideer_domeinen(value)


class OrganisatieFormulier(Modelformulier):
    email_domeinen = DomeinenVeld(
        label="E-maildomeinen",
        required=False,
        help_text="Eén per regel, bijvoorbeeld leeuwarden.nl. Een uitnodiging naar een adres buiten deze domeinen (of "
        "als er geen zijn) gaat pas weg na goedkeuring door een beheerder.",
    )

    class Meta:
        model = Organisatie
        fields = "__all__"


@admin.register(Organisatie)
class OrganisatieAdmin(BeheerderToegang, admin.ModelAdmin):
    form = OrganisatieFormulier
    list_display = ["naam", "soort", "partner_soort", "domeinen"]
    list_filter = ["soort", "partner_soort"]
    search_fields = ["naam"]
    autocomplete_fields = ["gemeente", "instelling"]

    @admin.display(description="E-maildomeinen")
    def domeinen(self, obj):
        return ", ".join(obj.email_domeinen) or "—"


def stuur_wachtwoordlink(gebruiker, door):
    """The e-mail of 'wachtwoord vergeten' (Django's token: it dies when the password changes), sent by a beheerder."""
    PasswordResetForm().send_mail(
        "registration/wachtwoord_vergeten_onderwerp.txt",
        "registration/wachtwoord_vergeten_mail.txt",
        {
            "email": gebruiker.email,
            "user": gebruiker,
            "uid": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
            "token": default_token_generator.make_token(gebruiker),
            "publieke_url": settings.PUBLIEKE_URL,
            "geldig_dagen": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "door_beheerder": True,
        },
        None,
        gebruiker.email,
    )
    log.leg_vast(log.Actie.WACHTWOORD_HERSTEL_GEVRAAGD, gebruiker=door, object=gebruiker, via="beheerder")


@admin.register(Gebruiker)
class GebruikerAdmin(BeheerderToegang, admin.ModelAdmin):
    """No password form anywhere: people are invited (the add page is the invitation form) and set their own; a
    beheerder can only send them a link to set a new one, or reset their second factor. The e-mail address is
    read-only, so that no one can send such a link to an address of their own choosing."""

    list_display = ["username", "first_name", "last_name", "organisatie", "rol", "is_active"]
    list_filter = ["rol", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["organisatie"]
    fieldsets = (
        (None, {"fields": ["username", "first_name", "last_name", "email"]}),
        ("Organisatie en rol", {"fields": ["organisatie", "rol", "functie"]}),
        ("Toegang", {"fields": ["wachtwoord", "tweede_factor"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    )
    readonly_fields = ["email", "wachtwoord", "tweede_factor", "last_login", "date_joined"]
    actions = ["stuur_link_voor_wachtwoord", "zet_tweede_factor_terug"]

    @admin.display(description="Wachtwoord")
    def wachtwoord(self, obj):
        if obj.has_usable_password():
            return "Zelf ingesteld. Alleen deze persoon kent het."
        return "Nog niet ingesteld: de persoon kiest het zelf met de link uit de uitnodiging."

    @admin.display(description="Tweede factor")
    def tweede_factor(self, obj):
        apparaat = tweede_factor.totp_apparaat(obj)
        if apparaat is None:
            return "Niet ingesteld."
        return f"Authenticator-app gekoppeld sinds {apparaat.created_at:%d-%m-%Y}."

    def lookup_allowed(self, lookup, value, request=None):
        # As Django's UserAdmin: no filtering on password hashes through the address bar.
        return not lookup.startswith("password") and super().lookup_allowed(lookup, value, request)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("uitnodiging_nieuw")

    def has_change_permission(self, request, obj=None):
        # A beheerder is no superuser: changing one would let them become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Stuur een link om het wachtwoord opnieuw in te stellen")
    def stuur_link_voor_wachtwoord(self, request, queryset):
        verstuurd, overgeslagen = [], []
        for gebruiker in queryset.order_by("username"):
            if not gebruiker.is_active or not gebruiker.email:
                overgeslagen.append(f"{gebruiker.username} (niet actief of geen e-mailadres)")
            elif not gebruiker.has_usable_password():
                overgeslagen.append(f"{gebruiker.username} (nog geen wachtwoord: verstuur de uitnodiging opnieuw)")
            else:
                stuur_wachtwoordlink(gebruiker, request.user)
                verstuurd.append(gebruiker.username)
        if verstuurd:
            self.message_user(
                request, "Link om het wachtwoord opnieuw in te stellen verstuurd aan: " + ", ".join(verstuurd) + ".",
                messages.SUCCESS,
            )
        if overgeslagen:
            self.message_user(request, "Geen link verstuurd aan: " + "; ".join(overgeslagen) + ".", messages.WARNING)

    @admin.action(description="Tweede factor terugzetten (de persoon stelt hem opnieuw in via een e-mail)")
    def zet_tweede_factor_terug(self, request, queryset):
        gebruikers = list(queryset.order_by("username"))
        eigen = [g for g in gebruikers if g.pk == request.user.pk]
        # As with changing them: a superuser's account is for superusers to touch.
        boven = [g for g in gebruikers if g.is_superuser and not request.user.is_superuser and g not in eigen]
        gebruikers = [
            g for g in gebruikers if g not in eigen and g not in boven and g.is_active and g.email
        ]
        if eigen:
            self.message_user(
                request, "Uw eigen tweede factor zet u hier niet terug; een andere beheerder kan dat doen.",
                messages.WARNING,
            )
        if boven:
            self.message_user(
                request, "De tweede factor van een superuser zet alleen een superuser terug: "
                + ", ".join(g.username for g in boven) + ".",
                messages.WARNING,
            )
        if not gebruikers:
            return None
        if request.POST.get("bevestigd") != "ja":
            # Removing someone's authenticator locks them out until they read their e-mail: ask first.
            return TemplateResponse(
                request,
                "admin/accounts/gebruiker/tweede_factor_terugzetten.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Tweede factor terugzetten",
                    "gebruikers": gebruikers,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        teruggezet = []
        for gebruiker in gebruikers:
            try:
                tweede_factor.zet_terug(gebruiker, request.user)
            except uitnodigingen.MailMislukt:
                self.message_user(
                    request, f"{gebruiker.username}: de e-mail kon niet worden verstuurd; er is niets veranderd.",
                    messages.ERROR,
                )
            else:
                teruggezet.append(gebruiker.username)
        if teruggezet:
            self.message_user(
                request,
                "Tweede factor teruggezet voor: " + ", ".join(teruggezet) + ". Zij kregen een e-mail met een link om "
                "hem opnieuw in te stellen (7 dagen geldig).",
                messages.SUCCESS,
            )
        return None
