from django import template

register = template.Library()


@register.filter
def stand_van(ondertekenaars, partij):
    """The signer's state of one party row (afspraken.ondertekenaars.Stand), or None without the data."""
    return ondertekenaars.stand(partij) if ondertekenaars else None
