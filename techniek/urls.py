from django.urls import path

from . import gezondheid, paginas

urlpatterns = [
    path("gezondheid/", gezondheid.gezondheid, name="gezondheid"),
    # The site's own pages, linked from the footer of every page.
    path("toegankelijkheid/", paginas.toegankelijkheid, name="toegankelijkheid"),
    path("privacy/", paginas.privacy, name="privacy"),
    path("colofon/", paginas.colofon, name="colofon"),
    path("contact/", paginas.contact, name="contact"),
]
