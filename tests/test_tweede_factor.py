import re
from base64 import b32encode
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_htmx.middleware import HtmxMiddleware
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Uitnodiging
from accounts.tweede_factor import tweede_factor_vereist
from audit.models import Auditregel
from tests.factories import WACHTWOORD, GebruikerFactory
from tests.otp_helpers import huidige_code, maak_totp, verifieer, zonder_tweede_factor

pytestmark = pytest.mark.django_db

INSTELLEN = reverse("tweede_factor_instellen")
CONTROLEREN = reverse("tweede_factor_controleren")
HERSTELCODES = reverse("tweede_factor_herstelcodes")


@pytest.fixture(autouse=True)
def geen_wachttijd(settings):
    # django-otp makes the user wait 1, 2, 4 … s after a wrong code; tests that need the wait switch it back on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def bestuurder():
    return GebruikerFactory(username="wethouder", rol="bestuurder", functie="wethouder")


def doel(url):
    """(path, next) of a redirect, whatever the quoting."""
    deel = urlsplit(url)
    return deel.path, parse_qs(deel.query).get("next", [None])[0]


def gebeurtenissen(gebruiker):
    return list(
        Auditregel.objects.filter(actie=Auditregel.Actie.TWEEDE_FACTOR, gebruiker_id=gebruiker.pk)
        .order_by("pk")
        .values_list("gegevens__gebeurtenis", flat=True)
    )


# --- the decorator ---------------------------------------------------------------------------------


@tweede_factor_vereist
def geheim(request):
    return HttpResponse("geheim")


def _roep_geheim(gebruiker, apparaat=None, htmx=False):
    request = RequestFactory().get("/geheim/?a=1", headers={"HX-Request": "true"} if htmx else {})
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = gebruiker or AnonymousUser()
    if apparaat is not None:
        request.session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    return HtmxMiddleware(OTPMiddleware(geheim))(request)


def test_decorator_stuurt_anoniem_naar_inloggen():
    response = _roep_geheim(None)
    assert response.status_code == 302
    assert doel(response.url) == (reverse("inloggen"), "/geheim/?a=1")


def test_decorator_stuurt_zonder_app_naar_instellen(bestuurder):
    response = _roep_geheim(bestuurder)
    assert doel(response.url) == (INSTELLEN, "/geheim/?a=1")


def test_decorator_stuurt_niet_geverifieerd_naar_controleren(bestuurder):
    maak_totp(bestuurder)
    response = _roep_geheim(bestuurder)
    assert doel(response.url) == (CONTROLEREN, "/geheim/?a=1")
    # A device of someone else in the session does not count.
    ander = maak_totp(GebruikerFactory())
    assert doel(_roep_geheim(bestuurder, ander).url) == (CONTROLEREN, "/geheim/?a=1")


def test_decorator_laat_htmx_de_hele_pagina_laden(bestuurder):
    maak_totp(bestuurder)
    response = _roep_geheim(bestuurder, htmx=True)
    assert response.status_code == 200
    assert doel(response["HX-Redirect"]) == (CONTROLEREN, "/geheim/?a=1")


def test_decorator_laat_geverifieerd_door(bestuurder):
    apparaat = maak_totp(bestuurder)
    response = _roep_geheim(bestuurder, apparaat)
    assert response.status_code == 200
    assert response.content == b"geheim"


# --- enrolment -------------------------------------------------------------------------------------


def _sleutel_van_pagina(html):
    return re.search(r'id="geheime-sleutel"[^>]*>([A-Z2-7 ]+)<', html).group(1)


def test_instellen_toont_qr_als_svg_en_sleutel_in_blokken(client, bestuurder):
    zonder_tweede_factor(client, bestuurder)
    response = client.get(INSTELLEN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg' in html and 'role="img"' in html and 'aria-labelledby="qr-titel"' in html
    assert "<img" not in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    apparaat = TOTPDevice.objects.get(user=bestuurder)
    assert not apparaat.confirmed
    sleutel = _sleutel_van_pagina(html)
    assert all(len(blok) == 4 for blok in sleutel.split())
    assert sleutel.replace(" ", "") == b32encode(apparaat.bin_key).decode()
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    # Reloading keeps the same pending device (the user may have scanned it already).
    client.get(INSTELLEN)
    assert TOTPDevice.objects.filter(user=bestuurder).count() == 1


def test_instellen_met_verkeerde_code_wordt_geweigerd(client, bestuurder):
    zonder_tweede_factor(client, bestuurder)
    client.get(INSTELLEN)
    apparaat = TOTPDevice.objects.get(user=bestuurder)
    goed = huidige_code(apparaat)
    fout = f"{(int(goed) + 1) % 1_000_000:06d}"
    response = client.post(INSTELLEN, {"code": fout})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Deze code klopt niet" in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html and 'id="id_code_error"' in html
    apparaat.refresh_from_db()
    assert not apparaat.confirmed
    assert not StaticToken.objects.filter(device__user=bestuurder).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.post(INSTELLEN, {"code": "12ab"}).status_code == 422
    assert gebeurtenissen(bestuurder) == ["mislukt"]


def test_instellen_met_goede_code_koppelt_en_toont_herstelcodes_een_keer(client, bestuurder):
    oud = maak_totp(bestuurder)
    verifieer(client, bestuurder)
    client.get(INSTELLEN + "?next=/regios/")
    nieuw = TOTPDevice.objects.get(user=bestuurder, confirmed=False)

    response = client.post(INSTELLEN, {"code": huidige_code(nieuw), "next": "/regios/"})
    assert response.status_code == 302
    assert doel(response.url) == (HERSTELCODES, "/regios/")
    nieuw.refresh_from_db()
    assert nieuw.confirmed
    assert not TOTPDevice.objects.filter(pk=oud.pk).exists()
    assert client.session[DEVICE_ID_SESSION_KEY] == nieuw.persistent_id
    codes = set(StaticToken.objects.filter(device__user=bestuurder).values_list("token", flat=True))
    assert len(codes) == 10

    html = client.get(response.url).content.decode()
    getoond = set(re.findall(r"<li><code>([a-z2-7]+)</code></li>", html))
    assert getoond == codes
    assert 'href="/regios/"' in html
    # Never again.
    html = client.get(HERSTELCODES).content.decode()
    assert not any(code in html for code in codes)
    assert gebeurtenissen(bestuurder) == ["ingesteld"]


def test_opnieuw_instellen_vraagt_eerst_de_huidige_app(client, bestuurder):
    maak_totp(bestuurder)
    zonder_tweede_factor(client, bestuurder)
    response = client.get(INSTELLEN)
    assert doel(response.url) == (CONTROLEREN, INSTELLEN)
    assert TOTPDevice.objects.filter(user=bestuurder).count() == 1


# --- verification ----------------------------------------------------------------------------------


def test_controleren_met_app_code(client, bestuurder):
    apparaat = maak_totp(bestuurder)
    zonder_tweede_factor(client, bestuurder)
    response = client.get(CONTROLEREN + "?next=/regios/")
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in response.content.decode()

    fout = "000000" if huidige_code(apparaat) != "000000" else "111111"
    response = client.post(CONTROLEREN, {"code": fout, "next": "/regios/"})
    assert response.status_code == 422
    assert "Deze code klopt niet" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session

    response = client.post(CONTROLEREN, {"code": huidige_code(apparaat), "next": "/regios/"})
    assert response.status_code == 302 and response.url == "/regios/"
    assert client.session[DEVICE_ID_SESSION_KEY] == apparaat.persistent_id
    assert gebeurtenissen(bestuurder) == ["mislukt", "geverifieerd"]


def test_controleren_met_herstelcode_verbruikt_hem(client, bestuurder):
    verifieer(client, bestuurder)
    response = client.post(HERSTELCODES)
    assert response.status_code == 302
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", client.get(HERSTELCODES).content.decode())
    assert len(codes) == 10

    client.post(reverse("uitloggen"))
    zonder_tweede_factor(client, bestuurder)
    response = client.post(CONTROLEREN, {"code": codes[0].upper()[:4] + " " + codes[0][4:]})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY].startswith("otp_static.")
    assert StaticToken.objects.filter(device__user=bestuurder).count() == 9

    client.post(reverse("uitloggen"))
    zonder_tweede_factor(client, bestuurder)
    response = client.post(CONTROLEREN, {"code": codes[0]})
    assert response.status_code == 422
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert gebeurtenissen(bestuurder) == ["herstelcodes", "geverifieerd", "mislukt"]


def test_sessie_met_herstelcode_blijft_geverifieerd_na_nieuwe_codes(client, bestuurder):
    verifieer(client, bestuurder)
    client.post(HERSTELCODES)
    code = StaticToken.objects.filter(device__user=bestuurder).first().token
    client.post(reverse("uitloggen"))
    zonder_tweede_factor(client, bestuurder)
    client.post(CONTROLEREN, {"code": code})
    response = client.post(HERSTELCODES)
    assert doel(response.url) == (HERSTELCODES, None)
    assert StaticToken.objects.filter(device__user=bestuurder).count() == 10
    assert client.post(HERSTELCODES).url == HERSTELCODES  # still verified


def test_te_veel_foute_codes_geeft_wachttijd_in_het_nederlands(client, bestuurder, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    apparaat = maak_totp(bestuurder)
    zonder_tweede_factor(client, bestuurder)
    fout = "000000" if huidige_code(apparaat) != "000000" else "111111"
    client.post(CONTROLEREN, {"code": fout})
    response = client.post(CONTROLEREN, {"code": huidige_code(apparaat)})
    assert response.status_code == 429
    assert "te vaak achter elkaar een verkeerde code" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_nieuwe_herstelcodes_maken_de_oude_ongeldig(client, bestuurder):
    verifieer(client, bestuurder)
    client.post(HERSTELCODES)
    oud = set(StaticToken.objects.filter(device__user=bestuurder).values_list("token", flat=True))
    client.get(HERSTELCODES)
    client.post(HERSTELCODES)
    nieuw = set(StaticToken.objects.filter(device__user=bestuurder).values_list("token", flat=True))
    assert len(nieuw) == 10 and not oud & nieuw
    assert gebeurtenissen(bestuurder) == ["herstelcodes", "herstelcodes"]


def test_nieuwe_herstelcodes_alleen_na_controle(client, bestuurder):
    maak_totp(bestuurder)
    zonder_tweede_factor(client, bestuurder)
    response = client.post(HERSTELCODES)
    assert doel(response.url) == (CONTROLEREN, HERSTELCODES)
    assert not StaticToken.objects.filter(device__user=bestuurder).exists()


def test_overzicht(client, bestuurder):
    # A beleidsmaker may enrol of their own accord; the page says what is not there yet.
    client.force_login(GebruikerFactory(username="beleid-vrijwillig"))
    html = client.get(reverse("tweede_factor")).content.decode()
    assert "nog geen tweede factor ingesteld" in html
    assert "Tweede factor</a>" not in html  # the header links it for bestuurders and beheerders only
    # A bestuurder without an app is sent to enrol: nothing else comes first.
    zonder_tweede_factor(client, bestuurder)
    assert doel(client.get(reverse("tweede_factor")).url) == (INSTELLEN, reverse("tweede_factor"))
    verifieer(client, bestuurder)
    assert "Tweede factor</a>" in client.get(reverse("tweede_factor")).content.decode()
    client.post(HERSTELCODES)
    html = client.get(reverse("tweede_factor")).content.decode()
    assert "U heeft nog 10 herstelcodes over" in html
    assert f'href="{INSTELLEN}"' in html


# --- log-in ----------------------------------------------------------------------------------------


def _inloggen(client, gebruiker, volgende=None):
    gegevens = {"username": gebruiker.username, "password": WACHTWOORD}
    if volgende is not None:
        gegevens["next"] = volgende
    return client.post(reverse("inloggen"), gegevens)


def test_bestuurder_gaat_na_wachtwoord_naar_controleren(client, bestuurder):
    maak_totp(bestuurder)
    response = _inloggen(client, bestuurder, "/regios/")
    assert response.status_code == 302
    assert doel(response.url) == (CONTROLEREN, "/regios/")
    assert "_auth_user_id" in client.session and DEVICE_ID_SESSION_KEY not in client.session
    # Back on the log-in page while not yet verified: on to the second step again.
    assert doel(client.get(reverse("inloggen")).url) == (CONTROLEREN, reverse("home"))


def test_bestuurder_zonder_app_gaat_naar_instellen(client, bestuurder):
    response = _inloggen(client, bestuurder, "/regios/")
    assert doel(response.url) == (INSTELLEN, "/regios/")


def test_beleidsmaker_logt_in_zoals_voorheen(client):
    beleidsmaker = GebruikerFactory(username="beleid")
    assert _inloggen(client, beleidsmaker, "/regios/").url == "/regios/"
    client.post(reverse("uitloggen"))
    assert _inloggen(client, beleidsmaker).url == reverse("home")


@pytest.mark.parametrize("kwaad", ["https://kwaad.example/", "//kwaad.example/", "javascript:alert(1)"])
def test_geen_open_redirect(client, bestuurder, kwaad):
    apparaat = maak_totp(bestuurder)
    response = _inloggen(client, bestuurder, kwaad)
    assert doel(response.url) == (CONTROLEREN, reverse("home"))
    response = client.post(CONTROLEREN, {"code": huidige_code(apparaat), "next": kwaad})
    assert response.url == reverse("home")


@pytest.mark.parametrize(
    "naam", ["tweede_factor", "tweede_factor_instellen", "tweede_factor_herstelcodes", "tweede_factor_controleren"]
)
def test_anoniem_naar_inloggen(client, naam):
    pad = reverse(naam)
    response = client.get(pad)
    assert response.status_code == 302
    assert doel(response.url) == (reverse("inloggen"), pad)
    assert client.post(pad).status_code == 302
    assert not TOTPDevice.objects.exists()


# --- a beheerder resets the second factor: enrolling again only through the person's own e-mail ---------------


def _link_uit(bericht):
    return urlsplit(re.search(r"http://\S+/account/tweede-factor/opnieuw/\S+/", bericht.body).group(0)).path


@pytest.fixture
def teruggezet(bestuurder, mailoutbox):
    """The bestuurder had an app and a verified session elsewhere; a beheerder reset it. (bestuurder, link path)"""
    from accounts.tweede_factor import zet_terug

    maak_totp(bestuurder)
    beheerder = GebruikerFactory(username="tf-beheer", rol="beheerder")
    zet_terug(bestuurder, beheerder)
    return bestuurder, _link_uit(mailoutbox[-1])


def test_na_terugzetten_eerst_de_link_dan_pas_instellen(client, teruggezet):
    bestuurder, link = teruggezet
    assert not TOTPDevice.objects.filter(user=bestuurder).exists()
    # The password alone is not enough any more: whoever knows it cannot bind their own app.
    response = _inloggen(client, bestuurder, "/regios/")
    assert doel(response.url) == (INSTELLEN, "/regios/")
    response = client.get(response.url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Tweede factor opnieuw instellen via uw e-mail" in html and "tf-beheer" not in html
    assert not TOTPDevice.objects.filter(user=bestuurder).exists()
    assert client.post(INSTELLEN, {"code": "123456"}).status_code == 403
    # Every other page leads there too.
    assert doel(client.get("/afspraken/").url)[0] == INSTELLEN
    client.post(reverse("uitloggen"))

    # The link from the e-mail, then the password, then enrolment.
    response = client.get(link)
    assert doel(response.url) == (reverse("inloggen"), reverse("account"))
    response = _inloggen(client, bestuurder, reverse("account"))
    assert doel(response.url) == (INSTELLEN, reverse("account"))
    html = client.get(response.url).content.decode()
    assert 'id="geheime-sleutel"' in html
    apparaat = TOTPDevice.objects.get(user=bestuurder, confirmed=False)
    response = client.post(INSTELLEN, {"code": huidige_code(apparaat), "next": reverse("account")})
    assert doel(response.url) == (HERSTELCODES, reverse("account"))
    uitnodiging = Uitnodiging.objects.get(gebruiker=bestuurder, soort=Uitnodiging.Soort.TWEEDE_FACTOR)
    assert uitnodiging.gebruikt_op is not None
    regel = Auditregel.objects.filter(actie=Auditregel.Actie.TWEEDE_FACTOR, gebruiker_id=bestuurder.pk).last()
    assert regel.gegevens == {"gebeurtenis": "ingesteld", "na_terugzetten": uitnodiging.pk}
    assert client.get("/afspraken/").status_code == 200

    # Used once: the link says so.
    client.post(reverse("uitloggen"))
    response = client.get(link)
    assert response.status_code == 410 and "Deze link is al gebruikt" in response.content.decode()


def test_link_na_inloggen_werkt_ook(client, teruggezet):
    bestuurder, link = teruggezet
    zonder_tweede_factor(client, bestuurder)
    response = client.get(link)
    assert doel(response.url) == (INSTELLEN, reverse("account"))
    assert client.get(response.url).status_code == 200


def test_link_van_een_ander_account(client, teruggezet):
    _, link = teruggezet
    client.force_login(GebruikerFactory(username="iemand-anders"))
    response = client.get(link)
    assert response.status_code == 403
    assert "Deze link is voor een ander account" in response.content.decode()


def test_verlopen_en_vervangen_link(client, teruggezet, mailoutbox):
    from accounts.tweede_factor import zet_terug

    bestuurder, link = teruggezet
    Uitnodiging.objects.filter(gebruiker=bestuurder).update(verloopt_op=timezone.now())
    response = client.get(link)
    assert response.status_code == 410 and "Deze link is verlopen" in response.content.decode()
    zonder_tweede_factor(client, bestuurder)
    html = client.get(INSTELLEN).content.decode()
    assert "is verlopen" in html and "opnieuw terug te zetten" in html
    client.post(reverse("uitloggen"))

    zet_terug(bestuurder, GebruikerFactory(username="tf-beheer-2", rol="beheerder"))
    response = client.get(link)
    assert response.status_code == 410 and "Er is een nieuwere link" in response.content.decode()
    assert client.get(_link_uit(mailoutbox[-1])).status_code == 302
    assert client.get("/account/tweede-factor/opnieuw/onzin/").status_code == 404


def test_terugzetten_beeindigt_de_geverifieerde_sessie(client, bestuurder):
    from accounts.tweede_factor import zet_terug

    verifieer(client, bestuurder)
    assert client.get("/afspraken/").status_code == 200
    zet_terug(bestuurder, GebruikerFactory(username="tf-beheer-3", rol="beheerder"))
    assert doel(client.get("/afspraken/").url) == (INSTELLEN, "/afspraken/")


def test_mail_mislukt_dan_verandert_er_niets(bestuurder, settings, monkeypatch):
    from accounts import uitnodigingen
    from accounts.tweede_factor import zet_terug

    maak_totp(bestuurder)

    def weigert(*args, **kwargs):
        raise OSError("geen verbinding")

    monkeypatch.setattr(uitnodigingen, "send_mail", weigert)
    with pytest.raises(uitnodigingen.MailMislukt):
        zet_terug(bestuurder, GebruikerFactory(username="tf-beheer-4", rol="beheerder"))
    assert TOTPDevice.objects.filter(user=bestuurder, confirmed=True).exists()
    assert not Uitnodiging.objects.exists()
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.TWEEDE_FACTOR_TERUGGEZET).exists()


# --- bestuurders and beheerders: nothing before the second factor ----------------------------------------------


@pytest.mark.parametrize("rol", ["bestuurder", "beheerder"])
def test_zonder_tweede_factor_alleen_instellen(client, rol):
    gebruiker = GebruikerFactory(username=f"alleen-{rol}", rol=rol)
    zonder_tweede_factor(client, gebruiker)
    for pad in ("/", "/afspraken/", "/account/", "/monitor/", "/admin/", "/api/regios/"):
        response = client.get(pad)
        assert response.status_code == 302, pad
        assert doel(response.url) == (INSTELLEN, pad)
    # htmx: the browser goes there as a whole page.
    response = client.get("/afspraken/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/x/"})
    assert doel(response["HX-Redirect"]) == (INSTELLEN, "/x/")
    # A form posted: back to the page it came from afterwards.
    response = client.post("/uitnodigingen/nieuw/", headers={"Referer": "http://testserver/uitnodigingen/"})
    assert doel(response.url) == (INSTELLEN, "/uitnodigingen/")
    assert client.get(INSTELLEN).status_code == 200
    assert client.post(reverse("uitloggen")).status_code == 302


def test_beleidsmaker_zonder_tweede_factor_mag_alles_wat_hij_mag(client):
    zonder_tweede_factor(client, GebruikerFactory(username="beleid-vrij"))
    assert client.get("/afspraken/").status_code == 200
    assert client.get("/account/").status_code == 200
