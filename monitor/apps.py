from django.apps import AppConfig


class MonitorConfig(AppConfig):
    """The national overview: status per region, coverage, student flows. Sits on top of every other app."""

    name = "monitor"
    verbose_name = "Landelijke monitor"
