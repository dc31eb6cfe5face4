from django.conf import settings

DEADLINE = "31 december 2026"


def site(request):
    return {"DEADLINE_TEKST": DEADLINE, "DEBUG": settings.DEBUG}
