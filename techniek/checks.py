"""`manage.py check --deploy`: the public pages must not name the demo's placeholder organisation in production."""

from django.conf import settings
from django.core import checks


def publieke_gegevens_ingesteld(app_configs=None, **kwargs):
    voorbeeld = sorted(
        naam for naam, waarde in settings.PUBLIEKE_GEGEVENS_VOORBEELD.items() if getattr(settings, naam) == waarde
    )
    if not voorbeeld:
        return []
    return [
        checks.Warning(
            f"{', '.join(voorbeeld)} {'staat' if len(voorbeeld) == 1 else 'staan'} nog op de voorbeeldwaarde "
            "van de demo.",
            hint="De contactpagina, de privacyverklaring en de toegankelijkheidsverklaring noemen deze gegevens: "
            "zet ze in de omgeving (README, Productie).",
            id="techniek.W001",
        )
    ]
