"""Writing many rows at once: PostgreSQL's COPY where the database is PostgreSQL, bulk_create elsewhere.

`schrijf_rijen(model, velden, rijen)` takes plain tuples of values that are already in database
form (ints, strings, None; a foreign key as its id) in the order of `velden`. On PostgreSQL the rows
are streamed with psycopg 3's COPY FROM STDIN on Django's own connection, so they are part of the
caller's transaction.atomic(): a failure later in the load rolls them back like any other write.
Elsewhere (SQLite in the demo) it falls back to bulk_create in batches.

COPY skips the per-value work Django does for bulk_create (model instances, get_db_prep_save,
building one large INSERT); for 100,000 rows that was most of the load time.

`vervang_partitie(model, veld, waarde, velden, rijen)` replaces every row whose `veld` is `waarde`. Where the
table is partitioned by list on `veld` (the students per woongemeente, regio migration 0008) the rows go into a
new table without foreign keys, which is indexed and then attached as the partition for `waarde` in place of
the old one. PostgreSQL then checks each foreign key with one query over the new table when it is attached,
instead of one trigger call per row and key at COMMIT (100,000 rows: about 0.1 s against 4 s). Readers keep
the old rows until the commit; the parent is locked exclusively only from dropping the old partition to the
commit (about 0.1 s for 100,000 rows), and the referenced tables only against writes.
"""

from contextlib import nullcontext

import psycopg
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.utils import CursorDebugWrapper

BATCH = 5000

# Tests switch this off to prove that the COPY path and the bulk_create path write the same rows.
COPY_TOEGESTAAN = True

# How long the swap of a partition waits for readers that are still busy with the table (a long report in the
# task worker) before it gives up: while it waits, new readers queue behind it.
WACHTTIJD = "5s"


class TabelBezet(Exception):
    """The table stayed in use longer than WACHTTIJD; nothing was written. Trying again later will do."""


def gebruikt_copy(using=DEFAULT_DB_ALIAS):
    return COPY_TOEGESTAAN and connections[using].vendor == "postgresql"


def copy_sql(model, velden, using=DEFAULT_DB_ALIAS, tabel=None):
    """'COPY "regio_…" ("dataset_id", …) FROM STDIN', with table and columns from the model's _meta
    (or into `tabel`, a table with the same columns)."""
    quote = connections[using].ops.quote_name
    kolommen = ", ".join(quote(model._meta.get_field(naam).column) for naam in velden)
    return f"COPY {quote(tabel or model._meta.db_table)} ({kolommen}) FROM STDIN"


def schrijf_rijen(model, velden, rijen, using=DEFAULT_DB_ALIAS, batch_size=BATCH):
    """Insert `rijen` (an iterable of tuples in the order of `velden`, field names such as
    "dataset" or "peiljaar") into `model`'s table. Returns the number of rows written.

    Runs inside the caller's transaction; on its own a COPY is still one statement (all or nothing).
    Give every column that needs a value (COPY only fills the others with the database default);
    save() and signals are not involved, as with bulk_create.
    """
    if gebruikt_copy(using):
        return _kopieer(model, velden, rijen, using)
    attnames = [model._meta.get_field(naam).attname for naam in velden]
    objecten = [model(**dict(zip(attnames, rij, strict=True))) for rij in rijen]
    model.objects.using(using).bulk_create(objecten, batch_size=batch_size)
    return len(objecten)


def _kopieer(model, velden, rijen, using, tabel=None):
    connection = connections[using]
    sql = copy_sql(model, velden, using, tabel)
    aantal = 0
    with connection.cursor() as cursor:
        connection.validate_no_broken_transaction()
        # Logged like any other query (connection.queries, django_assert_num_queries), and database
        # errors raised as Django's (IntegrityError …).
        gelogd = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with gelogd, connection.wrap_database_errors:
            with cursor.cursor.copy(sql) as copy:
                schrijf = copy.write_row
                for rij in rijen:
                    schrijf(rij)
                    aantal += 1
    return aantal


def _partities(cursor, tabel, pk):
    """(default partition or None, names of the partitions, the id sequence) of `tabel`, or None when it is not
    partitioned. One query."""
    cursor.execute(
        """
        SELECT p.relkind, c.relname, pg_get_expr(c.relpartbound, c.oid), pg_get_serial_sequence(%s, %s)
        FROM pg_class p LEFT JOIN pg_inherits i ON i.inhparent = p.oid LEFT JOIN pg_class c ON c.oid = i.inhrelid
        WHERE p.oid = to_regclass(%s)
        """,
        [tabel, pk, tabel],
    )
    rijen = cursor.fetchall()
    if not rijen or rijen[0][0] != "p":
        return None
    standaard = next((naam for _, naam, grens, _ in rijen if grens == "DEFAULT"), None)
    return standaard, {naam for _, naam, _, _ in rijen if naam}, rijen[0][3]


def _indexen(cursor, tabel, nieuw, quote):
    """Statements that give `nieuw` the indexes and unique constraints of `tabel`, so that attaching it
    finds them instead of building them while the parent is locked."""
    cursor.execute(
        """
        SELECT pg_get_indexdef(x.indexrelid), x.indisunique, pg_get_constraintdef(k.oid)
        FROM pg_index x LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid
            AND k.contype IN ('p', 'u')
        WHERE x.indrelid = to_regclass(%s)
        ORDER BY x.indexrelid
        """,
        [tabel],
    )
    opdrachten = []
    for definitie, uniek, beperking in cursor.fetchall():
        if beperking:
            opdrachten.append(f"ALTER TABLE {quote(nieuw)} ADD {beperking}")
        else:
            methode = definitie.split(" USING ", 1)[1]
            opdrachten.append(f"CREATE {'UNIQUE ' if uniek else ''}INDEX ON {quote(nieuw)} USING {methode}")
    return opdrachten


def vervang_partitie(model, veld, waarde, velden, rijen, using=DEFAULT_DB_ALIAS):
    """Replace all rows of `model` whose `veld` is `waarde` (an int) by `rijen` (tuples in the order of
    `velden`). Returns the number of rows written. Runs in the caller's transaction: a failure rolls back the
    new table with everything else.

    On a table partitioned by list on `veld` see the module's docstring (six queries); elsewhere (SQLite, or
    PostgreSQL before the migration) one delete and `schrijf_rijen`.
    """
    waarde = int(waarde)  # goes into table names and DDL
    connection = connections[using]
    tabel, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    partities = None
    if gebruikt_copy(using):
        with connection.cursor() as cursor:
            partities = _partities(cursor, tabel, pk)
    if partities is None:
        model.objects.using(using).filter(**{veld: waarde}).delete()
        return schrijf_rijen(model, velden, rijen, using=using)

    standaard, namen, reeks = partities
    kolom = quote(model._meta.get_field(veld).column)
    partitie, nieuw = f"{tabel}_{waarde}", f"{tabel}_{waarde}_nieuw"
    with connection.cursor() as cursor:
        # LIKE copies the columns, NOT NULL and CHECK constraints; the id comes from the parent's sequence.
        # Rows of this peiljaar written through the ORM before it had a partition are in the default one.
        cursor.execute(
            (f"DELETE FROM {quote(standaard)} WHERE {kolom} = {waarde};" if standaard else "")
            + f"CREATE TABLE {quote(nieuw)} (LIKE {quote(tabel)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);"
            f"ALTER TABLE {quote(nieuw)} ALTER {quote(pk)} SET DEFAULT nextval('{reeks}'::regclass)"
        )
    aantal = _kopieer(model, velden, rijen, using, tabel=nieuw)
    with connection.cursor() as cursor:
        # The CHECK spares ATTACH its scan of the new rows; the indexes are built before the parent is locked.
        bouw = [f"ALTER TABLE {quote(nieuw)} ADD CHECK ({kolom} = {waarde})", *_indexen(cursor, tabel, nieuw, quote)]
        cursor.execute(";".join(bouw))
        wissel = [f"SET LOCAL lock_timeout = '{WACHTTIJD}'"]
        if partitie in namen:
            wissel.append(f"DROP TABLE {quote(partitie)}")
        wissel += [
            f"ALTER TABLE {quote(nieuw)} RENAME TO {quote(partitie)}",
            f"ALTER TABLE {quote(tabel)} ATTACH PARTITION {quote(partitie)} FOR VALUES IN ({waarde})",
            "SET LOCAL lock_timeout = DEFAULT",
        ]
        try:
            cursor.execute(";".join(wissel))
        except OperationalError as fout:
            if isinstance(fout.__cause__, psycopg.errors.LockNotAvailable):
                raise TabelBezet(tabel) from fout
            raise
    return aantal
