"""Members' endpoints: the agreements a user may read, with content, toetsing and verdeling.

Who may read follows `afspraken.rechten.mag_lezen`: beleidsmakers and bestuurders of a party's
organisation, beheerders everything. Anonymous: 403 (DRF's NotAuthenticated, before anything is looked
up). Logged in but not allowed, or no such agreement: 404 with the same answer, so that not even the
existence of a draft leaks. An agreement is identified by its region's nummer and its versie.
"""

import django_filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.models import Gebruiker
from afspraken.models import Uitvoeringsafspraak
from afspraken.rechten import mag_lezen

from . import keuzes
from .basis import Besloten
from .inhoud import afspraakinhoud, afspraaktoetsing, afspraakverdeling
from .velden import CodeOfNull, FoutmeldingSerializer, JaarbedragSerializer

TAG = "Eigen uitvoeringsafspraken"
NIET_INGELOGD = OpenApiResponse(
    FoutmeldingSerializer, description="Niet ingelogd: log eerst in op de website (sessie)."
)
NIET_GEVONDEN = OpenApiResponse(
    FoutmeldingSerializer,
    description="Niet gevonden: deze afspraak bestaat niet, of u mag haar niet lezen (het antwoord is hetzelfde).",
)
PAD = [
    OpenApiParameter("regio", int, OpenApiParameter.PATH, description="Nummer van de doorstroompuntregio."),
    OpenApiParameter("versie", int, OpenApiParameter.PATH, description="Versie van de uitvoeringsafspraak (1, 2, …)."),
]


def leesbare_afspraken(gebruiker):
    """The agreements this user may read: the same rule as afspraken.rechten.mag_lezen, as one query."""
    afspraken = Uitvoeringsafspraak.objects.select_related("regio", "vorige_versie")
    if not gebruiker.is_authenticated or not gebruiker.is_active:
        return afspraken.none()
    if gebruiker.is_beheerder:
        return afspraken
    if gebruiker.rol in (Gebruiker.Rol.BELEIDSMAKER, Gebruiker.Rol.BESTUURDER) and gebruiker.organisatie_id:
        return afspraken.filter(partijen__organisatie_id=gebruiker.organisatie_id)
    return afspraken.none()


def afspraak_of_404(request, regio, versie):
    afspraak = (
        Uitvoeringsafspraak.objects.select_related("regio__contactgemeente", "vorige_versie")
        .filter(regio__nummer=regio, versie=versie)
        .first()
    )
    # The one rule of the web site decides; the list above mirrors it (tests/test_api.py compares both).
    if afspraak is None or not mag_lezen(request.user, afspraak):
        raise NotFound("Niet gevonden.")
    return afspraak


# --- serializers ---------------------------------------------------------------------------------


class AfspraakSerializer(serializers.Serializer):
    regio = serializers.IntegerField(source="regio.nummer", help_text="Nummer van de doorstroompuntregio.")
    regio_naam = serializers.CharField(source="regio.naam", help_text="Naam van de regio.")
    versie = serializers.IntegerField(help_text="Versie; met het regionummer de sleutel van de afspraak.")
    titel = serializers.CharField(help_text="Titel van de uitvoeringsafspraak.")
    status = serializers.ChoiceField(choices=keuzes.AFSPRAAKSTATUS, help_text="Status van deze versie.")
    status_tekst = serializers.CharField(source="get_status_display", help_text="De status in woorden.")
    looptijd_start = serializers.DateField(help_text="Begin van de looptijd.")
    looptijd_einde = serializers.DateField(help_text="Einde van de looptijd.")
    vorige_versie = serializers.IntegerField(
        source="vorige_versie.versie", allow_null=True, help_text="De versie die deze wijzigt; null voor de eerste."
    )
    aangemaakt_op = serializers.DateTimeField(help_text="Wanneer deze versie is begonnen.")
    bijgewerkt_op = serializers.DateTimeField(
        help_text="Wanneer de gegevens van deze versie het laatst zijn gewijzigd."
    )
    gereed_op = serializers.DateTimeField(allow_null=True, help_text="Wanneer de versie gereed is gemeld.")
    ter_ondertekening_op = serializers.DateTimeField(
        allow_null=True, help_text="Wanneer de versie is aangeboden ter ondertekening."
    )
    ondertekend_op = serializers.DateTimeField(allow_null=True, help_text="Wanneer de laatste partij heeft getekend.")


class PartijVerwijzingSerializer(serializers.Serializer):
    organisatie = serializers.CharField(help_text="Naam van de organisatie.")
    soort = serializers.ChoiceField(
        choices=keuzes.ORGANISATIESOORT, allow_null=True, help_text="Gemeente, mbo-instelling of partner."
    )
    cbs_code = CodeOfNull(help_text="CBS-code als de partij een gemeente is; anders null.")
    instelling = CodeOfNull(
        help_text="Sleutel van de instelling (zie mbo-instellingen) als de partij een mbo-instelling is."
    )
    instellingscode = CodeOfNull(help_text="DUO-instellingscode als de partij een mbo-instelling is en die bekend is.")


class PartijSerializer(PartijVerwijzingSerializer):
    rol = serializers.ChoiceField(choices=keuzes.PARTIJROL, help_text="Rol van de partij in de afspraak.")
    rol_tekst = serializers.CharField(help_text="De rol in woorden.")
    financieel_eindverantwoordelijk = serializers.BooleanField(
        help_text="Waar voor de ene partij die de financiële eindverantwoordelijkheid draagt."
    )
    toelichting = serializers.CharField(help_text="Waarom deze partij aan tafel zit.")
    ondertekenaar = serializers.CharField(
        help_text="Wie namens de partij tekent, met functie; leeg als nog niet gekozen."
    )
    besluit = serializers.ChoiceField(
        choices=keuzes.BESLUIT,
        allow_null=True,
        help_text="Besluit over deze versie: getekend of afgewezen; null als er nog geen is.",
    )
    besluit_op = serializers.DateTimeField(allow_null=True, help_text="Wanneer het besluit is genomen.")


class AntwoordSerializer(serializers.Serializer):
    veld = serializers.CharField(allow_null=True, help_text="Naam van het veld; null voor een afgeleide regel.")
    vraag = serializers.CharField(help_text="De vraag of het veld zoals de pagina het noemt.")
    antwoord = serializers.CharField(
        help_text="Het antwoord als tekst, zoals het document het toont; leeg als niet ingevuld."
    )

    def to_representation(self, instance):
        # Hundreds per agreement, and api.inhoud._antwoord already made them strings (veld: str or None): the
        # same dict as DRF's walk over the three fields gives, at a fraction of the cost.
        return {"veld": instance["veld"], "vraag": instance["vraag"], "antwoord": instance["antwoord"]}


class RijSerializer(serializers.Serializer):
    antwoorden = AntwoordSerializer(many=True, help_text="De velden van deze rij.")


class SectieSerializer(serializers.Serializer):
    sleutel = serializers.CharField(
        help_text="Vaste sleutel van de sectie, bijvoorbeeld verkennen-bestuurlijk-overleg."
    )
    titel = serializers.CharField(help_text="Titel van de sectie.")
    soort = serializers.ChoiceField(
        choices=keuzes.SECTIESOORT,
        help_text="tekst: vragen met antwoorden; rijen: een lijst rijen (acties, aanbod, …).",
    )
    bijgewerkt_op = serializers.DateTimeField(allow_null=True, help_text="Wanneer de sectie het laatst is opgeslagen.")
    antwoorden = AntwoordSerializer(many=True, help_text="Bij soort tekst: de vragen met hun antwoord; anders leeg.")
    rijen = RijSerializer(many=True, help_text="Bij soort rijen: de rijen; anders leeg.")


class FaseSerializer(serializers.Serializer):
    nummer = serializers.ChoiceField(choices=keuzes.FASE, help_text="Nummer van de fase (stap 1 tot en met 4).")
    naam = serializers.CharField(help_text="Naam van de fase.")
    secties = SectieSerializer(many=True, help_text="De secties van deze fase, in de volgorde van de pagina.")


class IndicatorSerializer(serializers.Serializer):
    naam = serializers.CharField(help_text="Naam van de indicator.")
    eenheid = serializers.CharField(help_text="Eenheid, bijvoorbeeld % of aantal studenten.")
    nulmeting = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="Waarde vooraf.")
    streefwaarde = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Beoogde waarde."
    )
    meetmoment = serializers.DateField(allow_null=True, help_text="Eerste meetmoment.")
    meetfrequentie = serializers.ChoiceField(
        choices=keuzes.FREQUENTIE, allow_null=True, help_text="Hoe vaak er gemeten wordt."
    )
    bron = serializers.CharField(help_text="Waar de meting vandaan komt.")


class ResultaatSerializer(serializers.Serializer):
    omschrijving = serializers.CharField(help_text="Het beoogde resultaat.")
    indicatoren = IndicatorSerializer(many=True, help_text="Indicatoren die dit resultaat meten.")


class AmbitieSerializer(serializers.Serializer):
    omschrijving = serializers.CharField(help_text="De ambitie.")
    toelichting = serializers.CharField(help_text="Toelichting; kan leeg zijn.")
    resultaten = ResultaatSerializer(many=True, help_text="Resultaten van deze ambitie.")
    indicatoren_zonder_resultaat = IndicatorSerializer(
        many=True, help_text="Indicatoren van de ambitie zonder resultaat."
    )


class ActieSerializer(serializers.Serializer):
    fase = serializers.ChoiceField(choices=keuzes.FASE, help_text="Fase waarin de actie is opgenomen.")
    fase_naam = serializers.CharField(help_text="Naam van die fase.")
    omschrijving = serializers.CharField(help_text="Wat er moet gebeuren.")
    eigenaar = PartijVerwijzingSerializer(allow_null=True, help_text="De partij die de actie uitvoert.")
    deadline = serializers.DateField(allow_null=True, help_text="Uiterste datum.")
    status = serializers.ChoiceField(choices=keuzes.ACTIESTATUS, help_text="Open, bezig of afgerond.")


class RapportageSerializer(serializers.Serializer):
    onderwerp = serializers.CharField(help_text="Waarover gerapporteerd wordt.")
    van = PartijVerwijzingSerializer(allow_null=True, help_text="De partij die rapporteert.")
    aan = serializers.CharField(help_text="Aan wie, bijvoorbeeld het bestuurlijk overleg van de regio.")
    frequentie = serializers.ChoiceField(choices=keuzes.FREQUENTIE, allow_null=True, help_text="Hoe vaak.")
    eerste_datum = serializers.DateField(allow_null=True, help_text="De eerste keer.")


class AfspraakInhoudSerializer(serializers.Serializer):
    afspraak = AfspraakSerializer(help_text="De gegevens van deze versie.")
    partijen = PartijSerializer(many=True, help_text="De partijen, op rol en naam.")
    fasen = FaseSerializer(many=True, help_text="De vier fasen met de antwoorden per sectie, als tekst.")
    ambities = AmbitieSerializer(many=True, help_text="Ambities met resultaten en indicatoren, gestructureerd.")
    acties = ActieSerializer(many=True, help_text="Alle acties uit de vier fasen, gestructureerd.")
    rapportages = RapportageSerializer(many=True, help_text="Wie rapporteert wat aan wie (monitoring), gestructureerd.")


class RedenSerializer(serializers.Serializer):
    oordeel = serializers.ChoiceField(choices=keuzes.OORDEEL, help_text="Uitkomst van deze controle.")
    reden = serializers.CharField(help_text="Waarom, in het Nederlands.")
    sectie = serializers.CharField(allow_null=True, help_text="Sleutel van de sectie waar het te verbeteren is.")
    sectie_titel = serializers.CharField(allow_null=True, help_text="Titel van die sectie.")


class BasisafspraakOordeelSerializer(serializers.Serializer):
    nummer = serializers.IntegerField(help_text="Nummer van de basisafspraak, 1 tot en met 12.")
    tekst = serializers.CharField(help_text="De tekst van de basisafspraak (VNG en MBO Raad, februari 2026).")
    oordeel = serializers.ChoiceField(choices=keuzes.OORDEEL, help_text="Het slechtste oordeel van de controles.")
    oordeel_tekst = serializers.CharField(help_text="Het oordeel in woorden.")
    toelichting = serializers.CharField(allow_null=True, help_text="Schriftelijke toelichting op een aandachtspunt.")
    redenen = RedenSerializer(many=True, help_text="De controles, de ernstigste eerst.")


class SamenvattingSerializer(serializers.Serializer):
    voldaan = serializers.IntegerField(help_text="Aantal basisafspraken voldaan.")
    aandachtspunt = serializers.IntegerField(help_text="Aantal aandachtspunten.")
    niet_voldaan = serializers.IntegerField(help_text="Aantal niet voldaan.")


class ToetsingSerializer(serializers.Serializer):
    afspraak = AfspraakSerializer(help_text="De getoetste versie.")
    samenvatting = SamenvattingSerializer(help_text="Aantal basisafspraken per oordeel.")
    gereed_mogelijk = serializers.BooleanField(
        help_text="Waar als de afspraak gereed voor ondertekening kan worden gemeld: niets niet voldaan en elk "
        "aandachtspunt toegelicht."
    )
    bezwaren = serializers.ListField(child=serializers.CharField(), help_text="Wat gereed melden nog tegenhoudt.")
    basisafspraken = BasisafspraakOordeelSerializer(
        many=True, help_text="Het oordeel per basisafspraak, 1 tot en met 12."
    )


class KostenpostSerializer(serializers.Serializer):
    omschrijving = serializers.CharField(help_text="Omschrijving van de kostenpost.")
    verdelen = serializers.BooleanField(
        help_text="Waar als de post met de verdeelsleutel over de partijen wordt verdeeld."
    )
    bedragen = JaarbedragSerializer(many=True, help_text="Bedrag per jaar; een jaar zonder ingevuld bedrag ontbreekt.")
    totaal_centen = serializers.IntegerField(help_text="Totaal over de looptijd, in centen.")


class KostencategorieSerializer(serializers.Serializer):
    categorie = serializers.ChoiceField(choices=keuzes.KOSTENCATEGORIE, help_text="Categorie van kosten.")
    naam = serializers.CharField(help_text="Naam van de categorie.")
    posten = KostenpostSerializer(many=True, help_text="Kostenposten in deze categorie.")
    totaal = JaarbedragSerializer(many=True, help_text="Totaal per jaar van de looptijd.")
    totaal_centen = serializers.IntegerField(help_text="Totaal over de looptijd, in centen.")


class KostenSerializer(serializers.Serializer):
    categorieen = KostencategorieSerializer(many=True, help_text="Categorieën met ten minste één post.")
    totaal = JaarbedragSerializer(many=True, help_text="Alle kosten per jaar.")
    totaal_centen = serializers.IntegerField(help_text="Alle kosten over de looptijd, in centen.")
    te_verdelen = JaarbedragSerializer(
        many=True, help_text="Per jaar de kosten die met de verdeelsleutel worden verdeeld."
    )
    meldingen = serializers.ListField(child=serializers.CharField(), help_text="Opmerkingen over de kosten.")


class GeldstroomSerializer(serializers.Serializer):
    bron = serializers.ChoiceField(choices=keuzes.GELDBRON, help_text="Uit welk budget.")
    bron_tekst = serializers.CharField(help_text="De bron in woorden.")
    omschrijving = serializers.CharField(help_text="Omschrijving; kan leeg zijn.")
    van = PartijVerwijzingSerializer(allow_null=True, help_text="De partij van wie het geld komt.")
    duur = serializers.ChoiceField(choices=keuzes.GELDDUUR, help_text="Structureel of tijdelijk.")
    karakter = serializers.ChoiceField(choices=keuzes.GELDKARAKTER, help_text="Bestaand of aanvullend.")
    bedrag_per_jaar_centen = serializers.IntegerField(
        allow_null=True, help_text="Bedrag per jaar in centen; null als onbekend."
    )


class GroeplidSerializer(serializers.Serializer):
    partij = PartijVerwijzingSerializer(help_text="De partij.")
    gewicht = serializers.CharField(
        help_text="Het gewicht als exacte breuk, bijvoorbeeld 23456 (inwoners) of 5/2 (een onderdrukt aantal "
        "telt als 2,5)."
    )
    aandeel_in_groep = serializers.CharField(
        help_text="Het aandeel binnen de groep als exacte breuk, bijvoorbeeld 1/3."
    )
    schatting = serializers.BooleanField(help_text="Waar als het gewicht onderdrukte studentaantallen bevat.")
    toelichting = serializers.CharField(help_text="Het gewicht in woorden, met de bron.")
    bedragen = JaarbedragSerializer(many=True, help_text="Het deel van deze partij per jaar.")
    totaal_centen = serializers.IntegerField(help_text="Het deel over de looptijd, in centen.")


class VerdeelgroepSerializer(serializers.Serializer):
    naam = serializers.CharField(help_text="Naam van de groep.")
    methode = serializers.ChoiceField(choices=keuzes.VERDEELMETHODE, help_text="Hoe de groep binnen zich verdeelt.")
    methode_tekst = serializers.CharField(help_text="De methode in woorden.")
    aandeel = serializers.CharField(
        allow_null=True, help_text="Vast aandeel van de groep als exacte breuk; null bij een bedrag per student."
    )
    aandeel_procent = serializers.FloatField(
        allow_null=True, help_text="Dat aandeel in procenten (afgerond op 4 decimalen)."
    )
    bedrag_per_student_centen = serializers.IntegerField(
        allow_null=True, help_text="Bij methode per_student: centen per student per jaar."
    )
    peiljaar = serializers.IntegerField(allow_null=True, help_text="Peiljaar van de inwoners- of studentaantallen.")
    leden = GroeplidSerializer(many=True, help_text="De partijen in de groep met hun deel.")
    totaal = JaarbedragSerializer(many=True, help_text="Het deel van de groep per jaar.")
    totaal_centen = serializers.IntegerField(help_text="Het deel van de groep over de looptijd, in centen.")


class PartijdeelSerializer(serializers.Serializer):
    partij = PartijVerwijzingSerializer(help_text="De partij.")
    bedragen = JaarbedragSerializer(many=True, help_text="Wat de partij per jaar betaalt, over alle groepen.")
    totaal_centen = serializers.IntegerField(help_text="Wat de partij over de looptijd betaalt, in centen.")


class VerdelingSerializer(serializers.Serializer):
    berekend = serializers.BooleanField(
        help_text="Waar als de verdeling kon worden berekend; anders staan de redenen in fouten."
    )
    geen_verdeelsleutel = serializers.BooleanField(help_text="Waar als er nog geen verdeelsleutel is.")
    geen_kosten = serializers.BooleanField(help_text="Waar als er geen te verdelen kosten zijn.")
    fouten = serializers.ListField(
        child=serializers.CharField(), help_text="Waarom de verdeling niet kan worden berekend."
    )
    meldingen = serializers.ListField(child=serializers.CharField(), help_text="Waarschuwingen bij de verdeling.")
    bronnen = serializers.ListField(
        child=serializers.CharField(), help_text="Waar de gewichten vandaan komen, met hun status."
    )
    is_schatting = serializers.BooleanField(
        help_text="Waar als gewichten onderdrukte studentaantallen bevatten (elk als 2,5)."
    )
    onderdrukte_delen = serializers.IntegerField(help_text="Hoeveel onderdrukte aantallen in de gewichten zitten.")
    groepen = VerdeelgroepSerializer(many=True, help_text="De groepen van de verdeelsleutel met hun leden.")
    partijen = PartijdeelSerializer(many=True, help_text="Per partij het totaal over alle groepen, op naam.")
    te_verdelen = JaarbedragSerializer(many=True, help_text="De te verdelen kosten per jaar.")
    totaal = JaarbedragSerializer(
        many=True,
        help_text="De som van alle delen per jaar (tot op de cent gelijk aan te_verdelen bij vaste aandelen).",
    )
    ongedekt = JaarbedragSerializer(
        many=True, help_text="Kosten per jaar die niemand betaalt; negatief als de bijdragen hoger zijn."
    )
    totaal_centen = serializers.IntegerField(
        allow_null=True, help_text="De som van alle delen over de looptijd; null zonder verdeling."
    )


class FinancieringSerializer(serializers.Serializer):
    afspraak = AfspraakSerializer(help_text="De versie waarover het gaat.")
    jaren = serializers.ListField(child=serializers.IntegerField(), help_text="De kalenderjaren van de looptijd.")
    kosten = KostenSerializer(help_text="De kostenposten per categorie en jaar.")
    geldstromen = GeldstroomSerializer(many=True, help_text="Uit welke budgetten wordt betaald.")
    bekostigingssystematiek = serializers.CharField(help_text="Hoe het aanbod wordt betaald; leeg als niet gekozen.")
    bekostigingssystematiek_toelichting = serializers.CharField(help_text="Toelichting daarop.")
    verdeling = VerdelingSerializer(help_text="Wie welk deel betaalt, tot op de cent.")


# --- views ---------------------------------------------------------------------------------------


class AfspraakFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=keuzes.AFSPRAAKSTATUS, label="Alleen versies met deze status.")
    regio = django_filters.NumberFilter(
        field_name="regio__nummer", label="Alleen deze doorstroompuntregio (haar nummer)."
    )

    class Meta:
        model = Uitvoeringsafspraak
        fields = ["status", "regio"]


@extend_schema(
    tags=[TAG],
    summary="Uitvoeringsafspraken die u mag lezen",
    description="Alle versies van de uitvoeringsafspraken waarbij uw organisatie partij is (beleidsmakers en "
    "bestuurders), of alle (beheerders), op regio en versie. Vereist een ingelogde sessie.",
    responses={
        200: OpenApiResponse(AfspraakSerializer(many=True), description="Een pagina met afspraken."),
        400: OpenApiResponse(description="Ongeldige filterwaarde."),
        403: NIET_INGELOGD,
    },
)
class AfspraakLijst(Besloten, generics.ListAPIView):
    serializer_class = AfspraakSerializer
    filterset_class = AfspraakFilter

    def get_queryset(self):
        return leesbare_afspraken(self.request.user).order_by("regio__nummer", "versie")


class AfspraakDeel(Besloten, generics.GenericAPIView):
    pagination_class = None
    filter_backends = []
    maak = None  # staticmethod(afspraak) -> the data serializer_class renders

    def get(self, request, regio, versie):
        afspraak = afspraak_of_404(request, regio, versie)
        return Response(self.get_serializer(self.maak(afspraak)).data)


@extend_schema(
    tags=[TAG],
    summary="Inhoud van een uitvoeringsafspraak",
    description="De gegevens, de partijen en de antwoorden per fase en sectie, zoals het document ze toont, met "
    "daarnaast de ambities, acties en rapportages gestructureerd.",
    parameters=PAD,
    responses={
        200: OpenApiResponse(AfspraakInhoudSerializer, description="De inhoud van de afspraak."),
        403: NIET_INGELOGD,
        404: NIET_GEVONDEN,
    },
)
class AfspraakDetail(AfspraakDeel):
    serializer_class = AfspraakInhoudSerializer
    maak = staticmethod(afspraakinhoud)


@extend_schema(
    tags=[TAG],
    summary="Toetsing aan de basisafspraken",
    description="Per basisafspraak het oordeel (voldaan, aandachtspunt, niet voldaan) met de redenen en de sectie "
    "waar het te verbeteren is, en of de afspraak gereed voor ondertekening kan worden gemeld.",
    parameters=PAD,
    responses={
        200: OpenApiResponse(ToetsingSerializer, description="De toetsing."),
        403: NIET_INGELOGD,
        404: NIET_GEVONDEN,
    },
)
class AfspraakToetsing(AfspraakDeel):
    serializer_class = ToetsingSerializer
    maak = staticmethod(afspraaktoetsing)


@extend_schema(
    tags=[TAG],
    summary="Financiering en verdeling",
    description="De kostenposten, geldstromen en bekostigingssystematiek, en de verdeling: per groep van de "
    "verdeelsleutel en per partij het bedrag per jaar, in hele centen, zo dat de delen precies optellen tot het "
    "totaal.",
    parameters=PAD,
    responses={
        200: OpenApiResponse(FinancieringSerializer, description="De financiering en verdeling."),
        403: NIET_INGELOGD,
        404: NIET_GEVONDEN,
    },
)
class AfspraakVerdeling(AfspraakDeel):
    serializer_class = FinancieringSerializer
    maak = staticmethod(afspraakverdeling)
