"""Demo data for `make run`: synthetic students per woongemeente (the demo users: accounts.demo).

No public DUO file gives students per instelling × woongemeente, so the demo makes a deterministic,
plausible distribution for peiljaar 2024 and marks it everywhere as "demo-gegevens, synthetisch".
A dataset a beheerder loaded (door_beheerder) or that is not synthetic is never touched.

The distribution, per instelling and per region it is present in (its 2024 total split between its
regions exactly, by the regions' inwoners):
- a centre: the instelling's vestigingsgemeente when it lies in that region, else the region's
  contactgemeente, else the region's most populous gemeente;
- shares drawn per instelling and region with a pseudo-random generator seeded by a fixed string
  (never hash()): centre 20–45%, rest of the region 30–50%, outside the region the remainder but
  at least 20% (centre and region scaled down when needed; they stay within their ranges), around
  the rule of thumb 30/40/30 and the Deltion example 14/46/40 (shared/domain/fasen.md);
- within the region by inwoners × exp(-afstand / 20 km) from the centre; outside by
  inwoners × exp(-afstand / 10 km), the 40 heaviest gemeenten only, and four times heavier for
  gemeenten in a region without an mbo-instelling of its own (their students all study elsewhere:
  Oost-Groningen and Noord-Groningen-Eemsmond for the Groningen instellingen);
- whole numbers adding up exactly to the instelling's total (largest remainder); then, as DUO does,
  counts of 1 to 4 are stored suppressed (aantal 0, onderdrukt 1), so stored sums are honest ranges.

Higher apps (afspraken, …) add their own demo data through `registreer(loader)` from their
AppConfig.ready(), so this app never imports them. A loader is a callable(verslag).
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from techniek.register import Register

from . import referentie
from .geo import afstand_km, zwaartepunten
from .models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    Leerweg,
    MboInstelling,
    StudentenPerInstelling,
    StudentenPerWoongemeente,
)

PEILJAAR = 2024
SYNTHETISCH = "demo-gegevens, synthetisch"

AANDEEL_CENTRUM = (0.20, 0.45)
AANDEEL_REGIO = (0.30, 0.50)
MIN_AANDEEL_BUITEN = 0.20
AFNAME_REGIO_KM = 20.0
AFNAME_BUITEN_KM = 10.0
MAX_GEMEENTEN_BUITEN = 40
GEWICHT_ZONDER_INSTELLING = 4.0
ONDERDRUKT_TOT = 4  # DUO suppresses counts of 1 to 4

DATASET_BRON = (
    "Demo-gegevens, synthetisch: gemaakt door deze applicatie (regio.demo) voor de demo. "
    "Geen DUO-gegevens en geen echte aantallen: DUO publiceert geen studenten per instelling en "
    "woongemeente. Een beheerder vervangt ze door echte gegevens via 'Gegevens laden'."
)
DATASET_TOELICHTING = (
    "Demo-gegevens, synthetisch. Zo gemaakt: het totaal van elke instelling in 2024 (tabel "
    "doorstroompuntregio's met mbo-instellingen) is verdeeld over woongemeenten; een instelling in "
    "twee regio's is eerst naar inwoners over die regio's verdeeld. Per regio woont 20–45% in het "
    "centrum (de vestigingsgemeente, anders de contactgemeente, anders de grootste gemeente), "
    "30–50% elders in de regio (naar inwoners, afnemend met de afstand) en de rest, minstens 20%, "
    "buiten de regio (naar inwoners, sterker afnemend met de afstand, hoogstens 40 gemeenten; "
    "gemeenten in een regio zonder eigen mbo-instelling wegen vier keer zo zwaar). "
    "De percentages verschillen per "
    "instelling door een vaste pseudo-willekeurige trekking rond de vuistregel 30/40/30; elke run "
    "geeft dezelfde uitkomst. Aantallen van 1 tot 4 zijn onderdrukt, zoals DUO dat doet."
)

# Callables(verslag) that load one higher app's demo data.
loaders = Register("demogegevens")
registreer = loaders.registreer


@dataclass
class Inlog:
    titel: str
    gebruikersnaam: str
    wachtwoord: str | None  # None: the user changed it; we leave it and do not show it
    organisatie: str
    kan: str
    nieuw: bool


@dataclass
class Verslag(referentie.Verslag):
    inloggen: list = field(default_factory=list)
    # (gebruikersnaam, the link to choose one's own password, or why there is none) per demo user (accounts.demo)
    uitnodigingen: list = field(default_factory=list)
    studenten: "Studentengeneratie | None" = None


# --- whole numbers -------------------------------------------------------------------------------


def verdeel_exact(totaal, gewichten):
    """Split the whole number `totaal` over the keys of `gewichten` (non-negative) by largest
    remainder; the parts add up exactly to `totaal`. Ties go to the smallest key, so the outcome
    never depends on dict order."""
    som = sum(gewichten.values())
    if totaal == 0 or not gewichten:
        return {sleutel: 0 for sleutel in gewichten}
    if som <= 0:
        raise ValueError("geen gewicht om over te verdelen")
    quota = {sleutel: totaal * gewicht / som for sleutel, gewicht in gewichten.items()}
    delen = {sleutel: math.floor(q) for sleutel, q in quota.items()}
    rest = totaal - sum(delen.values())
    volgorde = sorted(quota, key=lambda s: (-(quota[s] - delen[s]), s))
    for sleutel in volgorde[:rest]:
        delen[sleutel] += 1
    return delen


# --- the generator -------------------------------------------------------------------------------


@dataclass
class Studentengeneratie:
    dataset: Dataset | None = None
    overgeslagen: str = ""  # why nothing was generated (a beheerder's dataset), else empty
    rijen: int = 0
    onderdrukte_rijen: int = 0
    instellingen: int = 0
    studenten: int = 0
    centrum: int = 0
    regio: int = 0
    buiten: int = 0
    # (instelling_id, regio_id) -> part of the instelling's total given to that region
    delen: dict = field(default_factory=dict)
    # (instelling_id, regio_id) -> gemeente_id of the centre used
    centra: dict = field(default_factory=dict)
    zonder_regio: list = field(default_factory=list)

    def aandeel(self, deel):
        return deel / self.studenten if self.studenten else 0.0


@dataclass(frozen=True)
class _Gemeente:
    pk: int
    code: str
    regio_id: int
    inwoners: int
    punt: tuple | None


def _totaal_2024():
    """{instelling_id: students to distribute}: leerweg TOTAAL, else the sum of the leerwegen.

    A suppressed part (DUO's 1–4) in a total counts as its midpoint, rounded."""
    per_instelling = defaultdict(dict)
    rijen = StudentenPerInstelling.objects.filter(peiljaar=PEILJAAR).values_list(
        "instelling_id", "leerweg", "aantal", "onderdrukt"
    )
    for instelling_id, leerweg, aantal, onderdrukt in rijen:
        per_instelling[instelling_id][leerweg] = (aantal, onderdrukt)
    totalen = {}
    for instelling_id, leerwegen in per_instelling.items():
        if Leerweg.TOTAAL in leerwegen:
            aantal, onderdrukt = leerwegen[Leerweg.TOTAAL]
        else:
            aantal = sum(a for a, _ in leerwegen.values())
            onderdrukt = sum(o for _, o in leerwegen.values())
        totalen[instelling_id] = aantal + math.floor(2.5 * onderdrukt + 0.5)
    return totalen


def _gemeenten():
    inwoners = {}
    for gemeente_id, aantal in Inwonertal.objects.order_by("gemeente_id", "-peiljaar").values_list(
        "gemeente_id", "aantal"
    ):
        inwoners.setdefault(gemeente_id, aantal)
    punten = zwaartepunten()
    return [
        _Gemeente(pk, code, regio_id, inwoners.get(pk, 0), punten.get(code))
        for pk, code, regio_id in Gemeente.objects.filter(actief=True, regio__isnull=False)
        .order_by("code")
        .values_list("pk", "code", "regio_id")
    ]


def _kies_centrum(vestigingsgemeente_id, regio, in_regio):
    """The centre of an instelling's part in one region (gemeenten of that region given)."""
    pks = {g.pk for g in in_regio}
    if vestigingsgemeente_id in pks:
        return vestigingsgemeente_id
    if regio.contactgemeente_id in pks:
        return regio.contactgemeente_id
    if not in_regio:
        return None
    return max(in_regio, key=lambda g: (g.inwoners, g.code)).pk  # ties: a fixed choice


def centrum(instelling, regio):
    """The gemeente the demo treats as the centre of `instelling` in `regio` (None if the region
    has no active gemeente): vestigingsgemeente, else contactgemeente, else the most populous."""
    in_regio = [g for g in _gemeenten() if g.regio_id == regio.pk]
    pk = _kies_centrum(instelling.vestigingsgemeente_id, regio, in_regio)
    return Gemeente.objects.filter(pk=pk).first() if pk else None


def _afstand(a, b, anders):
    if a.punt is None or b.punt is None:
        return anders
    return afstand_km(a.punt, b.punt)


def _verdeling_in_regio(deel, centrum_g, eigen, buiten, regios_met_instelling, rng):
    """Expected (fractional) students per gemeente_id for one instelling's part in one region."""
    aandeel_centrum = rng.uniform(*AANDEEL_CENTRUM)
    aandeel_regio = rng.uniform(*AANDEEL_REGIO)
    if aandeel_centrum + aandeel_regio > 1.0 - MIN_AANDEEL_BUITEN:
        # Fewer than 1 in 5 from outside the region is rare (rule of thumb 30%, Deltion 40%):
        # scale both down; they stay within their ranges.
        schaal = (1.0 - MIN_AANDEEL_BUITEN) / (aandeel_centrum + aandeel_regio)
        aandeel_centrum *= schaal
        aandeel_regio *= schaal
    aandeel_buiten = 1.0 - aandeel_centrum - aandeel_regio

    gewicht_regio = {
        g.pk: g.inwoners * math.exp(-_afstand(g, centrum_g, AFNAME_REGIO_KM) / AFNAME_REGIO_KM)
        for g in eigen
        if g.pk != centrum_g.pk
    }
    gewicht_buiten = {}
    for g in buiten:
        if g.punt is None or centrum_g.punt is None:
            continue  # a gemeente without a shape (newer than the map) gets nobody from outside
        gewicht = g.inwoners * math.exp(-afstand_km(g.punt, centrum_g.punt) / AFNAME_BUITEN_KM)
        if g.regio_id not in regios_met_instelling:
            gewicht *= GEWICHT_ZONDER_INSTELLING
        if gewicht > 0:
            gewicht_buiten[g.pk] = gewicht
    zwaarste = sorted(gewicht_buiten, key=lambda pk: (-gewicht_buiten[pk], pk))
    zwaarste = zwaarste[:MAX_GEMEENTEN_BUITEN]
    gewicht_buiten = {pk: gewicht_buiten[pk] for pk in zwaarste}

    som_regio = sum(gewicht_regio.values())
    som_buiten = sum(gewicht_buiten.values())
    if som_regio <= 0:  # a region of one gemeente: its "rest" lives outside
        aandeel_buiten += aandeel_regio
        aandeel_regio = 0.0
    if som_buiten <= 0:
        aandeel_centrum += aandeel_buiten
        aandeel_buiten = 0.0

    verwacht = defaultdict(float)
    verwacht[centrum_g.pk] += deel * aandeel_centrum
    for pk, gewicht in gewicht_regio.items():
        verwacht[pk] += deel * aandeel_regio * gewicht / som_regio
    for pk, gewicht in gewicht_buiten.items():
        verwacht[pk] += deel * aandeel_buiten * gewicht / som_buiten
    return verwacht


def genereer_studenten_per_woongemeente():
    """(Re)generate the synthetic 2024 dataset atomically; returns a Studentengeneratie."""
    uitkomst = Studentengeneratie()
    bestaand = Dataset.objects.filter(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR
    ).first()
    if bestaand is not None and (bestaand.door_beheerder or not bestaand.is_synthetisch):
        uitkomst.dataset = bestaand
        uitkomst.overgeslagen = (
            f"Studenten per woongemeente {PEILJAAR}: een beheerder heeft hier gegevens geladen "
            f"({bestaand.get_status_display().lower()}); die blijven staan, er zijn geen "
            "demo-gegevens gemaakt."
        )
        return uitkomst

    gemeenten = _gemeenten()
    per_pk = {g.pk: g for g in gemeenten}
    per_regio = defaultdict(list)
    for g in gemeenten:
        per_regio[g.regio_id].append(g)
    regio_inwoners = {regio_id: sum(g.inwoners for g in gs) for regio_id, gs in per_regio.items()}
    regios = {r.pk: r for r in Doorstroompuntregio.objects.all()}

    totalen = {pk: n for pk, n in _totaal_2024().items() if n > 0}
    instellingen = {
        i.pk: i
        for i in MboInstelling.objects.filter(pk__in=totalen).only(
            "naam", "instellingscode", "vestigingsgemeente"
        )
    }
    regios_van = defaultdict(set)
    aanwezig = InstellingInRegio.objects.filter(instelling_id__in=totalen)
    for instelling_id, regio_id in aanwezig.values_list("instelling_id", "regio_id"):
        if regio_id in per_regio:
            regios_van[instelling_id].add(regio_id)
    for instelling_id, instelling in instellingen.items():
        if not regios_van[instelling_id]:
            vestiging = per_pk.get(instelling.vestigingsgemeente_id)
            if vestiging is not None:
                regios_van[instelling_id].add(vestiging.regio_id)
    regios_met_instelling = {regio_id for ids in regios_van.values() for regio_id in ids}

    rijen = []
    for instelling_id in sorted(instellingen, key=lambda pk: (instellingen[pk].naam, pk)):
        instelling = instellingen[instelling_id]
        totaal = totalen[instelling_id]
        eigen_regios = sorted(regios_van[instelling_id], key=lambda pk: regios[pk].nummer)
        if not eigen_regios:
            uitkomst.zonder_regio.append(instelling.naam)
            continue
        delen = verdeel_exact(totaal, {pk: max(regio_inwoners[pk], 1) for pk in eigen_regios})
        verwacht = defaultdict(float)
        centra = set()
        for regio_id in eigen_regios:
            regio = regios[regio_id]
            centrum_pk = _kies_centrum(instelling.vestigingsgemeente_id, regio, per_regio[regio_id])
            uitkomst.delen[(instelling_id, regio_id)] = delen[regio_id]
            uitkomst.centra[(instelling_id, regio_id)] = centrum_pk
            centra.add(centrum_pk)
            if delen[regio_id] == 0:
                continue
            # A string seed is hashed with SHA-512 by random: the same on every run and machine.
            sleutel = instelling.instellingscode or instelling.naam
            rng = random.Random(f"demo-{PEILJAAR}|{sleutel}|{regio.nummer}")
            buiten = [g for g in gemeenten if g.regio_id != regio_id]
            deel = _verdeling_in_regio(
                delen[regio_id],
                per_pk[centrum_pk],
                per_regio[regio_id],
                buiten,
                regios_met_instelling,
                rng,
            )
            for pk, waarde in deel.items():
                verwacht[pk] += waarde
        aantallen = verdeel_exact(totaal, dict(verwacht))

        uitkomst.instellingen += 1
        uitkomst.studenten += totaal
        for gemeente_id in sorted(aantallen, key=lambda pk: per_pk[pk].code):
            aantal = aantallen[gemeente_id]
            if aantal == 0:
                continue
            if gemeente_id in centra:
                uitkomst.centrum += aantal
            elif per_pk[gemeente_id].regio_id in eigen_regios:
                uitkomst.regio += aantal
            else:
                uitkomst.buiten += aantal
            onderdrukt = aantal <= ONDERDRUKT_TOT
            rijen.append(
                (instelling_id, gemeente_id, 0 if onderdrukt else aantal, 1 if onderdrukt else 0)
            )

    with transaction.atomic():
        dataset, _ = Dataset.objects.update_or_create(
            soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE,
            peiljaar=PEILJAAR,
            defaults={
                "status": Dataset.Status.SYNTHETISCH,
                "bron": DATASET_BRON,
                "bron_url": "",
                "licentie": "",
                "toelichting": DATASET_TOELICHTING,
                "door_beheerder": False,
            },
        )
        StudentenPerWoongemeente.objects.filter(dataset=dataset).delete()
        StudentenPerWoongemeente.objects.bulk_create(
            [
                StudentenPerWoongemeente(
                    dataset=dataset,
                    peiljaar=PEILJAAR,
                    instelling_id=instelling_id,
                    gemeente_id=gemeente_id,
                    aantal=aantal,
                    onderdrukt=onderdrukt,
                )
                for instelling_id, gemeente_id, aantal, onderdrukt in rijen
            ],
            batch_size=2000,
        )
    uitkomst.dataset = dataset
    uitkomst.rijen = len(rijen)
    uitkomst.onderdrukte_rijen = sum(1 for rij in rijen if rij[3])
    return uitkomst


class DemoFout(Exception):
    """The demo cannot be set up, e.g. because the reference data is missing."""



# --- all of it -----------------------------------------------------------------------------------


def laad_demodata():
    """Load all demo data idempotently (one transaction); returns a Verslag."""
    if not Gemeente.objects.exists():
        raise DemoFout(
            "Er zijn geen referentiegegevens. Laad die eerst: manage.py laad_referentiedata"
        )
    verslag = Verslag()
    with transaction.atomic():
        verslag.studenten = genereer_studenten_per_woongemeente()
        # A loader may set `volgorde` (default 50): agreements first, their content next, statuses last.
        for loader in sorted(loaders, key=lambda item: getattr(item, "volgorde", 50)):
            loader(verslag)
    return verslag


def _pct(deel):
    return f"{deel * 100:.0f}%".replace(".", ",")


def _nl(getal):
    return f"{getal:,}".replace(",", ".")


def studenten_regel(uitkomst):
    if uitkomst.overgeslagen:
        return uitkomst.overgeslagen
    regel = (
        f"Studenten per woongemeente {PEILJAAR}: {SYNTHETISCH} ({_nl(uitkomst.rijen)} rijen voor "
        f"{uitkomst.instellingen} instellingen, {_nl(uitkomst.studenten)} studenten; "
        f"{_pct(uitkomst.aandeel(uitkomst.centrum))} in de vestigings- of contactgemeente, "
        f"{_pct(uitkomst.aandeel(uitkomst.regio))} elders in de regio, "
        f"{_pct(uitkomst.aandeel(uitkomst.buiten))} buiten de regio; "
        f"{_nl(uitkomst.onderdrukte_rijen)} aantallen van 1–4 onderdrukt)."
    )
    if uitkomst.zonder_regio:
        regel += " Zonder regio overgeslagen: " + ", ".join(uitkomst.zonder_regio) + "."
    return regel
