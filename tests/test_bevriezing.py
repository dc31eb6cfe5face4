"""A version offered for signing never changes: through a form, htmx, the admin, the ORM or raw SQL.

And a new version is a full copy: the differences between the two are empty until someone edits.
"""

import datetime
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from aanbod.models import Aanbod, Ondersteuningsniveau
from accounts.models import Gebruiker
from afspraken import bevriezing, versies
from afspraken.bevriezing import AfspraakBevroren
from afspraken.models import Actie, Document, Ondertekening, Partij, Sectie, Uitvoeringsafspraak
from financiering.models import Verdeelgroep
from tests.afspraak_helpers import gebruiker_van, gemeente_organisatie, maak_afspraak, met_versie


@contextmanager
def geweigerd(fout=AfspraakBevroren):
    # A savepoint per attempt: a refused save marks the surrounding transaction for rollback.
    with pytest.raises(fout), transaction.atomic():
        yield


def _bevries(afspraak, status="ter_ondertekening"):
    Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status=status)
    afspraak.refresh_from_db()
    return afspraak


@pytest.fixture
def bevroren(db, refdata):
    afspraak = maak_afspraak(4)
    partijen = list(afspraak.partijen.all())
    sectie = Sectie.objects.create(afspraak=afspraak, sleutel="visie", inhoud={"antwoord": "Oorspronkelijk"}, versie=1)
    actie = Actie.objects.create(afspraak=afspraak, fase=1, omschrijving="Oorspronkelijke actie")
    aanbod = Aanbod.objects.create(
        afspraak=afspraak,
        niveau=Ondersteuningsniveau.objects.order_by("nummer").first(),
        naam="Schoolmaatschappelijk werk",
    )
    aanbod.voor_instellingen.set(partijen[:1])
    groep = Verdeelgroep.objects.create(afspraak=afspraak, naam="Gemeenten", methode="gelijk", leden=[partijen[0].pk])
    beleid = gebruiker_van(gemeente_organisatie("Leeuwarden"), Gebruiker.Rol.BELEIDSMAKER, "bevroren-beleid")
    _bevries(afspraak)
    return {"afspraak": afspraak, "sectie": sectie, "actie": actie, "aanbod": aanbod, "groep": groep,
            "partij": partijen[0], "beleid": beleid}


def test_elke_inhoudstabel_heeft_een_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'bevroren_inhoud'"
        )
        tabellen = {rij[0] for rij in cursor.fetchall()}
    verwacht = {m._meta.db_table for m in bevriezing.inhoudsmodellen()}
    verwacht |= {  # the many-to-many tables of content rows
        veld.remote_field.through._meta.db_table
        for m in bevriezing.inhoudsmodellen()
        for veld in m._meta.local_many_to_many
        if veld.remote_field.through._meta.auto_created
    }
    assert "aanbod_aanbod_voor_instellingen" in verwacht
    assert verwacht <= tabellen, f"zonder trigger (voeg een migratie toe): {sorted(verwacht - tabellen)}"
    # aanbod and financiering are covered without afspraken importing them.
    assert {"aanbod_aanbod", "financiering_verdeelgroep", "afspraken_sectie", "afspraken_partij"} <= tabellen


# --- the model layer --------------------------------------------------------------------------------


def test_orm_opslaan_van_inhoud_wordt_geweigerd(bevroren):
    sectie = Sectie.objects.get(pk=bevroren["sectie"].pk)
    sectie.inhoud = {"antwoord": "Stiekem gewijzigd"}
    with geweigerd():
        sectie.save()
    with geweigerd():
        Actie.objects.create(afspraak=bevroren["afspraak"], fase=2, omschrijving="Nieuw")
    with geweigerd():
        bevroren["actie"].delete()
    with geweigerd():
        bevroren["aanbod"].voor_instellingen.clear()
    partij = Partij.objects.get(pk=bevroren["partij"].pk)
    partij.bestuurder_naam = "Iemand anders"
    with geweigerd():
        partij.save()
    assert Sectie.objects.get(pk=bevroren["sectie"].pk).inhoud == {"antwoord": "Oorspronkelijk"}


def test_orm_afspraak_zelf_verandert_alleen_van_status(bevroren):
    afspraak = Uitvoeringsafspraak.objects.get(pk=bevroren["afspraak"].pk)
    afspraak.titel = "Andere titel"
    with geweigerd():
        afspraak.save()
    afspraak = Uitvoeringsafspraak.objects.get(pk=bevroren["afspraak"].pk)
    afspraak.status = "concept"
    with geweigerd():
        afspraak.save()
    with geweigerd():
        afspraak.delete()


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE afspraken_sectie SET inhoud = '{}' WHERE afspraak_id = %(a)s",
        "DELETE FROM afspraken_actie WHERE afspraak_id = %(a)s",
        "INSERT INTO afspraken_actie (afspraak_id, versie, bijgewerkt_op, fase, omschrijving, status) "
        "VALUES (%(a)s, 1, now(), 1, 'via SQL', 'open')",
        "UPDATE aanbod_aanbod SET naam = 'via SQL' WHERE afspraak_id = %(a)s",
        "DELETE FROM aanbod_aanbod_voor_instellingen "
        "WHERE aanbod_id IN (SELECT id FROM aanbod_aanbod WHERE afspraak_id = %(a)s)",
        "UPDATE financiering_verdeelgroep SET leden = '[]' WHERE afspraak_id = %(a)s",
        "UPDATE afspraken_partij SET bestuurder_naam = 'via SQL' WHERE afspraak_id = %(a)s",
        "UPDATE afspraken_uitvoeringsafspraak SET titel = 'via SQL' WHERE id = %(a)s",
        "UPDATE afspraken_uitvoeringsafspraak SET status = 'concept' WHERE id = %(a)s",
        "DELETE FROM afspraken_uitvoeringsafspraak WHERE id = %(a)s",
    ],
)
def test_rauwe_sql_wordt_geweigerd(bevroren, sql):
    with pytest.raises(IntegrityError, match="bevroren|niet toegestaan"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"a": bevroren["afspraak"].pk})


def test_queryset_update_wordt_geweigerd(bevroren):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Sectie.objects.filter(afspraak=bevroren["afspraak"]).update(inhoud={"antwoord": "bulk"})
    assert Sectie.objects.get(pk=bevroren["sectie"].pk).inhoud == {"antwoord": "Oorspronkelijk"}


def test_toegestane_overgang_en_daarna_niets_meer(bevroren):
    afspraak = Uitvoeringsafspraak.objects.get(pk=bevroren["afspraak"].pk)
    afspraak.status = "ondertekend"
    afspraak.save()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).update(status="ter_ondertekening")


def test_ondertekening_en_gereed_document_zijn_onveranderlijk(bevroren):
    afspraak, partij = bevroren["afspraak"], bevroren["partij"]
    bestuurder = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, "bevroren-bestuur")
    ondertekening = Ondertekening.objects.create(
        afspraak=afspraak, partij=partij, besluit="getekend", gebruiker=bestuurder, naam="B", functie="F",
        organisatie_naam=str(partij.organisatie), document_sha256="a" * 64,
    )
    document = Document.objects.create(afspraak=afspraak, soort="ter_ondertekening", status="klaar",
                                       inhoud=b"%PDF-1.7", sha256="b" * 64)
    ondertekening.naam = "Ander"
    with geweigerd():
        ondertekening.save()
    with geweigerd():
        document.delete()
    for sql in (
        "UPDATE afspraken_ondertekening SET naam = 'x' WHERE id = %(p)s",
        "DELETE FROM afspraken_ondertekening WHERE id = %(p)s",
    ):
        with pytest.raises(IntegrityError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, {"p": ondertekening.pk})
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE afspraken_document SET inhoud = 'x' WHERE id = %(p)s", {"p": document.pk})


def test_ondertekenen_kan_alleen_ter_ondertekening(db, refdata):
    afspraak = maak_afspraak(4)
    partij = afspraak.partijen.first()
    bestuurder = gebruiker_van(partij.organisatie, Gebruiker.Rol.BESTUURDER, "te-vroeg")
    with geweigerd():
        Ondertekening.objects.create(
            afspraak=afspraak, partij=partij, besluit="getekend", gebruiker=bestuurder, naam="B", functie="F",
            organisatie_naam="x", document_sha256="a" * 64,
        )


# --- the views and the admin ------------------------------------------------------------------------


def test_formulier_en_htmx_post_worden_geweigerd(bevroren):
    client = Client()
    client.force_login(bevroren["beleid"])
    afspraak = bevroren["afspraak"]
    url = reverse("sectie_opslaan", args=[afspraak.pk, "visie"])
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, {"visie-antwoord": "Via het formulier", **met_versie("visie", 1)}, headers=headers)
        assert response.status_code == 403
    rij_prefix = f"acties-verkennen-{bevroren['actie'].pk}"
    rij_data = {f"{rij_prefix}-omschrijving": "x", **met_versie(rij_prefix, 1)}
    rij = reverse("rij_opslaan", args=[afspraak.pk, "acties-verkennen", bevroren["actie"].pk])
    assert client.post(rij, rij_data, headers={"HX-Request": "true"}).status_code == 403
    # Without JavaScript every save of a phase page goes through the page's one form.
    pagina = reverse("fase_opslaan", args=[afspraak.pk, 1])
    sluiten = {"_actie": f"sluiten:acties-verkennen:{bevroren['actie'].pk}"}
    assert client.post(pagina, {**rij_data, **sluiten}).status_code == 403
    gegevens = reverse("afspraak_gegevens", args=[afspraak.pk])
    assert client.post(gegevens, {"titel": "Nieuw", "versie": "1"}).status_code == 403
    assert Sectie.objects.get(pk=bevroren["sectie"].pk).inhoud == {"antwoord": "Oorspronkelijk"}
    assert Actie.objects.get(pk=bevroren["actie"].pk).omschrijving == "Oorspronkelijke actie"


def test_admin_weigert_wijzigen(bevroren, beheerder_client):
    afspraak = bevroren["afspraak"]
    url = reverse("admin:afspraken_uitvoeringsafspraak_change", args=[afspraak.pk])
    pagina = beheerder_client.get(url)
    assert pagina.status_code == 200 and b'name="titel"' not in pagina.content
    response = beheerder_client.post(url, {
        "titel": "Via de admin", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31",
    })
    assert response.status_code == 403
    afspraak.refresh_from_db()
    assert afspraak.titel != "Via de admin"


def test_admin_wijzigt_een_concept_wel(db, refdata, beheerder_client):
    afspraak = maak_afspraak(4)
    url = reverse("admin:afspraken_uitvoeringsafspraak_change", args=[afspraak.pk])
    response = beheerder_client.post(url, {
        "titel": "Via de admin", "looptijd_start": "2026-01-01", "looptijd_einde": "2029-12-31",
    })
    assert response.status_code == 302
    afspraak.refresh_from_db()
    assert afspraak.titel == "Via de admin"


# --- versions ---------------------------------------------------------------------------------------


@pytest.fixture
def friesland(db, refdata):
    call_command("laad_demodata", stdout=StringIO())
    return Uitvoeringsafspraak.objects.get(regio__naam__icontains="Friesland Noord")


def test_nieuwe_versie_is_een_volledige_kopie(friesland):
    gebruiker = Gebruiker.objects.get(username="demo-gemeente")
    _bevries(friesland)
    nieuw = versies.nieuwe_versie(friesland, gebruiker, "Test")
    friesland.refresh_from_db()
    assert friesland.status == "vervangen" and nieuw.status == "concept" and nieuw.versie == friesland.versie + 1
    for model in bevriezing.inhoudsmodellen():
        if model in versies.NIET_KOPIEREN:
            continue
        assert model.objects.filter(afspraak=nieuw).count() == model.objects.filter(afspraak=friesland).count(), model
    # References point into the new version, never back to the old one.
    oude_partijen = set(friesland.partijen.values_list("pk", flat=True))
    for groep in Verdeelgroep.objects.filter(afspraak=nieuw):
        assert not set(groep.leden) & oude_partijen
    for aanbod in Aanbod.objects.filter(afspraak=nieuw):
        assert not set(aanbod.voor_instellingen.values_list("pk", flat=True)) & oude_partijen
        assert aanbod.geleverd_door_id is None or aanbod.geleverd_door_id not in oude_partijen
    assert versies.verschillen(friesland, nieuw) == []


def test_verschillen_tonen_wat_er_veranderde(friesland):
    gebruiker = Gebruiker.objects.get(username="demo-gemeente")
    _bevries(friesland)
    nieuw = versies.nieuwe_versie(friesland, gebruiker, "Test")
    Actie.objects.create(afspraak=nieuw, fase=1, omschrijving="Een actie die er in versie 2 bij kwam",
                         deadline=datetime.date(2027, 3, 1))
    Uitvoeringsafspraak.objects.filter(pk=nieuw.pk).update(titel="Nieuwe titel")
    nieuw.refresh_from_db()
    verschillen = versies.verschillen(friesland, nieuw)
    tekst = repr(verschillen)
    assert "Een actie die er in versie 2 bij kwam" in tekst and "Nieuwe titel" in tekst
    client = Client()
    client.force_login(gebruiker)
    pagina = client.get(reverse("afspraak_versies", args=[nieuw.pk]))
    assert pagina.status_code == 200
    assert "Een actie die er in versie 2 bij kwam" in pagina.content.decode()
