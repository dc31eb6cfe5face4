"""Which parties belong at the table of a region's agreement, proposed from the data."""

from dataclasses import dataclass

from django.db.models import Sum

from regio.aantallen import Aantal
from regio.models import Gemeente, InstellingInRegio, Organisatie, StudentenPerWoongemeente

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
    laatste = (
        StudentenPerWoongemeente.objects.filter(instelling_id__in=instelling_ids)
        .order_by("-peiljaar")
        .values_list("peiljaar", flat=True)
        .first()
    )
    if laatste is None:
        return []
    per_gemeente = (
        StudentenPerWoongemeente.objects.filter(instelling_id__in=instelling_ids, peiljaar=laatste)
        .values("gemeente_id")
        .annotate(bekend=Sum("aantal"), onderdrukt=Sum("onderdrukt"))
    )
    aantallen = {r["gemeente_id"]: Aantal(r["bekend"], r["onderdrukt"]) for r in per_gemeente}
    totaal = sum(a.midden for a in aantallen.values())
    if not totaal:
        return []
    buiten = {
        g.pk: g
        for g in Gemeente.objects.filter(pk__in=aantallen).exclude(regio=regio).select_related("organisatie", "regio")
    }
    voorstellen = []
    for gemeente_id, gemeente in buiten.items():
        aandeel = aantallen[gemeente_id].midden / totaal
        if aandeel >= DREMPEL_BUITEN_REGIO:
            voorstellen.append(
                Voorstel(
                    organisatie=gemeente.organisatie,
                    rol=Partij.Rol.GEMEENTE_BUITEN,
                    toelichting=(
                        f"{aantallen[gemeente_id]} studenten ({_pct(aandeel)}) van de instellingen in deze regio wonen "
                        f"hier (regio {gemeente.regio.naam}, peiljaar {laatste})"
                    ),
                    aandeel=aandeel,
                )
            )
    voorstellen.sort(key=lambda v: -v.aandeel)
    return voorstellen


def _pct(fractie):
    return f"{fractie * 100:.1f}%".replace(".", ",")
