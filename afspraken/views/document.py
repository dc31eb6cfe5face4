"""The document of an agreement: HTML preview and PDF of the current content, for everyone who may read it.

The PDF of a concept is made by the task worker (afspraken.afdrukken); of a frozen version it is the stored file.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from .. import afdrukken, document
from ..models import Afdruk, Document, pdf_bestandsnaam
from ..rechten import afspraak_of_404
from . import afdruk


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


def _conceptpagina(afspraak):
    return afdruk.Afdrukpagina(
        titel="Concept van de uitvoeringsafspraak",
        bestandsnaam=pdf_bestandsnaam(afspraak, document.CONCEPT),
        pdf_url=reverse("afspraak_document_pdf", args=[afspraak.pk]),
        stand_url=reverse("afspraak_document_pdf_stand", args=[afspraak.pk]),
        opnieuw_url=reverse("afspraak_document_pdf_opnieuw", args=[afspraak.pk]),
        terug_url=reverse("afspraak_document", args=[afspraak.pk]),
        terug_tekst="Terug naar het document",
    )


def naar_opgeslagen_tekst(afspraak, url_naam):
    """For a frozen version: to its stored text (signed, else offered) at `url_naam`, or, while that is still
    being made (or failed), to the signing page, which shows its state. A frozen version's text is the file as
    stored (hashed, and signed), never a new rendering of it."""
    opgeslagen = set(
        Document.objects.filter(afspraak=afspraak, status=Document.Status.KLAAR).values_list("soort", flat=True)
    )
    for soort in (Document.Soort.ONDERTEKEND, Document.Soort.TER_ONDERTEKENING):
        if soort in opgeslagen:
            return redirect(url_naam, pk=afspraak.pk, soort=soort)
    return redirect(reverse("afspraak_ondertekening", args=[afspraak.pk]) + "#documenten")


def concept_pdf(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if afspraak.is_bevroren:
        return naar_opgeslagen_tekst(afspraak, "afspraak_document_downloaden")
    pdf = afdrukken.vraag(afspraak, Afdruk.Soort.CONCEPT)
    return afdruk.downloaden(request, afspraak, pdf, _conceptpagina(afspraak), soort=document.CONCEPT)


def concept_pdf_stand(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if afspraak.is_bevroren:
        return afdruk.bevroren(request, afspraak) if request.htmx else redirect("afspraak_document_pdf", pk=pk)
    pdf = afdrukken.vraag(afspraak, Afdruk.Soort.CONCEPT)
    return afdruk.stand(request, afspraak, pdf, _conceptpagina(afspraak))


@require_POST
def concept_pdf_opnieuw(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if afspraak.is_bevroren:
        return redirect("afspraak_document_pdf", pk=pk)
    afdrukken.opnieuw(afspraak, Afdruk.Soort.CONCEPT)
    return redirect("afspraak_document_pdf_stand", pk=pk)
