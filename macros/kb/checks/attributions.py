"""Attributed claims say who said them."""

from __future__ import annotations

from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem


def check_attributions(kb: KnowledgeBase) -> list[Problem]:
    return [
        Problem(
            c.loc.path,
            c.loc.line,
            c.loc.col,
            "missing-attribution",
            "an attributed claim must say who said it",
            "add `said_by: <person or unit id>` or `attribution: <who, as the source words it>`",
        )
        for c in kb.claims
        if c.kind == "attributed" and not (c.said_by or c.attribution)
    ]
