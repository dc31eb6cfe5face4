"""Pages kept per version of what the agreements they show say (afspraken.inhoudsversie, afspraken migration 0006):
an agreement's phase pages, overview, toetsing and monitoring, the list of agreements and the beheerder's monitor.

Real commits (a transactional test): the version is renewed at commit, and a transaction that has written is
given nothing kept, so the store only works outside one. Every check compares against what a fresh render
shows, and every kind of change a page shows must reach the next request at once.
"""

import re

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aanbod.models import Aanbodvorm
from accounts.models import Gebruiker
from afspraken import fasen, inhoudsversie
from afspraken import secties as sectiemodule
from afspraken.models import (
    Actie,
    Actievoortgang,
    Afdruk,
    Ambitie,
    Fase,
    Indicator,
    Meting,
    Partij,
    Sectie,
    Uitvoeringsafspraak,
)
from regio import gegevensversie
from regio.models import Gemeente
from tests.afspraak_helpers import (
    gebruiker_van,
    gemeente_organisatie,
    maak_afspraak,
    markeer_ondertekend,
    met_versie,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the versions are PostgreSQL triggers"),
]


@pytest.fixture
def afspraak(refdata):
    afspraak = maak_afspraak(4)
    Sectie.objects.create(
        afspraak=afspraak, sleutel=fasen.REGIE, inhoud={"antwoord": "Samen in het DSP-overleg"}, versie=1
    )
    Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder uitval door tijdige hulp", versie=1)
    return afspraak


@pytest.fixture
def beleid(afspraak):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd")


@pytest.fixture
def bestuurder(afspraak):
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd")


def ingelogd(gebruiker, **kwargs):
    client = Client(**kwargs)
    client.force_login(gebruiker)
    return client


def lees(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def pagina(client, afspraak, fase=1):
    return lees(client, reverse("afspraak_fase", args=[afspraak.pk, fase]))


def zonder_tokens(html):
    """The page without what each response has of its own: the CSRF token and the CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def vers(client, url, monkeypatch):
    """The page as it is rendered with nothing kept."""
    with monkeypatch.context() as m:
        m.setattr(inhoudsversie, "_lees", lambda sql, params: None)
        return lees(client, url)


def _modellen_van_een_afspraak():
    """Every model whose rows belong to an agreement, directly or under a row that does (with M2M tables)."""
    modellen = {Uitvoeringsafspraak}
    while True:
        erbij = {
            m for m in apps.get_models(include_auto_created=True) if m not in modellen
            and any(f.many_to_one and f.related_model in modellen for f in m._meta.fields)
        }
        if not erbij:
            return modellen
        modellen |= erbij


def test_elke_tabel_van_een_afspraak_heeft_de_trigger():
    """A new model that holds part of an agreement without the trigger would be kept stale: it fails here.
    Not Afdruk: a PDF made from the content, shown on no page that is kept."""
    tabellen = {m._meta.db_table for m in _modellen_van_een_afspraak() if m is not Afdruk}
    verwacht = {"afspraken_sectie", "aanbod_aanbod_voor_instellingen", "financiering_geldstroom", "afspraken_meting"}
    assert verwacht <= tabellen
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'inhoudsversie' AND t.tgdeferrable AND t.tginitdeferred"
        )
        met_trigger = {r[0] for r in cursor.fetchall()}
    assert tabellen - met_trigger == set()


@pytest.mark.parametrize("fase", [1, 2, 3, 4])
def test_een_bewaarde_fasepagina_is_dezelfde_als_een_verse(afspraak, beleid, bestuurder, fase, monkeypatch):
    for gebruiker in (beleid, bestuurder):
        client = ingelogd(gebruiker)
        eerst, daarna = pagina(client, afspraak, fase), pagina(client, afspraak, fase)
        fris = vers(client, reverse("afspraak_fase", args=[afspraak.pk, fase]), monkeypatch)
        assert zonder_tokens(eerst) == zonder_tokens(daarna) == zonder_tokens(fris)
    # Kept apart per right to edit: the beleidsmaker gets forms, the bestuurder (reading only) none.
    assert "<textarea" in pagina(ingelogd(beleid), afspraak, 1)
    assert "<textarea" not in pagina(ingelogd(bestuurder), afspraak, 1)


def test_een_bewaarde_pagina_kost_alleen_de_omlijsting(afspraak, beleid):
    client = ingelogd(beleid)
    with CaptureQueriesContext(connection) as koud:
        pagina(client, afspraak, 1)
    with CaptureQueriesContext(connection) as warm:
        pagina(client, afspraak, 1)
    # Session, the user with their organisation, the agreement with the party check, the versions: no section's
    # data, nothing for the rights or the header on its own.
    assert len(warm) == 4 < len(koud), [q["sql"] for q in warm.captured_queries]
    assert not any("afspraken_sectie" in q["sql"] for q in warm.captured_queries)


def test_elk_antwoord_heeft_zijn_eigen_csrf_token_en_het_formulier_werkt(afspraak, beleid):
    een, twee = ingelogd(beleid, enforce_csrf_checks=True), ingelogd(beleid, enforce_csrf_checks=True)
    tokens = []
    for client in (een, twee, een):
        html = pagina(client, afspraak, 1)
        assert gegevensversie.CSRF_GAT not in html and gegevensversie.NONCE_GAT not in html
        tokens.append(set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)))
    # Masked anew for each form, as when rendered fresh; never one response's for another session.
    assert all(tokens) and tokens[0].isdisjoint(tokens[1]) and tokens[0].isdisjoint(tokens[2])
    # The page's one form (every section is in it), with its token from the kept page, saves.
    token = re.search(r'id="fase-formulier"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
                      html).group(1)
    assert token in tokens[2]
    response = een.post(
        reverse("fase_opslaan", args=[afspraak.pk, 1]),
        {"csrfmiddlewaretoken": token, **met_versie(fasen.REGIE, 1),
         f"{fasen.REGIE}-antwoord": "Firda op het onderwijs"},
    )
    assert response.status_code == 302
    assert "Firda op het onderwijs" in pagina(twee, afspraak, 1)


def test_wat_een_ander_opslaat_is_meteen_te_zien(afspraak, beleid, bestuurder):
    lezer, schrijver = ingelogd(bestuurder), ingelogd(beleid)
    assert "Samen in het DSP-overleg" in pagina(lezer, afspraak, 1)
    # A text section, through its own endpoint (as the page saves it with htmx).
    response = schrijver.post(
        reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE]),
        {**met_versie(fasen.REGIE, 1), f"{fasen.REGIE}-antwoord": "De contactgemeente voert de regie"},
    )
    assert response.status_code == 302
    html = pagina(lezer, afspraak, 1)
    assert "De contactgemeente voert de regie" in html and "Samen in het DSP-overleg" not in html
    # A row added, changed without a model signal, removed.
    assert "Minder uitval door tijdige hulp" in pagina(lezer, afspraak, 2)
    schrijver.post(reverse("rij_toevoegen", args=[afspraak.pk, fasen.AMBITIES]),
                   {f"{fasen.AMBITIES}-nieuw-omschrijving": "Elke student een vertrouwd gezicht"})
    assert "Elke student een vertrouwd gezicht" in pagina(lezer, afspraak, 2)
    Ambitie.objects.filter(omschrijving="Minder uitval door tijdige hulp").update(omschrijving="Minder verzuim")
    html = pagina(lezer, afspraak, 2)
    assert "Minder verzuim" in html and "Minder uitval door tijdige hulp" not in html
    Ambitie.objects.filter(omschrijving="Minder verzuim").delete()
    assert "Minder verzuim" not in pagina(lezer, afspraak, 2)


def test_een_nieuwe_naam_van_wie_schreef_is_meteen_te_zien(afspraak, beleid, bestuurder):
    lezer = ingelogd(bestuurder)
    beleid.first_name, beleid.last_name = "Anna", "Schrijver"
    beleid.save()
    ingelogd(beleid).post(reverse("sectie_opslaan", args=[afspraak.pk, fasen.VISIE]),
                          {**met_versie(fasen.VISIE, 0), f"{fasen.VISIE}-antwoord": "Het mbo zit aan tafel"})
    assert "door Anna Schrijver" in pagina(ingelogd(beleid), afspraak, 2)
    Gebruiker.objects.filter(pk=beleid.pk).update(last_name="de Schrijver")
    assert "door Anna de Schrijver" in pagina(ingelogd(beleid), afspraak, 2)
    assert "Het mbo zit aan tafel" in pagina(lezer, afspraak, 2)


def test_welke_wijziging_welke_versie_vernieuwt(afspraak, beleid):
    ander = maak_afspraak(12)
    voor = inhoudsversie.huidige(afspraak.pk)
    assert voor is not None

    def na(wijziging):
        nonlocal voor
        wijziging()
        nu = inhoudsversie.huidige(afspraak.pk)
        vernieuwd = [i for i, (a, b) in enumerate(zip(voor, nu, strict=True)) if a != b]
        voor = nu
        return vernieuwd  # 0: the agreement's own, 1: national data, 2: where agreements stand, 3: users, lists

    # Another agreement's content leaves this one's alone; logging in is no change of a user.
    assert na(lambda: Ambitie.objects.create(afspraak=ander, omschrijving="Elders")) == []
    assert na(lambda: Gebruiker.objects.filter(pk=beleid.pk).update(last_login="2026-11-23T10:00Z")) == []
    assert na(lambda: Ambitie.objects.create(afspraak=afspraak, omschrijving="Hier")) == [0]
    # Rows under a row of the agreement: a meting under its indicator, a many-to-many choice under its aanbod.
    ambitie = Ambitie.objects.filter(afspraak=afspraak).first()
    indicator = Indicator.objects.create(afspraak=afspraak, ambitie=ambitie, naam="Tevredenheid", versie=1)
    voor = inhoudsversie.huidige(afspraak.pk)
    meting = dict(indicator=indicator, meetmoment="2026-06-01", gemeten_op="2026-06-01", waarde=7)
    assert na(lambda: Meting.objects.create(**meting)) == [0]
    assert na(lambda: Actie.objects.filter(afspraak=afspraak).update(omschrijving="x")) == []  # no rows: no change
    assert na(lambda: Gemeente.objects.filter(naam="Leeuwarden").update(actief=True)) == [1]
    assert na(lambda: Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="gereed")) == [0, 2]
    assert na(lambda: Gebruiker.objects.filter(pk=beleid.pk).update(first_name="Bea")) == [3]
    assert na(lambda: Aanbodvorm.objects.filter(pk=Aanbodvorm.objects.first().pk).update(naam="Jongerenwerk")) == [3]


def test_een_transactie_die_schreef_krijgt_niets_bewaards(afspraak, beleid):
    client = ingelogd(beleid)
    assert "Elke student telt" not in pagina(client, afspraak, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        Ambitie.objects.create(afspraak=afspraak, omschrijving="Elke student telt")
        # The version is renewed only at commit: until then this transaction renders for itself.
        assert inhoudsversie.huidige(afspraak.pk) is None
        assert "Elke student telt" in pagina(client, afspraak, 2)
        raise RuntimeError
    assert "Elke student telt" not in pagina(client, afspraak, 2)


@pytest.mark.parametrize("pagina_naam", ["afspraak_overzicht", "afspraak_toetsing"])
def test_overzicht_en_toetsing_bewaard_en_meteen_bij(afspraak, beleid, bestuurder, pagina_naam, monkeypatch):
    url = reverse(pagina_naam, args=[afspraak.pk])
    for gebruiker in (beleid, bestuurder):
        client = ingelogd(gebruiker)
        eerst, daarna = lees(client, url), lees(client, url)
        assert zonder_tokens(eerst) == zonder_tokens(daarna) == zonder_tokens(vers(client, url, monkeypatch))
    # A longer looptijd (both pages name it under their navigation) shows at once.
    lezer = ingelogd(bestuurder)
    assert "31 december 2030" not in lees(lezer, url)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(looptijd_einde="2030-12-31")
    assert "tot en met 31 december 2030" in lees(lezer, url)


def test_de_api_houdt_de_inhoud_bij(afspraak, beleid):
    client = ingelogd(beleid)
    url = reverse("api_afspraak", kwargs={"regio": 4, "versie": 1})
    assert "Samen in het DSP-overleg" in lees(client, url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert not any("afspraken_sectie" in q["sql"] for q in warm.captured_queries)
    Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE).update(inhoud={"antwoord": "Het DSP-overleg beslist"})
    inhoud = lees(client, url)
    assert "Het DSP-overleg beslist" in inhoud and "Samen in het DSP-overleg" not in inhoud


# --- pages that show several agreements: a digest of their versions --------------------------------------


def telling(client, url):
    """The page and the SQL of its queries. The log holds at most 9,000 (a capture counts the growth of its
    length, and reads the log when asked): start empty, and copy what was captured at once."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as vastgelegd:
        html = lees(client, url)
    return html, [q["sql"] for q in vastgelegd.captured_queries]


def _achterstallige_actie(afspraak, omschrijving):
    return Actie.objects.create(afspraak=afspraak, fase=4, omschrijving=omschrijving, deadline="2026-03-01")


def test_welke_wijziging_welke_vingerafdruk_vernieuwt(afspraak, beleid):
    elders = maak_afspraak(12)
    metingen = {
        "alle": inhoudsversie.van_alle,
        "regio": lambda: inhoudsversie.van_regio(afspraak.pk),
        "gebruiker": lambda: inhoudsversie.van_gebruiker(beleid),
    }
    voor = {naam: lees_versie() for naam, lees_versie in metingen.items()}
    assert None not in voor.values()

    def na(wijziging):
        nonlocal voor
        wijziging()
        nu = {naam: lees_versie() for naam, lees_versie in metingen.items()}
        vernieuwd = sorted(naam for naam in nu if nu[naam][0] != voor[naam][0])
        voor = nu
        return vernieuwd

    assert na(lambda: Ambitie.objects.create(afspraak=elders, omschrijving="Elders")) == ["alle"]
    assert na(lambda: Ambitie.objects.create(afspraak=afspraak, omschrijving="Hier")) == ["alle", "gebruiker", "regio"]
    assert na(lambda: markeer_ondertekend(afspraak)) == ["alle", "gebruiker", "regio"]
    # An amendment in the same region (a version this agreement's chains can reach), then removed.
    volgende = []

    def wijzig_afspraak():
        volgende.append(Uitvoeringsafspraak.objects.create(
            regio=afspraak.regio, versie=2, vorige_versie=afspraak, titel="Wijziging", looptijd_start="2026-01-01",
            looptijd_einde="2029-12-31",
        ))

    assert na(wijzig_afspraak) == ["alle", "gebruiker", "regio"]
    nieuw = na(lambda: Ambitie.objects.create(afspraak=volgende[0], omschrijving="Nieuw"))
    assert nieuw == ["alle", "gebruiker", "regio"]
    assert na(lambda: Uitvoeringsafspraak.objects.filter(pk=volgende[0].pk).delete()) == ["alle", "gebruiker", "regio"]
    # Becoming a party elsewhere brings that region into the user's own list.
    organisatie = beleid.organisatie
    assert na(lambda: Partij.objects.create(afspraak=elders, organisatie=organisatie, rol="gemeente_buiten")) == [
        "alle", "gebruiker"
    ]
    assert na(lambda: Ambitie.objects.create(afspraak=elders, omschrijving="Nu ook van ons")) == ["alle", "gebruiker"]


@pytest.mark.parametrize("rol", ["beleid", "bestuurder", "beheerder"])
def test_de_lijst_bewaard_en_meteen_bij(afspraak, beleid, bestuurder, beheerder, rol, monkeypatch):
    gebruiker = {"beleid": beleid, "bestuurder": bestuurder, "beheerder": beheerder}[rol]
    client, url = ingelogd(gebruiker), reverse("afspraak_lijst")
    eerst, koud = telling(client, url)
    daarna, warm = telling(client, url)
    assert zonder_tokens(eerst) == zonder_tokens(daarna) == zonder_tokens(vers(client, url, monkeypatch))
    # Session, the user with their organisation (the header), the versions: nothing about the agreements.
    assert len(warm) <= 3 and len(warm) < len(koud), warm
    assert afspraak.titel in eerst
    # A new title, an actie past its deadline, a signature asked of the bestuurder: at once.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(titel="Samen sterk in Friesland Noord")
    assert "Samen sterk in Friesland Noord" in lees(client, url)
    _achterstallige_actie(afspraak, "Meldroute vastleggen")
    assert ("Meldroute vastleggen" in lees(client, url)) == (rol != "beheerder")  # beheerders: the national monitor
    Partij.objects.filter(afspraak=afspraak, organisatie=bestuurder.organisatie).update(bestuurder=bestuurder)
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ter_ondertekening")
    assert ("Te ondertekenen" in lees(client, url)) == (rol == "bestuurder")


def test_de_lijst_is_per_organisatie_en_rol(afspraak, beleid, bestuurder):
    ander = gebruiker_van(gemeente_organisatie("Groningen"), Gebruiker.Rol.BELEIDSMAKER, "beleid-gron")
    assert afspraak.titel in lees(ingelogd(beleid), reverse("afspraak_lijst"))
    # Kept for Leeuwarden's beleidsmaker, never shown to Groningen's, whose organisation is no party.
    html = lees(ingelogd(ander), reverse("afspraak_lijst"))
    assert afspraak.titel not in html and "Uw organisatie is nog geen partij" in html


def test_de_monitoringpagina_bewaard_en_meteen_bij(afspraak, beleid, bestuurder, monkeypatch):
    ambitie = Ambitie.objects.get(afspraak=afspraak)
    indicator = Indicator.objects.create(
        afspraak=afspraak, ambitie=ambitie, naam="Hulp binnen vier weken", eenheid="%", nulmeting=40,
        streefwaarde=75, meetmoment="2026-07-01", meetfrequentie="halfjaarlijks", bron="Registratie",
    )
    actie = _achterstallige_actie(afspraak, "Meldroute vastleggen")
    markeer_ondertekend(afspraak)
    url = reverse("afspraak_monitoring", args=[afspraak.pk])
    for gebruiker in (beleid, bestuurder):
        client = ingelogd(gebruiker)
        eerst = lees(client, url)
        daarna, warm = telling(client, url)
        assert zonder_tokens(eerst) == zonder_tokens(daarna) == zonder_tokens(vers(client, url, monkeypatch))
        assert warm and not any("afspraken_meting" in sql for sql in warm)
    # Kept per right: the beleidsmaker records metingen, the bestuurder reads.
    formulier = f'name="indicator-{indicator.pk}-'
    assert formulier in lees(ingelogd(beleid), url)
    assert formulier not in lees(ingelogd(bestuurder), url)
    lezer = ingelogd(bestuurder)
    assert "1 juli 2026" in lees(lezer, url)  # the meetmoment, overdue
    Meting.objects.create(indicator=indicator, meetmoment="2026-07-01", gemeten_op="2026-07-02", waarde=52)
    assert "52" in lees(lezer, url)
    Actievoortgang.objects.create(actie=actie, status="afgerond", gebruiker=beleid)
    assert "Afgerond" in lees(lezer, url)


def test_een_fout_formulier_op_de_monitoringpagina_is_vers(afspraak, beleid):
    _achterstallige_actie(afspraak, "Meldroute vastleggen")
    markeer_ondertekend(afspraak)
    client = ingelogd(beleid)
    lees(client, reverse("afspraak_monitoring", args=[afspraak.pk]))
    actie = Actie.objects.get(afspraak=afspraak)
    response = client.post(
        reverse("afspraak_actievoortgang", args=[afspraak.pk, actie.pk]),
        {f"actie-{actie.pk}-status": "bestaat-niet", f"actie-{actie.pk}-toelichting": "Wat een dag"},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "Wat een dag" in html and "Fout bij opslaan" in html
    # The next plain request is the kept page again, without the failed form's input.
    assert "Wat een dag" not in lees(client, reverse("afspraak_monitoring", args=[afspraak.pk]))


def test_de_beheermonitor_bewaard_en_meteen_bij(afspraak, beheerder, monkeypatch):
    client, url = ingelogd(beheerder), reverse("monitor_beheer")
    eerst = lees(client, url)
    daarna, warm = telling(client, url)
    assert zonder_tokens(eerst) == zonder_tokens(daarna) == zonder_tokens(vers(client, url, monkeypatch))
    assert 0 < len(warm) <= 3
    assert "Meldroute vastleggen" not in eerst
    _achterstallige_actie(afspraak, "Meldroute vastleggen")
    assert "Meldroute vastleggen" in lees(client, url)
    # The phase of a concept follows its sections.
    assert "1. Verkennen" in lees(client, url)
    for sleutel in [d.sleutel for d in sectiemodule.van_fase(Fase.VERKENNEN)]:
        Sectie.objects.update_or_create(
            afspraak=afspraak, sleutel=sleutel, defaults={"inhoud": {"antwoord": "x"}, "versie": 1}
        )
    assert "1. Verkennen" not in lees(client, url)
