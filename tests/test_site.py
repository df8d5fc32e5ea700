"""The built documentation site, opened in a real headless Chromium (issue 11).

``tools/dev.py docs`` builds the site into site/; the ``docs`` step of ``tools/dev.py test``
builds it and then runs this file with ``SAFEHANDLES_SITE`` naming the built folder. The site
is served over HTTP from a thread (search loads its index with ``fetch``, which ``file://``
pages may not do) and driven over the DevTools protocol by ``tools/browser.py``.

``SAFEHANDLES_SCREENSHOTS``, when set, names a folder that keeps the screenshots (the docs
step uses build/screenshots/); otherwise they go to pytest's temporary folder.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

SITE = os.environ.get("SAFEHANDLES_SITE", "")

pytestmark = pytest.mark.skipif(
    not SITE or sys.platform == "win32",
    reason="run by the docs step of 'tools/dev.py test' after it builds the site (SAFEHANDLES_SITE)",
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
try:
    import browser
finally:
    sys.path.pop(0)

#: Waits in the page for a condition, polling; resolves with the condition's value or null.
POLL = """new Promise((done) => {{
  const start = Date.now();
  const poll = () => {{
    const value = ({condition})();
    if (value || Date.now() - start > {ms}) done(value || null); else setTimeout(poll, 50);
  }};
  poll();
}})"""


def wait_for(page: browser.Page, condition: str, ms: int = 15000) -> Any:
    """The first truthy value of the JavaScript arrow function ``condition``, or None."""
    return page.evaluate(POLL.format(condition=condition, ms=ms))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Path:
    root = Path(SITE).resolve()
    assert (root / "index.html").is_file(), f"{root} holds no built site"
    return root


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name="site server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[browser.Page]:
    with browser.Page(base_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kept = os.environ.get("SAFEHANDLES_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def failed_resources(page: browser.Page) -> Any:
    """What the page loaded with an HTTP error (stylesheets, scripts, fonts, the search index)."""
    return page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus)"
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_home_page_renders_with_its_theme_and_navigation(
    page: browser.Page, base_url: str, site: Path
) -> None:
    page.goto(base_url)
    assert page.evaluate("document.title") == "safehandles"
    assert "safehandles" in page.evaluate("document.querySelector('article h1').innerText")
    nav = page.evaluate("[...document.querySelectorAll('.md-nav__link')].map(a => a.innerText.trim())")
    for entry in ("Getting started", "Reference", "Synchronization", "Changelog"):
        assert entry in nav, f"{entry!r} missing from the navigation: {nav}"
    # Material's stylesheet and script ran: the header is coloured, and the script replaced the
    # page's "no-js" class with "js" (the built HTML ships "no-js").
    header = page.evaluate("getComputedStyle(document.querySelector('header.md-header')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)"), header
    assert 'class="no-js"' in (site / "index.html").read_text(encoding="utf-8")
    assert wait_for(page, "() => document.documentElement.classList.contains('js')")
    assert not page.evaluate("document.documentElement.classList.contains('no-js')")
    assert failed_resources(page) == []


def test_an_api_page_renders_each_class_with_its_signatures(
    page: browser.Page, base_url: str, screenshots: Path
) -> None:
    page.goto(urljoin(base_url, "reference/synchronization/#safehandles.Event"))
    assert page.evaluate("document.title").startswith("Synchronization")
    classes = page.evaluate("[...document.querySelectorAll('h2.doc-heading')].map(h => h.id)")
    for name in (
        "safehandles.Event",
        "safehandles.Mutex",
        "safehandles.Semaphore",
        "safehandles.WaitableTimer",
    ):
        assert name in classes, f"{name} has no section: {classes}"
    create = page.evaluate(
        "(() => { const h = document.getElementById('safehandles.Event.create');"
        " return h && h.parentElement.innerText; })()"
    )
    assert create, "Event.create has no entry"
    assert "create(" in create, create
    assert "manual_reset" in create, create
    # The docstring is rendered under the signature, not only the name.
    assert len(create) > 200, create
    assert failed_resources(page) == []
    # The header swaps the site name for the page title as the anchor scrolls: let it settle.
    page.evaluate("new Promise((done) => setTimeout(done, 500))")
    shot = page.screenshot(screenshots / "api-synchronization.png")
    assert png_size(shot) == (1280, 900)
    assert shot.stat().st_size > 30_000, "the screenshot looks blank"
    print(f"screenshot of the API page: {shot}")


def test_search_finds_event_create(page: browser.Page, base_url: str, site: Path, screenshots: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "reference/synchronization/#safehandles.Event.create" in locations
    page.goto(urljoin(base_url, "?q=Event.create"))
    results = wait_for(
        page,
        "() => { const links = [...document.querySelectorAll('.md-search-result__item a')];"
        " return links.length && links.map(a => a.getAttribute('href')); }",
    )
    assert results, "the search for Event.create showed no result"
    paths = {urlsplit(href).path for href in results}
    assert "/reference/synchronization/" in paths, results
    page.screenshot(screenshots / "search-event-create.png")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(str(values[key]))
        for key in ("href", "src"):
            target = values.get(key)
            if target and not (tag == "link" and values.get("rel") in ("preconnect", "dns-prefetch")):
                self.links.append(target)


def _page_file(site: Path, path: str) -> Path:
    target = site / unquote(path).lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_no_internal_link_is_broken(site: Path) -> None:
    pages: dict[Path, _Links] = {}
    for html in sorted(site.rglob("*.html")):
        parsed = _Links()
        parsed.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = parsed
    assert len(pages) > 20, f"only {len(pages)} pages were built"
    broken: list[str] = []
    checked = 0
    for html, parsed in pages.items():
        here = "/" + html.relative_to(site).as_posix()
        for link in parsed.links:
            parts = urlsplit(urljoin(here, link))
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue  # external: the site must build offline, so those are not fetched
            target = _page_file(site, parts.path).resolve()
            checked += 1
            if not target.is_file():
                broken.append(f"{here}: {link} (no {target.relative_to(site.resolve())})")
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{here}: {link} (no id {parts.fragment!r} there)")
    assert checked > 1000, f"only {checked} internal links were found"
    assert broken == [], "\n".join(broken[:40])


def test_the_docstrings_reST_reads_as_markdown(site: Path) -> None:
    """tools/griffe_rest.py rewrites roles, ``>>>`` examples and ``::`` blocks for the site."""
    pages = sorted((site / "reference").glob("*/index.html"))
    assert len(pages) >= 10
    residue = re.compile(r":(?:class|meth|func|attr|exc|data|mod):`|<blockquote>\s*<blockquote>|\w::</p>")
    found = {p.parent.name: residue.findall(p.read_text(encoding="utf-8")) for p in pages}
    assert {name: hits for name, hits in found.items() if hits} == {}
    synchronization = (site / "reference" / "synchronization" / "index.html").read_text(encoding="utf-8")
    # Event's example is a highlighted console block, not a quote.
    assert '<span class="gp">&gt;&gt;&gt; </span>' in synchronization
