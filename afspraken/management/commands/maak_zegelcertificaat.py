"""Creates the self-signed seal certificate for the demo and the tests; production supplies its own PKCS#12."""

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GELDIGHEID_DAGEN = 3653  # ten years, leap days included


def maak_certificaat(naam):
    """A new EC P-256 key and a self-signed certificate for sealing (digitalSignature + nonRepudiation)."""
    sleutel = ec.generate_private_key(ec.SECP256R1())
    onderwerp = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, naam),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, naam),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
        ]
    )
    nu = datetime.datetime.now(datetime.timezone.utc)
    publiek = sleutel.public_key()
    certificaat = (
        x509.CertificateBuilder()
        .subject_name(onderwerp)
        .issuer_name(onderwerp)
        .public_key(publiek)
        .serial_number(x509.random_serial_number())
        # A little slack backwards so that a clock slightly behind still accepts a fresh certificate.
        .not_valid_before(nu - datetime.timedelta(minutes=5))
        .not_valid_after(nu + datetime.timedelta(days=GELDIGHEID_DAGEN))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(publiek), critical=False)
        .sign(sleutel, hashes.SHA256())
    )
    return sleutel, certificaat


def vingerafdruk(certificaat):
    return certificaat.fingerprint(hashes.SHA256()).hex(":").upper()


class Command(BaseCommand):
    help = (
        "Maakt een zelfondertekend zegelcertificaat (PKCS#12) voor de demo en de tests. "
        "Gebruik in productie een eigen certificaat via ZEGEL_PKCS12."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pad", default=None, help="Waar het PKCS#12-bestand komt (standaard ZEGEL_PKCS12).")
        parser.add_argument(
            "--wachtwoord", default=None, help="Wachtwoord van het bestand (standaard ZEGEL_WACHTWOORD)."
        )
        parser.add_argument("--vervang", action="store_true", help="Een bestaand bestand overschrijven.")
        parser.add_argument(
            "--als-ontbreekt", action="store_true", help="Niets doen als het bestand er al is (voor make run)."
        )

    def handle(self, *args, pad, wachtwoord, vervang, als_ontbreekt=False, **options):
        pad = Path(pad) if pad else Path(settings.ZEGEL_PKCS12)
        wachtwoord = settings.ZEGEL_WACHTWOORD if wachtwoord is None else wachtwoord
        if not wachtwoord:
            # A seal key on disk without a passphrase is too easy to copy and misuse.
            raise CommandError("Geef een wachtwoord met --wachtwoord of zet ZEGEL_WACHTWOORD.")
        if pad.exists() and als_ontbreekt and not vervang:
            self.stdout.write(f"Zegelcertificaat aanwezig: {pad}")
            return
        if pad.exists() and not vervang:
            raise CommandError(
                f"{pad} bestaat al. Gebruik --vervang om het te overschrijven; "
                "documenten die met het oude certificaat zijn verzegeld, worden dan niet meer als eigen zegel herkend."
            )
        naam = settings.ZEGEL_NAAM
        sleutel, certificaat = maak_certificaat(naam)
        inhoud = pkcs12.serialize_key_and_certificates(
            name=naam.encode(),
            key=sleutel,
            cert=certificaat,
            cas=None,
            encryption_algorithm=serialization.BestAvailableEncryption(wachtwoord.encode()),
        )
        pad.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a reader never sees half a file; readable by the owner only.
        tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
        fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as bestand:
                bestand.write(inhoud)
            os.replace(tijdelijk, pad)
        except BaseException:
            tijdelijk.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Zegelcertificaat geschreven naar {pad}")
        self.stdout.write(f"SHA-256-vingerafdruk: {vingerafdruk(certificaat)}")
