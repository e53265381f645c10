"""Quote matching: the documented normalization, exact matching, stable anchors.

A quote matches its source when its normalized form is a substring of the
source's normalized text. Normalization (nothing fuzzier):

1. Unicode NFKC;
2. typographic quotes and apostrophes to plain ones (’ ‘ ‚ ‛ ′ to ', “ ” „ ‟ ″ « » to ");
3. dashes (hyphen, non-breaking hyphen, figure dash, en dash, em dash,
   horizontal bar, minus) unified to "-";
4. runs of whitespace to one space, and leading/trailing whitespace removed.

Matching is case-sensitive: a changed word, even its case, does not match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_TRANSLATE = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    }
)
_WHITESPACE = re.compile(r"\s+")

# A quote shorter than this many characters cannot identify a passage.
MIN_QUOTE_CHARS = 12


def normalize(text: str) -> str:
    """Return the normalized form used for matching (see module docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class NormalizedText:
    """A text in normalized form with a map back to the original offsets."""

    original: str
    normalized: str
    # offsets[i] is the offset in `original` of normalized character i;
    # offsets[len(normalized)] is len(original).
    offsets: tuple[int, ...]

    def find(self, quote: str) -> int:
        """Offset in the normalized text of the first match of `quote`, or -1."""
        needle = normalize(quote)
        if not needle:
            return -1
        return self.normalized.find(needle)

    def count(self, quote: str) -> int:
        needle = normalize(quote)
        return self.normalized.count(needle) if needle else 0

    def span(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the first match of `quote` in the original text."""
        needle = normalize(quote)
        start = self.normalized.find(needle) if needle else -1
        if start < 0:
            return None
        end = start + len(needle)
        return self.offsets[start], self.offsets[end - 1] + 1 if end > 0 else 0


def normalize_with_offsets(original: str) -> NormalizedText:
    """Normalize character by character, remembering where each one came from.

    NFKC is applied per character, which equals whole-string NFKC for the
    composed text sources arrive in; whitespace runs collapse to one space.
    """
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(original):
        piece = unicodedata.normalize("NFKC", char).translate(_TRANSLATE)
        for sub in piece:
            if sub.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                offsets.append(index)
                pending_space = False
            out.append(sub)
            offsets.append(index)
    offsets.append(len(original))
    return NormalizedText(original, "".join(out), tuple(offsets))


@lru_cache(maxsize=4096)
def quote_anchor(source_id: str, quote: str) -> str:
    """A stable anchor for a quoted passage: the same words give the same anchor."""
    digest = hashlib.sha1(f"{source_id}\n{normalize(quote)}".encode("utf-8")).hexdigest()
    return f"q-{digest[:10]}"


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(‘A-Z0-9-])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split an archived text into sentences: (start, end) offsets in `text`.

    Each line is a paragraph (a heading, a list item or prose); prose is split
    after ., ! or ? followed by whitespace and a capital, digit or quote.
    Empty lines carry no sentence.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start = 0
        for match in _SENTENCE_END.finditer(body):
            # The sentence keeps its closing quote or bracket, not the space.
            end = match.start() + len(match.group(0).rstrip())
            _append_span(spans, body, position, start, end)
            start = match.end()
        _append_span(spans, body, position, start, len(body))
        position += len(line)
    return spans


def _append_span(spans: list[tuple[int, int]], body: str, line_start: int, start: int, end: int) -> None:
    piece = body[start:end]
    stripped_left = len(piece) - len(piece.lstrip())
    stripped_right = len(piece) - len(piece.rstrip())
    if piece.strip():
        spans.append((line_start + start + stripped_left, line_start + end - stripped_right))
