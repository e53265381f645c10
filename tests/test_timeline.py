"""The timeline's order and groups: what hangs on a date, what hangs only on an
undated event, and what hangs on nothing, each shown where a reader can trust it."""

from __future__ import annotations

import re

from macros.kb.dates import PartialDate
from macros.kb.model import Citation, Claim, Event, KnowledgeBase, When, group_timeline, order_events
from macros.rendering.overview import OverviewRenderer


def _claim(subject: str, field: str) -> Claim:
    return Claim(field, subject, field, "reported", f"{subject} {field}", (Citation("s", "a quote of the text"),))


def _event(
    event_id: str,
    date: PartialDate | None = None,
    relation: str | None = None,
    anchor: str | None = None,
    phrase: str | None = None,
) -> Event:
    when = None
    if date or relation or phrase:
        when = When(date, relation, anchor, phrase, _claim(event_id, "when"))
    return Event(
        event_id, f"Event {event_id}", "statement", _claim(event_id, "event"), f"data/events/{event_id}.yml", when=when
    )


def _events(*events: Event) -> dict[str, Event]:
    return {e.id: e for e in events}


EVENTS = _events(
    _event("launch"),  # undated; two events are placed against it
    _event("departures", relation="before", anchor="launch", phrase="earlier in the month"),
    _event("aftermath", relation="after", anchor="launch", phrase="later"),
    _event("merger", date=PartialDate(2026, 6, 8)),
    _event("memo", relation="before", anchor="merger", phrase="a day before"),
    _event("founding", date=PartialDate(2019)),
    _event("hire", phrase="recently"),  # the source's word for the time, relative to nothing
    _event("lonely"),
)


def test_dated_events_come_first_with_the_events_placed_against_them():
    groups = group_timeline(EVENTS)
    assert [e.id for e in groups.dated] == ["founding", "memo", "merger"]


def test_events_placed_against_an_undated_one_stay_together_and_out_of_the_dated_list():
    groups = group_timeline(EVENTS)
    assert [(anchor.id, [e.id for e in events]) for anchor, events in groups.around] == [
        ("launch", ["departures", "launch", "aftermath"])
    ]
    assert [e.id for e in groups.undated] == ["hire", "lonely"]


def test_every_event_is_in_exactly_one_group_and_the_order_agrees():
    groups = group_timeline(EVENTS)
    grouped = [*groups.dated, *(e for _, events in groups.around for e in events), *groups.undated]
    assert sorted(e.id for e in grouped) == sorted(EVENTS)
    order = [e.id for e in order_events(EVENTS)]
    assert order.index("departures") < order.index("launch") < order.index("aftermath")
    assert order[:3] == ["founding", "memo", "merger"]


def test_a_cycle_of_relations_does_not_loop():
    events = _events(
        _event("a", relation="before", anchor="b", phrase="before b"),
        _event("b", relation="before", anchor="a", phrase="before a"),
    )
    groups = group_timeline(events)
    assert sorted(e.id for _, group in groups.around for e in group) + sorted(e.id for e in groups.undated) == [
        "a",
        "b",
    ]


def test_the_page_shows_the_groups_under_their_own_headings():
    kb = KnowledgeBase({}, {}, {}, EVENTS, {})
    html = OverviewRenderer(kb, "timeline/").timeline()
    dated_list, rest = html.split('<h2 id="placed">', 1)
    assert re.findall(r'<li id="([^"]+)"', dated_list) == ["founding", "memo", "merger"]
    placed, undated = rest.split('<h2 id="undated">', 1)
    assert 'id="around-launch"' in placed
    assert re.findall(r'<li id="([^"]+)"', placed) == ["departures", "launch", "aftermath"]
    assert re.findall(r'<li id="([^"]+)"', undated) == ["hire", "lonely"]
    assert "undated: recently" in undated  # the source's own word, even with no relation
    assert "2 dated, 3 placed by the relation the source states, 3 undated" in html


def test_latest_events_are_only_those_that_hang_on_a_date_and_the_undated_are_apart():
    kb = KnowledgeBase({}, {}, {}, EVENTS, {})
    html = OverviewRenderer(kb, "").latest_events(5)
    dated, undated = html.split('<h3 id="latest-undated">', 1)
    assert dated.startswith('<h3 id="latest-dated">')
    assert "events/merger/" in dated and "events/founding/" in dated
    assert "events/departures/" not in dated and "events/launch/" not in dated
    assert "not in time order" in undated and "events/departures/" in undated and "events/launch/" in undated


def test_the_events_index_shows_the_groups_under_their_own_headings():
    kb = KnowledgeBase({}, {}, {}, EVENTS, {})
    html = OverviewRenderer(kb, "events/").index("event")
    dated, rest = html.split('<h2 id="placed">', 1)
    assert dated.startswith('<h2 id="dated">')
    assert re.findall(r'<td><a href="([a-z]+)/">', dated) == ["founding", "memo", "merger"]
    placed, undated = rest.split('<h2 id="undated">', 1)
    assert re.findall(r'<td><a href="([a-z]+)/">', placed) == ["departures", "launch", "aftermath"]
    assert re.findall(r'<td><a href="([a-z]+)/">', undated) == ["hire", "lonely"]
