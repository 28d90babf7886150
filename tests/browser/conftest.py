"""Fixtures for tests that drive a real headless Chromium against pytest-django's live server.

Every test in this folder is marked ``browser``. Without Chromium or its driver the tests are
skipped, unless ``MOVILIM_REQUIRE_BROWSER=1`` turns their absence into a failure. Chromium is kept
off the network: the live server listens on 127.0.0.1 and every other host name resolves to nothing.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
WAIT_SECONDS = 10
#: How often a wait asks again. Selenium's default, half a second, cost most clicks that load a
#: page a needless pause: the page is there within a tenth of that.
POLL_SECONDS = 0.02


def wait(driver: WebDriver, seconds: float = WAIT_SECONDS, **kwargs: Any) -> WebDriverWait:
    """A wait that asks every ``POLL_SECONDS``."""
    return WebDriverWait(driver, seconds, poll_frequency=POLL_SECONDS, **kwargs)


def browser_required() -> bool:
    return os.environ.get("MOVILIM_REQUIRE_BROWSER", "").strip() == "1"


def unavailable(reason: str) -> None:
    """Skip the test, or fail it where a browser is required (CI)."""
    if browser_required():
        pytest.fail(f"{reason} (MOVILIM_REQUIRE_BROWSER=1, so this is a failure)", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    # Serve on the loopback address itself rather than a name, unless told otherwise.
    if not config.getoption("liveserver", default=None) and not os.environ.get(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS"
    ):
        config.option.liveserver = "127.0.0.1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- The browser ----------------------------------------------------------------------------------


def wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """Let the live server's request threads end once the browser has closed its connections.

    Each closes its database connections as it ends. One that outlived the server could not close
    a connection shared with it (an error reported against some later test), and one still open
    at the end would stop the test database from being dropped.
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(deadline - time.monotonic(), 0))


@pytest.fixture(scope="session")
def browser(django_db_setup: None, live_server: Any) -> Iterator[WebDriver]:
    """One headless Chromium for the whole run, with a throw-away profile, preferring Hebrew.

    It is closed before the live server stops and the test database is dropped: the connections it
    keeps open hold request threads, and with them database connections, that would be in the way.
    """
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        unavailable(
            f"Chromium browser tests need {' and '.join(missing)} "
            "(Debian: apt-get install chromium chromium-driver)"
        )
    profile = tempfile.mkdtemp(prefix="movilim-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
        "--lang=he",
        # Bootstrap then skips its transitions, so screenshots never catch a button mid-fade.
        "--force-prefers-reduced-motion",
        # Nothing but the live server is reachable, whatever a page or the browser asks for.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "he,en"})
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        unavailable(f"Chromium did not start: {exc.msg}")
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        wait_for_live_server_requests()
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Page:
    """The browser pointed at the live server, with the few moves the tests need."""

    driver: WebDriver
    base_url: str
    _mark: str = ""

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        url: str = self.driver.current_url
        return url.removeprefix(self.base_url)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def html_attributes(self) -> tuple[str, str]:
        html = self.find("html")
        return html.get_attribute("lang") or "", html.get_attribute("dir") or ""

    def click_and_wait(self, element: WebElement) -> None:
        """Click something that loads a new page, and wait until that page has loaded."""
        self.expect_new_page()
        element.click()
        self.wait_for_new_page()

    def expect_new_page(self) -> None:
        """Mark the page now shown, so that wait_for_new_page can tell when another replaced it."""
        self._mark = uuid.uuid4().hex
        self.driver.execute_script("window.movilimPageMark = arguments[0];", self._mark)

    def wait_for_new_page(self) -> None:
        # While a page is being replaced, the driver may answer with errors: keep asking.
        wait(self.driver, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return window.movilimPageMark !== arguments[0]"
                " && document.readyState === 'complete';",
                self._mark,
            ),
            message="no new page was loaded",
        )

    def log_in(self, email: str, password: str = factories.PASSWORD) -> None:
        """Log in through the real login form, as a person would."""
        self.open("/accounts/login/")
        self.find("input[name=username]").send_keys(email)
        self.find("input[name=password]").send_keys(password)
        self.click_and_wait(self.find("main form button[type=submit]"))
        if self.path != "/":
            errors = self.find("main").text
            pytest.fail(f"the login did not land on the home page but on {self.path}: {errors}")

    def switch_language(self, code: str) -> None:
        """Press the language button in the header (it posts to set_language)."""
        self.click_and_wait(self.find(f"header button[name=language][value={code}]"))

    def screenshot(self, name: str) -> Path:
        """Save the whole page, not just the window, as var/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        size = self.driver.get_window_size()
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        chrome = size["height"] - self.driver.execute_script("return window.innerHeight")
        self.driver.set_window_size(size["width"], max(size["height"], height + chrome))
        try:
            assert self.driver.save_screenshot(str(target)), f"could not write {target}"
        finally:
            self.driver.set_window_size(size["width"], size["height"])
        return target


@pytest.fixture
def page(browser: WebDriver, live_server: Any) -> Iterator[Page]:
    """A clean start for each test: no cookies (so anonymous, in the default language)."""
    current = Page(driver=browser, base_url=live_server.url)
    current.open("/health/")
    browser.delete_all_cookies()
    yield current
    browser.delete_all_cookies()


# --- Accessibility --------------------------------------------------------------------------------

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done({violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }))}))
  .catch((error) => done({error: String(error)}));
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        unavailable(f"axe-core is not installed at {AXE_SCRIPT} (run `npm ci`)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            if node.get("summary"):
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


@pytest.fixture
def axe(page: Page, axe_source: str) -> Callable[[str], list[dict[str, Any]]]:
    """``axe("cohort page")`` checks the page now in the browser against WCAG 2.1 A and AA.

    The test fails on any serious or critical violation, listing each with the offending nodes.
    Lesser ones are returned (and printed), for a test that wants to look at them.
    """

    def check(label: str) -> list[dict[str, Any]]:
        page.driver.execute_script(axe_source)
        result = page.driver.execute_async_script(_RUN_AXE, list(WCAG_TAGS))
        assert "error" not in result, f"axe-core failed on the {label}: {result.get('error')}"
        violations: list[dict[str, Any]] = result["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        minor = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
        if minor:
            print(f"axe, {label} ({page.path}), minor findings:\n{format_violations(minor)}")
        assert not blocking, (
            f"axe found serious or critical WCAG 2.1 A/AA violations on the {label} "
            f"({page.path}):\n{format_violations(blocking)}"
        )
        return minor

    return check


# --- Data -----------------------------------------------------------------------------------------


@pytest.fixture
def program_world(world: Any, live_server: Any) -> Any:
    """The shared ``world`` (committed, since live_server makes the test transactional), plus
    composition targets for its cohort so the chart is drawn, and a session still to come."""
    cohort = world.cohort
    factories.CompositionTargetFactory(cohort=cohort, dimension="gender", category="female")
    factories.CompositionTargetFactory(cohort=cohort, dimension="gender", category="male")
    factories.CompositionTargetFactory(
        cohort=cohort,
        dimension="minority",
        category="yes",
        min_percent=Decimal(20),
        max_percent=None,
    )
    factories.SessionFactory(
        cohort=cohort,
        title="מפגש עתידי",
        starts_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    return world
