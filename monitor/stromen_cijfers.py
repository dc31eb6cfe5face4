"""Student flows between doorstroompuntregio's: who studies in another region than where they live.

Four queries, whatever the number of regions, instellingen or count rows.

Rules (docs/EXPORTS_EN_STROMEN.md):
- Data: students per instelling × woongemeente (regio.cijfers.studenten_per_woonregio), one peiljaar
  for all, the total-versus-breakdown rule of regio.cijfers applied. Counts are Aantal ranges: a
  suppressed part is 1 to 4, never 0.
- The study region of an instelling is every region it is present in (InstellingInRegio). A student
  who lives in any of them is not a cross-region flow; one who lives elsewhere is one flow, from the
  woonregio to that set of regions (ROC Midden Nederland: "Eem en Vallei / Utrecht"), counted once.
- Per region of the instelling (part 1) such an instelling counts fully in each of its regions, as on
  the region page; a national sum of that column counts it twice, the flows table once.
- A gemeente without a region is a woonregio of its own ("zonder regio"): outside every study region.
- Instellingen present in no region cannot be placed: their students are left out and counted apart.
- A region is flagged when more than half of the students living there study at an instelling that
  is not present in it: certainly (lowest possible "elders" above the highest possible "eigen") or
  possibly (the ranges overlap the half).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from regio.aantallen import Aantal
from regio.cijfers import procent_van, procent_van_totaal, studenten_per_woonregio
from regio.models import Dataset, Doorstroompuntregio, InstellingInRegio

TOP_STROMEN = 15
REDEN = "hierover zijn afspraken tussen contactgemeenten nodig"
ZEKER, MOGELIJK = "zeker", "mogelijk"


def _volgorde(aantal, naam):
    """Most first (middle of the range, then its lower bound), then by name: stable on every machine."""
    return (-aantal.midden, -aantal.ondergrens, naam)


@dataclass(frozen=True)
class Studieregio:
    """The region(s) an instelling is present in, sorted by number."""

    regios: tuple

    @property
    def naam(self):
        return " / ".join(r.naam for r in self.regios)

    @property
    def nummers(self):
        return ", ".join(str(r.nummer) for r in self.regios)


def _woonnaam(regio):
    return regio.naam if regio is not None else "gemeente zonder regio"


@dataclass
class Stroom:
    van: Doorstroompuntregio | None  # the woonregio; None: gemeenten without a region
    naar: Studieregio
    aantal: Aantal

    @property
    def van_naam(self):
        return _woonnaam(self.van)


@dataclass
class Bestemming:
    """Part of a region's row: a woonregio (part 1) or a study region (parts 2 and 4), with its count."""

    regio: object  # Doorstroompuntregio | None for part 1, Studieregio for parts 2 and 4
    aantal: Aantal
    van: Aantal  # the students of the row, the whole the share is of

    @property
    def procent(self):
        # On demand: the page shows the share of only a few of them.
        return procent_van_totaal(self.aantal, self.van)

    @property
    def naam(self):
        return self.regio.naam if self.regio is not None else _woonnaam(None)


@dataclass
class Instellingsregio:
    """Part 1: the students of the instellingen in this region, and how many live in another region."""

    regio: Doorstroompuntregio
    instellingen: int  # present here with counts per woongemeente
    zonder_cijfers: int  # present here without
    gedeelde: list  # names of instellingen also present in another region
    studenten: Aantal
    elders: Aantal
    woonregios: list  # [Bestemming] outside the instelling's regions, most first

    @property
    def procent(self):
        return procent_van_totaal(self.elders, self.studenten)

    @property
    def grootste(self):
        return self.woonregios[0] if self.woonregios else None


@dataclass
class Woonregio:
    """Parts 2 and 4: the students living in this region, where they study."""

    regio: Doorstroompuntregio
    heeft_instelling: bool
    studenten: Aantal  # living here, at an instelling with a known region
    eigen: Aantal  # at an instelling present in this region
    elders: Aantal
    studieregios: list  # [Bestemming] with a Studieregio, most first
    signaal: str | None = None  # ZEKER, MOGELIJK or None

    @property
    def procent(self):
        return procent_van(self.elders, self.eigen)

    @property
    def grootste(self):
        return self.studieregios[0] if self.studieregios else None

    @property
    def reden(self):
        return REDEN if self.signaal else ""


@dataclass
class Stromen:
    peiljaar: int | None
    regios: list  # every region, by number
    stromen: list  # [Stroom], largest first, all of them
    instellingsregios: list  # [Instellingsregio] of the regions with an instelling
    woonregios: list  # [Woonregio], every region, by number
    totaal: Aantal  # all students counted once
    tussen_regios: Aantal  # the flows together, each instelling once
    zonder_regio_instelling: Aantal  # students of instellingen present in no region: left out
    datasets: list = field(default_factory=list)

    @property
    def heeft_gegevens(self):
        return self.peiljaar is not None

    @property
    def top(self):
        return self.stromen[:TOP_STROMEN]

    @property
    def zonder_instelling(self):
        return [w for w in self.woonregios if not w.heeft_instelling]

    @property
    def gesignaleerd(self):
        return [w for w in self.woonregios if w.signaal == ZEKER]

    @property
    def mogelijk(self):
        return [w for w in self.woonregios if w.signaal == MOGELIJK]

    @property
    def synthetisch(self):
        return any(d.is_synthetisch for d in self.datasets)

    @property
    def procent_tussen_regios(self):
        return procent_van_totaal(self.tussen_regios, self.totaal)

    @property
    def exact(self):
        return self.totaal.is_exact


def _signaal(eigen, elders):
    if elders.ondergrens == 0 and elders.bovengrens == 0:
        return None
    if elders.ondergrens > eigen.bovengrens:
        return ZEKER
    if elders.bovengrens > eigen.ondergrens:
        return MOGELIJK
    return None


@dataclass
class Gegevens:
    """What the flows are computed from: the result of the four queries, nothing else."""

    regios: list
    aanwezig: list  # (instelling_id, regio_id, instelling naam)
    rijen: list  # studenten_per_woonregio()
    peiljaar: int | None
    datasets: list


def gegevens():
    """The four queries."""
    regios = list(Doorstroompuntregio.objects.select_related("contactgemeente").order_by("nummer"))
    aanwezig = list(InstellingInRegio.objects.values_list("instelling_id", "regio_id", "instelling__naam"))
    rijen, peiljaar = studenten_per_woonregio()
    datasets = list(
        Dataset.objects.filter(
            Q(pk__in={r.dataset_id for r in rijen})
            | Q(soort__in=[Dataset.Soort.INDELING, Dataset.Soort.INSTELLINGEN])
        ).order_by("soort", "-peiljaar")
    )
    return Gegevens(regios, aanwezig, rijen, peiljaar, datasets)


def _optellen(doel, sleutel, bekend, onderdrukt):
    """doel[sleutel] += (bekend, onderdrukt); Aantal objects only for what is shown (thousands of sums per page)."""
    som = doel.get(sleutel)
    if som is None:
        doel[sleutel] = [bekend, onderdrukt]
    else:
        som[0] += bekend
        som[1] += onderdrukt


def _aantal(som):
    return Aantal(som[0], som[1]) if som else Aantal()


def stromen(g=None):
    g = g or gegevens()
    regios, aanwezig, rijen, peiljaar, datasets = g.regios, g.aanwezig, g.rijen, g.peiljaar, g.datasets

    per_id = {r.pk: r for r in regios}
    regio_ids_van = defaultdict(set)
    namen = {}
    for instelling_id, regio_id, naam in aanwezig:
        regio_ids_van[instelling_id].add(regio_id)
        namen[instelling_id] = naam
    # One Studieregio per set of regions, keyed by their ids (hashing regions as models was a hot spot).
    studieregios = {}
    studieregio_van = {}
    for instelling_id, ids in regio_ids_van.items():
        sleutel = frozenset(ids)
        if sleutel not in studieregios:
            studieregios[sleutel] = Studieregio(tuple(sorted((per_id[r] for r in ids), key=lambda r: r.nummer)))
        studieregio_van[instelling_id] = sleutel

    # Per instelling: its students per woonregio (rows of one instelling may repeat a woonregio per dataset).
    per_instelling = defaultdict(dict)
    zonder_regio_instelling = [0, 0]
    for instelling_id, _, _, woonregio_id, bekend, onderdrukt in rijen:
        if instelling_id not in studieregio_van:
            zonder_regio_instelling[0] += bekend
            zonder_regio_instelling[1] += onderdrukt
            continue
        _optellen(per_instelling[instelling_id], woonregio_id, bekend, onderdrukt)

    woon_eigen = {}
    woon_naar = defaultdict(dict)  # woonregio id → studieregio key → [bekend, onderdrukt]: the flows
    totaal = [0, 0]
    for instelling_id, per_woonregio in per_instelling.items():
        studieregio = studieregio_van[instelling_id]
        for woon_id, (bekend, onderdrukt) in per_woonregio.items():
            totaal[0] += bekend
            totaal[1] += onderdrukt
            if woon_id in studieregio:
                _optellen(woon_eigen, woon_id, bekend, onderdrukt)
            else:
                _optellen(woon_naar[woon_id], studieregio, bekend, onderdrukt)
    alle_stromen = sorted(
        (
            Stroom(per_id.get(w), studieregios[sleutel], _aantal(som))
            for w, naar in woon_naar.items()
            for sleutel, som in naar.items()
        ),
        key=lambda s: _volgorde(s.aantal, (s.van_naam, s.naar.naam)),
    )

    # Part 1: per region of the instellingen.
    instellingen_in = defaultdict(list)
    for instelling_id, ids in regio_ids_van.items():
        for regio_id in ids:
            instellingen_in[regio_id].append(instelling_id)
    instellingsregios = []
    for regio in regios:
        ids = instellingen_in.get(regio.pk)
        if not ids:
            continue
        studenten, elders = [0, 0], [0, 0]
        woonregios = {}
        met_cijfers = 0
        for instelling_id in ids:
            per_woonregio = per_instelling.get(instelling_id)
            if not per_woonregio:
                continue
            met_cijfers += 1
            eigen_ids = studieregio_van[instelling_id]
            for woon_id, (bekend, onderdrukt) in per_woonregio.items():
                studenten[0] += bekend
                studenten[1] += onderdrukt
                if woon_id not in eigen_ids:
                    elders[0] += bekend
                    elders[1] += onderdrukt
                    _optellen(woonregios, woon_id, bekend, onderdrukt)
        studenten = _aantal(studenten)
        bestemmingen = [Bestemming(per_id.get(w), _aantal(som), studenten) for w, som in woonregios.items()]
        instellingsregios.append(
            Instellingsregio(
                regio=regio,
                instellingen=met_cijfers,
                zonder_cijfers=len(ids) - met_cijfers,
                gedeelde=sorted(namen[i] for i in ids if len(regio_ids_van[i]) > 1),
                studenten=studenten,
                elders=_aantal(elders),
                woonregios=sorted(bestemmingen, key=lambda b: _volgorde(b.aantal, b.naam)),
            )
        )

    # Parts 2 and 4: per woonregio.
    woonregios = []
    for regio in regios:
        eigen = _aantal(woon_eigen.get(regio.pk))
        naar = {studieregios[sleutel]: _aantal(som) for sleutel, som in woon_naar.get(regio.pk, {}).items()}
        elders = sum(naar.values(), Aantal())
        studenten = eigen + elders
        bestemmingen = [Bestemming(s, a, studenten) for s, a in naar.items()]
        woonregios.append(
            Woonregio(
                regio=regio,
                heeft_instelling=regio.pk in instellingen_in,
                studenten=studenten,
                eigen=eigen,
                elders=elders,
                studieregios=sorted(bestemmingen, key=lambda b: _volgorde(b.aantal, b.naam)),
                signaal=_signaal(eigen, elders),
            )
        )

    return Stromen(
        peiljaar=peiljaar,
        regios=regios,
        stromen=alle_stromen,
        instellingsregios=instellingsregios,
        woonregios=woonregios,
        totaal=_aantal(totaal),
        tussen_regios=sum((s.aantal for s in alle_stromen), Aantal()),
        zonder_regio_instelling=_aantal(zonder_regio_instelling),
        datasets=datasets,
    )
