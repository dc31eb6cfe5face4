from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from regio.loaders import LADERS, Afgewezen, analyseer, bevestig_import, maak_import
from regio.models import Gegevensimport


def _fouten_tekst(fouten, totaal):
    regels = []
    for fout in fouten:
        plaats = []
        regel = fout["regel"] if isinstance(fout, dict) else fout.regel
        kolom = fout["kolom"] if isinstance(fout, dict) else fout.kolom
        melding = fout["melding"] if isinstance(fout, dict) else fout.melding
        if regel:
            plaats.append(f"regel {regel}")
        if kolom:
            plaats.append(f"kolom {kolom}")
        regels.append(f"  - {', '.join(plaats) + ': ' if plaats else ''}{melding}")
    if totaal > len(fouten):
        regels.append(f"  … en nog {totaal - len(fouten)} fouten ({totaal} in totaal).")
    return "\n".join(regels)


class Command(BaseCommand):
    help = (
        "Laadt een DUO- of CBS-bestand zoals de beheerpagina dat doet. Zonder --bevestig toont het alleen het "
        "voorbeeld en schrijft het niets; met --bevestig laadt het en legt het de lading vast."
    )

    def add_arguments(self, parser):
        parser.add_argument("soort", choices=list(LADERS), help="Soort bestand.")
        parser.add_argument("pad", help="Pad naar het CSV-bestand.")
        parser.add_argument("--peiljaar", type=int, default=None, help="Alleen dit peiljaar laden, of het peiljaar "
                            "van een bestand zonder jaarkolom.")
        parser.add_argument("--bevestig", action="store_true", help="Echt laden (anders alleen het voorbeeld).")
        parser.add_argument("--gebruiker", default="", help="Gebruikersnaam die als lader wordt vastgelegd.")

    def handle(self, *args, soort, pad, peiljaar, bevestig, gebruiker, **options):
        pad = Path(pad)
        try:
            inhoud = pad.read_bytes()
        except OSError as fout:
            raise CommandError(f"Kan {pad} niet lezen: {fout.strerror or fout}.") from None
        gebruiker_obj = None
        if gebruiker:
            gebruiker_obj = get_user_model()._default_manager.filter(username=gebruiker).first()
            if gebruiker_obj is None:
                raise CommandError(f"Gebruiker {gebruiker} bestaat niet.")

        titel = Gegevensimport.Soort(soort).label
        if not bevestig:
            try:
                analyse = analyseer(soort, inhoud, pad.name, peiljaar)
            except Afgewezen as fout:
                raise CommandError(
                    f"{pad.name} is afgewezen ({fout.totaal} {'fout' if fout.totaal == 1 else 'fouten'}); "
                    f"er is niets gewijzigd:\n{_fouten_tekst(fout.fouten, fout.totaal)}"
                ) from None
            self._toon_voorbeeld(titel, pad.name, analyse.tabel.encoding, analyse.tabel.scheidingsteken_naam,
                                 analyse.voorbeeld.als_dict(), analyse.voorbeeld.rijen_gelezen)
            self.stdout.write("Dit was een voorbeeld: er is niets geschreven. Laad met --bevestig.")
            return

        imp = maak_import(soort, inhoud, pad.name, gebruiker=gebruiker_obj, peiljaar=peiljaar, via="opdrachtregel")
        if imp.status != Gegevensimport.Status.VOORBEELD:
            raise CommandError(
                f"{pad.name} is afgewezen ({imp.aantal_fouten} {'fout' if imp.aantal_fouten == 1 else 'fouten'}); "
                f"er is niets gewijzigd:\n{_fouten_tekst(imp.fouten, imp.aantal_fouten)}"
            )
        self._toon_voorbeeld(titel, pad.name, imp.encoding, imp.scheidingsteken, imp.samenvatting, imp.rijen_gelezen)
        uitkomst = bevestig_import(imp.pk, gebruiker_obj)
        if not uitkomst.geladen:
            imp.refresh_from_db()
            raise CommandError(f"{uitkomst.melding}\n{_fouten_tekst(imp.fouten, imp.aantal_fouten)}")
        self.stdout.write(self.style.SUCCESS(uitkomst.melding))

    def _toon_voorbeeld(self, titel, naam, encoding, scheidingsteken, samenvatting, gelezen):
        self.stdout.write(f"{titel}: {naam}")
        scheidingsteken = {";": "puntkomma", ",": "komma"}.get(scheidingsteken, scheidingsteken)
        self.stdout.write(f"Tekenset {encoding}, scheidingsteken {scheidingsteken}, {gelezen} rijen gelezen.")
        for regel in samenvatting.get("regels", []):
            self.stdout.write(f"  {regel}")
        for lijst in samenvatting.get("voorbeelden", []):
            self.stdout.write(f"{lijst['titel']} ({lijst['totaal']}):")
            for regel in lijst["regels"]:
                self.stdout.write(f"  - {regel}")
            if lijst["totaal"] > len(lijst["regels"]):
                self.stdout.write(f"  … en nog {lijst['totaal'] - len(lijst['regels'])}")
        for waarschuwing in samenvatting.get("waarschuwingen", []):
            self.stdout.write(self.style.WARNING(f"Let op: {waarschuwing}"))
