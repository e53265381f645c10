"""Golden-file tests of the renderers: a tiny knowledge base in, each page's Markdown out.

The fixture knowledge base is tests/fixtures/kbsite/data/ (one fictional
source with its archived text, two people, three units, one event, one
discrepancy). Each record's page is made as the build makes it
(macros.session.pages.record_page, with the JSON-LD the page embeds), each
overview by its renderer (no MkDocs), and compared byte for byte with
tests/fixtures/kbsite/golden/<case>.md, so a change in rendering, or in the
embedded JSON-LD, shows up as a diff in review.

When a rendering change is intended, rewrite the golden files (every golden
file of the suite, see tests/conftest.py) and review the diff before committing:

    KB_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py

(The folder is not called `site/`: .gitignore ignores every `site/`.)
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import UPDATE_GOLDEN

from macros.kb.quotes import quote_anchor
from macros.kb.validate import validate
from macros.rendering.overview import OverviewRenderer
from macros.session.pages import record_page

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kbsite"
DATA = FIXTURE / "data"
GOLDEN = FIXTURE / "golden"
BASE_URL = "https://example.org/kb/"  # the site's address, which the pages' JSON-LD is relative to


@pytest.fixture(scope="module")
def report():
    return validate(DATA, FIXTURE)


def _entity(kind, url, record_id, directory_urls=True):
    """A record's page as the build writes it."""

    def render(report):
        return record_page(report, kind, record_id, url, directory_urls, BASE_URL)

    return render


def _source(record_id):
    return _entity("source", f"sources/{record_id}/", record_id)


def _overview(url, method, *args):
    def render(report):
        return getattr(OverviewRenderer(report.kb, url), method)(*args)

    return render


def _home(report):
    overview = OverviewRenderer(report.kb, "")
    return "\n\n".join((overview.counts(), overview.latest_events(5), overview.open_discrepancies())) + "\n"


# case name -> function(report) -> the Markdown of that page (or page part)
CASES = {
    "person-ada-park": _entity("person", "people/ada-park/", "ada-park"),
    "person-ben-ortiz": _entity("person", "people/ben-ortiz/", "ben-ortiz"),
    # The same page with use_directory_urls: false: every link relative to a .html file.
    "person-ada-park.no-directory-urls": _entity("person", "people/ada-park.html", "ada-park", False),
    "unit-northwind-robotics": _entity("unit", "units/northwind-robotics/", "northwind-robotics"),
    "unit-motion-lab": _entity("unit", "units/motion-lab/", "motion-lab"),
    "unit-autonomy-division": _entity("unit", "units/autonomy-division/", "autonomy-division"),
    "event-motion-lab-folded-into-autonomy-division": _entity(
        "event",
        "events/motion-lab-folded-into-autonomy-division/",
        "motion-lab-folded-into-autonomy-division",
    ),
    "discrepancy-autonomy-division-announcement-date": _entity(
        "discrepancy",
        "discrepancies/autonomy-division-announcement-date/",
        "autonomy-division-announcement-date",
    ),
    "source-northwind-autonomy-report": _source("northwind-autonomy-report"),
    "timeline": _overview("timeline/", "timeline"),
    "org-chart": _overview("org-chart/", "orgchart"),
    "discrepancies": _overview("discrepancies/", "discrepancies_page"),
    "index-people": _overview("people/", "index", "person"),
    "index-units": _overview("units/", "index", "unit"),
    "index-events": _overview("events/", "index", "event"),
    "index-sources": _overview("sources/", "index", "source"),
    "index-discrepancies": _overview("discrepancies/", "index", "discrepancy"),
    "home": _home,
}


def test_fixture_is_valid_and_fully_covered(report):
    assert [str(p) for p in report.problems] == []
    kb = report.kb
    assert (len(kb.sources), len(kb.people), len(kb.units), len(kb.events), len(kb.discrepancies)) == (1, 2, 3, 1, 1)
    assert all(c.unaccounted == 0 for c in report.coverage.values())


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case, report):
    rendered = CASES[case](report)
    path = GOLDEN / f"{case}.md"
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with KB_UPDATE_GOLDEN=1 and review it"
    expected = path.read_bytes().decode("utf-8")
    assert rendered == expected, f"{case} differs from {path.name} (KB_UPDATE_GOLDEN=1 rewrites it; review the diff)"


def test_no_stale_golden_files():
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == sorted(CASES)


# Renders everything in a fresh process and prints it as JSON (bytes as Latin-1 text): the golden
# cases, and every page (either URL style) and download of the fixture and of the data under test
# (tests/kbdata.py).
_RENDER_EVERYTHING = """
import json, sys
from pathlib import Path
tests = Path(sys.argv[1])
sys.path.insert(0, str(tests))
import kb_pages, kbdata, test_render_golden as golden
from macros.kb.validate import validate
out = {}
fixture = validate(golden.DATA, golden.FIXTURE)
for case, render in golden.CASES.items():
    out["golden/" + case] = render(fixture)
for name, report in (("fixture", fixture), ("data", validate(kbdata.DATA, kbdata.DATA_ROOT))):
    assert not report.problems, report.problems
    for key, content in kb_pages.rendered(report).items():
        out[name + "/" + key] = content.decode("latin-1")
json.dump(out, sys.stdout, sort_keys=True)
"""


def _render_in_a_process(seed: str, where: Path) -> dict[str, str]:
    (where / "tmp").mkdir(parents=True)
    env = {**os.environ, "PYTHONHASHSEED": seed, "TMPDIR": str(where / "tmp")}
    result = subprocess.run(
        [sys.executable, "-c", _RENDER_EVERYTHING, str(Path(__file__).parent)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_rendering_is_the_same_in_processes_with_other_hash_seeds(tmp_path):
    """Every page and download, made in two processes with different hash seeds, working directories and
    temporary folders: the same bytes (an order that came from iterating a set or a dict would show)."""
    first = _render_in_a_process("1", tmp_path / "first")
    second = _render_in_a_process("2", tmp_path / "second")
    assert sorted(first) == sorted(second)
    # The data under test went through the same renderers as the fixture (whatever its size): its
    # overviews and downloads are all there.
    fixture = {name.removeprefix("fixture/") for name in first if name.startswith("fixture/")}
    data = {name.removeprefix("data/") for name in first if name.startswith("data/")}
    assert {name for name in fixture if "/index-" in name or name.startswith("downloads/")} <= data
    differing = [name for name in first if first[name] != second[name]]
    if differing:
        diff = "\n".join(
            difflib.unified_diff(first[differing[0]].splitlines(), second[differing[0]].splitlines(), lineterm="", n=1)
        )
        pytest.fail(f"{len(differing)} outputs differ: {differing[:10]}\n{diff[:3000]}")


_CITE = re.compile(r'<a href="([^"]*)" class="kb-cite-link"')


def test_every_citation_points_at_a_highlighted_quote_of_the_source_page(report):
    """The two clicks of the promise, checked on the rendered Markdown."""
    source_id = "northwind-autonomy-report"
    source_page = CASES[f"source-{source_id}"](report)
    # Each quote anchor sits right before the highlighted passage that starts there.
    anchors = set()
    for run, quotes in re.findall(
        r'((?:<span class="kb-anchor" id="q-[0-9a-f]+"></span>)+)'
        r'<mark class="kb-quote" data-quotes="([^"]*)"',
        source_page,
    ):
        for anchor in re.findall(r'id="(q-[0-9a-f]+)"', run):
            assert anchor in quotes.split(), (anchor, quotes)
            anchors.add(anchor)
    assert anchors == set(re.findall(r'class="kb-anchor" id="([^"]*)"', source_page))
    expected = {quote_anchor(c.source, c.quote) for claim in report.kb.claims for c in claim.cite}
    assert anchors == expected
    seen = set()
    for case, render in CASES.items():
        if not case.startswith(("person", "unit", "event", "discrepancy", "timeline", "org-chart")):
            continue
        for href in _CITE.findall(render(report)):
            path, _, anchor = href.partition("#")
            assert path.rstrip("/").endswith(f"sources/{source_id}") or path.endswith(f"sources/{source_id}.html"), (
                case,
                href,
            )
            assert anchor in anchors, (case, href)
            seen.add(anchor)
    assert seen == anchors


def test_claim_kinds_are_labelled(report):
    person = CASES["person-ada-park"](report)
    assert 'kb-badge-attributed">Attributed to <a href="./">Ada Park</a>' in person
    unit = CASES["unit-autonomy-division"](report)
    assert "kb-badge-analysis" in unit and "Analysis: Industry analysts" in unit
    # Speculation never reads as a plain reported fact.
    assert 'class="kb-claim kb-kind-analysis"' in unit
