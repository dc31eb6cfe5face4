"""The visitor's address behind a reverse proxy: only what the trusted proxies appended is believed."""

import pytest
from django.test import RequestFactory

from accounts.clientadres import client_ip


@pytest.mark.parametrize(
    ("proxies", "doorgestuurd", "verwacht"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy configured: the header is ignored, it could be forged
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # the first entry came from the client itself
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "", "10.0.0.2"),  # fewer entries than proxies: fall back to the connection's address
    ],
)
def test_client_ip(settings, proxies, doorgestuurd, verwacht):
    settings.VERTROUWDE_PROXIES = proxies
    verzoek = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=doorgestuurd, REMOTE_ADDR="10.0.0.2")
    assert client_ip(verzoek) == verwacht


@pytest.mark.django_db
def test_axes_blokkeert_per_bezoeker_achter_de_proxy(client, settings, refdata):
    from axes.models import AccessAttempt

    settings.VERTROUWDE_PROXIES = 1
    client.post("/inloggen/", {"username": "iemand", "password": "fout"}, REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
