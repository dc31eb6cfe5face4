from django.apps import AppConfig


class AfsprakenConfig(AppConfig):
    name = "afspraken"
    verbose_name = "Uitvoeringsafspraken"

    def ready(self):
        from regio import referentie

        from .onderdelen import registreer_onderdelen
        from .referentie import laad_basisafspraken

        referentie.registreer(laad_basisafspraken)
        registreer_onderdelen()
