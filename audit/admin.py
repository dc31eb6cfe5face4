from django.contrib import admin

from regio.admin import Alleenlezen

from .models import Auditregel


@admin.register(Auditregel)
class AuditregelAdmin(Alleenlezen, admin.ModelAdmin):
    list_display = ["tijdstip", "actie", "gebruiker_naam", "onderwerp"]
    list_filter = ["actie"]
    search_fields = ["gebruiker_naam", "onderwerp", "object_id"]
    date_hierarchy = "tijdstip"
