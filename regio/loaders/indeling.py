"""The gemeente → doorstroompuntregio indeling, to replace the reconstructed mapping by the official one.

Every current gemeente must be in exactly one region of 1..40, or the file is rejected.
"""

import re
from functools import partial

from django.utils import timezone
from django.utils.formats import date_format

from ..models import Dataset, Doorstroompuntregio, Gegevensimport, Gemeente
from .basis import Lader, Voorbeeld, neem_dataset, telling_tekst, vorige_lading
from .lezen import Kolom, gemeentecode, kort, nl_getal, normaliseer_naam

BRON = "Indeling gemeenten in doorstroompuntregio's (RMC-regio's), aangeleverd door de beheerder"


class IndelingLader(Lader):
    soort = Gegevensimport.Soort.INDELING
    titel = "Indeling gemeente → doorstroompuntregio"
    kolommen = (
        Kolom("gemeentecode", ("gemeentecode", "gemeentenummer", "gemeente code", "code")),
        Kolom(
            "regio",
            ("regionummer", "regio nummer", "rmc regio nummer", "rmc regio code", "rmc regiocode", "rmc code",
             "doorstroompuntregio nummer", "doorstroompuntregio", "regio"),
        ),
        Kolom("gemeentenaam", ("gemeentenaam", "gemeente"), verplicht=False),
        Kolom("regionaam", ("regionaam", "regio naam", "rmc regio naam", "doorstroompuntregio naam"), verplicht=False),
    )

    def controleer(self, tabel):
        fouten = self.nieuwe_foutenlijst()
        waarschuwingen = []
        gemeenten = {g.code: g for g in Gemeente.objects.all()}
        regios = {r.nummer: r for r in Doorstroompuntregio.objects.all()}
        indeling = {}  # gemeente_id -> regio_id
        regel_van = {}
        genoemd = set()  # gemeenten named on some row, valid or not: not reported as missing as well
        for regel, cellen in tabel.rijen:
            waarde = partial(tabel.waarde, cellen)

            foutief = False
            ruw = waarde("gemeentecode")
            code = gemeentecode(ruw)
            gemeente = gemeenten.get(code) if code else None
            if gemeente is None:
                foutief = True
                if not ruw:
                    melding = "Geen gemeentecode ingevuld."
                elif code is None:
                    melding = f"'{ruw[:20]}' is geen gemeentecode (schrijf GM0014 of 0014)."
                else:
                    melding = f"Gemeentecode {code} is onbekend."
                fouten.voeg_toe(regel, tabel.kop("gemeentecode"), melding)
            elif not gemeente.actief:
                foutief = True
                fouten.voeg_toe(
                    regel, tabel.kop("gemeentecode"), f"Gemeente {gemeente.naam} ({code}) bestaat niet meer."
                )
            if gemeente is not None:
                genoemd.add(gemeente.pk)
            ruw_regio = waarde("regio")
            regio = None
            if not re.fullmatch(r"[0-9]{1,3}", ruw_regio):
                foutief = True
                fouten.voeg_toe(
                    regel, tabel.kop("regio"),
                    "Geen regionummer ingevuld." if not ruw_regio
                    else f"'{ruw_regio[:20]}' is geen regionummer (een getal van 1 tot en met 40).",
                )
            else:
                nummer = int(ruw_regio)
                regio = regios.get(nummer) if 1 <= nummer <= 40 else None
                if regio is None:
                    foutief = True
                    fouten.voeg_toe(
                        regel, tabel.kop("regio"),
                        f"Regio {ruw_regio} bestaat niet: regionummers lopen van 1 tot en met 40.",
                    )
            if foutief:
                continue
            if gemeente.pk in indeling:
                fouten.voeg_toe(
                    regel, tabel.kop("gemeentecode"),
                    f"Gemeente {gemeente.naam} ({gemeente.code}) staat ook op regel {regel_van[gemeente.pk]}: "
                    "elke gemeente hoort in precies één regio.",
                )
                continue
            indeling[gemeente.pk] = regio.pk
            regel_van[gemeente.pk] = regel
            naam = waarde("gemeentenaam")
            if naam and normaliseer_naam(naam) != normaliseer_naam(gemeente.naam):
                waarschuwingen.append(
                    f"Regel {regel}: {code} heet in het bestand '{kort(naam)}', in de toepassing '{gemeente.naam}' "
                    "(de code telt; de naam wordt niet gewijzigd)."
                )
            regionaam = waarde("regionaam")
            if regionaam and normaliseer_naam(regionaam) != normaliseer_naam(regio.naam):
                waarschuwingen.append(
                    f"Regel {regel}: regio {regio.nummer} heet in het bestand '{kort(regionaam)}', in de toepassing "
                    f"'{regio.naam}' (regionamen worden niet gewijzigd)."
                )
        for gemeente in sorted(gemeenten.values(), key=lambda g: g.code):
            if gemeente.actief and gemeente.pk not in genoemd:
                fouten.voeg_toe(
                    None, tabel.kop("gemeentecode"),
                    f"Gemeente {gemeente.naam} ({gemeente.code}) ontbreekt: elke gemeente moet in precies één "
                    "regio staan.",
                )
        self.stop_bij_fouten(fouten, tabel)
        # Several rows of one region name it differently only once per region in the warnings.
        gezien, uniek = set(), []
        for tekst in waarschuwingen:
            sleutel = re.sub(r"^Regel [0-9]+: ", "", tekst)
            if sleutel not in gezien:
                gezien.add(sleutel)
                uniek.append(tekst)
        return {"indeling": indeling, "gelezen": len(tabel.rijen), "waarschuwingen": uniek}

    def voorbeeld(self, plan):
        vb = Voorbeeld(rijen_gelezen=plan["gelezen"], rijen_geaccepteerd=len(plan["indeling"]))
        gemeenten = {g.pk: g for g in Gemeente.objects.all()}
        regios = {r.pk: r for r in Doorstroompuntregio.objects.select_related("contactgemeente")}
        verhuist = [(g, gemeenten[g].regio_id, r) for g, r in plan["indeling"].items() if gemeenten[g].regio_id != r]
        ongewijzigd = len(plan["indeling"]) - len(verhuist)
        vb.tellingen = {"nieuw": 0, "gewijzigd": len(verhuist), "verwijderd": 0, "ongewijzigd": ongewijzigd}
        vb.regels.append(
            f"{nl_getal(len(plan['indeling']))} gemeenten in {len(set(plan['indeling'].values()))} regio's: "
            + telling_tekst(0, len(verhuist), 0, ongewijzigd, eenheid="gemeenten",
                            vorige=vorige_lading(Dataset.Soort.INDELING, 0, "de huidige indeling"))
            + "."
        )

        def regio_tekst(pk):
            return f"regio {regios[pk].nummer} ({regios[pk].naam})" if pk in regios else "geen regio"

        vb.voorbeeldlijst(
            "Gemeenten die naar een andere regio gaan",
            (f"{gemeenten[g].naam} ({gemeenten[g].code}): {regio_tekst(oud)} → {regio_tekst(nieuw)}"
             for g, oud, nieuw in sorted(verhuist, key=lambda v: gemeenten[v[0]].naam)),
            len(verhuist),
        )
        leeg = sorted(r.nummer for r in regios.values() if r.pk not in set(plan["indeling"].values()))
        if leeg:
            vb.waarschuwingen.append(
                f"Regio's zonder gemeenten na het laden: {', '.join(str(n) for n in leeg)}."
            )
        for regio in regios.values():
            contact = regio.contactgemeente
            if contact and plan["indeling"].get(contact.pk) != regio.pk:
                vb.waarschuwingen.append(
                    f"De contactgemeente van regio {regio.nummer}, {contact.naam}, ligt na het laden niet meer in die "
                    "regio; de contactgemeente wordt leeggemaakt. Stel daarna een nieuwe in."
                )
        vb.waarschuwingen.extend(plan["waarschuwingen"][:50])
        if len(plan["waarschuwingen"]) > 50:
            vb.waarschuwingen.append(f"… en nog {len(plan['waarschuwingen']) - 50} verschillen in namen.")
        return vb

    def toepassen(self, plan, herkomst):
        toelichting = "Vervangt de gereconstrueerde indeling die met de toepassing wordt meegeleverd."
        if self.peiljaar:
            toelichting += f" Geldig voor {self.peiljaar}."
        # Peiljaar 0: the shipped loader leaves this dataset (and so the indeling) alone from now on.
        neem_dataset(Dataset.Soort.INDELING, 0, BRON, herkomst, toelichting=toelichting)
        gemeenten = list(Gemeente.objects.filter(pk__in=plan["indeling"]))
        gewijzigd = []
        for gemeente in gemeenten:
            nieuw = plan["indeling"][gemeente.pk]
            if gemeente.regio_id != nieuw:
                gemeente.regio_id = nieuw
                gewijzigd.append(gemeente)
        Gemeente.objects.bulk_update(gewijzigd, ["regio"], batch_size=500)
        # A contactgemeente outside its region is no contactgemeente any more.
        moment = date_format(timezone.localdate(), "j F Y")
        for regio in Doorstroompuntregio.objects.filter(contactgemeente__isnull=False):
            if plan["indeling"].get(regio.contactgemeente_id) != regio.pk:
                regio.contactgemeente = None
                regio.contactgemeente_bron = (
                    f"beheerder: {herkomst.gebruiker or 'onbekend'}, {moment}: leeggemaakt omdat de vorige "
                    "contactgemeente volgens de nieuwe indeling niet meer in deze regio ligt"
                )[:300]
                regio.save(update_fields=["contactgemeente", "contactgemeente_bron"])
        return len(gewijzigd)
