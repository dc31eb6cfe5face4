from django.contrib import admin
from django.urls import include, path

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
    path("beheer/", include("afspraken.beheer_urls")),
    path("", include("regio.urls")),
    path("", include("techniek.urls")),
]
