"""Accounts: the organisations that can be parties and sign, their users (AUTH_USER_MODEL), and the single-use
links by e-mail through which people get in."""

import re
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

DOMEIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def valideer_domeinen(waarde):
    """A list of lower-case domain names, each once (what `Organisatie.email_domeinen` holds)."""
    if not isinstance(waarde, list) or not all(isinstance(d, str) for d in waarde):
        raise ValidationError("Geef een lijst van domeinen, bijvoorbeeld [\"leeuwarden.nl\"].")
    fout = [d for d in waarde if not DOMEIN.match(d)]
    if fout:
        raise ValidationError(
            "Geen geldig domein (kleine letters, zonder @ of https://, bijvoorbeeld leeuwarden.nl): "
            + ", ".join(fout)
        )
    if len(set(waarde)) != len(waarde):
        raise ValidationError("Elk domein één keer.")


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
    # Where its people's addresses end: an invitation to another address waits for a beheerder (issue 26).
    email_domeinen = models.JSONField(
        "e-maildomeinen",
        default=list,
        blank=True,
        help_text="Bijvoorbeeld leeuwarden.nl en friesepoort.nl. Een uitnodiging naar een adres buiten deze domeinen "
        "(of als er geen zijn) gaat pas weg na goedkeuring door een beheerder.",
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

    def clean(self):
        # Not a field validator: a migration would then import this module.
        try:
            valideer_domeinen(self.email_domeinen)
        except ValidationError as fout:
            raise ValidationError({"email_domeinen": fout.messages}) from fout

    def heeft_adres(self, email):
        """Whether `email` is in one of this organisation's domains (subdomains not included)."""
        domein = email.rpartition("@")[2].lower()
        return bool(domein) and domein in self.email_domeinen


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
    def moet_tweede_factor(self):
        """Bestuurders sign for their organisation and beheerders manage everyone: both use a second factor
        for everything they do here (accounts.tweede_factor)."""
        return self.is_superuser or self.rol in (self.Rol.BESTUURDER, self.Rol.BEHEERDER)

    @property
    def is_beheerder(self):
        return self.is_active and (self.rol == self.Rol.BEHEERDER or self.is_superuser)

    @property
    def weergavenaam(self):
        return self.get_full_name() or self.username


class Uitnodiging(models.Model):
    """A single-use link by e-mail, valid for 7 days: an invitation to set one's own password, or, after a beheerder
    reset someone's second factor, the way to enrol a new one.

    Only the SHA-256 of the link's key is stored. Sending a new link for the same person and purpose marks the
    previous row `vervangen`, so every row is one link and its fate (accounts/uitnodigingen.py)."""

    class Soort(models.TextChoices):
        ACCOUNT = "account", "Uitnodiging"
        TWEEDE_FACTOR = "tweede_factor", "Tweede factor opnieuw instellen"

    class Status(models.TextChoices):
        WACHT = "wacht", "Wacht op goedkeuring"
        OPEN = "open", "Open"
        GEBRUIKT = "gebruikt", "Geaccepteerd"
        VERVANGEN = "vervangen", "Vervangen door een nieuwere link"
        INGETROKKEN = "ingetrokken", "Ingetrokken"
        VERLOPEN = "verlopen", "Verlopen"

    GELDIG = timedelta(days=7)

    gebruiker = models.ForeignKey(Gebruiker, on_delete=models.CASCADE, related_name="uitnodigingen")
    soort = models.CharField(max_length=20, choices=Soort.choices, default=Soort.ACCOUNT)
    sleutel_hash = models.CharField(max_length=64, unique=True, editable=False)
    # None: sent by the system (the demo).
    verstuurd_door = models.ForeignKey(
        Gebruiker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verstuurd_op = models.DateTimeField(default=timezone.now)
    verloopt_op = models.DateTimeField()
    gebruikt_op = models.DateTimeField(null=True, blank=True)
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    ingetrokken_door = models.ForeignKey(
        Gebruiker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vervangen_op = models.DateTimeField(null=True, blank=True)
    # Held: no e-mail sent (the key was never given to anyone) until a beheerder approves, which sends a new link.
    wacht_op_goedkeuring = models.BooleanField(default=False)

    class Meta:
        verbose_name = "uitnodiging"
        verbose_name_plural = "uitnodigingen"
        ordering = ["-verstuurd_op", "-pk"]
        constraints = [
            # One live link per person and purpose: a new one replaces it.
            models.UniqueConstraint(
                fields=["gebruiker", "soort"],
                condition=Q(gebruikt_op__isnull=True, ingetrokken_op__isnull=True, vervangen_op__isnull=True),
                name="uitnodiging_een_open_link",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} voor {self.gebruiker.weergavenaam} ({self.gebruiker.email})"

    @property
    def status(self):
        # A link that was used says so, also if it was later replaced; then a newer link, then a withdrawal.
        if self.gebruikt_op:
            return self.Status.GEBRUIKT
        if self.vervangen_op:
            return self.Status.VERVANGEN
        if self.ingetrokken_op:
            return self.Status.INGETROKKEN
        if self.wacht_op_goedkeuring:
            return self.Status.WACHT
        if self.verloopt_op <= timezone.now():
            return self.Status.VERLOPEN
        return self.Status.OPEN

    @property
    def is_open(self):
        return self.status == self.Status.OPEN
