from django.apps import AppConfig


class TechniekConfig(AppConfig):
    """Technical glue every app may use, below all of them: form rendering, what text is accepted, registers, the
    health check, and the site's own public pages and error pages."""

    name = "techniek"
    verbose_name = "Techniek"

    def ready(self):
        from django.core import checks as django_checks

        from . import checks

        django_checks.register(checks.publieke_gegevens_ingesteld, "publieke_paginas", deploy=True)
