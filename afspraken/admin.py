from django.contrib import admin

from regio.admin import Alleenlezen

from .models import Basisafspraak


@admin.register(Basisafspraak)
class BasisafspraakAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["nummer", "tekst"]
