"""The Word version (.docx) next to every PDF link; the conversion itself is afspraken/word.py.

Made in the request: converting the document's HTML takes a fraction of a second (docs/DOCUMENT.md), no task
worker needed. Same rights and audit entry as the PDF of the same text; a frozen version's text only once its
PDF is stored, as the PDF link does.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from audit import log

from .. import document, word
from ..models import Document
from ..rechten import afspraak_of_404
from .document import naar_opgeslagen_tekst


def _antwoord(afspraak, soort, inhoud):
    antwoord = HttpResponse(inhoud, content_type=word.MIMETYPE)
    antwoord["Content-Disposition"] = f'attachment; filename="{word.word_bestandsnaam(afspraak, soort)}"'
    antwoord["Cache-Control"] = "private, no-store"
    return antwoord


def concept_word(request, pk):
    """The current text as .docx; for a frozen version the stored kind's, as document.pdf redirects."""
    afspraak = afspraak_of_404(request, pk)
    if afspraak.is_bevroren:
        return naar_opgeslagen_tekst(afspraak, "afspraak_document_word_downloaden")
    inhoud = word.render_docx(afspraak, soort=document.CONCEPT)
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=afspraak, soort=document.CONCEPT, formaat="docx")
    return _antwoord(afspraak, document.CONCEPT, inhoud)


def document_word(request, pk, soort):
    """The text of a stored document (ter ondertekening, ondertekend) as .docx: a copy to read and annotate."""
    afspraak = afspraak_of_404(request, pk)
    if soort not in Document.Soort.values:
        raise Http404
    opgeslagen = get_object_or_404(
        Document.objects.defer("inhoud"), afspraak=afspraak, soort=soort, status=Document.Status.KLAAR
    )
    kenmerk = opgeslagen.kenmerk if soort == Document.Soort.ONDERTEKEND else None
    inhoud = word.render_docx(afspraak, soort=soort, kenmerk=kenmerk)
    log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=opgeslagen, soort=soort, formaat="docx")
    return _antwoord(afspraak, soort, inhoud)
