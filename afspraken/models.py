"""The uitvoeringsafspraak of one doorstroompuntregio: parties, sections per phase, acties, history.

Editable content lives in *sections* (afspraken.secties). A text section stores its answers in
`Sectie.inhoud`; a row section stores rows in models derived from `Rij`. Every section and every row
carries a version number, so that a save based on an outdated version is refused instead of
overwriting someone else's change (optimistic concurrency).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Organisatie
from regio.models import Doorstroompuntregio


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


class Fase(models.IntegerChoices):
    VERKENNEN = 1, "Verkennen"
    VERBEELDEN = 2, "Verbeelden"
    VORMGEVEN = 3, "Vormgeven"
    VERANKEREN = 4, "Verankeren"


# Statuses in which a version's content is frozen (enforced in afspraken.bevriezing and in PostgreSQL).
BEVROREN_STATUSSEN = ("ter_ondertekening", "ondertekend", "vervangen")
OPEN_STATUSSEN = ("concept", "gereed", "ter_ondertekening")


class Uitvoeringsafspraak(models.Model):
    """One version of the agreement of a region. Offered for signing, a version is frozen for good."""

    class Status(models.TextChoices):
        CONCEPT = "concept", "Concept"
        GEREED = "gereed", "Gereed voor ondertekening"
        TER_ONDERTEKENING = "ter_ondertekening", "Ter ondertekening"
        ONDERTEKEND = "ondertekend", "Ondertekend"
        VERVANGEN = "vervangen", "Vervangen door een nieuwe versie"

    regio = models.ForeignKey(Doorstroompuntregio, on_delete=models.PROTECT, related_name="uitvoeringsafspraken")
    versie = models.PositiveSmallIntegerField(default=1)
    vorige_versie = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="volgende_versie"
    )
    titel = models.CharField(max_length=200)
    looptijd_start = models.DateField("begin looptijd")
    looptijd_einde = models.DateField("einde looptijd")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONCEPT)
    gereed_op = models.DateTimeField(null=True, blank=True)
    gereed_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="gestarte_afspraken"
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    bijgewerkt_op = models.DateTimeField(auto_now=True)
    # Version of the start data (title, looptijd) for optimistic concurrency, like a section.
    gegevens_versie = models.PositiveIntegerField(default=1)
    ter_ondertekening_op = models.DateTimeField("aangeboden ter ondertekening op", null=True, blank=True)
    ter_ondertekening_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ondertekend_op = models.DateTimeField("ondertekend op", null=True, blank=True)
    # Raised by every change of what the document of this version says (`verhoog_inhoudsteller`), never written
    # by save(): a PDF made from this content is kept under it (afspraken.afdrukken).
    inhoudsteller = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "uitvoeringsafspraak"
        verbose_name_plural = "uitvoeringsafspraken"
        ordering = ["regio__nummer", "-versie"]
        constraints = [
            models.UniqueConstraint(fields=["regio", "versie"], name="afspraak_versie_uniek"),
            # Per region at most one version being written or signed, and at most one in force: a signed
            # agreement stays in force while its amendment is written, until the amendment is signed.
            models.UniqueConstraint(
                fields=["regio"],
                condition=Q(status__in=["concept", "gereed", "ter_ondertekening"]),
                name="een_open_afspraak_per_regio",
            ),
            models.UniqueConstraint(
                fields=["regio"], condition=Q(status="ondertekend"), name="een_geldende_afspraak_per_regio"
            ),
            models.CheckConstraint(
                condition=Q(looptijd_einde__gt=models.F("looptijd_start")), name="looptijd_einde_na_start"
            ),
        ]

    def __str__(self):
        return f"{self.titel} (versie {self.versie})"

    @property
    def is_bewerkbaar(self):
        return self.status == self.Status.CONCEPT

    @property
    def is_bevroren(self):
        """Offered for signing, signed or replaced: the content of this version never changes again."""
        return self.status in BEVROREN_STATUSSEN

    @property
    def is_open(self):
        return self.status in OPEN_STATUSSEN

    @property
    def looptijd_jaren(self):
        """The calendar years the agreement runs in, e.g. [2026, 2027, 2028, 2029]."""
        return list(range(self.looptijd_start.year, self.looptijd_einde.year + 1))

    @property
    def is_meerjarig(self):
        # More than one year: a one-year term gets a warning (the regional programme runs 2026–2029).
        return (self.looptijd_einde - self.looptijd_start).days > 366

    def save(self, *args, **kwargs):
        from .bevriezing import controleer_afspraak_opslaan

        controleer_afspraak_opslaan(self)
        if not self._state.adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            # The counter is only raised in the database: writing back the value read earlier could undo a
            # parallel save's increment. (Deferred fields are left out, as Django's own save does.)
            weg = self.get_deferred_fields() | {"inhoudsteller"}
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.attname not in weg
            ]
        super().save(*args, **kwargs)

    def clean(self):
        if self.looptijd_start and self.looptijd_einde and self.looptijd_einde <= self.looptijd_start:
            raise ValidationError({"looptijd_einde": "Het einde van de looptijd moet na het begin liggen."})


def verhoog_inhoudsteller(afspraak):
    """Call in the transaction that changed what the document of `afspraak` says, as its last write.

    One UPDATE, so parallel saves each count. Last, because from here to the commit this transaction holds the
    agreement's row: a save that comes here waits for the one before it, never the other way round.
    """
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(inhoudsteller=models.F("inhoudsteller") + 1)


class Grondslag(models.TextChoices):
    """The basis on which a party's signer represents it (issue 27)."""

    BURGEMEESTER = "burgemeester", "burgemeester, op grond van artikel 171 van de Gemeentewet"
    WETHOUDER_MANDAAT = "wethouder_mandaat", "wethouder, gemandateerd bij collegebesluit"
    VOORZITTER_CVB = "voorzitter_cvb", "voorzitter van het college van bestuur, op grond van de statuten"
    STATUTEN = "statuten", "bestuurder, op grond van de statuten"
    ANDERS = "anders", "anders (zie de toelichting)"


class Partij(models.Model):
    class Rol(models.TextChoices):
        CONTACTGEMEENTE = "contactgemeente", "Contactgemeente"
        GEMEENTE = "gemeente", "Gemeente in de regio"
        GEMEENTE_BUITEN = "gemeente_buiten", "Gemeente buiten de regio"
        INSTELLING = "instelling", "Mbo-instelling"
        PARTNER = "partner", "Partner"

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="partijen")
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="partijschappen")
    rol = models.CharField(max_length=20, choices=Rol.choices)
    financieel_eindverantwoordelijk = models.BooleanField(
        "financieel eindverantwoordelijk",
        default=False,
        help_text="Precies één partij draagt de financiële eindverantwoordelijkheid.",
    )
    bestuurder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="te_ondertekenen_partijschappen",
        help_text="De bestuurder met een account die namens de partij tekent.",
    )
    bestuurder_naam = models.CharField("naam bestuurder", max_length=200, blank=True)
    bestuurder_functie = models.CharField("functie bestuurder", max_length=200, blank=True)
    # On what authority the signer represents the party (issue 27), entered by the party itself; named in the
    # convenant's Partijen and on the signature page.
    grondslag = models.CharField(
        "bevoegdheid", max_length=30, choices=Grondslag.choices, blank=True,
        help_text="Op grond waarvan de ondertekenaar de partij vertegenwoordigt.",
    )
    grondslag_besluit = models.DateField(
        "datum van het besluit", null=True, blank=True,
        help_text="Bij mandaat: de datum van het collegebesluit waarbij de bestuurder is gemandateerd.",
    )
    grondslag_toelichting = models.CharField(
        "toelichting op de bevoegdheid", max_length=300, blank=True,
        help_text="Bijvoorbeeld het besluit of het artikel van de statuten.",
    )
    toelichting = models.CharField(max_length=300, blank=True, help_text="Waarom deze partij aan tafel zit.")
    versie = models.PositiveIntegerField(default=1)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bijgewerkt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "partij"
        verbose_name_plural = "partijen"
        ordering = ["afspraak", "rol", "organisatie__naam"]
        constraints = [
            models.UniqueConstraint(fields=["afspraak", "organisatie"], name="partij_eenmaal_per_afspraak"),
            models.UniqueConstraint(
                fields=["afspraak"],
                condition=Q(financieel_eindverantwoordelijk=True),
                name="een_financieel_eindverantwoordelijke",
            ),
        ]

    def __str__(self):
        return str(self.organisatie)

    @property
    def bevoegdheid(self):
        """The signer's authority as a phrase for the convenant ("" while the party has not entered it), e.g.
        "wethouder, gemandateerd bij collegebesluit van 3 maart 2026"."""
        if not self.grondslag:
            return ""
        if self.grondslag == Grondslag.ANDERS:
            return self.grondslag_toelichting
        tekst = Grondslag(self.grondslag).label
        if self.grondslag == Grondslag.WETHOUDER_MANDAAT and self.grondslag_besluit:
            with translation.override("nl"):  # a Dutch text, also outside a Dutch request
                tekst += f" van {date_format(self.grondslag_besluit, 'j F Y')}"
        if self.grondslag_toelichting:
            tekst += f" ({self.grondslag_toelichting})"
        return tekst

    @property
    def ondertekenaar(self):
        """Who signs for this party, as text."""
        if self.bestuurder_id:
            naam = self.bestuurder.get_full_name() or self.bestuurder.username
            functie = self.bestuurder.functie
        else:
            naam, functie = self.bestuurder_naam, self.bestuurder_functie
        if not naam:
            return ""
        return f"{naam}, {functie}" if functie else naam


class VoorgesteldeOrganisatie(models.Model):
    """A partner organisation a beleidsmaker added to one agreement, not yet confirmed by a beheerder.

    An organisation is confirmed when it has no such record (all gemeenten, instellingen and earlier partners).
    The record lives here rather than as a field of accounts.Organisatie because it names the agreement, and
    accounts sits below afspraken: this way neither the code nor the migrations point upwards. Confirming
    removes the record; merging or rejecting removes the organisation with it (afspraken.organisaties).
    """

    inhoud_van_afspraak = False  # the beheerder decides on it also while the agreement is frozen; not copied

    organisatie = models.OneToOneField(
        Organisatie, on_delete=models.CASCADE, primary_key=True, related_name="voorstel"
    )
    # The region's agreement (any of its versions) offers it; kept without one if that agreement were removed,
    # so that the organisation stays unconfirmed rather than becoming visible everywhere.
    afspraak = models.ForeignKey(
        Uitvoeringsafspraak, null=True, on_delete=models.SET_NULL, related_name="voorgestelde_organisaties"
    )
    voorgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voorgesteld_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "voorgestelde organisatie"
        verbose_name_plural = "voorgestelde organisaties"
        ordering = ["voorgesteld_op", "pk"]

    def __str__(self):
        return str(self.organisatie)


class Sectie(models.Model):
    """State of one section of an agreement: its answers (text sections) and its version."""

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="secties")
    sleutel = models.CharField(max_length=60)
    inhoud = models.JSONField(default=dict, blank=True)
    versie = models.PositiveIntegerField(default=0)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bijgewerkt_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sectie"
        verbose_name_plural = "secties"
        constraints = [models.UniqueConstraint(fields=["afspraak", "sleutel"], name="sectie_uniek")]


class Rij(models.Model):
    """Base of every row in a row section (acties, ambities, aanbod, kostenposten, …)."""

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="+")
    versie = models.PositiveIntegerField(default=1)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bijgewerkt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Actie(Rij):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        BEZIG = "bezig", "Bezig"
        AFGEROND = "afgerond", "Afgerond"

    fase = models.PositiveSmallIntegerField(choices=Fase.choices)
    omschrijving = models.CharField(max_length=500)
    eigenaar = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.SET_NULL, related_name="acties", verbose_name="eigenaar"
    )
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The same actie in the previous version (set by versies.kopieer_inhoud), so that progress follows it.
    voorganger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="opvolgers", editable=False
    )

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.omschrijving

    def is_verlopen(self, vandaag=None):
        vandaag = vandaag or timezone.localdate()
        return self.status != self.Status.AFGEROND and self.deadline is not None and self.deadline < vandaag


class Frequentie(models.TextChoices):
    EENMALIG = "eenmalig", "Eenmalig"
    MAANDELIJKS = "maandelijks", "Maandelijks"
    KWARTAAL = "kwartaal", "Elk kwartaal"
    HALFJAARLIJKS = "halfjaarlijks", "Halfjaarlijks"
    JAARLIJKS = "jaarlijks", "Jaarlijks"


class Ambitie(Rij):
    omschrijving = models.CharField(max_length=500)
    toelichting = models.TextField(blank=True)

    class Meta:
        verbose_name = "ambitie"
        verbose_name_plural = "ambities"
        ordering = ["pk"]

    def __str__(self):
        return self.omschrijving


class Resultaat(Rij):
    ambitie = models.ForeignKey(Ambitie, on_delete=models.CASCADE, related_name="resultaten")
    omschrijving = models.CharField(max_length=500)

    class Meta:
        verbose_name = "resultaat"
        verbose_name_plural = "resultaten"
        ordering = ["pk"]

    def __str__(self):
        return self.omschrijving


class Indicator(Rij):
    ambitie = models.ForeignKey(Ambitie, on_delete=models.CASCADE, related_name="indicatoren")
    resultaat = models.ForeignKey(
        Resultaat, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicatoren"
    )
    naam = models.CharField(max_length=300)
    eenheid = models.CharField(
        max_length=60, blank=True, help_text="Bijvoorbeeld %, aantal studenten of rapportcijfer."
    )
    nulmeting = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    streefwaarde = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    meetmoment = models.DateField("eerste meetmoment", null=True, blank=True)
    meetfrequentie = models.CharField(max_length=15, choices=Frequentie.choices, blank=True)
    bron = models.CharField(max_length=300, blank=True, help_text="Waar de meting vandaan komt.")
    # The same indicator in the previous version (set by versies.kopieer_inhoud), so that metingen follow it.
    voorganger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="opvolgers", editable=False
    )

    class Meta:
        verbose_name = "indicator"
        verbose_name_plural = "indicatoren"
        ordering = ["pk"]

    def __str__(self):
        return self.naam

    def meetmomenten(self, looptijd_einde=None):
        """The scheduled dates: the first meetmoment, then every period of the frequentie up to the end."""
        from .monitoring import meetmomenten

        return meetmomenten(self, looptijd_einde or self.afspraak.looptijd_einde)


class Meting(models.Model):
    """One measurement of an indicator for one scheduled meetmoment, entered once the agreement is signed.

    Not part of the frozen content (no foreign key to the agreement): measurements are made while the
    signed version is in force. They belong to the indicator of the version in force at the time and
    follow it to later versions through Indicator.voorganger.
    """

    inhoud_van_afspraak = False

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="metingen")
    meetmoment = models.DateField("meetmoment")
    waarde = models.DecimalField(max_digits=12, decimal_places=2)
    gemeten_op = models.DateField("gemeten op")
    bron = models.CharField(max_length=300, blank=True)
    toelichting = models.TextField(blank=True)
    ingevoerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ingevoerd_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "meting"
        verbose_name_plural = "metingen"
        ordering = ["meetmoment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "meetmoment"], name="meting_eenmaal_per_meetmoment"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.waarde} op {self.meetmoment:%d-%m-%Y}"


class Actievoortgang(models.Model):
    """A report on an actie of the version in force: now bezig or afgerond. Insert-only; the latest counts.

    The actie row itself is frozen with the signed version, so its progress is recorded here.
    """

    inhoud_van_afspraak = False

    actie = models.ForeignKey(Actie, on_delete=models.PROTECT, related_name="voortgang")
    status = models.CharField(max_length=10, choices=Actie.Status.choices)
    toelichting = models.TextField(blank=True)
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tijdstip = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "voortgang van een actie"
        verbose_name_plural = "voortgang van acties"
        ordering = ["tijdstip", "pk"]

    def __str__(self):
        return f"{self.actie}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Een voortgangsmelding wordt nooit gewijzigd; meld de nieuwe stand.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Een voortgangsmelding wordt nooit verwijderd.")


class Rapportage(Rij):
    """Verankeren: who reports what to whom, how often (monitoring and voortgangsbewaking)."""

    onderwerp = models.CharField(max_length=300)
    van = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.SET_NULL, related_name="rapportages_van", verbose_name="van"
    )
    aan = models.CharField("aan", max_length=200, help_text="Bijvoorbeeld het bestuurlijk overleg van de regio.")
    frequentie = models.CharField(max_length=15, choices=Frequentie.choices, blank=True)
    eerste_datum = models.DateField("eerste keer", null=True, blank=True)

    class Meta:
        verbose_name = "rapportage"
        verbose_name_plural = "rapportages"
        ordering = ["eerste_datum", "pk"]

    def __str__(self):
        return self.onderwerp


class Wijziging(models.Model):
    """One recorded change: who, when, which section, old and new values. Never edited afterwards."""

    class Soort(models.TextChoices):
        GEWIJZIGD = "gewijzigd", "Gewijzigd"
        TOEGEVOEGD = "toegevoegd", "Toegevoegd"
        VERWIJDERD = "verwijderd", "Verwijderd"

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="wijzigingen")
    sectie = models.CharField(max_length=60)
    sectie_titel = models.CharField(max_length=200)
    soort = models.CharField(max_length=12, choices=Soort.choices)
    omschrijving = models.CharField(max_length=300, blank=True)
    oud = models.JSONField(default=dict, blank=True)
    nieuw = models.JSONField(default=dict, blank=True)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="wijzigingen"
    )
    tijdstip = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "wijziging"
        verbose_name_plural = "wijzigingen"
        ordering = ["-tijdstip", "-pk"]
        indexes = [models.Index(fields=["afspraak", "-tijdstip"], name="wijziging_afspraak_tijd")]


class Toelichting(models.Model):
    """The written explanation of an aandachtspunt of the toetsing, required before 'gereed'."""

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="toelichtingen")
    basisafspraak = models.PositiveSmallIntegerField()
    tekst = models.TextField()
    versie = models.PositiveIntegerField(default=1)
    bijgewerkt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bijgewerkt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "toelichting op een aandachtspunt"
        verbose_name_plural = "toelichtingen op aandachtspunten"
        constraints = [
            models.UniqueConstraint(fields=["afspraak", "basisafspraak"], name="toelichting_uniek"),
        ]


class Document(models.Model):
    """A generated PDF of one version: the text offered for signing, or the signed and sealed final one.

    The bytes live in the database with the agreement they belong to, so that a backup of the database
    holds every signed document and no file can be swapped behind the application's back.
    """

    inhoud_van_afspraak = False  # written while the version is frozen; guarded by its own rules

    class Soort(models.TextChoices):
        TER_ONDERTEKENING = "ter_ondertekening", "Ter ondertekening"
        ONDERTEKEND = "ondertekend", "Ondertekend en verzegeld"

    class Status(models.TextChoices):
        WACHTRIJ = "wachtrij", "In de wachtrij"
        BEZIG = "bezig", "Wordt gemaakt"
        KLAAR = "klaar", "Klaar"
        MISLUKT = "mislukt", "Mislukt"

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.PROTECT, related_name="documenten")
    soort = models.CharField(max_length=20, choices=Soort.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHTRIJ)
    # Public identifier in the QR code and the verification address; reveals nothing by itself.
    kenmerk = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inhoud = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    grootte = models.PositiveIntegerField(default=0)
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    gereed_op = models.DateTimeField(null=True, blank=True)
    pogingen = models.PositiveSmallIntegerField(default=0)
    fout = models.TextField(blank=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        constraints = [
            models.UniqueConstraint(fields=["afspraak", "soort"], name="document_eenmaal_per_soort"),
            models.CheckConstraint(
                condition=~Q(status="klaar") | (Q(inhoud__isnull=False) & ~Q(sha256="")),
                name="document_klaar_heeft_inhoud",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} — {self.afspraak}"

    @property
    def bestandsnaam(self):
        return pdf_bestandsnaam(self.afspraak, self.soort)


def pdf_bestandsnaam(afspraak, soort):
    """The download name of a PDF of this version; `soort` is concept, ter_ondertekening or ondertekend."""
    return f"uitvoeringsafspraak-regio-{afspraak.regio.nummer}-versie-{afspraak.versie}-{soort.replace('_', '-')}.pdf"


class Afdruk(models.Model):
    """A PDF to read, made by the task worker from one state of a version: the concept of the agreement, or its
    annual monitoring report. Never signed and not part of the content; the bytes live in the database like a
    Document's. `stand` is the state it was made from (afspraken.afdrukken): one PDF per state, made once.
    """

    inhoud_van_afspraak = False  # made from the content, also of a frozen version (a report); not content itself

    class Soort(models.TextChoices):
        CONCEPT = "concept", "Concept"
        MONITORINGSRAPPORT = "monitoringsrapport", "Monitoringsrapport"

    Status = Document.Status

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.CASCADE, related_name="afdrukken")
    soort = models.CharField(max_length=20, choices=Soort.choices)
    jaar = models.PositiveSmallIntegerField(null=True, blank=True)  # of a monitoring report
    stand = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHTRIJ)
    inhoud = models.BinaryField(null=True, blank=True, editable=False)
    grootte = models.PositiveIntegerField(default=0)
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    gereed_op = models.DateTimeField(null=True, blank=True)
    pogingen = models.PositiveSmallIntegerField(default=0)
    fout = models.TextField(blank=True)

    class Meta:
        verbose_name = "afdruk"
        verbose_name_plural = "afdrukken"
        constraints = [
            # What makes a second request, also a parallel one, find the first instead of queueing again.
            models.UniqueConstraint(fields=["afspraak", "soort", "stand"], name="afdruk_eenmaal_per_stand"),
            models.CheckConstraint(
                condition=~Q(status="klaar") | Q(inhoud__isnull=False), name="afdruk_klaar_heeft_inhoud"
            ),
        ]

    def __str__(self):
        jaar = f" {self.jaar}" if self.jaar else ""
        return f"{self.get_soort_display()}{jaar} — {self.afspraak}"


class Ondertekening(models.Model):
    """One party's decision on a version offered for signing: signed by its bestuurder, or declined."""

    inhoud_van_afspraak = False  # written while the version is frozen; insert-only

    class Besluit(models.TextChoices):
        GETEKEND = "getekend", "Ondertekend"
        AFGEWEZEN = "afgewezen", "Afgewezen"

    afspraak = models.ForeignKey(Uitvoeringsafspraak, on_delete=models.PROTECT, related_name="ondertekeningen")
    partij = models.OneToOneField(Partij, on_delete=models.PROTECT, related_name="ondertekening")
    besluit = models.CharField(max_length=10, choices=Besluit.choices)
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ondertekeningen")
    # What the document says, kept as text: names and functions change, the signature does not.
    naam = models.CharField(max_length=200)
    functie = models.CharField(max_length=200)
    organisatie_naam = models.CharField(max_length=200)
    document_sha256 = models.CharField("SHA-256 van het getekende document", max_length=64)
    reden = models.TextField(blank=True)
    tijdstip = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "ondertekening"
        verbose_name_plural = "ondertekeningen"
        ordering = ["tijdstip", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(besluit="afgewezen") | ~Q(reden=""), name="afwijzing_heeft_reden"
            ),
        ]

    def __str__(self):
        return f"{self.get_besluit_display()} namens {self.organisatie_naam} door {self.naam}"


class Ondertekenaarsverzoek(models.Model):
    """A beleidsmaker asked a party for its signer: its beleidsmakers (or, where it has nobody, the beheerders) got
    an e-mail with a link to invite a bestuurder (afspraken/views/ondertekenaars.py). Not content of the agreement:
    it names a party, not what the agreement says, and is not copied into a new version."""

    class Naar(models.TextChoices):
        ORGANISATIE = "organisatie", "De beleidsmakers van de partij"
        BEHEERDERS = "beheerders", "De beheerders"

    partij = models.ForeignKey(Partij, on_delete=models.CASCADE, related_name="ondertekenaarsverzoeken")
    gevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    gevraagd_op = models.DateTimeField(default=timezone.now)
    naar = models.CharField(max_length=20, choices=Naar.choices)
    aantal_ontvangers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "verzoek om een ondertekenaar"
        verbose_name_plural = "verzoeken om een ondertekenaar"
        ordering = ["-gevraagd_op", "-pk"]

    def __str__(self):
        return f"Ondertekenaar gevraagd voor {self.partij} op {self.gevraagd_op:%Y-%m-%d}"
