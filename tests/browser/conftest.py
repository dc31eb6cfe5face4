"""Browser tests: real Chromium (Debian's) through Playwright against pytest-django's live server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Content-Security-Policy violations seen during the current test, in any context opened through `chromium`
# (also those a test opens itself). Every browser test fails when one occurred: the policy is the same in the
# demo and in production, so a blocked script or style here is one for users too.
_SCHENDINGEN = []
_CONTEXTEN = []

# Runs before any script of the page, outside the page's CSP (Playwright injects it through DevTools).
MELD_SCHENDINGEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspSchending({richtlijn: e.effectiveDirective, geblokkeerd: e.blockedURI, bestand: e.sourceFile,
                         regel: e.lineNumber, voorbeeld: e.sample, pagina: location.href});
}, true);
"""


def _console(bericht):
    # Chromium also reports every violation on the console; this catches them where no script runs
    # (a context with JavaScript off).
    if "Content Security Policy" in bericht.text:
        _SCHENDINGEN.append({"console": bericht.text, "pagina": bericht.page.url if bericht.page else ""})


def _bewaak(context):
    context.expose_binding("__cspSchending", lambda bron, schending: _SCHENDINGEN.append(schending))
    context.add_init_script(MELD_SCHENDINGEN)
    context.on("console", _console)
    _CONTEXTEN.append(context)
    return context


def _spoel(context):
    """Let events already queued in the context's pages (a violation is reported in a task) reach us."""
    if not getattr(context, "csp_met_js", True):
        return  # no timers run there (the promise below would never settle); the console reports directly
    for pagina in context.pages:
        try:
            pagina.wait_for_function("() => new Promise((klaar) => setTimeout(() => klaar(true), 0))", timeout=5_000)
        except Exception:  # noqa: BLE001  a closed or navigating page has nothing left to report
            pass


class _BewaakteBrowser:
    """The browser, but every context it opens reports CSP violations to _SCHENDINGEN."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **opties):
        context = self._browser.new_context(**opties)
        context.csp_met_js = opties.get("java_script_enabled", True)
        return _bewaak(context)

    def __getattr__(self, naam):
        return getattr(self._browser, naam)


@pytest.fixture(autouse=True)
def geen_csp_schendingen():
    # Autouse, so set up before `page` and torn down after it: `page` flushes its context before closing it.
    _SCHENDINGEN.clear()
    _CONTEXTEN.clear()
    yield
    for context in _CONTEXTEN:
        _spoel(context)
    schendingen = list(_SCHENDINGEN)
    _SCHENDINGEN.clear()
    _CONTEXTEN.clear()
    assert not schendingen, "Content-Security-Policy geschonden:\n" + "\n".join(map(str, schendingen))


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield _BewaakteBrowser(browser)
        browser.close()


@pytest.fixture
def page(chromium, live_server, refdata):
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    pagina = context.new_page()
    yield pagina
    _spoel(context)
    context.close()


@pytest.fixture
def page_zonder_js(chromium, live_server, refdata):
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    pagina = context.new_page()
    pagina.zonder_js = True  # tells tests.a11y how to scan it
    yield pagina
    _spoel(context)
    context.close()


def inloggen(page, gebruikersnaam, wachtwoord, tweede_factor=False):
    """Log in through the form. `tweede_factor`: a bestuurder or beheerder logging in for the first time, who is
    sent to enrol an authenticator app before anything else; enrol it and go on to the page asked for."""
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(gebruikersnaam)
    page.get_by_label("Wachtwoord", exact=True).fill(wachtwoord)
    page.get_by_role("button", name="Inloggen").click()
    if tweede_factor:
        from accounts.models import Gebruiker
        from tests.otp_helpers import tweede_factor_in_browser

        page.get_by_role("heading", name="Tweede factor instellen").wait_for()
        tweede_factor_in_browser(page, "", Gebruiker.objects.get(username=gebruikersnaam))
        page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
        page.wait_for_load_state()
