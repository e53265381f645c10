"""Hostile text in every text field of every record kind stays inert text.

A pull request's YAML is untrusted input to CI and to the published site. This
module copies the fixture knowledge base (tests/fixtures/kbsite/data), puts
HTML, event handlers, `javascript:` links, Markdown links and raw HTML blocks,
attribute lists, Jinja syntax (`{{ 7*7 }}`, `{% raw %}`, `{% include %}`) and
`</script>` / `</title>` into every text field (names, other names, titles,
roles, statement texts, attributions, summaries, time phrases, questions,
answers, notes, reasons, publisher, author, an unsafe URL, and the archived
text itself, so quotes carry it too, with control, bidirectional and
invisible characters, which the archive may hold as evidence), builds a real
site from the repository's mkdocs.yml and docs/ with that data, and checks
that:

- validation accepts it (it is valid data; it must be harmless, not refused);
- the HTML has no <script> but the theme's and the JSON-LD blocks, no on*
  attribute, no javascript: URL, no element the data smuggled in;
- `{{ 7*7 }}` appears literally (no template ran on it) and headings show the
  text exactly;
- the archive's invisible characters are shown as their code points, in the
  archived text and in every quote of it, and no file of the site but the
  CSV export holds one raw;
- the source's URL (valid, with & and an escaped <) is a link exactly as
  validated;
- in Chromium, every page loads with no dialog, no console error and no
  request to any host but the local server, also after typing in the search.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest_site import (
    FIXTURE_DATA,
    PageWatch,
    Site,
    build_site,
    chromium_available,
    launch_chromium,
    make_project,
    material_search,
    serve,
    shared,
)

from macros.kb.validate import validate

pytestmark = pytest.mark.slow


def payload(label: str) -> str:
    """Every kind of hostile text at once; `label` says which field it came from."""
    return (
        f"<img src=x onerror=alert('{label}')><script>alert('{label}')</script>"
        f"[x](javascript:alert('{label}')) <a href=\"javascript:alert('{label}')\">a</a> "
        f"{{{{ 7*7 }}}} {{% raw %}}{{% include 'mkdocs.yml' %}} {{: onclick=\"alert('{label}')\" }} "
        f"</title></script><svg onload=alert('{label}')> <!-- ~|*_`code` &amp; \"'"
    )


TEMPLATE = "{{ 7*7 }}"
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text")
MULTILINE = "First line.\n\n<div onmouseover=alert('block')>\n\n# not a heading\n\n</div>\n"
ARCHIVE_LINES = [
    "Staff saw <script>alert('archive-1')</script> and <img src=x onerror=alert('archive-2')> on the board.",
    "The memo read {{ 7*7 }} and {% raw %} and [x](javascript:alert('archive-3')) at the end.",
    "A footer said </script><script>alert('archive-4')</script> twice.",
    # Evidence with characters no other text may hold: bidirectional controls, a zero-width space, ANSI
    # escapes and a bell (an article pasted from a terminal, say).
    "The wire copy read \u202eevil\u202c with a zero\u200bwidth space, an escape \x1b[2J and a bell\x07 in it.",
]
INVISIBLE = {"U+202E", "U+202C", "U+200B", "U+001B", "U+0007"}
URL = "https://example.com/a?b=1&c=%3Cscript%3E#x"


ARCHIVE_PHRASE = "{{ 7*7 }} and {% raw %} and [x](javascript:alert('archive-3'))"  # in ARCHIVE_LINES[1]


def _worded(kind: str | None, text: str) -> str:
    """An analysis text begins by saying who comments (the validator's rule); the rest stays hostile."""
    return f"Industry analysts suggest that {text}" if kind == "analysis" else text


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def make_hostile_data(target: Path) -> dict[str, str]:
    """Copy the fixture data to target and make every text field hostile.

    Returns {record id: its hostile display name}, for the heading checks.
    """
    shutil.copytree(FIXTURE_DATA, target)
    names: dict[str, str] = {}

    # The source: its archived text gains hostile sentences (so quotes carry them too).
    source_id = "northwind-autonomy-report"
    archive = target / "sources" / f"{source_id}.txt"
    text = archive.read_text(encoding="utf-8") + "\n".join(ARCHIVE_LINES) + "\n"
    archive.write_bytes(text.encode("utf-8"))
    source_file = target / "sources" / f"{source_id}.yml"
    source = _load(source_file)
    source.update(
        title=payload("source.title"),
        publisher=payload("source.publisher"),
        author=payload("source.author"),
        notes=payload("source.notes") + MULTILINE,
        url=URL,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    for index, entry in enumerate(source["no_claim"]):
        entry["reason"] = payload(f"no_claim.{index}.reason")
    source["no_claim"].append({"quote": ARCHIVE_LINES[2], "reason": payload("no_claim.archive.reason")})
    names[source_id] = source["title"]
    _dump(source_file, source)

    def statement(label: str, quote: str, kind: str = "reported", **extra) -> dict:
        return {
            "kind": kind,
            "text": _worded(kind, payload(label) + MULTILINE),
            **extra,
            "cite": [{"source": source_id, "quote": quote}],
        }

    for file in sorted((target / "people").glob("*.yml")):
        record = _load(file)
        record_id = record["id"]
        record["name"] = f"{record['name']} {payload(record_id + '.name')}"
        names[record_id] = record["name"]
        record.setdefault("other_names", []).append(
            {"name": payload(record_id + ".other_name"), "cite": [{"source": source_id, "quote": ARCHIVE_LINES[0]}]}
        )
        for index, role in enumerate(record.get("roles", [])):
            role["role"] = payload(f"{record_id}.roles.{index}.role")
        for index, item in enumerate(record.get("statements", [])):
            item["text"] = payload(f"{record_id}.statements.{index}.text") + MULTILINE
            if item.get("kind") in ("attributed", "analysis"):
                item["attribution"] = payload(f"{record_id}.statements.{index}.attribution")
        record.setdefault("statements", []).append(
            statement(
                f"{record_id}.attributed",
                ARCHIVE_LINES[0],
                "attributed",
                attribution=payload(f"{record_id}.attribution"),
            )
        )
        _dump(file, record)

    for file in sorted((target / "units").glob("*.yml")):
        record = _load(file)
        record_id = record["id"]
        record["name"] = f"{record['name']} {payload(record_id + '.name')}"
        names[record_id] = record["name"]
        record.setdefault("other_names", []).append(
            {"name": payload(record_id + ".other_name"), "cite": [{"source": source_id, "quote": ARCHIVE_LINES[1]}]}
        )
        for index, item in enumerate(record.get("statements", [])):
            item["text"] = _worded(item.get("kind"), payload(f"{record_id}.statements.{index}.text") + MULTILINE)
            if item.get("kind") in ("attributed", "analysis"):
                item["attribution"] = payload(f"{record_id}.statements.{index}.attribution")
        record.setdefault("statements", []).append(
            statement(
                f"{record_id}.analysis",
                ARCHIVE_LINES[1],
                "analysis",
                attribution=payload(f"{record_id}.analysis.attribution"),
            )
        )
        _dump(file, record)

    for file in sorted((target / "events").glob("*.yml")):
        record = _load(file)
        record_id = record["id"]
        record.update(title=payload(record_id + ".title"), summary=payload(record_id + ".summary") + MULTILINE)
        # The phrase is the source's words for the time: hostile words of the archive, quoted.
        record["when"]["phrase"] = ARCHIVE_PHRASE
        record["when"]["cite"].append({"source": source_id, "quote": ARCHIVE_LINES[1]})
        names[record_id] = record["title"]
        record["statements"] = [statement(f"{record_id}.statement", ARCHIVE_LINES[0])]
        record["statements"].append(statement(f"{record_id}.invisible", ARCHIVE_LINES[3]))
        _dump(file, record)

    for file in sorted((target / "discrepancies").glob("*.yml")):
        record = _load(file)
        record_id = record["id"]
        record.update(question=payload(record_id + ".question"), note=payload(record_id + ".note") + MULTILINE)
        names[record_id] = record["question"]
        for index, account in enumerate(record["accounts"]):
            account["answer"] = payload(f"{record_id}.accounts.{index}.answer") + MULTILINE
        _dump(file, record)
    return names


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(the hostile site parsed, the clean fixture site parsed, {record id: display name})."""

    def make(base: Path) -> None:
        data = base / "hostile-data"
        names = make_hostile_data(data)
        (base / "names.json").write_text(json.dumps(names), encoding="utf-8")
        report = validate(data, base)
        assert [str(p) for p in report.problems] == [], "the hostile fixture should be valid data"
        hostile_config = make_project(base / "hostile-project", data)
        build_site(hostile_config.parent / "site", config=hostile_config)
        clean_config = make_project(base / "clean-project", FIXTURE_DATA)
        build_site(clean_config.parent / "site", config=clean_config)

    base = shared(tmp_path_factory, "hostile", make)
    names = json.loads((base / "names.json").read_text(encoding="utf-8"))
    return Site(base / "hostile-project" / "site"), Site(base / "clean-project" / "site"), names


def _scripts(site: Site) -> set[str]:
    """What the theme itself puts in <script> elements, minus JSON-LD: sources and inline code."""
    found = set()
    for page in site.pages.values():
        for script in page.soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue
            found.add(
                script.get("src")
                or f"{script.get('id')}|{script.get('type')}|"
                + ("<config>" if script.get("id") == "__config" else script.get_text())
            )
    return found


def test_hostile_data_validates_and_every_field_is_hostile(hostile):
    site, _, names = hostile
    assert len(names) == 8
    assert all("onerror=alert(" in name for name in names.values())


def test_no_script_but_the_themes_and_json_ld(hostile):
    site, clean, _ = hostile
    allowed = _scripts(clean)
    assert _scripts(site) - allowed == set()
    for page in site.pages.values():
        for script in page.soup.find_all("script", type="application/ld+json"):
            text = script.string or ""
            assert "</" not in text and "<!--" not in text, page.path
            json.loads(text)


def test_no_event_handler_no_javascript_url_no_smuggled_element(hostile):
    site, clean, _ = hostile
    offenders = []
    for page in site.pages.values():
        for element in page.soup.find_all(True):
            for attribute, value in element.attrs.items():
                if attribute.lower().startswith("on"):
                    offenders.append(f"{page.path}: <{element.name} {attribute}>")
                values = value if isinstance(value, list) else [value]
                for item in values:
                    if re.sub(r"[\s\x00-\x1f]", "", str(item)).lower().startswith(UNSAFE_SCHEMES):
                        offenders.append(f"{page.path}: <{element.name} {attribute}={item!r}>")
        for _element in page.soup.find_all("img", src="x"):
            offenders.append(f"{page.path}: smuggled <img src=x>")
        # No element from the data: the clean site's tag names are all the hostile site may use.
        clean_page = clean.pages.get(page.path)
        if clean_page is not None:
            extra = {e.name for e in page.soup.find_all(True)} - {e.name for e in clean_page.soup.find_all(True)}
            if extra:
                offenders.append(f"{page.path}: new elements {sorted(extra)}")
    assert offenders == []


def test_template_syntax_is_shown_literally(hostile):
    site, _, names = hostile
    for page in site.generated():
        text = page.soup.select_one("article").get_text()
        assert TEMPLATE in text, page.path
        assert "{% raw %}" in text and "{% include 'mkdocs.yml' %}" in text, page.path
        assert "[x](javascript:alert(" in text, page.path


def test_headings_and_titles_show_the_text_exactly(hostile):
    site, _, names = hostile
    for page in site.generated():
        record_id = page.path.split("/")[1]
        heading = page.soup.select_one("article h1")
        shown = heading.get_text().removesuffix("¶")
        assert shown == names[record_id].replace("\n", " "), page.path
        title = page.soup.find("title")
        assert title.get_text().startswith(names[record_id][:20]), page.path
        # The <title> holds text only: the data cannot close it and open a <script>.
        assert not title.find(True)


def test_multiline_text_opens_no_raw_html_block(hostile):
    site, _, _ = hostile
    for page in site.generated(("people", "units", "events", "discrepancies")):
        article = page.soup.select_one("article")
        assert "not a heading" not in " ".join(h.get_text() for h in article.find_all(["h1", "h2", "h3", "h4"])), (
            page.path
        )
        assert not article.find("div", attrs={"onmouseover": True})


def test_the_url_is_a_link_exactly_as_validated(hostile):
    site, _, _ = hostile
    page = site.page("sources/northwind-autonomy-report")
    assert [a["href"] for a in page.soup.select('article a[href^="https://example.com"]')] == [URL]


def test_invisible_characters_of_the_archive_are_shown_as_code_points(hostile):
    site, _, _ = hostile
    source = site.page("sources/northwind-autonomy-report")

    def shown(elements) -> set[str]:
        return {escape.get_text() for element in elements for escape in element.select(".kb-escape")}

    assert shown(source.soup.select(".kb-archive")) == INVISIBLE
    assert shown(source.soup.select(".kb-archive mark.kb-quote")) == INVISIBLE  # the quoted passage
    assert shown(source.soup.select(".kb-citing .kb-quote-link")) == INVISIBLE  # the quote, in the claims list
    escape = source.soup.select_one('.kb-escape[title="RIGHT-TO-LEFT OVERRIDE"]')
    assert escape.get_text() == "U+202E"
    for event in site.generated(("events",)):
        assert shown(event.soup.select(".kb-tip")) == INVISIBLE, event.path  # the citation's tooltip


def test_no_file_of_the_site_holds_a_raw_invisible_character(hostile):
    """Pages, search index, feed, JSON and JSON-LD write them as code points or escapes; only the CSV
    export, which has no escapes, holds the archive's quotes as they are. (The theme's own scripts hold
    some too, in the clean site as well.)"""
    from macros.kb.characters import UNSAFE

    def holding(site: Site) -> set[str]:
        return {
            file.relative_to(site.root).as_posix()
            for file in site.root.rglob("*")
            if file.is_file()
            and file.suffix in (".html", ".xml", ".json", ".jsonld", ".js", ".csv", ".txt")
            and UNSAFE.search(file.read_text(encoding="utf-8"))
        }

    site, clean, _ = hostile
    assert holding(site) - holding(clean) == {"data/claims.csv"}


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="no Chromium")
def test_every_page_is_inert_in_chromium(hostile):
    from playwright.sync_api import sync_playwright

    site, _, _ = hostile
    problems = []
    with serve(site.root) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context()
            page = context.new_page()
            watch = PageWatch(page, base)
            for path in sorted(site.pages):
                page.goto(base + path.removesuffix("index.html"), wait_until="load")
                # Open the tooltips (they hold quotes from the data) and hover a highlighted quote.
                for handle in page.query_selector_all("a.kb-cite-link")[:5]:
                    handle.focus()
                for handle in page.query_selector_all("mark.kb-quote")[:1]:
                    handle.hover(force=True, timeout=1000)
                problems += [f"{path}: {p}" for p in watch.problems()]
                watch.reset()
            # The search box renders results from the index: type the hostile names.
            page.goto(base, wait_until="load")
            material_search(page, "onerror alert Ada")
            page.wait_for_timeout(300)
            assert page.locator(".md-search-result img[src='x']").count() == 0
            problems += [f"search: {p}" for p in watch.problems()]
        finally:
            browser.close()
    assert problems == []
