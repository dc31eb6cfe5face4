"""The aanbod in the convenant: three articles and their bijlagen (registered with afspraken.document from ready())."""

from afspraken import convenant, document, secties

from . import gegevens as g
from .onderdelen import SLEUTEL_AANBOD, SLEUTEL_PERSONELE_INZET, SLEUTEL_WARME_OVERDRACHT


def _url(afspraak, sleutel):
    definitie = secties.definitie(sleutel)
    return definitie.url(afspraak) if definitie else ""


def _opsomming(regels):
    return tuple(f"{r};" if i < len(regels) - 1 else f"{r}." for i, r in enumerate(regels))


def aanbod_context(afspraak, gegevens):
    niveaus = g.niveaus(gegevens)
    rijen = g.aanbod_volledig(afspraak)
    per_niveau = g.per_niveau(rijen)
    kolommen = [{"niveau": n, "aanbod": per_niveau.get(n.nummer, [])} for n in niveaus]
    ontbrekend = g.ontbrekende_minimumniveaus(rijen, niveaus)
    return {
        "kolommen": kolommen,
        "aantal": len(rijen),
        "ontbrekend_tekst": g.niveaus_als_tekst(ontbrekend),
    }


def aanbod_inhoud(afspraak, gegevens):
    niveaus = g.niveaus(gegevens)
    rijen = g.aanbod(afspraak, gegevens)
    if not rijen:
        return convenant.Artikelinhoud(ontbrekend=[convenant.Ontbrekend(
            "Aanbod op het continuüm: het aanbod van de regio", _url(afspraak, SLEUTEL_AANBOD)
        )])
    per_niveau = g.per_niveau(rijen)
    regels = [
        f"niveau {n.nummer} ({n.naam}): {convenant.opsomming([str(a) for a in per_niveau[n.nummer]])}"
        for n in niveaus if per_niveau.get(n.nummer)
    ]
    leden = [
        convenant.Lid(
            "De partijen zorgen samen voor het volgende aanbod op de niveaus van het ondersteuningscontinuüm:",
            _opsomming(regels),
        ),
        convenant.Lid(
            "Het aanbod is zoveel mogelijk op school beschikbaar en omvat ten minste normaliseren, preventie, "
            "vroegsignalering en een directe respons op lichte behoeften aan steun en hulp (niveaus 1 tot en met 3, "
            "basisafspraak 8)."
        ),
        convenant.Lid(
            "Waar het aanbod wordt geleverd, door welke partij, in welke omvang en met welke financiering, staat "
            "in de bijlage Aanbod op het continuüm."
        ),
    ]
    ontbrekend = []
    minimum = g.ontbrekende_minimumniveaus(rijen, niveaus)
    if minimum:
        ontbrekend.append(convenant.Ontbrekend(
            f"Aanbod op het continuüm: aanbod op {g.niveaus_als_tekst(minimum)} (basisafspraak 8)",
            _url(afspraak, SLEUTEL_AANBOD),
        ))
    return convenant.Artikelinhoud(leden=leden, ontbrekend=ontbrekend)


def personele_inzet_context(afspraak, gegevens):
    return {"personele_inzet": g.personele_inzet(afspraak, gegevens)}


def personele_inzet_inhoud(afspraak, gegevens):
    inzet = g.personele_inzet(afspraak, gegevens)
    if not inzet:
        return convenant.Artikelinhoud(ontbrekend=[convenant.Ontbrekend(
            "Personele inzet: wie met welke functie wordt ingezet (basisafspraak 9)",
            _url(afspraak, SLEUTEL_PERSONELE_INZET),
        )])
    regels = []
    for i in inzet:
        tekst = f"{i.functie}: {i.get_soort_display().lower()}"
        if i.fte is not None:
            tekst += f", {g.getal(i.fte)} fte"
        if i.werkgever_id:
            tekst += f", in dienst van {i.werkgever}"
        if i.ingezet_waar:
            tekst += f", ingezet {i.ingezet_waar}"
        regels.append(tekst)
    return convenant.Artikelinhoud(leden=[
        convenant.Lid(
            "De partijen zetten de volgende professionals in met een specifieke meerwaarde in het continuüm "
            "(basisafspraak 9):", _opsomming(regels),
        ),
        convenant.Lid("De werkgever blijft verantwoordelijk voor de professionals die hij inzet."),
    ])


def warme_overdracht_context(afspraak, gegevens):
    return {"warme_overdrachten": g.warme_overdrachten(afspraak, gegevens)}


def warme_overdracht_inhoud(afspraak, gegevens):
    overdrachten = g.warme_overdrachten(afspraak, gegevens)
    if not overdrachten:
        return convenant.Artikelinhoud(ontbrekend=[convenant.Ontbrekend(
            "Warme overdracht: hoe de student naar specialistisch aanbod wordt overgedragen (basisafspraak 10)",
            _url(afspraak, SLEUTEL_WARME_OVERDRACHT),
        )])
    regels = []
    for w in overdrachten:
        tekst = f"naar {w.naar_aanbod}"
        if w.vertrouwd_gezicht:
            tekst += f": {' '.join(w.vertrouwd_gezicht.split())}".rstrip(".;")
        if w.contact_rol:
            tekst += f" (contact: {w.contact_rol}{f', {w.partij}' if w.partij_id else ''})"
        regels.append(tekst)
    return convenant.Artikelinhoud(leden=[
        convenant.Lid(
            "Waar specialistisch aanbod nodig is dat niet in de school is ingepast, zorgen de partijen voor een warme "
            "overdracht. De student wordt zo lang als nodig vastgehouden door een vertrouwd gezicht "
            "(basisafspraak 10)."
        ),
        convenant.Lid("De partijen spreken daartoe af:", _opsomming(regels)),
    ])


def registreer_delen():
    document.registreer(document.Artikeldeel(
        "aanbod", "Aanbod op het continuüm", 30, aanbod_inhoud, (SLEUTEL_AANBOD,)
    ))
    document.registreer(document.Artikeldeel(
        "personele-inzet", "Personele inzet", 40, personele_inzet_inhoud, (SLEUTEL_PERSONELE_INZET,)
    ))
    document.registreer(document.Artikeldeel(
        "warme-overdracht", "Warme overdracht", 50, warme_overdracht_inhoud, (SLEUTEL_WARME_OVERDRACHT,)
    ))
    document.registreer(document.Bijlagedeel(
        "aanbod", "Aanbod op het continuüm", 200, "document/aanbod.html", aanbod_context
    ))
    document.registreer(document.Bijlagedeel(
        "personele-inzet", "Personele inzet", 210, "document/personele_inzet.html", personele_inzet_context
    ))
    document.registreer(document.Bijlagedeel(
        "warme-overdracht", "Warme overdracht", 220, "document/warme_overdracht.html", warme_overdracht_context
    ))
