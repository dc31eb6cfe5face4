from django.contrib import admin

from regio.admin import Alleenlezen, BeheerderToegang

from .models import (
    Actievoortgang,
    Basisafspraak,
    Document,
    Meting,
    Ondertekening,
    Uitvoeringsafspraak,
    verhoog_inhoudsteller,
)


@admin.register(Basisafspraak)
class BasisafspraakAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["nummer", "tekst"]


@admin.register(Uitvoeringsafspraak)
class UitvoeringsafspraakAdmin(BeheerderToegang, admin.ModelAdmin):
    """Beheerders may correct the title or term of a draft; a frozen version is shown read-only."""

    list_display = ["titel", "regio", "versie", "status", "ondertekend_op"]
    list_filter = ["status"]
    fields = ["regio", "versie", "titel", "looptijd_start", "looptijd_einde", "status", "ondertekend_op"]
    readonly_fields = ["regio", "versie", "status", "ondertekend_op"]

    def has_add_permission(self, request):
        return False  # agreements start in the application, with their parties proposed from the data

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_bevroren:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            verhoog_inhoudsteller(obj)  # title and term are on the document's cover


@admin.register(Ondertekening)
class OndertekeningAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["afspraak", "organisatie_naam", "besluit", "naam", "functie", "tijdstip"]
    list_filter = ["besluit"]


@admin.register(Document)
class DocumentAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["afspraak", "soort", "status", "sha256", "grootte", "gereed_op", "pogingen"]
    list_filter = ["soort", "status"]
    exclude = ["inhoud"]


@admin.register(Meting)
class MetingAdmin(Alleenlezen, admin.ModelAdmin):
    """Read-only: metingen are entered on the monitoring page, where the rules and the audit log apply."""

    list_display = ["indicator", "meetmoment", "waarde", "gemeten_op", "ingevoerd_door", "ingevoerd_op"]
    list_select_related = ["indicator", "ingevoerd_door"]
    date_hierarchy = "meetmoment"


@admin.register(Actievoortgang)
class ActievoortgangAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["actie", "status", "gebruiker", "tijdstip"]
    list_select_related = ["actie", "gebruiker"]
    list_filter = ["status"]
