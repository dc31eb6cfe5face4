"""Which parties belong at the table of a region's agreement, proposed from the data."""

from dataclasses import dataclass

from accounts.models import Organisatie
from regio.aantallen import Aantal
from regio.cijfers import woonsommen_van_instellingen
from regio.models import Gemeente, InstellingInRegio

from .models import Partij

# Gemeenten outside the region are proposed when at least this share of the students of the region's
# instellingen live there (the Groningen case: Oost-Groningen and Noord-Groningen-Eemsmond).
DREMPEL_BUITEN_REGIO = 0.01


@dataclass
class Voorstel:
    organisatie: Organisatie
    rol: str
    toelichting: str
    aandeel: float | None = None  # share of the students of the region's instellingen living there

    @property
    def aandeel_tekst(self):
        if self.aandeel is None:
            return ""
        return f"{self.aandeel * 100:.1f}%".replace(".", ",")


def stel_partijen_voor(regio):
    """[Voorstel]: contactgemeente, the region's gemeenten, its instellingen, notable gemeenten outside it."""
    gemeenten = list(Gemeente.objects.filter(regio=regio).select_related("organisatie").order_by("naam"))
    voorstellen = []
    for gemeente in gemeenten:
        is_contact = gemeente.pk == regio.contactgemeente_id
        voorstellen.append(
            Voorstel(
                organisatie=gemeente.organisatie,
                rol=Partij.Rol.CONTACTGEMEENTE if is_contact else Partij.Rol.GEMEENTE,
                toelichting="contactgemeente van de regio" if is_contact else "gemeente in de regio",
            )
        )
    voorstellen.sort(key=lambda v: v.rol != Partij.Rol.CONTACTGEMEENTE)
    instelling_ids = list(InstellingInRegio.objects.filter(regio=regio).values_list("instelling_id", flat=True))
    for organisatie in Organisatie.objects.filter(instelling_id__in=instelling_ids).order_by("naam"):
        voorstellen.append(
            Voorstel(organisatie=organisatie, rol=Partij.Rol.INSTELLING, toelichting="mbo-instelling in de regio")
        )
    voorstellen.extend(_gemeenten_buiten_regio(regio, instelling_ids))
    return voorstellen


def _gemeenten_buiten_regio(regio, instelling_ids):
    if not instelling_ids:
        return []
    buiten = studenten_buiten_regio(regio)
    organisaties = Organisatie.objects.in_bulk([g.organisatie_id for g in buiten])
    return [
        Voorstel(
            organisatie=organisaties[g.organisatie_id],
            rol=Partij.Rol.GEMEENTE_BUITEN,
            toelichting=f"{g.aantal} studenten ({g.aandeel_tekst}) van de instellingen in deze regio wonen hier",
            aandeel=g.aandeel,
        )
        for g in buiten
        if g.organisatie_id in organisaties
    ]


@dataclass
class GemeenteBuiten:
    """A gemeente outside the region where at least 1% of the students of the region's instellingen live."""

    naam: str
    organisatie_id: int | None
    aandeel: float
    aantal: Aantal
    is_partij: bool = False
    genoemd: bool = False

    @property
    def aandeel_tekst(self):
        return f"{self.aandeel * 100:.1f}%".replace(".", ",")

    @property
    def betrokken(self):
        return self.is_partij or self.genoemd


def studenten_buiten_regio(regio, cijfers=None):
    """[GemeenteBuiten] for the gemeenten outside `regio` with at least DREMPEL_BUITEN_REGIO of the students of
    the region's instellingen (latest peiljaar), largest share first. From the region's figures where given
    (regio.cijfers.regio_cijfers, read from the same sums); otherwise from the kept sums of the region's
    instellingen (regio.cijfers.woonsommen_van_instellingen), with the names of the gemeenten above the threshold
    read fresh.

    The share of a gemeente is its count over the count of all woongemeenten, a suppressed part counted as 2.5
    (Aantal.midden). Per instelling only its total rows when the source gave both totals and a breakdown (as
    regio.cijfers does), so nothing is counted twice.
    """
    if cijfers is not None:
        return _buiten_uit_cijfers(cijfers)
    instellingen = InstellingInRegio.objects.filter(regio=regio).values_list("instelling_id", flat=True)
    per_gemeente = {}  # sums as [bekend, onderdrukt]: a region has some 2,000 rows
    for som in woonsommen_van_instellingen(instellingen):
        rij = per_gemeente.setdefault(som.plaats_id, [0, 0])
        rij[0] += som.bekend
        rij[1] += som.onderdrukt
    per_gemeente = {gemeente_id: Aantal(*som) for gemeente_id, som in per_gemeente.items()}
    totaal = sum(a.midden for a in per_gemeente.values())
    if not totaal:
        return []
    aandelen = {g: a.midden / totaal for g, a in per_gemeente.items() if a.midden / totaal >= DREMPEL_BUITEN_REGIO}
    if not aandelen:
        return []
    uitkomst = [
        GemeenteBuiten(naam=naam, organisatie_id=organisatie_id, aandeel=aandelen[pk], aantal=per_gemeente[pk])
        for pk, naam, organisatie_id in Gemeente.objects.filter(pk__in=list(aandelen))
        .exclude(regio=regio)
        .values_list("pk", "naam", "organisatie__id")
    ]
    return sorted(uitkomst, key=lambda g: (-g.aandeel, g.naam))


def _buiten_uit_cijfers(c):
    """As studenten_buiten_regio, from the region's figures: their split covers every woongemeente (the total) and
    alle_buiten each gemeente outside the region (a suppressed part as 2.5 in both, as above)."""
    totaal = c.verdeling.totaal.midden if c.verdeling is not None else 0
    if not totaal:
        return []
    uitkomst = [
        GemeenteBuiten(naam=g["naam"], organisatie_id=g["organisatie_id"], aandeel=g["aantal"].midden / totaal,
                       aantal=g["aantal"])
        for g in c.alle_buiten
        if g["aantal"].midden / totaal >= DREMPEL_BUITEN_REGIO
    ]
    return sorted(uitkomst, key=lambda g: (-g.aandeel, g.naam))
