"""The audit log for beheerders: select by period and user, page through it, download it as CSV or Excel.

Read-only, GET only: the selection lives in the query string so it can be bookmarked and the download
links carry the same selection. Every download is itself recorded in the audit log.
"""

import json
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from regio.beheer_views import beheerder_vereist
from regio.export import FORMATEN, Tabel, als_bestand
from techniek.invoer import Formulier

from .log import Actie, leg_vast
from .models import Auditregel

PER_PAGINA = 50
MAX_DAGEN = 366
STANDAARD_DAGEN = 30
DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GebruikerKeuze(forms.ModelChoiceField):
    def label_from_instance(self, gebruiker):
        return f"{gebruiker.weergavenaam} ({gebruiker.username})"


class AuditlogFilter(Formulier):
    van = forms.DateField(
        label="Van",
        widget=DATUM,
        help_text="De eerste dag van de periode, bijvoorbeeld 2026-01-31.",
        error_messages={
            "required": "Vul de eerste dag van de periode in.",
            "invalid": "Vul een geldige datum in, bijvoorbeeld 2026-01-31.",
        },
    )
    tot = forms.DateField(
        label="Tot en met",
        widget=DATUM,
        help_text=f"De laatste dag van de periode; de periode is hoogstens {MAX_DAGEN} dagen.",
        error_messages={
            "required": "Vul de laatste dag van de periode in.",
            "invalid": "Vul een geldige datum in, bijvoorbeeld 2026-01-31.",
        },
    )
    gebruiker = GebruikerKeuze(
        queryset=get_user_model()._default_manager.order_by("username"),
        required=False,
        label="Gebruiker",
        empty_label="Alle gebruikers en het systeem",
        error_messages={"invalid_choice": "Kies een gebruiker uit de lijst."},
    )

    def clean(self):
        gegevens = super().clean()
        van, tot = gegevens.get("van"), gegevens.get("tot")
        if van and tot:
            if van > tot:
                self.add_error("tot", "De laatste dag ligt vóór de eerste dag; kies een latere datum.")
            elif (tot - van).days + 1 > MAX_DAGEN:
                self.add_error(
                    "tot",
                    f"De periode telt {(tot - van).days + 1} dagen; kies een periode van hoogstens {MAX_DAGEN} dagen.",
                )
        return gegevens


def _filter(request):
    # Without a period (first visit, or an old link with only a page number): the last 30 days, so the
    # first visit shows something useful. Written into the data so that every link built from it names it.
    gegevens = request.GET.copy()
    if "van" not in gegevens and "tot" not in gegevens:
        vandaag = timezone.localdate()
        gegevens["van"] = (vandaag - timedelta(days=STANDAARD_DAGEN - 1)).isoformat()
        gegevens["tot"] = vandaag.isoformat()
    return AuditlogFilter(gegevens)


def _query(filter_, **vervang):
    """The filter's query string with some parameters replaced (None drops one): links keep the selection."""
    gegevens = filter_.data.copy()
    for naam, waarde in vervang.items():
        if waarde is None:
            gegevens.pop(naam, None)
        else:
            gegevens[naam] = str(waarde)
    return "?" + gegevens.urlencode()


def _selectie(filter_):
    van, tot = filter_.cleaned_data["van"], filter_.cleaned_data["tot"]
    # Whole days in Dutch time, as a range on the indexed column.
    begin = timezone.make_aware(datetime.combine(van, time.min))
    einde = timezone.make_aware(datetime.combine(tot + timedelta(days=1), time.min))
    regels = Auditregel.objects.filter(tijdstip__gte=begin, tijdstip__lt=einde)
    if gebruiker := filter_.cleaned_data.get("gebruiker"):
        regels = regels.filter(gebruiker_id=gebruiker.pk)
    return regels.order_by("-tijdstip", "-pk")


def _object(regel):
    return f"{regel.object_soort} {regel.object_id}".strip()


@beheerder_vereist
@require_safe
def auditlog(request):
    filter_ = _filter(request)
    if not filter_.is_valid():
        return render(request, "beheer/auditlog.html", {"filter": filter_}, status=422)
    pagina = Paginator(_selectie(filter_), PER_PAGINA).get_page(request.GET.get("pagina"))
    links = {
        "selectie_query": _query(filter_, pagina=None),
        "vorige_query": _query(filter_, pagina=pagina.previous_page_number()) if pagina.has_previous() else "",
        "volgende_query": _query(filter_, pagina=pagina.next_page_number()) if pagina.has_next() else "",
    }
    return render(request, "beheer/auditlog.html", {"filter": filter_, "pagina": pagina, **links})


@beheerder_vereist
@require_safe
def auditlog_export(request, formaat):
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    filter_ = _filter(request)
    if not filter_.is_valid():
        return render(request, "beheer/auditlog.html", {"filter": filter_}, status=422)
    van, tot = filter_.cleaned_data["van"], filter_.cleaned_data["tot"]
    gebruiker = filter_.cleaned_data.get("gebruiker")
    rijen = [
        [
            timezone.localtime(r.tijdstip).replace(tzinfo=None, microsecond=0),
            r.get_actie_display(),
            r.gebruiker_naam,
            r.gebruiker_id,
            r.onderwerp,
            _object(r),
            json.dumps(r.gegevens, ensure_ascii=False, sort_keys=True) if r.gegevens else "",
        ]
        for r in _selectie(filter_)
    ]
    tabel = Tabel(
        titel=f"auditlog {van:%Y-%m-%d} tot en met {tot:%Y-%m-%d}",
        kolommen=[
            "Tijdstip (Nederlandse tijd)", "Actie", "Gebruiker", "Gebruikers-id", "Onderwerp", "Object", "Gegevens"
        ],
        rijen=rijen,
    )
    leg_vast(
        Actie.GEDOWNLOAD,
        gebruiker=request.user,
        onderwerp="auditlog",
        formaat=formaat,
        van=van.isoformat(),
        tot=tot.isoformat(),
        gebruiker_filter=gebruiker.pk if gebruiker else None,
        regels=len(rijen),
    )
    antwoord = als_bestand(tabel, formaat)
    # Names and actions of users: no copy in any cache along the way.
    antwoord["Cache-Control"] = "private, no-store"
    return antwoord
