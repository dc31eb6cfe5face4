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
        # A route matches the address without its fragment (an answer that opened at #fase-fouten).
        kopie.route(
            url.split("#", 1)[0], lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
        )
        kopie.goto(url)
        results = _axe.run(kopie, options=OPTIES)
        assert results.violations_count == 0, f"{url} (zonder JavaScript)\n{results.generate_report()}"
    finally:
        context.close()


# WCAG 1.4.10: at 320 CSS px nothing but a table's own box may scroll sideways.
TELEFOON = {"width": 320, "height": 800}

# What sticks out past the viewport outside a box that scrolls or clips: named when a page is too wide.
_UITSTEKERS = """() => {
  const ingeperkt = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && !ingeperkt(e)
                   && getComputedStyle(e).overflowX === "visible")
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${e.scrollWidth} px breed)`)
    .slice(-5);
}"""


def assert_past_in_breedte(page):
    """Fail, naming what sticks out, when the page scrolls sideways at its viewport's width."""
    breedte, scherm = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert breedte <= scherm, (
        f"{page.url} is {breedte} px breed op een scherm van {scherm}: {page.evaluate(_UITSTEKERS)}"
    )
