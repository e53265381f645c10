"""Unit changes and statuses as of their sources, on the fixture tests/fixtures/changes/.

The fixture is a fictional company told by three sources of different dates
(a 2023 press release, a 2025 report, an undated note that dates its one
event): a merger, a formation within a parent, a regrouping from one parent
to another whose list is not complete, a renaming, a dissolution, an
announced merger and a planned formation, dated and undated events, and a
role that one source gives as current and a later one as former.

Golden files (tests/fixtures/changes/golden/): the organization chart, the
page of every unit, event and person, the events index, the home page's
latest events, the timeline, and the exports (JSON-LD, Popolo, JSON). Then
the meaning is checked in each view: a regrouping never ends a unit, a merger
ends its units, announced and planned changes are not drawn as done, every
status holds as of its source, and no list mixes undated events with dated
ones. Rewrite the golden files after an intended change, and review the diff:

    KB_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_changes.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from conftest import UPDATE_GOLDEN
from jsonschema import Draft202012Validator
from rdflib import Literal, URIRef
from readers import popolo_errors
from test_export import validators  # noqa: F401 (a fixture: Popolo's schemas, or a skip)

from macros.exports.files import JSON_PATH, POPOLO_PATH, SCHEMA_FILE, entity_jsonld, export_files
from macros.exports.jsonld import JSONLD_PATH
from macros.kb.asof import EVENTS, PUBLISHED, UNDATED, AsOf, claim_as_of, source_as_of
from macros.kb.dates import PartialDate
from macros.kb.lifecycle import PARENT, RESULT, SUBJECT, ending_of, steps_of
from macros.kb.schemas import load_schemas
from macros.kb.validate import validate
from macros.rendering.overview import OverviewRenderer
from macros.rendering.pages import PageRenderer
from macros.rendering.statuses import as_of_html

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "changes"
GOLDEN = FIXTURE / "golden"
UPDATE = UPDATE_GOLDEN  # the one switch (tests/conftest.py)
BASE = "https://example.org/kb/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "http://schema.org/"
KB = f"{BASE}data/knowledge-base.jsonld#"

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def report():
    return validate(FIXTURE / "data", FIXTURE)


@pytest.fixture(scope="module")
def kb(report):
    return report.kb


def page(kb, kind: str, record_id: str) -> str:
    folder = {"unit": "units", "event": "events", "person": "people"}[kind]
    renderer = PageRenderer(kb, f"{folder}/{record_id}/")
    return getattr(renderer, kind)(kb.table(kind)[record_id])


def pages(kb) -> dict[str, str]:
    """Every rendered page (or page part) of the fixture, by golden file name."""
    out = {f"unit-{u}.md": page(kb, "unit", u) for u in kb.units}
    out.update({f"event-{e}.md": page(kb, "event", e) for e in kb.events})
    out.update({f"person-{p}.md": page(kb, "person", p) for p in kb.people})
    out["org-chart.md"] = OverviewRenderer(kb, "org-chart/").orgchart()
    out["index-events.md"] = OverviewRenderer(kb, "events/").index("event")
    out["index-units.md"] = OverviewRenderer(kb, "units/").index("unit")
    out["timeline.md"] = OverviewRenderer(kb, "timeline/").timeline()
    out["home-latest-events.md"] = OverviewRenderer(kb, "").latest_events(5)
    return out


def exports(kb) -> dict[str, bytes]:
    files = export_files(kb, BASE)
    return {Path(path).name: files[path] for path in (JSONLD_PATH, POPOLO_PATH, JSON_PATH)}


@pytest.fixture(scope="module")
def rendered(kb) -> dict[str, str]:
    return pages(kb)


@pytest.fixture(scope="module")
def graph(kb) -> rdflib.Graph:
    return rdflib.Graph().parse(data=export_files(kb, BASE)[JSONLD_PATH], format="json-ld")


def test_the_fixture_is_valid_and_has_every_kind_of_change_and_status(report, kb):
    assert [p.as_text() for p in report.problems + report.warnings] == []
    changes = [c for e in kb.events.values() for c in e.changes]
    schema_kinds = load_schemas()["defs.schema.json"]["$defs"]["change"]["properties"]["change"]["enum"]
    assert {c.change for c in changes} == set(schema_kinds)
    assert {c.status for c in changes} == {"done", "announced", "planned"}
    assert any(not c.complete for c in changes) and any(c.source_parent for c in changes)


# -- golden files -------------------------------------------------------------------------------------------


def _golden_cases() -> list[str]:
    report = validate(FIXTURE / "data", FIXTURE)
    return sorted([*pages(report.kb), *exports(report.kb)])


@pytest.mark.parametrize("name", _golden_cases())
def test_golden(name, kb, rendered):
    content = rendered[name].encode("utf-8") if name in rendered else exports(kb)[name]
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    assert path.exists(), f"no golden file {name}: run with KB_UPDATE_GOLDEN=1 and review it"
    assert content == path.read_bytes(), f"{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)"


def test_no_stale_golden_files():
    assert sorted(p.name for p in GOLDEN.iterdir()) == _golden_cases()


# -- a regrouping carries on; a merger, a renaming and a dissolution end ---------------------------------------


def _tree_line(orgchart: str, unit_id: str) -> list[str]:
    """The tree's lines of a unit: from its link up to the next unit's link or the end of its item."""
    tree = orgchart.split('<h2 id="changes"', 1)[0]
    return re.findall(rf'<a href="\.\./units/{unit_id}/">.*?(?=<li>|</li>|<ul>)', tree)


def _figure(orgchart: str, label: str) -> str:
    """The first change figure whose accessible name starts with `label` (e.g. 'Regrouping')."""
    return next(
        f for f in re.findall(r'<figure class="kb-change">.*?</figure>', orgchart) if f'aria-label="{label}' in f
    )


def _box(figure: str, unit_id: str) -> list[str]:
    return re.findall(rf'<a href="\.\./units/{unit_id}/"><g class="kb-node ([^"]+)">(.*?)</g></a>', figure)


def test_a_regrouping_never_renders_as_an_ending(kb, rendered, graph):
    regroupings = [c for e in kb.events.values() for c in e.changes if c.change == "regrouping"]
    assert regroupings
    orgchart = rendered["org-chart.md"]
    for change in regroupings:
        for unit_id in change.units:
            # The organization chart: the regrouped unit is drawn on both sides, tagged "carries on", never "ends".
            figure = _figure(orgchart, "Regrouping")
            boxes = _box(figure, unit_id)
            assert [css for css, _ in boxes] == ["kb-before", "kb-after kb-carries-on"]
            assert all(">ends<" not in inner for _, inner in boxes)
            assert ", ends)" not in re.search(r'aria-label="([^"]*)"', figure)[1]
            # Its tree lines carry no fate: nothing ends it.
            for line in _tree_line(orgchart, unit_id):
                assert "kb-fate" not in line and "erged into" not in line
            # Its page: regrouped, carrying on; never "merged into", no ending step, no fate in the summary.
            unit_page = rendered[f"unit-{unit_id}.md"]
            assert "Regrouped under" in unit_page and "it carries on" in unit_page
            assert "erged into" not in unit_page and "kb-step-ends" not in unit_page and "kb-fate" not in unit_page
            assert ending_of(kb, unit_id) is None
            # JSON-LD: no change event ends it or makes it; its move is a membership.
            unit = URIRef(f"{BASE}units/{unit_id}/")
            assert (None, URIRef(ORG + "originalOrganization"), unit) not in graph
            assert (None, URIRef(ORG + "resultingOrganization"), unit) not in graph
            assert (unit, URIRef(ORG + "changedBy"), None) not in graph
            memberships = {
                (str(graph.value(m, URIRef(ORG + "organization"))), str(graph.value(m, URIRef(KB + "status"))))
                for m in graph.subjects(URIRef(ORG + "member"), unit)
            }
            assert (f"{BASE}units/{change.into}/", "current") in memberships
            assert (f"{BASE}units/{change.source_parent}/", "former") in memberships
            # The regrouping itself is an event, not a ChangeEvent.
            node = next(graph.subjects(URIRef(KB + "changeKind"), Literal("regrouping")))
            assert (node, rdflib.RDF.type, URIRef(ORG + "ChangeEvent")) not in graph


def test_a_merger_ends_its_units_in_every_view(kb, rendered, graph):
    orgchart = rendered["org-chart.md"]
    figure = _figure(orgchart, "Merger:")
    for unit_id in ("vision-lab", "sensor-team"):
        [(css, inner)] = _box(figure, unit_id)
        assert css == "kb-before kb-ends" and ">ends<" in inner
        assert any("Merged into" in line for line in _tree_line(orgchart, unit_id))
        assert "kb-step-ends" in rendered[f"unit-{unit_id}.md"]
        unit = URIRef(f"{BASE}units/{unit_id}/")
        [change] = graph.subjects(URIRef(ORG + "originalOrganization"), unit)
        assert (change, rdflib.RDF.type, URIRef(ORG + "ChangeEvent")) in graph
        assert (change, URIRef(ORG + "resultingOrganization"), URIRef(f"{BASE}units/perception-division/")) in graph
        assert (unit, URIRef(ORG + "changedBy"), change) in graph
    assert (
        'Vision Lab</a> and <a href="../sensor-team/">Sensor Team</a> merged into it'
        in rendered["unit-perception-division.md"]
    )
    popolo = json.loads(exports(kb)["popolo.json"])
    organizations = {o["id"]: o for o in popolo["organizations"]}
    assert organizations["vision-lab"]["dissolution_date"] == "2025-03-03"
    assert organizations["perception-division"]["founding_date"] == "2025-03-03"
    assert "dissolution_date" not in organizations["mapping-team"]  # regrouped: it carries on
    assert "dissolution_date" not in organizations["product-group"]  # only announced


def test_a_renaming_and_a_dissolution_end_their_units(kb, rendered, graph):
    assert "Renamed <a" in rendered["unit-research-group.md"]
    assert "New name of <a" in rendered["unit-harbor-labs.md"]
    assert "kb-step-ends" in rendered["unit-archive-unit.md"] and "Dissolved" in rendered["unit-archive-unit.md"]
    archive = URIRef(f"{BASE}units/archive-unit/")
    [change] = graph.subjects(URIRef(ORG + "originalOrganization"), archive)
    assert graph.value(change, URIRef(KB + "changeKind")) == Literal("dissolution")
    assert (change, URIRef(ORG + "resultingOrganization"), None) not in graph


def test_announced_and_planned_changes_are_never_drawn_as_done(kb, rendered, graph):
    product = rendered["unit-product-group.md"]
    assert "To merge into <a" in product and "(announced, " in product and "Merged into" not in product
    office = rendered["unit-robotics-office.md"]
    assert "To be formed" in office and "(planned, " in office
    changes = set(graph.subjects(URIRef(KB + "changeKind"), None))
    for status in ("announced", "planned"):
        [node] = [n for n in graph.subjects(URIRef(KB + "status"), Literal(status)) if n in changes]
        assert graph.value(node, URIRef(SCHEMA + "eventStatus")) == URIRef(SCHEMA + "EventScheduled")
        assert graph.value(node, URIRef(SCHEMA + "startDate")) is None
    done = [n for n in graph.subjects(URIRef(KB + "status"), Literal("done")) if n in changes]
    assert done and all(graph.value(n, URIRef(SCHEMA + "eventStatus")) is None for n in done)
    popolo = json.loads(exports(kb)["popolo.json"])
    statuses = {e["id"].split("/")[0]: e.get("status") for e in popolo["events"] if "parent_id" in e}
    assert statuses["product-group-merger-announced"] == "announced"
    assert statuses["robotics-office-planned"] == "planned"


def test_a_list_the_source_does_not_give_in_full_says_among_others(kb, rendered, graph):
    figure = _figure(rendered["org-chart.md"], "Regrouping")
    assert figure.count('class="kb-node kb-others"') == 2  # before and after
    assert "Mapping Team, among others, regrouped under" in figure
    node = next(graph.subjects(URIRef(KB + "changeKind"), Literal("regrouping")))
    assert graph.value(node, URIRef(KB + "complete")) == Literal(False)


def test_the_steps_of_a_unit(kb):
    roles = {(s.event.id, s.change.change, s.role) for s in steps_of(kb, "research-group")}
    assert roles == {
        ("research-units-overhauled", "formation", PARENT),
        ("research-units-overhauled", "regrouping", "former-parent"),
        ("research-group-renamed", "renaming", SUBJECT),
    }
    assert {(s.role, s.ends) for s in steps_of(kb, "harbor-labs")} == {(RESULT, False)}
    assert ending_of(kb, "product-group").change.status == "announced"


# -- time: every status as of its source; no list mixes undated events with dated ones -------------------------


def test_each_source_dates_its_statuses(kb):
    assert source_as_of(kb, "harbor-press-release-2023") == AsOf(
        PartialDate(2023, 5, 10), PUBLISHED, "harbor-press-release-2023"
    )
    assert source_as_of(kb, "harbor-overhaul-report").basis == PUBLISHED
    # No date of its own: the latest date it gives its events, when it was written or later.
    assert source_as_of(kb, "harbor-robotics-office-note") == AsOf(
        PartialDate(2025, 4, 2), EVENTS, "harbor-robotics-office-note"
    )
    assert "as of <time" in as_of_html(source_as_of(kb, "harbor-robotics-office-note"))
    assert "or later" in as_of_html(source_as_of(kb, "harbor-robotics-office-note"))
    assert as_of_html(AsOf(None, UNDATED, "x")).endswith(">as of an undated source</span>")
    # A claim resting on several sources holds as of the latest-dated of them.
    office = kb.units["robotics-office"]
    assert claim_as_of(kb, office.name_claim).source == "harbor-robotics-office-note"


_WHEN = re.compile(r'<span class="kb-when">\((.*?)\)</span>(?!</span>)')
_STATUS = re.compile(r"\b(current|former|announced|planned)\b")


def test_no_page_says_what_is_true_today(rendered):
    seen = 0
    for name, text in rendered.items():
        assert "not yet begun" not in text, name
        for span in _WHEN.findall(text):
            if _STATUS.search(re.sub(r"<[^>]+>", "", span)):
                assert "as of " in span, (name, span)
                seen += 1
    assert seen > 20


def test_a_2023_appointment_is_announced_as_of_2023_not_today(rendered):
    mina = rendered["person-mina-cho.md"]
    assert (
        'Head, <a href="../../units/vision-lab/">Vision Lab</a> <span class="kb-when">(from <time datetime="2023-06-01"'
        in mina
    )
    assert re.search(r"announced, <span class=\"kb-asof\"[^>]*>as of <time datetime=\"2023-05-10\"", mina)


def test_summaries_follow_the_latest_dated_source_and_say_so(rendered):
    leo = rendered["person-leo-grant.md"]
    summary, sections = leo.split("## Roles", 1)
    # The summary: the Research Group leadership once, as the 2025 report tells it, marked as such.
    assert summary.count("../../units/research-group/") == 1
    past = summary.split("<dt>Past roles</dt>", 1)[1]
    assert "former, " in past and "per the latest-dated source" in past
    assert "research-group" not in summary.split("<dt>Roles</dt>", 1)[1].split("</dd>", 1)[0]
    # The Roles section: each account with its own date.
    assert sections.count("../../units/research-group/") == 2
    assert re.search(r"current, <span class=\"kb-asof\"[^>]*>as of <time datetime=\"2023-05-10\"", sections)
    assert re.search(r"former, <span class=\"kb-asof\"[^>]*>as of <time datetime=\"2025-03\"", sections)


def test_no_list_places_undated_events_among_dated_ones(kb, rendered):
    dated = {e.id for e in kb.timeline_groups.dated}
    index = rendered["index-events.md"]
    head, undated = index.split('<h2 id="undated">', 1)
    assert head.startswith('<h2 id="dated">')
    assert set(re.findall(r'<td><a href="([a-z0-9-]+)/">', head)) == dated
    assert set(re.findall(r'<td><a href="([a-z0-9-]+)/">', undated)) == set(kb.events) - dated
    home = rendered["home-latest-events.md"]
    latest, rest = home.split('<h3 id="latest-undated">', 1)
    assert set(re.findall(r'href="events/([a-z0-9-]+)/"', latest)) <= dated
    assert "not in time order" in rest
    assert set(re.findall(r'</span> <a href="events/([a-z0-9-]+)/"', rest)) <= set(kb.events) - dated
    # The organization chart's reorganizations too.
    changes = rendered["org-chart.md"].split('<h2 id="changes"', 1)[1]
    dated_part, undated_part = changes.split('<h3 id="changes-undated">', 1)
    assert set(re.findall(r'<h4 id="change-([a-z0-9-]+)"', dated_part)) <= dated
    assert set(re.findall(r'<h4 id="change-([a-z0-9-]+)"', undated_part)).isdisjoint(dated)


# -- the exports keep the meaning --------------------------------------------------------------------------------


def test_the_dump_carries_the_changes_and_validates(kb):
    dump = json.loads(exports(kb)["knowledge-base.json"])
    errors = [e.message for e in Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).iter_errors(dump)]
    assert errors == []
    event = next(e for e in dump["events"] if e["id"] == "research-units-overhauled")
    kinds = {c["change"]: c for c in event["changes"]}
    assert kinds["merger"]["ends"] == ["vision-lab", "sensor-team"] and kinds["merger"]["makes"] == [
        "perception-division"
    ]
    assert kinds["regrouping"]["ends"] == [] and kinds["regrouping"]["complete"] is False
    assert kinds["regrouping"]["from"] == "research-group"
    groups = dump["timeline_groups"]
    assert groups["dated"] == [e.id for e in kb.timeline_groups.dated]
    assert set(groups["undated"]) == set(kb.events) - set(groups["dated"])  # nothing placed against undated ones
    assert {s["id"]: s["as_of"]["basis"] for s in dump["sources"]} == {
        "harbor-overhaul-report": "published",
        "harbor-press-release-2023": "published",
        "harbor-robotics-office-note": "events",
    }


def test_a_unit_page_describes_the_changes_it_names(kb):
    data = entity_jsonld(kb, "vision-lab", BASE)
    own = data["@graph"][0]
    [changed_by] = own["org:changedBy"]
    described = {n["@id"]: n for n in data["@graph"]}
    assert "org:ChangeEvent" in described[changed_by["@id"]]["@type"]


def test_popolo_with_change_events_validates_against_popolos_schemas(kb, validators):  # noqa: F811
    data = json.loads(exports(kb)["popolo.json"])
    assert popolo_errors(validators, data) == []
    parts = [e for e in data["events"] if "parent_id" in e]
    assert {e["classification"] for e in parts} == {"merger", "regrouping", "formation", "renaming", "dissolution"}
