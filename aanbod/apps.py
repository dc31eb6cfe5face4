from django.apps import AppConfig


class AanbodConfig(AppConfig):
    name = "aanbod"
    verbose_name = "Aanbod"

    def ready(self):
        from regio import referentie

        from .referentie import laad_continuum

        referentie.registreer(laad_continuum)
