"""Students per instelling × woongemeente, in the canonical CSV of docs/FORMATEN.md.

Built for 100,000 rows and more: one pass over the rows with dict look-ups, one query per lookup
table, one delete per replaced peiljaar and bulk_create in batches.
"""

from collections import defaultdict

from ..aantallen import Aantal
from ..models import Dataset, Gegevensimport, Gemeente, MboInstelling, StudentenPerWoongemeente
from .basis import Lader, Voorbeeld, neem_dataset, telling_tekst, vorige_lading
from .lezen import Kolom, Waardefout, gemeentecode, geheel_getal, instellingscode, jaartal, nl_getal

BATCH = 5000
BRON = "Studenten per instelling en woongemeente (canoniek CSV-formaat, aangeleverd door de beheerder)"

INSTELLINGSCODE_NAMEN = ("instellingscode", "brin nummer", "brinnummer", "brin", "instellingscode actueel")

LEERWEGEN = {"BBL": "BBL", "BOLVT": "BOLVT", "BOLDT": "BOLDT", "EX": "EX"}
NIVEAUS = {"1": "1", "2": "2", "3": "3", "4": "4", "ENTREE": "1", "ENTREEOPLEIDING": "1", "NIVEAU1": "1",
           "NIVEAU2": "2", "NIVEAU3": "3", "NIVEAU4": "4"}


def _compact(waarde):
    return "".join(waarde.split()).replace("-", "").replace("_", "").upper()


class WoongemeenteLader(Lader):
    soort = Gegevensimport.Soort.STUDENTEN_WOONGEMEENTE
    titel = "Studenten per instelling en woongemeente"
    kolommen = (
        Kolom("peiljaar", ("peiljaar", "jaar"), verplicht=False),
        Kolom("instellingscode", INSTELLINGSCODE_NAMEN),
        Kolom("gemeentecode", ("gemeentecode", "woongemeentecode", "gemeentenummer", "woongemeente")),
        Kolom("aantal", ("aantal", "aantal studenten", "studenten")),
        Kolom("leerweg", ("leerweg",), verplicht=False),
        Kolom("niveau", ("niveau", "mbo niveau", "opleidingsniveau"), verplicht=False),
    )

    def controleer(self, tabel):
        fouten = self.nieuwe_foutenlijst()
        if not tabel.heeft("peiljaar") and not self.peiljaar:
            fouten.voeg_toe(
                tabel.kopregel, "PEILJAAR",
                "Het bestand heeft geen kolom peiljaar: neem die op of geef het peiljaar op bij het laden.",
            )
            self.stop_bij_fouten(fouten, tabel)
        instellingen = {
            code: (pk, naam)
            for pk, code, naam in MboInstelling.objects.exclude(instellingscode=None)
            .exclude(instellingscode="")
            .values_list("pk", "instellingscode", "naam")
        }
        gemeenten = {code: (pk, naam) for pk, code, naam in Gemeente.objects.values_list("pk", "code", "naam")}

        kop_jaar, kop_code, kop_gemeente = tabel.kop("peiljaar"), tabel.kop("instellingscode"), tabel.kop("gemeentecode")
        kop_aantal, kop_leerweg, kop_niveau = tabel.kop("aantal"), tabel.kop("leerweg"), tabel.kop("niveau")
        i_jaar = tabel.kolommen.get("peiljaar")
        i_code, i_gemeente, i_aantal = (tabel.kolommen[k] for k in ("instellingscode", "gemeentecode", "aantal"))
        i_leerweg, i_niveau = tabel.kolommen.get("leerweg"), tabel.kolommen.get("niveau")

        rijen = defaultdict(dict)  # jaar -> key (instelling_id, gemeente_id, leerweg, niveau) -> (bekend, onderdrukt)
        regel_van = {}
        patroon = {}  # (jaar, instelling_id) -> ((has leerweg, has niveau), line)
        overgeslagen = 0
        jaar_cache = {}

        def waarde(cellen, index):
            if index is None or index >= len(cellen):
                return ""
            return cellen[index].strip()

        for regel, cellen in tabel.rijen:
            foutief = False
            if i_jaar is not None:
                ruw = waarde(cellen, i_jaar)
                jaar = jaar_cache.get(ruw)
                if jaar is None:
                    try:
                        jaar = jaartal(ruw)
                        jaar_cache[ruw] = jaar
                    except Waardefout as fout:
                        fouten.voeg_toe(regel, kop_jaar, str(fout))
                        continue
            else:
                jaar = self.peiljaar
            if self.peiljaar and jaar != self.peiljaar:
                overgeslagen += 1
                continue

            code = instellingscode(waarde(cellen, i_code))
            instelling = instellingen.get(code)
            if instelling is None:
                foutief = True
                if not code:
                    fouten.voeg_toe(regel, kop_code, "Geen instellingscode ingevuld.")
                else:
                    fouten.voeg_toe(
                        regel, kop_code,
                        f"Instellingscode {code} is onbekend. Laad eerst het DUO-bestand "
                        "'Adressen mbo-instellingen' waarin deze instelling staat.",
                    )
            ruwe_gemeente = waarde(cellen, i_gemeente)
            gcode = gemeentecode(ruwe_gemeente)
            gemeente = gemeenten.get(gcode) if gcode else None
            if gemeente is None:
                foutief = True
                if not ruwe_gemeente:
                    fouten.voeg_toe(regel, kop_gemeente, "Geen gemeentecode ingevuld.")
                elif gcode is None:
                    fouten.voeg_toe(
                        regel, kop_gemeente, f"'{ruwe_gemeente[:40]}' is geen gemeentecode (schrijf GM0014 of 0014)."
                    )
                else:
                    fouten.voeg_toe(regel, kop_gemeente, f"Gemeentecode {gcode} is onbekend.")
            leerweg = ""
            if i_leerweg is not None:
                ruw = waarde(cellen, i_leerweg)
                if ruw:
                    leerweg = LEERWEGEN.get(_compact(ruw))
                    if leerweg is None:
                        foutief = True
                        fouten.voeg_toe(
                            regel, kop_leerweg, f"Onbekende leerweg '{ruw[:20]}' (toegestaan: BBL, BOLVT, BOLDT, EX of leeg)."
                        )
            niveau = ""
            if i_niveau is not None:
                ruw = waarde(cellen, i_niveau)
                if ruw:
                    niveau = NIVEAUS.get(_compact(ruw))
                    if niveau is None:
                        foutief = True
                        fouten.voeg_toe(regel, kop_niveau, f"Onbekend niveau '{ruw[:20]}' (toegestaan: 1 tot en met 4 of leeg).")
            try:
                aantal = geheel_getal(waarde(cellen, i_aantal), onderdrukking_toegestaan=True)
            except Waardefout as fout:
                foutief = True
                fouten.voeg_toe(regel, kop_aantal, str(fout))
            if foutief:
                continue

            sleutel = (instelling[0], gemeente[0], leerweg, niveau)
            per_jaar = rijen[jaar]
            if sleutel in per_jaar:
                fouten.voeg_toe(
                    regel, "",
                    f"Dubbele rij: {code}, {gcode}{', leerweg ' + leerweg if leerweg else ''}"
                    f"{', niveau ' + niveau if niveau else ''} in peiljaar {jaar} staat ook op regel "
                    f"{regel_van[(jaar, sleutel)]}.",
                )
                continue
            vorm = (bool(leerweg), bool(niveau))
            eerder = patroon.setdefault((jaar, instelling[0]), (vorm, regel))
            if eerder[0] != vorm:
                fouten.voeg_toe(
                    regel, kop_leerweg if eerder[0][0] != vorm[0] else kop_niveau,
                    f"Rijen van instelling {code} in peiljaar {jaar} zijn niet op dezelfde manier uitgesplitst "
                    f"(regel {eerder[1]} {'heeft' if eerder[0][0] else 'heeft geen'} leerweg en "
                    f"{'wel' if eerder[0][1] else 'geen'} niveau); een totaal naast uitgesplitste rijen telt dubbel.",
                )
                continue
            per_jaar[sleutel] = aantal
            regel_van[(jaar, sleutel)] = regel

        self.stop_bij_fouten(fouten, tabel)
        if not rijen:
            fouten.voeg_toe(None, "", f"Het bestand bevat geen rijen voor peiljaar {self.peiljaar}.")
            self.stop_bij_fouten(fouten, tabel)
        return {
            "rijen": dict(rijen),
            "gelezen": len(tabel.rijen),
            "overgeslagen": overgeslagen,
            "instellingen": {pk: (code, naam) for code, (pk, naam) in instellingen.items()},
            "gemeenten": {pk: (code, naam) for code, (pk, naam) in gemeenten.items()},
        }

    def voorbeeld(self, plan):
        vb = Voorbeeld(rijen_gelezen=plan["gelezen"], overgeslagen=plan["overgeslagen"])
        instellingen, gemeenten = plan["instellingen"], plan["gemeenten"]

        def omschrijf(sleutel, aantal):
            instelling_id, gemeente_id, leerweg, niveau = sleutel
            code, naam = instellingen.get(instelling_id, ("?", "?"))
            detail = ", ".join(filter(None, [leerweg and f"leerweg {leerweg}", niveau and f"niveau {niveau}"]))
            return (
                f"{naam} ({code}) — {gemeenten.get(gemeente_id, ('?', '?'))[1]}"
                f"{' (' + detail + ')' if detail else ''}: {aantal}"
            )

        totaal = {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": 0}
        for jaar in sorted(plan["rijen"]):
            nieuw_rijen = plan["rijen"][jaar]
            bestaand = {
                (i, g, lw, nv): (a, o)
                for i, g, lw, nv, a, o in StudentenPerWoongemeente.objects.filter(peiljaar=jaar).values_list(
                    "instelling_id", "gemeente_id", "leerweg", "niveau", "aantal", "onderdrukt"
                )
            }
            nieuw, gewijzigd, ongewijzigd = [], [], 0
            for sleutel, waarde in nieuw_rijen.items():
                oud = bestaand.get(sleutel)
                if oud is None:
                    nieuw.append((sleutel, waarde))
                elif oud != waarde:
                    gewijzigd.append((sleutel, oud, waarde))
                else:
                    ongewijzigd += 1
            verwijderd = [(s, w) for s, w in bestaand.items() if s not in nieuw_rijen]
            vb.peiljaren.append(jaar)
            som = sum((Aantal(*w) for w in nieuw_rijen.values()), Aantal())
            vb.regels.append(
                f"Peiljaar {jaar}: "
                + telling_tekst(
                    len(nieuw), len(gewijzigd), len(verwijderd), ongewijzigd,
                    vorige=vorige_lading(Dataset.Soort.STUDENTEN_WOONGEMEENTE, jaar),
                )
                + f"; samen {som} studenten"
                + (f" ({som.toelichting})" if som.toelichting else "")
                + "."
            )
            vb.voorbeeldlijst(f"Nieuw in peiljaar {jaar}", (omschrijf(s, Aantal(*w)) for s, w in nieuw[:20]), len(nieuw))
            vb.voorbeeldlijst(
                f"Gewijzigd in peiljaar {jaar}",
                (f"{omschrijf(s, Aantal(*n))} (was {Aantal(*o)})" for s, o, n in gewijzigd[:20]),
                len(gewijzigd),
            )
            vb.voorbeeldlijst(
                f"Verwijderd uit peiljaar {jaar}", (omschrijf(s, Aantal(*w)) for s, w in verwijderd[:20]), len(verwijderd)
            )
            totaal["nieuw"] += len(nieuw)
            totaal["gewijzigd"] += len(gewijzigd)
            totaal["verwijderd"] += len(verwijderd)
            totaal["ongewijzigd"] += ongewijzigd
        vb.tellingen = totaal
        vb.rijen_geaccepteerd = sum(len(r) for r in plan["rijen"].values())
        if plan["overgeslagen"]:
            vb.regels.append(
                f"{nl_getal(plan['overgeslagen'])} rijen van andere peiljaren dan {self.peiljaar} worden overgeslagen."
            )
        return vb

    def toepassen(self, plan, herkomst):
        aantal = 0
        for jaar, rijen in sorted(plan["rijen"].items()):
            dataset = neem_dataset(
                Dataset.Soort.STUDENTEN_WOONGEMEENTE, jaar, BRON, herkomst,
                toelichting="Aantallen van 1 tot 4 die de bron onderdrukte staan als onderdrukt, niet als 0.",
            )
            # Everything of this peiljaar goes, whichever dataset wrote it: one delete.
            StudentenPerWoongemeente.objects.filter(peiljaar=jaar).delete()
            StudentenPerWoongemeente.objects.bulk_create(
                (
                    StudentenPerWoongemeente(
                        dataset_id=dataset.pk, peiljaar=jaar, instelling_id=instelling_id, gemeente_id=gemeente_id,
                        leerweg=leerweg, niveau=niveau, aantal=bekend, onderdrukt=onderdrukt,
                    )
                    for (instelling_id, gemeente_id, leerweg, niveau), (bekend, onderdrukt) in rijen.items()
                ),
                batch_size=BATCH,
            )
            aantal += len(rijen)
        return aantal
