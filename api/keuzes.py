"""The value lists the API exposes, each under one name in the OpenAPI description.

Several fields share a name (`status`, `rol`, `soort`) but not their values; ENUM_NAME_OVERRIDES in
SPECTACULAR_SETTINGS points at these lists by their dotted path, so every list gets one clear name.
"""

from accounts.models import Organisatie
from afspraken import toetsing
from afspraken.models import Actie, Fase, Frequentie, Ondertekening, Partij, Uitvoeringsafspraak
from financiering.models import Categorie, Geldstroom, Verdeelgroep
from monitor import stand
from regio.models import Dataset, Leerweg

AFSPRAAKSTATUS = Uitvoeringsafspraak.Status.choices
REGIOSTATUS = [(s, stand.STATUSSEN[s]) for s in stand.VOLGORDE]
LEERWEG = Leerweg.choices
BRONSTATUS = Dataset.Status.choices
PARTIJROL = Partij.Rol.choices
ORGANISATIESOORT = Organisatie.Soort.choices
BESLUIT = Ondertekening.Besluit.choices
ACTIESTATUS = Actie.Status.choices
FREQUENTIE = Frequentie.choices
FASE = Fase.choices
OORDEEL = list(toetsing.LABELS.items())
SECTIESOORT = [("tekst", "Vragen met een antwoord"), ("rijen", "Rijen (bijvoorbeeld acties of kostenposten)")]
KOSTENCATEGORIE = Categorie.choices
GELDBRON = Geldstroom.Bron.choices
GELDDUUR = Geldstroom.Duur.choices
GELDKARAKTER = Geldstroom.Karakter.choices
VERDEELMETHODE = Verdeelgroep.Methode.choices
