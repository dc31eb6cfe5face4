from django.urls import path

from . import beheer_views

urlpatterns = [
    path("gegevens/", beheer_views.gegevens, name="beheer_gegevens"),
]
