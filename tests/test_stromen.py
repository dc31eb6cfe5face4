"""Student flows between regions (/monitor/stromen/): figures from a small hand-built dataset, computed by
hand here; instellingen present in two regions; suppressed counts as ranges; flags; queries; the export."""

import csv
import html as htmlmodule
import io
import re
import xml.dom.minidom
from fractions import Fraction
from math import floor

import pytest
from django.urls import reverse

from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    MboInstelling,
    StudentenPerWoongemeente,
)
from tests.pagina_helpers import zonder_tokens

pytestmark = pytest.mark.django_db

PEILJAAR = 2030


def procent(deel, rest):
    """Independent of regio.cijfers: (bekend, onderdrukt) pairs → "31%" or "30–32%", rounded half up."""
    d_laag, d_hoog = deel[0] + deel[1], deel[0] + 4 * deel[1]
    r_laag, r_hoog = rest[0] + rest[1], rest[0] + 4 * rest[1]
    laag = floor(Fraction(100 * d_laag, d_laag + r_hoog) + Fraction(1, 2))
    hoog = floor(Fraction(100 * d_hoog, d_hoog + r_laag) + Fraction(1, 2))
    return f"{laag}%" if laag == hoog else f"{laag}–{hoog}%"


def regio(nummer):
    return Doorstroompuntregio.objects.get(nummer=nummer)


def gemeente(nummer, index=0):
    return Gemeente.objects.filter(regio__nummer=nummer).order_by("naam")[index]


def instelling(naam, *regios):
    i = MboInstelling.objects.create(naam=naam)
    for nummer in regios:
        InstellingInRegio.objects.create(instelling=i, regio=regio(nummer), bron="test")
    return i


def rij(dataset, instelling, gemeente, aantal=0, onderdrukt=0, leerweg="", niveau=""):
    return StudentenPerWoongemeente(
        dataset=dataset, peiljaar=dataset.peiljaar, instelling=instelling, gemeente=gemeente,
        aantal=aantal, onderdrukt=onderdrukt, leerweg=leerweg, niveau=niveau,
    )


@pytest.fixture
def gegevens(refdata):
    """Four test instellingen plus one present in no region (test figures, not DUO's):

    A "Testcollege Twente" (region 12): 12: 100 (total row; a breakdown 60 + 40 next to it is not counted
      again), 5: 30, 13: 12 + one suppressed.
    B "Testcollege Midden" (regions 16 and 19): 16: 200, 19: 150 (both its own), 20: 40, 5: suppressed, 4: 100.
    C "Testcollege Friesland" (region 4): 4: 80, 5: 25, 6: 10, 12: 3.
    D "Testcollege Achterhoek" (region 13), breakdown rows only: 13: 10 + 5, 12: suppressed.
    E "Testcollege zonder regio": 12: 9 — cannot be placed, left out.
    An older peiljaar (2029) with 1000 students of A in region 20 must be ignored.
    """
    dataset = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR, status=Dataset.Status.SYNTHETISCH,
        bron="Testbron stromen",
    )
    oud = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR - 1, status=Dataset.Status.OFFICIEEL,
        bron="Oude testbron",
    )
    a = instelling("Testcollege Twente", 12)
    b = instelling("Testcollege Midden", 16, 19)
    c = instelling("Testcollege Friesland", 4)
    d = instelling("Testcollege Achterhoek", 13)
    e = instelling("Testcollege zonder regio")
    StudentenPerWoongemeente.objects.bulk_create(
        [
            rij(dataset, a, gemeente(12), 100),
            rij(dataset, a, gemeente(12), 60, leerweg="BBL"),
            rij(dataset, a, gemeente(12), 40, leerweg="BOLVT"),
            rij(dataset, a, gemeente(5), 30),
            rij(dataset, a, gemeente(13, 0), 12),
            rij(dataset, a, gemeente(13, 1), onderdrukt=1),
            rij(dataset, b, gemeente(16), 200),
            rij(dataset, b, gemeente(19), 150),
            rij(dataset, b, gemeente(20), 40),
            rij(dataset, b, gemeente(5, 1), onderdrukt=1),
            rij(dataset, b, gemeente(4, 1), 100),
            rij(dataset, c, gemeente(4), 80),
            rij(dataset, c, gemeente(5), 25),
            rij(dataset, c, gemeente(6), 10),
            rij(dataset, c, gemeente(12, 1), 3),
            rij(dataset, d, gemeente(13), 10, leerweg="BBL"),
            rij(dataset, d, gemeente(13), 5, leerweg="BOLVT"),
            rij(dataset, d, gemeente(12), onderdrukt=1, leerweg="BBL"),
            rij(dataset, e, gemeente(12), 9),
            rij(oud, a, gemeente(20), 1000),
        ]
    )
    return dataset


def pagina(client):
    response = client.get(reverse("monitor_stromen"))
    assert response.status_code == 200
    return response.content.decode()


def tekst(html):
    return htmlmodule.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))).strip()


def cellen(html, attribuut, waarde):
    rij_html = re.search(rf'<tr {attribuut}="{waarde}">(.*?)</tr>', html, re.S).group(1)
    return [tekst(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij_html, re.S)]


def tabel(html, tabel_id):
    inhoud = re.search(rf'<table id="{tabel_id}">(.*?)</table>', html, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", inhoud, re.S).group(1)
    return [
        [tekst(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_grootste_stromen_tussen_regios(client, gegevens):
    html = pagina(client)
    midden = f"{regio(16).naam} / {regio(19).naam}"
    # By hand: (woonregio, regio's van de instelling, aantal). B's students in 16 and 19 are no flow.
    assert tabel(html, "stromen") == [
        ["1", regio(4).naam, midden, "100"],
        ["2", regio(20).naam, midden, "40"],
        ["3", regio(5).naam, regio(12).naam, "30"],
        ["4", regio(5).naam, regio(4).naam, "25"],
        ["5", regio(13).naam, regio(12).naam, "13–16"],  # 12 and one suppressed
        ["6", regio(6).naam, regio(4).naam, "10"],
        ["7", regio(12).naam, regio(4).naam, "3"],
        # Two single suppressed flows: same range, then by name (Twente before Zuid-West Friesland).
        ["8", regio(12).naam, regio(13).naam, "1–4"],
        ["9", regio(5).naam, midden, "1–4"],
    ]
    # All students with a placed instelling: A 142+1, B 490+1, C 118, D 15+1; flows 220 + 3 suppressed.
    assert "telt de bron 768–777 studenten" in tekst(html)
    assert f"223–232 van hen ({procent((220, 3), (545, 0))})" in tekst(html)
    # E's 9 students cannot be placed and are said to be left out.
    assert re.search(r"data-zonder-regio-instelling>\s*9 studenten", html)
    assert "1000" not in tekst(html) and "1.000" not in tekst(html)  # the older peiljaar is ignored
    assert "Peiljaar 2030" in html


def test_studenten_van_de_instellingen_per_regio(client, gegevens):
    html = pagina(client)
    # Twente: A only (ROC van Twente and Grafisch lyceum have no counts); 42 + 1 suppressed elsewhere.
    zonder = InstellingInRegio.objects.filter(regio__nummer=12).count() - 1
    assert cellen(html, "data-instellingsregio", 12) == [
        "12", regio(12).naam, f"1 ({zonder} zonder cijfers)", "143–146", "43–46",
        procent((42, 1), (100, 0)), f"{regio(5).naam} (30, {procent((30, 0), (112, 1))})",
    ]
    # Eem en Vallei and Utrecht: B counts fully in each; its students in 19 do not live "elsewhere" for 16.
    for nummer in (16, 19):
        rij = cellen(html, "data-instellingsregio", nummer)
        assert rij[3:6] == ["491–494", "141–144", procent((140, 1), (350, 0))]
        assert rij[6].startswith(f"{regio(4).naam} (100, ")
        assert "*" in rij[1]  # footnote: instellingen in more than one region
    assert cellen(html, "data-instellingsregio", 4)[3:6] == ["118", "38", procent((38, 0), (80, 0))]
    # D has only breakdown rows: their sum counts.
    assert cellen(html, "data-instellingsregio", 13)[3:5] == ["16–19", "1–4"]
    # A region without instelling has no row here.
    assert 'data-instellingsregio="5"' not in html


def test_regios_zonder_instelling_en_waar_hun_inwoners_studeren(client, gegevens):
    html = pagina(client)
    midden = f"{regio(16).naam} / {regio(19).naam}"
    rij = cellen(html, "data-zonder-instelling", 5)
    assert rij[:2] == [regio(5).naam, "56–59"]
    # Largest first: Twente 30, Friesland Noord 25, Eem en Vallei / Utrecht 1–4; shares of 55 + 1 suppressed.
    cel = re.search(r'<tr data-zonder-instelling="5">(.*?)</tr>', html, re.S).group(1)
    assert [tekst(li) for li in re.findall(r"<li>(.*?)</li>", cel, re.S)] == [
        f"{regio(12).naam}: 30 ({procent((30, 0), (25, 1))})",
        f"{regio(4).naam}: 25 ({procent((25, 0), (30, 1))})",
        f"{midden}: 1–4 ({procent((0, 1), (55, 0))})",
    ]
    assert cellen(html, "data-zonder-instelling", 20)[1:] == ["40", f"{midden}: 40 (100%)"]
    assert cellen(html, "data-zonder-instelling", 8)[1:] == ["0", "geen studenten uit deze regio in de gegevens"]
    # Every region without instelling is listed.
    zonder = Doorstroompuntregio.objects.exclude(aanwezigheden__isnull=False).count()
    assert len(re.findall(r"data-zonder-instelling=", html)) == zonder


def test_signalering_van_regios_die_elders_studeren(client, gegevens):
    html = pagina(client)
    signalen = re.search(r"<ul class=\"stromen-signalen\" data-signalen>(.*?)</ul>", html, re.S).group(1)
    # Certainly more than half elsewhere: 4 (100 elsewhere vs 80 own), 5, 6 and 20 (no instelling).
    assert re.findall(r'data-signaal="(\d+)"', signalen) == ["4", "5", "6", "20"]
    friesland = re.search(r'<li data-signaal="4">(.*?)</li>', signalen, re.S).group(1)
    assert "hierover zijn afspraken tussen contactgemeenten nodig" in friesland
    # Links to both regions: the flagged one and (here two) where most of its students study.
    for nummer in (4, 16, 19):
        assert f'href="{reverse("regio_detail", args=[nummer])}"' in friesland
    assert f"100 van de 180 studenten die hier wonen ({procent((100, 0), (80, 0))})" in tekst(friesland)
    assert "contactgemeente Friesland Noord: Leeuwarden" in tekst(friesland)
    # Region 13: 12 + 1–4 elsewhere against 15 own: perhaps more than half, not certainly.
    mogelijk = re.search(r"<p data-mogelijk>(.*?)</p>", html, re.S).group(1)
    assert regio(13).naam in mogelijk and regio(12).naam not in mogelijk
    assert 'data-signaal="13"' not in html
    assert cellen(html, "data-woonregio", 13)[2:6] == ["28–31", "15", "13–16", procent((12, 1), (15, 0))]
    assert cellen(html, "data-woonregio", 13)[7] == "Misschien meer dan de helft elders"
    # Twente: 100 own, 3 + 1–4 elsewhere (E's 9 left out): no flag.
    assert cellen(html, "data-woonregio", 12)[2:5] == ["104–107", "100", "4–7"]
    assert cellen(html, "data-woonregio", 12)[7] == "–"


def test_grafiek_met_tekstalternatief_en_zonder_stijlattributen(client, gegevens):
    html = pagina(client)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    xml.dom.minidom.parseString(svg)  # well-formed
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg and "<script" not in html.split("</head>")[1]
    # One bar per row of the table, labelled with the count as text; a range has a dashed box.
    assert svg.count("→") == 9
    assert ">13–16</text>" in svg and ">100</text>" in svg
    assert svg.count('stroke-dasharray="4 2"') == 3
    # The data are synthetic and the sources are cited.
    assert "Demo-gegevens, synthetisch" in html
    assert "Testbron stromen" in html
    assert "Indeling gemeente → doorstroompuntregio" in html


def test_geen_woongemeentegegevens(client, refdata, django_assert_num_queries):
    pagina(client)
    # the five of the flows, the (empty) sums kept
    with django_assert_num_queries(5):
        html = pagina(client)
    assert "data-geen-gegevens" in html
    assert "Er zijn nog geen aantallen studenten per woongemeente geladen" in html
    assert "<svg" not in html


def test_vast_aantal_queries(client, gegevens, django_assert_num_queries):
    # Computed: regions, aanwezigheden, the students' stand, the kept sums (none), the sums, the stand again,
    # keeping them (Django's database cache, in a savepoint: the count, the key, the row), datasets.
    with django_assert_num_queries(12):
        pagina(client)
    # Kept: regions, aanwezigheden, stand, the kept sums, datasets.
    with django_assert_num_queries(5):
        pagina(client)
    # Ten times as many rows and instellingen, written with their dataset as a load does: the same counts.
    extra = []
    for n in range(10):
        i = instelling(f"Extra college {n}", (n % 40) + 1, ((n + 7) % 40) + 1)
        extra += [rij(gegevens, i, g, n + 1) for g in Gemeente.objects.order_by("pk")[n * 20:(n + 1) * 20]]
    StudentenPerWoongemeente.objects.bulk_create(extra)
    gegevens.save()
    with django_assert_num_queries(12):
        assert "Extra college 9" in pagina(client)
    with django_assert_num_queries(5):
        pagina(client)


def test_export_van_alle_stromen(client, gegevens):
    response = client.get(reverse("monitor_stromen_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="studentenstromen-2030.csv"'
    inhoud = response.content.decode("utf-8")
    assert inhoud.startswith("\ufeff")
    rijen = list(csv.reader(io.StringIO(inhoud[1:]), delimiter=";"))
    assert rijen[0][:7] == [
        "Woonregio (nummer)", "Woonregio", "Regio('s) van de instelling (nummer)", "Regio('s) van de instelling",
        "Peiljaar", "Studenten, minimaal", "Studenten, maximaal",
    ]
    assert len(rijen) == 1 + 9
    assert rijen[1][:7] == ["4", regio(4).naam, "16, 19", f"{regio(16).naam} / {regio(19).naam}", "2030", "100", "100"]
    assert rijen[5][:7] == ["13", regio(13).naam, "12", regio(12).naam, "2030", "13", "16"]
    assert "demo-gegevens, synthetisch" in rijen[1][7]
    assert client.get(reverse("monitor_stromen_export", args=["pdf"])).status_code == 404
    page = pagina(client)
    assert "Download als CSV" in page and reverse("monitor_stromen_export", args=["xlsx"]) in page


# --- what changes shows on the next request ---------------------------------------------------------


def test_nieuwe_gegevens_geven_meteen_een_nieuwe_pagina(client, gegevens):
    """A load (rows replaced), an edit of a region in the admin, a new presence: each shows on the next request."""
    twente = regio(12)
    voor = pagina(client)
    assert f">{twente.naam}</a>" in voor and "Hernoemd Twente" not in voor

    # An edit in place (as the admin does it): no row added or removed anywhere.
    Doorstroompuntregio.objects.filter(pk=twente.pk).update(naam="Hernoemd Twente")
    na_hernoemen = pagina(client)
    assert ">Hernoemd Twente</a>" in na_hernoemen

    # A load replaces the rows of the peiljaar (other numbers, same number of rows) and saves its dataset.
    StudentenPerWoongemeente.objects.filter(peiljaar=PEILJAAR, aantal=100).update(aantal=7000)
    gegevens.save()
    na_laden = pagina(client)
    assert zonder_tokens(na_laden) != zonder_tokens(na_hernoemen)

    # An instelling present in one more region.
    InstellingInRegio.objects.create(
        instelling=MboInstelling.objects.get(naam="Testcollege Friesland"), regio=regio(5), bron="test"
    )
    na_aanwezigheid = pagina(client)
    assert zonder_tokens(na_aanwezigheid) != zonder_tokens(na_laden)


def test_links_naar_de_regios(client, gegevens):
    html = pagina(client)
    for nummer in (4, 5, 12, 13, 16, 19, 20):
        assert f'href="{reverse("regio_detail", args=[nummer])}"' in html, nummer
    assert "987654321" not in html
