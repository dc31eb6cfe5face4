from django.urls import path

from . import beheer_views

urlpatterns = [
    path("gegevens/", beheer_views.gegevens, name="beheer_gegevens"),
    path("gegevens/import/<int:pk>/", beheer_views.import_detail, name="beheer_import"),
    path("gegevens/import/<int:pk>/bevestigen/", beheer_views.import_bevestigen, name="beheer_import_bevestigen"),
    path("gegevens/import/<int:pk>/annuleren/", beheer_views.import_annuleren, name="beheer_import_annuleren"),
    path("regios/", beheer_views.regios, name="beheer_regios"),
    path("regios/<int:nummer>/contactgemeente/", beheer_views.contactgemeente, name="beheer_contactgemeente"),
]
