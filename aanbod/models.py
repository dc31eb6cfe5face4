from django.db import models


class Ondersteuningsniveau(models.Model):
    """A level of the five-level ondersteuningscontinuüm (basisafspraken, chapter 4)."""

    nummer = models.PositiveSmallIntegerField(unique=True)
    naam = models.CharField(max_length=100)
    doel = models.TextField()
    toelichting = models.TextField()
    praktijkvoorbeelden = models.JSONField(default=list)
    bron = models.TextField()

    class Meta:
        verbose_name = "ondersteuningsniveau"
        verbose_name_plural = "ondersteuningsniveaus"
        ordering = ["nummer"]

    def __str__(self):
        return f"Niveau {self.nummer}: {self.naam}"

    @property
    def is_minimum(self):
        """Basisafspraak 8: levels 1 to 3 are the minimum every region offers."""
        return self.nummer <= 3


class Financieringsbron(models.Model):
    """The legend of the continuüm: where the money for a form of support typically comes from."""

    code = models.SlugField(max_length=40, unique=True)
    naam = models.CharField(max_length=200)
    volgorde = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "financieringsbron"
        verbose_name_plural = "financieringsbronnen"
        ordering = ["volgorde"]

    def __str__(self):
        return self.naam


class Aanbodvorm(models.Model):
    """A catalogue entry a region can choose from: schoolmaatschappelijk werk, jongerenwerk, ..."""

    code = models.SlugField(max_length=60, unique=True)
    naam = models.CharField(max_length=200)
    niveau = models.ForeignKey(Ondersteuningsniveau, on_delete=models.PROTECT, related_name="aanbodvormen")
    financieringsbron = models.ForeignKey(
        Financieringsbron, on_delete=models.PROTECT, related_name="aanbodvormen", null=True, blank=True
    )
    wettelijke_basis = models.BooleanField(
        default=False, help_text="Biedt de instelling dit al vanuit haar wettelijke zorgplicht (WEB, WGBH/CZ)?"
    )
    omschrijving = models.TextField(blank=True)
    bron = models.TextField(blank=True)

    class Meta:
        verbose_name = "aanbodvorm"
        verbose_name_plural = "aanbodvormen"
        ordering = ["niveau__nummer", "naam"]

    def __str__(self):
        return self.naam
