"""What is computed from the national data alone (region facts, public pages), kept per process while that
data is unchanged.

The key is the version in `regio_gegevensversie` (migration 0006): triggers renew it with every committed
change of the tables the facts are read from, loads by COPY included. Read it before the data: a change that
commits in between is then at worst kept under the older key and built again, never served stale under the
newer one. Without the table (SQLite, the demo) nothing is kept.

Row 2 (migration 0007) is where the agreements stand, renewed by the afspraken app's triggers (its migration
0005): what also shows agreements (the public monitor) is kept under both versions, read in one query.
"""

from django.db import connection

# (name, key) -> (version, value): a few entries per region and per public list. HOOGSTENS is a safety net
# for a key a caller could vary (a host name, where any is allowed): the store is emptied rather than grow.
_bewaard = {}
HOOGSTENS = 1000

GEGEVENS = 1  # the national data
AFSPRAKEN = 2  # where each agreement stands: added, status, signing date, parties, signatures


def huidige(rijen=(GEGEVENS,)):
    """The current version of the data `rijen` name (one, or a tuple for several), or None where there is none
    (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if rijen == (GEGEVENS,):
            cursor.execute("SELECT versie FROM regio_gegevensversie WHERE id = 1")
            rij = cursor.fetchone()
            return rij[0] if rij else None
        cursor.execute("SELECT id, versie FROM regio_gegevensversie WHERE id = ANY(%s)", [list(rijen)])
        versies = dict(cursor.fetchall())
    return tuple(versies[r] for r in rijen) if all(r in versies for r in rijen) else None


def per_versie(naam, sleutel, maak, rijen=(GEGEVENS,)):
    """`maak()` once per version of the data for (naam, sleutel); the value is shared: never change it.

    rijen: which versions the value depends on; (GEGEVENS, AFSPRAKEN) for what also shows agreements."""
    versie = huidige(rijen)
    if versie is None:
        return maak()
    bewaard = _bewaard.get((naam, sleutel))
    if bewaard is not None and bewaard[0] == versie:
        return bewaard[1]
    waarde = maak()
    if len(_bewaard) >= HOOGSTENS:
        _bewaard.clear()
    _bewaard[(naam, sleutel)] = (versie, waarde)  # one assignment: another thread sees the old or the new pair
    return waarde


def vergeet():
    """Empty this process's store (tests that count a computation's own queries)."""
    _bewaard.clear()
