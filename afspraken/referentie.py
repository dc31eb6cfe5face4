from regio.models import Dataset
from regio.referentie import fixture_pad, lees_json

from .models import Basisafspraak


def laad_basisafspraken(verslag):
    data = lees_json(fixture_pad("domein", "basisafspraken.json"))
    Dataset.objects.update_or_create(
        soort=Dataset.Soort.BASISAFSPRAKEN,
        peiljaar=0,
        defaults={"status": Dataset.Status.OFFICIEEL, "bron": data["bron"]},
    )
    for item in data["basisafspraken"]:
        Basisafspraak.objects.update_or_create(
            nummer=item["nummer"], defaults={"tekst": item["tekst"], "bron": data["bron"]}
        )
    verslag.meld(f"{len(data['basisafspraken'])} basisafspraken")
