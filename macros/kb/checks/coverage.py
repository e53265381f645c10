"""Every sentence of every source is cited or marked as carrying no claim."""

from __future__ import annotations

from macros.kb.checks.quotes import short
from macros.kb.coverage import Coverage
from macros.kb.model import Source
from macros.kb.problems import Problem
from macros.kb.yamlsafe import Document


def check_coverage(
    documents: dict[str, Document], sources: dict[str, Source], coverage: dict[str, Coverage], complete: bool, all_found
) -> list[Problem]:
    """Uncovered sentences, only where the coverage is known to be complete.

    A record file left out of the model (because of its own problems) or a
    quote not found may be what leaves a sentence uncovered: reporting that
    sentence would send the contributor to the wrong place. Such sentences
    are reported once the other problems are fixed. `documents`: shown path
    -> document, of the sources at least; `complete`: every record file made
    a record; `all_found(source_id)`: every quote of the source was found.
    """
    if not complete:
        return []
    problems = []
    for source_id, result in coverage.items():
        if not all_found(source_id):
            continue
        source = sources[source_id]
        doc = documents[source.path]
        for sentence in result.sentences:
            if sentence.status == "unaccounted":
                line, col = doc.where(("no_claim",), key=True) if "no_claim" in doc.data else (1, 1)
                where = f"{source.archive}, line {source.text.count(chr(10), 0, sentence.start) + 1}"
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        col,
                        "uncovered-sentence",
                        f"sentence not accounted for ({where}): '{short(sentence.text)}'",
                        "cite it in a claim, or list it under no_claim: with a reason",
                    )
                )
    return problems
