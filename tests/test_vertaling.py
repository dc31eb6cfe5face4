"""The Dutch of form errors is Django's own on every page, also now Django REST framework is installed."""

import gettext
from pathlib import Path

import django
import pytest
from django.utils import translation

DJANGO_NL = Path(django.__file__).parent / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.mo"


@pytest.mark.parametrize(
    "tekst", ["This field is required.", "No file was submitted.", "Value must be valid JSON."]
)
def test_foutmeldingen_in_het_nederlands_van_django(tekst):
    verwacht = gettext.GNUTranslations(DJANGO_NL.open("rb")).gettext(tekst)
    with translation.override("nl"):
        assert translation.gettext(tekst) == verwacht != tekst


def test_te_kort_wachtwoord_in_het_nederlands():
    # Django 5.2's catalogue lacks this message as 5.2 words it; locale/nl has it (the invitation and password pages).
    from django.contrib.auth.password_validation import MinimumLengthValidator

    with translation.override("nl"):
        assert MinimumLengthValidator(12).get_error_message() == (
            "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."
        )
