from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class InlogFormulier(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: screen-reader users should hear the page from its start (and the skip link).
        self.fields["username"].widget.attrs.pop("autofocus", None)


class LangeKeuzelijst(forms.Select):
    """A select of hundreds of options, written out in Python.

    Django renders every option through two templates (some 0.2 ms each), which made the party form's list
    of every organisation in the country the slowest part of a phase page. Same markup, same attributes.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        delen = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for groep, opties, _ in widget["optgroups"]:
            if groep:
                delen.append(format_html('<optgroup label="{}">', groep))
            for optie in opties:
                waarde = "" if optie["value"] is None else optie["value"]
                delen.append(format_html('<option value="{}"{}>{}</option>', waarde, flatatt(optie["attrs"]), optie["label"]))
            if groep:
                delen.append("</optgroup>")
        delen.append("</select>")
        return mark_safe("".join(delen))
