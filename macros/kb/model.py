"""The knowledge base as plain, frozen data, with the indexes the pages need.

Nothing here knows about YAML, files or MkDocs: `load.py` builds these
objects, renderers and exporters read them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from macros.kb.dates import PartialDate
from macros.kb.kinds import FOLDERS, RECORD_KINDS
from macros.kb.quotes import as_archived


class Loc:
    """Where a value is in a record file. The line and column may be given, or found when first
    asked through `find` (a valid knowledge base never asks for most of them)."""

    __slots__ = ("path", "_find", "_line_col")

    def __init__(self, path: str, line: int = 1, col: int = 1, find=None):
        self.path = path
        self._find = find
        self._line_col = None if find is not None else (line, col)

    def _resolved(self) -> tuple[int, int]:
        if self._line_col is None:
            self._line_col = tuple(self._find())
            self._find = None
        return self._line_col

    @property
    def line(self) -> int:
        return self._resolved()[0]

    @property
    def col(self) -> int:
        return self._resolved()[1]

    def __eq__(self, other) -> bool:
        return isinstance(other, Loc) and (self.path, *self._resolved()) == (other.path, *other._resolved())

    def __hash__(self) -> int:
        return hash((self.path, *self._resolved()))

    def __repr__(self) -> str:
        return f"Loc({self.path!r}, {self.line}, {self.col})"


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str
    loc: Loc = field(default=Loc(""), compare=False)


@dataclass(frozen=True)
class Claim:
    """One cited statement about a record: the unit of evidence.

    `field` says which part of the record it supports (name, other_name, role,
    parent, statement, event, when, account); `text` holds the data's own words
    for the claims that have them (a statement, an event's summary or title, a
    discrepancy's answer) and is empty for the others, whose sentence is made
    where it is shown (macros.kb.prose.claim_text).
    """

    id: str  # stable anchor, unique within its record
    subject: str  # id of the record it is about
    field: str
    kind: str
    text: str
    cite: tuple[Citation, ...]
    said_by: str | None = None
    attribution: str | None = None
    mentions: tuple[str, ...] = ()
    loc: Loc = field(default=Loc(""), compare=False)


@dataclass(frozen=True)
class OtherName:
    name: str
    claim: Claim


@dataclass(frozen=True)
class Role:
    role: str
    unit: str | None
    start: PartialDate | None
    end: PartialDate | None
    status: str | None
    claim: Claim


@dataclass(frozen=True)
class Parent:
    unit: str
    start: PartialDate | None
    end: PartialDate | None
    status: str | None
    claim: Claim


@dataclass(frozen=True)
class When:
    date: PartialDate | None
    relation: str | None
    event: str | None
    phrase: str | None
    claim: Claim


# The kinds of change (the schema's `change`), by what they do to the units they act on.
ENDING_CHANGES = ("merger", "renaming", "dissolution")  # the units end (W3C ORG originalOrganization)
MAKING_CHANGES = ("merger", "formation", "renaming")  # a unit results (W3C ORG resultingOrganization)


@dataclass(frozen=True)
class Change:
    """One change to units that an event makes, as its source states it (see the schema's `change`)."""

    change: str  # merger | regrouping | formation | renaming | dissolution
    units: tuple[str, ...]  # the units it acts on
    into: str | None  # merger: the result; regrouping: the new parent; formation: the parent; renaming: the new name
    source_parent: str | None  # regrouping: the parent the units leave (`from`), when stated
    complete: bool  # False: the source does not present `units` as the whole list
    status: str  # done | announced | planned
    claim: Claim

    @property
    def ends(self) -> tuple[str, ...]:
        """The units this change ends (none for a regrouping or a formation: those units carry on)."""
        return self.units if self.change in ENDING_CHANGES else ()

    @property
    def makes(self) -> tuple[str, ...]:
        """The units that result from this change."""
        if self.change == "formation":
            return self.units
        return (self.into,) if self.change in ("merger", "renaming") and self.into else ()

    @property
    def parent(self) -> str | None:
        """The parent the units are under after the change, when it says (a regrouping, a formation)."""
        return self.into if self.change in ("regrouping", "formation") else None

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """Every unit the change names, once each."""
        return tuple(dict.fromkeys(u for u in (*self.units, self.into, self.source_parent) if u))


@dataclass(frozen=True)
class NoClaim:
    quote: str
    reason: str
    loc: Loc = field(default=Loc(""), compare=False)  # of its quote
    reason_loc: Loc = field(default=Loc(""), compare=False)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    archive: str
    sha256: str
    text: str  # the archived text, verbatim
    path: str
    title_is_editorial: bool = False
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    notes: str | None = None
    no_claim: tuple[NoClaim, ...] = ()
    extracted: tuple[str, ...] = ()  # fields filled in from the page's metadata, not checked yet
    record_kind = "source"

    @property
    def name(self) -> str:
        return self.title

    @property
    def claims(self) -> tuple[Claim, ...]:
        return ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    name_claim: Claim
    path: str
    other_names: tuple[OtherName, ...] = ()
    roles: tuple[Role, ...] = ()
    statements: tuple[Claim, ...] = ()
    record_kind = "person"

    @property
    def claims(self) -> tuple[Claim, ...]:
        return (self.name_claim, *(n.claim for n in self.other_names), *(r.claim for r in self.roles), *self.statements)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    name_claim: Claim
    path: str
    other_names: tuple[OtherName, ...] = ()
    parents: tuple[Parent, ...] = ()
    statements: tuple[Claim, ...] = ()
    record_kind = "unit"

    @property
    def claims(self) -> tuple[Claim, ...]:
        return (
            self.name_claim,
            *(n.claim for n in self.other_names),
            *(p.claim for p in self.parents),
            *self.statements,
        )


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    kind: str
    event_claim: Claim
    path: str
    summary: str | None = None
    when: When | None = None
    changes: tuple[Change, ...] = ()
    people: tuple[str, ...] = ()
    statements: tuple[Claim, ...] = ()
    record_kind = "event"

    @property
    def name(self) -> str:
        return self.title

    @property
    def date(self) -> PartialDate | None:
        return self.when.date if self.when else None

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """Every unit its changes name, once each, in order."""
        return tuple(dict.fromkeys(u for change in self.changes for u in change.unit_ids))

    @property
    def claims(self) -> tuple[Claim, ...]:
        return (
            self.event_claim,
            *((self.when.claim,) if self.when else ()),
            *(c.claim for c in self.changes),
            *self.statements,
        )


@dataclass(frozen=True)
class Account:
    source: str
    answer: str
    claim: Claim


@dataclass(frozen=True)
class Discrepancy:
    id: str
    question: str
    status: str
    note: str
    path: str
    accounts: tuple[Account, ...] = ()
    subjects: tuple[str, ...] = ()
    record_kind = "discrepancy"

    @property
    def name(self) -> str:
        return self.question

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(a.claim for a in self.accounts)


Record = Source | Person | Unit | Event | Discrepancy


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source]
    people: dict[str, Person]
    units: dict[str, Unit]
    events: dict[str, Event]
    discrepancies: dict[str, Discrepancy]
    # Views other modules derive from the records (statuses as of their sources...), made once each.
    _derived: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def derived(self, key: str, make):
        """The value `make(self)` under `key`, made on first use: the knowledge base is frozen, so it holds."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def memo(self, key: str) -> dict:
        """A dictionary kept under `key` as long as the knowledge base, for values made one at a time on
        first use (a quote's passage, a claim's sentence) that every page and export asks for again."""
        return self.derived(key, _empty)

    # -- lookups --------------------------------------------------------

    def table(self, kind: str) -> dict[str, Record]:
        """The records of one kind (the tables are named after the kinds' folders), by id."""
        return getattr(self, FOLDERS[kind])

    def tables(self) -> list[tuple[str, dict[str, Record]]]:
        """(kind, its records) for every record kind, in RECORD_KINDS order."""
        return [(kind, self.table(kind)) for kind in RECORD_KINDS]

    @property
    def size(self) -> int:
        """The number of records."""
        return sum(len(table) for _, table in self.tables())

    @cached_property
    def records(self) -> dict[str, Record]:
        merged: dict[str, Record] = {}
        for _, table in self.tables():
            merged.update(table)
        return merged

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def archived(self, source_id: str, quote: str) -> str:
        """`quote` in the characters of its source's archived text (its apostrophes, dashes and
        spacing), which is what readers are shown: a quote matches after normalization, so the words
        typed in the YAML may differ from the archive's in those."""
        shown = self.memo("archived")
        key = (source_id, quote)
        passage = shown.get(key)
        if passage is None:  # every page, tooltip and export that shows the quote asks
            source = self.sources.get(source_id)
            passage = shown[key] = as_archived(source.text if source else None, quote)
        return passage

    def name_of(self, record_id: str) -> str:
        record = self.records.get(record_id)
        return record.name if record else record_id

    @cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, in a stable order: by record kind, record id, then as written."""
        out: list[Claim] = []
        for kind, table in self.tables():
            for record in table.values() if kind != "source" else ():
                out.extend(record.claims)
        return tuple(out)

    @cached_property
    def citation_count(self) -> int:
        return sum(len(c.cite) for c in self.claims)

    # -- reverse indexes --------------------------------------------------

    @cached_property
    def claims_citing(self) -> dict[str, tuple[Claim, ...]]:
        """source id -> claims with at least one citation of it."""
        index: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            for source in dict.fromkeys(c.source for c in claim.cite):
                index[source].append(claim)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def mentioned_by(self) -> dict[str, tuple[Claim, ...]]:
        """record id -> claims of other records that mention it, in the order of `claims`."""
        index: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            for record_id in dict.fromkeys(claim.mentions):
                if record_id != claim.subject:
                    index[record_id].append(claim)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def roles_in_unit(self) -> dict[str, tuple[tuple[Person, Role], ...]]:
        index: dict[str, list] = defaultdict(list)
        for person in self.people.values():
            for role in person.roles:
                if role.unit:
                    index[role.unit].append((person, role))
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def children_of(self) -> dict[str, tuple[tuple[Unit, Parent], ...]]:
        index: dict[str, list] = defaultdict(list)
        for unit in self.units.values():
            for parent in unit.parents:
                index[parent.unit].append((unit, parent))
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def events_of(self) -> dict[str, tuple[Event, ...]]:
        """person or unit id -> events it took part in, in timeline order."""
        index: dict[str, list[Event]] = defaultdict(list)
        for event in self.timeline():
            for record_id in dict.fromkeys((*event.people, *event.unit_ids)):
                index[record_id].append(event)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def changes_of(self) -> dict[str, tuple[tuple[Event, Change], ...]]:
        """unit id -> (event, change) for every change that names it, in timeline order."""
        index: dict[str, list] = defaultdict(list)
        for event in self.timeline():
            for change in event.changes:
                for unit_id in change.unit_ids:
                    index[unit_id].append((event, change))
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def discrepancies_of(self) -> dict[str, tuple[Discrepancy, ...]]:
        index: dict[str, list[Discrepancy]] = defaultdict(list)
        for discrepancy in self.discrepancies.values():
            for subject in discrepancy.subjects:
                index[subject].append(discrepancy)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def links_to(self) -> dict[str, tuple[str, ...]]:
        """record id -> ids of the other records that refer to it ("what links here")."""
        index: dict[str, set[str]] = defaultdict(set)
        for record in self.records.values():
            for target in references_of(record):
                if target != record.id:
                    index[target].add(record.id)
        return {k: tuple(sorted(v)) for k, v in index.items()}

    # -- time -------------------------------------------------------------

    def timeline(self) -> list[Event]:
        """Events in order: dated ones by date; undated ones placed by their
        stated relation to another event (just before or after it), the rest last."""
        return list(self._timeline)

    @cached_property
    def _timeline(self) -> tuple[Event, ...]:
        return tuple(order_events(self.events))  # sorted once: several pages and exports ask

    @cached_property
    def timeline_groups(self) -> TimelineGroups:
        return group_timeline(self.events)


def references_of(record: Record) -> list[str]:
    """Ids of every record this one refers to (sources cited included)."""
    refs: list[str] = []
    for claim in record.claims:
        refs.extend(c.source for c in claim.cite)
        if claim.said_by:
            refs.append(claim.said_by)
        refs.extend(claim.mentions)
    if isinstance(record, Person):
        refs.extend(r.unit for r in record.roles if r.unit)
    elif isinstance(record, Unit):
        refs.extend(p.unit for p in record.parents)
    elif isinstance(record, Event):
        refs.extend((*record.unit_ids, *record.people))
        if record.when and record.when.event:
            refs.append(record.when.event)
    elif isinstance(record, Discrepancy):
        refs.extend(record.subjects)
        refs.extend(a.source for a in record.accounts)
    return refs


def _anchor_keys(events: dict[str, Event]) -> dict[str, tuple]:
    """event id -> (has no date to hang on, date key, anchor id, offset from the anchor).

    An event's anchor is the event its chain of stated relations ends at (itself when it is
    dated or placed against nothing); "before" and "after" move it one step either side. A
    chain that comes back on itself (an error the validator reports) is cut before its event
    with the smallest id, which then hangs on nothing. Walked without recursion: a chain may be
    as long as the knowledge base."""
    keys: dict[str, tuple] = {}
    steps = {"before": -1, "after": 1}
    for first in events:
        if first in keys:
            continue
        path: list[str] = []  # the walk from `first` along the relations, not yet keyed
        on_path: dict[str, int] = {}
        node = first
        while node not in keys:
            if node in on_path:  # a cycle: cut it at its smallest id
                cycle = path[on_path[node] :]
                root = min(cycle)
                keys[root] = (1, (0, 0, 0), root, 0)
                cut = path.index(root)
                path = path[cut + 1 :] + path[:cut]  # in the order the walk reaches the root backwards
                break
            event = events[node]
            on_path[node] = len(path)
            path.append(node)
            target = event.when.event if event.when else None
            if event.date:
                keys[node] = (0, event.date.sort_key(), node, 0)
                path.pop()
                break
            if target not in events or target == node:
                keys[node] = (1, (0, 0, 0), node, 0)
                path.pop()
                break
            node = target
        for node in reversed(path):  # each takes its key from the event it is placed against
            when = events[node].when
            undated, date, anchor, offset = keys[when.event]
            keys[node] = (undated, date, anchor, offset + steps.get(when.relation or "", 0))
    return keys


def order_events(events: dict[str, Event]) -> list[Event]:
    """Dated events by date; an event placed before or after another next to it; events with no
    date behind them last, each with the events placed against it."""
    return _ordered(events, _anchor_keys(events))


def _ordered(events: dict[str, Event], keys: dict[str, tuple]) -> list[Event]:
    return sorted(events.values(), key=lambda e: (*keys[e.id], e.id))


@dataclass(frozen=True)
class TimelineGroups:
    """The timeline as a reader can trust it: what hangs on a date, what hangs only on another
    undated event (kept together, never mixed in with the dated), and what hangs on nothing."""

    dated: tuple[Event, ...]  # dated events, and the events placed against them
    around: tuple[tuple[Event, tuple[Event, ...]], ...]  # an undated event, and it with those placed against it
    undated: tuple[Event, ...]  # no date, no stated relation, and nothing placed against them


def group_timeline(events: dict[str, Event]) -> TimelineGroups:
    keys = _anchor_keys(events)
    ordered = _ordered(events, keys)  # the same keys: walked once
    members: dict[str, list[Event]] = defaultdict(list)
    for event in ordered:
        members[keys[event.id][2]].append(event)
    dated = tuple(e for e in ordered if keys[e.id][0] == 0)
    around = tuple(
        (events[anchor], tuple(group)) for anchor, group in members.items() if keys[anchor][0] == 1 and len(group) > 1
    )
    undated = tuple(e for e in ordered if keys[e.id][0] == 1 and len(members[keys[e.id][2]]) == 1)
    return TimelineGroups(dated, around, undated)


def _empty(kb: KnowledgeBase) -> dict:
    return {}
