"""PUBLIEKE_URL: the demo's e-mail links and sealed QR codes follow its host and port; production names it."""

import os
import shlex
import subprocess
import sys

from django.conf import settings

KENMERK = "00000000-0000-4000-8000-000000000000"
# What a sealed PDF's QR code and an e-mail link are built from, read in a fresh process.
ADRESSEN = (
    "import django; django.setup()\n"
    "from afspraken.document import verificatie_url\n"
    "from afspraken.ondertekening import _adres\n"
    f"print(verificatie_url('{KENMERK}')); print(_adres('/inloggen/'))"
)
# Variables of the calling shell (or of an outer `make`) that would change what is tested.
WEG = {"PUBLIEKE_URL", "HOST", "PORT", "PY", "DJANGO_DEBUG", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}


def _omgeving(**extra):
    omgeving = {k: v for k, v in os.environ.items() if k not in WEG}
    omgeving.update(DJANGO_SETTINGS_MODULE="config.settings", **extra)
    return omgeving


def _python(**extra):
    return subprocess.run(
        [sys.executable, "-c", ADRESSEN], env=_omgeving(**extra), cwd=settings.BASE_DIR,
        capture_output=True, text=True,
    )


def _make_run(*argumenten, **extra):
    """The manage.py commands `make run` would run (dry run: nothing is installed or started)."""
    uit = subprocess.run(
        ["make", "-n", "run", *argumenten], env=_omgeving(**extra), cwd=settings.BASE_DIR,
        capture_output=True, text=True, check=True,
    ).stdout
    return [regel for regel in uit.splitlines() if " manage.py " in regel]


def test_make_run_geeft_elk_commando_het_adres_van_de_demo():
    # As the README says it: `PORT=8101 make run`.
    regels = _make_run(PORT="8101")
    assert [r.split(" manage.py ")[1].split()[0] for r in regels] == [
        "migrate", "laad_referentiedata", "maak_zegelcertificaat", "laad_demodata", "runserver",
    ]
    for regel in regels:
        assert regel.startswith("PUBLIEKE_URL='http://127.0.0.1:8101' "), regel
    assert regels[-1].endswith("runserver 127.0.0.1:8101")
    assert all(r.startswith("PUBLIEKE_URL='http://localhost:8000' ") for r in _make_run(HOST="localhost"))


def test_make_run_houdt_een_gezette_publieke_url():
    for regel in _make_run(PORT="8101", PUBLIEKE_URL="https://demo.example.nl"):
        assert regel.startswith("PUBLIEKE_URL='https://demo.example.nl' "), regel
    # Set but empty counts as not set.
    assert all(r.startswith("PUBLIEKE_URL='http://127.0.0.1:8101' ") for r in _make_run(PORT="8101", PUBLIEKE_URL=""))


def test_het_adres_uit_make_run_komt_in_qr_code_en_e_mail():
    # The laad_demodata command exactly as `make run` writes it, with its command swapped for one that prints
    # the addresses the seal's QR code and the e-mails use: the shell's assignment reaches the settings.
    laden = next(r for r in _make_run("PY=PYTHON", PORT="8101") if "laad_demodata" in r)
    opdracht = laden.replace(
        "PYTHON manage.py laad_demodata", f"{shlex.quote(sys.executable)} -c {shlex.quote(ADRESSEN)}"
    )
    uit = subprocess.run(
        ["sh", "-c", opdracht], env=_omgeving(), cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert uit == [f"http://127.0.0.1:8101/verifieren/{KENMERK}/", "http://127.0.0.1:8101/inloggen/"]


def test_demo_zonder_publieke_url_valt_terug_op_poort_8000():
    uitkomst = _python()
    assert uitkomst.returncode == 0, uitkomst.stderr
    assert uitkomst.stdout.split()[0] == f"http://127.0.0.1:8000/verifieren/{KENMERK}/"
    # A trailing slash does not double.
    assert _python(PUBLIEKE_URL="https://afspraken.example.nl/").stdout.split()[1] == "https://afspraken.example.nl/inloggen/"


def test_productie_start_niet_zonder_publieke_url():
    productie = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}
    for leeg in ({}, {"PUBLIEKE_URL": ""}):
        uitkomst = _python(**productie, **leeg)
        assert uitkomst.returncode != 0
        assert "RuntimeError: Zet PUBLIEKE_URL wanneer DJANGO_DEBUG=0" in uitkomst.stderr
    uitkomst = _python(**productie, PUBLIEKE_URL="https://afspraken.example.nl")
    assert uitkomst.returncode == 0, uitkomst.stderr
    assert uitkomst.stdout.split()[0] == f"https://afspraken.example.nl/verifieren/{KENMERK}/"
