"""The figures behind the public pages: plain functions, a fixed handful of queries each.

Rules that hold on every page:
- Student figures are Aantal values (known part + suppressed parts of 1–4); sums are ranges, never
  a suppressed part counted as 0 or -1.
- Students per instelling (StudentenPerInstelling): the latest peiljaar in the database, one for
  all instellingen, so a sum never mixes years. Per instelling the TOTAAL row when the source gave
  one, else the sum of its leerwegen.
- Students per woongemeente (StudentenPerWoongemeente): the latest peiljaar for which there are
  rows for the instelling(en) concerned. Per instelling only its total rows (leerweg and niveau
  empty) when it has them, else the sum of its rows per leerweg/niveau: a file that gives both a
  total and a breakdown is never counted twice.
- An instelling present in several regions (ROC Midden Nederland: Eem en Vallei and Utrecht) counts
  fully in each of its regions, and once in a national total; the pages say so.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from math import floor
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone

from .aantallen import Aantal
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

DEADLINE = date(2026, 12, 31)

VUISTREGEL_BRON = (
    "Handvatten voor gesprek — Bestuur en beleid (seed 000), fase 1, vraag 6: “Als landelijke vuistregel kan "
    "gebruikt worden: 30% uit de plaats van vestiging van de mbo-instelling, 40% uit de regio, 30% van buiten "
    "de regio.”"
)
VESTIGING, REGIO, IN_REGIO, BUITEN = "vestiging", "regio", "in_regio", "buiten"
DEEL_NAMEN = {
    VESTIGING: ("a", "In de vestigingsgemeente", 30),
    REGIO: ("b", "Elders in de regio", 40),
    IN_REGIO: ("a+b", "In de regio (vestigingsgemeente en elders samen)", 70),
    BUITEN: ("c", "Buiten de regio", 30),
}


# --- deadline -----------------------------------------------------------------------------------


def dagen_tot_deadline(nu=None):
    """Days from today (Europe/Amsterdam) to 31 December 2026; 0 on the day itself, negative after."""
    vandaag = timezone.localdate(nu) if nu is not None else timezone.localdate()
    return (DEADLINE - vandaag).days


# --- helpers ------------------------------------------------------------------------------------


def _rond(fractie):
    """Round half up to a whole number (percentages, estimates): the same on every machine."""
    return floor(Fraction(fractie) + Fraction(1, 2))


def _procent(teller, noemer):
    """_rond(Fraction(100 * teller, noemer)) in integers: floor(100t/n + 1/2) = (200t + n) // 2n, also for a
    negative noemer (floor division); a page of flows computes some 500 shares."""
    return (200 * teller + noemer) // (2 * noemer)


def procent_bereik(deel, rest):
    """The share of `deel` in deel + rest, as (lowest, highest) whole percentages given the suppressed parts."""
    laag_noemer = deel.ondergrens + rest.bovengrens
    hoog_noemer = deel.bovengrens + rest.ondergrens
    if laag_noemer == 0 or hoog_noemer == 0:
        return None
    return _procent(deel.ondergrens, laag_noemer), _procent(deel.bovengrens, hoog_noemer)


def procent_tekst(bereik):
    if bereik is None:
        return "–"
    laag, hoog = bereik
    return f"{laag}%" if laag == hoog else f"{laag}–{hoog}%"


def procent_van(deel, rest):
    """The share as text: "31%", "30–32%", or "<1%" for a part that exists but rounds to 0."""
    bereik = procent_bereik(deel, rest)
    if bereik is not None and bereik[1] == 0 and deel.bovengrens > 0:
        return "<1%"
    return procent_tekst(bereik)


def procent_van_totaal(deel, totaal):
    """The share of `deel` in `totaal`, which includes it, as procent_van writes it."""
    return procent_van(deel, Aantal(totaal.bekend - deel.bekend, totaal.onderdrukt - deel.onderdrukt))


def _aantal(bekend, onderdrukt):
    return Aantal(bekend or 0, onderdrukt or 0)


def totaal_uit_leerwegen(rijen):
    """Students of one instelling in one peiljaar: the TOTAAL row, else the sum of the leerwegen."""
    totaal = [r for r in rijen if r["leerweg"] == Leerweg.TOTAAL]
    gekozen = totaal or rijen
    return sum((_aantal(r["aantal"], r["onderdrukt"]) for r in gekozen), Aantal())


def _laatste_studentenjaar():
    return StudentenPerInstelling.objects.order_by("-peiljaar").values("peiljaar")[:1]


def laatste_woonjaar(instellingen):
    """Subquery: the latest peiljaar with students per woongemeente for one of `instellingen` (pks, or a
    subquery of them).

    Asked per instelling (each finds its latest year at the end of its index range), not over every row of the
    table in year order: that read up to the whole latest peiljaar before it met one of the region's instellingen."""
    per_instelling = (
        StudentenPerWoongemeente.objects.filter(instelling_id=OuterRef("pk")).order_by("-peiljaar").values("peiljaar")[:1]
    )
    return (
        MboInstelling.objects.filter(pk__in=instellingen)
        .annotate(laatste=Subquery(per_instelling))
        .order_by(F("laatste").desc(nulls_last=True))
        .values("laatste")[:1]
    )


def studenten_per_instelling():
    """{instelling pk: Aantal} for the latest peiljaar, and that peiljaar; two queries."""
    rijen = StudentenPerInstelling.objects.filter(peiljaar=Subquery(_laatste_studentenjaar())).values(
        "instelling_id", "leerweg", "aantal", "onderdrukt", "peiljaar"
    )
    per_instelling = defaultdict(list)
    peiljaar = None
    for r in rijen:
        per_instelling[r["instelling_id"]].append(r)
        peiljaar = r["peiljaar"]
    return {pk: totaal_uit_leerwegen(r) for pk, r in per_instelling.items()}, peiljaar


def _woonrijen(queryset, *velden):
    """Grouped student counts per woongemeente, with the rule for total rows versus breakdowns applied.

    Returns dicts with the given fields plus instelling_id, dataset_id, peiljaar and `aantal` (an Aantal).
    """
    rijen = list(
        queryset.annotate(
            totaalrij=Case(
                When(leerweg="", niveau="", then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .values("instelling_id", "dataset_id", "peiljaar", "totaalrij", *velden)
        .annotate(som_bekend=Sum("aantal"), som_onderdrukt=Sum("onderdrukt"))
        .order_by()
    )
    met_totaal = {r["instelling_id"] for r in rijen if r["totaalrij"]}
    uit = []
    for r in rijen:
        if r["instelling_id"] in met_totaal and not r["totaalrij"]:
            continue
        r["aantal"] = _aantal(r.pop("som_bekend"), r.pop("som_onderdrukt"))
        uit.append(r)
    return uit


# --- student sums kept between requests ------------------------------------------------------------
#
# Grouping the students per woongemeente reads the whole peiljaar (100,000 rows nationally: some 80 ms in
# PostgreSQL alone, more than a page may take) and changes only with a load. So the sums, numbers by id and
# nothing else, are kept in Django's cache (CACHES: the database by default, shared by every worker) under
# the students' stand. Names, regions' contactgemeenten and everything a beheerder can edit are read fresh.

BEWAARTIJD_S = 24 * 3600


class Woonsom(NamedTuple):
    """Students of one instelling living in one place (a gemeente, or a region), as kept: numbers only."""

    instelling_id: int
    dataset_id: int
    peiljaar: int
    plaats_id: int | None
    bekend: int
    onderdrukt: int


def _woonsommen(queryset, plaats):
    """_woonrijen grouped by `plaats` (a gemeente's or its region's id), as Woonsom tuples."""
    return [
        Woonsom(r["instelling_id"], r["dataset_id"], r["peiljaar"], r[plaats], r["aantal"].bekend,
                r["aantal"].onderdrukt)
        for r in _woonrijen(queryset, plaats)
    ]


def studentenstand():
    """Changes with every write of students per woongemeente or of the gemeenten's regions: each goes with a
    save of its Dataset (the loaders' neem_dataset, the demo, the bench seed), which raises bijgewerkt_op."""
    stand = Dataset.objects.filter(
        soort__in=[Dataset.Soort.STUDENTEN_WOONGEMEENTE, Dataset.Soort.INDELING, Dataset.Soort.GEMEENTEN]
    ).aggregate(aantal=Count("pk"), laatste=Max("pk"), bijgewerkt=Max("bijgewerkt_op"))
    bijgewerkt = stand["bijgewerkt"].timestamp() if stand["bijgewerkt"] else 0
    return f"{stand['aantal']}-{stand['laatste']}-{bijgewerkt}"


def _bewaard(naam, bereken):
    """bereken() once per studentenstand. The stand is read before and after computing: a load committed in
    between is never kept under the stand before it."""
    stand = studentenstand()
    # Woonsom's fields in the key: a release that changes them never reads what an older one kept.
    sleutel = f"regio.cijfers:{','.join(Woonsom._fields)}:{naam}:{stand}"
    waarde = cache.get(sleutel)
    if waarde is None:
        waarde = bereken()
        if studentenstand() == stand:
            cache.set(sleutel, waarde, BEWAARTIJD_S)
    return waarde


def studenten_per_woonregio():
    """Students per instelling × woonregio, all instellingen at once, and the peiljaar (kept, see above).

    One peiljaar for all (the latest with rows), so a national sum never mixes years. Woonsom tuples whose
    plaats is the region (None: a gemeente without a region).
    """
    def bereken():
        laatste = StudentenPerWoongemeente.objects.order_by("-peiljaar").values("peiljaar")[:1]
        return _woonsommen(StudentenPerWoongemeente.objects.filter(peiljaar=Subquery(laatste)), "gemeente__regio_id")

    rijen = _bewaard("per-woonregio", bereken)
    return rijen, (rijen[0].peiljaar if rijen else None)


def woonsommen_van_instellingen(instelling_ids):
    """The rows of regio_cijfers: Woonsom tuples of these instellingen per woongemeente, for the latest peiljaar
    with rows of any of them (kept, see above; the key names the instellingen, so a change of a region's
    instellingen asks anew). Asked also without instellingen (their query is then empty and not sent), so that a
    page takes as many queries for a region without instellingen as for one with."""
    ids = sorted(instelling_ids)

    def bereken():
        return _woonsommen(
            StudentenPerWoongemeente.objects.filter(instelling_id__in=ids, peiljaar=Subquery(laatste_woonjaar(ids))),
            "gemeente_id",
        )

    return _bewaard("woon-" + ",".join(map(str, ids)), bereken)


def _datasets(ids):
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {d.pk: d for d in Dataset.objects.filter(pk__in=ids)}


def _sorteer_aantallen(items, naam):
    """Most first (by the middle of the range, then the lower bound), then by name."""
    return sorted(items, key=lambda i: (-i["aantal"].midden, -i["aantal"].ondergrens, naam(i)))


# --- the split (a) vestigingsgemeente / (b) elders in de regio / (c) buiten de regio -------------


@dataclass(frozen=True)
class Deel:
    sleutel: str
    aantal: Aantal
    rest: Aantal  # the other parts together, for the percentage range

    @property
    def letter(self):
        return DEEL_NAMEN[self.sleutel][0]

    @property
    def naam(self):
        return DEEL_NAMEN[self.sleutel][1]

    @property
    def vuistregel(self):
        return DEEL_NAMEN[self.sleutel][2]

    @property
    def procent_bereik(self):
        return procent_bereik(self.aantal, self.rest)

    @property
    def procent(self):
        return procent_van(self.aantal, self.rest)

    @property
    def fractie(self):
        """Share by the middle of each range: for the chart only."""
        totaal = Fraction(self.aantal.midden) + Fraction(self.rest.midden)
        return Fraction(self.aantal.midden) / totaal if totaal else Fraction(0)


@dataclass
class Studentenverdeling:
    vestiging: Aantal = field(default_factory=Aantal)
    regio: Aantal = field(default_factory=Aantal)
    buiten: Aantal = field(default_factory=Aantal)
    # False when for some instelling with counts neither its vestigingsgemeente nor the contactgemeente is known.
    vestiging_berekenbaar: bool = True

    @property
    def in_regio(self):
        return self.vestiging + self.regio

    @property
    def totaal(self):
        return self.vestiging + self.regio + self.buiten

    @property
    def delen(self):
        if self.vestiging_berekenbaar:
            return [
                Deel(VESTIGING, self.vestiging, self.regio + self.buiten),
                Deel(REGIO, self.regio, self.vestiging + self.buiten),
                Deel(BUITEN, self.buiten, self.in_regio),
            ]
        return [Deel(IN_REGIO, self.in_regio, self.buiten), Deel(BUITEN, self.buiten, self.in_regio)]


def vuistregel_delen():
    return [DEEL_NAMEN[s] + (s,) for s in (VESTIGING, REGIO, BUITEN)]


def vuistregel_schatting(totaal):
    """The rule of thumb applied to a total (Aantal): whole numbers that add up to the (middle of the) total."""
    som = _rond(Fraction(totaal.midden))
    a = _rond(Fraction(som * 30, 100))
    c = _rond(Fraction(som * 30, 100))
    return [
        (VESTIGING, DEEL_NAMEN[VESTIGING], a),
        (REGIO, DEEL_NAMEN[REGIO], som - a - c),
        (BUITEN, DEEL_NAMEN[BUITEN], c),
    ]


# --- regions list -------------------------------------------------------------------------------


@dataclass
class RegioRij:
    regio: Doorstroompuntregio
    aantal_gemeenten: int
    aantal_instellingen: int
    inwoners: int | None
    studenten: Aantal | None
    instellingen_zonder_cijfers: int
    gedeelde_instellingen: list


@dataclass
class RegioOverzicht:
    rijen: list
    inwoners_peiljaar: int | None
    studenten_peiljaar: int | None
    totaal_gemeenten: int
    totaal_instellingen: int
    totaal_inwoners: int
    totaal_studenten: Aantal  # each instelling once
    som_regio_studenten: Aantal  # the column sum: instellingen in several regions counted in each
    gedeeld: list  # [(naam, [regio, ...], Aantal | None)]
    datasets: list


def regio_overzicht():
    """All regions with their counts, in five queries whatever the number of regions."""
    inwoners_peiljaar = Inwonertal.objects.aggregate(p=Max("peiljaar"))["p"]
    inwoners_per_regio = (
        Inwonertal.objects.filter(gemeente__regio=OuterRef("pk"), peiljaar=inwoners_peiljaar)
        .values("gemeente__regio")
        .annotate(s=Sum("aantal"))
        .values("s")
    )
    regios = list(
        Doorstroompuntregio.objects.select_related("contactgemeente")
        .annotate(
            aantal_gemeenten=Count("gemeenten", distinct=True),
            aantal_instellingen=Count("aanwezigheden", distinct=True),
            inwoners=Subquery(inwoners_per_regio, output_field=IntegerField()),
        )
        .order_by("nummer")
    )
    aanwezig = list(InstellingInRegio.objects.values_list("regio_id", "instelling_id", "instelling__naam"))
    studentrijen = list(
        StudentenPerInstelling.objects.filter(peiljaar=Subquery(_laatste_studentenjaar())).values(
            "instelling_id", "leerweg", "aantal", "onderdrukt", "dataset_id", "peiljaar"
        )
    )
    datasets = Dataset.objects.filter(
        Q(pk__in=Inwonertal.objects.filter(peiljaar=inwoners_peiljaar or 0).values("dataset_id"))
        | Q(pk__in={r["dataset_id"] for r in studentrijen})
        | Q(soort__in=[Dataset.Soort.REGIOS, Dataset.Soort.INDELING])
    ).order_by("soort", "-peiljaar")
    datasets = list(datasets)

    per_instelling = defaultdict(list)
    for r in studentrijen:
        per_instelling[r["instelling_id"]].append(r)
    studenten = {pk: totaal_uit_leerwegen(rijen) for pk, rijen in per_instelling.items()}
    regios_van = defaultdict(list)
    instellingen_van = defaultdict(list)
    namen = {}
    for regio_id, instelling_id, naam in aanwezig:
        regios_van[instelling_id].append(regio_id)
        instellingen_van[regio_id].append(instelling_id)
        namen[instelling_id] = naam
    regio_per_id = {r.pk: r for r in regios}

    rijen = []
    for regio in regios:
        ids = instellingen_van[regio.pk]
        met_cijfers = [studenten[i] for i in ids if i in studenten]
        rijen.append(
            RegioRij(
                regio=regio,
                aantal_gemeenten=regio.aantal_gemeenten,
                aantal_instellingen=regio.aantal_instellingen,
                inwoners=regio.inwoners,
                studenten=sum(met_cijfers, Aantal()) if met_cijfers else None,
                instellingen_zonder_cijfers=len(ids) - len(met_cijfers),
                gedeelde_instellingen=sorted(namen[i] for i in ids if len(regios_van[i]) > 1),
            )
        )
    gedeeld = sorted(
        (
            namen[i],
            sorted((regio_per_id[r] for r in regios_van[i]), key=lambda r: r.nummer),
            studenten.get(i),
        )
        for i in regios_van
        if len(regios_van[i]) > 1
    )
    return RegioOverzicht(
        rijen=rijen,
        inwoners_peiljaar=inwoners_peiljaar,
        studenten_peiljaar=studentrijen[0]["peiljaar"] if studentrijen else None,
        totaal_gemeenten=sum(r.aantal_gemeenten for r in rijen),
        totaal_instellingen=len(regios_van),
        totaal_inwoners=sum(r.inwoners or 0 for r in rijen),
        totaal_studenten=sum((studenten[i] for i in regios_van if i in studenten), Aantal()),
        som_regio_studenten=sum((r.studenten for r in rijen if r.studenten is not None), Aantal()),
        gedeeld=gedeeld,
        datasets=datasets,
    )


# --- one region ---------------------------------------------------------------------------------


@dataclass
class GemeenteRij:
    gemeente: Gemeente
    inwoners: int | None
    inwoners_peiljaar: int | None
    is_contactgemeente: bool
    studenten: Aantal | None  # students of the region's instellingen living here


@dataclass
class InstellingRij:
    instelling: MboInstelling
    bron: str  # source of its presence in this region
    andere_regios: list
    studenten: Aantal | None
    referentie: Gemeente | None  # the gemeente used for (a)
    referentie_is_vervanging: bool  # the contactgemeente stands in for an unknown or out-of-region vestigingsgemeente
    vestiging_buiten_regio: bool  # its vestigingsgemeente is known but lies in another region
    verdeling: Studentenverdeling | None = None


@dataclass
class RegioCijfers:
    regio: Doorstroompuntregio
    gemeenten: list
    inwoners_totaal: int
    inwoners_datasets: list
    instellingen: list
    studenten_peiljaar: int | None
    studenten_totaal: Aantal | None
    studenten_datasets: list
    woon_peiljaar: int | None
    woon_datasets: list
    verdeling: Studentenverdeling | None
    alle_buiten: list  # every gemeente outside the region where its students live, most first (exports)

    @property
    def top_buiten(self):
        """The 10 of alle_buiten the page shows."""
        return self.alle_buiten[:10]

    @property
    def met_verdeling(self):
        return [i for i in self.instellingen if i.verdeling is not None]

    @property
    def vervangingen(self):
        return [i for i in self.instellingen if i.referentie_is_vervanging and i.verdeling is not None]

    @property
    def vervangingen_onbekend(self):
        """Stand-ins for a vestigingsgemeente that is not known at all."""
        return [i for i in self.vervangingen if not i.vestiging_buiten_regio]

    @property
    def vervangingen_buiten(self):
        """Stand-ins for a vestigingsgemeente that lies in another region."""
        return [i for i in self.vervangingen if i.vestiging_buiten_regio]

    @property
    def zonder_referentie(self):
        return [i for i in self.instellingen if i.referentie is None and i.verdeling is not None]

    @property
    def schatting(self):
        if self.verdeling is not None or self.studenten_totaal is None:
            return None
        return vuistregel_schatting(self.studenten_totaal)

    @property
    def datasets(self):
        gezien, uit = set(), []
        for d in self.inwoners_datasets + self.studenten_datasets + self.woon_datasets:
            if d.pk not in gezien:
                gezien.add(d.pk)
                uit.append(d)
        return uit

    @property
    def synthetisch(self):
        return any(d.is_synthetisch for d in self.datasets)


def _inwoners_subqueries():
    laatste = Inwonertal.objects.filter(gemeente=OuterRef("pk")).order_by("-peiljaar")
    return {
        "inwoners": Subquery(laatste.values("aantal")[:1]),
        "inwoners_peiljaar": Subquery(laatste.values("peiljaar")[:1]),
        "inwoners_dataset": Subquery(laatste.values("dataset_id")[:1]),
    }


def regio_cijfers(regio):
    """Everything on the region page, in seven queries (the map adds one) whatever the region's size; six when
    none of the students lives outside the region.

    `regio` comes with its contactgemeente (select_related).
    """
    gemeenten = list(Gemeente.objects.filter(regio=regio).annotate(**_inwoners_subqueries()).order_by("naam"))
    aanwezigheden = list(
        InstellingInRegio.objects.filter(instelling__aanwezigheden__regio=regio)
        .select_related("regio", "instelling__vestigingsgemeente__regio")
        .order_by("instelling__naam", "regio__nummer")
    )
    studentrijen = list(
        StudentenPerInstelling.objects.filter(
            instelling__aanwezigheden__regio=regio, peiljaar=Subquery(_laatste_studentenjaar())
        ).values("instelling_id", "leerweg", "aantal", "onderdrukt", "dataset_id", "peiljaar")
    )
    # Grouped on numbers only; the gemeenten outside the region are named by one query of their own below.
    woonrijen = woonsommen_van_instellingen({a.instelling_id for a in aanwezigheden if a.regio_id == regio.pk})
    in_de_regio = {g.pk for g in gemeenten}
    datasets = _datasets(
        [g.inwoners_dataset for g in gemeenten]
        + [r["dataset_id"] for r in studentrijen]
        + [r.dataset_id for r in woonrijen]
    )

    # Students per instelling.
    per_instelling = defaultdict(list)
    for r in studentrijen:
        per_instelling[r["instelling_id"]].append(r)
    studenten = {pk: totaal_uit_leerwegen(rijen) for pk, rijen in per_instelling.items()}

    # Instellingen, the gemeente used for (a), their other regions.
    eigen, andere = {}, defaultdict(list)
    for a in aanwezigheden:
        if a.regio_id == regio.pk:
            eigen[a.instelling_id] = a
        else:
            andere[a.instelling_id].append(a.regio)
    instellingen = []
    for instelling_id, a in eigen.items():
        instelling = a.instelling
        vestiging = instelling.vestigingsgemeente
        if vestiging is not None and vestiging.regio_id == regio.pk:
            referentie, vervanging = vestiging, False
        else:
            # Unknown, or seated in another region (its location here is not known): the contactgemeente stands in.
            referentie, vervanging = regio.contactgemeente, regio.contactgemeente is not None
        instellingen.append(
            InstellingRij(
                instelling=instelling,
                bron=a.bron,
                andere_regios=andere[instelling_id],
                studenten=studenten.get(instelling_id),
                referentie=referentie,
                referentie_is_vervanging=vervanging,
                vestiging_buiten_regio=(
                    instelling.vestigingsgemeente is not None and instelling.vestigingsgemeente.regio_id != regio.pk
                ),
            )
        )

    # Where the students live: sums as [bekend, onderdrukt] while adding (a region has some 2,000 rows), Aantal
    # for what is shown.
    rij_per_instelling = {i.instelling.pk: i for i in instellingen}
    referentie_van = {pk: i.referentie.pk for pk, i in rij_per_instelling.items() if i.referentie is not None}
    delen = {}  # instelling pk → {VESTIGING|REGIO|BUITEN: [bekend, onderdrukt]}
    per_gemeente_in_regio, per_gemeente_buiten = {}, {}
    for instelling_id, _, _, gemeente_id, bekend, onderdrukt in woonrijen:
        in_regio = gemeente_id in in_de_regio
        if gemeente_id == referentie_van.get(instelling_id):
            deel = VESTIGING
        else:
            deel = REGIO if in_regio else BUITEN
        per_gemeente = per_gemeente_in_regio if in_regio else per_gemeente_buiten
        for doel, sleutel in ((delen.setdefault(instelling_id, {}), deel), (per_gemeente, gemeente_id)):
            som = doel.setdefault(sleutel, [0, 0])
            som[0] += bekend
            som[1] += onderdrukt
    for instelling_pk, per_deel in delen.items():
        rij = rij_per_instelling[instelling_pk]
        rij.verdeling = Studentenverdeling(
            vestiging=Aantal(*per_deel.get(VESTIGING, (0, 0))),
            regio=Aantal(*per_deel.get(REGIO, (0, 0))),
            buiten=Aantal(*per_deel.get(BUITEN, (0, 0))),
            vestiging_berekenbaar=rij.referentie is not None,
        )
    per_gemeente_in_regio = {pk: Aantal(*som) for pk, som in per_gemeente_in_regio.items()}
    buiten = {
        pk: {"code": code, "naam": naam, "regio_nummer": nummer, "regio_naam": regio_naam,
             "organisatie_id": organisatie_id, "aantal": Aantal(*per_gemeente_buiten[pk])}
        # Every gemeente outside the region, not an IN list: the students of a large region live in most of them,
        # and binding some 300 ids took longer than reading the few rows more.
        for pk, code, naam, nummer, regio_naam, organisatie_id in Gemeente.objects.exclude(regio=regio)
        .values_list("pk", "code", "naam", "regio__nummer", "regio__naam", "organisatie__id")
        if pk in per_gemeente_buiten
    } if per_gemeente_buiten else {}

    verdelingen = [i.verdeling for i in instellingen if i.verdeling is not None]
    verdeling = None
    if verdelingen:
        verdeling = Studentenverdeling(
            vestiging=sum((v.vestiging for v in verdelingen), Aantal()),
            regio=sum((v.regio for v in verdelingen), Aantal()),
            buiten=sum((v.buiten for v in verdelingen), Aantal()),
            vestiging_berekenbaar=all(v.vestiging_berekenbaar for v in verdelingen),
        )

    contact_id = regio.contactgemeente_id
    gemeente_rijen = [
        GemeenteRij(
            gemeente=g,
            inwoners=g.inwoners,
            inwoners_peiljaar=g.inwoners_peiljaar,
            is_contactgemeente=g.pk == contact_id,
            studenten=per_gemeente_in_regio.get(g.pk) if woonrijen else None,
        )
        for g in gemeenten
    ]
    met_cijfers = [i.studenten for i in instellingen if i.studenten is not None]

    def _lijst(ids):
        return sorted({datasets[i] for i in ids if i in datasets}, key=lambda d: (d.soort, -d.peiljaar))

    return RegioCijfers(
        regio=regio,
        gemeenten=gemeente_rijen,
        inwoners_totaal=sum(g.inwoners or 0 for g in gemeenten),
        inwoners_datasets=_lijst({g.inwoners_dataset for g in gemeenten}),
        instellingen=instellingen,
        studenten_peiljaar=studentrijen[0]["peiljaar"] if studentrijen else None,
        studenten_totaal=sum(met_cijfers, Aantal()) if met_cijfers else None,
        studenten_datasets=_lijst({r["dataset_id"] for r in studentrijen}),
        woon_peiljaar=woonrijen[0].peiljaar if woonrijen else None,
        woon_datasets=_lijst({r.dataset_id for r in woonrijen}),
        verdeling=verdeling,
        alle_buiten=_sorteer_aantallen(buiten.values(), lambda i: i["naam"]),
    )


# --- one gemeente -------------------------------------------------------------------------------


@dataclass
class GemeenteCijfers:
    gemeente: Gemeente
    inwonertal: Inwonertal | None
    is_contactgemeente: bool
    gevestigde_instellingen: list
    woon_peiljaar: int | None
    studie: list  # [{"instelling_id", "naam", "aantal"}], most first
    studie_totaal: Aantal | None
    woon_datasets: list


def gemeente_cijfers(gemeente):
    """`gemeente` comes with regio and its contactgemeente (select_related). Four or five queries."""
    inwonertal = Inwonertal.objects.filter(gemeente=gemeente).select_related("dataset").order_by("-peiljaar").first()
    gevestigd = list(MboInstelling.objects.filter(vestigingsgemeente=gemeente).order_by("naam"))
    hier = StudentenPerWoongemeente.objects.filter(gemeente=gemeente)
    rijen = _woonrijen(
        hier.filter(peiljaar=Subquery(hier.order_by("-peiljaar").values("peiljaar")[:1])), "instelling__naam"
    )
    datasets = _datasets(r["dataset_id"] for r in rijen)
    per_instelling = {}
    for r in rijen:
        item = per_instelling.setdefault(
            r["instelling_id"], {"instelling_id": r["instelling_id"], "naam": r["instelling__naam"], "aantal": Aantal()}
        )
        item["aantal"] += r["aantal"]
    studie = _sorteer_aantallen(per_instelling.values(), lambda i: i["naam"])
    regio = gemeente.regio
    return GemeenteCijfers(
        gemeente=gemeente,
        inwonertal=inwonertal,
        is_contactgemeente=regio is not None and regio.contactgemeente_id == gemeente.pk,
        gevestigde_instellingen=gevestigd,
        woon_peiljaar=rijen[0]["peiljaar"] if rijen else None,
        studie=studie,
        studie_totaal=sum((i["aantal"] for i in studie), Aantal()) if studie else None,
        woon_datasets=sorted(datasets.values(), key=lambda d: d.pk),
    )


# --- one instelling -----------------------------------------------------------------------------

LEERWEGEN = [Leerweg.BBL, Leerweg.BOLVT, Leerweg.BOLDT, Leerweg.EX]


@dataclass
class Jaarrij:
    peiljaar: int
    per_leerweg: list  # Aantal | None per LEERWEGEN
    totaal: Aantal
    totaal_uit_bron: bool  # the source gave the total itself (TOTAAL), else it is the sum of the leerwegen
    dataset: Dataset | None


@dataclass
class InstellingCijfers:
    instelling: MboInstelling
    aanwezigheden: list
    jaren: list
    heeft_leerwegen: bool
    woon_peiljaar: int | None
    per_regio: list  # [{"regio_nummer", "regio_naam", "aanwezig", "aantal", "procent"}]
    top_gemeenten: list
    woon_totaal: Aantal | None
    woon_datasets: list
    studenten_datasets: list

    @property
    def jaren_onderdrukt(self):
        return any(not j.totaal.is_exact for j in self.jaren)


def instelling_cijfers(instelling):
    """`instelling` comes with its vestigingsgemeente and that gemeente's regio. Four queries."""
    aanwezigheden = list(instelling.aanwezigheden.select_related("regio").order_by("regio__nummer"))
    studentrijen = list(
        StudentenPerInstelling.objects.filter(instelling=instelling).values(
            "peiljaar", "leerweg", "aantal", "onderdrukt", "dataset_id"
        )
    )
    van_hier = StudentenPerWoongemeente.objects.filter(instelling=instelling)
    woonrijen = _woonrijen(
        van_hier.filter(peiljaar=Subquery(van_hier.order_by("-peiljaar").values("peiljaar")[:1])),
        "gemeente_id",
        "gemeente__code",
        "gemeente__naam",
        "gemeente__regio__nummer",
        "gemeente__regio__naam",
    )
    datasets = _datasets([r["dataset_id"] for r in studentrijen] + [r["dataset_id"] for r in woonrijen])

    per_jaar = defaultdict(list)
    for r in studentrijen:
        per_jaar[r["peiljaar"]].append(r)
    jaren = []
    for peiljaar in sorted(per_jaar, reverse=True):
        rijen = per_jaar[peiljaar]
        per_leerweg = {}
        for r in rijen:
            per_leerweg[r["leerweg"]] = _aantal(r["aantal"], r["onderdrukt"])
        jaren.append(
            Jaarrij(
                peiljaar=peiljaar,
                per_leerweg=[per_leerweg.get(lw) for lw in LEERWEGEN],
                totaal=totaal_uit_leerwegen(rijen),
                totaal_uit_bron=Leerweg.TOTAAL in per_leerweg,
                dataset=datasets.get(rijen[0]["dataset_id"]),
            )
        )

    aanwezig_in = {a.regio.nummer for a in aanwezigheden}
    per_regio, per_gemeente = {}, {}
    for r in woonrijen:
        nummer = r["gemeente__regio__nummer"]
        item = per_regio.setdefault(
            nummer,
            {"regio_nummer": nummer, "regio_naam": r["gemeente__regio__naam"], "aanwezig": nummer in aanwezig_in,
             "aantal": Aantal()},
        )
        item["aantal"] += r["aantal"]
        g = per_gemeente.setdefault(
            r["gemeente_id"],
            {"code": r["gemeente__code"], "naam": r["gemeente__naam"], "regio_nummer": nummer,
             "regio_naam": r["gemeente__regio__naam"], "aantal": Aantal()},
        )
        g["aantal"] += r["aantal"]
    woon_totaal = sum((i["aantal"] for i in per_regio.values()), Aantal()) if per_regio else None
    regio_lijst = _sorteer_aantallen(per_regio.values(), lambda i: i["regio_naam"] or "")
    for item in regio_lijst:
        item["procent"] = procent_van_totaal(item["aantal"], woon_totaal)
    return InstellingCijfers(
        instelling=instelling,
        aanwezigheden=aanwezigheden,
        jaren=jaren,
        heeft_leerwegen=any(any(a is not None for a in j.per_leerweg) for j in jaren),
        woon_peiljaar=woonrijen[0]["peiljaar"] if woonrijen else None,
        per_regio=regio_lijst,
        top_gemeenten=_sorteer_aantallen(per_gemeente.values(), lambda i: i["naam"])[:15],
        woon_totaal=woon_totaal,
        woon_datasets=sorted({datasets[r["dataset_id"]] for r in woonrijen}, key=lambda d: d.pk),
        studenten_datasets=sorted(
            {datasets[r["dataset_id"]] for r in studentrijen if r["dataset_id"] in datasets}, key=lambda d: -d.peiljaar
        ),
    )


# --- sources ------------------------------------------------------------------------------------


def alle_datasets():
    return list(Dataset.objects.order_by("soort", "-peiljaar"))
