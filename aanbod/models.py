from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from afspraken.models import Partij, Rij


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


# --- per agreement: the chosen aanbod, personele inzet and warme overdracht ----------------------

NUL = MinValueValidator(0)


class RijQuerySet(models.QuerySet):
    """Rows are locked on their own table only: the nullable foreign keys they are read with
    (select_related) are outer joins, which PostgreSQL refuses to lock."""

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False):
        return super().select_for_update(nowait=nowait, skip_locked=skip_locked, of=of or ("self",), no_key=no_key)


class Waar(models.TextChoices):
    OP_SCHOOL = "op_school", "Op school"
    EXTERN = "extern", "Extern"
    BEIDE = "beide", "Op school en extern"


class Aanbod(Rij):
    """One form of support the region offers on a level of the continuüm: from the catalogue or its own."""

    niveau = models.ForeignKey(
        Ondersteuningsniveau, on_delete=models.PROTECT, related_name="+", verbose_name="niveau",
        help_text="Leeg laten bij een aanbodvorm uit de catalogus: dan geldt het niveau uit de catalogus.",
    )
    aanbodvorm = models.ForeignKey(
        Aanbodvorm, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="aanbodvorm uit de catalogus",
    )
    naam = models.CharField(
        "eigen naam", max_length=200, blank=True,
        help_text="Voor eigen aanbod dat niet in de catalogus staat, of de naam die de regio zelf gebruikt.",
    )
    omschrijving = models.TextField("wat houdt het in", blank=True)
    waar = models.CharField("waar", max_length=10, choices=Waar.choices, default=Waar.OP_SCHOOL)
    geleverd_door = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.SET_NULL, related_name="geleverd_aanbod",
        verbose_name="geleverd door",
    )
    fte = models.DecimalField("fte", max_digits=6, decimal_places=2, null=True, blank=True, validators=[NUL])
    uren_per_week = models.DecimalField(
        "uren per week", max_digits=6, decimal_places=2, null=True, blank=True, validators=[NUL]
    )
    sessies_per_student = models.DecimalField(
        "sessies per student", max_digits=6, decimal_places=2, null=True, blank=True, validators=[NUL]
    )
    voor_instellingen = models.ManyToManyField(
        Partij, blank=True, related_name="aanbod_voor", verbose_name="voor welke instellingen",
        limit_choices_to={"organisatie__soort": "mbo_instelling"},
        help_text="Niets aangevinkt: voor alle instellingen van de afspraak.",
    )
    locaties = models.CharField(
        "locaties", max_length=300, blank=True, help_text="Alleen invullen als het aanbod niet op alle locaties is."
    )
    financieringsbron = models.ForeignKey(
        Financieringsbron, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="financieringsbron",
    )
    wettelijke_basis = models.BooleanField(
        "wettelijke basis of aanvullend", default=False,
        help_text="Wettelijke basis: de instelling biedt dit al vanuit haar zorgplicht (WEB, WGBH/CZ).",
    )

    objects = RijQuerySet.as_manager()

    class Meta:
        verbose_name = "aanbod"
        verbose_name_plural = "aanbod"
        ordering = ["niveau__nummer", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aanbodvorm__isnull=False) | ~Q(naam=""), name="aanbod_vorm_of_eigen_naam"
            ),
        ]

    def __str__(self):
        return self.weergavenaam

    @property
    def weergavenaam(self):
        if self.naam:
            return self.naam
        return self.aanbodvorm.naam if self.aanbodvorm_id else "Aanbod"

    @property
    def is_op_school(self):
        return self.waar in (Waar.OP_SCHOOL, Waar.BEIDE)


class PersoneleInzet(Rij):
    """Basisafspraak 9: who is deployed, how much, employed by whom, and in which form."""

    class Soort(models.TextChoices):
        VERBREDING = "verbreding", "Verbreding van een bestaande functie"
        NIEUW = "nieuw", "Nieuwe functie"
        DETACHERING = "detachering", "Detachering"

    functie = models.CharField("functie", max_length=200, help_text="Bijvoorbeeld schoolmaatschappelijk werker.")
    fte = models.DecimalField("fte", max_digits=6, decimal_places=2, null=True, blank=True, validators=[NUL])
    werkgever = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.SET_NULL, related_name="personele_inzet",
        verbose_name="werkgever",
    )
    ingezet_waar = models.CharField(
        "waar ingezet", max_length=300, blank=True,
        help_text="Bijvoorbeeld: alle locaties van de instelling in de regio.",
    )
    soort = models.CharField("soort inzet", max_length=12, choices=Soort.choices)

    objects = RijQuerySet.as_manager()

    class Meta:
        verbose_name = "personele inzet"
        verbose_name_plural = "personele inzet"
        ordering = ["pk"]

    def __str__(self):
        return self.functie


class WarmeOverdracht(Rij):
    """Basisafspraak 10: to which specialist aanbod, and how a trusted face stays involved."""

    naar_aanbod = models.CharField(
        "naar welk specialistisch aanbod", max_length=300,
        help_text="Bijvoorbeeld: specialistische GGZ, verslavingszorg, jeugdhulp met verblijf.",
    )
    vertrouwd_gezicht = models.TextField(
        "hoe het vertrouwde gezicht betrokken blijft", blank=True,
        help_text="Wie de student blijft zien en hoe lang, tot de hulp is overgenomen.",
    )
    contact_rol = models.CharField(
        "contactpersoon (rol)", max_length=200, blank=True,
        help_text="Een rol of functie, zoals zorgcoördinator van de locatie; geen naam of persoonsgegevens.",
    )
    partij = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.SET_NULL, related_name="warme_overdrachten",
        verbose_name="partij van de contactpersoon",
    )

    objects = RijQuerySet.as_manager()

    class Meta:
        verbose_name = "warme overdracht"
        verbose_name_plural = "warme overdrachten"
        ordering = ["pk"]

    def __str__(self):
        return self.naar_aanbod

    @property
    def is_beschreven(self):
        return bool(self.naar_aanbod.strip() and self.vertrouwd_gezicht.strip())
