"""DUO "Studenten per instelling" (long format: one row per year × instelling × location).

Rows of one instelling and year that differ in other columns (plaats, gemeente, bevoegd gezag …)
are summed per leerweg; a suppressed cell (-1) stays a suppressed part of that sum.
"""

from collections import defaultdict
from functools import partial

from ..aantallen import Aantal
from ..models import Dataset, Gegevensimport, Leerweg, MboInstelling, StudentenPerInstelling
from .basis import Lader, Voorbeeld, neem_dataset, telling_tekst, vorige_lading
from .lezen import Kolom, Waardefout, geheel_getal, instellingscode, jaartal, kort, nl_getal, normaliseer_naam
from .woongemeente import INSTELLINGSCODE_NAMEN

BRON = "DUO open onderwijsdata, Studenten per instelling (mbo), per leerweg"
BRON_URL = "https://onderwijsdata.duo.nl/"
LICENTIE = "CC BY 4.0 (DUO open onderwijsdata)"
MAX_SOM = 2_000_000_000

LEERWEG_KOLOMMEN = (
    Kolom("BBL", ("bbl",)),
    Kolom("BOLVT", ("bolvt", "bol vt", "bol voltijd")),
    Kolom("BOLDT", ("boldt", "bol dt", "bol deeltijd")),
    Kolom("EX", ("ex", "examendeelnemers", "examendeelnemer"), verplicht=False),
)


class StudentenPerInstellingLader(Lader):
    soort = Gegevensimport.Soort.STUDENTEN_INSTELLING
    titel = "DUO: studenten per instelling"
    kolommen = (
        Kolom("jaar", ("jaar", "peiljaar", "studiejaar")),
        Kolom("instellingscode", INSTELLINGSCODE_NAMEN),
        Kolom("instellingsnaam", ("instellingsnaam", "instellingsnaam actueel"), verplicht=False),
        *LEERWEG_KOLOMMEN,
    )

    def controleer(self, tabel):
        fouten = self.nieuwe_foutenlijst()
        instellingen = {
            code: (pk, naam)
            for pk, code, naam in MboInstelling.objects.exclude(instellingscode=None)
            .exclude(instellingscode="")
            .values_list("pk", "instellingscode", "naam")
        }
        leerwegen = [k.sleutel for k in LEERWEG_KOLOMMEN if tabel.heeft(k.sleutel)]
        gebruikt = {tabel.kolommen[k] for k in ("jaar", "instellingscode", *leerwegen)}
        if tabel.heeft("instellingsnaam"):
            gebruikt.add(tabel.kolommen["instellingsnaam"])
        overige = [i for i in range(len(tabel.koppen)) if i not in gebruikt]

        sommen = defaultdict(lambda: defaultdict(Aantal))  # (jaar, instelling_id) -> leerweg -> Aantal
        gezien = {}
        overgeslagen = 0
        for regel, cellen in tabel.rijen:
            waarde = partial(tabel.waarde, cellen)

            try:
                jaar = jaartal(waarde("jaar"))
            except Waardefout as fout:
                fouten.voeg_toe(regel, tabel.kop("jaar"), str(fout))
                continue
            if self.peiljaar and jaar != self.peiljaar:
                overgeslagen += 1
                continue
            foutief = False
            code = instellingscode(waarde("instellingscode"))
            instelling = instellingen.get(code)
            if instelling is None:
                foutief = True
                if not code:
                    fouten.voeg_toe(regel, tabel.kop("instellingscode"), "Geen instellingscode ingevuld.")
                else:
                    naam = waarde("instellingsnaam")
                    fouten.voeg_toe(
                        regel, tabel.kop("instellingscode"),
                        f"Instellingscode {kort(code, 20)}{' (' + naam[:60] + ')' if naam else ''} is onbekend. "
                        "Laad eerst het DUO-bestand 'Adressen mbo-instellingen' waarin deze instelling staat.",
                    )
            aantallen = {}
            for leerweg in leerwegen:
                try:
                    aantallen[leerweg] = Aantal(*geheel_getal(waarde(leerweg), onderdrukking_toegestaan=True))
                except Waardefout as fout:
                    foutief = True
                    fouten.voeg_toe(regel, tabel.kop(leerweg), str(fout))
            if foutief:
                continue
            sleutel = (jaar, code, tuple(normaliseer_naam(cellen[i]) if i < len(cellen) else "" for i in overige))
            if sleutel in gezien:
                fouten.voeg_toe(
                    regel, "",
                    f"Dubbele rij: instelling {code} in {jaar} staat met dezelfde gegevens ook op regel "
                    f"{gezien[sleutel]}.",
                )
                continue
            gezien[sleutel] = regel
            per_leerweg = sommen[(jaar, instelling[0])]
            for leerweg, aantal in aantallen.items():
                som = per_leerweg[leerweg] = per_leerweg[leerweg] + aantal
                # Each cell is at most 2 billion, their sum may not be: the database column would refuse it.
                if som.bekend > MAX_SOM:
                    fouten.voeg_toe(
                        regel, tabel.kop(leerweg),
                        f"De som over de locaties van {code} in {jaar} wordt onmogelijk groot "
                        f"({nl_getal(som.bekend)}).",
                    )

        self.stop_bij_fouten(fouten, tabel)
        if not sommen:
            fouten.voeg_toe(None, "", f"Het bestand bevat geen rijen voor peiljaar {self.peiljaar}.")
            self.stop_bij_fouten(fouten, tabel)
        rijen = defaultdict(dict)  # jaar -> (instelling_id, leerweg) -> (bekend, onderdrukt)
        for (jaar, instelling_id), per_leerweg in sommen.items():
            for leerweg, aantal in per_leerweg.items():
                rijen[jaar][(instelling_id, leerweg)] = (aantal.bekend, aantal.onderdrukt)
        return {
            "rijen": dict(rijen),
            "gelezen": len(tabel.rijen),
            "groepen": len(sommen),
            "overgeslagen": overgeslagen,
            "instellingen": {pk: (code, naam) for code, (pk, naam) in instellingen.items()},
            "leerwegen": leerwegen,
        }

    def voorbeeld(self, plan):
        vb = Voorbeeld(rijen_gelezen=plan["gelezen"], overgeslagen=plan["overgeslagen"])
        instellingen = plan["instellingen"]
        namen = dict(MboInstelling.objects.values_list("pk", "naam"))
        leerweg_label = dict(Leerweg.choices)

        def omschrijf(sleutel, waarde):
            instelling_id, leerweg = sleutel
            code = instellingen.get(instelling_id, ("", ""))[0]
            naam = namen.get(instelling_id, "?")
            soort = leerweg_label.get(leerweg, leerweg)
            return f"{naam}{' (' + code + ')' if code else ''} — {soort}: {Aantal(*waarde)}"

        totaal = {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": 0}
        for jaar in sorted(plan["rijen"]):
            nieuw_rijen = plan["rijen"][jaar]
            bestaand = {
                (i, lw): (a, o)
                for i, lw, a, o in StudentenPerInstelling.objects.filter(peiljaar=jaar).values_list(
                    "instelling_id", "leerweg", "aantal", "onderdrukt"
                )
            }
            nieuw = [(s, w) for s, w in nieuw_rijen.items() if s not in bestaand]
            gewijzigd = [(s, bestaand[s], w) for s, w in nieuw_rijen.items() if s in bestaand and bestaand[s] != w]
            ongewijzigd = sum(1 for s, w in nieuw_rijen.items() if bestaand.get(s) == w)
            verwijderd = [(s, w) for s, w in bestaand.items() if s not in nieuw_rijen]
            som = sum((Aantal(*w) for w in nieuw_rijen.values()), Aantal())
            aantal_instellingen = len({i for i, _ in nieuw_rijen})
            vb.peiljaren.append(jaar)
            vb.regels.append(
                f"Peiljaar {jaar}: {nl_getal(aantal_instellingen)} instellingen, "
                + telling_tekst(
                    len(nieuw), len(gewijzigd), len(verwijderd), ongewijzigd,
                    vorige=vorige_lading(Dataset.Soort.STUDENTEN_INSTELLING, jaar),
                )
                + f"; samen {som} studenten"
                + (f" ({som.toelichting})" if som.toelichting else "")
                + "."
            )
            vb.voorbeeldlijst(f"Nieuw in peiljaar {jaar}", (omschrijf(s, w) for s, w in nieuw[:20]), len(nieuw))
            vb.voorbeeldlijst(
                f"Gewijzigd in peiljaar {jaar}",
                (f"{omschrijf(s, n)} (was {Aantal(*o)})" for s, o, n in gewijzigd[:20]),
                len(gewijzigd),
            )
            vb.voorbeeldlijst(
                f"Verwijderd uit peiljaar {jaar}", (omschrijf(s, w) for s, w in verwijderd[:20]), len(verwijderd)
            )
            if any(lw == Leerweg.TOTAAL for _, lw in verwijderd):
                vb.waarschuwingen.append(
                    f"De totalen per instelling van peiljaar {jaar} uit de meegeleverde tabel worden vervangen door "
                    "de aantallen per leerweg uit dit bestand."
                )
            totaal["nieuw"] += len(nieuw)
            totaal["gewijzigd"] += len(gewijzigd)
            totaal["verwijderd"] += len(verwijderd)
            totaal["ongewijzigd"] += ongewijzigd
        vb.tellingen = totaal
        vb.rijen_geaccepteerd = plan["gelezen"] - plan["overgeslagen"]
        if vb.rijen_geaccepteerd > plan["groepen"]:
            vb.regels.append(
                f"{nl_getal(vb.rijen_geaccepteerd)} rijen uit het bestand zijn per instelling en jaar opgeteld tot "
                f"{nl_getal(plan['groepen'])} totalen per leerweg (rijen per locatie); onderdrukte aantallen blijven "
                "onderdrukte delen van de som."
            )
        if "EX" not in plan["leerwegen"]:
            vb.waarschuwingen.append("Het bestand heeft geen kolom EX (examendeelnemers); die worden niet geladen.")
        if plan["overgeslagen"]:
            vb.regels.append(
                f"{nl_getal(plan['overgeslagen'])} rijen van andere jaren dan {self.peiljaar} worden overgeslagen."
            )
        return vb

    def toepassen(self, plan, herkomst):
        aantal = 0
        for jaar, rijen in sorted(plan["rijen"].items()):
            dataset = neem_dataset(
                Dataset.Soort.STUDENTEN_INSTELLING, jaar, BRON, herkomst, licentie=LICENTIE, bron_url=BRON_URL,
                toelichting=(
                    "Aantallen per leerweg (BBL, BOL voltijd, BOL deeltijd, examendeelnemers), opgeteld over de "
                    "locaties van de instelling. Aantallen van 1 tot 4 zijn onderdrukt en tellen als bereik."
                ),
            )
            # All rows of the peiljaar go (also the shipped table's totals): a total next to the leerwegen
            # would count twice. The rows are summed per instelling and leerweg, a few hundred per year:
            # bulk_create writes them in one INSERT, so COPY (see kopieer.py) would gain nothing here.
            StudentenPerInstelling.objects.filter(peiljaar=jaar).delete()
            StudentenPerInstelling.objects.bulk_create(
                [
                    StudentenPerInstelling(
                        dataset=dataset, instelling_id=instelling_id, peiljaar=jaar, leerweg=leerweg,
                        aantal=bekend, onderdrukt=onderdrukt,
                    )
                    for (instelling_id, leerweg), (bekend, onderdrukt) in rijen.items()
                ],
                batch_size=5000,
            )
            aantal += len(rijen)
        return aantal
