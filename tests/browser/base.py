"""Tests in a real browser: Debian's Chromium, driven by Playwright, against Django's live test server.

Playwright drives the machine's own Chromium (``executable_path``; Playwright's browser downloads are not used).
``make test`` installs Debian's ``chromium`` when it is missing and the machine can (apt-get as root); elsewhere set
``LEERSTAD_CHROMIUM`` to a Chromium or Chrome binary. Without one these tests are skipped, saying why, except in CI
(``CI`` set), where they fail.

Accessibility is checked with axe-core, which ``axe-playwright-python`` ships (no download at test time), and from
the keyboard: every element a resident tabs to shows where the focus is.

Pages of other sites (a library's site that embeds the agenda or calls the API) are served by a small HTTP server
of the test's own on 127.0.0.1, another origin than the portal's ``localhost``. Nothing leaves the machine.
"""

import contextlib
import functools
import os
import shutil
import threading
import unittest
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from tests.learningcity.utils import LeavesTheDatabaseAsMigrated

# The Web Content Accessibility Guidelines' success criteria of levels A and AA, in WCAG 2.0, 2.1 and 2.2.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str | None:
    return os.environ.get("LEERSTAD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserTestCase(LeavesTheDatabaseAsMigrated, StaticLiveServerTestCase):
    """A live server and one Chromium per class; ``self.page`` is a fresh page (and context) per test."""

    @classmethod
    def setUpClass(cls):
        path = chromium_path()
        if path is None:
            if os.environ.get("CI"):
                # CI installs Chromium (make browser); a skip there would pass without the browser tests.
                raise RuntimeError("No Chromium in CI: the browser tests must run there (make browser installs it).")
            raise unittest.SkipTest("No Chromium: install Debian's chromium or set LEERSTAD_CHROMIUM.")
        from django.db import connections
        from playwright.sync_api import sync_playwright

        # Playwright's synchronous API runs an event loop in this thread; the test's own ORM calls stay synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        saved = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
        cls.playwright = sync_playwright().start()
        # From here on the test runs in Playwright's context, where Django opens connections of its own (to the same
        # test database); they need the database's first state too, to restore it after each test.
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        cls.browser = cls.playwright.chromium.launch(executable_path=path)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def setUp(self):
        super().setUp()
        self.context = self.browser.new_context(locale="nl-NL")
        self.addCleanup(self.context.close)
        self.page = self.context.new_page()
        # Cleanups run last first: before the context closes and the database is emptied, the page's own requests
        # (the admin's and the portal's scripts fetch after a page loads) are let finish, so that no request of the
        # live server still holds a table (SQLite: "database table is locked" when the test's data is flushed).
        self.addCleanup(self.settle)
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on(
            "response",
            lambda response: response.status >= 400 and self.console_errors.append(f"{response.status} {response.url}"),
        )

    def settle(self):
        from playwright.sync_api import Error

        # A page that never settles must not hide the test's own result.
        if not self.page.is_closed():
            with contextlib.suppress(Error):
                self.page.wait_for_load_state("networkidle", timeout=5_000)

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def assertPassesAxe(self, page=None):
        """Run axe-core on ``page`` (the whole document) for the WCAG A and AA rules; name each violation's rule,
        impact, help and nodes in the failure."""
        page = page or self.page
        page.evaluate(Axe().axe_script)
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        results = page.evaluate("options => axe.run(document, options)", options)
        if results["violations"]:
            self.fail(f"{page.url}: " + "\n".join(describe_violation(v) for v in results["violations"]))

    def assertFocusVisible(self, page=None):
        """The focused element is on screen, not covered by another, and marked by an outline or a shadow of which
        at least one colour has the 3:1 contrast with the background that WCAG 1.4.11 asks of a focus indicator."""
        page = page or self.page
        focus = page.evaluate(FOCUS_SCRIPT)
        where = f"{page.url}: {focus['html']}"
        self.assertTrue(focus["onScreen"], f"{where} is out of sight")
        self.assertTrue(focus["onTop"], f"{where} is covered by {focus['covering']}")
        self.assertTrue(focus["colours"], f"{where} has no outline or box-shadow")
        background = parse_colour(focus["background"])
        best = max(contrast(parse_colour(colour), background) for colour in focus["colours"])
        self.assertGreaterEqual(
            best,
            3,
            f"{where}: its focus indicator ({', '.join(focus['colours'])}) on "
            f"{focus['background']} has a contrast of {best:.2f}:1",
        )

    def tab_to(self, selector: str, page=None, *, limit: int = 80):
        """Press Tab until the focused element matches ``selector``; every element on the way shows its focus."""
        page = page or self.page
        for _ in range(limit):
            page.keyboard.press("Tab")
            self.assertFocusVisible(page)
            if page.evaluate("selector => document.activeElement.matches(selector)", selector):
                return
        self.fail(f"{selector} was not reached in {limit} presses of Tab on {page.url}")

    def serve_other_site(self, html: str = "", *, directory=None) -> str:
        """Serve another site (until the test ends): ``html`` as its page, or the files of ``directory``.

        Returns the site's address."""
        if directory is not None:
            handler = functools.partial(QuietFiles, directory=str(directory))
        else:
            body = html.encode()

            class handler(QuietFiles):  # noqa: N801
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return f"http://127.0.0.1:{server.server_port}/"


def describe_violation(violation: dict) -> str:
    nodes = "".join(f"\n    {', '.join(node['target'])}: {node['html'][:200]}" for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}{nodes}"


# What shows where the focus is: the focused element's box, the element on top at its middle, its outline's and
# box-shadow's colours, and the first opaque background behind it.
FOCUS_SCRIPT = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    // A link that wraps has a box per line; the middle of their common box may be between them.
    const tops = [...element.getClientRects()].map(
        part => document.elementFromPoint(part.left + part.width / 2, part.top + part.height / 2)
    );
    const colours = [];
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) colours.push(style.outlineColor);
    if (style.boxShadow !== "none") colours.push(...(style.boxShadow.match(/rgba?\\([^)]*\\)/g) || []));
    let background = "rgb(255, 255, 255)";
    for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== "transparent" && !colour.startsWith("rgba(0, 0, 0, 0)")) { background = colour; break; }
    }
    return {
        html: element.outerHTML.slice(0, 160),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
        onTop: tops.some(top => top !== null && (top === element || element.contains(top))),
        covering: tops.length && tops[0] ? tops[0].outerHTML.slice(0, 160) : null,
        colours,
        background,
    };
}"""


def parse_colour(css: str) -> tuple[float, float, float]:
    red, green, blue = (float(part) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return red, green, blue


def contrast(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """The WCAG contrast ratio of two sRGB colours."""

    def luminance(colour):
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
