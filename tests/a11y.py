"""Accessibility scan with axe-core (shipped inside axe-playwright-python): WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe

# Axe.run injects axe-core with page.evaluate (DevTools), which the page's Content-Security-Policy does not
# govern: no bypass_csp needed, so the pages are scanned exactly as users get them.
_axe = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIES = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def assert_toegankelijk(page):
    """Fail with axe's report when the current page has any WCAG 2.1 A/AA violation."""
    if getattr(page, "zonder_js", False):
        _scan_zonder_js(page)
        return
    results = _axe.run(page, options=OPTIES)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _scan_zonder_js(page):
    # axe needs scripts and timers; a page with JavaScript off is scanned as a copy of exactly the HTML it
    # received, served at the same address (so styles load as they did) in a context where scripts run.
    html, url = page.content(), page.url
    context = page.context.browser.new_context()
    try:
        kopie = context.new_page()
        kopie.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        kopie.goto(url)
        results = _axe.run(kopie, options=OPTIES)
        assert results.violations_count == 0, f"{url} (zonder JavaScript)\n{results.generate_report()}"
    finally:
        context.close()
