"""Source coverage: is every sentence of an article either cited or marked as
carrying no claim? Uncovered sentences are facts the knowledge base missed."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from macros.kb.model import KnowledgeBase, Source
from macros.kb.quotes import normalized, split_sentences


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    status: str  # "used" | "no-claim" | "unaccounted"
    reason: str = ""


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
    marked = [(span, n.reason) for n in source.no_claim if (span := text.span(n.quote))]
    # A sentence is used when a quoted span starts before its end and ends after its start: with the
    # spans sorted by start, the furthest end among those that start before the sentence ends says it.
    used_spans = sorted(used_spans)
    span_starts = [s for s, _ in used_spans]
    furthest = list(accumulate((e for _, e in used_spans), max))
    sentences = []
    for start, end in split_sentences(source.text):
        status, reason = "unaccounted", ""
        before = bisect_left(span_starts, end)
        if before and furthest[before - 1] > start:
            status = "used"
        else:
            for (s, e), why in marked:
                if s < end and e > start:
                    status, reason = "no-claim", why
                    break
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
