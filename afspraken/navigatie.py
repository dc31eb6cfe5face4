"""Pages that higher apps add to an agreement's navigation (e.g. the aanbod and financing overviews)."""

from dataclasses import dataclass

from techniek.register import Register

register = Register("afspraakpagina's")


@dataclass(frozen=True)
class Pagina:
    sleutel: str  # compared with `actief` in templates/afspraken/_navigatie.html
    titel: str
    url_naam: str  # a URL taking the agreement's pk
    volgorde: int = 50


def registreer(pagina):
    return register.registreer(pagina)
