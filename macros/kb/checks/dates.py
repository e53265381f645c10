"""Dates that contradict each other within a record."""

from __future__ import annotations

from macros.kb.dates import ends_before_start
from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem


def check_dates(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    spans = [(r.start, r.end, r.claim) for p in kb.people.values() for r in p.roles]
    spans += [(p.start, p.end, p.claim) for u in kb.units.values() for p in u.parents]
    for start, end, claim in spans:
        if start and end and ends_before_start(start, end):
            problems.append(
                Problem(
                    claim.loc.path,
                    claim.loc.line,
                    claim.loc.col,
                    "end-before-start",
                    f"end {end.iso()} is before start {start.iso()}",
                    "check both dates against the source; swap them if they were reversed",
                )
            )
    return problems
