"""Source coverage: is every sentence of an article either cited or marked as
carrying no claim? Uncovered sentences are facts the knowledge base missed.

The rule (the contributing page says the same):

- The sentences are those of `split_sentences` (macros/kb/quotes.py): each line
  of the archived text is a paragraph, split after ., ! or ? (not after titles
  such as "Mr.", initials such as "C." in "Joseph C. Tsai", or abbreviations
  such as "U.S." and "Inc." inside a sentence).
- A sentence is *used* when the quote of a claim citing this source shares at
  least one character with it: a quote of part of the sentence is enough, and a
  quote that runs on over a sentence's end uses both sentences. A claim's quote
  counts where it is first found in the text (the passage the site highlights
  and links to): to cite a later occurrence, quote more words around it.
- Otherwise it *carries no claim* when the quote of one of the source's
  `no_claim` entries shares at least one character with it, wherever that quote
  is found (a heading or a line of boilerplate that repeats is listed once).
- Otherwise it is *unaccounted*, and validation reports it at its line and
  column in the archived text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from macros.kb.model import KnowledgeBase, Source
from macros.kb.quotes import normalize, normalized, split_sentences

# The reason of a no_claim entry that `kb new source` and the coverage messages write: validation
# reports it (code `placeholder`) until someone writes the real reason.
NO_CLAIM_PLACEHOLDER = "WRITE WHY THIS SENTENCE CARRIES NO CLAIM"

# A no_claim quote may be this long (the source schema's maxLength).
MAX_NO_CLAIM_QUOTE = 1000


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    status: str  # "used" | "no-claim" | "unaccounted"
    reason: str = ""


def place(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of `offset` in `text`, both from 1, the column counted in characters."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def no_claim_stub(sentence: str) -> dict[str, str]:
    """The no_claim entry that accounts for `sentence`: the sentence as its quote (cut at a word, if it is
    longer than a quote may be) and the placeholder reason."""
    quote = sentence
    if len(quote) > MAX_NO_CLAIM_QUOTE:
        cut = quote.rfind(" ", 0, MAX_NO_CLAIM_QUOTE + 1)
        quote = quote[: cut if cut > 0 else MAX_NO_CLAIM_QUOTE].rstrip()
    return {"quote": quote, "reason": NO_CLAIM_PLACEHOLDER}


def no_claim_entries(sentences: Iterable[str]) -> list[dict[str, str]]:
    """The no_claim entries that account for `sentences`, in order; a sentence that repeats, once (an
    entry accounts for every place of its quote)."""
    entries, seen = [], set()
    for sentence in sentences:
        key = normalize(sentence)
        if key not in seen:
            seen.add(key)
            entries.append(no_claim_stub(sentence))
    return entries


def entries_left(coverage: Coverage) -> list[dict[str, str]]:
    """The no_claim entries that would account for the sentences left unaccounted, in text order."""
    return no_claim_entries(s.text for s in coverage.sentences if s.status == "unaccounted")


@dataclass(frozen=True)
class Coverage:
    source: str
    sentences: tuple[Sentence, ...]

    def count(self, status: str) -> int:
        return sum(1 for s in self.sentences if s.status == status)

    @property
    def used(self) -> int:
        return self.count("used")

    @property
    def no_claim(self) -> int:
        return self.count("no-claim")

    @property
    def unaccounted(self) -> int:
        return self.count("unaccounted")

    @property
    def total(self) -> int:
        return len(self.sentences)

    @property
    def percent(self) -> float:
        return 100.0 * (self.total - self.unaccounted) / self.total if self.total else 100.0


def quoted_spans(kb: KnowledgeBase, source: Source) -> list[tuple[int, int]]:
    """Where the claims' quotes of `source` are in its text (quotes not found are left out)."""
    text = normalized(source.text)
    return [
        span
        for claim in kb.claims_citing.get(source.id, ())
        for c in claim.cite
        if c.source == source.id and (span := text.span(c.quote))
    ]


def coverage_of(kb: KnowledgeBase, source: Source) -> Coverage:
    return coverage_from_spans(source, quoted_spans(kb, source))


def coverage_from_spans(source: Source, used_spans: list[tuple[int, int]]) -> Coverage:
    """The coverage of `source`, given where the claims quote it (in any order)."""
    text = normalized(source.text)
    sentence_spans = split_sentences(source.text)
    # A sentence is used when a quoted span starts before its end and ends after its start: with the
    # spans sorted by start, the furthest end among those that start before the sentence ends says it.
    used_spans = sorted(used_spans)
    span_starts = [s for s, _ in used_spans]
    furthest = list(accumulate((e for _, e in used_spans), max))
    # The sentences each place of each no_claim quote overlaps, with the reason of the first entry listing it.
    sentence_ends = [e for _, e in sentence_spans]
    reasons: dict[int, str] = {}
    for entry in source.no_claim:
        for s, e in text.spans(entry.quote):
            index = bisect_right(sentence_ends, s)  # the first sentence that ends after the quote starts
            while index < len(sentence_spans) and sentence_spans[index][0] < e:
                reasons.setdefault(index, entry.reason)
                index += 1
    sentences = []
    for index, (start, end) in enumerate(sentence_spans):
        status, reason = "unaccounted", ""
        before = bisect_left(span_starts, end)
        if before and furthest[before - 1] > start:
            status = "used"
        elif index in reasons:
            status, reason = "no-claim", reasons[index]
        sentences.append(Sentence(start, end, source.text[start:end], status, reason))
    return Coverage(source.id, tuple(sentences))


def coverage_all(kb: KnowledgeBase) -> dict[str, Coverage]:
    """Every source's coverage (computed once per knowledge base: validation and the sources' index
    page both ask)."""
    if _last_kb and _last_kb[0] is kb:
        return _last_kb[1]
    result = {source_id: coverage_of(kb, source) for source_id, source in kb.sources.items()}
    _last_kb[:] = [kb, result]
    return result


_last_kb: list = []  # [knowledge base, its coverage]: the latest one only
