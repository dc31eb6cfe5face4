"""The region page: its figures (the split a/b/c with suppressed parts), stand-ins, labels, chart, map, queries."""

import re
from fractions import Fraction
from math import floor

import pytest
from django.urls import reverse
from hypothesis import assume, given
from hypothesis import strategies as st

from regio import cijfers
from regio.aantallen import Aantal
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    MboInstelling,
    StudentenPerWoongemeente,
)

pytestmark = pytest.mark.django_db

PEILJAAR = 2030  # later than anything shipped, so these rows are "the latest peiljaar"


def woon_dataset(status=Dataset.Status.SYNTHETISCH, peiljaar=PEILJAAR):
    dataset, _ = Dataset.objects.update_or_create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE,
        peiljaar=peiljaar,
        defaults={"status": status, "bron": "Testbron woongemeenten"},
    )
    return dataset


def gm(naam):
    return Gemeente.objects.get(naam=naam)


def rij(dataset, instelling, gemeente, aantal=0, onderdrukt=0, leerweg="", niveau=""):
    return StudentenPerWoongemeente(
        dataset=dataset,
        peiljaar=dataset.peiljaar,
        instelling=instelling,
        gemeente=gm(gemeente) if isinstance(gemeente, str) else gemeente,
        aantal=aantal,
        onderdrukt=onderdrukt,
        leerweg=leerweg,
        niveau=niveau,
    )


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def tabelrij(pagina, tabel_id, deel):
    """The cells of the row data-deel=… in table #tabel_id, as plain text."""
    tabel = re.search(rf'<table id="{tabel_id}">(.*?)</table>', pagina, re.S).group(1)
    rij_html = re.search(rf'<tr data-deel="{deel}">(.*?)</tr>', tabel, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij_html, re.S)]


@pytest.fixture
def twente(refdata):
    """Region 12 with counts for its two instellingen, including suppressed parts and a leerweg breakdown."""
    dataset = woon_dataset()
    roc = MboInstelling.objects.get(naam="ROC van Twente")  # vestigingsgemeente unknown → contactgemeente Enschede
    grafisch = MboInstelling.objects.get(naam__startswith="Grafisch lyceum", regios__nummer=12)
    grafisch.vestigingsgemeente = gm("Hengelo")
    grafisch.save()
    StudentenPerWoongemeente.objects.bulk_create(
        [
            rij(dataset, roc, "Enschede", 100),
            # A breakdown next to the total row: only the total row counts.
            rij(dataset, roc, "Enschede", 60, leerweg="BBL"),
            rij(dataset, roc, "Enschede", 40, leerweg="BOLVT"),
            rij(dataset, roc, "Hengelo", 40),
            rij(dataset, roc, "Almelo", onderdrukt=1),
            rij(dataset, roc, "Zwolle", 5),
            rij(dataset, roc, "Deventer", onderdrukt=1),
            rij(dataset, roc, "Amsterdam", 7),
            rij(dataset, grafisch, "Hengelo", 30),
            rij(dataset, grafisch, "Enschede", 20),
            rij(dataset, grafisch, "Zwolle", onderdrukt=1),
        ]
    )
    return Doorstroompuntregio.objects.get(nummer=12)


def procent(deel, rest):
    """Independent of regio.cijfers: lowest and highest share in whole percent, rounded half up."""
    laag = Fraction(100 * deel.ondergrens, deel.ondergrens + rest.bovengrens)
    hoog = Fraction(100 * deel.bovengrens, deel.bovengrens + rest.ondergrens)
    laag, hoog = floor(laag + Fraction(1, 2)), floor(hoog + Fraction(1, 2))
    return f"{laag}%" if laag == hoog else f"{laag}–{hoog}%"


def test_verdeling_a_b_c_met_onderdrukte_delen(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    # (a) in the vestigingsgemeente: ROC van Twente in Enschede (stand-in) 100, Grafisch lyceum in Hengelo 30.
    a = Aantal(130, 0)
    # (b) elsewhere in Twente: ROC Hengelo 40 + Almelo 1–4; Grafisch lyceum Enschede 20.
    b = Aantal(60, 1)
    # (c) outside: ROC Zwolle 5, Deventer 1–4, Amsterdam 7; Grafisch lyceum Zwolle 1–4.
    c = Aantal(12, 2)
    assert tabelrij(pagina, "verdeling", "vestiging") == ["a. In de vestigingsgemeente", "130", "61–63%", "30%"]
    assert tabelrij(pagina, "verdeling", "regio") == ["b. Elders in de regio", "61–64", "29–31%", "40%"]
    assert tabelrij(pagina, "verdeling", "buiten") == ["c. Buiten de regio", "14–20", "7–9%", "30%"]
    assert tabelrij(pagina, "verdeling", "totaal") == ["Totaal", "205–214", "100%", "100%"]
    # The same percentages computed independently here.
    assert procent(a, b + c) == "61–63%"
    assert procent(b, a + c) == "29–31%"
    assert procent(c, a + b) == "7–9%"
    # Suppressed parts explained.
    assert "de bron noemt aantallen van 1 tot 4 niet" in pagina


def test_top_gemeenten_buiten_de_regio(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    tabel = re.search(r'<table id="top-buiten">(.*?)</table>', pagina, re.S).group(1)
    rijen = re.findall(r"<tr>\s*<td class=\"getal\">(\d+)</td>\s*<th scope=\"row\"><a [^>]*>([^<]+)</a></th>.*?"
                       r"<td class=\"getal\">([^<]+)</td>\s*</tr>", tabel, re.S)
    assert rijen == [("1", "Zwolle", "6–9"), ("2", "Amsterdam", "7"), ("3", "Deventer", "1–4")]


def test_vervanging_door_contactgemeente_wordt_gemeld(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    meldingen = re.findall(r"<p [^>]*data-vervanging>(.*?)</p>", pagina, re.S)
    # Grafisch lyceum has its own vestigingsgemeente (Hengelo): no stand-in announced for it.
    assert meldingen == [
        "De vestigingsgemeente van ROC van Twente is nog niet bekend (een beheerder laadt die met het "
        "DUO-adressenbestand). Voor (a) gebruiken we daarom de contactgemeente Enschede als vervanging."
    ]
    per_instelling = re.search(r'<table id="verdeling-per-instelling">(.*?)</table>', pagina, re.S).group(1)
    assert "Enschede (vervanging: contactgemeente)" in per_instelling


def test_vervangingen_in_een_melding(client, refdata):
    pagina = html(client.get(reverse("regio_detail", args=[16])))
    assert "data-vervanging" not in pagina  # no counts yet: nothing is computed, nothing stands in
    dataset = woon_dataset()
    StudentenPerWoongemeente.objects.bulk_create(
        [rij(dataset, i, "Amersfoort", 10) for i in MboInstelling.objects.filter(regios__nummer=16)]
    )
    pagina = html(client.get(reverse("regio_detail", args=[16])))
    meldingen = re.findall(r"<p [^>]*data-vervanging>(.*?)</p>", pagina, re.S)
    assert meldingen == [
        "De vestigingsgemeenten van Aeres, Hoornbeeck, MBO Amersfoort, ROC A12 en ROC Midden Nederland zijn nog "
        "niet bekend (een beheerder laadt die met het DUO-adressenbestand). Voor (a) gebruiken we daarom de "
        "contactgemeente Amersfoort als vervanging."
    ]


def test_vestigingsgemeente_buiten_de_regio_krijgt_ook_vervanging(client, twente):
    roc = MboInstelling.objects.get(naam="ROC van Twente")
    roc.vestigingsgemeente = gm("Zwolle")
    roc.save()
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    assert "De vestigingsgemeente van ROC van Twente, Zwolle, ligt buiten deze regio" in pagina
    # Zwolle students stay outside the region; Enschede (the contactgemeente) is (a): same split as before.
    assert tabelrij(pagina, "verdeling", "vestiging")[1] == "130"
    assert tabelrij(pagina, "verdeling", "buiten")[1] == "14–20"


def test_deel_a_niet_te_berekenen_zonder_vestigings_en_contactgemeente(client, refdata):
    regio = Doorstroompuntregio.objects.get(nummer=5)  # Zuid-West Friesland: no contactgemeente, no instelling
    assert regio.contactgemeente is None
    instelling = MboInstelling.objects.create(naam="Testcollege Sneek")
    InstellingInRegio.objects.create(instelling=instelling, regio=regio, bron="test")
    dataset = woon_dataset()
    StudentenPerWoongemeente.objects.bulk_create(
        [
            rij(dataset, instelling, "Súdwest-Fryslân", 50),
            rij(dataset, instelling, "De Fryske Marren", 30, onderdrukt=0),
            rij(dataset, instelling, "Leeuwarden", 20),
            rij(dataset, instelling, "Heerenveen", onderdrukt=1),
        ]
    )
    pagina = html(client.get(reverse("regio_detail", args=[5])))
    assert "data-niet-berekenbaar" in pagina
    assert "Deel (a), in de vestigingsgemeente, kan niet worden berekend" in pagina
    assert tabelrij(pagina, "verdeling", "in_regio") == [
        "a+b. In de regio (vestigingsgemeente en elders samen)", "80", "77–79%", "70%"
    ]
    assert tabelrij(pagina, "verdeling", "buiten") == ["c. Buiten de regio", "21–24", "21–23%", "30%"]
    assert procent(Aantal(80), Aantal(20, 1)) == "77–79%"
    assert 'data-deel="vestiging"' not in pagina


def test_geen_aantallen_geeft_vuistregel_als_schatting(client, refdata):
    StudentenPerWoongemeente.objects.filter(instelling__aanwezigheden__regio__nummer=3).delete()
    pagina = html(client.get(reverse("regio_detail", args=[3])))
    assert "data-geen-aantallen" in pagina
    assert "Er zijn nog geen aantallen studenten per woongemeente" in pagina
    # 30/40/30 of the 2024 totals of Alfa College, Menso Alting and Noorderpoort: 11.426 + 523 + 12.209 = 24.158.
    assert tabelrij(pagina, "schatting", "vestiging") == ["a. In de vestigingsgemeente", "30%", "schatting 7.247"]
    assert tabelrij(pagina, "schatting", "regio") == ["b. Elders in de regio", "40%", "schatting 9.664"]
    assert tabelrij(pagina, "schatting", "buiten") == ["c. Buiten de regio", "30%", "schatting 7.247"]
    assert 'class="grafiek"' in pagina and "Schatting volgens de vuistregel" in pagina
    assert "<table id=\"verdeling\">" not in pagina


def test_synthetische_gegevens_zichtbaar_gemarkeerd(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    assert '<span class="label label--synthetisch">Demo-gegevens, synthetisch</span>' in pagina
    assert "Let op: demo-gegevens, synthetisch." in pagina


def test_officiele_gegevens_niet_als_synthetisch_gemarkeerd(client, twente):
    Dataset.objects.filter(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR).update(
        status=Dataset.Status.OFFICIEEL
    )
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    assert "synthetisch" not in pagina.lower()
    assert '<span class="label label--officieel">Officieel</span>' in pagina


def test_grafiek_toegankelijk_met_tekstlabels(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    svg = re.search(r'<svg[^>]*class="grafiek".*?</svg>', pagina, re.S).group(0)
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title id=\"grafiek-titel\">Waar wonen de studenten van de instellingen in regio Twente" in svg
    # Labels in the bars, by the middle of each range: a 130/209.5 = 62%, b 62.5/209.5 = 30%, c 17/209.5 = 8%.
    for label in ("a: 62%", "b: 30%", "c: 8%", "a: 30%", "b: 40%", "c: 30%"):
        assert label in svg
    assert "Deze regio (2030)" in svg and "Vuistregel" in svg


def test_kaart_met_gemarkeerde_regio_en_bron(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    svg = re.search(r'<svg[^>]*class="landkaart".*?</svg>', pagina, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title id=\"kaart-titel\">Kaart van Nederland met regio Twente gemarkeerd</title>" in svg
    gemarkeerd = re.findall(r'<path class="landkaart__gemarkeerd" data-regio="(\d+)"[^>]*stroke-width="3"', svg)
    assert gemarkeerd == ["12"]
    assert len(re.findall(r"<path data-regio=", svg)) == 39  # the other regions
    assert "Bron: CBS, PDOK" in svg
    assert "<figcaption>" in pagina and "Bron: CBS, PDOK.</figcaption>" in pagina


def test_gemeenten_en_instellingen_van_de_regio(client, twente):
    pagina = html(client.get(reverse("regio_detail", args=[12])))
    gemeenten = re.search(r'<table id="gemeenten">(.*?)</table>', pagina, re.S).group(1)
    assert gemeenten.count('<th scope="row"><a href="/gemeenten/') == 14
    assert re.search(r"Enschede</a> <span class=\"label label--contact\">contactgemeente</span></th>\s*"
                     r"<td class=\"getal\">161\.235</td>\s*<td class=\"getal\">2023</td>\s*"
                     r"<td class=\"getal\">120</td>", gemeenten)
    instellingen = re.search(r'<table id="instellingen">(.*?)</table>', pagina, re.S).group(1)
    assert "17.815" in instellingen and "2.390" in instellingen
    assert "20.205" in instellingen  # the total of the two
    assert "CBS Wijken en Buurten 2023" in pagina  # source of the inwoners
    assert "peiljaar 2023" in pagina


def test_gedeelde_instelling_op_de_regiopagina(client, refdata):
    pagina = html(client.get(reverse("regio_detail", args=[16])))
    assert "ROC Midden Nederland is ook aanwezig in Utrecht" in pagina


def test_onbekende_regio_404(client, refdata):
    assert client.get(reverse("regio_detail", args=[41])).status_code == 404
    assert client.get(reverse("regio_detail", args=[0])).status_code == 404


def test_aantal_queries_gelijk_voor_kleine_en_grote_regio(client, refdata, django_assert_num_queries):
    dataset = woon_dataset()
    klein = Doorstroompuntregio.objects.get(nummer=2)  # 2 gemeenten
    groot = Doorstroompuntregio.objects.get(nummer=37)  # 21 gemeenten
    assert klein.gemeenten.count() == 2 and groot.gemeenten.count() == 21
    instelling = MboInstelling.objects.create(naam="Testcollege Eemsdelta")
    InstellingInRegio.objects.create(instelling=instelling, regio=klein, bron="test")
    rijen = [rij(dataset, instelling, g, 10) for g in klein.gemeenten.all()]
    rijen.append(rij(dataset, instelling, Gemeente.objects.filter(regio__nummer=36).first(), 1))  # one lives outside
    for naam in ("Summa", "Ter AA"):
        i = MboInstelling.objects.get(naam=naam)
        rijen += [rij(dataset, i, g, 3, onderdrukt=1) for g in groot.gemeenten.all()]
        rijen += [rij(dataset, i, g, 2) for g in Gemeente.objects.filter(regio__nummer=36)]
    StudentenPerWoongemeente.objects.bulk_create(rijen)
    # The first request of each region computes the students' sums and keeps them (regio.cijfers).
    for nummer in (2, 37):
        client.get(reverse("regio_detail", args=[nummer]))
    # regio, gemeenten, aanwezigheden, studenten per instelling, the students' stand, the kept sums, the names of
    # the gemeenten outside the region where students live, datasets, indeling voor de kaart
    with django_assert_num_queries(9):
        assert client.get(reverse("regio_detail", args=[2])).status_code == 200
    with django_assert_num_queries(9):
        pagina = html(client.get(reverse("regio_detail", args=[37])))
    assert tabelrij(pagina, "verdeling", "totaal")[1] == str(Aantal(2 * 21 * 3 + 2 * 2 * 11, 2 * 21))


def test_aantal_queries_zonder_aantallen(client, refdata, django_assert_num_queries):
    StudentenPerWoongemeente.objects.filter(instelling__aanwezigheden__regio__nummer=37).delete()
    client.get(reverse("regio_detail", args=[37]))
    with django_assert_num_queries(8):  # as above, less the names of gemeenten outside where students live
        assert client.get(reverse("regio_detail", args=[37])).status_code == 200


def test_regiopagina_en_lijst_tonen_een_wijziging_meteen(client, twente):
    """An edit of a name (one UPDATE, no model signal) shows on the next request; so do new student counts,
    written as a load writes them: with a save of their dataset (regio.cijfers.studentenstand)."""
    for adres in (reverse("regio_lijst"), reverse("regio_detail", args=[12])):
        assert "Enschede" in html(client.get(adres))
    Gemeente.objects.filter(naam="Enschede").update(naam="Enschede (hernoemd)")
    StudentenPerWoongemeente.objects.filter(gemeente__naam="Enschede (hernoemd)").update(aantal=1234)
    woon_dataset().save()
    for adres in (reverse("regio_lijst"), reverse("regio_detail", args=[12])):
        assert "Enschede (hernoemd)" in html(client.get(adres))
    assert "1.234" in html(client.get(reverse("regio_detail", args=[12])))


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=-10**9, max_value=10**9))
def test_procent_in_gehele_getallen_rondt_als_de_breuk(teller, noemer):
    """Shares are computed in integers (some 500 on the flows page); the rounding is the Fraction's, half up."""
    assume(noemer != 0)
    assert cijfers._procent(teller, noemer) == floor(Fraction(100 * teller, noemer) + Fraction(1, 2))
