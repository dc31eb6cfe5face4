from django.apps import AppConfig


class FinancieringConfig(AppConfig):
    name = "financiering"
    verbose_name = "Financiering"

    def ready(self):
        from afspraken import navigatie
        from regio import demo

        # afspraken never imports financiering: the sections and checks are registered from here.
        from . import demo as financieringdemo
        from . import document as documentdelen
        from .onderdelen import registreer_onderdelen
        from .toetsregels import registreer_toetsregels

        registreer_onderdelen()
        documentdelen.registreer_delen()  # chapter of the agreement's PDF
        navigatie.registreer(navigatie.Pagina("financiering", "Financiering", "financiering_overzicht", 40))
        registreer_toetsregels()
        demo.registreer(financieringdemo.laad_financiering)
