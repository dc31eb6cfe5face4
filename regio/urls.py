from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import gezondheid, tweede_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("regios/", views.regio_lijst, name="regio_lijst"),
    path("regios/<int:nummer>/", views.regio_detail, name="regio_detail"),
    path(
        "regios/<int:nummer>/studenten-per-instelling.<slug:formaat>",
        views.regio_export_instellingen,
        name="regio_export_instellingen",
    ),
    path(
        "regios/<int:nummer>/studenten-per-gemeente.<slug:formaat>",
        views.regio_export_gemeenten,
        name="regio_export_gemeenten",
    ),
    path("gemeenten/<str:code>/", views.gemeente_detail, name="gemeente_detail"),
    path("instellingen/<int:pk>/", views.instelling_detail, name="instelling_detail"),
    path("bronnen/", views.bronnen, name="bronnen"),
    # A bestuurder goes on to the second factor after the password (regio.tweede_factor).
    path("inloggen/", tweede_factor.Inloggen.as_view(), name="inloggen"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="uitloggen"),
    path("account/tweede-factor/", tweede_factor.overzicht, name="tweede_factor"),
    path("account/tweede-factor/instellen/", tweede_factor.instellen, name="tweede_factor_instellen"),
    path("account/tweede-factor/herstelcodes/", tweede_factor.herstelcodes, name="tweede_factor_herstelcodes"),
    path("account/tweede-factor/controleren/", tweede_factor.controleren, name="tweede_factor_controleren"),
    path("beheer/", include("regio.beheer_urls")),
    path("gezondheid/", gezondheid.gezondheid, name="gezondheid"),
]
