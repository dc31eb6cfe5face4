from django.core.management.base import BaseCommand

from regio.referentie import laad_alles


class Command(BaseCommand):
    help = (
        "Laadt of ververst de meegeleverde referentiegegevens (regio's, gemeenten, inwoners, indeling, "
        "mbo-instellingen, basisafspraken, continuüm). Idempotent; wat een beheerder heeft geladen blijft staan."
    )

    def handle(self, *args, **options):
        verslag = laad_alles()
        if options["verbosity"] == 0:
            return
        for regel in verslag.regels:
            self.stdout.write(f"Referentiegegevens: {regel}")
