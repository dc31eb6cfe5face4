from django.urls import include, path

from . import views

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
    path("beheer/", include("regio.beheer_urls")),
]
