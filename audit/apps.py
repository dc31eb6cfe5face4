from django.apps import AppConfig
from django.db.models.signals import post_save


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Auditlog"

    def ready(self):
        from django.contrib.admin.models import LogEntry

        from regio.loaders import na_bevestigen

        from . import vastleggen

        na_bevestigen.registreer(vastleggen.gegevens_geladen)
        post_save.connect(vastleggen.admin_wijziging, sender=LogEntry, dispatch_uid="audit.admin_wijziging")
