"""Public verification of a sealed PDF (being built)."""

from django.http import Http404


def verifieren(request):
    raise Http404


def verifieren_document(request, kenmerk):
    raise Http404
