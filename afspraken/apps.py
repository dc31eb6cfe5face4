from django.apps import AppConfig


class AfsprakenConfig(AppConfig):
    name = "afspraken"
    verbose_name = "Uitvoeringsafspraken"

    def ready(self):
        from regio import demo, referentie

        from . import demo as afsprakendemo
        from .fasen import registreer_fasen
        from .onderdelen import registreer_onderdelen
        from .referentie import laad_basisafspraken
        from .toetsregels import registreer_toetsregels

        referentie.registreer(laad_basisafspraken)
        registreer_onderdelen()
        registreer_fasen()
        registreer_toetsregels()
        demo.registreer(afsprakendemo.laad_afspraken)
        demo.registreer(afsprakendemo.rond_af)
