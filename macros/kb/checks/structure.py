"""The part of the knowledge base that checks across records need, small enough to send between processes.

A `Structure` holds, for the records that take part in such checks, only
what the checks read (each unit's parents), and the text of each such
record file, so that a problem is placed where it was found, in whichever
process found it (positions are worked out only for a problem).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.kb.checks.cycles import check_cycles
from macros.kb.model import KnowledgeBase, Loc
from macros.kb.problems import Problem
from macros.kb.yamlsafe import Document, parse


@dataclass
class Structure:
    parents: dict[str, list[str]] = field(default_factory=dict)  # unit id -> its parents' ids, as written
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # record id -> (shown path, its file's text)

    def merge(self, other: Structure) -> None:
        self.parents.update(other.parents)
        self.texts.update(other.texts)

    def where(self, record_id: str, path: tuple) -> Loc:
        """Where the value at `path` is in the file of `record_id`."""
        shown, text = self.texts[record_id]
        line, col = parse(text, shown)[0].where(path)
        return Loc(shown, line, col)


def structure_of(kb: KnowledgeBase, documents: dict[str, Document]) -> Structure:
    """The structure of the records of `kb`; `documents`: shown path -> the document each was read from."""
    structure = Structure()
    for unit in kb.units.values():
        structure.parents[unit.id] = [p.unit for p in unit.parents]
        if unit.parents:
            structure.texts[unit.id] = (unit.path, documents[unit.path].text)
    return structure


def structure_checks(structure: Structure) -> list[Problem]:
    return check_cycles(structure.parents, lambda unit, index: structure.where(unit, ("parents", index)))
