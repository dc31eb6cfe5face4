"""Reference data: regions, gemeenten, mbo-instellingen and student counts (organisations and users: accounts).

Student figures are counts only: nothing about an individual student is ever stored.
A count of 1 to 4 that the source suppressed (DUO writes -1) is kept as suppressed, never as 0 or -1:
each count row holds its known part (`aantal`) and how many suppressed parts it includes (`onderdrukt`),
so that sums stay exact ranges (see regio.aantallen.Aantal).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Dataset(models.Model):
    """Provenance of one kind of data for one peiljaar: where it came from and how far to trust it."""

    class Soort(models.TextChoices):
        REGIOS = "regios", "Doorstroompuntregio's"
        GEMEENTEN = "gemeenten", "Gemeenten"
        INWONERS = "inwoners", "Inwoners per gemeente"
        INDELING = "indeling", "Indeling gemeente → doorstroompuntregio"
        INSTELLINGEN = "instellingen", "Mbo-instellingen"
        STUDENTEN_INSTELLING = "studenten_instelling", "Studenten per instelling"
        STUDENTEN_WOONGEMEENTE = "studenten_woongemeente", "Studenten per instelling en woongemeente"
        KAART = "kaart", "Gemeentegrenzen (kaart)"
        BASISAFSPRAKEN = "basisafspraken", "Basisafspraken"
        CONTINUUM = "continuum", "Ondersteuningscontinuüm en aanbodvormen"

    class Status(models.TextChoices):
        OFFICIEEL = "officieel", "Officieel"
        GERECONSTRUEERD = "gereconstrueerd", "Gereconstrueerd (niet officieel)"
        SYNTHETISCH = "synthetisch", "Demo-gegevens, synthetisch"

    soort = models.CharField(max_length=40, choices=Soort.choices)
    # 0 for data without a peiljaar (texts); keeps the unique constraint simple on every database.
    peiljaar = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    bron = models.TextField(help_text="Waar de gegevens vandaan komen.")
    bron_url = models.URLField(blank=True)
    licentie = models.CharField(max_length=200, blank=True)
    toelichting = models.TextField(blank=True)
    bijgewerkt_op = models.DateTimeField(auto_now=True)
    # Set when a beheerder's upload produced this dataset; the shipped fixtures never overwrite it.
    door_beheerder = models.BooleanField(default=False)

    class Meta:
        verbose_name = "dataset"
        verbose_name_plural = "datasets"
        constraints = [
            models.UniqueConstraint(fields=["soort", "peiljaar"], name="dataset_uniek_per_soort_peiljaar"),
        ]
        ordering = ["soort", "-peiljaar"]

    def __str__(self):
        jaar = f" {self.peiljaar}" if self.peiljaar else ""
        return f"{self.get_soort_display()}{jaar} ({self.get_status_display().lower()})"

    @property
    def is_synthetisch(self):
        return self.status == self.Status.SYNTHETISCH


class Doorstroompuntregio(models.Model):
    nummer = models.PositiveSmallIntegerField(unique=True)
    naam = models.CharField(max_length=100)
    korte_naam = models.CharField(max_length=60, blank=True, help_text="Naam zoals in de tabel van 2024.")
    contactgemeente = models.ForeignKey(
        "Gemeente", null=True, blank=True, on_delete=models.SET_NULL, related_name="contact_voor"
    )
    contactgemeente_bron = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "doorstroompuntregio"
        verbose_name_plural = "doorstroompuntregio's"
        ordering = ["nummer"]

    def __str__(self):
        return f"{self.nummer}. {self.naam}"

    @property
    def code_duo(self):
        """DUO writes the RMC-regio code as two digits ("04")."""
        return f"{self.nummer:02d}"


class Gemeente(models.Model):
    code = models.CharField(max_length=6, unique=True, help_text="CBS-code, bijvoorbeeld GM0014.")
    naam = models.CharField(max_length=100)
    regio = models.ForeignKey(
        Doorstroompuntregio, null=True, blank=True, on_delete=models.PROTECT, related_name="gemeenten"
    )
    actief = models.BooleanField(default=True)

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^GM[0-9]{4}$"), name="gemeente_code_cbs_vorm"),
        ]

    def __str__(self):
        return self.naam

    @property
    def nummer(self):
        """The four digits DUO calls GEMEENTENUMMER."""
        return self.code[2:]


class Inwonertal(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="inwonertallen")
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="inwonertallen")
    peiljaar = models.PositiveSmallIntegerField()
    aantal = models.PositiveIntegerField()

    class Meta:
        verbose_name = "inwonertal"
        verbose_name_plural = "inwonertallen"
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "peiljaar"], name="inwonertal_uniek"),
        ]


class MboInstelling(models.Model):
    instellingscode = models.CharField(
        max_length=8, unique=True, null=True, blank=True, help_text="DUO-instellingscode (vroeger BRIN), bv. 25LX."
    )
    naam = models.CharField(max_length=200)
    vestigingsgemeente = models.ForeignKey(
        Gemeente, null=True, blank=True, on_delete=models.SET_NULL, related_name="gevestigde_instellingen"
    )
    plaatsnaam = models.CharField(max_length=100, blank=True)
    regios = models.ManyToManyField(
        Doorstroompuntregio, through="InstellingInRegio", related_name="instellingen", blank=True
    )

    class Meta:
        verbose_name = "mbo-instelling"
        verbose_name_plural = "mbo-instellingen"
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class InstellingInRegio(models.Model):
    """An instelling is present in a region: from the 2024 table or from DUO's RMC-regio column."""

    instelling = models.ForeignKey(MboInstelling, on_delete=models.CASCADE, related_name="aanwezigheden")
    regio = models.ForeignKey(Doorstroompuntregio, on_delete=models.CASCADE, related_name="aanwezigheden")
    naam_in_bron = models.CharField(max_length=200, blank=True)
    bron = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "aanwezigheid van een instelling in een regio"
        verbose_name_plural = "aanwezigheden van instellingen in regio's"
        constraints = [
            models.UniqueConstraint(fields=["instelling", "regio"], name="instelling_in_regio_uniek"),
        ]


class Leerweg(models.TextChoices):
    BBL = "BBL", "bbl"
    BOLVT = "BOLVT", "bol voltijd"
    BOLDT = "BOLDT", "bol deeltijd"
    EX = "EX", "examendeelnemer"
    TOTAAL = "TOTAAL", "totaal"


class StudentenPerInstelling(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="studenten_per_instelling")
    instelling = models.ForeignKey(MboInstelling, on_delete=models.CASCADE, related_name="studententotalen")
    peiljaar = models.PositiveSmallIntegerField()
    leerweg = models.CharField(max_length=6, choices=Leerweg.choices)
    aantal = models.PositiveIntegerField(default=0, help_text="Het bekende deel van het aantal.")
    onderdrukt = models.PositiveIntegerField(
        default=0, help_text="Aantal onderdrukte delen: de bron gaf elk als 1 tot 4 zonder het getal te noemen."
    )

    class Meta:
        verbose_name = "studenten per instelling"
        verbose_name_plural = "studenten per instelling"
        constraints = [
            models.UniqueConstraint(fields=["instelling", "peiljaar", "leerweg"], name="studenten_instelling_uniek"),
        ]


class StudentenPerWoongemeente(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="studenten_per_woongemeente")
    peiljaar = models.PositiveSmallIntegerField()
    instelling = models.ForeignKey(MboInstelling, on_delete=models.CASCADE, related_name="studenten_per_woongemeente")
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="studenten_per_instelling")
    leerweg = models.CharField(max_length=6, blank=True)
    niveau = models.CharField(max_length=10, blank=True)
    aantal = models.PositiveIntegerField(default=0, help_text="Het bekende deel van het aantal.")
    onderdrukt = models.PositiveIntegerField(
        default=0, help_text="Aantal onderdrukte delen: de bron gaf elk als 1 tot 4 zonder het getal te noemen."
    )

    class Meta:
        verbose_name = "studenten per woongemeente"
        verbose_name_plural = "studenten per woongemeente"
        constraints = [
            models.UniqueConstraint(
                fields=["peiljaar", "instelling", "gemeente", "leerweg", "niveau"], name="studenten_woongemeente_uniek"
            ),
        ]
        indexes = [
            models.Index(fields=["peiljaar", "instelling"], name="stud_wg_jaar_instelling"),
            models.Index(fields=["peiljaar", "gemeente"], name="stud_wg_jaar_gemeente"),
        ]


class Gegevensimport(models.Model):
    """One uploaded file, from preview to result. Kept as the history of loads."""

    class Soort(models.TextChoices):
        ADRESSEN_MBO = "adressen_mbo", "DUO: adressen mbo-instellingen"
        STUDENTEN_INSTELLING = "studenten_instelling", "DUO: studenten per instelling"
        STUDENTEN_WOONGEMEENTE = "studenten_woongemeente", "Studenten per instelling en woongemeente"
        INWONERS = "inwoners", "CBS: inwoners per gemeente"
        INDELING = "indeling", "Indeling gemeente → doorstroompuntregio"

    class Status(models.TextChoices):
        VOORBEELD = "voorbeeld", "Wacht op bevestiging"
        AFGEWEZEN = "afgewezen", "Afgewezen"
        GELADEN = "geladen", "Geladen"
        GEANNULEERD = "geannuleerd", "Geannuleerd"
        VERLOPEN = "verlopen", "Verlopen (niet bevestigd)"
        MISLUKT = "mislukt", "Mislukt"

    soort = models.CharField(max_length=30, choices=Soort.choices)
    peiljaar = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VOORBEELD)
    bestandsnaam = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    grootte = models.PositiveIntegerField(help_text="Bytes")
    # The file itself is kept until it is loaded or rejected, so the confirmed load is exactly the previewed one.
    inhoud = models.BinaryField(null=True, blank=True, editable=False)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="gegevensimports"
    )
    via = models.CharField(max_length=20, default="browser", help_text="browser of opdrachtregel")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    afgerond_op = models.DateTimeField(null=True, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    scheidingsteken = models.CharField(max_length=1, blank=True)
    rijen_gelezen = models.PositiveIntegerField(default=0)
    rijen_geaccepteerd = models.PositiveIntegerField(default=0)
    # The reasons for a rejection: the first 200 (line, column, message); aantal_fouten counts them all.
    fouten = models.JSONField(default=list, blank=True)
    aantal_fouten = models.PositiveIntegerField(default=0)
    samenvatting = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "gegevensimport"
        verbose_name_plural = "gegevensimports"
        ordering = ["-aangemaakt_op", "-pk"]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.bestandsnaam}"
