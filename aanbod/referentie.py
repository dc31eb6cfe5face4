from regio.models import Dataset
from regio.referentie import fixture_pad, lees_json

from .models import Aanbodvorm, Financieringsbron, Ondersteuningsniveau


def laad_continuum(verslag):
    data = lees_json(fixture_pad("domein", "continuum.json"))
    Dataset.objects.update_or_create(
        soort=Dataset.Soort.CONTINUUM,
        peiljaar=0,
        defaults={
            "status": Dataset.Status.OFFICIEEL,
            "bron": data["bron"],
            "toelichting": "Catalogus van aanbodvormen: " + data["aanbodvormen_bron"],
        },
    )
    niveaus = {}
    for item in data["niveaus"]:
        niveaus[item["nummer"]], _ = Ondersteuningsniveau.objects.update_or_create(
            nummer=item["nummer"],
            defaults={
                "naam": item["naam"],
                "doel": item["doel"],
                "toelichting": item["toelichting"],
                "praktijkvoorbeelden": item["praktijkvoorbeelden"],
                "bron": data["bron"],
            },
        )
    bronnen = {}
    for volgorde, item in enumerate(data["financieringsbronnen"], start=1):
        bronnen[item["code"]], _ = Financieringsbron.objects.update_or_create(
            code=item["code"], defaults={"naam": item["naam"], "volgorde": volgorde}
        )
    for item in data["aanbodvormen"]:
        Aanbodvorm.objects.update_or_create(
            code=item["code"],
            defaults={
                "naam": item["naam"],
                "niveau": niveaus[item["niveau"]],
                "financieringsbron": bronnen[item["financieringsbron"]],
                "wettelijke_basis": item["wettelijke_basis"],
                "omschrijving": item["omschrijving"],
                "bron": data["aanbodvormen_bron"],
            },
        )
    verslag.meld(f"{len(niveaus)} ondersteuningsniveaus, {len(data['aanbodvormen'])} aanbodvormen")
