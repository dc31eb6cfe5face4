"""The server-drawn map: one path per region, the dissolve of gemeenten into regions, size and caching."""

import re

import pytest

from regio import kaart
from regio.models import Doorstroompuntregio, Gemeente

pytestmark = pytest.mark.django_db


def paden(svg):
    return re.findall(r'<path ([^>]*)d="([^"]*)"', svg)


def punten(d):
    """All relative steps of a path, as (dx, dy) pairs."""
    stappen = []
    for stuk in re.findall(r"l([^Mz]*)", d):
        getallen = [float(g) for g in re.findall(r"-?\d+(?:\.\d+)?", stuk)]
        assert len(getallen) % 2 == 0
        stappen.extend(zip(getallen[::2], getallen[1::2], strict=True))
    return stappen


def test_kaart_met_gemarkeerde_regio(refdata):
    twente = Doorstroompuntregio.objects.get(nummer=12)
    svg = str(kaart.kaart_svg(markeer_regio=twente))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="landkaart" viewBox="0 0 500 607"')
    assert 'role="img"' in svg and 'aria-labelledby="kaart-titel"' in svg
    assert "<title id=\"kaart-titel\">Kaart van Nederland met regio Twente gemarkeerd</title>" in svg
    alle = paden(svg)
    regios = [a for a, _ in alle if "data-regio=" in a]
    assert len(regios) == 40
    gemarkeerd = [(a, d) for a, d in alle if 'data-gemarkeerd="ja"' in a]
    assert len(gemarkeerd) == 1
    attrs, d = gemarkeerd[0]
    assert 'data-regio="12"' in attrs and 'stroke-width="3"' in attrs and 'fill="url(#kaart-arcering)"' in attrs
    # Dissolved: Twente is one contiguous area, so its outline is one closed ring without inner borders.
    assert d.count("M") == 1 and d.endswith("z")
    # Inner gemeente borders of Twente drawn separately, thin.
    assert re.search(r'<path class="landkaart__gemeentegrenzen" fill="none" stroke="#ffffff" stroke-width="0.8"', svg)
    assert "Bron: CBS, PDOK</text>" in svg


def test_kaart_klein_met_hele_pixels_en_zonder_herhaalde_punten(refdata):
    svg = str(kaart.kaart_svg(markeer_regio=Doorstroompuntregio.objects.get(nummer=37)))
    grootte = kaart.svg_grootte(svg)
    assert 25_000 < grootte < 40_000, grootte
    for _, d in paden(svg):
        assert "." not in d  # whole pixels
        assert (0.0, 0.0) not in punten(d)  # no repeated points


def test_landelijke_kaart_met_kleuren_per_regio(refdata):
    kleuren = {n: "#ff0000" if n % 2 else "#00ff00" for n in range(1, 41)}
    svg = str(kaart.kaart_svg(kleuren_per_regio=kleuren, id_prefix="landelijk"))
    assert "<title id=\"landelijk-titel\">Kaart van Nederland met de doorstroompuntregio&#x27;s</title>" in svg
    assert 'data-gemarkeerd' not in svg and "<pattern" not in svg
    assert len(re.findall(r'<path data-regio="\d+" fill="#ff0000"', svg)) == 20
    assert len(re.findall(r'<path data-regio="\d+" fill="#00ff00"', svg)) == 20


def test_geprojecteerde_paden_per_proces_bewaard(refdata, django_assert_num_queries):
    indeling = kaart.indeling_uit_database()
    assert len(indeling) == 342
    kaart.regio_vormen(indeling)
    kaart._GETEKEND.clear()
    voor = kaart.regio_vormen.cache_info().hits
    with django_assert_num_queries(1):  # only the indeling
        eerste = kaart.kaart_svg(markeer_regio=None)
    assert kaart.regio_vormen.cache_info().hits == voor + 1
    # The same map again: not even the paths are looked up, only the indeling is read.
    with django_assert_num_queries(1):
        assert kaart.kaart_svg(markeer_regio=None) is eerste
    assert kaart.regio_vormen.cache_info().hits == voor + 1


def _vers(**kwargs):
    """The map drawn from scratch, past the kept drawings."""
    kaart._GETEKEND.clear()
    return str(kaart.kaart_svg(**kwargs))


def test_bewaarde_kaart_volgt_indeling_naam_en_kleuren(refdata):
    """Kept per everything it is drawn from: a new indeling, a renamed region or another colour is drawn anew."""
    twente = Doorstroompuntregio.objects.get(nummer=12)
    voor = str(kaart.kaart_svg(markeer_regio=twente))
    assert voor == _vers(markeer_regio=twente)

    # A beheerder loads an indeling that moves a gemeente of Achterhoek (13) to Twente.
    gemeente = Gemeente.objects.filter(regio__nummer=13).order_by("code").first()
    Gemeente.objects.filter(pk=gemeente.pk).update(regio=twente)
    na_indeling = str(kaart.kaart_svg(markeer_regio=twente))
    assert na_indeling != voor
    assert na_indeling == _vers(markeer_regio=twente)

    Doorstroompuntregio.objects.filter(pk=twente.pk).update(naam="Twente-Oost")
    twente.refresh_from_db()
    hernoemd = str(kaart.kaart_svg(markeer_regio=twente))
    assert "met regio Twente-Oost gemarkeerd" in hernoemd and hernoemd == _vers(markeer_regio=twente)

    rood = str(kaart.kaart_svg(kleuren_per_regio={12: "#ff0000"}, id_prefix="k"))
    groen = str(kaart.kaart_svg(kleuren_per_regio={12: "#00ff00"}, id_prefix="k"))
    assert '<path data-regio="12" fill="#ff0000"' in rood and '<path data-regio="12" fill="#00ff00"' in groen
    titel = str(
        kaart.kaart_svg(kleuren_per_regio={12: "#00ff00"}, titels_per_regio={12: "Twente: klaar"}, id_prefix="k")
    )
    assert "<title>Twente: klaar</title>" in titel and "<title>" not in groen.split("</desc>")[1]


def test_grafiek_tekst_in_de_balken():
    svg = str(
        kaart.verdeling_svg(
            [("Deze regio", [("vestiging", "a", 0.5), ("regio", "b", 0.45), ("buiten", "c", 0.05)])],
            titel="Titel",
            omschrijving="Omschrijving",
        )
    )
    assert 'role="img"' in svg and "<title id=\"grafiek-titel\">Titel</title>" in svg
    assert ">a: 50%</text>" in svg and ">b: 45%</text>" in svg
    # 5% of the bar is too narrow for its label: it is written under the bar instead.
    assert re.search(r'<text x="[\d.]+" y="58" font-size="12" fill="#1a1a1a">c: 5%</text>', svg)
