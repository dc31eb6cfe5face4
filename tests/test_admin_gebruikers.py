"""Users in the admin: nobody sets or sees another person's password there, the add page is the invitation, a
beheerder sends a link to set a new password or resets a second factor (the person enrols again through their own
e-mail), cannot take over a superuser, and uses the admin only with a verified second factor."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.beheersite import Beheersite
from accounts.models import Gebruiker, Uitnodiging
from audit.models import Auditregel
from tests.factories import WACHTWOORD, GebruikerFactory
from tests.otp_helpers import maak_totp, verifieer, zonder_tweede_factor

pytestmark = pytest.mark.django_db

LIJST = "/admin/accounts/gebruiker/"


@pytest.fixture
def superuser():
    return GebruikerFactory(username="super-test", is_superuser=True, rol="beheerder")


def _wijzig(pk):
    return reverse("admin:accounts_gebruiker_change", args=[pk])


def test_geen_wachtwoordformulier_in_de_admin(client, beheerder):
    gewoon = GebruikerFactory(username="gewoon-test", rol="beleidsmaker")
    client.force_login(beheerder)
    for naam in ("admin:auth_user_password_change", "admin:accounts_gebruiker_password_change"):
        with pytest.raises(NoReverseMatch):
            reverse(naam, args=[gewoon.pk])
    # Django's set-password address leads nowhere that takes a password.
    antwoord = client.post(
        f"{LIJST}{gewoon.pk}/password/", {"password1": "Nieuw-Wachtwoord-2026", "password2": "Nieuw-Wachtwoord-2026"},
        follow=True,
    )
    assert 'type="password"' not in antwoord.content.decode()
    html = client.get(_wijzig(gewoon.pk)).content.decode()
    assert 'type="password"' not in html and 'name="password' not in html
    assert "Zelf ingesteld. Alleen deze persoon kent het." in html
    # A password posted with the change form is ignored.
    client.post(_wijzig(gewoon.pk), {
        "username": "gewoon-test", "first_name": "G", "last_name": "T", "rol": "beleidsmaker", "is_active": "on",
        "password": "Nieuw-Wachtwoord-2026", "password1": "Nieuw-Wachtwoord-2026", "email": "kwaad@example.org",
    })
    gewoon.refresh_from_db()
    assert gewoon.check_password(WACHTWOORD)
    assert gewoon.first_name == "G"  # the rest of the form did save
    assert gewoon.email == "gewoon-test@example.org"  # read-only: a reset link cannot be sent elsewhere
    # The admin's own "change password" is the site's page, which asks for one's own current password.
    assert client.get(reverse("admin:password_change")).url == reverse("wachtwoord_wijzigen")


def test_toevoegen_is_uitnodigen(client, beheerder):
    client.force_login(beheerder)
    antwoord = client.get(reverse("admin:accounts_gebruiker_add"))
    assert antwoord.status_code == 302 and antwoord.url == reverse("uitnodiging_nieuw")
    aantal = Gebruiker.objects.count()
    client.post(reverse("admin:accounts_gebruiker_add"), {
        "username": "nieuw", "password1": "Nieuw-Wachtwoord-2026", "password2": "Nieuw-Wachtwoord-2026",
    })
    assert Gebruiker.objects.count() == aantal
    lijst = client.get(LIJST).content.decode()
    assert f'href="{reverse("uitnodiging_nieuw")}"' in lijst and "Iemand uitnodigen" in lijst


def test_geen_beheer_van_authenticators_van_anderen():
    # Adding a device for someone else (and reading its key) would bind an app without them.
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_beheerder_wijzigt_geen_superuser(client, beheerder, superuser):
    client.force_login(beheerder)
    wijzigen = client.post(_wijzig(superuser.pk), {"username": "overgenomen"})
    assert wijzigen.status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "super-test"


def test_superuser_wijzigt_een_superuser(client, superuser):
    ander = GebruikerFactory(username="super-twee", is_superuser=True, rol="beheerder")
    client.force_login(superuser)
    assert client.get(_wijzig(ander.pk)).status_code == 200


def test_link_voor_nieuw_wachtwoord_als_actie(client, beheerder, mailoutbox):
    gewoon = GebruikerFactory(username="link-test", rol="beleidsmaker")
    uitgenodigd = GebruikerFactory(username="nog-niet", rol="beleidsmaker")
    uitgenodigd.set_unusable_password()
    uitgenodigd.save()
    client.force_login(beheerder)
    antwoord = client.post(LIJST, {
        "action": "stuur_link_voor_wachtwoord", "_selected_action": [gewoon.pk, uitgenodigd.pk],
    }, follow=True)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "verstuurd aan: link-test" in html
    assert "nog-niet (nog geen wachtwoord: verstuur de uitnodiging opnieuw)" in html
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["link-test@example.org"]
    tekst = mailoutbox[0].body
    assert "De beheerder heeft u een link gestuurd" in tekst
    link = re.search(r"http://\S+/wachtwoord-vergeten/\S+/", tekst).group(0)
    gewoon.refresh_from_db()
    assert gewoon.check_password(WACHTWOORD)  # nothing set: the person chooses
    regel = Auditregel.objects.get(actie=Auditregel.Actie.WACHTWOORD_HERSTEL_GEVRAAGD)
    assert regel.gebruiker_id == beheerder.pk and regel.object_id == str(gewoon.pk)

    # The link works for the person, who sets their own password.
    client.post(reverse("uitloggen"))
    antwoord = client.get(urlsplit(link).path, follow=True)
    assert antwoord.status_code == 200 and 'name="new_password1"' in antwoord.content.decode()


def test_tweede_factor_terugzetten_vraagt_eerst_en_mailt_de_persoon(client, beheerder, mailoutbox, settings):
    bestuurder = GebruikerFactory(username="tf-bestuurder", rol="bestuurder")
    maak_totp(bestuurder)
    StaticDevice.objects.create(user=bestuurder, name="Herstelcodes", confirmed=True)
    client.force_login(beheerder)
    gegevens = {"action": "zet_tweede_factor_terug", "_selected_action": [bestuurder.pk, beheerder.pk]}
    vraag = client.post(LIJST, gegevens)
    assert vraag.status_code == 200
    html = vraag.content.decode()
    assert "Ja, tweede factor terugzetten" in html and "tf-bestuurder" in html
    assert TOTPDevice.objects.filter(user=bestuurder).exists() and not mailoutbox

    antwoord = client.post(LIJST, {**gegevens, "bevestigd": "ja"}, follow=True)
    html = antwoord.content.decode()
    assert "Uw eigen tweede factor zet u hier niet terug" in html
    assert "Tweede factor teruggezet voor: tf-bestuurder" in html
    assert not TOTPDevice.objects.filter(user=bestuurder).exists()
    assert not StaticDevice.objects.filter(user=bestuurder).exists()
    assert TOTPDevice.objects.filter(user=beheerder).exists()  # not their own
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["tf-bestuurder@example.org"]
    assert f"{settings.PUBLIEKE_URL}/account/tweede-factor/opnieuw/" in mailoutbox[0].body
    assert beheerder.get_full_name() in mailoutbox[0].body
    link = Uitnodiging.objects.get(gebruiker=bestuurder, soort=Uitnodiging.Soort.TWEEDE_FACTOR)
    assert link.is_open and link.verstuurd_door == beheerder
    regel = Auditregel.objects.get(actie=Auditregel.Actie.TWEEDE_FACTOR_TERUGGEZET)
    assert regel.gebruiker_id == beheerder.pk and regel.object_id == str(bestuurder.pk)
    assert regel.gegevens["apps_verwijderd"] == 1


def test_admin_alleen_met_tweede_factor(client, beheerder):
    # Without a session: the site's own log-in page (throttled, with the second step), never the admin's form.
    antwoord = client.get(reverse("admin:login"))
    assert antwoord.status_code == 302 and antwoord.url.startswith(reverse("inloggen") + "?next=/admin/")
    assert client.get(reverse("admin:index")).status_code == 302
    antwoord = client.post(reverse("admin:login"), {"username": beheerder.username, "password": WACHTWOORD})
    assert antwoord.url.startswith(reverse("inloggen")) and "_auth_user_id" not in client.session

    # The password alone: first the second factor, then back to the admin.
    zonder_tweede_factor(client, beheerder)
    antwoord = client.get(LIJST)
    assert antwoord.status_code == 302 and antwoord.url.startswith(reverse("tweede_factor_instellen"))
    maak_totp(beheerder)
    assert client.get(LIJST).url.startswith(reverse("tweede_factor_controleren"))
    # Should the middleware ever be passed by, the admin itself still refuses.
    verzoek = RequestFactory().get("/admin/")
    verzoek.user = beheerder
    verzoek.session = client.session
    assert not Beheersite().has_permission(verzoek)

    verifieer(client, beheerder)
    assert client.get(LIJST).status_code == 200


def test_beleidsmaker_komt_niet_in_de_admin(client):
    client.force_login(GebruikerFactory(username="beleid-admin"))
    antwoord = client.get("/admin/regio/doorstroompuntregio/")
    assert antwoord.status_code == 302 and antwoord.url.startswith(reverse("admin:login"))


def test_beheerder_zet_de_tweede_factor_van_een_superuser_niet_terug(client, beheerder, superuser, mailoutbox):
    maak_totp(superuser)
    client.force_login(beheerder)
    antwoord = client.post(
        LIJST, {"action": "zet_tweede_factor_terug", "_selected_action": [superuser.pk], "bevestigd": "ja"},
        follow=True,
    )
    assert "zet alleen een superuser terug: super-test" in antwoord.content.decode()
    assert TOTPDevice.objects.filter(user=superuser).exists() and not mailoutbox
