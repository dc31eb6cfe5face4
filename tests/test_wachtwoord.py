"""One's own password through Django's views: 'wachtwoord vergeten' by e-mail (the same answer whether or not the
address has an account), the link from it, changing it on 'Mijn account'; and the account page itself."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from audit.models import Auditregel
from tests.factories import WACHTWOORD, GebruikerFactory, organisatie_van_gemeente
from tests.otp_helpers import verifieer

pytestmark = pytest.mark.django_db

VERGETEN = reverse("wachtwoord_vergeten")
WIJZIGEN = reverse("wachtwoord_wijzigen")
NIEUW = "Vuurtoren-Dijk-Polder-2026"


def _acties(actie):
    return list(Auditregel.objects.filter(actie=actie).order_by("pk"))


def test_inlogpagina_wijst_de_weg(client):
    html = client.get(reverse("inloggen")).content.decode()
    assert f'href="{VERGETEN}"' in html
    assert "beheerder van uw organisatie" not in html
    assert "uitnodiging per e-mail" in html


def test_zelfde_antwoord_met_en_zonder_account(client, mailoutbox, settings):
    gebruiker = GebruikerFactory(username="vergeetachtig")
    bekend = client.post(VERGETEN, {"email": "VERGEETACHTIG@example.org"})
    onbekend = client.post(VERGETEN, {"email": "niemand@example.org"})
    assert (bekend.status_code, bekend.url) == (onbekend.status_code, onbekend.url)
    assert bekend.url == reverse("wachtwoord_vergeten_verstuurd")
    html = client.get(bekend.url).content.decode()
    assert "Hoort het e-mailadres bij een account" in html

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["vergeetachtig@example.org"]
    assert f"{settings.PUBLIEKE_URL}/wachtwoord-vergeten/" in mailoutbox[0].body
    # Recorded against the account when there is one; without the address typed when there is none.
    bekend_regel, onbekend_regel = _acties(Auditregel.Actie.WACHTWOORD_HERSTEL_GEVRAAGD)
    assert bekend_regel.gebruiker_id == gebruiker.pk and bekend_regel.object_id == str(gebruiker.pk)
    assert onbekend_regel.gebruiker_id is None and not onbekend_regel.object_id
    assert "niemand" not in f"{onbekend_regel.onderwerp} {onbekend_regel.gegevens}"

    # Nothing typed: the form again, 422, the error summary.
    antwoord = client.post(VERGETEN, {})
    assert antwoord.status_code == 422 and 'class="foutsamenvatting"' in antwoord.content.decode()


def test_uitgenodigde_zonder_wachtwoord_krijgt_geen_herstellink(client, mailoutbox):
    gebruiker = GebruikerFactory(username="nog-uitgenodigd")
    gebruiker.set_unusable_password()
    gebruiker.save()
    client.post(VERGETEN, {"email": "nog-uitgenodigd@example.org"})
    assert not mailoutbox


def test_link_werkt_een_keer(client, mailoutbox):
    gebruiker = GebruikerFactory(username="herstel")
    client.post(VERGETEN, {"email": "herstel@example.org"})
    link = urlsplit(re.search(r"http://\S+/wachtwoord-vergeten/\S+/", mailoutbox[0].body).group(0)).path

    antwoord = client.get(link)
    assert antwoord.status_code == 302 and antwoord.url.endswith("/kiezen/")  # the key leaves the address bar
    formulier = antwoord.url
    html = client.get(formulier).content.decode()
    assert "Kies een nieuw wachtwoord" in html and "minstens 12 tekens" in html
    assert client.post(formulier, {"new_password1": "kort", "new_password2": "kort"}).status_code == 422
    antwoord = client.post(formulier, {"new_password1": NIEUW, "new_password2": NIEUW})
    assert antwoord.url == reverse("wachtwoord_nieuw_klaar")
    gebruiker.refresh_from_db()
    assert gebruiker.check_password(NIEUW)
    assert "_auth_user_id" not in client.session  # logging in is a step of its own, with the second factor
    regel = _acties(Auditregel.Actie.WACHTWOORD_HERSTELD)[-1]
    assert regel.gebruiker_id == gebruiker.pk and NIEUW not in str(regel.gegevens)

    antwoord = client.get(link, follow=True)
    assert "Deze link werkt niet meer" in antwoord.content.decode()


def test_eigen_wachtwoord_wijzigen(client):
    bestuurder = GebruikerFactory(username="wijziger", rol="bestuurder")
    ander = GebruikerFactory(username="ander-wijziger")
    verifieer(client, bestuurder)
    html = client.get(WIJZIGEN).content.decode()
    assert 'name="old_password"' in html and "Wachtwoord wijzigen" in html

    antwoord = client.post(WIJZIGEN, {"old_password": "fout", "new_password1": NIEUW, "new_password2": NIEUW})
    assert antwoord.status_code == 422
    # Only one's own: whatever else is posted.
    antwoord = client.post(WIJZIGEN, {
        "old_password": WACHTWOORD, "new_password1": NIEUW, "new_password2": NIEUW, "username": ander.username,
        "user": ander.pk,
    })
    assert antwoord.status_code == 302 and antwoord.url == reverse("account")
    bestuurder.refresh_from_db()
    ander.refresh_from_db()
    assert bestuurder.check_password(NIEUW) and ander.check_password(WACHTWOORD)
    # This session stays logged in and verified.
    assert DEVICE_ID_SESSION_KEY in client.session
    assert "Uw wachtwoord is gewijzigd" in client.get(reverse("account")).content.decode()
    regel = _acties(Auditregel.Actie.WACHTWOORD_GEWIJZIGD)[-1]
    assert regel.gebruiker_id == bestuurder.pk and NIEUW not in str(regel.gegevens)


def test_mijn_account(client, refdata):
    beleid = GebruikerFactory(
        username="mijn-account", first_name="Mira", last_name="Jansen", rol="beleidsmaker",
        organisatie=organisatie_van_gemeente("Leeuwarden"), functie="beleidsadviseur",
    )
    client.force_login(beleid)
    html = client.get(reverse("account")).content.decode()
    for tekst in ("Mira Jansen", "mijn-account@example.org", "Gemeente Leeuwarden", "Beleidsmaker", "beleidsadviseur",
                  "Niet ingesteld.", f'href="{WIJZIGEN}"', f'href="{reverse("uitnodigingen")}"'):
        assert tekst in html, tekst
    assert 'href="/account/" aria-current="page">Mijn account' in html

    bestuurder = GebruikerFactory(username="mijn-bestuurder", rol="bestuurder")
    verifieer(client, bestuurder)
    html = client.get(reverse("account")).content.decode()
    assert "Ingesteld: uw authenticator-app is gekoppeld" in html
    assert "Bestuurder" in html and f'href="{reverse("uitnodigingen")}"' not in html


def test_anoniem_naar_inloggen(client):
    for pad in (reverse("account"), WIJZIGEN):
        antwoord = client.get(pad)
        assert antwoord.status_code == 302 and antwoord.url.startswith(reverse("inloggen"))
