"""Writing to the append-only audit log (audit.models.Auditregel)."""

from .models import Auditregel

Actie = Auditregel.Actie


def leg_vast(actie, *, gebruiker=None, object=None, onderwerp="", **gegevens):
    """Record one action. `gebruiker` None or anonymous means the system or an anonymous visitor."""
    ingelogd = gebruiker is not None and getattr(gebruiker, "is_authenticated", False)
    return Auditregel.objects.create(
        actie=actie,
        gebruiker_id=gebruiker.pk if ingelogd else None,
        gebruiker_naam=(gebruiker.get_full_name() or gebruiker.username) if ingelogd else "",
        onderwerp=onderwerp or (str(object) if object is not None else ""),
        object_soort=object._meta.label_lower if object is not None else "",
        object_id=str(object.pk) if object is not None else "",
        gegevens=gegevens,
    )
