"""Pages of an uitvoeringsafspraak: start, overview, the four phases, toetsing, acties, history.

Every save works twice: with htmx (fragments, autosave, rows in place) and as a plain POST that
redirects back to the section (or shows the page again with errors, status 422, or a conflict, 409).
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap

from accounts.inloggen_nodig import bewaarde_invoer
from regio.models import Doorstroompuntregio

from .. import secties as sectiemodule
from .. import toetsing as toetsingmodule
from ..formulieren import AfspraakgegevensFormulier, StartFormulier, ToelichtingFormulier
from ..models import Actie, Fase, Sectie, Toelichting, Uitvoeringsafspraak, Wijziging, verhoog_inhoudsteller
from ..monitoring import achterstanden
from ..ondertekening import te_tekenen_partijen
from ..partijen import stel_partijen_voor
from ..rechten import (
    BEWERKEN,
    afspraak_of_404,
    mag_bewerken,
    mag_meeschrijven,
    regios_om_te_starten,
)
from ..toetsing import Toetsgegevens

FASEN = list(Fase)


# --- list and start -------------------------------------------------------------------------------


@login_required
def lijst(request):
    gebruiker = request.user
    afspraken = Uitvoeringsafspraak.objects.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).select_related("regio")
    if not gebruiker.is_beheerder:
        afspraken = (
            afspraken.filter(partijen__organisatie_id=gebruiker.organisatie_id) if gebruiker.organisatie_id
            else afspraken.none()
        )
    afspraken = afspraken.annotate(aantal_partijen=Count("partijen", distinct=True)).order_by("regio__nummer")
    startbaar = regios_om_te_starten(gebruiker).exclude(
        uitvoeringsafspraken__status__in=[s for s in Uitvoeringsafspraak.Status.values if s != "vervangen"]
    )
    context = {
        "beheerder": gebruiker.is_beheerder,
        "afspraken": afspraken,
        "startbaar": startbaar.order_by("nummer"),
        "te_tekenen": list(te_tekenen_partijen(gebruiker)),
        # A party member sees what is overdue in their agreements; beheerders use the national monitor.
        "achterstanden": [] if gebruiker.is_beheerder else achterstanden(afspraken),
    }
    return render(request, "afspraken/lijst.html", context)


@login_required
def starten(request, regio):
    regio = get_object_or_404(Doorstroompuntregio.objects.select_related("contactgemeente"), nummer=regio)
    if not regios_om_te_starten(request.user).filter(pk=regio.pk).exists():
        raise Http404
    bestaand = regio.uitvoeringsafspraken.exclude(status=Uitvoeringsafspraak.Status.VERVANGEN).first()
    if bestaand is not None:
        messages.info(request, "Deze regio heeft al een uitvoeringsafspraak; u ziet die hieronder.")
        return redirect("afspraak_overzicht", pk=bestaand.pk)
    voorstellen = stel_partijen_voor(regio)
    formulier = StartFormulier(request.POST or None, regio=regio, voorstellen=voorstellen)
    if request.method == "POST" and formulier.is_valid():
        with transaction.atomic():
            if regio.uitvoeringsafspraken.select_for_update().exclude(status="vervangen").exists():
                messages.info(request, "Iemand anders heeft zojuist de uitvoeringsafspraak van deze regio gestart.")
                return redirect("afspraak_lijst")
            afspraak = formulier.maak_afspraak(request.user)
        messages.success(request, "De uitvoeringsafspraak is gestart. Begin met stap 1: Verkennen.")
        return redirect("afspraak_fase", pk=afspraak.pk, fase=1)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "afspraken/starten.html", {"regio": regio, "formulier": formulier}, status=status
    )


# --- overview, data, history, acties --------------------------------------------------------------


def _voortgang_per_fase(afspraak):
    """Per phase: how many of its sections have been saved at least once."""
    opgeslagen = set(
        Sectie.objects.filter(afspraak=afspraak, versie__gt=0).values_list("sleutel", flat=True)
    )
    uitkomst = []
    for fase in FASEN:
        definities = sectiemodule.van_fase(fase)
        klaar = sum(1 for d in definities if d.sleutel in opgeslagen)
        uitkomst.append({"fase": fase, "klaar": klaar, "totaal": len(definities)})
    return uitkomst


def overzicht(request, pk):
    afspraak = afspraak_of_404(request, pk)
    gegevens = Toetsgegevens(afspraak)
    oordelen = toetsingmodule.toets(afspraak, gegevens)
    open_acties = (
        Actie.objects.filter(afspraak=afspraak)
        .exclude(status=Actie.Status.AFGEROND)
        .select_related("eigenaar__organisatie")
        .order_by("deadline", "pk")
    )
    context = {
        "afspraak": afspraak,
        # Before signing: whether each party's signer is known (issue 26); afterwards who signed is on record.
        "partijen": (
            gegevens.ondertekenaars.per_partij()
            if afspraak.status in (Uitvoeringsafspraak.Status.CONCEPT, Uitvoeringsafspraak.Status.GEREED)
            else [(p, None) for p in gegevens.partijen]
        ),
        "voortgang": _voortgang_per_fase(afspraak),
        "oordelen": oordelen,
        "samenvatting": toetsingmodule.samenvatting(oordelen),
        "open_acties": open_acties,
        "vandaag": timezone.localdate(),
        "wijzigingen": afspraak.wijzigingen.select_related("gebruiker")[:10],
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        "gegevensformulier": AfspraakgegevensFormulier(instance=afspraak),
        "fasen": FASEN,
    }
    return render(request, "afspraken/overzicht.html", context)


@require_POST
def gegevens_opslaan(request, pk):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    with transaction.atomic():
        afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
        formulier = AfspraakgegevensFormulier(request.POST, instance=afspraak)
        verwacht = request.POST.get("versie")
        if str(afspraak.gegevens_versie) != verwacht:
            messages.error(
                request,
                "Iemand anders heeft titel of looptijd intussen gewijzigd. Uw wijziging is niet opgeslagen; "
                "hieronder staat de huidige versie.",
            )
            return redirect(reverse("afspraak_overzicht", args=[afspraak.pk]) + "#gegevens")
        oud = {"Titel": afspraak.titel, "Looptijd": _looptijd(afspraak)}
        if not formulier.is_valid():
            context = {"afspraak": afspraak, "gegevensformulier": formulier, "fasen": FASEN}
            return render(request, "afspraken/gegevens_fout.html", context, status=422)
        afspraak = formulier.save(commit=False)
        afspraak.gegevens_versie += 1
        afspraak.save()
        nieuw = {"Titel": afspraak.titel, "Looptijd": _looptijd(afspraak)}
        veranderd = [k for k in nieuw if oud[k] != nieuw[k]]
        if veranderd:
            Wijziging.objects.create(
                afspraak=afspraak, sectie="gegevens", sectie_titel="Titel en looptijd",
                soort=Wijziging.Soort.GEWIJZIGD, omschrijving=", ".join(veranderd),
                oud={k: oud[k] for k in veranderd}, nieuw={k: nieuw[k] for k in veranderd}, gebruiker=request.user,
            )
            verhoog_inhoudsteller(afspraak)
    if not afspraak.is_meerjarig:
        messages.warning(
            request,
            "Let op: de looptijd is een jaar of korter. Meerjarige afspraken zijn de norm; het regionaal programma "
            "loopt van 2026 tot en met 2029.",
        )
    messages.success(request, "Titel en looptijd zijn opgeslagen.")
    return redirect(reverse("afspraak_overzicht", args=[afspraak.pk]) + "#gegevens")


def _looptijd(afspraak):
    return f"{afspraak.looptijd_start:%d-%m-%Y} tot en met {afspraak.looptijd_einde:%d-%m-%Y}"


def geschiedenis(request, pk):
    afspraak = afspraak_of_404(request, pk)
    wijzigingen = afspraak.wijzigingen.select_related("gebruiker")
    sectie = request.GET.get("sectie", "")
    if sectie:
        wijzigingen = wijzigingen.filter(sectie=sectie)
    return render(
        request,
        "afspraken/geschiedenis.html",
        {"afspraak": afspraak, "wijzigingen": wijzigingen[:500], "sectie": sectie, "fasen": FASEN},
    )


def acties(request, pk):
    afspraak = afspraak_of_404(request, pk)
    alle = Actie.objects.filter(afspraak=afspraak).select_related("eigenaar__organisatie").order_by("deadline", "pk")
    vandaag = timezone.localdate()
    return render(
        request,
        "afspraken/acties.html",
        {
            "afspraak": afspraak,
            "acties": alle,
            "vandaag": vandaag,
            "verlopen": sum(1 for a in alle if a.is_verlopen(vandaag)),
            "fasen": FASEN,
        },
    )


# --- phases and sections --------------------------------------------------------------------------


def _sectie_context(request, afspraak, definitie, gegevens, toestand=None, inhoud_per_sleutel=None):
    """Everything one section template needs. `toestand` carries a bound form, a conflict or a saved time."""
    toestand = toestand or {}
    bewerkbaar = mag_bewerken(request.user, afspraak)
    context = {
        "afspraak": afspraak,
        "d": definitie,
        "bewerkbaar": bewerkbaar,
        # A single row (htmx) shows no section facts.
        "extra": {} if toestand.get("alleen_rij") is not None else definitie.extra_context(afspraak, gegevens),
        "rijextra": definitie.rij_context(afspraak, gegevens),
        "toestand": toestand,
    }
    if isinstance(definitie, sectiemodule.Tekstsectie):
        if inhoud_per_sleutel is not None:
            sectie = inhoud_per_sleutel.get(definitie.sleutel)
        else:
            sectie = (
                Sectie.objects.filter(afspraak=afspraak, sleutel=definitie.sleutel)
                .select_related("bijgewerkt_door")
                .first()
            )
        context["sectie"] = sectie
        context["versie"] = toestand.get("versie", sectie.versie if sectie else 0)
        context["formulier"] = toestand.get("formulier") or definitie.formulier(
            afspraak, inhoud=sectie.inhoud if sectie else {}, gegevens=gegevens
        )
        if not bewerkbaar:
            context["weergave"] = definitie.momentopname(context["formulier"], sectie.inhoud if sectie else {})
    else:
        context.update(_rijen_context(afspraak, definitie, gegevens, toestand, bewerkbaar))
    return context


def _rijen_context(afspraak, definitie, gegevens, toestand, bewerkbaar):
    """Rows are shown as text; only the open row (`toestand["open"]`, or the row a save came back with) gets
    its form. Rendering every row's form at once was most of a phase page's time at national scale.
    `toestand["alleen_rij"]`: just that row, numbered as on the page (for htmx)."""
    rij_toestand = toestand.get("rij")
    terug = rij_toestand.pk if rij_toestand is not None else None  # the row a save came back with
    open_pk = terug if toestand.get("formulier") is not None else toestand.get("open")
    alleen = toestand.get("alleen_rij")
    genummerd = [(nummer, rij) for nummer, rij in enumerate(definitie.rijen(afspraak), start=1)
                 if alleen is None or rij.pk == alleen]
    dicht = [rij for _, rij in genummerd if not (bewerkbaar and rij.pk == open_pk)]
    weergaven = {rij.pk: definitie.momentopname(formulier, rij)
                 for rij, formulier in definitie.met_formulier(afspraak, dicht, gegevens)}
    adressen = _rijadressen(afspraak, definitie)
    items = []
    for nummer, rij in genummerd:
        item = {"rij": rij, "nummer": nummer, "id": definitie.rij_anker(rij.pk), "prefix": definitie.rij_prefix(rij.pk),
                "versie": rij.versie, "conflict": None, "open": rij.pk not in weergaven,
                "verwijderen": rij.pk == toestand.get("verwijderen"),
                "opgeslagen_op": toestand.get("opgeslagen_op") if rij.pk == terug else None,
                "adres": {naam: maak(rij.pk) for naam, maak in adressen.items()}}
        if not item["open"]:
            item["weergave"] = weergaven[rij.pk]
        elif rij.pk == terug and toestand.get("formulier") is not None:
            item.update(formulier=toestand["formulier"], versie=toestand.get("versie", rij.versie),
                        conflict=toestand.get("conflict"))
        else:
            item["formulier"] = definitie.formulier(afspraak, rij=rij, gegevens=gegevens)
        items.append(item)
    context = {"items": items, "alleen_rij": alleen is not None}
    if bewerkbaar and alleen is None:
        # The form to add a row only where it is wanted: most sections have rows, and their empty forms were
        # a third of a phase page. Open in an empty section, after an addition, with errors, or when asked.
        if toestand.get("nieuw_formulier") is not None:
            context["nieuw_formulier"] = toestand["nieuw_formulier"]
        elif not items or toestand.get("nieuw_open") or toestand.get("toegevoegd"):
            context["nieuw_formulier"] = definitie.formulier(afspraak, gegevens=gegevens)
        else:
            context["nieuw_url"] = definitie.nieuw_url(afspraak)
    return context


# A number that appears nowhere else in a path: the row's pk is formatted in where it stands.
_PLAATSHOUDER = 987654321


def _rijadressen(afspraak, definitie):
    """{name: f(row pk) -> its address} of a row's views: one reverse() per section instead of per row and link
    (a phase page has some hundred rows)."""
    adressen = {}
    for naam in ("rij_opslaan", "rij_bewerken", "rij_verwijderen"):
        voor, _, na = reverse(naam, args=[afspraak.pk, definitie.sleutel, _PLAATSHOUDER]).rpartition(
            str(_PLAATSHOUDER)
        )
        adressen[naam.removeprefix("rij_")] = lambda pk, voor=voor, na=na: f"{voor}{int(pk)}{na}"
    return adressen


def render_sectie(request, afspraak, definitie, gegevens, toestand=None, inhoud_per_sleutel=None):
    context = _sectie_context(request, afspraak, definitie, gegevens, toestand, inhoud_per_sleutel)
    return render_to_string(definitie.template, context, request=request)


def render_rij(request, afspraak, definitie, gegevens, rij, toestand):
    """Only the <li> of one row of a row section: opened, closed after saving, or with errors or a conflict."""
    context = _sectie_context(request, afspraak, definitie, gegevens, {**toestand, "alleen_rij": rij})
    if not context["items"]:
        raise Http404
    return render_to_string(definitie.template, context, request=request)


def fase(request, pk, fase, toestanden=None, status=200, fouten=None):
    if fase not in Fase.values:
        raise Http404
    afspraak = afspraak_of_404(request, pk)
    definities = sectiemodule.van_fase(fase)
    toestanden = toestanden or {}
    open_rij = _open_rij(request, definities, "bewerk")
    if open_rij and open_rij[0] not in toestanden:
        toestanden = {**toestanden, open_rij[0]: {"open": open_rij[1]}}
    weg_rij = _open_rij(request, definities, "verwijder")
    if weg_rij and weg_rij[0] not in toestanden:
        toestanden = {**toestanden, weg_rij[0]: {"verwijderen": weg_rij[1]}}
    if request.method == "GET" and not toestanden:
        toestanden = _teruggezet(request, afspraak, fase, definities)
    nieuw = _rijensectie_uit(request.GET.get("nieuw", ""), definities)
    if nieuw and nieuw not in toestanden:
        toestanden = {**toestanden, nieuw: {"nieuw_open": True}}
    gegevens = Toetsgegevens(afspraak)
    inhoud = {
        s.sleutel: s
        for s in Sectie.objects.filter(afspraak=afspraak, sleutel__in=[d.sleutel for d in definities])
        .select_related("bijgewerkt_door")
    }
    context = {
        "afspraak": afspraak,
        "fase": Fase(fase),
        "fasen": FASEN,
        "secties": [
            render_sectie(request, afspraak, d, gegevens, toestanden.get(d.sleutel), inhoud) for d in definities
        ],
        "definities": definities,
        "vorige": Fase(fase - 1) if fase > 1 else None,
        "volgende": Fase(fase + 1) if fase < len(FASEN) else None,
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        "meeschrijver": mag_meeschrijven(request.user, afspraak),
        "fouten": fouten,
    }
    return render(request, "afspraken/fase.html", context, status=status)


def _teruggezet(request, afspraak, fase, definities):
    """What was typed on this page and posted after the session had ended (accounts.inloggen_nodig), back in its
    fields after logging in: not saved yet, so that the user sees it first; the versions it was typed at
    still guard against overwriting someone else's change."""
    data = bewaarde_invoer(request, reverse("fase_opslaan", args=[afspraak.pk, fase]))
    if data is None or not mag_bewerken(request.user, afspraak):
        return {}
    toestanden = {}
    for d in definities:
        if isinstance(d, sectiemodule.Tekstsectie):
            versie = sectiemodule.verwachte_versie(data, d.sleutel)
            if versie is not None:
                toestanden[d.sleutel] = {"formulier": d.formulier(afspraak, data=data), "versie": versie}
            continue
        toestand = {}
        for rij in d.rijen(afspraak).filter(pk__in=list(_open_rijen(data, d)))[:1]:
            toestand = {"formulier": d.formulier(afspraak, data=data, rij=rij), "rij": rij,
                        "versie": sectiemodule.verwachte_versie(data, d.rij_prefix(rij.pk))}
        nieuw = d.formulier(afspraak, data=data)
        if any(naam.startswith(d.rij_prefix(None) + "-") for naam in data) and nieuw.has_changed():
            toestand["nieuw_formulier"] = nieuw
        if toestand:
            toestanden[d.sleutel] = toestand
    if toestanden:
        messages.warning(
            request,
            "U was uitgelogd toen u op een knop drukte. Wat u had ingevuld, staat weer in de velden hieronder, "
            "maar is nog niet opgeslagen: kijk het na en druk op Opslaan.",
        )
    return toestanden


def _rijensectie_uit(sleutel, definities):
    """`sleutel` if it names a row section of this page, else None."""
    if any(d.sleutel == sleutel and isinstance(d, sectiemodule.Rijensectie) for d in definities):
        return sleutel
    return None


def _open_rij(request, definities, parameter):
    """(section key, row pk) from ?<parameter>=<key>&rij=<pk>, without htmx: the row to show with its form
    (bewerk) or with the question whether to delete it (verwijder)."""
    sleutel, rij = _rijensectie_uit(request.GET.get(parameter, ""), definities), request.GET.get("rij", "")
    # isdecimal, not isdigit: "²" is a digit that int() refuses (a 500).
    if sleutel and rij.isdecimal():
        return sleutel, int(rij)
    return None


def _definitie_of_404(sleutel, soort):
    """The registered section `sleutel` if it is a `soort` (Tekstsectie or Rijensectie); 404 otherwise."""
    definitie = sectiemodule.definitie(sleutel)
    if not isinstance(definitie, soort):
        raise Http404
    return definitie


def _terug(afspraak, definitie):
    return redirect(definitie.url(afspraak))


def _antwoord(request, afspraak, definitie, uitkomst, gegevens, succes_melding):
    """Respond to a save: htmx fragment, or redirect/re-render for a plain POST."""
    if uitkomst.ok:
        toestand = {"opgeslagen_op": uitkomst.opgeslagen_op or timezone.now(), "versie": uitkomst.versie,
                    "rij": uitkomst.rij}
        if request.htmx:
            if (
                isinstance(definitie, sectiemodule.Tekstsectie)
                and not request.POST.get(f"{definitie.sleutel}-had_fouten")
            ):
                # Only the version and the status change: the fields the user may be typing in stay untouched.
                html = render_to_string(
                    "afspraken/secties/_opgeslagen_oob.html",
                    {"d": definitie, "versie": uitkomst.versie, "opgeslagen_op": toestand["opgeslagen_op"]},
                    request=request,
                )
                return reswap(_html(html), "none")
            return _html(render_sectie(request, afspraak, definitie, gegevens, toestand))
        messages.success(request, succes_melding)
        return _terug(afspraak, definitie)
    toestand = {"formulier": uitkomst.formulier, "conflict": uitkomst.conflict, "versie": uitkomst.versie,
                "rij": uitkomst.rij}
    if uitkomst.rij is None and isinstance(definitie, sectiemodule.Rijensectie):
        toestand = {"nieuw_formulier": uitkomst.formulier}
    status = 409 if uitkomst.conflict else 422
    if request.htmx:
        return _html(render_sectie(request, afspraak, definitie, gegevens, toestand), status=status)
    return fase(request, afspraak.pk, definitie.fase, toestanden={definitie.sleutel: toestand}, status=status)


def _html(html, status=200):
    return HttpResponse(html, status=status)


@require_POST
def sectie_opslaan(request, pk, sleutel):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Tekstsectie)
    gegevens = Toetsgegevens(afspraak)
    uitkomst = sectiemodule.bewaar_tekst(definitie, afspraak, request.POST, request.user, gegevens)
    return _antwoord(request, afspraak, definitie, uitkomst, gegevens, f"“{definitie.titel}” is opgeslagen.")


@require_POST
def rij_toevoegen(request, pk, sleutel):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Rijensectie)
    gegevens = Toetsgegevens(afspraak)
    uitkomst = sectiemodule.voeg_rij_toe(definitie, afspraak, request.POST, request.user, gegevens)
    if uitkomst.ok and request.htmx:
        return _html(render_sectie(request, afspraak, definitie, gegevens, {"toegevoegd": uitkomst.rij}))
    return _antwoord(request, afspraak, definitie, uitkomst, gegevens, f"{definitie.rij_naam.capitalize()} toegevoegd.")


@require_POST
def rij_opslaan(request, pk, sleutel, rij):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Rijensectie)
    gegevens = Toetsgegevens(afspraak)
    uitkomst = sectiemodule.bewaar_rij(definitie, afspraak, rij, request.POST, request.user, gegevens)
    if uitkomst is None:
        raise Http404
    if request.htmx:
        return _rij_antwoord(request, afspraak, definitie, gegevens, uitkomst)
    if uitkomst.ok:
        messages.success(request, f"{definitie.rij_naam.capitalize()} opgeslagen.")
        return redirect(definitie.rij_url(afspraak, rij))
    return _antwoord(request, afspraak, definitie, uitkomst, gegevens, "")


def _rij_antwoord(request, afspraak, definitie, gegevens, uitkomst):
    """htmx answers of a row save: an autosave changes only the version and status (the user may be typing);
    'Opslaan en sluiten' shows the row as text again; errors and conflicts show the row with its form."""
    prefix = definitie.rij_prefix(uitkomst.rij.pk)
    sluiten = request.POST.get("_actie") == f"sluiten:{definitie.sleutel}:{uitkomst.rij.pk}"
    if uitkomst.ok and not sluiten and not request.POST.get(f"{prefix}-had_fouten"):
        html = render_to_string(
            "afspraken/secties/_rij_opgeslagen_oob.html",
            {"id": definitie.rij_anker(uitkomst.rij.pk), "prefix": prefix, "versie": uitkomst.versie,
             "opgeslagen_op": uitkomst.opgeslagen_op},
            request=request,
        )
        return reswap(_html(html), "none")
    if uitkomst.ok:
        toestand = {"opgeslagen_op": uitkomst.opgeslagen_op or timezone.now(), "rij": uitkomst.rij,
                    "open": None if sluiten else uitkomst.rij.pk}
        return _html(render_rij(request, afspraak, definitie, gegevens, uitkomst.rij.pk, toestand))
    toestand = {"formulier": uitkomst.formulier, "conflict": uitkomst.conflict, "versie": uitkomst.versie,
                "rij": uitkomst.rij}
    status = 409 if uitkomst.conflict else 422
    return _html(render_rij(request, afspraak, definitie, gegevens, uitkomst.rij.pk, toestand), status=status)


# How rij_bewerken shows a row (?stand=…): with its form, as text, or asking whether to delete it.
_STANDEN = {"open": "open", "dicht": None, "verwijderen": "verwijderen"}


@require_safe
def rij_bewerken(request, pk, sleutel, rij):
    """One row (htmx) with its form, as text again (?stand=dicht) or with the question whether to delete it
    (?stand=verwijderen); without htmx the phase page showing the row that way."""
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Rijensectie)
    stand = request.GET.get("stand", "open")
    if stand not in _STANDEN:
        raise Http404
    if request.htmx:  # render_rij answers 404 for a row that is not in this section
        toestand = {_STANDEN[stand]: rij} if _STANDEN[stand] else {}
        return _html(render_rij(request, afspraak, definitie, Toetsgegevens(afspraak), rij, toestand))
    if not definitie.rijen(afspraak).filter(pk=rij).exists():
        raise Http404
    if stand == "verwijderen":
        return redirect(definitie.verwijder_url(afspraak, rij))
    return redirect(definitie.bewerk_url(afspraak, rij) if stand == "open" else definitie.rij_url(afspraak, rij))


@require_safe
def rij_nieuw(request, pk, sleutel):
    """The form to add a row (htmx); without htmx the phase page with that form open."""
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Rijensectie)
    if not request.htmx:
        return redirect(definitie.nieuw_url(afspraak))
    context = {
        "afspraak": afspraak, "d": definitie,
        "nieuw_formulier": definitie.formulier(afspraak, gegevens=Toetsgegevens(afspraak)),
    }
    return _html(render_to_string("afspraken/secties/_rij_nieuw.html", context, request=request))


@require_POST
def rij_verwijderen(request, pk, sleutel, rij):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definitie = _definitie_of_404(sleutel, sectiemodule.Rijensectie)
    gegevens = Toetsgegevens(afspraak)
    uitkomst = sectiemodule.verwijder_rij(definitie, afspraak, rij, request.POST, request.user, gegevens)
    if uitkomst is None:
        raise Http404
    if uitkomst.ok:
        if request.htmx:
            return _html(render_sectie(request, afspraak, definitie, gegevens, {"verwijderd": True}))
        messages.success(request, f"{definitie.rij_naam.capitalize()} verwijderd.")
        return _terug(afspraak, definitie)
    return _antwoord(request, afspraak, definitie, uitkomst, gegevens, "")


# --- toetsing and 'gereed' ------------------------------------------------------------------------


def toetsing(request, pk, ongeldig=None):
    """The toetsing page; `ongeldig`: a toelichting that could not be saved, shown at its field as typed (422)."""
    afspraak = afspraak_of_404(request, pk)
    oordelen = toetsingmodule.toets(afspraak)
    kan, bezwaren = toetsingmodule.kan_gereed(oordelen)
    for oordeel in oordelen:
        for uitkomst in oordeel.uitkomsten:
            if uitkomst.sectie and not uitkomst.url:
                definitie = sectiemodule.definitie(uitkomst.sectie)
                uitkomst.url = definitie.url(afspraak) if definitie else ""
        prefix = f"ba{oordeel.basisafspraak.nummer}"
        oordeel.formulier = ongeldig if ongeldig is not None and ongeldig.prefix == prefix else ToelichtingFormulier(
            prefix=prefix, initial={"tekst": oordeel.toelichting.tekst if oordeel.toelichting else ""},
        )
    context = {
        "afspraak": afspraak,
        "oordelen": oordelen,
        "samenvatting": toetsingmodule.samenvatting(oordelen),
        "kan_gereed": kan,
        "bezwaren": bezwaren,
        "bewerkbaar": mag_bewerken(request.user, afspraak),
        "meeschrijver": mag_meeschrijven(request.user, afspraak),
        "fasen": FASEN,
        "fout": ongeldig is not None,
        # Parties without a signer, named beside 'gereed' with a link to where to ask for one (issue 26).
        "zonder_ondertekenaar": [u.partij for o in oordelen for u in o.uitkomsten if u.partij is not None],
    }
    return render(request, "afspraken/toetsing.html", context, status=422 if ongeldig is not None else 200)


@require_POST
def toelichting_opslaan(request, pk, nummer):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    if not 1 <= nummer <= 12:
        raise Http404
    formulier = ToelichtingFormulier(request.POST, prefix=f"ba{nummer}")
    if not formulier.is_valid():
        # The page again with what was typed, the problem at the field (not a redirect, which lost the text).
        messages.error(
            request, f"De toelichting bij basisafspraak {nummer} kon niet worden opgeslagen: "
            + " ".join(formulier.errors.get("tekst", []))
        )
        return toetsing(request, pk, ongeldig=formulier)
    tekst = formulier.cleaned_data["tekst"]
    with transaction.atomic():
        toelichting = Toelichting.objects.select_for_update().filter(afspraak=afspraak, basisafspraak=nummer).first()
        oud = toelichting.tekst if toelichting else ""
        if oud != tekst:
            if toelichting is None:
                toelichting = Toelichting(afspraak=afspraak, basisafspraak=nummer)
            else:
                toelichting.versie += 1
            toelichting.tekst = tekst
            toelichting.bijgewerkt_door = request.user
            toelichting.bijgewerkt_op = timezone.now()
            toelichting.save()
            Wijziging.objects.create(
                afspraak=afspraak, sectie="toetsing", sectie_titel="Toetsing",
                soort=Wijziging.Soort.GEWIJZIGD, omschrijving=f"Toelichting bij basisafspraak {nummer}",
                oud={"Toelichting": oud}, nieuw={"Toelichting": tekst}, gebruiker=request.user,
            )
            verhoog_inhoudsteller(afspraak)
    messages.success(request, f"De toelichting bij basisafspraak {nummer} is opgeslagen.")
    return redirect(reverse("afspraak_toetsing", args=[pk]) + f"#ba-{nummer}")


@require_POST
def gereed(request, pk):
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    with transaction.atomic():
        afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
        if not afspraak.is_bewerkbaar:
            raise Http404
        kan, bezwaren = toetsingmodule.kan_gereed(toetsingmodule.toets(afspraak))
        if not kan:
            for bezwaar in bezwaren:
                messages.error(request, bezwaar)
            return redirect("afspraak_toetsing", pk=afspraak.pk)
        afspraak.status = Uitvoeringsafspraak.Status.GEREED
        afspraak.gereed_op = timezone.now()
        afspraak.gereed_door = request.user
        afspraak.save(update_fields=["status", "gereed_op", "gereed_door", "bijgewerkt_op"])
        Wijziging.objects.create(
            afspraak=afspraak, sectie="status", sectie_titel="Status", soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving="Gereed voor ondertekening", oud={"Status": "Concept"},
            nieuw={"Status": "Gereed voor ondertekening"}, gebruiker=request.user,
        )
        verhoog_inhoudsteller(afspraak)  # the concept document names its status
    messages.success(request, "De uitvoeringsafspraak is gereed voor ondertekening.")
    return redirect("afspraak_overzicht", pk=afspraak.pk)


@require_POST
def terug_naar_concept(request, pk):
    afspraak = afspraak_of_404(request, pk)
    if not mag_meeschrijven(request.user, afspraak):
        raise Http404
    if afspraak.status != Uitvoeringsafspraak.Status.GEREED:
        messages.info(
            request, f"De uitvoeringsafspraak is {afspraak.get_status_display().lower()}; er is niets veranderd."
        )
        return redirect("afspraak_overzicht", pk=afspraak.pk)
    with transaction.atomic():
        Uitvoeringsafspraak.objects.filter(pk=afspraak.pk, status=Uitvoeringsafspraak.Status.GEREED).update(
            status=Uitvoeringsafspraak.Status.CONCEPT, gereed_op=None, gereed_door=None,
            inhoudsteller=F("inhoudsteller") + 1,  # the concept document names its status
        )
        Wijziging.objects.create(
            afspraak=afspraak, sectie="status", sectie_titel="Status", soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving="Terug naar concept", oud={"Status": "Gereed voor ondertekening"},
            nieuw={"Status": "Concept"}, gebruiker=request.user,
        )
    messages.success(request, "De uitvoeringsafspraak is weer een concept en kan worden gewijzigd.")
    return redirect("afspraak_overzicht", pk=afspraak.pk)


# --- the phase page's one form, without JavaScript ---------------------------------------------------


def _actie(waarde, definities):
    """The pressed button (`_actie`): (what, section, row pk), checked against this page's sections."""
    wat, _, rest = waarde.partition(":")
    sleutel, _, rij = rest.partition(":")
    if wat == "naar" or (wat == "opslaan" and not rest):
        return wat, rest, None
    if wat == "opslaan" and any(d.sleutel == sleutel for d in definities):
        return wat, sleutel, None
    if wat in ("nieuw", "toevoegen") and _rijensectie_uit(sleutel, definities) and not rij:
        return wat, sleutel, None
    rijknop = wat in ("bewerk", "sluiten", "verwijder", "verwijder-bevestigd", "behoud")
    if rijknop and _rijensectie_uit(sleutel, definities) and rij.isdecimal():  # as in _open_rij
        return wat, sleutel, int(rij)
    return "opslaan", "", None


def _open_rijen(data, definitie):
    """The rows of `definitie` whose form was on the page: fields of theirs besides the version were posted (the
    question whether to delete a row posts only its version)."""
    rijen = set()
    for naam in data:
        sleutel, _, rest = naam.rpartition("-")
        _, _, pk = sleutel.rpartition("-")
        if (sleutel == f"{definitie.sleutel}-{pk}" and pk.isdecimal()
                and rest not in ("versie", "had_fouten")):
            rijen.add(int(pk))
    return sorted(rijen)


def _eerste_fout(definitie, uitkomst):
    """(anchor, text) of the first problem of a failed save, for the page's error summary."""
    if uitkomst.conflict:
        return definitie.anker, "iemand anders heeft dit intussen gewijzigd; beide versies staan bij het onderdeel"
    formulier = uitkomst.formulier
    naam, fouten = next(iter(formulier.errors.items()), ("__all__", ["niet opgeslagen"]))
    if naam == "__all__":
        return definitie.anker, " ".join(fouten)
    return formulier[naam].id_for_label or definitie.anker, f"{formulier.fields[naam].label}: {' '.join(fouten)}"


@require_POST
def fase_opslaan(request, pk, nummer):
    """Every button of a phase page without JavaScript: first everything typed on the page is saved (each
    changed section and open row, each filled-in new row), then the button does what it says. When something
    cannot be saved, the page comes back with all that was typed and the problems above the first section
    concerned; nothing else happens then."""
    if nummer not in Fase.values:
        raise Http404
    afspraak = afspraak_of_404(request, pk, BEWERKEN)
    definities = sectiemodule.van_fase(nummer)
    wat, sleutel, rij = _actie(request.POST.get("_actie", "opslaan"), definities)
    gegevens = Toetsgegevens(afspraak)
    data = request.POST
    toestanden, opgeslagen, problemen = {}, [], []

    def mislukt(d, uitkomst, toestand):
        toestanden.setdefault(d.sleutel, {"fouten_op_pagina": True}).update(toestand)
        problemen.append((definities.index(d), d, *_eerste_fout(d, uitkomst)))

    def opnieuw():
        """The page again with all that was typed, the problems above the first section concerned."""
        problemen.sort(key=lambda p: p[0])
        fouten = {
            "voor_sectie": problemen[0][0],
            "opgeslagen": opgeslagen,
            "lijst": [{"sectie": d.titel, "anker": anker, "tekst": tekst} for _, d, anker, tekst in problemen],
        }
        status = 409 if any(t.get("conflict") for t in toestanden.values()) else 422
        return fase(request, afspraak.pk, nummer, toestanden=toestanden, status=status, fouten=fouten)

    teksten = [d.sleutel for d in definities if isinstance(d, sectiemodule.Tekstsectie)]
    opgeslagen_teksten = {s.sleutel: s for s in Sectie.objects.filter(afspraak=afspraak, sleutel__in=teksten)}
    for d in definities:
        if isinstance(d, sectiemodule.Tekstsectie):
            if sectiemodule.versieveld(d.sleutel) not in data or sectiemodule.niets_te_bewaren(
                d, afspraak, data, opgeslagen_teksten.get(d.sleutel), gegevens
            ):
                continue
            uitkomst = sectiemodule.bewaar_tekst(d, afspraak, data, request.user, gegevens)
            if not uitkomst.ok:
                mislukt(d, uitkomst, {"formulier": uitkomst.formulier, "conflict": uitkomst.conflict,
                                      "versie": uitkomst.versie})
            elif uitkomst.gewijzigd:
                opgeslagen.append(d.titel)
            continue
        for rij_pk in _open_rijen(data, d):
            uitkomst = sectiemodule.bewaar_rij(d, afspraak, rij_pk, data, request.user, gegevens)
            if uitkomst is None:  # deleted meanwhile: nothing of it to keep
                continue
            if not uitkomst.ok:
                mislukt(d, uitkomst, {"formulier": uitkomst.formulier, "conflict": uitkomst.conflict,
                                      "versie": uitkomst.versie, "rij": uitkomst.rij})
            elif uitkomst.gewijzigd:
                opgeslagen.append(f"{d.rij_naam} “{uitkomst.rij}”")
        nieuw_prefix = d.rij_prefix(None) + "-"
        if not any(naam.startswith(nieuw_prefix) for naam in data):
            continue
        gevraagd = wat == "toevoegen" and d.sleutel == sleutel
        if not gevraagd and not d.formulier(afspraak, data=data, gegevens=gegevens).has_changed():
            continue  # an untouched form to add a row
        uitkomst = sectiemodule.voeg_rij_toe(d, afspraak, data, request.user, gegevens)
        if not uitkomst.ok:
            mislukt(d, uitkomst, {"nieuw_formulier": uitkomst.formulier})
        else:
            opgeslagen.append(f"{d.rij_naam} “{uitkomst.rij}” toegevoegd")

    if problemen:
        return opnieuw()

    definitie = sectiemodule.definitie(sleutel) if sleutel and wat != "naar" else None
    if wat == "verwijder-bevestigd":
        uitkomst = sectiemodule.verwijder_rij(definitie, afspraak, rij, data, request.user, gegevens)
        if uitkomst is not None and not uitkomst.ok:
            mislukt(definitie, uitkomst, {"formulier": uitkomst.formulier, "conflict": uitkomst.conflict,
                                          "versie": uitkomst.versie, "rij": uitkomst.rij})
            return opnieuw()
        if uitkomst is not None:
            messages.success(request, f"{definitie.rij_naam.capitalize()} verwijderd.")
    if opgeslagen:
        messages.success(request, "Opgeslagen: " + "; ".join(opgeslagen) + ".")
    elif wat == "opslaan" and not sleutel:
        messages.info(request, "Er was niets gewijzigd.")
    elif wat == "opslaan":
        messages.info(request, f"“{definitie.titel}”: er was niets gewijzigd.")
    if wat == "naar":
        if sleutel == "toetsing":
            return redirect("afspraak_toetsing", pk=afspraak.pk)
        naar = int(sleutel) if sleutel.isdecimal() and int(sleutel) in Fase.values else nummer
        return redirect(reverse("afspraak_fase", args=[afspraak.pk, naar]) + "#inhoud")
    if wat == "bewerk":
        return redirect(definitie.bewerk_url(afspraak, rij))
    if wat == "verwijder":
        return redirect(definitie.verwijder_url(afspraak, rij))
    if wat == "nieuw":
        return redirect(definitie.nieuw_url(afspraak))
    if wat in ("sluiten", "behoud"):
        return redirect(definitie.rij_url(afspraak, rij))
    if definitie is not None:
        return redirect(definitie.url(afspraak))
    return redirect(reverse("afspraak_fase", args=[afspraak.pk, nummer]) + "#inhoud")
