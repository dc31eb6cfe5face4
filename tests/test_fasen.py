"""The content of the four phases: questions and tips, saving text and row sections, facts, query counts."""

import datetime
import html as htmlmod
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Gebruiker, Organisatie
from afspraken import fasen, secties
from afspraken.models import (
    Actie,
    Ambitie,
    Indicator,
    Partij,
    Rapportage,
    Resultaat,
    Sectie,
    Uitvoeringsafspraak,
    Wijziging,
)
from regio.models import Dataset, Doorstroompuntregio, Gemeente, MboInstelling, StudentenPerWoongemeente
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie, voeg_gemeenten_toe

pytestmark = pytest.mark.django_db

# The questions and tips of shared/domain/fasen.md, verbatim. A question of several sentences may be asked in
# several fields (one per sentence); each must be a label.
VRAGEN = {
    1: [
        ("Is er een bestuurlijk overleg in de regio dat initiatief kan nemen tot samenwerking?", None),
        ("Zo nee, hoe kunnen jullie er in de regio dan toe komen?", None),
        (
            "Ga na welke partners voor bestuurlijk overleg nodig zijn en breng hen om tafel.",
            "Tip: denk aan verantwoordelijke financiers: gemeenten, regionale inkooporganisaties, mbo-instellingen en "
            "zorgverzekeraar(s). Denk ook aan instellingen die betrokken zijn bij de ondersteuningsvragen zoals "
            "wijkteams, (jeugd)hulpinstellingen, wmo-instellingen of schuldsanering.",
        ),
        (
            "In hoeverre speelt een centrumgemeente in deze ((jeugd)hulp)regio een rol? Welke rol pakt deze "
            "centrumgemeente en welke invloed heeft dit voor kleine(re) gemeenten?",
            "Tip: als de rol van de centrumgemeente legitiem is, faciliteert dit de mogelijkheid om niet alleen "
            "namens de gemeente maar ook namens de regio afspraken te maken over de verbinding.",
        ),
        ("Wie financiert de aansluiting tussen mbo en (jeugd)hulp?", None),
        (
            "En hoe is dit dan gefinancierd?",
            "Tip: wees transparant over financiering. Dat is een belangrijke basis voor goede "
            "samenwerkingsafspraken. Wat wordt bekostigd vanuit onderwijsmiddelen en welk deel door gemeenten "
            "(vanuit (jeugd)hulpverlening, Wmo of Participatiewet) en/of zorgverzekeraar?",
        ),
        (
            "Wie voert de regie?",
            "Tip: de mbo-instellingen voeren regie op het onderwijsproces. De gemeenten op de organisatie van de "
            "hulp en steun bij maatschappelijke ondersteuning en arbeidstoeleiding. Afspraken over de regie van het "
            "samenwerken dienen zij in onderling overleg te maken.",
        ),
        (
            "Heeft u uw populatie mbo-studenten goed in beeld? Waar komen ze vandaan? In welke gemeente wonen zij? "
            "En naar welke scholen gaan zij?",
            "Tip: de regionale verschillen zijn groot. Als landelijke vuistregel kan gebruikt worden: 30% uit de "
            "plaats van vestiging van de mbo-instelling, 40% uit de regio, 30% van buiten de regio.",
        ),
        ("Ga na wat de aard en omvang van ondersteuningsvragen van de studenten zijn.", None),
        ("Verken het aanwezige ondersteuningsaanbod in en buiten de instelling.", None),
        ("Hoe breed is het regionale karakter van de mbo-instelling(en)?", None),
        ("Welke vragen roept dit vervolgens op voor de samenwerking tussen mbo en (jeugd)hulp?", None),
        ("Met wie en op welke schaal zijn afspraken realistisch?", None),
    ],
    2: [
        (
            "Op welke manier betrekt de gemeente/betrekken gemeenten het mbo bij visieontwikkeling over de "
            "aansluiting van het sociale domein op het onderwijs?",
            None,
        ),
        (
            "Welke ambities bestaan er aangaande de samenwerking tussen mbo en (jeugd)hulp?",
            "Tip: deel onderling de visies op ondersteuning aan studenten in het mbo en breng deze samen tot één. "
            "Zorg voor een bestuurlijke opdrachtgever en bijbehorend kader.",
        ),
    ],
    3: [
        (
            "Hoe sluit de ondersteuningsstructuur van het mbo aan op die van de gemeenten (en andersom)?",
            "Tip: draag zorg voor een heldere aansturing en (overleg)structuur met betrokken partijen.",
        ),
        (
            "Waaraan dient de ondersteuning te voldoen?",
            "Tip: bepaal de kwaliteitseisen. Maak onderscheid tussen onderwijs en gemeenten. Denk hierbij aan "
            "sluitende werkprocessen, periodieke toetsing op basis van casuïstiek of ingezette hulp, een integraal "
            "beeld en continuïteit van ondersteuning.",
        ),
        (
            "Hoe creëert u op organisatieniveau ruimte om een dekkend aanbod voor de student te ontwikkelen met de "
            "focus op het doorlopen van de schoolloopbaan?",
            "Tip: draag zorg voor tijd en ruimte om te mogen leren en ontwikkelen. Benut de feedback van studenten "
            "en collega's. Leer van andere werkpraktijken.",
        ),
        (
            "Hoe geeft u aandacht aan ruimte voor professionalisering van professionals op de werkvloer?",
            "Tip: de samenwerking tussen mbo en (jeugd)hulp is niet vanzelfsprekend. In beide sectoren vraagt "
            "samenwerking om specifieke competenties. Besteed daarom tijd aan coaching, training, intervisie en "
            "supervisie.",
        ),
    ],
    4: [
        (
            "Wat levert de aansluiting tussen mbo en (jeugd)hulpverlening op?",
            "Tip: bepaal en monitor de geleverde uitkomsten. Zorg voor periodieke verslaglegging als onderdeel van "
            "kwaliteitsbeleid. Bespreek de resultaten en bepaal verbeteracties met betrokkenen.",
        ),
        (
            "Hoe draagt u samen zorg voor continuïteit?",
            "Tip: een gemeenschappelijke regionale visie op het aansluitingsvraagstuk lijkt een voorwaarde om alle "
            "gemeenten financieel te laten participeren en daar meerjarenafspraken over vast te leggen. Ondersteun "
            "met een monitor die de resultaten gericht in beeld brengt.",
        ),
        (
            "Welke factoren zijn nog meer van belang voor continuïteit in financiering?",
            "Tip: borg door bestuurlijke besluitvorming (in regioverband) en verantwoording over de financiering in "
            "meerjarenafspraken (in regioverband) en geleverde uitkomsten. Zorg voor afstemming en samenhang met "
            "andere bestuurlijke gremia (zorgverzekeraar, gemeente, regio, school).",
        ),
        (
            "Welke aanpak werkt het beste?",
            "Tip: samenwerking is in de praktijk alleen effectief mits beleid en management een consequente "
            "uitvoering steunen, borgen en dragen.",
        ),
    ],
}
VERBEELDEN_3 = (
    "Hoe vertalen jullie deze ambities naar concrete resultaten?",
    "Tip: bespreek met betrokkenen (jongeren, professionals, bestuurders) welke resultaten per ambitie behaald "
    "moeten worden en hoe je dit met behulp van welke indicatoren gaat meten (vooraf en achteraf).",
)

PEILJAAR = 2030  # later than anything shipped: these rows are "the latest peiljaar"


# --- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def beleid():
    """A beleidsmaker of Leeuwarden, the contactgemeente of region 4 (Friesland Noord)."""
    return gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd")


@pytest.fixture
def afspraak():
    return maak_afspraak(4)


def _client(gebruiker):
    client = Client()
    client.force_login(gebruiker)
    return client


def _tekst(fragment):
    """Plain text of an HTML fragment: tags removed, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _labels(pagina):
    return [_tekst(m.group(2)) for m in re.finditer(r"<(label|legend)\b[^>]*>(.*?)</\1>", pagina, re.S)]


def _hulpteksten(pagina):
    """{id: text} of the help texts, which the fields point at with aria-describedby."""
    return {
        m.group(1): _tekst(m.group(2))
        for m in re.finditer(r'<p class="veld__hulp" id="([^"]+)">(.*?)</p>', pagina, re.S)
    }


def _pagina(client, afspraak, fase, bewerk=None):
    """The phase page; `bewerk` = (section key, row pk) opens that row's form, as its edit button does without
    JavaScript."""
    query = {"bewerk": bewerk[0], "rij": bewerk[1]} if bewerk else {}
    response = client.get(reverse("afspraak_fase", args=[afspraak.pk, fase]), query)
    assert response.status_code == 200
    return response.content.decode()


def _tekstdata(sleutel, versie, **velden):
    data = met_versie(sleutel, versie)
    for naam, waarde in velden.items():
        data[f"{sleutel}-{naam}"] = waarde
    return data


def _woon_dataset(status=Dataset.Status.SYNTHETISCH):
    dataset, _ = Dataset.objects.update_or_create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=PEILJAAR,
        defaults={"status": status, "bron": "Testbron studenten per woongemeente"},
    )
    return dataset


def _woonrijen(dataset, aantallen):
    firda = MboInstelling.objects.get(naam="Firda")
    StudentenPerWoongemeente.objects.bulk_create(
        StudentenPerWoongemeente(
            dataset=dataset, peiljaar=dataset.peiljaar, instelling=firda, gemeente=Gemeente.objects.get(naam=naam),
            aantal=aantal,
        )
        for naam, aantal in aantallen.items()
    )


# Firda (vestigingsgemeente unknown: the contactgemeente Leeuwarden stands in for (a)).
FIRDA = {
    "Leeuwarden": 400, "Dantumadiel": 200, "Waadhoeke": 100,  # in the region: 400 + 300
    "Súdwest-Fryslân": 150, "Smallingerland": 40, "Groningen": 5,  # outside: 195
}


def _tabelrij(pagina, tabel_id, deel):
    tabel = re.search(rf'<table id="{tabel_id}">(.*?)</table>', pagina, re.S).group(1)
    rij = re.search(rf'<tr data-deel="{deel}">(.*?)</tr>', tabel, re.S).group(1)
    return [_tekst(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, re.S)]


# --- registration ----------------------------------------------------------------------------------


def test_secties_van_de_fasen_zijn_geregistreerd_in_volgorde():
    verwacht = {
        1: [("verkennen-bestuurlijk-overleg", 10), ("verkennen-partners", 20), ("verkennen-centrumgemeente", 30),
            ("verkennen-financiering", 40), ("verkennen-regie", 50), ("verkennen-studenten", 60),
            ("verkennen-alle-studenten", 65), ("verkennen-ondersteuningsvragen", 70)],
        2: [("verbeelden-visie", 10), ("verbeelden-ambities", 20), ("verbeelden-ambitielijst", 30),
            ("verbeelden-resultaten", 40), ("verbeelden-indicatoren", 50)],
        3: [("vormgeven-aansluiting", 10), ("vormgeven-governance", 15), ("vormgeven-kwaliteitseisen", 20),
            ("vormgeven-dekkend-aanbod", 25), ("vormgeven-professionalisering", 30)],
        4: [("verankeren-opbrengst", 10), ("verankeren-rapportages", 15), ("verankeren-continuiteit", 20),
            ("verankeren-financiering", 30), ("verankeren-aanpak", 40), ("verankeren-evaluatie", 50)],
    }
    for fase, secties_ in verwacht.items():
        eigen = {sleutel for sleutel, _ in secties_}
        geregistreerd = [(d.sleutel, d.volgorde) for d in secties.van_fase(fase) if d.sleutel in eigen]
        assert geregistreerd == secties_
    sleutels = [d.sleutel for d in secties.alle()]
    assert len(sleutels) == len(set(sleutels))


# --- pages: steps, questions and tips -------------------------------------------------------------


@pytest.mark.parametrize("fase", [1, 2, 3, 4])
def test_fasepagina_toont_stap_vragen_en_tips_als_hulptekst(beleid, afspraak, fase):
    pagina = _pagina(_client(beleid), afspraak, fase)
    titel = re.search(r"<title>(.*?)</title>", pagina, re.S).group(1)
    kop = _tekst(re.search(r"<h1>(.*?)</h1>", pagina, re.S).group(1))
    assert titel.startswith(f"Stap {fase} van 4")
    assert kop.startswith(f"Stap {fase} van 4")
    labels = _labels(pagina)
    hulp = _hulpteksten(pagina)
    for vraag, tip in VRAGEN[fase]:
        passend = [label for label in labels if label.startswith(vraag)]
        assert passend, f"vraag ontbreekt als label: {vraag}"
        if tip:
            assert any(tekst.startswith(tip) for tekst in hulp.values()), f"tip ontbreekt als hulptekst: {tip}"
            # The field points at its help text, and a tip is never a placeholder.
            hulp_id = next(i for i, tekst in hulp.items() if tekst.startswith(tip))
            assert f'aria-describedby="{hulp_id}' in pagina or f'aria-describedby="{hulp_id}"' in pagina
    for placeholder in re.findall(r'placeholder="([^"]*)"', pagina):
        assert "Tip" not in placeholder
    if fase == 2:
        vraag, tip = VERBEELDEN_3
        inleidingen = [_tekst(m) for m in re.findall(r'<p class="sectie__inleiding">(.*?)</p>', pagina, re.S)]
        assert any(vraag in i and tip in i for i in inleidingen)


def test_leesrecht_toont_antwoorden_zonder_formulieren(afspraak):
    bestuurder = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd")
    Sectie.objects.create(
        afspraak=afspraak, sleutel=fasen.REGIE, inhoud={"antwoord": "Samen in het DSP-overleg"}, versie=1
    )
    pagina = _pagina(_client(bestuurder), afspraak, 1)
    assert "Samen in het DSP-overleg" in pagina
    assert "Wie voert de regie?" in pagina
    assert reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE]) not in pagina
    assert "<textarea" not in pagina and 'id="fase-formulier"' not in pagina


# --- saving a text section -------------------------------------------------------------------------


def test_tekstsectie_opslaan_met_gewone_post(beleid, afspraak):
    client = _client(beleid)
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE])
    firda = afspraak.partijen.get(organisatie__naam="Firda")
    response = client.post(url, _tekstdata(fasen.REGIE, 0, antwoord="Firda op het onderwijs", regie_onderwijs=firda.pk))
    assert response.status_code == 302
    assert response.url == reverse("afspraak_fase", args=[afspraak.pk, 1]) + "#sectie-verkennen-regie"
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.REGIE)
    assert sectie.versie == 1
    assert sectie.inhoud["antwoord"] == "Firda op het onderwijs"
    assert sectie.inhoud["regie_onderwijs"] == firda.pk
    assert sectie.bijgewerkt_door == beleid

    response = client.post(
        url, _tekstdata(fasen.REGIE, 1, antwoord="Firda en Leeuwarden samen", regie_onderwijs=firda.pk)
    )
    assert response.status_code == 302
    sectie.refresh_from_db()
    assert sectie.versie == 2
    wijziging = Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.REGIE).first()
    assert wijziging.soort == Wijziging.Soort.GEWIJZIGD
    assert wijziging.oud == {"Wie voert de regie?": "Firda op het onderwijs"}
    assert wijziging.nieuw == {"Wie voert de regie?": "Firda en Leeuwarden samen"}
    assert wijziging.gebruiker == beleid
    # Shown again on the page, with the party chosen.
    pagina = _pagina(client, afspraak, 1)
    assert "Firda en Leeuwarden samen" in pagina
    assert re.search(rf'<option value="{firda.pk}" selected>Firda</option>', pagina)


def test_tekstsectie_opslaan_met_htmx(beleid, afspraak):
    client = _client(beleid)
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.VISIE])
    response = client.post(url, _tekstdata(fasen.VISIE, 0, antwoord="Het mbo zit aan tafel bij de visie."),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Opgeslagen om" in fragment
    assert 'hx-swap-oob="true"' in fragment and f'name="{fasen.VISIE}-versie"' in fragment and 'value="1"' in fragment
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.VISIE)
    assert sectie.versie == 1 and sectie.inhoud["antwoord"] == "Het mbo zit aan tafel bij de visie."
    wijziging = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.VISIE)
    label = fasen.VisieFormulier.base_fields["antwoord"].label
    assert wijziging.oud == {label: ""} and wijziging.nieuw == {label: "Het mbo zit aan tafel bij de visie."}


def test_wat_een_ander_opslaat_is_meteen_te_zien(beleid, afspraak):
    """A reader (the bestuurder) sees every kind of change by someone else on the next request."""
    lezer = _client(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BESTUURDER, "bestuur-lwd"))
    schrijver = _client(beleid)
    Sectie.objects.create(afspraak=afspraak, sleutel=fasen.REGIE, inhoud={"antwoord": "Samen in het DSP-overleg"},
                          versie=1)
    Ambitie.objects.create(afspraak=afspraak, omschrijving="Minder uitval door tijdige hulp", versie=1)
    assert "Samen in het DSP-overleg" in _pagina(lezer, afspraak, 1)
    # A text section, through its own endpoint (as the page saves it with htmx).
    antwoord = schrijver.post(
        reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE]),
        {**met_versie(fasen.REGIE, 1), f"{fasen.REGIE}-antwoord": "De contactgemeente voert de regie"},
    )
    assert antwoord.status_code == 302
    html = _pagina(lezer, afspraak, 1)
    assert "De contactgemeente voert de regie" in html and "Samen in het DSP-overleg" not in html
    # A row added, changed without a model signal, removed.
    assert "Minder uitval door tijdige hulp" in _pagina(lezer, afspraak, 2)
    schrijver.post(reverse("rij_toevoegen", args=[afspraak.pk, fasen.AMBITIES]),
                   {f"{fasen.AMBITIES}-nieuw-omschrijving": "Elke student een vertrouwd gezicht"})
    assert "Elke student een vertrouwd gezicht" in _pagina(lezer, afspraak, 2)
    Ambitie.objects.filter(omschrijving="Minder uitval door tijdige hulp").update(omschrijving="Minder verzuim")
    html = _pagina(lezer, afspraak, 2)
    assert "Minder verzuim" in html and "Minder uitval door tijdige hulp" not in html
    Ambitie.objects.filter(omschrijving="Minder verzuim").delete()
    assert "Minder verzuim" not in _pagina(lezer, afspraak, 2)
    # Who wrote a section is named (to those who write along) as they are called now.
    Gebruiker.objects.filter(pk=beleid.pk).update(first_name="Anna", last_name="de Schrijver")
    assert "door Anna de Schrijver" in _pagina(schrijver, afspraak, 1)


def test_elk_antwoord_heeft_zijn_eigen_csrf_token_en_het_formulier_werkt(beleid, afspraak):
    een, twee = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    een.force_login(beleid)
    twee.force_login(beleid)
    tokens = []
    for client in (een, twee, een):
        html = _pagina(client, afspraak, 1)
        tokens.append(set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)))
    # Masked anew for each form; never one session's for another.
    assert all(tokens) and tokens[0].isdisjoint(tokens[1]) and tokens[0].isdisjoint(tokens[2])
    # The page's one form (every section is in it) saves with the token it carries.
    token = re.search(r'id="fase-formulier"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
                      html).group(1)
    antwoord = een.post(
        reverse("fase_opslaan", args=[afspraak.pk, 1]),
        {"csrfmiddlewaretoken": token, **met_versie(fasen.REGIE, 0),
         f"{fasen.REGIE}-antwoord": "Firda op het onderwijs"},
    )
    assert antwoord.status_code == 302
    assert "Firda op het onderwijs" in _pagina(twee, afspraak, 1)


def test_meerkeuze_partijen_en_vormen_worden_opgeslagen(beleid, afspraak):
    client = _client(beleid)
    leeuwarden = afspraak.partijen.get(organisatie__gemeente__naam="Leeuwarden")
    firda = afspraak.partijen.get(organisatie__naam="Firda")
    data = _tekstdata(fasen.FINANCIERING_NU, 0, antwoord="Uit de lumpsum en de Jeugdwet")
    data[f"{fasen.FINANCIERING_NU}-financiers"] = [leeuwarden.pk, firda.pk]
    assert client.post(reverse("sectie_opslaan", args=[afspraak.pk, fasen.FINANCIERING_NU]), data).status_code == 302
    inhoud = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.FINANCIERING_NU).inhoud
    assert sorted(inhoud["financiers"]) == sorted([leeuwarden.pk, firda.pk])
    wijziging = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.FINANCIERING_NU)
    assert set(wijziging.nieuw["Wie financiert de aansluiting tussen mbo en (jeugd)hulp?"].split(", ")) == {
        "Gemeente Leeuwarden", "Firda"
    }
    pagina = _pagina(client, afspraak, 1)
    # A group of checkboxes is a fieldset with a legend, with the chosen parties checked.
    assert re.search(r"<legend[^>]*>Wie financiert de aansluiting", pagina)
    assert re.search(rf'value="{firda.pk}"[^>]*checked', pagina)

    data = _tekstdata(fasen.PROFESSIONALISERING, 0, antwoord="Intervisie per kwartaal")
    data[f"{fasen.PROFESSIONALISERING}-vormen"] = ["intervisie", "coaching"]
    assert client.post(
        reverse("sectie_opslaan", args=[afspraak.pk, fasen.PROFESSIONALISERING]), data
    ).status_code == 302
    assert Sectie.objects.get(
        afspraak=afspraak, sleutel=fasen.PROFESSIONALISERING
    ).inhoud["vormen"] == ["intervisie", "coaching"]


def test_een_partij_van_een_andere_afspraak_kan_niet_gekozen_worden(beleid, afspraak):
    ander = maak_afspraak(3)
    vreemde = ander.partijen.first()
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE])
    response = _client(beleid).post(url, _tekstdata(fasen.REGIE, 0, regie_hulp=vreemde.pk))
    assert response.status_code == 422
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE, versie__gt=0).exists()


def test_verouderde_versie_wordt_geweigerd_en_overschrijft_niets(beleid, afspraak):
    collega = gebruiker_van(Organisatie.objects.get(naam="Firda"), Gebruiker.Rol.BELEIDSMAKER, "beleid-firda")
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.AANSLUITING])
    # Both opened version 0; the colleague saves first.
    assert _client(collega).post(url, _tekstdata(fasen.AANSLUITING, 0, antwoord="Via het zorgteam")).status_code == 302
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = _client(beleid).post(url, _tekstdata(fasen.AANSLUITING, 0, antwoord="Via de wijkteams"), **extra)
        assert response.status_code == 409
        pagina = response.content.decode()
        assert "Niet opgeslagen" in pagina
        assert "Via het zorgteam" in pagina and "Via de wijkteams" in pagina
        sectie = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.AANSLUITING)
        assert sectie.versie == 1 and sectie.inhoud["antwoord"] == "Via het zorgteam"
    assert Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.AANSLUITING).count() == 1


def test_evaluatie_met_datums_en_validatie(beleid, afspraak):
    client = _client(beleid)
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.EVALUATIE])
    fout = client.post(url, _tekstdata(fasen.EVALUATIE, 0, tussentijds="2027-12-01", eind="2027-06-01"))
    assert fout.status_code == 422
    assert "De eindevaluatie ligt vóór de tussentijdse evaluatie." in htmlmod.unescape(fout.content.decode())
    assert client.post(url, _tekstdata(fasen.EVALUATIE, 0, tussentijds="2027-12-01", eind="2029-11-01",
                                       antwoord="Met jongeren en professionals")).status_code == 302
    inhoud = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.EVALUATIE).inhoud
    assert inhoud["tussentijds"] == "2027-12-01" and inhoud["eind"] == "2029-11-01"
    wijziging = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.EVALUATIE)
    assert wijziging.nieuw["Eindevaluatie"] == "01-11-2029"


def test_governance_keuzes(beleid, afspraak):
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.GOVERNANCE])
    fout = _client(beleid).post(url, _tekstdata(fasen.GOVERNANCE, 0, inkoop="gemeente_x"))
    assert fout.status_code == 422
    assert _client(beleid).post(
        url, _tekstdata(fasen.GOVERNANCE, 0, dsp_niveau="ja", inkoop="contactgemeente",
                        rol_contactgemeente="Penvoerder")
    ).status_code == 302
    wijziging = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.GOVERNANCE)
    assert wijziging.nieuw["Wie koopt het extra ondersteuningsaanbod in?"] == "De contactgemeente koopt in"


# --- rows: ambities, resultaten, indicatoren, rapportages -----------------------------------------


def test_ambitie_resultaat_indicator_toevoegen_wijzigen_verwijderen(beleid, afspraak):
    client = _client(beleid)

    def voeg_toe(sleutel, **velden):
        return client.post(
            reverse("rij_toevoegen", args=[afspraak.pk, sleutel]),
            {f"{sleutel}-nieuw-{naam}": waarde for naam, waarde in velden.items()},
        )

    assert voeg_toe(fasen.AMBITIES, omschrijving="Minder uitval door tijdige hulp").status_code == 302
    ambitie = Ambitie.objects.get(afspraak=afspraak)
    assert voeg_toe(
        fasen.RESULTATEN, ambitie=ambitie.pk, omschrijving="Elke student weet waar hij terecht kan"
    ).status_code == 302
    resultaat = Resultaat.objects.get(afspraak=afspraak)
    assert resultaat.ambitie == ambitie
    response = voeg_toe(
        fasen.INDICATOREN, ambitie=ambitie.pk, resultaat=resultaat.pk, naam="Tevredenheid studenten",
        eenheid="rapportcijfer", nulmeting="6,8", streefwaarde="7,5", meetmoment="2027-06-01",
        meetfrequentie="jaarlijks", bron="JOB-monitor",
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(afspraak=afspraak)
    assert indicator.nulmeting == Decimal("6.8") and indicator.streefwaarde == Decimal("7.5")
    assert indicator.meetmoment == datetime.date(2027, 6, 1)
    toegevoegd = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.INDICATOREN, soort="toegevoegd")
    assert (
        toegevoegd.nieuw["Streefwaarde"] == "7,50"
        and toegevoegd.nieuw["Ambitie"] == "Minder uitval door tijdige hulp"
    )

    # The page shows the value the Dutch way, and the row with its ambitie and resultaat.
    pagina = _pagina(client, afspraak, 2)
    assert "<dt>Streefwaarde</dt><dd>7,50</dd>" in pagina
    pagina = _pagina(client, afspraak, 2, bewerk=(fasen.INDICATOREN, indicator.pk))
    assert f'name="{fasen.INDICATOREN}-{indicator.pk}-streefwaarde" value="7,50"' in pagina
    assert "resultaat: Elke student weet waar hij terecht kan" in pagina

    # Edit: a Dutch decimal again, and the history has old and new.
    prefix = f"{fasen.INDICATOREN}-{indicator.pk}"
    data = {
        **met_versie(prefix, 1), f"{prefix}-ambitie": ambitie.pk, f"{prefix}-resultaat": resultaat.pk,
        f"{prefix}-naam": "Tevredenheid studenten",
        f"{prefix}-eenheid": "rapportcijfer", f"{prefix}-nulmeting": "6,8", f"{prefix}-streefwaarde": "8,25",
        f"{prefix}-meetmoment": "2027-06-01", f"{prefix}-meetfrequentie": "jaarlijks", f"{prefix}-bron": "JOB-monitor",
    }
    response = client.post(reverse("rij_opslaan", args=[afspraak.pk, fasen.INDICATOREN, indicator.pk]), data,
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Opgeslagen om" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.streefwaarde == Decimal("8.25") and indicator.versie == 2
    gewijzigd = Wijziging.objects.get(afspraak=afspraak, sectie=fasen.INDICATOREN, soort="gewijzigd")
    assert gewijzigd.oud == {"Streefwaarde": "7,50"} and gewijzigd.nieuw == {"Streefwaarde": "8,25"}

    # Too many decimals: refused next to the field, nothing changed.
    fout = client.post(reverse("rij_opslaan", args=[afspraak.pk, fasen.INDICATOREN, indicator.pk]),
                       {**data, **met_versie(prefix, 2), f"{prefix}-streefwaarde": "8,255"})
    assert fout.status_code == 422
    assert "veld__fout" in fout.content.decode()
    indicator.refresh_from_db()
    assert indicator.streefwaarde == Decimal("8.25")

    # Delete the resultaat in place (htmx): the section comes back without it; the indicator stays.
    response = client.post(reverse("rij_verwijderen", args=[afspraak.pk, fasen.RESULTATEN, resultaat.pk]),
                           met_versie(f"{fasen.RESULTATEN}-{resultaat.pk}", 1), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Resultaat verwijderd." in response.content.decode()
    assert not Resultaat.objects.filter(pk=resultaat.pk).exists()
    indicator.refresh_from_db()
    assert indicator.resultaat is None
    assert Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.RESULTATEN, soort="verwijderd").exists()


def test_indicator_met_resultaat_van_andere_ambitie_wordt_geweigerd(beleid, afspraak):
    a1 = Ambitie.objects.create(afspraak=afspraak, omschrijving="Eerste ambitie")
    a2 = Ambitie.objects.create(afspraak=afspraak, omschrijving="Tweede ambitie")
    r2 = Resultaat.objects.create(afspraak=afspraak, ambitie=a2, omschrijving="Resultaat van de tweede")
    sleutel = fasen.INDICATOREN
    response = _client(beleid).post(
        reverse("rij_toevoegen", args=[afspraak.pk, sleutel]),
        {f"{sleutel}-nieuw-ambitie": a1.pk, f"{sleutel}-nieuw-resultaat": r2.pk, f"{sleutel}-nieuw-naam": "X"},
    )
    assert response.status_code == 422
    assert "Dit resultaat hoort bij een andere ambitie" in response.content.decode()
    assert not Indicator.objects.exists()


def test_resultaat_kiest_alleen_ambities_van_deze_afspraak(beleid, afspraak):
    ander = maak_afspraak(3)
    vreemde = Ambitie.objects.create(afspraak=ander, omschrijving="Ambitie van Groningen")
    eigen = Ambitie.objects.create(afspraak=afspraak, omschrijving="Ambitie van Friesland Noord")
    pagina = _pagina(_client(beleid), afspraak, 2)
    assert "Ambitie van Friesland Noord" in pagina and "Ambitie van Groningen" not in pagina
    sleutel = fasen.RESULTATEN
    response = _client(beleid).post(
        reverse("rij_toevoegen", args=[afspraak.pk, sleutel]),
        {f"{sleutel}-nieuw-ambitie": vreemde.pk, f"{sleutel}-nieuw-omschrijving": "Iets"},
    )
    assert response.status_code == 422
    assert not Resultaat.objects.exists()
    assert eigen.pk


def test_zonder_ambities_vraagt_de_pagina_eerst_een_ambitie(beleid, afspraak):
    pagina = _pagina(_client(beleid), afspraak, 2)
    assert "Voeg eerst een ambitie toe: elk resultaat hoort bij een ambitie." in pagina
    assert "Voeg eerst een ambitie toe: elke indicator hoort bij een ambitie." in pagina
    Ambitie.objects.create(afspraak=afspraak, omschrijving="Een ambitie")
    assert "Voeg eerst een ambitie toe" not in _pagina(_client(beleid), afspraak, 2)


def test_rapportage_wie_aan_wie_hoe_vaak(beleid, afspraak):
    client = _client(beleid)
    firda = afspraak.partijen.get(organisatie__naam="Firda")
    sleutel = fasen.RAPPORTAGES
    response = client.post(
        reverse("rij_toevoegen", args=[afspraak.pk, sleutel]),
        {f"{sleutel}-nieuw-onderwerp": "Voortgang indicatoren", f"{sleutel}-nieuw-van": firda.pk,
         f"{sleutel}-nieuw-aan": "Bestuurlijk overleg Friesland Noord", f"{sleutel}-nieuw-frequentie": "halfjaarlijks",
         f"{sleutel}-nieuw-eerste_datum": "2027-03-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Rapportage toegevoegd" in fragment
    assert (
        "Voortgang indicatoren: Firda rapporteert aan Bestuurlijk overleg Friesland Noord, halfjaarlijks, "
        "voor het eerst op 1 maart 2027." in _tekst(fragment)
    )
    rapportage = Rapportage.objects.get(afspraak=afspraak)
    assert rapportage.van == firda and rapportage.frequentie == "halfjaarlijks"
    # A party of another agreement cannot report here.
    vreemde = maak_afspraak(3).partijen.first()
    fout = client.post(
        reverse("rij_opslaan", args=[afspraak.pk, sleutel, rapportage.pk]),
        {**met_versie(f"{sleutel}-{rapportage.pk}", 1), f"{sleutel}-{rapportage.pk}-onderwerp": "Voortgang",
         f"{sleutel}-{rapportage.pk}-van": vreemde.pk,
         f"{sleutel}-{rapportage.pk}-aan": "Iemand"},
    )
    assert fout.status_code == 422
    rapportage.refresh_from_db()
    assert rapportage.van == firda


# --- facts in Verkennen ----------------------------------------------------------------------------


def test_verkennen_toont_studentenpopulatie_synthetisch_gemarkeerd(beleid, afspraak):
    _woonrijen(_woon_dataset(Dataset.Status.SYNTHETISCH), FIRDA)
    pagina = _pagina(_client(beleid), afspraak, 1)
    assert "Demo-gegevens, synthetisch" in pagina
    # 895 students: 400 in Leeuwarden (standing in for the unknown vestigingsgemeente), 300 elsewhere in the
    # region, 195 outside it.
    assert _tabelrij(pagina, "fase-verdeling", "vestiging") == ["a. In de vestigingsgemeente", "400", "45%", "30%"]
    assert _tabelrij(pagina, "fase-verdeling", "regio") == ["b. Elders in de regio", "300", "34%", "40%"]
    assert _tabelrij(pagina, "fase-verdeling", "buiten") == ["c. Buiten de regio", "195", "22%", "30%"]
    assert _tabelrij(pagina, "fase-verdeling", "totaal")[1] == "895"
    assert "Súdwest-Fryslân" in pagina  # the top gemeenten outside the region
    assert "Testbron studenten per woongemeente" in pagina  # the dataset's source
    assert 'id="fase-schatting"' not in pagina and "data-geen-aantallen" not in pagina


def test_verkennen_officiele_aantallen_zonder_synthetisch_label(beleid, afspraak):
    _woonrijen(_woon_dataset(Dataset.Status.OFFICIEEL), FIRDA)
    pagina = _pagina(_client(beleid), afspraak, 1)
    assert "fase-verdeling" in pagina
    assert "Demo-gegevens, synthetisch" not in pagina


def test_verkennen_zonder_aantallen_toont_vuistregel_als_schatting(beleid, afspraak):
    pagina = _pagina(_client(beleid), afspraak, 1)
    assert "data-geen-aantallen" in pagina
    assert 'id="fase-schatting"' in pagina
    assert "schatting" in _tekst(re.search(r'<table id="fase-schatting">(.*?)</table>', pagina, re.S).group(1))
    # Each row is the rule of thumb applied to Firda's total, each marked as an estimate.
    rij = _tabelrij(pagina, "fase-schatting", "vestiging")
    assert rij[0] == "a. In de vestigingsgemeente" and rij[1] == "30%" and rij[2].startswith("schatting")
    assert "fase-verdeling" not in pagina


def test_verkennen_regio_zonder_instellingen_toont_alleen_de_vuistregel():
    regio5 = maak_afspraak(5)
    gebruiker = gebruiker_van(gemeente_organisatie("Súdwest-Fryslân"), Gebruiker.Rol.BELEIDSMAKER, "beleid-swf")
    pagina = _pagina(_client(gebruiker), regio5, 1)
    feiten = _tekst(re.search(
        r'data-feiten="studenten">(.*?)</div>\s*<div class="formulier sectie__formulier"', pagina, re.S
    ).group(1))
    assert (
        "schatting" in feiten
        and "30% in de vestigingsgemeente, 40% elders in de regio en 30% buiten de regio" in feiten
    )
    assert "geen mbo-instelling in deze regio bekend" in feiten


def test_verkennen_toont_partners_en_voorstel_voor_regie(beleid, afspraak):
    client = _client(beleid)
    pagina = _pagina(client, afspraak, 1)
    partners = _tekst(re.search(r'data-feiten="partners">(.*?)</div>', pagina, re.S).group(1))
    assert f"Aan tafel: {afspraak.partijen.count()} partijen" in partners
    assert "Er zit nog geen zorgverzekeraar aan tafel." in partners
    firda = afspraak.partijen.get(organisatie__naam="Firda")
    leeuwarden = afspraak.partijen.get(organisatie__gemeente__naam="Leeuwarden")
    # Regie: proposed from the parties, marked as a proposal until saved.
    assert 'data-feiten="regie"' in pagina
    assert re.search(
        rf'name="{fasen.REGIE}-regie_onderwijs"[^>]*>.*?<option value="{firda.pk}" selected>', pagina, re.S
    )
    assert re.search(
        rf'name="{fasen.REGIE}-regie_hulp"[^>]*>.*?<option value="{leeuwarden.pk}" selected>', pagina, re.S
    )
    client.post(reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE]),
                _tekstdata(fasen.REGIE, 0, regie_onderwijs=firda.pk, regie_hulp=""))
    pagina = _pagina(client, afspraak, 1)
    assert 'data-feiten="regie"' not in pagina
    assert not re.search(
        rf'name="{fasen.REGIE}-regie_hulp"[^>]*>.*?<option value="{leeuwarden.pk}" selected>.*?</select>', pagina, re.S
    )
    # Financial end responsibility and the zorgverzekeraar, once it is at the table.
    verzekeraar = Organisatie.objects.create(
        naam="Zorgverzekeraar Test", soort="partner", partner_soort="zorgverzekeraar"
    )
    Partij.objects.create(afspraak=afspraak, organisatie=verzekeraar, rol=Partij.Rol.PARTNER)
    pagina = _pagina(client, afspraak, 1)
    assert "Er zit nog geen zorgverzekeraar aan tafel." not in pagina
    assert "Financieel eindverantwoordelijk: Gemeente Leeuwarden" in _tekst(pagina)


def test_verkennen_toont_gemeenten_buiten_de_regio_met_aandeel(beleid, afspraak):
    _woonrijen(_woon_dataset(), FIRDA)
    pagina = _pagina(_client(beleid), afspraak, 1)
    tabel = re.search(r'<table id="fase-gemeenten-buiten">(.*?)</table>', pagina, re.S).group(1)
    rijen = [_tekst(r) for r in re.findall(r"<tr data-gemeente[^>]*>(.*?)</tr>", tabel, re.S)]
    assert rijen == ["Súdwest-Fryslân 16,8% nog niet", "Smallingerland 4,5% nog niet"]  # Groningen: 0,6%, below 1%
    assert "ongeacht de gemeente waarin ze wonen" in pagina  # the text of basisafspraak 4 with the checkbox


# --- query counts ----------------------------------------------------------------------------------


def _afspraak_met_vijf_partijen():
    regio = Doorstroompuntregio.objects.get(nummer=4)
    afspraak = Uitvoeringsafspraak.objects.create(
        regio=regio, titel="Vijf partijen", looptijd_start=datetime.date(2026, 1, 1),
        looptijd_einde=datetime.date(2029, 12, 31),
    )
    Partij.objects.create(afspraak=afspraak, organisatie=gemeente_organisatie("Leeuwarden"),
                          rol=Partij.Rol.CONTACTGEMEENTE, financieel_eindverantwoordelijk=True)
    Partij.objects.create(afspraak=afspraak, organisatie=Organisatie.objects.get(naam="Firda"),
                          rol=Partij.Rol.INSTELLING)
    for naam in ("Dantumadiel", "Harlingen", "Waadhoeke"):
        Partij.objects.create(afspraak=afspraak, organisatie=gemeente_organisatie(naam), rol=Partij.Rol.GEMEENTE)
    return afspraak


def _vul_rijen(afspraak, aantal):
    """Rows in every row section, with parties chosen, so a per-row or per-party query would show."""
    partijen = list(afspraak.partijen.all())
    for i in range(aantal):
        ambitie = Ambitie.objects.create(afspraak=afspraak, omschrijving=f"Ambitie {i}")
        resultaat = Resultaat.objects.create(afspraak=afspraak, ambitie=ambitie, omschrijving=f"Resultaat {i}")
        Indicator.objects.create(afspraak=afspraak, ambitie=ambitie, resultaat=resultaat, naam=f"Indicator {i}",
                                 streefwaarde=Decimal("7.5"), meetmoment=datetime.date(2027, 1, 1))
        Rapportage.objects.create(afspraak=afspraak, onderwerp=f"Rapportage {i}", van=partijen[i % len(partijen)],
                                  aan="Bestuurlijk overleg")
        for fase in (1, 2, 3, 4):
            Actie.objects.create(afspraak=afspraak, fase=fase, omschrijving=f"Actie {i}", eigenaar=partijen[-1 - i])
    pks = [p.pk for p in partijen]
    for sleutel, inhoud in (
        (fasen.FINANCIERING_NU, {"financiers": pks, "antwoord": "Samen"}),
        (fasen.REGIE, {"regie_onderwijs": pks[1], "regie_hulp": pks[0], "regie_samenwerking": pks[-1]}),
        (fasen.CENTRUMGEMEENTE, {"centrumgemeente": pks[0]}),
    ):
        Sectie.objects.update_or_create(afspraak=afspraak, sleutel=sleutel, defaults={"inhoud": inhoud, "versie": 1})


@pytest.mark.parametrize("rol", [Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER])
def test_aantal_queries_per_fase_hangt_niet_af_van_het_aantal_partijen(django_assert_num_queries, rol):
    _woonrijen(_woon_dataset(), FIRDA)
    afspraak = _afspraak_met_vijf_partijen()
    _vul_rijen(afspraak, 2)
    client = _client(gebruiker_van(gemeente_organisatie("Leeuwarden"), rol, f"lwd-{rol}"))
    gemeten = {}
    for fase in (1, 2, 3, 4):
        url = reverse("afspraak_fase", args=[afspraak.pk, fase])
        client.get(url)  # warm up session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        gemeten[fase] = len(queries)
    voeg_gemeenten_toe(afspraak, 35)
    assert afspraak.partijen.count() == 40
    _vul_rijen(afspraak, 3)
    for fase in (1, 2, 3, 4):
        with django_assert_num_queries(gemeten[fase]):
            assert client.get(reverse("afspraak_fase", args=[afspraak.pk, fase])).status_code == 200
    print("queries per fasepagina", rol, gemeten)
