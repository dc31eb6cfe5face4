from django.contrib import admin

from regio.admin import Alleenlezen, BeheerderToegang

from .models import Aanbod, Aanbodvorm, Financieringsbron, Ondersteuningsniveau, PersoneleInzet, WarmeOverdracht


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


# An agreement's rows change only through its sections (versions, history); the admin shows them.


@admin.register(Aanbod)
class AanbodAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["__str__", "afspraak", "niveau", "waar", "wettelijke_basis", "financieringsbron"]
    list_filter = ["niveau", "waar", "wettelijke_basis"]
    list_select_related = ["afspraak", "niveau", "aanbodvorm", "financieringsbron"]


@admin.register(PersoneleInzet)
class PersoneleInzetAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["functie", "afspraak", "soort", "fte", "werkgever"]
    list_filter = ["soort"]
    list_select_related = ["afspraak", "werkgever__organisatie"]


@admin.register(WarmeOverdracht)
class WarmeOverdrachtAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["naar_aanbod", "afspraak", "contact_rol", "partij"]
    list_select_related = ["afspraak", "partij__organisatie"]
