"""Tables as CSV or Excel downloads, with no cell a spreadsheet would execute.

A text that starts with =, +, -, @ (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is written with a leading apostrophe, as OWASP advises against CSV injection, in
CSV and in Excel files alike, so no text cell is ever a formula. Numbers stay numbers.

CSV: UTF-8 with a byte order mark and semicolons, which is what Dutch Excel opens without a wizard.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.text import slugify

GEVAARLIJK = ("=", "+", "-", "@", "\t", "\r")
FORMATEN = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def onschadelijk(waarde):
    """The value as a spreadsheet may hold it: numbers and dates as they are, texts never as a formula."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, (int, float, Decimal, date, datetime)):
        return waarde
    tekst = str(waarde)
    if tekst.startswith(GEVAARLIJK):
        return "'" + tekst
    return tekst


@dataclass
class Tabel:
    titel: str  # the sheet's name and the file's
    kolommen: list  # headers
    rijen: list  # lists of values, one per column

    def veilige_rijen(self):
        yield [onschadelijk(k) for k in self.kolommen]
        for rij in self.rijen:
            yield [onschadelijk(w) for w in rij]


def _csv(tabel):
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    for rij in tabel.veilige_rijen():
        schrijver.writerow(
            [str(w).replace(".", ",") if isinstance(w, (float, Decimal)) else w for w in rij]
        )
    return ("\ufeff" + uit.getvalue()).encode("utf-8")


def _xlsx(tabel):
    from openpyxl import Workbook

    boek = Workbook(write_only=True)
    blad = boek.create_sheet(title=_bladnaam(tabel.titel))
    for rij in tabel.veilige_rijen():
        # openpyxl writes a text starting with "=" as a formula; after onschadelijk() none does.
        blad.append([w.replace(tzinfo=None) if isinstance(w, datetime) else w for w in rij])
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def _bladnaam(titel):
    # Excel: at most 31 characters, none of []:*?/\
    schoon = "".join(" " if t in "[]:*?/\\" else t for t in titel).strip()
    return schoon[:31] or "Blad1"


def als_bestand(tabel, formaat):
    """The table as a download in `formaat` ("csv" or "xlsx"); 404 for any other."""
    if formaat not in FORMATEN:
        raise Http404("Onbekend formaat: kies csv of xlsx.")
    inhoud = _csv(tabel) if formaat == "csv" else _xlsx(tabel)
    antwoord = HttpResponse(inhoud, content_type=FORMATEN[formaat])
    naam = slugify(tabel.titel) or "export"
    antwoord["Content-Disposition"] = f'attachment; filename="{naam}.{formaat}"'
    antwoord["X-Content-Type-Options"] = "nosniff"
    return antwoord
