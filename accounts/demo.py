"""Demo users, one per role, and the demo partner: loaded with the demo data (regio.demo), before the agreements.

After all demo data, every demo user (user name `demo-…`, also those afspraken.demo makes) gets an invitation
link, as the e-mail would bring it, to choose their own password (`maak_demo_uitnodigingen`): printed by
`laad_demodata` beside the fixed demo passwords, which stay so that the demo can be tried at once.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password

from audit import log
from regio.demo import SYNTHETISCH, DemoFout, Inlog

from . import uitnodigingen
from .models import Gebruiker, Organisatie, Uitnodiging

DEMO_PARTNER = "Zorgverzekeraar Noord (demo)"


@dataclass(frozen=True)
class DemoGebruiker:
    titel: str
    gebruikersnaam: str
    wachtwoord: str
    rol: str
    achternaam: str
    functie: str
    organisatie: str  # "gemeente:<CBS-code>", "instelling:<naam>" or "" (none)
    kan: str


# Fixed passwords, for the demo only: long, not common, unlike the user names (Django's validators).
DEMO_GEBRUIKERS = [
    DemoGebruiker(
        titel="Beleidsmaker van een gemeente",
        gebruikersnaam="demo-gemeente",
        wachtwoord="Kanaal-Tulp-Fiets-2026",
        rol=Gebruiker.Rol.BELEIDSMAKER,
        achternaam="Beleidsmaker Gemeente",
        functie="beleidsmedewerker onderwijs en jeugd (demo)",
        organisatie="gemeente:GM0080",  # Leeuwarden, Friesland Noord (regio 4)
        kan=(
            "schrijft namens de gemeente mee aan de uitvoeringsafspraak van haar regio; "
            "ziet regio's, gemeenten en instellingen met hun cijfers; nodigt collega's en bestuurders van de "
            "gemeente uit (Uitnodigingen)"
        ),
    ),
    DemoGebruiker(
        titel="Beleidsmaker van een mbo-instelling",
        gebruikersnaam="demo-instelling",
        wachtwoord="Terp-Zeilboot-Rooster-2026",
        rol=Gebruiker.Rol.BELEIDSMAKER,
        achternaam="Beleidsmaker Instelling",
        functie="beleidsadviseur studentenwelzijn (demo)",
        organisatie="instelling:Firda",  # Friesland Noord (regio 4)
        kan=(
            "schrijft namens de instelling mee aan de uitvoeringsafspraak van haar regio; "
            "ziet regio's, gemeenten en instellingen met hun cijfers"
        ),
    ),
    DemoGebruiker(
        titel="Bestuurder",
        gebruikersnaam="demo-bestuurder",
        wachtwoord="Raadzaal-Hamer-Besluit-2026",
        rol=Gebruiker.Rol.BESTUURDER,
        achternaam="Bestuurder",
        functie="wethouder (demo)",
        organisatie="gemeente:GM0080",
        kan=(
            "beoordeelt de definitieve tekst en ondertekent die namens de eigen organisatie; stelt bij de eerste "
            "keer inloggen een tweede factor in (een authenticator-app)"
        ),
    ),
    DemoGebruiker(
        titel="Beheerder",
        gebruikersnaam="demo-beheerder",
        wachtwoord="Sleutelbos-Kluis-Archief-2026",
        rol=Gebruiker.Rol.BEHEERDER,
        achternaam="Beheerder",
        functie="functioneel beheerder (demo)",
        organisatie="",
        kan=(
            "laadt DUO- en CBS-gegevens, beheert regio's, organisaties en gebruikers "
            "(ook in /admin/), nodigt iedereen uit; stelt bij de eerste keer inloggen een tweede factor in "
            "(een authenticator-app) en gebruikt die daarna voor alles"
        ),
    ),
]


def organisatie_van(verwijzing):
    if not verwijzing:
        return None
    soort, waarde = verwijzing.split(":", 1)
    if soort == "gemeente":
        organisatie = Organisatie.objects.filter(gemeente__code=waarde).first()
    else:
        organisatie = (
            Organisatie.objects.filter(instelling__naam__iexact=waarde).first()
            or Organisatie.objects.filter(instelling__naam__icontains=waarde)
            .order_by("naam")
            .first()
        )
    if organisatie is None:
        raise DemoFout(
            f"Organisatie voor de demo niet gevonden ({verwijzing}). "
            "Laad eerst de referentiegegevens: manage.py laad_referentiedata"
        )
    return organisatie


def maak_demo_partner():
    partner, _ = Organisatie.objects.get_or_create(
        naam=DEMO_PARTNER,
        soort=Organisatie.Soort.PARTNER,
        defaults={"partner_soort": Organisatie.PartnerSoort.ZORGVERZEKERAAR},
    )
    return partner


def organisatie_omschrijving(organisatie):
    if organisatie is None:
        return "geen (landelijk beheer)"
    regio = None
    if organisatie.gemeente_id:
        regio = organisatie.gemeente.regio
    elif organisatie.instelling_id:
        regio = organisatie.instelling.regios.order_by("nummer").first()
    return f"{organisatie.naam} ({regio.naam}, regio {regio.nummer})" if regio else organisatie.naam


def maak_demo_gebruikers():
    """Create the demo users that are missing; existing ones keep everything, their password too."""
    inloggen = []
    for demo in DEMO_GEBRUIKERS:
        gebruiker = (
            Gebruiker.objects.filter(username=demo.gebruikersnaam)
            .select_related("organisatie")
            .first()
        )
        nieuw = gebruiker is None
        if nieuw:
            gebruiker = Gebruiker(
                username=demo.gebruikersnaam,
                first_name="Demo",
                last_name=demo.achternaam,
                email=f"{demo.gebruikersnaam}@example.org",
                rol=demo.rol,
                functie=demo.functie,
                organisatie=organisatie_van(demo.organisatie),
            )
            validate_password(demo.wachtwoord, gebruiker)
            gebruiker.set_password(demo.wachtwoord)
            gebruiker.save()
            wachtwoord = demo.wachtwoord
        else:
            wachtwoord = demo.wachtwoord if gebruiker.check_password(demo.wachtwoord) else None
        inloggen.append(
            Inlog(
                titel=demo.titel,
                gebruikersnaam=gebruiker.username,
                wachtwoord=wachtwoord,
                organisatie=organisatie_omschrijving(gebruiker.organisatie),
                kan=demo.kan,
                nieuw=nieuw,
            )
        )
    return inloggen


def laad_demogebruikers(verslag):
    maak_demo_partner()
    verslag.inloggen = maak_demo_gebruikers()


laad_demogebruikers.volgorde = 5  # before the agreements (10), which name these users


# --- invitations: a link per demo user to choose their own password ----------------------------------------------


def _natuurlijk(gebruikersnaam):
    # demo-fn-bestuurder-2 before demo-fn-bestuurder-10
    return [int(deel) if deel.isdigit() else deel for deel in re.split(r"(\d+)", gebruikersnaam)]


def maak_demo_uitnodigingen(verslag):
    """Every active demo user gets a fresh invitation link (the key is stored only as a hash, so an earlier run's
    link cannot be shown again: it is replaced). Who chose a password through a link keeps it and gets none."""
    eerst = [inlog.gebruikersnaam for inlog in verslag.inloggen]
    gebruikers = sorted(
        Gebruiker.objects.filter(username__startswith="demo-", is_active=True),
        key=lambda g: (g.username not in eerst, eerst.index(g.username) if g.username in eerst else 0,
                       _natuurlijk(g.username)),
    )
    for gebruiker in gebruikers:
        laatste = (
            Uitnodiging.objects.filter(gebruiker=gebruiker, soort=Uitnodiging.Soort.ACCOUNT, vervangen_op=None)
            .order_by("-pk")
            .first()
        )
        if laatste is not None and laatste.gebruikt_op:
            verslag.uitnodigingen.append((gebruiker.username, "heeft via de uitnodiging een eigen wachtwoord gekozen"))
            continue
        if laatste is not None and laatste.ingetrokken_op:
            verslag.uitnodigingen.append((gebruiker.username, "uitnodiging ingetrokken"))
            continue
        uitnodiging, sleutel = uitnodigingen.maak_link(gebruiker, Uitnodiging.Soort.ACCOUNT)
        actie = log.Actie.UITNODIGING_VERSTUURD if laatste is None else log.Actie.UITNODIGING_OPNIEUW
        log.leg_vast(actie, object=uitnodiging, demo=True, voor=gebruiker.username)
        verslag.uitnodigingen.append((gebruiker.username, uitnodigingen.adres(uitnodiging.soort, sleutel)))


maak_demo_uitnodigingen.volgorde = 95  # after every loader that makes demo users


def inlogblok(verslag):
    """The Dutch block `laad_demodata` prints: log-ins, what each user can do, and the invitation links."""
    links = dict(verslag.uitnodigingen)
    regels = ["", "Inloggen op de demo (alleen voor de demo, niet voor echt gebruik):", ""]
    for inlog in verslag.inloggen:
        if inlog.wachtwoord is None:
            wachtwoord = "(gewijzigd; het bestaande wachtwoord is gelaten zoals het was)"
        else:
            wachtwoord = inlog.wachtwoord
        regels += [
            f"  {inlog.titel}{'' if inlog.nieuw else ' (bestond al)'}",
            f"    gebruikersnaam: {inlog.gebruikersnaam}",
            f"    wachtwoord:     {wachtwoord}",
        ]
        if inlog.gebruikersnaam in links:
            regels.append(f"    of zelf kiezen: {links[inlog.gebruikersnaam]}")
        regels += [
            f"    organisatie:    {inlog.organisatie}",
            f"    kan:            {inlog.kan}",
            "",
        ]
    in_blok = {inlog.gebruikersnaam for inlog in verslag.inloggen}
    anderen = [(naam, link) for naam, link in verslag.uitnodigingen if naam not in in_blok]
    if anderen:
        breedte = max(len(naam) for naam, _ in anderen)
        regels.append("  De andere demo-accounts (zelf een wachtwoord kiezen):")
        regels += [f"    {naam:<{breedte}}  {link}" for naam, link in anderen]
        regels.append("")
    if verslag.uitnodigingen:
        regels += [
            "  Elke link is een uitnodiging zoals de e-mail die brengt: 7 dagen geldig, werkt één keer; daarna kiest u",
            "  zelf een wachtwoord (bestuurders en de beheerder stellen dan een tweede factor in). Een volgende",
            "  `make run` maakt nieuwe links; de vorige werken dan niet meer.",
            "",
        ]
    regels.append(f"  Demo-partner: {DEMO_PARTNER} (zorgverzekeraar).")
    if verslag.studenten is not None:
        regels.append(f"  Let op: de studentenaantallen per woongemeente zijn {SYNTHETISCH}.")
    return "\n".join(regels)
