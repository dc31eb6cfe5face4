from django.http import HttpResponse


def pagina(request):  # replaced by the flows page
    return HttpResponse("")
