"""What is computed from the national data alone (region facts, public pages), kept per process while that
data is unchanged.

The key is the version in `regio_gegevensversie` (migration 0006): triggers renew it with every committed
change of the tables the facts are read from, loads by COPY included. Read it before the data: a change that
commits in between is then at worst kept under the older key and built again, never served stale under the
newer one. Without the table (SQLite, the demo) nothing is kept.

Row 2 (migration 0007) is where the agreements stand, renewed by the afspraken app's triggers (its migration
0005): what also shows agreements (the public monitor) is kept under both versions, read in one query. Row 3
(migration 0009) is the users and the fixed lists; the afspraken app keeps parts of an agreement's pages under
all three and a version of the agreement's own (`afspraken.inhoudsversie`).
"""

import secrets

from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# (name, key) -> (version, value): a few entries per region and per public list, and (afspraken.inhoudsversie)
# a dozen per agreement and day. HOOGSTENS is a safety net for a key a caller could vary (a host name, where
# any is allowed) and for the days that pass: the store is emptied rather than grow.
_bewaard = {}
HOOGSTENS = 1000

GEGEVENS = 1  # the national data
AFSPRAKEN = 2  # where each agreement stands: added, status, signing date, parties, signatures
ALGEMEEN = 3  # users (names, roles, organisations) and the fixed lists (basisafspraken, the continuüm)


def huidige(rijen=(GEGEVENS,)):
    """The current version of the data `rijen` name (a number for one, a tuple for several), or None where there
    is none (SQLite). `rijen=()`: what depends on no data, the same version on every database, without a query."""
    if not rijen:
        return ()
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, versie FROM regio_gegevensversie WHERE id = ANY(%s)", [list(rijen)])
        versies = dict(cursor.fetchall())
    if not all(r in versies for r in rijen):
        return None
    return versies[rijen[0]] if len(rijen) == 1 else tuple(versies[r] for r in rijen)


def per_versie(naam, sleutel, maak, rijen=(GEGEVENS,)):
    """`maak()` once per version of the data for (naam, sleutel); the value is shared: never change it.

    rijen: which versions the value depends on; (GEGEVENS, AFSPRAKEN) for what also shows agreements."""
    return onder_versie(naam, sleutel, huidige(rijen), maak)


def onder_versie(naam, sleutel, versie, maak):
    """`maak()` once per `versie` (a caller's own, read before the data) for (naam, sleutel); None: not kept."""
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


# --- whole public pages ---------------------------------------------------------------------------
# An anonymous visitor's page differs from the next one's only in the CSP nonce and the CSRF token. The page is
# rendered once with these two holes (markers random per process, so no content can contain them) and each
# response fills them in: the nonce its own, the token from get_token(), which also sets the CSRF cookie.
_GAT = secrets.token_hex(16)
NONCE_GAT = f"nonce-{_GAT}"
CSRF_GAT = f"csrf-{_GAT}"


def _voor_iedereen(request):
    # A query string comes from the caller (keeping each would let anyone fill the memory); a signed-in user sees
    # their own name and menu; a message (after logging out, say) is for this visitor only.
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and len(messages.get_messages(request)) == 0
    )


def met_gaten(request, maak):
    """`maak(extra_context)` → HTML kept for other requests too, rendered with two holes: the CSP nonce, and the
    CSRF token where `maak` passes `extra_context` to its templates. `vul_in` fills both for a response."""
    echte_nonce = request.csp_nonce  # the lazy object, not yet a nonce
    request.csp_nonce = NONCE_GAT
    try:
        return maak({"csrf_token": CSRF_GAT})
    finally:
        request.csp_nonce = echte_nonce


def vul_in(request, html):
    """`html` kept with holes, for this request: its own nonce and CSRF token (only where used: get_token()
    sets the CSRF cookie, as a fresh render would)."""
    if NONCE_GAT in html:
        html = html.replace(NONCE_GAT, str(request.csp_nonce))
    if CSRF_GAT in html:
        html = html.replace(CSRF_GAT, get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered by our templates, only the two holes replaced


def pagina_per_versie(request, naam, sleutel, sjabloon, context, rijen=(GEGEVENS,)):
    """`render(request, sjabloon, context())`, for anonymous visitors rendered once per version of the data and kept
    whole (per script prefix and language too). `context()` may raise Http404: nothing is kept then.

    Only for a page that shows nothing but the data `rijen` name: the same for every anonymous visitor. With
    `rijen=()` the page depends on no data (only on what `sleutel` holds) and is kept on every database."""
    if not _voor_iedereen(request):
        return render(request, sjabloon, context())
    volledig = (naam, sleutel, get_script_prefix(), get_language())

    def maak(extra):
        return render_to_string(sjabloon, {**context(), **extra}, request=request)

    pagina = per_versie("pagina", volledig, lambda: met_gaten(request, maak), rijen=rijen)
    return HttpResponse(vul_in(request, pagina))
