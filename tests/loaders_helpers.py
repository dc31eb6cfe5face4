"""Helpers for the loader and beheer tests: build CSV bytes in memory, give the shipped instellingen
test codes, load a file through preview and confirm, and fingerprint every data table to prove that a
rejected file wrote nothing."""

import csv
import io

from django.conf import settings

from accounts.models import Organisatie
from regio.loaders import bevestig_import, maak_import
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gegevensimport,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    MboInstelling,
    StudentenPerInstelling,
    StudentenPerWoongemeente,
)

VOORBEELDEN = settings.BASE_DIR / "fixtures" / "voorbeelden"


def csv_bytes(rijen, scheidingsteken=";", encoding="utf-8", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=scheidingsteken, lineterminator="\r\n").writerows(rijen)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def geef_testcodes():
    """Give every instelling without a code an obviously fake code T001, T002 … (by name order).
    Returns {code: instelling}."""
    codes = {}
    for i, instelling in enumerate(
        MboInstelling.objects.filter(instellingscode__isnull=True).order_by("naam", "pk"), 1
    ):
        instelling.instellingscode = f"T{i:03d}"
        instelling.save(update_fields=["instellingscode"])
        codes[instelling.instellingscode] = instelling
    return codes


def laad(soort, inhoud, naam="bestand.csv", peiljaar=None, gebruiker=None):
    """Preview and confirm `inhoud` as the beheerder would; asserts both succeed. Returns the import."""
    imp = maak_import(soort, inhoud, naam, gebruiker=gebruiker, peiljaar=peiljaar)
    assert imp.status == Gegevensimport.Status.VOORBEELD, imp.fouten
    uitkomst = bevestig_import(imp.pk, gebruiker)
    assert uitkomst.geladen, uitkomst.melding
    imp.refresh_from_db()
    return imp


def vingerafdruk():
    """Counts of every data table plus the values a load could change."""
    return {
        "datasets": sorted(
            Dataset.objects.values_list("soort", "peiljaar", "status", "door_beheerder", "bron")
        ),
        "regios": sorted(Doorstroompuntregio.objects.values_list("nummer", "contactgemeente_id", "naam")),
        "gemeenten": sorted(Gemeente.objects.values_list("code", "regio_id", "naam")),
        "inwonertallen": sorted(Inwonertal.objects.values_list("gemeente_id", "peiljaar", "aantal")),
        "instellingen": sorted(
            MboInstelling.objects.values_list("pk", "instellingscode", "naam", "vestigingsgemeente_id", "plaatsnaam"),
            key=str,
        ),
        "aanwezigheden": sorted(InstellingInRegio.objects.values_list("instelling_id", "regio_id", "bron")),
        "organisaties": Organisatie.objects.count(),
        "studenten_instelling": sorted(
            StudentenPerInstelling.objects.values_list("instelling_id", "peiljaar", "leerweg", "aantal", "onderdrukt")
        ),
        "studenten_woongemeente": StudentenPerWoongemeente.objects.count(),
    }
