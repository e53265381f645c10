"""A unit's life as the events' changes state it: formed, merged into, regrouped under, renamed, planned.

Each step is one change of one event seen from one unit: the unit may be
among the units the change acts on (`SUBJECT`), the unit they become or are
renamed to (`RESULT`), the parent they move under or are formed within
(`PARENT`) or the parent they leave (`FORMER_PARENT`). Every step keeps its
change's status (done, announced, planned) and holds as of its source.
A regrouping or a formation never ends a unit: only a merger, a renaming or a
dissolution does, and only the units it acts on.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.kb.asof import AsOf, claim_as_of
from macros.kb.model import ENDING_CHANGES, Change, Event, KnowledgeBase

SUBJECT, RESULT, PARENT, FORMER_PARENT = "subject", "result", "parent", "former-parent"


@dataclass(frozen=True)
class Step:
    unit_id: str  # the unit whose step it is
    event: Event
    change: Change
    role: str  # SUBJECT, RESULT, PARENT or FORMER_PARENT
    as_of: AsOf

    @property
    def ends(self) -> bool:
        """The unit ends by this change (or will, when the change is announced or planned)."""
        return self.role == SUBJECT and self.change.change in ENDING_CHANGES

    @property
    def begins(self) -> bool:
        """The unit is made by this change: formed, the result of a merger or the new name of a renaming."""
        return (self.role == SUBJECT and self.change.change == "formation") or self.role == RESULT

    @property
    def others(self) -> tuple[str, ...]:
        """The other units the change acts on alongside this one."""
        return tuple(u for u in self.change.units if u != self.unit_id)


def _roles(change: Change, unit_id: str) -> list[str]:
    roles = []
    if unit_id in change.units:
        roles.append(SUBJECT)
    if unit_id == change.into:
        roles.append(RESULT if change.change in ("merger", "renaming") else PARENT)
    if unit_id == change.source_parent:
        roles.append(FORMER_PARENT)
    return roles


def steps_of(kb: KnowledgeBase, unit_id: str) -> tuple[Step, ...]:
    """Every step of the unit's life, in timeline order, each as of its source."""
    known = kb.memo("lifecycle.steps")  # a unit's page, the chart and the lists all ask
    steps = known.get(unit_id)
    if steps is None:
        steps = known[unit_id] = tuple(
            Step(unit_id, event, change, role, claim_as_of(kb, change.claim))
            for event, change in kb.changes_of.get(unit_id, ())
            for role in _roles(change, unit_id)
        )
    return steps


def ending_of(kb: KnowledgeBase, unit_id: str) -> Step | None:
    """The step that ends the unit, or that is announced or planned to: the one whose source is
    latest-dated (done before announced or planned among equals, then the first in timeline order)."""
    return _latest([s for s in steps_of(kb, unit_id) if s.ends])


def beginning_of(kb: KnowledgeBase, unit_id: str) -> Step | None:
    """The step that makes the unit (formed, the result of a merger or a renaming), if one does."""
    return _latest([s for s in steps_of(kb, unit_id) if s.begins])


def _latest(steps: list[Step]) -> Step | None:
    return max(steps, key=lambda s: (s.as_of.sort_key(), s.change.status == "done")) if steps else None
