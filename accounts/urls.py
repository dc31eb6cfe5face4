from django.contrib.auth import views as auth_views
from django.urls import path

from . import tweede_factor

urlpatterns = [
    # A bestuurder goes on to the second factor after the password (accounts.tweede_factor).
    path("inloggen/", tweede_factor.Inloggen.as_view(), name="inloggen"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="uitloggen"),
    path("account/tweede-factor/", tweede_factor.overzicht, name="tweede_factor"),
    path("account/tweede-factor/instellen/", tweede_factor.instellen, name="tweede_factor_instellen"),
    path("account/tweede-factor/herstelcodes/", tweede_factor.herstelcodes, name="tweede_factor_herstelcodes"),
    path("account/tweede-factor/controleren/", tweede_factor.controleren, name="tweede_factor_controleren"),
]
