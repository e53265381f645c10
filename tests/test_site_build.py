"""End to end: the repository's real site, built once, checked page by page.

Builds from the data under test (data/, or the folder KB_DATA names: tests/kbdata.py)
with REPO_URL and EDIT_URI set (as CI does), then parses every HTML
file and checks the promises the pages make: citations land on a
highlighted quote, every in-site link and anchor resolves, edit links open
the record's YAML, entity pages stay out of the navigation, search finds
people by every name, nothing is loaded from another host, and entity
pages stay small.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest_site import EDIT_ENV, ENTITY_FOLDERS, REPO, Site, has_class, is_external, real_site, real_site_build
from kbdata import DATA, DATA_ROOT

from macros.exports.files import EXPORT_PATHS
from macros.kb.kinds import FOLDERS
from macros.kb.validate import validate
from macros.session.downloads import SIZE_MARK, size_text

pytestmark = pytest.mark.slow

# A page weighs a fixed part (the theme, header, navigation of the sections) and a part for each citation
# marker it shows (the marker, its tooltip with the quote, the claim around it, its share of the JSON-LD).
# Catches what makes pages heavy by the hundred kilobytes (the whole navigation rendered into each, a list
# repeated), whatever the data holds: a data change that adds claims to a page does not fail it.
PAGE_BYTES = 32 * 1024
BYTES_PER_CITATION = 1536
FOREIGN = re.compile(
    r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs|googletagmanager|"
    r"google-analytics",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(real_site(tmp_path_factory))


@pytest.fixture(scope="module")
def kb():
    return validate(DATA, DATA_ROOT).kb


def test_every_record_has_a_page(site, kb):
    for kind, table in kb.tables():
        for record_id in table:
            assert f"{FOLDERS[kind]}/{record_id}/index.html" in site.pages
    assert len(site.generated()) == kb.size


def test_citations_land_on_a_highlighted_quote(site):
    checked = 0
    for page in site.generated(ENTITY_FOLDERS):
        for link in page.soup.select("a.kb-cite-link"):
            href = link["href"]
            target, anchor = site.resolve(page, href)
            where = f"{page.path}: {href}"
            assert target and target.startswith("sources/"), where
            assert anchor, where
            element = site.pages[target].soup.find(id=anchor)
            assert element is not None, f"{where}: no element with that id"
            assert _at_highlighted_quote(element, anchor), f"{where}: the anchor is not at a highlighted quote"
            # The tooltip the marker is described by is the quote itself.
            tip = page.soup.find(id=link["aria-describedby"])
            assert tip is not None and has_class(tip, "kb-tip"), where
            checked += 1
    assert checked > 0


def _at_highlighted_quote(element, anchor: str) -> bool:
    """The element is a quote mark, inside one, or an anchor right before the mark that carries it."""
    if element.name == "mark" and has_class(element, "kb-quote"):
        return True
    if element.find_parent("mark", class_="kb-quote"):
        return True
    sibling = element.find_next_sibling()
    while sibling is not None and sibling.name == "span" and has_class(sibling, "kb-anchor"):
        sibling = sibling.find_next_sibling()
    return (
        sibling is not None
        and sibling.name == "mark"
        and has_class(sibling, "kb-quote")
        and anchor in sibling.get("data-quotes", "").split()
    )


def test_every_in_site_link_and_anchor_resolves(site):
    broken = []
    for page in site.pages.values():
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in page.soup.find_all(tag, attrs={attribute: True}):
                url = element[attribute]
                if is_external(url) or url.startswith(("mailto:", "data:")):
                    continue
                if url.startswith("/"):
                    if page.path != "404.html":  # served for any address, so MkDocs makes its links absolute
                        broken.append(f"{page.path}: root-absolute {url} breaks under a sub-path")
                        continue
                    url = url.lstrip("/")  # site_url is unset here: the site's root is the server's
                target, anchor = site.resolve(page, url)
                if target is None:
                    broken.append(f"{page.path}: {url}: no such file")
                elif anchor and target.endswith(".html") and anchor not in site.pages[target].ids:
                    broken.append(f"{page.path}: {url}: no id {anchor!r} in {target}")
    assert broken == []


def test_edit_links_open_the_record_yaml(site):
    repo, edit = EDIT_ENV["REPO_URL"], EDIT_ENV["EDIT_URI"]
    prefix = f"{repo}/{edit.replace('/docs/', '/')}"  # .../edit/main/
    for page in site.generated():
        buttons = [a for a in page.soup.select("a.md-content__button") if a.get("title", "").startswith("Edit")]
        assert len(buttons) == 1, page.path
        href = buttons[0]["href"]
        folder, record_id = page.path.split("/")[:2]
        record_file = DATA / folder / f"{record_id}.yml"
        assert href == f"{prefix}{record_file.relative_to(REPO).as_posix()}", page.path
        assert record_file.is_file()
    # Hand-written pages keep theirs, into docs/.
    home = site.page("")
    assert home.soup.select_one("a.md-content__button")["href"] == f"{repo}/{edit}index.md"


def test_entity_pages_are_not_in_the_navigation(site):
    entity_urls = {page.url for page in site.generated()}
    for page in (site.page(""), site.page("people"), site.generated(("people",))[0]):
        nav = page.soup.select_one("nav.md-nav--primary")
        assert nav is not None, page.path
        for link in nav.find_all("a", href=True):
            target, _ = site.resolve(page, link["href"])
            if target:
                assert target[: -len("index.html")] not in entity_urls, f"{page.path} lists {target} in the nav"
    # ... and they are not orphans: their index pages list them.
    for folder in ENTITY_FOLDERS:
        index = site.page(folder)
        linked = {site.resolve(index, a["href"])[0] for a in index.soup.select("article a[href]")}
        for page in site.generated((folder,)):
            assert page.path in linked, f"{folder}/ index does not list {page.path}"


def test_search_index_finds_people_by_every_name(site, kb):
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]

    def find(words: str) -> set[str]:
        return {d["location"].split("#")[0] for d in docs if words.lower() in (d["title"] + " " + d["text"]).lower()}

    for person in kb.people.values():
        location = f"people/{person.id}/"
        for name in (person.name, *(n.name for n in person.other_names)):
            assert location in find(name), (person.id, name)
        page_entry = next(d for d in docs if d["location"] == location)
        assert page_entry["title"] == person.name
    # JSON-LD is data for machines, not text for the search box.
    assert not any("@context" in d["text"] or '"@type"' in d["text"] for d in docs)


def test_nothing_is_loaded_from_another_host(site):
    offenders = []
    for page in site.pages.values():
        for element in page.soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
            for attribute in ("src", "href", "srcset"):
                url = element.get(attribute)
                if not url or (element.name == "link" and "edit" in (element.get("rel") or [])):
                    continue
                if element.name == "link" and not set(element.get("rel") or []) & {
                    "stylesheet",
                    "preload",
                    "preconnect",
                    "dns-prefetch",
                    "icon",
                    "modulepreload",
                    "prefetch",
                }:
                    continue
                if is_external(url):
                    offenders.append(f"{page.path}: <{element.name} {attribute}={url}>")
        for style in page.soup.find_all("style"):
            if re.search(r"url\(\s*['\"]?(https?:)?//|@import", style.get_text()):
                offenders.append(f"{page.path}: external url() in <style>")
        for element in page.soup.find_all(attrs={"href": True}) + page.soup.find_all(attrs={"src": True}):
            url = element.get("href") or element.get("src")
            if url.startswith("//"):  # protocol-relative: another host (404.html once had href="//feed.xml")
                offenders.append(f"{page.path}: <{element.name} {url}>")
        if FOREIGN.search(page.html):
            offenders.append(f"{page.path}: mentions {FOREIGN.search(page.html).group(0)}")
    for css in site.root.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for match in re.finditer(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)|@import\s+url\(\s*['\"]?(https?:)?//", text):
            offenders.append(f"{css.relative_to(site.root)}: {match.group(0)}")
    assert offenders == []


def test_entity_pages_are_small(site):
    too_big = {}
    for page in site.generated(ENTITY_FOLDERS):
        size = len(page.html.encode("utf-8"))
        allowed = PAGE_BYTES + BYTES_PER_CITATION * len(page.soup.select("sup.kb-cite"))
        if size > allowed:
            too_big[page.path] = (size, allowed)
    assert too_big == {}, "pages over their weight (bytes, allowed)"


def test_entity_pages_carry_their_json_ld(site):
    for page in site.generated(("people", "units", "events", "sources")):
        blocks = page.soup.find_all("script", type="application/ld+json")
        assert len(blocks) == 1, page.path
        json.loads(blocks[0].string)


def test_the_downloads_page_gives_each_file_its_size(site):
    """Made while the downloads may still be being written, the table ends up with their real sizes,
    and no page keeps a placeholder."""
    page = site.page("downloads/")
    rows = [row for row in page.soup.select("table tr") if row.find("a")]
    assert {row.find("a").get_text() for row in rows} == set(EXPORT_PATHS)
    for row in rows:
        target, _ = site.resolve(page, row.find("a")["href"])
        assert target is not None, row
        assert row.find_all("td")[1].get_text() == size_text((site.root / target).stat().st_size)
    assert [p.path for p in site.pages.values() if SIZE_MARK in p.html] == []


def test_no_template_source_leaks_into_the_site(site):
    """The theme override is a template, not a page: it must not be published as a file."""
    leaked = sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*")
        if p.is_file() and p.suffix in (".md", ".yml", ".py") or "overrides" in p.parts
    )
    assert leaked == []


def test_build_output_is_quiet(tmp_path_factory):
    """The strict build prints no WARNING (they would fail --strict anyway) and no traceback."""
    output = real_site_build(tmp_path_factory)[1]
    assert "WARNING" not in output and "Traceback" not in output, output


def test_site_dir_is_self_contained(site):
    """No file of the site names a path of the machine that built it."""
    home = str(Path.home())
    for file in site.root.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json", ".xml", ".csv", ".jsonld", ".js", ".css"):
            text = file.read_text(encoding="utf-8", errors="replace")
            assert str(REPO) not in text and (home == "/" or home not in text), file
