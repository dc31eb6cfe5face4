"""Loading DUO and CBS files: read, validate, preview, and (after confirmation) apply.

Five loads, one class each (see LADERS). The same functions serve the beheer pages and the
`laad_bestand` management command:

- `analyseer(soort, inhoud, bestandsnaam, peiljaar)` reads and validates a file and computes its
  preview without writing anything; it raises `Afgewezen` with the reasons (line, column, Dutch text).
- `maak_import(...)` records an upload as a Gegevensimport: status "voorbeeld" with the bytes kept,
  or "afgewezen" with the reasons.
- `bevestig_import(pk, gebruiker)` loads exactly the previewed bytes (sha256 checked again) in one
  transaction, replacing the earlier load of the same soort and peiljaar.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from techniek.register import Register

from ..models import Gegevensimport
from .adressen import AdressenLader
from .basis import Herkomst, Lader, Voorbeeld, zonder_gc
from .indeling import IndelingLader
from .inwoners import InwonersLader
from .kopieer import TabelBezet
from .lezen import MAX_GETOONDE_FOUTEN, Afgewezen, Fout, nl_getal
from .studenten import StudentenPerInstellingLader
from .woongemeente import WoongemeenteLader

logger = logging.getLogger(__name__)

LADERS = {
    Gegevensimport.Soort.ADRESSEN_MBO: AdressenLader,
    Gegevensimport.Soort.STUDENTEN_INSTELLING: StudentenPerInstellingLader,
    Gegevensimport.Soort.STUDENTEN_WOONGEMEENTE: WoongemeenteLader,
    Gegevensimport.Soort.INWONERS: InwonersLader,
    Gegevensimport.Soort.INDELING: IndelingLader,
}

# A preview that nobody confirms expires: its bytes are dropped and it can no longer be loaded.
VERLOOPTIJD = timedelta(hours=24)

__all__ = [
    "LADERS", "VERLOOPTIJD", "Afgewezen", "Analyse", "Fout", "Herkomst", "Lader", "Voorbeeld",
    "analyseer", "annuleer_import", "bevestig_import", "is_verlopen", "maak_import", "max_grootte_tekst",
    "ruim_verlopen_op",
]


@dataclass
class Analyse:
    lader: Lader
    tabel: object
    plan: dict
    voorbeeld: Voorbeeld


def grootte_tekst(aantal_bytes):
    if aantal_bytes >= 1024 * 1024:
        return f"{aantal_bytes / (1024 * 1024):.1f} MB".replace(".", ",").replace(",0 MB", " MB")
    if aantal_bytes >= 1024:
        return f"{aantal_bytes // 1024} kB"
    return f"{aantal_bytes} bytes"


def max_grootte_tekst():
    return grootte_tekst(settings.GEGEVENS_MAX_BESTANDSGROOTTE)


def te_groot_fout(grootte):
    return Fout(
        None, "",
        f"Het bestand is {grootte_tekst(grootte)}; de grens is {max_grootte_tekst()}. "
        "Splits het bestand of vraag de beheerder van de toepassing om de grens te verhogen.",
    )


def analyseer(soort, inhoud, bestandsnaam="", peiljaar=None):
    """Read, validate and preview a file. Writes nothing. Raises Afgewezen."""
    if soort not in LADERS:
        raise Afgewezen([Fout(None, "", f"Onbekende soort gegevens: {soort}.")])
    if len(inhoud) > settings.GEGEVENS_MAX_BESTANDSGROOTTE:
        raise Afgewezen([te_groot_fout(len(inhoud))])
    lader = LADERS[soort](peiljaar=peiljaar)
    with zonder_gc():
        tabel = lader.lees(inhoud, bestandsnaam)
        try:
            plan = lader.controleer(tabel)
        except Afgewezen as fout:
            fout.tabel = fout.tabel or tabel  # for the rows read, also when the check stopped early
            raise
        voorbeeld = lader.voorbeeld(plan)
    return Analyse(lader=lader, tabel=tabel, plan=plan, voorbeeld=voorbeeld)


def _leg_afwijzing_vast(imp, fout):
    imp.status = Gegevensimport.Status.AFGEWEZEN
    imp.fouten = [f.als_dict() for f in fout.fouten[:MAX_GETOONDE_FOUTEN]]
    imp.aantal_fouten = fout.totaal
    imp.inhoud = None
    imp.rijen_geaccepteerd = 0
    if fout.tabel is not None:
        imp.encoding = fout.tabel.encoding
        imp.scheidingsteken = fout.tabel.scheidingsteken
        imp.rijen_gelezen = len(fout.tabel.rijen)
    imp.afgerond_op = timezone.now()


def maak_import(soort, inhoud, bestandsnaam, gebruiker=None, peiljaar=None, via="browser", grootte=None, sha256=None):
    """Record an upload and its preview (or its rejection). Never raises for a bad file.

    `inhoud` may be None for a file that was too large to read; then give `grootte` and `sha256`.
    """
    if inhoud is not None:
        grootte = len(inhoud)
        sha256 = hashlib.sha256(inhoud).hexdigest()
    imp = Gegevensimport(
        soort=soort, peiljaar=peiljaar, bestandsnaam=(bestandsnaam or "bestand.csv")[-255:], sha256=sha256 or "",
        grootte=min(grootte or 0, 2_147_483_647), gebruiker=gebruiker if getattr(gebruiker, "pk", None) else None,
        via=via,
    )
    try:
        if inhoud is None or grootte > settings.GEGEVENS_MAX_BESTANDSGROOTTE:
            raise Afgewezen([te_groot_fout(grootte or 0)])
        analyse = analyseer(soort, inhoud, bestandsnaam, peiljaar)
    except Afgewezen as fout:
        _leg_afwijzing_vast(imp, fout)
    except Exception:  # a bug must not become a 500 or a half-load: record it and tell the user
        logger.exception("Onverwachte fout bij het lezen van %s (%s)", bestandsnaam, soort)
        imp.status = Gegevensimport.Status.MISLUKT
        imp.fouten = [Fout(None, "", "Het bestand kon door een onverwachte fout niet worden gelezen. "
                                     "Er is niets gewijzigd.").als_dict()]
        imp.aantal_fouten = 1
        imp.inhoud = None
        imp.afgerond_op = timezone.now()
    else:
        vb = analyse.voorbeeld
        imp.status = Gegevensimport.Status.VOORBEELD
        imp.inhoud = inhoud
        imp.encoding = analyse.tabel.encoding
        imp.scheidingsteken = analyse.tabel.scheidingsteken
        imp.rijen_gelezen = vb.rijen_gelezen
        imp.rijen_geaccepteerd = vb.rijen_geaccepteerd
        imp.samenvatting = vb.als_dict()
        # Pin the year so the confirmed load is the previewed one (e.g. the adressen default: this year).
        if imp.peiljaar is None and len(vb.peiljaren) == 1 and vb.peiljaren[0]:
            imp.peiljaar = vb.peiljaren[0]
    imp.save()
    return imp


def is_verlopen(imp, nu=None):
    return imp.status == Gegevensimport.Status.VOORBEELD and imp.aangemaakt_op < (nu or timezone.now()) - VERLOOPTIJD


def ruim_verlopen_op():
    """Expire previews nobody confirmed, and drop their bytes."""
    nu = timezone.now()
    return Gegevensimport.objects.filter(
        status=Gegevensimport.Status.VOORBEELD, aangemaakt_op__lt=nu - VERLOOPTIJD
    ).update(status=Gegevensimport.Status.VERLOPEN, inhoud=None, afgerond_op=nu)


# Callables(imp, gebruiker) run in the load's transaction once a load is written: audit records it, so regio
# never imports audit (docs/ARCHITECTUUR.md).
na_bevestigen = Register("na het bevestigen van een import")


@dataclass
class Importuitkomst:
    geladen: bool
    melding: str
    imp: Gegevensimport


def bevestig_import(pk, gebruiker=None):
    """Load a previewed import. Refuses (without raising) when it is not waiting for confirmation."""
    with transaction.atomic():
        imp = Gegevensimport.objects.select_for_update().get(pk=pk)
        if imp.status != Gegevensimport.Status.VOORBEELD:
            return Importuitkomst(
                False,
                "Deze import is niet (meer) te bevestigen: de status is "
                f"\u201c{imp.get_status_display().lower()}\u201d. Er is niets gewijzigd.",
                imp,
            )
        nu = timezone.now()
        if is_verlopen(imp, nu):
            imp.status, imp.inhoud, imp.afgerond_op = Gegevensimport.Status.VERLOPEN, None, nu
            imp.save()
            return Importuitkomst(
                False, "Dit voorbeeld is verlopen en kan niet meer worden geladen. Upload het bestand opnieuw.", imp
            )
        inhoud = bytes(imp.inhoud) if imp.inhoud is not None else None
        if inhoud is None or hashlib.sha256(inhoud).hexdigest() != imp.sha256:
            imp.status, imp.inhoud, imp.afgerond_op = Gegevensimport.Status.MISLUKT, None, nu
            imp.fouten = [Fout(None, "", "Het opgeslagen bestand komt niet overeen met het bekeken bestand "
                                         "(sha256 verschilt). Er is niets geladen.").als_dict()]
            imp.aantal_fouten = 1
            imp.save()
            return Importuitkomst(
                False,
                "Het opgeslagen bestand is niet meer hetzelfde als het bekeken bestand; er is niets geladen.",
                imp,
            )
        herkomst = Herkomst(
            bestandsnaam=imp.bestandsnaam, sha256=imp.sha256,
            gebruiker=getattr(gebruiker, "username", "")
            or (imp.gebruiker.username if imp.gebruiker else "")
            or ("de opdrachtregel" if imp.via == "opdrachtregel" else ""),
            tijdstip=nu,
        )
        try:
            # Validated again against the data as it is now; then written in one savepoint.
            with transaction.atomic():
                analyse = analyseer(imp.soort, inhoud, imp.bestandsnaam, imp.peiljaar)
                geladen = analyse.lader.toepassen(analyse.plan, herkomst)
        except TabelBezet:
            # The savepoint is rolled back; the import stays waiting for confirmation and can be confirmed again.
            logger.warning("Import %s: de tabel was bezet, niets geladen", imp.pk)
            return Importuitkomst(
                False,
                "De gegevens werden op dit moment door een ander proces gelezen (bijvoorbeeld een rapport). Er is "
                "niets gewijzigd; bevestig het laden over een minuut opnieuw.",
                imp,
            )
        except Afgewezen as fout:
            _leg_afwijzing_vast(imp, fout)
            imp.save()
            return Importuitkomst(
                False,
                "Bij het laden is het bestand opnieuw gecontroleerd en afgewezen, omdat de gegevens intussen zijn "
                "veranderd. Er is niets gewijzigd.",
                imp,
            )
        except Exception:
            logger.exception("Laden van import %s mislukt", imp.pk)
            imp.status, imp.inhoud, imp.afgerond_op = Gegevensimport.Status.MISLUKT, None, nu
            imp.fouten = [
                Fout(None, "", "Het laden is door een onverwachte fout mislukt. Er is niets gewijzigd.").als_dict()
            ]
            imp.aantal_fouten = 1
            imp.save()
            return Importuitkomst(False, "Het laden is mislukt door een onverwachte fout. Er is niets gewijzigd.", imp)
        vb = analyse.voorbeeld
        imp.status = Gegevensimport.Status.GELADEN
        imp.inhoud = None
        imp.afgerond_op = timezone.now()
        imp.rijen_gelezen = vb.rijen_gelezen
        imp.rijen_geaccepteerd = vb.rijen_geaccepteerd
        imp.samenvatting = {**vb.als_dict(), "geschreven": geladen, "bevestigd_door": herkomst.gebruiker}
        imp.save()
        for na in na_bevestigen:
            na(imp, gebruiker)
    return Importuitkomst(
        True,
        f"{imp.get_soort_display()} geladen: {nl_getal(imp.rijen_geaccepteerd)} rijen uit {imp.bestandsnaam}.",
        imp,
    )


def annuleer_import(pk):
    with transaction.atomic():
        imp = Gegevensimport.objects.select_for_update().get(pk=pk)
        if imp.status != Gegevensimport.Status.VOORBEELD:
            return Importuitkomst(
                False,
                f"Deze import heeft de status \u201c{imp.get_status_display().lower()}\u201d; er is niets gewijzigd.",
                imp,
            )
        imp.status, imp.inhoud, imp.afgerond_op = Gegevensimport.Status.GEANNULEERD, None, timezone.now()
        imp.save()
    return Importuitkomst(True, "De import is geannuleerd; er is niets geladen.", imp)
