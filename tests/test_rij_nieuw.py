"""The form to add a row: open in an empty section, after an addition and with errors; otherwise a button that
opens it (htmx fetches just the form; without JavaScript the page form is saved and the phase page opens with it)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken.models import Actie, Uitvoeringsafspraak
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

pytestmark = pytest.mark.django_db

SLEUTEL = "acties-verkennen"
VELD = f'name="{SLEUTEL}-nieuw-omschrijving"'


@pytest.fixture
def afspraak():
    return maak_afspraak(4)


@pytest.fixture
def client(afspraak):
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    return client


def _actie(afspraak, omschrijving="Overleg"):
    return Actie.objects.create(afspraak=afspraak, fase=1, omschrijving=omschrijving, status="open")


def _fase(client, afspraak, **query):
    response = client.get(reverse("afspraak_fase", args=[afspraak.pk, 1]), query)
    assert response.status_code == 200
    return response.content.decode()


def _toevoegen(client, afspraak, omschrijving, **headers):
    return client.post(
        reverse("rij_toevoegen", args=[afspraak.pk, SLEUTEL]),
        {f"{SLEUTEL}-nieuw-omschrijving": omschrijving, f"{SLEUTEL}-nieuw-status": "open"}, **headers,
    )


def test_een_lege_sectie_toont_het_formulier_meteen(client, afspraak):
    pagina = _fase(client, afspraak)
    assert VELD in pagina
    assert reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL]) not in pagina


def test_een_sectie_met_rijen_toont_een_knop(client, afspraak):
    _actie(afspraak)
    pagina = _fase(client, afspraak)
    assert VELD not in pagina
    knop = next(b for b in pagina.split("<button ")[1:] if f'value="nieuw:{SLEUTEL}"' in b)
    assert 'type="submit"' in knop and 'name="_actie"' in knop
    assert f'hx-get="{reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL])}"' in knop
    assert f'hx-target="#sectie-{SLEUTEL}-nieuw"' in knop
    assert ">Actie toevoegen…</button>" in knop
    # Without JavaScript the button posts the page form, which sends to the page with the form open.
    respons = client.post(reverse("fase_opslaan", args=[afspraak.pk, 1]), {"_actie": f"nieuw:{SLEUTEL}"})
    assert respons.status_code == 302
    assert respons["Location"] == (
        f"{reverse('afspraak_fase', args=[afspraak.pk, 1])}?nieuw={SLEUTEL}#sectie-{SLEUTEL}-nieuw"
    )


def test_zonder_javascript_opent_de_knop_het_formulier(client, afspraak):
    _actie(afspraak)
    pagina = _fase(client, afspraak, nieuw=SLEUTEL)
    assert VELD in pagina and f'id="sectie-{SLEUTEL}-nieuw"' in pagina
    # Another section, or a name that is no row section, opens nothing and breaks nothing.
    assert VELD not in _fase(client, afspraak, nieuw="bestaat-niet")
    respons = client.get(reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL]))
    assert respons.status_code == 302
    assert respons["Location"] == (
        f"{reverse('afspraak_fase', args=[afspraak.pk, 1])}?nieuw={SLEUTEL}#sectie-{SLEUTEL}-nieuw"
    )


def test_htmx_geeft_alleen_het_formulier(client, afspraak):
    _actie(afspraak)
    html = client.get(reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL]), HTTP_HX_REQUEST="true").content.decode()
    assert html.strip().startswith('<div class="rij rij--nieuw"') and html.strip().endswith("</div>")
    assert VELD in html and f'id="sectie-{SLEUTEL}-nieuw"' in html
    # It goes into the page's one form, which carries the CSRF token: no form (nor token) of its own.
    assert "<form" not in html and 'name="csrfmiddlewaretoken"' not in html
    assert f'value="toevoegen:{SLEUTEL}"' in html
    assert f'hx-post="{reverse("rij_toevoegen", args=[afspraak.pk, SLEUTEL])}"' in html
    assert '<span class="opslagstatus" role="status"></span>' in html


def test_na_toevoegen_blijft_het_formulier_open_voor_de_volgende(client, afspraak):
    _actie(afspraak)
    html = _toevoegen(client, afspraak, "Tweede overleg", HTTP_HX_REQUEST="true").content.decode()
    assert "Actie toegevoegd: Tweede overleg." in html
    assert VELD in html and 'value="Tweede overleg"' not in html  # an empty form for the next one
    assert Actie.objects.filter(afspraak=afspraak).count() == 2


def test_een_fout_toont_het_formulier_met_de_melding_en_schrijft_niets(client, afspraak):
    _actie(afspraak)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        respons = _toevoegen(client, afspraak, "", **headers)
        assert respons.status_code == 422
        html = respons.content.decode()
        assert VELD in html and f'id="id_{SLEUTEL}-nieuw-omschrijving_error"' in html
    assert Actie.objects.filter(afspraak=afspraak).count() == 1


def test_wie_niet_mag_bewerken_krijgt_geen_formulier(client, afspraak):
    _actie(afspraak)
    url = reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL])
    # Another region's beleidsmaker: the agreement does not exist for them.
    anders = Client()
    anders.force_login(gebruiker_van(gemeente_organisatie("Utrecht"), Gebruiker.Rol.BELEIDSMAKER, "beleid-utr"))
    assert anders.get(url, HTTP_HX_REQUEST="true").status_code == 404
    # A party's bestuurder reads, but writes nothing: no button, and the form is refused.
    bestuurder = Client()
    bestuurder.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd"))
    assert reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL]) not in _fase(bestuurder, afspraak)
    assert bestuurder.get(url, HTTP_HX_REQUEST="true").status_code == 404
    # No longer a draft: refused for the party's beleidsmaker too.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 403


def test_alleen_lezen_en_alleen_een_rijensectie(client, afspraak):
    url = reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL])
    assert client.post(url, HTTP_HX_REQUEST="true").status_code == 405
    for sleutel in ("bestaat-niet", "verkennen-bestuurlijk-overleg"):  # unknown; a text section
        assert client.get(reverse("rij_nieuw", args=[afspraak.pk, sleutel]), HTTP_HX_REQUEST="true").status_code == 404


def test_een_tweede_klik_tijdens_het_laden_wordt_genegeerd(client, afspraak):
    """On a slow connection a second click would fetch the form again and replace what is being typed in it:
    htmx drops requests of a button while one is under way."""
    actie = _actie(afspraak)
    pagina = _fase(client, afspraak)
    nieuw = reverse("rij_nieuw", args=[afspraak.pk, SLEUTEL])
    bewerken = reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, actie.pk])
    for adres in (nieuw, bewerken, bewerken + "?stand=verwijderen"):
        knop = next(b for b in pagina.split("<button ")[1:] if f'hx-get="{adres}"' in b)
        assert 'hx-sync="this:drop"' in knop.split(">", 1)[0]
