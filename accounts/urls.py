from django.contrib.auth import views as auth_views
from django.urls import path

from . import account, tweede_factor, uitnodigingen

urlpatterns = [
    # A bestuurder or beheerder goes on to the second factor after the password (accounts.tweede_factor).
    path("inloggen/", tweede_factor.Inloggen.as_view(), name="inloggen"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="uitloggen"),
    path("wachtwoord-vergeten/", account.WachtwoordVergeten.as_view(), name="wachtwoord_vergeten"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        account.WachtwoordVergetenVerstuurd.as_view(),
        name="wachtwoord_vergeten_verstuurd",
    ),
    path("wachtwoord-vergeten/<uidb64>/<token>/", account.NieuwWachtwoord.as_view(), name="wachtwoord_nieuw"),
    path("wachtwoord-vergeten/klaar/", account.NieuwWachtwoordKlaar.as_view(), name="wachtwoord_nieuw_klaar"),
    path("account/", account.account, name="account"),
    path("account/wachtwoord/", account.WachtwoordWijzigen.as_view(), name="wachtwoord_wijzigen"),
    path("account/tweede-factor/", tweede_factor.overzicht, name="tweede_factor"),
    path("account/tweede-factor/instellen/", tweede_factor.instellen, name="tweede_factor_instellen"),
    path("account/tweede-factor/herstelcodes/", tweede_factor.herstelcodes, name="tweede_factor_herstelcodes"),
    path("account/tweede-factor/controleren/", tweede_factor.controleren, name="tweede_factor_controleren"),
    # The link in the e-mail after a beheerder reset someone's second factor.
    path("account/tweede-factor/opnieuw/<str:sleutel>/", tweede_factor.opnieuw_instellen, name="tweede_factor_opnieuw"),
    # Inviting (beheerder: anyone; beleidsmaker: their own organisation) and the invitee's link.
    path("uitnodigingen/", uitnodigingen.lijst, name="uitnodigingen"),
    path("uitnodigingen/nieuw/", uitnodigingen.nieuw, name="uitnodiging_nieuw"),
    path("uitnodigingen/<int:pk>/opnieuw-versturen/", uitnodigingen.opnieuw, name="uitnodiging_opnieuw"),
    path("uitnodigingen/<int:pk>/intrekken/", uitnodigingen.intrekken, name="uitnodiging_intrekken"),
    # An invitation outside the organisation's e-mail domains waits for a beheerder (issue 26).
    path("uitnodigingen/<int:pk>/goedkeuren/", uitnodigingen.goedkeuren, name="uitnodiging_goedkeuren"),
    path("uitnodigingen/<int:pk>/afwijzen/", uitnodigingen.afwijzen, name="uitnodiging_afwijzen"),
    path("uitnodiging/wachtwoord-kiezen/", uitnodigingen.wachtwoord_kiezen, name="uitnodiging_wachtwoord"),
    path("uitnodiging/<str:sleutel>/", uitnodigingen.openen, name="uitnodiging_openen"),
]
