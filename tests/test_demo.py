"""Demo data: synthetic students per woongemeente and the demo users of `make run`."""

import time
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db.models import Sum

from accounts import demo as accountsdemo
from accounts.models import Gebruiker, Organisatie
from regio import demo
from regio.aantallen import Aantal
from regio.models import (
    Dataset,
    Doorstroompuntregio,
    Gemeente,
    Leerweg,
    MboInstelling,
    StudentenPerInstelling,
    StudentenPerWoongemeente,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def snelle_wachtwoorden(settings):
    # The real hasher takes half a second per password; the behaviour under test is the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def zonder_andere_loaders(monkeypatch):
    # The demo users (accounts) and their invitation links stay: they are part of what regio.demo.laad_demodata loads.
    monkeypatch.setattr(
        demo.loaders, "_items", [accountsdemo.laad_demogebruikers, accountsdemo.maak_demo_uitnodigingen]
    )


def _rijen():
    return list(
        StudentenPerWoongemeente.objects.order_by("instelling__naam", "gemeente__code").values_list(
            "instelling__naam",
            "gemeente__code",
            "peiljaar",
            "leerweg",
            "niveau",
            "aantal",
            "onderdrukt",
        )
    )


def _totalen():
    return dict(
        StudentenPerInstelling.objects.filter(peiljaar=2024, leerweg=Leerweg.TOTAAL).values_list(
            "instelling_id", "aantal"
        )
    )


# --- helpers -------------------------------------------------------------------------------------


def test_verdeel_exact_telt_op_en_is_eerlijk_bij_gelijke_resten():
    assert demo.verdeel_exact(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert demo.verdeel_exact(7, {"b": 0.5, "a": 0.5}) == {"a": 4, "b": 3}
    assert demo.verdeel_exact(0, {"a": 1}) == {"a": 0}
    delen = demo.verdeel_exact(17477, {"x": 981913, "y": 676120})
    assert delen == {"x": 10350, "y": 7127}
    assert sum(demo.verdeel_exact(1001, {i: 1 / (i + 1) for i in range(50)}).values()) == 1001
    with pytest.raises(ValueError):
        demo.verdeel_exact(3, {"a": 0})


def test_centrum_vestigingsgemeente_dan_contactgemeente_dan_grootste_gemeente():
    friesland_noord = Doorstroompuntregio.objects.get(nummer=4)
    zuidwest_friesland = Doorstroompuntregio.objects.get(nummer=5)
    assert zuidwest_friesland.contactgemeente is None
    firda = MboInstelling.objects.get(naam="Firda")
    assert demo.centrum(firda, friesland_noord).naam == "Leeuwarden"
    firda.vestigingsgemeente = Gemeente.objects.get(naam="Harlingen")
    assert demo.centrum(firda, friesland_noord).naam == "Harlingen"
    # A vestigingsgemeente in another region does not move this region's centre.
    firda.vestigingsgemeente = Gemeente.objects.get(naam="Groningen")
    assert demo.centrum(firda, friesland_noord).naam == "Leeuwarden"
    # No contactgemeente: the most populous gemeente of the region.
    fictief = MboInstelling(naam="Fictief")
    assert demo.centrum(fictief, zuidwest_friesland).naam == "Súdwest-Fryslân"


# --- the synthetic dataset -----------------------------------------------------------------------


def test_twee_runs_geven_dezelfde_rijen_en_vervangen_de_vorige():
    eerste = demo.genereer_studenten_per_woongemeente()
    rijen_eerst = _rijen()
    pks_eerst = set(StudentenPerWoongemeente.objects.values_list("pk", flat=True))
    # A stray row in the synthetic dataset disappears on the next run.
    StudentenPerWoongemeente.objects.create(
        dataset=eerste.dataset,
        peiljaar=2024,
        instelling=MboInstelling.objects.get(naam="Firda"),
        gemeente=Gemeente.objects.get(naam="Maastricht"),
        niveau="4",
        aantal=999,
    )
    tweede = demo.genereer_studenten_per_woongemeente()

    assert len(rijen_eerst) > 1000
    assert _rijen() == rijen_eerst
    assert tweede.rijen == eerste.rijen == len(rijen_eerst)
    assert tweede.dataset.pk == eerste.dataset.pk
    datasets = Dataset.objects.filter(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2024)
    assert datasets.count() == 1
    assert not pks_eerst & set(StudentenPerWoongemeente.objects.values_list("pk", flat=True))


def test_dataset_is_gemarkeerd_als_synthetisch():
    uitkomst = demo.genereer_studenten_per_woongemeente()
    dataset = Dataset.objects.get(soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE, peiljaar=2024)
    assert uitkomst.dataset == dataset
    assert dataset.status == Dataset.Status.SYNTHETISCH and dataset.is_synthetisch
    assert not dataset.door_beheerder
    assert "demo-gegevens, synthetisch" in dataset.bron.lower()
    assert "demo-gegevens, synthetisch" in dataset.toelichting.lower()
    rijen = StudentenPerWoongemeente.objects.all()
    assert set(rijen.values_list("dataset_id", flat=True)) == {dataset.pk}
    assert set(rijen.values_list("peiljaar", flat=True)) == {2024}


def test_bereik_per_instelling_bevat_het_totaal():
    uitkomst = demo.genereer_studenten_per_woongemeente()
    totalen = _totalen()
    assert len(totalen) == 54
    assert uitkomst.instellingen == 54
    assert uitkomst.studenten == sum(totalen.values())
    met_onderdrukt = 0
    for instelling_id, totaal in totalen.items():
        som = Aantal.som_van(StudentenPerWoongemeente.objects.filter(instelling_id=instelling_id))
        assert som.ondergrens <= totaal <= som.bovengrens, (instelling_id, som, totaal)
        met_onderdrukt += not som.is_exact
    assert met_onderdrukt > 10  # the suppression is really exercised
    # The smallest instelling (5 students) has only suppressed cells, and still an honest range.
    schalm = MboInstelling.objects.get(naam="De Schalm")
    som = Aantal.som_van(StudentenPerWoongemeente.objects.filter(instelling=schalm))
    assert som.bekend == 0 and som.ondergrens <= 5 <= som.bovengrens


def test_instelling_in_twee_regios_verdeelt_haar_totaal_exact_over_beide():
    uitkomst = demo.genereer_studenten_per_woongemeente()
    roc = MboInstelling.objects.get(naam="ROC Midden Nederland")
    totaal = _totalen()[roc.pk]
    utrecht = Doorstroompuntregio.objects.get(nummer=19)
    eem_en_vallei = Doorstroompuntregio.objects.get(nummer=16)
    deel_utrecht = uitkomst.delen[(roc.pk, utrecht.pk)]
    deel_eem = uitkomst.delen[(roc.pk, eem_en_vallei.pk)]
    assert deel_utrecht + deel_eem == totaal
    assert deel_utrecht > deel_eem > 0.3 * totaal  # by inwoners: Utrecht is the larger region
    assert Gemeente.objects.get(pk=uitkomst.centra[(roc.pk, utrecht.pk)]).naam == "Utrecht"
    assert Gemeente.objects.get(pk=uitkomst.centra[(roc.pk, eem_en_vallei.pk)]).naam == "Amersfoort"

    rijen = StudentenPerWoongemeente.objects.filter(instelling=roc)
    grootste = list(rijen.order_by("-aantal").values_list("gemeente__naam", flat=True)[:2])
    assert set(grootste) == {"Utrecht", "Amersfoort"}
    per_regio = {
        nummer: Aantal.som_van(rijen.filter(gemeente__regio__nummer=nummer)) for nummer in (16, 19)
    }
    assert per_regio[16].ondergrens > 0.2 * totaal and per_regio[19].ondergrens > 0.2 * totaal
    regios = Doorstroompuntregio.objects.all()
    som = sum((Aantal.som_van(rijen.filter(gemeente__regio=r)) for r in regios), Aantal())
    assert som == Aantal.som_van(rijen)
    assert som.ondergrens <= totaal <= som.bovengrens


def test_kleine_aantallen_zijn_onderdrukt_zoals_duo_doet():
    demo.genereer_studenten_per_woongemeente()
    rijen = StudentenPerWoongemeente.objects.all()
    assert not rijen.filter(onderdrukt=0, aantal__gte=1, aantal__lte=4).exists()
    assert not rijen.filter(onderdrukt=0, aantal=0).exists()  # zeros dropped
    assert set(rijen.values_list("onderdrukt", flat=True)) == {0, 1}
    assert not rijen.filter(onderdrukt=1).exclude(aantal=0).exists()
    assert rijen.filter(onderdrukt=1).count() > 100


def test_vestigingsgemeente_is_het_centrum_als_die_bekend_is():
    firda = MboInstelling.objects.get(naam="Firda")
    firda.vestigingsgemeente = Gemeente.objects.get(naam="Harlingen")
    firda.save()
    demo.genereer_studenten_per_woongemeente()
    grootste = StudentenPerWoongemeente.objects.filter(instelling=firda).order_by("-aantal").first()
    assert grootste.gemeente.naam == "Harlingen"
    assert grootste.aantal >= 0.19 * _totalen()[firda.pk]


def test_groningen_trekt_veel_studenten_uit_oost_groningen_en_noord_groningen():
    demo.genereer_studenten_per_woongemeente()
    groningen = MboInstelling.objects.filter(aanwezigheden__regio__nummer=3)
    assert groningen.count() == 3
    totaal = StudentenPerInstelling.objects.filter(
        instelling__in=groningen, peiljaar=2024, leerweg=Leerweg.TOTAAL
    ).aggregate(s=Sum("aantal"))["s"]
    uit_1_en_2 = Aantal.som_van(
        StudentenPerWoongemeente.objects.filter(
            instelling__in=groningen, gemeente__regio__nummer__in=[1, 2]
        )
    )
    assert uit_1_en_2.ondergrens > 0.10 * totaal
    # Every gemeente of those two regions sends students to the Groningen instellingen.
    gemeenten = set(
        StudentenPerWoongemeente.objects.filter(instelling__naam="Noorderpoort").values_list(
            "gemeente__regio__nummer", "gemeente__naam"
        )
    )
    for g in Gemeente.objects.filter(regio__nummer__in=[1, 2]):
        assert (g.regio.nummer, g.naam) in gemeenten


def test_grensregio_trekt_uit_de_buren_en_niet_van_ver():
    demo.genereer_studenten_per_woongemeente()
    deltion = StudentenPerWoongemeente.objects.filter(instelling__naam="Deltion")
    # Meppel (Zuid-West Drenthe, next to Zwolle) sends students; Maastricht (200 km away) does not.
    assert deltion.get(gemeente__naam="Meppel").aantal > 100
    assert not deltion.filter(gemeente__naam="Maastricht").exists()
    buiten = deltion.exclude(gemeente__regio__nummer=10)
    assert 1 <= buiten.count() <= demo.MAX_GEMEENTEN_BUITEN


def test_aandeel_centrum_regio_buiten_landelijk_rond_de_vuistregel():
    uitkomst = demo.genereer_studenten_per_woongemeente()
    centrum = regio = buiten = 0.0
    instelling_regios = {}
    for (instelling_id, regio_id), centrum_id in uitkomst.centra.items():
        instelling_regios.setdefault(instelling_id, (set(), set()))
        instelling_regios[instelling_id][0].add(centrum_id)
        instelling_regios[instelling_id][1].add(regio_id)
    rijen = StudentenPerWoongemeente.objects.values_list(
        "instelling_id", "gemeente_id", "gemeente__regio_id", "aantal", "onderdrukt"
    )
    for instelling_id, gemeente_id, regio_id, aantal, onderdrukt in rijen:
        midden = Aantal(aantal, onderdrukt).midden
        centra, regios = instelling_regios[instelling_id]
        if gemeente_id in centra:
            centrum += midden
        elif regio_id in regios:
            regio += midden
        else:
            buiten += midden
    totaal = centrum + regio + buiten
    assert 0.15 < centrum / totaal < 0.50
    assert 0.25 < regio / totaal < 0.50
    assert 0.20 < buiten / totaal < 0.45
    assert abs(uitkomst.aandeel(uitkomst.centrum) - centrum / totaal) < 0.01


def test_door_beheerder_geladen_gegevens_blijven_staan():
    eigen = Dataset.objects.create(
        soort=Dataset.Soort.STUDENTEN_WOONGEMEENTE,
        peiljaar=2024,
        status=Dataset.Status.OFFICIEEL,
        bron="DUO, geladen door de beheerder",
        door_beheerder=True,
    )
    rij = StudentenPerWoongemeente.objects.create(
        dataset=eigen,
        peiljaar=2024,
        instelling=MboInstelling.objects.get(naam="Firda"),
        gemeente=Gemeente.objects.get(naam="Leeuwarden"),
        aantal=1234,
    )
    uitkomst = demo.genereer_studenten_per_woongemeente()
    assert uitkomst.overgeslagen and "beheerder" in uitkomst.overgeslagen
    assert uitkomst.rijen == 0
    eigen.refresh_from_db()
    assert eigen.status == Dataset.Status.OFFICIEEL
    assert eigen.bron == "DUO, geladen door de beheerder"
    assert list(StudentenPerWoongemeente.objects.values_list("pk", "aantal")) == [(rij.pk, 1234)]

    out = StringIO()
    call_command("laad_demodata", stdout=out)
    assert "blijven staan" in out.getvalue()
    assert StudentenPerWoongemeente.objects.count() == 1


def test_tweede_run_is_snel():
    demo.genereer_studenten_per_woongemeente()
    begin = time.perf_counter()
    demo.genereer_studenten_per_woongemeente()
    assert time.perf_counter() - begin < 5


# --- demo users and the command ------------------------------------------------------------------


def test_demogebruikers_een_per_rol_en_niet_dubbel(snelle_wachtwoorden, zonder_andere_loaders):
    call_command("laad_demodata", stdout=StringIO())
    namen = [d.gebruikersnaam for d in accountsdemo.DEMO_GEBRUIKERS]
    gebruikers = {g.username: g for g in Gebruiker.objects.filter(username__in=namen)}
    assert len(gebruikers) == 4

    gemeente = gebruikers["demo-gemeente"]
    assert gemeente.rol == Gebruiker.Rol.BELEIDSMAKER
    assert gemeente.organisatie == Organisatie.objects.get(gemeente__naam="Leeuwarden")
    assert gemeente.organisatie.gemeente.regio.nummer == 4
    instelling = gebruikers["demo-instelling"]
    assert instelling.rol == Gebruiker.Rol.BELEIDSMAKER
    assert instelling.organisatie.instelling.naam == "Firda"
    bestuurder = gebruikers["demo-bestuurder"]
    assert bestuurder.rol == Gebruiker.Rol.BESTUURDER and bestuurder.functie == "wethouder (demo)"
    assert bestuurder.organisatie == gemeente.organisatie
    beheerder = gebruikers["demo-beheerder"]
    assert beheerder.rol == Gebruiker.Rol.BEHEERDER
    assert beheerder.is_staff and beheerder.is_beheerder
    assert not beheerder.is_superuser
    assert not any(g.is_staff for g in (gemeente, instelling, bestuurder))

    for d in accountsdemo.DEMO_GEBRUIKERS:
        g = gebruikers[d.gebruikersnaam]
        assert g.first_name == "Demo" and g.is_active
        assert g.check_password(d.wachtwoord)
        validate_password(d.wachtwoord, g)  # raises when a validator refuses it

    partner = Organisatie.objects.get(naam="Zorgverzekeraar Noord (demo)")
    assert partner.soort == Organisatie.Soort.PARTNER
    assert partner.partner_soort == Organisatie.PartnerSoort.ZORGVERZEKERAAR

    aantal_gebruikers, aantal_organisaties = Gebruiker.objects.count(), Organisatie.objects.count()
    rijen = _rijen()
    call_command("laad_demodata", stdout=StringIO())
    assert Gebruiker.objects.count() == aantal_gebruikers
    assert Organisatie.objects.count() == aantal_organisaties
    assert _rijen() == rijen


def test_gewijzigd_wachtwoord_blijft_en_dat_wordt_gemeld(
    snelle_wachtwoorden, zonder_andere_loaders
):
    call_command("laad_demodata", stdout=StringIO())
    bestuurder = Gebruiker.objects.get(username="demo-bestuurder")
    bestuurder.set_password("Een-ander-eigen-wachtwoord-77")
    bestuurder.save()

    out = StringIO()
    call_command("laad_demodata", stdout=out)
    bestuurder.refresh_from_db()
    assert bestuurder.check_password("Een-ander-eigen-wachtwoord-77")
    tekst = out.getvalue()
    assert "Raadzaal-Hamer-Besluit-2026" not in tekst
    blok_bestuurder = tekst.split("gebruikersnaam: demo-bestuurder", 1)[1].split("kan:", 1)[0]
    assert "gelaten zoals het was" in blok_bestuurder
    assert "Kanaal-Tulp-Fiets-2026" in tekst  # the others are unchanged and still shown


def test_inlogblok_noemt_iedere_gebruiker(snelle_wachtwoorden, zonder_andere_loaders):
    out = StringIO()
    call_command("laad_demodata", stdout=out)
    tekst = out.getvalue()
    for d in accountsdemo.DEMO_GEBRUIKERS:
        assert f"gebruikersnaam: {d.gebruikersnaam}" in tekst
        assert f"wachtwoord:     {d.wachtwoord}" in tekst
        assert d.titel in tekst
        assert d.kan in tekst
    assert "Gemeente Leeuwarden (Friesland Noord, regio 4)" in tekst
    assert "Firda (Friesland Noord, regio 4)" in tekst
    assert "demo-gegevens, synthetisch" in tekst
    assert "54 instellingen" in tekst

    stil = StringIO()
    call_command("laad_demodata", "--stil", stdout=stil)
    assert "demo-gegevens, synthetisch" in stil.getvalue()
    assert "demo-gemeente" not in stil.getvalue()


def test_geregistreerde_loaders_draaien_mee(snelle_wachtwoorden, zonder_andere_loaders):
    aanroepen = []

    def laad_iets(verslag):
        aanroepen.append(len(verslag.inloggen))
        verslag.meld("3 demo-afspraken")

    assert demo.registreer(laad_iets) is laad_iets
    demo.registreer(laad_iets)
    out = StringIO()
    call_command("laad_demodata", stdout=out)
    assert aanroepen == [4]  # once, after the users exist
    assert "Demo-gegevens: 3 demo-afspraken" in out.getvalue()


def test_elke_demogebruiker_krijgt_een_uitnodigingslink(client, snelle_wachtwoorden, zonder_andere_loaders, settings):
    import re
    from urllib.parse import urlsplit

    from django.urls import reverse

    from accounts.models import Uitnodiging

    out = StringIO()
    call_command("laad_demodata", stdout=out)
    tekst = out.getvalue()
    links = {}
    for d in accountsdemo.DEMO_GEBRUIKERS:
        blok = tekst.split(f"gebruikersnaam: {d.gebruikersnaam}", 1)[1].split("kan:", 1)[0]
        links[d.gebruikersnaam] = re.search(r"of zelf kiezen: (\S+)", blok).group(1)
        assert links[d.gebruikersnaam].startswith(f"{settings.PUBLIEKE_URL}/uitnodiging/")
        assert Uitnodiging.objects.get(gebruiker__username=d.gebruikersnaam).is_open
    assert "7 dagen geldig, werkt één keer" in tekst

    # The printed link is the invitation: it leads to choosing a password.
    pad = urlsplit(links["demo-gemeente"]).path
    assert client.get(pad).url == reverse("uitnodiging_wachtwoord")
    eigen = "Mijn-Eigen-Demo-2026"
    client.post(reverse("uitnodiging_wachtwoord"), {"new_password1": eigen, "new_password2": eigen})
    assert Gebruiker.objects.get(username="demo-gemeente").check_password(eigen)
    client.post(reverse("uitloggen"))

    # A second run: new links (the old ones are dead), none for who chose a password already.
    out = StringIO()
    call_command("laad_demodata", stdout=out)
    tekst = out.getvalue()
    blok = tekst.split("gebruikersnaam: demo-gemeente", 1)[1].split("kan:", 1)[0]
    assert "of zelf kiezen: heeft via de uitnodiging een eigen wachtwoord gekozen" in blok
    assert "gelaten zoals het was" in blok
    nieuw = re.search(r"gebruikersnaam: demo-bestuurder.*?of zelf kiezen: (\S+)", tekst, re.S).group(1)
    assert nieuw != links["demo-bestuurder"]
    assert client.get(urlsplit(links["demo-bestuurder"]).path).status_code == 410
    assert client.get(urlsplit(nieuw).path).status_code == 302
