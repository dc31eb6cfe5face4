"""The agreement as a Dutch convenant (issue 27): parties, overwegingen, numbered articles, signatures, bijlagen.

Everything here is plain data (dataclasses), built once from the agreement; the document templates only render
it, and the Word converter that reads the document's HTML gets the same structure. The articles and bijlagen
come from the register in afspraken.document (`Artikeldeel`, `Bijlagedeel`): afspraken registers its own,
aanbod and financiering register theirs from their AppConfig.ready(), so afspraken never imports them.

An article whose content is missing says so with `Ontbrekend` (what, and the link to where it is filled in).
`ontbrekend_voor_ondertekening` collects those: the text is not offered for signing while anything is missing,
and only a concept shows "[nog in te vullen: …]" in its place.
"""

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as datumformaat

from . import toetsing
from .fasen import BASISAFSPRAAK_4

BASISAFSPRAKEN_BRON = (
    "Basisafspraken voor regionale samenwerking Zorg en Welzijn voor mbo-studenten (februari 2026), hoofdstuk 3"
)
# Verbatim from the source above (shared/domain/basisafspraken.md); basisafspraak 4 as step 1 quotes it.
BASISAFSPRAAK_11 = (
    "MBO-instellingen en gemeenten organiseren zich op het niveau van de Doorstroompuntregio en kijken op basis "
    "daarvan welke aanvullende afspraken er nodig zijn."
)
BASISAFSPRAAK_12 = (
    "Eind 2026 hebben alle gemeenten en mbo-instellingen regionale uitvoeringsafspraken vastgelegd over de "
    "invulling van de zorg- en welzijnsondersteuning voor mbo-studenten, inclusief een duidelijke structuur voor "
    "monitoring en voortgangsbewaking, passend bij deze twaalf basisafspraken."
)


@dataclass(frozen=True)
class Ontbrekend:
    """Something the text needs before it can be signed, and the page (with anchor) where it is filled in."""

    omschrijving: str
    url: str

    def __str__(self):
        return f"Nog in te vullen: {self.omschrijving}."


@dataclass(frozen=True)
class Lid:
    """One numbered paragraph of an article, with its sub-items (a., b., …) if any."""

    tekst: str
    onderdelen: tuple = ()

    @property
    def genummerde_onderdelen(self):
        """[("a.", tekst), …]: the letters are text, so they survive copying, text extraction and conversion."""
        return [(f"{letter(i)}.", o) for i, o in enumerate(self.onderdelen)]


@dataclass
class Artikelinhoud:
    """What an `Artikeldeel` computes: its leden, whether they are the shipped model text, and what is missing."""

    leden: list = field(default_factory=list)
    ontbrekend: list = field(default_factory=list)
    modeltekst: bool = False


@dataclass
class Artikel:
    nummer: int
    sleutel: str
    titel: str
    leden: list
    ontbrekend: list
    modeltekst: bool = False
    bron_url: str = ""  # where the parties edit a provision's text

    @property
    def anker(self):
        return f"artikel-{self.sleutel}"

    @property
    def kop(self):
        return f"Artikel {self.nummer}. {self.titel}"

    @property
    def genummerde_leden(self):
        return [(f"{i}.", lid) for i, lid in enumerate(self.leden, start=1)]


@dataclass
class Partijvermelding:
    nummer: int
    partij: object
    aanduiding: str  # "De gemeente Leeuwarden", "Stichting …"
    hierna: str
    naam: str  # the account holder's name ("" while no bestuurder is chosen)
    functie: str
    bevoegdheid: str
    ontbrekend: list


@dataclass
class Bijlage:
    nummer: int
    sleutel: str
    titel: str
    html: str = ""
    inhoudsopgave: list = field(default_factory=list)

    @property
    def anker(self):
        return f"bijlage-{self.sleutel}"

    @property
    def kop(self):
        return f"Bijlage {self.nummer}. {self.titel}"


@dataclass
class Convenant:
    partijen: list
    overwegingen: list
    artikelen: list
    bijlagen: list = field(default_factory=list)

    @property
    def genummerde_overwegingen(self):
        return [(f"{letter(i)}.", o) for i, o in enumerate(self.overwegingen)]

    @property
    def ontbrekend(self):
        uitkomst = []
        for partij in self.partijen:
            uitkomst.extend(partij.ontbrekend)
        for artikel in self.artikelen:
            uitkomst.extend(artikel.ontbrekend)
        return uitkomst


# --- text into leden ------------------------------------------------------------------------------------------

_LID = re.compile(r"^(\d+)[.)]\s+(.*)$")
_ONDERDEEL = re.compile(r"^([a-z])[.)]\s+(.*)$")


def als_leden(tekst):
    """A provision's text as leden: lines "1. …" start a lid, lines "a. …" are its sub-items, other lines
    continue what came before. The numbers themselves are the document's (leden are numbered in order)."""
    leden = []  # [tekst, [onderdelen]]
    for regel in (r.strip() for r in (tekst or "").splitlines()):
        if not regel:
            continue
        if m := _LID.match(regel):
            leden.append([m.group(2), []])
        elif m := _ONDERDEEL.match(regel):
            if not leden:
                leden.append(["", []])
            leden[-1][1].append(m.group(2))
        elif not leden:
            leden.append([regel, []])
        elif leden[-1][1]:
            leden[-1][1][-1] += " " + regel
        else:
            leden[-1][0] += "\n" + regel
    return [Lid(t, tuple(o)) for t, o in leden]


def letter(index):
    """a … z, then aa, bb, … as Dutch regulations continue."""
    return chr(ord("a") + index % 26) * (index // 26 + 1)


def datum(waarde):
    with translation.override("nl"):
        return datumformaat(waarde, "j F Y") if waarde else ""


def opsomming(namen):
    namen = [n for n in namen if n]
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


# --- parties ------------------------------------------------------------------------------------------------


def partijen_url(afspraak):
    return reverse("afspraak_fase", args=[afspraak.pk, 1]) + "#sectie-partijen"


def _aanduiding(organisatie):
    naam = organisatie.naam
    if organisatie.soort == "gemeente":
        kern = naam[len("Gemeente "):] if naam.casefold().startswith("gemeente ") else naam
        return f"De gemeente {kern}", naam
    return naam, naam


def partijvermeldingen(afspraak, partijen):
    uitkomst = []
    for nummer, partij in enumerate(partijen, start=1):
        aanduiding, hierna = _aanduiding(partij.organisatie)
        bestuurder = partij.bestuurder if partij.bestuurder_id else None
        # A party without a bestuurder is refused by afspraken.ondertekening already, with its own reason.
        ontbrekend = []
        if not partij.bevoegdheid:
            # Only the party itself enters it (afspraken.vertegenwoordiging), on its own page.
            ontbrekend.append(Ontbrekend(
                f"{partij.organisatie.naam}: de bevoegdheid van de ondertekenaar (op te geven door de partij zelf)",
                reverse("afspraak_bevoegdheid", args=[afspraak.pk, partij.pk]) + "#id_grondslag",
            ))
        uitkomst.append(
            Partijvermelding(
                nummer=nummer, partij=partij, aanduiding=aanduiding, hierna=hierna,
                naam=bestuurder.weergavenaam if bestuurder else "",
                functie=(bestuurder.functie or "") if bestuurder else "",
                bevoegdheid=partij.bevoegdheid, ontbrekend=ontbrekend,
            )
        )
    return uitkomst


# --- overwegingen -------------------------------------------------------------------------------------------


def overwegingen(afspraak, gegevens, partijen):
    from . import fasen  # fasen imports the sections, which import this package's models: only when used

    regio = afspraak.regio
    cijfers = fasen.regio_cijfers(afspraak, gegevens)
    gemeenten = [g.gemeente.naam for g in cijfers.gemeenten]
    instellingen = [p.organisatie.naam for p in partijen if p.rol == "instelling"]
    uitkomst = [
        "de Vereniging van Nederlandse Gemeenten en de MBO Raad in het Bestuurlijk Overleg van 2 februari 2026, in "
        "overleg met het Ministerie van Onderwijs, Cultuur en Wetenschap, twaalf basisafspraken hebben vastgesteld "
        f"voor regionale samenwerking op zorg en welzijn voor mbo-studenten ({BASISAFSPRAKEN_BRON});",
        f"basisafspraak 12 luidt: “{BASISAFSPRAAK_12}”;",
        f"basisafspraak 11 luidt: “{BASISAFSPRAAK_11}”;",
    ]
    regio_tekst = f"de doorstroompuntregio {regio.naam} (regio {regio.nummer}) bestaat uit "
    regio_tekst += f"de gemeenten {opsomming(gemeenten)}" if gemeenten else "gemeenten die nog niet bekend zijn"
    if regio.contactgemeente_id:
        regio_tekst += f"; {regio.contactgemeente.naam} is de contactgemeente"
    uitkomst.append(regio_tekst + ";")
    if instellingen:
        meer = len(instellingen) > 1
        uitkomst.append(
            f"in de regio {'onderwijzen de mbo-instellingen' if meer else 'onderwijst de mbo-instelling'} "
            f"{opsomming(instellingen)}, die partij {'zijn' if meer else 'is'} bij deze uitvoeringsafspraak;"
        )
    if cijfers.verdeling is not None:
        delen = [f"{d.naam.lower()} {d.aantal} ({d.procent})" for d in cijfers.verdeling.delen]
        tekst = "de studenten van de mbo-instellingen in de regio wonen"
        if cijfers.woon_peiljaar:
            tekst += f", volgens de gegevens van peiljaar {cijfers.woon_peiljaar},"
        uitkomst.append(f"{tekst} {opsomming(delen)};")
    buiten = [p.organisatie.naam for p in partijen if p.rol == "gemeente_buiten"]
    if buiten:
        uitkomst.append(
            f"ook {opsomming(buiten)}, buiten de regio, partij {'zijn' if len(buiten) > 1 else 'is'} omdat daar een "
            "aanmerkelijk deel van de studenten woont;"
        )
    uitkomst.append(f"basisafspraak 4 luidt: “{BASISAFSPRAAK_4}”;")
    uitkomst.append(
        "de partijen hun afspraken over de zorg- en welzijnsondersteuning van deze studenten, de inzet van ieder van "
        "hen, de financiering en de monitoring in deze uitvoeringsafspraak willen vastleggen,"
    )
    return uitkomst


# --- the whole convenant ------------------------------------------------------------------------------------


def artikelen(afspraak, gegevens):
    from . import document

    uitkomst = []
    for nummer, deel in enumerate(document.artikeldelen(), start=1):
        inhoud = deel.inhoud(afspraak, gegevens)
        uitkomst.append(
            Artikel(
                nummer=nummer, sleutel=deel.sleutel, titel=deel.titel, leden=list(inhoud.leden),
                ontbrekend=list(inhoud.ontbrekend), modeltekst=inhoud.modeltekst,
                bron_url=deel.bron_url(afspraak) if deel.bron_url else "",
            )
        )
    return uitkomst


def gesorteerde_partijen(afspraak, gegevens):
    from .models import Partij

    partijen = list(gegevens.partijen)
    partijen.sort(key=lambda p: (list(Partij.Rol.values).index(p.rol), p.organisatie.naam.casefold()))
    return partijen


def bouw(afspraak, gegevens=None, partijen=None):
    """The convenant without its bijlagen (which are HTML, rendered by afspraken.document)."""
    gegevens = gegevens or toetsing.Toetsgegevens(afspraak)
    partijen = partijen if partijen is not None else gesorteerde_partijen(afspraak, gegevens)
    return Convenant(
        partijen=partijvermeldingen(afspraak, partijen),
        overwegingen=overwegingen(afspraak, gegevens, partijen),
        artikelen=artikelen(afspraak, gegevens),
    )


def ontbrekend_voor_ondertekening(afspraak, gegevens=None):
    """[Ontbrekend]: what the text still lacks before it can be offered for signing (empty: nothing)."""
    return bouw(afspraak, gegevens).ontbrekend
