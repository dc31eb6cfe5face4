"""The document of an agreement: HTML preview and PDF (being built)."""

from django.http import Http404


def voorbeeld(request, pk):
    raise Http404


def concept_pdf(request, pk):
    raise Http404
