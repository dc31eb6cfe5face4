from django.apps import AppConfig


class AanbodConfig(AppConfig):
    name = "aanbod"
    verbose_name = "Aanbod"

    def ready(self):
        from afspraken import navigatie
        from regio import demo, referentie

        from . import demo as aanboddemo
        from . import document as documentdelen
        from .onderdelen import registreer_onderdelen
        from .referentie import laad_continuum
        from .toetsregels import registreer_toetsregels

        referentie.registreer(laad_continuum)
        registreer_onderdelen()
        documentdelen.registreer_delen()  # chapters of the agreement's PDF
        navigatie.registreer(navigatie.Pagina("aanbod", "Aanbod", "aanbod_overzicht", 30))
        registreer_toetsregels()
        demo.registreer(aanboddemo.laad_aanbod)
