from django import template

from aanbod.gegevens import getal as _getal

register = template.Library()


@register.filter
def getal(waarde):
    """0,5 rather than 0.50."""
    return _getal(waarde)
