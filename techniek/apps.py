from django.apps import AppConfig


class TechniekConfig(AppConfig):
    """Technical glue every app may use, below all of them: form rendering, what text is accepted, registers, the
    health check."""

    name = "techniek"
    verbose_name = "Techniek"
