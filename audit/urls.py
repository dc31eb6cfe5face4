from django.urls import path

from . import views

# Under /beheer/, beside regio's beheer pages (config/urls.py).
urlpatterns = [
    path("auditlog/", views.auditlog, name="beheer_auditlog"),
    path("auditlog/export.<slug:formaat>", views.auditlog_export, name="beheer_auditlog_export"),
]
