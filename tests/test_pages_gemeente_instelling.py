"""The gemeente page and the instelling page."""

import re

import pytest
from django.urls import reverse

from regio.models import Dataset, Gemeente, MboInstelling, StudentenPerInstelling, StudentenPerWoongemeente

pytestmark = pytest.mark.django_db

PEILJAAR = 2030


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def tabel(pagina, tabel_id):
    inhoud = re.search(rf'<table id="{tabel_id}">(.*?)</table>', pagina, re.S).group(1)
    rijen = []
    for rij in re.findall(r"<tr[^>]*>(.*?)</tr>", inhoud, re.S):
        rijen.append([re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S)])
    return rijen


def woon_dataset(status=Dataset.Status.SYNTHETISCH):
    dataset, _ = Dataset.objects.update_or_create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR, defaults={"status": status, "bron": "Testbron"}
    )
    return dataset


def rij(dataset, instelling, gemeente, aantal=0, onderdrukt=0, leerweg=""):
    return StudentenPerWoongemeente(
        dataset=dataset, peiljaar=PEILJAAR, instelling=MboInstelling.objects.get(naam=instelling),
        gemeente=Gemeente.objects.get(naam=gemeente), aantal=aantal, onderdrukt=onderdrukt, leerweg=leerweg,
    )


@pytest.fixture
def enschede(refdata):
    dataset = woon_dataset()
    StudentenPerWoongemeente.objects.bulk_create(
        [
            rij(dataset, "ROC van Twente", "Enschede", 100),
            rij(dataset, "ROC van Twente", "Enschede", 70, leerweg="BBL"),  # breakdown next to a total: ignored
            rij(dataset, "Deltion", "Enschede", onderdrukt=1),
            rij(dataset, "Graafschap college", "Enschede", 12),
            rij(dataset, "ROC van Twente", "Hengelo", 40),
        ]
    )
    grafisch = MboInstelling.objects.get(naam__startswith="Grafisch lyceum", regios__nummer=12)
    grafisch.vestigingsgemeente = Gemeente.objects.get(naam="Enschede")
    grafisch.save()
    return Gemeente.objects.get(code="GM0153")


def test_gemeentepagina(client, enschede, django_assert_num_queries):
    # gemeente met regio, inwonertal met dataset, gevestigde instellingen, woonrijen, datasets
    with django_assert_num_queries(5):
        pagina = html(client.get(reverse("gemeente_detail", args=["GM0153"])))
    assert "<h1>Gemeente Enschede</h1>" in pagina
    assert "<dt>Inwoners (2023)</dt><dd>161.235</dd>" in pagina
    assert "Inwoners per gemeente, peiljaar 2023." in pagina and "CBS Wijken en Buurten 2023" in pagina
    assert 'href="/regios/12/">Twente</a>' in pagina
    assert "Enschede is de <strong>contactgemeente</strong> van regio Twente." in pagina
    assert re.search(r'<li><a href="/instellingen/\d+/">Grafisch lyceum \(Twente\)</a></li>', pagina)
    assert tabel(pagina, "studie") == [
        ["Instelling", "Studenten"],
        ["ROC van Twente", "100"],
        ["Graafschap college", "12"],
        ["Deltion", "1–4"],
        ["Totaal", "113–116"],
    ]
    assert '<span class="label label--synthetisch">Demo-gegevens, synthetisch</span>' in pagina


def test_gemeente_die_geen_contactgemeente_is(client, enschede):
    pagina = html(client.get(reverse("gemeente_detail", args=["GM0164"])))  # Hengelo
    assert "<h1>Gemeente Hengelo</h1>" in pagina
    assert "Hengelo is niet de contactgemeente van de regio; dat is" in pagina
    assert "Er is geen mbo-instelling bekend die in Hengelo gevestigd is" in pagina
    assert tabel(pagina, "studie")[1:] == [["ROC van Twente", "40"], ["Totaal", "40"]]


def test_gemeente_zonder_aantallen(client, refdata):
    StudentenPerWoongemeente.objects.filter(gemeente__code="GM0014").delete()
    pagina = html(client.get(reverse("gemeente_detail", args=["GM0014"])))
    assert "Er zijn nog geen aantallen studenten per woongemeente geladen voor Groningen." in pagina
    assert "synthetisch" not in pagina.lower()


def test_onbekende_gemeente_404(client, refdata):
    assert client.get(reverse("gemeente_detail", args=["GM9999"])).status_code == 404
    assert client.get(reverse("gemeente_detail", args=["Enschede"])).status_code == 404
    assert client.get(reverse("gemeente_detail", args=["gm0153"])).status_code == 200


@pytest.fixture
def roc_midden_nederland(refdata):
    instelling = MboInstelling.objects.get(naam="ROC Midden Nederland")
    duo = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_INSTELLING, peiljaar=PEILJAAR, status=Dataset.Status.OFFICIEEL, bron="DUO test"
    )
    for leerweg, aantal, onderdrukt in (("BBL", 100, 0), ("BOLVT", 200, 0), ("BOLDT", 0, 1), ("EX", 0, 0)):
        StudentenPerInstelling.objects.create(
            dataset=duo, instelling=instelling, peiljaar=PEILJAAR, leerweg=leerweg, aantal=aantal, onderdrukt=onderdrukt
        )
    dataset = woon_dataset()
    StudentenPerWoongemeente.objects.bulk_create(
        [
            rij(dataset, "ROC Midden Nederland", "Amersfoort", 50),
            rij(dataset, "ROC Midden Nederland", "Utrecht", 70),
            rij(dataset, "ROC Midden Nederland", "Zeist", onderdrukt=1),
            rij(dataset, "ROC Midden Nederland", "Amsterdam", 5),
        ]
    )
    return instelling


def test_instellingspagina(client, roc_midden_nederland, django_assert_num_queries):
    url = reverse("instelling_detail", args=[roc_midden_nederland.pk])
    # instelling, aanwezigheden, studenten per jaar, woonrijen, datasets
    with django_assert_num_queries(5):
        pagina = html(client.get(url))
    assert "<h1>ROC Midden Nederland</h1>" in pagina
    assert pagina.count("nog niet bekend: laad het DUO-adressenbestand") == 2  # instellingscode, vestigingsgemeente
    aanwezig = tabel(pagina, "aanwezigheden")
    assert [r[0] for r in aanwezig[1:]] == ["16. Eem en Vallei", "19. Utrecht"]
    assert [r[1] for r in aanwezig[1:]] == ["ROC Midden Nederland", "ROC Midden NL"]
    assert all(r[2].startswith("Basisafspraken voor regionale samenwerking") for r in aanwezig[1:])
    jaren = tabel(pagina, "studenten-per-jaar")
    assert jaren[0] == ["Peiljaar", "Bbl", "Bol voltijd", "Bol deeltijd", "Examendeelnemer", "Totaal", "Bron"]
    assert jaren[1] == ["2030", "100", "200", "1–4", "0", "301–304", "Officieel som van de leerwegen"]
    assert jaren[2] == ["2024", "–", "–", "–", "–", "17.477", "Officieel"]
    assert tabel(pagina, "per-regio") == [
        ["Regio", "Studenten", "Aandeel"],
        ["Utrecht instelling aanwezig", "71–74", "56–57%"],
        ["Eem en Vallei instelling aanwezig", "50", "39–40%"],
        ["Agglomeratie Amsterdam", "5", "4%"],
        ["Totaal", "126–129", "100%"],
    ]
    assert [r[1] for r in tabel(pagina, "top-gemeenten")[1:]] == ["Utrecht", "Amersfoort", "Amsterdam", "Zeist"]
    assert '<span class="label label--synthetisch">Demo-gegevens, synthetisch</span>' in pagina


def test_instelling_zonder_woonaantallen(client, refdata):
    instelling = MboInstelling.objects.get(naam="Firda")
    StudentenPerWoongemeente.objects.filter(instelling=instelling).delete()
    pagina = html(client.get(reverse("instelling_detail", args=[instelling.pk])))
    assert "Er zijn nog geen aantallen studenten per woongemeente geladen voor Firda." in pagina
    assert tabel(pagina, "studenten-per-jaar")[1] == ["2024", "20.881", "Officieel"]


def test_onbekende_instelling_404(client, refdata):
    assert client.get(reverse("instelling_detail", args=[999_999])).status_code == 404
