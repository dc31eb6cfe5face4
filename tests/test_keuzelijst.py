"""Selects of the section forms are written out in Python; the markup must be what Django's templates give."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken.models import Fase
from regio.formulieren import LangeKeuzelijst
from tests.afspraak_helpers import gebruiker_van, maak_afspraak, met_versie

KEUZES = [("", "—"), ("a", "A & <b>"), ("Groep", [("x", '"X"'), ("y", "Y")])]


class _Boom(HTMLParser):
    """Tags with their attributes as a set (attribute order carries no meaning), and the text between them."""

    def __init__(self):
        super().__init__()
        self.delen = []

    def handle_starttag(self, tag, attrs):
        self.delen.append((tag, frozenset(attrs)))

    def handle_endtag(self, tag):
        self.delen.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.delen.append((data.strip(),))


def _zonder_witruimte(html):
    boom = _Boom()
    boom.feed(html)
    return boom.delen


class Django(forms.Form):
    keuze = forms.ChoiceField(choices=KEUZES, widget=forms.Select(attrs={"aria-describedby": "hulp"}))
    organisatie = forms.ModelChoiceField(queryset=Organisatie.objects.order_by("naam"), required=False)


class Snel(forms.Form):
    keuze = forms.ChoiceField(choices=KEUZES, widget=LangeKeuzelijst(attrs={"aria-describedby": "hulp"}))
    organisatie = forms.ModelChoiceField(
        queryset=Organisatie.objects.order_by("naam"), required=False, widget=LangeKeuzelijst
    )


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"keuze": "y"}, {"keuze": "", "organisatie": "1"}])
def test_zelfde_opmaak_als_django(refdata, data):
    if data and "organisatie" in data:
        data["organisatie"] = str(Organisatie.objects.order_by("naam")[5].pk)
    django_formulier, snel_formulier = Django(data), Snel(data)
    if data:
        django_formulier.is_valid(), snel_formulier.is_valid()
    for naam in ("keuze", "organisatie"):
        assert _zonder_witruimte(str(snel_formulier[naam])) == _zonder_witruimte(str(django_formulier[naam]))


@pytest.mark.django_db
def test_nieuwe_partij_toont_geen_bestuurders_van_het_hele_land(client, refdata):
    afspraak = maak_afspraak(4)
    partij = afspraak.partijen.select_related("organisatie").first()
    schrijver = gebruiker_van(partij.organisatie, Gebruiker.Rol.BELEIDSMAKER, "schrijver")
    elders = Organisatie.objects.exclude(pk__in=afspraak.partijen.values("organisatie")).first()
    gebruiker_van(elders, Gebruiker.Rol.BESTUURDER, "bestuurder-elders")
    eigen = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, "bestuurder-hier")
    client.force_login(schrijver)
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERKENNEN])).content.decode()
    assert 'name="partijen-nieuw-bestuurder"' not in pagina
    assert "bestuurder-elders" not in pagina
    # A party's own bestuurders are offered on its row, once it exists (and is opened for editing).
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERKENNEN]),
                        {"bewerk": "partijen", "rij": partij.pk}).content.decode()
    assert "bestuurder-elders" not in pagina
    rij = re.search(rf'<select name="partijen-{partij.pk}-bestuurder".*?</select>', pagina, re.S).group(0)
    assert f'value="{eigen.pk}"' in rij


@pytest.mark.django_db
def test_rijnummers_en_versies_zonder_duizendtalscheiding(client, refdata):
    """Found by the concurrency test in a full run: row 1045 had id "…-rij-1.045", which a CSS selector (htmx's
    target, the version field's id) reads as a class. Numbers that machines read are never localized."""
    from afspraken.models import Actie

    afspraak = maak_afspraak(4)
    partij = afspraak.partijen.select_related("organisatie").first()
    client.force_login(gebruiker_van(partij.organisatie, Gebruiker.Rol.BELEIDSMAKER, "schrijver"))
    actie = Actie.objects.create(
        pk=12345, afspraak=afspraak, fase=Fase.VERANKEREN, omschrijving="Overleg plannen.", versie=1234
    )
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERANKEREN])).content.decode()
    assert f'id="sectie-acties-verankeren-rij-{actie.pk}"' in pagina
    assert f'value="bewerk:acties-verankeren:{actie.pk}"' in pagina
    assert f'value="verwijder:acties-verankeren:{actie.pk}"' in pagina
    assert "12.345" not in pagina and "1.234" not in pagina
    # The question whether to delete the row carries its version.
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERANKEREN]),
                        {"verwijder": "acties-verankeren", "rij": actie.pk}).content.decode()
    assert (f'name="acties-verankeren-{actie.pk}-versie" id="sectie-acties-verankeren-rij-{actie.pk}-versie" '
            'value="1234"') in pagina
    assert f'value="verwijder-bevestigd:acties-verankeren:{actie.pk}"' in pagina
    assert "12.345" not in pagina and "1.234" not in pagina
    pagina = client.get(reverse("afspraak_fase", args=[afspraak.pk, Fase.VERANKEREN]),
                        {"bewerk": "acties-verankeren", "rij": actie.pk}).content.decode()
    assert f'id="sectie-acties-verankeren-rij-{actie.pk}-versie" value="1234"' in pagina
    assert "12.345" not in pagina and "1.234" not in pagina
    opgeslagen = client.post(
        reverse("rij_opslaan", args=[afspraak.pk, "acties-verankeren", actie.pk]),
        {**met_versie("acties-verankeren-12345", 1234), "acties-verankeren-12345-omschrijving": "Overleg gepland.",
         "acties-verankeren-12345-status": "bezig"},
        headers={"HX-Request": "true"},
    )
    assert opgeslagen.status_code == 200
    assert 'value="1235"' in opgeslagen.content.decode() and "1.235" not in opgeslagen.content.decode()
