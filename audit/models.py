"""The append-only audit log."""

from django.db import models
from django.utils import timezone


class Auditregel(models.Model):
    """One line of the append-only audit log: who did what, when. Never changed or removed.

    The user is kept as id and name, without a foreign key, so that removing an account can never
    touch the log; PostgreSQL refuses UPDATE and DELETE on this table (regio migration 0004_auditlog_alleen_toevoegen).
    """

    class Actie(models.TextChoices):
        PDF_GEMAAKT = "pdf_gemaakt", "PDF gemaakt"
        TER_ONDERTEKENING = "ter_ondertekening", "Aangeboden ter ondertekening"
        ONDERTEKEND = "ondertekend", "Ondertekend"
        AFGEWEZEN = "afgewezen", "Ondertekening afgewezen"
        VERZEGELD = "verzegeld", "Verzegeld"
        TAAK_MISLUKT = "taak_mislukt", "Taak mislukt"
        GEDOWNLOAD = "gedownload", "Gedownload"
        GEVERIFIEERD = "geverifieerd", "Geverifieerd"
        NIEUWE_VERSIE = "nieuwe_versie", "Nieuwe versie gestart"
        GEGEVENS_GELADEN = "gegevens_geladen", "Gegevens geladen"
        TWEEDE_FACTOR = "tweede_factor", "Tweede factor"
        METING_VASTGELEGD = "meting_vastgelegd", "Meting vastgelegd"
        ADMIN_TOEGEVOEGD = "admin_toegevoegd", "Toegevoegd in het beheer (admin)"
        ADMIN_GEWIJZIGD = "admin_gewijzigd", "Gewijzigd in het beheer (admin)"
        ADMIN_VERWIJDERD = "admin_verwijderd", "Verwijderd in het beheer (admin)"
        ORGANISATIE_BEVESTIGD = "organisatie_bevestigd", "Voorgestelde organisatie bevestigd"
        ORGANISATIE_SAMENGEVOEGD = "organisatie_samengevoegd", "Voorgestelde organisatie samengevoegd"
        ORGANISATIE_AFGEWEZEN = "organisatie_afgewezen", "Voorgestelde organisatie afgewezen"
        # How people get in (accounts): invitations, passwords, and a beheerder resetting a second factor.
        UITNODIGING_VERSTUURD = "uitnodiging_verstuurd", "Uitnodiging verstuurd"
        UITNODIGING_OPNIEUW = "uitnodiging_opnieuw", "Uitnodiging opnieuw verstuurd"
        UITNODIGING_GEACCEPTEERD = "uitnodiging_geaccepteerd", "Uitnodiging geaccepteerd"
        UITNODIGING_INGETROKKEN = "uitnodiging_ingetrokken", "Uitnodiging ingetrokken"
        UITNODIGING_WACHT = "uitnodiging_wacht", "Uitnodiging wacht op goedkeuring"
        UITNODIGING_GOEDGEKEURD = "uitnodiging_goedgekeurd", "Uitnodiging goedgekeurd"
        UITNODIGING_AFGEWEZEN = "uitnodiging_afgewezen", "Uitnodiging afgewezen"
        ONDERTEKENAAR_GEVRAAGD = "ondertekenaar_gevraagd", "Om een ondertekenaar gevraagd"
        WACHTWOORD_HERSTEL_GEVRAAGD = "wachtwoord_herstel_gevraagd", "Link voor nieuw wachtwoord gevraagd"
        WACHTWOORD_HERSTELD = "wachtwoord_hersteld", "Nieuw wachtwoord ingesteld via link"
        WACHTWOORD_GEWIJZIGD = "wachtwoord_gewijzigd", "Wachtwoord gewijzigd"
        TWEEDE_FACTOR_TERUGGEZET = "tweede_factor_teruggezet", "Tweede factor teruggezet door beheerder"

    tijdstip = models.DateTimeField(default=timezone.now, db_index=True)
    actie = models.CharField(max_length=30, choices=Actie.choices)
    gebruiker_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    gebruiker_naam = models.CharField(max_length=200, blank=True)
    onderwerp = models.CharField(max_length=300, blank=True)
    object_soort = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    gegevens = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "regio_auditregel"  # moved from regio without touching data (audit migration 0001)
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["-tijdstip", "-pk"]
        indexes = [models.Index(fields=["object_soort", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.tijdstip:%Y-%m-%d %H:%M} {self.get_actie_display()} — {self.gebruiker_naam or 'systeem'}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditlogOnveranderlijk("Een regel van het auditlog kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditlogOnveranderlijk("Een regel van het auditlog kan niet worden verwijderd.")


class AuditlogOnveranderlijk(Exception):
    pass
