"""Dutch amounts and shares for the financing pages: "€ 1.234,56", "33,33%"."""

from decimal import Decimal
from fractions import Fraction

from django import template

from financiering import verdeling

register = template.Library()


@register.filter
def euro(waarde, leeg="—"):
    """Whole cents (int) or euros (Decimal) as "€ 1.234,56"; None as `leeg`."""
    if waarde is None or waarde == "":
        return leeg
    if isinstance(waarde, Decimal):
        return verdeling.euro(verdeling.naar_centen(waarde))
    return verdeling.euro(int(waarde))


@register.filter
def procent(waarde, decimalen=2):
    if waarde is None:
        return ""
    return verdeling.procent(Fraction(waarde), int(decimalen))


@register.filter
def van(mapping, sleutel):
    """mapping[sleutel] in a template; None when absent."""
    if mapping is None:
        return None
    return mapping.get(sleutel)
