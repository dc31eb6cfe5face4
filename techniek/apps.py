from django.apps import AppConfig


class TechniekConfig(AppConfig):
    """Technical glue every app may use, below all of them: form rendering, registers, the health check, and the
    site's own public pages and error pages."""

    name = "techniek"
    verbose_name = "Techniek"

    def ready(self):
        from . import checks  # noqa: F401  registers the deploy check
