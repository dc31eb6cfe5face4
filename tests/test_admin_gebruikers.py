"""A beheerder maintains users in the admin but cannot take over a superuser (its password, its details)."""

import pytest
from django.urls import reverse

from tests.factories import WACHTWOORD, GebruikerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return GebruikerFactory(username="super-test", is_superuser=True, rol="beheerder")


def test_beheerder_wijzigt_geen_superuser_en_geen_wachtwoord_ervan(client, beheerder, superuser):
    client.force_login(beheerder)
    wachtwoord_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(wachtwoord_url).status_code == 403
    antwoord = client.post(wachtwoord_url, {"password1": "Nieuw-Wachtwoord-2026", "password2": "Nieuw-Wachtwoord-2026"})
    assert antwoord.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password(WACHTWOORD)
    wijzigen = client.post(reverse("admin:accounts_gebruiker_change", args=[superuser.pk]), {"username": "overgenomen"})
    assert wijzigen.status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "super-test"


def test_beheerder_wijzigt_wel_een_gewone_gebruiker(client, beheerder):
    gewoon = GebruikerFactory(username="gewoon-test", rol="beleidsmaker")
    client.force_login(beheerder)
    wachtwoord_url = reverse("admin:auth_user_password_change", args=[gewoon.pk])
    assert client.get(wachtwoord_url).status_code == 200
    client.post(wachtwoord_url, {"password1": "Nieuw-Wachtwoord-2026", "password2": "Nieuw-Wachtwoord-2026"})
    gewoon.refresh_from_db()
    assert gewoon.check_password("Nieuw-Wachtwoord-2026")


def test_superuser_wijzigt_een_superuser(client, superuser):
    ander = GebruikerFactory(username="super-twee", is_superuser=True, rol="beheerder")
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_password_change", args=[ander.pk])).status_code == 200


def test_inlogpagina_van_de_admin_werkt_zonder_inloggen(client, refdata):
    # The admin's login page asks every ModelAdmin for its permissions, also for an anonymous visitor.
    antwoord = client.get(reverse("admin:login"))
    assert antwoord.status_code == 200
    assert b'name="password"' in antwoord.content
    assert client.get(reverse("admin:index")).status_code == 302
