"""Loading the shipped reference data (fixtures/) idempotently.

Higher apps (accounts, afspraken, aanbod) register their own loaders here from AppConfig.ready(), so this
app never imports them; accounts gives every gemeente and instelling its organisation. What a beheerder
loaded through an upload is never overwritten by the shipped fixtures: a dataset marked `door_beheerder` is left alone.
"""

import csv
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from techniek.register import Register

from .models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    Leerweg,
    MboInstelling,
    StudentenPerInstelling,
)

# Callables(verslag) that load one higher app's reference data.
loaders = Register("referentiegegevens")
registreer = loaders.registreer


@dataclass
class Verslag:
    regels: list = field(default_factory=list)

    def meld(self, tekst):
        self.regels.append(tekst)


def fixture_pad(*delen):
    return settings.FIXTURES_REFDATA_DIR.joinpath(*delen)


def lees_csv(pad):
    with open(pad, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def lees_json(pad):
    with open(pad, encoding="utf-8") as f:
        return json.load(f)


def laad_alles():
    verslag = Verslag()
    with transaction.atomic():
        laad_regio_referentie(verslag)
        for loader in loaders:
            loader(verslag)
    return verslag


# The 2024 table (seed 002) writes some instellingen differently per region. These names are one
# instelling listed under two regions (ROC Midden Nederland has near-identical totals in both).
TABEL_ALIASSEN = {"ROC Midden NL": "ROC Midden Nederland"}
# ... while this name stands for two distinct instellingen (different totals, regions far apart).
TABEL_ONDERSCHEIDEN = {"Grafisch lyceum"}

TABEL_BRON = (
    "Basisafspraken voor regionale samenwerking Zorg en Welzijn voor mbo-studenten (februari 2026), "
    "tabel Doorstroompuntregio's met mbo-instellingen (2024)"
)
CBS_BRON = "CBS Wijken en Buurten 2023, gemeentelaag (via PDOK); aantal inwoners op 1 januari 2023"
INDELING_BRON = (
    "Gereconstrueerd uit de Regeling vsv 2020-2024 (Stcrt. 2020-20218, bijlage 2), Stcrt. 2022-32905 en de lijst van "
    "2012 (BWBR0031387, bijlage C) met gemeentelijke herindelingen 2013-2023. Niet de officiële indeling: laad die "
    "als beheerder zodra ze beschikbaar is."
)
CONTACTGEMEENTE_SEED = "seed 002"


def _dataset(soort, peiljaar, status, bron, **extra):
    """Create or refresh a shipped dataset; returns None when a beheerder's upload owns it."""
    dataset, created = Dataset.objects.get_or_create(
        soort=soort, peiljaar=peiljaar, defaults={"status": status, "bron": bron, **extra}
    )
    if dataset.door_beheerder:
        return None
    if not created:
        for key, value in {"status": status, "bron": bron, **extra}.items():
            setattr(dataset, key, value)
        dataset.save()
    return dataset


def laad_regio_referentie(verslag):
    gemeenten_rijen = lees_csv(fixture_pad("refdata", "gemeenten_2023_cbs.csv"))
    indeling_rijen = lees_csv(fixture_pad("refdata", "rmc_regio_per_gemeente_2023_DRAFT.csv"))
    regio_rijen = lees_csv(fixture_pad("refdata", "rmc_regios_2023_DRAFT.csv"))
    tabel_rijen = lees_csv(fixture_pad("domein", "doorstroompuntregios_mbo_2024.csv"))

    _dataset(
        Dataset.Soort.REGIOS,
        0,
        Dataset.Status.GERECONSTRUEERD,
        "40 RMC-regio's (doorstroompuntregio's) met nummer en naam; contactgemeenten uit " + TABEL_BRON
        + " en de tekst over Groningen in hetzelfde document.",
        toelichting="Contactgemeenten die de bron niet noemt staan als 'contactgemeente onbekend'; een beheerder kan "
        "ze zetten.",
    )
    korte_namen = {}
    for rij in tabel_rijen:
        korte_namen.setdefault(int(rij["rmc_regio_nummer"]), rij["doorstroompuntregio_kort"])
    regios = {}
    for rij in regio_rijen:
        nummer = int(rij["rmc_regio_nummer"])
        regio, _ = Doorstroompuntregio.objects.update_or_create(
            nummer=nummer,
            defaults={"naam": rij["rmc_regio_naam"], "korte_naam": korte_namen.get(nummer, "")},
        )
        regios[nummer] = regio

    # Gemeenten (official CBS codes and names).
    _dataset(
        Dataset.Soort.GEMEENTEN,
        2023,
        Dataset.Status.OFFICIEEL,
        CBS_BRON,
        licentie="CC BY 4.0 (Bron: CBS, PDOK)",
    )
    indeling = {rij["gemeentecode"]: int(rij["rmc_regio_nummer"]) for rij in indeling_rijen}
    indeling_dataset = _dataset(Dataset.Soort.INDELING, 0, Dataset.Status.GERECONSTRUEERD, INDELING_BRON)
    bestaand = {g.code: g for g in Gemeente.objects.all()}
    nieuw, gewijzigd = [], []
    for rij in gemeenten_rijen:
        code = rij["gemeentecode"]
        gemeente = bestaand.get(code)
        regio = regios[indeling[code]]
        if gemeente is None:
            nieuw.append(Gemeente(code=code, naam=rij["gemeentenaam"], regio=regio))
            continue
        changed = gemeente.naam != rij["gemeentenaam"]
        gemeente.naam = rij["gemeentenaam"]
        if indeling_dataset is not None and gemeente.regio_id != regio.pk:
            gemeente.regio = regio
            changed = True
        if changed:
            gewijzigd.append(gemeente)
    Gemeente.objects.bulk_create(nieuw)
    Gemeente.objects.bulk_update(gewijzigd, ["naam", "regio"])
    gemeenten = {g.code: g for g in Gemeente.objects.all()}

    inwoners_dataset = _dataset(
        Dataset.Soort.INWONERS, 2023, Dataset.Status.OFFICIEEL, CBS_BRON, licentie="CC BY 4.0 (Bron: CBS, PDOK)"
    )
    if inwoners_dataset is not None:
        bestaande_tallen = {t.gemeente_id: t for t in Inwonertal.objects.filter(peiljaar=2023)}
        nieuw_tal, gewijzigd_tal = [], []
        for rij in gemeenten_rijen:
            gemeente = gemeenten[rij["gemeentecode"]]
            aantal = int(rij["aantal_inwoners"])
            tal = bestaande_tallen.get(gemeente.pk)
            if tal is None:
                nieuw_tal.append(Inwonertal(dataset=inwoners_dataset, gemeente=gemeente, peiljaar=2023, aantal=aantal))
            elif tal.aantal != aantal or tal.dataset_id != inwoners_dataset.pk:
                tal.aantal, tal.dataset = aantal, inwoners_dataset
                gewijzigd_tal.append(tal)
        Inwonertal.objects.bulk_create(nieuw_tal)
        Inwonertal.objects.bulk_update(gewijzigd_tal, ["aantal", "dataset"])

    # Contactgemeenten: only those the seed documents name; a beheerder's choice is kept.
    for rij in regio_rijen:
        regio = regios[int(rij["rmc_regio_nummer"])]
        if regio.contactgemeente_bron.startswith("beheerder"):
            continue
        bron = rij["contactgemeente_bron"]
        if rij["contactgemeente"] and bron.startswith(CONTACTGEMEENTE_SEED):
            naam = rij["contactgemeente"]
            gemeente = next(g for g in gemeenten.values() if g.naam == naam and g.regio_id == regio.pk)
            regio.contactgemeente = gemeente
            regio.contactgemeente_bron = (
                TABEL_BRON if "tabel" in bron else "Basisafspraken … (februari 2026), hoofdstuk 4, tekst over Groningen"
            )
        else:
            regio.contactgemeente = None
            regio.contactgemeente_bron = ""
        regio.save(update_fields=["contactgemeente", "contactgemeente_bron"])

    _laad_tabel_instellingen(tabel_rijen, regios)

    _dataset(
        Dataset.Soort.KAART,
        2023,
        Dataset.Status.OFFICIEEL,
        "CBS Wijken en Buurten 2023, gemeentegrenzen via PDOK, vereenvoudigd tot 1% (mapshaper).",
        licentie="CC BY 4.0 (Bron: CBS, PDOK)",
    )

    verslag.meld(
        f"{len(regios)} doorstroompuntregio's, {len(gemeenten)} gemeenten, "
        f"{MboInstelling.objects.count()} mbo-instellingen"
    )


def _laad_tabel_instellingen(tabel_rijen, regios):
    instellingen_dataset = _dataset(
        Dataset.Soort.INSTELLINGEN, 2024, Dataset.Status.OFFICIEEL, TABEL_BRON,
        toelichting="Namen zoals in de tabel; instellingscode en vestigingsgemeente volgen uit het "
        "DUO-adressenbestand.",
    )
    studenten_dataset = _dataset(
        Dataset.Soort.STUDENTEN_INSTELLING, 2024, Dataset.Status.OFFICIEEL, TABEL_BRON,
        toelichting="Totaal aantal studenten per instelling in 2024 zoals de tabel het geeft.",
    )
    if instellingen_dataset is None:
        return
    per_canoniek = {}
    totalen = {}
    for rij in tabel_rijen:
        regio = regios[int(rij["rmc_regio_nummer"])]
        bronnaam = rij["mbo_instelling"].strip()
        canoniek = TABEL_ALIASSEN.get(bronnaam, bronnaam)
        if canoniek in TABEL_ONDERSCHEIDEN:
            sleutel = (canoniek, regio.nummer)
            weergave = f"{canoniek} ({regio.korte_naam or regio.naam})"
        else:
            sleutel = (canoniek, None)
            weergave = canoniek
        instelling = per_canoniek.get(sleutel)
        if instelling is None:
            bestaande = (
                InstellingInRegio.objects.select_related("instelling")
                .filter(bron=TABEL_BRON, naam_in_bron__in=[bronnaam, canoniek])
                .filter(**({"regio": regio} if sleutel[1] else {}))
                .first()
            )
            if bestaande:
                instelling = bestaande.instelling
            else:
                instelling = MboInstelling.objects.create(naam=weergave)
            per_canoniek[sleutel] = instelling
        InstellingInRegio.objects.update_or_create(
            instelling=instelling, regio=regio, defaults={"naam_in_bron": bronnaam, "bron": TABEL_BRON}
        )
        # An instelling listed twice carries its first listed total (ROC Midden Nederland: 17,477 and 17,478).
        totalen.setdefault(instelling.pk, (instelling, int(rij["studenten_2024"])))
    if studenten_dataset is None:
        return
    for instelling, aantal in totalen.values():
        StudentenPerInstelling.objects.update_or_create(
            instelling=instelling,
            peiljaar=2024,
            leerweg=Leerweg.TOTAAL,
            defaults={"dataset": studenten_dataset, "aantal": aantal, "onderdrukt": 0},
        )

