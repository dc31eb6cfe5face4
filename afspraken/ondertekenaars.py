"""Whether each party's signer is known, from step 1 on (issue 26).

Derived, never stored: from the party's chosen bestuurder (`Partij.bestuurder`), the bestuurders of its
organisation and their open invitations (accounts.Uitnodiging). Read once per request through `Toetsgegevens`,
in a fixed number of queries however many parties there are.
"""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Gebruiker, Uitnodiging

BEKEND, UITGENODIGD, TE_KIEZEN, GEEN = "bekend", "uitgenodigd", "te_kiezen", "geen"
GEEN_TEKST = "Nog geen ondertekenaar"


@dataclass
class Stand:
    code: str
    tekst: str
    # Open requests for a signer (Ondertekenaarsverzoek), newest first.
    verzoeken: tuple = ()

    @property
    def is_bekend(self):
        return self.code == BEKEND

    @property
    def laatste_verzoek(self):
        return self.verzoeken[0] if self.verzoeken else None


def _kan_tekenen(gebruiker, partij):
    return (
        gebruiker.is_active
        and gebruiker.rol == Gebruiker.Rol.BESTUURDER
        and gebruiker.organisatie_id == partij.organisatie_id
    )


class Ondertekenaars:
    """The signer's state of every party of one agreement; `stand(partij)` for one party row (fresh or not)."""

    def __init__(self, gegevens):
        self.gegevens = gegevens
        organisaties = {p.organisatie_id for p in gegevens.partijen}
        nu = timezone.now()
        # Open invitations of bestuurders of the parties' organisations: one query.
        self.uitnodigingen = {}
        for uitnodiging in (
            Uitnodiging.objects.filter(
                soort=Uitnodiging.Soort.ACCOUNT,
                gebruiker__organisatie_id__in=organisaties,
                gebruiker__rol=Gebruiker.Rol.BESTUURDER,
                gebruiker__is_active=True,
                gebruikt_op=None,
                ingetrokken_op=None,
                vervangen_op=None,
            )
            .select_related("gebruiker")
            .order_by("-verstuurd_op")
        ):
            if uitnodiging.wacht_op_goedkeuring or uitnodiging.verloopt_op > nu:
                self.uitnodigingen.setdefault(uitnodiging.gebruiker.organisatie_id, []).append(uitnodiging)
        from .models import Ondertekenaarsverzoek

        self.verzoeken = {}
        for verzoek in Ondertekenaarsverzoek.objects.filter(
            partij__afspraak=gegevens.afspraak
        ).order_by("-gevraagd_op"):
            self.verzoeken.setdefault(verzoek.partij_id, []).append(verzoek)

    def stand(self, partij):
        verzoeken = tuple(self.verzoeken.get(partij.pk, ()))
        uitnodigingen = self.uitnodigingen.get(partij.organisatie_id, [])
        gekozen = partij.bestuurder if partij.bestuurder_id else None
        if gekozen is not None and _kan_tekenen(gekozen, partij):
            if gekozen.has_usable_password():
                return Stand(BEKEND, f"Ondertekenaar bekend: {gekozen.weergavenaam} (heeft een account)", verzoeken)
            eigen = [u for u in uitnodigingen if u.gebruiker_id == gekozen.pk]
            if eigen:
                return Stand(UITGENODIGD, self._uitgenodigd(eigen[0]), verzoeken)
            return Stand(
                GEEN,
                f"{gekozen.weergavenaam} is gekozen, maar heeft nog geen account en geen geldige uitnodiging",
                verzoeken,
            )
        met_account = [
            g for g in self.gegevens.bestuurders.get(partij.organisatie_id, []) if g.has_usable_password()
        ]
        if met_account:
            return Stand(
                TE_KIEZEN,
                f"Nog niet gekozen wie tekent; met een account: {', '.join(g.weergavenaam for g in met_account)}",
                verzoeken,
            )
        if uitnodigingen:
            return Stand(UITGENODIGD, self._uitgenodigd(uitnodigingen[0]), verzoeken)
        return Stand(GEEN, GEEN_TEKST, verzoeken)

    @staticmethod
    def _uitgenodigd(uitnodiging):
        naam = uitnodiging.gebruiker.weergavenaam
        if uitnodiging.wacht_op_goedkeuring:
            return f"{naam} is uitgenodigd; de uitnodiging wacht op goedkeuring van een beheerder"
        return f"{naam} is uitgenodigd en heeft de uitnodiging nog niet geaccepteerd"

    def per_partij(self):
        """[(partij, Stand)] in the parties' order."""
        return [(p, self.stand(p)) for p in self.gegevens.partijen]
