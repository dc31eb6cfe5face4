"""The OpenAPI description (generated from the code by drf-spectacular) and a readable page made from it.

The page is rendered on the server from the same generated schema: no JavaScript, nothing from a CDN.
The schema is generated once per process; it only changes with the code.
"""

import functools
import re

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions

from .basis import Alleenlezen
from .paginering import HOOGSTENS, STANDAARD

METHODEN = ("get", "head", "post", "put", "patch", "delete", "options")
PLAATS = {"path": "in het pad", "query": "in de query"}
_KEUZE = re.compile(r"^\* `(?P<waarde>[^`]*)` - (?P<label>.*)$")


class Schema(Alleenlezen, SpectacularAPIView):
    """GET /api/schema/: YAML, or JSON with ?format=json. Public; no session is read."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    pagination_class = None


@functools.cache
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


# --- from schema to page -------------------------------------------------------------------------


def _los_op(schema, onderdelen, diepte=0):
    """A schema with $ref and single-item allOf replaced by what they point at (keeping local keys)."""
    if diepte > 20 or not isinstance(schema, dict):
        return schema or {}
    if "$ref" in schema:
        naam = schema["$ref"].rsplit("/", 1)[-1]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return {**_los_op(onderdelen.get(naam, {}), onderdelen, diepte + 1), **rest}
    if len(schema.get("allOf", [])) == 1:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        return {**_los_op(schema["allOf"][0], onderdelen, diepte + 1), **rest}
    return schema


def _keuzes(schema):
    """[(value, label)] of an enum, the labels read from drf-spectacular's '* `x` - label' lines."""
    labels = {}
    for regel in (schema.get("description") or "").splitlines():
        if gevonden := _KEUZE.match(regel.strip()):
            labels[gevonden["waarde"]] = gevonden["label"]
    return [(str(w), labels.get(str(w), "")) for w in schema.get("enum", []) if w is not None]


def _omschrijving(schema):
    """The description without drf-spectacular's list of choices (shown separately)."""
    regels = [r for r in (schema.get("description") or "").splitlines() if not _KEUZE.match(r.strip())]
    return "\n".join(regels).strip()


def _soort(schema):
    """The type of a value as a person reads it."""
    if "enum" in schema:
        return "keuze"
    soort, formaat = schema.get("type"), schema.get("format")
    if soort == "array":
        return "lijst"
    if soort == "object" or "properties" in schema:
        return "object"
    if soort == "integer":
        return "geheel getal"
    if soort == "number":
        return "getal" if formaat != "decimal" else "decimaal getal"
    if soort == "boolean":
        return "ja of nee (true/false)"
    if soort == "string":
        return {
            "date": "datum (JJJJ-MM-DD)",
            "date-time": "tijdstip (ISO 8601)",
            "uri": "adres (URL)",
            "decimal": "decimaal getal als tekst",
        }.get(formaat, "tekst")
    return "waarde"


def _veld(naam, schema, verplicht, onderdelen):
    beschrijving = _omschrijving(schema)
    element = None
    if schema.get("type") == "array":
        element = _los_op(schema.get("items", {}), onderdelen)
        if not beschrijving:
            beschrijving = _omschrijving(element)
    keuzebron = element if element is not None else schema
    return {
        "naam": naam,
        "soort": _soort(schema) + (f" van {_soort(element)}" if element is not None else ""),
        "kan_leeg": bool(schema.get("nullable")),
        "verplicht": verplicht,
        "omschrijving": beschrijving,
        "keuzes": _keuzes(keuzebron),
    }


def velden(schema, onderdelen, voorvoegsel="", diepte=0):
    """Every field of a (nested) object as rows: 'contactgemeente.cbs_code', 'results[].naam'."""
    schema = _los_op(schema, onderdelen)
    rijen = []
    if diepte > 8:
        return rijen
    verplicht = set(schema.get("required", []))
    for naam, eigenschap in schema.get("properties", {}).items():
        eigenschap = _los_op(eigenschap, onderdelen)
        pad = f"{voorvoegsel}{naam}"
        rijen.append(_veld(pad, eigenschap, naam in verplicht, onderdelen))
        if "properties" in eigenschap:
            rijen += velden(eigenschap, onderdelen, f"{pad}.", diepte + 1)
        elif eigenschap.get("type") == "array":
            element = _los_op(eigenschap.get("items", {}), onderdelen)
            if "properties" in element:
                rijen += velden(element, onderdelen, f"{pad}[].", diepte + 1)
    return rijen


def _parameters(operatie, onderdelen):
    uitkomst = []
    for parameter in operatie.get("parameters", []):
        schema = _los_op(parameter.get("schema", {}), onderdelen)
        uitkomst.append(
            {
                "naam": parameter["name"],
                "plaats": PLAATS.get(parameter["in"], parameter["in"]),
                "verplicht": bool(parameter.get("required")),
                "soort": _soort(schema),
                "omschrijving": _omschrijving(parameter) or _omschrijving(schema),
                "keuzes": _keuzes(schema),
            }
        )
    return uitkomst


def _antwoorden(operatie, onderdelen):
    codes, velden_ = [], []
    for code, antwoord in sorted(operatie.get("responses", {}).items()):
        codes.append({"code": code, "omschrijving": antwoord.get("description") or ""})
        schema = antwoord.get("content", {}).get("application/json", {}).get("schema")
        if code.startswith("2") and schema is not None:
            velden_ = velden(schema, onderdelen)
    return codes, velden_


def groepen(schema):
    """The operations grouped by tag, in the order of SPECTACULAR_SETTINGS['TAGS']."""
    onderdelen = schema.get("components", {}).get("schemas", {})
    volgorde = [t["name"] for t in schema.get("tags", [])]
    beschrijvingen = {t["name"]: t.get("description", "") for t in schema.get("tags", [])}
    per_tag = {}
    for pad, operaties in schema.get("paths", {}).items():
        for methode in METHODEN:
            if methode not in operaties:
                continue
            operatie = operaties[methode]
            tag = (operatie.get("tags") or ["Overig"])[0]
            codes, antwoordvelden = _antwoorden(operatie, onderdelen)
            per_tag.setdefault(tag, []).append(
                {
                    "id": operatie.get("operationId", f"{methode}-{pad}"),
                    "methode": methode.upper(),
                    "pad": pad,
                    "samenvatting": operatie.get("summary", ""),
                    "omschrijving": operatie.get("description", ""),
                    # An operation open to anyone lists no security, or an empty alternative.
                    "inloggen": bool(operatie.get("security")) and {} not in operatie["security"],
                    "parameters": _parameters(operatie, onderdelen),
                    "codes": codes,
                    "velden": antwoordvelden,
                }
            )
    tags = volgorde + sorted(t for t in per_tag if t not in volgorde)
    return [
        {
            "naam": tag,
            "anker": "groep-" + re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-"),
            "omschrijving": beschrijvingen.get(tag, ""),
            "operaties": per_tag[tag],
        }
        for tag in tags
        if tag in per_tag
    ]


@csrf_exempt  # read-only: any other method is 405, never a CSRF failure
@require_safe
def pagina(request):
    schema = openapi()
    return render(
        request,
        "api/documentatie.html",
        {
            "info": schema.get("info", {}),
            "openapi_versie": schema.get("openapi", ""),
            "groepen": groepen(schema),
            "standaard": STANDAARD,
            "hoogstens": HOOGSTENS,
            "titel": spectacular_settings.TITLE,
        },
    )
