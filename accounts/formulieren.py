from django.contrib.auth.forms import AuthenticationForm

from techniek.invoer import Invoercontrole


class InlogFormulier(Invoercontrole, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: screen-reader users should hear the page from its start (and the skip link).
        self.fields["username"].widget.attrs.pop("autofocus", None)
