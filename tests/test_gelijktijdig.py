"""Concurrency: 20 sessions save the same section at once against the real PostgreSQL (issue 7).

Every session is a different beleidsmaker of a party, with its own Client and its own database connection
(one per thread). A Barrier releases the saves together, so they meet at the row lock in PostgreSQL rather
than one after another. Per version exactly one save wins; the others get 409 with both texts, and nothing is
lost: the losers retry with the version their conflict page carries until every text has been saved once.
"""

import html
import re
import threading
import time
import traceback
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Gebruiker
from afspraken import fasen
from afspraken.models import Actie, Fase, Sectie, Uitvoeringsafspraak, Wijziging
from tests.afspraak_helpers import gebruiker_van, maak_afspraak, met_versie

# Real commits, so that the threads' own connections see each other's work; twenty rounds of up to twenty
# requests take longer than the suite's default timeout on a busy two-core machine.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

SESSIES = 20
# Upper bound (seconds) on waiting at the barrier and for a thread to finish: a deadlock fails, never hangs.
WACHTTIJD = 120
ACTIES_VERANKEREN = f"acties-{Fase.VERANKEREN.name.lower()}"
ACTIES_VERBEELDEN = f"acties-{Fase.VERBEELDEN.name.lower()}"
HTMX = {"HX-Request": "true"}


@dataclass
class Antwoord:
    sessie: int
    gelezen: int  # the version this session had in front of it when it saved
    status: int
    inhoud: str


@pytest.fixture
def afspraak(refdata):
    return maak_afspraak(4)


@pytest.fixture
def sessies(afspraak):
    """Twenty logged-in sessions of twenty different beleidsmakers, spread over the agreement's parties."""
    organisaties = [p.organisatie for p in afspraak.partijen.select_related("organisatie").order_by("pk")]
    clients = []
    for i in range(SESSIES):
        gebruiker = gebruiker_van(organisaties[i % len(organisaties)], Gebruiker.Rol.BELEIDSMAKER, f"gelijk-{i:02d}")
        client = Client()
        client.force_login(gebruiker)
        clients.append((client, gebruiker))
    assert len({c.session.session_key for c, _ in clients}) == len({g.pk for _, g in clients}) == SESSIES
    return clients


def _tegelijk(taken):
    """Run every taak(start) in its own thread; start() returns once all threads have called it.

    Each thread has its own database connection and closes it, so nothing leaks into the next test.
    """
    barriere = threading.Barrier(len(taken), timeout=WACHTTIJD)
    uitkomsten = [None] * len(taken)
    fouten = []

    def draai(i, taak):
        try:
            uitkomsten[i] = taak(barriere.wait)
        except BaseException:  # noqa: BLE001 - reported to the test below, with the traceback
            fouten.append(traceback.format_exc())
            barriere.abort()
        finally:
            connection.close()

    draden = [threading.Thread(target=draai, args=(i, taak), daemon=True) for i, taak in enumerate(taken)]
    for draad in draden:
        draad.start()
    einde = time.monotonic() + WACHTTIJD
    for draad in draden:
        draad.join(max(0.0, einde - time.monotonic()))
    assert not any(d.is_alive() for d in draden), "een opslag bleef hangen (deadlock of lock zonder einde)"
    assert not fouten, fouten[0]
    return uitkomsten


def _versie_in(pagina, anker):
    gevonden = re.search(rf'id="{re.escape(anker)}-versie" value="(\d+)"', pagina)
    if not gevonden:  # say what the page did show, so that a failure on a busy CI machine can be read
        rij = re.search(rf'id="{re.escape(anker)}".{{0,600}}', pagina, re.S)
        titel = re.search(r"<title>(.*?)</title>", pagina, re.S)
        raise AssertionError(
            f"geen versie van {anker} in het antwoord; titel: {titel.group(1).strip() if titel else '-'}; "
            f"rij: {rij.group(0) if rij else 'niet op de pagina'}"
        )
    return int(gevonden.group(1))


def _tekst(i, ronde):
    # Unique per session and never a prefix of another (two digits, closing full stop).
    return f"Aansluiting volgens sessie {i:02d}, geschreven in ronde {ronde:02d}."


def _omschrijving(i):
    return f"Actie volgens sessie {i:02d}."


def _beoordeel_ronde(antwoorden, anker, tekst_van):
    """One round: exactly one 200, the rest 409 with both texts and the new version; no 500."""
    statussen = sorted(a.status for a in antwoorden)
    assert statussen == [200] + [409] * (len(antwoorden) - 1), statussen
    gelezen = {a.gelezen for a in antwoorden}
    assert len(gelezen) == 1, "alle sessies moeten dezelfde versie hebben gelezen"
    winnaar = next(a for a in antwoorden if a.status == 200)
    verliezers = [a for a in antwoorden if a.status == 409]
    for verliezer in verliezers:
        pagina = html.unescape(verliezer.inhoud)
        assert "Niet opgeslagen" in pagina
        assert tekst_van(winnaar) in pagina  # what the other person saved is shown
        assert tekst_van(verliezer) in pagina  # and the loser's own text is kept, to re-apply
        # The conflict page carries the version just saved: saving again is a deliberate choice.
        assert _versie_in(verliezer.inhoud, anker) == verliezer.gelezen + 1
    return winnaar, verliezers


# --- a text section ---------------------------------------------------------------------------------


def test_twintig_sessies_slaan_dezelfde_tekstsectie_op(afspraak, sessies):
    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.AANSLUITING])
    fase_url = reverse("afspraak_fase", args=[afspraak.pk, Fase.VORMGEVEN])
    anker = f"sectie-{fasen.AANSLUITING}"
    label = str(fasen.AansluitingFormulier.base_fields["antwoord"].label)
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.AANSLUITING).exists()

    def eerste_keer(i):
        def taak(start):
            client, _ = sessies[i]
            pagina = client.get(fase_url)
            assert pagina.status_code == 200
            versie = _versie_in(pagina.content.decode(), anker)
            start()
            data = {**met_versie(fasen.AANSLUITING, versie), f"{fasen.AANSLUITING}-antwoord": _tekst(i, 1)}
            response = client.post(url, data, headers=HTMX)
            return Antwoord(i, versie, response.status_code, response.content.decode())

        return taak

    def opnieuw(i, versie, ronde):
        def taak(start):
            client, _ = sessies[i]
            start()
            data = {**met_versie(fasen.AANSLUITING, versie), f"{fasen.AANSLUITING}-antwoord": _tekst(i, ronde),
                    f"{fasen.AANSLUITING}-had_fouten": "1"}
            response = client.post(url, data, headers=HTMX)
            return Antwoord(i, versie, response.status_code, response.content.decode())

        return taak

    winnaars = []
    antwoorden = _tegelijk([eerste_keer(i) for i in range(SESSIES)])
    ronde = 1
    while True:
        gelezen = antwoorden[0].gelezen
        winnaar, verliezers = _beoordeel_ronde(antwoorden, anker, lambda a, r=ronde: _tekst(a.sessie, r))
        winnaars.append((winnaar.sessie, ronde))
        sectie = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.AANSLUITING)
        assert sectie.versie == gelezen + 1  # up by exactly one, however many tried
        assert sectie.inhoud["antwoord"] == _tekst(winnaar.sessie, ronde)
        assert sectie.bijgewerkt_door == sessies[winnaar.sessie][1]
        wijzigingen = Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.AANSLUITING)
        assert wijzigingen.count() == ronde  # one record for this round's save, none for the refused ones
        if not verliezers:
            break
        ronde += 1
        # The losers retry together with the version their conflict page showed.
        antwoorden = _tegelijk([opnieuw(v.sessie, _versie_in(v.inhoud, anker), ronde) for v in verliezers])

    assert ronde == SESSIES
    assert sorted(s for s, _ in winnaars) == list(range(SESSIES))
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel=fasen.AANSLUITING)
    assert sectie.versie == SESSIES
    # Nothing lost: the history holds all twenty texts in the order of their versions, each change
    # starting from the text the previous one saved.
    geschiedenis = list(Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.AANSLUITING).order_by("pk"))
    assert [w.nieuw[label] for w in geschiedenis] == [_tekst(s, r) for s, r in winnaars]
    assert [w.oud[label] for w in geschiedenis] == [""] + [_tekst(s, r) for s, r in winnaars[:-1]]
    assert [w.gebruiker for w in geschiedenis] == [sessies[s][1] for s, _ in winnaars]
    assert all(w.soort == Wijziging.Soort.GEWIJZIGD for w in geschiedenis)


# --- a row of a row section -------------------------------------------------------------------------


def test_twintig_sessies_slaan_dezelfde_rij_op(afspraak, sessies):
    actie = Actie.objects.create(afspraak=afspraak, fase=Fase.VERANKEREN, omschrijving="Overleg plannen.")
    url = reverse("rij_opslaan", args=[afspraak.pk, ACTIES_VERANKEREN, actie.pk])
    fase_url = reverse("afspraak_fase", args=[afspraak.pk, Fase.VERANKEREN])
    anker = f"sectie-{ACTIES_VERANKEREN}-rij-{actie.pk}"
    prefix = f"{ACTIES_VERANKEREN}-{actie.pk}"

    def bewaar(i, versie, client_leest=False):
        def taak(start):
            client, _ = sessies[i]
            gelezen = versie
            if client_leest:
                # The page with the row opened for editing, as its edit link gives it.
                pagina = client.get(fase_url, {"bewerk": ACTIES_VERANKEREN, "rij": actie.pk})
                assert pagina.status_code == 200
                html_ = pagina.content.decode()
                if anker not in html_:
                    # Seen only in full-suite runs: say what this thread's own connection sees of the row.
                    sectie_html = re.search(r'id="sectie-acties-verankeren".{0,1500}', html_, re.S)
                    raise AssertionError(
                        f"rij {actie.pk} niet op de pagina; deze verbinding ziet acties "
                        f"{list(Actie.objects.filter(afspraak=afspraak).values_list('pk', 'fase'))}; "
                        f"sectie: {sectie_html.group(0) if sectie_html else 'ontbreekt'}"
                    )
                gelezen = _versie_in(html_, anker)
            start()
            data = {**met_versie(prefix, gelezen), f"{prefix}-omschrijving": _omschrijving(i),
                    f"{prefix}-status": "bezig"}
            response = client.post(url, data, headers=HTMX)
            return Antwoord(i, gelezen, response.status_code, response.content.decode())

        return taak

    winnaars = []
    antwoorden = _tegelijk([bewaar(i, None, client_leest=True) for i in range(SESSIES)])
    while True:
        gelezen = antwoorden[0].gelezen
        winnaar, verliezers = _beoordeel_ronde(antwoorden, anker, lambda a: _omschrijving(a.sessie))
        winnaars.append(winnaar.sessie)
        actie.refresh_from_db()
        assert actie.versie == gelezen + 1
        assert actie.omschrijving == _omschrijving(winnaar.sessie)
        assert actie.bijgewerkt_door == sessies[winnaar.sessie][1]
        assert Wijziging.objects.filter(afspraak=afspraak, sectie=ACTIES_VERANKEREN).count() == len(winnaars)
        if not verliezers:
            break
        antwoorden = _tegelijk([bewaar(v.sessie, _versie_in(v.inhoud, anker)) for v in verliezers])

    assert sorted(winnaars) == list(range(SESSIES))
    actie.refresh_from_db()
    assert actie.versie == 1 + SESSIES
    geschiedenis = list(Wijziging.objects.filter(afspraak=afspraak, sectie=ACTIES_VERANKEREN).order_by("pk"))
    assert [w.nieuw["Omschrijving"] for w in geschiedenis] == [_omschrijving(s) for s in winnaars]
    verwacht = ["Overleg plannen."] + [_omschrijving(s) for s in winnaars[:-1]]
    assert [w.oud["Omschrijving"] for w in geschiedenis] == verwacht
    # Every row save also counts on the section, so the phase page names the last one who saved.
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel=ACTIES_VERANKEREN)
    assert sectie.versie == SESSIES
    assert sectie.bijgewerkt_door == sessies[winnaars[-1]][1]


# --- adding rows ------------------------------------------------------------------------------------


def test_twintig_sessies_voegen_tegelijk_een_rij_toe(afspraak, sessies):
    url = reverse("rij_toevoegen", args=[afspraak.pk, ACTIES_VERBEELDEN])
    nieuw = f"{ACTIES_VERBEELDEN}-nieuw"
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=ACTIES_VERBEELDEN).exists()

    def voeg_toe(i):
        def taak(start):
            client, _ = sessies[i]
            start()
            data = {f"{nieuw}-omschrijving": _omschrijving(i), f"{nieuw}-status": "open"}
            response = client.post(url, data, headers=HTMX)
            return Antwoord(i, 0, response.status_code, response.content.decode())

        return taak

    antwoorden = _tegelijk([voeg_toe(i) for i in range(SESSIES)])
    assert [a.status for a in antwoorden] == [200] * SESSIES
    for antwoord in antwoorden:
        assert f"Actie toegevoegd: {_omschrijving(antwoord.sessie)}" in html.unescape(antwoord.inhoud)
    # All twenty rows, none lost, none twice, each by its own author.
    acties = Actie.objects.filter(afspraak=afspraak, fase=Fase.VERBEELDEN)
    assert sorted(acties.values_list("omschrijving", flat=True)) == [_omschrijving(i) for i in range(SESSIES)]
    assert {(a.omschrijving, a.bijgewerkt_door_id, a.versie) for a in acties} == {
        (_omschrijving(i), sessies[i][1].pk, 1) for i in range(SESSIES)
    }
    toegevoegd = Wijziging.objects.filter(afspraak=afspraak, sectie=ACTIES_VERBEELDEN, soort=Wijziging.Soort.TOEGEVOEGD)
    assert sorted(toegevoegd.values_list("omschrijving", flat=True)) == [_omschrijving(i) for i in range(SESSIES)]
    # The section was created by one of the parallel first saves and counted every addition.
    sectie = Sectie.objects.get(afspraak=afspraak, sleutel=ACTIES_VERBEELDEN)
    assert sectie.versie == SESSIES
    # So did the agreement's content counter (raised in the database, never read and written back).
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == SESSIES


# --- editing, adding and deleting rows of one section at once ---------------------------------------


def test_bewerken_toevoegen_en_verwijderen_door_elkaar_zonder_deadlock(afspraak, sessies):
    """Different rows of one section at once: every row lock comes before the section's lock, so no
    deadlock, and every change counts on the section."""
    te_bewerken = [
        Actie.objects.create(afspraak=afspraak, fase=Fase.VORMGEVEN, omschrijving=f"Bestaande actie {i:02d}.")
        for i in range(10)
    ]
    te_verwijderen = [
        Actie.objects.create(afspraak=afspraak, fase=Fase.VORMGEVEN, omschrijving=f"Overbodige actie {i:02d}.")
        for i in range(5)
    ]
    sleutel = f"acties-{Fase.VORMGEVEN.name.lower()}"

    def taak_voor(i):
        client, _ = sessies[i]
        if i < 10:
            rij = te_bewerken[i]
            url = reverse("rij_opslaan", args=[afspraak.pk, sleutel, rij.pk])
            prefix = f"{sleutel}-{rij.pk}"
            data = {**met_versie(prefix, 1), f"{prefix}-omschrijving": _omschrijving(i), f"{prefix}-status": "bezig"}
        elif i < 15:
            url = reverse("rij_toevoegen", args=[afspraak.pk, sleutel])
            data = {f"{sleutel}-nieuw-omschrijving": _omschrijving(i), f"{sleutel}-nieuw-status": "open"}
        else:
            rij = te_verwijderen[i - 15]
            url = reverse("rij_verwijderen", args=[afspraak.pk, sleutel, rij.pk])
            data = met_versie(f"{sleutel}-{rij.pk}", 1)

        def taak(start):
            start()
            response = client.post(url, data, headers=HTMX)
            return Antwoord(i, 1, response.status_code, response.content.decode())

        return taak

    antwoorden = _tegelijk([taak_voor(i) for i in range(SESSIES)])
    assert [a.status for a in antwoorden] == [200] * SESSIES
    overgebleven = Actie.objects.filter(afspraak=afspraak, fase=Fase.VORMGEVEN)
    assert sorted(overgebleven.values_list("omschrijving", "versie")) == sorted(
        [(_omschrijving(i), 2) for i in range(10)] + [(_omschrijving(i), 1) for i in range(10, 15)]
    )
    soorten = Wijziging.objects.filter(afspraak=afspraak, sectie=sleutel).values_list("soort", flat=True)
    assert sorted(soorten) == sorted(["gewijzigd"] * 10 + ["toegevoegd"] * 5 + ["verwijderd"] * 5)
    assert Sectie.objects.get(afspraak=afspraak, sleutel=sleutel).versie == SESSIES
    assert Uitvoeringsafspraak.objects.get(pk=afspraak.pk).inhoudsteller == SESSIES


# --- a save racing "gereed" ---------------------------------------------------------------------------


def test_opslaan_wacht_op_gereed_en_wordt_dan_geweigerd(afspraak, sessies):
    """The view saw a concept; "gereed" commits before the save's transaction: the save is refused, no 500."""
    from afspraken.models import Uitvoeringsafspraak

    url = reverse("sectie_opslaan", args=[afspraak.pk, fasen.AANSLUITING])
    vergrendeld, vrijgeven = threading.Event(), threading.Event()

    def markeer_gereed(start):
        from django.db import transaction

        start()
        with transaction.atomic():
            rij = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
            rij.status = Uitvoeringsafspraak.Status.GEREED
            rij.save(update_fields=["status"])
            vergrendeld.set()
            # Hold the lock until the save below has passed the view's concept check and is waiting for it.
            assert vrijgeven.wait(WACHTTIJD)
        return None

    def sla_op(start):
        client, _ = sessies[0]
        start()
        assert vergrendeld.wait(WACHTTIJD)
        threading.Timer(1.0, vrijgeven.set).start()
        data = {**met_versie(fasen.AANSLUITING, 0), f"{fasen.AANSLUITING}-antwoord": "Te laat voor de ondertekening."}
        return client.post(url, data, headers=HTMX).status_code

    _, status = _tegelijk([markeer_gereed, sla_op])
    # The view's own check is a plain read, which does not wait for the lock and still sees a concept; the
    # save then waits for "gereed" to commit and re-checks. Had the view run after the commit, it would have
    # refused by itself: either way 403 and nothing written.
    assert status == 403
    assert not Sectie.objects.filter(afspraak=afspraak, sleutel=fasen.AANSLUITING).exists()
    assert not Wijziging.objects.filter(afspraak=afspraak, sectie=fasen.AANSLUITING).exists()
