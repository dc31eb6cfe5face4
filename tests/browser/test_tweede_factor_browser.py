from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.a11y import assert_toegankelijk
from tests.browser.conftest import inloggen
from tests.factories import WACHTWOORD, GebruikerFactory
from tests.otp_helpers import huidige_code, tweede_factor_in_browser


def test_bestuurder_stelt_tweede_factor_in_en_logt_ermee_in(page, live_server, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the deliberately wrong code below
    wethouder = GebruikerFactory(username="wethouder", first_name="Wil", last_name="Wethouder", rol="bestuurder")

    # First log-in: the password alone leads to enrolment.
    inloggen(page, "wethouder", WACHTWOORD)
    page.get_by_role("heading", name="Tweede factor instellen").wait_for()
    assert page.get_by_role("img", name="QR-code om uw authenticator-app te koppelen aan uw account").is_visible()
    assert_toegankelijk(page)

    codes = tweede_factor_in_browser(page, live_server.url, wethouder)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert_toegankelijk(page)
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("button", name="Uitloggen").click()
    # Second log-in: the password, then the code from the app.
    inloggen(page, "wethouder", WACHTWOORD)
    page.get_by_role("heading", name="Inloggen: code uit uw app").wait_for()
    assert_toegankelijk(page)
    veld = page.get_by_label("Code uit de app of herstelcode")
    veld.fill("000000" if huidige_code(TOTPDevice.objects.get(user=wethouder)) != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").is_visible()
    assert veld.get_attribute("aria-invalid") == "true"
    assert_toegankelijk(page)

    veld.fill(huidige_code(TOTPDevice.objects.get(user=wethouder)))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Wil Wethouder").wait_for()
    assert "/account/tweede-factor/" not in page.url
    page.get_by_role("link", name="Tweede factor").click()
    assert page.get_by_text("U heeft nog 10 herstelcodes over").is_visible()
