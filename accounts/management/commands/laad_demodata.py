from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.demo import inlogblok
from regio.demo import DemoFout, laad_demodata, studenten_regel


class Command(BaseCommand):
    help = (
        "Laadt de demo-gegevens: studenten per woongemeente 2024 (demo-gegevens, synthetisch), "
        "een demo-gebruiker per rol, een demo-partner en de demo-gegevens van de andere apps, "
        "waaronder een uitvoeringsafspraak die alle partijen ondertekenen (zegelcertificaat nodig: "
        "maak_zegelcertificaat --als-ontbreekt). Idempotent: bestaande gebruikers en hun "
        "wachtwoorden en door een beheerder geladen gegevens blijven staan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stil", action="store_true", help="Druk de inloggegevens niet af.")

    def handle(self, *args, stil=False, **options):
        # The demo signs an agreement on behalf of its demo bestuurders. The e-mails of that flow go out after
        # the commit and would ask (example.org) people to sign what is already signed: they are not sent.
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                verslag = laad_demodata()
        except DemoFout as fout:
            raise CommandError(str(fout)) from fout
        self.stdout.write(f"Demo-gegevens: {studenten_regel(verslag.studenten)}")
        for regel in verslag.regels:
            self.stdout.write(f"Demo-gegevens: {regel}")
        if not stil:
            self.stdout.write(inlogblok(verslag))
