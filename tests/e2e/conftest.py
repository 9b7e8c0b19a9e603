"""Browser tests: the app served on a free loopback port, driven by Debian's Chromium.

They skip when Chromium or Playwright is missing (``.ci/run`` installs both). The
served app shares the test database, so the ``create_*`` factories set the scene.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from config import TestingConfig
from consult import create_app
from consult.extensions import db as _db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium's own phone-home traffic would be refused by this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_server(app):
    """The app as a browser sees it: real host, CSRF tokens on, rate limits off."""

    class LiveConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SERVER_NAME = None
        WTF_CSRF_ENABLED = True
        TESTING = True  # mail goes to the outbox of this app

    served = create_app(LiveConfig)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield served
    server.shutdown()
    with served.app_context():
        _db.engine.dispose()


# Chromium reports a refused inline script or style on the console; the listener below
# also catches violations the console does not show (a refused frame, a style attribute).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class CspWatchingBrowser:
    """The browser, whose every context reports Content-Security-Policy violations.

    The app's policy is enforced (not report-only), so a violation is a script or a
    style that did not run: each one fails the test (see ``_no_csp_violations``).
    """

    def __init__(self, browser) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", self._console)
        return context

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.violations.append(f"{message.page.url if message.page else ''}: {text}")

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield CspWatchingBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Every browser test fails when a page broke the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    watcher = request.getfixturevalue("browser")
    watcher.violations.clear()
    yield
    violations, watcher.violations[:] = list(watcher.violations), []
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture()
def base_url(live_server, db):
    return live_server.config["LIVE_URL"]


@pytest.fixture()
def page(browser, base_url):
    """A fresh browser context in Polish, at a phone-friendly desktop size."""
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def live_outbox(live_server):
    """E-mails the served app has sent."""
    from consult.core.mail import outbox

    with live_server.app_context():
        box = outbox()
        box.clear()
    return box


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
