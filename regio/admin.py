from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils import timezone

from techniek.invoer import met_invoercontrole

from .models import (
    Dataset,
    Doorstroompuntregio,
    Gegevensimport,
    Gemeente,
    InstellingInRegio,
    MboInstelling,
)


class Autocomplete(AutocompleteSelect):
    """Django's autocomplete select, which shows a posted value that is no key of the related model as nothing.

    Django's looks every posted value up as it is: "10\u202e" for a key is a ValueError, so a form sent back with
    its errors was a 500 instead of "Selecteer een geldige keuze"."""

    def optgroups(self, name, value, attr=None):
        sleutel = self.field.target_field
        geldig = []
        for waarde in value:
            try:
                sleutel.to_python(waarde)
            except ValidationError:
                continue
            geldig.append(waarde)
        return super().optgroups(name, geldig, attr)


class BeheerderToegang:
    """Beheerders maintain regions, organisations and users without being superusers."""

    def has_module_permission(self, request):
        return request.user.is_authenticated and request.user.is_beheerder

    def has_view_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.is_beheerder

    def has_change_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.is_beheerder

    def has_add_permission(self, request):
        return request.user.is_authenticated and request.user.is_beheerder

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = Autocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        # The admin's forms refuse what every form of the project refuses (techniek.invoer).
        return met_invoercontrole(super().get_form(request, obj, **kwargs))


class Alleenlezen(BeheerderToegang):
    """Loaded data changes only through the loaders, which validate and record every load."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GemeenteInline(admin.TabularInline):
    model = Gemeente
    fields = ["code", "naam", "actief"]
    readonly_fields = ["code", "naam", "actief"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Doorstroompuntregio)
class DoorstroompuntregioAdmin(BeheerderToegang, admin.ModelAdmin):
    list_display = ["nummer", "naam", "contactgemeente", "contactgemeente_bron"]
    search_fields = ["naam", "korte_naam"]
    fields = ["nummer", "naam", "korte_naam", "contactgemeente", "contactgemeente_bron"]
    readonly_fields = ["nummer", "contactgemeente_bron"]
    inlines = [GemeenteInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contactgemeente":
            nummer = request.resolver_match.kwargs.get("object_id")
            if nummer:
                kwargs["queryset"] = Gemeente.objects.filter(regio_id=nummer)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "contactgemeente" in form.changed_data:
            obj.contactgemeente_bron = f"beheerder: {request.user.username}, {timezone.localdate():%d-%m-%Y}"
        super().save_model(request, obj, form, change)


@admin.register(Gemeente)
class GemeenteAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["code", "naam", "regio", "actief"]
    list_filter = ["regio"]
    search_fields = ["code", "naam"]


class AanwezigheidInline(admin.TabularInline):
    model = InstellingInRegio
    extra = 0
    fields = ["regio", "naam_in_bron", "bron"]
    readonly_fields = ["naam_in_bron", "bron"]


@admin.register(MboInstelling)
class MboInstellingAdmin(BeheerderToegang, admin.ModelAdmin):
    list_display = ["naam", "instellingscode", "vestigingsgemeente"]
    search_fields = ["naam", "instellingscode"]
    autocomplete_fields = ["vestigingsgemeente"]
    inlines = [AanwezigheidInline]


@admin.register(Dataset)
class DatasetAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["soort", "peiljaar", "status", "door_beheerder", "bijgewerkt_op"]
    list_filter = ["soort", "status"]


@admin.register(Gegevensimport)
class GegevensimportAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["aangemaakt_op", "soort", "peiljaar", "bestandsnaam", "status", "gebruiker", "rijen_geaccepteerd"]
    list_filter = ["soort", "status"]
    exclude = ["inhoud"]
