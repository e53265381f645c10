"""The knowledge base's history from git: one change per first-parent commit that changed the data,
each record's dates and each claim's events, the cache by commit, and what happens without a
history (no git, no repository, a shallow clone). The feed of changes is read with feedparser.
"""

from __future__ import annotations

import json

import feedparser
import pytest
from gitrepo import GitRepo, story

import macros.kb.history as history_module
from macros.exports.changes_feed import changes_feed
from macros.exports.common import Urls
from macros.kb.history import History, read_history
from macros.kb.load import load
from macros.rendering.history import HistoryRenderer
from macros.rendering.markup import Linker

BASE = "https://example.org/kb/"


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    return story(tmp_path_factory.mktemp("story") / "repo")


@pytest.fixture(scope="module")
def history(told) -> History:
    return read_history(told.repo.root / "data")


@pytest.fixture(scope="module")
def kb(told):
    return load(told.repo.root / "data").kb


def test_one_change_per_first_parent_commit_that_changed_the_data(told, history):
    c = told.commits
    assert history.available and history.head == c["merge"]
    # Reformatting, a commit outside the data, the unreadable version and the symbolic links give no
    # change; the branch's two commits come as one, its merge.
    assert [change.commit for change in history.changes] == [
        c[step] for step in ("initial", "edit", "rename", "remove", "source", "fixed", "merge")
    ]
    assert [change.date for change in history.changes] == [
        "2025-04-01",
        "2025-04-02",
        "2025-04-04",
        "2025-04-05",
        "2025-04-06",
        "2025-04-09",
        "2025-04-15",
    ]
    assert history.changes[-1].instant == "2025-04-15T12:00:00Z"


def test_each_record_has_its_first_and_last_dates(history):
    dates = {record_id: (found.first.date, found.last.date) for record_id, found in history.records.items()}
    assert dates["ada-park"] == ("2025-04-01", "2025-04-15")
    assert dates["robotics-lab"] == ("2025-04-01", "2025-04-04")  # first recorded as motion-lab
    assert dates["northwind-factory-note"] == ("2025-04-06", "2025-04-06")
    assert "ben-ortiz" not in dates and "motion-lab" not in dates


def test_each_claim_has_its_events(history):
    ada = history.of("ada-park").claims
    statement = ada["s-ada-park-told-staff-that-the"]  # its id changed with its text: followed
    assert [(e.change.date, e.added) for e in statement] == [("2025-04-01", True), ("2025-04-02", False)]
    assert statement[1].detail.changed("text")
    other_name = ada["aka-park-ji-ah-her-korean-name"]
    assert [(e.change.date, e.added) for e in other_name] == [("2025-04-01", True), ("2025-04-15", False)]
    assert other_name[1].detail.quotes_changed[0].new == "Ada Park, also known as Park Ji-ah"
    # An unreadable version is skipped: compared from the last readable one to the next.
    factory = history.of("northwind-robotics").claims["s-northwind-robotics-opened-a-second-factory"]
    assert [(e.change.date, e.added) for e in factory] == [("2025-04-06", True), ("2025-04-09", False)]
    assert factory[1].detail.fields[0].new == "Northwind Robotics opened a second factory."


def test_it_is_cached_by_commit_and_the_same_either_way(told, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    computed = read_history(told.repo.root / "data", cache)
    (written,) = cache.iterdir()
    assert written.name.startswith(told.commits["merge"] + "-")

    def fail(*args):
        raise AssertionError("computed again, not read from the cache")

    monkeypatch.setattr(history_module, "compute_history", fail)
    cached = read_history(told.repo.root / "data", cache)
    assert json.dumps(cached.to_json(), sort_keys=True) == json.dumps(computed.to_json(), sort_keys=True)
    kb = load(told.repo.root / "data").kb
    pages = [
        HistoryRenderer(kb, h, Linker("people/ada-park/")).record_section("ada-park")
        + HistoryRenderer(kb, h, Linker("changes/")).page()
        for h in (computed, cached)
    ]
    assert pages[0] == pages[1]
    # Another version of the code starts afresh.
    monkeypatch.setattr(history_module, "code_digest", lambda: "another version")
    with pytest.raises(AssertionError, match="computed again"):
        read_history(told.repo.root / "data", cache)


def test_a_shallow_clone_has_no_history(told, tmp_path):
    GitRepo(tmp_path).git("clone", "-q", "--depth", "1", f"file://{told.repo.root}", str(tmp_path / "shallow"))
    found = read_history(tmp_path / "shallow" / "data")
    assert not found.available and "shallow clone" in found.reason and not found.changes


def test_no_repository_or_no_git_means_no_history(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "data").mkdir()
    assert read_history(tmp_path / "data").reason == "the data folder is not in a git repository"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert read_history(tmp_path / "data").reason == "git is not installed"


def test_an_uncommitted_data_folder_has_no_history(tmp_path):
    repo = GitRepo(tmp_path).init()
    repo.write("README.md", "x\n")
    repo.commit("no data yet")
    (tmp_path / "data").mkdir()
    assert read_history(tmp_path / "data").reason == "the data folder has not been committed"


# -- the feed of changes ------------------------------------------------------------------


def test_the_feed_has_one_entry_per_change_newest_first(history, kb):
    feed = feedparser.parse(changes_feed(history, Urls(kb, BASE)))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.link == BASE + "changes/"
    entries = feed.entries
    assert [e.id for e in entries] == [f"{BASE}changes/#change-{c.short}" for c in reversed(history.changes)]
    assert [e.updated for e in entries] == [c.instant for c in reversed(history.changes)]
    assert feed.feed.updated == history.changes[-1].instant
    latest = entries[0].content[0].value
    assert f'href="{BASE}people/ada-park/#aka-park-ji-ah-her-korean-name"' in latest  # absolute links
    removal = next(e for e in entries if e.id.endswith(history.changes[3].short)).content[0].value
    assert "Claims removed" in removal and "person removed: Ben Ortiz" in removal


def test_the_feed_without_history_says_so(kb):
    feed = feedparser.parse(changes_feed(History.unavailable("this is a shallow clone"), Urls(kb, BASE)))
    assert not feed.bozo
    assert feed.entries == []
    assert feed.feed.subtitle == "History is unavailable for this build: this is a shallow clone."
    assert feed.feed.updated == "2000-01-01T00:00:00Z"


def test_the_cache_keeps_its_newest_files_only(told, tmp_path):
    import os

    cache = tmp_path / "cache"
    cache.mkdir()
    for number in range(history_module.CACHE_FILES_KEPT + 3):
        old = cache / f"{number:040x}-0000000000000000.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, ns=(number * 10**9, number * 10**9))
    read_history(told.repo.root / "data", cache)
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == history_module.CACHE_FILES_KEPT
    assert any(name.startswith(told.commits["merge"]) for name in kept)
    assert f"{0:040x}-0000000000000000.json" not in kept  # the oldest went first


def test_a_record_first_written_in_an_older_format_is_dated_from_its_file(tmp_path):
    import shutil

    from gitrepo import FIXTURE_DATA

    repo = GitRepo(tmp_path).init()
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    repo.commit("The knowledge base")
    unit = (tmp_path / "data" / "units" / "northwind-robotics.yml").read_text(encoding="utf-8")
    older = unit.replace("id: northwind-robotics", "id: harbour-lab").replace("kind: company", "type: company")
    repo.write("data/units/harbour-lab.yml", older)  # `type:` is what the current schema calls `kind:`
    repo.commit("A unit, in an older format")
    repo.replace("data/units/harbour-lab.yml", "type: company", "kind: company")
    repo.commit("The same unit in the current format")
    found = read_history(tmp_path / "data")
    assert [c.date for c in found.changes] == ["2025-04-01"]  # not shown as an addition when it became readable
    dates = found.of("harbour-lab")
    assert (dates.first.date, dates.last.date) == ("2025-04-02", "2025-04-03")
    again = History.from_json(json.loads(json.dumps(found.to_json())))
    assert (again.of("harbour-lab").first.date, again.of("harbour-lab").last.date) == ("2025-04-02", "2025-04-03")
