"""National-scale seed for `make bench`: every region an agreement with ~20 parties and every phase answered,
plus 100,000 student-count rows.

The content is the demo's (afspraken.demo, aanbod.demo, financiering.demo: Friesland Noord's texts and rows),
written through the same section API as the browser, so it is validated and has history. The Friesland
builders name their parties ("Gemeente Leeuwarden", "Firda", the demo zorgverzekeraar); here those names stand
for the region's contactgemeente, its largest instelling and the demo partner.
"""

import cProfile
import functools
import math
import os
import pstats
import sys
import time
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import translation

from aanbod import demo as aanboddemo
from accounts import demo as accountsdemo
from accounts.models import Gebruiker, Organisatie
from afspraken import demo as afsprakendemo
from afspraken.models import Fase, Partij, Uitvoeringsafspraak
from financiering import demo as financieringdemo
from regio import demo as regiodemo
from regio.loaders.kopieer import vervang_partitie
from regio.models import Doorstroompuntregio, Gemeente, MboInstelling, StudentenPerWoongemeente

PARTIJEN_DOEL = 20
STUDENTRIJEN = 100_000
# Regions that are marked "gereed voor ondertekening" (every other one) and the one signed through the real
# flow (two PDFs and a seal, ~20 s), so the monitor shows a mix and the monitoring page exists.
ONDERTEKEND = 18
# (leerweg, niveau, share): a breakdown as DUO gives it; the pages sum the parts.
UITSPLITSING = [
    ("BOLVT", "4", 0.34), ("BOLVT", "3", 0.20), ("BBL", "3", 0.12), ("BOLVT", "2", 0.10), ("BBL", "2", 0.08),
    ("BBL", "4", 0.06), ("BOLDT", "4", 0.04), ("BOLVT", "1", 0.03), ("EX", "3", 0.02), ("BOLDT", "3", 0.01),
]


def _meld(tekst):
    print(f"[zaaien] {tekst}", flush=True)


# --- students ----------------------------------------------------------------------------------------------


def zaai_studenten(aantal=STUDENTRIJEN):
    """Replace the 2024 student counts per woongemeente with `aantal` breakdown rows (leerweg × niveau).

    The demo's synthetic distribution (regio.demo, ~2,700 instelling × gemeente cells) is the core; a thin tail
    over every gemeente makes the grid dense; the `aantal` cells with the largest expected count are kept and
    written with one COPY (regio.loaders.kopieer). Counts of 1–4 are stored suppressed, as DUO does."""
    uitkomst = regiodemo.genereer_studenten_per_woongemeente()
    dataset = uitkomst.dataset
    kern = defaultdict(float)
    for instelling_id, gemeente_id, bekend, onderdrukt in StudentenPerWoongemeente.objects.filter(
        dataset=dataset
    ).values_list("instelling_id", "gemeente_id", "aantal", "onderdrukt"):
        kern[(instelling_id, gemeente_id)] += bekend + 2.5 * onderdrukt
    totaal = defaultdict(float)
    for (instelling_id, _), n in kern.items():
        totaal[instelling_id] += n
    instellingen = sorted(totaal)
    gemeenten = list(
        Gemeente.objects.filter(actief=True, regio__isnull=False).order_by("code").values_list("pk", flat=True)
    )
    per_combinatie = math.ceil(aantal / (len(instellingen) * len(gemeenten)))
    if per_combinatie > len(UITSPLITSING):
        raise RuntimeError(
            f"{aantal} rijen passen niet in {len(instellingen)} × {len(gemeenten)} × {len(UITSPLITSING)}"
        )
    cellen = []
    for instelling_id in instellingen:
        staart = 0.05 * totaal[instelling_id] / len(gemeenten)
        for gemeente_id in gemeenten:
            verwacht = kern.get((instelling_id, gemeente_id), 0.0) + staart
            for leerweg, niveau, deel in UITSPLITSING:
                cellen.append((verwacht * deel, instelling_id, gemeente_id, leerweg, niveau))
    cellen.sort(key=lambda c: (-c[0], c[1], c[2], c[3], c[4]))
    rijen = []
    for verwacht, instelling_id, gemeente_id, leerweg, niveau in cellen[:aantal]:
        n = round(verwacht)
        onderdrukt = 1 <= n <= regiodemo.ONDERDRUKT_TOT
        rijen.append((dataset.pk, dataset.peiljaar, instelling_id, gemeente_id, leerweg, niveau,
                      0 if onderdrukt else n, 1 if onderdrukt else 0))
    with transaction.atomic():
        # The loader's own write: the peiljaar's partition replaced, as after a beheerder's upload.
        geschreven = vervang_partitie(
            StudentenPerWoongemeente, "peiljaar", dataset.peiljaar,
            ["dataset", "peiljaar", "instelling", "gemeente", "leerweg", "niveau", "aantal", "onderdrukt"],
            rijen,
        )
    return geschreven, len(instellingen), len(gemeenten)


# --- agreements --------------------------------------------------------------------------------------------


class _Afspraak(afsprakendemo.DemoAfspraak):
    """A demo agreement whose Friesland party names stand for this region's parties."""

    def __init__(self, afspraak, auteurs, partijen, vervangers):
        super().__init__(afspraak=afspraak, auteurs=auteurs, partijen=partijen)
        self.vervangers = vervangers

    def partij(self, naam):
        return super().partij(self.vervangers.get(naam, naam))


@contextmanager
def _bestuurders_per_regio(nummer):
    # The Friesland builder gives every party a bestuurder "demo-fn-bestuurder-N"; across 40 regions those names
    # would clash (and point at another region's organisation), so each region gets its own prefix.
    origineel = afsprakendemo._bestuurders_voor_alle_partijen
    afsprakendemo._bestuurders_voor_alle_partijen = functools.partial(
        origineel, voorvoegsel=f"bench-r{nummer}-bestuurder", functie=afsprakendemo._functie_naar_soort
    )
    try:
        yield
    finally:
        afsprakendemo._bestuurders_voor_alle_partijen = origineel


def _aanvullers(aantal):
    """Partners that top a small region up to ~20 parties (invented zorgaanbieders, shared by regions)."""
    return [
        Organisatie.objects.get_or_create(
            naam=f"Zorgpartner {n} (bench)", soort=Organisatie.Soort.PARTNER,
            defaults={"partner_soort": Organisatie.PartnerSoort.ZORGAANBIEDER},
        )[0]
        for n in range(1, aantal + 1)
    ]


def _onderwijspartner(regio):
    return Organisatie.objects.get_or_create(
        naam=f"Onderwijspartner {regio.nummer} (bench)", soort=Organisatie.Soort.PARTNER,
        defaults={"partner_soort": Organisatie.PartnerSoort.ANDERS},
    )[0]


def _gebruiker(gebruikersnaam, rol, organisatie, wachtwoord_hash):
    gebruiker, _ = Gebruiker.objects.update_or_create(
        username=gebruikersnaam,
        defaults={"first_name": "Bench", "last_name": gebruikersnaam, "email": f"{gebruikersnaam}@example.org",
                  "rol": rol, "organisatie": organisatie, "password": wachtwoord_hash, "is_active": True},
    )
    return gebruiker


def _maak_bestuurders(regio, partijen, wachtwoord_hash):
    """The bestuurders the Friesland builder would create, made beforehand with a password hashed once for the
    whole seed (the builder hashes once per agreement, ~1 s each on this machine); it then finds and uses them."""
    for nummer, partij in enumerate(sorted(partijen.values(), key=lambda p: p.organisatie.naam), start=1):
        Gebruiker.objects.get_or_create(
            username=f"bench-r{regio.nummer}-bestuurder-{nummer}",
            defaults={"first_name": "Bench", "last_name": f"bestuurder {partij.organisatie.naam}",
                      "email": f"bench-r{regio.nummer}-bestuurder-{nummer}@example.org",
                      "rol": Gebruiker.Rol.BESTUURDER, "functie": afsprakendemo._functie_naar_soort(partij),
                      "organisatie": partij.organisatie, "password": wachtwoord_hash},
        )


def _zet_contactgemeenten():
    """Regions without a known contactgemeente (the reference data leaves 10 open) get their most populous
    gemeente, in this throwaway database only: an agreement cannot start without one. Returns the numbers."""
    gezet = []
    for regio in Doorstroompuntregio.objects.filter(contactgemeente__isnull=True).order_by("nummer"):
        grootste = max(
            Gemeente.objects.filter(regio=regio, actief=True).prefetch_related("inwonertallen"),
            key=lambda g: (max((i.aantal for i in g.inwonertallen.all()), default=0), g.code),
        )
        regio.contactgemeente = grootste
        regio.save(update_fields=["contactgemeente"])
        gezet.append(regio.nummer)
    return gezet


def _vul(regio, gebruiker, partner, aanvulling, bestuurder_hash):
    """Start and fill one region's agreement; returns (_Afspraak, note or "")."""
    voorstellen = afsprakendemo.stel_partijen_voor(regio)
    instellingen = [v.organisatie for v in voorstellen if v.rol == Partij.Rol.INSTELLING]
    partners = [partner]
    opmerking = ""
    if instellingen:
        onderwijs = max(instellingen, key=lambda o: (o.instelling.studententotalen.count(), o.naam)).naam
    else:
        extra = _onderwijspartner(regio)
        partners.append(extra)
        onderwijs = extra.naam
        opmerking = "geen instelling"
    tekort = max(0, PARTIJEN_DOEL - len(voorstellen) - len(partners))
    partners += aanvulling[:tekort]
    titel = f"Uitvoeringsafspraak {regio.naam} (bench)"
    afspraak = afsprakendemo._start(regio, titel, partners, gebruiker)
    partijen = {p.organisatie.naam: p for p in Partij.objects.filter(afspraak=afspraak).select_related("organisatie")}
    _maak_bestuurders(regio, partijen, bestuurder_hash)
    contact = next(p for p in partijen.values() if p.rol == Partij.Rol.CONTACTGEMEENTE)
    demo = _Afspraak(afspraak, [gebruiker, gebruiker], partijen, {
        "Gemeente Leeuwarden": contact.organisatie.naam, "Firda": onderwijs,
    })
    with _bestuurders_per_regio(regio.nummer):
        afsprakendemo._friesland(demo)
    # The Friesland demo has acties in three phases; one in Verbeelden too, so every section has content.
    afsprakendemo.actie(afspraak, Fase.VERBEELDEN, gebruiker, "Visie met de studentenraad bespreken",
                        demo.partij("Firda"), "2027-05-01")
    aanboddemo._friesland(demo)
    financieringdemo._friesland(demo)
    afsprakendemo._bevoegdheden(demo)  # every party's signer's authority, needed to offer it (issue 27)
    return demo, tekort, opmerking


def zaai_afspraken(wachtwoord):
    """One agreement per region (all regions), one beleidsmaker per agreement; returns (users, notes)."""
    wachtwoord_hash = make_password(wachtwoord)  # hashed once: the hasher takes ~1 s per call here
    bestuurder_hash = make_password(afsprakendemo.DEMO_BESTUURDERS_WACHTWOORD)
    gebruikers, opmerkingen, aangevuld, zonder_instelling = [], [], [], []
    gezet = _zet_contactgemeenten()
    if gezet:
        opmerkingen.append(
            "Regions without a contactgemeente in the reference data got their most populous gemeente as one "
            "(bench database only; an agreement cannot start without one): " + ", ".join(map(str, gezet)) + "."
        )
    beheerder = _gebruiker("bench-beheerder", Gebruiker.Rol.BEHEERDER, None, wachtwoord_hash)
    partner = accountsdemo.maak_demo_partner()
    aanvulling = _aanvullers(PARTIJEN_DOEL)
    regios = list(Doorstroompuntregio.objects.select_related("contactgemeente__organisatie").order_by("nummer"))
    with translation.override("nl"):
        for regio in regios:
            begin = time.perf_counter()
            bestaand = regio.uitvoeringsafspraken.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).first()
            gebruiker = _gebruiker(f"bench-r{regio.nummer}", Gebruiker.Rol.BELEIDSMAKER,
                                   regio.contactgemeente.organisatie, wachtwoord_hash)
            if bestaand is None:
                profiler = cProfile.Profile() if os.environ.get("BENCH_PROFIEL_ZAAIEN") == str(regio.nummer) else None
                if profiler:
                    profiler.enable()
                with transaction.atomic():
                    demo, tekort, opmerking = _vul(regio, gebruiker, partner, aanvulling, bestuurder_hash)
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
                if tekort:
                    aangevuld.append(f"{regio.nummer} (+{tekort})")
                if opmerking:
                    zonder_instelling.append(str(regio.nummer))
                if regio.nummer % 2 == 0 or regio.nummer == ONDERTEKEND:
                    gereed, bezwaren = afsprakendemo._gereed(demo.afspraak, gebruiker)
                    if not gereed:
                        opmerkingen.append(f"Regio {regio.nummer} could not be marked gereed: {' '.join(bezwaren)}")
                    elif regio.nummer == ONDERTEKEND:
                        fout = afsprakendemo._onderteken(demo)
                        if fout:
                            opmerkingen.append(f"Regio {regio.nummer} not signed: {fout}")
                afspraak = demo.afspraak
            else:
                afspraak = bestaand
            _meld(f"regio {regio.nummer:2} {regio.naam}: {afspraak.partijen.count()} partijen, "
                  f"{time.perf_counter() - begin:.1f} s")
            gebruikers.append({"gebruikersnaam": gebruiker.username, "wachtwoord": wachtwoord,
                               "afspraak": afspraak.pk, "regio": regio.nummer})
    if zonder_instelling:
        opmerkingen.append(
            "Regions with no mbo-instelling in the reference data (InstellingInRegio), where an invented "
            "onderwijspartner takes the place of the demo's instelling: " + ", ".join(zonder_instelling) + "."
        )
    if aangevuld:
        opmerkingen.append(
            f"Regions with fewer than {PARTIJEN_DOEL} proposed parties, topped up with invented zorgpartners: "
            + ", ".join(aangevuld) + "."
        )
    gebruikers.append({"gebruikersnaam": beheerder.username, "wachtwoord": wachtwoord, "afspraak": None,
                       "regio": None, "beheerder": True})
    return gebruikers, opmerkingen


def lege_secties():
    """{section key: number of agreements where it is empty}, over every registered section."""
    from afspraken import secties

    leeg = defaultdict(int)
    afspraken = Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN)
    for afspraak in afspraken:
        for definitie in secties.alle():
            if isinstance(definitie, secties.Rijensectie):
                gevuld = definitie.rijen(afspraak).exists()
            else:
                gevuld = secties.sectie_toestand(afspraak, definitie.sleutel) is not None
            if not gevuld:
                leeg[definitie.sleutel] += 1
    return dict(leeg)


def tellingen():
    """Counts of what the seed made, for the report."""
    partijen = list(Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN)
                    .annotate(n=Count("partijen")).values_list("n", flat=True))
    status = defaultdict(int)
    for s in Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).values_list(
            "status", flat=True):
        status[s] += 1
    return {
        "regio's": Doorstroompuntregio.objects.count(),
        "gemeenten": Gemeente.objects.filter(actief=True).count(),
        "gemeenten in een regio": Gemeente.objects.filter(actief=True, regio__isnull=False).count(),
        "mbo-instellingen": MboInstelling.objects.count(),
        "afspraken": len(partijen),
        "partijen per afspraak": f"{min(partijen, default=0)}–{max(partijen, default=0)} "
                                 f"(gemiddeld {sum(partijen) / max(len(partijen), 1):.1f})",
        "status": ", ".join(f"{k} {v}" for k, v in sorted(status.items())),
        "studentrijen": StudentenPerWoongemeente.objects.count(),
        "gebruikers": Gebruiker.objects.count(),
    }


def zaai_landelijk(wachtwoord: str) -> list[dict]:
    """Migrate, load the reference data, and seed national scale. Returns the users as dicts
    {"gebruikersnaam", "wachtwoord", "afspraak": pk, "regio": nummer} (the beheerder last, with "beheerder")."""
    begin = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("laad_referentiedata", verbosity=0, stdout=sys.stderr)
    call_command("maak_zegelcertificaat", "--als-ontbreekt", verbosity=0, stdout=sys.stderr)
    _meld(f"migraties en referentiegegevens: {time.perf_counter() - begin:.1f} s")
    stap = time.perf_counter()
    rijen, instellingen, gemeenten = zaai_studenten()
    _meld(f"{rijen} studentrijen ({instellingen} instellingen × {gemeenten} gemeenten × leerweg/niveau): "
          f"{time.perf_counter() - stap:.1f} s")
    stap = time.perf_counter()
    gebruikers, opmerkingen = zaai_afspraken(wachtwoord)
    _meld(f"afspraken: {time.perf_counter() - stap:.1f} s")
    for opmerking in opmerkingen:
        _meld(opmerking)
    zaai_landelijk.opmerkingen = opmerkingen
    zaai_landelijk.duur_s = time.perf_counter() - begin
    zaai_landelijk.tellingen = tellingen()
    leeg = lege_secties()
    if leeg:
        opmerkingen.append("Sections left empty (section: agreements): "
                           + ", ".join(f"{k}: {v}" for k, v in sorted(leeg.items())) + ".")
    else:
        opmerkingen.append("Every registered section of every phase has content in every agreement.")
    _meld(f"klaar in {zaai_landelijk.duur_s:.0f} s: {zaai_landelijk.tellingen}")
    return gebruikers
