from django.urls import path

from . import stromen, views

urlpatterns = [
    path("", views.publiek, name="monitor"),
    path("beheer/", views.beheer, name="monitor_beheer"),
    path("export.<slug:formaat>", views.export, name="monitor_export"),
    path("stromen/", stromen.pagina, name="monitor_stromen"),
    path("stromen/export.<slug:formaat>", stromen.export, name="monitor_stromen_export"),
]
