"""Invitations: who invites whom, the e-mail with its single-use link, the invitee setting their own password, and
every way a link stops working (used, expired, withdrawn, re-sent). Nobody sees or sets another person's password."""

import hashlib
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import uitnodigingen
from accounts.models import Gebruiker, Uitnodiging
from audit.models import Auditregel
from tests.factories import GebruikerFactory, organisatie_van_gemeente

pytestmark = pytest.mark.django_db

LIJST = reverse("uitnodigingen")
NIEUW = reverse("uitnodiging_nieuw")
KIEZEN = reverse("uitnodiging_wachtwoord")
GOED = "Zeilboot-Kanaal-Pier-2026"


@pytest.fixture
def leeuwarden(refdata):
    # Its e-mail domain is set, so a beleidsmaker's invitation to an address in it goes out at once.
    organisatie = organisatie_van_gemeente("Leeuwarden")
    organisatie.email_domeinen = ["leeuwarden.example"]
    organisatie.save(update_fields=["email_domeinen"])
    return organisatie


@pytest.fixture
def beleid(leeuwarden):
    return GebruikerFactory(username="beleid-lwd", organisatie=leeuwarden, rol="beleidsmaker", first_name="Lotte")


def _gegevens(**extra):
    return {"voornaam": "Wim", "achternaam": "Wethouder", "email": "Wim.Wethouder@Leeuwarden.example",
            "rol": "bestuurder", "functie": "wethouder", **extra}


def _link(bericht):
    return urlsplit(re.search(r"http://\S+/uitnodiging/\S+/", bericht.body).group(0)).path


def _acties(actie):
    return list(Auditregel.objects.filter(actie=actie).order_by("pk"))


def nodig_uit(client, door, **extra):
    client.force_login(door)
    # Followed, so that its message is shown here and not on the next page this client opens.
    antwoord = client.post(NIEUW, _gegevens(**extra), follow=True)
    assert antwoord.redirect_chain == [(LIJST, 302)], antwoord.content.decode()[:2000]
    return Uitnodiging.objects.filter(gebruiker__email=_gegevens(**extra)["email"].lower()).latest("pk")


# --- inviting ----------------------------------------------------------------------------------------------------


def test_beheerder_nodigt_uit_met_organisatie_en_rol(client, beheerder, leeuwarden, mailoutbox, settings):
    client.force_login(beheerder)
    html = client.get(NIEUW).content.decode()
    assert 'value="beheerder"' in html and 'name="organisatie"' in html
    assert 'type="password"' not in html  # nobody chooses a password for someone else
    antwoord = client.post(NIEUW, _gegevens(organisatie=leeuwarden.pk, password="Iets-Anders-2026"))
    assert antwoord.status_code == 302 and antwoord.url == LIJST

    gebruiker = Gebruiker.objects.get(email="wim.wethouder@leeuwarden.example")
    assert gebruiker.username == "wim.wethouder@leeuwarden.example"
    assert (gebruiker.rol, gebruiker.organisatie, gebruiker.functie) == ("bestuurder", leeuwarden, "wethouder")
    assert not gebruiker.has_usable_password() and gebruiker.is_active

    assert len(mailoutbox) == 1
    bericht = mailoutbox[0]
    assert bericht.to == ["wim.wethouder@leeuwarden.example"]
    assert "Uitnodiging" in bericht.subject
    assert f"{settings.PUBLIEKE_URL}/uitnodiging/" in bericht.body
    assert "Uw gebruikersnaam: wim.wethouder@leeuwarden.example" in bericht.body
    assert "tweede factor" in bericht.body and "van Gemeente Leeuwarden" in bericht.body
    assert not bericht.alternatives  # plain text

    # Only a hash of the key is stored.
    sleutel = _link(bericht).rstrip("/").rsplit("/", 1)[1]
    uitnodiging = Uitnodiging.objects.get(gebruiker=gebruiker)
    assert uitnodiging.sleutel_hash == hashlib.sha256(sleutel.encode()).hexdigest()
    assert uitnodiging.verloopt_op - uitnodiging.verstuurd_op == timedelta(days=7)
    regel = _acties(Auditregel.Actie.UITNODIGING_VERSTUURD)[-1]
    assert regel.gebruiker_id == beheerder.pk and regel.object_id == str(uitnodiging.pk)
    assert regel.gegevens["voor"] == gebruiker.username and sleutel not in str(regel.gegevens)

    lijst = client.get(LIJST).content.decode()
    assert "Wim Wethouder" in lijst and "Open, geldig tot" in lijst and "Gemeente Leeuwarden" in lijst


def test_beleidsmaker_nodigt_uit_voor_de_eigen_organisatie(client, beleid, leeuwarden, mailoutbox):
    client.force_login(beleid)
    html = client.get(NIEUW).content.decode()
    assert 'name="organisatie"' not in html and 'value="beheerder"' not in html
    assert "uw eigen organisatie" in html
    # A role above their own is refused; their own organisation posted anyway is fine (another: test_ondertekenaars).
    antwoord = client.post(NIEUW, _gegevens(rol="beheerder"))
    assert antwoord.status_code == 422
    antwoord = client.post(NIEUW, _gegevens(organisatie=leeuwarden.pk))
    assert antwoord.status_code == 302
    gebruiker = Gebruiker.objects.get(email="wim.wethouder@leeuwarden.example")
    assert gebruiker.organisatie == leeuwarden and gebruiker.rol == "bestuurder"
    assert "Lotte" in mailoutbox[0].body


def test_fouten_in_het_formulier(client, beheerder, beleid):
    client.force_login(beheerder)
    antwoord = client.post(NIEUW, {"rol": "bestuurder", "email": "geen-adres"})
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert "<title>Fout: Iemand uitnodigen" in html and 'class="foutsamenvatting"' in html
    assert "Vul de voornaam in." in html and "Vul een geldig e-mailadres in" in html
    antwoord = client.post(NIEUW, _gegevens())
    assert "een beleidsmaker of bestuurder hoort bij een organisatie" in antwoord.content.decode()
    # An address that has an account already (any capitals).
    antwoord = client.post(NIEUW, _gegevens(email="BELEID-LWD@example.org", organisatie=beleid.organisatie_id))
    assert antwoord.status_code == 422
    assert "Met dit e-mailadres bestaat al een account" in antwoord.content.decode()
    # A landelijk beheerder needs no organisation.
    assert client.post(NIEUW, _gegevens(rol="beheerder")).status_code == 302
    assert Gebruiker.objects.get(email="wim.wethouder@leeuwarden.example").is_staff


def test_mail_mislukt_dan_blijft_er_niets(client, beheerder, leeuwarden, monkeypatch):
    def weigert(*args, **kwargs):
        raise OSError("geen verbinding")

    monkeypatch.setattr(uitnodigingen, "send_mail", weigert)
    client.force_login(beheerder)
    antwoord = client.post(NIEUW, _gegevens(organisatie=leeuwarden.pk))
    assert antwoord.status_code == 503
    assert "Er is niets opgeslagen" in antwoord.content.decode()
    assert not Gebruiker.objects.filter(email="wim.wethouder@leeuwarden.example").exists()
    assert not Uitnodiging.objects.exists()
    assert not _acties(Auditregel.Actie.UITNODIGING_VERSTUURD)


# --- who sees and manages what ------------------------------------------------------------------------------------


def test_beleidsmakers_zien_alleen_hun_eigen_organisatie(client, beheerder, beleid, leeuwarden):
    collega = GebruikerFactory(username="collega-lwd", organisatie=leeuwarden, rol="beleidsmaker")
    ander = GebruikerFactory(username="beleid-adam", organisatie=organisatie_van_gemeente("Amsterdam"))
    eigen = nodig_uit(client, beleid)
    vreemd = nodig_uit(client, ander, email="iemand@amsterdam.example")
    beheer = nodig_uit(client, beheerder, email="beheer@vng.example", rol="beheerder")

    def zichtbaar(gebruiker):
        client.force_login(gebruiker)
        html = client.get(LIJST).content.decode()
        return {u.gebruiker.email for u in (eigen, vreemd, beheer) if u.gebruiker.email in html}

    assert zichtbaar(beleid) == zichtbaar(collega) == {eigen.gebruiker.email}
    assert zichtbaar(ander) == {vreemd.gebruiker.email}
    assert zichtbaar(beheerder) == {eigen.gebruiker.email, vreemd.gebruiker.email, beheer.gebruiker.email}

    # Managing another organisation's invitation: as if it did not exist.
    client.force_login(ander)
    for naam in ("uitnodiging_opnieuw", "uitnodiging_intrekken"):
        assert client.post(reverse(naam, args=[eigen.pk])).status_code == 404
    eigen.refresh_from_db()
    assert eigen.is_open
    # A colleague of the same organisation manages it.
    client.force_login(collega)
    assert client.post(reverse("uitnodiging_intrekken", args=[eigen.pk])).status_code == 302
    eigen.refresh_from_db()
    assert eigen.ingetrokken_door == collega


def test_bestuurder_en_beleidsmaker_zonder_organisatie_nodigen_niet_uit(client, leeuwarden):
    for gebruiker in (
        GebruikerFactory(username="best-lwd", organisatie=leeuwarden, rol="bestuurder"),
        GebruikerFactory(username="beleid-los", organisatie=None, rol="beleidsmaker"),
    ):
        client.force_login(gebruiker)
        assert client.get(LIJST).status_code == 404
        assert client.post(NIEUW, _gegevens()).status_code == 404
        assert "Uitnodigingen</a>" not in client.get("/account/").content.decode()


def test_anoniem_naar_inloggen(client):
    for pad in (LIJST, NIEUW):
        antwoord = client.get(pad)
        assert antwoord.status_code == 302 and antwoord.url.startswith(reverse("inloggen"))


# --- the invitee ---------------------------------------------------------------------------------------------------


def test_accepteren_zet_het_eigen_wachtwoord_en_logt_in(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid, rol="beleidsmaker")
    client.post(reverse("uitloggen"))
    link = _link(mailoutbox[0])

    antwoord = client.get(link)
    # The key leaves the address bar at once (as Django's password reset does).
    assert antwoord.status_code == 302 and antwoord.url == KIEZEN
    html = client.get(KIEZEN).content.decode()
    assert "Kies uw wachtwoord" in html and "wim.wethouder@leeuwarden.example" in html
    assert "minstens 12 tekens" in html  # the validators' rules, in Dutch

    # Django's validators: too short, too like the name, not the same twice.
    antwoord = client.post(KIEZEN, {"new_password1": "kort", "new_password2": "kort"})
    assert antwoord.status_code == 422
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten." in antwoord.content.decode()
    antwoord = client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED + "x"})
    assert antwoord.status_code == 422

    antwoord = client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED})
    assert antwoord.status_code == 302 and antwoord.url == reverse("account")
    gebruiker = uitnodiging.gebruiker
    gebruiker.refresh_from_db()
    assert gebruiker.check_password(GOED)
    assert int(client.session["_auth_user_id"]) == gebruiker.pk
    uitnodiging.refresh_from_db()
    assert uitnodiging.gebruikt_op is not None
    regel = _acties(Auditregel.Actie.UITNODIGING_GEACCEPTEERD)[-1]
    assert regel.gebruiker_id == gebruiker.pk and regel.object_id == str(uitnodiging.pk)
    assert GOED not in str(regel.gegevens)
    assert "Uw wachtwoord is ingesteld" in client.get(reverse("account")).content.decode()

    # Used: the link says so, and what to do.
    client.post(reverse("uitloggen"))
    antwoord = client.get(link)
    assert antwoord.status_code == 410
    html = antwoord.content.decode()
    assert "Deze link is al gebruikt" in html and reverse("wachtwoord_vergeten") in html


def test_bestuurder_stelt_na_het_wachtwoord_eerst_de_tweede_factor_in(client, beleid, mailoutbox):
    nodig_uit(client, beleid)
    client.post(reverse("uitloggen"))
    client.get(_link(mailoutbox[0]))
    antwoord = client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED})
    assert antwoord.url == f"{reverse('tweede_factor_instellen')}?next={reverse('account')}"
    # Nothing else before that.
    assert client.get("/afspraken/").url.startswith(reverse("tweede_factor_instellen"))
    assert client.get(antwoord.url).status_code == 200


def test_verlopen_link(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid)
    client.post(reverse("uitloggen"))
    Uitnodiging.objects.filter(pk=uitnodiging.pk).update(verloopt_op=timezone.now() - timedelta(seconds=1))
    antwoord = client.get(_link(mailoutbox[0]))
    assert antwoord.status_code == 410
    html = antwoord.content.decode()
    assert "Deze link is verlopen" in html and "Lotte" in html and "opnieuw te versturen" in html
    client.force_login(beleid)
    assert "Verlopen op" in client.get(LIJST).content.decode()


def test_ingetrokken_link_en_opnieuw_versturen(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid)
    oude_link = _link(mailoutbox[0])
    assert client.post(reverse("uitnodiging_intrekken", args=[uitnodiging.pk])).status_code == 302
    uitnodiging.refresh_from_db()
    assert uitnodiging.ingetrokken_op is not None
    gebruiker = Gebruiker.objects.get(pk=uitnodiging.gebruiker_id)
    assert not gebruiker.is_active  # never had a password: no account left to use
    assert _acties(Auditregel.Actie.UITNODIGING_INGETROKKEN)[-1].gegevens["account_gedeactiveerd"] is True
    client.post(reverse("uitloggen"))
    antwoord = client.get(oude_link)
    assert antwoord.status_code == 410 and "Deze uitnodiging is ingetrokken" in antwoord.content.decode()

    # Invited again: a new link, the account active again, the withdrawn link now "replaced".
    client.force_login(beleid)
    assert client.post(reverse("uitnodiging_opnieuw", args=[uitnodiging.pk])).status_code == 302
    gebruiker.refresh_from_db()
    assert gebruiker.is_active
    client.post(reverse("uitloggen"))
    assert client.get(oude_link).status_code == 410
    assert client.get(_link(mailoutbox[-1])).url == KIEZEN


def test_opnieuw_versturen_maakt_de_oude_link_ongeldig(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid)
    oude_link = _link(mailoutbox[0])
    antwoord = client.post(reverse("uitnodiging_opnieuw", args=[uitnodiging.pk]), follow=True)
    assert "De link in de vorige e-mail werkt niet meer" in antwoord.content.decode()
    assert len(mailoutbox) == 2
    nieuwe_link = _link(mailoutbox[1])
    assert nieuwe_link != oude_link
    nieuw = Uitnodiging.objects.get(gebruiker=uitnodiging.gebruiker, vervangen_op=None)
    assert nieuw.pk != uitnodiging.pk and nieuw.verstuurd_door == beleid
    assert _acties(Auditregel.Actie.UITNODIGING_OPNIEUW)[-1].gegevens["vorige"] == uitnodiging.pk
    # The list shows the person once.
    assert client.get(LIJST).content.decode().count('<th scope="row">Wim Wethouder</th>') == 1
    # The old row's buttons act no more.
    assert client.post(reverse("uitnodiging_intrekken", args=[uitnodiging.pk])).status_code == 404

    client.post(reverse("uitloggen"))
    antwoord = client.get(oude_link)
    assert antwoord.status_code == 410 and "Er is een nieuwere link" in antwoord.content.decode()
    assert client.get(nieuwe_link).url == KIEZEN


def test_ingetrokken_terwijl_het_formulier_openstaat(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid)
    client.post(reverse("uitloggen"))
    client.get(_link(mailoutbox[0]))
    uitnodigingen.trek_in(uitnodiging, beleid)
    antwoord = client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED})
    assert antwoord.status_code == 410
    gebruiker = Gebruiker.objects.get(pk=uitnodiging.gebruiker_id)
    assert not gebruiker.has_usable_password() and "_auth_user_id" not in client.session


def test_geaccepteerd_is_niet_opnieuw_te_versturen_of_in_te_trekken(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid, rol="beleidsmaker")
    client.post(reverse("uitloggen"))
    client.get(_link(mailoutbox[0]))
    client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED})
    client.force_login(beleid)
    antwoord = client.post(reverse("uitnodiging_opnieuw", args=[uitnodiging.pk]), follow=True)
    assert "heeft de uitnodiging al geaccepteerd" in antwoord.content.decode()
    antwoord = client.post(reverse("uitnodiging_intrekken", args=[uitnodiging.pk]), follow=True)
    assert "al geaccepteerd, ingetrokken of opnieuw verstuurd" in antwoord.content.decode()
    assert len(mailoutbox) == 1
    html = client.get(LIJST).content.decode()
    assert "Geaccepteerd op" in html
    assert Gebruiker.objects.get(pk=uitnodiging.gebruiker_id).is_active


def test_onbekende_link_en_pagina_zonder_link(client):
    antwoord = client.get(reverse("uitnodiging_openen", args=["niet-bestaand"]))
    assert antwoord.status_code == 404 and "Deze link werkt niet" in antwoord.content.decode()
    antwoord = client.get(KIEZEN)
    assert antwoord.status_code == 404 and "Open de link uit uw e-mail" in antwoord.content.decode()
    assert client.post(KIEZEN, {"new_password1": GOED, "new_password2": GOED}).status_code == 404


def test_ingelogd_als_iemand_anders(client, beleid, mailoutbox):
    uitnodiging = nodig_uit(client, beleid)
    antwoord = client.get(_link(mailoutbox[0]))
    assert antwoord.status_code == 403 and "Deze link is voor een ander account" in antwoord.content.decode()
    uitnodiging.refresh_from_db()
    assert uitnodiging.is_open


def test_een_open_link_per_persoon(beleid):
    gebruiker = GebruikerFactory(username="dubbel")
    with pytest.raises(IntegrityError), transaction.atomic():
        Uitnodiging.objects.create(gebruiker=gebruiker, sleutel_hash="a" * 64, verloopt_op=timezone.now())
        Uitnodiging.objects.create(gebruiker=gebruiker, sleutel_hash="b" * 64, verloopt_op=timezone.now())
