"""Inputs and textareas are written out in Python (techniek.formulieren.Formulierweergave): the markup must be Django's,
byte for byte, for every kind of value and attribute, and on the real pages."""

import datetime
import decimal
from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from accounts.models import Gebruiker
from afspraken.models import Actie, Fase
from techniek.formulieren import INVOERSJABLONEN, TEKSTVAK, Formulierweergave
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak
from tests.pagina_helpers import zonder_tokens

SJABLONEN = Path(django.__file__).parent / "forms" / "templates"


def test_de_vervangen_sjablonen_zijn_nog_wat_ze_waren():
    """The Python is a copy of these templates: a Django upgrade that changes one fails here."""
    lees = lambda naam: (SJABLONEN / naam).read_text()  # noqa: E731
    for naam in INVOERSJABLONEN:
        assert lees(naam).strip() == '{% include "django/forms/widgets/input.html" %}', naam
    assert lees("django/forms/widgets/input.html").strip() == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}{% include \"django/forms/widgets/attrs.html\" %}>"
    )
    assert lees("django/forms/widgets/attrs.html").strip() == (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}"
        "=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    )
    assert lees(TEKSTVAK).strip() == (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    )


def test_het_project_gebruikt_deze_weergave():
    assert isinstance(get_default_renderer(), Formulierweergave)


ATTRIBUTEN = [
    {},
    {"required": True, "disabled": False, "maxlength": 200, "id": "id_x"},
    {"aria-describedby": "a_helptext a_error", "aria-invalid": "true", "title": '"Aanhalingstekens" & <b>'},
    {"data-leeg": None, "data-tupel": (1, "a"), "class": mark_safe("a&amp;b"), "step": decimal.Decimal("0.01")},
]

WIDGETS = [
    (forms.TextInput(), [None, "", "a & <b>", mark_safe("<i>veilig</i>"), 0, 12345, "regel\nregel"]),
    (forms.NumberInput(), [None, 3, 1234567, decimal.Decimal("1234.50"), 2.5]),
    (forms.EmailInput(), ["iemand@example.org", None]),
    (forms.URLInput(), ["https://example.org/?a=1&b=2"]),
    (forms.PasswordInput(), ["geheim"]),
    (forms.PasswordInput(render_value=True), ["geheim"]),
    (forms.HiddenInput(), [7, "v", None]),
    (forms.CheckboxInput(), [True, False, None, "", "on"]),
    (forms.DateInput(), [datetime.date(2026, 12, 31), "31-12-2026", None]),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), [datetime.date(2026, 1, 2)]),
    (forms.DateTimeInput(), [datetime.datetime(2026, 12, 31, 23, 59)]),
    (forms.TimeInput(), [datetime.time(9, 30)]),
    (forms.Textarea(), [None, "", "Eerste regel\nTweede <regel> & meer", mark_safe("<b>veilig</b>"), 0, 42]),
]


@pytest.mark.parametrize(
    "widget,waarden", WIDGETS, ids=lambda w: type(w).__name__ if isinstance(w, forms.Widget) else ""
)
@pytest.mark.parametrize("attrs", ATTRIBUTEN)
@pytest.mark.parametrize("gelokaliseerd", [False, True])
def test_zelfde_opmaak_als_djangos_sjablonen(widget, waarden, attrs, gelokaliseerd):
    widget.is_localized = gelokaliseerd
    for waarde in waarden:
        django_html = widget.render("veld", waarde, attrs=dict(attrs), renderer=DjangoTemplates())
        eigen_html = widget.render("veld", waarde, attrs=dict(attrs), renderer=Formulierweergave())
        assert eigen_html == django_html, (type(widget).__name__, waarde, attrs)


def test_andere_sjablonen_gaan_door_django():
    keuze = forms.RadioSelect(choices=[("a", "A"), ("b", "B & C")])
    assert keuze.render("k", "b", renderer=Formulierweergave()) == keuze.render("k", "b", renderer=DjangoTemplates())


KEUZES = [("1", "Eén & <twee>"), ("2", mark_safe("<i>veilig</i>")), (3, 3), ("b", "B & C")]


@pytest.mark.parametrize("soort", [forms.CheckboxSelectMultiple, forms.RadioSelect])
@pytest.mark.parametrize("waarde", [None, "1", ["1", "3"], "b"])
@pytest.mark.parametrize("attrs", [{}, {"class": "keuze", "required": True}, {"id": ""}])
def test_opties_van_een_keuzelijst_zoals_djangos_sjablonen(soort, waarde, attrs):
    """Each option as BoundWidget.tag() renders it, with and without the label wrapped around it."""
    veldsoort = forms.MultipleChoiceField if soort is forms.CheckboxSelectMultiple else forms.ChoiceField

    class Formulier(forms.Form):
        keuze = veldsoort(choices=KEUZES, widget=soort(attrs=dict(attrs)), required=False)

    opties = {}
    for renderer in (DjangoTemplates(), Formulierweergave()):
        formulier = Formulier(data={"keuze": waarde} if waarde is not None else None, renderer=renderer)
        opties[type(renderer)] = [(o.tag(), o.tag(wrap_label=True)) for o in formulier["keuze"]]
    assert opties[Formulierweergave] == opties[DjangoTemplates]
    assert len(opties[DjangoTemplates]) == len(KEUZES)


# --- the real pages -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fasepaginas_zijn_gelijk_aan_die_van_djangos_weergave():
    afspraak = maak_afspraak(4)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg & <afstemming>", status="open")
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    verzoeken = [(reverse("afspraak_fase", args=[afspraak.pk, fase]), {}) for fase in Fase.values]
    verzoeken.append((reverse("afspraak_fase", args=[afspraak.pk, 1]), {"bewerk": "acties-verkennen", "rij": actie.pk}))
    verzoeken.append((reverse("afspraak_overzicht", args=[afspraak.pk]), {}))
    gezien = 0
    for url, query in verzoeken:
        eigen = client.get(url, query)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            assert not isinstance(get_default_renderer(), Formulierweergave)
            django_pagina = client.get(url, query)
        assert eigen.status_code == django_pagina.status_code == 200
        assert zonder_tokens(eigen.content.decode()) == zonder_tokens(django_pagina.content.decode()), url
        gezien += eigen.content.decode().count("<input") + eigen.content.decode().count("<textarea")
    assert gezien > 100  # the pages did render forms
