from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Read-only JSON with an OpenAPI description. Sits on top of every other app, monitor included."""

    name = "api"
    verbose_name = "API"
