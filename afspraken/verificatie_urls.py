from django.urls import path

from .views import verificatie

urlpatterns = [
    path("", verificatie.verifieren, name="verificatie"),
    path("<uuid:kenmerk>/", verificatie.verifieren_document, name="verificatie_document"),
]
