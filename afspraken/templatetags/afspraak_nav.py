from django import template
from django.urls import reverse

from afspraken import navigatie
from afspraken.models import Fase

register = template.Library()


@register.inclusion_tag("afspraken/_navigatie_items.html")
def afspraak_navigatie(afspraak, actief):
    items = [("overzicht", "Overzicht", reverse("afspraak_overzicht", args=[afspraak.pk]))]
    items += [(f.value, f"{f.value}. {f.label}", reverse("afspraak_fase", args=[afspraak.pk, f.value])) for f in Fase]
    for pagina in sorted(navigatie.register, key=lambda p: p.volgorde):
        items.append((pagina.sleutel, pagina.titel, reverse(pagina.url_naam, args=[afspraak.pk])))
    items += [
        ("toetsing", "Toetsing", reverse("afspraak_toetsing", args=[afspraak.pk])),
        ("acties", "Actiepunten", reverse("afspraak_acties", args=[afspraak.pk])),
        ("geschiedenis", "Geschiedenis", reverse("afspraak_geschiedenis", args=[afspraak.pk])),
    ]
    return {"items": [{"titel": t, "url": u, "actief": s == actief} for s, t, u in items]}
