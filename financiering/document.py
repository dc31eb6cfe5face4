"""The financing in the convenant: its article and its bijlage (registered with afspraken.document from ready()).

Both show what the financing page shows, computed by the same code (financiering.overzicht).
"""

from afspraken import convenant, document, secties

from .onderdelen import BEKOSTIGING, GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL
from .overzicht import financieringscijfers
from .templatetags.financiering_opmaak import euro, procent


def _cijfers(afspraak, gegevens):
    # The article and the bijlage read the same figures: computed once per document.
    if not hasattr(gegevens, "_document_financiering"):
        gegevens._document_financiering = financieringscijfers(afspraak, gegevens)
    return gegevens._document_financiering


def _url(afspraak, sleutel):
    definitie = secties.definitie(sleutel)
    return definitie.url(afspraak) if definitie else ""


def _opsomming(regels):
    return tuple(f"{r};" if i < len(regels) - 1 else f"{r}." for i, r in enumerate(regels))


def financiering_context(afspraak, gegevens):
    return {
        **_cijfers(afspraak, gegevens),
        "inhoudsopgave": [
            ("document-kosten-kop", "Kostenposten"),
            ("document-geldstromen-kop", "Geldstromen"),
            ("document-bekostiging-kop", "Bekostigingssystematiek"),
            ("document-verdeling-kop", "Verdeling per partij"),
        ],
    }


def financiering_inhoud(afspraak, gegevens):
    c = _cijfers(afspraak, gegevens)
    leden, ontbrekend = [], []
    kosten = c["kosten"]
    if kosten.categorieen:
        leden.append(convenant.Lid(
            f"De kosten van deze uitvoeringsafspraak bedragen over de hele looptijd {euro(kosten.totaal)}, zoals per "
            "jaar en per kostenpost uitgewerkt in de bijlage Financiering en verdeling."
        ))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Financiering: de kostenposten", _url(afspraak, KOSTENPOSTEN)
        ))
    berekening = c["berekening"]
    if berekening.geen_sleutel:
        ontbrekend.append(convenant.Ontbrekend("Financiering: de verdeelsleutel", _url(afspraak, VERDEELSLEUTEL)))
    elif berekening.fouten:
        ontbrekend.append(convenant.Ontbrekend(
            f"Financiering: een verdeling die te berekenen is ({' '.join(berekening.fouten)})",
            _url(afspraak, VERDEELSLEUTEL),
        ))
    else:
        groepen = []
        for t in c["groeptabellen"]:
            groep = t["groep"]
            tekst = groep.naam
            if groep.aandeel is not None:
                tekst += f": {procent(groep.aandeel)} van de te verdelen kosten"
            tekst += f", {groep.methode_tekst}"
            if groep.bedrag_per_student:
                tekst += f" ({euro(groep.bedrag_per_student)} per student per jaar)"
            groepen.append(tekst)
        leden.append(convenant.Lid(
            "De partijen dragen de te verdelen kosten volgens de volgende verdeelsleutel:", _opsomming(groepen)
        ))
        partijen = [f"{r['naam']}: {euro(r['totaal'])}" for r in c["partijtabel"]["rijen"]]
        leden.append(convenant.Lid(
            "Daarmee draagt iedere partij over de hele looptijd bij (de bedragen per jaar, tot op de cent, staan in "
            "de bijlage Financiering en verdeling):", _opsomming(partijen),
        ))
    if c["geldstromen"]:
        stromen = []
        for s in c["geldstromen"]:
            tekst = s.get_bron_display()
            if s.omschrijving:
                tekst += f" ({s.omschrijving})"
            if s.van_id:
                tekst += f", van {s.van.organisatie.naam}"
            tekst += f", {s.get_duur_display().lower()}"
            if s.bedrag_per_jaar is not None:
                tekst += f", {euro(s.bedrag_per_jaar)} per jaar"
            stromen.append(tekst)
        leden.append(convenant.Lid("De kosten worden gedekt uit de volgende geldstromen:", _opsomming(stromen)))
    else:
        ontbrekend.append(convenant.Ontbrekend("Financiering: de geldstromen", _url(afspraak, GELDSTROMEN)))
    if c["systematiek"]:
        tekst = f"De bekostigingssystematiek is: {c['systematiek'].lower()}."
        if c["systematiek_toelichting"]:
            tekst += f" {c['systematiek_toelichting']}"
        leden.append(convenant.Lid(tekst))
    else:
        ontbrekend.append(convenant.Ontbrekend(
            "Financiering: de bekostigingssystematiek", _url(afspraak, BEKOSTIGING)
        ))
    return convenant.Artikelinhoud(leden=leden, ontbrekend=ontbrekend)


def registreer_delen():
    document.registreer(document.Artikeldeel(
        "financiering", "Financiering en verdeelsleutel", 70, financiering_inhoud,
        (KOSTENPOSTEN, GELDSTROMEN, BEKOSTIGING, VERDEELSLEUTEL),
    ))
    document.registreer(document.Bijlagedeel(
        "financiering", "Financiering en verdeling", 300, "document/financiering.html", financiering_context,
    ))
