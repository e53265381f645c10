"""The outcome of a validation run: its problems, the sources' coverage and, in one process, the model."""

from __future__ import annotations

from dataclasses import dataclass

from macros.kb.coverage import Coverage
from macros.kb.load import Loaded
from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem


@dataclass
class Report:
    problems: list[Problem]
    coverage: dict[str, Coverage]
    records: int  # record files, valid or not
    citations: int
    loaded: Loaded | None = None  # the model: None when the records were checked in several processes

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
        return f"{plural(self.records, 'record')}, {plural(self.citations, 'citation')}, {plural(len(self.problems), 'problem')}"


def plural(count: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
