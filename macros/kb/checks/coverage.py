"""Every sentence of every source is cited or marked as carrying no claim, and never both; each
no_claim entry has a reason of its own (see macros/kb/coverage.py for when a sentence counts as cited)."""

from __future__ import annotations

from bisect import bisect_left

from macros.kb.canonical import flow_item
from macros.kb.checks.quotes import short
from macros.kb.coverage import NO_CLAIM_PLACEHOLDER, Coverage, no_claim_stub, place
from macros.kb.model import KnowledgeBase, Source
from macros.kb.problems import Problem
from macros.kb.quotes import normalized


def check_coverage(
    sources: dict[str, Source], coverage: dict[str, Coverage], complete: bool, all_found
) -> list[Problem]:
    """Uncovered sentences, only where the coverage is known to be complete.

    A record file left out of the model (because of its own problems) or a
    quote not found may be what leaves a sentence uncovered: reporting that
    sentence would send the contributor to the wrong place. Such sentences
    are reported once the other problems are fixed. `complete`: every record
    file made a record; `all_found(source_id)`: every quote of the source was
    found.

    Each is reported at its place in the archived text, so that the problems
    come in the order of the text, and the hint holds the no_claim entry to
    paste (the whole sentence, quoted for YAML).
    """
    if not complete:
        return []
    problems = []
    for source_id, result in coverage.items():
        if not all_found(source_id):
            continue
        source = sources[source_id]
        archive = archive_path(source)
        for sentence in result.sentences:
            if sentence.status != "unaccounted":
                continue
            line, col = place(source.text, sentence.start)
            problems.append(
                Problem(
                    archive,
                    line,
                    col,
                    "uncovered-sentence",
                    "sentence not accounted for: no claim cites it and no no_claim entry lists it",
                    f"cite it in a claim, or paste this under no_claim: in {source.path} and write its reason: "
                    f"{flow_item(no_claim_stub(sentence.text))}; `.venv/bin/kb coverage {source_id}` "
                    "lists every sentence left",
                )
            )
    return problems


def check_no_claim_reasons(kb: KnowledgeBase) -> list[Problem]:
    """No no_claim entry still has the placeholder reason that `kb new source` and the hints write."""
    problems = []
    for source in kb.sources.values():
        for index, entry in enumerate(source.no_claim):
            if entry.reason.strip() == NO_CLAIM_PLACEHOLDER:
                loc = entry.reason_loc
                problems.append(
                    Problem(
                        loc.path,
                        loc.line,
                        loc.col,
                        "placeholder",
                        f"no_claim[{index}].reason is still the template's placeholder",
                        "write why this sentence carries no claim (a heading, a byline, the page's boilerplate...), "
                        "or cite it in a claim and remove this entry",
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


def archive_path(source: Source) -> str:
    """The archived text's path, as problems show it: next to the source's record."""
    return f"{source.path.rsplit('/', 1)[0]}/{source.archive}" if "/" in source.path else source.archive
