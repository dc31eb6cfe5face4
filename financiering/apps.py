from django.apps import AppConfig


class FinancieringConfig(AppConfig):
    name = "financiering"
    verbose_name = "Financiering"

    def ready(self):
        # afspraken never imports financiering: the sections and checks are registered from here.
        from .onderdelen import registreer_onderdelen
        from .toetsregels import registreer_toetsregels

        registreer_onderdelen()
        registreer_toetsregels()
