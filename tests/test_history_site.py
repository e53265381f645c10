"""The history on a real site: a MkDocs build of a small repository the tests make, commit by commit
(tests/gitrepo.py), and one of a copy with no .git, which says history is unavailable and builds.

Checked: the Recent changes page (one section per change, newest first, dated by its commit,
relative links that land), each entity page's dates of first recording and last change (apart
from the events' dates) and the claims whose text or quotes changed, changes.xml read with
feedparser (absolute links), the downloads page listing it, and the same bytes from a second
build (which reads the history from its cache).
"""

from __future__ import annotations

import feedparser
import pytest
from conftest_site import FIXTURE_DATA, Site, build_site, make_project, shared
from gitrepo import story

pytestmark = pytest.mark.slow

BASE = "https://example.org/kb/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    def make(folder):
        root = folder / "project"
        config = make_project(root, FIXTURE_DATA)
        told = story(root, data=None)
        (folder / "commits").write_text(" ".join(f"{k}={v}" for k, v in told.commits.items()), encoding="utf-8")
        env = {"SITE_URL": BASE, "GIT_CEILING_DIRECTORIES": str(folder)}
        build_site(folder / "site", config=config, env=env)
        build_site(folder / "again", config=config, env=env)  # the history from the cache, this time
        bare = folder / "bare"
        make_project(bare, root / "data")  # the same data, without .git
        build_site(folder / "bare-site", config=bare / "mkdocs.yml", env=env)

    folder = shared(tmp_path_factory, "history-site", make)
    commits = dict(item.split("=") for item in (folder / "commits").read_text(encoding="utf-8").split())
    return folder, commits


@pytest.fixture(scope="module")
def site(built) -> Site:
    return Site(built[0] / "site")


def test_recent_changes_lists_each_change_newest_first(site, built):
    _, commits = built
    page = site.page("changes/")
    sections = page.soup.select("section.kb-change")
    ids = [s.h2["id"] for s in sections]
    steps = ("merge", "fixed", "source", "remove", "rename", "edit", "initial")
    assert ids == [f"change-{commits[step][:10]}" for step in steps]
    assert [s.h2.time["datetime"] for s in sections][:2] == ["2025-04-15T12:00:00Z", "2025-04-09T12:00:00Z"]
    assert "Claims removed" in sections[3].get_text() and "Ben Ortiz" in sections[3].get_text()
    assert "renamed: motion-lab" in sections[4].get_text()
    links = [a["href"] for s in sections for a in s.find_all("a", href=True)]
    assert "../people/ada-park/#aka-park-ji-ah-her-korean-name" in links
    for href in links:
        target, anchor = site.resolve(page, href)
        assert target, href
        assert not anchor or anchor in site.pages[target].ids, href


def test_an_entity_page_dates_its_record_and_its_changed_claims(site):
    page = site.page("people/ada-park/")
    history = page.soup.select_one("details.kb-history")
    summary = history.summary.get_text(" ", strip=True)
    assert summary.startswith("History: first recorded 2025-04-01 , last changed 2025-04-15")
    assert "not of the events" in summary
    rows = {li.a["href"]: li.get_text(" ", strip=True) for li in history.select("li") if li.a}
    assert set(rows) == {"#s-ada-park-told-staff-that-the", "#aka-park-ji-ah-her-korean-name"}
    assert "2025-04-02 text:" in rows["#s-ada-park-told-staff-that-the"]
    changed = history.select_one('a[href="#s-ada-park-told-staff-that-the"]').parent
    assert [e.get_text() for e in changed.find_all("del")] == ["employees"]
    assert [e.get_text() for e in changed.find_all("ins")] == ["staff"]
    assert page.soup.find(id="s-ada-park-told-staff-that-the") is not None  # the link lands
    # The renamed unit was first recorded under its old id; its events keep their own dates.
    lab = site.page("units/robotics-lab/").soup.select_one(".kb-history-dates").get_text(" ", strip=True)
    assert lab.startswith("History: first recorded 2025-04-01 , last changed 2025-04-04")
    event = site.page("events/motion-lab-folded-into-autonomy-division/").soup
    assert "2025-03-03" in event.select_one("dl.kb-summary").decode()
    assert "2025-03" not in event.select_one(".kb-history-dates").get_text()


def test_the_changes_feed(site, built):
    folder, commits = built
    feed = feedparser.parse((folder / "site" / "changes.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 7
    assert feed.entries[0].id == f"{BASE}changes/#change-{commits['merge'][:10]}"
    assert feed.entries[0].updated == "2025-04-15T12:00:00Z"
    assert f'href="{BASE}people/ada-park/#aka-park-ji-ah-her-korean-name"' in feed.entries[0].content[0].value
    downloads = site.page("downloads/").soup
    assert any(a.get_text() == "changes.xml" for a in downloads.select("table a"))
    head = site.page("").soup.find("link", rel="alternate", title="Changes")
    assert head is not None and head["href"].endswith("changes.xml")


def test_a_second_build_gives_the_same_bytes(built):
    folder, _ = built
    for path in ("changes/index.html", "people/ada-park/index.html", "changes.xml", "units/robotics-lab/index.html"):
        assert (folder / "site" / path).read_bytes() == (folder / "again" / path).read_bytes(), path


def test_a_build_without_history_says_so_and_succeeds(built):
    folder, _ = built
    bare = Site(folder / "bare-site")
    text = bare.page("changes/").soup.select_one(".kb-history-unavailable").get_text()
    assert text.startswith("History is unavailable for this build: the data folder is not in a git repository.")
    assert bare.page("people/ada-park/").soup.select_one(".kb-history-dates").get_text() == (
        "History: unavailable for this build."
    )
    feed = feedparser.parse((folder / "bare-site" / "changes.xml").read_bytes())
    assert feed.entries == [] and "unavailable" in feed.feed.subtitle
