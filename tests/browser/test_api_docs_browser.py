"""A developer reads the API documentation: one page made on the server from the OpenAPI description."""

import json

from tests.a11y import assert_toegankelijk


def test_ontwikkelaar_leest_de_api_documentatie(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="API").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("API:")
    assert_toegankelijk(page)

    inhoud = page.get_by_role("navigation", name="Op deze pagina")
    inhoud.get_by_role("link", name="Gemeenten", exact=True).click()
    assert page.url.endswith("#groep-gemeenten")
    groep = page.get_by_role("region", name="Gemeenten", exact=True)
    assert groep.get_by_role("heading", name="Alle gemeenten").is_visible()
    assert groep.get_by_role("table", name="Parameters van GET /api/gemeenten/", exact=True).is_visible()
    velden = groep.get_by_role("table", name="Velden van het antwoord op GET /api/gemeenten/", exact=True)
    assert velden.get_by_role("rowheader", name="results[].cbs_code", exact=True).is_visible()

    # The page promises what the API answers.
    antwoord = page.request.get("/api/gemeenten/?regio=4&limit=1")
    assert antwoord.ok
    data = json.loads(antwoord.body())
    assert data["results"][0]["regio"] == 4 and data["results"][0]["cbs_code"].startswith("GM")

    page.get_by_role("link", name="als JSON").click()
    assert json.loads(page.locator("body").inner_text())["openapi"].startswith("3.")


def test_documentatie_zonder_javascript(page_zonder_js):
    page_zonder_js.goto("/api/")
    assert page_zonder_js.get_by_role("heading", name="Eigen uitvoeringsafspraken", level=2).is_visible()
    assert page_zonder_js.get_by_text("Toegang: alleen ingelogd").first.is_visible()
    assert_toegankelijk(page_zonder_js)
