"""Demo financing for the agreements afspraken.demo created in this run (volgorde 50).

- Friesland Noord (Sterk in Firda): kostenposten per year in the three categories, geldstromen (Zvw from
  the zorgverzekeraar, lumpsum Firda, AU and Wmo of the gemeenten, the SPUK), collective
  beschikbaarheidsfinanciering, and the verdeelsleutel ⅓ Firda / ⅓ zorgverzekeraar / ⅓ the region's
  gemeenten by inwoners (CBS). The yearly totals are multiples of three cents, so each third is exact.
- Achterhoek (Loopbaanplein): kostenposten, geldstromen, and 87% Graafschap College / 13% the nine
  gemeenten of the region by students per woongemeente (DUO, here the synthetic demo counts).
- Twente: kostenposten only; the verdeling is still to be agreed (an actie in Verkennen).
- Flevoland (Studentsteunpunt, signed at load time): kostenposten, geldstromen (lumpsum, Wmo, Jeugdwet,
  SPUK), beschikbaarheidsfinanciering, and a layered verdeling: the gemeenten outside the region where many
  students live pay € 40 per student per year first; the rest is split 40% ROC Flevoland / 60% the five
  gemeenten of the region by students per woongemeente (the synthetic demo counts).

Written through the section API (afspraken.demo), validated by the forms the user gets, with history.
"""

from django.utils import translation

from accounts.demo import DEMO_PARTNER
from afspraken import demo as afsprakendemo
from afspraken.demo import schrijf, voeg_toe
from afspraken.models import Partij

from .onderdelen import BEKOSTIGING, GELDSTROMEN, KOSTENPOSTEN, VERDEELSLEUTEL


def kostenpost(demo, gebruiker, categorie, omschrijving, bedragen, verdelen=True):
    """`bedragen`: {jaar: "12.500,00"} as a person types them."""
    waarden = {"categorie": categorie, "omschrijving": omschrijving, "verdelen": verdelen}
    waarden.update({f"bedrag_{jaar}": bedrag for jaar, bedrag in bedragen.items()})
    return voeg_toe(demo.afspraak, KOSTENPOSTEN, waarden, gebruiker)


def geldstroom(demo, gebruiker, bron, omschrijving, van, duur, karakter, bedrag=""):
    return voeg_toe(demo.afspraak, GELDSTROMEN, {
        "bron": bron, "omschrijving": omschrijving, "van": van, "duur": duur, "karakter": karakter,
        "bedrag_per_jaar": bedrag,
    }, gebruiker)


def verdeelgroep(demo, gebruiker, naam, aandeel, methode, leden, toelichting="", bedrag_per_student=""):
    waarden = {
        "naam": naam, "aandeel": aandeel, "methode": methode, "peiljaar": "", "bedrag_per_student": bedrag_per_student,
        "toelichting": toelichting,
    }
    waarden.update({f"lid_{partij.pk}": True for partij in leden})
    return voeg_toe(demo.afspraak, VERDEELSLEUTEL, waarden, gebruiker)


def _per_jaar(*bedragen):
    return dict(zip(range(2026, 2030), bedragen, strict=True))


def _friesland(demo):
    gemeente = demo.auteurs[0]
    firda, leeuwarden = demo.partij("Firda"), demo.partij("Gemeente Leeuwarden")
    zorgverzekeraar = demo.partij(DEMO_PARTNER)

    kostenpost(demo, gemeente, "extra_ondersteuning", "Aanvullend schoolmaatschappelijk werk en wijkcoaches op school",
               _per_jaar("420.000,00", "432.000,00", "444.000,00", "456.000,00"))
    kostenpost(demo, gemeente, "extra_ondersteuning", "De Pitstop: trajectbegeleiding",
               _per_jaar("150.000,00", "150.000,00", "150.000,00", "150.000,00"))
    kostenpost(demo, gemeente, "extra_ondersteuning", "Multidisciplinair team (betaald uit de SPUK, niet verdeeld)",
               _per_jaar("120.000,00", "120.000,00", "120.000,00", "120.000,00"), verdelen=False)
    kostenpost(demo, gemeente, "transitie", "Procesbegeleiding doorstroompuntregio (tijdelijk)",
               _per_jaar("60.000,00", "30.000,00", "0,00", "0,00"))
    kostenpost(demo, gemeente, "vaste_kosten", "Programmaregie en inkoop Sterk in Firda",
               _per_jaar("75.000,00", "75.000,00", "75.000,00", "75.000,00"))

    geldstroom(demo, gemeente, "zvw", "Bijdrage van de zorgverzekeraar aan Sterk in Firda", zorgverzekeraar,
               "structureel", "bestaand", "230.000,00")
    geldstroom(demo, gemeente, "lumpsum", "Lumpsum en middelen passend onderwijs van Firda", firda,
               "structureel", "bestaand", "230.000,00")
    geldstroom(demo, gemeente, "au", "Gemeentelijk deel uit de Algemene Uitkering, naar inwoners", leeuwarden,
               "structureel", "bestaand", "180.000,00")
    geldstroom(demo, gemeente, "wmo", "Wmo-budget van de wijkteams (wijkcoaches op school)", leeuwarden,
               "structureel", "aanvullend", "50.000,00")
    geldstroom(demo, gemeente, "spuk", "SPUK doorstroompuntregio Friesland Noord", leeuwarden,
               "tijdelijk", "aanvullend", "120.000,00")

    schrijf(demo.afspraak, BEKOSTIGING, {
        "systematiek": "beschikbaarheid",
        "toelichting": "Het aanbod is licht en preventief en staat op de locaties voor alle studenten klaar: de "
                       "partijen betalen de beschikbaarheid, ongeacht het gebruik. Afrekening jaarlijks op de "
                       "begroting.",
    }, gemeente)

    verdeelgroep(demo, gemeente, "Firda", "1/3", "gelijk", [firda], "Uit de lumpsum en passend onderwijs")
    verdeelgroep(demo, gemeente, "Zorgverzekeraar", "1/3", "gelijk", [zorgverzekeraar], "Uit de Zvw")
    verdeelgroep(demo, gemeente, "Gemeenten Friesland Noord", "1/3", "inwoners", demo.gemeenten_in_regio(),
                 "Naar rato van het aantal inwoners")


def _achterhoek(demo):
    auteur = demo.auteur
    graafschap, doetinchem = demo.partij("Graafschap college"), demo.partij("Gemeente Doetinchem")

    kostenpost(demo, auteur, "extra_ondersteuning", "Loopbaanplein: loopbaanadviseurs en schoolmaatschappelijk werk",
               _per_jaar("310.000,00", "318.000,00", "326.000,00", "334.000,00"))
    kostenpost(demo, auteur, "vaste_kosten", "Afstemming en subsidieverlening gemeenten",
               _per_jaar("20.000,00", "20.000,00", "20.000,00", "20.000,00"))
    geldstroom(demo, auteur, "lumpsum", "Lumpsum en passend onderwijs van het Graafschap College", graafschap,
               "structureel", "bestaand")
    geldstroom(demo, auteur, "jeugdwet", "Subsidies van de negen gemeenten, naar studenten", doetinchem,
               "tijdelijk", "bestaand")
    verdeelgroep(demo, auteur, "Graafschap College", "87%", "gelijk", [graafschap])
    verdeelgroep(demo, auteur, "Achterhoekse gemeenten", "13%", "studenten", demo.gemeenten_in_regio(),
                 "Naar rato van het aantal studenten per woongemeente")


def _twente(demo):
    auteur = demo.auteur
    kostenpost(demo, auteur, "extra_ondersteuning", "Schoolmaatschappelijk werk, gedetacheerd (1,3 fte)",
               _per_jaar("112.000,00", "115.000,00", "118.000,00", "121.000,00"))
    kostenpost(demo, auteur, "extra_ondersteuning", "Loopbaancentrum ROC van Twente",
               _per_jaar("540.000,00", "550.000,00", "560.000,00", "570.000,00"))


def _flevoland(demo):
    auteur = demo.auteur
    roc, almere = demo.partij("ROC Flevoland"), demo.partij("Gemeente Almere")

    kostenpost(demo, auteur, "extra_ondersteuning",
               "Studentsteunpunt: coaches en aanvullend schoolmaatschappelijk werk",
               _per_jaar("360.000,00", "369.000,00", "378.000,00", "387.000,00"))
    kostenpost(demo, auteur, "extra_ondersteuning", "Jongerenwerk op de locaties",
               _per_jaar("96.000,00", "118.000,00", "118.000,00", "118.000,00"))
    kostenpost(demo, auteur, "extra_ondersteuning", "GGZ-consulenten op school (betaald uit de SPUK, niet verdeeld)",
               _per_jaar("110.000,00", "110.000,00", "110.000,00", "110.000,00"), verdelen=False)
    kostenpost(demo, auteur, "transitie", "Kwartiermaker doorstroompuntregio (tijdelijk)",
               _per_jaar("45.000,00", "20.000,00", "0,00", "0,00"))
    kostenpost(demo, auteur, "vaste_kosten", "Regiocoördinatie en monitoring",
               _per_jaar("55.000,00", "55.000,00", "55.000,00", "55.000,00"))

    geldstroom(demo, auteur, "lumpsum", "Lumpsum en middelen passend onderwijs van ROC Flevoland", roc,
               "structureel", "bestaand", "260.000,00")
    geldstroom(demo, auteur, "wmo", "Wmo-budgetten van de gemeenten (jongerenwerk en sociale teams)", almere,
               "structureel", "bestaand", "150.000,00")
    geldstroom(demo, auteur, "jeugdwet", "Jeugdwet-budgetten van de gemeenten, voor studenten tot 18 jaar", almere,
               "structureel", "aanvullend", "60.000,00")
    geldstroom(demo, auteur, "spuk", "SPUK doorstroompuntregio Flevoland", almere,
               "tijdelijk", "aanvullend", "110.000,00")

    schrijf(demo.afspraak, BEKOSTIGING, {
        "systematiek": "beschikbaarheid",
        "toelichting": "Het Studentsteunpunt staat op elke locatie klaar voor alle studenten: de partijen betalen de "
                       "beschikbaarheid, ongeacht het gebruik. Almere int de bijdragen en rekent jaarlijks af.",
    }, auteur)

    buiten = demo.van_rol(Partij.Rol.GEMEENTE_BUITEN)
    if buiten:
        verdeelgroep(demo, auteur, "Gemeenten buiten de regio", "", "per_student", buiten,
                     "Een vast bedrag per student die in de gemeente woont", bedrag_per_student="40,00")
    verdeelgroep(demo, auteur, "ROC Flevoland", "40%", "gelijk", [roc], "Uit de lumpsum en passend onderwijs")
    verdeelgroep(demo, auteur, "Gemeenten Flevoland", "60%", "studenten", demo.gemeenten_in_regio(),
                 "Naar rato van het aantal studenten per woongemeente")


PER_REGIO = {
    afsprakendemo.FRIESLAND_NOORD: _friesland,
    afsprakendemo.ACHTERHOEK: _achterhoek,
    afsprakendemo.TWENTE: _twente,
    afsprakendemo.FLEVOLAND: _flevoland,
}


def laad_financiering(verslag):
    with translation.override("nl"):
        delen = []
        for nummer, demo in afsprakendemo.demo_afspraken(verslag).items():
            if nummer in PER_REGIO:
                PER_REGIO[nummer](demo)
                delen.append(demo.afspraak.regio.naam)
        if delen:
            verslag.meld("Financiering (kostenposten, geldstromen, verdeelsleutel) voor de demo-afspraken van "
                         + ", ".join(delen) + ".")


laad_financiering.volgorde = 50
