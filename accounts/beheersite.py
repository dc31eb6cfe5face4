"""The Django admin as beheerders use it: only with a session that passed the second factor, logged in through the
site's own log-in page (throttled, with its second step), and without any form for a password.

`BeheerAdminConfig` replaces django.contrib.admin in INSTALLED_APPS so that `admin.site` is a `Beheersite`. Imported
while the app registry loads: nothing here imports models at module level.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse


class Beheersite(AdminSite):
    site_header = "Uitvoeringsafspraken zorg & welzijn mbo — beheer"
    site_title = "Beheer"

    def has_permission(self, request):
        # The middleware (accounts.tweede_factor.TweedeFactorVerplicht) sends an unverified beheerder away first;
        # this holds should the admin ever be reached without it.
        from .tweede_factor import is_geverifieerd

        return super().has_permission(request) and is_geverifieerd(request)

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login

        from .tweede_factor import volgende_stap

        volgende = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated or request.method == "POST":
            # One log-in page for the whole site (it checks `next` itself): the admin's own form is never used.
            return redirect_to_login(volgende)
        if request.user.is_active and request.user.is_staff:
            stap = volgende_stap(request, volgende)
            if stap is not None:
                return redirect(stap)
        # Logged in without the right: Django's page that says so.
        return super().login(request, extra_context)

    def password_change(self, request, extra_context=None):
        return redirect("wachtwoord_wijzigen")

    def password_change_done(self, request, extra_context=None):
        return redirect("account")


class BeheerAdminConfig(AdminConfig):
    default_site = "accounts.beheersite.Beheersite"
