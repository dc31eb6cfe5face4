"""Dutch formatting for the public pages: counts (with suppressed parts as ranges), numbers, years, labels."""

from django import template

from regio.aantallen import Aantal

register = template.Library()


def _nl(getal):
    return f"{getal:,}".replace(",", ".")


@register.filter
def aantal(waarde, leeg="onbekend"):
    """An Aantal as "1.234" or, with suppressed parts, "1.230–1.245"; a plain int as "1.234"; None as `leeg`."""
    if waarde is None or waarde == "":
        return leeg
    if isinstance(waarde, Aantal):
        return str(waarde)
    if isinstance(waarde, int):
        return _nl(waarde)
    return waarde


@register.filter
def jaar(waarde):
    """A year without thousands separator (USE_THOUSAND_SEPARATOR would write 2.024)."""
    if not waarde:
        return ""
    return str(int(waarde))


@register.filter
def status_klasse(dataset):
    """CSS modifier for a dataset's status label."""
    return {"officieel": "officieel", "gereconstrueerd": "gereconstrueerd", "synthetisch": "synthetisch"}.get(
        getattr(dataset, "status", ""), "onbekend"
    )


@register.filter
def als_zin(tekst):
    """Text ending in a full stop (no double stop when the text has one already)."""
    tekst = str(tekst or "").rstrip()
    if not tekst or tekst[-1] in ".!?":
        return tekst
    return tekst + "."
