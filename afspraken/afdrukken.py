"""PDFs to read, made by the task worker and never inside a web request: the concept of an agreement and its
annual monitoring report (`Afdruk`).

A PDF belongs to one state of what it shows, `Afdruk.stand`: for the concept the agreement's content counter
(`Uitvoeringsafspraak.inhoudsteller`, raised by every save of its content); for a report also its year, the day
it is judged on, the status, and the region's metingen and progress. `vraag` gives the PDF of the current state
or queues it: the unique constraint on (afspraak, soort, stand) makes a second request, a parallel one too, find
the first one's row instead of queueing again. With the inline task backend (the demo, the tests) the PDF is
made in `vraag` itself.
"""

import datetime
import hashlib
import logging

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from audit import log

from .models import Actievoortgang, Afdruk, Meting, Uitvoeringsafspraak

logger = logging.getLogger(__name__)

BEZIG = (Afdruk.Status.WACHTRIJ, Afdruk.Status.BEZIG)


def stand(afspraak, soort, jaar=None):
    """The state of what the PDF shows, as a short string: equal states, equal PDF."""
    if soort == Afdruk.Soort.CONCEPT:
        return str(afspraak.inhoudsteller)
    # A report also reads the metingen and progress of the region's other versions (the chains run through
    # them; metingen are replaced in place, with a new ingevoerd_op) and judges what is overdue on a day.
    metingen = Meting.objects.filter(indicator__afspraak__regio_id=afspraak.regio_id).aggregate(
        n=Count("pk"), laatst=Max("ingevoerd_op")
    )
    voortgang = Actievoortgang.objects.filter(actie__afspraak__regio_id=afspraak.regio_id).aggregate(
        n=Count("pk"), laatst=Max("pk")
    )
    peildatum = min(timezone.localdate(), datetime.date(jaar, 12, 31))
    tekst = repr((afspraak.inhoudsteller, afspraak.status, peildatum, sorted(metingen.items()),
                  sorted(voortgang.items())))
    return f"{jaar}-{hashlib.sha256(tekst.encode()).hexdigest()[:40]}"


def vraag(afspraak, soort, jaar=None):
    """The Afdruk of the current state (without its bytes): made, being made, or queued now, once."""
    with transaction.atomic():
        # One transaction with the task: with the database backend the row and its task commit together, so
        # no row can be left waiting for a task that was never queued.
        afdruk, nieuw = Afdruk.objects.defer("inhoud").get_or_create(
            afspraak=afspraak, soort=soort, stand=stand(afspraak, soort, jaar), defaults={"jaar": jaar}
        )
        if nieuw:
            _start(afdruk)
    if nieuw:
        afdruk.refresh_from_db(fields=["status", "grootte", "gereed_op", "pogingen", "fout"])
    return afdruk


def opnieuw(afspraak, soort, jaar=None):
    """Queue the failed PDF of the current state again; False when there is none (made meanwhile, or changed)."""
    with transaction.atomic():
        afdruk = Afdruk.objects.defer("inhoud").filter(
            afspraak=afspraak, soort=soort, stand=stand(afspraak, soort, jaar), status=Afdruk.Status.MISLUKT
        ).first()
        # Conditional, so two clicks queue it once.
        if afdruk is None or not Afdruk.objects.filter(pk=afdruk.pk, status=Afdruk.Status.MISLUKT).update(
            status=Afdruk.Status.WACHTRIJ
        ):
            return False
        _start(afdruk)
    return True


def _start(afdruk):
    from .taken import maak_afdruk

    maak_afdruk.enqueue(afdruk.pk)


def _render(afdruk):
    from .document import CONCEPT, render_pdf
    from .monitoring import render_rapport_pdf

    afspraak = Uitvoeringsafspraak.objects.select_related("regio").get(pk=afdruk.afspraak_id)
    if afdruk.soort == Afdruk.Soort.CONCEPT:
        return render_pdf(afspraak, soort=CONCEPT)
    return render_rapport_pdf(afspraak, afdruk.jaar)


def maak(afdruk_pk):
    """The task: render one Afdruk. Idempotent: one that is made or gone is left alone."""
    with transaction.atomic():
        afdruk = Afdruk.objects.select_for_update().defer("inhoud").filter(pk=afdruk_pk).first()
        if afdruk is None or afdruk.status == Afdruk.Status.KLAAR:
            return
        afdruk.status = Afdruk.Status.BEZIG
        afdruk.pogingen += 1
        afdruk.fout = ""
        afdruk.save(update_fields=["status", "pogingen", "fout"])
    try:
        # Rendered from the content as it is now, which is at least the state it was asked for: the counter
        # rises in the same transaction as the change it counts.
        inhoud = _render(afdruk)
    except Exception as fout:  # noqa: BLE001 — any failure must leave a state that can be retried
        logger.exception("Afdruk %s kon niet worden gemaakt", afdruk_pk)
        melding = f"{type(fout).__name__}: {fout}"
        with transaction.atomic():
            Afdruk.objects.filter(pk=afdruk_pk).exclude(status=Afdruk.Status.KLAAR).update(
                status=Afdruk.Status.MISLUKT, fout=melding[:2000]
            )
            log.leg_vast(log.Actie.TAAK_MISLUKT, object=afdruk, fout=melding[:500])
        return
    with transaction.atomic():
        gemaakt = Afdruk.objects.filter(pk=afdruk_pk).exclude(status=Afdruk.Status.KLAAR).update(
            status=Afdruk.Status.KLAAR, inhoud=inhoud, grootte=len(inhoud), gereed_op=timezone.now()
        )
        if gemaakt:
            # Nobody asks for an older state again (a request asks for the current one, and the counter only
            # rises): without this the table would keep a PDF of every state anyone once looked at. Ones still
            # being made are left to their task; the next PDF made clears them.
            Afdruk.objects.filter(
                afspraak_id=afdruk.afspraak_id, soort=afdruk.soort, jaar=afdruk.jaar,
                aangemaakt_op__lt=afdruk.aangemaakt_op,
            ).exclude(status__in=BEZIG).delete()
