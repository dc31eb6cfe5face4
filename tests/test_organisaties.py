"""Partner organisations that beleidsmakers add: known only in their own agreement until a beheerder confirms them;
a name (nearly) the same as an existing one is refused with that one offered; the beheerder confirms, merges or
rejects (issue 26 item 5)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import organisaties
from afspraken.formulieren import StartFormulier
from afspraken.models import Fase, Partij, Uitvoeringsafspraak, VoorgesteldeOrganisatie, Wijziging
from afspraken.partijen import stel_partijen_voor
from audit.models import Auditregel
from regio.models import Doorstroompuntregio
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, markeer_ondertekend

pytestmark = pytest.mark.django_db

NIEUW = "partijen-nieuw"


# --- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "naam, bestaand",
    [
        ("Gemeente Amsterdam", "Gemeente Amsterdam"),
        ("gem. amsterdam", "Gemeente Amsterdam"),
        ("Amsterdam", "Gemeente Amsterdam"),
        ("Gemeente  Amsterdm", "Gemeente Amsterdam"),  # a typo
        ("Jeugdzorg Fryslan B.V.", "Stichting Jeugdzorg Fryslân"),
        ("Jeugd & Gezin Noord", "Jeugd en Gezin Noord"),
        ("Zorgcoöperatie Één", "Zorgcooperatie Een"),
        ("GGD-Fryslân", "GGD Fryslân"),
    ],
)
def test_zelfde_of_bijna_dezelfde_naam(naam, bestaand):
    assert organisaties.lijkt_op(naam, [(1, bestaand)]) == [(1, bestaand)]


@pytest.mark.parametrize(
    "naam, bestaand",
    [
        ("GGD Fryslân", "GGD Groningen"),
        ("Gemeente Amstelveen", "Gemeente Amsterdam"),
        ("Jeugdzorg Noord", "Jeugdzorg Zuid"),
        ("Stichting", "Stichting Jeugdzorg"),
    ],
)
def test_duidelijk_andere_naam(naam, bestaand):
    assert organisaties.lijkt_op(naam, [(1, bestaand)]) == []


# --- two agreements, two beleidsmakers --------------------------------------------------------------


@pytest.fixture
def a():
    """Agreement A (Friesland Noord) and its beleidsmaker."""
    afspraak = maak_afspraak(4)
    client = Client()
    gebruiker = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-a")
    client.force_login(gebruiker)
    return afspraak, client, gebruiker


@pytest.fixture
def b():
    """Agreement B (Groningen) and its beleidsmaker."""
    afspraak = maak_afspraak(3)
    client = Client()
    gebruiker = gebruiker_van(gemeente_organisatie("Groningen"), Gebruiker.Rol.BELEIDSMAKER, "beleid-b")
    client.force_login(gebruiker)
    return afspraak, client, gebruiker


@pytest.fixture
def beheerder():
    client = Client()
    gebruiker = gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "beheer-org")
    client.force_login(gebruiker)
    return client, gebruiker


def _voeg_toe(client, afspraak, **velden):
    data = {f"{NIEUW}-rol": Partij.Rol.PARTNER, **{f"{NIEUW}-{k}": v for k, v in velden.items()}}
    return client.post(reverse("rij_toevoegen", args=[afspraak.pk, "partijen"]), data)


def _nieuw_formulier(client, afspraak):
    """The form to add a party, as the phase page shows it."""
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERKENNEN]), {"nieuw": "partijen"})
    assert pagina.status_code == 200
    return re.search(rf'<select name="{NIEUW}-organisatie".*?</select>', pagina.content.decode(), re.S).group(0)


def _stand():
    return (
        Organisatie.objects.count(), Partij.objects.count(), VoorgesteldeOrganisatie.objects.count(),
        Wijziging.objects.count(),
    )


def test_nieuwe_partner_bestaat_alleen_in_de_eigen_afspraak(a, b):
    afspraak_a, client_a, gebruiker_a = a
    afspraak_b, client_b, _ = b
    antwoord = _voeg_toe(
        client_a, afspraak_a, nieuwe_partner="Zorgcoöperatie Kwartelkoning", partner_soort="zorgaanbieder"
    )
    assert antwoord.status_code == 302
    organisatie = Organisatie.objects.get(naam="Zorgcoöperatie Kwartelkoning")
    voorstel = organisatie.voorstel
    assert (voorstel.afspraak, voorstel.voorgesteld_door) == (afspraak_a, gebruiker_a)
    assert organisatie.partner_soort == "zorgaanbieder"
    assert afspraak_a.partijen.filter(organisatie=organisatie).exists()
    # A's party list says it is not confirmed yet.
    pagina = client_a.get(reverse("afspraak_fase", args=[afspraak_a.pk, Fase.VERKENNEN])).content.decode()
    assert "nieuwe organisatie, nog niet bevestigd" in pagina

    # B never sees it: not in the party form, not when starting an agreement, and posting it is refused.
    assert "Kwartelkoning" not in _nieuw_formulier(client_b, afspraak_b)
    regio = Doorstroompuntregio.objects.get(nummer=5)
    start = StartFormulier(regio=regio, voorstellen=stel_partijen_voor(regio))
    assert organisatie not in start.fields["partners"].queryset
    voor = _stand()
    antwoord = _voeg_toe(client_b, afspraak_b, organisatie=organisatie.pk)
    assert antwoord.status_code == 422
    assert "Selecteer een geldige keuze" in antwoord.content.decode()
    assert _stand() == voor

    # In A, once it is no party any more, it is offered under its own heading.
    afspraak_a.partijen.filter(organisatie=organisatie).delete()
    lijst = _nieuw_formulier(client_a, afspraak_a)
    groep = re.search(r'<optgroup label="Nieuw in deze afspraak \(nog niet bevestigd\)">(.*?)</optgroup>', lijst, re.S)
    assert f'<option value="{organisatie.pk}">Zorgcoöperatie Kwartelkoning</option>' in groep.group(1)


def test_keuzelijst_eerst_de_regio_dan_de_rest_zonder_de_partijen(a):
    afspraak, client, _ = a
    weg = afspraak.partijen.filter(rol=Partij.Rol.GEMEENTE).select_related("organisatie").first()
    weg.delete()
    lijst = _nieuw_formulier(client, afspraak)
    labels = re.findall(r'<optgroup label="([^"]+)">', lijst)
    assert labels[0] == "Gemeenten en mbo-instellingen in de regio"
    regio = re.search(r'<optgroup label="Gemeenten en mbo-instellingen in de regio">(.*?)</optgroup>', lijst, re.S)
    assert regio.group(1) == f'<option value="{weg.organisatie_id}">{weg.organisatie.naam}</option>'
    assert "Gemeenten buiten de regio" in labels and "Mbo-instellingen buiten de regio" in labels
    # Who is a party already is not offered again; everyone else in the country is.
    for partij in afspraak.partijen.all():
        assert f'value="{partij.organisatie_id}"' not in lijst
    assert f'value="{gemeente_organisatie("Amsterdam").pk}"' in lijst


def test_bijna_dubbele_naam_wordt_geweigerd_met_de_bestaande_aangeboden(a):
    afspraak, client, _ = a
    amsterdam = gemeente_organisatie("Amsterdam")
    voor = _stand()
    antwoord = _voeg_toe(client, afspraak, nieuwe_partner="Gem. Amsterdam")
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert (
        "Er bestaat al een organisatie met (bijna) deze naam: ‘Gemeente Amsterdam’. Kies die hieronder, of geef een "
        "duidelijk andere naam." in html
    )
    # Offered: a radio button for the existing one, below the name; the typed name is kept.
    assert f'name="{NIEUW}-bestaande" value="{amsterdam.pk}"' in html
    assert f'name="{NIEUW}-nieuwe_partner" value="Gem. Amsterdam"' in html
    assert html.index(f'name="{NIEUW}-nieuwe_partner"') < html.index(f'name="{NIEUW}-bestaande"')
    assert _stand() == voor  # nothing written

    # Choosing it adds the existing organisation, not the new name.
    antwoord = _voeg_toe(client, afspraak, nieuwe_partner="Gem. Amsterdam", bestaande=amsterdam.pk)
    assert antwoord.status_code == 302
    assert afspraak.partijen.filter(organisatie=amsterdam).exists()
    assert not Organisatie.objects.filter(naam="Gem. Amsterdam").exists()
    assert not VoorgesteldeOrganisatie.objects.exists()


def test_dubbele_partner_en_eigen_voorstel_worden_geweigerd(a):
    afspraak, client, _ = a
    Organisatie.objects.create(naam="Stichting Jeugdzorg Fryslân", soort="partner", partner_soort="zorgaanbieder")
    antwoord = _voeg_toe(client, afspraak, nieuwe_partner="Jeugdzorg Fryslan B.V.")
    assert antwoord.status_code == 422
    assert "‘Stichting Jeugdzorg Fryslân’" in antwoord.content.decode()
    # A name proposed in this agreement counts too.
    assert _voeg_toe(client, afspraak, nieuwe_partner="Buurtzorg Kwartel").status_code == 302
    antwoord = _voeg_toe(client, afspraak, nieuwe_partner="Buurtzorg  Kwartel")
    assert antwoord.status_code == 422
    assert "‘Buurtzorg Kwartel’" in antwoord.content.decode()
    assert VoorgesteldeOrganisatie.objects.count() == 1


# --- the beheerder ----------------------------------------------------------------------------------


@pytest.fixture
def voorstel(a):
    afspraak, client, _ = a
    assert _voeg_toe(client, afspraak, nieuwe_partner="Zorggroep Kwartelkoning").status_code == 302
    return VoorgesteldeOrganisatie.objects.select_related("organisatie").get()


def _besluit(client, voorstel, **data):
    return client.post(reverse("beheer_organisatie", args=[voorstel.pk]), data)


def test_beheerder_ziet_voorstellen_met_afspraak_indiener_en_datum(voorstel, beheerder):
    client, _ = beheerder
    pagina = client.get(reverse("beheer_organisaties"))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Zorggroep Kwartelkoning" in html and "Friesland Noord" in html
    assert voorstel.voorgesteld_door.weergavenaam in html
    assert reverse("beheer_organisatie", args=[voorstel.pk]) in html
    assert f'href="{reverse("beheer_organisaties")}"' in html  # in the beheer menu
    pagina = client.get(reverse("beheer_organisatie", args=[voorstel.pk]))
    assert pagina.status_code == 200 and "Zorggroep Kwartelkoning beoordelen" in pagina.content.decode()


def test_bevestigen_maakt_de_organisatie_overal_beschikbaar(voorstel, beheerder, b):
    client, gebruiker = beheerder
    afspraak_b, client_b, _ = b
    assert "Kwartelkoning" not in _nieuw_formulier(client_b, afspraak_b)
    antwoord = _besluit(client, voorstel, besluit="bevestigen")
    assert antwoord.status_code == 302 and antwoord.url == reverse("beheer_organisaties")
    assert not VoorgesteldeOrganisatie.objects.exists()
    lijst = _nieuw_formulier(client_b, afspraak_b)
    groep = re.search(r'<optgroup label="Partners">(.*?)</optgroup>', lijst, re.S).group(1)
    assert f'value="{voorstel.organisatie_id}"' in groep
    regel = Auditregel.objects.get(actie=Auditregel.Actie.ORGANISATIE_BEVESTIGD)
    assert (regel.gebruiker_id, regel.object_soort, regel.object_id) == (
        gebruiker.pk, "accounts.organisatie", str(voorstel.organisatie_id)
    )
    assert regel.gegevens["naam"] == "Zorggroep Kwartelkoning" and regel.gegevens["regio"] == 4
    # Now B's near duplicate is refused too.
    assert _voeg_toe(client_b, afspraak_b, nieuwe_partner="Zorggroep Kwartelkonig").status_code == 422


def test_samenvoegen_verplaatst_partijen_en_gebruikers(voorstel, beheerder, a):
    afspraak, _, _ = a
    client, gebruiker = beheerder
    doel = Organisatie.objects.create(naam="Zorggroep Noord", soort="partner", partner_soort="zorgaanbieder")
    collega = gebruiker_van(voorstel.organisatie, Gebruiker.Rol.BELEIDSMAKER, "kwartel-collega")
    teller = Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller
    antwoord = _besluit(client, voorstel, besluit="samenvoegen", samenvoegen_met=doel.pk)
    assert antwoord.status_code == 302
    assert not Organisatie.objects.filter(pk=voorstel.organisatie_id).exists()
    assert not VoorgesteldeOrganisatie.objects.exists()
    assert afspraak.partijen.filter(organisatie=doel).exists()
    collega.refresh_from_db()
    assert collega.organisatie == doel
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller > teller  # the document changed
    wijziging = afspraak.wijzigingen.get(omschrijving__startswith="Organisatie samengevoegd")
    assert wijziging.oud == {"Organisatie": "Zorggroep Kwartelkoning"} and wijziging.gebruiker == gebruiker
    regel = Auditregel.objects.get(actie=Auditregel.Actie.ORGANISATIE_SAMENGEVOEGD)
    assert regel.object_id == str(doel.pk) and regel.onderwerp == "Zorggroep Kwartelkoning → Zorggroep Noord"
    assert regel.gegevens["verplaatst"] == {"afspraken.partij": 1, "accounts.gebruiker": 1}


def test_samenvoegen_zonder_doel_of_in_een_bevroren_versie_verandert_niets(voorstel, beheerder, a):
    afspraak, _, _ = a
    client, _ = beheerder
    antwoord = _besluit(client, voorstel, besluit="samenvoegen")
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert "Kies de organisatie waarmee u samenvoegt." in html and "<title>Fout:" in html
    doel = Organisatie.objects.create(naam="Zorggroep Noord", soort="partner")
    markeer_ondertekend(afspraak)
    antwoord = _besluit(client, voorstel, besluit="samenvoegen", samenvoegen_met=doel.pk)
    assert antwoord.status_code == 422
    assert "die verandert niet meer" in antwoord.content.decode()
    assert afspraak.partijen.filter(organisatie_id=voorstel.organisatie_id).exists()
    assert VoorgesteldeOrganisatie.objects.filter(pk=voorstel.pk).exists()
    assert not Auditregel.objects.filter(actie=Auditregel.Actie.ORGANISATIE_SAMENGEVOEGD).exists()


def test_samenvoegen_met_een_partij_van_dezelfde_afspraak_wordt_geweigerd(voorstel, beheerder, a):
    afspraak, _, _ = a
    client, _ = beheerder
    leeuwarden = gemeente_organisatie("Leeuwarden")  # a party of the same agreement
    antwoord = _besluit(client, voorstel, besluit="samenvoegen", samenvoegen_met=leeuwarden.pk)
    assert antwoord.status_code == 422
    assert "is al partij bij regio 4" in antwoord.content.decode()
    assert afspraak.partijen.filter(organisatie_id=voorstel.organisatie_id).exists()


def test_afwijzen_alleen_als_niemand_de_organisatie_nog_heeft(voorstel, beheerder, a):
    afspraak, _, _ = a
    client, _ = beheerder
    antwoord = _besluit(client, voorstel, besluit="afwijzen")
    assert antwoord.status_code == 422
    assert "is nog partij bij regio 4" in antwoord.content.decode()
    assert VoorgesteldeOrganisatie.objects.exists()
    afspraak.partijen.filter(organisatie_id=voorstel.organisatie_id).delete()
    antwoord = _besluit(client, voorstel, besluit="afwijzen")
    assert antwoord.status_code == 302
    assert not Organisatie.objects.filter(pk=voorstel.organisatie_id).exists()
    regel = Auditregel.objects.get(actie=Auditregel.Actie.ORGANISATIE_AFGEWEZEN)
    assert regel.object_id == str(voorstel.organisatie_id) and regel.gegevens["naam"] == "Zorggroep Kwartelkoning"


def test_een_besluit_over_een_voorstel_dat_er_niet_meer_is(voorstel, beheerder):
    client, _ = beheerder
    assert _besluit(client, voorstel, besluit="bevestigen").status_code == 302
    assert _besluit(client, voorstel, besluit="bevestigen").status_code == 404
    assert client.get(reverse("beheer_organisatie", args=[gemeente_organisatie("Leeuwarden").pk])).status_code == 404
