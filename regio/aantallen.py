"""Counts that may contain suppressed parts, and their honest sums.

DUO suppresses counts of 1 to 4 (written as -1). A sum over such cells is a range: the known part
plus between 1 and 4 for each suppressed part. Nothing here ever treats a suppressed part as 0 or -1.
"""

from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import Coalesce


def _nl(getal):
    return f"{getal:,}".replace(",", ".")


@dataclass(frozen=True)
class Aantal:
    bekend: int = 0
    onderdrukt: int = 0

    @property
    def ondergrens(self):
        return self.bekend + self.onderdrukt

    @property
    def bovengrens(self):
        return self.bekend + 4 * self.onderdrukt

    @property
    def midden(self):
        """A point estimate for charts and shares: each suppressed part counted as 2.5."""
        return self.bekend + 2.5 * self.onderdrukt

    @property
    def is_exact(self):
        return self.onderdrukt == 0

    def __add__(self, other):
        if not isinstance(other, Aantal):
            return NotImplemented
        return Aantal(self.bekend + other.bekend, self.onderdrukt + other.onderdrukt)

    def __radd__(self, other):
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented

    def __str__(self):
        if self.is_exact:
            return _nl(self.bekend)
        return f"{_nl(self.ondergrens)}–{_nl(self.bovengrens)}"

    @property
    def toelichting(self):
        if self.is_exact:
            return ""
        delen = "deel" if self.onderdrukt == 1 else "delen"
        return f"waarvan {self.onderdrukt} onderdrukt {delen} van 1–4"

    @classmethod
    def som_van(cls, queryset):
        """Sum a queryset of count rows (fields `aantal` and `onderdrukt`) in one query."""
        totalen = queryset.aggregate(bekend=Coalesce(Sum("aantal"), 0), onderdrukt=Coalesce(Sum("onderdrukt"), 0))
        return cls(totalen["bekend"], totalen["onderdrukt"])
