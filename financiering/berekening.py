"""What the financing of one agreement needs from the database, loaded once, and the verdeling computed.

Everything is cached on the request's `afspraken.toetsing.Toetsgegevens` under attribute names starting
with `financiering_`, so the sections, the toetsing and the financing page share one load and take a fixed
number of queries, however many parties or rows an agreement has.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import BooleanField, Case, Sum, Value, When

from afspraken.toetsing import Toetsgegevens
from regio.models import Dataset, Gemeente, Inwonertal, StudentenPerWoongemeente

from . import verdeling as kern
from .models import Categorie, Geldstroom, Kostenpost, Verdeelgroep


def gegevens_voor(afspraak, gegevens=None):
    return gegevens if gegevens is not None else Toetsgegevens(afspraak)


def _cache(gegevens, naam, laad):
    attribuut = f"financiering_{naam}"
    if attribuut not in vars(gegevens):
        setattr(gegevens, attribuut, laad())
    return getattr(gegevens, attribuut)


def kostenposten(gegevens):
    return _cache(
        gegevens,
        "kostenposten",
        lambda: list(Kostenpost.objects.filter(afspraak=gegevens.afspraak).order_by("categorie", "pk")),
    )


def geldstromen(gegevens):
    return _cache(
        gegevens,
        "geldstromen",
        lambda: list(
            Geldstroom.objects.filter(afspraak=gegevens.afspraak).select_related("van__organisatie").order_by("pk")
        ),
    )


def verdeelgroepen(gegevens):
    return _cache(
        gegevens, "verdeelgroepen", lambda: list(Verdeelgroep.objects.filter(afspraak=gegevens.afspraak).order_by("pk"))
    )


def datasets(gegevens):
    """{(soort, peiljaar): Dataset} of the inwoners and students-per-woongemeente data."""
    return _cache(
        gegevens,
        "datasets",
        lambda: {
            (d.soort, d.peiljaar): d
            for d in Dataset.objects.filter(
                soort__in=[Dataset.Soort.INWONERS, Dataset.Soort.STUDENTEN_WOONGEMEENTE]
            )
        },
    )


def peiljaren(gegevens, afspraak=None):
    """{"inwoners": [years], "studenten": [years]} for which data is loaded."""
    if gegevens is None:
        if afspraak is None:
            return {"inwoners": [], "studenten": []}
        gegevens = Toetsgegevens(afspraak)
    per_soort = {"inwoners": [], "studenten": []}
    for soort, jaar in datasets(gegevens):
        per_soort["inwoners" if soort == Dataset.Soort.INWONERS else "studenten"].append(jaar)
    return {k: sorted(v) for k, v in per_soort.items()}


# --- costs ----------------------------------------------------------------------------------------


@dataclass
class Kostenregel:
    post: Kostenpost
    bedragen: list  # cents or None, per year of the looptijd
    totaal: int


@dataclass
class Kostencategorie:
    categorie: str
    label: str
    uitleg: str
    regels: list
    totaal_per_jaar: list
    totaal: int


@dataclass
class Kostenoverzicht:
    jaren: list
    categorieen: list  # [Kostencategorie] with at least one post
    totaal_per_jaar: list
    totaal: int
    te_verdelen: dict  # {jaar: cents}: the posts marked 'verdelen'
    meldingen: list = field(default_factory=list)

    @property
    def aantal(self):
        return sum(len(c.regels) for c in self.categorieen)

    @property
    def jaren_zonder_kosten(self):
        return [j for j, t in zip(self.jaren, self.totaal_per_jaar, strict=True) if not t]

    @property
    def dekt_looptijd(self):
        return bool(self.jaren) and self.aantal > 0 and not self.jaren_zonder_kosten


def kostenoverzicht(afspraak, gegevens=None):
    gegevens = gegevens_voor(afspraak, gegevens)

    def laad():
        jaren = afspraak.looptijd_jaren
        posten = kostenposten(gegevens)
        meldingen = []
        categorieen = []
        for categorie in Categorie:
            regels = []
            for post in (p for p in posten if p.categorie == categorie.value):
                bedragen = [post.bedrag(j) for j in jaren]
                regels.append(Kostenregel(post, bedragen, sum(b or 0 for b in bedragen)))
                buiten = post.jaren_buiten(jaren)
                if buiten:
                    meldingen.append(
                        f"Kostenpost “{post}” heeft een bedrag voor {', '.join(str(j) for j in buiten)}, buiten de "
                        "looptijd; dat bedrag telt nergens mee. Pas de kostenpost of de looptijd aan."
                    )
            if regels:
                per_jaar = [sum(r.bedragen[i] or 0 for r in regels) for i in range(len(jaren))]
                categorieen.append(
                    Kostencategorie(
                        categorie.value, categorie.label, _uitleg(categorie), regels, per_jaar, sum(per_jaar)
                    )
                )
        totaal_per_jaar = [sum(c.totaal_per_jaar[i] for c in categorieen) for i in range(len(jaren))]
        te_verdelen = {j: sum(p.bedrag(j) or 0 for p in posten if p.verdelen) for j in jaren}
        if posten:
            for jaar, totaal in zip(jaren, totaal_per_jaar, strict=True):
                if not totaal:
                    meldingen.append(f"Voor {jaar} zijn geen kosten ingevuld.")
        return Kostenoverzicht(jaren, categorieen, totaal_per_jaar, sum(totaal_per_jaar), te_verdelen, meldingen)

    return _cache(gegevens, "kostenoverzicht", laad)


def _uitleg(categorie):
    from .models import CATEGORIE_UITLEG

    return CATEGORIE_UITLEG[categorie]


# --- the verdeling --------------------------------------------------------------------------------


@dataclass
class Berekening:
    """The verdeling of an agreement, or why there is none."""

    verdeling: kern.Verdeling | None = None
    fouten: list = field(default_factory=list)
    meldingen: list = field(default_factory=list)
    bronnen: list = field(default_factory=list)  # where the weights come from, with the data's status
    geen_sleutel: bool = False
    geen_kosten: bool = False

    @property
    def ok(self):
        return self.verdeling is not None and not self.fouten


def partijsleutel(partij, codes):
    """A stable key for ties: the CBS code of a gemeente, else the organisation's number."""
    if partij.organisatie.gemeente_id and partij.organisatie.gemeente_id in codes:
        return codes[partij.organisatie.gemeente_id][0]
    return f"ORG{partij.organisatie_id:08d}"


def _studenten(instelling_ids):
    """{peiljaar: {gemeente_id: Telling}} for these instellingen, each instelling's total rows when it has
    them for that year, else the sum of its rows per leerweg/niveau (never both: no double counting)."""
    if not instelling_ids:
        return {}
    rijen = list(
        StudentenPerWoongemeente.objects.filter(instelling_id__in=instelling_ids)
        .annotate(
            totaalrij=Case(
                When(leerweg="", niveau="", then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .values("peiljaar", "instelling_id", "gemeente_id", "totaalrij")
        .annotate(bekend=Sum("aantal"), onderdrukt=Sum("onderdrukt"))
        .order_by()
    )
    met_totaal = {(r["peiljaar"], r["instelling_id"]) for r in rijen if r["totaalrij"]}
    per_jaar = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rijen:
        if (r["peiljaar"], r["instelling_id"]) in met_totaal and not r["totaalrij"]:
            continue
        telling = per_jaar[r["peiljaar"]][r["gemeente_id"]]
        telling[0] += r["bekend"] or 0
        telling[1] += r["onderdrukt"] or 0
    return {
        jaar: {g: kern.Telling(b, o) for g, (b, o) in per_gemeente.items()} for jaar, per_gemeente in per_jaar.items()
    }


def _dataset_tekst(dataset, soort, jaar):
    if dataset is None:
        return f"{soort} {jaar}"
    tekst = f"{soort} {jaar}: {dataset.get_status_display().lower()}"
    if dataset.is_synthetisch:
        tekst += " — geen echte aantallen, alleen voor de demo"
    return tekst


def bereken(afspraak, gegevens=None):
    """The Berekening of this agreement's verdeling (cached on `gegevens`)."""
    gegevens = gegevens_voor(afspraak, gegevens)
    return _cache(gegevens, "berekening", lambda: _bereken(afspraak, gegevens))


def _bereken(afspraak, gegevens):
    groepen = verdeelgroepen(gegevens)
    kosten = kostenoverzicht(afspraak, gegevens)
    if not groepen:
        return Berekening(geen_sleutel=True, meldingen=[])
    partijen = {p.pk: p for p in gegevens.partijen}
    gemeente_ids = [p.organisatie.gemeente_id for p in partijen.values() if p.organisatie.gemeente_id]
    codes = {
        pk: (code, regio_id)
        for pk, code, regio_id in Gemeente.objects.filter(pk__in=gemeente_ids).values_list("pk", "code", "regio_id")
    }
    sleutels = {pk: partijsleutel(p, codes) for pk, p in partijen.items()}
    deelnemers = [
        kern.Deelnemer(
            sleutel=sleutels[pk],
            naam=p.organisatie.naam,
            is_gemeente=bool(p.organisatie.gemeente_id),
            in_regio=(
                not p.organisatie.gemeente_id
                or codes.get(p.organisatie.gemeente_id, (None, None))[1] == afspraak.regio_id
            ),
        )
        for pk, p in partijen.items()
    ]
    fouten, meldingen, bronnen = [], [], []
    beschikbaar = datasets(gegevens)

    inwoners_nodig = any(g.methode == Verdeelgroep.Methode.INWONERS for g in groepen)
    studenten_nodig = any(
        g.methode in (Verdeelgroep.Methode.STUDENTEN, Verdeelgroep.Methode.PER_STUDENT) for g in groepen
    )
    inwoners = defaultdict(dict)  # {peiljaar: {gemeente_id: aantal}}
    if inwoners_nodig:
        for gemeente_id, jaar, aantal in Inwonertal.objects.filter(gemeente_id__in=gemeente_ids).values_list(
            "gemeente_id", "peiljaar", "aantal"
        ):
            inwoners[jaar][gemeente_id] = aantal
    instellingen = sorted(
        (p for p in partijen.values() if p.organisatie.instelling_id), key=lambda p: p.organisatie.naam
    )
    studenten = _studenten([p.organisatie.instelling_id for p in instellingen]) if studenten_nodig else {}

    kerngroepen = []
    for groep in groepen:
        leden = []
        for pk in groep.leden or []:
            if pk in partijen:
                leden.append(sleutels[pk])
            else:
                leden.append(f"verdwenen-{pk}")  # the core reports it as no longer a party
        aandeel = None
        if groep.aandeel:
            aandeel = groep.aandeel_breuk
            if aandeel is None:  # only possible when stored outside the form
                fouten.append(f"Groep “{groep.naam}”: het vaste aandeel ‘{groep.aandeel}’ is ongeldig.")
                aandeel = Fraction(0)
        percentages = {}
        for pk, tekst in (groep.percentages or {}).items():
            try:
                percentages[sleutels.get(int(pk), f"verdwenen-{pk}")] = kern.lees_aandeel(tekst)
            except ValueError:
                fouten.append(f"Groep “{groep.naam}”: het percentage ‘{tekst}’ is ongeldig.")
        per_student = None
        if groep.bedrag_per_student is not None:
            per_student = kern.naar_centen(groep.bedrag_per_student)
        peiljaar = groep.peiljaar
        inwoners_groep, studenten_groep = {}, {}
        if groep.methode == Verdeelgroep.Methode.INWONERS:
            if peiljaar is None:
                peiljaar = max(inwoners) if inwoners else None
            if peiljaar is None:
                fouten.append(f"Groep “{groep.naam}”: er zijn geen inwonertallen geladen (CBS).")
            else:
                tallen = inwoners.get(peiljaar, {})
                inwoners_groep = {
                    sleutels[p.pk]: tallen[p.organisatie.gemeente_id]
                    for p in partijen.values()
                    if p.organisatie.gemeente_id in tallen
                }
                bron = _dataset_tekst(beschikbaar.get((Dataset.Soort.INWONERS, peiljaar)), "Inwoners CBS", peiljaar)
                if bron not in bronnen:
                    bronnen.append(bron)
        elif groep.methode in (Verdeelgroep.Methode.STUDENTEN, Verdeelgroep.Methode.PER_STUDENT):
            namen = ", ".join(p.organisatie.naam for p in instellingen)
            if not instellingen:
                fouten.append(
                    f"Groep “{groep.naam}”: deze afspraak heeft geen mbo-instelling als partij, dus er zijn geen "
                    "studenten per woongemeente om mee te rekenen. Voeg de instelling(en) toe als partij."
                )
            else:
                if peiljaar is None:
                    peiljaar = max(studenten) if studenten else None
                if peiljaar is None or peiljaar not in studenten:
                    jaar = f" voor {peiljaar}" if peiljaar else ""
                    fouten.append(
                        f"Groep “{groep.naam}”: er zijn{jaar} geen studentenaantallen per woongemeente van {namen} "
                        "geladen (DUO). Een beheerder laadt ze via ‘Gegevens laden’."
                    )
                else:
                    tellingen = studenten[peiljaar]
                    leden_pks = {int(pk) for pk in groep.leden or [] if pk in partijen}
                    for pk in leden_pks:
                        gemeente_id = partijen[pk].organisatie.gemeente_id
                        if gemeente_id is not None:
                            studenten_groep[sleutels[pk]] = tellingen.get(gemeente_id, kern.Telling(0, 0))
                    bron = _dataset_tekst(
                        beschikbaar.get((Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar)),
                        f"Studenten per woongemeente van {namen}, DUO",
                        peiljaar,
                    )
                    if bron not in bronnen:
                        bronnen.append(bron)
                    if groep.methode == Verdeelgroep.Methode.STUDENTEN:
                        meldingen.extend(_buiten_de_groep(groep, tellingen, leden_pks, partijen, peiljaar))
        kerngroepen.append(
            kern.Groep(
                naam=groep.naam,
                methode=groep.methode,
                leden=tuple(leden),
                aandeel=aandeel,
                percentages=percentages,
                bedrag_per_student=per_student,
                inwoners=inwoners_groep,
                studenten=studenten_groep,
                peiljaar=peiljaar,
            )
        )
    berekening = Berekening(bronnen=bronnen, geen_kosten=not any(kosten.te_verdelen.values()))
    try:
        verdeling = kern.verdeel(kosten.te_verdelen, kerngroepen, deelnemers)
    except kern.VerdelingFout as fout:
        berekening.fouten = fouten + [m for m in fout.meldingen if m not in fouten]
        berekening.meldingen = meldingen
        return berekening
    if fouten:
        berekening.fouten = fouten
        berekening.meldingen = meldingen
        return berekening
    berekening.verdeling = verdeling
    berekening.meldingen = meldingen + verdeling.meldingen
    return berekening


def _buiten_de_groep(groep, tellingen, leden_pks, partijen, peiljaar):
    """A warning when students of the instellingen live in gemeenten that are not in the group."""
    leden_gemeenten = {partijen[pk].organisatie.gemeente_id for pk in leden_pks}
    totaal = sum((t.schatting for t in tellingen.values()), Fraction(0))
    buiten = {g: t for g, t in tellingen.items() if g not in leden_gemeenten and t.schatting}
    deel = sum((t.schatting for t in buiten.values()), Fraction(0))
    if not totaal or not deel:
        return []
    grootste = sorted(buiten, key=lambda g: (-buiten[g].schatting, g))[:3]
    namen = dict(Gemeente.objects.filter(pk__in=grootste).values_list("pk", "naam"))
    voorbeelden = ", ".join(namen.get(g, "?") for g in grootste)
    meer = " en andere" if len(buiten) > len(grootste) else ""
    return [
        f"Groep “{groep.naam}”: {kern.procent(deel / totaal, 1)} van de studenten (peiljaar {peiljaar}) woont in "
        f"{len(buiten)} gemeente{'n' if len(buiten) != 1 else ''} die niet in deze groep "
        f"{'zitten' if len(buiten) != 1 else 'zit'} ({voorbeelden}{meer}). De groep verdeelt haar aandeel alleen "
        "over haar eigen leden; neem die gemeenten op als zij mee moeten betalen."
    ]


def groeptabellen(verdeling):
    """Per group of the verdeelsleutel: its members' amounts per year, as rows for a table (page and PDF)."""
    tabellen = []
    for groep in verdeling.groepen:
        rijen = []
        for gewicht in groep.gewichten:
            bedragen = [groep.bedragen[j].get(gewicht.sleutel, 0) for j in verdeling.jaren]
            rijen.append({"gewicht": gewicht, "bedragen": bedragen, "totaal": sum(bedragen)})
        totalen = [groep.totaal[j] for j in verdeling.jaren]
        tabellen.append({"groep": groep, "rijen": rijen, "totalen": totalen, "totaal": sum(totalen)})
    return tabellen


def partijtabel(verdeling):
    """Per party: its amount per year and in total, with the totals, as rows for a table (page and PDF)."""
    rijen = []
    for sleutel in verdeling.partijen:
        bedragen = [verdeling.per_partij[sleutel][j] for j in verdeling.jaren]
        rijen.append({"naam": verdeling.namen[sleutel], "bedragen": bedragen, "totaal": sum(bedragen)})
    totalen = [verdeling.totaal[j] for j in verdeling.jaren]
    return {
        "rijen": rijen,
        "totalen": totalen,
        "totaal": sum(totalen),
        "te_verdelen": [verdeling.te_verdelen[j] for j in verdeling.jaren],
        "ongedekt": [verdeling.ongedekt[j] for j in verdeling.jaren],
        "heeft_ongedekt": any(verdeling.ongedekt[j] for j in verdeling.jaren),
    }
