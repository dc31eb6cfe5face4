"""Log-in through Django's ModelBackend; the user of every request comes with their organisation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class GebruikerBackend(ModelBackend):
    """The page header names the user's organisation and the rights check every agreement against it: one
    join here instead of one more query on every logged-in page."""

    def get_user(self, user_id):
        gebruiker = get_user_model()._default_manager.select_related("organisatie").filter(pk=user_id).first()
        return gebruiker if gebruiker is not None and self.user_can_authenticate(gebruiker) else None
