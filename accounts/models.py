"""Accounts: the organisations that can be parties and sign, and their users (AUTH_USER_MODEL)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Organisatie(models.Model):
    """A party that can sign: a gemeente, an mbo-instelling or a partner such as a zorgverzekeraar."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", "Gemeente"
        MBO_INSTELLING = "mbo_instelling", "Mbo-instelling"
        PARTNER = "partner", "Partner"

    class PartnerSoort(models.TextChoices):
        ZORGVERZEKERAAR = "zorgverzekeraar", "Zorgverzekeraar"
        ZORGAANBIEDER = "zorgaanbieder", "Zorgaanbieder"
        GGD = "ggd", "GGD"
        JONGERENWERK = "jongerenwerk", "Jongerenwerk"
        LANDELIJK = "landelijk", "Landelijke organisatie"
        ANDERS = "anders", "Anders"

    naam = models.CharField(max_length=200)
    soort = models.CharField(max_length=20, choices=Soort.choices)
    partner_soort = models.CharField(max_length=20, choices=PartnerSoort.choices, blank=True)
    gemeente = models.OneToOneField(
        "regio.Gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="organisatie"
    )
    instelling = models.OneToOneField(
        "regio.MboInstelling", null=True, blank=True, on_delete=models.CASCADE, related_name="organisatie"
    )

    class Meta:
        # Moved from regio without touching data: the table keeps its name (accounts migration 0001).
        db_table = "regio_organisatie"
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(soort="gemeente", gemeente__isnull=False, instelling__isnull=True)
                    | Q(soort="mbo_instelling", instelling__isnull=False, gemeente__isnull=True)
                    | Q(soort="partner", gemeente__isnull=True, instelling__isnull=True)
                ),
                name="organisatie_soort_past_bij_koppeling",
            ),
        ]

    def __str__(self):
        return self.naam


class Gebruiker(AbstractUser):
    class Rol(models.TextChoices):
        BELEIDSMAKER = "beleidsmaker", "Beleidsmaker"
        BESTUURDER = "bestuurder", "Bestuurder"
        BEHEERDER = "beheerder", "Beheerder"

    organisatie = models.ForeignKey(
        Organisatie, null=True, blank=True, on_delete=models.PROTECT, related_name="gebruikers"
    )
    rol = models.CharField(max_length=20, choices=Rol.choices, default=Rol.BELEIDSMAKER)
    functie = models.CharField(
        max_length=200, blank=True, help_text="Bijvoorbeeld wethouder of lid college van bestuur."
    )

    class Meta:
        db_table = "regio_gebruiker"  # and so regio_gebruiker_groups, regio_gebruiker_user_permissions
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    def save(self, *args, **kwargs):
        # Beheerders use the Django admin; nobody else needs to.
        self.is_staff = self.is_superuser or self.rol == self.Rol.BEHEERDER
        super().save(*args, **kwargs)

    @property
    def is_beheerder(self):
        return self.is_active and (self.rol == self.Rol.BEHEERDER or self.is_superuser)

    @property
    def weergavenaam(self):
        return self.get_full_name() or self.username
