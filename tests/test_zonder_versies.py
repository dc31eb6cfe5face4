"""The page cache's versions are gone from the database (regio 0012, afspraken 0011, aanbod 0006, financiering
0005), and those migrations can be undone and done again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the versions were PostgreSQL triggers"),
]

TRIGGERS = ("gegevensversie", "gebruikersversie", "gebruikersversie_wijziging", "afsprakenstand",
            "afsprakenstand_status", "inhoudsversie", "lijstversie")
FUNCTIES = ("regio_gegevensversie_vernieuwen", "regio_versie_vernieuwen", "afspraken_inhoudsversie_vernieuwen")
RELATIES = ("regio_gegevensversie", "afspraken_inhoudsversie", "regio_gegevensversie_reeks",
            "afspraken_inhoudsversie_reeks")
VOOR = [("regio", "0010_sessies_naar_gebruikerbackend"), ("afspraken", "0006_inhoudsversie"),
        ("aanbod", "0003_inhoudsversie"), ("financiering", "0002_inhoudsversie")]


def _versies():
    """(triggers per name, functions, tables, sequences) of the versions that are in the database now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, count(*) FROM pg_trigger WHERE tgname = ANY(%s) GROUP BY tgname",
                       [list(TRIGGERS)])
        triggers = dict(cursor.fetchall())
        cursor.execute("SELECT proname FROM pg_proc WHERE proname = ANY(%s)", [list(FUNCTIES)])
        functies = {r[0] for r in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s)", [list(RELATIES)])
        relaties = {r[0] for r in cursor.fetchall()}
    return triggers, functies, relaties


def _migreer(doelen):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(doelen)


def test_geen_versies_meer_en_terug_te_draaien():
    assert _versies() == ({}, set(), set())
    laatste = [(app, naam) for app, naam in MigrationExecutor(connection).loader.graph.leaf_nodes()
               if app in {"regio", "afspraken", "aanbod", "financiering"}]
    try:
        _migreer(VOOR)
        triggers, functies, relaties = _versies()
        # As migrations 0005–0009 (regio 0006–0009) left them: every trigger back, on every table it was on.
        assert triggers == {"gegevensversie": 9, "gebruikersversie": 1, "gebruikersversie_wijziging": 1,
                            "afsprakenstand": 3, "afsprakenstand_status": 1, "inhoudsversie": 21, "lijstversie": 4}
        assert len(functies) == 3 and len(relaties) == 4
    finally:
        _migreer(laatste)
    assert _versies() == ({}, set(), set())
