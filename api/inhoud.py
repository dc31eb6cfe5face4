"""An agreement as plain data for the members' endpoints: its content, its toetsing and its verdeling.

Only public functions of the other apps are used: the section register and each section's own
rendering of its answers (as the document shows them), `toetsing.toets`, and
`financiering.overzicht.financieringscijfers`. Each function takes a fixed number of queries, however
many parties or rows an agreement has (one query per row section, not per row).
"""

from fractions import Fraction

from afspraken import fasen, secties, toetsing
from afspraken.document import antwoorden
from afspraken.models import Fase, Partij, Sectie
from afspraken.toetsing import Toetsgegevens
from financiering import berekening
from financiering.overzicht import financieringscijfers
from financiering.verdeling import naar_centen

from .velden import instellingsleutel

TEKST, RIJEN = "tekst", "rijen"


# --- parties -------------------------------------------------------------------------------------


def partijen_van(afspraak):
    """The parties with their organisation, its gemeente or instelling, signer and decision: one query."""
    return list(
        Partij.objects.filter(afspraak=afspraak)
        .select_related("organisatie__gemeente", "organisatie__instelling", "bestuurder", "ondertekening")
        .order_by("rol", "organisatie__naam", "pk")
    )


def verwijzing(partij):
    """A party by its organisation's name and domain code (CBS or DUO), never by a database number."""
    organisatie = partij.organisatie
    instelling = organisatie.instelling
    return {
        "organisatie": organisatie.naam,
        "soort": organisatie.soort,
        "cbs_code": organisatie.gemeente.code if organisatie.gemeente_id else None,
        "instelling": instellingsleutel(instelling) if instelling else None,
        "instellingscode": (instelling.instellingscode or None) if instelling else None,
    }


def partijgegevens(partij):
    ondertekening = getattr(partij, "ondertekening", None)
    return {
        **verwijzing(partij),
        "rol": partij.rol,
        "rol_tekst": partij.get_rol_display(),
        "financieel_eindverantwoordelijk": partij.financieel_eindverantwoordelijk,
        "toelichting": partij.toelichting,
        "ondertekenaar": partij.ondertekenaar,
        "besluit": ondertekening.besluit if ondertekening else None,
        "besluit_op": ondertekening.tijdstip if ondertekening else None,
    }


# --- content -------------------------------------------------------------------------------------


def _antwoord(veld, vraag, antwoord):
    return {"veld": veld, "vraag": str(vraag), "antwoord": antwoord if isinstance(antwoord, str) else str(antwoord)}


def _veldnamen(definitie, afspraak, inhoud, gegevens, vragen):
    """The field names of a text section, in order. The form class's own fields when their labels are exactly
    the questions antwoorden() gave, in that order; a form that adds, drops or relabels fields when built
    does not match and is built (building a form here doubled the cost of every text section)."""
    velden = definitie.formulier_klasse.base_fields
    if [str(veld.label) for veld in velden.values()] == vragen:
        return list(velden)
    return list(definitie.formulier(afspraak, inhoud=inhoud, gegevens=gegevens).fields)


def _tekstantwoorden(definitie, afspraak, inhoud, gegevens):
    # The document's own rendering (dates, ja/nee, choices by label), with the field names beside it.
    paren = antwoorden(definitie, afspraak, inhoud, gegevens)
    velden = _veldnamen(definitie, afspraak, inhoud, gegevens, [vraag for vraag, _ in paren])
    return [_antwoord(veld, vraag, tekst) for veld, (vraag, tekst) in zip(velden, paren, strict=True)]


def _rijen(definitie, afspraak, gegevens, rijen):
    return [_rij(definitie, rij, formulier) for rij, formulier in definitie.met_formulier(afspraak, rijen, gegevens)]


def _rij(definitie, rij, formulier):
    namen = {str(veld.label): naam for naam, veld in formulier.fields.items()}
    return {
        "antwoorden": [
            _antwoord(namen.get(str(vraag)), vraag, tekst)
            for vraag, tekst in definitie.momentopname(formulier, rij).items()
        ]
    }


def rijen_per_sectie(afspraak):
    """{sleutel: [rows]} of every row section but the parties' (one query each), read once for the sections and
    for the lists of ambities, acties and rapportages below."""
    return {
        d.sleutel: list(d.rijen(afspraak))
        for d in secties.alle()
        if not isinstance(d, secties.Tekstsectie) and getattr(d, "model", None) is not Partij
    }


def fasen_van(afspraak, gegevens, rijen):
    """[{nummer, naam, secties}]: every registered section in page order, answers as the document reads them.

    The parties section is left out: `partijen` gives the parties in full. `rijen`: rijen_per_sectie."""
    opgeslagen = {s.sleutel: s for s in Sectie.objects.filter(afspraak=afspraak)}
    uitkomst = []
    for fase in Fase:
        lijst = []
        for definitie in secties.van_fase(fase):
            if getattr(definitie, "model", None) is Partij:
                continue
            toestand = opgeslagen.get(definitie.sleutel)
            sectie = {
                "sleutel": definitie.sleutel,
                "titel": definitie.titel,
                "bijgewerkt_op": toestand.bijgewerkt_op if toestand else None,
                "antwoorden": [],
                "rijen": [],
            }
            if isinstance(definitie, secties.Tekstsectie):
                sectie["soort"] = TEKST
                inhoud = (toestand.inhoud if toestand else None) or {}
                sectie["antwoorden"] = _tekstantwoorden(definitie, afspraak, inhoud, gegevens)
            else:
                sectie["soort"] = RIJEN
                sectie["rijen"] = _rijen(definitie, afspraak, gegevens, rijen[definitie.sleutel])
            lijst.append(sectie)
        uitkomst.append({"nummer": fase.value, "naam": fase.label, "secties": lijst})
    return uitkomst


def _indicator(indicator):
    return {
        "naam": indicator.naam,
        "eenheid": indicator.eenheid,
        "nulmeting": indicator.nulmeting,
        "streefwaarde": indicator.streefwaarde,
        "meetmoment": indicator.meetmoment,
        "meetfrequentie": indicator.meetfrequentie or None,
        "bron": indicator.bron,
    }


def ambities_van(rijen):
    """Ambities with their resultaten and indicatoren nested, from their sections' rows (all ordered by pk)."""
    resultaten = rijen[fasen.RESULTATEN]
    indicatoren = rijen[fasen.INDICATOREN]
    uitkomst = []
    for ambitie in rijen[fasen.AMBITIES]:
        eigen = [r for r in resultaten if r.ambitie_id == ambitie.pk]
        uitkomst.append(
            {
                "omschrijving": ambitie.omschrijving,
                "toelichting": ambitie.toelichting,
                "resultaten": [
                    {
                        "omschrijving": r.omschrijving,
                        "indicatoren": [_indicator(i) for i in indicatoren if i.resultaat_id == r.pk],
                    }
                    for r in eigen
                ],
                "indicatoren_zonder_resultaat": [
                    _indicator(i) for i in indicatoren if i.ambitie_id == ambitie.pk and i.resultaat_id is None
                ],
            }
        )
    return uitkomst


def acties_van(rijen, per_pk):
    """Every actie, by phase and then as each phase's section orders them (deadline, pk)."""
    return [
        {
            "fase": actie.fase,
            "fase_naam": actie.get_fase_display(),
            "omschrijving": actie.omschrijving,
            "eigenaar": verwijzing(per_pk[actie.eigenaar_id]) if actie.eigenaar_id in per_pk else None,
            "deadline": actie.deadline,
            "status": actie.status,
        }
        for fase in Fase
        for actie in rijen[f"acties-{fase.name.lower()}"]
    ]


def rapportages_van(rijen, per_pk):
    return [
        {
            "onderwerp": r.onderwerp,
            "van": verwijzing(per_pk[r.van_id]) if r.van_id in per_pk else None,
            "aan": r.aan,
            "frequentie": r.frequentie or None,
            "eerste_datum": r.eerste_datum,
        }
        for r in rijen[fasen.RAPPORTAGES]  # ordered by eerste_datum, pk
    ]


def afspraakinhoud(afspraak):
    gegevens = Toetsgegevens(afspraak)
    partijen = partijen_van(afspraak)
    gegevens.partijen = partijen  # the forms' party choices read the same list: no second query
    per_pk = {p.pk: p for p in partijen}
    rijen = rijen_per_sectie(afspraak)
    return {
        "afspraak": afspraak,
        "partijen": [partijgegevens(p) for p in partijen],
        "fasen": fasen_van(afspraak, gegevens, rijen),
        "ambities": ambities_van(rijen),
        "acties": acties_van(rijen, per_pk),
        "rapportages": rapportages_van(rijen, per_pk),
    }


# --- toetsing ------------------------------------------------------------------------------------


def afspraaktoetsing(afspraak):
    oordelen = toetsing.toets(afspraak, Toetsgegevens(afspraak))
    gereed_mogelijk, bezwaren = toetsing.kan_gereed(oordelen)
    titels = {d.sleutel: d.titel for d in secties.alle()}
    return {
        "afspraak": afspraak,
        "samenvatting": toetsing.samenvatting(oordelen),
        "gereed_mogelijk": gereed_mogelijk,
        "bezwaren": bezwaren,
        "basisafspraken": [
            {
                "nummer": oordeel.basisafspraak.nummer,
                "tekst": oordeel.basisafspraak.tekst,
                "oordeel": oordeel.status,
                "oordeel_tekst": oordeel.label,
                "toelichting": oordeel.toelichting.tekst if oordeel.heeft_toelichting else None,
                "redenen": [
                    {
                        "oordeel": u.status,
                        "reden": u.reden,
                        "sectie": u.sectie or None,
                        "sectie_titel": titels.get(u.sectie) if u.sectie else None,
                    }
                    for u in oordeel.redenen
                ],
            }
            for oordeel in oordelen
        ],
    }


# --- financing and verdeling ---------------------------------------------------------------------


def _jaarbedragen(jaren, bedragen):
    """[{jaar, centen}] for a list aligned with `jaren` or a {jaar: centen} map; a missing amount is 0."""
    if isinstance(bedragen, dict):
        return [{"jaar": j, "centen": bedragen.get(j, 0) or 0} for j in jaren]
    return [{"jaar": j, "centen": c or 0} for j, c in zip(jaren, bedragen, strict=True)]


def _breuk(waarde):
    if waarde is None:
        return None
    waarde = Fraction(waarde)
    return str(waarde.numerator) if waarde.denominator == 1 else f"{waarde.numerator}/{waarde.denominator}"


def _procent(waarde):
    return None if waarde is None else round(float(Fraction(waarde) * 100), 4)


def _kosten(kosten):
    jaren = kosten.jaren
    return {
        "categorieen": [
            {
                "categorie": c.categorie,
                "naam": c.label,
                "posten": [
                    {
                        "omschrijving": r.post.omschrijving,
                        "verdelen": r.post.verdelen,
                        "bedragen": [
                            {"jaar": j, "centen": b} for j, b in zip(jaren, r.bedragen, strict=True) if b is not None
                        ],
                        "totaal_centen": r.totaal,
                    }
                    for r in c.regels
                ],
                "totaal": _jaarbedragen(jaren, c.totaal_per_jaar),
                "totaal_centen": c.totaal,
            }
            for c in kosten.categorieen
        ],
        "totaal": _jaarbedragen(jaren, kosten.totaal_per_jaar),
        "totaal_centen": kosten.totaal,
        "te_verdelen": _jaarbedragen(jaren, kosten.te_verdelen),
        "meldingen": list(kosten.meldingen),
    }


def _verdeling(uitkomst, partijen):
    codes = {
        p.organisatie.gemeente_id: (p.organisatie.gemeente.code, p.organisatie.gemeente.regio_id)
        for p in partijen
        if p.organisatie.gemeente_id
    }
    per_sleutel = {berekening.partijsleutel(p, codes): p for p in partijen}

    def partij(sleutel, naam):
        if sleutel in per_sleutel:
            return verwijzing(per_sleutel[sleutel])
        return {"organisatie": naam, "soort": None, "cbs_code": None, "instelling": None, "instellingscode": None}

    leeg = {
        "berekend": uitkomst.ok,
        "geen_verdeelsleutel": uitkomst.geen_sleutel,
        "geen_kosten": uitkomst.geen_kosten,
        "fouten": list(uitkomst.fouten),
        "meldingen": list(uitkomst.meldingen),
        "bronnen": list(uitkomst.bronnen),
        "is_schatting": False,
        "onderdrukte_delen": 0,
        "groepen": [],
        "partijen": [],
        "te_verdelen": [],
        "totaal": [],
        "ongedekt": [],
        "totaal_centen": None,
    }
    if not uitkomst.ok:
        return leeg
    v = uitkomst.verdeling
    jaren = v.jaren
    return {
        **leeg,
        "is_schatting": v.is_schatting,
        "onderdrukte_delen": v.onderdrukte_delen,
        "groepen": [
            {
                "naam": g.naam,
                "methode": g.methode,
                "methode_tekst": g.methode_tekst,
                "aandeel": _breuk(g.aandeel),
                "aandeel_procent": _procent(g.aandeel),
                "bedrag_per_student_centen": g.bedrag_per_student,
                "peiljaar": g.peiljaar,
                "leden": [
                    {
                        "partij": partij(w.sleutel, w.naam),
                        "gewicht": _breuk(w.waarde),
                        "aandeel_in_groep": _breuk(w.aandeel),
                        "schatting": w.schatting,
                        "toelichting": w.toelichting,
                        "bedragen": _jaarbedragen(jaren, {j: g.bedragen.get(j, {}).get(w.sleutel, 0) for j in jaren}),
                        "totaal_centen": sum(g.bedragen.get(j, {}).get(w.sleutel, 0) for j in jaren),
                    }
                    for w in g.gewichten
                ],
                "totaal": _jaarbedragen(jaren, g.totaal),
                "totaal_centen": sum(g.totaal.get(j, 0) for j in jaren),
            }
            for g in v.groepen
        ],
        "partijen": [
            {
                "partij": partij(sleutel, v.namen[sleutel]),
                "bedragen": _jaarbedragen(jaren, v.per_partij[sleutel]),
                "totaal_centen": v.totaal_van(sleutel),
            }
            for sleutel in v.partijen
        ],
        "te_verdelen": _jaarbedragen(jaren, v.te_verdelen),
        "totaal": _jaarbedragen(jaren, v.totaal),
        "ongedekt": _jaarbedragen(jaren, v.ongedekt),
        "totaal_centen": v.totaal_looptijd,
    }


def afspraakverdeling(afspraak):
    gegevens = Toetsgegevens(afspraak)
    cijfers = financieringscijfers(afspraak, gegevens)
    partijen = partijen_van(afspraak)
    per_pk = {p.pk: p for p in partijen}
    return {
        "afspraak": afspraak,
        "jaren": cijfers["kosten"].jaren,
        "kosten": _kosten(cijfers["kosten"]),
        "geldstromen": [
            {
                "bron": g.bron,
                "bron_tekst": g.get_bron_display(),
                "omschrijving": g.omschrijving,
                "van": verwijzing(per_pk[g.van_id]) if g.van_id in per_pk else None,
                "duur": g.duur,
                "karakter": g.karakter,
                "bedrag_per_jaar_centen": None if g.bedrag_per_jaar is None else naar_centen(g.bedrag_per_jaar),
            }
            for g in cijfers["geldstromen"]
        ],
        "bekostigingssystematiek": cijfers["systematiek"],
        "bekostigingssystematiek_toelichting": cijfers["systematiek_toelichting"],
        "verdeling": _verdeling(cijfers["berekening"], partijen),
    }
