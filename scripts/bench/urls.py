"""The project's URLs plus one trivial template view: the floor the page timings are compared with.

The floor goes through the same middleware (sessions, authentication, CSRF, CSP …) and the same template
engine as a real page, so what a page costs above it is the page's own work.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

VLOER_URL = "/__bench__/vloer/"

_SJABLOON = engines["django"].from_string(
    "<!doctype html><html lang=\"nl\"><title>{{ titel }}</title><p>{{ titel }} voor {{ request.user }}</p></html>"
)


def vloer(request):
    return HttpResponse(_SJABLOON.render({"titel": "Vloer"}, request))


urlpatterns = [
    path(VLOER_URL.strip("/") + "/", vloer, name="bench_vloer"),
    path("", include("config.urls")),
]
