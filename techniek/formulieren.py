from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe


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
                delen.append(
                    format_html('<option value="{}"{}>{}</option>', waarde, flatatt(optie["attrs"]), optie["label"])
                )
            if groep:
                delen.append("</optgroup>")
        delen.append("</select>")
        return mark_safe("".join(delen))


# --- widgets without templates ------------------------------------------------------------------------------

# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`
# (tests/test_formulierweergave.py checks that they still are).
INVOERSJABLONEN = frozenset(
    f"django/forms/widgets/{naam}.html"
    for naam in ("text", "number", "email", "url", "password", "hidden", "checkbox", "date", "datetime", "time",
                 "search", "tel", "color")
)
TEKSTVAK = "django/forms/widgets/textarea.html"
# One checkbox or radio button of a list, as BoundWidget.tag() renders it: `{% include input_option.html %}`, an input
# that a label wraps when asked (the project's own lists put the label beside it: partials/keuzelijst.html).
OPTIESJABLONEN = frozenset(f"django/forms/widgets/{naam}_option.html" for naam in ("checkbox", "radio"))


def _als_stringformat(waarde):
    """`{{ waarde|stringformat:'s' }}`: the text of the value, escaped unless the value was safe already."""
    tekst = str(waarde)
    return conditional_escape(mark_safe(tekst) if isinstance(waarde, SafeData) else tekst)


def _attributen(attrs):
    """django/forms/widgets/attrs.html: in their order; True gives the bare name, False nothing."""
    delen = []
    for naam, waarde in attrs.items():
        if waarde is False:
            continue
        delen.append(f" {conditional_escape(naam)}")
        if waarde is not True:
            delen.append(f'="{_als_stringformat(waarde)}"')
    return "".join(delen)


def _invoer(widget):
    """django/forms/widgets/input.html."""
    waarde = "" if widget["value"] is None else f' value="{_als_stringformat(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{waarde}{_attributen(widget['attrs'])}>"
    )


class Formulierweergave(DjangoTemplates):
    """Django's form renderer, except that inputs, textareas and the options of a checkbox or radio list are written
    out in Python.

    A phase page renders some hundred widgets; through Django's templates each costs three template renders
    (widget, input.html, attrs.html), about a quarter of the page's time. Same markup, byte for byte
    (tests/test_formulierweergave.py); every other template, and every project template, is rendered as before.
    """

    def render(self, template_name, context, request=None):
        if template_name in INVOERSJABLONEN:
            return _invoer(context["widget"])
        if template_name in OPTIESJABLONEN:
            widget = context["widget"]
            if not widget.get("wrap_label"):
                return _invoer(widget)
            voor = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
            # input.html's own line end stays inside the label; only the whole is stripped (BaseRenderer.render).
            return f"<label{voor}>{_invoer(widget)}\n {conditional_escape(widget['label'])}</label>"
        if template_name == TEKSTVAK:
            widget = context["widget"]
            inhoud = conditional_escape(localize(widget["value"])) if widget["value"] else ""
            naam = conditional_escape(widget["name"])
            return f'<textarea name="{naam}"{_attributen(widget["attrs"])}>\n{inhoud}</textarea>'
        return super().render(template_name, context, request)
