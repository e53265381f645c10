"""The outcome of a validation run: its problems, the sources' coverage and, in one process, the model."""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.kb.coverage import Coverage
from macros.kb.load import Loaded
from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem


@dataclass
class Report:
    problems: list[Problem]  # errors: validation fails on any
    coverage: dict[str, Coverage]
    records: int  # record files, valid or not
    citations: int
    loaded: Loaded | None = None  # the model: None when the records were checked in several processes
    warnings: list[Problem] = field(default_factory=list)  # shown and counted apart; validation passes

    @classmethod
    def of(cls, found: list[Problem], coverage, records: int, citations: int, loaded: Loaded | None = None) -> Report:
        """The report of everything `found`, errors and warnings apart, each sorted, once each."""
        found = sorted(set(found))
        errors = [p for p in found if not p.is_warning]
        return cls(errors, coverage, records, citations, loaded, [p for p in found if p.is_warning])

    @property
    def kb(self) -> KnowledgeBase:
        if self.loaded is None:
            raise RuntimeError(
                "this report was made in several processes and holds no model: "
                "call validate() with workers=1 to build one"
            )
        return self.loaded.kb

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        text = f"{plural(self.records, 'record')}, {plural(self.citations, 'citation')}, {plural(len(self.problems), 'problem')}"
        return text + (f", {plural(len(self.warnings), 'warning')}" if self.warnings else "")


def plural(count: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
