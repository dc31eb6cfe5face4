"""Financing of an uitvoeringsafspraak: kostenposten, geldstromen and the verdeelsleutel.

Rows derive from `afspraken.models.Rij` (agreement, version, who and when), so they are edited in row
sections with optimistic concurrency and history. The bekostigingssystematiek is a text section
(stored in `afspraken.Sectie.inhoud`), so it has no model here.

Amounts per year of a kostenpost are a JSON map {"2026": cents, …} on the row rather than a child
model: the years follow the agreement's looptijd, which may change after the amounts were entered; a
row with its amounts is one unit with one version (a save based on an outdated version is refused
for the whole post, as a person sees it); and a page reads all amounts in the one query that loads
the rows. The form validates the map against `looptijd_jaren`; amounts for years that later fall
outside the looptijd are kept (never silently dropped) and reported on the financing page.
"""

from django.db import models

from afspraken.models import Rij

from .verdeling import METHODEN, PER_STUDENT, euro, lees_aandeel


class Categorie(models.TextChoices):
    EXTRA_ONDERSTEUNING = "extra_ondersteuning", "Extra ondersteuningsaanbod"
    TRANSITIE = "transitie", "Transitiekosten"
    VASTE_KOSTEN = "vaste_kosten", "Vaste kosten samenwerking"


CATEGORIE_UITLEG = {
    Categorie.EXTRA_ONDERSTEUNING: (
        "Realiseren van het lichte ondersteuningsaanbod: personele inzet van ondersteuners (de grootste, "
        "variabele post). Inkoop door de doorstroompuntregio, de contactgemeente of de mbo-instelling."
    ),
    Categorie.TRANSITIE: (
        "Regionaal afspraken maken en aansluiten op de doorstroompuntregio: een procesbegeleider (tijdelijk), "
        "een inkooporganisatie opzetten of uitbreiden."
    ),
    Categorie.VASTE_KOSTEN: (
        "Samenwerking faciliteren, afspraken vastleggen en uitwerken: beleidsmedewerkers en inkopers."
    ),
}


class Kostenpost(Rij):
    categorie = models.CharField(max_length=30, choices=Categorie.choices)
    omschrijving = models.CharField(max_length=300)
    # {"2026": 1234567, …}: whole cents per calendar year of the looptijd (see the module docstring). Its one
    # writer is KostenpostFormulier, which builds the map from validated amounts.
    bedragen = models.JSONField("bedragen per jaar", default=dict, blank=True)
    verdelen = models.BooleanField(
        "met de verdeelsleutel verdelen",
        default=True,
        help_text="Uitvinken als deze kosten al uit één bron worden betaald (bijvoorbeeld de SPUK) en niet over de "
        "partijen worden verdeeld.",
    )

    class Meta:
        verbose_name = "kostenpost"
        verbose_name_plural = "kostenposten"
        ordering = ["categorie", "pk"]

    def __str__(self):
        return self.omschrijving

    def bedrag(self, jaar):
        """Cents for `jaar`, or None when no amount was entered."""
        return (self.bedragen or {}).get(str(jaar))

    def totaal(self, jaren=None):
        return sum(c for j, c in (self.bedragen or {}).items() if jaren is None or int(j) in jaren)

    def jaren_buiten(self, jaren):
        return sorted(int(j) for j, c in (self.bedragen or {}).items() if int(j) not in jaren)


class Geldstroom(Rij):
    class Bron(models.TextChoices):
        SPUK = "spuk", "SPUK via de contactgemeente (landelijke middelen OCW/VWS)"
        LUMPSUM = "lumpsum", "Lumpsum mbo-instelling"
        KWALITEIT = "kwaliteit", "Kwaliteitsgelden, vsv-middelen of passend onderwijs (mbo)"
        AU = "au", "Algemene Uitkering gemeentefonds (AU)"
        JEUGDWET = "jeugdwet", "Jeugdwet"
        WMO = "wmo", "Wmo"
        PARTICIPATIEWET = "participatiewet", "Participatiewet"
        ZVW = "zvw", "Zorgverzekeringswet (Zvw)"
        PROJECTSUBSIDIE = "projectsubsidie", "Projectsubsidie"
        FONDS = "fonds", "Fonds"
        ANDERS = "anders", "Anders (beschrijf)"

    class Duur(models.TextChoices):
        STRUCTUREEL = "structureel", "Structureel"
        TIJDELIJK = "tijdelijk", "Tijdelijk"

    class Karakter(models.TextChoices):
        BESTAAND = "bestaand", "Bestaand"
        AANVULLEND = "aanvullend", "Aanvullend"

    bron = models.CharField(max_length=20, choices=Bron.choices)
    omschrijving = models.CharField(max_length=300, blank=True)
    van = models.ForeignKey(
        "afspraken.Partij",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="geldstromen",
        verbose_name="van partij",
    )
    duur = models.CharField("structureel of tijdelijk", max_length=12, choices=Duur.choices)
    karakter = models.CharField("bestaand of aanvullend", max_length=12, choices=Karakter.choices)
    bedrag_per_jaar = models.DecimalField("bedrag per jaar", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "geldstroom"
        verbose_name_plural = "geldstromen"
        ordering = ["pk"]

    def __str__(self):
        return self.omschrijving or self.get_bron_display()

    @property
    def heeft_bron(self):
        return self.bron != self.Bron.ANDERS or bool(self.omschrijving.strip())


class Verdeelgroep(Rij):
    """One layer of the verdeelsleutel: a group of parties, its fixed share, and the method within it."""

    class Methode(models.TextChoices):
        INWONERS = "inwoners", "Naar inwoners (CBS)"
        STUDENTEN = "studenten", "Naar studenten per woongemeente (DUO)"
        GELIJK = "gelijk", "In gelijke delen"
        PERCENTAGES = "percentages", "Vaste percentages"
        PER_STUDENT = "per_student", "Bedrag per student per jaar"

    naam = models.CharField(max_length=100)
    # As typed: "1/3", "87%", "33,5". Empty for a group that pays an amount per student.
    aandeel = models.CharField("vast aandeel", max_length=20, blank=True)
    methode = models.CharField("verdeling binnen de groep", max_length=12, choices=Methode.choices)
    # [Partij.pk, …] and, for vaste percentages, {"<Partij.pk>": "60", …} (percent, as typed).
    leden = models.JSONField("partijen", default=list, blank=True)
    percentages = models.JSONField(default=dict, blank=True)
    bedrag_per_student = models.DecimalField(
        "bedrag per student per jaar", max_digits=10, decimal_places=2, null=True, blank=True
    )
    peiljaar = models.PositiveSmallIntegerField(null=True, blank=True)
    toelichting = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "groep van de verdeelsleutel"
        verbose_name_plural = "groepen van de verdeelsleutel"
        ordering = ["pk"]

    def __str__(self):
        return self.naam

    def herverwijs_partijen(self, kaart):
        """On copying into a new version (afspraken.versies): the party numbers point at the copies."""
        self.leden = [kaart.get(int(pk), pk) for pk in self.leden or []]
        self.percentages = {str(kaart.get(int(pk), pk)): v for pk, v in (self.percentages or {}).items()}

    @property
    def aandeel_breuk(self):
        if not self.aandeel:
            return None
        try:
            return lees_aandeel(self.aandeel)
        except ValueError:
            return None

    @property
    def is_per_student(self):
        return self.methode == PER_STUDENT

    @property
    def methode_tekst(self):
        return METHODEN.get(self.methode, self.methode)

    @property
    def bedrag_per_student_tekst(self):
        if self.bedrag_per_student is None:
            return ""
        return euro(int(self.bedrag_per_student * 100))
