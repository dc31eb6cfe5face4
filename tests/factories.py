import factory
from factory.django import DjangoModelFactory

from accounts.models import Gebruiker, Organisatie
from regio.models import Gemeente, MboInstelling

WACHTWOORD = "test-wachtwoord-lang-genoeg"


class GebruikerFactory(DjangoModelFactory):
    class Meta:
        model = Gebruiker
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    rol = Gebruiker.Rol.BELEIDSMAKER
    password = factory.django.Password(WACHTWOORD)


def organisatie_van_gemeente(naam):
    return Organisatie.objects.get(gemeente=Gemeente.objects.get(naam=naam))


def organisatie_van_instelling(naam):
    return Organisatie.objects.get(instelling=MboInstelling.objects.get(naam=naam))
