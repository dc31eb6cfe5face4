from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import InlogFormulier

urlpatterns = [
    path("", views.home, name="home"),
    path("regios/", views.regio_lijst, name="regio_lijst"),
    path("regios/<int:nummer>/", views.regio_detail, name="regio_detail"),
    path("gemeenten/<str:code>/", views.gemeente_detail, name="gemeente_detail"),
    path("instellingen/<int:pk>/", views.instelling_detail, name="instelling_detail"),
    path("bronnen/", views.bronnen, name="bronnen"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=InlogFormulier),
        name="inloggen",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="uitloggen"),
    path("beheer/", include("regio.beheer_urls")),
]
