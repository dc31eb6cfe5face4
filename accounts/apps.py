from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisaties en gebruikers"

    def ready(self):
        # regio creates gemeenten and instellingen; each gets its organisation here, so regio never imports
        # accounts (DESIGN.md §4). The demo users come with the demo data.
        from regio import demo, referentie
        from regio.loaders import adressen

        from . import demo as accountsdemo
        from . import inlogpogingen, organisaties

        referentie.registreer(organisaties.bij_referentiedata)
        adressen.na_laden.registreer(organisaties.bij_nieuwe_en_hernoemde_instellingen)
        demo.registreer(accountsdemo.laad_demogebruikers)
        user_login_failed.connect(inlogpogingen.tel_mislukte_poging, dispatch_uid="accounts.inlogpogingen")
        demo.registreer(accountsdemo.maak_demo_uitnodigingen)
