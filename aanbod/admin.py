from django.contrib import admin

from regio.admin import Alleenlezen, BeheerderToegang

from .models import Aanbodvorm, Financieringsbron, Ondersteuningsniveau


@admin.register(Ondersteuningsniveau)
class OndersteuningsniveauAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["nummer", "naam", "doel"]


@admin.register(Financieringsbron)
class FinancieringsbronAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["naam", "code"]


@admin.register(Aanbodvorm)
class AanbodvormAdmin(BeheerderToegang, admin.ModelAdmin):
    list_display = ["naam", "niveau", "financieringsbron", "wettelijke_basis"]
    list_filter = ["niveau", "wettelijke_basis"]
    search_fields = ["naam"]
