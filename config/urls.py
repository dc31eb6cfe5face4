from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Uitvoeringsafspraken zorg & welzijn mbo — beheer"
admin.site.site_title = "Beheer"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("afspraken/", include("afspraken.urls")),
    path("", include("regio.urls")),
]
