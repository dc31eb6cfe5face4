"""The project's URLs plus three that fail on purpose, for the error pages (tests only: @pytest.mark.urls)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as project


def serverfout(request):
    raise RuntimeError("opzettelijke fout voor de test")


def geen_toestemming(request):
    raise PermissionDenied("Deze uitvoeringsafspraak is ondertekend en kan niet meer worden gewijzigd.")


def ongeldig(request):
    raise SuspiciousOperation("opzettelijk ongeldig verzoek")


urlpatterns = [
    path("test-fout/500/", serverfout),
    path("test-fout/403/", geen_toestemming),
    path("test-fout/400/", ongeldig),
    *project,
]
