"""Parts of an agreement's pages, rendered once and kept per process while nothing they show has changed.

The key is the agreement's content version (migration 0006: renewed at the commit of every change of a row
that belongs to it, in any app) with the three versions of `regio_gegevensversie` (the national data, where the
agreements stand, the users and fixed lists), read in one query before the data. SQLite (the demo) has no
versions: nothing is kept there.

A transaction that has written keeps nothing and is given nothing kept: the content version is renewed at
commit (the trigger is deferred), so until then what it would render is newer than the version says.
"""

from django.db import connection
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language

from regio import gegevensversie

# The rows of regio_gegevensversie read with the agreement's own version.
LANDELIJK = (gegevensversie.GEGEVENS, gegevensversie.AFSPRAKEN, gegevensversie.ALGEMEEN)


def huidige(afspraak_pk):
    """The versions that what an agreement's pages show depends on, or None: not kept (SQLite, a transaction
    that has written, an agreement made before the versions existed and not changed since)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_xact_id_if_assigned() IS NULL, "
            "(SELECT versie FROM afspraken_inhoudsversie WHERE afspraak_id = %s), "
            "ARRAY(SELECT versie FROM regio_gegevensversie WHERE id = ANY(%s) ORDER BY id)",
            [afspraak_pk, list(LANDELIJK)],
        )
        ongeschreven, eigen, landelijk = cursor.fetchone()
    if not ongeschreven or eigen is None or len(landelijk) != len(LANDELIJK):
        return None
    return (eigen, *landelijk)


def per_versie_van(afspraak, versie, naam, sleutel, maak):
    """`maak()` once per version of what `afspraak` shows, per (naam, sleutel); the value is shared: never
    change it. `versie`: `huidige(pk)`, read before the agreement itself, so that an agreement read in the old
    state is never kept under the new version."""
    volledig = (afspraak.pk, *sleutel, timezone.localdate(), get_script_prefix(), get_language())
    return gegevensversie.onder_versie(naam, volledig, versie, maak)


def per_inhoudsversie(request, afspraak, versie, naam, sleutel, maak):
    """`maak(extra_context)` → HTML, kept as `per_versie_van` keeps a value (`sleutel`: all it depends on
    besides, such as the user's rights), and returned filled in for this request. `maak` must pass
    `extra_context` to every template it renders: it holds the CSRF token's hole."""

    def met_gaten():
        with gegevensversie.met_gaten(request):
            return maak({"csrf_token": gegevensversie.CSRF_GAT})

    return gegevensversie.vul_in(request, per_versie_van(afspraak, versie, naam, sleutel, met_gaten))
