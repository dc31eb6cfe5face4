"""Checks of the financing against basisafspraken 2, 3 and 12 (each in part), registered with afspraken.

Named `basisafspraak_<n>_<wat>` like every check (afspraken/toetsregels.py).

Everything they read is loaded once per toetsing and cached on `gegevens` (attributes `financiering_…`),
so a toetsing takes the same number of queries however many parties or rows the agreement has.
"""

from afspraken import toetsing
from afspraken.toetsing import AANDACHTSPUNT, NIET_VOLDAAN, VOLDAAN, Toetsuitkomst

from . import berekening
from .models import Geldstroom
from .onderdelen import GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL


def _lijst(namen):
    namen = list(namen)
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


def basisafspraak_2_geldstromen_met_bron(afspraak, gegevens):
    """2 (part): transparent about who pays what: geldstromen recorded with their source and party."""
    stromen = berekening.geldstromen(gegevens)
    if not stromen:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            "Er zijn nog geen geldstromen vastgelegd: leg vast uit welke budgetten (bijvoorbeeld SPUK, lumpsum, "
            "Jeugdwet of Zvw) en van welke partij de afspraak wordt betaald.",
            GELDSTROMEN,
        )
        return
    zonder_bron = [str(g) for g in stromen if not g.heeft_bron]
    zonder_partij = [str(g) for g in stromen if g.van_id is None]
    if zonder_bron:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            f"Bij {_lijst(zonder_bron)} staat ‘Anders’ als bron zonder beschrijving: noem de regeling of het budget.",
            GELDSTROMEN,
        )
    if zonder_partij:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            f"Bij {len(zonder_partij)} geldstro{'om' if len(zonder_partij) == 1 else 'men'} staat niet van welke "
            f"partij het geld komt ({_lijst(zonder_partij)}).",
            GELDSTROMEN,
        )
    if not zonder_bron and not zonder_partij:
        bronnen = sorted({g.get_bron_display() for g in stromen})
        yield Toetsuitkomst(
            2, VOLDAAN,
            f"{len(stromen)} geldstro{'om' if len(stromen) == 1 else 'men'} vastgelegd met bron en partij "
            f"({_lijst(bronnen)}).",
            GELDSTROMEN,
        )


def basisafspraak_3_continuiteit_van_financiering(afspraak, gegevens):
    """3 (part): continuity: a structural source, or costs planned for every year of the looptijd."""
    stromen = berekening.geldstromen(gegevens)
    kosten = berekening.kostenoverzicht(afspraak, gegevens)
    structureel = [g for g in stromen if g.duur == Geldstroom.Duur.STRUCTUREEL]
    if structureel:
        yield Toetsuitkomst(
            3, VOLDAAN,
            f"De financiering heeft een structurele geldstroom ({_lijst(str(g) for g in structureel)}).",
            GELDSTROMEN,
        )
    elif kosten.dekt_looptijd:
        yield Toetsuitkomst(
            3, VOLDAAN,
            f"De kostenposten zijn begroot voor elk jaar van de looptijd ({kosten.jaren[0]}–{kosten.jaren[-1]}).",
            KOSTENPOSTEN,
        )
    elif kosten.aantal:
        yield Toetsuitkomst(
            3, AANDACHTSPUNT,
            "Geen structurele geldstroom, en voor "
            f"{_lijst(str(j) for j in kosten.jaren_zonder_kosten)} zijn geen kosten begroot: de continuïteit van "
            "de ondersteuning is niet geborgd.",
            KOSTENPOSTEN,
        )
    else:
        yield Toetsuitkomst(
            3, AANDACHTSPUNT,
            "Er is nog geen structurele geldstroom en er zijn nog geen kostenposten per jaar: de continuïteit van "
            "de financiering is niet geborgd.",
            GELDSTROMEN,
        )


def basisafspraak_12_verdeling_sluitend(afspraak, gegevens):
    """12 (part): the agreement records who pays what: a verdeling that is complete and adds up every year."""
    uitkomst = berekening.bereken(afspraak, gegevens)
    if uitkomst.geen_sleutel:
        yield Toetsuitkomst(
            12, AANDACHTSPUNT,
            "Er is nog geen verdeelsleutel: leg vast welke partijen welk deel van de kosten betalen.",
            VERDEELSLEUTEL,
        )
        return
    if uitkomst.fouten:
        yield Toetsuitkomst(12, NIET_VOLDAAN, "De verdeling klopt niet: " + " ".join(uitkomst.fouten), VERDEELSLEUTEL)
        return
    verdeling = uitkomst.verdeling
    if uitkomst.geen_kosten:
        yield Toetsuitkomst(
            12, AANDACHTSPUNT,
            "De verdeelsleutel staat, maar er zijn nog geen kosten om te verdelen: vul de kostenposten per jaar in.",
            KOSTENPOSTEN,
        )
        return
    ongedekt = [j for j in verdeling.jaren if verdeling.ongedekt[j] > 0]
    if ongedekt:
        yield Toetsuitkomst(
            12, AANDACHTSPUNT,
            f"De verdeling dekt de kosten niet in {_lijst(str(j) for j in ongedekt)}: een deel is nog niet verdeeld.",
            VERDEELSLEUTEL,
        )
        return
    yield Toetsuitkomst(
        12, VOLDAAN,
        f"De verdeling over {len(verdeling.per_partij)} partijen is volledig en telt voor elk jaar "
        f"({verdeling.jaren[0]}–{verdeling.jaren[-1]}) precies op tot het totaal."
        + (" De gewichten naar studenten zijn schattingen." if verdeling.is_schatting else ""),
        VERDEELSLEUTEL,
    )


REGELS = (
    basisafspraak_2_geldstromen_met_bron,
    basisafspraak_3_continuiteit_van_financiering,
    basisafspraak_12_verdeling_sluitend,
)


def registreer_toetsregels():
    for regel in REGELS:
        toetsing.registreer(regel)
