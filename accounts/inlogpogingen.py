"""Failed log-ins per address, whatever the usernames (password spraying).

django-axes locks a username at one address after AXES_FAILURE_LIMIT failures. One address trying a wrong
password against many usernames is counted here, with a higher limit, so that colleagues behind one office
address are not locked out by one person's typing errors. The counters live in Django's cache (the database by
default: shared by every worker) and lapse VENSTER_S after the first failure.
"""

from django.conf import settings
from django.core.cache import cache

from .clientadres import client_ip


def _sleutel(request):
    return f"accounts.inlogpogingen:{client_ip(request)}"


def adres_geblokkeerd(request):
    return cache.get(_sleutel(request), 0) >= settings.INLOGPOGINGEN_PER_ADRES


def tel_mislukte_poging(sender, credentials, request=None, **kwargs):
    """Receiver of user_login_failed (connected in AccountsConfig.ready)."""
    if request is None:
        return
    sleutel = _sleutel(request)
    cache.add(sleutel, 0, settings.INLOGPOGINGEN_VENSTER_S)
    try:
        cache.incr(sleutel)
    except ValueError:  # lapsed between add and incr
        cache.set(sleutel, 1, settings.INLOGPOGINGEN_VENSTER_S)
