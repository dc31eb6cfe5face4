"""Home, the list of regions and the sources page; and the structure every public page shares."""

import re
from datetime import datetime
from datetime import timezone as dt_timezone
from itertools import pairwise

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models import Sum
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from regio import cijfers
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    MboInstelling,
    StudentenPerInstelling,
    StudentenPerWoongemeente,
)
from tests.factories import GebruikerFactory

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def regio_rij(pagina, nummer):
    tabel = re.search(r'<table class="regio-tabel">(.*?)</table>', pagina, re.S).group(1)
    tbody = re.search(r"<tbody>(.*?)</tbody>", tabel, re.S).group(1)
    for rij in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
        cellen = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S)]
        if cellen[0] == str(nummer):
            return cellen
    raise AssertionError(f"regio {nummer} niet gevonden")


# --- home ---------------------------------------------------------------------------------------


def test_dagen_tot_deadline_in_nederlandse_tijd():
    # 23:30 UTC on 30 December is already 31 December in Amsterdam.
    assert cijfers.dagen_tot_deadline(datetime(2026, 12, 30, 23, 30, tzinfo=dt_timezone.utc)) == 0
    assert cijfers.dagen_tot_deadline(datetime(2026, 12, 30, 22, 59, tzinfo=dt_timezone.utc)) == 1
    assert cijfers.dagen_tot_deadline(datetime(2025, 12, 31, 12, 0, tzinfo=dt_timezone.utc)) == 365
    assert cijfers.dagen_tot_deadline(datetime(2027, 1, 2, 12, 0, tzinfo=dt_timezone.utc)) == -2


def test_home_voor_anonieme_bezoeker(client, refdata, django_assert_num_queries):
    with django_assert_num_queries(0):
        pagina = html(client.get(reverse("home")))
    assert "basisafspraak 12" in pagina
    assert "Deadline: 31 december 2026" in pagina
    dagen = (cijfers.DEADLINE - timezone.localdate()).days
    if dagen > 1:
        assert f"Nog <strong>{dagen:,} dagen</strong>".replace(",", ".") in pagina
    for naam in ("regio_lijst", "bronnen", "inloggen"):
        assert f'href="{reverse(naam)}"' in pagina
    assert reverse("beheer_gegevens") not in pagina
    for rol in ("Beleidsmaker", "Bestuurder", "Beheerder", "Iedereen"):
        assert f"<h3>{rol}</h3>" in pagina


def test_home_volgt_het_aftellen(client, db, monkeypatch):
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 10)
    assert "Nog <strong>10 dagen</strong>" in html(client.get(reverse("home")))
    monkeypatch.setattr(cijfers, "dagen_tot_deadline", lambda nu=None: 9)
    assert "Nog <strong>9 dagen</strong>" in html(client.get(reverse("home")))


def test_openbare_pagina_voor_wie_ingelogd_is_met_een_melding_en_als_head(client, refdata):
    """A signed-in user sees their name and menu; a message is for its visitor only; HEAD answers without a body."""
    ingelogd = Client()
    ingelogd.force_login(GebruikerFactory(first_name="Ingelogde", last_name="Beleidsmaker"))
    pagina = html(ingelogd.get(reverse("regio_lijst")))
    assert "Ingelogde Beleidsmaker" in pagina and "Uitloggen" in pagina

    met_melding = Client()
    opslag = CookieStorage(RequestFactory().get("/"))
    opslag.add(messages.INFO, "Een melding voor deze bezoeker.")
    antwoord = HttpResponse()
    opslag.update(antwoord)
    met_melding.cookies[opslag.cookie_name] = antwoord.cookies[opslag.cookie_name].value
    assert "Een melding voor deze bezoeker." in html(met_melding.get(reverse("regio_lijst")))
    assert "Een melding voor deze bezoeker." not in html(client.get(reverse("regio_lijst")))

    antwoord = client.head(reverse("regio_detail", args=[12]))
    assert antwoord.status_code == 200 and antwoord.content == b""


def test_home_voor_beheerder_linkt_naar_gegevens_laden(beheerder_client):
    pagina = html(beheerder_client.get(reverse("home")))
    assert f'<a href="{reverse("beheer_gegevens")}">Naar gegevens laden</a>' in pagina


# --- regions ------------------------------------------------------------------------------------


def test_regiolijst_alle_veertig_met_cijfers(client, refdata):
    pagina = html(client.get(reverse("regio_lijst")))
    assert pagina.count('<th scope="row"><a href="/regios/') == 40
    assert regio_rij(pagina, 12) == ["12", "Twente", "Enschede", "14", "2", "638.897", "20.205"]
    assert regio_rij(pagina, 5) == [
        "5", "Zuid-West Friesland", "contactgemeente onbekend", "2", "0", "142.875", "–geen instelling"
    ]
    assert pagina.count("contactgemeente onbekend") == 10
    # ROC Midden Nederland (Eem en Vallei and Utrecht) counts fully in both regions, marked with a footnote:
    # 4.452 + 7.791 + 7.666 + 5.562 + 17.477 and 4.788 + 1.713 + 17.477 + 2.015 + 7.942.
    assert regio_rij(pagina, 16)[6] == "42.948*"
    assert regio_rij(pagina, 19)[6] == "33.935*"


def test_regiolijst_landelijk_totaal_telt_gedeelde_instelling_een_keer(client, refdata):
    pagina = html(client.get(reverse("regio_lijst")))
    landelijk = StudentenPerInstelling.objects.filter(peiljaar=2024, leerweg="TOTAAL").aggregate(s=Sum("aantal"))["s"]
    assert landelijk == 476_886
    roc_mn = StudentenPerInstelling.objects.get(instelling__naam="ROC Midden Nederland", peiljaar=2024).aantal
    assert roc_mn == 17_477
    tfoot = re.search(r"<tfoot>(.*?)</tfoot>", pagina, re.S).group(1)
    cellen = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tfoot, re.S)]
    assert cellen == ["", "Nederland", "", "342", "54*", "17.811.291", "476.886*"]
    # The column sum is larger by ROC Midden Nederland's total; the page says so.
    assert "kleiner dan de optelsom van de regio's, 494.363" in pagina
    assert 476_886 + 17_477 == 494_363
    assert re.search(
        r"ROC Midden Nederland: <a [^>]*>Eem en Vallei</a> en <a [^>]*>Utrecht</a> \(17\.477 studenten\)", pagina
    )


def test_regiolijst_laatste_peiljaar_leerwegen_en_onderdrukte_delen(client, refdata):
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_INSTELLING, peiljaar=2030, status=Dataset.Status.OFFICIEEL, bron="DUO test"
    )
    roc = MboInstelling.objects.get(naam="ROC van Twente")
    for leerweg, aantal, onderdrukt in (("BBL", 100, 0), ("BOLVT", 0, 1), ("BOLDT", 7, 0)):
        StudentenPerInstelling.objects.create(
            dataset=dataset, instelling=roc, peiljaar=2030, leerweg=leerweg, aantal=aantal, onderdrukt=onderdrukt
        )
    pagina = html(client.get(reverse("regio_lijst")))
    # 2030 is now the latest year: Twente has figures for one of its two instellingen only.
    assert regio_rij(pagina, 12)[6] == "108–111 (1 zonder cijfers)"
    assert regio_rij(pagina, 3)[6] == "geen cijfers"
    assert "studenten van hun instellingen (2030)" in pagina


def test_regiolijst_queries_groeien_niet_met_het_aantal_regios(client, refdata, django_assert_num_queries):
    # peiljaar inwoners, regio's met tellingen, aanwezigheden, studenten, datasets
    with django_assert_num_queries(5):
        html(client.get(reverse("regio_lijst")))
    dataset = Dataset.objects.get(soort=Dataset.Soort.INWONERS, peiljaar=2023)
    for nummer in (41, 42, 43):
        regio = Doorstroompuntregio.objects.create(nummer=nummer, naam=f"Testregio {nummer}")
        gemeente = Gemeente.objects.create(code=f"GM99{nummer}", naam=f"Testgemeente {nummer}", regio=regio)
        Inwonertal.objects.create(dataset=dataset, gemeente=gemeente, peiljaar=2023, aantal=1000)
        instelling = MboInstelling.objects.create(naam=f"Testcollege {nummer}")
        InstellingInRegio.objects.create(instelling=instelling, regio=regio)
    with django_assert_num_queries(5):
        pagina = html(client.get(reverse("regio_lijst")))
    assert pagina.count('<th scope="row"><a href="/regios/') == 43
    assert regio_rij(pagina, 42) == [
        "42", "Testregio 42", "contactgemeente onbekend", "1", "1", "1.000", "geen cijfers"
    ]


# --- sources ------------------------------------------------------------------------------------


def test_bronnen_toont_elke_dataset_met_status(client, refdata, django_assert_num_queries):
    Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030, status=Dataset.Status.SYNTHETISCH,
        bron="Demo-generator", toelichting="Verzonnen verdeling",
    )
    with django_assert_num_queries(1):
        pagina = html(client.get(reverse("bronnen")))
    tbody = re.search(r'<table id="datasets">.*?<tbody>(.*?)</tbody>', pagina, re.S).group(1)
    assert tbody.count("<tr id=\"dataset-") == Dataset.objects.count()
    assert '<span class="label label--synthetisch">Demo-gegevens, synthetisch</span>' in tbody
    assert '<span class="label label--gereconstrueerd">Gereconstrueerd (niet officieel)</span>' in tbody
    assert '<span class="label label--officieel">Officieel</span>' in tbody
    assert "Verzonnen verdeling" in tbody and "CC BY 4.0 (Bron: CBS, PDOK)" in tbody
    assert "<td class=\"getal\">2030</td>" in tbody  # a year, not 2.030
    for uitleg in (
        "Overgenomen uit een officiële bron", "Samengesteld uit openbare stukken", "Verzonnen voor de demonstratie"
    ):
        assert uitleg in pagina
    assert "Bron: CBS, PDOK." in pagina


# --- every page ---------------------------------------------------------------------------------

PAGINAS = [
    ("home", []),
    ("regio_lijst", []),
    ("regio_detail", [12]),
    ("regio_detail", [5]),
    ("gemeente_detail", ["GM0153"]),
    ("instelling_detail", None),
    ("bronnen", []),
]


@pytest.mark.parametrize("naam,args", PAGINAS)
def test_elke_pagina_toegankelijke_structuur(client, refdata, naam, args):
    if args is None:
        args = [MboInstelling.objects.get(naam="ROC Midden Nederland").pk]
    # With counts per woongemeente, so the split, its chart and tables are on the pages too.
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2030, status=Dataset.Status.SYNTHETISCH, bron="test"
    )
    for instelling in ("ROC van Twente", "ROC Midden Nederland"):
        for gemeente, aantal in (("GM0153", 10), ("GM0307", 5), ("GM0344", 0)):
            StudentenPerWoongemeente.objects.create(
                dataset=dataset, peiljaar=2030, instelling=MboInstelling.objects.get(naam=instelling),
                gemeente=Gemeente.objects.get(code=gemeente), aantal=aantal, onderdrukt=0 if aantal else 1,
            )
    pagina = html(client.get(reverse(naam, args=args)))
    assert pagina.count("<h1") == 1
    niveaus = [int(n) for n in re.findall(r"<h([1-6])[ >]", pagina)]
    assert niveaus[0] == 1
    for vorige, huidige in pairwise(niveaus):
        assert huidige <= vorige + 1, f"kopniveau springt van h{vorige} naar h{huidige}"
    assert '<nav class="kruimelpad" aria-label="Kruimelpad">' in pagina
    assert '<span aria-current="page">' in pagina
    ids = re.findall(r'\sid="([^"]+)"', pagina)
    assert len(ids) == len(set(ids)), "dubbele id's"
    assert pagina.count("<table") == pagina.count("<caption")
    assert not re.search(r"<th(?![^>]*scope=)[ >]", pagina), "elke th heeft een scope"
    assert not re.search(r"(?<![\d.])2\.0(2\d|30)(?![\d.])", pagina), "a year written as 2.024"
