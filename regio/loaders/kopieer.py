"""Writing many rows at once: PostgreSQL's COPY where the database is PostgreSQL, bulk_create elsewhere.

`schrijf_rijen(model, velden, rijen)` takes plain tuples of values that are already in database
form (ints, strings, None; a foreign key as its id) in the order of `velden`. On PostgreSQL the rows
are streamed with psycopg 3's COPY FROM STDIN on Django's own connection, so they are part of the
caller's transaction.atomic(): a failure later in the load rolls them back like any other write.
Elsewhere (SQLite in the demo) it falls back to bulk_create in batches.

COPY skips the per-value work Django does for bulk_create (model instances, get_db_prep_save,
building one large INSERT); for 100,000 rows that was most of the load time.
"""

from contextlib import nullcontext

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper

BATCH = 5000

# Tests switch this off to prove that the COPY path and the bulk_create path write the same rows.
COPY_TOEGESTAAN = True


def gebruikt_copy(using=DEFAULT_DB_ALIAS):
    return COPY_TOEGESTAAN and connections[using].vendor == "postgresql"


def copy_sql(model, velden, using=DEFAULT_DB_ALIAS):
    """'COPY "regio_…" ("dataset_id", …) FROM STDIN', with table and columns from the model's _meta."""
    quote = connections[using].ops.quote_name
    kolommen = ", ".join(quote(model._meta.get_field(naam).column) for naam in velden)
    return f"COPY {quote(model._meta.db_table)} ({kolommen}) FROM STDIN"


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
    objecten = [model(**dict(zip(attnames, rij))) for rij in rijen]
    model.objects.using(using).bulk_create(objecten, batch_size=batch_size)
    return len(objecten)


def _kopieer(model, velden, rijen, using):
    connection = connections[using]
    sql = copy_sql(model, velden, using)
    aantal = 0
    with connection.cursor() as cursor:
        connection.validate_no_broken_transaction()
        # Logged like any other query (connection.queries, django_assert_num_queries), and database
        # errors raised as Django's (IntegrityError …).
        gelogd = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with gelogd, connection.wrap_database_errors:
            with cursor.cursor.copy(sql) as copy:
                schrijf = copy.write_row
                for aantal, rij in enumerate(rijen, 1):
                    schrijf(rij)
    return aantal
