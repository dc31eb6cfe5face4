"""The checks of the basisafspraken whose data afspraken owns (2, 3, 4, 6, 11, 12).

One naming scheme in every app: the checks of an app live in `<app>/toetsregels.py`, each named
`basisafspraak_<n>_<wat>`, where n is the one basisafspraak whose outcomes it yields and `wat` says what it
looks at; each module lists them in `REGELS` and registers them with afspraken.toetsing from its
AppConfig.ready() through `registreer_toetsregels()`. So `grep -rn "def basisafspraak_9_"` finds every check
of basisafspraak 9, in whichever app owns its data (mind the trailing underscore: 1 is not 10, 11, 12).

Each check reads the answers of the phase sections (afspraken.fasen) through the request's
`Toetsgegevens` (one query for all text sections, one for the parties) and at most one query per row
model, so a toetsing takes a fixed number of queries. Every outcome says in plain Dutch why, and names
the section that fixes it. aanbod and financiering register their own checks (1, 5, 7–10 and parts of
2, 3, 6, 12).
"""

from django.urls import reverse
from django.utils import formats, timezone

from regio import cijfers

from . import fasen, ondertekenaars
from .models import Indicator, Rapportage, Uitvoeringsafspraak
from .toetsing import AANDACHTSPUNT, NIET_VOLDAAN, VOLDAAN, Toetsuitkomst, registreer


def _opsomming(namen):
    namen = list(namen)
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


# --- 2: wettelijke taken zorgvuldig en transparant ------------------------------------------------


def basisafspraak_2_financiering_nu(afspraak, gegevens):
    """Verkennen, question 4: who finances the connection today, and how (transparent about financing)."""
    financiers = gegevens.antwoord(fasen.FINANCIERING_NU, "financiers") or []
    partijen = {p.pk: p for p in gegevens.partijen}
    namen = [partijen[pk].organisatie.naam for pk in financiers if pk in partijen]
    hoe = any(gegevens.ingevuld(fasen.FINANCIERING_NU, veld) for veld in fasen.FINANCIERING_BRONNEN)
    if namen and hoe:
        yield Toetsuitkomst(
            2, VOLDAAN,
            f"De afspraak maakt transparant wie de aansluiting nu financiert ({_opsomming(namen)}) en hoe.",
            fasen.FINANCIERING_NU,
        )
    elif namen:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            f"Bekend is wie nu financiert ({_opsomming(namen)}), maar niet hoe: uit welke middelen (onderwijs, "
            "Jeugdwet, Wmo, Participatiewet, zorgverzekeraar) wordt wat betaald?",
            fasen.FINANCIERING_NU,
        )
    elif hoe:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            "Beschreven is hoe de aansluiting nu gefinancierd wordt, maar niet welke partijen financieren: kies ze "
            "bij “Wie financiert nu?”.",
            fasen.FINANCIERING_NU,
        )
    else:
        yield Toetsuitkomst(
            2, AANDACHTSPUNT,
            "Nog niet beschreven wie de aansluiting tussen mbo en (jeugd)hulp nu financiert en hoe. Transparantie "
            "over elkaars inzet is de basis om op elkaar te kunnen rekenen.",
            fasen.FINANCIERING_NU,
        )


# --- 3: aanvullende afspraken, continuïteit, lokale teams -----------------------------------------


def basisafspraak_3_aansluiting_en_continuiteit(afspraak, gegevens):
    """Vormgeven 1 (aansluiting van de ondersteuningsstructuren) and Verankeren 2 (continuïteit)."""
    aansluiting = gegevens.ingevuld(fasen.AANSLUITING, "antwoord")
    continuiteit = gegevens.ingevuld(fasen.CONTINUITEIT, "antwoord")
    ontbreekt = NIET_VOLDAAN if not (aansluiting or continuiteit) else AANDACHTSPUNT
    if aansluiting:
        yield Toetsuitkomst(
            3, VOLDAAN,
            "Beschreven is hoe de ondersteuningsstructuur van het mbo aansluit op die van de gemeenten.",
            fasen.AANSLUITING,
        )
    else:
        yield Toetsuitkomst(
            3, ontbreekt,
            "Nog niet beschreven hoe de ondersteuningsstructuur van het mbo aansluit op die van de gemeenten en hun "
            "lokale teams (stap 3, Vormgeven).",
            fasen.AANSLUITING,
        )
    if continuiteit:
        yield Toetsuitkomst(
            3, VOLDAAN, "Beschreven is hoe de partijen samen zorgen voor continuïteit.", fasen.CONTINUITEIT
        )
    else:
        yield Toetsuitkomst(
            3, ontbreekt,
            "Nog niet beschreven hoe de partijen samen zorgen voor continuïteit in hulp en ondersteuning, zodat "
            "niemand tussen wal en schip valt (stap 4, Verankeren).",
            fasen.CONTINUITEIT,
        )


# --- 4: alle studenten, ongeacht woongemeente, leeftijd of locatie --------------------------------


def basisafspraak_4_alle_studenten(afspraak, gegevens):
    if gegevens.ingevuld(fasen.ALLE_STUDENTEN, "alle_studenten"):
        yield Toetsuitkomst(
            4, VOLDAAN,
            "De afspraak verklaart dat zij geldt voor alle studenten, ongeacht hun woongemeente, leeftijd of "
            "mbo-locatie.",
            fasen.ALLE_STUDENTEN,
        )
    else:
        yield Toetsuitkomst(
            4, NIET_VOLDAAN,
            "De afspraak verklaart nog niet dat zij geldt voor alle studenten van de mbo-instellingen, ongeacht "
            "hun woongemeente, leeftijd of mbo-locatie. Vink die verklaring aan.",
            fasen.ALLE_STUDENTEN,
        )
    buiten = fasen.gemeenten_buiten_regio(afspraak, gegevens)
    drempel = f"{fasen.DREMPEL_BUITEN_REGIO * 100:.0f}%"
    open_ = [g for g in buiten if not g.betrokken]
    if open_:
        lijst = _opsomming(f"{g.naam} ({g.aandeel_tekst})" for g in open_)
        yield Toetsuitkomst(
            4, AANDACHTSPUNT,
            f"In {lijst} woont {drempel} of meer van de studenten van de instellingen in deze regio, maar "
            f"{'deze gemeente is' if len(open_) == 1 else 'deze gemeenten zijn'} geen partij en niet genoemd bij "
            "hoe gemeenten buiten de regio betrokken zijn.",
            fasen.ALLE_STUDENTEN,
        )
    elif buiten:
        yield Toetsuitkomst(
            4, VOLDAAN,
            f"Elke gemeente buiten de regio waar {drempel} of meer van de studenten woont, is partij of genoemd: "
            + _opsomming(f"{g.naam} ({g.aandeel_tekst})" for g in buiten) + ".",
            fasen.ALLE_STUDENTEN,
        )
    elif gegevens.ingevuld(fasen.ALLE_STUDENTEN, "gemeenten_buiten"):
        yield Toetsuitkomst(
            4, VOLDAAN,
            f"Geen gemeente buiten de regio heeft volgens de geladen aantallen {drempel} of meer van de studenten; de "
            "afspraak beschrijft hoe studenten van buiten de regio meedoen.",
            fasen.ALLE_STUDENTEN,
        )
    else:
        yield Toetsuitkomst(
            4, AANDACHTSPUNT,
            f"Volgens de geladen aantallen woont in geen gemeente buiten de regio {drempel} of meer van de studenten "
            "(of er zijn nog geen aantallen per woongemeente). Beschrijf toch hoe studenten van buiten de regio "
            "meedoen: volgens de landelijke vuistregel woont zo’n 30% buiten de regio.",
            fasen.ALLE_STUDENTEN,
        )


# --- 6: gekwalificeerde professionals --------------------------------------------------------------


def basisafspraak_6_professionalisering(afspraak, gegevens):
    if gegevens.ingevuld(fasen.PROFESSIONALISERING, "antwoord"):
        yield Toetsuitkomst(
            6, VOLDAAN,
            "Beschreven is hoe de partijen ruimte geven aan professionalisering van de professionals op de werkvloer.",
            fasen.PROFESSIONALISERING,
        )
    else:
        yield Toetsuitkomst(
            6, AANDACHTSPUNT,
            "Nog niet beschreven hoe de partijen ruimte geven aan professionalisering (coaching, training, intervisie, "
            "supervisie) van de professionals op de werkvloer.",
            fasen.PROFESSIONALISERING,
        )


# --- 11: georganiseerd op het niveau van de doorstroompuntregio -----------------------------------


def basisafspraak_11_doorstroompuntregio(afspraak, gegevens):
    regio = afspraak.regio
    contact, partij = fasen.contactgemeente_en_partij(afspraak, gegevens)
    if contact is None:
        yield Toetsuitkomst(
            11, AANDACHTSPUNT,
            f"De contactgemeente van regio {regio.naam} is niet bekend: de bronnen noemen haar niet. Vraag een "
            "beheerder haar vast te leggen, en beschrijf bij de governance welke gemeente die rol vervult.",
            "partijen",
        )
    elif partij is None:
        yield Toetsuitkomst(
            11, NIET_VOLDAAN,
            f"De contactgemeente van de regio, {contact.naam}, is geen partij bij de afspraak. Voeg haar toe bij "
            "“Partijen aan tafel”.",
            "partijen",
        )
    else:
        yield Toetsuitkomst(11, VOLDAAN, f"De contactgemeente {contact.naam} is partij bij de afspraak.", "partijen")

    niveau = gegevens.antwoord(fasen.GOVERNANCE, "dsp_niveau")
    if niveau == "ja":
        yield Toetsuitkomst(
            11, VOLDAAN, "De partijen organiseren zich op het niveau van de doorstroompuntregio.", fasen.GOVERNANCE
        )
    elif niveau == "nee":
        yield Toetsuitkomst(
            11, AANDACHTSPUNT,
            "Bij de governance staat dat de partijen zich niet op het niveau van de doorstroompuntregio organiseren; "
            "basisafspraak 11 vraagt dat wel. Licht toe waarom en hoe de afstemming met de regio loopt.",
            fasen.GOVERNANCE,
        )
    else:
        yield Toetsuitkomst(
            11, AANDACHTSPUNT,
            "Nog niet vastgelegd of de partijen zich organiseren op het niveau van de doorstroompuntregio.",
            fasen.GOVERNANCE,
        )

    # At most one: the database holds that (constraint een_financieel_eindverantwoordelijke on Partij).
    eind = next((p for p in gegevens.partijen if p.financieel_eindverantwoordelijk), None)
    if eind is None:
        yield Toetsuitkomst(
            11, NIET_VOLDAAN,
            "Geen partij draagt de financiële eindverantwoordelijkheid. Wijs er precies één aan bij “Partijen aan "
            "tafel” (meestal de contactgemeente).",
            "partijen",
        )
    else:
        yield Toetsuitkomst(
            11, VOLDAAN, f"{eind.organisatie.naam} draagt de financiële eindverantwoordelijkheid.", "partijen"
        )


# --- 12: monitoring en voortgangsbewaking, vastgelegd eind 2026 -----------------------------------


def basisafspraak_12_monitoring_en_deadline(afspraak, gegevens):
    rapportages = Rapportage.objects.filter(afspraak=afspraak).count()
    if rapportages:
        yield Toetsuitkomst(
            12, VOLDAAN,
            f"Vastgelegd is wie aan wie rapporteert en hoe vaak ({rapportages} "
            f"rapportage{'s' if rapportages != 1 else ''}).",
            fasen.RAPPORTAGES,
        )
    else:
        yield Toetsuitkomst(
            12, NIET_VOLDAAN,
            "Nog niet vastgelegd wie aan wie rapporteert en hoe vaak: de structuur voor voortgangsbewaking ontbreekt.",
            fasen.RAPPORTAGES,
        )

    indicatoren = list(Indicator.objects.filter(afspraak=afspraak).values_list("streefwaarde", "meetmoment"))
    compleet = sum(1 for streefwaarde, meetmoment in indicatoren if streefwaarde is not None and meetmoment)
    if compleet:
        yield Toetsuitkomst(
            12, VOLDAAN,
            f"{compleet} van de {len(indicatoren)} indicator{'en' if len(indicatoren) != 1 else ''} "
            f"{'heeft' if compleet == 1 else 'hebben'} een streefwaarde en een meetmoment.",
            fasen.INDICATOREN,
        )
    elif indicatoren:
        yield Toetsuitkomst(
            12, NIET_VOLDAAN,
            f"Er {'is' if len(indicatoren) == 1 else 'zijn'} {len(indicatoren)} "
            f"indicator{'en' if len(indicatoren) != 1 else ''}, maar geen met zowel een streefwaarde als een "
            "meetmoment: zonder die twee is de voortgang niet te monitoren.",
            fasen.INDICATOREN,
        )
    else:
        yield Toetsuitkomst(
            12, NIET_VOLDAAN,
            "Nog geen indicator met een streefwaarde en een meetmoment: zonder indicatoren is de voortgang niet te "
            "monitoren.",
            fasen.INDICATOREN,
        )

    deadline = formats.date_format(cijfers.DEADLINE, "j F Y")
    toetsing_url = reverse("afspraak_toetsing", args=[afspraak.pk]) + "#gereed-kop"
    if afspraak.ondertekend_op is not None:
        datum = timezone.localdate(afspraak.ondertekend_op)
        getekend = f"De uitvoeringsafspraak is ondertekend op {formats.date_format(datum, 'j F Y')}"
        if datum > cijfers.DEADLINE:
            yield Toetsuitkomst(12, AANDACHTSPUNT, f"{getekend}, na de deadline van {deadline}.")
        else:
            yield Toetsuitkomst(12, VOLDAAN, f"{getekend}, vóór de deadline van {deadline}.")
        return
    if afspraak.status in (Uitvoeringsafspraak.Status.ONDERTEKEND, Uitvoeringsafspraak.Status.VERVANGEN):
        yield Toetsuitkomst(12, VOLDAAN, "De uitvoeringsafspraak is ondertekend.")
        return
    if afspraak.status == Uitvoeringsafspraak.Status.TER_ONDERTEKENING:
        getekend = afspraak.ondertekeningen.filter(besluit="getekend").count()
        yield Toetsuitkomst(
            12, VOLDAAN,
            f"Ter ondertekening: {getekend} van {len(gegevens.partijen)} partijen hebben getekend; "
            f"deadline {deadline}.",
        )
        return
    dagen = cijfers.dagen_tot_deadline()
    if dagen > 1:
        resterend = f"nog {dagen} dagen"
    elif dagen == 1:
        resterend = "nog 1 dag"
    elif dagen == 0:
        resterend = "vandaag"
    else:
        yield Toetsuitkomst(
            12, AANDACHTSPUNT,
            f"De deadline van {deadline} is verstreken en de uitvoeringsafspraak is nog niet ondertekend.",
            url=toetsing_url,
        )
        return
    yield Toetsuitkomst(12, VOLDAAN, f"Ondertekening volgt; deadline {deadline} ({resterend})", url=toetsing_url)


def basisafspraak_12_ondertekenaars(afspraak, gegevens):
    """All parties sign (basisafspraak 12): every party has a chosen bestuurder, known from step 1 on rather than at
    the very end (issue 26). A party without one makes the agreement not yet 'gereed'; a chosen bestuurder who is
    invited and has not yet accepted counts as known (they accept before they sign)."""
    if afspraak.status not in (Uitvoeringsafspraak.Status.CONCEPT, Uitvoeringsafspraak.Status.GEREED):
        return  # offered or signed: the signing page tells who signed
    zonder, nog_accepteren = 0, 0
    for partij, stand in gegevens.ondertekenaars.per_partij():
        if stand.is_bekend:
            continue
        if stand.code == ondertekenaars.UITGENODIGD and partij.bestuurder_id:
            nog_accepteren += 1
            continue
        zonder += 1
        if stand.code == ondertekenaars.TE_KIEZEN:
            wat = "kies bij “Partijen aan tafel” wie namens de partij tekent"
        elif stand.code == ondertekenaars.UITGENODIGD:
            wat = "kies bij “Partijen aan tafel” wie tekent; dat kan al vóór de uitnodiging is geaccepteerd"
        else:
            wat = "vraag de partij om een ondertekenaar"
        toelichting = ""
        if stand.tekst != ondertekenaars.GEEN_TEKST:
            toelichting = f" ({stand.tekst[0].lower()}{stand.tekst[1:]})"
        yield Toetsuitkomst(
            12, NIET_VOLDAAN,
            f"{partij.organisatie.naam} heeft nog geen ondertekenaar met een account{toelichting}: {wat}.",
            "partijen", partij=partij, stand=stand,
        )
    if not zonder and gegevens.partijen:
        aantal = len(gegevens.partijen)
        reden = f"{'De partij heeft' if aantal == 1 else f'Alle {aantal} partijen hebben'} een ondertekenaar"
        if nog_accepteren:
            reden += (f"; {nog_accepteren} daarvan {'is' if nog_accepteren == 1 else 'zijn'} uitgenodigd en tekent "
                      "zodra de uitnodiging is geaccepteerd.")
        else:
            reden += " met een account."
        yield Toetsuitkomst(12, VOLDAAN, reden, "partijen")


REGELS = (
    basisafspraak_2_financiering_nu,
    basisafspraak_3_aansluiting_en_continuiteit,
    basisafspraak_4_alle_studenten,
    basisafspraak_6_professionalisering,
    basisafspraak_11_doorstroompuntregio,
    basisafspraak_12_monitoring_en_deadline,
    basisafspraak_12_ondertekenaars,
)


def registreer_toetsregels():
    for regel in REGELS:
        registreer(regel)
