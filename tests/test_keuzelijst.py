"""Selects of the section forms are written out in Python; the markup must be what Django's templates give."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken.models import Fase
from techniek.formulieren import LangeKeuzelijst
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


# --- a party chosen in a form: checked against the parties as loaded, as the database would ------------------


def _uitkomst(controle, waarde):
    try:
        resultaat = controle(waarde)
    except forms.ValidationError as fout:
        return ("fout", fout.code, fout.params, fout.messages)
    return ("goed", [p.pk for p in resultaat] if isinstance(resultaat, (list, tuple)) or hasattr(resultaat, "model")
            else getattr(resultaat, "pk", resultaat))


def test_partijkeuzes_gecontroleerd_uit_de_lijst_zoals_door_de_database(refdata, django_assert_num_queries):
    from afspraken import fasen
    from afspraken import secties as sectiemodule
    from afspraken.toetsing import Toetsgegevens

    afspraak, ander = maak_afspraak(4), maak_afspraak(12)
    gegevens = Toetsgegevens(afspraak)
    eigen = [p.pk for p in gegevens.partijen]
    vreemd = ander.partijen.first().pk
    enkel = sectiemodule.definitie(fasen.REGIE).formulier(afspraak, gegevens=gegevens).fields["regie_hulp"]
    meer = sectiemodule.definitie(fasen.FINANCIERING_NU).formulier(afspraak, gegevens=gegevens).fields["financiers"]
    waarden = ["", None, str(eigen[0]), eigen[1], f" {eigen[2]}", str(vreemd), "abc", "1.5", "0", "-3"]
    lijsten = [[str(eigen[0])], [str(p) for p in eigen[:5]], [str(eigen[3]), str(eigen[0]), str(eigen[3])],
               [str(eigen[0]), str(vreemd)], [str(eigen[0]), "abc"], [f" {eigen[1]}"], [["a"]], [str(eigen[0]), "\x00"]]
    with django_assert_num_queries(0):  # the list was read already
        uit_lijst = [_uitkomst(enkel.to_python, w) for w in waarden]
        uit_lijst += [_uitkomst(meer._check_values, w) for w in lijsten]
    met_database = ([_uitkomst(lambda w: forms.ModelChoiceField.to_python(enkel, w), w) for w in waarden]
                    + [_uitkomst(lambda w: forms.ModelMultipleChoiceField._check_values(meer, w), w) for w in lijsten])
    assert uit_lijst == met_database
    assert [u[0] for u in uit_lijst].count("goed") == 8


def test_een_vernauwde_partijkeuze_gaat_langs_de_database(refdata):
    """The aanbod's instellingen narrow the parties: another party is refused as Django refuses it."""
    from aanbod.onderdelen import SLEUTEL_AANBOD
    from afspraken import secties as sectiemodule
    from afspraken.toetsing import Toetsgegevens

    afspraak = maak_afspraak(4)
    gegevens = Toetsgegevens(afspraak)
    veld = sectiemodule.definitie(SLEUTEL_AANBOD).formulier(afspraak, gegevens=gegevens).fields["voor_instellingen"]
    gemeente = next(p for p in gegevens.partijen if p.organisatie.soort == Organisatie.Soort.GEMEENTE)
    with pytest.raises(forms.ValidationError) as fout:
        veld.clean([str(gemeente.pk)])
    assert fout.value.code == "invalid_choice"
