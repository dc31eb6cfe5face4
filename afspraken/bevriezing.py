"""A version offered for signing is frozen: its content never changes again.

Three layers, so that no route around one of them exists:
- the views refuse (afspraken.rechten: BEWERKEN only while a concept);
- the model layer refuses (signal receivers below: save, delete and m2m changes of every content model,
  and Uitvoeringsafspraak.save for the agreement itself);
- PostgreSQL refuses (triggers on every content table of every app, declared in migrations: see the end of
  this module): queryset.update(), bulk operations and raw SQL.

A content model is any model with a foreign key `afspraak` to Uitvoeringsafspraak, unless it declares
`inhoud_van_afspraak = False` (documents and signatures, which are written while the version is frozen
and have rules of their own below).
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from .models import BEVROREN_STATUSSEN, Document, Ondertekening, Uitvoeringsafspraak

# Columns of a frozen agreement that may still change, and the transitions allowed.
VRIJE_KOLOMMEN = ("status", "ondertekend_op", "bijgewerkt_op")
OVERGANGEN = {
    "ter_ondertekening": ("ondertekend", "vervangen"),
    "ondertekend": ("vervangen",),
    "vervangen": (),
}


class AfspraakBevroren(PermissionDenied):
    """Raised by the model layer; a PermissionDenied, so a view that reaches it answers 403, not 500."""


def _afspraak_fk(model):
    try:
        veld = model._meta.get_field("afspraak")
    except Exception:
        return None
    return veld if veld.is_relation and veld.related_model is Uitvoeringsafspraak else None


def inhoudsmodellen():
    """Every model whose rows are part of an agreement's content."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.abstract
        and _afspraak_fk(model) is not None
        and getattr(model, "inhoud_van_afspraak", True)
    ]


def is_bevroren(afspraak_id):
    return (
        afspraak_id is not None
        and Uitvoeringsafspraak.objects.filter(pk=afspraak_id, status__in=BEVROREN_STATUSSEN).exists()
    )


def _weiger(afspraak_id):
    raise AfspraakBevroren(
        f"Uitvoeringsafspraak {afspraak_id} is ter ondertekening aangeboden of ondertekend; de inhoud van deze "
        "versie kan niet meer veranderen. Begin een nieuwe versie om iets te wijzigen."
    )


# The receivers below are connected only to the models they guard (see `verbind`), so they need not
# ask what kind of model they got. Moving a row to another agreement is not guarded here: no code does
# it, and the PostgreSQL trigger checks the old and the new agreement of every row.


def _inhoud_opslaan(sender, instance, raw=False, **kwargs):
    if not raw and is_bevroren(instance.afspraak_id):
        _weiger(instance.afspraak_id)


def _inhoud_verwijderen(sender, instance, **kwargs):
    if is_bevroren(instance.afspraak_id):
        _weiger(instance.afspraak_id)


def _afspraak_verwijderen(sender, instance, **kwargs):
    if is_bevroren(instance.pk):
        _weiger(instance.pk)


def _ondertekening_verwijderen(sender, instance, **kwargs):
    raise AfspraakBevroren("Een ondertekening wordt nooit verwijderd.")


def _document_verwijderen(sender, instance, **kwargs):
    if instance.status == Document.Status.KLAAR:
        raise AfspraakBevroren("Een gereed document wordt nooit verwijderd.")


def _koppeling_wijzigen(sender, instance, action, model, pk_set, **kwargs):
    """A many-to-many change of a content row: the agreement of the row on either side counts."""
    if not action.startswith("pre_"):
        return
    afspraken = set()
    if _afspraak_fk(type(instance)) is not None:
        afspraken.add(instance.afspraak_id)
    if _afspraak_fk(model) is not None and pk_set:
        afspraken.update(model._default_manager.filter(pk__in=pk_set).values_list("afspraak_id", flat=True))
    for afspraak_id in afspraken:
        if is_bevroren(afspraak_id):
            _weiger(afspraak_id)


def _bij_opslaan_ondertekening(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.pk is not None and not instance._state.adding:
        raise AfspraakBevroren("Een ondertekening wordt nooit gewijzigd.")
    status = Uitvoeringsafspraak.objects.filter(pk=instance.afspraak_id).values_list("status", flat=True).first()
    if status != Uitvoeringsafspraak.Status.TER_ONDERTEKENING:
        raise AfspraakBevroren("Alleen een versie die ter ondertekening ligt, kan worden ondertekend of afgewezen.")


def _bij_opslaan_document(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    oud = Document.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    if oud == Document.Status.KLAAR:
        raise AfspraakBevroren("Een gereed document verandert nooit meer.")


def controleer_afspraak_opslaan(afspraak):
    """Called by Uitvoeringsafspraak.save(): a frozen version changes only its status, along the allowed paths."""
    if afspraak.pk is None or afspraak._state.adding:
        return
    oud = Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).values().first()
    if oud is None or oud["status"] not in BEVROREN_STATUSSEN:
        return
    for veld in afspraak._meta.concrete_fields:
        if veld.attname in VRIJE_KOLOMMEN:
            continue
        if getattr(afspraak, veld.attname) != oud[veld.attname]:
            _weiger(afspraak.pk)
    if afspraak.status != oud["status"] and afspraak.status not in OVERGANGEN[oud["status"]]:
        raise AfspraakBevroren(
            f"Een versie die {oud['status'].replace('_', ' ')} is, kan niet meer "
            f"{afspraak.status.replace('_', ' ')} worden."
        )


# --- PostgreSQL --------------------------------------------------------------------------------------
# The same rules as triggers, in migrations of their own: afspraken 0009 (the functions, and afspraken' tables),
# aanbod 0004 and financiering 0003. A new content table needs its trigger in a migration
# (tests/test_bevriezing.py fails until it has one); a change of VRIJE_KOLOMMEN or OVERGANGEN a new function.


def verbind(app_config):
    for model in inhoudsmodellen():
        label = model._meta.label
        pre_save.connect(_inhoud_opslaan, sender=model, dispatch_uid=f"bevriezing-opslaan-{label}")
        pre_delete.connect(_inhoud_verwijderen, sender=model, dispatch_uid=f"bevriezing-verwijderen-{label}")
        for veld in model._meta.local_many_to_many:
            m2m_changed.connect(_koppeling_wijzigen, sender=veld.remote_field.through,
                                dispatch_uid=f"bevriezing-m2m-{label}-{veld.name}")
    pre_delete.connect(_afspraak_verwijderen, sender=Uitvoeringsafspraak, dispatch_uid="bevriezing-afspraak")
    pre_delete.connect(_document_verwijderen, sender=Document, dispatch_uid="bevriezing-document-weg")
    pre_delete.connect(_ondertekening_verwijderen, sender=Ondertekening, dispatch_uid="bevriezing-ondertekening-weg")
    pre_save.connect(_bij_opslaan_ondertekening, sender=Ondertekening, dispatch_uid="bevriezing-ondertekening")
    pre_save.connect(_bij_opslaan_document, sender=Document, dispatch_uid="bevriezing-document")
