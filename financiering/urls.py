from django.urls import path

from . import views

# Included under "afspraken/" in config/urls.py.
urlpatterns = [
    path("<int:pk>/financiering/", views.overzicht, name="financiering_overzicht"),
    path(
        "<int:pk>/financiering/verdeling.<slug:formaat>", views.verdeling_export, name="financiering_verdeling_export"
    ),
]
