"""DUO "Adressen mbo-instellingen": instellingen with code, name, seat and RMC-regio.

An instelling is matched by instellingscode; failing that by its normalised name against the
instellingen that have no code yet (also under the name the 2024 table used); failing that it
is new. Instellingen missing from the file stay: they may be parties to agreements.
"""

import re
from collections import defaultdict
from functools import partial

from django.utils import timezone

from techniek.register import Register

from ..models import (
    Dataset,
    Doorstroompuntregio,
    Gegevensimport,
    Gemeente,
    InstellingInRegio,
    MboInstelling,
)
from .basis import Lader, Voorbeeld, neem_dataset, telling_tekst
from .lezen import Kolom, Waardefout, gemeentecode, instellingscode, nl_getal, normaliseer_naam
from .woongemeente import INSTELLINGSCODE_NAMEN

BRON = "DUO adressen mbo-instellingen"
BRON_LANG = "DUO open onderwijsdata, Adressen mbo-instellingen"
BRON_URL = "https://onderwijsdata.duo.nl/"
LICENTIE = "CC BY 4.0 (DUO open onderwijsdata)"
CODE_VORM = re.compile(r"[0-9A-Z]{2,8}")

# Callables(nieuwe instellingen, {pk: (oude naam, nieuwe naam)}) run in the load's transaction: accounts gives
# a new instelling its organisation and renames one that carried the old name.
na_laden = Register("na het laden van instellingen")


def _regionummer(waarde):
    waarde = (waarde or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", waarde):
        raise Waardefout(f"'{waarde[:20]}' is geen RMC-regiocode (een getal van 1 tot en met 40).")
    nummer = int(waarde)
    if not 1 <= nummer <= 40:
        raise Waardefout(f"RMC-regiocode {waarde} ligt niet tussen 1 en 40.")
    return nummer


class AdressenLader(Lader):
    soort = Gegevensimport.Soort.ADRESSEN_MBO
    titel = "DUO: adressen mbo-instellingen"
    kolommen = (
        Kolom("instellingscode", INSTELLINGSCODE_NAMEN),
        Kolom("instellingsnaam", ("instellingsnaam", "naam instelling", "instellingsnaam actueel")),
        Kolom("gemeentenummer", ("gemeentenummer", "gemeentecode")),
        Kolom("gemeentenaam", ("gemeentenaam",), verplicht=False),
        Kolom("plaatsnaam", ("plaatsnaam", "plaats"), verplicht=False),
        Kolom("rmc_code", ("rmc regio code", "rmc regiocode", "rmc code", "rmc regio")),
        Kolom("rmc_naam", ("rmc regio naam", "rmc regionaam"), verplicht=False),
    )

    @property
    def dataset_peiljaar(self):
        return self.peiljaar or timezone.localdate().year

    def controleer(self, tabel):
        fouten = self.nieuwe_foutenlijst()
        waarschuwingen = []
        gemeenten = {g.code: g for g in Gemeente.objects.select_related("regio")}
        regios = {r.nummer: r for r in Doorstroompuntregio.objects.all()}
        instellingen = {i.pk: i for i in MboInstelling.objects.all()}
        per_code = {i.instellingscode: i for i in instellingen.values() if i.instellingscode}
        zonder_code = {pk for pk, i in instellingen.items() if not i.instellingscode}
        aanwezig = defaultdict(set)  # instelling_id -> region numbers (all sources)
        per_naam = defaultdict(set)  # normalised name -> instelling ids without a code
        for pk in zonder_code:
            per_naam[normaliseer_naam(instellingen[pk].naam)].add(pk)
        for instelling_id, naam_in_bron, nummer in InstellingInRegio.objects.values_list(
            "instelling_id", "naam_in_bron", "regio__nummer"
        ):
            aanwezig[instelling_id].add(nummer)
            if instelling_id in zonder_code and naam_in_bron:
                per_naam[normaliseer_naam(naam_in_bron)].add(instelling_id)

        rijen = []
        regel_van_code = {}
        geclaimd = {}  # instelling_id -> line
        for regel, cellen in tabel.rijen:
            waarde = partial(tabel.waarde, cellen)

            foutief = False
            code = instellingscode(waarde("instellingscode"))
            naam = " ".join(waarde("instellingsnaam").split())
            if not code:
                fouten.voeg_toe(regel, tabel.kop("instellingscode"), "Geen instellingscode ingevuld.")
                foutief = True
            elif not CODE_VORM.fullmatch(code):
                fouten.voeg_toe(
                    regel, tabel.kop("instellingscode"),
                    f"'{code[:20]}' is geen geldige instellingscode (2 tot 8 letters en cijfers, bv. 25LX).",
                )
                foutief = True
            elif code in regel_van_code:
                fouten.voeg_toe(
                    regel, tabel.kop("instellingscode"),
                    f"Instellingscode {code} staat ook op regel {regel_van_code[code]}: elke instelling één keer.",
                )
                foutief = True
            else:
                regel_van_code[code] = regel
            if not naam:
                fouten.voeg_toe(regel, tabel.kop("instellingsnaam"), "Geen instellingsnaam ingevuld.")
                foutief = True
            elif len(naam) > 200:
                fouten.voeg_toe(regel, tabel.kop("instellingsnaam"), "De instellingsnaam is langer dan 200 tekens.")
                foutief = True

            gemeente = None
            ruw = waarde("gemeentenummer")
            if ruw:
                gcode = gemeentecode(ruw)
                gemeente = gemeenten.get(gcode) if gcode else None
                if gemeente is None:
                    foutief = True
                    fouten.voeg_toe(
                        regel, tabel.kop("gemeentenummer"),
                        f"Gemeentenummer {ruw[:20]} is onbekend." if gcode else f"'{ruw[:20]}' is geen gemeentenummer.",
                    )
            elif naam:
                waarschuwingen.append(
                    f"Regel {regel}: {naam} heeft geen gemeentenummer; de vestigingsgemeente blijft leeg."
                )
            regio = None
            ruw = waarde("rmc_code")
            if ruw:
                try:
                    nummer = _regionummer(ruw)
                    regio = regios.get(nummer)
                    if regio is None:
                        raise Waardefout(f"RMC-regio {nummer} bestaat niet in de toepassing.")
                except Waardefout as fout:
                    foutief = True
                    fouten.voeg_toe(regel, tabel.kop("rmc_code"), str(fout))
            elif naam:
                waarschuwingen.append(f"Regel {regel}: {naam} heeft geen RMC-regiocode; er komt geen regio bij.")
            plaats = waarde("plaatsnaam")[:100]
            if foutief:
                continue

            # Which existing instelling is this?
            instelling = per_code.get(code)
            hoe = "instellingscode"
            if instelling is None:
                kandidaten = per_naam.get(normaliseer_naam(naam), set())
                if len(kandidaten) > 1 and regio is not None:
                    kandidaten = {pk for pk in kandidaten if regio.nummer in aanwezig[pk]}
                if len(kandidaten) > 1:
                    namen = ", ".join(sorted(instellingen[pk].naam for pk in kandidaten))
                    fouten.voeg_toe(
                        regel, tabel.kop("instellingsnaam"),
                        f"De naam {naam} past bij meer dan één instelling zonder code ({namen}); "
                        "geef die instellingen eerst een instellingscode.",
                    )
                    continue
                if kandidaten:
                    instelling = instellingen[next(iter(kandidaten))]
                    hoe = "naam"
            if instelling is not None:
                if instelling.pk in geclaimd:
                    fouten.voeg_toe(
                        regel, tabel.kop("instellingsnaam"),
                        f"{naam} wordt al gekoppeld aan {instelling.naam} via regel {geclaimd[instelling.pk]}.",
                    )
                    continue
                geclaimd[instelling.pk] = regel
            if regio is not None and gemeente is not None and gemeente.regio_id and gemeente.regio_id != regio.pk:
                waarschuwingen.append(
                    f"Regel {regel}: {naam} is gevestigd in {gemeente.naam}, dat volgens de indeling in regio "
                    f"{gemeente.regio.nummer} ligt; het bestand noemt RMC-regio "
                    f"{regio.nummer} ({regio.naam})."
                )
            rijen.append(
                {
                    "regel": regel, "code": code, "naam": naam, "gemeente_id": gemeente.pk if gemeente else None,
                    "plaats": plaats, "regio_id": regio.pk if regio else None,
                    "instelling_id": instelling.pk if instelling else None, "hoe": hoe,
                }
            )
        self.stop_bij_fouten(fouten, tabel)
        return {
            "rijen": rijen, "gelezen": len(tabel.rijen), "waarschuwingen": waarschuwingen,
            "niet_in_bestand": sorted(
                (i.naam for pk, i in instellingen.items() if pk not in geclaimd), key=normaliseer_naam
            ),
        }

    def voorbeeld(self, plan):
        vb = Voorbeeld(rijen_gelezen=plan["gelezen"], rijen_geaccepteerd=len(plan["rijen"]))
        vb.waarschuwingen.extend(plan["waarschuwingen"][:50])
        if len(plan["waarschuwingen"]) > 50:
            vb.waarschuwingen.append(f"… en nog {len(plan['waarschuwingen']) - 50} waarschuwingen.")
        instellingen = {i.pk: i for i in MboInstelling.objects.select_related("vestigingsgemeente")}
        gemeenten = dict(Gemeente.objects.values_list("pk", "naam"))
        regios = {
            pk: (nummer, naam) for pk, nummer, naam in Doorstroompuntregio.objects.values_list("pk", "nummer", "naam")
        }
        nieuw, gewijzigd, ongewijzigd = [], [], 0
        for rij in plan["rijen"]:
            instelling = instellingen.get(rij["instelling_id"])
            if instelling is None:
                nieuw.append(
                    f"{rij['naam']} ({rij['code']}), {gemeenten.get(rij['gemeente_id'], 'geen gemeente')}"
                    + (f", regio {regios[rij['regio_id']][0]}" if rij["regio_id"] else "")
                )
                continue
            wijzigingen = _wijzigingen(instelling, rij, gemeenten)
            if wijzigingen:
                via = " (herkend aan de naam)" if rij["hoe"] == "naam" else ""
                gewijzigd.append(f"{instelling.naam}{via}: " + "; ".join(wijzigingen))
            else:
                ongewijzigd += 1

        gewenst = {(r["instelling_id"], r["regio_id"]) for r in plan["rijen"] if r["instelling_id"] and r["regio_id"]}
        nieuwe_koppelingen = sum(1 for r in plan["rijen"] if not r["instelling_id"] and r["regio_id"])
        bestaand_duo = set(InstellingInRegio.objects.filter(bron=BRON).values_list("instelling_id", "regio_id"))
        bestaand_ander = set(
            InstellingInRegio.objects.exclude(bron=BRON).values_list("instelling_id", "regio_id")
        )
        erbij = [p for p in gewenst if p not in bestaand_duo and p not in bestaand_ander]
        eraf = [p for p in bestaand_duo if p not in gewenst]
        al_bekend = [p for p in gewenst if p in bestaand_ander]

        vb.tellingen = {"nieuw": len(nieuw), "gewijzigd": len(gewijzigd), "verwijderd": 0, "ongewijzigd": ongewijzigd}
        vb.regels.append(
            "Instellingen: " + telling_tekst(len(nieuw), len(gewijzigd), 0, ongewijzigd, eenheid="instellingen") + "."
        )
        vb.regels.append(
            f"Aanwezigheid in regio's (bron {BRON}): "
            + telling_tekst(len(erbij) + nieuwe_koppelingen, 0, len(eraf), eenheid="koppelingen")
            + (f"; {nl_getal(len(al_bekend))} al bekend uit de tabel van 2024" if al_bekend else "")
            + "."
        )
        niet = plan["niet_in_bestand"]
        if niet:
            vb.regels.append(
                f"{nl_getal(len(niet))} instellingen staan niet in het bestand. Zij blijven staan en worden niet "
                "verwijderd: ze kunnen partij zijn bij afspraken."
            )
        vb.voorbeeldlijst("Nieuwe instellingen", nieuw)
        vb.voorbeeldlijst("Gewijzigde instellingen", gewijzigd)
        vb.voorbeeldlijst(
            "Koppelingen met een regio die vervallen",
            (f"{instellingen[i].naam} — regio {regios[r][0]} ({regios[r][1]})" for i, r in eraf if i in instellingen),
            len(eraf),
        )
        vb.voorbeeldlijst("Niet in het bestand (blijven staan)", niet)
        vb.peiljaren = [self.dataset_peiljaar]
        return vb

    def toepassen(self, plan, herkomst):
        neem_dataset(
            Dataset.Soort.INSTELLINGEN, self.dataset_peiljaar, BRON_LANG, herkomst, licentie=LICENTIE,
            bron_url=BRON_URL,
            toelichting=(
                "Instellingscode, naam, vestigingsgemeente en RMC-regio uit DUO. Instellingen die niet in het bestand "
                "staan blijven bestaan."
            ),
        )
        instellingen = {i.pk: i for i in MboInstelling.objects.all()}
        gemeenten = dict(Gemeente.objects.values_list("pk", "naam"))
        gewijzigd, nieuw, nieuw_rijen = [], [], []
        hernoemd = {}
        for rij in plan["rijen"]:
            instelling = instellingen.get(rij["instelling_id"])
            if instelling is None:
                nieuw.append(
                    MboInstelling(
                        instellingscode=rij["code"], naam=rij["naam"], vestigingsgemeente_id=rij["gemeente_id"],
                        plaatsnaam=rij["plaats"],
                    )
                )
                nieuw_rijen.append(rij)
                continue
            if _wijzigingen(instelling, rij, gemeenten):
                if instelling.naam != rij["naam"]:
                    hernoemd[instelling.pk] = (instelling.naam, rij["naam"])
                instelling.instellingscode = rij["code"]
                instelling.naam = rij["naam"]
                instelling.vestigingsgemeente_id = rij["gemeente_id"]
                instelling.plaatsnaam = rij["plaats"]
                gewijzigd.append(instelling)
        # A code never moves: a row matches an instelling by name only if that instelling has no code.
        if gewijzigd:
            MboInstelling.objects.bulk_update(
                gewijzigd, ["instellingscode", "naam", "vestigingsgemeente", "plaatsnaam"], batch_size=500
            )
        MboInstelling.objects.bulk_create(nieuw, batch_size=500)
        for instelling, rij in zip(nieuw, nieuw_rijen, strict=True):
            rij["instelling_id"] = instelling.pk
        for stap in na_laden:
            stap(nieuw, hernoemd)

        # Presence in regions from this source: replaced as a whole.
        InstellingInRegio.objects.filter(bron=BRON).delete()
        ander = set(InstellingInRegio.objects.values_list("instelling_id", "regio_id"))
        koppelingen = {}
        for rij in plan["rijen"]:
            paar = (rij["instelling_id"], rij["regio_id"])
            if rij["regio_id"] and paar not in ander:
                koppelingen[paar] = InstellingInRegio(
                    instelling_id=paar[0], regio_id=paar[1], naam_in_bron=rij["naam"], bron=BRON
                )
        InstellingInRegio.objects.bulk_create(koppelingen.values())
        return len(plan["rijen"])


def _wijzigingen(instelling, rij, gemeenten):
    wijzigingen = []
    if instelling.instellingscode != rij["code"]:
        wijzigingen.append(f"instellingscode {instelling.instellingscode or '(geen)'} → {rij['code']}")
    if instelling.naam != rij["naam"]:
        wijzigingen.append(f"naam → {rij['naam']}")
    if instelling.vestigingsgemeente_id != rij["gemeente_id"]:
        wijzigingen.append(
            f"vestigingsgemeente {gemeenten.get(instelling.vestigingsgemeente_id, '(geen)')} → "
            f"{gemeenten.get(rij['gemeente_id'], '(geen)')}"
        )
    if instelling.plaatsnaam != rij["plaats"]:
        wijzigingen.append(f"plaatsnaam {instelling.plaatsnaam or '(geen)'} → {rij['plaats'] or '(geen)'}")
    return wijzigingen
