"""The checks that span records, as plain functions of the loaded data.

Each module holds one family of checks and knows nothing of how it is run:
`macros.kb.validate` runs them in one process, `macros.kb.shards` runs the
per-record ones in several and the others on what the workers send back.

- `record_checks(loaded)`: what each record file can be checked for against
  the ids of every file and the sources (references, dates and their words,
  unit changes, attributions, wording, quotes); a worker with a share of the
  files runs exactly these.
- `structure_checks(structure)`: what needs every record of a kind at once
  (unit cycles; the timeline's cycles and contradictions), over a
  `Structure` small enough to send between processes.
- `source_checks(kb)`: the sources' own no_claim entries: their quotes are found, their reasons written.
- `check_coverage(...)`: every sentence of every source accounted for;
  `check_no_claims_on_cited(...)`: and none both cited and marked as
  carrying no claim.
"""

from __future__ import annotations

from macros.kb.checks.attributions import check_attributions
from macros.kb.checks.changes import check_changes
from macros.kb.checks.coverage import check_coverage, check_no_claim_reasons, check_no_claims_on_cited
from macros.kb.checks.dates import check_dates, check_dates_quoted
from macros.kb.checks.quotes import (
    check_citations,
    check_no_claims,
    citations_all_found,
    no_claims_all_found,
    quotes_all_found,
)
from macros.kb.checks.references import check_references
from macros.kb.checks.structure import Structure, structure_checks, structure_of
from macros.kb.checks.wording import check_wording
from macros.kb.load import Loaded
from macros.kb.model import KnowledgeBase
from macros.kb.problems import Problem

__all__ = [
    "Structure",
    "check_coverage",
    "check_no_claims_on_cited",
    "citations_all_found",
    "no_claims_all_found",
    "quotes_all_found",
    "record_checks",
    "source_checks",
    "structure_checks",
    "structure_of",
]


def record_checks(loaded: Loaded) -> list[Problem]:
    """The checks of the records in `loaded` that need no other record file than the sources."""
    kb = loaded.kb
    return (
        check_references(loaded)
        + check_dates(kb)
        + check_dates_quoted(loaded)
        + check_changes(loaded)
        + check_attributions(kb)
        + check_wording(loaded)
        + check_citations(kb)
    )


def source_checks(kb: KnowledgeBase) -> list[Problem]:
    return check_no_claims(kb) + check_no_claim_reasons(kb)
