"""The audit log page for beheerders: access, selection, 422 on bad input, paging, CSV/Excel export."""

import csv
import html as html_module
import io
import re
from datetime import date, datetime, time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.log import Actie, leg_vast
from audit.models import Auditregel
from tests.factories import GebruikerFactory

pytestmark = pytest.mark.django_db

PAGINA = reverse("beheer_auditlog")
CSV = reverse("beheer_auditlog_export", kwargs={"formaat": "csv"})
XLSX = reverse("beheer_auditlog_export", kwargs={"formaat": "xlsx"})


def regel(dag, uur=12, **velden):
    """An audit line at a given local day and hour (tijdstip has a default, so it can be set on create)."""
    tijdstip = timezone.make_aware(datetime.combine(dag, time(uur)))
    velden.setdefault("actie", Actie.GEDOWNLOAD)
    return Auditregel.objects.create(tijdstip=tijdstip, **velden)


@pytest.fixture
def ingelogd(client, beheerder):
    client.force_login(beheerder)
    return client


def tekst(antwoord):
    return antwoord.content.decode()


# --- access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGINA, CSV, XLSX])
def test_anoniem_naar_inloggen(client, refdata, url):
    antwoord = client.get(url)
    assert antwoord.status_code == 302
    assert antwoord.url.startswith(reverse("inloggen") + "?next=")


@pytest.mark.parametrize("rol", ["beleidsmaker", "bestuurder"])
@pytest.mark.parametrize("url", [PAGINA, CSV, XLSX])
def test_geen_beheerder_krijgt_404(client, gebruiker_factory, refdata, rol, url):
    client.force_login(gebruiker_factory(rol=rol))
    voor = Auditregel.objects.count()
    assert client.get(url).status_code == 404
    assert Auditregel.objects.count() == voor


def test_beheerder_ziet_de_pagina_en_het_menu(ingelogd):
    antwoord = ingelogd.get(PAGINA)
    assert antwoord.status_code == 200
    html = tekst(antwoord)
    assert "<h1>Auditlog</h1>" in html
    assert f'href="{PAGINA}" aria-current="page">Auditlog</a>' in html
    # Without a selection: the last 30 days.
    vandaag = timezone.localdate()
    assert antwoord.context["filter"].cleaned_data["tot"] == vandaag
    assert (vandaag - antwoord.context["filter"].cleaned_data["van"]).days == 29


def test_alleen_get(ingelogd):
    assert ingelogd.post(PAGINA).status_code == 405


def test_menu_niet_voor_andere_rollen(client, gebruiker_factory, refdata):
    client.force_login(gebruiker_factory(rol="beleidsmaker"))
    assert PAGINA not in tekst(client.get(reverse("home")))


# --- selection -------------------------------------------------------------------------------------


def test_filter_op_periode_en_gebruiker(ingelogd, gebruiker_factory):
    anne = gebruiker_factory(username="anne", first_name="Anne", last_name="de Vries")
    bram = gebruiker_factory(username="bram", first_name="Bram", last_name="Bakker")
    regel(date(2026, 3, 1), 0, gebruiker_id=anne.pk, gebruiker_naam="Anne de Vries", onderwerp="begin-van-de-periode")
    regel(date(2026, 3, 31), 23, gebruiker_id=bram.pk, gebruiker_naam="Bram Bakker", onderwerp="einde-van-de-periode")
    regel(date(2026, 2, 28), 23, gebruiker_id=anne.pk, gebruiker_naam="Anne de Vries", onderwerp="ervoor")
    regel(date(2026, 4, 1), 0, gebruiker_id=anne.pk, gebruiker_naam="Anne de Vries", onderwerp="erna")

    antwoord = ingelogd.get(PAGINA, {"van": "2026-03-01", "tot": "2026-03-31"})
    assert antwoord.status_code == 200
    html = tekst(antwoord)
    assert "begin-van-de-periode" in html and "einde-van-de-periode" in html
    assert "ervoor" not in html and "erna" not in html
    assert "2 regels" in html

    antwoord = ingelogd.get(PAGINA, {"van": "2026-03-01", "tot": "2026-03-31", "gebruiker": anne.pk})
    html = tekst(antwoord)
    assert "begin-van-de-periode" in html
    assert "einde-van-de-periode" not in html
    assert "1 regel " in html


def test_regel_toont_actie_gebruiker_onderwerp_en_object(ingelogd):
    regel(date(2026, 5, 4), actie=Actie.ONDERTEKEND, gebruiker_naam="Carla", onderwerp="Afspraak Twente",
          object_soort="afspraken.versie", object_id="17")
    html = tekst(ingelogd.get(PAGINA, {"van": "2026-05-04", "tot": "2026-05-04"}))
    assert "Ondertekend" in html
    assert "Carla" in html and "Afspraak Twente" in html and "afspraken.versie 17" in html


@pytest.mark.parametrize(
    "invoer, veld, melding",
    [
        ({"van": "2026-04-01", "tot": "2026-03-01"}, "tot", "De laatste dag ligt vóór de eerste dag"),
        ({"van": "2025-01-01", "tot": "2026-01-02"}, "tot", "De periode telt 367 dagen"),
        ({"van": "31-02-2026", "tot": "2026-03-01"}, "van", "Vul een geldige datum in"),
        ({"van": "", "tot": "2026-03-01"}, "van", "Vul de eerste dag van de periode in"),
        (
            {"van": "2026-03-01", "tot": "2026-03-02", "gebruiker": "999999"},
            "gebruiker",
            "Kies een gebruiker uit de lijst",
        ),
    ],
)
@pytest.mark.parametrize("url", [PAGINA, CSV])
def test_ongeldige_invoer_geeft_422(ingelogd, invoer, veld, melding, url):
    voor = Auditregel.objects.count()
    antwoord = ingelogd.get(url, invoer)
    assert antwoord.status_code == 422
    html = tekst(antwoord)
    assert melding in html
    # The error is linked to its field and listed in the summary.
    assert f'id="id_{veld}_error"' in html
    assert (
        f'aria-describedby="id_{veld}_helptext id_{veld}_error"' in html
        or f'aria-describedby="id_{veld}_error"' in html
    )
    assert f'href="#id_{veld}"' in html
    assert Auditregel.objects.count() == voor, "niets vastgelegd bij foute invoer"


def test_366_dagen_mag(ingelogd):
    assert ingelogd.get(PAGINA, {"van": "2024-01-01", "tot": "2024-12-31"}).status_code == 200


def test_paginering_met_vast_aantal_queries(ingelogd, django_assert_max_num_queries):
    for uur in range(24):
        for minuut in range(5):
            Auditregel.objects.create(
                actie=Actie.GEVERIFIEERD,
                tijdstip=timezone.make_aware(datetime(2026, 6, 1, uur, minuut)),
                onderwerp=f"regel-{uur:02d}-{minuut}",
            )
    selectie = {"van": "2026-06-01", "tot": "2026-06-01"}
    pagina_1 = ingelogd.get(PAGINA, selectie)
    html = tekst(pagina_1)
    assert "120 regels" in html
    assert "Pagina 1 van 3" in html
    assert html.count("<time ") == 50
    assert "regel-23-4" in html and "regel-00-0" not in html  # newest first
    assert 'href="?van=2026-06-01&amp;tot=2026-06-01&amp;pagina=2"' in html
    assert f'href="{CSV}?van=2026-06-01&amp;tot=2026-06-01"' in html

    for nummer in (1, 2, 3):
        # session, user, the second factor's device (django-otp), the user list of the form, the count and the
        # page: the same for every page.
        with django_assert_max_num_queries(6):
            antwoord = ingelogd.get(PAGINA, {**selectie, "pagina": nummer})
        assert antwoord.status_code == 200
    assert tekst(antwoord).count("<time ") == 20
    assert "regel-00-0" in tekst(antwoord)
    # A page number out of range shows the last page rather than an error.
    assert ingelogd.get(PAGINA, {**selectie, "pagina": "99"}).context["pagina"].number == 3


def link(antwoord, rel):
    """The href of the paging link with this rel, unescaped, or None."""
    gevonden = re.search(rf'<a href="([^"]*)" rel="{rel}"', tekst(antwoord))
    return html_module.unescape(gevonden.group(1)) if gevonden else None


def exportlinks(antwoord):
    return [html_module.unescape(h) for h in re.findall(r'<a href="([^"]*)" download>', tekst(antwoord))]


def volg(client, href):
    # Relative "?..." links resolve against the page itself.
    return client.get((PAGINA + href) if href.startswith("?") else href)


def test_volgende_en_vorige_pagina_houden_periode_en_gebruiker(ingelogd, gebruiker_factory):
    emma = gebruiker_factory(username="emma", first_name="Emma", last_name="Smit")
    for minuut in range(60):
        regel(date(2026, 6, 1), 10, gebruiker_id=emma.pk, gebruiker_naam="Emma Smit", onderwerp=f"emma-{minuut}")
    regel(date(2026, 6, 1), 11, onderwerp="van iemand anders")
    regel(date(2026, 5, 31), 10, gebruiker_id=emma.pk, onderwerp="buiten de periode")
    selectie = {"van": "2026-06-01", "tot": "2026-06-01", "gebruiker": str(emma.pk)}

    pagina_1 = ingelogd.get(PAGINA, selectie)
    assert link(pagina_1, "prev") is None
    volgende = link(pagina_1, "next")
    assert parse_qs(urlsplit(volgende).query) == {k: [v] for k, v in {**selectie, "pagina": "2"}.items()}

    pagina_2 = volg(ingelogd, volgende)
    assert pagina_2.status_code == 200
    assert pagina_2.context["pagina"].number == 2
    assert pagina_2.context["filter"].cleaned_data["gebruiker"] == emma
    assert "60 regels van 1 juni 2026 tot en met 1 juni 2026 van Emma Smit" in tekst(pagina_2)
    assert tekst(pagina_2).count("<time ") == 10
    assert link(pagina_2, "next") is None
    # The downloads of page 2 are the whole selection, not only that page.
    for href in exportlinks(pagina_2):
        assert parse_qs(urlsplit(href).query) == {k: [v] for k, v in selectie.items()}

    terug = volg(ingelogd, link(pagina_2, "prev"))
    assert terug.status_code == 200
    assert terug.context["pagina"].number == 1
    assert terug.context["filter"].cleaned_data["gebruiker"] == emma
    assert parse_qs(urlsplit(link(pagina_2, "prev")).query)["van"] == ["2026-06-01"]


def test_volgende_pagina_zonder_selectie_houdt_de_standaardperiode(ingelogd):
    # The first visit has no query string; its paging and download links must still name the period.
    vandaag = timezone.localdate()
    for minuut in range(55):
        Auditregel.objects.create(actie=Actie.GEVERIFIEERD, onderwerp=f"vandaag-{minuut}")
    eerste = ingelogd.get(PAGINA)
    periode = {"van": [eerste.context["filter"].cleaned_data["van"].isoformat()], "tot": [vandaag.isoformat()]}
    volgende = link(eerste, "next")
    assert parse_qs(urlsplit(volgende).query) == {**periode, "pagina": ["2"]}
    for href in exportlinks(eerste):
        assert parse_qs(urlsplit(href).query) == periode

    tweede = volg(ingelogd, volgende)
    assert tweede.status_code == 200
    assert tweede.context["pagina"].number == 2
    assert tweede.context["filter"].cleaned_data["tot"] == vandaag
    assert volg(ingelogd, link(tweede, "prev")).context["pagina"].number == 1


def test_oude_link_met_alleen_een_paginanummer(ingelogd):
    # A bookmark made before the links named the period: the default period, not a 422.
    for minuut in range(55):
        Auditregel.objects.create(actie=Actie.GEVERIFIEERD, onderwerp=f"vandaag-{minuut}")
    antwoord = ingelogd.get(PAGINA, {"pagina": "2"})
    assert antwoord.status_code == 200
    assert antwoord.context["pagina"].number == 2
    assert antwoord.context["filter"].cleaned_data["tot"] == timezone.localdate()


# --- export ----------------------------------------------------------------------------------------


def lees_csv(antwoord):
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "text/csv; charset=utf-8"
    inhoud = antwoord.content.decode("utf-8")
    assert inhoud.startswith("\ufeff")
    return list(csv.reader(io.StringIO(inhoud[1:]), delimiter=";"))


def lees_xlsx(antwoord):
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    blad = load_workbook(io.BytesIO(antwoord.content)).worksheets[0]
    for rij in blad.iter_rows():
        for cel in rij:
            assert cel.data_type != "f", f"formule in {cel.coordinate}: {cel.value}"
    return [[c if c is not None else "" for c in rij] for rij in blad.iter_rows(values_only=True)]


@pytest.fixture
def selectie(gebruiker_factory):
    dora = gebruiker_factory(username="dora", first_name="Dora", last_name="Dijkstra")
    regel(date(2026, 7, 1), 9, gebruiker_id=dora.pk, gebruiker_naam="Dora Dijkstra", onderwerp="=cmd|' /C calc'!A0",
          object_soort="afspraken.versie", object_id="3", gegevens={"bestand": "=HYPERLINK(\"x\")", "sha256": "ab"})
    regel(date(2026, 7, 2), 10, actie=Actie.GEGEVENS_GELADEN, gebruiker_naam="@systeem", onderwerp="Inwoners 2025")
    regel(date(2026, 8, 1), onderwerp="buiten de periode")
    return {"van": "2026-07-01", "tot": "2026-07-31"}, dora


def test_csv_export(ingelogd, selectie):
    query, dora = selectie
    antwoord = ingelogd.get(CSV, query)
    assert antwoord["Content-Disposition"] == 'attachment; filename="auditlog-2026-07-01-tot-en-met-2026-07-31.csv"'
    assert antwoord["Cache-Control"] == "private, no-store"
    rijen = lees_csv(antwoord)
    assert rijen[0] == [
        "Tijdstip (Nederlandse tijd)", "Actie", "Gebruiker", "Gebruikers-id", "Onderwerp", "Object", "Gegevens"
    ]
    assert len(rijen) == 3
    nieuwste, oudste = rijen[1], rijen[2]
    assert nieuwste[:3] == ["2026-07-02 10:00:00", "Gegevens geladen", "'@systeem"]
    assert oudste[0] == "2026-07-01 09:00:00"
    assert oudste[3] == str(dora.pk)
    assert oudste[4] == "'=cmd|' /C calc'!A0"
    assert oudste[5] == "afspraken.versie 3"
    assert oudste[6] == '{"bestand": "=HYPERLINK(\\"x\\")", "sha256": "ab"}'


def test_xlsx_export_en_gebruikersfilter(ingelogd, selectie):
    query, dora = selectie
    rijen = lees_xlsx(ingelogd.get(XLSX, {**query, "gebruiker": dora.pk}))
    assert len(rijen) == 2
    rij = rijen[1]
    assert rij[0] == datetime(2026, 7, 1, 9, 0)
    assert rij[1] == "Gedownload"
    assert rij[3] == dora.pk
    assert rij[4] == "'=cmd|' /C calc'!A0"


def test_export_wordt_vastgelegd(ingelogd, beheerder, selectie):
    query, dora = selectie
    ingelogd.get(CSV, {**query, "gebruiker": dora.pk, "pagina": "2"})
    vastgelegd = Auditregel.objects.filter(onderwerp="auditlog").get()
    assert vastgelegd.actie == Actie.GEDOWNLOAD
    assert vastgelegd.gebruiker_id == beheerder.pk
    assert vastgelegd.gegevens == {
        "formaat": "csv", "van": "2026-07-01", "tot": "2026-07-31", "gebruiker_filter": dora.pk, "regels": 1,
    }


def test_onbekend_formaat_geeft_404_zonder_vastlegging(ingelogd):
    voor = Auditregel.objects.count()
    assert ingelogd.get(reverse("beheer_auditlog_export", kwargs={"formaat": "pdf"})).status_code == 404
    assert Auditregel.objects.count() == voor


def test_leg_vast_verschijnt_in_het_log(ingelogd, beheerder):
    # The real writer, not only rows made by hand.
    leg_vast(Actie.GEVERIFIEERD, gebruiker=beheerder, onderwerp="controle-via-leg-vast")
    assert "controle-via-leg-vast" in tekst(ingelogd.get(PAGINA))


# --- what other apps report: data loads and admin changes (issue 26 item 7) ---------------------------


def test_een_bevestigde_lading_is_een_auditregel_met_wie_en_welk_bestand(ingelogd, beheerder):
    from regio.models import MboInstelling
    from tests.loaders_helpers import csv_bytes, laad

    roc = MboInstelling.objects.get(naam="ROC van Twente")
    roc.instellingscode = "99TW"
    roc.save(update_fields=["instellingscode"])
    imp = laad("studenten_woongemeente", csv_bytes([
        ["peiljaar", "instellingscode", "gemeentecode", "aantal"], [2031, "99TW", "GM0153", 12],
    ], ","), naam="woongemeente-2031.csv", gebruiker=beheerder)
    regel = Auditregel.objects.get(actie=Actie.GEGEVENS_GELADEN)
    assert (regel.gebruiker_id, regel.object_soort, regel.object_id) == (beheerder.pk, "regio.gegevensimport",
                                                                         str(imp.pk))
    assert regel.gegevens["bestand"] == "woongemeente-2031.csv" and regel.gegevens["sha256"] == imp.sha256
    assert regel.gegevens["rijen"] == 1
    assert "woongemeente-2031.csv" in tekst(ingelogd.get(PAGINA))


def test_een_wijziging_in_de_admin_is_een_auditregel(ingelogd, beheerder):
    from accounts.models import Organisatie

    organisatie = Organisatie.objects.create(naam="Stichting Voorbeeld", soort=Organisatie.Soort.PARTNER,
                                             partner_soort=Organisatie.PartnerSoort.values[0])
    antwoord = ingelogd.post(reverse("admin:accounts_organisatie_change", args=[organisatie.pk]), {
        "naam": "Stichting Voorbeeld Oost", "soort": organisatie.soort, "partner_soort": organisatie.partner_soort,
        "gemeente": "", "instelling": "",
    })
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    regel = Auditregel.objects.get(actie=Actie.ADMIN_GEWIJZIGD)
    assert (regel.gebruiker_id, regel.object_soort, regel.object_id) == (beheerder.pk, "accounts.organisatie",
                                                                         str(organisatie.pk))
    assert regel.onderwerp == "Stichting Voorbeeld Oost" and "Naam" in regel.gegevens["wijziging"]
    assert "Gewijzigd in het beheer (admin)" in tekst(ingelogd.get(PAGINA))
    # Deleting is for superusers only; it is recorded too.
    superuser = GebruikerFactory(username="super-audit", is_superuser=True, rol="beheerder")
    ingelogd.force_login(superuser)
    antwoord = ingelogd.post(reverse("admin:accounts_organisatie_delete", args=[organisatie.pk]), {"post": "yes"})
    assert antwoord.status_code == 302
    regel = Auditregel.objects.get(actie=Actie.ADMIN_VERWIJDERD, object_id=str(organisatie.pk))
    assert (regel.gebruiker_id, regel.onderwerp) == (superuser.pk, "Stichting Voorbeeld Oost")


def test_opslaan_zonder_wijziging_in_de_admin_is_geen_auditregel(ingelogd):
    from accounts.models import Organisatie

    organisatie = Organisatie.objects.create(naam="Stichting Ongewijzigd", soort=Organisatie.Soort.PARTNER,
                                             partner_soort=Organisatie.PartnerSoort.values[0])
    antwoord = ingelogd.post(reverse("admin:accounts_organisatie_change", args=[organisatie.pk]), {
        "naam": organisatie.naam, "soort": organisatie.soort, "partner_soort": organisatie.partner_soort,
        "gemeente": "", "instelling": "", "email_domeinen": "",
    })
    assert antwoord.status_code == 302
    assert not Auditregel.objects.filter(object_soort="accounts.organisatie", object_id=str(organisatie.pk)).exists()
