from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from regio.admin import BeheerderToegang

from .models import Gebruiker, Organisatie


@admin.register(Organisatie)
class OrganisatieAdmin(BeheerderToegang, admin.ModelAdmin):
    list_display = ["naam", "soort", "partner_soort"]
    list_filter = ["soort", "partner_soort"]
    search_fields = ["naam"]
    autocomplete_fields = ["gemeente", "instelling"]


@admin.register(Gebruiker)
class GebruikerAdmin(BeheerderToegang, UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisatie", "rol", "is_active"]
    list_filter = ["rol", "is_active"]
    autocomplete_fields = ["organisatie"]
    fieldsets = UserAdmin.fieldsets[:2] + (
        ("Organisatie en rol", {"fields": ["organisatie", "rol", "functie"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Organisatie en rol", {"fields": ["first_name", "last_name", "email", "organisatie", "rol", "functie"]}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_change_permission(self, request, obj=None):
        # A beheerder is no superuser: changing one (its password above all) would let them become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
