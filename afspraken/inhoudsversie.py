"""Parts of an agreement's pages (and of the pages that list agreements), rendered once and kept per process
while nothing they show has changed.

The key is the agreement's content version (migration 0006: renewed at the commit of every change of a row
that belongs to it, in any app) with the three versions of `regio_gegevensversie` (the national data, where the
agreements stand, the users and fixed lists), read in one query before the data. What shows several agreements
uses a digest of the content versions of all it reads instead (`van_alle`, `van_regio`, `van_gebruiker`).
SQLite (the demo) has no versions: nothing is kept there.

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


def _lees(eigen_sql, params):
    """(own version, *LANDELIJK) in one query; `eigen_sql` selects the own version (NULL: none)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_current_xact_id_if_assigned() IS NULL, ({eigen_sql}), "
            "ARRAY(SELECT versie FROM regio_gegevensversie WHERE id = ANY(%s) ORDER BY id)",
            [*params, list(LANDELIJK)],
        )
        ongeschreven, eigen, landelijk = cursor.fetchone()
    if not ongeschreven or eigen is None or len(landelijk) != len(LANDELIJK):
        return None
    return (eigen, *landelijk)


def huidige(afspraak_pk):
    """The versions that what an agreement's pages show depends on, or None: not kept (SQLite, a transaction
    that has written, an agreement made before the versions existed and not changed since)."""
    return _lees("SELECT versie FROM afspraken_inhoudsversie WHERE afspraak_id = %s", [afspraak_pk])


# Over several agreements, a digest of every (agreement, version) pair rather than the highest version: versions
# are drawn just before commit, so a transaction that drew a lower one can commit after one that drew a higher.
# A removed agreement leaves the join, so removing one changes the digest too.
_VINGERAFDRUK = (
    "SELECT md5(coalesce(string_agg(v.afspraak_id || ':' || v.versie, ',' ORDER BY v.afspraak_id), '')) "
    "FROM afspraken_inhoudsversie v JOIN afspraken_uitvoeringsafspraak a ON a.id = v.afspraak_id"
)


def van_alle():
    """As `huidige`, for what reads every agreement (the beheerder's monitor and list)."""
    return _lees(_VINGERAFDRUK, [])


def van_regio(afspraak_pk):
    """As `huidige`, for what reads every version in the agreement's region: its metingen and progress follow
    their chains into the versions before it, and the version in force is another one of them."""
    return _lees(
        _VINGERAFDRUK + " WHERE a.regio_id = (SELECT regio_id FROM afspraken_uitvoeringsafspraak WHERE id = %s)",
        [afspraak_pk],
    )


def van_gebruiker(gebruiker):
    """As `huidige`, for a user's own list: every version in the regions of the agreements their organisation
    is a party to or they sign for (the chains stay within those regions). Which agreements exist at all (a new
    one in their region that they may not start again) is row 2 of `LANDELIJK`."""
    return _lees(
        _VINGERAFDRUK + " WHERE a.regio_id IN (SELECT e.regio_id FROM afspraken_uitvoeringsafspraak e "
        "JOIN afspraken_partij p ON p.afspraak_id = e.id WHERE p.organisatie_id = %s OR p.bestuurder_id = %s)",
        [gebruiker.organisatie_id, gebruiker.pk],
    )


def bewaard(naam, sleutel, versie, maak):
    """`maak()` once per `versie` (one of the above, read before the data, so that data read in the old state
    is never kept under the new version) for (naam, sleutel); the value is shared: never change it."""
    volledig = (*sleutel, timezone.localdate(), get_script_prefix(), get_language())
    return gegevensversie.onder_versie(naam, volledig, versie, maak)


def per_versie_van(afspraak, versie, naam, sleutel, maak):
    """`bewaard` for one agreement: `versie` is `huidige(afspraak.pk)`."""
    return bewaard(naam, (afspraak.pk, *sleutel), versie, maak)


def html_per_versie(request, naam, sleutel, versie, maak):
    """`maak(extra_context)` → HTML, kept as `bewaard` keeps a value (`sleutel`: all it depends on besides the
    versions, such as the user's rights), and returned filled in for this request. `maak` must pass
    `extra_context` to every template it renders: it holds the CSRF token's hole."""
    html = bewaard(naam, sleutel, versie, lambda: gegevensversie.met_gaten(request, maak))
    return gegevensversie.vul_in(request, html)


def per_inhoudsversie(request, afspraak, versie, naam, sleutel, maak):
    """`html_per_versie` for one agreement's page."""
    return html_per_versie(request, naam, (afspraak.pk, *sleutel), versie, maak)
