from django.urls import path

from . import documentatie, eigen, openbaar

urlpatterns = [
    path("", documentatie.pagina, name="api_documentatie"),
    path("schema/", documentatie.Schema.as_view(), name="api_schema"),
    # Public
    path("regios/", openbaar.RegioLijst.as_view(), name="api_regio_lijst"),
    path("regios/<int:nummer>/", openbaar.RegioDetail.as_view(), name="api_regio"),
    path("gemeenten/", openbaar.GemeenteLijst.as_view(), name="api_gemeente_lijst"),
    path("gemeenten/<str:cbs_code>/", openbaar.GemeenteDetail.as_view(), name="api_gemeente"),
    path("instellingen/", openbaar.InstellingLijst.as_view(), name="api_instelling_lijst"),
    path("instellingen/<str:sleutel>/", openbaar.InstellingDetail.as_view(), name="api_instelling"),
    path(
        "studentaantallen/instellingen/",
        openbaar.StudentenPerInstellingLijst.as_view(),
        name="api_studenten_instellingen",
    ),
    path("studentaantallen/regios/", openbaar.StudentenPerRegioLijst.as_view(), name="api_studenten_regios"),
    path("monitor/", openbaar.Monitor.as_view(), name="api_monitor"),
    path("monitor/regios/", openbaar.RegiostandLijst.as_view(), name="api_monitor_regios"),
    # Party members' own agreements (session log-in)
    path("afspraken/", eigen.AfspraakLijst.as_view(), name="api_afspraak_lijst"),
    path("afspraken/<int:regio>/<int:versie>/", eigen.AfspraakDetail.as_view(), name="api_afspraak"),
    path(
        "afspraken/<int:regio>/<int:versie>/toetsing/", eigen.AfspraakToetsing.as_view(), name="api_afspraak_toetsing"
    ),
    path(
        "afspraken/<int:regio>/<int:versie>/verdeling/",
        eigen.AfspraakVerdeling.as_view(),
        name="api_afspraak_verdeling",
    ),
]
