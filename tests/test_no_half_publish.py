"""A broken record publishes nothing, and says what is wrong without a traceback.

In a copy of the site fixture's knowledge base (tests/fixtures/kbsite) one
quote is changed by one letter, so it is no longer in its source. Then:

- `make build` (the repository's own Makefile, run in the copy) fails at its
  validation step, before it removes or writes any site: an already
  published site/ is left exactly as it was, and no site.tmp/ appears;
- `mkdocs build` on its own fails too: the hook stops the build in
  on_config with a PluginError that lists the problem (file:line:col, code,
  hint), before the site folder is created, and without a traceback.

And the same for hostile files (values nested 10,000 deep, a number of 10,000
digits, a 900 KB text, a key with a control character): the build ends in
those problems, not in a traceback, and writes nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_site import FIXTURE_DATA, REPO, build_env, build_site, make_project

pytestmark = pytest.mark.slow

BROKEN_FILE = "data/people/ada-park.yml"
GOOD_LINE = "        quote: also known as Park Ji-ah\n"
BAD_LINE = "        quote: also known as Park Ji-ha\n"
PROBLEM = re.compile(
    re.escape(BROKEN_FILE) + r":(\d+):\d+: error\[quote-not-found\]: the quote 'also known as Park Ji-ha'"
)


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    project = make_project(root / "project", FIXTURE_DATA).parent
    record = project / BROKEN_FILE
    text = record.read_text(encoding="utf-8")
    assert text.count(GOOD_LINE) == 1, f"update this test: {BROKEN_FILE} no longer quotes {GOOD_LINE.strip()!r}"
    record.write_text(text.replace(GOOD_LINE, BAD_LINE), encoding="utf-8")
    return project


def _expected_line(project: Path) -> int:
    lines = (project / BROKEN_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    return lines.index(BAD_LINE) + 1


def test_make_build_stops_before_touching_the_published_site(broken_project):
    make = shutil.which("make")
    if make is None:
        pytest.skip("no make")
    venv = Path(sys.prefix)
    if not (venv / "bin" / "mkdocs").exists():
        pytest.skip("the tests do not run in the project's virtualenv")
    link = broken_project / ".venv"
    if not link.exists():
        link.symlink_to(venv, target_is_directory=True)
    published = broken_project / "site"
    published.mkdir()
    (published / "index.html").write_text("the site published before this change\n", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in published.rglob("*")}

    # The repository's Makefile, run in the copy; -o: the virtualenv counts as installed (no pip).
    result = subprocess.run(
        [make, "--no-print-directory", "-f", str(REPO / "Makefile"), "-o", ".venv/.installed", "build"],
        cwd=broken_project,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    match = PROBLEM.search(output)
    assert match and int(match.group(1)) == _expected_line(broken_project), output
    assert "hint:" in output and "Traceback" not in output, output
    assert "mkdocs build" not in result.stdout, "make went on to build the site"
    assert {p: p.stat().st_mtime_ns for p in published.rglob("*")} == before
    assert (published / "index.html").read_text(encoding="utf-8") == "the site published before this change\n"
    assert not (broken_project / "site.tmp").exists()


def test_mkdocs_build_alone_fails_with_the_problem_listed(broken_project, tmp_path):
    site_dir = tmp_path / "never-written"
    result = build_site(site_dir, config=broken_project / "mkdocs.yml", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    match = PROBLEM.search(output)
    assert match and int(match.group(1)) == _expected_line(broken_project), output
    assert "hint: the first 22 characters match" in output, output
    assert "Traceback" not in output and "PluginError" not in output.replace("Aborted with a PluginError", ""), output
    assert not site_dir.exists(), "the build wrote a site"


def test_the_intact_copy_builds(tmp_path_factory):
    """Control: the same project with the quote restored builds, so the failure above is the quote's."""
    root = tmp_path_factory.mktemp("intact")
    project = make_project(root / "project", FIXTURE_DATA).parent
    result = build_site(root / "site", config=project / "mkdocs.yml", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site" / "people" / "ada-park" / "index.html").exists()


# Hostile record files of the fixture knowledge base: file -> (text appended, the problem it must give).
HOSTILE = {
    "data/people/ada-park.yml": ("deep: " + "[" * 10_000 + "]" * 10_000 + "\n", "too-deep"),
    "data/people/ben-ortiz.yml": ("age: " + "9" * 10_000 + "\n", "number-too-large"),
    "data/units/motion-lab.yml": ("notes: " + "x" * 900_000 + "\n", "unknown-field"),
    "data/units/autonomy-division.yml": ('"odd\\x01key": 1\n', "unknown-field"),
}


def test_a_build_with_hostile_files_ends_in_their_problems(tmp_path):
    project = make_project(tmp_path / "project", FIXTURE_DATA).parent
    for path, (appended, _) in HOSTILE.items():
        with open(project / path, "a", encoding="utf-8") as record:
            record.write(appended)
    site_dir = tmp_path / "never-written"
    result = build_site(site_dir, config=project / "mkdocs.yml", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[:3000]
    assert "Traceback" not in output, output[-5000:]
    for path, (_, code) in HOSTILE.items():
        assert re.search(re.escape(path) + r":\d+:\d+: error\[" + re.escape(code) + r"\]: ", output), (
            path,
            output[:5000],
        )
    assert "odd<U+0001>key" in output  # shown escaped, on the problem's line
    assert len(output) < 20_000, "a problem quotes a huge value in full"
    assert not site_dir.exists(), "the build wrote a site"
