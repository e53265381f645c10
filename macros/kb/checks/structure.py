"""The part of the knowledge base that checks across records need, small enough to send between processes.

A `Structure` holds, for the records that take part in such checks, only
what the checks read (each unit's parents; each event's file, date and
placement), and the text of each record file a problem may be placed in,
so that a problem is placed where it was found, in whichever process found
it (positions are worked out only for a problem).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.kb.checks.cycles import check_cycles
from macros.kb.checks.timeline import Placement, check_timeline
from macros.kb.model import KnowledgeBase, Loc
from macros.kb.problems import Problem
from macros.kb.yamlsafe import Document, parse


@dataclass
class Structure:
    parents: dict[str, list[str]] = field(default_factory=dict)  # unit id -> its parents' ids, as written
    events: dict[str, Placement] = field(default_factory=dict)  # event id -> where it is in time
    # (kind, record id) -> (shown path, its file's text): a unit and an event may share an id (an error
    # reported apart), and each is placed in its own file.
    texts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def merge(self, other: Structure) -> None:
        self.parents.update(other.parents)
        self.events.update(other.events)
        self.texts.update(other.texts)

    def where(self, kind: str, record_id: str, path: tuple) -> Loc:
        """Where the value at `path` is in the file of the `kind` record `record_id`."""
        shown, text = self.texts[kind, record_id]
        line, col = parse(text, shown)[0].where(path)
        return Loc(shown, line, col)


def structure_of(kb: KnowledgeBase, documents: dict[str, Document]) -> Structure:
    """The structure of the records of `kb`; `documents`: shown path -> the document each was read from."""
    structure = Structure()
    for unit in kb.units.values():
        structure.parents[unit.id] = [p.unit for p in unit.parents]
        if unit.parents:
            structure.texts["unit", unit.id] = (unit.path, documents[unit.path].text)
    for event in kb.events.values():
        when = event.when
        structure.events[event.id] = Placement(
            event.path, event.date, when.relation if when else None, when.event if when else None
        )
        if when and when.event:
            structure.texts["event", event.id] = (event.path, documents[event.path].text)
    return structure


def structure_checks(structure: Structure) -> list[Problem]:
    return check_cycles(
        structure.parents, lambda unit, index: structure.where("unit", unit, ("parents", index))
    ) + check_timeline(structure.events, lambda event, key: structure.where("event", event, ("when", key)))
