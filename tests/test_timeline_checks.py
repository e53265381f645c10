"""The timeline checks (macros/kb/checks/timeline.py) on placements made here, and every walk over a
chain of records done without recursion: 5,000 events or units in a chain, a ring or a tree are
ordered, checked, drawn and exported as a short one is (Python's recursion limit is 1,000)."""

from __future__ import annotations

import sys

import pytest

from macros.exports.jsonld import _referenced_pages
from macros.kb.checks.cycles import check_cycles
from macros.kb.checks.timeline import Placement, check_timeline
from macros.kb.dates import PartialDate, parse_date
from macros.kb.model import Citation, Claim, Event, KnowledgeBase, Loc, Parent, Unit, When, group_timeline, order_events
from macros.kb.schemas import _Compiler
from macros.rendering.overview import OverviewRenderer

LONG = 5_000
assert LONG > sys.getrecursionlimit()


def placements(*rows) -> dict[str, Placement]:
    """(id, date or None, relation or None, event or None) -> placements, each in its own file."""
    return {
        event: Placement(f"data/events/{event}.yml", parse_date(date) if date else None, relation, target)
        for event, date, relation, target in rows
    }


def locate(event: str, key: str) -> Loc:
    return Loc(f"data/events/{event}.yml", 9 if key == "relation" else 10, 13)


def problems_of(events: dict[str, Placement]) -> list[tuple[str, str, str]]:
    return [(p.path, p.code, p.message) for p in check_timeline(events, locate)]


# -- contradictions ---------------------------------------------------------------


@pytest.mark.parametrize(
    "mine, relation, theirs",
    [
        ("2026-06", "before", "2026-06-08"),  # the month holds the day
        ("2026-06-08", "before", "2026-06-08"),  # on the same day either may come first
        ("2026-06-08", "after", "2026-06-08"),
        ("2026", "after", "2026-12-31"),
        ("2026-06", "same-time", "2026-06-30"),
        ("2026", "same-time", "2026-06"),
        ("2025-12-31", "before", "2026"),
    ],
)
def test_dates_of_another_precision_do_not_contradict(mine, relation, theirs):
    assert problems_of(placements(("a", mine, relation, "b"), ("b", theirs, None, None))) == []


@pytest.mark.parametrize(
    "mine, relation, theirs, words",
    [
        ("2026-07", "before", "2026-06-08", "before"),
        ("2026-06-07", "after", "2026-06-08", "after"),
        ("2025", "after", "2026-01", "after"),
        ("2026-06-09", "same-time", "2026-06-08", "at the same time as"),
        ("2026-05", "same-time", "2026-06-08", "at the same time as"),
    ],
)
def test_a_relation_against_the_other_events_date_is_reported_in_the_file_that_states_it(mine, relation, theirs, words):
    found = problems_of(placements(("a", mine, relation, "b"), ("b", theirs, None, None)))
    assert found == [
        (
            "data/events/a.yml",
            "timeline-contradiction",
            f"'a' (dated {mine}) is placed {words} 'b', which is dated {theirs} (data/events/b.yml)",
        )
    ]


def test_a_chain_through_undated_events_is_reported_once_with_every_relation():
    events = placements(
        ("launch", "2026-06-08", None, None),
        ("rumour", None, "after", "launch"),
        ("echo", None, "same-time", "rumour"),
        ("report", "2026-05", "after", "echo"),
    )
    ((path, code, message),) = problems_of(events)
    assert (path, code) == ("data/events/rumour.yml", "timeline-contradiction")
    assert message == (
        "the relations place 'launch' (dated 2026-06-08, data/events/launch.yml) before 'report', which is dated "
        "2026-05 (data/events/report.yml): 'rumour' after 'launch' (data/events/rumour.yml), 'echo' at the same "
        "time as 'rumour' (data/events/echo.yml), 'report' after 'echo' (data/events/report.yml)"
    )


def test_what_only_the_whole_chain_shows_is_reported():
    """20 June, then June, then 10 June: each step is possible, the three together are not."""
    events = placements(
        ("first", "2026-06-20", "before", "middle"),
        ("middle", "2026-06", "before", "last"),
        ("last", "2026-06-10", None, None),
    )
    ((path, code, message),) = problems_of(events)
    assert code == "timeline-contradiction" and path == "data/events/first.yml"
    assert message.startswith("the relations place 'first' (dated 2026-06-20, data/events/first.yml) before 'last'")


def test_one_wrong_date_is_reported_where_it_is_not_through_everything_after_it():
    events = placements(
        ("late-memo", "2026-07", "before", "launch"),
        ("launch", "2026-06-08", None, None),
        *((f"after-{i}", "2026-06-08", "after", "launch") for i in range(5)),
    )
    assert [(p, c) for p, c, _ in problems_of(events)] == [("data/events/late-memo.yml", "timeline-contradiction")]


def test_an_event_placed_relative_to_nothing_known_is_left_alone():
    events = placements(("a", "2026-07", "before", "missing"), ("b", None, None, "a"), ("c", "2026", "before", "c"))
    assert problems_of(events) == []


# -- cycles -------------------------------------------------------------------------


def test_a_cycle_is_reported_once_from_its_smallest_id_and_what_hangs_on_it_is_not():
    events = placements(
        ("c", None, "before", "a"),
        ("a", "2026-06", "after", "b"),
        ("b", None, "same-time", "c"),
        ("d", None, "after", "a"),
    )
    assert problems_of(events) == [
        (
            "data/events/a.yml",
            "timeline-cycle",
            "events placed relative to one another form a cycle: 'a' after 'b', 'b' at the same time as 'c', "
            "'c' before 'a'",
        )
    ]


def test_a_cycle_as_long_as_the_knowledge_base_is_named_with_its_middle_left_out():
    events = placements(*((f"e{i:04d}", None, "before", f"e{(i + 1) % LONG:04d}") for i in range(LONG)))
    ((path, code, message),) = problems_of(events)
    assert (path, code) == ("data/events/e0000.yml", "timeline-cycle")
    assert message.endswith(f"'e0009' before 'e0010', ... {LONG - 11} more ..., 'e4999' before 'e0000'")


# -- long chains: no recursion -----------------------------------------------------------


def test_a_long_consistent_chain_is_checked_quickly():
    events = placements(
        ("e0000", "2026-06-08", None, None),
        *((f"e{i:04d}", "2026-06-08" if i % 100 == 0 else None, "after", f"e{i - 1:04d}") for i in range(1, LONG)),
    )
    assert problems_of(events) == []


def test_a_long_chain_with_a_contradiction_at_its_end_names_it():
    rows = [("e0000", "2026-06-08", None, None)]
    rows += [(f"e{i:04d}", None, "after", f"e{i - 1:04d}") for i in range(1, LONG)]
    rows += [("early", "2026-01", "after", f"e{LONG - 1:04d}")]
    ((path, code, message),) = problems_of(placements(*rows))
    assert (path, code) == ("data/events/e0001.yml", "timeline-contradiction")
    assert f"... {LONG - 11} more ..., 'early' after 'e4999' (data/events/early.yml)" in message


def test_every_wrong_step_of_a_long_chain_is_reported_without_quadratic_work():
    days = [PartialDate(2000, 1, 1).earliest().fromordinal(730_000 - i).isoformat() for i in range(LONG)]
    events = placements(
        *((f"e{i:04d}", days[i], "before", f"e{i + 1:04d}" if i + 1 < LONG else None) for i in range(LONG))
    )
    found = problems_of(events)
    assert len(found) == LONG - 1 and all(code == "timeline-contradiction" for _, code, _ in found)


def _claim(subject: str, field: str) -> Claim:
    return Claim(field, subject, field, "reported", f"{subject} {field}", (Citation("s", "a quote of the text"),))


def _event(event_id: str, date=None, relation=None, anchor=None) -> Event:
    when = When(date, relation, anchor, None, _claim(event_id, "when")) if date or relation else None
    return Event(event_id, event_id, "statement", _claim(event_id, "event"), f"data/events/{event_id}.yml", when=when)


def test_a_long_chain_of_relations_is_ordered_without_recursion():
    # Listed from the end of the chain, so that the first event looked at hangs on 4,999 others.
    events = {
        f"e{i:04d}": _event(f"e{i:04d}", relation="after", anchor=f"e{i - 1:04d}") for i in range(LONG - 1, 0, -1)
    }
    events["e0000"] = _event("e0000", date=PartialDate(2026, 6, 8))
    assert [e.id for e in order_events(events)] == sorted(events)
    assert len(group_timeline(events).dated) == LONG
    undated = {
        f"e{i:04d}": _event(f"e{i:04d}", relation="before", anchor=f"e{i - 1:04d}") for i in range(LONG - 1, 0, -1)
    }
    undated["e0000"] = _event("e0000")
    ((anchor, members),) = group_timeline(undated).around
    assert anchor.id == "e0000" and [e.id for e in members] == sorted(undated, reverse=True)


def test_a_long_cycle_of_relations_is_ordered_once_each_cut_at_its_smallest_id():
    events = {f"e{i:04d}": _event(f"e{i:04d}", relation="after", anchor=f"e{(i + 1) % LONG:04d}") for i in range(LONG)}
    order = [e.id for e in order_events(events)]
    assert sorted(order) == sorted(events)
    # Cut before e0000, which hangs on nothing; each other is one step after the one it names.
    assert order == ["e0000", *(f"e{i:04d}" for i in range(LONG - 1, 0, -1))]


def test_long_chains_and_rings_of_units_are_checked_quickly():
    chain = {f"u{i:04d}": [f"u{i + 1:04d}"] if i + 1 < LONG else [] for i in range(LONG)}
    ring = {f"u{i:04d}": [f"u{(i + 1) % LONG:04d}"] for i in range(LONG)}
    assert check_cycles(chain, lambda unit, index: Loc(f"data/units/{unit}.yml", 1, 1)) == []
    (problem,) = check_cycles(ring, lambda unit, index: Loc(f"data/units/{unit}.yml", 9, 9))
    assert problem.path == "data/units/u0000.yml" and problem.message.endswith("u4998 -> u4999 -> u0000")


def test_a_deep_org_chart_is_drawn_without_recursion():
    units = {}
    for i in range(LONG):
        parents = (Parent(f"u{i - 1:04d}", None, None, "current", _claim(f"u{i:04d}", "parent")),) if i else ()
        units[f"u{i:04d}"] = Unit(
            f"u{i:04d}", f"Unit {i}", "division", _claim(f"u{i:04d}", "name"), "p", parents=parents
        )
    kb = KnowledgeBase({}, {}, units, {}, {})
    html = OverviewRenderer(kb, "org-chart/").orgchart()
    assert html.count("<ul>") == LONG - 1 and html.count("</ul>") == LONG  # and the tree's own <ul class=...>
    assert html.count("<li>") == html.count("</li>") == LONG
    assert html.index("units/u4998/") < html.index("units/u4999/") < html.index("</ul></li></ul>")


def test_a_unit_is_shown_under_each_of_its_parents_but_never_inside_itself():
    def unit(uid, *parents):
        return Unit(
            uid, uid, "division", _claim(uid, "name"), "p",
            parents=tuple(Parent(p, None, None, "current", _claim(uid, f"parent-{p}")) for p in parents),
        )  # fmt: skip

    kb = KnowledgeBase({}, {}, {u.id: u for u in (unit("a"), unit("b", "a", "c"), unit("c", "b"))}, {}, {})
    html = OverviewRenderer(kb, "org-chart/").orgchart().split('<h2 id="changes"', 1)[0]
    tree = html.split('class="kb-tree">', 1)[1]
    # a > b > c (c is also b's parent, which is not shown again inside b).
    assert tree.count("units/a/") == 1 and tree.count("units/b/") == 1 and tree.count("units/c/") == 1


def test_the_jsonld_walker_goes_through_deep_nodes_without_recursion():
    base = "https://example.org/kb/"
    node: dict = {"@id": f"{base}people/x/", "knows": {"@id": f"{base}people/y/"}}
    for depth in range(LONG):
        node = {"@id": f"{base}n/{depth}/", "part": [node, {"@id": f"{base}people/z{depth}/"}]}
    refs = _referenced_pages(node)
    assert refs[0] == f"{base}people/z{LONG - 2}/" or len(refs) == LONG + 1
    assert len(refs) == LONG + 1 and f"{base}people/y/" in refs and f"{base}n/{LONG - 1}/" not in refs


def test_the_schema_compiler_takes_a_deep_schema_without_recursion():
    schema: dict = {"type": "string"}
    value: object = "leaf"
    for _ in range(LONG):
        schema = {"type": "object", "properties": {"next": schema}}
    accepts = _Compiler({"deep.schema.json": schema}).compile(schema, "deep.schema.json")
    assert accepts({"next": {"next": {}}}) and not accepts({"next": 3})
    shallow = 100
    for _ in range(shallow):
        value = {"next": value}
    assert not accepts(value)  # a string where an object is wanted, 100 levels down


def test_the_schema_compiler_takes_a_schema_that_refers_to_itself():
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}}
    accepts = _Compiler({"tree.schema.json": tree}).compile(tree, "tree.schema.json")
    assert accepts({"children": [{"children": []}, {}]}) and not accepts({"children": [{"children": [3]}]})
