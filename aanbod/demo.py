"""Demo aanbod for the agreements afspraken.demo created in this run (volgorde 50).

Friesland Noord: aanbod on all five levels of the continuüm (Sterk in Firda, with De Pitstop as the
tijdelijk traject), personele inzet and warme overdracht. Twente: the Loopbaancentrum of ROC van Twente
(± 5 gesprekken per student), Tactus and Mediant, and schoolmaatschappelijk werk detached by the three
centrumgemeenten (1,3 fte). Achterhoek: the Loopbaanplein of the Graafschap College. Flevoland (signed at
load time): the Studentsteunpunt of ROC Flevoland on all five levels, jongerenwerk of the gemeenten and the
GGZ-consulent of the invented partner GGZ Jong Flevoland.

Written through the section API (afspraken.demo.voeg_toe), so every row is validated by the form the user
gets and recorded in the history. Agreements that existed before this run are never touched.
"""

from django.utils import translation

from accounts.demo import DEMO_PARTNER
from afspraken import demo as afsprakendemo
from afspraken.demo import voeg_toe
from regio.demo import DemoFout

from .models import Aanbodvorm
from .onderdelen import SLEUTEL_AANBOD, SLEUTEL_PERSONELE_INZET, SLEUTEL_WARME_OVERDRACHT


def _vorm(code):
    vorm = Aanbodvorm.objects.filter(code=code).first()
    if vorm is None:
        raise DemoFout(f"Aanbodvorm {code} staat niet in de catalogus. Laad eerst de referentiegegevens.")
    return vorm


def aanbod(demo, gebruiker, code, *, naam="", omschrijving="", waar="op_school", door=None, fte="", uren="",
           sessies="", wettelijk=None):
    """One aanbod from the catalogue (`code`); level, financing source and wettelijke basis from the catalogue
    unless given, as the form does."""
    return voeg_toe(demo.afspraak, SLEUTEL_AANBOD, {
        "aanbodvorm": _vorm(code), "naam": naam, "niveau": "", "omschrijving": omschrijving, "waar": waar,
        "geleverd_door": door, "voor_instellingen": [], "locaties": "", "fte": fte, "uren_per_week": uren,
        "sessies_per_student": sessies, "financieringsbron": "",
        "wettelijke_basis": "" if wettelijk is None else str(wettelijk),
    }, gebruiker)


def inzet(demo, gebruiker, functie, soort, fte, werkgever, waar):
    return voeg_toe(demo.afspraak, SLEUTEL_PERSONELE_INZET, {
        "functie": functie, "soort": soort, "fte": fte, "werkgever": werkgever, "ingezet_waar": waar,
    }, gebruiker)


def overdracht(demo, gebruiker, naar, gezicht, rol, partij):
    return voeg_toe(demo.afspraak, SLEUTEL_WARME_OVERDRACHT, {
        "naar_aanbod": naar, "vertrouwd_gezicht": gezicht, "contact_rol": rol, "partij": partij,
    }, gebruiker)


def _friesland(demo):
    gemeente, instelling = demo.auteurs[0], demo.auteurs[-1]
    firda, leeuwarden = demo.partij("Firda"), demo.partij("Gemeente Leeuwarden")
    zorgverzekeraar = demo.partij(DEMO_PARTNER)

    aanbod(demo, instelling, "peer-to-peer", naam="Studentmaatjes",
           omschrijving="Ouderejaars studenten zijn maatje van eerstejaars die moeite hebben om hun plek te vinden.",
           door=firda)
    aanbod(demo, instelling, "studieloopbaanbegeleiding",
           omschrijving="Elke student heeft een vaste studieloopbaanbegeleider als eerste aanspreekpunt.", door=firda)
    aanbod(demo, instelling, "psycho-educatie",
           omschrijving="Lessen over mentale gezondheid, stress en geldzaken in het eerste jaar.", door=firda)
    aanbod(demo, gemeente, "buurtteam-mbo", naam="Wijkcoach op school",
           omschrijving="Een wijkcoach van het sociale wijkteam heeft vaste spreekuren op de locaties.",
           door=leeuwarden, uren="16")
    aanbod(demo, instelling, "schoolmaatschappelijk-werk",
           omschrijving="Schoolmaatschappelijk werk op elke locatie; onderdeel van de wettelijke zorgplicht.",
           door=firda, fte="6,5", wettelijk=True)
    aanbod(demo, gemeente, "eerstelijnszorg-op-school", naam="Praktijkondersteuner jeugd-GGZ op school",
           omschrijving="Kortdurende gesprekken bij lichte psychische klachten, zonder verwijzing.",
           door=zorgverzekeraar, uren="24", sessies="5")
    aanbod(demo, instelling, "tijdelijk-traject", naam="De Pitstop",
           omschrijving="Tijdelijk traject van ongeveer zes weken voor studenten die dreigen uit te vallen: zij "
                        "blijven ingeschreven en krijgen intensieve begeleiding, gericht op terugkeer naar de "
                        "opleiding.",
           waar="beide", door=firda, fte="2")
    aanbod(demo, gemeente, "multidisciplinair-team", naam="Multidisciplinair team Sterk in Firda",
           omschrijving="Schoolmaatschappelijk werk, wijkteam en jeugd-GGZ bespreken samen vastgelopen situaties "
                        "en maken één plan.",
           waar="beide", door=leeuwarden)

    inzet(demo, instelling, "Schoolmaatschappelijk werker", "verbreding", "6,5", firda,
          "Alle locaties van Firda in Friesland Noord")
    inzet(demo, gemeente, "Wijkcoach van het sociale wijkteam", "detachering", "2", leeuwarden,
          "Locaties van Firda in Leeuwarden en Dokkum")
    inzet(demo, instelling, "Trajectbegeleider De Pitstop", "nieuw", "2", firda, "De Pitstop, Leeuwarden")

    overdracht(demo, instelling, "Specialistische GGZ en verslavingszorg",
               "De schoolmaatschappelijk werker blijft het vaste aanspreekpunt tot de behandeling is gestart en "
               "houdt daarna maandelijks contact over de schoolgang.",
               "schoolmaatschappelijk werker van de locatie", firda)
    overdracht(demo, gemeente, "Jeugdhulp en Wmo-begeleiding via het wijkteam van de woongemeente",
               "De wijkcoach op school draagt persoonlijk over aan het wijkteam van de woongemeente en sluit aan "
               "bij het eerste gesprek.",
               "wijkcoach van het sociale wijkteam", leeuwarden)


def _achterhoek(demo):
    auteur = demo.auteur
    graafschap = demo.partij("Graafschap college")
    aanbod(demo, auteur, "loopbaancentrum", naam="Loopbaanplein",
           omschrijving="Loopbaanadviseurs en schoolmaatschappelijk werk onder één dak: studenten met twijfel of "
                        "problemen kunnen er zonder afspraak terecht.",
           door=graafschap, sessies="4")


def _twente(demo):
    auteur = demo.auteur
    roc, enschede = demo.partij("ROC van Twente"), demo.partij("Gemeente Enschede")
    tactus, mediant = demo.partij(afsprakendemo.TACTUS), demo.partij(afsprakendemo.MEDIANT)

    aanbod(demo, auteur, "loopbaancentrum", naam="Loopbaancentrum ROC van Twente",
           omschrijving="Alle studenten kunnen ongeveer vijf ondersteuningsmomenten gebruiken; zo nodig volgt een "
                        "externe doorverwijzing.",
           door=roc, sessies="5")
    aanbod(demo, auteur, "kortdurende-groepstrajecten",
           omschrijving="Groepstrajecten voor studenten die tijdelijk geen onderwijs kunnen volgen, uitgevoerd door "
                        "docenten met een hulpverleningsachtergrond.",
           door=roc)
    aanbod(demo, auteur, "schoolmaatschappelijk-werk", naam="Schoolmaatschappelijk werk, gedetacheerd",
           omschrijving="Gedetacheerd door de drie centrumgemeenten, bovenop de eigen zorgstructuur van het ROC.",
           door=enschede, fte="1,3", wettelijk=False)
    aanbod(demo, auteur, "verslavingszorg-op-school",
           omschrijving="Preventiewerkers van Tactus op de locaties; eigen inzet uit gemeentelijke middelen.",
           door=tactus)
    aanbod(demo, auteur, "orthopedagoog-psycholoog", naam="GGZ-consultatie op afroep",
           omschrijving="Consultatie en kortdurende begeleiding door Mediant; eigen inzet uit gemeentelijke middelen.",
           waar="beide", door=mediant)

    inzet(demo, auteur, "Schoolmaatschappelijk werk, gedetacheerd", "detachering", "1,3", enschede,
          "Locaties van het ROC van Twente in Enschede, Hengelo en Almelo: verdeeld over de drie centrumgemeenten")


def _flevoland(demo):
    auteur = demo.auteur
    roc, almere = demo.partij("ROC Flevoland"), demo.partij("Gemeente Almere")
    ggz = demo.partij(afsprakendemo.GGZ_FLEVOLAND)

    aanbod(demo, auteur, "vaste-coach", naam="Coach van het Studentsteunpunt",
           omschrijving="Elke locatie heeft een Studentsteunpunt waar studenten zonder afspraak terecht kunnen; een "
                        "vaste coach blijft het aanspreekpunt.",
           door=roc)
    aanbod(demo, auteur, "studieloopbaanbegeleiding",
           omschrijving="Elke student heeft een studieloopbaanbegeleider die signalen bespreekt met het "
                        "Studentsteunpunt.", door=roc)
    aanbod(demo, auteur, "jongerenwerk", naam="Jongerenwerk op de locaties",
           omschrijving="Jongerenwerkers van de gemeenten op vaste dagdelen in de kantine en op het plein; vanaf 2027 "
                        "ook in Emmeloord.",
           door=almere, uren="32")
    aanbod(demo, auteur, "verlengde-intake",
           omschrijving="Een langer intakegesprek voor eerstejaars bij wie de aanmelding of het vooronderzoek een "
                        "ondersteuningsvraag laat zien.", door=roc)
    aanbod(demo, auteur, "schoolmaatschappelijk-werk",
           omschrijving="Schoolmaatschappelijk werk op elke locatie; onderdeel van de wettelijke zorgplicht.",
           door=roc, fte="5", wettelijk=True)
    aanbod(demo, auteur, "eerstelijnszorg-op-school", naam="GGZ-consulent op school",
           omschrijving="Kortdurende gesprekken bij lichte psychische klachten, zonder verwijzing, op de locatie.",
           door=ggz, uren="24", sessies="5")
    aanbod(demo, auteur, "orthopedagoog-psycholoog", naam="Consultatie door GGZ Jong Flevoland",
           omschrijving="Consultatie voor coaches en docenten en, zo nodig, kortdurende begeleiding op afroep.",
           waar="beide", door=ggz)
    aanbod(demo, auteur, "multidisciplinair-team", naam="Casusoverleg Studentsteunpunt",
           omschrijving="Coach, schoolmaatschappelijk werk, sociaal team van de woongemeente en GGZ-consulent maken "
                        "samen één plan als een student vastloopt.",
           waar="beide", door=almere)

    inzet(demo, auteur, "Coach van het Studentsteunpunt", "verbreding", "4", roc,
          "Alle locaties van ROC Flevoland")
    inzet(demo, auteur, "Jongerenwerker", "detachering", "1,8", almere,
          "Locaties in Almere en Lelystad; vanaf 2027 ook Emmeloord")
    inzet(demo, auteur, "GGZ-consulent", "detachering", "1,2", ggz, "Alle locaties, op vaste dagdelen")

    overdracht(demo, auteur, "Specialistische jeugd-GGZ en volwassenen-GGZ",
               "De GGZ-consulent blijft het aanspreekpunt tot de behandeling is gestart en gaat mee naar het eerste "
               "gesprek; de coach houdt contact over de schoolgang.",
               "GGZ-consulent op school", ggz)
    overdracht(demo, auteur, "Hulp van het sociale team van de woongemeente, ook buiten de regio",
               "De coach van het Studentsteunpunt draagt persoonlijk over aan de vaste contactpersoon van het sociale "
               "team en blijft betrokken tot de hulp loopt.",
               "coach van het Studentsteunpunt", roc)


PER_REGIO = {
    afsprakendemo.FRIESLAND_NOORD: _friesland,
    afsprakendemo.ACHTERHOEK: _achterhoek,
    afsprakendemo.TWENTE: _twente,
    afsprakendemo.FLEVOLAND: _flevoland,
}


def laad_aanbod(verslag):
    with translation.override("nl"):
        delen = []
        for nummer, demo in afsprakendemo.demo_afspraken(verslag).items():
            if nummer in PER_REGIO:
                PER_REGIO[nummer](demo)
                delen.append(demo.afspraak.regio.naam)
        if delen:
            verslag.meld(
                "Aanbod, personele inzet en warme overdracht voor de demo-afspraken van " + ", ".join(delen) + "."
            )


laad_aanbod.volgorde = 50
