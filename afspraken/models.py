from django.db import models


class Basisafspraak(models.Model):
    """One of the twelve basisafspraken of VNG and MBO Raad (February 2026), verbatim."""

    nummer = models.PositiveSmallIntegerField(unique=True)
    tekst = models.TextField()
    bron = models.TextField()

    class Meta:
        verbose_name = "basisafspraak"
        verbose_name_plural = "basisafspraken"
        ordering = ["nummer"]

    def __str__(self):
        return f"Basisafspraak {self.nummer}"
