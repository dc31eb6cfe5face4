from django.http import HttpResponse


def publiek(request):  # replaced by the monitor pages
    return HttpResponse("")


beheer = export = publiek
