from django.urls import path

from . import views

# Included under "afspraken/" (config/urls.py).
urlpatterns = [
    path("<int:pk>/aanbod/", views.overzicht, name="aanbod_overzicht"),
]
