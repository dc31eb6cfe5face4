"""The site's own public pages: toegankelijkheidsverklaring, privacyverklaring, colofon and contact.

Read without logging in and built from settings only (no database), so that what they say about the installation
(who runs it, which cookies it sets, how long a session lasts) follows the configuration instead of going stale.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

# When the texts of the statements were last reviewed against the application; change with the texts.
TOEGANKELIJKHEID_OPGESTELD = datetime.date(2026, 12, 7)
PRIVACY_GEWIJZIGD = datetime.date(2026, 12, 7)

# An audit planned within this many days gives status C; later or not at all, D (digitoegankelijk.nl: "binnen 6
# maanden onderzoek gepland").
ONDERZOEK_BINNEN_DAGEN = 183


@dataclass(frozen=True)
class Status:
    letter: str
    naam: str


STATUS_C = Status("C", "Eerste maatregelen genomen")
STATUS_D = Status("D", "Eerste maatregelen gepland")


def nalevingsstatus(gepland, vandaag):
    """The status of the standard model without a WCAG-EM audit: C with one planned within six months, else D.

    A and B need an audit report, which this installation does not have; the statement says so.
    """
    if gepland is not None and vandaag <= gepland <= vandaag + datetime.timedelta(days=ONDERZOEK_BINNEN_DAGEN):
        return STATUS_C
    return STATUS_D


def duur(seconden):
    """A cookie's or session's lifetime in Dutch words: '8 uur', '52 weken'."""
    for eenheid, enkel, meer in ((604800, "week", "weken"), (86400, "dag", "dagen"), (3600, "uur", "uur"),
                                 (60, "minuut", "minuten")):
        if seconden >= eenheid and seconden % eenheid == 0:
            aantal = seconden // eenheid
            return f"{aantal} {enkel if aantal == 1 else meer}"
    return f"{seconden} seconden"


@dataclass(frozen=True)
class Cookie:
    naam: str
    doel: str
    bewaard: str


def _berichten_in_cookie():
    """Whether messages.add_message can set a cookie: CookieStorage, alone or first in FallbackStorage (Django's
    default)."""
    opslag = import_string(settings.MESSAGE_STORAGE)
    if issubclass(opslag, CookieStorage):
        return True
    return issubclass(opslag, FallbackStorage) and CookieStorage in opslag.storage_classes


def cookies():
    """Every cookie this application sets, named as the settings name them."""
    sessie = f"tot u de browser sluit, en hooguit {duur(settings.SESSION_COOKIE_AGE)}"
    if not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        sessie = duur(settings.SESSION_COOKIE_AGE)
    lijst = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Onthoudt dat u bent ingelogd. Het bevat alleen een willekeurige sleutel; wat bij die sleutel hoort, "
            "staat op de server. Wie niet inlogt, krijgt het alleen als een formulier iets moet onthouden.",
            sessie,
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            "Beveiliging: bewijst bij het versturen van een formulier dat het van deze website komt en niet van een "
            "andere website die u iets wil laten doen (CSRF).",
            duur(settings.CSRF_COOKIE_AGE) if settings.CSRF_COOKIE_AGE else "tot u de browser sluit",
        ),
    ]
    if _berichten_in_cookie():
        lijst.append(
            Cookie(
                CookieStorage.cookie_name,
                "Geeft een melding zoals \u201cOpgeslagen\u201d door aan de volgende pagina. Het verdwijnt zodra u de "
                "melding hebt gezien.",
                "tot de volgende pagina, hooguit tot u de browser sluit",
            )
        )
    return lijst


def organisatie():
    """Who runs this installation and how to reach them; `voorbeeld` names what is still the demo's placeholder."""
    voorbeeld = {
        naam for naam, waarde in settings.PUBLIEKE_GEGEVENS_VOORBEELD.items() if getattr(settings, naam) == waarde
    }
    return {
        "naam": settings.ORGANISATIE_NAAM,
        "email": settings.CONTACT_EMAIL,
        "telefoon": settings.CONTACT_TELEFOON,
        "fg_email": settings.FG_EMAIL,
        "adres_site": settings.PUBLIEKE_URL,
        "voorbeeld": bool(voorbeeld),
    }


@require_safe
def toegankelijkheid(request):
    gepland = settings.TOEGANKELIJKHEID_ONDERZOEK_GEPLAND
    return render(request, "techniek/toegankelijkheid.html", {
        "organisatie": organisatie(),
        "status": nalevingsstatus(gepland, timezone.localdate()),
        "onderzoek_gepland": gepland,
        "opgesteld": TOEGANKELIJKHEID_OPGESTELD,
        "sessieduur": duur(settings.SESSION_COOKIE_AGE),
    })


@require_safe
def privacy(request):
    return render(request, "techniek/privacy.html", {
        "organisatie": organisatie(),
        "cookies": cookies(),
        "sessieduur": duur(settings.SESSION_COOKIE_AGE),
        "pogingen": settings.AXES_FAILURE_LIMIT,
        "wachttijd": duur(int(settings.AXES_COOLOFF_TIME * 3600)),
        "gewijzigd": PRIVACY_GEWIJZIGD,
    })


@require_safe
def colofon(request):
    return render(request, "techniek/colofon.html", {"organisatie": organisatie()})


@require_safe
def contact(request):
    return render(request, "techniek/contact.html", {"organisatie": organisatie()})
