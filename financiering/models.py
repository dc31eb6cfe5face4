# Financing models arrive with the agreement workflow (kostenposten, geldstromen, verdeling).
