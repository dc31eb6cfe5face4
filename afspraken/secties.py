"""Sections of an agreement: what each phase page shows and how its parts are saved.

Apps register section definitions here (from AppConfig.ready()); afspraken renders and saves them
without importing those apps. Two kinds:

- `Tekstsectie`: one form whose answers are stored as JSON in `Sectie.inhoud`, with one version.
- `Rijensectie`: rows of a model derived from `afspraken.models.Rij`, each with its own version.

Saving goes through `bewaar_tekst`, `voeg_rij_toe`, `bewaar_rij` and `verwijder_rij`, which lock,
compare versions, record a `Wijziging`, raise the agreement's content counter and never overwrite a change
the user has not seen.
"""

import datetime
import decimal
import functools
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from techniek.formulieren import LangeKeuzelijst
from techniek.invoer import Formulier, Modelformulier
from techniek.register import Register

from .models import Fase, Sectie, Uitvoeringsafspraak, Wijziging, verhoog_inhoudsteller

register = Register("secties")


def registreer(definitie):
    if any(d.sleutel == definitie.sleutel for d in register):
        raise ValueError(f"Sectie {definitie.sleutel} is al geregistreerd")
    return register.registreer(definitie)


def alle():
    return sorted(register, key=lambda d: (d.fase, d.volgorde, d.sleutel))


def van_fase(fase):
    return [d for d in alle() if d.fase == fase]


def definitie(sleutel):
    for d in register:
        if d.sleutel == sleutel:
            return d
    return None


@dataclass
class Conflict:
    """What someone else saved meanwhile, shown next to what this user tried to save."""

    door: str
    op: datetime.datetime | None
    huidig: dict
    eigen: dict


@dataclass
class Opslaguitkomst:
    """Result of a save: ok, or the form with errors, or a conflict; plus what changed."""

    ok: bool
    formulier: forms.BaseForm | None = None
    conflict: Conflict | None = None
    gewijzigd: bool = False
    versie: int | None = None
    rij: Model | None = None
    opgeslagen_op: datetime.datetime | None = None


@dataclass
class Sectiedefinitie:
    sleutel: str
    fase: int
    titel: str
    volgorde: int = 100
    inleiding: str = ""
    template: str = ""
    # Optional template with read-only facts shown above the form (gets `extra` from extra_context).
    feiten_template: str = ""
    # Basisafspraken this section helps to fill in (shown as a hint, used for links from the toetsing).
    basisafspraken: tuple = ()

    @property
    def anker(self):
        return f"sectie-{self.sleutel}"

    @property
    def fase_naam(self):
        return Fase(self.fase).label

    def url(self, afspraak):
        return reverse("afspraak_fase", args=[afspraak.pk, self.fase]) + f"#{self.anker}"

    def extra_context(self, afspraak, gegevens):
        """Read-only facts shown with the section (e.g. prefilled figures); override where useful."""
        return {}

    def rij_context(self, afspraak, gegevens):
        """What every row of a row section shows besides its fields, also a single row (htmx) (`rijextra`)."""
        return {}


def _json_waarde(waarde):
    if isinstance(waarde, Model):
        return waarde.pk
    if isinstance(waarde, (datetime.date, datetime.datetime)):
        return waarde.isoformat()
    if isinstance(waarde, decimal.Decimal):
        return str(waarde)
    if isinstance(waarde, (list, tuple)) or hasattr(waarde, "model"):  # lists and querysets
        return [_json_waarde(v) for v in waarde]
    return waarde


def weergave(formulier, naam, waarde):
    """A value as a person reads it, for history and conflicts: the label of a choice, 'ja'/'nee'."""
    veld = formulier.fields[naam]
    if waarde in (None, "", []):
        return ""
    if isinstance(veld, forms.ModelChoiceField):
        if isinstance(waarde, Model):
            return str(waarde)
        waarden = waarde if isinstance(waarde, (list, tuple)) else [waarde]
        gekozen = [w for w in waarden if not isinstance(w, Model)]
        labels = [str(w) for w in waarden if isinstance(w, Model)]
        if gekozen:
            # veld.choices: the cached list where a form set one, else the queryset.
            per_sleutel = {str(k): str(label) for k, label in veld.choices if k not in ("", None)}
            labels += [per_sleutel.get(str(w), str(w)) for w in gekozen]
        return ", ".join(labels)
    if isinstance(veld, forms.BooleanField):
        return "ja" if waarde else "nee"
    if isinstance(veld, forms.MultipleChoiceField):
        keuzes = dict(veld.choices)
        return ", ".join(str(keuzes.get(v, v)) for v in waarde)
    if isinstance(veld, forms.ChoiceField):
        return str(dict(veld.choices).get(waarde, waarde))
    if isinstance(waarde, (datetime.date,)):
        return waarde.strftime("%d-%m-%Y")
    if isinstance(waarde, str) and isinstance(veld, forms.DateField) and waarde:
        try:
            return datetime.date.fromisoformat(waarde).strftime("%d-%m-%Y")
        except ValueError:
            return waarde
    return str(waarde)


def _naam(gebruiker):
    if gebruiker is None:
        return "iemand anders"
    return gebruiker.get_full_name() or gebruiker.username


# --- text sections --------------------------------------------------------------------------------


@dataclass
class Tekstsectie(Sectiedefinitie):
    formulier_klasse: type = None
    template: str = "afspraken/secties/tekst.html"

    def formulier(self, afspraak, data=None, inhoud=None, gegevens=None):
        return self.formulier_klasse(
            data=data, initial=inhoud or {}, prefix=self.sleutel, afspraak=afspraak, gegevens=gegevens
        )

    def inhoud_van(self, formulier):
        return {naam: _json_waarde(waarde) for naam, waarde in formulier.cleaned_data.items()}

    def momentopname(self, formulier, inhoud):
        return {formulier.fields[n].label: weergave(formulier, n, inhoud.get(n)) for n in formulier.fields}


class Sectieformulier(Formulier):
    """Base for the form of a text section: knows its agreement (to limit choices to its parties)."""

    def __init__(self, *args, afspraak=None, gegevens=None, **kwargs):
        self.afspraak = afspraak
        self.gegevens = gegevens
        super().__init__(*args, **kwargs)
        beperk_partijkeuzes(self, afspraak, gegevens)
        snelle_keuzelijsten(self)


def sectie_toestand(afspraak, sleutel):
    return Sectie.objects.filter(afspraak=afspraak, sleutel=sleutel).first()


def versieveld(prefix):
    """The name of the hidden field with the version a form was opened at. Every section and row of a phase
    page sits in one page form (see afspraken/fase.html), so it carries the form's prefix."""
    return f"{prefix}-versie"


def verwachte_versie(data, prefix):
    try:
        return int(data.get(versieveld(prefix), ""))
    except (TypeError, ValueError):
        return None


def _nog_concept(afspraak):
    """Holds the agreement as a concept until this save commits.

    The view checked the status before this transaction; "gereed" or "aanbieden" could commit in between, and
    a save after that would hit the freeze trigger (a 500) or change what is being signed. FOR KEY SHARE lets
    saves run side by side but makes a status change wait for them, and makes a save wait for a status change:
    every status change of a concept locks the agreement FOR UPDATE first (gereed, aanbieden). Not FOR SHARE: a
    save ends by raising the agreement's content counter (`verhoog_inhoudsteller`), and two saves holding FOR
    SHARE would each wait for the other there; FOR KEY SHARE does not conflict with that UPDATE.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {Uitvoeringsafspraak._meta.db_table} WHERE id = %s FOR KEY SHARE", [afspraak.pk]
            )
            rij = cursor.fetchone()
        status = rij[0] if rij else None
    else:
        status = Uitvoeringsafspraak.objects.filter(pk=afspraak.pk).values_list("status", flat=True).first()
    if status != Uitvoeringsafspraak.Status.CONCEPT:
        raise PermissionDenied(
            "Deze uitvoeringsafspraak is intussen geen concept meer en kan niet meer worden gewijzigd."
        )


def bewaar_tekst(definitie, afspraak, data, gebruiker, gegevens=None):
    verwacht = verwachte_versie(data, definitie.sleutel)
    with transaction.atomic():
        _nog_concept(afspraak)
        try:
            with transaction.atomic():
                sectie, _ = Sectie.objects.select_for_update().get_or_create(
                    afspraak=afspraak, sleutel=definitie.sleutel
                )
        except IntegrityError:  # created by a parallel first save
            sectie = Sectie.objects.select_for_update().get(afspraak=afspraak, sleutel=definitie.sleutel)
        formulier = definitie.formulier(afspraak, data=data, inhoud=sectie.inhoud, gegevens=gegevens)
        if verwacht != sectie.versie:
            huidig_form = definitie.formulier(afspraak, inhoud=sectie.inhoud, gegevens=gegevens)
            eigen = {}
            if formulier.is_valid():
                eigen = definitie.momentopname(formulier, definitie.inhoud_van(formulier))
            else:
                eigen = {
                    formulier.fields[n].label: formulier.data.get(formulier.add_prefix(n), "")
                    for n in formulier.fields
                }
            uitkomst = Opslaguitkomst(
                ok=False,
                formulier=formulier,
                versie=sectie.versie,
                conflict=Conflict(
                    door=_naam(sectie.bijgewerkt_door),
                    op=sectie.bijgewerkt_op,
                    huidig=definitie.momentopname(huidig_form, sectie.inhoud),
                    eigen=eigen,
                ),
            )
            # Nothing is saved, not even the empty row a first save made to lock. Last: no query may follow.
            transaction.set_rollback(True)
            return uitkomst
        if not formulier.is_valid():
            transaction.set_rollback(True)  # as above
            return Opslaguitkomst(ok=False, formulier=formulier, versie=sectie.versie)
        nieuw = definitie.inhoud_van(formulier)
        oud = dict(sectie.inhoud)
        veranderd = _veranderd(formulier, oud, nieuw)
        if not veranderd:
            return Opslaguitkomst(
                ok=True, formulier=formulier, versie=sectie.versie, opgeslagen_op=sectie.bijgewerkt_op
            )
        oud_weergave = definitie.momentopname(formulier, oud)
        nieuw_weergave = definitie.momentopname(formulier, nieuw)
        labels = [formulier.fields[n].label for n in veranderd]
        sectie.inhoud = nieuw
        sectie.versie += 1
        sectie.bijgewerkt_door = gebruiker
        sectie.bijgewerkt_op = timezone.now()
        sectie.save()
        Wijziging.objects.create(
            afspraak=afspraak,
            sectie=definitie.sleutel,
            sectie_titel=definitie.titel,
            soort=Wijziging.Soort.GEWIJZIGD,
            omschrijving=", ".join(str(label) for label in labels)[:300],
            oud={str(k): oud_weergave[k] for k in labels},
            nieuw={str(k): nieuw_weergave[k] for k in labels},
            gebruiker=gebruiker,
        )
        verhoog_inhoudsteller(afspraak)
    return Opslaguitkomst(
        ok=True, formulier=formulier, gewijzigd=True, versie=sectie.versie, opgeslagen_op=sectie.bijgewerkt_op
    )


def _veranderd(formulier, oud, nieuw):
    """The fields whose cleaned value differs from what the section holds (an unanswered field as its empty value)."""
    return [n for n in nieuw if oud.get(n, _leeg(formulier, n)) != nieuw[n]]


def niets_te_bewaren(definitie, afspraak, data, sectie, gegevens=None):
    """Whether bewaar_tekst would save nothing and report nothing: posted at the version stored (`sectie`, read
    without a lock; None: never saved), valid, and the same content. The phase page's one form posts every
    section; the untouched ones are passed over without a transaction of their own."""
    versie, inhoud = (sectie.versie, sectie.inhoud) if sectie is not None else (0, {})
    if verwachte_versie(data, definitie.sleutel) != versie:
        return False
    formulier = definitie.formulier(afspraak, data=data, inhoud=inhoud, gegevens=gegevens)
    return formulier.is_valid() and not _veranderd(formulier, dict(inhoud), definitie.inhoud_van(formulier))


def _leeg(formulier, naam):
    """The value an unanswered field cleans to, so that saving an untouched field records no change."""
    veld = formulier.fields[naam]
    if isinstance(veld, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return []
    if isinstance(veld, forms.ModelChoiceField):  # before ChoiceField, of which it is a subclass
        return None
    if isinstance(veld, forms.BooleanField):
        return False
    if isinstance(veld, (forms.CharField, forms.ChoiceField)) and not isinstance(veld, forms.TypedChoiceField):
        return ""
    return None


# --- row sections ---------------------------------------------------------------------------------


@dataclass
class Rijensectie(Sectiedefinitie):
    model: type = None
    formulier_klasse: type = None
    template: str = "afspraken/secties/rijen.html"
    # How a row's fields are laid out (gets `formulier`); a section may group them differently.
    velden_template: str = "afspraken/secties/_velden.html"
    rij_naam: str = "rij"
    toevoegen_tekst: str = "Toevoegen"
    # Filter rows (e.g. acties of one phase); the same values are set on new rows.
    filter: dict = field(default_factory=dict)
    select_related: tuple = ()

    def rijen(self, afspraak):
        rijen = self.model.objects.filter(afspraak=afspraak, **self.filter).order_by(*self.volgorde_velden())
        return rijen.select_related(*self.select_related) if self.select_related else rijen

    def volgorde_velden(self):
        return self.model._meta.ordering or ["pk"]

    def rij_prefix(self, pk):
        """The prefix of a row's form: unique on the page, which is one form (see `versieveld`)."""
        return f"{self.sleutel}-{pk}" if pk else f"{self.sleutel}-nieuw"

    def formulier(self, afspraak, data=None, rij=None, gegevens=None):
        prefix = self.rij_prefix(rij.pk if rij is not None else None)
        return self.formulier_klasse(data=data, instance=rij, prefix=prefix, afspraak=afspraak, gegevens=gegevens)

    def rij_anker(self, pk):
        return f"{self.anker}-rij-{pk}"

    def rij_url(self, afspraak, pk):
        return reverse("afspraak_fase", args=[afspraak.pk, self.fase]) + f"#{self.rij_anker(pk)}"

    def bewerk_url(self, afspraak, pk):
        """The phase page with this row's form open: the "Bewerken" link without JavaScript."""
        return (reverse("afspraak_fase", args=[afspraak.pk, self.fase])
                + f"?bewerk={self.sleutel}&rij={pk}#{self.rij_anker(pk)}")

    def verwijder_url(self, afspraak, pk):
        """The phase page asking whether to delete this row: "Verwijderen…" without JavaScript."""
        return (reverse("afspraak_fase", args=[afspraak.pk, self.fase])
                + f"?verwijder={self.sleutel}&rij={pk}#{self.rij_anker(pk)}")

    def nieuw_url(self, afspraak):
        """The phase page with the form to add a row open: the link without JavaScript."""
        return reverse("afspraak_fase", args=[afspraak.pk, self.fase]) + f"?nieuw={self.sleutel}#{self.anker}-nieuw"

    def met_formulier(self, afspraak, rijen, gegevens=None):
        """(row, form that describes it) for each row: one form for all where that reads the same
        (`beschrijft_elke_rij`), a form per row otherwise. Building a form per row was most of the time of
        every page that shows many rows."""
        gedeeld = beschrijft_elke_rij(self.formulier_klasse)
        formulier = None
        for rij in rijen:
            if formulier is None or not gedeeld:
                formulier = self.formulier(afspraak, rij=rij, gegevens=gegevens)
            yield rij, formulier

    def momentopname(self, formulier, rij):
        uitkomst = {}
        for naam in formulier.fields:
            waarde = getattr(rij, naam, None)
            if hasattr(waarde, "all"):  # many-to-many
                waarde = list(waarde.all())
            uitkomst[str(formulier.fields[naam].label)] = weergave(formulier, naam, waarde)
        return uitkomst


class Rijformulier(Modelformulier):
    """Base for the ModelForm of a row section; limits party choices to the agreement's parties."""

    # Whether the fields or choices depend on the row being edited (financing: amounts per year of the row).
    # A form that does not read its row can describe every row of its section (api.inhoud builds it once).
    leest_rij = True

    def __init__(self, *args, afspraak=None, gegevens=None, **kwargs):
        self.afspraak = afspraak
        self.gegevens = gegevens
        super().__init__(*args, **kwargs)
        beperk_partijkeuzes(self, afspraak, gegevens)
        snelle_keuzelijsten(self)


def beschrijft_elke_rij(formulier_klasse):
    """Whether a form built for one saved row can describe every saved row of its section as text.

    True when the form does not read its row (`leest_rij` False), or when only its choices depend on the row
    (`zelfde_velden_per_rij`): the text view shows a row's own choice by its name, not from the list.
    """
    return not getattr(formulier_klasse, "leest_rij", True) or getattr(formulier_klasse, "zelfde_velden_per_rij", False)


def snelle_keuzelijsten(formulier):
    """Every plain select of a section form written out in Python (techniek.formulieren.LangeKeuzelijst).

    A phase page showed every row's form at once, some 1,000 options; through Django's option templates that
    was about a third of the page's time. Rows are now text until opened, but a row's form and the form to add
    one still carry long lists. The markup is the same.
    """
    for veld in formulier.fields.values():
        if type(veld.widget) is forms.Select:
            snel = LangeKeuzelijst(attrs=veld.widget.attrs)
            snel.choices, snel.is_required = veld.widget.choices, veld.widget.is_required
            veld.widget = snel
    return formulier


def beperk_partijkeuzes(formulier, afspraak, gegevens):
    """Party choices: only this agreement's parties, rendered and checked from the cached list (no query per
    form or per posted choice)."""
    from .models import Partij

    for veld in formulier.fields.values():
        if isinstance(veld, forms.ModelChoiceField) and veld.queryset.model is Partij and afspraak is not None:
            veld.queryset = Partij.objects.filter(afspraak=afspraak).select_related("organisatie")
            if gegevens is not None:
                keuzes = [(p.pk, str(p)) for p in gegevens.partijen]
                # Checked against the list too, as long as the form keeps this queryset (the aanbod's
                # instellingen narrow it: those are checked by their own queryset, as Django does).
                alle = veld.queryset
                if isinstance(veld, forms.ModelMultipleChoiceField):
                    veld._check_values = functools.partial(_partijen_uit_lijst, veld, alle, gegevens.partijen)
                else:
                    keuzes.insert(0, ("", "—"))
                    veld.to_python = functools.partial(_partij_uit_lijst, veld, alle, gegevens.partijen)
                veld.choices = keuzes


def _pk_of_fout(veld, waarde):
    """The posted value as a primary key, or Django's message for a value that is none."""
    veld.validate_no_null_characters(waarde)
    try:
        return int(waarde.pk if isinstance(waarde, Model) else waarde)
    except (TypeError, ValueError):
        raise ValidationError(
            veld.error_messages["invalid_choice"], code="invalid_choice", params={"value": waarde}
        ) from None


def _partij_uit_lijst(veld, alle, partijen, waarde):
    """ModelChoiceField.to_python over the agreement's parties as loaded (its queryset, without the query)."""
    if veld.queryset is not alle:
        return type(veld).to_python(veld, waarde)
    if waarde in veld.empty_values:
        return None
    pk = _pk_of_fout(veld, waarde)
    for partij in partijen:
        if partij.pk == pk:
            return partij
    raise ValidationError(veld.error_messages["invalid_choice"], code="invalid_choice", params={"value": waarde})


def _partijen_uit_lijst(veld, alle, partijen, waarden):
    """ModelMultipleChoiceField._check_values over the parties as loaded: the chosen ones in the queryset's order
    (Partij.Meta.ordering, as the list was read), the same messages."""
    if veld.queryset is not alle:
        return type(veld)._check_values(veld, waarden)
    try:
        waarden = frozenset(waarden)
    except TypeError:
        raise ValidationError(veld.error_messages["invalid_list"], code="invalid_list") from None
    pks = set()
    for waarde in waarden:
        veld.validate_no_null_characters(waarde)
        try:
            pks.add(int(waarde))
        except (TypeError, ValueError):
            raise ValidationError(
                veld.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": waarde}
            ) from None
    gekozen = [p for p in partijen if p.pk in pks]
    bekend = {str(p.pk) for p in gekozen}
    for waarde in waarden:
        if str(waarde) not in bekend:
            raise ValidationError(
                veld.error_messages["invalid_choice"], code="invalid_choice", params={"value": waarde}
            )
    return gekozen


def _wijziging(definitie, afspraak, soort, gebruiker, oud=None, nieuw=None, omschrijving=""):
    Wijziging.objects.create(
        afspraak=afspraak,
        sectie=definitie.sleutel,
        sectie_titel=definitie.titel,
        soort=soort,
        omschrijving=omschrijving[:300],
        oud=oud or {},
        nieuw=nieuw or {},
        gebruiker=gebruiker,
    )


def _raak_sectie_aan(definitie, afspraak, gebruiker):
    """Row changes also bump the section, so the phase page can say who saved last and when."""
    # Locked: parallel saves of different rows of one section each read versie and write it + 1; unlocked,
    # all but one of those bumps were lost (tests/test_gelijktijdig.py). Rows are always locked before their
    # section, so this adds no lock cycle.
    sectie, _ = Sectie.objects.select_for_update().get_or_create(afspraak=afspraak, sleutel=definitie.sleutel)
    sectie.versie += 1
    sectie.bijgewerkt_door = gebruiker
    sectie.bijgewerkt_op = timezone.now()
    sectie.save(update_fields=["versie", "bijgewerkt_door", "bijgewerkt_op"])


def voeg_rij_toe(definitie, afspraak, data, gebruiker, gegevens=None):
    formulier = definitie.formulier(afspraak, data=data, gegevens=gegevens)
    if not formulier.is_valid():
        return Opslaguitkomst(ok=False, formulier=formulier)
    with transaction.atomic():
        _nog_concept(afspraak)
        rij = formulier.save(commit=False)
        rij.afspraak = afspraak
        for naam, waarde in definitie.filter.items():
            setattr(rij, naam, waarde)
        rij.versie = 1
        rij.bijgewerkt_door = gebruiker
        rij.bijgewerkt_op = timezone.now()
        rij.save()
        formulier.save_m2m()
        nieuw = definitie.momentopname(formulier, rij)
        _wijziging(definitie, afspraak, Wijziging.Soort.TOEGEVOEGD, gebruiker, nieuw=nieuw, omschrijving=str(rij))
        _raak_sectie_aan(definitie, afspraak, gebruiker)
        verhoog_inhoudsteller(afspraak)
    return Opslaguitkomst(
        ok=True, formulier=formulier, gewijzigd=True, rij=rij, versie=rij.versie, opgeslagen_op=rij.bijgewerkt_op
    )


def bewaar_rij(definitie, afspraak, rij_pk, data, gebruiker, gegevens=None):
    verwacht = verwachte_versie(data, definitie.rij_prefix(rij_pk))
    with transaction.atomic():
        _nog_concept(afspraak)
        rij = definitie.rijen(afspraak).select_for_update(of=("self",)).filter(pk=rij_pk).first()
        if rij is None:
            return None
        huidig = definitie.formulier(afspraak, rij=rij, gegevens=gegevens)
        oud = definitie.momentopname(huidig, rij)
        formulier = definitie.formulier(afspraak, data=data, rij=rij, gegevens=gegevens)
        if verwacht != rij.versie:
            eigen = {}
            if formulier.is_valid():
                eigen = definitie.momentopname(formulier, formulier.save(commit=False))
            rij.refresh_from_db()
            return Opslaguitkomst(
                ok=False,
                formulier=formulier,
                rij=rij,
                versie=rij.versie,
                conflict=Conflict(door=_naam(rij.bijgewerkt_door), op=rij.bijgewerkt_op, huidig=oud, eigen=eigen),
            )
        if not formulier.is_valid():
            rij.refresh_from_db()
            return Opslaguitkomst(ok=False, formulier=formulier, rij=rij, versie=rij.versie)
        if not formulier.has_changed():
            return Opslaguitkomst(
                ok=True, formulier=formulier, rij=rij, versie=rij.versie, opgeslagen_op=rij.bijgewerkt_op
            )
        rij = formulier.save(commit=False)
        rij.versie += 1
        rij.bijgewerkt_door = gebruiker
        rij.bijgewerkt_op = timezone.now()
        rij.save()
        formulier.save_m2m()
        nieuw = definitie.momentopname(formulier, rij)
        labels = [k for k in nieuw if oud.get(k) != nieuw[k]]
        if labels:
            _wijziging(
                definitie, afspraak, Wijziging.Soort.GEWIJZIGD, gebruiker,
                oud={k: oud.get(k, "") for k in labels}, nieuw={k: nieuw[k] for k in labels},
                omschrijving=f"{rij}: " + ", ".join(labels),
            )
        _raak_sectie_aan(definitie, afspraak, gebruiker)
        verhoog_inhoudsteller(afspraak)
    # The saved row is shown from the row itself; no form is built again for it.
    return Opslaguitkomst(
        ok=True, formulier=formulier, gewijzigd=True, rij=rij, versie=rij.versie, opgeslagen_op=rij.bijgewerkt_op
    )


def verwijder_rij(definitie, afspraak, rij_pk, data, gebruiker, gegevens=None):
    verwacht = verwachte_versie(data, definitie.rij_prefix(rij_pk))
    with transaction.atomic():
        _nog_concept(afspraak)
        rij = definitie.rijen(afspraak).select_for_update(of=("self",)).filter(pk=rij_pk).first()
        if rij is None:
            return None
        formulier = definitie.formulier(afspraak, rij=rij, gegevens=gegevens)
        oud = definitie.momentopname(formulier, rij)
        if verwacht != rij.versie:
            return Opslaguitkomst(
                ok=False,
                formulier=formulier,
                rij=rij,
                versie=rij.versie,
                conflict=Conflict(door=_naam(rij.bijgewerkt_door), op=rij.bijgewerkt_op, huidig=oud, eigen={}),
            )
        omschrijving = str(rij)
        rij.delete()
        _wijziging(definitie, afspraak, Wijziging.Soort.VERWIJDERD, gebruiker, oud=oud, omschrijving=omschrijving)
        _raak_sectie_aan(definitie, afspraak, gebruiker)
        verhoog_inhoudsteller(afspraak)
    return Opslaguitkomst(ok=True, gewijzigd=True)
