"""Demo agreements for `make run`: four regions in different states, modelled on the seed's practice.

- Friesland Noord (regio 4, Firda, "Sterk in Firda"): all four phases answered; after aanbod and
  financiering (their apps' demo loaders, volgorde 50) it is marked "gereed voor ondertekening" through
  the same rule as the view (`toetsing.kan_gereed`), or left a concept with the reason in the report.
- Achterhoek (regio 13, Graafschap College, Loopbaanplein): Verkennen and Verbeelden answered,
  Vormgeven in part; a concept.
- Twente (regio 12, ROC van Twente, 14 gemeenten, Loopbaancentrum, detached schoolmaatschappelijk
  werk): Verkennen answered, a start on Verbeelden, acties of which one is overdue; a concept.
- Flevoland (regio 18, ROC Flevoland, five gemeenten, the four gemeenten outside the region where many of
  its students live, an invented GGZ partner; "Studentsteunpunt Flevoland"): all four phases answered,
  marked gereed like Friesland Noord and then SIGNED through the real flow (`ondertekening.aanbieden`, every
  party's demo bestuurder `onderteken`, the PDF rendered and sealed), so the national monitor has a region
  covered. Some metingen of its indicators follow (`_laad_metingen`), one meetmoment left open.

An agreement is created only when its region has no current agreement, so a second run changes nothing a
user did. Parties are proposed from the data (`partijen.stel_partijen_voor`) and confirmed with the start
form of the view; everything else is written through the section API (`secties.bewaar_tekst`,
`voeg_rij_toe`, `bewaar_rij`), so it is validated and recorded in the history with a demo beleidsmaker as
author. Organisations only, never persons' names.

The agreements this run created are kept on the report (`demo_afspraken(verslag)`), so the demo loaders of
aanbod and financiering add their content to those and to nothing else.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from accounts import demo as accountsdemo
from accounts.demo import DemoGebruiker
from accounts.models import Gebruiker, Organisatie
from regio.demo import DemoFout, Inlog
from regio.models import Doorstroompuntregio

from . import fasen, ondertekening, secties, toetsing, vertegenwoordiging, zegel
from .bepalingen import PER_SLEUTEL as BEPALINGEN
from .formulieren import OndertekenFormulier, StartFormulier
from .models import Document, Fase, Grondslag, Partij, Toelichting, Uitvoeringsafspraak, Wijziging
from .partijen import stel_partijen_voor

FRIESLAND_NOORD, TWENTE, ACHTERHOEK, FLEVOLAND = 4, 12, 13, 18
LOOPTIJD = (datetime.date(2026, 1, 1), datetime.date(2029, 12, 31))

# The demo agreements marked "gereed voor ondertekening" when the toetsing allows it, and of those the ones
# offered and signed by every party at load time. Tests that need no signed agreement may set
# ONDERTEKENDE_REGIOS to () (rendering and sealing two PDFs takes seconds).
GEREED_REGIOS = (FRIESLAND_NOORD, FLEVOLAND)
ONDERTEKENDE_REGIOS = (FLEVOLAND,)

TACTUS = "Tactus (verslavingszorg)"
MEDIANT = "Mediant (GGZ)"
GGZ_FLEVOLAND = "GGZ Jong Flevoland (demo)"  # an invented partner

# Extra demo beleidsmakers, one per region without one; the same scheme as regio.demo (fixed, long passwords).
EXTRA_GEBRUIKERS = [
    DemoGebruiker(
        titel="Beleidsmaker van een gemeente in de Achterhoek",
        gebruikersnaam="demo-doetinchem",
        wachtwoord="Slingeland-Berkel-Fietspad-2026",
        rol=Gebruiker.Rol.BELEIDSMAKER,
        achternaam="Beleidsmaker Doetinchem",
        functie="beleidsadviseur jeugd en onderwijs (demo)",
        organisatie="gemeente:GM0222",  # Doetinchem, contactgemeente van de Achterhoek (regio 13)
        kan="schrijft mee aan de uitvoeringsafspraak van de Achterhoek (een concept in stap 3, Vormgeven)",
    ),
    DemoGebruiker(
        titel="Beleidsmaker van een gemeente in Twente",
        gebruikersnaam="demo-enschede",
        wachtwoord="Textiel-Spoorbrug-Marktplein-2026",
        rol=Gebruiker.Rol.BELEIDSMAKER,
        achternaam="Beleidsmaker Enschede",
        functie="beleidsmedewerker jeugd en onderwijs (demo)",
        organisatie="gemeente:GM0153",  # Enschede, contactgemeente van Twente (regio 12)
        kan="schrijft mee aan de uitvoeringsafspraak van Twente (een concept in stap 1 en 2)",
    ),
    DemoGebruiker(
        titel="Beleidsmaker van een gemeente in Flevoland",
        gebruikersnaam="demo-almere",
        wachtwoord="Weerwater-Fietsbrug-Horizon-2026",
        rol=Gebruiker.Rol.BELEIDSMAKER,
        achternaam="Beleidsmaker Almere",
        functie="beleidsadviseur jeugd en onderwijs (demo)",
        organisatie="gemeente:GM0034",  # Almere, contactgemeente van Flevoland (regio 18)
        kan=(
            "schreef mee aan de uitvoeringsafspraak van Flevoland, die door alle partijen is ondertekend; "
            "ziet het verzegelde document en de monitoring"
        ),
    ),
]


# --- what this run created, for the other demo loaders --------------------------------------------


@dataclass
class DemoAfspraak:
    """One agreement the demo created in this run, with its authors and parties by organisation name."""

    afspraak: Uitvoeringsafspraak
    auteurs: list  # [Gebruiker]: the demo beleidsmakers who write it; the first is the main author
    partijen: dict = field(default_factory=dict)  # {organisation name: Partij}

    @property
    def auteur(self):
        return self.auteurs[0]

    def partij(self, naam):
        try:
            return self.partijen[naam]
        except KeyError:
            raise DemoFout(
                f"Demo-afspraak {self.afspraak.regio.naam}: “{naam}” is geen partij. Partijen: "
                + ", ".join(sorted(self.partijen))
            ) from None

    def van_rol(self, *rollen):
        return sorted((p for p in self.partijen.values() if p.rol in rollen), key=lambda p: p.organisatie.naam)

    def gemeenten_in_regio(self):
        return self.van_rol(Partij.Rol.CONTACTGEMEENTE, Partij.Rol.GEMEENTE)


def demo_afspraken(verslag):
    """{regionummer: DemoAfspraak} of the agreements created in this run (empty on a second run)."""
    return getattr(verslag, "demo_afspraken", {})


# --- writing through the section API --------------------------------------------------------------


def _waarde(waarde):
    if isinstance(waarde, Model):
        return str(waarde.pk)
    if isinstance(waarde, (datetime.date, datetime.datetime)):
        return waarde.isoformat()
    if waarde is True:
        return "on"
    if waarde is None:
        return ""
    return str(waarde)


def formdata(prefix, waarden, versie=None):
    """POST data as a browser sends it for a form with this prefix (lists for multiple choices)."""
    data = MultiValueDict()
    if versie is not None:
        data[secties.versieveld(prefix)] = str(versie)
    for naam, waarde in waarden.items():
        if waarde is False:
            continue  # an unchecked checkbox is not sent
        sleutel = f"{prefix}-{naam}"
        if isinstance(waarde, (list, tuple)):
            data.setlist(sleutel, [_waarde(w) for w in waarde])
        else:
            data[sleutel] = _waarde(waarde)
    return data


def _definitie(sleutel):
    definitie = secties.definitie(sleutel)
    if definitie is None:
        raise DemoFout(f"Demo-gegevens: sectie {sleutel} is niet geregistreerd.")
    return definitie


def _fout(afspraak, sleutel, uitkomst):
    if uitkomst.conflict is not None:
        reden = f"conflict met een wijziging van {uitkomst.conflict.door}"
    else:
        reden = uitkomst.formulier.errors.as_text() if uitkomst.formulier is not None else "onbekend"
    return DemoFout(f"Demo-afspraak {afspraak.regio.naam}, sectie {sleutel}: niet opgeslagen ({reden}).")


def schrijf(afspraak, sleutel, waarden, gebruiker):
    """Save a text section as `gebruiker` would in the form; validated, with history. Raises DemoFout."""
    definitie = _definitie(sleutel)
    toestand = secties.sectie_toestand(afspraak, sleutel)
    data = formdata(sleutel, waarden, versie=toestand.versie if toestand else 0)
    uitkomst = secties.bewaar_tekst(definitie, afspraak, data, gebruiker)
    if not uitkomst.ok:
        raise _fout(afspraak, sleutel, uitkomst)


def voeg_toe(afspraak, sleutel, waarden, gebruiker):
    """Add a row to a row section as `gebruiker` would; returns the row. Raises DemoFout."""
    uitkomst = secties.voeg_rij_toe(_definitie(sleutel), afspraak, formdata(f"{sleutel}-nieuw", waarden), gebruiker)
    if not uitkomst.ok:
        raise _fout(afspraak, sleutel, uitkomst)
    return uitkomst.rij


def wijzig_rij(afspraak, sleutel, rij, waarden, gebruiker):
    """Change a row (its current version) as `gebruiker` would. Raises DemoFout."""
    data = formdata(f"{sleutel}-{rij.pk}", waarden, versie=rij.versie)
    uitkomst = secties.bewaar_rij(_definitie(sleutel), afspraak, rij.pk, data, gebruiker)
    if uitkomst is None or not uitkomst.ok:
        raise _fout(afspraak, sleutel, uitkomst)
    return uitkomst.rij


def actie(afspraak, fase, gebruiker, omschrijving, eigenaar, deadline, status="open"):
    sleutel = f"acties-{Fase(fase).name.lower()}"
    waarden = {"omschrijving": omschrijving, "eigenaar": eigenaar, "deadline": deadline, "status": status}
    return voeg_toe(afspraak, sleutel, waarden, gebruiker)


def doelen(afspraak, rijen, gebruiker, indicatoren_door=None):
    """Ambities, each with one resultaat and its indicatoren: rijen is [(ambitie, resultaat, [(naam, eenheid,
    nulmeting, streefwaarde, eerste meetmoment, frequentie, bron)])], values as a person types them."""
    gemaakt = []
    for omschrijving, resultaat_tekst, indicatoren in rijen:
        ambitie = voeg_toe(afspraak, fasen.AMBITIES, {"omschrijving": omschrijving, "toelichting": ""}, gebruiker)
        resultaat = voeg_toe(afspraak, fasen.RESULTATEN, {"ambitie": ambitie, "omschrijving": resultaat_tekst},
                             gebruiker)
        for naam, eenheid, nul, streef, moment, frequentie, bron in indicatoren:
            gemaakt.append(voeg_toe(afspraak, fasen.INDICATOREN, {
                "ambitie": ambitie, "resultaat": resultaat, "naam": naam, "eenheid": eenheid, "nulmeting": nul,
                "streefwaarde": streef, "meetmoment": moment, "meetfrequentie": frequentie, "bron": bron,
            }, indicatoren_door or gebruiker))
    return gemaakt


def rapportages(afspraak, rijen, gebruiker):
    """Verankeren: [(onderwerp, van partij, aan, frequentie, eerste datum)]."""
    for onderwerp, van, aan, frequentie, eerste in rijen:
        voeg_toe(afspraak, fasen.RAPPORTAGES, {
            "onderwerp": onderwerp, "van": van, "aan": aan, "frequentie": frequentie, "eerste_datum": eerste,
        }, gebruiker)


# --- users, partners and the start ----------------------------------------------------------------


def _maak_gebruikers(verslag):
    """The extra demo beleidsmakers (created when missing; an existing one keeps its password), added to the
    log-in block that laad_demodata prints."""
    gebruikers = {}
    for demo in EXTRA_GEBRUIKERS:
        gebruiker = Gebruiker.objects.filter(username=demo.gebruikersnaam).select_related("organisatie").first()
        nieuw = gebruiker is None
        if nieuw:
            gebruiker = Gebruiker(
                username=demo.gebruikersnaam,
                first_name="Demo",
                last_name=demo.achternaam,
                email=f"{demo.gebruikersnaam}@example.org",
                rol=demo.rol,
                functie=demo.functie,
                organisatie=accountsdemo.organisatie_van(demo.organisatie),
            )
            validate_password(demo.wachtwoord, gebruiker)
            gebruiker.set_password(demo.wachtwoord)
            gebruiker.save()
            wachtwoord = demo.wachtwoord
        else:
            wachtwoord = demo.wachtwoord if gebruiker.check_password(demo.wachtwoord) else None
        gebruikers[demo.gebruikersnaam] = gebruiker
        if not any(i.gebruikersnaam == gebruiker.username for i in verslag.inloggen):
            verslag.inloggen.append(
                Inlog(
                    titel=demo.titel,
                    gebruikersnaam=gebruiker.username,
                    wachtwoord=wachtwoord,
                    organisatie=accountsdemo.organisatie_omschrijving(gebruiker.organisatie),
                    kan=demo.kan,
                    nieuw=nieuw,
                )
            )
    return gebruikers


def _inlog_ondertekenaar(verslag, nieuw):
    """The demo bestuurder who signed the Flevoland agreement for its contactgemeente, in the log-in block."""
    partij = (
        Partij.objects.filter(
            afspraak__regio__nummer=FLEVOLAND, rol=Partij.Rol.CONTACTGEMEENTE,
            bestuurder__username__startswith=f"{FL_BESTUURDER}-", bestuurder__is_active=True,
        )
        .exclude(afspraak__status=Uitvoeringsafspraak.Status.VERVANGEN)
        .select_related("bestuurder__organisatie__gemeente__regio", "organisatie", "afspraak")
        .first()
    )
    if partij is None or any(i.gebruikersnaam == partij.bestuurder.username for i in verslag.inloggen):
        return
    bestuurder = partij.bestuurder
    if partij.afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND:
        wat = (f"heeft de uitvoeringsafspraak van Flevoland namens {partij.organisatie} ondertekend en downloadt "
               "het verzegelde document")
    else:
        wat = f"ondertekent de uitvoeringsafspraak van Flevoland namens {partij.organisatie}"
    verslag.inloggen.append(Inlog(
        titel="Bestuurder van een gemeente in Flevoland",
        gebruikersnaam=bestuurder.username,
        wachtwoord=DEMO_BESTUURDERS_WACHTWOORD if bestuurder.check_password(DEMO_BESTUURDERS_WACHTWOORD) else None,
        organisatie=accountsdemo.organisatie_omschrijving(bestuurder.organisatie),
        kan=(
            f"{wat} (de bestuurders van de andere partijen: de andere {FL_BESTUURDER}-accounts, hetzelfde "
            "wachtwoord); stelt bij de eerste keer inloggen een tweede factor in"
        ),
        nieuw=FLEVOLAND in nieuw,
    ))


def _gebruiker(gebruikersnaam):
    gebruiker = Gebruiker.objects.filter(username=gebruikersnaam, is_active=True).first()
    if gebruiker is None:
        raise DemoFout(f"Demo-gebruiker {gebruikersnaam} bestaat niet of is niet actief.")
    return gebruiker


def _partner(naam, soort):
    partner, _ = Organisatie.objects.get_or_create(
        naam=naam, soort=Organisatie.Soort.PARTNER, defaults={"partner_soort": soort}
    )
    return partner


def _start(regio, titel, partners, gebruiker):
    """Start the agreement with the view's start form: the proposed parties, these partners, and the
    contactgemeente as the one financieel eindverantwoordelijke."""
    voorstellen = stel_partijen_voor(regio)
    contact = next((v for v in voorstellen if v.rol == Partij.Rol.CONTACTGEMEENTE), None)
    if contact is None:
        raise DemoFout(f"Demo-afspraak {regio.naam}: de regio heeft geen contactgemeente.")
    data = {
        "titel": titel,
        "looptijd_start": LOOPTIJD[0].isoformat(),
        "looptijd_einde": LOOPTIJD[1].isoformat(),
        "partijen": [str(v.organisatie.pk) for v in voorstellen],
        "partners": [str(p.pk) for p in partners],
        "eindverantwoordelijke": str(contact.organisatie.pk),
    }
    formulier = StartFormulier(MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
                               regio=regio, voorstellen=voorstellen)
    if not formulier.is_valid():
        raise DemoFout(f"Demo-afspraak {regio.naam} kon niet starten: {formulier.errors.as_text()}")
    return formulier.maak_afspraak(gebruiker)


def _demo_afspraak(afspraak, auteurs):
    partijen = {p.organisatie.naam: p for p in Partij.objects.filter(afspraak=afspraak).select_related("organisatie")}
    return DemoAfspraak(afspraak=afspraak, auteurs=auteurs, partijen=partijen)


def _buiten_namen(demo):
    namen = [p.organisatie.naam.removeprefix("Gemeente ") for p in demo.van_rol(Partij.Rol.GEMEENTE_BUITEN)]
    if not namen:
        return ""
    return namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + " en " + namen[-1]


# --- Friesland Noord: Sterk in Firda, all four phases ---------------------------------------------


def _friesland(demo):
    a, gemeente, instelling = demo.afspraak, demo.auteurs[0], demo.auteurs[1]
    leeuwarden, firda = demo.partij("Gemeente Leeuwarden"), demo.partij("Firda")
    zorgverzekeraar = demo.partij(accountsdemo.DEMO_PARTNER)

    # Who signs for the contactgemeente: the demo bestuurder (a wethouder of Leeuwarden), through the party row.
    bestuurder = Gebruiker.objects.filter(
        username="demo-bestuurder", organisatie_id=leeuwarden.organisatie_id, rol=Gebruiker.Rol.BESTUURDER
    ).first()
    if bestuurder is not None:
        wijzig_rij(a, "partijen", leeuwarden, {
            "bestuurder": bestuurder, "bestuurder_naam": "", "bestuurder_functie": "",
            "financieel_eindverantwoordelijk": True,
        }, gemeente)

    _bestuurders_voor_alle_partijen(demo, gemeente)

    # Stap 1: Verkennen
    schrijf(a, fasen.BESTUURLIJK_OVERLEG, {
        "er_is_overleg": "ja",
        "welk_overleg": "Bestuurlijk overleg Sterk in Firda: de wethouders jeugd en onderwijs van de gemeenten in "
                        "Friesland Noord, het college van bestuur van Firda en de zorgverzekeraar.",
        "antwoord": "",
    }, gemeente)
    schrijf(a, fasen.PARTNERS, {
        "antwoord": "Aan tafel zitten de gemeenten van Friesland Noord met Leeuwarden als contactgemeente, Firda en "
                    "de zorgverzekeraar als medefinancier. De sociale wijkteams, de jeugd-GGZ en de "
                    "schuldhulpverlening schuiven aan bij het uitvoeringsoverleg.",
    }, gemeente)
    schrijf(a, fasen.CENTRUMGEMEENTE, {
        "centrumgemeente": leeuwarden,
        "antwoord": "Leeuwarden is centrumgemeente voor jeugdhulp en contactgemeente van de doorstroompuntregio. Zij "
                    "sluit namens de regio de afspraken met Firda en de zorgverzekeraar. De kleinere gemeenten en de "
                    "Waddeneilanden houden hun eigen wijkteams en sluiten aan via het bestuurlijk overleg.",
    }, gemeente)
    schrijf(a, fasen.FINANCIERING_NU, {
        "financiers": [firda, zorgverzekeraar, leeuwarden],
        "antwoord": "Sterk in Firda wordt betaald volgens een vaste verdeling: een derde Firda, een derde de "
                    "zorgverzekeraar en een derde de gemeenten, onderling naar rato van hun aantal inwoners.",
        "onderwijsmiddelen": "Firda betaalt haar deel uit de lumpsum en de middelen passend onderwijs; het "
                             "schoolmaatschappelijk werk hoort bij de wettelijke basis van de instelling.",
        "gemeentelijk": "De gemeenten betalen hun derde uit de Algemene Uitkering en de Wmo; Leeuwarden int en "
                        "verantwoordt namens de regio.",
        "zorgverzekeraar": "De zorgverzekeraar betaalt een derde uit de Zorgverzekeringswet, voor de lichte "
                           "GGZ-ondersteuning op school.",
        "overig": "De specifieke uitkering (SPUK) voor de doorstroompuntregio loopt via Leeuwarden en betaalt het "
                  "multidisciplinaire team.",
        "transparantie": "",
    }, gemeente)
    schrijf(a, fasen.REGIE, {
        "antwoord": "Firda voert de regie op het onderwijsproces, Leeuwarden namens de gemeenten op de hulp en "
                    "ondersteuning. De regie op de samenwerking ligt bij de programmaregisseur van Sterk in Firda, "
                    "in dienst van de contactgemeente.",
        "regie_onderwijs": firda, "regie_hulp": leeuwarden, "regie_samenwerking": leeuwarden,
    }, instelling)
    schrijf(a, fasen.STUDENTEN, {
        "antwoord": "Ja. De aantallen per woongemeente staan hierboven. Firda trekt studenten uit heel Friesland: "
                    "het grootste deel woont in Leeuwarden en de rest van Friesland Noord, een flink deel in de "
                    "gemeenten rond de regio. Op de eilanden gaat het om kleine aantallen, met eigen vragen rond "
                    "reizen en op kamers wonen.",
    }, instelling)
    buiten = _buiten_namen(demo)
    schrijf(a, fasen.ALLE_STUDENTEN, {
        "alle_studenten": True,
        "gemeenten_buiten": (
            f"De gemeenten buiten de regio waar veel studenten van Firda wonen ({buiten}) zijn partij bij deze "
            "afspraak. Zij dragen financieel bij via de afspraak van hun eigen doorstroompuntregio; hun studenten "
            "krijgen op school hetzelfde aanbod." if buiten else
            "Studenten van buiten de regio krijgen op school hetzelfde aanbod; hun woongemeenten dragen bij via de "
            "afspraak van hun eigen doorstroompuntregio."
        ),
    }, instelling)
    schrijf(a, fasen.ONDERSTEUNINGSVRAGEN, {
        "aard_omvang": "De zorgteams van Firda registreren de vragen als aantallen per locatie en soort: de meeste "
                       "gaan over psychische klachten, geldzorgen, wonen en thuissituatie.",
        "aanwezig_aanbod": "Op school: studieloopbaanbegeleiding, schoolmaatschappelijk werk en zorgcoördinatoren. "
                           "Buiten school: de sociale wijkteams, jeugd-GGZ en schuldhulpverlening van de gemeenten.",
        "regionaal_karakter": "Firda is een regionale instelling met studenten uit heel Friesland.",
        "vragen": "Hoe zorgen we dat een student met een vraag over geld of wonen binnen twee weken iemand spreekt, "
                  "ongeacht de woongemeente?",
        "schaal": "Afspraken op het niveau van de doorstroompuntregio, met een gedeelde verdeelsleutel voor alle "
                  "gemeenten.",
    }, instelling)

    # Stap 2: Verbeelden
    schrijf(a, fasen.VISIE, {
        "antwoord": "Firda schuift aan bij de regionale visie op jeugd en jongvolwassenen; de studentenraad geeft "
                    "jaarlijks advies over wat studenten nodig hebben.",
    }, gemeente)
    schrijf(a, fasen.AMBITIES_TEKST, {
        "antwoord": "Eén gedeelde visie: hulp dichtbij de student, in de school, zonder wachttijd en zonder "
                    "onderscheid naar woongemeente.",
        "opdrachtgever": "Het bestuurlijk overleg Sterk in Firda",
        "kader": "Deze uitvoeringsafspraak en de twaalf basisafspraken van VNG en MBO Raad (februari 2026).",
    }, gemeente)
    friesland_doelen = [
        ("Minder studenten vallen uit door psychische of sociale problemen",
         "Studenten met een ondersteuningsvraag krijgen binnen twee weken hulp op school",
         [("Ondersteuningsvragen binnen twee weken opgepakt", "%", "62", "85", "2027-02-01", "halfjaarlijks",
           "Registratie zorgteams Firda"),
          ("Voortijdig schoolverlaters eerstejaars", "%", "7,4", "5,5", "2027-10-01", "jaarlijks",
           "DUO, vsv-cijfers")]),
        ("Studenten weten de weg naar hulp en voelen zich gezien",
         "Elke student kent een vast aanspreekpunt op de eigen locatie",
         [("Rapportcijfer ‘ik weet waar ik terecht kan met problemen’", "rapportcijfer", "6,4", "7,5", "2027-03-01",
           "jaarlijks", "JOB-monitor en studententevredenheidsonderzoek Firda")]),
        ("Warme overdracht naar specialistische hulp, zonder dat de student wordt losgelaten",
         "Bij een doorverwijzing blijft een vertrouwd gezicht betrokken tot de hulp is gestart",
         [("Doorverwijzingen met warme overdracht", "%", "40", "80", "2027-02-01", "halfjaarlijks",
           "Registratie schoolmaatschappelijk werk")]),
    ]
    doelen(a, friesland_doelen, gemeente, indicatoren_door=instelling)

    # Stap 3: Vormgeven (aanbod and financiering: their apps' demo loaders)
    schrijf(a, fasen.AANSLUITING, {
        "antwoord": "Elke locatie van Firda heeft een zorgteam met een vaste wijkcoach van het sociale wijkteam. Het "
                    "zorgteam schakelt rechtstreeks met het wijkteam van de woongemeente; één plan per student.",
    }, gemeente)
    schrijf(a, fasen.GOVERNANCE, {
        "dsp_niveau": "ja",
        "rol_contactgemeente": "Leeuwarden ontvangt de specifieke uitkering, koopt het aanvullende aanbod in namens "
                               "de regio, is penvoerder en zit het bestuurlijk overleg voor.",
        "inkoop": "contactgemeente",
        "overlegstructuur": "Bestuurlijk overleg twee keer per jaar, uitvoeringsoverleg elk kwartaal; de wijkteams "
                            "van de gemeenten zijn via de zorgteams van Firda aangesloten.",
    }, gemeente)
    schrijf(a, fasen.KWALITEITSEISEN, {
        "antwoord": "Sluitende werkprocessen van signaal tot hulp, jaarlijkse toetsing aan de hand van casuïstiek "
                    "(alleen aantallen) en continuïteit bij de overgang naar 18 jaar.",
        "eisen_onderwijs": "Firda zorgt voor een zorgteam op elke locatie en registreert vragen en doorlooptijden.",
        "eisen_gemeenten": "De gemeenten zorgen voor een vaste wijkcoach per locatie en hulp zonder wachtlijst voor "
                           "lichte vragen.",
    }, gemeente)
    schrijf(a, fasen.DEKKEND_AANBOD, {
        "antwoord": "Docenten en ondersteuners krijgen tijd voor overleg met het wijkteam; de feedback van studenten "
                    "uit de JOB-monitor bepaalt elk jaar de verbeterpunten.",
    }, instelling)
    schrijf(a, fasen.PROFESSIONALISERING, {
        "antwoord": "Gezamenlijke training voor ondersteuners van Firda en de wijkteams, maandelijkse intervisie op "
                    "casuïstiek en coaching voor nieuwe medewerkers.",
        "vormen": ["coaching", "training", "intervisie"],
    }, instelling)

    # Stap 4: Verankeren
    schrijf(a, fasen.OPBRENGST, {
        "antwoord": "Minder uitval, snellere hulp en studenten die weten waar ze terecht kunnen; de resultaten "
                    "worden twee keer per jaar besproken en leiden tot verbeteracties.",
        "monitor": "Een regionale monitor Sterk in Firda met de indicatoren uit stap 2.",
    }, gemeente)
    rapportages(a, [
        ("Voortgang op de indicatoren", firda, "Bestuurlijk overleg Sterk in Firda", "halfjaarlijks", "2027-02-15"),
        ("Besteding van de middelen en de verdeling", leeuwarden, "De gemeenteraden en de zorgverzekeraar",
         "jaarlijks", "2027-04-01"),
        ("Bereik van het aanbod per niveau en woongemeente", firda, "Uitvoeringsoverleg", "kwartaal", "2026-04-01"),
    ], gemeente)
    schrijf(a, fasen.CONTINUITEIT, {
        "meerjarig": "ja",
        "antwoord": "De financiering ligt vast voor 2026 tot en met 2029; alle gemeenten dragen bij volgens dezelfde "
                    "verdeelsleutel, en de monitor laat zien wat het oplevert.",
    }, gemeente)
    schrijf(a, fasen.CONTINUITEIT_FINANCIERING, {
        "antwoord": "Besluitvorming in de colleges en de raden in regioverband, afstemming met de zorgverzekeraar "
                    "en jaarlijkse verantwoording over de besteding.",
    }, gemeente)
    schrijf(a, fasen.AANPAK, {
        "antwoord": "Het college van bestuur en de wethouders dragen de aanpak uit; de teamleiders bewaken de "
                    "uitvoering op de locaties.",
    }, instelling)
    schrijf(a, fasen.EVALUATIE, {
        "tussentijds": "2027-12-01", "eind": "2029-09-01",
        "antwoord": "Met studenten, professionals en bestuurders: een tussentijdse evaluatie na twee jaar en een "
                    "eindevaluatie voor de nieuwe afspraak.",
    }, gemeente)
    # A provision in the region's own words: disputes go to its own bestuurlijk overleg first (afspraken.bepalingen).
    schrijf(a, "bepaling-geschillen", {"tekst": _eigen_geschillenregeling()}, gemeente)

    actie(a, Fase.VERKENNEN, instelling, "Studentenaantallen per woongemeente jaarlijks actualiseren", firda,
          "2027-03-01")
    actie(a, Fase.VORMGEVEN, gemeente, "Inkoopafspraak aanvullend schoolmaatschappelijk werk vastleggen",
          leeuwarden, "2026-10-01", "afgerond")
    actie(a, Fase.VERANKEREN, instelling, "Monitor Sterk in Firda inrichten", firda, "2027-01-31", "bezig")


def _eigen_geschillenregeling():
    """Friesland Noord's wording of the model provision on disputes: its own overleg, and six weeks, not eight."""
    model = BEPALINGEN["bepaling-geschillen"].modeltekst
    eigen = model.replace(
        "in het bestuurlijk overleg van de regio", "in het bestuurlijk overleg Sterk in Firda"
    ).replace("binnen acht weken", "binnen zes weken")
    if eigen == model:
        raise DemoFout("Demo Friesland Noord: de modeltekst over geschillen is veranderd; pas de demo aan.")
    return eigen


# --- the authority each party's signer signs on (issue 27) -------------------------------------------------

# Invented dates of the collegebesluiten that mandate the demo wethouders, all in the first months of 2026.
EERSTE_MANDAATBESLUIT = datetime.date(2026, 1, 13)


def _bevoegdheid_van(partij, functie, nummer):
    """(grondslag, besluit, toelichting) that fits the kind of organisation and the signer's function."""
    if partij.organisatie.gemeente_id:
        if "burgemeester" in functie.lower() or (not functie and partij.rol == Partij.Rol.CONTACTGEMEENTE):
            return Grondslag.BURGEMEESTER, None, ""
        return Grondslag.WETHOUDER_MANDAAT, EERSTE_MANDAATBESLUIT + datetime.timedelta(weeks=nummer), ""
    if partij.organisatie.instelling_id:
        return Grondslag.VOORZITTER_CVB, None, ""
    return Grondslag.STATUTEN, None, "artikel 9 van de statuten"


def _bevoegdheden(demo):
    """Each party enters its signer's authority on its own page (afspraken.vertegenwoordiging), as the party's
    chosen demo bestuurder, or else as a demo beleidsmaker of that party; a party with nobody in the demo leaves
    it open, as it would be."""
    auteurs = {g.organisatie_id: g for g in reversed(demo.auteurs)}
    for nummer, partij in enumerate(sorted(demo.partijen.values(), key=lambda p: p.organisatie.naam)):
        partij = Partij.objects.select_related("organisatie", "bestuurder").get(pk=partij.pk)
        door = partij.bestuurder or auteurs.get(partij.organisatie_id)
        if door is None:
            continue
        functie = partij.bestuurder.functie if partij.bestuurder else ""
        grondslag, besluit, toelichting = _bevoegdheid_van(partij, functie, nummer)
        data = {
            "grondslag": grondslag, "grondslag_besluit": besluit.isoformat() if besluit else "",
            "grondslag_toelichting": toelichting, "vorige": vertegenwoordiging.kenmerk(partij),
        }
        uitkomst = vertegenwoordiging.leg_vast(demo.afspraak, partij.pk, data, door)
        if uitkomst is None or not uitkomst.ok:
            reden = uitkomst.formulier.errors.as_text() if uitkomst is not None else "geen partij"
            raise DemoFout(f"Demo-afspraak {demo.afspraak.regio.naam}, bevoegdheid van {partij}: {reden}")


# --- Achterhoek: Graafschap College, Loopbaanplein -------------------------------------------------


# The other parties of Friesland Noord get a demo bestuurder each, so that the whole signing can be tried; the
# parties of Flevoland get one each too, who sign at load time. All share this password.
DEMO_BESTUURDERS_WACHTWOORD = "Zegel-Inkt-Handtekening-2026"
FN_BESTUURDER, FL_BESTUURDER = "demo-fn-bestuurder", "demo-fl-bestuurder"


def _functie_naar_soort(partij):
    """An invented function title that fits the kind of organisation (never a person's name)."""
    if partij.rol == Partij.Rol.CONTACTGEMEENTE:
        return "burgemeester (demo)"  # signs on art. 171 Gemeentewet (`_bevoegdheden`)
    if partij.organisatie.gemeente_id:
        return "wethouder jeugd en onderwijs (demo)"
    if partij.organisatie.instelling_id:
        return "voorzitter college van bestuur (demo)"
    return "directeur-bestuurder (demo)"


def _bestuurders_voor_alle_partijen(demo, auteur, voorvoegsel=FN_BESTUURDER, functie=None):
    """A demo bestuurder `<voorvoegsel>-N` for every party without one, chosen on the party row as a beleidsmaker
    does. The password is hashed once per run (the hasher takes a third of a second per call)."""
    nummer = 0
    wachtwoord = None
    for partij in sorted(demo.partijen.values(), key=lambda p: p.organisatie.naam):
        if partij.bestuurder_id or Partij.objects.filter(pk=partij.pk, bestuurder__isnull=False).exists():
            continue
        nummer += 1
        naam = f"{voorvoegsel}-{nummer}"
        gebruiker = Gebruiker.objects.filter(username=naam).first()
        if gebruiker is None:
            gebruiker = Gebruiker(
                username=naam, first_name="Demo", last_name=f"bestuurder {partij.organisatie.naam}",
                email=f"{naam}@example.org", rol=Gebruiker.Rol.BESTUURDER,
                functie=functie(partij) if functie else "Bestuurder (demo)", organisatie=partij.organisatie,
            )
            if wachtwoord is None:
                wachtwoord = make_password(DEMO_BESTUURDERS_WACHTWOORD)
            gebruiker.password = wachtwoord
            gebruiker.save()
        wijzig_rij(demo.afspraak, "partijen", partij, {
            "bestuurder": gebruiker, "bestuurder_naam": "", "bestuurder_functie": "",
            "financieel_eindverantwoordelijk": partij.financieel_eindverantwoordelijk,
        }, auteur)
    if nummer:
        demo.extra_bestuurders = nummer


def _achterhoek(demo):
    a, auteur = demo.afspraak, demo.auteur
    doetinchem, graafschap = demo.partij("Gemeente Doetinchem"), demo.partij("Graafschap college")

    schrijf(a, fasen.BESTUURLIJK_OVERLEG, {
        "er_is_overleg": "ja",
        "welk_overleg": "Het portefeuillehoudersoverleg Sociaal Domein van de negen Achterhoekse gemeenten, met het "
                        "college van bestuur van het Graafschap College.",
        "antwoord": "",
    }, auteur)
    schrijf(a, fasen.PARTNERS, {
        "antwoord": "De negen Achterhoekse gemeenten en het Graafschap College. De jeugdhulpaanbieders en de "
                    "zorgverzekeraar worden uitgenodigd voor het uitvoeringsoverleg.",
    }, auteur)
    schrijf(a, fasen.CENTRUMGEMEENTE, {
        "centrumgemeente": doetinchem,
        "antwoord": "Doetinchem is contactgemeente van de doorstroompuntregio en voert de inkoop van jeugdhulp uit "
                    "voor de regio; de andere gemeenten zijn vertegenwoordigd in het portefeuillehoudersoverleg.",
    }, auteur)
    schrijf(a, fasen.FINANCIERING_NU, {
        "financiers": [graafschap, doetinchem],
        "antwoord": "Het Graafschap College betaalt 87% van de kosten van het Loopbaanplein; de rest komt via "
                    "subsidies van de negen gemeenten, naar rato van het aantal studenten per woongemeente.",
        "onderwijsmiddelen": "Lumpsum en middelen passend onderwijs van het Graafschap College.",
        "gemeentelijk": "Subsidies van de negen gemeenten uit de Jeugdwet- en Wmo-budgetten.",
        "zorgverzekeraar": "",
        "overig": "",
        "transparantie": "Hoe de subsidies per gemeente na 2027 worden verlengd, is nog niet besloten.",
    }, auteur)
    schrijf(a, fasen.REGIE, {
        "antwoord": "Het Graafschap College voert de regie op het onderwijsproces en het Loopbaanplein, Doetinchem "
                    "namens de gemeenten op de hulp; samen zitten zij het regionale overleg voor.",
        "regie_onderwijs": graafschap, "regie_hulp": doetinchem, "regie_samenwerking": graafschap,
    }, auteur)
    schrijf(a, fasen.STUDENTEN, {
        "antwoord": "Ja: de aantallen per woongemeente staan hierboven. De meeste studenten wonen in de negen "
                    "Achterhoekse gemeenten; een deel komt uit de Liemers en uit de regio Arnhem.",
    }, auteur)
    buiten = _buiten_namen(demo)
    schrijf(a, fasen.ALLE_STUDENTEN, {
        "alle_studenten": True,
        "gemeenten_buiten": (
            f"De gemeenten buiten de regio met veel studenten ({buiten}) zijn partij; met hun regio's maken we nog "
            "afspraken over een bijdrage." if buiten else ""
        ),
    }, auteur)
    schrijf(a, fasen.ONDERSTEUNINGSVRAGEN, {
        "aard_omvang": "Het Loopbaanplein telt de vragen per soort: vooral twijfel over de opleidingskeuze, "
                       "psychische klachten en problemen thuis.",
        "aanwezig_aanbod": "Het Loopbaanplein met loopbaanadviseurs en schoolmaatschappelijk werk; buiten school de "
                           "lokale teams van de gemeenten.",
        "regionaal_karakter": "Het Graafschap College is dé mbo-instelling van de Achterhoek.",
        "vragen": "Hoe houden we de subsidies van de gemeenten gelijk aan het aantal studenten dat zij sturen?",
        "schaal": "De negen gemeenten samen met het Graafschap College.",
    }, auteur)

    schrijf(a, fasen.VISIE, {
        "antwoord": "Het Graafschap College schrijft mee aan de regionale jeugdagenda van de Achterhoek.",
    }, auteur)
    schrijf(a, fasen.AMBITIES_TEKST, {
        "antwoord": "Elke student die twijfelt of vastloopt, vindt binnen een week de weg naar het Loopbaanplein.",
        "opdrachtgever": "Portefeuillehoudersoverleg Sociaal Domein Achterhoek",
        "kader": "De regionale jeugdagenda en de basisafspraken van VNG en MBO Raad.",
    }, auteur)
    ambitie = voeg_toe(a, fasen.AMBITIES, {
        "omschrijving": "Minder studenten stoppen zonder diploma door twijfel of problemen buiten school",
        "toelichting": "",
    }, auteur)
    resultaat = voeg_toe(a, fasen.RESULTATEN, {
        "ambitie": ambitie, "omschrijving": "Studenten met een vraag spreken binnen een week een loopbaanadviseur",
    }, auteur)
    voeg_toe(a, fasen.INDICATOREN, {
        "ambitie": ambitie, "resultaat": resultaat, "naam": "Vragen binnen een week opgepakt", "eenheid": "%",
        "nulmeting": "70", "streefwaarde": "90", "meetmoment": "2027-06-30", "meetfrequentie": "jaarlijks",
        "bron": "Registratie Loopbaanplein",
    }, auteur)

    # Vormgeven, in part: aansluiting and governance (aanbod and financiering: their apps' demo loaders).
    schrijf(a, fasen.AANSLUITING, {
        "antwoord": "Het Loopbaanplein verwijst door naar het lokale team van de woongemeente; een vaste "
                    "contactpersoon per gemeente kent de weg.",
    }, auteur)
    schrijf(a, fasen.GOVERNANCE, {
        "dsp_niveau": "ja",
        "rol_contactgemeente": "Doetinchem ontvangt de specifieke uitkering en verdeelt die binnen de regio.",
        "inkoop": "mbo_instelling",
        "overlegstructuur": "",
    }, auteur)
    actie(a, Fase.VORMGEVEN, auteur, "Kwaliteitseisen voor het Loopbaanplein uitwerken", graafschap, "2027-02-01")


# --- Twente: ROC van Twente, 14 gemeenten, a concept in Verkennen and Verbeelden --------------------


def _twente(demo):
    a, auteur = demo.afspraak, demo.auteur
    enschede, roc = demo.partij("Gemeente Enschede"), demo.partij("ROC van Twente")
    tactus, mediant = demo.partij(TACTUS), demo.partij(MEDIANT)

    schrijf(a, fasen.BESTUURLIJK_OVERLEG, {
        "er_is_overleg": "ja",
        "welk_overleg": "Het Twents bestuurlijk overleg jeugd, met de wethouders van de veertien Twentse gemeenten.",
        "antwoord": "",
    }, auteur)
    schrijf(a, fasen.PARTNERS, {
        "antwoord": "De veertien Twentse gemeenten, het ROC van Twente, Tactus voor verslavingszorg en Mediant voor "
                    "GGZ. Tactus en Mediant zetten eigen mensen in, betaald uit gemeentelijke middelen.",
    }, auteur)
    schrijf(a, fasen.CENTRUMGEMEENTE, {
        "centrumgemeente": enschede,
        "antwoord": "Enschede, Hengelo en Almelo zijn de drie centrumgemeenten; zij verdelen de gedetacheerde "
                    "schoolmaatschappelijk werkers over hun locaties. Enschede is contactgemeente.",
    }, auteur)
    schrijf(a, fasen.FINANCIERING_NU, {
        "financiers": [roc, enschede, tactus, mediant],
        "antwoord": "Het ROC van Twente betaalt het Loopbaancentrum; de centrumgemeenten detacheren "
                    "schoolmaatschappelijk werk; Tactus en Mediant zetten eigen inzet in uit gemeentelijke middelen.",
        "onderwijsmiddelen": "Lumpsum en middelen passend onderwijs van het ROC van Twente.",
        "gemeentelijk": "Jeugdwet en Wmo van de centrumgemeenten (detachering) en de subsidies aan Tactus en Mediant.",
        "zorgverzekeraar": "",
        "overig": "",
        "transparantie": "De kosten van de detachering per centrumgemeente zijn nog niet met de andere gemeenten "
                         "gedeeld.",
    }, auteur)
    schrijf(a, fasen.REGIE, {
        "antwoord": "Het ROC van Twente voert de regie op het onderwijsproces, Enschede namens de gemeenten op de "
                    "hulp. Wie de regie op de samenwerking krijgt, bespreken we in het bestuurlijk overleg.",
        "regie_onderwijs": roc, "regie_hulp": enschede, "regie_samenwerking": None,
    }, auteur)
    schrijf(a, fasen.STUDENTEN, {
        "antwoord": "Gedeeltelijk: de aantallen per woongemeente staan hierboven, maar de spreiding over de locaties "
                    "moeten we nog uitzoeken.",
    }, auteur)
    schrijf(a, fasen.ALLE_STUDENTEN, {
        "alle_studenten": True,
        "gemeenten_buiten": "",
    }, auteur)
    schrijf(a, fasen.ONDERSTEUNINGSVRAGEN, {
        "aard_omvang": "Alle studenten kunnen ongeveer vijf gesprekken voeren via het Loopbaancentrum; de vragen "
                       "worden als aantallen per soort geteld.",
        "aanwezig_aanbod": "Loopbaancentrum, kortdurende groepstrajecten, gedetacheerd schoolmaatschappelijk werk, "
                           "Tactus en Mediant op afroep.",
        "regionaal_karakter": "Het ROC van Twente heeft locaties in de drie centrumgemeenten en studenten uit heel "
                              "Twente en de Achterhoek.",
        "vragen": "Hoe verdelen we de kosten eerlijk over veertien gemeenten?",
        "schaal": "Twente als doorstroompuntregio, met de drie centrumgemeenten voor de uitvoering.",
    }, auteur)
    schrijf(a, fasen.VISIE, {
        "antwoord": "Het ROC van Twente wordt uitgenodigd voor de Twentse visie op jeugd; een eerste sessie is "
                    "gepland.",
    }, auteur)
    voeg_toe(a, fasen.AMBITIES, {
        "omschrijving": "Elke student weet waar hij terecht kan en wordt niet doorverwezen zonder warme overdracht",
        "toelichting": "Eerste opzet; resultaten en indicatoren volgen.",
    }, auteur)

    # Acties: one overdue (its deadline lies before today), whatever day the demo is loaded.
    vandaag = timezone.localdate()
    actie(a, Fase.VERKENNEN, auteur, "Kosten van de detachering per centrumgemeente in beeld brengen", enschede,
          vandaag - datetime.timedelta(days=21))
    actie(a, Fase.VERKENNEN, auteur, "Spreiding van de studenten over de locaties uitzoeken", roc,
          vandaag + datetime.timedelta(days=30), "bezig")
    actie(a, Fase.VERKENNEN, auteur, "Studentenaantallen per woongemeente opvragen", roc,
          vandaag - datetime.timedelta(days=60), "afgerond")
    actie(a, Fase.VERBEELDEN, auteur, "Visiesessie met studenten, professionals en bestuurders", enschede,
          vandaag + datetime.timedelta(days=60))


# --- Flevoland: Studentsteunpunt Flevoland, all four phases, signed at load time ------------------------


def _flevoland(demo):
    a, auteur = demo.afspraak, demo.auteur
    almere, lelystad = demo.partij("Gemeente Almere"), demo.partij("Gemeente Lelystad")
    noordoostpolder, roc = demo.partij("Gemeente Noordoostpolder"), demo.partij("ROC Flevoland")
    ggz = demo.partij(GGZ_FLEVOLAND)

    # Every party gets a demo bestuurder (demo-fl-bestuurder-N), who signs in `rond_af`.
    _bestuurders_voor_alle_partijen(demo, auteur, voorvoegsel=FL_BESTUURDER, functie=_functie_naar_soort)

    # Stap 1: Verkennen
    schrijf(a, fasen.BESTUURLIJK_OVERLEG, {
        "er_is_overleg": "ja",
        "welk_overleg": "Het bestuurlijk overleg Jeugd en Onderwijs Flevoland: de wethouders jeugd en onderwijs van "
                        "de vijf gemeenten in de regio en het college van bestuur van ROC Flevoland, twee keer per "
                        "jaar; GGZ Jong Flevoland schuift aan voor het onderdeel zorg.",
        "antwoord": "",
    }, auteur)
    schrijf(a, fasen.PARTNERS, {
        "antwoord": "De gemeenten Almere, Dronten, Lelystad, Noordoostpolder en Urk, ROC Flevoland en GGZ Jong "
                    "Flevoland als zorgaanbieder. De gemeenten buiten de regio waar veel studenten wonen zijn partij "
                    "en worden uitgenodigd voor het jaarlijkse overleg over de bijdrage per student. Het "
                    "jongerenwerk, de leerplicht- en RMC-functie en de schuldhulpverlening sluiten aan bij het "
                    "uitvoeringsoverleg.",
    }, auteur)
    schrijf(a, fasen.CENTRUMGEMEENTE, {
        "centrumgemeente": almere,
        "antwoord": "Almere is contactgemeente van de doorstroompuntregio en centrumgemeente voor de jeugdhulp. Zij "
                    "ontvangt de specifieke uitkering, koopt het aanvullende aanbod in namens de regio en is "
                    "penvoerder. De andere gemeenten sluiten aan met hun eigen sociale teams en zijn vertegenwoordigd "
                    "in het bestuurlijk overleg.",
    }, auteur)
    schrijf(a, fasen.FINANCIERING_NU, {
        "financiers": [roc, almere, lelystad, ggz],
        "antwoord": "Tot nu toe betaalt ROC Flevoland de ondersteuning op school grotendeels zelf. Almere en "
                    "Lelystad subsidiëren jongerenwerk op de locaties in hun stad; GGZ Jong Flevoland houdt een "
                    "proef met een GGZ-consulent op school, betaald uit een projectsubsidie die in 2026 afloopt.",
        "onderwijsmiddelen": "ROC Flevoland betaalt studieloopbaanbegeleiding en schoolmaatschappelijk werk uit de "
                             "lumpsum en de middelen passend onderwijs.",
        "gemeentelijk": "Almere en Lelystad betalen jongerenwerk uit hun Wmo-budget; de sociale teams van alle "
                        "gemeenten uit de Jeugdwet en de Wmo.",
        "zorgverzekeraar": "",
        "overig": "De specifieke uitkering (SPUK) voor de doorstroompuntregio loopt via Almere.",
        "transparantie": "",
    }, auteur)
    schrijf(a, fasen.REGIE, {
        "antwoord": "ROC Flevoland voert de regie op het onderwijsproces en op het Studentsteunpunt per locatie; "
                    "Almere namens de gemeenten op de hulp en ondersteuning. De regie op de samenwerking ligt bij "
                    "een regiocoördinator in dienst van Almere.",
        "regie_onderwijs": roc, "regie_hulp": almere, "regie_samenwerking": almere,
    }, auteur)
    schrijf(a, fasen.STUDENTEN, {
        "antwoord": "Ja. De aantallen per woongemeente staan hierboven. De meeste studenten wonen in Almere en "
                    "Lelystad; studenten uit Urk en de Noordoostpolder reizen ver en studeren deels buiten de "
                    "regio. Een flink deel komt uit het Gooi en uit Amsterdam.",
    }, auteur)
    buiten = _buiten_namen(demo)
    schrijf(a, fasen.ALLE_STUDENTEN, {
        "alle_studenten": True,
        "gemeenten_buiten": (
            f"De gemeenten buiten de regio waar veel studenten van ROC Flevoland wonen ({buiten}) zijn partij bij "
            "deze afspraak en betalen een vast bedrag per student per jaar. Hun studenten krijgen op school "
            "hetzelfde aanbod; voor hulp buiten school zoekt het Studentsteunpunt de weg naar hun eigen "
            "wijkteam." if buiten else
            "Studenten van buiten de regio krijgen op school hetzelfde aanbod; voor hulp buiten school zoekt het "
            "Studentsteunpunt de weg naar het wijkteam van hun woongemeente."
        ),
    }, auteur)
    schrijf(a, fasen.ONDERSTEUNINGSVRAGEN, {
        "aard_omvang": "Het Studentsteunpunt telt de vragen per locatie en soort: vooral stress en somberheid, "
                       "geldzorgen, problemen thuis en vragen over wonen. Eerstejaars melden zich het vaakst.",
        "aanwezig_aanbod": "Op school: studieloopbaanbegeleiding, schoolmaatschappelijk werk, jongerenwerk in Almere "
                           "en Lelystad. Buiten school: de sociale teams van de gemeenten, jeugd-GGZ en "
                           "schuldhulpverlening.",
        "regionaal_karakter": "ROC Flevoland is de mbo-instelling van de hele provincie, met studenten uit alle vijf "
                              "gemeenten en uit de regio's rond het IJsselmeer en het Gooi.",
        "vragen": "Hoe krijgen studenten uit de kleinere gemeenten even snel hulp als studenten in Almere en "
                  "Lelystad, en hoe dragen de gemeenten buiten de regio bij?",
        "schaal": "Afspraken op het niveau van de doorstroompuntregio, met één Studentsteunpunt op elke locatie "
                  "en één verdeelsleutel.",
    }, auteur)

    # Stap 2: Verbeelden
    schrijf(a, fasen.VISIE, {
        "antwoord": "De gemeenten en ROC Flevoland hebben samen met de studentenraad een korte visie geschreven: "
                    "iedere student heeft op school een vast aanspreekpunt, en hulp komt naar de school toe in plaats "
                    "van andersom.",
    }, auteur)
    schrijf(a, fasen.AMBITIES_TEKST, {
        "antwoord": "Eén Studentsteunpunt op elke locatie waar studenten zonder afspraak terecht kunnen, met "
                    "dezelfde hulp voor iedere student, ongeacht de woongemeente.",
        "opdrachtgever": "Het bestuurlijk overleg Jeugd en Onderwijs Flevoland",
        "kader": "Deze uitvoeringsafspraak en de twaalf basisafspraken van VNG en MBO Raad (februari 2026).",
    }, auteur)
    doelen(a, FLEVOLAND_DOELEN, auteur)

    # Stap 3: Vormgeven (aanbod and financiering: their apps' demo loaders)
    schrijf(a, fasen.AANSLUITING, {
        "antwoord": "Elk Studentsteunpunt heeft een vaste contactpersoon bij het sociale team van iedere gemeente in "
                    "de regio. Met toestemming van de student stemmen zij binnen vijf werkdagen af; er is één plan "
                    "per student, ook als school en gemeente allebei hulp bieden.",
    }, auteur)
    schrijf(a, fasen.GOVERNANCE, {
        "dsp_niveau": "ja",
        "rol_contactgemeente": "Almere ontvangt de specifieke uitkering, koopt het aanvullende aanbod in namens de "
                               "regio, int de bijdragen van de andere gemeenten en zit het bestuurlijk overleg voor.",
        "inkoop": "contactgemeente",
        "overlegstructuur": "Bestuurlijk overleg twee keer per jaar; een uitvoeringsoverleg van ROC Flevoland, de "
                            "sociale teams en GGZ Jong Flevoland elke zes weken; een jaarlijkse bijeenkomst met de "
                            "gemeenten buiten de regio.",
    }, auteur)
    schrijf(a, fasen.KWALITEITSEISEN, {
        "antwoord": "Een student met een vraag spreekt binnen tien werkdagen iemand van het Studentsteunpunt; een "
                    "doorverwijzing gebeurt altijd met een warme overdracht; de partijen bespreken elk half jaar de "
                    "doorlooptijden (alleen aantallen, geen namen).",
        "eisen_onderwijs": "ROC Flevoland zorgt voor een Studentsteunpunt op elke locatie, registreert vragen en "
                           "doorlooptijden en betrekt de studentenraad bij de evaluatie.",
        "eisen_gemeenten": "De gemeenten zorgen voor een vaste contactpersoon per locatie en hulp zonder wachtlijst "
                           "voor lichte vragen.",
    }, auteur)
    schrijf(a, fasen.DEKKEND_AANBOD, {
        "antwoord": "Docenten krijgen tijd om signalen te bespreken met het Studentsteunpunt; het jongerenwerk wordt "
                    "uitgebreid naar de locatie in Emmeloord, zodat ook studenten uit de Noordoostpolder en Urk het "
                    "aanbod dichtbij hebben.",
    }, auteur)
    schrijf(a, fasen.PROFESSIONALISERING, {
        "antwoord": "Een gezamenlijk scholingsprogramma voor medewerkers van het Studentsteunpunt en de sociale "
                    "teams, intervisie elke maand en supervisie voor de GGZ-consulenten.",
        "vormen": ["training", "intervisie", "supervisie"],
    }, auteur)

    # Stap 4: Verankeren
    schrijf(a, fasen.OPBRENGST, {
        "antwoord": "Snellere hulp, minder uitval in het eerste jaar en studenten die weten waar ze terecht "
                    "kunnen; de resultaten komen twee keer per jaar in het bestuurlijk overleg en leiden tot "
                    "verbeteracties.",
        "monitor": "De monitor van deze applicatie met de indicatoren uit stap 2, aangevuld met de registratie van "
                   "het Studentsteunpunt.",
    }, auteur)
    rapportages(a, [
        ("Voortgang op de indicatoren", roc, "Bestuurlijk overleg Jeugd en Onderwijs Flevoland", "halfjaarlijks",
         "2026-10-01"),
        ("Besteding van de middelen en de bijdragen per gemeente", almere,
         "De gemeenteraden in de regio en de gemeenten buiten de regio", "jaarlijks", "2027-04-01"),
        ("Bereik van het Studentsteunpunt per locatie en woongemeente", roc, "Uitvoeringsoverleg", "kwartaal",
         "2026-07-01"),
    ], auteur)
    schrijf(a, fasen.CONTINUITEIT, {
        "meerjarig": "ja",
        "antwoord": "De financiering ligt vast voor 2026 tot en met 2029; iedere gemeente draagt bij volgens dezelfde "
                    "verdeelsleutel en de monitor laat zien wat het oplevert. Een student die 18 wordt, houdt "
                    "hetzelfde aanspreekpunt.",
    }, auteur)
    schrijf(a, fasen.CONTINUITEIT_FINANCIERING, {
        "antwoord": "De bijdragen zijn opgenomen in de meerjarenbegrotingen van de gemeenten en van ROC Flevoland. "
                    "Na afloop van de specifieke uitkering besluiten de partijen uiterlijk in 2028 over de "
                    "voortzetting.",
    }, auteur)
    schrijf(a, fasen.AANPAK, {
        "antwoord": "De wethouders en het college van bestuur dragen de aanpak uit; de teamleiders van de locaties "
                    "en de coördinatoren van de sociale teams bewaken de uitvoering.",
    }, auteur)
    schrijf(a, fasen.EVALUATIE, {
        "tussentijds": "2027-12-01", "eind": "2029-09-01",
        "antwoord": "Met studenten, medewerkers en bestuurders: een tussentijdse evaluatie eind 2027 en een "
                    "eindevaluatie voor de volgende afspraak.",
    }, auteur)

    # Fixed deadlines, as in a signed text: two of them lie before November 2026 and are not done (overdue).
    actie(a, Fase.VERKENNEN, auteur, "Studentenaantallen per woongemeente jaarlijks actualiseren", roc,
          "2027-03-01")
    actie(a, Fase.VORMGEVEN, auteur, "Inkoop van de GGZ-consulenten op school afronden", almere, "2026-06-30",
          "afgerond")
    actie(a, Fase.VORMGEVEN, auteur, "Werkafspraken over gegevensdeling tussen Studentsteunpunt en sociale teams "
          "vastleggen", almere, "2026-09-15", "bezig")
    actie(a, Fase.VORMGEVEN, auteur, "Jongerenwerk uitbreiden naar de locatie in Emmeloord", noordoostpolder,
          "2027-01-31")
    actie(a, Fase.VERANKEREN, auteur, "Registratie van het Studentsteunpunt aansluiten op de indicatoren", roc,
          "2026-10-01")
    actie(a, Fase.VERANKEREN, auteur, "Tussentijdse evaluatie voorbereiden met de studentenraad", roc, "2027-09-01")


# (ambitie, resultaat, [(indicator, eenheid, nulmeting, streefwaarde, eerste meetmoment, frequentie, bron)])
FLEVOLAND_DOELEN = [
    ("Iedere student met een vraag krijgt snel hulp, op school en dichtbij",
     "Een student spreekt binnen tien werkdagen iemand van het Studentsteunpunt",
     [("Vragen binnen tien werkdagen opgepakt", "%", "58", "85", "2026-04-01", "kwartaal",
       "Registratie Studentsteunpunt ROC Flevoland")]),
    ("Minder studenten stoppen in het eerste jaar door problemen buiten school",
     "Studenten die dreigen uit te vallen krijgen begeleiding voordat zij stoppen",
     [("Eerstejaars die zonder diploma stoppen", "%", "9,1", "7", "2026-10-01", "jaarlijks",
       "DUO, vsv-cijfers, en registratie ROC Flevoland")]),
    ("Studenten weten de weg naar hulp",
     "Elke student kent het Studentsteunpunt van de eigen locatie",
     [("Rapportcijfer ‘ik weet waar ik terecht kan met problemen’", "rapportcijfer", "6,2", "7,5", "2027-03-01",
       "jaarlijks", "JOB-monitor en studententevredenheidsonderzoek ROC Flevoland")]),
    ("Niemand valt tussen wal en schip bij een doorverwijzing",
     "Bij een doorverwijzing blijft een vertrouwd gezicht betrokken tot de hulp is gestart",
     [("Doorverwijzingen met warme overdracht", "%", "35", "80", "2026-06-01", "halfjaarlijks",
       "Registratie schoolmaatschappelijk werk")]),
]


# --- the loaders ----------------------------------------------------------------------------------

REGIOS = [
    # (regionummer, titel, partners, author user names, fill)
    (FRIESLAND_NOORD, "Uitvoeringsafspraak zorg en welzijn mbo Friesland Noord (Sterk in Firda)",
     ("demo",), ("demo-gemeente", "demo-instelling"), _friesland),
    (ACHTERHOEK, "Uitvoeringsafspraak zorg en welzijn mbo Achterhoek (Loopbaanplein)",
     (), ("demo-doetinchem",), _achterhoek),
    (TWENTE, "Uitvoeringsafspraak zorg en welzijn mbo Twente (Loopbaancentrum)",
     ("tactus", "mediant"), ("demo-enschede",), _twente),
    (FLEVOLAND, "Uitvoeringsafspraak zorg en welzijn mbo Flevoland (Studentsteunpunt)",
     ("ggz-flevoland",), ("demo-almere",), _flevoland),
]


def _partners(sleutels):
    bekend = {
        "demo": lambda: accountsdemo.maak_demo_partner(),
        "tactus": lambda: _partner(TACTUS, Organisatie.PartnerSoort.ZORGAANBIEDER),
        "mediant": lambda: _partner(MEDIANT, Organisatie.PartnerSoort.ZORGAANBIEDER),
        "ggz-flevoland": lambda: _partner(GGZ_FLEVOLAND, Organisatie.PartnerSoort.ZORGAANBIEDER),
    }
    return [bekend[s]() for s in sleutels]


def laad_afspraken(verslag):
    """Create the demo agreements whose region has no current agreement yet (volgorde 10)."""
    with translation.override("nl"):
        _maak_gebruikers(verslag)
        nieuw = {}
        for nummer, titel, partners, auteurs, vul in REGIOS:
            regio = Doorstroompuntregio.objects.select_related("contactgemeente").filter(nummer=nummer).first()
            if regio is None:
                raise DemoFout(
                    f"Regio {nummer} ontbreekt. Laad eerst de referentiegegevens: manage.py laad_referentiedata"
                )
            bestaand = regio.uitvoeringsafspraken.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).first()
            if bestaand is not None:
                verslag.meld(
                    f"{bestaand.titel} (regio {nummer}) bestaat al ({bestaand.get_status_display().lower()}); "
                    "de demo laat haar zoals zij is."
                )
                continue
            gebruikers = [_gebruiker(naam) for naam in auteurs]
            with transaction.atomic():
                afspraak = _start(regio, titel, _partners(partners), gebruikers[0])
                demo = _demo_afspraak(afspraak, gebruikers)
                vul(demo)
                _bevoegdheden(demo)
            nieuw[nummer] = demo
        verslag.demo_afspraken = nieuw


laad_afspraken.volgorde = 10


# Written explanations for aandachtspunten the demo can foresee (the view asks the same before 'gereed').
# {basisafspraak: (a word every reason of its aandachtspunten contains, the explanation)}: the text is only
# written when it answers every aandachtspunt of that basisafspraak.
TOELICHTINGEN = {
    12: (
        "deadline",
        "De bestuurders van alle partijen ondertekenen in het eerstvolgende bestuurlijk overleg Sterk in Firda; "
        "tot dan voeren de partijen de afspraak uit zoals beschreven.",
    ),
}
TOELICHTINGEN_PER_REGIO = {
    FRIESLAND_NOORD: TOELICHTINGEN,
    FLEVOLAND: {
        12: (
            "deadline",
            "De bestuurders van alle partijen ondertekenen de afspraak zodra zij ter ondertekening ligt; de "
            "partijen voeren haar sinds 1 januari 2026 al uit zoals beschreven.",
        ),
    },
}


def _toelichten(afspraak, oordelen, gebruiker, toelichtingen=TOELICHTINGEN):
    """Write the foreseen explanation for each aandachtspunt that has none yet, as the toetsing page does."""
    geschreven = []
    for oordeel in oordelen:
        nummer = oordeel.basisafspraak.nummer
        if oordeel.status != toetsing.AANDACHTSPUNT or oordeel.heeft_toelichting or nummer not in toelichtingen:
            continue
        woord, tekst = toelichtingen[nummer]
        redenen = [u.reden for u in oordeel.uitkomsten if u.status == toetsing.AANDACHTSPUNT]
        if not all(woord in reden for reden in redenen):
            continue
        Toelichting.objects.update_or_create(
            afspraak=afspraak, basisafspraak=nummer,
            defaults={"tekst": tekst, "bijgewerkt_door": gebruiker, "bijgewerkt_op": timezone.now()},
        )
        Wijziging.objects.create(
            afspraak=afspraak, sectie="toetsing", sectie_titel="Toetsing", soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving=f"Toelichting bij basisafspraak {nummer}", oud={"Toelichting": ""},
            nieuw={"Toelichting": tekst}, gebruiker=gebruiker,
        )
        geschreven.append(nummer)
    return geschreven


def _gereed(afspraak, gebruiker, toelichtingen=TOELICHTINGEN):
    """Mark 'gereed voor ondertekening' by the view's rule; returns (done, bezwaren). Never forced."""
    with transaction.atomic():
        afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
        oordelen = toetsing.toets(afspraak)
        if _toelichten(afspraak, oordelen, gebruiker, toelichtingen):
            oordelen = toetsing.toets(afspraak)
        kan, bezwaren = toetsing.kan_gereed(oordelen)
        if not kan or not afspraak.is_bewerkbaar:
            return False, bezwaren
        afspraak.status = Uitvoeringsafspraak.Status.GEREED
        afspraak.gereed_op = timezone.now()
        afspraak.gereed_door = gebruiker
        afspraak.save(update_fields=["status", "gereed_op", "gereed_door", "bijgewerkt_op"])
        Wijziging.objects.create(
            afspraak=afspraak, sectie="status", sectie_titel="Status", soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving="Gereed voor ondertekening", oud={"Status": "Concept"},
            nieuw={"Status": "Gereed voor ondertekening"}, gebruiker=gebruiker,
        )
    return True, []


def _telling(oordelen):
    t = toetsing.samenvatting(oordelen)
    return (
        f"{t[toetsing.VOLDAAN]} voldaan, {t[toetsing.AANDACHTSPUNT]} aandachtspunt"
        f"{'en' if t[toetsing.AANDACHTSPUNT] != 1 else ''}, {t[toetsing.NIET_VOLDAAN]} niet voldaan"
    )


class _NietOndertekend(Exception):
    """The demo could not complete the signing; everything of the attempt is rolled back."""


def _maak_document(afspraak, soort):
    """Make the document now, with the background task's own function.

    `ondertekening` queues the task on commit, but the whole demo load is one transaction, so the task would
    run only after it, too late for the signatures that need the document. The queued task then finds the
    document done and leaves it (tasks are idempotent)."""
    document = Document.objects.get(afspraak=afspraak, soort=soort)
    ondertekening.maak_document(document.pk)
    document.refresh_from_db()
    if document.status != Document.Status.KLAAR:
        raise _NietOndertekend(
            f"het document ({document.get_soort_display().lower()}) is niet gemaakt: {document.fout}"
        )
    return document


def _onderteken(demo):
    """Offer the agreement for signing as its demo beleidsmaker and sign it as every party's demo bestuurder,
    through `afspraken.ondertekening` and the signing form, as the views do (the second factor belongs to the
    bestuurder's log-in, not to the signing itself). Returns the reason when it could not be signed: the
    agreement then stays 'gereed' and nothing of the attempt remains."""
    try:
        zegel._laad_zegel()
    except zegel.ZegelNietBeschikbaar as fout:
        return (
            f"Niet ondertekend: {fout} Daarna kan demo-almere haar aanbieden en kunnen de bestuurders haar "
            "ondertekenen."
        )
    try:
        with transaction.atomic():
            afspraak = ondertekening.aanbieden(demo.afspraak, demo.auteur)
            document = _maak_document(afspraak, Document.Soort.TER_ONDERTEKENING)
            for partij in afspraak.partijen.select_related("bestuurder", "organisatie").order_by("organisatie__naam"):
                bestuurder = partij.bestuurder
                formulier = OndertekenFormulier({"document_sha256": document.sha256, "akkoord": "on"})
                if not formulier.is_valid():
                    raise _NietOndertekend(f"{partij.organisatie}: {formulier.errors.as_text()}")
                ondertekening.onderteken(
                    afspraak, bestuurder, document_sha256=formulier.cleaned_data["document_sha256"]
                )
            _maak_document(afspraak, Document.Soort.ONDERTEKEND)
    except (ondertekening.Geweigerd, _NietOndertekend) as fout:
        return f"Niet ondertekend: {fout}"
    demo.afspraak.refresh_from_db()
    return ""


def rond_af(verslag):
    """Mark Friesland Noord and Flevoland 'gereed' if the toetsing allows it, sign Flevoland (ONDERTEKENDE_REGIOS),
    and report every agreement made (volgorde 90)."""
    with translation.override("nl"):
        for nummer, demo in demo_afspraken(verslag).items():
            afspraak = demo.afspraak
            bezwaren, bij_aanbieden, niet_getekend = [], None, ""
            if nummer in GEREED_REGIOS:
                gereed, bezwaren = _gereed(afspraak, demo.auteur, TOELICHTINGEN_PER_REGIO.get(nummer, {}))
                if gereed and nummer in ONDERTEKENDE_REGIOS:
                    bij_aanbieden = toetsing.toets(afspraak)
                    niet_getekend = _onderteken(demo)
            afspraak.refresh_from_db()
            regel = (
                f"{afspraak.titel} (regio {nummer}): nieuw, {len(demo.partijen)} partijen, "
                f"{afspraak.get_status_display().lower()}; "
            )
            if bij_aanbieden is not None:
                regel += f"toetsing bij het aanbieden: {_telling(bij_aanbieden)}."
            else:
                regel += f"toetsing: {_telling(toetsing.toets(afspraak))}."
            if afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND:
                document = Document.objects.get(afspraak=afspraak, soort=Document.Soort.ONDERTEKEND)
                regel += (
                    f" Getekend door de bestuurders van alle {afspraak.ondertekeningen.count()} partijen; het "
                    f"verzegelde document (kenmerk {document.kenmerk}) is te controleren op /verifieren/."
                )
            if bezwaren:
                regel += " Niet gereed voor ondertekening: " + " ".join(bezwaren)
            if niet_getekend:
                regel += " " + niet_getekend
            verslag.meld(regel)
            if not getattr(demo, "extra_bestuurders", 0):
                continue
            if nummer == FRIESLAND_NOORD:
                verslag.meld(
                    f"Ondertekenen proberen: de bestuurders van de andere partijen van {afspraak.regio.naam} zijn "
                    f"demo-fn-bestuurder-1 tot en met demo-fn-bestuurder-{demo.extra_bestuurders}, wachtwoord "
                    f"{DEMO_BESTUURDERS_WACHTWOORD}, of een eigen wachtwoord met hun uitnodigingslink (onder "
                    "‘Inloggen op de demo’). Bestuurders stellen bij de eerste keer inloggen een tweede factor in (een "
                    "authenticator-app)."
                )
            else:
                getekend = afspraak.status == Uitvoeringsafspraak.Status.ONDERTEKEND
                verslag.meld(
                    f"De bestuurders van de partijen van {afspraak.regio.naam} zijn {FL_BESTUURDER}-1 tot en met "
                    f"{FL_BESTUURDER}-{demo.extra_bestuurders}, wachtwoord {DEMO_BESTUURDERS_WACHTWOORD}: zij "
                    + ("hebben getekend en downloaden het verzegelde document." if getekend else
                       "ondertekenen haar zodra zij ter ondertekening ligt.")
                    + " Bestuurders stellen bij de eerste keer inloggen een tweede factor in (een authenticator-app)."
                )
    _laad_metingen(verslag)
    _inlog_ondertekenaar(verslag, demo_afspraken(verslag))


rond_af.volgorde = 90


# --- monitoring of the signed agreement: metingen and progress --------------------------------------

# {indicator: [(meetmoment, waarde, gemeten op, toelichting)]}, as a beleidsmaker types them. The meetmoment of
# 1 October 2026 of the first indicator is left without a meting, so the monitor shows it overdue.
FLEVOLAND_METINGEN = {
    "Vragen binnen tien werkdagen opgepakt": [
        ("2026-04-01", "61", "2026-04-10", "Eerste kwartaal met het Studentsteunpunt op alle locaties."),
        ("2026-07-01", "67", "2026-07-08", "Minder wachttijd sinds de GGZ-consulenten op school zijn."),
    ],
    "Eerstejaars die zonder diploma stoppen": [
        ("2026-10-01", "8,6", "2026-10-20", "Voorlopig cijfer over het schooljaar 2025-2026."),
    ],
    "Doorverwijzingen met warme overdracht": [
        ("2026-06-01", "46", "2026-06-15", ""),
    ],
}
# (actie, stand, toelichting): progress reported on the version in force; the actie stays overdue until afgerond.
FLEVOLAND_VOORTGANG = [
    ("Werkafspraken over gegevensdeling tussen Studentsteunpunt en sociale teams vastleggen", "bezig",
     "Het concept ligt bij de privacyfunctionarissen van de gemeenten; besluit verwacht in december."),
]


def _laad_metingen(verslag):
    """Metingen and progress of the agreements signed in this run, through the monitoring forms and service, as a
    party beleidsmaker records them (from `rond_af`, after the signing). Metingen measured after today are left
    out."""
    from . import monitoring
    from .formulieren import ActievoortgangFormulier, MetingFormulier

    vandaag = timezone.localdate()
    with translation.override("nl"):
        for nummer, demo in demo_afspraken(verslag).items():
            afspraak = demo.afspraak
            if nummer != FLEVOLAND or afspraak.status != Uitvoeringsafspraak.Status.ONDERTEKEND:
                continue
            stand = monitoring.stand(afspraak, vandaag)
            standen = {s.indicator.naam: s for s in stand.indicatoren}
            aantal = 0
            for naam, metingen in FLEVOLAND_METINGEN.items():
                indicatorstand = standen[naam]
                for meetmoment, waarde, gemeten_op, toelichting in metingen:
                    if datetime.date.fromisoformat(gemeten_op) > vandaag:
                        continue
                    formulier = MetingFormulier(
                        {"meetmoment": meetmoment, "waarde": waarde, "gemeten_op": gemeten_op,
                         "bron": indicatorstand.indicator.bron, "toelichting": toelichting},
                        indicatorstand=indicatorstand, vandaag=vandaag,
                    )
                    if not formulier.is_valid():
                        raise DemoFout(f"Demo-meting {naam} ({meetmoment}): {formulier.errors.as_text()}")
                    monitoring.leg_meting_vast(indicatorstand.indicator, door=demo.auteur, vandaag=vandaag,
                                               **formulier.cleaned_data)
                    aantal += 1
            acties = {s.actie.omschrijving: s.actie for s in stand.acties}
            for omschrijving, status, toelichting in FLEVOLAND_VOORTGANG:
                formulier = ActievoortgangFormulier({"status": status, "toelichting": toelichting})
                if not formulier.is_valid():
                    raise DemoFout(f"Demo-voortgang {omschrijving}: {formulier.errors.as_text()}")
                monitoring.meld_voortgang(acties[omschrijving], door=demo.auteur, **formulier.cleaned_data)
            achterstanden = monitoring.stand(afspraak, vandaag).achterstanden
            verslag.meld(
                f"Monitoring {afspraak.regio.naam}: {aantal} metingen en {len(FLEVOLAND_VOORTGANG)} voortgangsmelding "
                f"vastgelegd; {len(achterstanden)} achterstallig (meetmomenten zonder meting en acties over hun "
                "deadline)."
            )

