"""The timeline is consistent: events placed relative to one another form no cycle, and no relation
contradicts the events' own dates.

An event's `when` may name another event and a relation to it (before, after, same-time). Read as
constraints on the moments the events happened, with each date the span of days its precision
allows (2026-06 is any day of June 2026), "a before b" says a is not later than b (on the same day
either may come first), "a after b" the reverse, and "a same-time b" that they coincide. The
constraints contradict the dates exactly when, following them, an event must come no later than
one whose dates all end before it can begin: then the earliest day allowed to the first is after
the latest allowed to the second. Both events and every relation between them are named.

Every event names at most one other, so the relations make a forest once cycles (reported apart)
are set aside; everything here walks it without recursion, so a chain as long as the knowledge base
is no harder than a short one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from macros.kb.dates import PartialDate
from macros.kb.problems import Problem

RELATION_WORDS = {"before": "before", "after": "after", "same-time": "at the same time as"}
_MAX_LINKS_SHOWN = 12


class Placement(NamedTuple):
    """What the timeline checks read of an event: its file, its date and where it is placed."""

    path: str
    date: PartialDate | None
    relation: str | None  # before | after | same-time, or None
    event: str | None  # the event it is placed against


def check_timeline(events: dict[str, Placement], locate) -> list[Problem]:
    """`events`: event id -> its placement; `locate(event, key)`: where (.path, .line, .col) the
    value of `when.<key>` is written in the event's file."""
    links = {e: p.event for e, p in events.items() if p.event in events and p.event != e}
    problems, in_cycles = [], set()
    for cycle in _cycles(links):
        in_cycles.update(cycle)
        loc = locate(cycle[0], "event")
        chain = _shown([_link(events, e, links[e]) for e in cycle])
        files = _shown(list(dict.fromkeys(events[e].path for e in cycle)))
        problems.append(
            Problem(
                loc.path,
                loc.line,
                loc.col,
                "timeline-cycle",
                f"events placed relative to one another form a cycle: {chain}",
                f"an event cannot be placed, through others, relative to itself: correct or remove one of these "
                f"relations ({files})",
            )
        )
    forest = {e: t for e, t in links.items() if e not in in_cycles}
    return problems + _contradictions(events, forest, locate)


def _cycles(links: dict[str, str]) -> list[list[str]]:
    """Each cycle of `links` once, from its smallest id, in the order of the links."""
    done: set[str] = set()
    cycles = []
    for start in sorted(links):
        path: list[str] = []
        index: dict[str, int] = {}
        node = start
        while node is not None and node not in done and node not in index:
            index[node] = len(path)
            path.append(node)
            node = links.get(node)
        if node is not None and node in index:
            cycle = path[index[node] :]
            first = cycle.index(min(cycle))
            cycles.append(cycle[first:] + cycle[:first])
        done.update(path)
    return cycles


def _contradictions(events: dict[str, Placement], forest: dict[str, str], locate) -> list[Problem]:
    """Relations that contradict dates, said where they can be fixed: first each relation between
    two dated events; then each chain of relations through undated events only; last, what only a
    whole chain shows (8 June, then June, then 5 June: each step allows it), unless an event of it
    was already named."""
    dated = {e for e, p in events.items() if p.date}
    # "no later than": (earlier, later) for every relation that orders two events.
    ordered: list[tuple[str, str]] = []
    for event, target in forest.items():
        relation = events[event].relation
        if relation in ("before", "same-time"):
            ordered.append((event, target))
        if relation in ("after", "same-time"):
            ordered.append((target, event))
    depth = _depths(forest)
    problems, blamed = [], set()

    def report(first: str, last: str) -> None:
        problems.append(_contradiction(events, forest, depth, first, last, locate))
        blamed.update((first, last))

    def contradicts(bound: tuple[dt.date, str] | None, event: str) -> bool:
        return bound is not None and bound[0] > events[event].date.latest()

    def earliest(event: str) -> tuple[dt.date, str]:
        return (events[event].date.earliest(), event)

    for first, last in sorted(ordered):
        if first in dated and last in dated and contradicts(earliest(first), last):
            report(first, last)
    # Through undated events: each undated one is no earlier than the dated ones before it.
    entering: dict[str, tuple[dt.date, str]] = {}
    for first, last in ordered:
        if first in dated and last not in dated:
            entering[last] = _strongest(entering.get(last), earliest(first))
    reached = _carried(
        [e for e in events if e not in dated],
        [(a, b) for a, b in ordered if a not in dated and b not in dated],
        entering,
    )
    for first, last in sorted(ordered):
        if first not in dated and last in dated:
            bound = reached.get(first)
            if contradicts(bound, last) and bound[1] != last:
                report(bound[1], last)
    # Whole chains.
    everything = _carried(list(events), ordered, {e: earliest(e) for e in dated})
    for event in sorted(dated):
        bound = everything.get(event)
        if contradicts(bound, event) and not {bound[1], event} & blamed:
            report(bound[1], event)
    return problems


def _carried(nodes: list[str], ordered: list[tuple[str, str]], start: dict) -> dict[str, tuple[dt.date, str]]:
    """For each of `nodes`: the strongest of the `start` bounds of the nodes that come no later than it
    along `ordered` (pairs among `nodes`). Nodes placed at the same time share one bound, so the
    groups of them form a forest and are gone through once, in topological order."""
    group: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while group.get(root, root) != root:
            root = group[root]
        while node != root:  # path compression: later finds are short
            group[node], node = root, group.get(node, node)
        return root

    pairs = set(ordered)
    for a, b in ordered:
        if (b, a) in pairs:  # placed at the same time
            ra, rb = find(a), find(b)
            if ra != rb:
                group[max(ra, rb)] = min(ra, rb)
    later: dict[str, set[str]] = defaultdict(set)
    for a, b in ordered:
        ra, rb = find(a), find(b)
        if ra != rb:
            later[ra].add(rb)
    bound: dict[str, tuple[dt.date, str]] = {}
    for node, value in start.items():
        root = find(node)
        bound[root] = _strongest(bound.get(root), value)
    waiting: dict[str, int] = defaultdict(int)
    roots = {find(n) for n in nodes}
    for root in roots:
        for successor in later.get(root, ()):
            waiting[successor] += 1
    ready = sorted((root for root in roots if not waiting[root]), reverse=True)
    while ready:
        root = ready.pop()
        for successor in sorted(later.get(root, ())):
            if root in bound:
                bound[successor] = _strongest(bound.get(successor), bound[root])
            waiting[successor] -= 1
            if not waiting[successor]:
                ready.append(successor)
    return {n: bound[find(n)] for n in nodes if find(n) in bound}


def _strongest(a: tuple[dt.date, str] | None, b: tuple[dt.date, str] | None) -> tuple[dt.date, str] | None:
    if a is None or b is None:
        return a or b
    return a if _stronger(a, b) else b


def _stronger(bound: tuple[dt.date, str], other: tuple[dt.date, str]) -> bool:
    """The later day wins; between equal days, the smaller id (so the order of the walk never shows)."""
    return bound[0] > other[0] or (bound[0] == other[0] and bound[1] < other[1])


def _depths(forest: dict[str, str]) -> dict[str, int]:
    """event -> the number of relations from it to the end of its chain."""
    depth: dict[str, int] = {}
    for start in forest:
        path, node = [], start
        while node in forest and node not in depth:
            path.append(node)
            node = forest[node]
        below = depth.get(node, 0)
        for node in reversed(path):
            below += 1
            depth[node] = below
    return depth


def _path(forest: dict[str, str], depth: dict[str, int], a: str, b: str) -> list[str]:
    """The events from `a` to `b` along the relations (there is one way in a forest)."""
    up_a, up_b = [a], [b]
    while depth.get(up_a[-1], 0) > depth.get(up_b[-1], 0):
        up_a.append(forest[up_a[-1]])
    while depth.get(up_b[-1], 0) > depth.get(up_a[-1], 0):
        up_b.append(forest[up_b[-1]])
    while up_a[-1] != up_b[-1]:
        up_a.append(forest[up_a[-1]])
        up_b.append(forest[up_b[-1]])
    return up_a + up_b[-2::-1]


def _contradiction(events, forest, depth, first: str, last: str, locate) -> Problem:
    """`first` must come no later than `last`, which is dated before `first` can be."""
    path = _path(forest, depth, first, last)
    steps = list(zip(path, path[1:]))
    writer = _writer(forest, *steps[0])
    loc = locate(writer, "relation")
    hint = "check the dates and the relations against the sources, and correct the one that is wrong"
    if len(steps) == 1:
        other = last if writer == first else first
        message = (
            f"'{writer}' (dated {events[writer].date.iso()}) is placed "
            f"{RELATION_WORDS[events[writer].relation]} '{other}', which is dated {events[other].date.iso()} "
            f"({events[other].path})"
        )
        return Problem(loc.path, loc.line, loc.col, "timeline-contradiction", message, hint)
    relations = [_link(events, w, forest[w], with_path=True) for w in (_writer(forest, *step) for step in steps)]
    strict = any(events[_writer(forest, *step)].relation != "same-time" for step in steps)
    message = (
        f"the relations place '{first}' (dated {events[first].date.iso()}, {events[first].path}) "
        f"{'before' if strict else 'at the same time as'} '{last}', which is dated {events[last].date.iso()} "
        f"({events[last].path}): {_shown(relations)}"
    )
    return Problem(loc.path, loc.line, loc.col, "timeline-contradiction", message, hint)


def _writer(forest: dict[str, str], a: str, b: str) -> str:
    """The event whose file holds the relation between `a` and `b`."""
    return a if forest.get(a) == b else b


def _link(events: dict[str, Placement], event: str, target: str, with_path: bool = False) -> str:
    words = RELATION_WORDS.get(events[event].relation or "", "relative to")
    return f"'{event}' {words} '{target}'" + (f" ({events[event].path})" if with_path else "")


def _shown(items: list[str]) -> str:
    """The items joined, the middle of a very long list left out."""
    if len(items) > _MAX_LINKS_SHOWN:
        left = len(items) - (_MAX_LINKS_SHOWN - 1)
        items = [*items[: _MAX_LINKS_SHOWN - 2], f"... {left} more ...", items[-1]]
    return ", ".join(items)
