"""The course's website in a real browser: `make test-site` (after `make site`).

Headless Chromium from Debian (/usr/bin/chromium, or $CHROMIUM), driven by Playwright's Python
package through `executable_path` (no browser is downloaded). The site is served from site/html
on 127.0.0.1, and every request that leaves this machine is refused and reported, so the site
must work offline. Every page is opened and fails on: a console error or an uncaught exception,
a request that fails or answers 4xx/5xx, a request to another host, an image that does not load
(naturalWidth 0), math left unrendered (a MathJax element without its output, raw TeX
delimiters in the text, or no rendered math on a chapter whose notebook has math), a link
inside the site to a missing page or anchor. Chapter pages must have their Colab link, a
download link that serves the notebook, and prev/next links in chapter order; search must find
chapter 9 by words of its prose. Screenshots (landing page, a chapter, the landing page at 390
pixels wide, which must not scroll sideways) are written to site/_screenshots/.

This file is not collected by `make test` (it is outside tests/ and not named test_*.py); run it
with `pytest tools/check_site.py`.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "site" / "html"
SHOTS = ROOT / "site" / "_screenshots"
COLAB = "https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Words of chapter 9's prose: its subject, and a word no other chapter's prose uses.
CHAPTER_9_TERMS = ["Hyperband", "boldest"]

CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if not p.relative_to(HTML).parts[0].startswith("_")) if HTML.is_dir() else []


def notebook_has_math(path: Path) -> bool:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return bool(re.search(r"\$\$.+?\$\$|\$[^$\n]+\$", text, flags=re.S))


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def anchors(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("no site to test: run `make site` first (it builds site/html)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium (Debian's package), or set $CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page open in a fresh context, with what went wrong while it loaded."""

    def __init__(self, browser, server, page_path, width=1280, height=900):
        self.server = server
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught exception: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.goto(server + page_path, wait_until="load")
        self.wait_for_math()

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.server) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.problems.append(f"request to another host (the site must work offline): {url}")
            route.abort()

    def wait_for_math(self):
        if self.page.evaluate("() => document.querySelector('.math, mjx-container') !== null"):
            self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                        timeout=30_000)
            self.page.evaluate("() => MathJax.startup.promise")

    def close(self):
        self.context.close()


def test_the_site_has_a_page_per_chapter_and_its_reference_pages():
    assert PAGES, "no site to test: run `make site` first (it builds site/html)"
    missing = [c.stem for c in CHAPTERS if f"notebooks/{c.stem}.html" not in PAGES]
    assert not missing, f"chapters without a page: {missing}"
    for page in ("index.html", "references.html", "api.html", "search.html"):
        assert page in PAGES


@pytest.mark.parametrize("page_path", PAGES)
def test_page(browser, server, page_path):
    visit = Visit(browser, server, page_path)
    page, problems = visit.page, visit.problems
    try:
        # Images: every one loads (lazy ones are asked to load now).
        broken = page.evaluate("""async () => {
            const imgs = [...document.images];
            imgs.forEach(i => { i.loading = 'eager'; });
            await Promise.all(imgs.map(i => i.decode().catch(() => null)));
            return imgs.filter(i => i.naturalWidth === 0).map(i => i.currentSrc || i.src);
        }""")
        problems += [f"image does not load: {src}" for src in broken]

        # Math: every MathJax element rendered, no raw TeX left in the text.
        unrendered = page.evaluate("""() => [...document.querySelectorAll('span.math, div.math')]
            .filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80))""")
        problems += [f"math not rendered: {t!r}" for t in unrendered]
        prose = page.evaluate("""() => {
            const main = (document.querySelector('article') || document.body).cloneNode(true);
            main.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .cell_output')
                .forEach(e => e.remove());
            return main.textContent;
        }""")
        for raw in re.findall(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\s][^$\n]*\\[A-Za-z]+[^$\n]*\$", prose):
            problems.append(f"raw TeX left in the text: {raw!r}")
        rendered = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        chapter = ROOT / "notebooks" / (Path(page_path).stem + ".ipynb")
        is_chapter = page_path.startswith("notebooks/") and chapter.exists()
        if is_chapter and notebook_has_math(chapter) and rendered == 0:
            problems.append("the notebook has math but the page shows no rendered math")

        # Links inside the site: the page exists and so does the anchor.
        hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        for href in sorted(set(hrefs)):
            if not href.startswith(visit.server):
                continue
            url, fragment = urldefrag(href)
            target = HTML / unquote(urlparse(url).path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"broken link: {href}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in anchors(target):
                problems.append(f"link to a missing anchor: {href}")

        if is_chapter:
            name = chapter.name
            if not page.locator(f'a[href="{COLAB}{name}"]').count():
                problems.append(f"no Colab link to {COLAB}{name}")
            download = page.locator("a.chapter-download")
            if not download.count():
                problems.append("no download link for the notebook")
            else:
                served = page.request.get(urljoin(page.url, download.first.get_attribute("href")))
                if served.status != 200 or "nbformat" not in json.loads(served.body()):
                    problems.append(f"the download link does not serve the notebook ({served.status})")
            i = CHAPTERS.index(chapter)
            nxt = page.locator("a.right-next").first.get_attribute("href") if page.locator("a.right-next").count() \
                else None
            prev = page.locator("a.left-prev").first.get_attribute("href") if page.locator("a.left-prev").count() \
                else None
            if i + 1 < len(CHAPTERS) and (nxt or "").split("#")[0] != CHAPTERS[i + 1].stem + ".html":
                problems.append(f"next link {nxt!r}, expected the next chapter {CHAPTERS[i + 1].stem}")
            expected_prev = CHAPTERS[i - 1].stem + ".html" if i else "../index.html"
            if (prev or "").split("#")[0] != expected_prev:
                problems.append(f"previous link {prev!r}, expected {expected_prev}")
    finally:
        visit.close()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("term", CHAPTER_9_TERMS)
def test_search_finds_chapter_9(browser, server, term):
    visit = Visit(browser, server, f"search.html?q={term}")
    try:
        visit.page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        found = visit.page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
        assert any("notebooks/09_multi_fidelity.html" in href for href in found), found
        assert not visit.problems, visit.problems
    finally:
        visit.close()


def test_screenshots_and_the_phone_width(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    chapter = "notebooks/05_bayesian_optimization.html"
    for page_path, shot, width in [("index.html", "landing.png", 1280), (chapter, "chapter.png", 1280),
                                   ("index.html", "landing-390px.png", 390), (chapter, "chapter-390px.png", 390)]:
        visit = Visit(browser, server, page_path, width=width, height=844 if width == 390 else 900)
        try:
            visit.page.screenshot(path=str(SHOTS / shot), full_page=width != 390 or page_path == "index.html")
            if width == 390:
                sizes = visit.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                assert sizes[0] <= sizes[1], f"{page_path} scrolls sideways at 390 px: {sizes}"
            assert not visit.problems, visit.problems
        finally:
            visit.close()


def test_every_chapter_fits_a_phone(browser, server):
    """Wide tables and printed outputs scroll inside their box, never the whole page."""
    wide = []
    for chapter in CHAPTERS:
        visit = Visit(browser, server, f"notebooks/{chapter.stem}.html", width=390, height=844)
        try:
            scroll, inner = visit.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                wide.append(f"{chapter.stem}: {scroll} px for {inner}")
        finally:
            visit.close()
    assert not wide, wide


def test_references_and_api_pages(browser, server):
    visit = Visit(browser, server, "references.html")
    try:
        entries = visit.page.locator("article li").count()
        assert entries >= 20, f"only {entries} references"
    finally:
        visit.close()
    ids = anchors(HTML / "api.html")
    for module in ["hpo_lessons", "hpo_lessons.core", "hpo_lessons.methods", "hpo_lessons.benchmarks",
                   "hpo_lessons.keras_task", "hpo_lessons.frameworks", "hpo_lessons.experiments",
                   "hpo_lessons.plots", "hpo_lessons.exercises"]:
        assert f"module-{module}" in ids, f"the API page does not document {module}"
