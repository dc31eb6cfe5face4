"""Nothing typed on a phase page is lost: the page is one form whose every button saves all that was typed
first (without JavaScript), deleting a row asks first, and a request without a session goes to the log-in page
(or, for htmx, gets a 401 the page can explain) instead of a 404 or a lost save."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken import fasen
from afspraken.models import Actie, Sectie, Wijziging
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak

pytestmark = pytest.mark.django_db

ACTIES = "acties-verkennen"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(4)


@pytest.fixture
def schrijver(afspraak):
    client = Client()
    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    return client


@pytest.fixture
def actie(afspraak):
    return Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Overleg plannen", status="open")


def _opslaan_url(afspraak, fase=1):
    return reverse("fase_opslaan", args=[afspraak.pk, fase])


def _tekst(client, afspraak, sleutel, veld, tekst, versie=0):
    """The fields of a text section as the page form posts them."""
    return {f"{sleutel}-versie": str(versie), f"{sleutel}-{veld}": tekst}


def _antwoord(afspraak, sleutel):
    sectie = Sectie.objects.filter(afspraak=afspraak, sleutel=sleutel).first()
    return sectie.inhoud.get("antwoord") if sectie else None


def test_volgende_stap_zonder_javascript_bewaart_elke_gewijzigde_sectie(schrijver, afspraak):
    data = {
        **_tekst(schrijver, afspraak, fasen.REGIE, "antwoord", "De contactgemeente voert de regie."),
        **_tekst(schrijver, afspraak, fasen.STUDENTEN, "antwoord", "Studenten uit 20 gemeenten."),
        "_actie": "naar:2",
    }
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("afspraak_fase", args=[afspraak.pk, 2]) + "#inhoud"
    assert _antwoord(afspraak, fasen.REGIE) == "De contactgemeente voert de regie."
    assert _antwoord(afspraak, fasen.STUDENTEN) == "Studenten uit 20 gemeenten."
    # One history entry per section that changed; posting the same again changes nothing.
    assert Wijziging.objects.filter(afspraak=afspraak, sectie__in=[fasen.REGIE, fasen.STUDENTEN]).count() == 2
    data = {**data, f"{fasen.REGIE}-versie": "1", f"{fasen.STUDENTEN}-versie": "1", "_actie": "opslaan"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data, follow=True)
    assert "Er was niets gewijzigd." in antwoord.content.decode()
    assert Wijziging.objects.filter(afspraak=afspraak, sectie__in=[fasen.REGIE, fasen.STUDENTEN]).count() == 2


def test_een_onaangeroerde_sectie_op_een_oude_versie_meldt_nog_steeds_het_conflict(schrijver, afspraak):
    """Untouched sections are passed over without a transaction of their own, but only at the version they were
    opened at: one that someone else changed meanwhile is still reported, and nothing is overwritten."""
    Sectie.objects.create(afspraak=afspraak, sleutel=fasen.STUDENTEN, inhoud={"antwoord": "Van een ander."}, versie=2)
    data = {
        **_tekst(schrijver, afspraak, fasen.REGIE, "antwoord", "De contactgemeente voert de regie."),
        # As the page showed it at version 1, before the other's change: untouched by this user.
        **_tekst(schrijver, afspraak, fasen.STUDENTEN, "antwoord", "", versie=1),
        "_actie": "opslaan",
    }
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 409
    assert _antwoord(afspraak, fasen.STUDENTEN) == "Van een ander."
    # Untouched at the version stored (and one never saved): nothing to save, nothing reported.
    data = {**_tekst(schrijver, afspraak, fasen.STUDENTEN, "antwoord", "Van een ander.", versie=2),
            **_tekst(schrijver, afspraak, fasen.PARTNERS, "antwoord", ""), "_actie": "opslaan"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data, follow=True)
    assert "Er was niets gewijzigd." in antwoord.content.decode()
    assert _antwoord(afspraak, fasen.STUDENTEN) == "Van een ander."


def test_een_rijknop_zonder_javascript_bewaart_ook_de_tekst_elders(schrijver, afspraak, actie):
    """A row's "Bewerken" is a button of the page form: the text typed in a section is saved first."""
    data = {**_tekst(schrijver, afspraak, fasen.REGIE, "antwoord", "Regie bij de contactgemeente."),
            "_actie": f"bewerk:{ACTIES}:{actie.pk}"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 302
    assert f"?bewerk={ACTIES}&rij={actie.pk}" in antwoord["Location"]
    assert _antwoord(afspraak, fasen.REGIE) == "Regie bij de contactgemeente."


def test_open_rij_en_nieuwe_rij_worden_bewaard_bij_elke_knop(schrijver, afspraak, actie):
    data = {
        f"{ACTIES}-{actie.pk}-versie": "1", f"{ACTIES}-{actie.pk}-omschrijving": "Overleg gepland op 3 maart",
        f"{ACTIES}-{actie.pk}-status": "bezig",
        f"{ACTIES}-nieuw-omschrijving": "Uitnodiging zorgverzekeraar", f"{ACTIES}-nieuw-status": "open",
        "_actie": "naar:toetsing",
    }
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("afspraak_toetsing", args=[afspraak.pk])
    actie.refresh_from_db()
    assert (actie.omschrijving, actie.status, actie.versie) == ("Overleg gepland op 3 maart", "bezig", 2)
    assert Actie.objects.filter(afspraak=afspraak, omschrijving="Uitnodiging zorgverzekeraar").exists()


def test_onaangeroerd_formulier_voor_een_nieuwe_rij_voegt_niets_toe(schrijver, afspraak, actie):
    data = {f"{ACTIES}-nieuw-omschrijving": "", f"{ACTIES}-nieuw-status": "open", "_actie": "naar:2"}
    assert schrijver.post(_opslaan_url(afspraak), data).status_code == 302
    assert Actie.objects.filter(afspraak=afspraak).count() == 1
    # "Toevoegen" itself does try, and says what is missing.
    antwoord = schrijver.post(_opslaan_url(afspraak), {**data, "_actie": f"toevoegen:{ACTIES}"})
    assert antwoord.status_code == 422
    assert Actie.objects.filter(afspraak=afspraak).count() == 1


def test_fouten_zonder_javascript_houden_alle_invoer_en_staan_boven_de_sectie(schrijver, afspraak, actie):
    """One section cannot be saved: the others are, everything typed comes back, the summary stands just above
    the first section with a problem (where the form's #fase-fouten opens the answer) and links to the field."""
    data = {
        **_tekst(schrijver, afspraak, fasen.REGIE, "antwoord", "Regie bij de contactgemeente."),
        f"{ACTIES}-{actie.pk}-versie": "1", f"{ACTIES}-{actie.pk}-omschrijving": "",
        f"{ACTIES}-{actie.pk}-status": "open",
        "_actie": "naar:2",
    }
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 422
    html = antwoord.content.decode()
    assert re.search(r"<title>Fout: ", html)
    assert _antwoord(afspraak, fasen.REGIE) == "Regie bij de contactgemeente."
    assert 'action="' + _opslaan_url(afspraak) + '#fase-fouten"' in html
    samenvatting = html.index('id="fase-fouten"')
    assert samenvatting < html.index(f'id="sectie-{ACTIES}"')
    assert samenvatting > html.index(f'id="sectie-{fasen.REGIE}"')
    assert f'href="#id_{ACTIES}-{actie.pk}-omschrijving"' in html
    assert "Wel opgeslagen: " in html
    # The row stays open with what was typed; only the page's summary, no second one in the section.
    assert f'name="{ACTIES}-{actie.pk}-omschrijving"' in html
    assert html.count('class="foutsamenvatting"') == 1


def test_conflict_zonder_javascript_geeft_409_en_overschrijft_niets(schrijver, afspraak):
    Sectie.objects.create(afspraak=afspraak, sleutel=fasen.REGIE, inhoud={"antwoord": "Van iemand anders"}, versie=3)
    data = {**_tekst(schrijver, afspraak, fasen.REGIE, "antwoord", "Mijn tekst", versie=2), "_actie": "naar:2"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 409
    assert "Mijn tekst" in antwoord.content.decode()
    assert _antwoord(afspraak, fasen.REGIE) == "Van iemand anders"


def test_verwijderen_vraagt_eerst_zonder_javascript(schrijver, afspraak, actie):
    antwoord = schrijver.post(_opslaan_url(afspraak), {"_actie": f"verwijder:{ACTIES}:{actie.pk}"})
    assert antwoord.status_code == 302
    assert Actie.objects.filter(pk=actie.pk).exists()
    vraag = schrijver.get(antwoord["Location"]).content.decode()
    assert "Ja, verwijderen" in vraag and "Nee, behouden" in vraag
    assert f'value="verwijder-bevestigd:{ACTIES}:{actie.pk}"' in vraag
    # "Nee": back to the row, nothing deleted.
    antwoord = schrijver.post(_opslaan_url(afspraak), {"_actie": f"behoud:{ACTIES}:{actie.pk}"})
    assert antwoord["Location"].endswith(f"#sectie-{ACTIES}-rij-{actie.pk}")
    assert Actie.objects.filter(pk=actie.pk).exists()
    # "Ja", with the version the question was asked at.
    data = {f"{ACTIES}-{actie.pk}-versie": "1", "_actie": f"verwijder-bevestigd:{ACTIES}:{actie.pk}"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 302 and antwoord["Location"].endswith(f"#sectie-{ACTIES}")
    assert not Actie.objects.filter(pk=actie.pk).exists()


def test_verwijderen_vraagt_eerst_met_htmx(schrijver, afspraak, actie):
    url = reverse("rij_bewerken", args=[afspraak.pk, ACTIES, actie.pk])
    vraag = schrijver.get(url, {"stand": "verwijderen"}, **HTMX).content.decode()
    assert vraag.strip().startswith("<li") and "Ja, verwijderen" in vraag
    assert f'name="{ACTIES}-{actie.pk}-versie"' in vraag
    dicht = schrijver.get(url, {"stand": "dicht"}, **HTMX).content.decode()
    assert "Ja, verwijderen" not in dicht and "Verwijderen…" in dicht
    assert schrijver.get(url, {"stand": "iets"}, **HTMX).status_code == 404
    assert Actie.objects.filter(pk=actie.pk).exists()


class _Formulieren(HTMLParser):
    def __init__(self):
        super().__init__()
        self.diepte = self.diepste = 0
        self.buiten = []  # fields and buttons of <main> outside any form

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.diepte += 1
            self.diepste = max(self.diepste, self.diepte)
        elif tag in ("input", "select", "textarea", "button") and self.diepte == 0 and self.in_main:
            self.buiten.append((tag, dict(attrs).get("name")))
        if tag == "main":
            self.in_main = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.diepte -= 1

    in_main = False


@pytest.mark.parametrize("fase", [1, 2, 3, 4])
def test_elk_veld_van_een_fasepagina_hoort_bij_het_ene_paginaformulier(schrijver, afspraak, actie, fase):
    """Nested forms do not exist in HTML; a field outside the page form would be lost by its buttons."""
    html = schrijver.get(reverse("afspraak_fase", args=[afspraak.pk, fase]), {"nieuw": ACTIES}).content.decode()
    lezer = _Formulieren()
    lezer.feed(html)
    assert lezer.diepste == 1
    assert lezer.buiten == []
    assert html.count('id="fase-formulier"') == 1


def test_zonder_sessie_naar_inloggen_met_next(client, afspraak):
    pad = reverse("afspraak_fase", args=[afspraak.pk, 1])
    antwoord = client.get(pad)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("inloggen") + "?next=" + pad
    assert client.get(reverse("afspraak_overzicht", args=[afspraak.pk]))["Location"].startswith(reverse("inloggen"))


def test_zonder_sessie_krijgt_htmx_401_met_het_adres_om_in_te_loggen(client, afspraak):
    pad = reverse("afspraak_fase", args=[afspraak.pk, 1])
    antwoord = client.post(
        reverse("sectie_opslaan", args=[afspraak.pk, fasen.REGIE]),
        _tekst(client, afspraak, fasen.REGIE, "antwoord", "Tekst na het verlopen van de sessie"),
        HTTP_HX_CURRENT_URL="http://testserver" + pad, **HTMX,
    )
    assert antwoord.status_code == 401
    assert antwoord["X-Inloggen"] == reverse("inloggen") + "?next=" + pad
    assert "sessie is verlopen" in antwoord.content.decode()
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE).exists()
    # The list (behind @login_required) answers htmx the same way instead of a redirect htmx would follow.
    assert client.get(reverse("afspraak_lijst"), **HTMX).status_code == 401


def test_ingelogd_zonder_recht_blijft_404(afspraak):
    vreemde = Client()
    vreemde.force_login(gebruiker_van(gemeente_organisatie("Amsterdam"), Gebruiker.Rol.BELEIDSMAKER, "beleid-adam"))
    assert vreemde.get(reverse("afspraak_fase", args=[afspraak.pk, 1])).status_code == 404
    assert vreemde.post(_opslaan_url(afspraak), {"_actie": "opslaan"}).status_code == 404


def test_onbekende_knop_of_fase_breekt_niets(schrijver, afspraak):
    for actie in ("", "vreemd", "naar:9", "bewerk:bestaat-niet:1", "verwijder:acties-verkennen:x", "opslaan:\x00"):
        antwoord = schrijver.post(_opslaan_url(afspraak), {"_actie": actie})
        assert antwoord.status_code == 302, actie
    assert schrijver.post(reverse("fase_opslaan", args=[afspraak.pk, 9]), {}).status_code == 404


def test_zonder_sessie_gepost_komt_na_inloggen_terug_in_de_velden(client, afspraak, actie):
    """A button pressed without JavaScript after the session ended: the log-in page, and afterwards the phase
    page with everything typed back in its fields (not saved until the user presses a button again)."""
    pad = reverse("afspraak_fase", args=[afspraak.pk, 1])
    data = {
        **_tekst(client, afspraak, fasen.REGIE, "antwoord", "Getypt terwijl de sessie verliep"),
        f"{ACTIES}-{actie.pk}-versie": "1", f"{ACTIES}-{actie.pk}-omschrijving": "Overleg verzet",
        f"{ACTIES}-{actie.pk}-status": "bezig",
        f"{ACTIES}-nieuw-omschrijving": "Nieuwe actie van voor het inloggen", f"{ACTIES}-nieuw-status": "open",
        "_actie": "naar:2",
    }
    antwoord = client.post(_opslaan_url(afspraak), data, HTTP_REFERER="http://testserver" + pad)
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("inloggen") + "?next=" + pad
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE).exists()

    client.force_login(gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "beleid-lwd"))
    html = client.get(pad).content.decode()
    assert "U was uitgelogd toen u op een knop drukte" in html
    assert "Getypt terwijl de sessie verliep</textarea>" in html
    assert 'value="Overleg verzet"' in html and 'value="Nieuwe actie van voor het inloggen"' in html
    assert f'name="{fasen.REGIE}-versie" id="sectie-{fasen.REGIE}-versie" value="0"' in html
    # Nothing saved yet, and shown once: the next visit is the page as it is.
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.REGIE).exists()
    assert "Getypt terwijl de sessie verliep" not in client.get(pad).content.decode()


def test_de_pagina_kent_het_einde_van_de_sessie(schrijver, afspraak):
    from django.contrib.sessions.models import Session

    pad = reverse("afspraak_fase", args=[afspraak.pk, 1])
    schrijver.get(pad)
    einde = Session.objects.get(session_key=schrijver.session.session_key).expire_date
    html = schrijver.get(pad).content.decode()
    assert f'data-sessie-einde="{int(einde.timestamp())}"' in html
    # The end comes with the session row itself (regio/sessies.py); a visitor has none.
    assert 'data-sessie-einde' not in Client().get(reverse("home")).content.decode()


def test_een_andere_knop_terwijl_de_vraag_om_te_verwijderen_openstaat(schrijver, afspraak, actie):
    """The question posts only the row's version: another button saves the page and deletes nothing."""
    data = {f"{ACTIES}-{actie.pk}-versie": "1", "_actie": "naar:2"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 302
    assert Actie.objects.filter(pk=actie.pk, versie=1).exists()


def test_verwijderen_van_een_intussen_gewijzigde_rij_zonder_javascript(schrijver, afspraak, actie):
    Actie.objects.filter(pk=actie.pk).update(versie=2, omschrijving="Door een ander gewijzigd")
    data = {f"{ACTIES}-{actie.pk}-versie": "1", "_actie": f"verwijder-bevestigd:{ACTIES}:{actie.pk}"}
    antwoord = schrijver.post(_opslaan_url(afspraak), data)
    assert antwoord.status_code == 409
    html = antwoord.content.decode()
    assert 'id="fase-fouten"' in html and "Door een ander gewijzigd" in html
    assert Actie.objects.filter(pk=actie.pk).exists()
