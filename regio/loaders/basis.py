"""What every load shares: the preview it produces, the dataset it owns, and how it is described."""

import gc
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from ..models import Dataset
from .lezen import Afgewezen, Foutenlijst, lees_tabel, nl_getal

AANTAL_VOORBEELDEN = 8


@contextmanager
def zonder_gc():
    """Pause Python's cyclic garbage collector while a large file is read and checked.

    Reading 100,000 rows allocates some 800,000 lists, strings and tuples that all stay alive until
    the check is done; the collector then runs over them again and again (half of the reading time)
    without finding anything, since none of them form reference cycles. Reference counting still frees
    everything as usual. When the collector was already off, it stays off.
    """
    aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if aan:
            gc.enable()


@dataclass
class Herkomst:
    """Who loaded which file: written into the Dataset's bron."""

    bestandsnaam: str
    sha256: str
    gebruiker: str = ""
    tijdstip: object = None

    def beschrijving(self):
        moment = timezone.localtime(self.tijdstip or timezone.now())
        wie = self.gebruiker or "onbekend"
        return (
            f"bestand \u201c{self.bestandsnaam}\u201d (sha256 {self.sha256}), geladen door {wie} "
            f"op {date_format(moment, 'j F Y, H:i')}"
        )


@dataclass
class Voorbeeld:
    """The preview: what a confirmed load will add, change and remove. Plain data, stored as JSON."""

    regels: list = field(default_factory=list)
    voorbeelden: list = field(default_factory=list)  # [{"titel": ..., "regels": [...]}]
    waarschuwingen: list = field(default_factory=list)
    tellingen: dict = field(default_factory=dict)
    peiljaren: list = field(default_factory=list)
    rijen_gelezen: int = 0
    rijen_geaccepteerd: int = 0
    overgeslagen: int = 0

    def voorbeeldlijst(self, titel, regels, totaal=None):
        regels = list(regels)
        if not regels:
            return
        totaal = len(regels) if totaal is None else totaal
        self.voorbeelden.append(
            {"titel": titel, "regels": regels[:AANTAL_VOORBEELDEN], "totaal": totaal}
        )

    def als_dict(self):
        return {
            "regels": self.regels,
            "voorbeelden": self.voorbeelden,
            "waarschuwingen": self.waarschuwingen,
            "tellingen": self.tellingen,
            "peiljaren": self.peiljaren,
            "overgeslagen": self.overgeslagen,
        }


def telling_tekst(nieuw, gewijzigd, verwijderd, ongewijzigd=None, eenheid="rijen", vorige=""):
    """'2.341 rijen nieuw, 12 gewijzigd, 40 verwijderd (vorige lading van peiljaar 2024)'."""
    tekst = f"{nl_getal(nieuw)} {eenheid} nieuw, {nl_getal(gewijzigd)} gewijzigd, {nl_getal(verwijderd)} verwijderd"
    if ongewijzigd is not None:
        tekst += f", {nl_getal(ongewijzigd)} ongewijzigd"
    if vorige:
        tekst += f" ({vorige})"
    return tekst


def vorige_lading(soort, peiljaar, label=None):
    """Describe what a load of this soort and peiljaar would replace."""
    dataset = Dataset.objects.filter(soort=soort, peiljaar=peiljaar).first()
    jaar = f"peiljaar {peiljaar}" if peiljaar else (label or "deze gegevens")
    if dataset is None:
        return f"nog niets geladen voor {jaar}"
    if dataset.door_beheerder:
        return f"vorige lading van {jaar}"
    return f"vorige lading van {jaar}: meegeleverde gegevens, {dataset.get_status_display().lower()}"


def neem_dataset(soort, peiljaar, bronnaam, herkomst, toelichting="", licentie="", bron_url=""):
    """The Dataset for (soort, peiljaar) now belongs to the beheerder's upload: official, and never
    overwritten by the shipped reference data (regio.referentie checks door_beheerder)."""
    dataset, _ = Dataset.objects.update_or_create(
        soort=soort,
        peiljaar=peiljaar,
        defaults={
            "status": Dataset.Status.OFFICIEEL,
            "door_beheerder": True,
            "bron": f"{bronnaam}; {herkomst.beschrijving()}",
            "bron_url": bron_url,
            "licentie": licentie,
            "toelichting": toelichting,
        },
    )
    return dataset


class Lader(ABC):
    """One kind of load. Subclasses define `kolommen`, `controleer`, `voorbeeld` and `toepassen`.

    `controleer` only reads the database; `toepassen` writes and runs inside the caller's
    transaction.atomic().
    """

    soort = ""
    titel = ""
    kolommen = ()

    def __init__(self, peiljaar=None):
        self.peiljaar = peiljaar

    def lees(self, inhoud, bestandsnaam=""):
        return lees_tabel(inhoud, self.kolommen, bestandsnaam)

    @abstractmethod
    def controleer(self, tabel):
        """Validate every row against the database; return a plan or raise Afgewezen."""

    @abstractmethod
    def voorbeeld(self, plan):
        """Describe what the plan would add, change and remove (a Voorbeeld)."""

    @abstractmethod
    def toepassen(self, plan, herkomst):
        """Write the plan; runs inside the caller's transaction."""

    # Helpers for subclasses.
    def nieuwe_foutenlijst(self):
        return Foutenlijst()

    def stop_bij_fouten(self, fouten, tabel):
        if fouten:
            raise Afgewezen(fouten, tabel=tabel)
