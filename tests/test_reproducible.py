"""The same commit gives the same site, byte for byte.

Two builds of the repository (from the data under test: tests/kbdata.py),
as the deploy makes them (SITE_URL, REPO_URL and EDIT_URI set, so the
sitemap and edit links are in), into two folders with different names, in
two processes with different hash seeds (so an order that depends on set or
dict iteration would show), run from different working directories with
different temporary folders (where the downloads are first written): every
file must be identical, the pages, the downloads and the search index among
them. The dates MkDocs writes into the sitemap (and the .gz header) come
from the last commit, not from the day of the build (macros/hooks.py sets
SOURCE_DATE_EPOCH when it is not set).
"""

from __future__ import annotations

import difflib
import gzip
import os
import re
import subprocess
from datetime import UTC, datetime

import pytest
from conftest_site import EDIT_ENV, REPO, build_site, shared

from macros.exports.files import EXPORT_PATHS

pytestmark = pytest.mark.slow

DEPLOY_ENV = {**EDIT_ENV, "SITE_URL": "https://example.github.io/kb/"}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    def make(base):
        # The first from the project's folder, the second from another; each with its own temporary folder.
        for name, output, seed, elsewhere in (
            ("first", "site", "1", False),
            ("second-build-elsewhere", "output", "2", True),
        ):
            folder = base / name
            (folder / "tmp").mkdir(parents=True)
            (folder / "cwd").mkdir()
            env = {**DEPLOY_ENV, "PYTHONHASHSEED": seed, "TMPDIR": str(folder / "tmp")}
            build_site(folder / output, env=env, cwd=folder / "cwd" if elsewhere else None)

    base = shared(tmp_path_factory, "reproducible", make)
    return base / "first" / "site", base / "second-build-elsewhere" / "output"


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(two_builds):
    first, second = map(_files, two_builds)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    if differing:
        path = differing[0]
        try:
            diff = "\n".join(
                difflib.unified_diff(
                    first[path].decode().splitlines(), second[path].decode().splitlines(), lineterm="", n=1
                )
            )[:3000]
        except UnicodeDecodeError:
            diff = "(binary)"
        pytest.fail(f"{len(differing)} files differ: {differing[:10]}\nfirst: {path}\n{diff}")
    assert len(first) > 50
    compared = {"search/search_index.json", "sitemap.xml", "index.html", *EXPORT_PATHS}
    assert compared <= set(first), sorted(compared - set(first))
    assert any(path.startswith("people/") and path.endswith("/index.html") for path in first)


def _commit_time() -> datetime | None:
    result = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not result.stdout.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(result.stdout.strip()), UTC)


def test_sitemap_dates_are_the_last_commits_not_the_builds(two_builds):
    commit = _commit_time()
    if commit is None:
        pytest.skip("not a git checkout")
    site = two_builds[0]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert dates == {commit.strftime("%Y-%m-%d")}
    assert "<loc>https://example.github.io/kb/people/</loc>" in sitemap
    with gzip.open(site / "sitemap.xml.gz") as compressed:
        assert compressed.read().decode("utf-8") == sitemap
    # The gzip header's mtime (bytes 4-8) is the commit's day, not the build's moment.
    mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert datetime.fromtimestamp(mtime, UTC).date() == commit.date()


def test_an_explicit_source_date_epoch_wins(tmp_path_factory):
    """A build system that sets SOURCE_DATE_EPOCH (the reproducible-builds convention) decides the date."""
    site = tmp_path_factory.mktemp("epoch") / "site"
    build_site(site, env={**DEPLOY_ENV, "SOURCE_DATE_EPOCH": "1700000000"})
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8"))) == {
        "2023-11-14"
    }


def test_the_hook_pins_the_build_date_to_the_last_commit(monkeypatch):
    """Whatever the day of the build: SOURCE_DATE_EPOCH becomes the last commit's time."""
    from types import SimpleNamespace

    from macros import hooks

    commit = _commit_time()
    if commit is None:
        pytest.skip("not a git checkout")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    hooks._pin_build_date(SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml")))
    assert os.environ["SOURCE_DATE_EPOCH"] == str(int(commit.timestamp()))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    hooks._pin_build_date(SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml")))
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
