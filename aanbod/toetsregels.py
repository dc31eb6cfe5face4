"""Checks of the basisafspraken whose data aanbod owns (1, 2 in part, 5, 6 in part, 7, 8, 9, 10).

Named `basisafspraak_<n>_<wat>` like every check (afspraken/toetsregels.py); registered with afspraken.toetsing
from AanbodConfig.ready(). Each check reads the lists in `aanbod.gegevens`, cached on the toetsing's
`gegevens`: one query per model, whatever the number of rows.
"""

from afspraken import toetsing
from afspraken.toetsing import AANDACHTSPUNT, NIET_VOLDAAN, VOLDAAN, Toetsuitkomst

from . import gegevens as g
from .onderdelen import SLEUTEL_AANBOD, SLEUTEL_PERSONELE_INZET, SLEUTEL_WARME_OVERDRACHT


def _opsomming(namen, maximum=3):
    namen = [str(n) for n in namen]
    return ", ".join(namen[:maximum]) + ("…" if len(namen) > maximum else "")


def _niveau_tekst(gegevens, nummer):
    niveau = next((n for n in g.niveaus(gegevens) if n.nummer == nummer), None)
    return g.niveaus_als_tekst([niveau]) if niveau else f"niveau {nummer}"


def basisafspraak_1_vroegsignalering(afspraak, gegevens):
    """1: aanbod on level 3 (vroegsignalering en laagdrempelige ondersteuning)."""
    rijen = [r for r in g.aanbod(afspraak, gegevens) if r.niveau.nummer == 3]
    niveau = _niveau_tekst(gegevens, 3)
    if rijen:
        reden = f"Er is aanbod voor vroegsignalering op {niveau}: {_opsomming(rijen)}."
        yield Toetsuitkomst(1, VOLDAAN, reden, SLEUTEL_AANBOD)
    else:
        reden = (
            f"Er is nog geen aanbod op {niveau}: zonder vroegsignalering en directe, lichte ondersteuning op "
            "school worden studenten die dreigen te struikelen niet tijdig gezien."
        )
        yield Toetsuitkomst(1, AANDACHTSPUNT, reden, SLEUTEL_AANBOD)


def basisafspraak_2_wettelijk_en_aanvullend(afspraak, gegevens):
    """2 (part): the agreement distinguishes the instelling's wettelijke basis from what is added."""
    rijen = g.aanbod(afspraak, gegevens)
    wettelijk = sum(1 for r in rijen if r.wettelijke_basis)
    aanvullend = len(rijen) - wettelijk
    if wettelijk and aanvullend:
        reden = (
            f"Het aanbod onderscheidt de wettelijke basis van de instellingen ({wettelijk}) van het aanvullende "
            f"aanbod ({aanvullend})."
        )
        yield Toetsuitkomst(2, VOLDAAN, reden, SLEUTEL_AANBOD)
        return
    ontbreekt = []
    if not wettelijk:
        ontbreekt.append("wat de instellingen al vanuit hun wettelijke zorgplicht bieden (wettelijke basis)")
    if not aanvullend:
        ontbreekt.append("wat de partijen aanvullend organiseren")
    reden = "Maak zichtbaar wat er al is en wat wordt toegevoegd: bij het aanbod ontbreekt nog " + " en ".join(
        ontbreekt
    ) + "."
    yield Toetsuitkomst(2, AANDACHTSPUNT, reden, SLEUTEL_AANBOD)


def basisafspraak_5_op_school(afspraak, gegevens):
    """5: support close to the student, in the school: aanbod op school (or both) on levels 1–3."""
    op_school = [
        r for r in g.aanbod(afspraak, gegevens) if r.niveau.nummer in g.MINIMUM_NIVEAUS and r.is_op_school
    ]
    if op_school:
        niveaus = " en ".join(str(n) for n in sorted({r.niveau.nummer for r in op_school}))
        reden = f"Er is aanbod op school op niveau {niveaus} van het continuüm: {_opsomming(op_school)}."
        yield Toetsuitkomst(5, VOLDAAN, reden, SLEUTEL_AANBOD)
    else:
        reden = (
            "Er is nog geen aanbod op school (of op school en extern) op de niveaus 1 tot en met 3: signalering "
            "en ondersteuning horen dicht bij de student, in de school, plaats te vinden."
        )
        yield Toetsuitkomst(5, NIET_VOLDAAN, reden, SLEUTEL_AANBOD)


def basisafspraak_6_gekwalificeerde_professionals(afspraak, gegevens):
    """6 (part): qualified professionals in the school, recorded as personele inzet with a function."""
    inzet = [i for i in g.personele_inzet(afspraak, gegevens) if i.functie.strip()]
    if inzet:
        reden = f"De personele inzet noemt de functies: {_opsomming(i.functie for i in inzet)}."
        yield Toetsuitkomst(6, VOLDAAN, reden, SLEUTEL_PERSONELE_INZET)
    else:
        reden = (
            "Er is nog geen personele inzet met een functie vastgelegd: welke gekwalificeerde professionals zijn "
            "in de school aanwezig?"
        )
        yield Toetsuitkomst(6, AANDACHTSPUNT, reden, SLEUTEL_PERSONELE_INZET)


def basisafspraak_7_school_als_vindplaats(afspraak, gegevens):
    """7: most aanbod (by count, more than half) is op school or both."""
    rijen = g.aanbod(afspraak, gegevens)
    if not rijen:
        reden = "Er is nog geen aanbod vastgelegd, dus ook niet waar het wordt geboden."
        yield Toetsuitkomst(7, AANDACHTSPUNT, reden, SLEUTEL_AANBOD)
        return
    op_school = sum(1 for r in rijen if r.is_op_school)
    if op_school * 2 > len(rijen):
        reden = f"{op_school} van de {len(rijen)} aanbodvormen worden (ook) op school geboden."
        yield Toetsuitkomst(7, VOLDAAN, reden, SLEUTEL_AANBOD)
    else:
        reden = (
            f"Slechts {op_school} van de {len(rijen)} aanbodvormen {'wordt' if op_school == 1 else 'worden'} op "
            "school geboden: de school is de natuurlijke vindplaats, ontsluit daar zoveel mogelijk van het aanbod."
        )
        yield Toetsuitkomst(7, AANDACHTSPUNT, reden, SLEUTEL_AANBOD)


def basisafspraak_8_minimumaanbod(afspraak, gegevens):
    """8: the chosen aanbod covers levels 1, 2 and 3."""
    ontbrekend = g.ontbrekende_minimumniveaus(g.aanbod(afspraak, gegevens), g.niveaus(gegevens))
    if ontbrekend:
        reden = (
            "Het minimale aanbod (niveaus 1 tot en met 3) is niet gedekt: er is nog geen aanbod op "
            f"{g.niveaus_als_tekst(ontbrekend)}."
        )
        yield Toetsuitkomst(8, NIET_VOLDAAN, reden, SLEUTEL_AANBOD)
    else:
        reden = "Er is aanbod op de niveaus 1, 2 en 3: normaliseren, preventie en vroegsignalering."
        yield Toetsuitkomst(8, VOLDAAN, reden, SLEUTEL_AANBOD)


def basisafspraak_9_personele_inzet(afspraak, gegevens):
    """9: personele inzet is recorded."""
    inzet = g.personele_inzet(afspraak, gegevens)
    if inzet:
        reden = f"Er is personele inzet vastgelegd ({len(inzet)}): {_opsomming(i.functie for i in inzet)}."
        yield Toetsuitkomst(9, VOLDAAN, reden, SLEUTEL_PERSONELE_INZET)
    else:
        reden = (
            "Er zijn nog geen afspraken over personele inzet: verbreding van bestaande functies, nieuwe functies "
            "of detachering van (gemeentelijke) hulpverleners in de school."
        )
        yield Toetsuitkomst(9, NIET_VOLDAAN, reden, SLEUTEL_PERSONELE_INZET)


def basisafspraak_10_warme_overdracht(afspraak, gegevens):
    """10: a warme overdracht is described: to which aanbod, and how the trusted face stays involved."""
    overdrachten = g.warme_overdrachten(afspraak, gegevens)
    beschreven = [w for w in overdrachten if w.is_beschreven]
    if beschreven:
        reden = f"De warme overdracht is beschreven, naar: {_opsomming(w.naar_aanbod for w in beschreven)}."
        yield Toetsuitkomst(10, VOLDAAN, reden, SLEUTEL_WARME_OVERDRACHT)
    elif overdrachten:
        reden = "Bij de warme overdracht staat nog niet hoe het vertrouwde gezicht de student blijft vasthouden."
        yield Toetsuitkomst(10, NIET_VOLDAAN, reden, SLEUTEL_WARME_OVERDRACHT)
    else:
        reden = (
            "De warme overdracht is nog niet beschreven: naar welk specialistisch aanbod, en hoe een vertrouwd "
            "gezicht de student vasthoudt."
        )
        yield Toetsuitkomst(10, NIET_VOLDAAN, reden, SLEUTEL_WARME_OVERDRACHT)


REGELS = (
    basisafspraak_1_vroegsignalering,
    basisafspraak_2_wettelijk_en_aanvullend,
    basisafspraak_5_op_school,
    basisafspraak_6_gekwalificeerde_professionals,
    basisafspraak_7_school_als_vindplaats,
    basisafspraak_8_minimumaanbod,
    basisafspraak_9_personele_inzet,
    basisafspraak_10_warme_overdracht,
)


def registreer_toetsregels():
    for regel in REGELS:
        toetsing.registreer(regel)
