"""Django's migrate, which first records accounts 0001 on a database migrated before the accounts app existed, and
afterwards makes the table of the database cache (CACHES), so that no deploy step can forget it.

accounts 0001 only adds Organisatie and Gebruiker to the migration state: their tables are regio's. Because
AUTH_USER_MODEL names accounts.Gebruiker, the admin's and django-otp's migrations, applied long before, now
depend on it, and Django refuses such a database (InconsistentMigrationHistory) before running anything.
Recording 0001 as applied is all that running it would do; it is done only when what it depends on is applied.
"""

from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

VERHUIZING = ("accounts", "0001_initial")


def leg_verhuizing_vast(connection):
    """Record accounts 0001 when migrations applied before it depend on it; True when it did."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    loader = MigrationLoader(connection)
    toegepast = loader.applied_migrations
    knoop = loader.graph.node_map[VERHUIZING]
    if VERHUIZING in toegepast or not any(kind.key in toegepast for kind in knoop.children):
        return False
    if not all(ouder.key in toegepast for ouder in knoop.parents):
        return False  # older than regio 0010: Django's own error says what is missing
    recorder.record_applied(*VERHUIZING)
    return True


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if leg_verhuizing_vast(connections[options["database"]]) and options["verbosity"] >= 1:
            self.stdout.write("accounts.0001_initial vastgelegd: Organisatie en Gebruiker staan nu in accounts.")
        super().handle(*args, **options)
        if options["plan"] or options["check_unapplied"]:
            return  # a look, not a change
        call_command("createcachetable", database=options["database"], verbosity=options["verbosity"])
