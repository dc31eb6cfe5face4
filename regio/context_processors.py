from django.conf import settings

from .cijfers import DEADLINE


def site(request):
    return {"DEADLINE": DEADLINE, "DEBUG": settings.DEBUG}
