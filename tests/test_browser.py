"""The real site in real Chromium, served over HTTP on 127.0.0.1.

The site is built from the data under test (tests/kbdata.py); the pages
visited are chosen from it (of each kind, the record with the most
citations), so the tests hold for whatever records it has.

- A reader's path: search a person by name, open the result, follow a
  citation marker, land on the source with the quoted passage highlighted
  (mark.kb-current) and on screen, not under the header.
- The citation tooltip opens from the keyboard (Tab to the marker).
- Every page kind: no console error, no request to another host, no serious
  or critical axe-core violation, and no sideways scrolling on a phone.
- Screenshots of a person page and a source page, light and dark, desktop
  and phone, in test-output/screenshots/ (gitignored) for a human to look at.

Needs Chromium (the system's, see conftest_site.CHROMIUM); skipped without it.
"""

from __future__ import annotations

import re

import pytest
from conftest_site import REPO, PageWatch, chromium_available, launch_chromium, material_search, real_site, serve
from kbdata import DATA, DATA_ROOT

from macros.kb.kinds import FOLDERS
from macros.kb.validate import validate

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(not chromium_available(), reason="no Chromium")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO / "test-output" / "screenshots"

KB = validate(DATA, DATA_ROOT).kb


def _most_cited(kind: str) -> str | None:
    """The id of the record of `kind` with the most citations (the first such id), or None if there is none."""
    table = dict(KB.tables())[kind]

    def citations(record_id: str) -> int:
        claims = KB.claims_citing.get(record_id, ()) if kind == "source" else table[record_id].claims
        return sum(len(c.cite) for c in claims)

    return min(table, key=lambda record_id: (-citations(record_id), record_id), default=None)


RECORD_PAGES = {
    kind: f"{FOLDERS[kind]}/{record_id}/"
    for kind in ("person", "unit", "event", "source", "discrepancy")
    if (record_id := _most_cited(kind))
}
PERSON = KB.people[_most_cited("person")]
PAGES = {
    "home": "",
    **RECORD_PAGES,
    "timeline": "timeline/",
    "org-chart": "org-chart/",
    "downloads": "downloads/",
    "people-index": "people/",
    "discrepancies": "discrepancies/",
    "not-found": "404.html",  # what GitHub Pages serves for a missing address (root-absolute links)
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with serve(real_site(tmp_path_factory)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """new_page(**context options) -> (page, watch); contexts are closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page, base_url)

    yield make
    for context in contexts:
        context.close()


def _in_viewport(page, locator) -> dict:
    return locator.evaluate("""el => {
        const r = el.getBoundingClientRect();
        const header = document.querySelector('.md-header');
        const top = header ? header.getBoundingClientRect().bottom : 0;
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, headerBottom: top,
                height: window.innerHeight, width: document.documentElement.clientWidth};
    }""")


def test_search_a_person_then_follow_a_citation_to_the_highlighted_quote(new_page, base_url):
    page, watch = new_page()
    page.goto(base_url, wait_until="load")
    link = f"people/{PERSON.id}/"
    # Also by another name: the search index holds the names section.
    person = next((p for p in KB.people.values() if p.other_names), None)
    if person is not None:
        material_search(page, person.other_names[0].name)
        assert page.locator(f".md-search-result a[href*='people/{person.id}/']").count() > 0
    material_search(page, PERSON.name)
    result = page.locator(f".md-search-result__link[href*='{link}']").first
    result.click()
    page.wait_for_url(re.compile(".*/" + re.escape(link) + ".*"))
    assert page.locator("article h1").first.inner_text().startswith(PERSON.name)

    marker = page.locator("article a.kb-cite-link").first
    href = marker.get_attribute("href")
    anchor = href.split("#", 1)[1]
    marker.click()
    page.wait_for_url(re.compile(r".*/sources/[a-z0-9-]+/#" + anchor + "$"))
    current = page.locator("mark.kb-current")
    assert current.count() > 0
    assert all(anchor in current.nth(i).get_attribute("data-quotes").split() for i in range(current.count()))
    first = current.first
    assert first.is_visible()
    box = _in_viewport(page, first)
    assert box["top"] >= box["headerBottom"] - 1 and box["bottom"] <= box["height"], box
    assert watch.problems() == []


def test_citation_tooltip_opens_from_the_keyboard(new_page, base_url):
    page, watch = new_page()
    page.goto(base_url + PAGES["person"], wait_until="load")
    tip = page.locator(".kb-tip").first
    assert not tip.is_visible()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.classList.contains('kb-cite-link')"):
            break
    else:
        pytest.fail("Tab never reached a citation marker")
    focused_tip = page.locator("a.kb-cite-link:focus + .kb-tip")
    assert focused_tip.is_visible()
    assert focused_tip.inner_text().startswith("“")
    box = _in_viewport(page, focused_tip)
    assert box["left"] >= 0 and box["right"] <= box["width"], box
    # Screen readers hear "Citation N", then the tip it is described by: the quote and its source.
    marker = page.locator("a.kb-cite-link:focus")
    assert marker.get_attribute("aria-label").startswith("Citation ")
    assert marker.get_attribute("aria-describedby") == focused_tip.get_attribute("id")
    assert focused_tip.locator(".kb-tip-source").inner_text().strip()
    page.keyboard.press("Tab")
    assert watch.problems() == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_tooltip_fits_the_screen(size, new_page, base_url):
    options = {"viewport": DESKTOP} if size == "desktop" else {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    page, watch = new_page(**options)
    cut_off = []
    for kind in ("person", "unit", "discrepancy"):
        if kind not in PAGES:
            continue
        page.goto(base_url + PAGES[kind], wait_until="load")
        cut_off += page.evaluate(
            """kind => {
            const width = document.documentElement.clientWidth, out = [];
            for (const marker of document.querySelectorAll('article a.kb-cite-link')) {
                marker.focus();
                const tip = marker.nextElementSibling.getBoundingClientRect();
                if (tip.left < 0 || tip.right > width) out.push(`${kind} ${marker.textContent}: ${tip.left}..${tip.right}`);
            }
            return out;
        }""",
            kind,
        )
    assert cut_off == [], f"{len(cut_off)} tooltips run off the screen"
    assert watch.problems() == []


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_kind_is_clean_accessible_and_fits_a_phone(kind, new_page, base_url):
    from axe_playwright_python.sync_playwright import Axe

    page, watch = new_page()
    page.goto(base_url + PAGES[kind], wait_until="load")
    page.wait_for_timeout(200)  # let the theme's scripts settle (search worker, palette)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], kind

    phone, phone_watch = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(base_url + PAGES[kind], wait_until="load")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{kind}: the page scrolls sideways on a phone ({widths[0]} > {widths[1]})"
    assert watch.problems() + phone_watch.problems() == [], kind


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(scheme, new_page, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        options = {"viewport": size, "color_scheme": scheme}
        if size_name == "phone":
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        page, watch = new_page(**options)
        page.goto(base_url + PAGES["person"], wait_until="load")
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.screenshot(path=SCREENSHOTS / f"person-{scheme}-{size_name}.png")
        markers = page.locator("article a.kb-cite-link")
        markers.nth(min(4, markers.count() - 1)).focus()
        page.screenshot(path=SCREENSHOTS / f"person-tooltip-{scheme}-{size_name}.png")
        # The source page as a citation opens it: scrolled to the quote, highlighted.
        href = markers.nth(min(2, markers.count() - 1)).get_attribute("href")
        page.goto(base_url + PAGES["person"] + href, wait_until="load")
        page.wait_for_selector("mark.kb-current")
        page.screenshot(path=SCREENSHOTS / f"source-{scheme}-{size_name}.png")
        problems += watch.problems()
    assert problems == []
