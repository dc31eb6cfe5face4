"""Issue 26: who signs for each party is known from step 1 on, a party is asked for its signer, and invitations
outside an organisation's e-mail domains wait for a beheerder."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import uitnodigingen
from accounts.models import Gebruiker, Organisatie, Uitnodiging
from afspraken import ondertekenaars, toetsing, toetsregels
from afspraken.models import Ondertekenaarsverzoek, Partij, Uitvoeringsafspraak
from afspraken.toetsing import NIET_VOLDAAN, VOLDAAN, Toetsgegevens
from audit.models import Auditregel
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, voeg_gemeenten_toe

pytestmark = pytest.mark.django_db

NIEUW = reverse("uitnodiging_nieuw")
LIJST = reverse("uitnodigingen")


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(4)


@pytest.fixture
def leeuwarden(refdata):
    return gemeente_organisatie("Leeuwarden")


@pytest.fixture
def beleid(leeuwarden):
    return gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "o-beleid")


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


def _standen(afspraak):
    afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
    return {p.organisatie.naam: s for p, s in Toetsgegevens(afspraak).ondertekenaars.per_partij()}


def _uitgenodigd(organisatie, username, wacht=False):
    gebruiker = gebruiker_van(organisatie, Gebruiker.Rol.BESTUURDER, username)
    gebruiker.set_unusable_password()
    gebruiker.save()
    uitnodigingen.maak_link(gebruiker, Uitnodiging.Soort.ACCOUNT, None, wacht=wacht)
    return gebruiker


def _geef_iedereen_een_ondertekenaar(afspraak):
    for partij in afspraak.partijen.all():
        bestuurder = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, f"o-bestuur-{partij.pk}")
        Partij.objects.filter(pk=partij.pk).update(bestuurder=bestuurder)


# --- the signer's state of each party ---------------------------------------------------------------------------


def test_stand_per_partij(afspraak, leeuwarden):
    partijen = list(afspraak.partijen.select_related("organisatie").order_by("pk"))
    gekozen, te_kiezen, uitgenodigd, wachtend = partijen[0], partijen[1], partijen[2], partijen[3]
    bestuurder = gebruiker_van(gekozen.organisatie, Gebruiker.Rol.BESTUURDER, "o-gekozen")
    Partij.objects.filter(pk=gekozen.pk).update(bestuurder=bestuurder)
    gebruiker_van(te_kiezen.organisatie, Gebruiker.Rol.BESTUURDER, "o-te-kiezen")
    _uitgenodigd(uitgenodigd.organisatie, "o-uitgenodigd")
    _uitgenodigd(wachtend.organisatie, "o-wachtend", wacht=True)

    standen = _standen(afspraak)
    assert standen[gekozen.organisatie.naam].code == ondertekenaars.BEKEND
    assert "heeft een account" in standen[gekozen.organisatie.naam].tekst
    assert standen[te_kiezen.organisatie.naam].code == ondertekenaars.TE_KIEZEN
    assert standen[uitgenodigd.organisatie.naam].code == ondertekenaars.UITGENODIGD
    assert "nog niet geaccepteerd" in standen[uitgenodigd.organisatie.naam].tekst
    assert "wacht op goedkeuring" in standen[wachtend.organisatie.naam].tekst
    assert standen[partijen[4].organisatie.naam].code == ondertekenaars.GEEN

    # Step 1 shows it on every party row, also for a reader.
    html = _client(gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "o-lezer")).get(
        reverse("afspraak_fase", args=[afspraak.pk, 1])
    ).content.decode()
    assert "Ondertekenaar bekend: Test" in html and "Nog geen ondertekenaar" in html
    assert "de uitnodiging wacht op goedkeuring van een beheerder" in html
    # And the overview.
    html = _client(gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "o-lezer2")).get(
        reverse("afspraak_overzicht", args=[afspraak.pk])
    ).content.decode()
    assert "Nog niet gekozen wie tekent" in html


def test_toetsing_noemt_elke_partij_zonder_ondertekenaar(afspraak):
    afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
    uitkomsten = list(toetsregels.basisafspraak_12_ondertekenaars(afspraak, Toetsgegevens(afspraak)))
    assert len(uitkomsten) == afspraak.partijen.count()
    assert {u.status for u in uitkomsten} == {NIET_VOLDAAN}
    assert all(u.partij.organisatie.naam in u.reden and u.sectie == "partijen" for u in uitkomsten)

    _geef_iedereen_een_ondertekenaar(afspraak)
    uitkomsten = list(toetsregels.basisafspraak_12_ondertekenaars(afspraak, Toetsgegevens(afspraak)))
    assert [u.status for u in uitkomsten] == [VOLDAAN]


def test_een_gekozen_en_uitgenodigde_bestuurder_telt_als_ondertekenaar(afspraak):
    """Invite, offer, accept, sign: a chosen bestuurder who has not accepted yet does not hold up 'gereed'."""
    _geef_iedereen_een_ondertekenaar(afspraak)
    partij = afspraak.partijen.select_related("organisatie").order_by("pk").first()
    uitgenodigd = _uitgenodigd(partij.organisatie, "o-gekozen-uitgenodigd")
    Partij.objects.filter(pk=partij.pk).update(bestuurder=uitgenodigd)
    afspraak = Uitvoeringsafspraak.objects.select_related("regio__contactgemeente").get(pk=afspraak.pk)
    (uitkomst,) = toetsregels.basisafspraak_12_ondertekenaars(afspraak, Toetsgegevens(afspraak))
    assert uitkomst.status == VOLDAAN
    assert "1 daarvan is uitgenodigd en tekent zodra de uitnodiging is geaccepteerd" in uitkomst.reden


def test_gereed_geweigerd_zolang_een_partij_geen_ondertekenaar_heeft(afspraak, beleid, monkeypatch):
    alles_voldaan = lambda a, g: [toetsing.Toetsuitkomst(n, VOLDAAN, "test") for n in range(1, 13)]  # noqa: E731
    monkeypatch.setattr(toetsing.regels, "_items", [alles_voldaan, toetsregels.basisafspraak_12_ondertekenaars])
    client = _client(beleid)
    antwoord = client.post(reverse("afspraak_gereed", args=[afspraak.pk]), follow=True)
    afspraak.refresh_from_db()
    assert afspraak.status == "concept"
    html = antwoord.content.decode()
    assert "Basisafspraak 12 is niet voldaan." in html
    # On the same page: the parties without a signer, each with the button to ask for one (not the own party).
    assert "Nog zonder ondertekenaar met een account" in html
    assert html.count("Vraag om een ondertekenaar") == afspraak.partijen.count() - 1
    assert "Nodig uw bestuurder uit" in html

    _geef_iedereen_een_ondertekenaar(afspraak)
    client.post(reverse("afspraak_gereed", args=[afspraak.pk]))
    afspraak.refresh_from_db()
    assert afspraak.status == "gereed"


def test_alleen_wie_mag_schrijven_ziet_de_knop(afspraak, leeuwarden, beheerder):
    url = reverse("afspraak_toetsing", args=[afspraak.pk])
    bestuurder = gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "o-bestuur")
    for lezer in (bestuurder, beheerder):
        html = _client(lezer).get(url).content.decode()
        assert "heeft nog geen ondertekenaar met een account: vraag" in html
        assert "Vraag om een ondertekenaar" not in html


# --- asking a party for its signer ------------------------------------------------------------------------------


def _partij(afspraak, naam):
    return afspraak.partijen.select_related("organisatie").get(organisatie__gemeente__naam=naam)


def test_vragen_mailt_de_beleidsmakers_van_de_partij(afspraak, beleid, mailoutbox, settings):
    harlingen = _partij(afspraak, "Harlingen")
    een = gebruiker_van(harlingen.organisatie, Gebruiker.Rol.BELEIDSMAKER, "o-harlingen-1")
    twee = gebruiker_van(harlingen.organisatie, Gebruiker.Rol.BELEIDSMAKER, "o-harlingen-2")
    gebruiker_van(harlingen.organisatie, Gebruiker.Rol.BELEIDSMAKER, "o-harlingen-weg").__class__.objects.filter(
        username="o-harlingen-weg"
    ).update(is_active=False)

    client = _client(beleid)
    antwoord = client.post(reverse("afspraak_ondertekenaar_vragen", args=[afspraak.pk, harlingen.pk]))
    assert antwoord.status_code == 302
    assert antwoord.url.endswith(f"#ondertekenaar-{harlingen.pk}")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([een.email, twee.email])
    link = f"{settings.PUBLIEKE_URL}/uitnodigingen/nieuw/?organisatie={harlingen.organisatie_id}&rol=bestuurder"
    assert all(link in m.body and "Harlingen" in m.subject for m in mailoutbox)
    verzoek = Ondertekenaarsverzoek.objects.get()
    assert (verzoek.partij, verzoek.gevraagd_door, verzoek.naar) == (harlingen, beleid, "organisatie")
    regel = Auditregel.objects.get(actie=Auditregel.Actie.ONDERTEKENAAR_GEVRAAGD)
    assert regel.gebruiker_id == beleid.pk and sorted(regel.gegevens["ontvangers"]) == sorted([een.pk, twee.pk])

    html = client.get(reverse("afspraak_toetsing", args=[afspraak.pk])).content.decode()
    assert "Om een ondertekenaar gevraagd op" in html

    # The link fills in the form for the party's beleidsmaker: a bestuurder of their own organisation.
    html = _client(een).get(re.search(r"http://\S+", mailoutbox[0].body).group(0)).content.decode()
    assert re.search(r'value="bestuurder"[^>]*checked', html)


def test_vragen_met_een_oude_titel_over_twee_regels(afspraak, beleid, mailoutbox):
    """A title saved before the field refused line ends: the request is still e-mailed, its subject on one line
    (accounts.uitnodigingen.mail), instead of Django refusing the header with a 500."""
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(titel="Eerste regel\r\nTweede regel")
    harlingen = _partij(afspraak, "Harlingen")
    gebruiker_van(harlingen.organisatie, Gebruiker.Rol.BELEIDSMAKER, "o-harlingen-titel")
    antwoord = _client(beleid).post(reverse("afspraak_ondertekenaar_vragen", args=[afspraak.pk, harlingen.pk]))
    assert antwoord.status_code == 302
    (bericht,) = mailoutbox
    assert bericht.subject.endswith("Eerste regel Tweede regel")
    assert Ondertekenaarsverzoek.objects.filter(partij=harlingen).exists()


def test_vragen_zonder_mensen_bij_de_partij_gaat_naar_de_beheerders(afspraak, beleid, beheerder, mailoutbox):
    harlingen = _partij(afspraak, "Harlingen")
    _client(beleid).post(reverse("afspraak_ondertekenaar_vragen", args=[afspraak.pk, harlingen.pk]))
    assert [m.to for m in mailoutbox] == [[beheerder.email]]
    assert "heeft nog niemand in deze toepassing" in mailoutbox[0].body
    assert Ondertekenaarsverzoek.objects.get().naar == "beheerders"


def test_vragen_geweigerd_voor_wie_niet_mag_schrijven(afspraak, leeuwarden, beheerder, mailoutbox):
    harlingen = _partij(afspraak, "Harlingen")
    gebruiker_van(harlingen.organisatie, Gebruiker.Rol.BELEIDSMAKER, "o-harlingen")
    url = reverse("afspraak_ondertekenaar_vragen", args=[afspraak.pk, harlingen.pk])
    anderen = [
        gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "o-bestuur"),
        beheerder,
        gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "o-amsterdam"),
    ]
    for gebruiker in anderen:
        assert _client(gebruiker).post(url).status_code == 404
    # A party of another agreement is not found either.
    beleid = gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "o-beleid")
    elders = maak_afspraak(6).partijen.first()
    assert _client(beleid).post(
        reverse("afspraak_ondertekenaar_vragen", args=[afspraak.pk, elders.pk])
    ).status_code == 404
    # Gereed: no longer written to.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="gereed")
    assert _client(beleid).post(url).status_code == 403
    assert not mailoutbox and not Ondertekenaarsverzoek.objects.exists()
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.ONDERTEKENAAR_GEVRAAGD).exists()


# --- queries: constant in the number of parties -----------------------------------------------------------------


@pytest.mark.parametrize("naam,extra", [("afspraak_fase", [1]), ("afspraak_toetsing", []), ("afspraak_overzicht", [])])
def test_aantal_queries_met_ondertekenaars(afspraak, beleid, naam, extra):
    client = _client(beleid)
    url = reverse(naam, args=[afspraak.pk, *extra])

    def meet():
        client.get(url)  # warm the session and the caches of this client
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def met_standen(aantal):
        voeg_gemeenten_toe(afspraak, aantal)
        for i, partij in enumerate(afspraak.partijen.select_related("organisatie").order_by("-pk")[:aantal]):
            if i % 3 == 0:
                _uitgenodigd(partij.organisatie, f"o-q-{partij.pk}")
            elif i % 3 == 1:
                Ondertekenaarsverzoek.objects.create(partij=partij, gevraagd_door=beleid, naar="organisatie")
            else:
                bestuurder = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, f"o-q-{partij.pk}")
                Partij.objects.filter(pk=partij.pk).update(bestuurder=bestuurder)

    met_standen(5)
    vijf = meet()
    met_standen(20)
    assert meet() == vijf


# --- who may invite whom ----------------------------------------------------------------------------------------


def _gegevens(email, **extra):
    return {"voornaam": "Wim", "achternaam": "Wethouder", "email": email, "rol": "bestuurder", "functie": "wethouder",
            **extra}


def test_beleidsmaker_van_een_andere_partij_nodigt_geen_bestuurder_van_een_ander_uit(afspraak, mailoutbox):
    """A bestuurder who signs for an organisation is invited by that organisation or a beheerder only."""
    amsterdam = gemeente_organisatie("Amsterdam")
    amsterdam.email_domeinen = ["amsterdam.example"]
    amsterdam.save()
    harlingen = _partij(afspraak, "Harlingen").organisatie
    ander = gebruiker_van(amsterdam, Gebruiker.Rol.BELEIDSMAKER, "o-amsterdam")
    client = _client(ander)
    aantal = Gebruiker.objects.count()
    antwoord = client.post(NIEUW, _gegevens("wim@harlingen.example", organisatie=harlingen.pk))
    assert antwoord.status_code == 422
    assert "U nodigt alleen mensen van uw eigen organisatie uit" in antwoord.content.decode()
    # Also when the organisation comes from the link in an e-mail meant for someone else.
    antwoord = client.post(f"{NIEUW}?organisatie={harlingen.pk}&rol=bestuurder",
                           _gegevens("wim@amsterdam.example", organisatie=harlingen.pk))
    assert antwoord.status_code == 422
    assert Gebruiker.objects.count() == aantal and not Uitnodiging.objects.exists() and not mailoutbox
    assert not Auditregel.objects.filter(actie__startswith="uitnodiging").exists()


def test_adres_buiten_de_domeinen_wacht_op_een_beheerder(leeuwarden, beleid, beheerder, mailoutbox):
    leeuwarden.email_domeinen = ["leeuwarden.example"]
    leeuwarden.save()
    client = _client(beleid)
    antwoord = client.post(NIEUW, _gegevens("wim@gmail.example"), follow=True)
    assert "wacht op goedkeuring van een beheerder" in antwoord.content.decode()
    uitnodiging = Uitnodiging.objects.get(gebruiker__email="wim@gmail.example")
    assert uitnodiging.status == Uitnodiging.Status.WACHT and uitnodiging.wacht_op_goedkeuring
    # The invitee got nothing; the beheerders were told.
    assert [m.to for m in mailoutbox] == [[beheerder.email]]
    assert "wim@gmail.example" in mailoutbox[0].body and "/uitnodiging/" not in mailoutbox[0].body
    assert Auditregel.objects.filter(actie=Auditregel.Actie.UITNODIGING_WACHT).count() == 1
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.UITNODIGING_VERSTUURD).exists()
    # The beleidsmaker cannot let it go by re-sending, nor approve it.
    mailoutbox.clear()
    client.post(reverse("uitnodiging_opnieuw", args=[uitnodiging.pk]))
    assert client.post(reverse("uitnodiging_goedkeuren", args=[uitnodiging.pk])).status_code == 404
    assert client.post(reverse("uitnodiging_afwijzen", args=[uitnodiging.pk])).status_code == 404
    assert not mailoutbox
    uitnodiging.refresh_from_db()
    assert uitnodiging.status == Uitnodiging.Status.WACHT

    # The beheerder sees it and approves: now the e-mail with the link goes, and the held row is replaced.
    beheer = _client(beheerder)
    lijst = beheer.get(LIJST).content.decode()
    assert "Wacht op goedkeuring" in lijst and "Goedkeuren en versturen" in lijst
    beheer.post(reverse("uitnodiging_goedkeuren", args=[uitnodiging.pk]))
    assert [m.to for m in mailoutbox] == [["wim@gmail.example"]] and "/uitnodiging/" in mailoutbox[0].body
    nieuw = Uitnodiging.objects.filter(gebruiker=uitnodiging.gebruiker).latest("pk")
    assert nieuw.is_open and not nieuw.wacht_op_goedkeuring
    regel = Auditregel.objects.get(actie=Auditregel.Actie.UITNODIGING_GOEDGEKEURD)
    assert regel.gebruiker_id == beheerder.pk and regel.gegevens["aangevraagd_door"] == beleid.pk


def test_afgewezen_uitnodiging_gaat_nooit_weg(leeuwarden, beleid, beheerder, mailoutbox):
    _client(beleid).post(NIEUW, _gegevens("wim@gmail.example"))  # no domains set: every address waits
    uitnodiging = Uitnodiging.objects.get(gebruiker__email="wim@gmail.example")
    assert uitnodiging.status == Uitnodiging.Status.WACHT
    mailoutbox.clear()
    _client(beheerder).post(reverse("uitnodiging_afwijzen", args=[uitnodiging.pk]))
    uitnodiging.refresh_from_db()
    assert uitnodiging.status == Uitnodiging.Status.INGETROKKEN and not uitnodiging.gebruiker.is_active
    assert not mailoutbox
    assert Auditregel.objects.filter(actie=Auditregel.Actie.UITNODIGING_AFGEWEZEN).count() == 1
    # Sent again by the beleidsmaker it waits again.
    _client(beleid).post(reverse("uitnodiging_opnieuw", args=[uitnodiging.pk]))
    assert Uitnodiging.objects.filter(gebruiker=uitnodiging.gebruiker).latest("pk").status == "wacht"
    assert [m.to for m in mailoutbox] == [[beheerder.email]]


def test_binnen_de_domeinen_en_van_een_beheerder_gaat_direct(leeuwarden, beleid, beheerder, mailoutbox):
    leeuwarden.email_domeinen = ["leeuwarden.example"]
    leeuwarden.save()
    _client(beleid).post(NIEUW, _gegevens("Wim@Leeuwarden.example"))
    _client(beheerder).post(NIEUW, _gegevens("kees@gmail.example", organisatie=leeuwarden.pk))
    assert sorted(m.to[0] for m in mailoutbox) == ["kees@gmail.example", "wim@leeuwarden.example"]
    assert not Uitnodiging.objects.filter(wacht_op_goedkeuring=True).exists()


def test_domeinen_in_het_beheer(beheerder, leeuwarden):
    client = _client(beheerder)
    url = reverse("admin:accounts_organisatie_change", args=[leeuwarden.pk])
    html = client.get(url).content.decode()
    assert "E-maildomeinen" in html
    gegevens = {"naam": leeuwarden.naam, "soort": leeuwarden.soort, "partner_soort": "",
                "gemeente": leeuwarden.gemeente_id, "instelling": "", "email_domeinen": "@Leeuwarden.NL\nfryslan.nl"}
    assert client.post(url, gegevens).status_code == 302
    leeuwarden.refresh_from_db()
    assert leeuwarden.email_domeinen == ["leeuwarden.nl", "fryslan.nl"]
    assert leeuwarden.heeft_adres("a@leeuwarden.nl") and not leeuwarden.heeft_adres("a@sub.leeuwarden.nl")
    antwoord = client.post(url, {**gegevens, "email_domeinen": "https://leeuwarden.nl"})
    assert antwoord.status_code == 200 and "Geen geldig domein" in antwoord.content.decode()
    assert Organisatie.objects.get(pk=leeuwarden.pk).email_domeinen == ["leeuwarden.nl", "fryslan.nl"]
