"""Partner organisations that a beleidsmaker adds: known only in their own agreement until a beheerder confirms them.

An organisation is confirmed unless it has a `VoorgesteldeOrganisatie` (afspraken.models). The party form offers the
confirmed organisations and those proposed in the region's agreement (any of its versions), never those proposed
elsewhere. A new name that is the same as, or nearly the same as, one on offer is refused (`lijkt_op`), with the
existing one offered instead. A beheerder then confirms the proposal, merges it into an existing organisation, or
rejects it (`bevestig`, `voeg_samen`, `wijs_af`); each is recorded in the audit log.
"""

import difflib
import re
import unicodedata
from functools import cache

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Organisatie
from audit.log import Actie, leg_vast
from regio.models import InstellingInRegio

from .models import (
    BEVROREN_STATUSSEN,
    Partij,
    Uitvoeringsafspraak,
    VoorgesteldeOrganisatie,
    Wijziging,
    verhoog_inhoudsteller,
)

# Normalised names at least this similar (difflib's ratio) count as the same organisation.
GELIJKENIS = 0.9
# Words that say what kind of organisation it is, not which one: "Gemeente Amsterdam" is "Amsterdam".
SOORTWOORDEN = frozenset(
    {"gemeente", "gem", "stichting", "stg", "bv", "nv", "vof", "vereniging", "cooperatie", "ua"}
)


class Geweigerd(Exception):
    """A beheerder's decision that cannot be carried out; the message says why, in Dutch."""


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


# --- a beheerder decides ---------------------------------------------------------------------------


def open_voorstellen():
    return VoorgesteldeOrganisatie.objects.select_related(
        "organisatie", "afspraak__regio", "voorgesteld_door"
    ).order_by("voorgesteld_op", "pk")


def _vergrendel(organisatie_pk):
    voorstel = (
        VoorgesteldeOrganisatie.objects.select_for_update(of=("self",))
        .select_related("organisatie", "afspraak__regio", "voorgesteld_door")
        .filter(pk=organisatie_pk)
        .first()
    )
    if voorstel is None:
        raise Geweigerd("Over deze organisatie is intussen al beslist.")
    return voorstel


def _vastleggen(voorstel):
    """What the audit log keeps of a proposal, whatever becomes of it."""
    door = voorstel.voorgesteld_door
    return {
        "naam": voorstel.organisatie.naam,
        "afspraak": voorstel.afspraak_id,
        "regio": voorstel.afspraak.regio.nummer if voorstel.afspraak_id else None,
        "voorgesteld_door": door.weergavenaam if door else "",
        "voorgesteld_op": voorstel.voorgesteld_op.isoformat(),
    }


def _verwijzingen(organisatie):
    """(relation, queryset) of every row that points to the organisation, in any app (parties, users …),
    except its proposal."""
    for relatie in Organisatie._meta.related_objects:
        if relatie.one_to_many:
            yield relatie, relatie.related_model._base_manager.filter(**{relatie.field.name: organisatie})


def _afspraak_tekst(afspraak):
    return f"regio {afspraak.regio.nummer} {afspraak.regio.naam}, versie {afspraak.versie}"


def bevestig(organisatie_pk, gebruiker):
    """The proposed organisation becomes confirmed: offered to every agreement."""
    with transaction.atomic():
        voorstel = _vergrendel(organisatie_pk)
        organisatie = voorstel.organisatie
        leg_vast(Actie.ORGANISATIE_BEVESTIGD, gebruiker=gebruiker, object=organisatie, **_vastleggen(voorstel))
        voorstel.delete()
    return organisatie


def voeg_samen(organisatie_pk, doel, gebruiker):
    """Everything that points to the proposed organisation points to `doel` (a confirmed one) instead; the
    proposed organisation goes. Refused where a party is in a frozen version (it never changes) or `doel` is a
    party of the same agreement already."""
    with transaction.atomic():
        voorstel = _vergrendel(organisatie_pk)
        organisatie = voorstel.organisatie
        if doel.pk == organisatie.pk or VoorgesteldeOrganisatie.objects.filter(pk=doel.pk).exists():
            raise Geweigerd("Kies een bevestigde organisatie om mee samen te voegen.")
        # Rows before their agreement, as every save locks them (afspraken.models.verhoog_inhoudsteller).
        partijen = list(
            Partij.objects.select_for_update(of=("self",)).filter(organisatie=organisatie).order_by("pk")
        )
        afspraken = list(
            Uitvoeringsafspraak.objects.select_for_update()
            .filter(pk__in={p.afspraak_id for p in partijen})
            .select_related("regio")
            .order_by("pk")
        )
        bevroren = [a for a in afspraken if a.status in BEVROREN_STATUSSEN]
        if bevroren:
            raise Geweigerd(
                f"{organisatie.naam} is partij bij een versie die ter ondertekening is aangeboden of ondertekend "
                f"({', '.join(_afspraak_tekst(a) for a in bevroren)}); die verandert niet meer. Bevestig de "
                "organisatie in plaats daarvan."
            )
        met_doel = set(
            Partij.objects.filter(afspraak__in=afspraken, organisatie=doel).values_list("afspraak_id", flat=True)
        )
        dubbel = [a for a in afspraken if a.pk in met_doel]
        if dubbel:
            raise Geweigerd(
                f"{doel.naam} is al partij bij {', '.join(_afspraak_tekst(a) for a in dubbel)}, naast "
                f"{organisatie.naam}. Laat de beleidsmakers daar eerst een van beide partijen verwijderen."
            )
        gegevens = _vastleggen(voorstel)
        verplaatst = {}
        for relatie, rijen in _verwijzingen(organisatie):
            aantal = rijen.update(**{relatie.field.name: doel})
            if aantal:
                verplaatst[relatie.related_model._meta.label_lower] = aantal
        nu = timezone.now()
        for afspraak in afspraken:
            Wijziging.objects.create(
                afspraak=afspraak,
                sectie="partijen",
                sectie_titel="Partijen aan tafel",
                soort=Wijziging.Soort.GEWIJZIGD,
                omschrijving=f"Organisatie samengevoegd door een beheerder: {organisatie.naam} is {doel.naam}"[:300],
                oud={"Organisatie": organisatie.naam},
                nieuw={"Organisatie": doel.naam},
                gebruiker=gebruiker,
                tijdstip=nu,
            )
        for afspraak in afspraken:
            verhoog_inhoudsteller(afspraak)  # the document names the party
        leg_vast(
            Actie.ORGANISATIE_SAMENGEVOEGD,
            gebruiker=gebruiker,
            object=doel,
            onderwerp=f"{organisatie.naam} → {doel.naam}"[:300],
            **gegevens,
            organisatie_id=organisatie.pk,
            samengevoegd_met=doel.naam,
            verplaatst=verplaatst,
            afspraken=[a.pk for a in afspraken],
        )
        organisatie.delete()  # and its proposal with it
    return doel


def wijs_af(organisatie_pk, gebruiker):
    """The proposed organisation goes; only when nothing points to it any more (no party, no user)."""
    with transaction.atomic():
        voorstel = _vergrendel(organisatie_pk)
        organisatie = voorstel.organisatie
        partijen = (
            Partij.objects.filter(organisatie=organisatie).select_related("afspraak__regio").order_by("afspraak_id")
        )
        if partijen:
            raise Geweigerd(
                f"{organisatie.naam} is nog partij bij "
                f"{', '.join(_afspraak_tekst(p.afspraak) for p in partijen)}. Voeg haar samen met een bestaande "
                "organisatie, of laat de beleidsmakers de partij eerst verwijderen."
            )
        if any(rijen.exists() for _, rijen in _verwijzingen(organisatie)):
            raise Geweigerd(
                f"{organisatie.naam} heeft nog gebruikers of andere gegevens. Voeg haar samen met een bestaande "
                "organisatie."
            )
        leg_vast(Actie.ORGANISATIE_AFGEWEZEN, gebruiker=gebruiker, object=organisatie, **_vastleggen(voorstel))
        organisatie.delete()
