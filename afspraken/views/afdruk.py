"""What the PDF links of the concept and the monitoring report answer (afspraken.afdrukken makes the PDFs).

The PDF link gives the file when the PDF of the current state is made, and otherwise a page that says it is
being made. That page's state part is polled by htmx every 2 seconds: nothing (204) while it is being made, the
new state once (286 stops the polling), so a screen reader hears one announcement. Without JavaScript the
"Opnieuw kijken" link asks for the same page again; no automatic refresh (WCAG 2.2.1).
"""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render

from audit import log

from ..afdrukken import BEZIG
from ..models import Afdruk


@dataclass(frozen=True)
class Afdrukpagina:
    """The words and addresses of one kind of PDF on its page."""

    titel: str
    bestandsnaam: str
    pdf_url: str
    stand_url: str
    opnieuw_url: str
    terug_url: str
    terug_tekst: str


def _context(request, afspraak, afdruk, pagina):
    return {
        "afspraak": afspraak,
        "afdruk": afdruk,
        "pagina": pagina,
        "bezig": afdruk.status in BEZIG,
        "toon_fout": request.user.is_beheerder,
    }


def downloaden(request, afspraak, afdruk, pagina, **auditgegevens):
    """GET of the PDF link: the file once it is made (with its audit entry), else the page about it."""
    if afdruk.status == Afdruk.Status.KLAAR:
        # Read only now: a poll of the state never loads the bytes. None: a newer state replaced it just now.
        inhoud = Afdruk.objects.filter(pk=afdruk.pk).values_list("inhoud", flat=True).first()
        if inhoud is not None:
            log.leg_vast(log.Actie.GEDOWNLOAD, gebruiker=request.user, object=afspraak, **auditgegevens)
            antwoord = HttpResponse(bytes(inhoud), content_type="application/pdf")
            antwoord["Content-Disposition"] = f'attachment; filename="{pagina.bestandsnaam}"'
            antwoord["Cache-Control"] = "private, no-store"
            return antwoord
    return render(request, "afspraken/afdruk.html", _context(request, afspraak, afdruk, pagina))


def stand(request, afspraak, afdruk, pagina):
    """The page about the PDF; for htmx's poll only its state part, and only once it has changed."""
    context = _context(request, afspraak, afdruk, pagina)
    if request.htmx:
        if context["bezig"]:
            return HttpResponse(status=204)
        return render(request, "afspraken/_afdruk_stand.html", context, status=286)
    return render(request, "afspraken/afdruk.html", context)


def bevroren(request, afspraak):
    """A poll for a concept whose version was offered for signing meanwhile: it points to the stored document."""
    return render(request, "afspraken/_afdruk_stand.html", {"afspraak": afspraak, "bevroren": True}, status=286)
