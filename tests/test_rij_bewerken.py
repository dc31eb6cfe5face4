"""Rows of a phase page are shown as text; one row at a time is opened for editing (htmx, or without JavaScript
the page form's button, which saves the page and opens the row)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken.models import Actie, Uitvoeringsafspraak
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie
from tests.pagina_helpers import zonder_tokens

pytestmark = pytest.mark.django_db

SLEUTEL = "acties-verkennen"


@pytest.fixture
def afspraak():
    return maak_afspraak(4)


@pytest.fixture
def client(afspraak):
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    return client


@pytest.fixture
def acties(afspraak):
    return [
        Actie.objects.create(afspraak=afspraak, fase=1, omschrijving=f"Overleg {n}", status="open") for n in range(3)
    ]


def _veld(actie, naam="omschrijving"):
    return f'name="{SLEUTEL}-{actie.pk}-{naam}"'


def _fase(client, afspraak, **query):
    response = client.get(reverse("afspraak_fase", args=[afspraak.pk, 1]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_rijen_staan_als_tekst_met_een_knop_om_te_bewerken(client, afspraak, acties):
    pagina = _fase(client, afspraak)
    for actie in acties:
        assert _veld(actie) not in pagina
        assert f"<dd>{actie.omschrijving}</dd>" in pagina
        knop = f'name="_actie" value="bewerk:{SLEUTEL}:{actie.pk}"'
        assert knop in pagina
        assert f'hx-get="{reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, actie.pk])}"' in pagina
        # Without JavaScript that button posts the page form, which opens the page with the row open.
        response = client.post(
            reverse("fase_opslaan", args=[afspraak.pk, 1]), {"_actie": f"bewerk:{SLEUTEL}:{actie.pk}"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(
            f"/fase/1/?bewerk={SLEUTEL}&rij={actie.pk}#sectie-{SLEUTEL}-rij-{actie.pk}"
        )
    # The form to add a row opens on request once a section has rows (tests/test_rij_nieuw.py).
    assert f'name="{SLEUTEL}-nieuw-omschrijving"' not in pagina


def test_zonder_javascript_opent_de_knop_een_rij(client, afspraak, acties):
    pagina = _fase(client, afspraak, bewerk=SLEUTEL, rij=acties[1].pk)
    assert _veld(acties[1]) in pagina
    assert _veld(acties[0]) not in pagina and _veld(acties[2]) not in pagina
    assert "Opslaan en sluiten" in pagina
    # A key or number that names no row of this phase opens nothing and breaks nothing.
    for query in ({"bewerk": "bestaat-niet", "rij": acties[1].pk}, {"bewerk": SLEUTEL, "rij": "x"},
                  {"bewerk": SLEUTEL, "rij": 999999}):
        assert _veld(acties[1]) not in _fase(client, afspraak, **query)


def test_htmx_bewerken_geeft_alleen_de_rij(client, afspraak, acties):
    url = reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, acties[0].pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<li class="rij rij--open" id="sectie-{SLEUTEL}-rij-{acties[0].pk}">')
    assert html.endswith("</li>") and html.count("<li") == 1
    assert _veld(acties[0]) in html and "<section" not in html
    assert client.post(url, HTTP_HX_REQUEST="true").status_code == 405
    # Without htmx: the phase page with that row open.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/fase/1/?bewerk={SLEUTEL}&rij={acties[0].pk}#sectie-{SLEUTEL}-rij-{acties[0].pk}"
    )


def test_bewerken_van_een_rij_van_een_andere_afspraak_of_sectie_is_404(client, afspraak, acties):
    ander = maak_afspraak(5)
    vreemd = Actie.objects.create(afspraak=ander, fase=1, omschrijving="Elders")
    assert client.get(reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, vreemd.pk])).status_code == 404
    # The same row under a section it is not in (a phase filter).
    assert client.get(reverse("rij_bewerken", args=[afspraak.pk, "acties-verankeren", acties[0].pk])).status_code == 404
    assert client.get(reverse("rij_bewerken", args=[afspraak.pk, "bestaat-niet", acties[0].pk])).status_code == 404


def test_alleen_wie_mag_bewerken_krijgt_het_formulier(afspraak, acties):
    url = reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, acties[0].pk])
    # Without a session: the log-in page, which comes back here.
    anoniem = Client().get(url)
    assert anoniem.status_code == 302 and anoniem["Location"].startswith(reverse("inloggen") + "?next=")
    buiten = Client()
    buiten.force_login(gebruiker_van(gemeente_organisatie("Groningen"), Gebruiker.Rol.BELEIDSMAKER, "beleid-gro"))
    assert buiten.get(url, HTTP_HX_REQUEST="true").status_code in (403, 404)
    lid = Client()
    lid.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.GEREED)
    assert lid.get(url, HTTP_HX_REQUEST="true").status_code in (403, 404)
    # Nor does the page open a row of an agreement that is no longer a concept.
    pagina = lid.get(reverse("afspraak_fase", args=[afspraak.pk, 1]), {"bewerk": SLEUTEL, "rij": acties[0].pk})
    assert _veld(acties[0]) not in pagina.content.decode()


def _opslaan(client, afspraak, actie, omschrijving, htmx=True, sluiten=False, had_fouten=False, url=None):
    """A row's save as the page posts it: autosave, or 'Opslaan en sluiten' (`sluiten`)."""
    prefix = f"{SLEUTEL}-{actie.pk}"
    data = {**met_versie(prefix, actie.versie), f"{prefix}-omschrijving": omschrijving, f"{prefix}-status": "bezig"}
    if sluiten:
        data["_actie"] = f"sluiten:{SLEUTEL}:{actie.pk}"
    if had_fouten:
        data[f"{prefix}-had_fouten"] = "1"
    kop = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url or reverse("rij_opslaan", args=[afspraak.pk, SLEUTEL, actie.pk]), data, **kop)


def test_opslaan_en_sluiten_toont_de_rij_weer_als_tekst(client, afspraak, acties):
    response = _opslaan(client, afspraak, acties[0], "Overleg met de GGD", sluiten=True)
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith(f'<li class="rij" id="sectie-{SLEUTEL}-rij-{acties[0].pk}">')
    assert "<dd>Overleg met de GGD</dd>" in html and _veld(acties[0]) not in html
    assert re.search(r"Opgeslagen om \d\d:\d\d", html)
    acties[0].refresh_from_db()
    assert acties[0].omschrijving == "Overleg met de GGD" and acties[0].versie == 2


def test_autosave_laat_de_rij_open(client, afspraak, acties):
    response = _opslaan(client, afspraak, acties[0], "Overleg met de GGD")
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert f'id="sectie-{SLEUTEL}-rij-{acties[0].pk}-versie" value="2"' in response.content.decode()


def test_zonder_javascript_opslaan_gaat_terug_naar_de_rij(client, afspraak, acties):
    response = _opslaan(client, afspraak, acties[1], "Zonder script", htmx=False, sluiten=True)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/fase/1/#sectie-{SLEUTEL}-rij-{acties[1].pk}")
    acties[1].refresh_from_db()
    assert acties[1].omschrijving == "Zonder script"
    # Without JavaScript the button posts the page form: the same save, back at the row.
    response = _opslaan(client, afspraak, acties[1], "Zonder script 2", htmx=False, sluiten=True,
                        url=reverse("fase_opslaan", args=[afspraak.pk, 1]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/fase/1/#sectie-{SLEUTEL}-rij-{acties[1].pk}")
    acties[1].refresh_from_db()
    assert acties[1].omschrijving == "Zonder script 2" and acties[1].versie == 3


def test_fout_geeft_de_open_rij_met_de_melding_en_schrijft_niets(client, afspraak, acties):
    response = _opslaan(client, afspraak, acties[0], "", sluiten=True)
    assert response.status_code == 422
    html = response.content.decode().strip()
    assert html.startswith(f'<li class="rij rij--open" id="sectie-{SLEUTEL}-rij-{acties[0].pk}">')
    assert "Dit veld is verplicht" in html and f'name="{SLEUTEL}-{acties[0].pk}-had_fouten"' in html
    acties[0].refresh_from_db()
    assert acties[0].omschrijving == "Overleg 0" and acties[0].versie == 1
    # Without JavaScript the page comes back with that row open and the error beside its field.
    response = _opslaan(client, afspraak, acties[0], "", htmx=False, sluiten=True)
    assert response.status_code == 422
    pagina = response.content.decode()
    assert _veld(acties[0]) in pagina and _veld(acties[1]) not in pagina and "Dit veld is verplicht" in pagina


def test_conflict_geeft_de_open_rij_met_beide_versies(client, afspraak, acties):
    Actie.objects.filter(pk=acties[0].pk).update(omschrijving="Intussen gewijzigd", versie=2)
    response = _opslaan(client, afspraak, acties[0], "Mijn versie")
    assert response.status_code == 409
    html = response.content.decode()
    assert "<section" not in html and _veld(acties[0]) in html
    assert "Intussen gewijzigd" in html and "Mijn versie" in html
    acties[0].refresh_from_db()
    assert acties[0].omschrijving == "Intussen gewijzigd"


def test_fout_na_fout_hersteld_laat_de_rij_open_zonder_melding(client, afspraak, acties):
    response = _opslaan(client, afspraak, acties[0], "Hersteld", had_fouten=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<li class="rij rij--open"') and "Dit veld is verplicht" not in html
    assert f'id="sectie-{SLEUTEL}-rij-{acties[0].pk}-versie" value="2"' in html


def test_een_formulier_beschrijft_elke_partij_zoals_een_formulier_per_partij(client, afspraak, monkeypatch):
    """The parties' text view is built with one form (PartijFormulier.zelfde_velden_per_rij): it must read
    exactly as with a form per party, whose list of bestuurders differs."""
    from afspraken.formulieren import PartijFormulier

    partijen = list(afspraak.partijen.select_related("organisatie").order_by("pk"))
    assert len(partijen) >= 3
    partijen[0].bestuurder = gebruiker_van(partijen[0].organisatie, Gebruiker.Rol.BESTUURDER, "bestuurder-een")
    partijen[0].save()
    partijen[1].bestuurder = gebruiker_van(partijen[1].organisatie, Gebruiker.Rol.BESTUURDER, "bestuurder-twee")
    partijen[1].save()
    partijen[2].bestuurder_naam, partijen[2].bestuurder_functie = "Zonder account", "wethouder"
    partijen[2].save()
    gedeeld = _fase(client, afspraak)
    assert "bestuurder-een" in gedeeld and "bestuurder-twee" in gedeeld and "Zonder account" in gedeeld
    monkeypatch.setattr(PartijFormulier, "zelfde_velden_per_rij", False)
    assert zonder_tokens(_fase(client, afspraak)) == zonder_tokens(gedeeld)


def test_een_rij_alleen_heeft_het_nummer_van_de_pagina(client, afspraak, acties):
    """A screen reader hears "actie 2" for the second row, on the page and in the row htmx fetches alone."""
    url = reverse("rij_bewerken", args=[afspraak.pk, SLEUTEL, acties[1].pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Opslaan en sluiten<span class=\"visually-hidden\">: actie 2</span>" in html
    html = _opslaan(client, afspraak, acties[1], "Overleg 1", sluiten=True).content.decode()
    assert "Bewerken<span class=\"visually-hidden\">: actie 2, Overleg 1</span>" in html


def test_het_formulier_om_toe_te_voegen_heeft_een_plek_voor_een_melding(client, afspraak):
    """sectie.js writes a refused or unsent save into the nearest status; the add form has its own."""
    pagina = _fase(client, afspraak)
    # The add form is the section's last part (a <div> within the page's one form).
    formulier = re.search(r'<div class="rij rij--nieuw"[^>]*>.*?</section>', pagina, re.S).group(0)
    assert f'value="toevoegen:{SLEUTEL}"' in formulier
    assert '<span class="opslagstatus" role="status"></span>' in formulier
