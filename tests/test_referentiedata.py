import pytest
from django.core.management import call_command
from django.db.models import Count

from aanbod.models import Aanbodvorm, Ondersteuningsniveau
from accounts.models import Organisatie
from afspraken.models import Basisafspraak
from regio.models import Dataset, Doorstroompuntregio, Gemeente, Inwonertal, MboInstelling, StudentenPerInstelling

pytestmark = pytest.mark.django_db


def test_veertig_regios_en_elke_gemeente_in_precies_een_regio():
    assert Doorstroompuntregio.objects.count() == 40
    assert Gemeente.objects.count() == 342
    assert not Gemeente.objects.filter(regio__isnull=True).exists()
    assert sum(r.gemeenten.count() for r in Doorstroompuntregio.objects.all()) == 342
    # CBS population on 1 January 2023.
    assert sum(Inwonertal.objects.filter(peiljaar=2023).values_list("aantal", flat=True)) == 17_811_291


def test_contactgemeenten_alleen_waar_de_bron_ze_noemt():
    bekend = Doorstroompuntregio.objects.filter(contactgemeente__isnull=False)
    assert bekend.count() == 30
    assert Doorstroompuntregio.objects.get(nummer=1).contactgemeente.naam == "Veendam"
    assert Doorstroompuntregio.objects.get(nummer=2).contactgemeente.naam == "Eemsdelta"
    assert Doorstroompuntregio.objects.get(nummer=28).contactgemeente.naam == "'s-Gravenhage"
    # "waarschijnlijk" in the reference data is not enough: these stay unknown.
    for nummer in (5, 6, 22, 31):
        assert Doorstroompuntregio.objects.get(nummer=nummer).contactgemeente is None
    for regio in bekend:
        assert regio.contactgemeente.regio_id == regio.pk


def test_instellingen_uit_de_tabel_van_2024():
    assert MboInstelling.objects.count() == 54
    roc_mn = MboInstelling.objects.get(naam="ROC Midden Nederland")
    assert sorted(roc_mn.regios.values_list("nummer", flat=True)) == [16, 19]
    grafisch = MboInstelling.objects.filter(naam__startswith="Grafisch lyceum")
    assert grafisch.count() == 2
    assert {tuple(i.regios.values_list("nummer", flat=True)) for i in grafisch} == {(12,), (40,)}
    firda = StudentenPerInstelling.objects.get(instelling__naam="Firda", peiljaar=2024, leerweg="TOTAAL")
    assert firda.aantal == 20881
    assert Organisatie.objects.filter(soort="mbo_instelling").count() == 54
    assert Organisatie.objects.filter(soort="gemeente").count() == 342


def test_vaste_teksten():
    assert Basisafspraak.objects.count() == 12
    assert Basisafspraak.objects.get(nummer=4).tekst.startswith("Deze afspraken gelden voor alle studenten")
    assert list(Ondersteuningsniveau.objects.values_list("nummer", flat=True)) == [1, 2, 3, 4, 5]
    assert not Ondersteuningsniveau.objects.annotate(n=Count("aanbodvormen")).filter(n=0).exists()
    assert Aanbodvorm.objects.filter(wettelijke_basis=True).exists()


def test_elke_dataset_noemt_bron_en_status():
    for dataset in Dataset.objects.all():
        assert dataset.bron
        assert dataset.status in Dataset.Status.values
    assert Dataset.objects.get(soort="indeling").status == Dataset.Status.GERECONSTRUEERD


def test_opnieuw_laden_is_idempotent_en_houdt_keuze_van_beheerder():
    regio = Doorstroompuntregio.objects.get(nummer=5)
    regio.contactgemeente = regio.gemeenten.first()
    regio.contactgemeente_bron = "beheerder: test"
    regio.save()
    tellingen = (Gemeente.objects.count(), MboInstelling.objects.count(), Organisatie.objects.count())
    call_command("laad_referentiedata", verbosity=0)
    assert (Gemeente.objects.count(), MboInstelling.objects.count(), Organisatie.objects.count()) == tellingen
    regio.refresh_from_db()
    assert regio.contactgemeente is not None
