"""Public endpoints: regions, gemeenten, instellingen, student counts, the status per region and the monitor.

Identifiers are the domain's own: a region's nummer, a gemeente's CBS code, an instelling's DUO
instellingscode (its number only while that code is not known). Student figures are counts, never about
a person; a suppressed count (1 to 4) is exposed as such, with the range it implies, never as 0.
"""

from collections import defaultdict

import django_filters
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from monitor.stand import openbare_stand
from regio import cijfers
from regio.aantallen import Aantal
from regio.models import (
    Doorstroompuntregio,
    Gemeente,
    InstellingInRegio,
    Inwonertal,
    MboInstelling,
    StudentenPerInstelling,
)

from . import keuzes
from .basis import Openbaar
from .velden import (
    AantalSerializer,
    CodeOfNull,
    FoutmeldingSerializer,
    GemeenteVerwijzingSerializer,
    InstellingVerwijzingSerializer,
    instellingsleutel,
    is_nummer,
)

NIET_GEVONDEN = OpenApiResponse(FoutmeldingSerializer, description="Niet gevonden: er is niets met deze sleutel.")
ONGELDIG = OpenApiResponse(description="Ongeldige filterwaarde; het antwoord noemt per parameter wat er mis is.")


def _regiofilter(**kwargs):
    return django_filters.NumberFilter(label="Alleen in deze doorstroompuntregio (haar nummer).", **kwargs)


# --- regions -------------------------------------------------------------------------------------


class RegioSerializer(serializers.Serializer):
    nummer = serializers.IntegerField(
        help_text="Nummer van de doorstroompuntregio (de vroegere RMC-regio), 1 tot en met 40."
    )
    code_duo = serializers.CharField(help_text="Het nummer zoals DUO het schrijft: twee cijfers, bijvoorbeeld 04.")
    naam = serializers.CharField(help_text="Naam van de regio.")
    korte_naam = serializers.CharField(help_text="Naam zoals in de tabel van 2024; kan leeg zijn.")
    contactgemeente = GemeenteVerwijzingSerializer(
        allow_null=True, help_text="De contactgemeente van de regio; null als die niet bekend is."
    )
    aantal_gemeenten = serializers.IntegerField(help_text="Hoeveel gemeenten in de regio liggen.")
    aantal_instellingen = serializers.IntegerField(help_text="Hoeveel mbo-instellingen in de regio aanwezig zijn.")


class RegioDetailSerializer(RegioSerializer):
    gemeenten = GemeenteVerwijzingSerializer(many=True, help_text="De gemeenten in de regio, op CBS-code.")
    instellingen = serializers.SerializerMethodField(
        help_text="De mbo-instellingen die in de regio aanwezig zijn, op naam. Een instelling kan in meer regio's "
        "aanwezig zijn."
    )

    @extend_schema_field(InstellingVerwijzingSerializer(many=True))
    def get_instellingen(self, regio):
        return InstellingVerwijzingSerializer([a.instelling for a in regio.aanwezigheden.all()], many=True).data


def _regios():
    return (
        Doorstroompuntregio.objects.select_related("contactgemeente")
        .annotate(
            aantal_gemeenten=Count("gemeenten", distinct=True),
            aantal_instellingen=Count("aanwezigheden", distinct=True),
        )
        .order_by("nummer")
    )


@extend_schema(
    tags=["Regio's"],
    summary="Alle doorstroompuntregio's",
    description="De 40 doorstroompuntregio's op nummer, met hun contactgemeente en hoeveel gemeenten en "
    "mbo-instellingen erin liggen.",
    responses={200: OpenApiResponse(RegioSerializer(many=True), description="Een pagina met regio's.")},
)
class RegioLijst(Openbaar, generics.ListAPIView):
    serializer_class = RegioSerializer
    filter_backends = []

    def get_queryset(self):
        return _regios()


@extend_schema(
    tags=["Regio's"],
    summary="Eén doorstroompuntregio",
    description="Een regio met haar gemeenten en de mbo-instellingen die er aanwezig zijn.",
    parameters=[
        OpenApiParameter("nummer", int, OpenApiParameter.PATH, description="Nummer van de regio, bijvoorbeeld 4.")
    ],
    responses={200: OpenApiResponse(RegioDetailSerializer, description="De regio."), 404: NIET_GEVONDEN},
)
class RegioDetail(Openbaar, generics.RetrieveAPIView):
    serializer_class = RegioDetailSerializer
    lookup_field = "nummer"

    def get_queryset(self):
        return _regios().prefetch_related(
            Prefetch("gemeenten", queryset=Gemeente.objects.order_by("code")),
            Prefetch(
                "aanwezigheden",
                queryset=InstellingInRegio.objects.select_related("instelling").order_by(
                    "instelling__naam", "instelling_id"
                ),
            ),
        )


# --- gemeenten -----------------------------------------------------------------------------------


class GemeenteSerializer(serializers.Serializer):
    cbs_code = serializers.CharField(source="code", help_text="CBS-gemeentecode, bijvoorbeeld GM0014.")
    naam = serializers.CharField(help_text="Naam van de gemeente.")
    actief = serializers.BooleanField(help_text="Onwaar voor een gemeente die door een herindeling niet meer bestaat.")
    regio = serializers.IntegerField(
        source="regio.nummer", allow_null=True, help_text="Nummer van de doorstroompuntregio waarin de gemeente ligt."
    )
    is_contactgemeente = serializers.BooleanField(
        help_text="Waar als deze gemeente de contactgemeente van een regio is."
    )
    inwoners = serializers.IntegerField(
        allow_null=True, help_text="Aantal inwoners volgens CBS in het laatst geladen peiljaar; null als onbekend."
    )
    inwoners_peiljaar = serializers.IntegerField(allow_null=True, help_text="Het peiljaar van het aantal inwoners.")


class GemeenteFilter(django_filters.FilterSet):
    regio = _regiofilter(field_name="regio__nummer")
    actief = django_filters.BooleanFilter(label="Alleen bestaande (true) of opgeheven (false) gemeenten.")

    class Meta:
        model = Gemeente
        fields = ["regio", "actief"]


def _gemeenten():
    laatste = Inwonertal.objects.filter(gemeente=OuterRef("pk")).order_by("-peiljaar")
    return (
        Gemeente.objects.select_related("regio")
        .annotate(
            inwoners=Subquery(laatste.values("aantal")[:1]),
            inwoners_peiljaar=Subquery(laatste.values("peiljaar")[:1]),
            is_contactgemeente=Exists(Doorstroompuntregio.objects.filter(contactgemeente=OuterRef("pk"))),
        )
        .order_by("code")
    )


@extend_schema(
    tags=["Gemeenten"],
    summary="Alle gemeenten",
    description="De gemeenten op CBS-code, met hun regio en het aantal inwoners in het laatste peiljaar.",
    responses={
        200: OpenApiResponse(GemeenteSerializer(many=True), description="Een pagina met gemeenten."),
        400: ONGELDIG,
    },
)
class GemeenteLijst(Openbaar, generics.ListAPIView):
    serializer_class = GemeenteSerializer
    filterset_class = GemeenteFilter

    def get_queryset(self):
        return _gemeenten()


@extend_schema(
    tags=["Gemeenten"],
    summary="Eén gemeente",
    description="Een gemeente op haar CBS-code (hoofdletters of kleine letters).",
    parameters=[
        OpenApiParameter("cbs_code", str, OpenApiParameter.PATH, description="CBS-gemeentecode, bijvoorbeeld GM0014.")
    ],
    responses={200: OpenApiResponse(GemeenteSerializer, description="De gemeente."), 404: NIET_GEVONDEN},
)
class GemeenteDetail(Openbaar, generics.RetrieveAPIView):
    serializer_class = GemeenteSerializer

    def get_object(self):
        gemeente = _gemeenten().filter(code=self.kwargs["cbs_code"].upper()).first()
        if gemeente is None:
            raise Http404
        return gemeente


# --- instellingen --------------------------------------------------------------------------------


class InstellingSerializer(InstellingVerwijzingSerializer):
    plaatsnaam = serializers.CharField(help_text="Plaats van vestiging; kan leeg zijn.")
    vestigingsgemeente = CodeOfNull(
        source="vestigingsgemeente.code", help_text="CBS-code van de vestigingsgemeente; null als onbekend."
    )
    regios = serializers.SerializerMethodField(
        help_text="Nummers van de doorstroompuntregio's waarin de instelling aanwezig is."
    )

    def get_regios(self, instelling) -> list[int]:
        return [a.regio.nummer for a in instelling.aanwezigheden.all()]


class InstellingFilter(django_filters.FilterSet):
    regio = _regiofilter(field_name="aanwezigheden__regio__nummer")
    vestigingsgemeente = django_filters.CharFilter(
        field_name="vestigingsgemeente__code",
        lookup_expr="iexact",
        label="Alleen met deze vestigingsgemeente (CBS-code).",
    )

    class Meta:
        model = MboInstelling
        fields = ["regio", "vestigingsgemeente"]


def _instellingen():
    return (
        MboInstelling.objects.select_related("vestigingsgemeente")
        .prefetch_related(
            Prefetch(
                "aanwezigheden", queryset=InstellingInRegio.objects.select_related("regio").order_by("regio__nummer")
            )
        )
        .order_by("naam", "pk")
    )


def instelling_met_sleutel(queryset, sleutel):
    """The DUO instellingscode, or the number of an instelling (kept valid after its code becomes known)."""
    voorwaarde = Q(instellingscode__iexact=sleutel)
    if is_nummer(sleutel):
        voorwaarde |= Q(pk=int(sleutel))
    return queryset.filter(voorwaarde)


@extend_schema(
    tags=["Mbo-instellingen"],
    summary="Alle mbo-instellingen",
    description="De mbo-instellingen op naam, met hun DUO-instellingscode, vestigingsgemeente en de regio's waarin "
    "ze aanwezig zijn.",
    responses={
        200: OpenApiResponse(InstellingSerializer(many=True), description="Een pagina met instellingen."),
        400: ONGELDIG,
    },
)
class InstellingLijst(Openbaar, generics.ListAPIView):
    serializer_class = InstellingSerializer
    filterset_class = InstellingFilter

    def get_queryset(self):
        return _instellingen()


@extend_schema(
    tags=["Mbo-instellingen"],
    summary="Eén mbo-instelling",
    description="Een instelling op haar sleutel: de DUO-instellingscode (bijvoorbeeld 25LX), of het nummer zolang "
    "die code niet bekend is.",
    parameters=[
        OpenApiParameter(
            "sleutel",
            str,
            OpenApiParameter.PATH,
            description="DUO-instellingscode, of het nummer uit het veld sleutel.",
        )
    ],
    responses={200: OpenApiResponse(InstellingSerializer, description="De instelling."), 404: NIET_GEVONDEN},
)
class InstellingDetail(Openbaar, generics.RetrieveAPIView):
    serializer_class = InstellingSerializer

    def get_object(self):
        instelling = instelling_met_sleutel(_instellingen(), self.kwargs["sleutel"]).first()
        if instelling is None:
            raise Http404
        return instelling


# --- student counts ------------------------------------------------------------------------------


class StudentenInstellingSerializer(serializers.Serializer):
    instelling = serializers.SerializerMethodField(help_text="Sleutel van de instelling (zie mbo-instellingen).")
    instellingscode = CodeOfNull(
        source="instelling.instellingscode", help_text="DUO-instellingscode; null als onbekend."
    )
    instelling_naam = serializers.CharField(source="instelling.naam", help_text="Naam van de instelling.")
    peiljaar = serializers.IntegerField(help_text="Het jaar waarover de telling gaat.")
    leerweg = serializers.ChoiceField(
        choices=keuzes.LEERWEG, help_text="Leerweg; TOTAAL is het totaal dat de bron zelf gaf."
    )
    aantal = serializers.SerializerMethodField(help_text="Het aantal studenten, met eventuele onderdrukte delen.")
    bronstatus = serializers.ChoiceField(
        source="dataset.status",
        choices=keuzes.BRONSTATUS,
        help_text="Hoe betrouwbaar de bron is: officieel, gereconstrueerd of synthetisch (demo-gegevens).",
    )

    def get_instelling(self, rij) -> str:
        return instellingsleutel(rij.instelling)

    @extend_schema_field(AantalSerializer)
    def get_aantal(self, rij):
        return AantalSerializer(Aantal(rij.aantal, rij.onderdrukt)).data


class StudentenInstellingFilter(django_filters.FilterSet):
    peiljaar = django_filters.NumberFilter(label="Alleen dit peiljaar, bijvoorbeeld 2024.")
    instelling = django_filters.CharFilter(method="filter_instelling", label="Alleen deze instelling (haar sleutel).")
    leerweg = django_filters.ChoiceFilter(choices=keuzes.LEERWEG, label="Alleen deze leerweg.")
    regio = _regiofilter(field_name="instelling__aanwezigheden__regio__nummer")

    class Meta:
        model = StudentenPerInstelling
        fields = ["peiljaar", "instelling", "leerweg", "regio"]

    def filter_instelling(self, queryset, naam, waarde):
        return queryset.filter(instelling__in=instelling_met_sleutel(MboInstelling.objects.all(), waarde))


@extend_schema(
    tags=["Studentaantallen"],
    summary="Studenten per instelling, peiljaar en leerweg",
    description="Tellingen zoals de bron ze gaf, per instelling, peiljaar en leerweg. Gaf de bron alleen een "
    "totaal, dan is er één rij met leerweg TOTAAL. Een onderdrukt aantal (1 tot en met 4) staat als "
    "onderdrukt deel, nooit als 0. Alleen aantallen, niets over personen.",
    responses={
        200: OpenApiResponse(StudentenInstellingSerializer(many=True), description="Een pagina met tellingen."),
        400: ONGELDIG,
    },
)
class StudentenPerInstellingLijst(Openbaar, generics.ListAPIView):
    serializer_class = StudentenInstellingSerializer
    filterset_class = StudentenInstellingFilter

    def get_queryset(self):
        return StudentenPerInstelling.objects.select_related("instelling", "dataset").order_by(
            "-peiljaar", "instelling__naam", "instelling_id", "leerweg"
        )


class StudentenRegioSerializer(serializers.Serializer):
    regio = serializers.IntegerField(help_text="Nummer van de doorstroompuntregio.")
    regio_naam = serializers.CharField(help_text="Naam van de regio.")
    peiljaar = serializers.IntegerField(help_text="Het jaar waarover de telling gaat.")
    aantal = AantalSerializer(
        allow_null=True,
        help_text="Studenten van de instellingen die in de regio aanwezig zijn: per instelling het totaal van de "
        "bron, anders de som van haar leerwegen. Null als geen van die instellingen cijfers heeft voor dit jaar.",
    )
    aantal_instellingen = serializers.IntegerField(help_text="Hoeveel instellingen in de regio aanwezig zijn.")
    instellingen_met_cijfers = serializers.IntegerField(
        help_text="Van hoeveel daarvan er cijfers zijn voor dit peiljaar; de rest telt niet mee."
    )


class RegiofilterParameters(serializers.Serializer):
    peiljaar = serializers.IntegerField(required=False, help_text="Alleen dit peiljaar.")
    regio = serializers.IntegerField(required=False, help_text="Alleen deze doorstroompuntregio (haar nummer).")


def _per_instelling_en_jaar(peiljaar=None):
    """{(instelling_id, peiljaar): Aantal}, by the rule of regio/cijfers.py: the source's TOTAAL row, else the sum
    of the leerwegen (never both). One query."""
    rijen = StudentenPerInstelling.objects.values("instelling_id", "peiljaar", "leerweg", "aantal", "onderdrukt")
    if peiljaar is not None:
        rijen = rijen.filter(peiljaar=peiljaar)
    per_sleutel = defaultdict(list)
    for rij in rijen:
        per_sleutel[(rij["instelling_id"], rij["peiljaar"])].append(rij)
    # The rule every page counts with; regio.cijfers keeps it private for now (see docs/API.md).
    return {sleutel: cijfers.totaal_uit_leerwegen(groep) for sleutel, groep in per_sleutel.items()}


def studenten_per_regio(peiljaar=None, regionummer=None):
    """Per peiljaar (newest first) and region: the students of the instellingen present there. Three queries.

    An instelling in several regions counts fully in each, as on the region pages."""
    totalen = _per_instelling_en_jaar(peiljaar)
    instellingen_van = defaultdict(list)
    for regio_id, instelling_id in InstellingInRegio.objects.values_list("regio_id", "instelling_id"):
        instellingen_van[regio_id].append(instelling_id)
    regios = Doorstroompuntregio.objects.order_by("nummer")
    if regionummer is not None:
        regios = regios.filter(nummer=regionummer)
    regios = list(regios.values_list("pk", "nummer", "naam"))
    jaren = sorted({jaar for _, jaar in totalen}, reverse=True)
    uitkomst = []
    for jaar in jaren:
        for pk, nummer, naam in regios:
            ids = instellingen_van[pk]
            met_cijfers = [totalen[(i, jaar)] for i in ids if (i, jaar) in totalen]
            uitkomst.append(
                {
                    "regio": nummer,
                    "regio_naam": naam,
                    "peiljaar": jaar,
                    "aantal": sum(met_cijfers, Aantal()) if met_cijfers else None,
                    "aantal_instellingen": len(ids),
                    "instellingen_met_cijfers": len(met_cijfers),
                }
            )
    return uitkomst


def _queryparameters(serializer_klasse, request):
    parameters = serializer_klasse(data=request.query_params)
    parameters.is_valid(raise_exception=True)
    return parameters.validated_data


@extend_schema(
    tags=["Studentaantallen"],
    summary="Studenten per regio en peiljaar",
    description="Per peiljaar (nieuwste eerst) en regio het aantal studenten van de mbo-instellingen die in de regio "
    "aanwezig zijn. Een instelling die in meer regio's aanwezig is, telt in elk van die regio's volledig mee; "
    "tel de regio's dus niet op voor een landelijk totaal. Sommen met onderdrukte delen zijn een bereik.",
    parameters=[RegiofilterParameters],
    responses={
        200: OpenApiResponse(StudentenRegioSerializer(many=True), description="Een pagina met tellingen per regio."),
        400: ONGELDIG,
    },
)
class StudentenPerRegioLijst(Openbaar, generics.ListAPIView):
    serializer_class = StudentenRegioSerializer
    filter_backends = []

    def get_queryset(self):
        filters = _queryparameters(RegiofilterParameters, self.request)
        return studenten_per_regio(filters.get("peiljaar"), filters.get("regio"))


# --- status per region and the national monitor --------------------------------------------------


# Only what the public view of monitor.stand holds: nothing of a draft.
class RegiostandSerializer(serializers.Serializer):
    regio = serializers.IntegerField(source="regio.nummer", help_text="Nummer van de doorstroompuntregio.")
    regio_naam = serializers.CharField(source="regio.naam", help_text="Naam van de regio.")
    status = serializers.ChoiceField(choices=keuzes.REGIOSTATUS, help_text="Waar de regio staat.")
    status_tekst = serializers.CharField(help_text="De status in woorden.")
    ondertekend_op = serializers.DateField(
        allow_null=True, help_text="Datum waarop de geldende uitvoeringsafspraak is ondertekend; null als er geen is."
    )
    handtekeningen = serializers.SerializerMethodField(
        help_text="Bij status ter_ondertekening: hoeveel partijen al hebben getekend; anders null."
    )
    partijen = serializers.SerializerMethodField(
        help_text="Bij status ter_ondertekening: hoeveel partijen moeten tekenen; anders null."
    )

    def _ter_ondertekening(self, stand):
        return stand.status == "ter_ondertekening"

    def get_handtekeningen(self, stand) -> int | None:
        return stand.handtekeningen if self._ter_ondertekening(stand) else None

    def get_partijen(self, stand) -> int | None:
        return stand.partijen if self._ter_ondertekening(stand) else None


class StatusParameters(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=keuzes.REGIOSTATUS, required=False, help_text="Alleen regio's met deze status."
    )
    regio = serializers.IntegerField(required=False, help_text="Alleen deze doorstroompuntregio (haar nummer).")


@extend_schema(
    tags=["Voortgang"],
    summary="Status van de uitvoeringsafspraak per regio",
    description="Per doorstroompuntregio de openbare status: nog geen uitvoeringsafspraak, in voorbereiding, ter "
    "ondertekening (met het aantal handtekeningen) of ondertekend (met de datum). Van een afspraak in "
    "voorbereiding is niets openbaar: geen titel, fase of partijen.",
    parameters=[StatusParameters],
    responses={
        200: OpenApiResponse(RegiostandSerializer(many=True), description="Een pagina met de status per regio."),
        400: ONGELDIG,
    },
)
class RegiostandLijst(Openbaar, generics.ListAPIView):
    serializer_class = RegiostandSerializer
    filter_backends = []

    def get_queryset(self):
        filters = _queryparameters(StatusParameters, self.request)
        standen = openbare_stand().regios
        if "status" in filters:
            standen = [s for s in standen if s.status == filters["status"]]
        if "regio" in filters:
            standen = [s for s in standen if s.regio.nummer == filters["regio"]]
        return standen


class PerStatusSerializer(serializers.Serializer):
    geen = serializers.IntegerField(help_text="Regio's zonder uitvoeringsafspraak.")
    in_voorbereiding = serializers.IntegerField(help_text="Regio's met een afspraak in voorbereiding.")
    ter_ondertekening = serializers.IntegerField(help_text="Regio's met een afspraak ter ondertekening.")
    ondertekend = serializers.IntegerField(help_text="Regio's met een ondertekende afspraak.")


class MonitorSerializer(serializers.Serializer):
    peildatum = serializers.DateField(source="vandaag", help_text="De dag waarop deze stand geldt (Europe/Amsterdam).")
    deadline = serializers.DateField(help_text="Uiterste datum van basisafspraak 12: 31 december 2026.")
    dagen_tot_deadline = serializers.IntegerField(help_text="Dagen van de peildatum tot de deadline; negatief erna.")
    regios_totaal = serializers.IntegerField(help_text="Aantal doorstroompuntregio's.")
    regios_gedekt = serializers.IntegerField(help_text="Regio's met een ondertekende uitvoeringsafspraak.")
    gemeenten_gedekt = serializers.IntegerField(help_text="Gemeenten die partij zijn bij een ondertekende afspraak.")
    gemeenten_totaal = serializers.IntegerField(help_text="Alle bestaande gemeenten.")
    instellingen_gedekt = serializers.IntegerField(
        help_text="Mbo-instellingen die partij zijn bij een ondertekende afspraak."
    )
    instellingen_totaal = serializers.IntegerField(help_text="Mbo-instellingen die in een regio aanwezig zijn.")
    studenten_gedekt = AantalSerializer(help_text="Studenten van de gedekte instellingen, elke instelling één keer.")
    studenten_totaal = AantalSerializer(help_text="Studenten van alle instellingen, elke instelling één keer.")
    studenten_peiljaar = serializers.IntegerField(allow_null=True, help_text="Peiljaar van de studentaantallen.")
    per_status = PerStatusSerializer(help_text="Aantal regio's per status.")


@extend_schema(
    tags=["Voortgang"],
    summary="Landelijke monitor",
    description="Hoe ver het land is richting de deadline van basisafspraak 12: hoeveel regio's, gemeenten, "
    "instellingen en studenten een ondertekende uitvoeringsafspraak dekt, en het aantal regio's per status.",
    responses={200: OpenApiResponse(MonitorSerializer, description="De landelijke stand van vandaag.")},
)
class Monitor(Openbaar, generics.GenericAPIView):
    serializer_class = MonitorSerializer
    pagination_class = None
    filter_backends = []

    def get(self, request):
        return Response(MonitorSerializer(openbare_stand()).data)
