"""`manage.py laad_bestand`: preview without writing, --bevestig loads, a rejected file exits non-zero."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from regio.models import Gegevensimport, Inwonertal, MboInstelling, StudentenPerWoongemeente
from tests.loaders_helpers import VOORBEELDEN, vingerafdruk

pytestmark = pytest.mark.django_db


def test_zonder_bevestig_alleen_voorbeeld(refdata, capsys):
    voor = vingerafdruk()
    call_command("laad_bestand", "inwoners", str(VOORBEELDEN / "inwoners_statline_voorbeeld.csv"))
    uit = capsys.readouterr().out
    assert "CBS: inwoners per gemeente: inwoners_statline_voorbeeld.csv" in uit
    assert "Tekenset Windows-1252, scheidingsteken puntkomma, 9 rijen gelezen." in uit
    assert "Peiljaar 2024: 6 gemeenten, samen 1.129.000 inwoners; 6 inwonertallen nieuw" in uit
    assert "er is niets geschreven" in uit
    assert vingerafdruk() == voor
    assert not Gegevensimport.objects.exists()


def test_met_bevestig_laden_en_vastleggen(beheerder, capsys):
    call_command("laad_bestand", "adressen_mbo", str(VOORBEELDEN / "adressen_mbo_voorbeeld.csv"),
                 "--peiljaar", "2025", "--bevestig", "--gebruiker", "beheerder-test")
    call_command("laad_bestand", "studenten_woongemeente",
                 str(VOORBEELDEN / "studenten_per_woongemeente_voorbeeld.csv"), "--bevestig")
    uit = capsys.readouterr().out
    assert (
        "Studenten per instelling en woongemeente geladen: 15 rijen uit studenten_per_woongemeente_voorbeeld.csv."
        in uit
    )
    assert MboInstelling.objects.filter(instellingscode__startswith="99X").count() == 4
    assert StudentenPerWoongemeente.objects.filter(peiljaar=2024).count() == 15
    imports = list(Gegevensimport.objects.order_by("pk").values_list("soort", "status", "via", "gebruiker__username"))
    assert imports == [
        ("adressen_mbo", "geladen", "opdrachtregel", "beheerder-test"),
        ("studenten_woongemeente", "geladen", "opdrachtregel", None),
    ]


def test_afgewezen_bestand_geeft_foutmelding_en_schrijft_niets(refdata, tmp_path):
    pad = tmp_path / "fout.csv"
    pad.write_bytes(b"peiljaar;instellingscode;gemeentecode;aantal\n2024;ONBEKEND;GM0014;5\n2024;ONBEKEND;GM0034;-4\n")
    voor = vingerafdruk()
    with pytest.raises(CommandError) as fout:
        call_command("laad_bestand", "studenten_woongemeente", str(pad))
    tekst = str(fout.value)
    assert tekst.startswith("fout.csv is afgewezen (3 fouten); er is niets gewijzigd:")
    assert "  - regel 2, kolom instellingscode: Instellingscode ONBEKEND is onbekend." in tekst
    assert "  - regel 3, kolom aantal: Negatief aantal -4: alleen -1 (onderdrukt, 1 tot 4) is toegestaan." in tekst
    with pytest.raises(CommandError):
        call_command("laad_bestand", "studenten_woongemeente", str(pad), "--bevestig")
    assert vingerafdruk() == voor
    # With --bevestig the rejection is recorded in the history.
    assert list(Gegevensimport.objects.values_list("status", "aantal_fouten", "via")) == [
        ("afgewezen", 3, "opdrachtregel")
    ]


def test_onleesbaar_pad(refdata):
    with pytest.raises(CommandError, match="Kan .* niet lezen"):
        call_command("laad_bestand", "inwoners", "/bestaat/niet.csv")


def test_als_proces_met_exitcode(refdata, tmp_path):
    """The real command line: exit code 0 for a preview, non-zero with a Dutch error list for a rejected file."""
    pad = tmp_path / "rommel.csv"
    pad.write_bytes(b"%PDF-1.4 rommel")
    env = {**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    fout = subprocess.run(
        [sys.executable, "manage.py", "laad_bestand", "inwoners", str(pad)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert fout.returncode != 0
    assert "rommel.csv is afgewezen (1 fout)" in fout.stderr
    assert "Dit is geen CSV-bestand maar een PDF-bestand" in fout.stderr
    assert Inwonertal.objects.filter(peiljaar=2024).count() == 0
