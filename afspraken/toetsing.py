"""Toetsing of an agreement against the twelve basisafspraken.

Each check lives in the app that owns the data it checks and is registered here from that app's
AppConfig.ready(). A check is a callable(afspraak, gegevens) returning Toetsuitkomsten; the worst
outcome per basisafspraak is its verdict. `gegevens` (Toetsgegevens) shares what several checks read,
so a full toetsing takes a fixed number of queries however many parties an agreement has.
"""

from dataclasses import dataclass, field
from functools import cached_property

from techniek.register import Register

from .models import Basisafspraak, Partij, Sectie, Toelichting

regels = Register("toetsregels")


def registreer(regel):
    return regels.registreer(regel)


VOLDAAN, AANDACHTSPUNT, NIET_VOLDAAN = "voldaan", "aandachtspunt", "niet_voldaan"
ERNST = {VOLDAAN: 0, AANDACHTSPUNT: 1, NIET_VOLDAAN: 2}
LABELS = {VOLDAAN: "Voldaan", AANDACHTSPUNT: "Aandachtspunt", NIET_VOLDAAN: "Niet voldaan"}


@dataclass
class Toetsuitkomst:
    basisafspraak: int
    status: str
    reden: str
    # Where the user fixes it: a section key (afspraken.secties) or a URL name resolved by the page.
    sectie: str = ""
    url: str = ""
    # The party this outcome is about, where the page offers something per party ("Vraag om een ondertekenaar").
    partij: object = None
    stand: object = None


@dataclass
class Oordeel:
    basisafspraak: Basisafspraak
    uitkomsten: list = field(default_factory=list)
    toelichting: Toelichting | None = None

    @property
    def status(self):
        if not self.uitkomsten:
            return AANDACHTSPUNT
        return max((u.status for u in self.uitkomsten), key=ERNST.__getitem__)

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def redenen(self):
        """The outcomes that explain the verdict: the worst ones first."""
        return sorted(self.uitkomsten, key=lambda u: -ERNST[u.status])

    @property
    def heeft_toelichting(self):
        return self.toelichting is not None and bool(self.toelichting.tekst.strip())


class Toetsgegevens:
    """What several checks read, loaded once per toetsing."""

    def __init__(self, afspraak):
        self.afspraak = afspraak

    @cached_property
    def partijen(self):
        # The bestuurder too: the overview and the signing page name who signs for every party.
        return list(Partij.objects.filter(afspraak=self.afspraak).select_related("organisatie", "bestuurder"))

    @cached_property
    def bestuurders(self):
        """{organisatie_id: [Gebruiker]} of the active bestuurders of the parties."""
        from accounts.models import Gebruiker

        uitkomst = {}
        for gebruiker in Gebruiker.objects.filter(
            organisatie_id__in=[p.organisatie_id for p in self.partijen], rol=Gebruiker.Rol.BESTUURDER, is_active=True
        ).order_by("last_name", "first_name"):
            uitkomst.setdefault(gebruiker.organisatie_id, []).append(gebruiker)
        return uitkomst

    @cached_property
    def ondertekenaars(self):
        """Whether each party's signer is known, invited or missing (afspraken.ondertekenaars)."""
        from .ondertekenaars import Ondertekenaars

        return Ondertekenaars(self)

    @cached_property
    def secties(self):
        """{sleutel: inhoud} of the text sections."""
        return dict(Sectie.objects.filter(afspraak=self.afspraak).values_list("sleutel", "inhoud"))

    def antwoord(self, sleutel, veld):
        return (self.secties.get(sleutel) or {}).get(veld)

    def ingevuld(self, sleutel, veld, minimum=1):
        waarde = self.antwoord(sleutel, veld)
        if isinstance(waarde, str):
            return len(waarde.strip()) >= minimum
        return bool(waarde)


def toets(afspraak, gegevens=None):
    """[Oordeel] for basisafspraken 1..12, in order."""
    gegevens = gegevens or Toetsgegevens(afspraak)
    basisafspraken = {b.nummer: b for b in Basisafspraak.objects.all()}
    oordelen = {nummer: Oordeel(b) for nummer, b in basisafspraken.items()}
    for regel in regels:
        for uitkomst in regel(afspraak, gegevens):
            if uitkomst.basisafspraak in oordelen:
                oordelen[uitkomst.basisafspraak].uitkomsten.append(uitkomst)
    for toelichting in Toelichting.objects.filter(afspraak=afspraak):
        if toelichting.basisafspraak in oordelen:
            oordelen[toelichting.basisafspraak].toelichting = toelichting
    return [oordelen[n] for n in sorted(oordelen)]


def samenvatting(oordelen):
    tellingen = {VOLDAAN: 0, AANDACHTSPUNT: 0, NIET_VOLDAAN: 0}
    for oordeel in oordelen:
        tellingen[oordeel.status] += 1
    return tellingen


def kan_gereed(oordelen):
    """'Gereed voor ondertekening' needs no 'niet voldaan' and a written explanation of every aandachtspunt."""
    bezwaren = []
    for oordeel in oordelen:
        if oordeel.status == NIET_VOLDAAN:
            bezwaren.append(f"Basisafspraak {oordeel.basisafspraak.nummer} is niet voldaan.")
        elif oordeel.status == AANDACHTSPUNT and not oordeel.heeft_toelichting:
            bezwaren.append(
                f"Basisafspraak {oordeel.basisafspraak.nummer} is een aandachtspunt zonder schriftelijke toelichting."
            )
    return not bezwaren, bezwaren
