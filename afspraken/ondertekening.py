"""Signing: offer a version for signing, sign or decline per party, and make the documents.

The order of events, each step in one transaction so that no half state can remain:
1. aanbieden: the version is frozen (status ter_ondertekening) and a Document "ter_ondertekening" is
   queued; its PDF is made by a background task and its SHA-256 recorded.
2. onderteken / wijs_af: each party's bestuurder signs that exact document (its hash is part of the
   signature) or declines with a reason, which replaces the version by a new concept.
3. When the last party has signed, a Document "ondertekend" is queued; the task renders the final PDF
   with the completed signature page, seals it, and only then — in the same transaction that stores the
   sealed bytes — marks the agreement ondertekend. A failed task leaves status "mislukt" and can be
   retried; the signatures stay as they are.
"""

import hashlib
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Gebruiker
from audit import log
from techniek.invoer import enkele_regel

from . import convenant, toetsing
from .models import Document, Ondertekening, Partij, Uitvoeringsafspraak, Wijziging

logger = logging.getLogger(__name__)


class Geweigerd(Exception):
    """A step that is not possible now; the message says why, in Dutch, for the user."""


# --- offering -------------------------------------------------------------------------------------


def bezwaren_tegen_aanbieden(afspraak, oordelen=None):
    """Why this version cannot be offered for signing now (empty: it can): sentences, and for what the convenant's
    text still lacks a `convenant.Ontbrekend` with the link to where it is filled in."""
    if afspraak.status not in (Uitvoeringsafspraak.Status.CONCEPT, Uitvoeringsafspraak.Status.GEREED):
        return [f"De uitvoeringsafspraak is {afspraak.get_status_display().lower()}."]
    kan, bezwaren = toetsing.kan_gereed(oordelen if oordelen is not None else toetsing.toets(afspraak))
    bezwaren = list(bezwaren)
    for partij in afspraak.partijen.select_related("organisatie", "bestuurder"):
        bestuurder = partij.bestuurder
        if bestuurder is None:
            bezwaren.append(
                f"{partij.organisatie} heeft nog geen bestuurder met een account die namens de partij tekent. "
                "Kies die bij 'Partijen aan tafel' in stap 1."
            )
        elif (
            not bestuurder.is_active
            or bestuurder.rol != Gebruiker.Rol.BESTUURDER
            or bestuurder.organisatie_id != partij.organisatie_id
        ):
            bezwaren.append(
                f"De gekozen bestuurder van {partij.organisatie} kan niet (meer) namens die partij tekenen."
            )
    # An empty article or a signer without authority never reaches a text for signing.
    bezwaren.extend(convenant.ontbrekend_voor_ondertekening(afspraak))
    return bezwaren


def aanbieden(afspraak, door):
    """Freeze this version and queue the PDF the bestuurders will sign."""
    with transaction.atomic():
        afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
        bezwaren = bezwaren_tegen_aanbieden(afspraak)
        if bezwaren:
            raise Geweigerd(" ".join(str(b) for b in bezwaren))
        # The history line first: once frozen, nothing is added to this version's content.
        Wijziging.objects.create(
            afspraak=afspraak, sectie="status", sectie_titel="Status", soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving="Aangeboden ter ondertekening", oud={"Status": afspraak.get_status_display()},
            nieuw={"Status": "Ter ondertekening"}, gebruiker=door,
        )
        afspraak.status = Uitvoeringsafspraak.Status.TER_ONDERTEKENING
        afspraak.ter_ondertekening_op = timezone.now()
        afspraak.ter_ondertekening_door = door
        afspraak.save()
        document = Document.objects.create(afspraak=afspraak, soort=Document.Soort.TER_ONDERTEKENING)
        log.leg_vast(log.Actie.TER_ONDERTEKENING, gebruiker=door, object=afspraak, versie=afspraak.versie)
        transaction.on_commit(lambda: start_taak(document))
        transaction.on_commit(lambda: _mail_bestuurders(afspraak))
    return afspraak


# --- signing and declining ------------------------------------------------------------------------


def te_tekenen_partijen(gebruiker):
    """The parties this bestuurder signs for, in versions that wait for them (their task list)."""
    if not gebruiker.is_authenticated or gebruiker.rol != Gebruiker.Rol.BESTUURDER:
        return Partij.objects.none()
    return (
        Partij.objects.filter(
            bestuurder=gebruiker,
            afspraak__status=Uitvoeringsafspraak.Status.TER_ONDERTEKENING,
            ondertekening__isnull=True,
        )
        .select_related("afspraak__regio", "organisatie")
        .order_by("afspraak__regio__nummer")
    )


def partij_van_bestuurder(afspraak, gebruiker):
    """The party of `afspraak` this user signs for, or None."""
    if not gebruiker.is_authenticated:
        return None
    return (
        Partij.objects.filter(afspraak=afspraak, bestuurder=gebruiker, organisatie_id=gebruiker.organisatie_id)
        .select_related("organisatie")
        .first()
    )


def _klaar_document(afspraak):
    return Document.objects.filter(
        afspraak=afspraak, soort=Document.Soort.TER_ONDERTEKENING, status=Document.Status.KLAAR
    ).first()


def _beslis(afspraak, gebruiker, besluit, document_sha256, reden=""):
    afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=afspraak.pk)
    if afspraak.status != Uitvoeringsafspraak.Status.TER_ONDERTEKENING:
        raise Geweigerd(
            f"Deze versie ligt niet (meer) ter ondertekening: zij is {afspraak.get_status_display().lower()}."
        )
    partij = partij_van_bestuurder(afspraak, gebruiker)
    if partij is None:
        raise Geweigerd("U tekent niet namens een partij van deze uitvoeringsafspraak.")
    if Ondertekening.objects.filter(partij=partij).exists():
        raise Geweigerd(f"Namens {partij.organisatie} is al een besluit vastgelegd.")
    document = _klaar_document(afspraak)
    if document is None:
        raise Geweigerd("Het document wordt nog gemaakt. Probeer het over een ogenblik opnieuw.")
    if document_sha256 != document.sha256:
        raise Geweigerd(
            "Het document dat u heeft bekeken, is niet het document dat ter ondertekening ligt. "
            "Bekijk het document opnieuw."
        )
    return afspraak, Ondertekening.objects.create(
        afspraak=afspraak, partij=partij, besluit=besluit, gebruiker=gebruiker,
        # The verified person: the account holder's name and function, never text typed while signing.
        naam=gebruiker.weergavenaam, functie=gebruiker.functie or "", organisatie_naam=partij.organisatie.naam,
        document_sha256=document.sha256, reden=reden,
    )


def onderteken(afspraak, gebruiker, *, document_sha256):
    """Sign on behalf of the user's party. When it is the last signature, the final PDF is queued."""
    with transaction.atomic():
        afspraak, ondertekening = _beslis(
            afspraak, gebruiker, Ondertekening.Besluit.GETEKEND, document_sha256
        )
        log.leg_vast(
            log.Actie.ONDERTEKEND, gebruiker=gebruiker, object=afspraak,
            namens=ondertekening.organisatie_naam, sha256=ondertekening.document_sha256,
        )
        open_partijen = afspraak.partijen.filter(ondertekening__isnull=True).exists()
        if not open_partijen:
            document, _ = Document.objects.get_or_create(afspraak=afspraak, soort=Document.Soort.ONDERTEKEND)
            transaction.on_commit(lambda: start_taak(document))
    return ondertekening


def wijs_af(afspraak, gebruiker, *, document_sha256, reden):
    """Decline on behalf of the user's party: recorded, and the version is replaced by a new concept."""
    from .versies import nieuwe_versie

    reden = (reden or "").strip()
    if not reden:
        raise Geweigerd("Geef de reden waarom u niet tekent; de andere partijen lezen die.")
    with transaction.atomic():
        afspraak, ondertekening = _beslis(
            afspraak, gebruiker, Ondertekening.Besluit.AFGEWEZEN, document_sha256, reden
        )
        log.leg_vast(
            log.Actie.AFGEWEZEN, gebruiker=gebruiker, object=afspraak,
            namens=ondertekening.organisatie_naam, reden=reden,
        )
        nieuw = nieuwe_versie(
            afspraak, gebruiker, f"Niet ondertekend namens {ondertekening.organisatie_naam}: {reden}"
        )
        transaction.on_commit(lambda: _mail_afwijzing(afspraak, nieuw, ondertekening))
    return nieuw


# --- documents (background tasks) ----------------------------------------------------------------


def start_taak(document):
    from .taken import maak_document

    maak_document.enqueue(document.pk)


def opnieuw_proberen(document):
    with transaction.atomic():
        bijgewerkt = Document.objects.filter(pk=document.pk, status=Document.Status.MISLUKT).update(
            status=Document.Status.WACHTRIJ
        )
        if bijgewerkt:
            transaction.on_commit(lambda: start_taak(document))
    return bool(bijgewerkt)


def _render(document):
    from .document import render_pdf

    afspraak = document.afspraak
    if document.soort == Document.Soort.TER_ONDERTEKENING:
        return render_pdf(afspraak, soort="ter_ondertekening")
    from .zegel import verzegel

    return verzegel(render_pdf(afspraak, soort="ondertekend", kenmerk=document.kenmerk))


def maak_document(document_pk):
    """Render (and for the final document seal) one document. Idempotent: a finished one is left alone."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_pk).first()
        if document is None or document.status == Document.Status.KLAAR:
            return
        document.status = Document.Status.BEZIG
        document.pogingen += 1
        document.fout = ""
        document.save(update_fields=["status", "pogingen", "fout"])
    try:
        inhoud = _render(Document.objects.select_related("afspraak__regio").get(pk=document_pk))
        _bewaar(document_pk, inhoud)
    except Exception as fout:  # noqa: BLE001 — any failure must leave a retryable state, never a half one
        logger.exception("Document %s kon niet worden gemaakt", document_pk)
        with transaction.atomic():
            Document.objects.filter(pk=document_pk).exclude(status=Document.Status.KLAAR).update(
                status=Document.Status.MISLUKT, fout=f"{type(fout).__name__}: {fout}"[:2000]
            )
            log.leg_vast(log.Actie.TAAK_MISLUKT, object=document, fout=f"{type(fout).__name__}: {fout}"[:500])


def _bewaar(document_pk, inhoud):
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("afspraak").get(pk=document_pk)
        if document.status == Document.Status.KLAAR:
            return
        document.inhoud = inhoud
        document.sha256 = hashlib.sha256(inhoud).hexdigest()
        document.grootte = len(inhoud)
        document.status = Document.Status.KLAAR
        document.gereed_op = timezone.now()
        document.save()
        afspraak = Uitvoeringsafspraak.objects.select_for_update().get(pk=document.afspraak_id)
        if document.soort == Document.Soort.ONDERTEKEND:
            vorige = afspraak.vorige_versie
            if vorige is not None and vorige.status == Uitvoeringsafspraak.Status.ONDERTEKEND:
                # The amendment takes the place of the version in force (one in force per region).
                vorige.status = Uitvoeringsafspraak.Status.VERVANGEN
                vorige.save(update_fields=["status", "bijgewerkt_op"])
            afspraak.status = Uitvoeringsafspraak.Status.ONDERTEKEND
            afspraak.ondertekend_op = document.gereed_op
            afspraak.save(update_fields=["status", "ondertekend_op", "bijgewerkt_op"])
            log.leg_vast(log.Actie.VERZEGELD, object=document, sha256=document.sha256, versie=afspraak.versie)
            transaction.on_commit(lambda: _mail_ondertekend(afspraak))
        else:
            log.leg_vast(log.Actie.PDF_GEMAAKT, object=document, sha256=document.sha256, versie=afspraak.versie)


# --- e-mail -------------------------------------------------------------------------------------


def _adres(pad):
    return settings.PUBLIEKE_URL + pad


def _mail(onderwerp, tekst, ontvangers):
    adressen = sorted({g.email for g in ontvangers if g.email and g.is_active})
    if adressen:
        # On one line: a title saved before the field refused line ends would make Django refuse the subject
        # (BadHeaderError), after the version was frozen, and no one would be told.
        send_mail(enkele_regel(onderwerp), tekst, None, adressen, fail_silently=False)


def _mail_bestuurders(afspraak):
    url = _adres(reverse("afspraak_ondertekenen", args=[afspraak.pk]))
    for partij in afspraak.partijen.select_related("bestuurder", "organisatie"):
        if partij.bestuurder is None:
            continue
        _mail(
            f"Te ondertekenen: {afspraak.titel}",
            f"Beste {partij.bestuurder.get_full_name() or partij.bestuurder.username},\n\n"
            f"De uitvoeringsafspraak '{afspraak.titel}' (versie {afspraak.versie}) ligt klaar om namens "
            f"{partij.organisatie} te ondertekenen.\n\nBekijk het document en teken, of geef aan waarom u niet "
            f"tekent:\n{url}\n\nU logt in met uw wachtwoord en uw tweede factor (authenticator-app).\n",
            [partij.bestuurder],
        )


def _schrijvers(afspraak):
    return Gebruiker.objects.filter(
        organisatie__partijschappen__afspraak=afspraak, rol=Gebruiker.Rol.BELEIDSMAKER, is_active=True
    ).distinct()


def _mail_afwijzing(oud, nieuw, ondertekening):
    _mail(
        f"Niet ondertekend: {oud.titel}",
        f"Namens {ondertekening.organisatie_naam} is versie {oud.versie} van '{oud.titel}' niet ondertekend.\n\n"
        f"Reden: {ondertekening.reden}\n\nVersie {nieuw.versie} staat klaar als concept:\n"
        f"{_adres(reverse('afspraak_overzicht', args=[nieuw.pk]))}\n",
        _schrijvers(oud),
    )


def _mail_ondertekend(afspraak):
    ontvangers = list(_schrijvers(afspraak)) + [
        p.bestuurder for p in afspraak.partijen.select_related("bestuurder") if p.bestuurder
    ]
    _mail(
        f"Ondertekend: {afspraak.titel}",
        f"Alle partijen hebben versie {afspraak.versie} van '{afspraak.titel}' ondertekend. Het verzegelde "
        f"document staat klaar:\n{_adres(reverse('afspraak_ondertekening', args=[afspraak.pk]))}\n",
        ontvangers,
    )
