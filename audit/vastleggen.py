"""What other apps report to the audit log without importing it (the dependency direction, docs/ARCHITECTUUR.md):
confirmed data loads (regio.loaders.na_bevestigen) and every change made in the Django admin (its LogEntry)."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION

from . import log
from .models import Auditregel

ADMIN_ACTIES = {ADDITION: Auditregel.Actie.ADMIN_TOEGEVOEGD, CHANGE: Auditregel.Actie.ADMIN_GEWIJZIGD,
                DELETION: Auditregel.Actie.ADMIN_VERWIJDERD}


def gegevens_geladen(imp, gebruiker):
    log.leg_vast(
        Auditregel.Actie.GEGEVENS_GELADEN,
        gebruiker=gebruiker if gebruiker is not None else imp.gebruiker,
        object=imp,
        onderwerp=f"{imp.get_soort_display()}: {imp.bestandsnaam}",
        soort=imp.soort,
        peiljaar=imp.peiljaar,
        bestand=imp.bestandsnaam,
        sha256=imp.sha256,
        rijen=imp.rijen_geaccepteerd,
        via=imp.via,
    )


def admin_wijziging(sender, instance, created, raw=False, **kwargs):
    """post_save of admin.LogEntry: the admin wrote down a change; so does the append-only log."""
    if not created or raw:
        return
    if instance.action_flag == CHANGE and instance.change_message in ("", "[]"):
        return  # saved without a change: the admin writes that down, but nothing happened
    soort = instance.content_type.model_class()._meta.label_lower if instance.content_type_id else ""
    Auditregel.objects.create(
        actie=ADMIN_ACTIES.get(instance.action_flag, Auditregel.Actie.ADMIN_GEWIJZIGD),
        tijdstip=instance.action_time,
        gebruiker_id=instance.user_id,
        gebruiker_naam=instance.user.get_full_name() or instance.user.get_username(),
        onderwerp=instance.object_repr[:300],
        object_soort=soort,
        object_id=str(instance.object_id or "")[:60],
        gegevens={"wijziging": instance.get_change_message()},
    )
