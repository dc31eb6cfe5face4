"""Organisatie, Gebruiker and Auditregel moved from regio to accounts and audit without touching their tables.

A database as the code before the move left it, with a user, organisation, permission, audit row and a
logged-in session, is migrated by `manage.py migrate` (accounts' own, which records accounts 0001 first): the
user is found through accounts.Gebruiker, keeps their permission and their session, and the models match the
migrations. A fresh database migrating from zero is what every test run does.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.test_backup_herstel import _url, lege_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a database beside the test database")

ROOT = Path(__file__).resolve().parent.parent


def _draai(database, *argumenten):
    uitkomst = subprocess.run(
        [sys.executable, *argumenten], cwd=ROOT, env={**os.environ, "DATABASE_URL": _url(database)},
        capture_output=True, text=True, timeout=600,
    )
    assert uitkomst.returncode == 0, uitkomst.stdout[-2000:] + uitkomst.stderr[-4000:]
    return uitkomst.stdout


def test_een_database_van_voor_de_verhuizing_migreert_met_behoud_van_alles(lege_database):  # noqa: F811
    oud = json.loads(_draai(lege_database, "-m", "tests.verhuizing_stappen", "oud").splitlines()[-1])

    uitvoer = _draai(lege_database, "manage.py", "migrate", "--no-input")
    assert "accounts.0001_initial vastgelegd" in uitvoer
    assert "Applying regio.0011_accounts_en_audit_verhuisd... OK" in uitvoer

    uitvoer = _draai(lege_database, "-m", "tests.verhuizing_stappen", "nieuw", json.dumps(oud))
    nieuw = json.loads(uitvoer.splitlines()[-1])
    assert nieuw == {
        "naam": "Olga Oud",
        "organisatie": "Zorgverzekeraar Oud",
        "recht": True,
        "inhoudstype": oud["inhoudstype"],  # the same row, now labelled accounts
        "ingelogd": oud["gebruiker"],
        "backend": "accounts.backends.GebruikerBackend",
        "auditregels": 1,
    }
