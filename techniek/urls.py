from django.urls import path

from . import gezondheid

urlpatterns = [
    path("gezondheid/", gezondheid.gezondheid, name="gezondheid"),
]
