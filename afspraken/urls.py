from django.urls import path

from .views import document, export, monitoring, ondertekenaars, ondertekening, word
from .views import schrijven as views
from .views import vertegenwoordiging as vertegenwoordiging_views

urlpatterns = [
    path("", views.lijst, name="afspraak_lijst"),
    path("nieuw/<int:regio>/", views.starten, name="afspraak_starten"),
    path("<int:pk>/", views.overzicht, name="afspraak_overzicht"),
    path("<int:pk>/gegevens/", views.gegevens_opslaan, name="afspraak_gegevens"),
    path("<int:pk>/fase/<int:fase>/", views.fase, name="afspraak_fase"),
    path("<int:pk>/fase/<int:nummer>/opslaan/", views.fase_opslaan, name="fase_opslaan"),
    path("<int:pk>/sectie/<slug:sleutel>/", views.sectie_opslaan, name="sectie_opslaan"),
    path("<int:pk>/sectie/<slug:sleutel>/toevoegen/", views.rij_toevoegen, name="rij_toevoegen"),
    path("<int:pk>/sectie/<slug:sleutel>/nieuw/", views.rij_nieuw, name="rij_nieuw"),
    path("<int:pk>/sectie/<slug:sleutel>/<int:rij>/", views.rij_opslaan, name="rij_opslaan"),
    path("<int:pk>/sectie/<slug:sleutel>/<int:rij>/bewerken/", views.rij_bewerken, name="rij_bewerken"),
    path("<int:pk>/sectie/<slug:sleutel>/<int:rij>/verwijderen/", views.rij_verwijderen, name="rij_verwijderen"),
    path("<int:pk>/toetsing/", views.toetsing, name="afspraak_toetsing"),
    path("<int:pk>/toetsing/<int:nummer>/toelichting/", views.toelichting_opslaan, name="afspraak_toelichting"),
    path("<int:pk>/gereed/", views.gereed, name="afspraak_gereed"),
    path(
        "<int:pk>/partijen/<int:partij>/ondertekenaar-vragen/", ondertekenaars.vragen,
        name="afspraak_ondertekenaar_vragen",
    ),
    # The authority a party's signer signs on, entered by that party itself (issue 27).
    path(
        "<int:pk>/partijen/<int:partij>/bevoegdheid/", vertegenwoordiging_views.bevoegdheid,
        name="afspraak_bevoegdheid",
    ),
    path("<int:pk>/concept/", views.terug_naar_concept, name="afspraak_concept"),
    path("<int:pk>/acties/", views.acties, name="afspraak_acties"),
    path("<int:pk>/acties.<slug:formaat>", export.acties, name="afspraak_acties_export"),
    path("<int:pk>/geschiedenis/", views.geschiedenis, name="afspraak_geschiedenis"),
    # The document: HTML preview and PDF of the current content.
    path("<int:pk>/document/", document.voorbeeld, name="afspraak_document"),
    path("<int:pk>/document.pdf", document.concept_pdf, name="afspraak_document_pdf"),
    # While the PDF is made by the task worker: its state (polled), and a retry after a failure.
    path("<int:pk>/document/pdf/", document.concept_pdf_stand, name="afspraak_document_pdf_stand"),
    path("<int:pk>/document/pdf/opnieuw/", document.concept_pdf_opnieuw, name="afspraak_document_pdf_opnieuw"),
    # The same text as Word (.docx), made in the request from the document's HTML (afspraken/word.py).
    path("<int:pk>/document.docx", word.concept_word, name="afspraak_document_word"),
    path("<int:pk>/documenten/<slug:soort>.docx", word.document_word, name="afspraak_document_word_downloaden"),
    # Signing, documents and versions.
    path("te-ondertekenen/", ondertekening.taken, name="afspraak_taken"),
    path("<int:pk>/ondertekening/", ondertekening.ondertekening, name="afspraak_ondertekening"),
    path("<int:pk>/ondertekening/aanbieden/", ondertekening.aanbieden, name="afspraak_aanbieden"),
    path("<int:pk>/ondertekenen/", ondertekening.ondertekenen, name="afspraak_ondertekenen"),
    path("<int:pk>/documenten/<slug:soort>/", ondertekening.document_downloaden, name="afspraak_document_downloaden"),
    path("<int:pk>/documenten/<slug:soort>/opnieuw/", ondertekening.opnieuw_proberen, name="afspraak_document_opnieuw"),
    path("<int:pk>/nieuwe-versie/", ondertekening.nieuwe_versie, name="afspraak_nieuwe_versie"),
    path("<int:pk>/versies/", ondertekening.verschillen, name="afspraak_versies"),
    # Monitoring: metingen, voortgang of acties, what is overdue, the annual report.
    path("<int:pk>/monitoring/", monitoring.monitoring, name="afspraak_monitoring"),
    path("<int:pk>/monitoring/indicator/<int:indicator>/meting/", monitoring.meting_toevoegen, name="afspraak_meting"),
    path("<int:pk>/monitoring/actie/<int:actie>/voortgang/", monitoring.actievoortgang, name="afspraak_actievoortgang"),
    path("<int:pk>/monitoring/<int:jaar>.pdf", monitoring.rapport, name="afspraak_monitoringsrapport"),
    path("<int:pk>/monitoring/<int:jaar>/pdf/", monitoring.rapport_stand, name="afspraak_monitoringsrapport_stand"),
    path(
        "<int:pk>/monitoring/<int:jaar>/pdf/opnieuw/", monitoring.rapport_opnieuw,
        name="afspraak_monitoringsrapport_opnieuw",
    ),
]
