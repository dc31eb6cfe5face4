"""Pages of a list: `limit` and `offset`, described in Dutch (DRF's own texts depend on the active language)."""

from rest_framework.pagination import LimitOffsetPagination

STANDAARD, HOOGSTENS = 100, 1000


class Paginering(LimitOffsetPagination):
    default_limit = STANDAARD
    max_limit = HOOGSTENS
    limit_query_description = (
        f"Hoeveel resultaten deze pagina hoogstens bevat (standaard {STANDAARD}, hoogstens {HOOGSTENS})."
    )
    offset_query_description = "Hoeveel resultaten worden overgeslagen: 0 begint bij het eerste."

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Het aantal resultaten op alle pagina's samen."},
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Het adres van de volgende pagina; leeg op de laatste.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Het adres van de vorige pagina; leeg op de eerste.",
                },
                "results": {**schema, "description": "De resultaten op deze pagina."},
            },
        }
