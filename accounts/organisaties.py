"""Every gemeente and mbo-instelling can be a party: each has its organisation.

Called by regio's loaders through their registers (regio.referentie, regio.loaders.adressen), in their
transaction.
"""

from regio.models import Gemeente, MboInstelling

from .models import Organisatie


def bij_referentiedata(verslag):
    met_org = set(Organisatie.objects.filter(gemeente__isnull=False).values_list("gemeente_id", flat=True))
    Organisatie.objects.bulk_create(
        Organisatie(naam=f"Gemeente {g.naam}", soort=Organisatie.Soort.GEMEENTE, gemeente=g)
        for g in Gemeente.objects.order_by("pk")
        if g.pk not in met_org
    )
    met_org = set(Organisatie.objects.filter(instelling__isnull=False).values_list("instelling_id", flat=True))
    Organisatie.objects.bulk_create(
        Organisatie(naam=i.naam, soort=Organisatie.Soort.MBO_INSTELLING, instelling=i)
        for i in MboInstelling.objects.order_by("pk")
        if i.pk not in met_org
    )


def bij_nieuwe_en_hernoemde_instellingen(nieuw, hernoemd):
    Organisatie.objects.bulk_create(
        [Organisatie(naam=i.naam, soort=Organisatie.Soort.MBO_INSTELLING, instelling=i) for i in nieuw]
    )
    if hernoemd:
        # An organisation that carried the instelling's name follows the new name.
        organisaties = list(Organisatie.objects.filter(instelling_id__in=hernoemd))
        for organisatie in organisaties:
            oud, nieuw_naam = hernoemd[organisatie.instelling_id]
            if organisatie.naam == oud:
                organisatie.naam = nieuw_naam
        Organisatie.objects.bulk_update(organisaties, ["naam"])
