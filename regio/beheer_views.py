"""Beheerder pages for loading data. (Placeholder; the loaders follow.)"""

from django.http import Http404


def gegevens(request):
    raise Http404
