from django.apps import AppConfig


class AfsprakenConfig(AppConfig):
    name = "afspraken"
    verbose_name = "Uitvoeringsafspraken"

    def ready(self):
        from regio import demo, referentie

        from . import bevriezing, document, navigatie
        from . import demo as afsprakendemo
        from .bepalingen import registreer_bepalingen
        from .fasen import registreer_fasen
        from .onderdelen import registreer_onderdelen
        from .referentie import laad_basisafspraken
        from .toetsregels import registreer_toetsregels

        referentie.registreer(laad_basisafspraken)
        registreer_onderdelen()
        registreer_fasen()
        registreer_bepalingen()
        document.registreer_delen()  # the PDF's own chapters
        registreer_toetsregels()
        demo.registreer(afsprakendemo.laad_afspraken)
        demo.registreer(afsprakendemo.rond_af)
        navigatie.registreer(navigatie.Pagina("ondertekening", "Ondertekening", "afspraak_ondertekening", 60))
        navigatie.registreer(navigatie.Pagina("monitoring", "Monitoring", "afspraak_monitoring", 65))
        # Every app's models are loaded by now, so the content models of aanbod and financiering are found.
        bevriezing.verbind(self)
