"""What text the application accepts, in one place: the validators, the form mixin that applies them to every
text field, and the middleware that keeps a NUL in an address away from the views and the database.

- Every text field refuses NUL, the other invisible control characters (Unicode category Cc) except tab and
  line ends, and the characters that override or isolate the reading direction (U+202A–U+202E,
  U+2066–U+2069): they hide or reorder text a reader would approve ("Trojan Source"), and PostgreSQL refuses
  NUL in text.
- A single-line field (an input, not a textarea) also refuses line ends (CR, LF, NEL, U+2028, U+2029) and
  tab: its value ends up in places of one line, such as an e-mail subject or a table cell.

`Invoercontrole` is mixed into every form of the project (`Formulier`, `Modelformulier`, the section forms,
the admin through `regio.admin.BeheerderToegang`); tests/test_invoer.py fails for a form without it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.shortcuts import render

RICHTINGTEKENS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
REGELEINDES = frozenset("\r\n\x85\u2028\u2029")
# Unicode's control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F; as regular expressions
# (in C, not a loop in Python: a phase page checks every field of every section).
_RICHTING = "\u202a-\u202e\u2066-\u2069"
VERBODEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_RICHTING}]")  # all but tab, LF and CR
VERBODEN_OP_EEN_REGEL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_RICHTING}]")

ONGELDIG_ADRES = "Het adres bevat een teken dat niet is toegestaan."
REGELOVERGANG = "Dit veld mag geen regelovergang bevatten. Zet de tekst op één regel."
VERBODEN_TEKEN = (
    "Dit veld bevat een teken dat niet is toegestaan (bijvoorbeeld een onzichtbaar stuurteken of een teken dat de "
    "leesrichting omdraait). Haal het weg en probeer het opnieuw."
)


def _plaats(tekst, index):
    """Where the invisible character is, so that it can be found: after the text just before it."""
    voor = VERBODEN_OP_EEN_REGEL.sub("", tekst[max(0, index - 20):index]).strip()
    if not voor:
        return " Het staat aan het begin." if index == 0 else ""
    return f" Het staat direct na „{voor}”."


def geen_verboden_tekens(waarde):
    """Validator for every text: no NUL, no other control character but tab and line ends, no direction override."""
    if isinstance(waarde, str) and (treffer := VERBODEN.search(waarde)):
        raise ValidationError(VERBODEN_TEKEN + _plaats(waarde, treffer.start()), code="verboden_teken")


def geen_stuurtekens_enkele_regel(waarde):
    """Validator for a single-line text: what `geen_verboden_tekens` refuses, and line ends and tabs too."""
    if isinstance(waarde, str) and (treffer := VERBODEN_OP_EEN_REGEL.search(waarde)):
        if treffer.group() in REGELEINDES:
            raise ValidationError(REGELOVERGANG, code="regelovergang")
        raise ValidationError(VERBODEN_TEKEN + _plaats(waarde, treffer.start()), code="verboden_teken")


def enkele_regel(tekst):
    """The text on one line, for where a line end breaks things (an e-mail subject): every run of line ends,
    control characters and other white space becomes one space; direction overrides are left out. For text
    stored before the fields refused them."""
    zonder_richting = re.sub(f"[{_RICHTING}]", "", str(tekst))
    return " ".join(VERBODEN_OP_EEN_REGEL.sub(" ", zonder_richting).split())


# --- forms ------------------------------------------------------------------------------------------------


def is_enkele_regel(veld):
    """A text field typed on one line: any CharField whose widget is not a textarea."""
    return not isinstance(veld.widget, forms.Textarea)


def controleer_tekstvelden(formulier):
    """Give every text field of the form its validator (once per field): the single-line one for an input, the
    general one for a textarea. Django's own NUL check is replaced, so that a NUL gets the same message.

    Passwords are left as Django checks them (no NUL): never shown nor stored as text, and a password set
    elsewhere must keep working."""
    for veld in formulier.fields.values():
        if not isinstance(veld, forms.CharField) or getattr(veld, "_invoercontrole", False):
            continue
        if isinstance(veld.widget, forms.PasswordInput):
            continue
        validator = geen_stuurtekens_enkele_regel if is_enkele_regel(veld) else geen_verboden_tekens
        veld.validators = [
            v for v in veld.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [validator]
        veld._invoercontrole = True
    return formulier


class Invoercontrole:
    """Mixin for every form: its text fields refuse what this module refuses, with a message at the field.

    Applied when the form is cleaned, so that fields a form adds in its own __init__ (after this one's) are
    checked as well."""

    def full_clean(self):
        controleer_tekstvelden(self)
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            self._controleer_andere_velden()

    def _controleer_andere_velden(self):
        """A choice, a number or a date is posted on one line too: Django strips white space off it and would take
        "12\r\n" for 12, so a save could happen with input this module refuses. Refused at the field instead."""
        for naam, veld in self.fields.items():
            if isinstance(veld, forms.CharField) or naam in self._errors or isinstance(veld.widget, forms.MultiWidget):
                continue
            sleutel = self.add_prefix(naam)
            waarden = self.data.getlist(sleutel) if hasattr(self.data, "getlist") else [self.data.get(sleutel)]
            for waarde in waarden:
                try:
                    geen_stuurtekens_enkele_regel(waarde)
                except ValidationError as fout:
                    self.add_error(naam, fout)
                    break


class Formulier(Invoercontrole, forms.Form):
    """The base of the project's plain forms."""


class Modelformulier(Invoercontrole, forms.ModelForm):
    """The base of the project's model forms."""


def met_invoercontrole(formulierklasse):
    """A form class that Django made (the admin's) with the check mixed in."""
    if issubclass(formulierklasse, Invoercontrole):
        return formulierklasse
    return type(formulierklasse.__name__, (Invoercontrole, formulierklasse), {"__module__": __name__})


# --- addresses --------------------------------------------------------------------------------------------


def _heeft_nul(request):
    if "\x00" in request.path_info:
        return True
    return any("\x00" in tekst for sleutel, waarden in request.GET.lists() for tekst in (sleutel, *waarden))


class WeigerNulInAdres:
    """Answers 400 to a request whose path or query string holds a NUL.

    PostgreSQL refuses NUL in text, so a NUL that reached a lookup (`/api/gemeenten/%00/`, `?sectie=%00`) was a
    500. No address of the application has one, so the whole request is refused here, before any view.
    Forms check their own fields (a NUL typed or pasted in a field is an error at that field, `Invoercontrole`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _heeft_nul(request):
            return self.get_response(request)
        if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
            return JsonResponse({"detail": ONGELDIG_ADRES}, status=400)  # as the API words its errors
        return render(request, "ongeldig_adres.html", {"melding": ONGELDIG_ADRES}, status=400)
