"""Accessibility scan with axe-core (shipped inside axe-playwright-python): WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_toegankelijk(page):
    """Fail with axe's report when the current page has any WCAG 2.1 A/AA violation."""
    # JavaScript may be off in the page under test; axe runs in its own evaluation all the same.
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
