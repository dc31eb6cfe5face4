"""The beheer pages through the Django test client: access, upload → preview → confirm, htmx, refusals."""

import random
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regio.models import Doorstroompuntregio, Gegevensimport, Gemeente, Inwonertal, MboInstelling
from tests.loaders_helpers import VOORBEELDEN, csv_bytes, vingerafdruk

pytestmark = pytest.mark.django_db

GEGEVENS = reverse("beheer_gegevens")


def upload(client, soort, inhoud, naam="bestand.csv", peiljaar="", **extra):
    return client.post(
        GEGEVENS, {"soort": soort, "bestand": SimpleUploadedFile(naam, inhoud, "text/csv"), "peiljaar": peiljaar},
        **extra,
    )


def laatste_import():
    return Gegevensimport.objects.order_by("-pk").first()


# --- access ----------------------------------------------------------------------------------------


def beheer_urls():
    return [
        ("get", GEGEVENS),
        ("post", GEGEVENS),
        ("get", reverse("beheer_import", args=[1])),
        ("post", reverse("beheer_import_bevestigen", args=[1])),
        ("post", reverse("beheer_import_annuleren", args=[1])),
        ("get", reverse("beheer_regios")),
        ("get", reverse("beheer_contactgemeente", kwargs={"nummer": 5})),
        ("post", reverse("beheer_contactgemeente", kwargs={"nummer": 5})),
    ]


@pytest.mark.parametrize("methode, url", beheer_urls())
def test_anoniem_wordt_naar_inloggen_gestuurd(client, refdata, methode, url):
    antwoord = getattr(client, methode)(url)
    assert antwoord.status_code == 302
    assert antwoord.url.startswith(reverse("inloggen") + "?next=")


@pytest.mark.parametrize("rol", ["beleidsmaker", "bestuurder"])
@pytest.mark.parametrize("methode, url", beheer_urls())
def test_geen_beheerder_krijgt_404(client, gebruiker_factory, refdata, rol, methode, url):
    client.force_login(gebruiker_factory(rol=rol))
    voor = vingerafdruk()
    assert getattr(client, methode)(url).status_code == 404
    assert vingerafdruk() == voor


def test_csrf_verplicht_bij_uploaden(beheerder):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(beheerder)
    antwoord = upload(client, "inwoners", b"gemeentecode,inwoners,peiljaar\nGM0014,1,2024\n")
    assert antwoord.status_code == 403
    assert not Gegevensimport.objects.exists()


# --- upload → preview → confirm ---------------------------------------------------------------------


def test_pagina_toont_formulier_en_geschiedenis(beheerder_client):
    antwoord = beheerder_client.get(GEGEVENS)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "<h1>Gegevens laden</h1>" in html
    assert 'hx-post="/beheer/gegevens/"' in html and 'hx-encoding="multipart/form-data"' in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    assert '<progress id="upload-voortgang"' in html
    assert "/static/js/gegevens-laden.js" in html
    assert "Er is nog niets geladen." in html


def test_uploaden_voorbeeld_bevestigen_en_gegevens_gewijzigd(beheerder_client, beheerder):
    inhoud = (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes()
    antwoord = upload(beheerder_client, "inwoners", inhoud, "inwoners_cbs_voorbeeld.csv")
    imp = laatste_import()
    assert antwoord.status_code == 302 and antwoord.url == reverse("beheer_import", args=[imp.pk])
    assert imp.status == "voorbeeld" and imp.gebruiker == beheerder and bytes(imp.inhoud) == inhoud
    assert not Inwonertal.objects.filter(peiljaar=2024).exists()  # nothing written yet

    voorbeeld = beheerder_client.get(antwoord.url).content.decode()
    assert "Voorbeeld: CBS: inwoners per gemeente" in voorbeeld
    assert (
        "Peiljaar 2024: 5 gemeenten, samen 885.000 inwoners; 5 inwonertallen nieuw, 0 gewijzigd, 0 verwijderd"
        in voorbeeld
    )
    assert "Bevestigen en laden" in voorbeeld
    assert imp.sha256 in voorbeeld

    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "CBS: inwoners per gemeente geladen: 5 rijen uit inwoners_cbs_voorbeeld.csv." in html
    assert Inwonertal.objects.filter(peiljaar=2024).count() == 5
    imp.refresh_from_db()
    assert imp.status == "geladen"

    # The history lists it.
    geschiedenis = beheerder_client.get(GEGEVENS).content.decode()
    assert "inwoners_cbs_voorbeeld.csv" in geschiedenis and "Geladen" in geschiedenis

    # Confirming twice: a message, not an error, and nothing happens.
    voor = vingerafdruk()
    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
    assert antwoord.status_code == 200
    assert "niet (meer) te bevestigen: de status is \u201cgeladen\u201d" in antwoord.content.decode()
    assert vingerafdruk() == voor


def test_adressen_via_de_browser_met_bom_en_komma(beheerder_client):
    kop = ["INSTELLINGSCODE", "INSTELLINGSNAAM", "GEMEENTENUMMER", "RMC-REGIO CODE"]
    inhoud = csv_bytes([kop, ["99QA", "Fictief Collegé Zuid", "0014", "03"]], ",", bom=True)
    upload(beheerder_client, "adressen_mbo", inhoud, "adressen.csv", peiljaar="2025")
    imp = laatste_import()
    assert imp.encoding == "UTF-8 met BOM" and imp.scheidingsteken == ","
    assert imp.peiljaar == 2025
    beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]))
    assert MboInstelling.objects.get(instellingscode="99QA").naam == "Fictief Collegé Zuid"


def test_afgewezen_bestand_toont_redenen_per_regel_en_kolom(beheerder_client):
    inhoud = csv_bytes([["gemeentecode", "inwoners", "peiljaar"], ["GM0014", "veel", "2024"], ["GM9999", "5", "2024"]])
    voor = vingerafdruk()
    antwoord = upload(beheerder_client, "inwoners", inhoud, follow=True)
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert "Het bestand is afgewezen" in html
    assert "Er zijn 2 problemen gevonden" in html
    assert "<td class=\"getal\">2</td><td>inwoners</td><td>&#x27;veel&#x27; is geen geheel getal" in html
    assert "<td class=\"getal\">3</td><td>gemeentecode</td><td>Gemeentecode GM9999 is onbekend.</td>" in html
    assert "Bevestigen en laden" not in html
    assert vingerafdruk() == voor
    imp = laatste_import()
    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
    assert antwoord.status_code == 200 and "de status is \u201cafgewezen\u201d" in antwoord.content.decode()


@pytest.mark.parametrize(
    "inhoud, naam, woord",
    [
        (random.Random(1).randbytes(50_000), "rommel.csv", "geen"),
        (b"PK\x03\x04" + random.Random(2).randbytes(5000), "gegevens.xlsx", "Excel"),
        (b"%PDF-1.4\n" + random.Random(3).randbytes(5000), "gegevens.pdf", "PDF"),
        (b"", "leeg.csv", "leeg"),
    ],
)
def test_rommel_geeft_nooit_een_500(beheerder_client, inhoud, naam, woord):
    voor = vingerafdruk()
    for soort, _ in Gegevensimport.Soort.choices:
        antwoord = upload(beheerder_client, soort, inhoud, naam, follow=True)
        assert antwoord.status_code == 200
        html = antwoord.content.decode()
        assert woord in html
    assert vingerafdruk() == voor


def test_te_groot_bestand_wordt_afgewezen_zonder_het_te_lezen(beheerder_client, settings):
    settings.GEGEVENS_MAX_BESTANDSGROOTTE = 1000
    inhoud = csv_bytes([["gemeentecode", "inwoners", "peiljaar"]] + [["GM0014", "1", "2024"]] * 200)
    antwoord = upload(beheerder_client, "inwoners", inhoud, follow=True)
    assert antwoord.status_code == 200
    imp = laatste_import()
    assert imp.status == "afgewezen" and imp.grootte == len(inhoud) and len(imp.sha256) == 64
    assert f"Het bestand is {len(inhoud) // 1024} kB; de grens is 1000 bytes" in antwoord.content.decode()


def test_formulierfouten_met_samenvatting_en_gekoppelde_velden(beheerder_client):
    antwoord = beheerder_client.post(GEGEVENS, {"soort": "", "peiljaar": "twintig"})
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert 'class="foutsamenvatting"' in html
    assert '<a href="#id_soort">Soort bestand: Kies welk soort bestand u laadt.</a>' in html
    assert '<a href="#id_bestand">Bestand: Kies het bestand dat u wilt laden.</a>' in html
    assert 'aria-describedby="id_soort_error"' in html
    assert 'id="id_soort_error"' in html
    assert 'aria-invalid="true"' in html
    assert not Gegevensimport.objects.exists()


# --- htmx ------------------------------------------------------------------------------------------


def test_htmx_upload_geeft_hx_redirect(beheerder_client):
    inhoud = (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes()
    antwoord = upload(beheerder_client, "inwoners", inhoud, headers={"HX-Request": "true"})
    assert antwoord.status_code == 200
    assert antwoord["HX-Redirect"] == reverse("beheer_import", args=[laatste_import().pk])


def test_htmx_formulierfout_geeft_het_fragment(beheerder_client):
    antwoord = beheerder_client.post(GEGEVENS, {"soort": "inwoners"}, headers={"HX-Request": "true"})
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert '<div id="upload">' in html and "<html" not in html
    assert "Kies het bestand dat u wilt laden." in html


def test_htmx_bevestigen_geeft_hx_redirect(beheerder_client):
    upload(beheerder_client, "inwoners", (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes())
    imp = laatste_import()
    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), headers={"HX-Request": "true"})
    assert antwoord["HX-Redirect"] == reverse("beheer_import", args=[imp.pk])
    assert Inwonertal.objects.filter(peiljaar=2024).count() == 5


# --- cancel and expiry -----------------------------------------------------------------------------


def test_annuleren_en_daarna_niet_meer_bevestigen(beheerder_client):
    upload(beheerder_client, "inwoners", (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes())
    imp = laatste_import()
    antwoord = beheerder_client.post(reverse("beheer_import_annuleren", args=[imp.pk]), follow=True)
    assert "De import is geannuleerd; er is niets geladen." in antwoord.content.decode()
    imp.refresh_from_db()
    assert imp.status == "geannuleerd" and imp.inhoud is None
    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
    assert "de status is \u201cgeannuleerd\u201d" in antwoord.content.decode()
    assert not Inwonertal.objects.filter(peiljaar=2024).exists()


def test_verlopen_voorbeeld_wordt_geweigerd(beheerder_client):
    upload(beheerder_client, "inwoners", (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes())
    imp = laatste_import()
    Gegevensimport.objects.filter(pk=imp.pk).update(aangemaakt_op=imp.aangemaakt_op - timedelta(hours=25))
    antwoord = beheerder_client.post(reverse("beheer_import_bevestigen", args=[imp.pk]), follow=True)
    assert antwoord.status_code == 200
    assert "Dit voorbeeld is verlopen" in antwoord.content.decode()
    imp.refresh_from_db()
    assert imp.status == "verlopen" and imp.inhoud is None
    assert not Inwonertal.objects.filter(peiljaar=2024).exists()


def test_onbekende_import_geeft_404(beheerder_client):
    assert beheerder_client.get(reverse("beheer_import", args=[999_999])).status_code == 404
    assert beheerder_client.post(reverse("beheer_import_bevestigen", args=[999_999])).status_code == 404


def test_bevestigen_alleen_met_post(beheerder_client):
    upload(beheerder_client, "inwoners", (VOORBEELDEN / "inwoners_cbs_voorbeeld.csv").read_bytes())
    imp = laatste_import()
    assert beheerder_client.get(reverse("beheer_import_bevestigen", args=[imp.pk])).status_code == 405
    imp.refresh_from_db()
    assert imp.status == "voorbeeld"


# --- contactgemeente -------------------------------------------------------------------------------


def test_contactgemeente_instellen(beheerder_client):
    regio = Doorstroompuntregio.objects.get(nummer=5)
    assert regio.contactgemeente is None
    url = reverse("beheer_contactgemeente", kwargs={"nummer": 5})
    html = beheerder_client.get(url).content.decode()
    assert "Contactgemeente van regio 5. Zuid-West Friesland" in html
    assert "Súdwest-Fryslân" in html and "Leeuwarden" not in html  # only this region's gemeenten
    sudwest = Gemeente.objects.get(code="GM1900")
    antwoord = beheerder_client.post(url, {"contactgemeente": sudwest.pk})
    assert antwoord.status_code == 302 and antwoord.url == reverse("beheer_regios")
    regio.refresh_from_db()
    assert regio.contactgemeente == sudwest
    assert regio.contactgemeente_bron.startswith("beheerder: beheerder-test, ")
    from django.utils import timezone
    from django.utils.formats import date_format

    assert regio.contactgemeente_bron == f"beheerder: beheerder-test, {date_format(timezone.localdate(), 'j F Y')}"
    overzicht = beheerder_client.get(reverse("beheer_regios")).content.decode()
    assert "Súdwest-Fryslân" in overzicht


def test_contactgemeente_buiten_de_regio_wordt_geweigerd(beheerder_client):
    url = reverse("beheer_contactgemeente", kwargs={"nummer": 5})
    leeuwarden = Gemeente.objects.get(code="GM0080")  # region 4
    antwoord = beheerder_client.post(url, {"contactgemeente": leeuwarden.pk})
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "Kies een gemeente uit deze regio." in html and 'class="foutsamenvatting"' in html
    assert Doorstroompuntregio.objects.get(nummer=5).contactgemeente is None


def test_contactgemeente_onbekende_regio_404(beheerder_client):
    assert beheerder_client.get(reverse("beheer_contactgemeente", kwargs={"nummer": 41})).status_code == 404
