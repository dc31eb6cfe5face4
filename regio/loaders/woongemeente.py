"""Students per instelling × woongemeente, in the canonical CSV of docs/FORMATEN.md.

Built for 100,000 rows and more: one pass over the rows in which every distinct cell text is parsed
once (dict look-ups after that), one query per lookup table, and per peiljaar one COPY into a new partition
that replaces the old one on PostgreSQL (a delete and bulk_create in batches elsewhere; see kopieer.py).
"""

from itertools import islice

from ..aantallen import Aantal
from ..models import Dataset, Gegevensimport, Gemeente, MboInstelling, StudentenPerWoongemeente
from .basis import AANTAL_VOORBEELDEN, Lader, Voorbeeld, neem_dataset, telling_tekst, vorige_lading
from .kopieer import vervang_partitie
from .lezen import Kolom, Waardefout, geheel_getal, gemeentecode, instellingscode, jaartal, kort, nl_getal

VELDEN = ("dataset", "peiljaar", "instelling", "gemeente", "leerweg", "niveau", "aantal", "onderdrukt")
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

        kop_jaar, kop_code, kop_gemeente = (tabel.kop(k) for k in ("peiljaar", "instellingscode", "gemeentecode"))
        kop_aantal, kop_leerweg, kop_niveau = tabel.kop("aantal"), tabel.kop("leerweg"), tabel.kop("niveau")
        i_jaar = tabel.kolommen.get("peiljaar")
        i_code, i_gemeente, i_aantal = (tabel.kolommen[k] for k in ("instellingscode", "gemeentecode", "aantal"))
        i_leerweg, i_niveau = tabel.kolommen.get("leerweg"), tabel.kolommen.get("niveau")
        breedte = 1 + max(i for i in (i_jaar, i_code, i_gemeente, i_aantal, i_leerweg, i_niveau) if i is not None)

        # Every cell is read once per distinct value: each parser returns (value, None) or (None, message)
        # and is remembered per raw cell text. A file has a few hundred distinct codes, years, leerwegen
        # and niveaus, so a row costs a handful of dict look-ups.
        def lees_jaar(ruw):
            try:
                return jaartal(ruw.strip()), None
            except Waardefout as fout:
                return None, str(fout)

        def lees_instelling(ruw):
            code = instellingscode(ruw)
            instelling = instellingen.get(code)
            if instelling is not None:
                return (instelling[0], code), None
            if not code:
                return None, "Geen instellingscode ingevuld."
            return None, (
                f"Instellingscode {kort(code, 20)} is onbekend. Laad eerst het DUO-bestand "
                "'Adressen mbo-instellingen' waarin deze instelling staat."
            )

        def lees_gemeente(ruw):
            ruw = ruw.strip()
            gcode = gemeentecode(ruw)
            gemeente = gemeenten.get(gcode) if gcode else None
            if gemeente is not None:
                return (gemeente[0], gcode), None
            if not ruw:
                return None, "Geen gemeentecode ingevuld."
            if gcode is None:
                return None, f"'{ruw[:40]}' is geen gemeentecode (schrijf GM0014 of 0014)."
            return None, f"Gemeentecode {gcode} is onbekend."

        def lees_leerweg(ruw):
            ruw = ruw.strip()
            if not ruw:
                return "", None
            leerweg = LEERWEGEN.get(_compact(ruw))
            if leerweg is None:
                return None, f"Onbekende leerweg '{ruw[:20]}' (toegestaan: BBL, BOLVT, BOLDT, EX of leeg)."
            return leerweg, None

        def lees_niveau(ruw):
            ruw = ruw.strip()
            if not ruw:
                return "", None
            niveau = NIVEAUS.get(_compact(ruw))
            if niveau is None:
                return None, f"Onbekend niveau '{ruw[:20]}' (toegestaan: 1 tot en met 4 of leeg)."
            return niveau, None

        def lees_aantal(ruw):
            try:
                return geheel_getal(ruw.strip(), onderdrukking_toegestaan=True), None
            except Waardefout as fout:
                return None, str(fout)

        def onthoud(geheugen, ruw, lees):
            geheugen[ruw] = uitkomst = lees(ruw)
            return uitkomst

        def cel(regel, cellen, index, kop, geheugen, lees):
            """(value, ok) of one cell: each distinct text is parsed once; a bad one is reported on its line."""
            if index is None:  # an optional column the file does not have
                return "", True
            ruw = cellen[index]
            waarde, melding = geheugen.get(ruw) or onthoud(geheugen, ruw, lees)
            if melding:
                fouten.voeg_toe(regel, kop, melding)
                return None, False
            return waarde, True

        jaren, codes, gemeentecodes, leerwegen, niveaus, aantallen = {}, {}, {}, {}, {}, {}

        rijen = {}  # jaar -> key (instelling_id, gemeente_id, leerweg, niveau) -> (bekend, onderdrukt)
        regel_van = {}  # jaar -> key -> line, for the duplicate message
        patroon = {}  # jaar -> instelling_id -> ((has leerweg, has niveau), line)
        overgeslagen = 0
        vast_jaar = self.peiljaar
        vorig_jaar = per_jaar = regels_jaar = patroon_jaar = None

        for regel, cellen in tabel.rijen:
            if len(cellen) < breedte:
                cellen = cellen + [""] * (breedte - len(cellen))
            if i_jaar is not None:
                ruw = cellen[i_jaar]
                jaar, melding = jaren.get(ruw) or onthoud(jaren, ruw, lees_jaar)
                if melding:
                    fouten.voeg_toe(regel, kop_jaar, melding)
                    continue
                if vast_jaar and jaar != vast_jaar:
                    overgeslagen += 1
                    continue
            else:
                jaar = vast_jaar

            instelling, ok_code = cel(regel, cellen, i_code, kop_code, codes, lees_instelling)
            gemeente, ok_gemeente = cel(regel, cellen, i_gemeente, kop_gemeente, gemeentecodes, lees_gemeente)
            leerweg, ok_leerweg = cel(regel, cellen, i_leerweg, kop_leerweg, leerwegen, lees_leerweg)
            niveau, ok_niveau = cel(regel, cellen, i_niveau, kop_niveau, niveaus, lees_niveau)
            aantal, ok_aantal = cel(regel, cellen, i_aantal, kop_aantal, aantallen, lees_aantal)
            if not (ok_code and ok_gemeente and ok_leerweg and ok_niveau and ok_aantal):
                continue

            if jaar != vorig_jaar:
                vorig_jaar = jaar
                per_jaar = rijen.setdefault(jaar, {})
                regels_jaar = regel_van.setdefault(jaar, {})
                patroon_jaar = patroon.setdefault(jaar, {})
            instelling_id, code = instelling
            sleutel = (instelling_id, gemeente[0], leerweg, niveau)
            if sleutel in per_jaar:
                fouten.voeg_toe(
                    regel, "",
                    f"Dubbele rij: {code}, {gemeente[1]}{', leerweg ' + leerweg if leerweg else ''}"
                    f"{', niveau ' + niveau if niveau else ''} in peiljaar {jaar} staat ook op regel "
                    f"{regels_jaar[sleutel]}.",
                )
                continue
            vorm = (leerweg != "", niveau != "")
            eerder = patroon_jaar.get(instelling_id)
            if eerder is None:
                patroon_jaar[instelling_id] = (vorm, regel)
            elif eerder[0] != vorm:
                fouten.voeg_toe(
                    regel, kop_leerweg if eerder[0][0] != vorm[0] else kop_niveau,
                    f"Rijen van instelling {code} in peiljaar {jaar} zijn niet op dezelfde manier uitgesplitst "
                    f"(regel {eerder[1]} {'heeft' if eerder[0][0] else 'heeft geen'} leerweg en "
                    f"{'wel' if eerder[0][1] else 'geen'} niveau); een totaal naast uitgesplitste rijen telt dubbel.",
                )
                continue
            per_jaar[sleutel] = aantal
            regels_jaar[sleutel] = regel

        self.stop_bij_fouten(fouten, tabel)
        rijen = {jaar: per_jaar for jaar, per_jaar in rijen.items() if per_jaar}
        if not rijen:
            fouten.voeg_toe(None, "", f"Het bestand bevat geen rijen voor peiljaar {self.peiljaar}.")
            self.stop_bij_fouten(fouten, tabel)
        return {
            "rijen": rijen,
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
            # Counts for all rows, but samples (and their tuples) only for the first few of each kind.
            nieuw, gewijzigd, ongewijzigd = [], [], 0
            aantal_nieuw = aantal_gewijzigd = 0
            if bestaand:
                oud_van = bestaand.get
                for sleutel, waarde in nieuw_rijen.items():
                    oud = oud_van(sleutel)
                    if oud == waarde:
                        ongewijzigd += 1
                    elif oud is None:
                        aantal_nieuw += 1
                        if aantal_nieuw <= AANTAL_VOORBEELDEN:
                            nieuw.append((sleutel, waarde))
                    else:
                        aantal_gewijzigd += 1
                        if aantal_gewijzigd <= AANTAL_VOORBEELDEN:
                            gewijzigd.append((sleutel, oud, waarde))
                aantal_verwijderd = len(bestaand) - ongewijzigd - aantal_gewijzigd
                weg = ((s, w) for s, w in bestaand.items() if s not in nieuw_rijen)
                verwijderd = list(islice(weg, AANTAL_VOORBEELDEN))
            else:
                aantal_nieuw, aantal_verwijderd = len(nieuw_rijen), 0
                nieuw, verwijderd = list(islice(nieuw_rijen.items(), AANTAL_VOORBEELDEN)), []
            vb.peiljaren.append(jaar)
            som = Aantal(*map(sum, zip(*nieuw_rijen.values(), strict=True)))
            vb.regels.append(
                f"Peiljaar {jaar}: "
                + telling_tekst(
                    aantal_nieuw, aantal_gewijzigd, aantal_verwijderd, ongewijzigd,
                    vorige=vorige_lading(Dataset.Soort.STUDENTEN_WOONGEMEENTE, jaar),
                )
                + f"; samen {som} studenten"
                + (f" ({som.toelichting})" if som.toelichting else "")
                + "."
            )
            vb.voorbeeldlijst(f"Nieuw in peiljaar {jaar}", (omschrijf(s, Aantal(*w)) for s, w in nieuw), aantal_nieuw)
            vb.voorbeeldlijst(
                f"Gewijzigd in peiljaar {jaar}",
                (f"{omschrijf(s, Aantal(*n))} (was {Aantal(*o)})" for s, o, n in gewijzigd),
                aantal_gewijzigd,
            )
            vb.voorbeeldlijst(
                f"Verwijderd uit peiljaar {jaar}", (omschrijf(s, Aantal(*w)) for s, w in verwijderd), aantal_verwijderd
            )
            totaal["nieuw"] += aantal_nieuw
            totaal["gewijzigd"] += aantal_gewijzigd
            totaal["verwijderd"] += aantal_verwijderd
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
            # Everything of this peiljaar goes, whichever dataset wrote it. On PostgreSQL the rows go in one COPY
            # into a new partition of the peiljaar that replaces the old one (a delete and bulk_create
            # elsewhere), in the caller's transaction.
            aantal += vervang_partitie(
                StudentenPerWoongemeente, "peiljaar", jaar, VELDEN,
                (
                    (dataset.pk, jaar, instelling_id, gemeente_id, leerweg, niveau, bekend, onderdrukt)
                    for (instelling_id, gemeente_id, leerweg, niveau), (bekend, onderdrukt) in rijen.items()
                ),
            )
        return aantal
