"""Versions of an agreement: a new version as a copy of the last one, and the differences between two.

A declined version is replaced by a new concept; a signed one stays in force while its amendment is
written, and is replaced only when the amendment is signed. Either way the new version is a full copy
of every content row of every app (found through afspraken.bevriezing.inhoudsmodellen), with the
references between rows and the party numbers inside JSON remapped to the copies.
"""

import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from audit import log

from . import secties
from .bevriezing import inhoudsmodellen
from .models import Partij, Sectie, Toelichting, Uitvoeringsafspraak, Wijziging

NIET_KOPIEREN = (Wijziging,)  # the history belongs to the version it happened in


def _volgorde(modellen):
    """Content models ordered so that every model comes after the content models it points to."""
    over = list(modellen)
    uitkomst = []
    while over:
        for model in over:
            afhankelijk = {
                v.related_model
                for v in model._meta.concrete_fields
                if v.is_relation and v.related_model in over and v.related_model is not model
            }
            if not afhankelijk:
                uitkomst.append(model)
                over.remove(model)
                break
        else:  # a cycle between content models: keep the rest in registry order
            uitkomst.extend(over)
            break
    return uitkomst


def _herverwijs_sectie(sectie, partijen):
    definitie = secties.definitie(sectie.sleutel)
    if definitie is None or not isinstance(definitie, secties.Tekstsectie):
        return
    from django import forms

    inhoud = dict(sectie.inhoud or {})
    for naam, veld in definitie.formulier_klasse.base_fields.items():
        if not isinstance(veld, forms.ModelChoiceField) or veld.queryset.model is not Partij or naam not in inhoud:
            continue
        waarde = inhoud[naam]
        if isinstance(waarde, list):
            inhoud[naam] = [partijen.get(int(w), w) for w in waarde]
        elif waarde not in (None, ""):
            inhoud[naam] = partijen.get(int(waarde), waarde)
    sectie.inhoud = inhoud


def kopieer_inhoud(van, naar):
    """Copy every content row of `van` into `naar` (a fresh concept). Returns {model: {old pk: new pk}}."""
    modellen = [m for m in _volgorde(inhoudsmodellen()) if m not in NIET_KOPIEREN]
    kaart = {m: {} for m in modellen}
    m2m_later = []
    for model in modellen:
        for rij in model._default_manager.filter(afspraak=van).order_by("pk"):
            oud_pk = rij.pk
            m2m = {
                v.name: list(getattr(rij, v.name).values_list("pk", flat=True)) for v in model._meta.local_many_to_many
            }
            rij.pk = None
            rij.id = None
            rij._state.adding = True
            rij.afspraak = naar
            for veld in model._meta.concrete_fields:
                if veld.is_relation and veld.related_model in kaart and veld.name not in ("afspraak", "voorganger"):
                    oud = getattr(rij, veld.attname)
                    if oud is not None:
                        setattr(rij, veld.attname, kaart[veld.related_model][oud])
            # A row that tracks its lineage (indicator, actie) points at the row it was copied from, so
            # that what was recorded on the old row (metingen, voortgang) follows it.
            if any(v.name == "voorganger" for v in model._meta.concrete_fields):
                rij.voorganger_id = oud_pk
            if model is Sectie:
                _herverwijs_sectie(rij, kaart[Partij])
            herverwijs = getattr(rij, "herverwijs_partijen", None)
            if herverwijs is not None:
                herverwijs(kaart[Partij])
            rij.save()
            kaart[model][oud_pk] = rij.pk
            if any(m2m.values()):
                m2m_later.append((rij, m2m))
    for rij, m2m in m2m_later:
        for naam, pks in m2m.items():
            doel = type(rij)._meta.get_field(naam).related_model
            getattr(rij, naam).set([kaart[doel].get(pk, pk) for pk in pks])
    return kaart


def nieuwe_versie(afspraak, door, reden):
    """Start the next version of `afspraak` as a concept with the same content.

    From a version ter ondertekening (declined): that version is replaced at once. From a signed version
    (an amendment): it stays in force until the new version is signed.
    """
    with transaction.atomic():
        oud = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
        if oud.status not in (Uitvoeringsafspraak.Status.TER_ONDERTEKENING, Uitvoeringsafspraak.Status.ONDERTEKEND):
            raise ValueError(
                "Alleen van een versie ter ondertekening of een ondertekende versie komt een nieuwe versie."
            )
        if Uitvoeringsafspraak.objects.filter(vorige_versie=oud).exists():
            raise ValueError("Van deze versie bestaat al een nieuwe versie.")
        if oud.status == Uitvoeringsafspraak.Status.TER_ONDERTEKENING:
            oud.status = Uitvoeringsafspraak.Status.VERVANGEN
            oud.save(update_fields=["status", "bijgewerkt_op"])
        hoogste = oud.regio.uitvoeringsafspraken.order_by("-versie").values_list("versie", flat=True).first()
        nieuw = Uitvoeringsafspraak.objects.create(
            regio=oud.regio,
            versie=hoogste + 1,
            vorige_versie=oud,
            titel=oud.titel,
            looptijd_start=oud.looptijd_start,
            looptijd_einde=oud.looptijd_einde,
            aangemaakt_door=door,
            aangemaakt_op=timezone.now(),
        )
        kopieer_inhoud(oud, nieuw)
        Wijziging.objects.create(
            afspraak=nieuw, sectie="status", sectie_titel="Status", soort=Wijziging.Soort.TOEGEVOEGD,
            omschrijving=f"Versie {nieuw.versie} gestart op basis van versie {oud.versie}",
            nieuw={"Reden": reden}, gebruiker=door,
        )
        log.leg_vast(
            log.Actie.NIEUWE_VERSIE, gebruiker=door, object=nieuw,
            vorige_versie=oud.versie, versie=nieuw.versie, reden=reden,
        )
    return nieuw


# --- differences ----------------------------------------------------------------------------------


@dataclass
class Sectieverschil:
    titel: str
    fase: str
    velden: list = field(default_factory=list)  # (label, old, new) of text sections
    weg: list = field(default_factory=list)  # rows only in the old version, as text
    erbij: list = field(default_factory=list)  # rows only in the new version

    @property
    def is_leeg(self):
        return not (self.velden or self.weg or self.erbij)


def _regel(momentopname):
    return "; ".join(f"{label}: {waarde}" for label, waarde in momentopname.items() if waarde not in ("", None))


def momentopnamen(afspraak):
    """{sleutel: (definitie, {label: text}) for text sections, or [row text, …] for row sections}."""
    from .toetsing import Toetsgegevens

    gegevens = Toetsgegevens(afspraak)
    opgeslagen = {s.sleutel: s.inhoud for s in Sectie.objects.filter(afspraak=afspraak)}
    uitkomst = {"__gegevens__": (None, {
        "Titel": afspraak.titel,
        "Looptijd": f"{afspraak.looptijd_start:%d-%m-%Y} tot en met {afspraak.looptijd_einde:%d-%m-%Y}",
    })}
    for definitie in secties.alle():
        if isinstance(definitie, secties.Tekstsectie):
            inhoud = opgeslagen.get(definitie.sleutel) or {}
            formulier = definitie.formulier(afspraak, inhoud=inhoud, gegevens=gegevens)
            uitkomst[definitie.sleutel] = (definitie, definitie.momentopname(formulier, inhoud))
        elif isinstance(definitie, secties.Rijensectie):
            rijen = []
            for rij in definitie.rijen(afspraak):
                formulier = definitie.formulier(afspraak, rij=rij, gegevens=gegevens)
                rijen.append(_regel(definitie.momentopname(formulier, rij)))
            uitkomst[definitie.sleutel] = (definitie, rijen)
    toelichtingen = {
        f"Basisafspraak {t.basisafspraak}": t.tekst
        for t in Toelichting.objects.filter(afspraak=afspraak).order_by("basisafspraak")
    }
    uitkomst["__toelichtingen__"] = (None, toelichtingen)
    return uitkomst


def verschillen(oud, nieuw):
    """The differences from version `oud` to version `nieuw`, per section, only where something differs."""
    links, rechts = momentopnamen(oud), momentopnamen(nieuw)
    uitkomst = []
    for sleutel, (definitie, nieuwe_waarde) in rechts.items():
        oude_waarde = links.get(sleutel, (None, {} if isinstance(nieuwe_waarde, dict) else []))[1]
        if sleutel == "__gegevens__":
            verschil = Sectieverschil("Titel en looptijd", "")
        elif sleutel == "__toelichtingen__":
            verschil = Sectieverschil("Toelichtingen bij de toetsing", "")
        else:
            verschil = Sectieverschil(definitie.titel, definitie.fase_naam)
        if isinstance(nieuwe_waarde, dict):
            for label in dict.fromkeys([*oude_waarde, *nieuwe_waarde]):
                a, b = oude_waarde.get(label, ""), nieuwe_waarde.get(label, "")
                if a != b:
                    verschil.velden.append((label, a, b))
        else:
            matcher = difflib.SequenceMatcher(a=oude_waarde, b=nieuwe_waarde, autojunk=False)
            for code, i1, i2, j1, j2 in matcher.get_opcodes():
                if code in ("delete", "replace"):
                    verschil.weg.extend(oude_waarde[i1:i2])
                if code in ("insert", "replace"):
                    verschil.erbij.extend(nieuwe_waarde[j1:j2])
        if not verschil.is_leeg:
            uitkomst.append(verschil)
    return uitkomst
