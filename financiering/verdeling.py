"""The calculation core of the verdeling: who pays which part of the costs, to the cent.

Plain Python, no Django: amounts are whole cents (int), shares and weights exact fractions
(`fractions.Fraction`), so nothing is lost to binary floating point.

A verdeelsleutel is layered (shared/domain/financiering.md):

1. Groups of parties with a fixed share of the total (⅓ instelling / ⅓ zorgverzekeraar / ⅓ gemeenten,
   or 87% / 13%). The shares of these groups add up to exactly 100%.
2. Within a group one method: by inwoners (CBS), by students per woongemeente (DUO), equal parts,
   fixed percentages. Or a group pays an amount per student (e.g. € 15 per student per year from
   every gemeente): such a group yields its own total instead of splitting one. Its contributions
   cover part of the costs first; the groups with a fixed share split what remains. Without any
   share group the contributions per student are the whole verdeling, and the result says how far
   they fall short of (or exceed) the costs.

Rounding: the groups get their share of a year's total by largest remainder on cents; within a group
each party's exact share is (group's exact amount × weight / sum of weights), rounded down, and the
cents still missing go to the largest remainders. So every part is within one cent of its exact
proportional share, no part is negative, group totals are their exact share rounded to a cent, and
all parts add up exactly to the total. Ties are broken by the stable key of the party (or the name of
the group), never by input order: permuting the input changes nothing.

Students: DUO suppresses counts of 1 to 4. Each suppressed part is counted as 2.5 (the midpoint of 1–4,
the same point estimate `regio.aantallen.Aantal.midden` uses); the result then says that its weights
are estimates and how many suppressed parts they contain.

Problems that make an honest verdeling impossible (a group whose weights are all zero, a gemeente
without inwoners or student counts, shares that do not add up to 100%, negative or absurd amounts,
…) raise `VerdelingFout` with every message in Dutch; lesser ones (a gemeente outside the region, a
party with weight zero, a year without costs) are warnings in `Verdeling.meldingen`. Never a silent 0.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

INWONERS = "inwoners"
STUDENTEN = "studenten"
GELIJK = "gelijk"
PERCENTAGES = "percentages"
PER_STUDENT = "per_student"

METHODEN = {
    INWONERS: "naar rato van het aantal inwoners (CBS)",
    STUDENTEN: "naar rato van het aantal studenten per woongemeente (DUO)",
    GELIJK: "in gelijke delen",
    PERCENTAGES: "in vaste percentages",
    PER_STUDENT: "een vast bedrag per student per jaar",
}
# Methods whose members must be gemeenten (they need inwoners or students per woongemeente).
ALLEEN_GEMEENTEN = {INWONERS, STUDENTEN, PER_STUDENT}

# A suppressed DUO count (1 to 4) counts as its midpoint.
GEWICHT_ONDERDRUKT = Fraction(5, 2)

# Limits beyond which an input is certainly a typing error.
MAX_TOTAAL_CENTEN = 100_000_000_000  # € 1 miljard per jaar
MAX_PER_STUDENT_CENTEN = 1_000_000  # € 10.000 per student per jaar
MAX_GEWICHT = 100_000_000  # inwoners or students of one gemeente
MIN_JAAR, MAX_JAAR = 2000, 2100


class VerdelingFout(ValueError):
    """The verdeling cannot be computed honestly; `meldingen` says why, in Dutch, one line per problem."""

    def __init__(self, meldingen):
        if isinstance(meldingen, str):
            meldingen = [meldingen]
        self.meldingen = list(meldingen)
        super().__init__(" ".join(self.meldingen))


# --- formatting and reading Dutch numbers ---------------------------------------------------------


def _groepeer(getal):
    return f"{getal:,}".replace(",", ".")


def euro(centen):
    """Whole cents as Dutch text: 123456 → "€ 1.234,56", -5 → "€ -0,05"."""
    teken = "-" if centen < 0 else ""
    euros, rest = divmod(abs(int(centen)), 100)
    return f"€ {teken}{_groepeer(euros)},{rest:02d}"


def bedrag_tekst(centen):
    """Whole cents as the text of an input field: 123456 → "1.234,56" (no euro sign)."""
    return euro(centen)[2:]


def procent(breuk, decimalen=2):
    """A fraction as a Dutch percentage: Fraction(1, 3) → "33,33%", Fraction(87, 100) → "87%"."""
    waarde = (Decimal(breuk.numerator) / Decimal(breuk.denominator) * 100).quantize(
        Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP
    )
    tekst = f"{waarde:f}"
    if "." in tekst:
        tekst = tekst.rstrip("0").rstrip(".")
    return tekst.replace(".", ",") + "%"


def getal(waarde):
    """A weight as Dutch text: 1234 → "1.234", Fraction(5, 2) → "2,5"."""
    waarde = Fraction(waarde)
    if waarde.denominator == 1:
        return _groepeer(waarde.numerator)
    geheel = Decimal(waarde.numerator) / Decimal(waarde.denominator)
    tekst = f"{geheel.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".rstrip("0").rstrip(".")
    voor, _, na = tekst.partition(".")
    return _groepeer(int(voor)) + ("," + na if na else "")


BEDRAG_UITLEG = "Vul een bedrag in euro's in, bijvoorbeeld 1.234,56 of 1234,56."
_DUIZENDTALLEN = re.compile(r"^\d{1,3}(\.\d{3})+$")


def lees_bedrag(tekst):
    """Dutch amount text → Decimal with two decimals. Raises ValueError with a Dutch message.

    Accepts "1.234,56", "1234,56", "1234", "€ 1.234", "15,-" and, pasted from English software,
    "1234.56". A dot followed by exactly three digits is a thousands separator ("1.234" is 1234 euro).
    """
    if isinstance(tekst, Decimal):
        schoon = tekst
    else:
        schoon = unicodedata.normalize("NFKC", str(tekst)).strip()
        schoon = re.sub(r"^(€|eur\b|euro\b)", "", schoon, flags=re.IGNORECASE).strip()
        schoon = schoon.replace(" ", "").replace("\u2212", "-")
        negatief = schoon.startswith("-")
        if negatief:
            schoon = schoon[1:]
        if schoon.endswith(",-"):
            schoon = schoon[:-2]
        if not schoon:
            raise ValueError(BEDRAG_UITLEG)
        if "," in schoon:
            voor, _, na = schoon.partition(",")
            if "," in na or "." in na:
                raise ValueError(BEDRAG_UITLEG)
            if "." in voor and not _DUIZENDTALLEN.match(voor):
                raise ValueError(BEDRAG_UITLEG + " Een punt scheidt duizendtallen (1.234).")
            voor = voor.replace(".", "")
        elif "." in schoon:
            if _DUIZENDTALLEN.match(schoon):
                voor, na = schoon.replace(".", ""), ""
            elif schoon.count(".") == 1:
                voor, _, na = schoon.partition(".")
            else:
                raise ValueError(BEDRAG_UITLEG)
        else:
            voor, na = schoon, ""
        if not voor:
            voor = "0"
        if not voor.isdigit() or (na and not na.isdigit()) or not voor.isascii() or not na.isascii():
            raise ValueError(BEDRAG_UITLEG)
        if len(na) > 2:
            raise ValueError("Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen).")
        schoon = Decimal(f"{'-' if negatief else ''}{voor}.{na or '0'}")
    if not schoon.is_finite():
        raise ValueError(BEDRAG_UITLEG)
    if schoon != schoon.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError("Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen).")
    return schoon.quantize(Decimal("0.01"))


def naar_centen(bedrag):
    """Decimal euros (at most two decimals) → int cents."""
    centen = Decimal(bedrag) * 100
    if centen != centen.to_integral_value():
        raise ValueError("Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen).")
    return int(centen)


def uit_centen(centen):
    return (Decimal(int(centen)) / 100).quantize(Decimal("0.01"))


_BREUKTEKENS = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅙": "1/6", "⅛": "1/8"}
AANDEEL_UITLEG = "Vul een percentage in (87 of 87%) of een breuk (1/3)."


def lees_aandeel(tekst):
    """A share as typed → Fraction of 1: "87" and "87%" → 87/100, "33,5%" → 67/200, "1/3" and "⅓" → 1/3."""
    schoon = str(tekst).strip().replace(" ", "")
    for teken, breuk in _BREUKTEKENS.items():
        schoon = schoon.replace(teken, breuk)
    if not schoon:
        raise ValueError(AANDEEL_UITLEG)
    try:
        if "/" in schoon:
            teller, _, noemer = schoon.partition("/")
            if not teller.isdigit() or not noemer.isdigit() or not teller.isascii() or not noemer.isascii():
                raise ValueError(AANDEEL_UITLEG)
            if int(noemer) == 0:
                raise ValueError("Een breuk met noemer 0 bestaat niet.")
            return Fraction(int(teller), int(noemer))
        schoon = schoon.removesuffix("%").replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", schoon):
            raise ValueError(AANDEEL_UITLEG)
        return Fraction(Decimal(schoon)) / 100
    except (InvalidOperation, ZeroDivisionError) as fout:
        raise ValueError(AANDEEL_UITLEG) from fout


# --- input ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Telling:
    """Students of one gemeente: a known part and a number of suppressed parts (each 1 to 4)."""

    bekend: int = 0
    onderdrukt: int = 0

    @property
    def schatting(self):
        return Fraction(self.bekend) + GEWICHT_ONDERDRUKT * self.onderdrukt

    @property
    def is_exact(self):
        return self.onderdrukt == 0


@dataclass(frozen=True)
class Deelnemer:
    """A party: `sleutel` is stable and unique (e.g. the CBS code of a gemeente) and breaks ties."""

    sleutel: str
    naam: str
    is_gemeente: bool = False
    in_regio: bool = True


@dataclass(frozen=True)
class Groep:
    """One layer of the key: a group of parties, its fixed share and the method within it.

    `aandeel`: the group's share of the total (a Fraction of 1), None for a PER_STUDENT group.
    `percentages`: {sleutel: Fraction of 1} for PERCENTAGES. `bedrag_per_student`: cents for PER_STUDENT.
    `inwoners` {sleutel: int | None} and `studenten` {sleutel: Telling | None}: the data for INWONERS and
    STUDENTEN / PER_STUDENT; a member missing there has no data. `peiljaar` only names the data in messages.
    """

    naam: str
    methode: str
    leden: tuple = ()
    aandeel: Fraction | None = None
    percentages: dict = field(default_factory=dict)
    bedrag_per_student: int | None = None
    inwoners: dict = field(default_factory=dict)
    studenten: dict = field(default_factory=dict)
    peiljaar: int | None = None


# --- output ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gewicht:
    sleutel: str
    naam: str
    waarde: Fraction  # the weight used (inwoners, students, 1, a percentage)
    aandeel: Fraction  # its share within the group (waarde / sum of the group's weights)
    schatting: bool = False  # contains suppressed student counts, each counted as 2.5
    toelichting: str = ""  # the weight as a person reads it, e.g. "1.234 inwoners (CBS 2023)"


@dataclass
class Groepuitkomst:
    naam: str
    methode: str
    aandeel: Fraction | None
    gewichten: list  # [Gewicht], ordered by name then key
    bedragen: dict  # {jaar: {sleutel: cents}}
    totaal: dict  # {jaar: cents}
    bedrag_per_student: int | None = None
    peiljaar: int | None = None

    @property
    def methode_tekst(self):
        return METHODEN[self.methode]

    @property
    def is_schatting(self):
        return any(g.schatting for g in self.gewichten)


@dataclass
class Verdeling:
    jaren: list  # sorted years
    te_verdelen: dict  # {jaar: cents}: the costs to cover
    totaal: dict  # {jaar: cents}: the sum of all parts (= te_verdelen when there are share groups)
    groepen: list  # [Groepuitkomst] in the order given
    per_partij: dict  # {sleutel: {jaar: cents}}, over all groups
    namen: dict  # {sleutel: naam}
    meldingen: list  # warnings, Dutch
    ongedekt: dict  # {jaar: cents} costs not covered (negative: contributions exceed the costs)
    onderdrukte_delen: int = 0  # suppressed student counts in the weights (each counted as 2.5)

    @property
    def is_schatting(self):
        return self.onderdrukte_delen > 0

    @property
    def partijen(self):
        """Keys of the parties in the verdeling, ordered by name then key."""
        return sorted(self.per_partij, key=lambda s: (self.namen[s].casefold(), s))

    def totaal_van(self, sleutel):
        return sum(self.per_partij[sleutel].values())

    @property
    def totaal_looptijd(self):
        return sum(self.totaal.values())


# --- the calculation ------------------------------------------------------------------------------


def _is_int(waarde):
    return isinstance(waarde, int) and not isinstance(waarde, bool)


def _verdeel_resten(totaal, quota):
    """Split the whole number `totaal` by the exact `quota` {key: Fraction}: each part is the quota rounded
    down, and the cents still missing go to the largest remainders (ties: the smallest key).

    `totaal` must lie between the sum of the floors and that sum plus the number of non-zero remainders,
    which holds when it is the sum of the quota rounded down or up (the callers guarantee this)."""
    delen = {s: q.numerator // q.denominator for s, q in quota.items()}
    over = totaal - sum(delen.values())
    resten = sorted(
        (s for s in quota if quota[s] != delen[s]), key=lambda s: (-(quota[s] - delen[s]), s)
    )
    if over < 0 or over > len(resten):  # pragma: no cover - excluded by the invariant above
        raise VerdelingFout("Interne fout bij het afronden van de verdeling; meld dit aan de beheerder.")
    for s in resten[:over]:
        delen[s] += 1
    return delen


def _rond_half_op(breuk):
    """A non-negative Fraction rounded to a whole number, halves up."""
    return int((breuk * 2 + 1) // 2)


def _controleer_totalen(totalen, fouten):
    gecontroleerd = {}
    for jaar, centen in totalen.items():
        if not _is_int(jaar) or not MIN_JAAR <= jaar <= MAX_JAAR:
            fouten.append(f"Het jaar {jaar!r} ligt niet tussen {MIN_JAAR} en {MAX_JAAR}.")
            continue
        if not _is_int(centen):
            fouten.append(f"Het te verdelen bedrag voor {jaar} moet in hele centen zijn opgegeven, niet {centen!r}.")
        elif centen < 0:
            fouten.append(f"Het te verdelen bedrag voor {jaar} is negatief ({euro(centen)}).")
        elif centen > MAX_TOTAAL_CENTEN:
            fouten.append(
                f"Het te verdelen bedrag voor {jaar} ({euro(centen)}) is onwaarschijnlijk groot "
                f"(meer dan {euro(MAX_TOTAAL_CENTEN)} per jaar); controleer de kostenposten."
            )
        else:
            gecontroleerd[jaar] = centen
    if not totalen:
        fouten.append("Er is geen jaar om te verdelen: de looptijd of de kosten ontbreken.")
    return gecontroleerd


def _gewichten(groep, deelnemers, fouten, meldingen):
    """[Gewicht] of a group, or None when it cannot be weighed (the reasons are added to `fouten`)."""
    naam = groep.naam
    ruw = {}  # sleutel -> (Fraction, schatting, toelichting)
    ok = True
    peil = f", peiljaar {groep.peiljaar}" if groep.peiljaar else ""
    # Sorted by key: the messages do not depend on the order in which the members were given.
    for sleutel in sorted(groep.leden):
        deelnemer = deelnemers[sleutel]
        if groep.methode in ALLEEN_GEMEENTEN and not deelnemer.is_gemeente:
            soort = "inwoners" if groep.methode == INWONERS else "studenten per woongemeente"
            fouten.append(
                f"Groep “{naam}”: {deelnemer.naam} is geen gemeente en heeft dus geen {soort}. Kies voor deze "
                "groep een andere methode of haal deze partij uit de groep."
            )
            ok = False
            continue
        if groep.methode == INWONERS:
            aantal = groep.inwoners.get(sleutel)
            if aantal is None:
                fouten.append(
                    f"Groep “{naam}”: van {deelnemer.naam} is geen inwonertal bekend (CBS{peil}). "
                    "Laad de inwoners of kies een ander peiljaar."
                )
                ok = False
            elif not _is_int(aantal) or aantal < 0 or aantal > MAX_GEWICHT:
                fouten.append(f"Groep “{naam}”: het inwonertal van {deelnemer.naam} ({aantal!r}) is ongeldig.")
                ok = False
            else:
                ruw[sleutel] = (Fraction(aantal), False, f"{getal(aantal)} inwoners")
        elif groep.methode in (STUDENTEN, PER_STUDENT):
            telling = groep.studenten.get(sleutel)
            if telling is None:
                fouten.append(
                    f"Groep “{naam}”: van {deelnemer.naam} zijn geen studentenaantallen bekend (DUO{peil})."
                )
                ok = False
            elif (
                not isinstance(telling, Telling)
                or not _is_int(telling.bekend)
                or not _is_int(telling.onderdrukt)
                or telling.bekend < 0
                or telling.onderdrukt < 0
                or telling.schatting > MAX_GEWICHT
            ):
                fouten.append(f"Groep “{naam}”: het studentenaantal van {deelnemer.naam} ({telling!r}) is ongeldig.")
                ok = False
            else:
                tekst = f"{getal(telling.bekend)} studenten"
                if telling.onderdrukt:
                    delen = "onderdrukt aantal" if telling.onderdrukt == 1 else "onderdrukte aantallen"
                    tekst = (
                        f"ongeveer {getal(telling.schatting)} studenten: {getal(telling.bekend)} plus "
                        f"{telling.onderdrukt} {delen} van 1–4, elk geteld als 2,5"
                    )
                ruw[sleutel] = (telling.schatting, not telling.is_exact, tekst)
        elif groep.methode == GELIJK:
            ruw[sleutel] = (Fraction(1), False, "gelijk deel")
        elif groep.methode == PERCENTAGES:
            pct = groep.percentages.get(sleutel)
            if pct is None:
                fouten.append(f"Groep “{naam}”: voor {deelnemer.naam} is geen percentage opgegeven.")
                ok = False
            elif not isinstance(pct, (Fraction, int)) or isinstance(pct, bool) or pct < 0 or pct > 1:
                fouten.append(f"Groep “{naam}”: het percentage van {deelnemer.naam} moet tussen 0% en 100% liggen.")
                ok = False
            else:
                ruw[sleutel] = (Fraction(pct), False, procent(Fraction(pct)))
        if (
            groep.methode in ALLEEN_GEMEENTEN
            and deelnemer.is_gemeente
            and not deelnemer.in_regio
            and sleutel in ruw
        ):
            meldingen.append(
                f"Groep “{naam}”: {deelnemer.naam} ligt buiten de regio en betaalt mee "
                f"{METHODEN[groep.methode]}. Controleer of dat zo is afgesproken."
            )
    if groep.methode == PERCENTAGES:
        vreemd = sorted(set(groep.percentages) - set(groep.leden))
        if vreemd:
            fouten.append(
                f"Groep “{naam}”: er staan percentages voor partijen die niet in de groep zitten "
                f"({', '.join(deelnemers[s].naam if s in deelnemers else s for s in vreemd)})."
            )
            ok = False
        if ok:
            som = sum((w for w, _, _ in ruw.values()), Fraction(0))
            if som != 1:
                fouten.append(
                    f"Groep “{naam}”: de vaste percentages tellen op tot {procent(som)}; dat moet precies 100% zijn."
                )
                ok = False
    if not ok:
        return None
    som = sum((w for w, _, _ in ruw.values()), Fraction(0))
    if groep.methode != PER_STUDENT and som == 0:
        soort = {INWONERS: "inwoners", STUDENTEN: "studenten", PERCENTAGES: "procenten"}.get(groep.methode, "gewicht")
        fouten.append(
            f"Groep “{naam}”: alle gewichten zijn nul (geen {soort} bij de leden{peil}), dus er valt niets "
            "naar rato te verdelen. Kies een andere methode of andere leden."
        )
        return None
    gewichten = []
    for sleutel, (waarde, schatting, toelichting) in ruw.items():
        deelnemer = deelnemers[sleutel]
        if waarde == 0:
            meldingen.append(
                f"Groep “{naam}”: {deelnemer.naam} heeft gewicht nul ({toelichting}) en betaalt in deze groep niets."
            )
        gewichten.append(
            Gewicht(
                sleutel=sleutel,
                naam=deelnemer.naam,
                waarde=waarde,
                aandeel=(waarde / som) if som else Fraction(0),
                schatting=schatting,
                toelichting=toelichting,
            )
        )
    gewichten.sort(key=lambda g: (g.naam.casefold(), g.sleutel))
    return gewichten


def _controleer_groep(groep, deelnemers, fouten):
    """Structural checks of one group; False when it cannot be used at all."""
    naam = groep.naam
    ok = True
    if groep.methode not in METHODEN:
        fouten.append(f"Groep “{naam}”: onbekende methode {groep.methode!r}.")
        return False
    if not groep.leden:
        fouten.append(f"Groep “{naam}” heeft geen partijen: kies wie in deze groep betaalt.")
        ok = False
    if len(set(groep.leden)) != len(groep.leden):
        fouten.append(f"Groep “{naam}” noemt een partij twee keer.")
        ok = False
    onbekend = [s for s in groep.leden if s not in deelnemers]
    if onbekend:
        fouten.append(
            f"Groep “{naam}” noemt een partij die niet (meer) bij de afspraak hoort. Sla de groep opnieuw op."
        )
        ok = False
    if groep.methode == PER_STUDENT:
        if groep.aandeel is not None:
            fouten.append(
                f"Groep “{naam}” betaalt een bedrag per student en heeft daarom geen vast aandeel; "
                "laat het aandeel leeg."
            )
            ok = False
        bedrag = groep.bedrag_per_student
        if bedrag is None:
            fouten.append(f"Groep “{naam}”: vul het bedrag per student per jaar in.")
            ok = False
        elif not _is_int(bedrag) or bedrag <= 0:
            fouten.append(f"Groep “{naam}”: het bedrag per student moet groter dan nul zijn.")
            ok = False
        elif bedrag > MAX_PER_STUDENT_CENTEN:
            fouten.append(
                f"Groep “{naam}”: {euro(bedrag)} per student per jaar is onwaarschijnlijk hoog "
                f"(meer dan {euro(MAX_PER_STUDENT_CENTEN)}); controleer het bedrag."
            )
            ok = False
    else:
        aandeel = groep.aandeel
        if aandeel is None:
            fouten.append(f"Groep “{naam}”: vul het vaste aandeel van deze groep in (bijvoorbeeld 1/3 of 87%).")
            ok = False
        elif not isinstance(aandeel, (Fraction, int)) or isinstance(aandeel, bool) or aandeel < 0 or aandeel > 1:
            fouten.append(f"Groep “{naam}”: het vaste aandeel moet tussen 0% en 100% liggen.")
            ok = False
    return ok


def verdeel(totalen, groepen, deelnemers):
    """The verdeling of `totalen` {jaar: cents} over the parties by the layered key `groepen` [Groep].

    `deelnemers`: the parties [Deelnemer] that groups may name. Returns a `Verdeling`; raises
    `VerdelingFout` listing every problem when no honest verdeling is possible.
    """
    fouten, meldingen = [], []
    per_sleutel = {}
    for deelnemer in deelnemers:
        if deelnemer.sleutel in per_sleutel:
            fouten.append(f"Twee partijen hebben dezelfde sleutel {deelnemer.sleutel!r}.")
        per_sleutel[deelnemer.sleutel] = deelnemer
    totalen = _controleer_totalen(dict(totalen), fouten)
    groepen = list(groepen)
    if not groepen:
        fouten.append("Er is nog geen verdeelsleutel: voeg ten minste één groep partijen toe.")
    namen = [g.naam for g in groepen]
    for naam in sorted({n for n in namen if namen.count(n) > 1}):
        fouten.append(f"Twee groepen heten “{naam}”; geef elke groep een eigen naam.")
    bruikbaar = [g for g in groepen if _controleer_groep(g, per_sleutel, fouten)]
    gewichten = {}
    for groep in bruikbaar:
        if groep.methode != PER_STUDENT and groep.aandeel == 0:
            meldingen.append(f"Groep “{groep.naam}” heeft een vast aandeel van 0% en betaalt dus niets.")
        uitkomst = _gewichten(groep, per_sleutel, fouten, meldingen)
        if uitkomst is not None:
            gewichten[groep.naam] = uitkomst
    aandeelgroepen = [g for g in groepen if g.methode != PER_STUDENT]
    if aandeelgroepen and all(g.aandeel is not None and isinstance(g.aandeel, (Fraction, int)) for g in aandeelgroepen):
        som = sum((Fraction(g.aandeel) for g in aandeelgroepen), Fraction(0))
        if som != 1:
            fouten.append(
                f"De vaste aandelen van de groepen tellen op tot {procent(som)}; dat moet precies 100% zijn."
            )
    if fouten:
        raise VerdelingFout(fouten)

    jaren = sorted(totalen)
    bedragen = {g.naam: {jaar: {} for jaar in jaren} for g in groepen}
    # Contributions per student first: their own total, rounded per party (halves up).
    per_student_totaal = {jaar: 0 for jaar in jaren}
    for groep in groepen:
        if groep.methode != PER_STUDENT:
            continue
        for gewicht in gewichten[groep.naam]:
            centen = _rond_half_op(gewicht.waarde * groep.bedrag_per_student)
            for jaar in jaren:
                bedragen[groep.naam][jaar][gewicht.sleutel] = centen
                per_student_totaal[jaar] += centen
    if aandeelgroepen:
        rest_per_jaar = {}
        for jaar in jaren:
            rest = totalen[jaar] - per_student_totaal[jaar]
            if rest < 0:
                fouten.append(
                    f"In {jaar} brengen de bijdragen per student ({euro(per_student_totaal[jaar])}) meer op dan de "
                    f"kosten ({euro(totalen[jaar])}); er blijft niets over voor de groepen met een vast aandeel."
                )
            rest_per_jaar[jaar] = rest
        if fouten:
            raise VerdelingFout(fouten)
        for jaar in jaren:
            rest = rest_per_jaar[jaar]
            exact = {g.naam: rest * Fraction(g.aandeel) for g in aandeelgroepen}
            groepsbedrag = _verdeel_resten(rest, exact)
            for groep in aandeelgroepen:
                quota = {
                    w.sleutel: exact[groep.naam] * w.aandeel for w in gewichten[groep.naam]
                }
                bedragen[groep.naam][jaar] = _verdeel_resten(groepsbedrag[groep.naam], quota)
    totaal, ongedekt = {}, {}
    for jaar in jaren:
        totaal[jaar] = sum(sum(bedragen[g.naam][jaar].values()) for g in groepen)
        ongedekt[jaar] = totalen[jaar] - totaal[jaar]
        if totalen[jaar] == 0:
            meldingen.append(f"Voor {jaar} zijn geen kosten ingevuld om te verdelen.")
        if ongedekt[jaar] > 0:
            meldingen.append(
                f"In {jaar} dekken de bijdragen per student {euro(totaal[jaar])} van de kosten "
                f"({euro(totalen[jaar])}): {euro(ongedekt[jaar])} is nog niet verdeeld. Voeg een groep met een "
                "vast aandeel toe om de rest te verdelen."
            )
        elif ongedekt[jaar] < 0:
            meldingen.append(
                f"In {jaar} brengen de bijdragen per student {euro(-ongedekt[jaar])} meer op dan de kosten "
                f"({euro(totalen[jaar])})."
            )

    per_partij, namen_per_sleutel = {}, {}
    uitkomsten = []
    onderdrukte = {}  # (peiljaar, sleutel) -> suppressed parts: a gemeente in two groups counts once
    for groep in groepen:
        for gewicht in gewichten[groep.naam]:
            namen_per_sleutel[gewicht.sleutel] = gewicht.naam
            rij = per_partij.setdefault(gewicht.sleutel, {jaar: 0 for jaar in jaren})
            for jaar in jaren:
                rij[jaar] += bedragen[groep.naam][jaar].get(gewicht.sleutel, 0)
        if groep.methode in (STUDENTEN, PER_STUDENT):
            for w in gewichten[groep.naam]:
                if groep.studenten[w.sleutel].onderdrukt:
                    onderdrukte[(groep.peiljaar, w.sleutel)] = groep.studenten[w.sleutel].onderdrukt
        uitkomsten.append(
            Groepuitkomst(
                naam=groep.naam,
                methode=groep.methode,
                aandeel=Fraction(groep.aandeel) if groep.aandeel is not None else None,
                gewichten=gewichten[groep.naam],
                bedragen=bedragen[groep.naam],
                totaal={jaar: sum(bedragen[groep.naam][jaar].values()) for jaar in jaren},
                bedrag_per_student=groep.bedrag_per_student,
                peiljaar=groep.peiljaar,
            )
        )
    onderdrukt = sum(onderdrukte.values())
    if onderdrukt:
        delen = "onderdrukt aantal" if onderdrukt == 1 else "onderdrukte aantallen"
        meldingen.append(
            f"De gewichten naar studenten zijn schattingen: ze bevatten {onderdrukt} {delen} van 1 tot 4 "
            "studenten (DUO noemt het getal niet), elk geteld als 2,5."
        )
    return Verdeling(
        jaren=jaren,
        te_verdelen=dict(sorted(totalen.items())),
        totaal=totaal,
        groepen=uitkomsten,
        per_partij=per_partij,
        namen=namen_per_sleutel,
        meldingen=meldingen,
        ongedekt=ongedekt,
        onderdrukte_delen=onderdrukt,
    )
