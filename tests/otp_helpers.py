"""Second factor in tests: a confirmed TOTP device, its current code, a verified test client, enrolment in a browser."""

import time
from base64 import b32decode

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# Django's own, before tests/conftest.py (`tweede_factor_bij_force_login`) makes force_login verify the session too.
_FORCE_LOGIN = Client.force_login


def maak_totp(gebruiker):
    """A confirmed authenticator app for `gebruiker` (as if enrolment had been done)."""
    return TOTPDevice.objects.create(user=gebruiker, name="Authenticator-app", confirmed=True)


def huidige_code(device):
    """The code an authenticator app shows now for `device`.

    django-otp accepts each time step only once; if this step was used already (e.g. right after enrolment),
    this gives the next step's code, which the device's tolerance of one step still accepts.
    """
    device.refresh_from_db()
    stap = (int(time.time()) - device.t0) // device.step
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift=max(0, device.last_t + 1 - stap))
    return f"{code:0{device.digits}d}"


def zonder_tweede_factor(client, gebruiker):
    """Log `client` in as `gebruiker` after the password only: a session that has not passed the second factor."""
    _FORCE_LOGIN(client, gebruiker)


def verifieer(client, gebruiker):
    """Log `client` in as `gebruiker` with a session verified by the user's app (made if missing)."""
    device = TOTPDevice.objects.filter(user=gebruiker, confirmed=True).first() or maak_totp(gebruiker)
    _FORCE_LOGIN(client, gebruiker)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def tweede_factor_in_browser(page, live_server_url, gebruiker):
    """Enrol the logged-in `gebruiker` in a real page, as a user would type the key; return the recovery codes."""
    pad = reverse("tweede_factor_instellen")
    if pad not in page.url:  # keep ?next= when the log-in already brought us here
        page.goto(live_server_url + pad)
    sleutel = page.locator("#geheime-sleutel").inner_text().replace(" ", "")
    key = b32decode(sleutel + "=" * (-len(sleutel) % 8))
    page.get_by_label("Code van 6 cijfers uit de app").fill(f"{totp(key, 30, 0, 6, 0):06d}")
    page.get_by_role("button", name="Code controleren en koppelen").click()
    page.get_by_role("heading", name="Uw nieuwe herstelcodes").wait_for()
    assert TOTPDevice.objects.filter(user=gebruiker, confirmed=True).exists(), "de app is niet gekoppeld"
    return [code.strip() for code in page.locator(".herstelcodes code").all_inner_texts()]
