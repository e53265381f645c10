"""Quote matching: the documented normalization, exact matching, stable anchors.

A quote matches its source when its normalized form is found in the source's
normalized text at a place where it begins and ends on word boundaries and
that lies within one line of the archived text. Normalization (nothing
fuzzier):

1. Unicode NFKC;
2. typographic quotes and apostrophes to plain ones (’ ‘ ‚ ‛ ′ ʼ to ', “ ” „ ‟ ″ « » to ");
3. dashes (hyphen, non-breaking hyphen, figure dash, en dash, em dash,
   horizontal bar, minus) unified to "-";
4. runs of whitespace to one space, and leading/trailing whitespace removed.

Matching is case-sensitive: a changed word, even its case, does not match.

Word boundaries, on the normalized text: a word character is a letter, a
digit or a combining mark (Unicode categories L, N and M). An end of a match
(its start, or its end) is inside a word when the characters on both sides
of it are word characters, so "Eddie W" is not found in "Eddie Wu", nor "ang"
in "Yongming"; an apostrophe, a hyphen, a space or a punctuation mark is a
boundary ("Alibaba" is found in "Alibaba's"). In scripts written without
spaces between words (Han ideographs, Japanese kana, Thai, Lao, Khmer,
Myanmar) every point between two characters is a boundary, except before a
combining mark. The first occurrence that starts and ends on boundaries is
the match: an earlier one inside a word does not hide it.

Lines: the archived text's lines are its paragraphs (headings, list items,
prose). A whitespace run that holds a line break (any of those
`str.splitlines` splits at) is one space after normalization, like any
other, but a match may not contain it: a quote never joins two lines.

Readers are shown the archive's own characters for a quote (`passage`):
the typed quote matched only after normalization, and may differ from them
in apostrophes, dashes and spacing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)
_NON_SPACE = re.compile(r"\S+")  # \S is exactly `not str.isspace()`

# A quote shorter than this many characters cannot identify a passage.
MIN_QUOTE_CHARS = 12

# What str.splitlines splits at: a whitespace run holding one of these ends a line.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

_ASCII_WORD_RUN = re.compile(r"[0-9A-Za-z]+")  # always word characters, of a script written with spaces

# Scripts written without spaces between words (code point ranges): Thai, Lao, Myanmar, Khmer,
# CJK radicals and ideographic marks, kana, Han (with the compatibility and supplementary planes),
# halfwidth kana.
_NO_SPACE_SCRIPTS = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303C),
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3FFFF),
)


def _is_word_char(char: str) -> bool:
    """A letter, a digit or a combining mark."""
    if char < "\x80":
        return char.isalnum()
    return unicodedata.category(char)[0] in "LNM"


def _writes_no_spaces(char: str) -> bool:
    code = ord(char)
    return code >= 0x0E00 and any(low <= code <= high for low, high in _NO_SPACE_SCRIPTS)


def inside_word(left: str, right: str) -> bool:
    """True when the point between the characters `left` and `right` (of a normalized text) is
    inside a word, so that a quote may not begin or end there (see the module docstring)."""
    if not (_is_word_char(left) and _is_word_char(right)):
        return False
    if _writes_no_spaces(left) or _writes_no_spaces(right):
        return unicodedata.category(right)[0] == "M"
    return True


@lru_cache(maxsize=1 << 17)  # each quote is matched, anchored and exported several times
def normalize(text: str) -> str:
    """Return the normalized form used for matching (see module docstring)."""
    if not text.isascii():  # ASCII is left as it is by NFKC and by the table
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return " ".join(text.split())  # str.split() splits at exactly what \s matches


class Offsets(Sequence):
    """offsets[i]: the offset in the original text of normalized character i.

    Kept as runs rather than one int per character (a long text would take
    megabytes): a run starting at normalized index `start` maps to `origin`,
    and its following characters either follow one to one (`step` 1: an
    ASCII word) or come from the same original character (`step` 0: a
    space, or the pieces of one character's NFKC form).
    """

    __slots__ = ("starts", "origins", "steps", "length")

    def __init__(self, starts: array, origins: array, steps: array, length: int):
        self.starts, self.origins, self.steps, self.length = starts, origins, steps, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset index out of range")
        run = bisect_right(self.starts, index) - 1
        return self.origins[run] + self.steps[run] * (index - self.starts[run])


@dataclass(frozen=True)
class Miss:
    """Why a quote found in the normalized text does not match there: the fault of its first
    occurrence, at normalized offsets [start, end)."""

    fault: str  # "starts-inside-word" | "ends-inside-word" | "joins-lines"
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """A text in normalized form with a map back to the original offsets."""

    original: str
    normalized: str
    # offsets[i] is the offset in `original` of normalized character i;
    # offsets[len(normalized)] is len(original).
    offsets: Sequence[int]
    # quote -> its span (or None): validation, coverage and the source page all ask for each quote.
    _spans: dict = field(default_factory=dict, repr=False)
    _breaks: list = field(default_factory=list, repr=False)  # [the line breaks], once worked out

    @property
    def line_breaks(self) -> list[int]:
        """The offsets in the normalized text of the spaces that stand for a line break, in order."""
        if not self._breaks:
            normalized, offsets = self.normalized, self.offsets
            # A space maps to the character after its run: the first offset past a break is its space.
            found = {bisect_right(offsets, m.start()) for m in _LINE_BREAK.finditer(self.original)}
            self._breaks.append(sorted(i for i in found if 0 < i < len(normalized) and normalized[i] == " "))
        return self._breaks[0]

    def _fault(self, start: int, end: int) -> str | None:
        """Why the occurrence [start, end) of a quote in the normalized text is not a match, or None."""
        text = self.normalized
        if start > 0 and inside_word(text[start - 1], text[start]):
            return "starts-inside-word"
        if end < len(text) and inside_word(text[end - 1], text[end]):
            return "ends-inside-word"
        breaks = self.line_breaks
        after = bisect_right(breaks, start)
        if after < len(breaks) and breaks[after] < end:
            return "joins-lines"
        return None

    def _occurrences(self, needle: str):
        """(start, fault) of every occurrence of `needle` in the normalized text that may be a match,
        in order: after one that starts inside a run of ASCII letters and digits, none that starts
        inside the same run is looked at (each would start inside a word too), so that even a text
        of one long word is gone through once."""
        if not needle:
            return
        text, length = self.normalized, len(needle)
        start = text.find(needle)
        while start >= 0:
            fault = self._fault(start, start + length)
            yield start, fault
            following = start + 1
            if fault == "starts-inside-word":
                run = _ASCII_WORD_RUN.match(text, start)
                if run:
                    following = max(following, run.end())
            start = text.find(needle, following)

    def find(self, quote: str) -> int:
        """Offset in the normalized text of the first match of `quote` (whole words, one line), or -1."""
        for start, fault in self._occurrences(normalize(quote)):
            if fault is None:
                return start
        return -1

    def count(self, quote: str) -> int:
        """The number of matches of `quote` (whole words, one line; overlapping ones counted)."""
        return sum(1 for _, fault in self._occurrences(normalize(quote)) if fault is None)

    def miss(self, quote: str) -> Miss | None:
        """For a quote with no match whose normalized form is in the text all the same: why its first
        occurrence does not count. None when the quote matches or is not in the text at all."""
        if self.span(quote) is not None:
            return None
        needle = normalize(quote)
        for start, fault in self._occurrences(needle):
            return Miss(fault, start, start + len(needle))
        return None

    def span(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the first match of `quote` in the original text."""
        known = self._spans.get(quote, False)
        if known is not False:
            return known
        start = self.find(quote)
        if start < 0:
            span = None
        else:
            end = start + len(normalize(quote))
            span = self.offsets[start], self.offsets[end - 1] + 1
        self._spans[quote] = span
        return span

    def contains(self, quote: str) -> bool:
        return self.span(quote) is not None

    def passage(self, quote: str) -> str | None:
        """The archive's own characters of the passage `quote` matches, or None when it matches none."""
        span = self.span(quote)
        return None if span is None else self.original[span[0] : span[1]]

    def spans(self, quote: str) -> list[tuple[int, int]]:
        """(start, end) in the original text of every match of `quote` (whole words, one line), in order,
        none overlapping."""
        needle = normalize(quote)
        found, last_end = [], -1
        for start, fault in self._occurrences(needle):
            end = start + len(needle)
            if fault is None and start >= last_end:
                found.append((self.offsets[start], self.offsets[end - 1] + 1))
                last_end = end
        return found


class _ShiftOffsets(Sequence):
    """The offsets of a text in which every character normalizes to one character (the usual case:
    typographic quotes, dashes, accented letters): only whitespace moves characters. A character's
    offset is its index plus the characters removed before it (leading whitespace, and all but one
    of each longer run of whitespace), kept per run; a space maps where the next character does."""

    __slots__ = ("normalized", "marks", "shifts", "length", "end")

    def __init__(self, normalized: str, marks: list[int], shifts: list[int], end: int):
        self.normalized, self.marks, self.shifts, self.end = normalized, marks, shifts, end
        self.length = len(normalized) + 1

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset index out of range")
        if index == self.length - 1:
            return self.end
        if self.normalized[index] == " ":
            index += 1  # a space is never last: it maps to the character after it
        return index + self.shifts[bisect_right(self.marks, index) - 1]


_LONG_SPACE = re.compile(r"\s{2,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _one_to_one(original: str) -> str | None:
    """The text with each character normalized (NFKC, then quotes and dashes), when every character
    becomes exactly one character, whitespace staying whitespace; else None."""
    if original.isascii():
        return original  # ASCII is left as it is by both steps
    changes = []
    for char in set(_NON_ASCII.findall(original)):
        piece = unicodedata.normalize("NFKC", char).translate(_TRANSLATE)
        if len(piece) != 1 or piece.isspace() != char.isspace():
            return None
        if piece != char:
            changes.append((char, piece))
    if len(changes) > 8:
        return original.translate({ord(char): piece for char, piece in changes})
    for char, piece in changes:  # a few kinds of quotes and dashes: one fast pass each
        original = original.replace(char, piece)
    return original


def normalize_with_offsets(original: str) -> NormalizedText:
    """Normalize character by character, remembering where each one came from.

    NFKC is applied per character, which equals whole-string NFKC for the
    composed text sources arrive in; whitespace runs collapse to one space.
    When every character normalizes to exactly one (the usual case), the
    text is translated at once and only the runs of whitespace are
    recorded; otherwise a word of ASCII characters is copied whole and
    the others are normalized one character at a time.
    """
    translated = _one_to_one(original)
    if translated is not None:
        normalized = " ".join(translated.split())
        lead = len(translated) - len(translated.lstrip())
        marks, shifts, removed = [0], [lead], lead
        for match in _LONG_SPACE.finditer(translated, lead):
            if match.end() == len(translated):
                break  # trailing whitespace: nothing follows it
            space = match.start() - removed  # where the run's one space is in the normalized text
            removed += match.end() - match.start() - 1
            marks.append(space + 1)
            shifts.append(removed)
        return NormalizedText(original, normalized, _ShiftOffsets(normalized, marks, shifts, len(original)))
    out: list[str] = []
    starts, origins, steps = array("q"), array("q"), array("b")
    size = 0  # characters in `out` so far
    pending_space = False

    def run(origin: int, step: int) -> None:
        starts.append(size)
        origins.append(origin)
        steps.append(step)

    for match in _NON_SPACE.finditer(original):
        # Whitespace (before every word but the first) normalizes to whitespace only.
        pending_space = pending_space or size > 0
        token, start = match.group(), match.start()
        if token.isascii():
            if pending_space:
                run(start, 0)
                out.append(" ")
                size += 1
                pending_space = False
            run(start, 1)
            out.append(token)
            size += len(token)
            continue
        for index in range(start, start + len(token)):
            piece = unicodedata.normalize("NFKC", original[index]).translate(_TRANSLATE)
            for sub in piece:
                if sub.isspace():
                    pending_space = size > 0
                    continue
                if pending_space:
                    run(index, 0)
                    out.append(" ")
                    size += 1
                    pending_space = False
                run(index, 0)
                out.append(sub)
                size += 1
    run(len(original), 0)
    return NormalizedText(original, "".join(out), Offsets(starts, origins, steps, size + 1))


# Large enough for every source of a big knowledge base: validation and the
# source pages go over all sources several times, and a smaller cache would
# normalize every text again on each pass.
@lru_cache(maxsize=16384)
def normalized(text: str) -> NormalizedText:
    """The normalized form of an archived text (made once per text)."""
    return normalize_with_offsets(text)


def as_archived(text: str | None, quote: str) -> str:
    """`quote` in the archive's own characters (`text`'s passage that it matches): what readers are
    shown. The quote as typed when there is no text or no match (only in an invalid knowledge base)."""
    if text is None:
        return quote
    passage = normalized(text).passage(quote)
    return quote if passage is None else passage


@lru_cache(maxsize=1 << 17)  # every quote of a large knowledge base: pages, exports and feeds all ask
def quote_anchor(source_id: str, quote: str) -> str:
    """A stable anchor for a quoted passage: the same words give the same anchor."""
    digest = hashlib.sha1(f"{source_id}\n{normalize(quote)}".encode()).hexdigest()
    return f"q-{digest[:10]}"


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(‘A-Z0-9-])")

# Words whose period never ends a sentence: titles before a name, and abbreviations that always go on.
_NEVER_ENDS = frozenset(
    "Mr Mrs Ms Mx Dr Prof Sen Rep Gov Gen Col Lt Sgt Capt Maj Adm Cmdr Rev Hon Pres Fr vs v cf viz "
    "e.g i.e approx Fig Figs Vol Nos".split()
)
# Abbreviations that may end a sentence as well as go on inside one ("Acme Corp. Japan's", "Globex Ltd. The
# rivals"): with initials ("Joseph C. Tsai") and dotted acronyms ("U.S."), they end one only when the next word is
# one that starts a sentence and hardly ever follows such an abbreviation inside one.
_MAY_END = frozenset(
    "Inc Corp Ltd Co Plc Bros Jr Sr St No Dept Univ Ave Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_OPENERS = frozenset(
    "A An The This That These Those It Its He She His Her They Their We Our I But And However Meanwhile In On At "
    "As For If When While After Before Since".split()
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")  # "C.", "U.S.", "a.m."
_NEXT_WORD = re.compile(r"[\"“(‘]?([A-Za-z]+)(?!\.)\b")  # a word, not an initial


def _ends_sentence(body: str, match: re.Match) -> bool:
    """Whether a candidate end (., ! or ?, perhaps a closing quote or bracket, then whitespace) ends a sentence."""
    period = match.start() - 1
    if body[period] != "." or not match.group(0)[0].isspace():
        return True  # ! and ?, and a closing quote or bracket after the period, always end one
    begin = period
    while begin > 0 and (body[begin - 1].isalnum() or body[begin - 1] == "."):
        begin -= 1
    word = body[begin : period + 1]  # the word the period ends, with any dots inside it ("U.S.", "e.g.")
    if word[:-1] in _NEVER_ENDS:
        return False
    if word[:-1] in _MAY_END or _INITIALS.fullmatch(word):
        following = _NEXT_WORD.match(body, match.end())
        return bool(following and following.group(1) in _OPENERS)
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split an archived text into sentences: (start, end) offsets in `text`.

    Each line is a paragraph (a heading, a list item or prose); prose is split
    after ., ! or ? followed by whitespace and a capital, digit or quote, except
    after a title or abbreviation that never ends a sentence (Mr., Dr., vs.,
    e.g., ...), and except after an initial ("Joseph C. Tsai"), a dotted acronym
    ("U.S.") or an abbreviation that may end one (Inc., Corp., Ltd., Co., No.,
    Jan., ...) unless the next word is one that starts sentences (The, It, He,
    ...). Empty lines carry no sentence.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start = 0
        for match in _SENTENCE_END.finditer(body):
            if not _ends_sentence(body, match):
                continue
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
