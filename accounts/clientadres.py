"""The visitor's address, also behind a reverse proxy.

Behind a proxy REMOTE_ADDR is the proxy's own address, so log-in throttling (django-axes) and the rate
limit on /verifieren/ would count everyone as one visitor. X-Forwarded-For can be forged by the client, so
only the entries the trusted proxies appended are believed: with N proxies, the N-th address from the right.
"""

from django.conf import settings


def client_ip(request):
    aantal = settings.VERTROUWDE_PROXIES
    if aantal > 0:
        adressen = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(adressen) >= aantal:
            return adressen[-aantal]
    return request.META.get("REMOTE_ADDR", "")
