"""Every sentence of every source is cited or marked as carrying no claim, each no_claim entry with a
reason of its own (see macros/kb/coverage.py for when a sentence counts as cited)."""

from __future__ import annotations

from macros.kb.canonical import flow_item
from macros.kb.coverage import NO_CLAIM_PLACEHOLDER, Coverage, no_claim_stub, place
from macros.kb.model import KnowledgeBase, Source
from macros.kb.problems import Problem


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
                    f"{flow_item(no_claim_stub(sentence.text))}; `python -m scripts.kb coverage {source_id}` "
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


def archive_path(source: Source) -> str:
    """The archived text's path, as problems show it: next to the source's record."""
    return f"{source.path.rsplit('/', 1)[0]}/{source.archive}" if "/" in source.path else source.archive
