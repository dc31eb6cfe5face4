"""The authority a party's signer signs on (issue 27), entered by that party only: who may, what is checked, what is
recorded, and where it is shown."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken import secties
from afspraken.models import Grondslag, Partij, Uitvoeringsafspraak, Wijziging
from afspraken.vertegenwoordiging import kenmerk
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie

pytestmark = pytest.mark.django_db

ROLLEN = [
    "anoniem", "beleidsmaker_partij", "beleidsmaker_collega", "bestuurder_partij", "beleidsmaker_andere_partij",
    "bestuurder_andere_partij", "beheerder", "beleidsmaker_andere_regio",
]
MOGEN = {"beleidsmaker_partij", "beleidsmaker_collega", "bestuurder_partij"}


@pytest.fixture
def context(refdata):
    afspraak = maak_afspraak(4)
    leeuwarden = gemeente_organisatie("Leeuwarden")
    partij = afspraak.partijen.get(organisatie=leeuwarden)
    andere = afspraak.partijen.exclude(pk=partij.pk).select_related("organisatie").order_by("pk").first()
    return {
        "afspraak": afspraak,
        "partij": partij,
        "andere": andere,
        "gebruikers": {
            "beleidsmaker_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "v-beleid"),
            "beleidsmaker_collega": gebruiker_van(leeuwarden, Gebruiker.Rol.BELEIDSMAKER, "v-collega"),
            "bestuurder_partij": gebruiker_van(leeuwarden, Gebruiker.Rol.BESTUURDER, "v-bestuur"),
            "beleidsmaker_andere_partij": gebruiker_van(andere.organisatie, Gebruiker.Rol.BELEIDSMAKER, "v-ander"),
            "bestuurder_andere_partij": gebruiker_van(andere.organisatie, Gebruiker.Rol.BESTUURDER, "v-ander-b"),
            "beheerder": gebruiker_van(None, Gebruiker.Rol.BEHEERDER, "v-beheer"),
            "beleidsmaker_andere_regio": gebruiker_van(
                gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "v-amsterdam"
            ),
        },
    }


def _client(context, rol):
    client = Client()
    if rol != "anoniem":
        client.force_login(context["gebruikers"][rol])
    return client


def _url(context, partij=None):
    return reverse("afspraak_bevoegdheid", args=[context["afspraak"].pk, (partij or context["partij"]).pk])


def _data(partij, **waarden):
    partij.refresh_from_db()
    data = {"grondslag": "", "grondslag_besluit": "", "grondslag_toelichting": "", "vorige": kenmerk(partij)}
    data.update(waarden)
    return data


MANDAAT = {"grondslag": Grondslag.WETHOUDER_MANDAAT, "grondslag_besluit": "2026-03-03"}


@pytest.mark.parametrize("rol", ROLLEN)
def test_rechtenmatrix_get_en_post(rol, context):
    client = _client(context, rol)
    partij, afspraak = context["partij"], context["afspraak"]
    teller = Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller
    get = client.get(_url(context))
    post = client.post(_url(context), _data(partij, **MANDAAT))
    partij.refresh_from_db()
    if rol == "anoniem":
        assert get.status_code == post.status_code == 302
        assert get["Location"].startswith(reverse("inloggen") + "?next=")
    elif rol in MOGEN:
        assert get.status_code == 200
        assert "Bevoegdheid van de ondertekenaar van Gemeente Leeuwarden" in get.content.decode()
        assert post.status_code == 302
        assert post["Location"] == secties.definitie("partijen").url(afspraak).split("#")[0] + (
            f"#sectie-partijen-rij-{partij.pk}"
        )
        assert partij.grondslag == Grondslag.WETHOUDER_MANDAAT
        assert partij.grondslag_besluit == datetime.date(2026, 3, 3)
        assert partij.bevoegdheid == "wethouder, gemandateerd bij collegebesluit van 3 maart 2026"
        return
    else:
        # Another party's people, a beheerder, another region: as any page of an agreement they may not use.
        assert get.status_code == post.status_code == 404, (get.status_code, post.status_code)
    assert partij.grondslag == ""
    assert not Wijziging.objects.filter(afspraak=afspraak).exists()
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == teller


def test_eigen_partij_maar_niet_die_van_een_ander(context):
    """The party's beleidsmaker is refused on another party of the same agreement, whose writer they are."""
    client = _client(context, "beleidsmaker_partij")
    andere = context["andere"]
    assert client.get(_url(context, andere)).status_code == 404
    assert client.post(_url(context, andere), _data(andere, **MANDAAT)).status_code == 404
    andere.refresh_from_db()
    assert andere.grondslag == ""
    # A party of another agreement through this agreement's address: not found either.
    elders = maak_afspraak(18).partijen.first()
    assert client.get(reverse("afspraak_bevoegdheid", args=[context["afspraak"].pk, elders.pk])).status_code == 404


def test_twee_beleidsmakers_van_dezelfde_organisatie_en_de_geschiedenis(context):
    partij, afspraak = context["partij"], context["afspraak"]
    teller = Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller
    eerste = _client(context, "beleidsmaker_partij")
    assert eerste.post(_url(context), _data(partij, grondslag=Grondslag.BURGEMEESTER)).status_code == 302
    tweede = _client(context, "beleidsmaker_collega")
    assert tweede.post(_url(context), _data(partij, **MANDAAT)).status_code == 302
    wijzigingen = list(Wijziging.objects.filter(afspraak=afspraak).order_by("pk"))
    assert [(w.sectie, w.gebruiker.username) for w in wijzigingen] == [
        ("partijen", "v-beleid"), ("partijen", "v-collega"),
    ]
    assert wijzigingen[0].oud == {"Bevoegdheid": "nog niet opgegeven"}
    assert wijzigingen[0].nieuw == {"Bevoegdheid": "burgemeester, op grond van artikel 171 van de Gemeentewet"}
    assert wijzigingen[1].nieuw == {"Bevoegdheid": "wethouder, gemandateerd bij collegebesluit van 3 maart 2026"}
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == teller + 2
    # The history page shows it.
    assert "gemandateerd bij collegebesluit van 3 maart 2026" in eerste.get(
        reverse("afspraak_geschiedenis", args=[afspraak.pk])
    ).content.decode()
    # Saving the same again records nothing and leaves the counter.
    assert tweede.post(_url(context), _data(partij, **MANDAAT)).status_code == 302
    assert Wijziging.objects.filter(afspraak=afspraak).count() == 2
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == teller + 2


def test_opslaan_over_een_nieuwere_invoer_is_een_conflict(context):
    partij = context["partij"]
    eerste, tweede = _client(context, "beleidsmaker_partij"), _client(context, "bestuurder_partij")
    verouderd = _data(partij, grondslag=Grondslag.BURGEMEESTER)
    assert eerste.post(_url(context), _data(partij, **MANDAAT)).status_code == 302
    response = tweede.post(_url(context), verouderd)
    assert response.status_code == 409
    tekst = response.content.decode()
    assert "iemand anders heeft de bevoegdheid intussen gewijzigd" in tekst
    assert "gemandateerd bij collegebesluit van 3 maart 2026" in tekst
    partij.refresh_from_db()
    assert partij.grondslag == Grondslag.WETHOUDER_MANDAAT
    # The form now carries the stored entry: saving again is a deliberate overwrite.
    assert f'value="{kenmerk(partij)}"' in tekst
    assert tweede.post(_url(context), {**verouderd, "vorige": kenmerk(partij)}).status_code == 302
    partij.refresh_from_db()
    assert partij.grondslag == Grondslag.BURGEMEESTER and partij.grondslag_besluit is None


@pytest.mark.parametrize(
    "waarden, veld, melding",
    [
        ({}, "grondslag", "Kies op grond waarvan de bestuurder de partij vertegenwoordigt."),
        ({"grondslag": "koning"}, "grondslag", "Kies een van de mogelijkheden."),
        ({"grondslag": Grondslag.WETHOUDER_MANDAAT}, "grondslag_besluit", "Vul de datum in van het collegebesluit"),
        ({**MANDAAT, "grondslag_besluit": "2999-01-01"}, "grondslag_besluit", "Deze datum ligt in de toekomst"),
        ({**MANDAAT, "grondslag_besluit": "99999-01-01"}, "grondslag_besluit", "Vul een geldige datum in"),
        ({**MANDAAT, "grondslag_besluit": "3 maart"}, "grondslag_besluit", "Vul een geldige datum in"),
        ({**MANDAAT, "grondslag_besluit": "2026-02-30"}, "grondslag_besluit", "Vul een geldige datum in"),
        ({**MANDAAT, "grondslag_besluit": "2026-03-03\x00"}, "grondslag_besluit", "Vul een geldige datum in"),
        ({**MANDAAT, "grondslag_besluit": "2026-03-03\r\n"}, "grondslag_besluit", "regelovergang"),
        ({"grondslag": Grondslag.ANDERS}, "grondslag_toelichting", "Beschrijf bij ‘anders’"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "   "}, "grondslag_toelichting", "Beschrijf"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "loco\u202eburgemeester"}, "grondslag_toelichting",
         "niet is toegestaan"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "loco\x00burgemeester"}, "grondslag_toelichting",
         "niet is toegestaan"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "loco\x07"}, "grondslag_toelichting",
         "niet is toegestaan"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "twee\nregels"}, "grondslag_toelichting",
         "regelovergang"),
        ({"grondslag": Grondslag.ANDERS, "grondslag_toelichting": "x" * 301}, "grondslag_toelichting", "300"),
        ({"grondslag": Grondslag.BURGEMEESTER + "\u2066"}, "grondslag", "Kies een van de mogelijkheden."),
    ],
)
def test_foute_invoer_nederlandse_melding_niets_geschreven(context, waarden, veld, melding):
    partij, afspraak = context["partij"], context["afspraak"]
    teller = Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller
    response = _client(context, "beleidsmaker_partij").post(_url(context), _data(partij, **waarden))
    assert response.status_code == 422
    tekst = response.content.decode()
    assert 'class="foutsamenvatting"' in tekst and "autofocus" in tekst
    anker = f"id_{veld}_0" if veld == "grondslag" else f"id_{veld}"
    assert f'href="#{anker}"' in tekst  # the summary links to the field
    assert f'id="{anker}"' in tekst
    assert melding in response.context["formulier"].errors[veld][0]
    partij.refresh_from_db()
    assert (partij.grondslag, partij.grondslag_besluit, partij.grondslag_toelichting) == ("", None, "")
    assert not Wijziging.objects.filter(afspraak=afspraak).exists()
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == teller


def test_kenmerk_met_verboden_tekens_is_een_fout_geen_500(context):
    partij = context["partij"]
    response = _client(context, "beleidsmaker_partij").post(
        _url(context), _data(partij, grondslag=Grondslag.BURGEMEESTER, vorige="||\x00")
    )
    assert response.status_code == 422
    partij.refresh_from_db()
    assert partij.grondslag == ""


def test_nul_in_het_adres_is_400(context):
    client = _client(context, "beleidsmaker_partij")
    assert client.get(_url(context) + "?x=%00").status_code == 400


def test_een_datum_van_vandaag_mag_en_een_andere_keuze_wist_de_datum(context):
    partij = context["partij"]
    client = _client(context, "bestuurder_partij")
    from django.utils import timezone

    vandaag = timezone.localdate()
    assert client.post(_url(context), _data(partij, grondslag=Grondslag.WETHOUDER_MANDAAT,
                                            grondslag_besluit=vandaag.isoformat())).status_code == 302
    partij.refresh_from_db()
    assert partij.grondslag_besluit == vandaag
    assert client.post(_url(context), _data(partij, grondslag=Grondslag.VOORZITTER_CVB, grondslag_besluit="2026-01-01",
                                            grondslag_toelichting="artikel 12 van de statuten")).status_code == 302
    partij.refresh_from_db()
    assert partij.grondslag_besluit is None
    assert partij.bevoegdheid == (
        "voorzitter van het college van bestuur, op grond van de statuten (artikel 12 van de statuten)"
    )


@pytest.mark.parametrize("status", [
    Uitvoeringsafspraak.Status.GEREED, Uitvoeringsafspraak.Status.TER_ONDERTEKENING,
    Uitvoeringsafspraak.Status.ONDERTEKEND,
])
def test_niet_meer_te_wijzigen_buiten_een_concept(context, status):
    partij, afspraak = context["partij"], context["afspraak"]
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=status)
    for rol in ("beleidsmaker_partij", "bestuurder_partij"):
        client = _client(context, rol)
        get = client.get(_url(context))
        post = client.post(_url(context), _data(partij, **MANDAAT))
        assert get.status_code == post.status_code == 403
        assert "kan alleen in een concept worden gewijzigd" in post.content.decode()
    # Someone of another party still gets "not found", not a hint that the party exists.
    assert _client(context, "beleidsmaker_andere_partij").get(_url(context)).status_code == 404
    partij.refresh_from_db()
    assert partij.grondslag == ""
    assert not Wijziging.objects.filter(afspraak=afspraak).exists()


def test_de_gedeelde_partijrij_zet_de_bevoegdheid_niet(context):
    """Every writer edits the party row (who signs, financial responsibility); the authority is not in that form,
    so posting it there changes nothing."""
    partij, afspraak = context["partij"], context["afspraak"]
    Partij.objects.filter(pk=partij.pk).update(grondslag=Grondslag.BURGEMEESTER)
    definitie = secties.definitie("partijen")
    assert not {"grondslag", "grondslag_besluit", "grondslag_toelichting"} & set(
        definitie.formulier(afspraak, rij=partij).fields
    )
    prefix = definitie.rij_prefix(partij.pk)
    client = _client(context, "beleidsmaker_andere_partij")  # a writer of the agreement, of another party
    response = client.post(reverse("rij_opslaan", args=[afspraak.pk, "partijen", partij.pk]), {
        f"{prefix}-bestuurder_naam": "Een naam", f"{prefix}-bestuurder_functie": "wethouder",
        f"{prefix}-financieel_eindverantwoordelijk": "on",
        f"{prefix}-grondslag": Grondslag.ANDERS, f"{prefix}-grondslag_toelichting": "zomaar",
        f"{prefix}-grondslag_besluit": "2026-01-01", **met_versie(prefix, partij.versie),
    })
    assert response.status_code == 302
    partij.refresh_from_db()
    assert partij.bestuurder_naam == "Een naam"
    assert (partij.grondslag, partij.grondslag_besluit, partij.grondslag_toelichting) == (
        Grondslag.BURGEMEESTER, None, ""
    )


def _partijensectie(client, afspraak):
    return client.get(reverse("afspraak_fase", args=[afspraak.pk, 1])).content.decode()


def test_stap_1_toont_de_bevoegdheid_en_de_link_alleen_aan_de_partij(context):
    andere, afspraak = context["andere"], context["afspraak"]
    Partij.objects.filter(pk=andere.pk).update(
        grondslag=Grondslag.WETHOUDER_MANDAAT, grondslag_besluit=datetime.date(2026, 3, 3)
    )
    eigen_link = _url(context)
    andere_link = _url(context, andere)
    for rol in ("beleidsmaker_partij", "bestuurder_partij"):
        tekst = _partijensectie(_client(context, rol), afspraak)
        assert "Bevoegdheid: wethouder, gemandateerd bij collegebesluit van 3 maart 2026." in tekst
        assert "Bevoegdheid nog niet opgegeven." in tekst
        assert f'href="{eigen_link}">Opgeven' in tekst
        assert andere_link not in tekst
    tekst = _partijensectie(_client(context, "beleidsmaker_andere_partij"), afspraak)
    assert f'href="{andere_link}">Wijzigen' in tekst and eigen_link not in tekst
    tekst = _partijensectie(_client(context, "beheerder"), afspraak)
    assert "Bevoegdheid nog niet opgegeven." in tekst and "/bevoegdheid/" not in tekst
    # Frozen: shown, no link.
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=Uitvoeringsafspraak.Status.ONDERTEKEND)
    tekst = _partijensectie(_client(context, "beleidsmaker_andere_partij"), afspraak)
    assert "Bevoegdheid: wethouder, gemandateerd bij collegebesluit van 3 maart 2026." in tekst
    assert "/bevoegdheid/" not in tekst


def test_de_ondertekenpagina_noemt_de_bevoegdheid(refdata, django_capture_on_commit_callbacks):
    """The demo's Friesland Noord, whose parties entered their authority; offered, the bestuurder sees it on the
    signing page (frozen now: shown, not asked)."""
    from tests.ondertekening_helpers import beleidsmaker, klaar_voor_ondertekening
    from tests.otp_helpers import verifieer

    afspraak = klaar_voor_ondertekening()
    client = Client()
    client.force_login(beleidsmaker())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("afspraak_aanbieden", args=[afspraak.pk])).status_code == 302
    partij = afspraak.partijen.select_related("bestuurder").get(organisatie=gemeente_organisatie("Leeuwarden"))
    assert partij.bevoegdheid.startswith("wethouder, gemandateerd bij collegebesluit van ")
    bestuurder = Client()
    verifieer(bestuurder, partij.bestuurder)
    tekst = bestuurder.get(reverse("afspraak_ondertekenen", args=[afspraak.pk])).content.decode()
    assert f"<strong>{partij.bevoegdheid}</strong>" in tekst
    # And its own page refuses now.
    assert bestuurder.get(reverse("afspraak_bevoegdheid", args=[afspraak.pk, partij.pk])).status_code == 403
