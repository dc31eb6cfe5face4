"""Building blocks the public and the members' serializers share: counts, references by domain code, errors."""

import re

from rest_framework import serializers


def instellingsleutel(instelling):
    """The identifier of an instelling in the API: its DUO instellingscode, or its number while DUO's is unknown."""
    return instelling.instellingscode or str(instelling.pk)


def is_nummer(tekst):
    return bool(re.fullmatch(r"[0-9]{1,18}", tekst or ""))


class CodeOfNull(serializers.CharField):
    """A code that may be unknown: an empty value is given as null, never as ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value) if value else None


# Serializer docstrings are the component descriptions of the OpenAPI schema: Dutch, for the API's readers.
class AantalSerializer(serializers.Serializer):
    """Een aantal studenten dat onderdrukte delen kan bevatten: een bereik van ondergrens tot bovengrens."""

    bekend = serializers.IntegerField(help_text="Het bekende deel: de som van de aantallen die de bron wel noemde.")
    onderdrukt = serializers.IntegerField(
        help_text="Hoeveel onderdrukte delen erin zitten. DUO noemt aantallen van 1 tot en met 4 niet; elk "
        "onderdrukt deel is 1 tot 4 studenten, nooit 0."
    )
    ondergrens = serializers.IntegerField(help_text="Het kleinst mogelijke aantal: bekend + 1 per onderdrukt deel.")
    bovengrens = serializers.IntegerField(help_text="Het grootst mogelijke aantal: bekend + 4 per onderdrukt deel.")
    is_exact = serializers.BooleanField(
        help_text="Waar als er geen onderdrukt deel in zit: dan zijn bekend, ondergrens en bovengrens gelijk."
    )


class GemeenteVerwijzingSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(source="code", help_text="CBS-gemeentecode, bijvoorbeeld GM0014.")
    naam = serializers.CharField(help_text="Naam van de gemeente.")


class InstellingVerwijzingSerializer(serializers.Serializer):
    sleutel = serializers.SerializerMethodField(
        help_text="Sleutel van de instelling in deze API: de DUO-instellingscode, of een intern nummer zolang "
        "die code niet bekend is."
    )
    instellingscode = CodeOfNull(
        help_text="DUO-instellingscode (vroeger BRIN), bijvoorbeeld 25LX; null zolang onbekend."
    )
    naam = serializers.CharField(help_text="Naam van de mbo-instelling.")

    def get_sleutel(self, instelling) -> str:
        return instellingsleutel(instelling)


class FoutmeldingSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")


class JaarbedragSerializer(serializers.Serializer):
    jaar = serializers.IntegerField(help_text="Kalenderjaar.")
    centen = serializers.IntegerField(help_text="Bedrag in hele eurocenten (123456 is € 1.234,56).")
