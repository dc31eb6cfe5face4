"""The calculation core of the verdeling (financiering.verdeling): plain Python, no database.

Properties (hypothesis): parts add up exactly to the total, no negative part, every part within one cent
of its exact proportional share, permuting the input changes nothing, the same input gives the same
output. Then the practice examples of shared/domain/financiering.md with concrete euro amounts computed
by hand (not by the code under test), every error with its Dutch message, and Dutch number reading.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from financiering.verdeling import (
    GELIJK,
    INWONERS,
    PER_STUDENT,
    PERCENTAGES,
    STUDENTEN,
    Deelnemer,
    Groep,
    Telling,
    VerdelingFout,
    euro,
    lees_aandeel,
    lees_bedrag,
    procent,
    verdeel,
)

# --- real figures: CBS inwoners on 1 January 2023 (fixtures/refdata/gemeenten_2023_cbs.csv) ----------

FRIESLAND_NOORD = {  # doorstroompuntregio 4, 266.026 inwoners
    "GM0060": ("Ameland", 3840),
    "GM0072": ("Harlingen", 16188),
    "GM0080": ("Leeuwarden", 127073),
    "GM0088": ("Schiermonnikoog", 982),
    "GM0093": ("Terschelling", 4928),
    "GM0096": ("Vlieland", 1291),
    "GM1891": ("Dantumadiel", 19194),
    "GM1949": ("Waadhoeke", 46718),
    "GM1970": ("Noardeast-Fryslân", 45812),
}
ACHTERHOEK = {  # doorstroompuntregio 13: the nine Achterhoekse gemeenten
    "GM0197": "Aalten",
    "GM0221": "Doesburg",
    "GM0222": "Doetinchem",
    "GM0294": "Winterswijk",
    "GM1509": "Oude IJsselstreek",
    "GM1586": "Oost Gelre",
    "GM1859": "Berkelland",
    "GM1876": "Bronckhorst",
    "GM1955": "Montferland",
}
# Test figures (DUO publishes no students per instelling × woongemeente): students of Graafschap
# College per woongemeente; Doesburg's count is suppressed by DUO (1 to 4).
GRAAFSCHAP_STUDENTEN = {
    "GM0197": Telling(620),
    "GM0221": Telling(0, 1),
    "GM0222": Telling(2410),
    "GM0294": Telling(705),
    "GM1509": Telling(950),
    "GM1586": Telling(598),
    "GM1859": Telling(1012),
    "GM1876": Telling(688),
    "GM1955": Telling(840),
}


def gemeenten(tabel, in_regio=True):
    return [Deelnemer(code, naam, is_gemeente=True, in_regio=in_regio) for code, (naam, _) in tabel.items()]


FIRDA = Deelnemer("ORG00000001", "Firda")
DE_FRIESLAND = Deelnemer("ORG00000002", "De Friesland Zorgverzekeraar")
GRAAFSCHAP = Deelnemer("ORG00000003", "Graafschap College")


def centen(verdeling, naam, jaar):
    sleutel = next(s for s, n in verdeling.namen.items() if n == naam)
    return verdeling.per_partij[sleutel][jaar]


# --- practice examples --------------------------------------------------------------------------


def sterk_in_firda(totaal=25_000_000):
    groepen = [
        Groep("Mbo-instelling", GELIJK, (FIRDA.sleutel,), Fraction(1, 3)),
        Groep("Zorgverzekeraar", GELIJK, (DE_FRIESLAND.sleutel,), Fraction(1, 3)),
        Groep(
            "Gemeenten", INWONERS, tuple(FRIESLAND_NOORD), Fraction(1, 3),
            inwoners={code: n for code, (_, n) in FRIESLAND_NOORD.items()}, peiljaar=2023,
        ),
    ]
    return verdeel({2026: totaal, 2027: totaal}, groepen, [FIRDA, DE_FRIESLAND, *gemeenten(FRIESLAND_NOORD)])


def test_sterk_in_firda_een_derde_een_derde_een_derde_naar_inwoners():
    """€ 250.000 a year: ⅓ Firda, ⅓ De Friesland, ⅓ the nine gemeenten by inwoners (CBS 2023).

    By hand: a third is 8.333.333⅓ cent; the three groups tie on the remainder, so the one cent goes to the
    first name, “Gemeenten”: 8.333.334 cent. Leeuwarden's exact share is 8.333.333⅓ × 127.073 / 266.026 =
    3.980.594,63 cent; the six largest remainders (Ameland ,994; Vlieland ,909; Terschelling ,876;
    Noardeast-Fryslân ,762; Leeuwarden ,629; Waadhoeke ,447) get a cent each."""
    v = sterk_in_firda()
    verwacht = {
        "Firda": "€ 83.333,33",
        "De Friesland Zorgverzekeraar": "€ 83.333,33",
        "Ameland": "€ 1.202,89",
        "Dantumadiel": "€ 6.012,57",
        "Harlingen": "€ 5.070,93",
        "Leeuwarden": "€ 39.805,95",
        "Noardeast-Fryslân": "€ 14.350,73",
        "Schiermonnikoog": "€ 307,61",
        "Terschelling": "€ 1.543,71",
        "Vlieland": "€ 404,41",
        "Waadhoeke": "€ 14.634,54",
    }
    for jaar in (2026, 2027):
        assert {naam: euro(centen(v, naam, jaar)) for naam in verwacht} == verwacht
        assert sum(v.per_partij[s][jaar] for s in v.per_partij) == 25_000_000
    gemeentegroep = v.groepen[2]
    assert gemeentegroep.totaal[2026] == 8_333_334
    leeuwarden = next(g for g in gemeentegroep.gewichten if g.naam == "Leeuwarden")
    assert leeuwarden.waarde == 127073
    assert leeuwarden.aandeel == Fraction(127073, 266026)
    assert leeuwarden.toelichting == "127.073 inwoners"
    assert v.meldingen == []
    assert not v.is_schatting


def test_graafschap_college_87_procent_en_13_procent_naar_studenten():
    """€ 400.000 a year: 87% Graafschap College (€ 348.000), 13% (€ 52.000) over the nine gemeenten by students.

    By hand: weights 620 + 2,5 (Doesburg, suppressed) + 2410 + 705 + 950 + 598 + 1012 + 688 + 840 = 7.825,5.
    Doetinchem: 5.200.000 × 2410 / 7825,5 = 1.601.431,22 cent → € 16.014,31; Doesburg: 5.200.000 × 2,5 /
    7825,5 = 1.661,24 cent → € 16,61. The floors add up to 5.199.997 cent; the three largest remainders
    (Oost Gelre ,580; Oude IJsselstreek ,567; Winterswijk ,468) get a cent each."""
    leden = [Deelnemer(code, naam, is_gemeente=True) for code, naam in ACHTERHOEK.items()]
    groepen = [
        Groep("Mbo-instelling", GELIJK, (GRAAFSCHAP.sleutel,), Fraction(87, 100)),
        Groep(
            "Gemeenten", STUDENTEN, tuple(ACHTERHOEK), Fraction(13, 100), studenten=GRAAFSCHAP_STUDENTEN, peiljaar=2024
        ),
    ]
    v = verdeel({2026: 40_000_000}, groepen, [GRAAFSCHAP, *leden])
    verwacht = {
        "Graafschap College": "€ 348.000,00",
        "Aalten": "€ 4.119,86",
        "Doesburg": "€ 16,61",
        "Doetinchem": "€ 16.014,31",
        "Winterswijk": "€ 4.684,69",
        "Oude IJsselstreek": "€ 6.312,70",
        "Oost Gelre": "€ 3.973,68",
        "Berkelland": "€ 6.724,68",
        "Bronckhorst": "€ 4.571,72",
        "Montferland": "€ 5.581,75",
    }
    assert {naam: euro(centen(v, naam, 2026)) for naam in verwacht} == verwacht
    assert v.totaal[2026] == 40_000_000
    assert v.groepen[1].totaal[2026] == 5_200_000
    doesburg = next(g for g in v.groepen[1].gewichten if g.naam == "Doesburg")
    assert doesburg.schatting and doesburg.waarde == Fraction(5, 2)
    assert "elk geteld als 2,5" in doesburg.toelichting
    assert v.is_schatting
    assert any("schattingen" in m and "1 onderdrukt aantal" in m for m in v.meldingen)


def test_school_als_werkplaats_vijftien_euro_per_student_van_elke_gemeente():
    """€ 15 per student per year from every gemeente: its own total, no share to split.

    By hand: Leeuwarden 1.840 × € 15 = € 27.600,00; Vlieland suppressed (2,5 × € 15) = € 37,50;
    Harlingen 312 × € 15 = € 4.680,00."""
    studenten = {"GM0080": Telling(1840), "GM0096": Telling(0, 1), "GM0072": Telling(312)}
    leden = [Deelnemer(c, FRIESLAND_NOORD[c][0], is_gemeente=True) for c in studenten]
    groep = Groep("Alle gemeenten", PER_STUDENT, tuple(studenten), bedrag_per_student=1500, studenten=studenten)
    v = verdeel({2026: 3_231_750, 2027: 0}, [groep], leden)
    assert euro(centen(v, "Leeuwarden", 2026)) == "€ 27.600,00"
    assert euro(centen(v, "Vlieland", 2026)) == "€ 37,50"
    assert euro(centen(v, "Harlingen", 2026)) == "€ 4.680,00"
    assert v.totaal == {2026: 3_231_750, 2027: 3_231_750}
    assert v.ongedekt == {2026: 0, 2027: -3_231_750}
    assert any("Voor 2027 zijn geen kosten ingevuld" in m for m in v.meldingen)
    assert any("meer op dan de kosten" in m for m in v.meldingen)


def test_bedrag_per_student_dekt_eerst_en_de_rest_gaat_naar_de_vaste_aandelen():
    """Sterk in Firda plus € 15 per student: the contributions cover part first, the thirds split the rest."""
    studenten = {"GM0080": Telling(1000), "GM0072": Telling(200)}
    groepen = [
        Groep("Per student", PER_STUDENT, tuple(studenten), bedrag_per_student=1500, studenten=studenten),
        Groep("Mbo-instelling", GELIJK, (FIRDA.sleutel,), Fraction(1, 2)),
        Groep("Zorgverzekeraar", GELIJK, (DE_FRIESLAND.sleutel,), Fraction(1, 2)),
    ]
    v = verdeel({2026: 10_000_000}, groepen, [FIRDA, DE_FRIESLAND, *gemeenten(FRIESLAND_NOORD)])
    # 1.200 students × € 15 = € 18.000; the rest, € 82.000, half each.
    assert euro(centen(v, "Leeuwarden", 2026)) == "€ 15.000,00"
    assert euro(centen(v, "Firda", 2026)) == "€ 41.000,00"
    assert v.totaal[2026] == 10_000_000 and v.ongedekt[2026] == 0


def test_bedrag_per_student_alleen_meldt_wat_ongedekt_blijft():
    studenten = {"GM0080": Telling(10)}
    groep = Groep("Per student", PER_STUDENT, ("GM0080",), bedrag_per_student=1500, studenten=studenten)
    v = verdeel({2026: 100_000}, [groep], gemeenten(FRIESLAND_NOORD))
    assert v.ongedekt[2026] == 85_000
    assert "€ 850,00 is nog niet verdeeld" in " ".join(v.meldingen)


# --- rounding and ties --------------------------------------------------------------------------


def test_gelijke_resten_gaan_naar_de_kleinste_sleutel_niet_naar_de_volgorde():
    # Names sort differently from keys (Alfa is B, Midden is C, Zeta is A): the keys decide.
    a, b, c = (Deelnemer(s, n) for s, n in (("B", "Alfa"), ("A", "Zeta"), ("C", "Midden")))
    for leden in (("A", "B", "C"), ("C", "B", "A"), ("B", "C", "A")):
        v = verdeel({2026: 2}, [Groep("Alle", GELIJK, leden, Fraction(1))], [c, a, b])
        assert v.per_partij == {"A": {2026: 1}, "B": {2026: 1}, "C": {2026: 0}}


def test_een_cent_over_drie_groepen_gaat_naar_de_eerste_naam():
    d = [Deelnemer("X", "x"), Deelnemer("Y", "y"), Deelnemer("Z", "z")]
    groepen = [Groep("Zorg", GELIJK, ("X",), Fraction(1, 3)), Groep("Gemeenten", GELIJK, ("Y",), Fraction(1, 3)),
               Groep("Instelling", GELIJK, ("Z",), Fraction(1, 3))]
    v = verdeel({2026: 100}, groepen, d)
    assert v.per_partij == {"X": {2026: 33}, "Y": {2026: 34}, "Z": {2026: 33}}


def test_partij_in_twee_groepen_krijgt_de_som():
    d = [Deelnemer("A", "Alfa"), Deelnemer("B", "Beta")]
    groepen = [Groep("Eén", GELIJK, ("A",), Fraction(1, 2)), Groep("Twee", GELIJK, ("A", "B"), Fraction(1, 2))]
    v = verdeel({2026: 1000}, groepen, d)
    assert v.per_partij == {"A": {2026: 750}, "B": {2026: 250}}


def test_vaste_percentages():
    d = [Deelnemer("A", "Alfa"), Deelnemer("B", "Beta")]
    groep = Groep(
        "Alle", PERCENTAGES, ("A", "B"), Fraction(1), percentages={"A": Fraction(60, 100), "B": Fraction(40, 100)}
    )
    v = verdeel({2026: 12_345}, [groep], d)
    assert v.per_partij == {"A": {2026: 7407}, "B": {2026: 4938}}
    assert [procent(g.aandeel) for g in v.groepen[0].gewichten] == ["60%", "40%"]


# --- properties -----------------------------------------------------------------------------------

SLEUTELS = [f"GM{n:04d}" for n in range(1, 13)]


@st.composite
def invoer(draw):
    sleutels = draw(st.lists(st.sampled_from(SLEUTELS), min_size=1, max_size=10, unique=True))
    # Names in the opposite order of the keys, so a tie broken by name instead of key would show.
    deelnemers = [
        Deelnemer(s, f"Gemeente {99 - SLEUTELS.index(s):02d}", is_gemeente=True, in_regio=draw(st.booleans()))
        for s in sleutels
    ]
    inwoners = {s: draw(st.integers(0, 1_000_000)) for s in sleutels}
    studenten = {s: Telling(draw(st.integers(0, 5000)), draw(st.integers(0, 3))) for s in sleutels}
    aantal = draw(st.integers(1, 4))
    # Small whole parts: equal shares (ties between groups) are common.
    delen = draw(st.lists(st.integers(0, 3), min_size=aantal, max_size=aantal).filter(lambda d: sum(d) > 0))
    groepen = []
    for i, deel in enumerate(delen):
        methode = draw(st.sampled_from([INWONERS, STUDENTEN, GELIJK, PERCENTAGES]))
        leden = draw(st.lists(st.sampled_from(sleutels), min_size=1, max_size=len(sleutels), unique=True))
        extra = {}
        if methode == INWONERS:
            if not any(inwoners[s] for s in leden):
                inwoners[leden[0]] = draw(st.integers(1, 1_000_000))
            extra["inwoners"] = dict(inwoners)
        elif methode == STUDENTEN:
            if not any(studenten[s].schatting for s in leden):
                studenten[leden[0]] = Telling(draw(st.integers(1, 5000)), 0)
            extra["studenten"] = dict(studenten)
        elif methode == PERCENTAGES:
            punten = draw(
                st.lists(st.integers(0, 100), min_size=len(leden), max_size=len(leden)).filter(lambda p: sum(p) > 0)
            )
            extra["percentages"] = {s: Fraction(p, sum(punten)) for s, p in zip(leden, punten, strict=True)}
        groepen.append(Groep(f"Groep {i}", methode, tuple(leden), Fraction(deel, sum(delen)), **extra))
    if draw(st.booleans()):
        leden = draw(st.lists(st.sampled_from(sleutels), min_size=1, max_size=len(sleutels), unique=True))
        groepen.append(
            Groep(
                "Per student", PER_STUDENT, tuple(leden), bedrag_per_student=draw(st.integers(1, 5000)),
                studenten=dict(studenten),
            )
        )
    jaren = draw(st.lists(st.integers(2026, 2032), min_size=1, max_size=4, unique=True))
    totalen = {j: draw(st.one_of(st.integers(0, 1000), st.integers(0, 10**11))) for j in jaren}
    return totalen, groepen, deelnemers


# The weight of member s in group g, per method.
_GEWICHT = {
    INWONERS: lambda g, s: Fraction(g.inwoners[s]),
    STUDENTEN: lambda g, s: g.studenten[s].schatting,
    GELIJK: lambda g, s: Fraction(1),
    PERCENTAGES: lambda g, s: g.percentages[s],
}


def _exact(totalen, groepen):
    """{(groep, sleutel, jaar): Fraction}: the exact proportional share, computed straight from the definition."""
    per_student = {}
    for g in groepen:
        if g.methode == PER_STUDENT:
            for s in g.leden:
                per_student[(g.naam, s)] = g.studenten[s].schatting * g.bedrag_per_student
    uit = {}
    for jaar, totaal in totalen.items():
        rest = totaal - sum(_rond(v) for v in per_student.values())
        for g in groepen:
            if g.methode == PER_STUDENT:
                for s in g.leden:
                    uit[(g.naam, s, jaar)] = per_student[(g.naam, s)]
                continue
            gewicht = _GEWICHT[g.methode]
            som = sum(gewicht(g, s) for s in g.leden)
            for s in g.leden:
                uit[(g.naam, s, jaar)] = rest * g.aandeel * gewicht(g, s) / som
    return uit


def _rond(breuk):
    return int(Decimal(breuk.numerator) / Decimal(breuk.denominator) + Decimal("0.5"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoer())
def test_eigenschappen_exact_niet_negatief_binnen_een_cent(invoer):
    totalen, groepen, deelnemers = invoer
    exact = _exact(totalen, groepen)
    try:
        v = verdeel(totalen, groepen, deelnemers)
    except VerdelingFout as fout:
        # The only admissible refusal here: contributions per student exceed a year's costs.
        assert all("meer op dan de kosten" in m for m in fout.meldingen), fout.meldingen
        per_student = sum(_rond(v) for (g, s, j), v in exact.items() if j == min(totalen) and g == "Per student")
        assert any(totaal < per_student for totaal in totalen.values())
        return
    for jaar, totaal in totalen.items():
        assert sum(p[jaar] for p in v.per_partij.values()) == v.totaal[jaar]
        assert v.totaal[jaar] == totaal  # there is always a share group here
        assert sum(g.totaal[jaar] for g in v.groepen) == totaal
    for groep in v.groepen:
        for jaar in totalen:
            for sleutel, deel in groep.bedragen[jaar].items():
                assert deel >= 0
                grens = Fraction(1, 2) if groep.methode == PER_STUDENT else Fraction(1)
                assert abs(deel - exact[(groep.naam, sleutel, jaar)]) <= grens
        if groep.aandeel is not None:
            for jaar in totalen:
                gewenst = sum(exact[(groep.naam, s, jaar)] for s in groep.bedragen[jaar])
                assert abs(groep.totaal[jaar] - gewenst) < 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoer(), st.randoms(use_true_random=False))
def test_volgorde_van_de_invoer_verandert_niets_en_uitkomst_is_deterministisch(invoer, rnd):
    totalen, groepen, deelnemers = invoer
    try:
        eerst = verdeel(totalen, groepen, deelnemers)
    except VerdelingFout as fout:
        with pytest.raises(VerdelingFout) as opnieuw:
            verdeel(totalen, groepen, deelnemers)
        assert opnieuw.value.meldingen == fout.meldingen
        return
    nogmaals = verdeel(totalen, groepen, deelnemers)
    assert nogmaals == eerst

    def geschud(groep):
        leden = list(groep.leden)
        rnd.shuffle(leden)
        return Groep(
            groep.naam, groep.methode, tuple(leden), groep.aandeel,
            percentages=dict(reversed(list(groep.percentages.items()))),
            bedrag_per_student=groep.bedrag_per_student, inwoners=groep.inwoners, studenten=groep.studenten,
        )

    groepen2 = [geschud(g) for g in groepen]
    rnd.shuffle(groepen2)
    deelnemers2 = list(deelnemers)
    rnd.shuffle(deelnemers2)
    totalen2 = dict(reversed(list(totalen.items())))
    tweede = verdeel(totalen2, groepen2, deelnemers2)
    assert tweede.per_partij == eerst.per_partij
    assert tweede.totaal == eerst.totaal
    assert {g.naam: g.bedragen for g in tweede.groepen} == {g.naam: g.bedragen for g in eerst.groepen}
    assert {g.naam: g.gewichten for g in tweede.groepen} == {g.naam: g.gewichten for g in eerst.groepen}
    assert sorted(tweede.meldingen) == sorted(eerst.meldingen)


# --- errors: a clear Dutch message, never a crash or a silent zero ---------------------------------

A, B = Deelnemer("GM0001", "Aa", is_gemeente=True), Deelnemer("GM0002", "Bee", is_gemeente=True)
INST = Deelnemer("ORG00000009", "Instelling")


def fout_bij(totalen, groepen, deelnemers=(A, B, INST)):
    with pytest.raises(VerdelingFout) as fout:
        verdeel(totalen, groepen, list(deelnemers))
    assert str(fout.value) == " ".join(fout.value.meldingen)
    return fout.value.meldingen


@pytest.mark.parametrize(
    "totalen, groepen, verwacht",
    [
        ({2026: 100}, [], "Er is nog geen verdeelsleutel: voeg ten minste één groep partijen toe."),
        ({}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))],
         "Er is geen jaar om te verdelen: de looptijd of de kosten ontbreken."),
        ({2026: -5}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))],
         "Het te verdelen bedrag voor 2026 is negatief (€ -0,05)."),
        ({2026: 10.5}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))],
         "Het te verdelen bedrag voor 2026 moet in hele centen zijn opgegeven, niet 10.5."),
        ({2026: Decimal("10")}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))], "moet in hele centen zijn opgegeven"),
        ({2026: 10**12}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))],
         "is onwaarschijnlijk groot (meer dan € 1.000.000.000,00 per jaar)"),
        ({1850: 100}, [Groep("G", GELIJK, ("GM0001",), Fraction(1))], "Het jaar 1850 ligt niet tussen 2000 en 2100."),
        ({2026: 100}, [Groep("G", GELIJK, (), Fraction(1))],
         "Groep “G” heeft geen partijen: kies wie in deze groep betaalt."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM0001", "GM0001"), Fraction(1))], "Groep “G” noemt een partij twee keer."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM9999",), Fraction(1))],
         "Groep “G” noemt een partij die niet (meer) bij de afspraak hoort."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM0001",), Fraction(1, 2)),
                       Groep("G", GELIJK, ("GM0002",), Fraction(1, 2))],
         "Twee groepen heten “G”; geef elke groep een eigen naam."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM0001",), Fraction(1, 3)),
                       Groep("H", GELIJK, ("GM0002",), Fraction(1, 3))],
         "De vaste aandelen van de groepen tellen op tot 66,67%; dat moet precies 100% zijn."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM0001",), None)],
         "Groep “G”: vul het vaste aandeel van deze groep in (bijvoorbeeld 1/3 of 87%)."),
        ({2026: 100}, [Groep("G", GELIJK, ("GM0001",), Fraction(3, 2))],
         "Groep “G”: het vaste aandeel moet tussen 0% en 100% liggen."),
        ({2026: 100}, [Groep("G", "loting", ("GM0001",), Fraction(1))], "Groep “G”: onbekende methode 'loting'."),
        ({2026: 100}, [Groep("G", INWONERS, ("GM0001", "GM0002"), Fraction(1), inwoners={"GM0001": 0, "GM0002": 0},
                             peiljaar=2023)],
         "Groep “G”: alle gewichten zijn nul (geen inwoners bij de leden, peiljaar 2023), dus er valt niets naar rato "
         "te verdelen."),
        ({2026: 100}, [Groep("G", STUDENTEN, ("GM0001",), Fraction(1), studenten={"GM0001": Telling(0, 0)})],
         "Groep “G”: alle gewichten zijn nul (geen studenten bij de leden)"),
        ({2026: 100}, [Groep("G", INWONERS, ("GM0001", "GM0002"), Fraction(1), inwoners={"GM0001": 500},
                             peiljaar=2023)],
         "Groep “G”: van Bee is geen inwonertal bekend (CBS, peiljaar 2023). Laad de inwoners of kies een ander "
         "peiljaar."),
        ({2026: 100}, [Groep("G", INWONERS, ("GM0001",), Fraction(1), inwoners={"GM0001": -4})],
         "Groep “G”: het inwonertal van Aa (-4) is ongeldig."),
        ({2026: 100}, [Groep("G", STUDENTEN, ("GM0001", "GM0002"), Fraction(1), studenten={"GM0001": Telling(5)},
                             peiljaar=2024)],
         "Groep “G”: van Bee zijn geen studentenaantallen bekend (DUO, peiljaar 2024)."),
        ({2026: 100}, [Groep("G", STUDENTEN, ("GM0001",), Fraction(1), studenten={"GM0001": Telling(-1)})],
         "Groep “G”: het studentenaantal van Aa (Telling(bekend=-1, onderdrukt=0)) is ongeldig."),
        ({2026: 100}, [Groep("G", INWONERS, ("GM0001", "ORG00000009"), Fraction(1), inwoners={"GM0001": 5})],
         "Groep “G”: Instelling is geen gemeente en heeft dus geen inwoners."),
        ({2026: 100}, [Groep("G", PERCENTAGES, ("GM0001", "GM0002"), Fraction(1),
                             percentages={"GM0001": Fraction(1, 2)})],
         "Groep “G”: voor Bee is geen percentage opgegeven."),
        ({2026: 100}, [Groep("G", PERCENTAGES, ("GM0001", "GM0002"), Fraction(1),
                             percentages={"GM0001": Fraction(1, 2), "GM0002": Fraction(1, 4)})],
         "Groep “G”: de vaste percentages tellen op tot 75%; dat moet precies 100% zijn."),
        ({2026: 100}, [Groep("G", PERCENTAGES, ("GM0001",), Fraction(1),
                             percentages={"GM0001": Fraction(1), "GM0002": Fraction(0)})],
         "Groep “G”: er staan percentages voor partijen die niet in de groep zitten (Bee)."),
        ({2026: 100}, [Groep("G", PERCENTAGES, ("GM0001",), Fraction(1), percentages={"GM0001": Fraction(-1)})],
         "Groep “G”: het percentage van Aa moet tussen 0% en 100% liggen."),
        ({2026: 100}, [Groep("G", PER_STUDENT, ("GM0001",), studenten={"GM0001": Telling(3)})],
         "Groep “G”: vul het bedrag per student per jaar in."),
        ({2026: 100}, [Groep("G", PER_STUDENT, ("GM0001",), bedrag_per_student=-100, studenten={"GM0001": Telling(3)})],
         "Groep “G”: het bedrag per student moet groter dan nul zijn."),
        ({2026: 100}, [Groep("G", PER_STUDENT, ("GM0001",), bedrag_per_student=5_000_000,
                             studenten={"GM0001": Telling(3)})],
         "Groep “G”: € 50.000,00 per student per jaar is onwaarschijnlijk hoog"),
        ({2026: 100}, [Groep("G", PER_STUDENT, ("GM0001",), Fraction(1), bedrag_per_student=1500,
                             studenten={"GM0001": Telling(3)})],
         "Groep “G” betaalt een bedrag per student en heeft daarom geen vast aandeel; laat het aandeel leeg."),
        ({2026: 100}, [Groep("G", PER_STUDENT, ("GM0001",), bedrag_per_student=1500, studenten={"GM0001": Telling(3)}),
                       Groep("H", GELIJK, ("GM0002",), Fraction(1))],
         "In 2026 brengen de bijdragen per student (€ 45,00) meer op dan de kosten (€ 1,00); er blijft niets over"),
    ],
)
def test_foutmeldingen(totalen, groepen, verwacht):
    meldingen = fout_bij(totalen, groepen)
    assert any(verwacht in m for m in meldingen), meldingen


def test_alle_problemen_tegelijk_gemeld():
    meldingen = fout_bij(
        {2026: -1},
        [Groep("G", INWONERS, ("GM0001",), Fraction(1, 2), inwoners={}), Groep("H", GELIJK, (), Fraction(1, 4))],
    )
    assert len(meldingen) == 4


def test_waarschuwingen_buiten_de_regio_en_gewicht_nul():
    buiten = Deelnemer("GM0003", "Veendam", is_gemeente=True, in_regio=False)
    groep = Groep(
        "Gemeenten", INWONERS, ("GM0001", "GM0002", "GM0003"), Fraction(1),
        inwoners={"GM0001": 10, "GM0002": 0, "GM0003": 30},
    )
    v = verdeel({2026: 400}, [groep], [A, B, buiten])
    assert v.per_partij == {"GM0001": {2026: 100}, "GM0002": {2026: 0}, "GM0003": {2026: 300}}
    assert any(
        m.startswith(
            "Groep “Gemeenten”: Veendam ligt buiten de regio en betaalt mee naar rato van het aantal inwoners (CBS)."
        )
        for m in v.meldingen
    )
    assert "Groep “Gemeenten”: Bee heeft gewicht nul (0 inwoners) en betaalt in deze groep niets." in v.meldingen


def test_nul_aandeel_wordt_gemeld():
    groepen = [Groep("G", GELIJK, ("GM0001",), Fraction(1)), Groep("H", GELIJK, ("GM0002",), Fraction(0))]
    v = verdeel({2026: 100}, groepen, [A, B])
    assert "Groep “H” heeft een vast aandeel van 0% en betaalt dus niets." in v.meldingen


# --- Dutch numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tekst, verwacht",
    [
        ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234", "1234.00"), ("€ 1.234", "1234.00"),
        ("15,-", "15.00"), ("1234.56", "1234.56"), ("1.234", "1234.00"), ("1.234.567,8", "1234567.80"),
        (" 0,05 ", "0.05"), (",5", "0.50"), ("EUR 12", "12.00"), ("-12,50", "-12.50"),
    ],
)
def test_lees_bedrag(tekst, verwacht):
    assert lees_bedrag(tekst) == Decimal(verwacht)


@pytest.mark.parametrize("tekst", ["", "abc", "1,2,3", "12,345", "1.23.4", "12.3456", "1.234.5,00", "١٢", "1e5", "NaN"])
def test_lees_bedrag_weigert(tekst):
    with pytest.raises(ValueError) as fout:
        lees_bedrag(tekst)
    assert "bedrag" in str(fout.value).lower() or "komma" in str(fout.value)


def test_euro_en_procent():
    assert euro(123456) == "€ 1.234,56"
    assert euro(5) == "€ 0,05"
    assert euro(100_000_000_000) == "€ 1.000.000.000,00"
    assert procent(Fraction(1, 3)) == "33,33%"
    assert procent(Fraction(87, 100)) == "87%"


@pytest.mark.parametrize(
    "tekst, verwacht",
    [("87", Fraction(87, 100)), ("87%", Fraction(87, 100)), ("33,5 %", Fraction(67, 200)), ("1/3", Fraction(1, 3)),
     ("⅓", Fraction(1, 3)), ("100", Fraction(1))],
)
def test_lees_aandeel(tekst, verwacht):
    assert lees_aandeel(tekst) == verwacht


@pytest.mark.parametrize("tekst", ["", "een derde", "1/0", "-5", "1/x"])
def test_lees_aandeel_weigert(tekst):
    with pytest.raises(ValueError):
        lees_aandeel(tekst)
