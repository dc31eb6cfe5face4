"""The site's own pages (toegankelijkheid, privacy, colofon, contact) and the footer that links them from every
page. The error pages are in tests/test_foutpaginas.py."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Gebruiker
from techniek import paginas
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.factories import WACHTWOORD, GebruikerFactory

PAGINAS = ["toegankelijkheid", "privacy", "colofon", "contact"]
KOPPEN = {
    "toegankelijkheid": "Toegankelijkheidsverklaring",
    "privacy": "Privacyverklaring",
    "colofon": "Colofon",
    "contact": "Contact",
}


def _voettekst(html):
    return html[html.index('<footer class="site-footer">'):html.index("</footer>")]


def _koppen(html, niveau=1):
    return [re.sub(r"<[^>]+>", "", k).strip() for k in re.findall(rf"<h{niveau}\b[^>]*>(.*?)</h{niveau}>", html, re.S)]


def assert_in_kader(html, h1):
    """Dutch, the site's header and footer with every link of the footer, one h1 and the skip link."""
    assert '<html lang="nl">' in html
    assert 'class="site-header"' in html and 'href="#inhoud"' in html
    assert _koppen(html) == [h1]
    voet = _voettekst(html)
    for naam in PAGINAS:
        assert f'href="{reverse(naam)}"' in voet, naam


# --- the pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("naam", PAGINAS)
def test_pagina_open_voor_iedereen(db, naam):
    anoniem = Client().get(reverse(naam))
    assert anoniem.status_code == 200
    assert_in_kader(anoniem.content.decode(), KOPPEN[naam])
    client = Client()
    client.force_login(GebruikerFactory(username=f"lezer-{naam}"))
    ingelogd = client.get(reverse(naam))
    assert ingelogd.status_code == 200
    html = ingelogd.content.decode()
    assert_in_kader(html, KOPPEN[naam])
    assert "Uitloggen" in html


def test_de_pagina_s_lezen_de_database_niet(db, django_assert_num_queries):
    # Built from settings only: they stay up whatever the state of the data.
    with django_assert_num_queries(0):
        for naam in PAGINAS:
            assert Client().get(reverse(naam)).status_code == 200


def test_elke_pagina_heeft_de_links_in_de_voettekst(refdata):
    client = Client()
    client.force_login(GebruikerFactory(username="voettekst"))
    for adres in (reverse("home"), reverse("regio_lijst"), reverse("monitor"), reverse("afspraak_lijst")):
        voet = _voettekst(client.get(adres).content.decode())
        assert '<nav aria-label="Over deze website">' in voet
        for naam in PAGINAS:
            assert f'href="{reverse(naam)}"' in voet, (adres, naam)


def test_contactgegevens_uit_de_instellingen(db, settings):
    settings.ORGANISATIE_NAAM = "Gemeente Voorbeeldstad"
    settings.CONTACT_EMAIL = "uitvoeringsafspraken@voorbeeldstad.nl"
    settings.CONTACT_TELEFOON = "14 012"
    settings.FG_EMAIL = "privacy@voorbeeldstad.nl"
    for naam in PAGINAS:
        html = Client().get(reverse(naam)).content.decode()
        assert "Gemeente Voorbeeldstad" in html, naam
        assert "Voorbeeldgegevens" not in html, naam
    contact = Client().get(reverse("contact")).content.decode()
    assert 'href="mailto:uitvoeringsafspraken@voorbeeldstad.nl"' in contact
    assert "14 012" in contact
    assert 'href="mailto:privacy@voorbeeldstad.nl"' in contact
    assert 'href="mailto:privacy@voorbeeldstad.nl"' in Client().get(reverse("privacy")).content.decode()


@pytest.mark.parametrize("naam", PAGINAS)
def test_voorbeeldgegevens_van_de_demo_staan_er_als_voorbeeld(db, naam):
    html = Client().get(reverse(naam)).content.decode()
    assert "Voorbeeldgegevens" in html
    assert settings.PUBLIEKE_GEGEVENS_VOORBEELD["ORGANISATIE_NAAM"] in html
    assert "of bel" not in html  # no telephone number unless one is set


def test_deploy_check_meldt_voorbeeldgegevens(settings):
    meldingen = [m for m in run_checks(include_deployment_checks=True) if m.id == "techniek.W001"]
    assert len(meldingen) == 1
    assert "CONTACT_EMAIL" in meldingen[0].msg and "ORGANISATIE_NAAM" in meldingen[0].msg
    settings.ORGANISATIE_NAAM = "Gemeente Voorbeeldstad"
    settings.CONTACT_EMAIL = "a@voorbeeldstad.nl"
    settings.FG_EMAIL = "fg@voorbeeldstad.nl"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "techniek.W001"]
    # Not a check outside --deploy: the demo starts without a warning.
    settings.CONTACT_EMAIL = settings.PUBLIEKE_GEGEVENS_VOORBEELD["CONTACT_EMAIL"]
    assert not [m for m in run_checks() if m.id == "techniek.W001"]


# --- the accessibility statement ---------------------------------------------------------------------


def test_status_volgens_het_model():
    vandaag = datetime.date(2026, 12, 7)
    assert paginas.nalevingsstatus(None, vandaag).letter == "D"
    assert paginas.nalevingsstatus(datetime.date(2027, 3, 1), vandaag).letter == "C"
    assert paginas.nalevingsstatus(vandaag + datetime.timedelta(days=183), vandaag).letter == "C"
    # Further away than six months, or a date that has passed without a new statement: no C.
    assert paginas.nalevingsstatus(vandaag + datetime.timedelta(days=184), vandaag).letter == "D"
    assert paginas.nalevingsstatus(datetime.date(2026, 12, 6), vandaag).letter == "D"


def test_toegankelijkheidsverklaring_is_eerlijk_over_de_stand(db, settings):
    html = Client().get(reverse("toegankelijkheid")).content.decode()
    assert "Status D: Eerste maatregelen gepland" in html
    assert "nog niet gedaan" in html and "WCAG-EM" in html
    assert "axe-core" in html and "320 pixels" in html
    assert "Bekende beperkingen" in html and "veraPDF" in html
    assert "Nationale ombudsman" in html and 'href="https://www.nationaleombudsman.nl/"' in html
    assert f"mailto:{settings.CONTACT_EMAIL}" in html
    with translation.override("nl"):
        assert date_format(paginas.TOEGANKELIJKHEID_OPGESTELD, "j F Y") in html
    assert "8 uur na het inloggen" in html  # the session limit, from SESSION_COOKIE_AGE
    assert settings.PUBLIEKE_URL in html

    gepland = timezone.localdate() + datetime.timedelta(days=60)
    settings.TOEGANKELIJKHEID_ONDERZOEK_GEPLAND = gepland
    html = Client().get(reverse("toegankelijkheid")).content.decode()
    assert "Status C: Eerste maatregelen genomen" in html
    assert f"gepland vóór {gepland.day} " in html


# --- the privacy statement and its cookies -----------------------------------------------------------


def _cookies_op_de_pagina(html):
    tabel = html[html.index('id="cookietabel"'):html.index("</table>")]
    return re.findall(r'<th scope="row"><code>([^<]+)</code></th>', tabel)


def test_privacyverklaring_noemt_de_cookies_uit_de_instellingen(db):
    html = Client().get(reverse("privacy")).content.decode()
    assert _cookies_op_de_pagina(html) == [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"]
    assert "52 weken" in html  # CSRF_COOKIE_AGE, Django's default of 31449600 s
    assert "Tot u de browser sluit, en hooguit 8 uur" in html


@override_settings(SESSION_COOKIE_NAME="sessie", CSRF_COOKIE_NAME="beveiliging", CSRF_COOKIE_AGE=3600,
                   SESSION_EXPIRE_AT_BROWSER_CLOSE=False,
                   MESSAGE_STORAGE="django.contrib.messages.storage.session.SessionStorage")
def test_andere_cookie_instellingen_staan_zo_op_de_pagina(db):
    html = Client().get(reverse("privacy")).content.decode()
    # Messages kept in the session set no cookie of their own.
    assert _cookies_op_de_pagina(html) == ["sessie", "beveiliging"]
    assert "<td>1 uur</td>" in html and "<td>8 uur</td>" in html


def test_de_website_zet_geen_cookie_dat_de_privacyverklaring_niet_noemt(refdata):
    """A visit, a log-in and a page that leaves a message for the next: every cookie set is on the list."""
    genoemd = set(_cookies_op_de_pagina(Client().get(reverse("privacy")).content.decode()))
    afspraak = maak_afspraak(4)
    gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "cookie-beleid")
    client = Client()
    gezet = set()
    antwoorden = [
        client.get(reverse("home")),
        client.get(reverse("inloggen")),
        client.post(reverse("inloggen"), {"username": "cookie-beleid", "password": WACHTWOORD}),
        client.get(reverse("afspraak_starten", args=[4])),  # "Deze regio heeft al een uitvoeringsafspraak"
        client.get(reverse("afspraak_overzicht", args=[afspraak.pk])),
        client.post(reverse("uitloggen")),
    ]
    for antwoord in antwoorden:
        gezet |= set(antwoord.cookies)
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"} <= gezet
    assert gezet <= genoemd


def test_privacyverklaring_noemt_wat_er_bewaard_wordt(db):
    html = Client().get(reverse("privacy")).content.decode()
    for tekst in (
        "geen persoonsgegevens van studenten", "artikel 6, eerste lid, onder e", "Het auditlog", "IP-adres",
        "herstelcodes", "Ondertekening", "35 dagen", "Autoriteit Persoonsgegevens", "binnen een maand",
    ):
        assert tekst in html, tekst
    # The throttling's numbers come from the settings.
    assert f"Na {settings.AXES_FAILURE_LIMIT} mislukte pogingen" in html and "15 minuten" in html


def test_duur_in_woorden():
    assert paginas.duur(8 * 3600) == "8 uur"
    assert paginas.duur(3600) == "1 uur"
    assert paginas.duur(31449600) == "52 weken"
    assert paginas.duur(86400) == "1 dag"
    assert paginas.duur(900) == "15 minuten"
    assert paginas.duur(90) == "90 seconden"
