"""The dependency direction of DESIGN.md: regio ← audit ← accounts ← afspraken ← aanbod, financiering ← monitor ← api.
No cycles."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOVENAAN = {"monitor", "api"}  # the national overview and the API sit on top of every app
VERBODEN = {
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
