"""Shared by the migrations of the apps whose tables hold what an agreement says (afspraken, aanbod,
financiering): the triggers that renew an agreement's content version (afspraken migration 0006).

Migrations import this module: change what it does and every migration that uses it changes with it.
"""


def inhoudsversie_triggers(tabellen):
    """(sql, terug) for the content-version trigger on each table of `tabellen`: {table: args}.

    args: ("afspraak_id",) where the row holds the agreement itself, ("indicator_id", "afspraken_indicator")
    where it hangs under a row that does. Constraint triggers, deferred: the version row of an agreement is
    locked only at commit, after every other lock of the transaction, so it can never close a lock cycle."""
    sql, terug = [], []
    for tabel, args in tabellen.items():
        argumenten = ", ".join(f"'{a}'" for a in args)
        sql.append(f"""
DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};
CREATE CONSTRAINT TRIGGER inhoudsversie AFTER INSERT OR UPDATE OR DELETE ON {tabel}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION afspraken_inhoudsversie_vernieuwen({argumenten});
""")
        terug.append(f"DROP TRIGGER IF EXISTS inhoudsversie ON {tabel};\n")
    return "".join(sql), "".join(terug)


def lijstversie_triggers(tabellen):
    """(sql, terug): a change of a reference list (the basisafspraken, the continuüm) renews row 3 of
    regio_gegevensversie (regio migration 0009), as a user's does."""
    sql = "".join(
        f"""
DROP TRIGGER IF EXISTS lijstversie ON {tabel};
CREATE TRIGGER lijstversie AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
    FOR EACH STATEMENT EXECUTE FUNCTION regio_versie_vernieuwen('3');
"""
        for tabel in tabellen
    )
    terug = "".join(f"DROP TRIGGER IF EXISTS lijstversie ON {tabel};\n" for tabel in tabellen)
    return sql, terug
