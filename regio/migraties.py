"""Shared by migrations that put triggers and functions in PostgreSQL (the audit log, the data versions).

Migrations import this module: change what it does and every migration that uses it changes with it.
"""

from django.db import migrations


def alleen_op_postgresql(sql, terug):
    """A migration operation that runs `sql` forwards and `terug` backwards on PostgreSQL only.

    SQLite (the demo) has neither the triggers nor the functions: there the model layer alone applies. The
    SQL is passed without parameters, so a `%` in it (RAISE's format) is sent as written.
    """

    def vooruit(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    def achteruit(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(terug, params=None)

    return migrations.RunPython(vooruit, achteruit)
