"""CBS inwoners per gemeente: the canonical CSV (gemeentecode, inwoners, peiljaar) or a StatLine export
with a regions column ("Regio's": names or codes) and a population column."""

import re
from collections import defaultdict
from functools import partial

from ..models import Dataset, Gegevensimport, Gemeente, Inwonertal
from .basis import Lader, Voorbeeld, neem_dataset, telling_tekst, vorige_lading
from .lezen import Kolom, Waardefout, geheel_getal, gemeentecode, jaartal, nl_getal, normaliseer_naam

BRON = "CBS, bevolking op 1 januari per gemeente"
BRON_URL = "https://opendata.cbs.nl/statline/"
LICENTIE = "CC BY 4.0 (Bron: CBS)"

_NIET_BEVOLKING = ("dichtheid", "per km", "mannen", "vrouwen", "leeftijd", "jaar", "%", "relatief", "groei",
                   "geboren", "overleden", "huishouden", "gemiddeld")


def _is_bevolkingskolom(kop):
    return ("bevolking" in kop or "inwoners" in kop) and not any(woord in kop for woord in _NIET_BEVOLKING)


# StatLine regions that are not a gemeente: Nederland, landsdelen, provincies, COROP-gebieden.
_GEEN_GEMEENTE_CODE = re.compile(r"(NL|LD|PV|CR)[0-9]*", re.IGNORECASE)
_GEEN_GEMEENTE_NAAM = re.compile(r"^nederland$|\((pv|ld|cr|corop|provincie|landsdeel)\)$")
_GEMEENTE_ACHTERVOEGSEL = re.compile(r"\s*\(gemeente\)$")
_ACHTERVOEGSEL = re.compile(r"\s*\([^()]*\)$")


class InwonersLader(Lader):
    soort = Gegevensimport.Soort.INWONERS
    titel = "CBS: inwoners per gemeente"
    kolommen = (
        Kolom(
            "gemeente",
            ("gemeentecode", "regiocode", "codering", "regio's", "regios", "regio", "gemeente", "gemeentenaam",
             "gemeenten"),
        ),
        Kolom(
            "inwoners",
            ("inwoners", "aantal inwoners", "aantal", "bevolking", "totale bevolking",
             "bevolking op 1 januari (aantal)", "totale bevolking (aantal)"),
            past=_is_bevolkingskolom,
        ),
        Kolom("peiljaar", ("peiljaar", "perioden", "periode", "jaar"), verplicht=False),
    )

    def controleer(self, tabel):
        fouten = self.nieuwe_foutenlijst()
        if not tabel.heeft("peiljaar") and not self.peiljaar:
            fouten.voeg_toe(
                tabel.kopregel, "PEILJAAR",
                "Het bestand heeft geen kolom peiljaar of Perioden: neem die op of geef het peiljaar op bij het laden.",
            )
            self.stop_bij_fouten(fouten, tabel)
        gemeenten = list(Gemeente.objects.all())
        per_code = {g.code: g for g in gemeenten}
        per_naam = {normaliseer_naam(g.naam): g for g in gemeenten}
        per_kortere_naam = defaultdict(list)
        for g in gemeenten:
            per_kortere_naam[normaliseer_naam(_ACHTERVOEGSEL.sub("", g.naam))].append(g)

        def zoek_op_naam(naam):
            sleutel = normaliseer_naam(naam)
            if sleutel in per_naam:
                return per_naam[sleutel]
            sleutel = _GEMEENTE_ACHTERVOEGSEL.sub("", sleutel)
            if sleutel in per_naam:
                return per_naam[sleutel]
            # StatLine writes "Hengelo (O.)" where the CBS map layer writes "Hengelo".
            kandidaten = per_kortere_naam.get(_ACHTERVOEGSEL.sub("", sleutel), [])
            return kandidaten[0] if len(kandidaten) == 1 else None

        rijen = defaultdict(dict)  # jaar -> gemeente_id -> inwoners
        regel_van = {}
        overgeslagen_jaar = 0
        geen_gemeente = 0
        for regel, cellen in tabel.rijen:
            waarde = partial(tabel.waarde, cellen)

            regio = waarde("gemeente")
            # A StatLine footer ("Bron: CBS") or a region that is no gemeente is not a data row.
            if regio.lower().startswith(("bron:", "bron ", "©")) and not waarde("inwoners"):
                continue
            if _GEEN_GEMEENTE_CODE.fullmatch(regio) or _GEEN_GEMEENTE_NAAM.search(normaliseer_naam(regio)):
                geen_gemeente += 1
                continue
            if tabel.heeft("peiljaar"):
                try:
                    jaar = jaartal(waarde("peiljaar"))
                except Waardefout as fout:
                    fouten.voeg_toe(regel, tabel.kop("peiljaar"), str(fout))
                    continue
            else:
                jaar = self.peiljaar
            if self.peiljaar and jaar != self.peiljaar:
                overgeslagen_jaar += 1
                continue
            foutief = False
            if not regio:
                fouten.voeg_toe(regel, tabel.kop("gemeente"), "Geen gemeente ingevuld.")
                foutief = True
                gemeente = None
            else:
                code = gemeentecode(regio)
                gemeente = per_code.get(code) if code else zoek_op_naam(regio)
                if gemeente is None:
                    foutief = True
                    fouten.voeg_toe(
                        regel, tabel.kop("gemeente"),
                        f"Gemeentecode {code} is onbekend." if code else f"Gemeente '{regio[:60]}' is onbekend.",
                    )
            try:
                inwoners, _ = geheel_getal(waarde("inwoners"), veldnaam="aantal inwoners")
            except Waardefout as fout:
                foutief = True
                fouten.voeg_toe(regel, tabel.kop("inwoners"), str(fout))
            if foutief:
                continue
            if gemeente.pk in rijen[jaar]:
                fouten.voeg_toe(
                    regel, tabel.kop("gemeente"),
                    f"Gemeente {gemeente.naam} ({gemeente.code}) staat voor {jaar} ook op regel "
                    f"{regel_van[(jaar, gemeente.pk)]}.",
                )
                continue
            rijen[jaar][gemeente.pk] = inwoners
            regel_van[(jaar, gemeente.pk)] = regel
        self.stop_bij_fouten(fouten, tabel)
        if not rijen:
            fouten.voeg_toe(None, "", "Het bestand bevat geen inwonertallen van gemeenten"
                            + (f" voor peiljaar {self.peiljaar}." if self.peiljaar else "."))
            self.stop_bij_fouten(fouten, tabel)
        return {
            "rijen": dict(rijen), "gelezen": len(tabel.rijen), "overgeslagen": overgeslagen_jaar,
            "geen_gemeente": geen_gemeente,
        }

    def voorbeeld(self, plan):
        vb = Voorbeeld(rijen_gelezen=plan["gelezen"], overgeslagen=plan["overgeslagen"] + plan["geen_gemeente"])
        gemeenten = {g.pk: g for g in Gemeente.objects.all()}
        actief = {pk for pk, g in gemeenten.items() if g.actief}
        totaal = {"nieuw": 0, "gewijzigd": 0, "verwijderd": 0, "ongewijzigd": 0}
        for jaar in sorted(plan["rijen"]):
            nieuw_rijen = plan["rijen"][jaar]
            bestaand = dict(Inwonertal.objects.filter(peiljaar=jaar).values_list("gemeente_id", "aantal"))
            nieuw = [(g, a) for g, a in nieuw_rijen.items() if g not in bestaand]
            gewijzigd = [(g, bestaand[g], a) for g, a in nieuw_rijen.items() if g in bestaand and bestaand[g] != a]
            ongewijzigd = sum(1 for g, a in nieuw_rijen.items() if bestaand.get(g) == a)
            verwijderd = [(g, a) for g, a in bestaand.items() if g not in nieuw_rijen]
            vb.peiljaren.append(jaar)
            vb.regels.append(
                f"Peiljaar {jaar}: {nl_getal(len(nieuw_rijen))} gemeenten, samen {nl_getal(sum(nieuw_rijen.values()))} "
                "inwoners; "
                + telling_tekst(
                    len(nieuw), len(gewijzigd), len(verwijderd), ongewijzigd, eenheid="inwonertallen",
                    vorige=vorige_lading(Dataset.Soort.INWONERS, jaar),
                )
                + "."
            )
            vb.voorbeeldlijst(
                f"Nieuw in peiljaar {jaar}",
                (f"{gemeenten[g].naam} ({gemeenten[g].code}): {nl_getal(a)}" for g, a in nieuw[:20]), len(nieuw),
            )
            vb.voorbeeldlijst(
                f"Gewijzigd in peiljaar {jaar}",
                (f"{gemeenten[g].naam}: {nl_getal(o)} → {nl_getal(n)}" for g, o, n in gewijzigd[:20]), len(gewijzigd),
            )
            vb.voorbeeldlijst(
                f"Verwijderd uit peiljaar {jaar}",
                (f"{gemeenten[g].naam}: {nl_getal(a)}" for g, a in verwijderd[:20]), len(verwijderd),
            )
            ontbreekt = sorted(gemeenten[g].naam for g in actief - set(nieuw_rijen))
            if ontbreekt:
                vb.waarschuwingen.append(
                    f"{nl_getal(len(ontbreekt))} gemeenten staan niet in het bestand voor {jaar} en hebben na het "
                    f"laden geen inwonertal voor dat jaar: {', '.join(ontbreekt[:10])}"
                    f"{' …' if len(ontbreekt) > 10 else ''}."
                )
            totaal["nieuw"] += len(nieuw)
            totaal["gewijzigd"] += len(gewijzigd)
            totaal["verwijderd"] += len(verwijderd)
            totaal["ongewijzigd"] += ongewijzigd
        vb.tellingen = totaal
        vb.rijen_geaccepteerd = sum(len(r) for r in plan["rijen"].values())
        if plan["geen_gemeente"]:
            vb.regels.append(
                f"{nl_getal(plan['geen_gemeente'])} rijen voor Nederland, landsdelen, provincies of COROP-gebieden "
                "worden overgeslagen."
            )
        if plan["overgeslagen"]:
            vb.regels.append(
                f"{nl_getal(plan['overgeslagen'])} rijen van andere jaren dan {self.peiljaar} worden overgeslagen."
            )
        return vb

    def toepassen(self, plan, herkomst):
        aantal = 0
        for jaar, rijen in sorted(plan["rijen"].items()):
            dataset = neem_dataset(Dataset.Soort.INWONERS, jaar, BRON, herkomst, licentie=LICENTIE, bron_url=BRON_URL)
            Inwonertal.objects.filter(peiljaar=jaar).delete()
            Inwonertal.objects.bulk_create(
                [
                    Inwonertal(dataset=dataset, gemeente_id=gemeente_id, peiljaar=jaar, aantal=inwoners)
                    for gemeente_id, inwoners in rijen.items()
                ],
                batch_size=5000,
            )
            aantal += len(rijen)
        return aantal
