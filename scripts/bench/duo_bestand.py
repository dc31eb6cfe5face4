"""A large students-per-instelling-×-woongemeente file in the published format (docs/FORMATEN.md), built in
memory: for the 100,000-row benchmark (`scripts/bench/laden.py`) and the loader performance test.

Rows go through instellingen × gemeenten × leerweg × niveau, so every row is a distinct key; every
seventh count is suppressed (-1), the others are 0–49.
"""

import io
import itertools

from regio.aantallen import Aantal
from regio.models import Gemeente

AANTAL_RIJEN = 100_000
KOP = "peiljaar;instellingscode;gemeentecode;aantal;leerweg;niveau\r\n"
LEERWEGEN = ("BBL", "BOLVT", "BOLDT", "EX")
NIVEAUS = ("1", "2", "3", "4")


def woongemeentebestand(instellingscodes, gemeentecodes, aantal=AANTAL_RIJEN, peiljaar=2024):
    """(file bytes, the Aantal its counts add up to). Raises ValueError when the codes give too few rows."""
    combinaties = itertools.product(instellingscodes, gemeentecodes, LEERWEGEN, NIVEAUS)
    buffer = io.StringIO()
    buffer.write(KOP)
    bekend = onderdrukt = geschreven = 0
    for i, (code, gemeente, leerweg, niveau) in enumerate(itertools.islice(combinaties, aantal)):
        telling = -1 if i % 7 == 0 else i % 50
        if telling == -1:
            onderdrukt += 1
        else:
            bekend += telling
        buffer.write(f"{peiljaar};{code};{gemeente};{telling};{leerweg};{niveau}\r\n")
        geschreven += 1
    if geschreven < aantal:
        raise ValueError(
            f"{len(instellingscodes)} instellingscodes × {len(gemeentecodes)} gemeenten geven maar {geschreven} "
            f"rijen, niet {aantal}"
        )
    return buffer.getvalue().encode(), Aantal(bekend, onderdrukt)


def groot_woongemeentebestand(instellingscodes, aantal=AANTAL_RIJEN, peiljaar=2024):
    """The file over every gemeente in the database (by code) and the given instellingscodes (sorted)."""
    gemeenten = list(Gemeente.objects.order_by("code").values_list("code", flat=True))
    return woongemeentebestand(sorted(instellingscodes), gemeenten, aantal, peiljaar)
