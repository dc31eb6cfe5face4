"""Partner organisations that a beleidsmaker adds: known only in their own agreement until a beheerder confirms them.

An organisation is confirmed unless it has a `VoorgesteldeOrganisatie` (afspraken.models). The party form offers the
confirmed organisations and those proposed in the region's agreement (any of its versions), never those proposed
elsewhere. A new name that is the same as, or nearly the same as, one on offer is refused (`lijkt_op`), with the
existing one offered instead.
"""

import difflib
import re
import unicodedata
from functools import cache

from django.db.models import Exists, OuterRef, Q

from accounts.models import Organisatie
from regio.models import InstellingInRegio

# Normalised names at least this similar (difflib's ratio) count as the same organisation.
GELIJKENIS = 0.9
# Words that say what kind of organisation it is, not which one: "Gemeente Amsterdam" is "Amsterdam".
SOORTWOORDEN = frozenset(
    {"gemeente", "gem", "stichting", "stg", "bv", "nv", "vof", "vereniging", "cooperatie", "ua"}
)


# --- names -----------------------------------------------------------------------------------------


def normaliseer(naam):
    """The name as compared: casefolded, without accents, punctuation or the kind of organisation."""
    tekst = unicodedata.normalize("NFKD", naam.casefold())
    tekst = "".join(teken for teken in tekst if not unicodedata.combining(teken))
    # "B.V." is "bv" and "St.-Jozef" "st jozef"; "&" reads as "en".
    tekst = tekst.replace(".", "").replace("&", " en ")
    woorden = re.findall(r"[^\W_]+", tekst)
    kern = [w for w in woorden if w not in SOORTWOORDEN]
    return " ".join(kern or woorden)


def lijkt_op(naam, kandidaten, drempel=GELIJKENIS):
    """[(pk, naam)] of the candidates (pairs of pk and name) whose normalised name equals, or is at least
    `drempel` similar to, that of `naam`; the most similar first."""
    eigen = normaliseer(naam)
    if not eigen:
        return []
    vergelijker = difflib.SequenceMatcher(b=eigen)  # the second sequence is the one difflib prepares once
    gevonden = []
    for pk, kandidaat in kandidaten:
        ander = normaliseer(kandidaat)
        if ander == eigen:
            gevonden.append((1.0, kandidaat, pk))
            continue
        vergelijker.set_seq1(ander)
        # The cheap upper bounds first: most names are nothing alike.
        if vergelijker.real_quick_ratio() >= drempel and vergelijker.quick_ratio() >= drempel:
            ratio = vergelijker.ratio()
            if ratio >= drempel:
                gevonden.append((ratio, kandidaat, pk))
    gevonden.sort(key=lambda g: (-g[0], g[1]))
    return [(pk, kandidaat) for _, kandidaat, pk in gevonden]


def als_opsomming(namen):
    """‘A’, ‘B’ en ‘C’."""
    namen = [f"‘{n}’" for n in namen]
    return namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + " en " + namen[-1]


# --- what an agreement may choose -----------------------------------------------------------------


def bevestigde():
    return Organisatie.objects.filter(voorstel__isnull=True)


def aangeboden(afspraak):
    """The organisations a party of `afspraak` may be: every confirmed one, and those proposed in the region's
    agreement (a region has one agreement; its versions share what was proposed in it)."""
    if afspraak is None:
        return bevestigde()
    return Organisatie.objects.filter(Q(voorstel__isnull=True) | Q(voorstel__afspraak__regio_id=afspraak.regio_id))


def keuzes(afspraak, behalve=lambda: ()):
    """The party form's choices, grouped, in one query, read when the list is first shown: the region's gemeenten
    and instellingen first, then what this agreement proposed, then every other confirmed organisation.
    `behalve` gives the organisations that are parties already (left out of the list)."""

    @cache
    def lijst():
        uitgezonderd = set(behalve())
        in_regio = Exists(
            InstellingInRegio.objects.filter(regio_id=afspraak.regio_id, instelling_id=OuterRef("instelling_id"))
        )
        groepen = {
            "regio": ("Gemeenten en mbo-instellingen in de regio", []),
            "voorgesteld": ("Nieuw in deze afspraak (nog niet bevestigd)", []),
            Organisatie.Soort.PARTNER: ("Partners", []),
            Organisatie.Soort.GEMEENTE: ("Gemeenten buiten de regio", []),
            Organisatie.Soort.MBO_INSTELLING: ("Mbo-instellingen buiten de regio", []),
        }
        rijen = (
            aangeboden(afspraak)
            .annotate(instelling_in_regio=in_regio)
            .values_list("pk", "naam", "soort", "gemeente__regio_id", "instelling_in_regio", "voorstel")
            .order_by("naam", "pk")
        )
        for pk, naam, soort, gemeente_regio, instelling_in_regio, voorstel in rijen:
            if pk in uitgezonderd:
                continue
            if voorstel is not None:
                groep = "voorgesteld"
            elif gemeente_regio == afspraak.regio_id or instelling_in_regio:
                groep = "regio"
            else:
                groep = soort
            groepen[groep][1].append((pk, naam))
        return [("", "—")] + [(label, opties) for label, opties in groepen.values() if opties]

    return lijst
