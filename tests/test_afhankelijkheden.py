"""The dependency direction of DESIGN.md: techniek ← regio ← audit ← accounts ← afspraken ← aanbod, financiering ←
monitor ← api. No cycles."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOVENAAN = {"monitor", "api"}  # the national overview and the API sit on top of every app
VERBODEN = {
    # Technical glue (form rendering, registers, the health check) below every app.
    "techniek": {"regio", "audit", "accounts", "afspraken", "aanbod", "financiering"} | BOVENAAN,
    "regio": {"audit", "accounts", "afspraken", "aanbod", "financiering"} | BOVENAAN,
    # The audit log's pages use regio's downloads and beheerder check; users only through AUTH_USER_MODEL.
    "audit": {"accounts", "afspraken", "aanbod", "financiering"} | BOVENAAN,
    "accounts": {"afspraken", "aanbod", "financiering"} | BOVENAAN,
    "afspraken": {"aanbod", "financiering"} | BOVENAAN,
    "aanbod": {"financiering"} | BOVENAAN,
    "financiering": {"aanbod"} | BOVENAAN,
    "monitor": {"api"},
}


def _imports(pad):
    boom = ast.parse(pad.read_text(encoding="utf-8"))
    for knoop in ast.walk(boom):
        if isinstance(knoop, ast.Import):
            yield from (alias.name.split(".")[0] for alias in knoop.names)
        elif isinstance(knoop, ast.ImportFrom) and knoop.module and knoop.level == 0:
            yield knoop.module.split(".")[0]


@pytest.mark.parametrize("app", sorted(VERBODEN))
def test_lagere_app_importeert_geen_hogere(app):
    fout = [
        f"{pad.relative_to(ROOT)} importeert {naam}"
        for pad in (ROOT / app).rglob("*.py")
        for naam in _imports(pad)
        if naam in VERBODEN[app]
    ]
    assert not fout, fout


PROJECT = {"regio", "afspraken", "aanbod", "financiering", "monitor", "api", "config", "tests", "scripts"}
def _importeert_projectcode(pad):
    relatief = any(
        isinstance(knoop, ast.ImportFrom) and knoop.level > 0 for knoop in ast.walk(ast.parse(pad.read_text()))
    )
    return relatief or bool(PROJECT & set(_imports(pad)))


def test_migraties_importeren_geen_projectcode():
    """An old migration keeps working whatever becomes of the application's code: it carries its own SQL and
    functions instead of importing them."""
    met_projectcode = {
        str(pad.relative_to(ROOT))
        for pad in ROOT.glob("*/migrations/*.py")
        if ".venv" not in pad.parts and _importeert_projectcode(pad)
    }
    assert not met_projectcode, sorted(met_projectcode)
