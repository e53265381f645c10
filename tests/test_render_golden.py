"""Golden-file tests of the renderers: a tiny knowledge base in, each page's Markdown out.

The fixture knowledge base is tests/fixtures/kbsite/data/ (one fictional
source with its archived text, two people, three units, one event, one
discrepancy). Each page kind is rendered by the renderers directly (no
MkDocs) and compared byte for byte with tests/fixtures/kbsite/golden/<case>.md,
so a change in rendering shows up as a diff in review.

When a rendering change is intended, rewrite the golden files and review
the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py

(The folder is not called `site/`: .gitignore ignores every `site/`.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from macros.kb.quotes import quote_anchor
from macros.kb.validate import validate
from macros.rendering.overview import OverviewRenderer
from macros.rendering.pages import PageRenderer
from macros.rendering.source import SourceRenderer

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kbsite"
DATA = FIXTURE / "data"
GOLDEN = FIXTURE / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def report():
    return validate(DATA, FIXTURE)


def _entity(kind, url, attribute, record_id, directory_urls=True):
    def render(report):
        kb = report.kb
        return getattr(PageRenderer(kb, url, directory_urls), kind)(getattr(kb, attribute)[record_id])

    return render


def _source(record_id):
    def render(report):
        return SourceRenderer(report.kb, f"sources/{record_id}/").source(
            report.kb.sources[record_id], report.coverage[record_id]
        )

    return render


def _overview(url, method, *args):
    def render(report):
        return getattr(OverviewRenderer(report.kb, url), method)(*args)

    return render


def _home(report):
    overview = OverviewRenderer(report.kb, "")
    return "\n\n".join((overview.counts(), overview.latest_events(5), overview.open_discrepancies())) + "\n"


# case name -> function(report) -> the Markdown of that page (or page part)
CASES = {
    "person-ada-park": _entity("person", "people/ada-park/", "people", "ada-park"),
    "person-ben-ortiz": _entity("person", "people/ben-ortiz/", "people", "ben-ortiz"),
    # The same page with use_directory_urls: false: every link relative to a .html file.
    "person-ada-park.no-directory-urls": _entity("person", "people/ada-park.html", "people", "ada-park", False),
    "unit-northwind-robotics": _entity("unit", "units/northwind-robotics/", "units", "northwind-robotics"),
    "unit-motion-lab": _entity("unit", "units/motion-lab/", "units", "motion-lab"),
    "unit-autonomy-division": _entity("unit", "units/autonomy-division/", "units", "autonomy-division"),
    "event-motion-lab-folded-into-autonomy-division": _entity(
        "event",
        "events/motion-lab-folded-into-autonomy-division/",
        "events",
        "motion-lab-folded-into-autonomy-division",
    ),
    "discrepancy-autonomy-division-announcement-date": _entity(
        "discrepancy",
        "discrepancies/autonomy-division-announcement-date/",
        "discrepancies",
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
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    expected = path.read_bytes().decode("utf-8")
    assert rendered == expected, f"{case} differs from {path.name} (UPDATE_GOLDEN=1 rewrites it; review the diff)"


def test_no_stale_golden_files():
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == sorted(CASES)


def test_rendering_is_deterministic(report):
    for case, render in CASES.items():
        assert render(report) == render(report), case


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
