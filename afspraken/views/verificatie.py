"""Public verification of a sealed PDF: anyone can check that a copy is the signed, unchanged agreement.

Only signed and sealed documents are ever shown here; nothing of a draft is public.
"""

from django import forms
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.clientadres import client_ip
from audit import log
from techniek.invoer import Formulier

from ..models import Document, Ondertekening, Partij, Uitvoeringsafspraak
from ..zegel import controleer

MAX_GROOTTE = 25 * 1024 * 1024
PDF_KOP = b"%PDF-"

# Outcome code -> (heading, CSS modifier). The sentence under it is in the template, per outcome.
UITKOMSTEN = {
    "authentiek": ("Authentiek en ongewijzigd", "success"),
    "gewijzigd": ("Gewijzigd na het verzegelen", "error"),
    "ander_zegel": ("Zegel niet van deze toepassing", "error"),
    "geen_zegel": ("Geen zegel gevonden", "error"),
    "geen_pdf": ("Geen leesbare PDF", "error"),
    "onbekend": ("Zegel in orde, maar document onbekend", "warning"),
    "zegel_niet_controleerbaar": ("Zegel nu niet te controleren", "warning"),
}


class VerificatieFormulier(Formulier):
    bestand = forms.FileField(
        label="PDF-bestand van de uitvoeringsafspraak",
        help_text="PDF, maximaal 25 MB",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Kies het PDF-bestand dat u wilt controleren.",
            "empty": "Het gekozen bestand is leeg. Kies het PDF-bestand van de uitvoeringsafspraak.",
            "invalid": "Er is geen bestand ontvangen. Kies het PDF-bestand opnieuw.",
        },
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_GROOTTE:
            raise forms.ValidationError(
                "Het bestand is groter dan 25 MB. Kies het PDF-bestand van de uitvoeringsafspraak zelf.",
                code="te_groot",
            )
        kop = bestand.read(1024)
        bestand.seek(0)
        if PDF_KOP not in kop:
            raise forms.ValidationError(
                "Dit bestand is geen PDF. Kies het PDF-bestand van de ondertekende uitvoeringsafspraak.",
                code="geen_pdf",
            )
        return bestand


def _verzegelde_documenten():
    """Signed and sealed documents only, with what the public page shows (a fixed number of queries)."""
    return Document.objects.filter(
        soort=Document.Soort.ONDERTEKEND,
        status=Document.Status.KLAAR,
        afspraak__status__in=[Uitvoeringsafspraak.Status.ONDERTEKEND, Uitvoeringsafspraak.Status.VERVANGEN],
    ).select_related("afspraak__regio__contactgemeente").prefetch_related(
        Prefetch("afspraak__partijen", queryset=Partij.objects.select_related("organisatie")),
        Prefetch(
            "afspraak__ondertekeningen",
            queryset=Ondertekening.objects.filter(besluit=Ondertekening.Besluit.GETEKEND),
            to_attr="handtekeningen",
        ),
    ).defer("inhoud")


def _foutcode(formulier):
    codes = [fout.code for fout in formulier.errors.as_data().get("bestand", [])]
    return codes[0] if codes else "ongeldig"


def _controleer_upload(request, pagina_document=None):
    """Handle a POSTed form: (response context, status)."""
    formulier = VerificatieFormulier(request.POST, request.FILES)
    if not formulier.is_valid():
        log.leg_vast(
            log.Actie.GEVERIFIEERD, gebruiker=request.user, object=pagina_document,
            uitkomst=_foutcode(formulier), sha256="",
        )
        return {"formulier": formulier}, 422

    bestand = formulier.cleaned_data["bestand"]
    bestand.seek(0)
    controle = controleer(bestand.read())
    document = _verzegelde_documenten().filter(sha256=controle.sha256).first() if controle.is_pdf else None
    if document is not None and controle.verzegeld and controle.intact and controle.ongewijzigd:
        # Byte for byte the copy in the archive; also when the seal certificate has since been replaced.
        uitkomst = "authentiek"
    elif controle.authentiek:
        uitkomst = "onbekend"
    else:
        uitkomst, document = controle.uitkomst, None

    log.leg_vast(
        log.Actie.GEVERIFIEERD, gebruiker=request.user, object=document or pagina_document,
        uitkomst=uitkomst, sha256=controle.sha256,
    )
    titel, soort = UITKOMSTEN[uitkomst]
    return {
        "formulier": VerificatieFormulier(),
        "resultaat": {
            "uitkomst": uitkomst,
            "titel": titel,
            "soort": soort,
            "controle": controle,
            "document": document,
            "ander_document": bool(pagina_document and document and document.pk != pagina_document.pk),
        },
    }, 200


MAX_CONTROLES = 30  # per address per 10 minutes: enough for a person, not for a flood of 25 MB uploads


def _te_vaak(request):
    """Count this address's checks; True when it is over the limit (the page is public)."""
    sleutel = f"verifieren:{client_ip(request)}"
    cache.add(sleutel, 0, timeout=600)
    try:
        return cache.incr(sleutel) > MAX_CONTROLES
    except ValueError:
        return False


def _te_vaak_antwoord(request, context):
    context["formulier"] = VerificatieFormulier()
    context["te_vaak"] = (
        "U heeft in korte tijd veel bestanden laten controleren. Probeer het over tien minuten opnieuw."
    )
    return context, 429


@require_http_methods(["GET", "HEAD", "POST"])
def verifieren(request):
    context, status = {"formulier": VerificatieFormulier()}, 200
    if request.method == "POST":
        context, status = _te_vaak_antwoord(request, {}) if _te_vaak(request) else _controleer_upload(request)
    return render(request, "verificatie/verifieren.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def verifieren_document(request, kenmerk):
    document = _verzegelde_documenten().filter(kenmerk=kenmerk).first()
    if document is None:
        raise Http404("Geen ondertekend en verzegeld document met dit kenmerk.")
    context, status = {"formulier": VerificatieFormulier()}, 200
    if request.method == "POST":
        if _te_vaak(request):
            context, status = _te_vaak_antwoord(request, {})
        else:
            context, status = _controleer_upload(request, pagina_document=document)
    context["pagina_document"] = document
    return render(request, "verificatie/document.html", context, status=status)
