"""The financing sections on the Vormgeven page (fase 3), registered from FinancieringConfig.ready()."""

from afspraken import secties
from afspraken.models import Fase

from . import berekening
from .formulieren import BekostigingFormulier, GeldstroomFormulier, KostenpostFormulier, VerdeelgroepFormulier
from .models import Geldstroom, Kostenpost, Verdeelgroep
from .verdeling import euro, lees_aandeel, naar_centen, procent

KOSTENPOSTEN = "vormgeven-financiering-kostenposten"
GELDSTROMEN = "vormgeven-financiering-geldstromen"
BEKOSTIGING = "vormgeven-financiering-bekostiging"
VERDEELSLEUTEL = "vormgeven-financiering-verdeelsleutel"


class KostenpostSectie(secties.Rijensectie):
    def momentopname(self, formulier, rij):
        uitkomst = super().momentopname(formulier, rij)
        for jaar in getattr(formulier, "jaren", []):
            centen = rij.bedrag(jaar)
            uitkomst[str(formulier.fields[f"bedrag_{jaar}"].label)] = "" if centen is None else euro(centen)
        buiten = [j for j in rij.jaren_buiten(getattr(formulier, "jaren", []))]
        if buiten:
            uitkomst["Bedragen buiten de looptijd"] = ", ".join(f"{j}: {euro(rij.bedrag(j))}" for j in buiten)
        return uitkomst

    def extra_context(self, afspraak, gegevens):
        return {"kosten": berekening.kostenoverzicht(afspraak, gegevens)}


class GeldstroomSectie(secties.Rijensectie):
    def momentopname(self, formulier, rij):
        uitkomst = super().momentopname(formulier, rij)
        label = str(formulier.fields["bedrag_per_jaar"].label)
        uitkomst[label] = "" if rij.bedrag_per_jaar is None else euro(naar_centen(rij.bedrag_per_jaar))
        return uitkomst

    def extra_context(self, afspraak, gegevens):
        stromen = berekening.geldstromen(berekening.gegevens_voor(afspraak, gegevens))
        return {
            "aantal_structureel": sum(1 for g in stromen if g.duur == Geldstroom.Duur.STRUCTUREEL),
            "aantal_geldstromen": len(stromen),
        }


class VerdeelsleutelSectie(secties.Rijensectie):
    def momentopname(self, formulier, rij):
        uitkomst = {}
        for naam in formulier.fields:
            if naam.startswith(("lid_", "pct_")):
                continue
            waarde = getattr(rij, naam, None)
            uitkomst[str(formulier.fields[naam].label)] = secties.weergave(formulier, naam, waarde)
        if rij.peiljaar and rij.peiljaar not in dict(formulier.fields["peiljaar"].choices):
            # As the form of this row itself offers it (VerdeelgroepFormulier): the form may be another row's.
            uitkomst[str(formulier.fields["peiljaar"].label)] = f"{rij.peiljaar} (niet meer geladen)"
        if rij.bedrag_per_student is not None:
            uitkomst[str(formulier.fields["bedrag_per_student"].label)] = euro(naar_centen(rij.bedrag_per_student))
        namen = {p.pk: str(p) for p in getattr(formulier, "partijen", [])}
        leden = [namen.get(int(pk), f"partij {pk} (niet meer aan tafel)") for pk in rij.leden or []]
        uitkomst["Partijen"] = ", ".join(sorted(leden, key=str.casefold))
        if rij.percentages:
            delen = []
            for pk, tekst in rij.percentages.items():
                try:
                    pct = procent(lees_aandeel(tekst))
                except ValueError:
                    pct = tekst
                delen.append(f"{namen.get(int(pk), f'partij {pk}')} {pct}")
            uitkomst["Percentages"] = ", ".join(sorted(delen, key=str.casefold))
        return uitkomst

    def extra_context(self, afspraak, gegevens):
        gegevens = berekening.gegevens_voor(afspraak, gegevens)
        groepen = berekening.verdeelgroepen(gegevens)
        aandelen = [g.aandeel_breuk for g in groepen if not g.is_per_student]
        som = sum((a for a in aandelen if a is not None), 0)
        return {
            "berekening": berekening.bereken(afspraak, gegevens),
            "som_aandelen": procent(som) if aandelen else "",
            "aandelen_kloppen": bool(aandelen) and som == 1,
        }


def registreer_onderdelen():
    secties.registreer(
        KostenpostSectie(
            sleutel=KOSTENPOSTEN,
            fase=Fase.VORMGEVEN,
            titel="Financiering: kostenposten",
            volgorde=80,
            inleiding=(
                "Welke kosten brengt de afspraak mee, per jaar van de looptijd? Drie categorieën: het extra "
                "ondersteuningsaanbod (personele inzet van ondersteuners, de grootste en variabele post), "
                "transitiekosten (een procesbegeleider, tijdelijk; een inkooporganisatie opzetten of uitbreiden) en "
                "de vaste kosten van de samenwerking (beleidsmedewerkers en inkopers)."
            ),
            feiten_template="financiering/secties/_feiten_kosten.html",
            template="financiering/secties/kostenposten.html",
            model=Kostenpost,
            formulier_klasse=KostenpostFormulier,
            rij_naam="kostenpost",
            toevoegen_tekst="Kostenpost toevoegen",
            basisafspraken=(3, 12),
        )
    )
    secties.registreer(
        GeldstroomSectie(
            sleutel=GELDSTROMEN,
            fase=Fase.VORMGEVEN,
            titel="Financiering: geldstromen",
            volgorde=82,
            inleiding=(
                "Uit welke budgetten wordt betaald? Bijvoorbeeld de SPUK via de contactgemeente, de lumpsum of de "
                "Algemene Uitkering, Jeugdwet, Wmo, Participatiewet, Zorgverzekeringswet, projectsubsidies of "
                "fondsen. Per geldstroom: structureel of tijdelijk, bestaand of aanvullend. Binnen de partijen "
                "bepaalt elke partij zelf uit welk budget zij betaalt."
            ),
            feiten_template="financiering/secties/_feiten_geldstromen.html",
            template="financiering/secties/geldstromen.html",
            model=Geldstroom,
            formulier_klasse=GeldstroomFormulier,
            rij_naam="geldstroom",
            toevoegen_tekst="Geldstroom toevoegen",
            select_related=("van__organisatie",),
            basisafspraken=(2, 3),
        )
    )
    secties.registreer(
        secties.Tekstsectie(
            sleutel=BEKOSTIGING,
            fase=Fase.VORMGEVEN,
            titel="Financiering: bekostigingssystematiek",
            volgorde=84,
            inleiding=(
                "Hoe wordt het aanbod betaald: per traject of product (individueel, p × q), of collectief voor "
                "de beschikbaarheid of voor de hele doelgroep?"
            ),
            feiten_template="financiering/secties/_feiten_link.html",
            formulier_klasse=BekostigingFormulier,
        )
    )
    secties.registreer(
        VerdeelsleutelSectie(
            sleutel=VERDEELSLEUTEL,
            fase=Fase.VORMGEVEN,
            titel="Financiering: verdeelsleutel",
            volgorde=86,
            inleiding=(
                "Wie betaalt welk deel? Een verdeling is vaak gelaagd: eerst vaste aandelen tussen groepen "
                "partijen (bijvoorbeeld ⅓ mbo-instelling, ⅓ zorgverzekeraar, ⅓ gemeenten, of 87% instelling en "
                "13% gemeenten), daarna binnen een groep naar inwoners, naar studenten per woongemeente, in gelijke "
                "delen of in vaste percentages. Een groep kan ook een vast bedrag per student per jaar betalen. "
                "Maak per groep een regel."
            ),
            feiten_template="financiering/secties/_feiten_verdeling.html",
            template="financiering/secties/verdeelsleutel.html",
            velden_template="financiering/secties/_velden.html",
            model=Verdeelgroep,
            formulier_klasse=VerdeelgroepFormulier,
            rij_naam="groep",
            toevoegen_tekst="Groep toevoegen",
            basisafspraken=(12,),
        )
    )
