from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import include, path

from techniek.invoer import met_invoercontrole

admin.site.site_header = "Uitvoeringsafspraken zorg & welzijn mbo — beheer"
admin.site.site_title = "Beheer"
# The admin's own log-in form refuses what the application's does (techniek.invoer).
admin.site.login_form = met_invoercontrole(AdminAuthenticationForm)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("afspraken/", include("afspraken.urls")),
    # Pages that aanbod and financiering add to an agreement (e.g. /afspraken/<pk>/aanbod/).
    path("afspraken/", include("aanbod.urls")),
    path("afspraken/", include("financiering.urls")),
    # Public: anyone can check whether a PDF is an authentic, unchanged sealed agreement.
    path("verifieren/", include("afspraken.verificatie_urls")),
    # The national monitor (public and for beheerders) and the JSON API with its OpenAPI description.
    path("monitor/", include("monitor.urls")),
    path("api/", include("api.urls")),
    path("", include("accounts.urls")),
    path("beheer/", include("audit.urls")),
    path("", include("regio.urls")),
    path("", include("techniek.urls")),
]
