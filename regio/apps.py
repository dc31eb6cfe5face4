from django.apps import AppConfig


class RegioConfig(AppConfig):
    name = "regio"
    verbose_name = "Regio's en referentiegegevens"
