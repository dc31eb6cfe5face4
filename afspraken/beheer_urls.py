from django.urls import path

from .views import beheer

# Under /beheer/, beside regio's and audit's beheer pages (config/urls.py).
urlpatterns = [
    path("organisaties/", beheer.lijst, name="beheer_organisaties"),
    path("organisaties/<int:pk>/", beheer.beoordelen, name="beheer_organisatie"),
]
