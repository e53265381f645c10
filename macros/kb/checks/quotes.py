"""Every quote (of a claim, or of a sentence marked as carrying no claim) is in its source's archived text,
as whole words within one line (see macros.kb.quotes), and no claim cites one passage twice."""

from __future__ import annotations

from macros.kb.model import KnowledgeBase, Source
from macros.kb.problems import Problem
from macros.kb.quotes import MIN_QUOTE_CHARS, Miss, NormalizedText, inside_word, normalize, normalized


def check_citations(kb: KnowledgeBase) -> list[Problem]:
    """Every claim's quotes are in their sources' archived texts, each passage cited once per claim."""
    problems = []
    for claim in kb.claims:
        cited: dict[tuple[str, str], object] = {}
        for citation in claim.cite:
            problems.extend(_check_quote(kb, citation.source, citation.quote, citation.loc, "quote"))
            passage = (citation.source, normalize(citation.quote))
            if passage in cited:
                first = cited[passage]
                problems.append(
                    Problem(
                        citation.loc.path,
                        citation.loc.line,
                        citation.loc.col,
                        "duplicate-citation",
                        f"this claim already cites the passage '{short(passage[1])}' of '{citation.source}' "
                        f"(line {first.line})",
                        "remove one of the two citations; to support the claim with more of the text, quote "
                        "another passage",
                    )
                )
            else:
                cited[passage] = citation.loc
    return problems


def check_no_claims(kb: KnowledgeBase) -> list[Problem]:
    """Every passage a source marks as carrying no claim is in its archived text."""
    problems = []
    for source in kb.sources.values():
        for entry in source.no_claim:
            problems.extend(_check_quote(kb, source.id, entry.quote, entry.loc, "no-claim"))
    return problems


def _check_quote(kb: KnowledgeBase, source_id: str, quote: str, loc, what: str) -> list[Problem]:
    source = kb.sources.get(source_id)
    if source is None:
        return []  # reported as an unknown reference, or its source record is invalid
    needle = normalize(quote)
    if len(needle) < MIN_QUOTE_CHARS and what == "quote":
        return [
            Problem(
                loc.path,
                loc.line,
                loc.col,
                "quote-too-short",
                f"the quote '{needle}' has {len(needle)} characters; at least {MIN_QUOTE_CHARS} are needed "
                "to identify a passage",
                "quote a longer passage: a whole clause or sentence",
            )
        ]
    text = normalized(source.text)
    if text.contains(quote):
        return []
    miss = text.miss(quote)
    if miss is not None:
        return [_misplaced(text, source, quote, miss, loc, what)]
    # Say how far the quote matches, which is where to look for the difference.
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if text.normalized.find(needle[:middle]) >= 0:
            low = middle
        else:
            high = middle - 1
    code = "quote-not-found" if what == "quote" else "no-claim-not-found"
    where = (
        f"data/sources/{source.archive}" if not source.path else source.path.rsplit("/", 1)[0] + "/" + source.archive
    )
    if low >= 8:
        hint = (
            f"the first {low} characters match ('{needle[:low][-40:]}'); the text differs after that - copy it "
            f"verbatim from {where}"
        )
    else:
        hint = f"copy the words verbatim from {where} (plain and typographic quotes both match)"
    return [
        Problem(
            loc.path,
            loc.line,
            loc.col,
            code,
            f"the quote '{short(needle)}' is not in the archived text of '{source_id}'",
            hint,
        )
    ]


def _misplaced(text: NormalizedText, source: Source, quote: str, miss: Miss, loc, what: str) -> Problem:
    """The problem of a quote whose words are in the text, but only cut inside a word or across lines."""
    needle = normalize(quote)
    subject = "the quote" if what == "quote" else "the no_claim quote"
    if miss.fault == "joins-lines":
        first = source.text.count("\n", 0, text.offsets[miss.start]) + 1
        last = source.text.count("\n", 0, text.offsets[miss.end - 1]) + 1
        return Problem(
            loc.path,
            loc.line,
            loc.col,
            "quote-joins-lines",
            f"{subject} '{short(needle)}' joins lines {first} and {last} of the archived text of '{source.id}' "
            "into one passage",
            "a quote stays within one line (a paragraph, heading or list item): quote each line's words in "
            "a citation of its own",
        )
    cut = miss.start if miss.fault == "starts-inside-word" else miss.end
    word = _word_around(text.normalized, cut)
    where = "begins" if miss.fault == "starts-inside-word" else "ends"
    return Problem(
        loc.path,
        loc.line,
        loc.col,
        "quote-inside-word",
        f"{subject} '{short(needle)}' {where} inside the word '{short(word, 40)}' of the archived text of "
        f"'{source.id}'",
        f"a quote begins and ends on word boundaries: quote the whole word '{short(word, 40)}', or leave it out",
    )


def _word_around(text: str, cut: int) -> str:
    """The word of `text` that the point `cut` is inside."""
    start = cut
    while start > 0 and inside_word(text[start - 1], text[start]):
        start -= 1
    end = cut
    while end < len(text) and inside_word(text[end - 1], text[end]):
        end += 1
    return text[start:end]


def short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quotes_all_found(kb: KnowledgeBase, source_id: str) -> bool:
    return citations_all_found(kb, source_id) and no_claims_all_found(kb.sources[source_id])


def citations_all_found(kb: KnowledgeBase, source_id: str) -> bool:
    text = normalized(kb.sources[source_id].text)
    return all(
        text.contains(c.quote)
        for claim in kb.claims_citing.get(source_id, ())
        for c in claim.cite
        if c.source == source_id
    )


def no_claims_all_found(source: Source) -> bool:
    text = normalized(source.text)
    return all(text.contains(entry.quote) for entry in source.no_claim)
