"""The document of an agreement: HTML preview and PDF of the current content, for everyone who may read it."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from audit import log

from .. import document
from ..models import Document, pdf_bestandsnaam
from ..rechten import afspraak_of_404


def _kenmerk(afspraak, soort):
    """The public identifier of the signed document (for the QR code), if one was made."""
    if soort != document.ONDERTEKEND:
        return None
    return Document.objects.filter(afspraak=afspraak, soort=Document.Soort.ONDERTEKEND).values_list(
        "kenmerk", flat=True
    ).first()


def voorbeeld(request, pk):
    afspraak = afspraak_of_404(request, pk)
    soort = document.standaard_soort(afspraak)
    with translation.override("nl"):
        context = document.document_context(afspraak, soort=soort, kenmerk=_kenmerk(afspraak, soort))
    return render(request, "document/voorbeeld.html", context)


def concept_pdf(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if afspraak.is_bevroren:
        # A frozen version's text is the file as stored (hashed, and signed), never a new rendering of it.
        opgeslagen = set(
            Document.objects.filter(afspraak=afspraak, status=Document.Status.KLAAR).values_list("soort", flat=True)
        )
        for soort in (Document.Soort.ONDERTEKEND, Document.Soort.TER_ONDERTEKENING):
            if soort in opgeslagen:
                return redirect("afspraak_document_downloaden", pk=afspraak.pk, soort=soort)
    soort = document.standaard_soort(afspraak)
    pdf = document.render_pdf(afspraak, soort=soort, kenmerk=_kenmerk(afspraak, soort))
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=afspraak, soort=soort)
    antwoord = HttpResponse(pdf, content_type="application/pdf")
    antwoord["Content-Disposition"] = f'attachment; filename="{pdf_bestandsnaam(afspraak, soort)}"'
    antwoord["Cache-Control"] = "private, no-store"
    return antwoord
