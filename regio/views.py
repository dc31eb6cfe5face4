"""Public pages. (Placeholder bodies; the real pages follow.)"""

from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def regio_lijst(request):
    raise Http404


def regio_detail(request, nummer):
    raise Http404


def gemeente_detail(request, code):
    raise Http404


def instelling_detail(request, pk):
    raise Http404


def bronnen(request):
    raise Http404
