"""The page for a form that fails the CSRF check (settings.CSRF_FAILURE_VIEW).

The usual cause here is not an attack: a page left open while the user logged in or out in another tab (which
renews the token), or a browser that refuses cookies. The page says what happened and what to do, in the site's
frame; it never shows what was posted, since a forged request could put words there.
The other error pages (400, 403, 404, 500) are Django's own views with the templates of the same name.
"""

from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import render

# Tells static/js/sectie.js that an autosave was refused for its token, not because the agreement is frozen.
CSRF_KOP = "X-CSRF-Mislukt"


def csrf_mislukt(request, reason=""):
    if getattr(request, "htmx", False):
        antwoord = HttpResponseForbidden(
            "Niet opgeslagen: de beveiligingscode van deze pagina klopt niet meer. Ververs de pagina.",
            content_type="text/plain; charset=utf-8",
        )
    else:
        antwoord = render(request, "403_csrf.html", {"csrf_cookie": settings.CSRF_COOKIE_NAME}, status=403)
    antwoord[CSRF_KOP] = "1"
    return antwoord
