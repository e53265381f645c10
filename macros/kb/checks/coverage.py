"""Every sentence of every source is cited or marked as carrying no claim, and never both."""

from __future__ import annotations

from bisect import bisect_left

from macros.kb.checks.quotes import short
from macros.kb.coverage import Coverage
from macros.kb.model import Source
from macros.kb.problems import Problem
from macros.kb.quotes import normalized
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


def check_no_claims_on_cited(sources: dict[str, Source], coverage: dict[str, Coverage]) -> list[Problem]:
    """no_claim entries that mark a sentence a claim cites: the coverage counts such a sentence as cited
    and would ignore the entry, which says the opposite of the claim. Whatever else is wrong, a claim's
    quote found in the sentence is evidence enough, so this is reported at once."""
    problems = []
    for source_id, result in coverage.items():
        source = sources[source_id]
        if not source.no_claim:
            continue
        text = normalized(source.text)
        sentences = result.sentences
        ends = [s.end for s in sentences]
        for entry in source.no_claim:
            span = text.span(entry.quote)
            if span is None:
                continue  # reported as no-claim-not-found (or misplaced)
            start, end = span
            index = bisect_left(ends, start + 1)  # the first sentence that ends after the entry starts
            while index < len(sentences) and sentences[index].start < end:
                sentence = sentences[index]
                index += 1
                if sentence.status != "used":
                    continue
                line = source.text.count("\n", 0, sentence.start) + 1
                problems.append(
                    Problem(
                        entry.loc.path,
                        entry.loc.line,
                        entry.loc.col,
                        "no-claim-on-cited-sentence",
                        f"this no_claim entry marks a sentence that a claim cites ({source.archive}, line {line}): "
                        f"'{short(sentence.text)}'",
                        "remove the entry: a cited sentence carries a claim (or, if the claim should not cite "
                        "it, correct the claim's quote)",
                    )
                )
                break
    return problems
