from django import template

from afspraken.rechten import mag_vertegenwoordiging_opgeven

register = template.Library()


@register.filter
def stand_van(ondertekenaars, partij):
    """The signer's state of one party row (afspraken.ondertekenaars.Stand), or None without the data."""
    return ondertekenaars.stand(partij) if ondertekenaars else None


@register.filter
def mag_bevoegdheid_opgeven(gebruiker, partij):
    """Whether this user enters the authority of this party's signer (afspraken.rechten); no query."""
    # Rendered without a request (no `user`), nobody may.
    return hasattr(gebruiker, "is_authenticated") and mag_vertegenwoordiging_opgeven(gebruiker, partij)
