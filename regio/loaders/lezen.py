"""Reading an uploaded file: type check, encoding, delimiter, header row, rows with line numbers.

Nothing here touches the database. Every problem becomes a `Fout` (line, column, Dutch message);
a file that cannot be read at all raises `Afgewezen` with its reasons.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

MAX_GETOONDE_FOUTEN = 200
MAX_FOUTEN = 10_000  # the check of a file stops at this many problems
KOPREGEL_ZOEKBEREIK = 20  # a header may follow a few title lines (CBS StatLine exports)
TOEGESTANE_EXTENSIES = {"", ".csv", ".txt"}

MAX_VELDGROOTTE = 1024 * 1024
csv.field_size_limit(MAX_VELDGROOTTE)


@dataclass(frozen=True)
class Fout:
    regel: int | None  # line number in the file, 1-based; None for the file as a whole
    kolom: str  # column as the file names it, or "" when it concerns the whole row or file
    melding: str

    def als_dict(self):
        return {"regel": self.regel, "kolom": self.kolom, "melding": self.melding}


class Foutenlijst:
    """Collects errors; keeps the first MAX_GETOONDE_FOUTEN for display and counts all."""

    def __init__(self, maximum=MAX_GETOONDE_FOUTEN):
        self.maximum = maximum
        self.fouten = []
        self.totaal = 0

    def voeg_toe(self, regel, kolom, melding):
        self.totaal += 1
        if len(self.fouten) < self.maximum:
            self.fouten.append(Fout(regel, kolom, melding))
        if self.totaal >= MAX_FOUTEN:
            # Checking the rest only costs time: 25 MB of bad rows took minutes, past the server's timeout.
            waar = f" bij regel {regel}" if regel else ""
            stop = Fout(
                regel, "",
                f"De controle is{waar} gestopt na {nl_getal(MAX_FOUTEN)} problemen. Past het bestand wel bij de "
                "gekozen soort gegevens? Verbeter eerst de problemen hieronder en upload het bestand opnieuw.",
            )
            raise Afgewezen([stop] + self.fouten[: self.maximum - 1], totaal=self.totaal)

    def __bool__(self):
        return self.totaal > 0

    def __len__(self):
        return self.totaal


class Afgewezen(Exception):
    """The file is rejected as a whole."""

    def __init__(self, fouten, totaal=None, tabel=None):
        if isinstance(fouten, Foutenlijst):
            totaal = fouten.totaal
            fouten = fouten.fouten
        self.fouten = list(fouten)
        self.totaal = totaal if totaal is not None else len(self.fouten)
        self.tabel = tabel  # the parsed table when the failure came after parsing (for rows read)
        super().__init__("; ".join(f.melding for f in self.fouten[:3]))


def afwijzen(melding, regel=None, kolom=""):
    raise Afgewezen([Fout(regel, kolom, melding)])


# --- Header matching -------------------------------------------------------------------------

_SPATIES = re.compile(r"\s+")


def normaliseer_kop(tekst):
    """'  "RMC-REGIO CODE" ' and 'rmc_regio_code' both become 'rmc regio code'."""
    tekst = unicodedata.normalize("NFKC", tekst or "")
    tekst = tekst.replace("\ufeff", "").replace("\u2019", "'").replace("\u2018", "'")
    tekst = tekst.strip().strip("\"'").strip()
    tekst = tekst.replace("_", " ").replace("-", " ")
    return _SPATIES.sub(" ", tekst).casefold()


def normaliseer_naam(tekst):
    """Names compared loosely: case-insensitive, whitespace collapsed."""
    tekst = unicodedata.normalize("NFKC", tekst or "").replace("\u2019", "'")
    return _SPATIES.sub(" ", tekst).strip().casefold()


@dataclass(frozen=True)
class Kolom:
    """A logical column of a load, found in the file under one of its names."""

    sleutel: str
    namen: tuple  # accepted header names, already in normalised form; the first is shown to users
    verplicht: bool = True
    # Optional extra matcher for headers that vary (e.g. "Bevolking op 1 januari (aantal)").
    past: object = None

    @property
    def weergave(self):
        return self.namen[0].upper() if self.namen else self.sleutel


def koppel_kolommen(koppen, kolommen):
    """Map each logical column to the index of the first header that names it (exact names win)."""
    genormaliseerd = [normaliseer_kop(k) for k in koppen]
    gevonden = {}
    for kolom in kolommen:
        index = None
        for naam in kolom.namen:  # alias order is priority order
            if naam in genormaliseerd:
                index = genormaliseerd.index(naam)
                break
        if index is None and kolom.past:
            for i, kop in enumerate(genormaliseerd):
                if kolom.past(kop):
                    index = i
                    break
        if index is not None:
            gevonden[kolom.sleutel] = index
    return gevonden


# --- Bytes to text ---------------------------------------------------------------------------

_HANDTEKENINGEN = [
    (b"PK\x03\x04", "een Excel-, zip- of ander Office-bestand (xlsx, ods, docx)"),
    (b"\xd0\xcf\x11\xe0", "een oud Excel- of Office-bestand (xls)"),
    (b"%PDF", "een PDF-bestand"),
    (b"\x1f\x8b", "een gzip-bestand"),
    (b"\x89PNG", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
    (b"{\\rtf", "een RTF-document"),
]
_STUURTEKENS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# é, ë, ü, à … as UTF-8 bytes; in Windows-1252 "Ã" followed by a symbol, which no Dutch text writes.
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")


def controleer_bestandsnaam(bestandsnaam):
    naam = (bestandsnaam or "").lower()
    extensie = ""
    if "." in naam.rsplit("/", 1)[-1]:
        extensie = "." + naam.rsplit(".", 1)[-1]
    if extensie not in TOEGESTANE_EXTENSIES:
        afwijzen(
            f"Bestandstype {extensie} wordt niet ondersteund. Lever een CSV-bestand (.csv of .txt) aan; "
            "sla een Excel-bestand eerst op als CSV."
        )


def decodeer(inhoud):
    """Bytes to text. Returns (text, encoding name). UTF-8 (with or without BOM) or Windows-1252."""
    if not inhoud or not inhoud.strip():
        afwijzen("Het bestand is leeg.")
    for handtekening, soort in _HANDTEKENINGEN:
        if inhoud.startswith(handtekening):
            afwijzen(f"Dit is geen CSV-bestand maar {soort}. Sla het op als CSV (puntkomma- of kommagescheiden).")
    if inhoud.startswith((b"\xff\xfe", b"\xfe\xff")):
        afwijzen("Het bestand is in UTF-16 opgeslagen. Sla het op als CSV in UTF-8 of Windows-1252.")
    if b"\x00" in inhoud[:65536]:
        afwijzen("Dit is geen tekstbestand (het bevat binaire gegevens). Lever een CSV-bestand aan.")
    if inhoud.startswith(b"\xef\xbb\xbf"):
        kandidaten = [("utf-8-sig", "UTF-8 met BOM")]
    else:
        kandidaten = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, naam in kandidaten:
        try:
            tekst = inhoud.decode(codec)
        except UnicodeDecodeError:
            continue
        if _STUURTEKENS.search(tekst):
            afwijzen("Dit is geen tekstbestand (het bevat stuurtekens). Lever een CSV-bestand aan.")
        if codec == "cp1252" and (gemengd := _UTF8_LETTER.search(inhoud)):
            # Not UTF-8 as a whole, yet é, ë, ü … written as UTF-8 in places: read as Windows-1252 these
            # would be stored as "Ã©". Half a file pasted from elsewhere; neither reading is right.
            regel = inhoud.count(b"\n", 0, gemengd.start()) + 1
            afwijzen(
                "Het bestand mengt twee tekensets: een deel is UTF-8, een ander deel niet (Windows-1252). "
                "Sla het hele bestand opnieuw op als CSV in UTF-8.",
                regel=regel,
            )
        return tekst, naam
    afwijzen(
        "De tekenset van het bestand is niet herkend: het is geen UTF-8 en geen Windows-1252. "
        "Sla het op als CSV in UTF-8."
    )


# --- Text to table ---------------------------------------------------------------------------


@dataclass
class Tabel:
    encoding: str
    scheidingsteken: str
    koppen: list  # headers as written in the file
    kolommen: dict  # logical key -> index
    kopregel: int  # line number of the header
    rijen: list = field(default_factory=list)  # (line number, cells)

    def kop(self, sleutel):
        """The header as the file writes it, for error messages."""
        index = self.kolommen.get(sleutel)
        # Shortened: a header matched by a pattern (inwoners) can be any length, and it is repeated in every error.
        return kort(self.koppen[index].strip().strip("\"'"), 60) if index is not None else sleutel.upper()

    def heeft(self, sleutel):
        return sleutel in self.kolommen

    def waarde(self, cellen, sleutel):
        """The stripped text in column `sleutel` of a row's cells; '' when the file lacks the column or the row
        is short."""
        index = self.kolommen.get(sleutel)
        return cellen[index].strip() if index is not None and index < len(cellen) else ""

    @property
    def scheidingsteken_naam(self):
        return {";": "puntkomma", ",": "komma"}.get(self.scheidingsteken, self.scheidingsteken)


def csv_fout_tekst(fout):
    """csv.Error in Dutch, with what to do: its own text is English and speaks of Python."""
    tekst = str(fout)
    if "field larger than field limit" in tekst:
        return (
            f"Een veld is langer dan {MAX_VELDGROOTTE // (1024 * 1024)} MB; zo lang is geen waarde in deze bestanden. "
            "Controleer of er een aanhalingsteken (\") ontbreekt of het bestand geen CSV-bestand is."
        )
    if "new-line character seen in unquoted field" in tekst:
        return (
            "Het bestand bevat een los regeleinde (CR) midden in een veld. Sla het opnieuw op als CSV, "
            "of zet het veld tussen aanhalingstekens."
        )
    return "Het bestand is geen geldige CSV. Controleer de aanhalingstekens (\") en de scheidingstekens."


def _eerste_rijen(tekst, scheidingsteken, aantal):
    """The first `aantal` non-empty rows, and the csv.Error that stopped the reading (or None)."""
    reader = csv.reader(io.StringIO(tekst), delimiter=scheidingsteken)
    rijen = []
    vorige = 0
    try:
        for cellen in reader:
            start = vorige + 1
            vorige = reader.line_num
            if not any(c.strip() for c in cellen):
                continue
            rijen.append((start, cellen))
            if len(rijen) >= aantal:
                break
    except csv.Error as fout:
        return rijen, (vorige + 1, fout)
    return rijen, None


def lees_tabel(inhoud, kolommen, bestandsnaam=""):
    """Decode, find delimiter and header, and return a Tabel with all non-empty data rows.

    The header is the first of the first lines (title lines may precede it) in which every
    required column is found, trying ';' and ','. Raises Afgewezen when no such line exists.
    """
    tekst, encoding = decodeer(inhoud)  # first: it says what a wrong file really is (xlsx, PDF …)
    controleer_bestandsnaam(bestandsnaam)
    verplicht = [k for k in kolommen if k.verplicht]

    beste = None  # (found required, -line, cells, delimiter, line, mapping)
    leesfout = None  # a csv.Error before any header: reported if no header is found at all
    for scheidingsteken in (";", ","):
        rijen, fout = _eerste_rijen(tekst, scheidingsteken, KOPREGEL_ZOEKBEREIK)
        leesfout = leesfout or fout
        for regel, cellen in rijen:
            gevonden = koppel_kolommen(cellen, kolommen)
            aantal_verplicht = sum(1 for k in verplicht if k.sleutel in gevonden)
            kandidaat = (aantal_verplicht, len(cellen) > 1, -regel, cellen, scheidingsteken, regel, gevonden)
            if beste is None or kandidaat[:3] > beste[:3]:
                beste = kandidaat
            if aantal_verplicht == len(verplicht):
                break
    if beste is None:
        if leesfout:
            afwijzen(csv_fout_tekst(leesfout[1]), regel=leesfout[0])
        afwijzen("Het bestand bevat geen regels.")
    aantal_verplicht, _, _, koppen, scheidingsteken, kopregel, gevonden = beste
    if aantal_verplicht < len(verplicht):
        fouten = Foutenlijst()
        for kolom in verplicht:
            if kolom.sleutel not in gevonden:
                andere = [n.upper() for n in kolom.namen[1:3]]
                ook = f" (of {' of '.join(andere)})" if andere else ""
                fouten.voeg_toe(
                    kopregel if len(koppen) > 1 else None,
                    kolom.weergave,
                    f"Verplichte kolom {kolom.weergave}{ook} ontbreekt in de kopregel.",
                )
        raise Afgewezen(fouten)

    tabel = Tabel(
        encoding=encoding, scheidingsteken=scheidingsteken, koppen=koppen, kolommen=gevonden, kopregel=kopregel
    )
    reader = csv.reader(io.StringIO(tekst), delimiter=scheidingsteken)
    vorige = 0
    rijen = tabel.rijen
    toevoegen = rijen.append
    try:
        for _ in reader:  # the header and the lines before it
            vorige = reader.line_num
            if vorige >= kopregel:
                break
        for cellen in reader:
            start = vorige + 1
            vorige = reader.line_num
            # Skip empty lines and lines of only delimiters or spaces; the usual row has text in its
            # first cell, so the join is rarely needed.
            if (cellen and cellen[0].strip()) or "".join(cellen).strip():
                toevoegen((start, cellen))
    except csv.Error as fout:
        afwijzen(csv_fout_tekst(fout), regel=vorige + 1)
    if not rijen:
        afwijzen("Het bestand bevat een kopregel maar geen gegevensregels.", regel=kopregel)
    return tabel


# --- Cell values -----------------------------------------------------------------------------

_GEHEEL_GETAL = re.compile(r"[+-]?[0-9]+")
MAX_CIJFERS = 12  # more digits is never a count; int() of thousands of digits even raises ValueError


class Waardefout(ValueError):
    pass


def geheel_getal(waarde, *, onderdrukking_toegestaan=False, veldnaam="aantal"):
    """Parse a count. Returns (bekend, onderdrukt): DUO's -1 becomes (0, 1) when allowed."""
    if waarde == "":
        raise Waardefout(f"Geen {veldnaam} ingevuld.")
    if not _GEHEEL_GETAL.fullmatch(waarde):
        raise Waardefout(f"'{kort(waarde)}' is geen geheel getal (schrijf het zonder punten, komma's of spaties).")
    if len(waarde.lstrip("+-").lstrip("0")) > MAX_CIJFERS:
        raise Waardefout(f"{veldnaam.capitalize()} '{kort(waarde, 20)}' is onmogelijk groot.")
    getal = int(waarde)
    if getal == -1 and onderdrukking_toegestaan:
        return 0, 1
    if getal < 0:
        if onderdrukking_toegestaan:
            raise Waardefout(f"Negatief {veldnaam} {getal}: alleen -1 (onderdrukt, 1 tot 4) is toegestaan.")
        raise Waardefout(f"Negatief {veldnaam} {getal}.")
    if getal > 2_000_000_000:
        raise Waardefout(f"{veldnaam.capitalize()} {getal} is onmogelijk groot.")
    return getal, 0


def jaartal(waarde):
    """'2023', '2023JJ00' (CBS StatLine) or '2023/2024' (school year: first year)."""
    match = re.fullmatch(r"\s*((?:19|20)[0-9]{2})(?:JJ00|\s*/\s*(?:19|20)?[0-9]{2})?\s*", waarde or "", re.IGNORECASE)
    if not match:
        raise Waardefout(f"'{kort(waarde)}' is geen jaartal.")
    return int(match.group(1))


def gemeentecode(waarde):
    """'GM0014', 'gm0014', '0014' or '14' → 'GM0014'; None if it is no gemeentecode at all."""
    waarde = (waarde or "").strip().upper()
    match = re.fullmatch(r"(?:GM)?\s*([0-9]{1,4})", waarde)
    if not match:
        return None
    return f"GM{int(match.group(1)):04d}"


def instellingscode(waarde):
    return (waarde or "").strip().upper()


def kort(waarde, lengte=40):
    return waarde if len(waarde) <= lengte else waarde[: lengte - 1] + "…"


def nl_getal(getal):
    return f"{getal:,}".replace(",", ".")
