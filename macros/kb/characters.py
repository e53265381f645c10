"""Characters a text shown to readers may not hold, and how to show them when evidence does.

A name, title, statement or note reaches pages, feeds and terminals. Some
characters there do harm without being seen: control characters rewrite a
terminal or a CI log (ANSI escapes, carriage returns, backspaces, OSC
sequences), bidirectional controls reorder what is displayed (the "Trojan
Source" trick), invisible ones make two different texts look the same.

The rule, by Unicode general category (the characters listed below are those
of Unicode 14, Python 3.11's; a test checks the list against the categories
of the running Python):

- Cc, control characters, except the tab and the line feed: a YAML block
  scalar holds line feeds, and both are plain whitespace that quote matching
  folds into one space;
- Cf, format characters: bidirectional embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069) and marks (U+200E, U+200F, U+061C), zero-width
  space, joiners and word joiner (U+200B-U+200D, U+2060), the soft hyphen
  (U+00AD), U+FEFF inside text, invisible operators, tags... The joiners are
  needed by some scripts (Persian, Indic) and emoji; this knowledge base's
  texts (English and Chinese) need none, so none is allowed: if one ever is
  needed, allow it here, with the reason;
- Cs, surrogates (a double-quoted YAML escape can make one; it cannot be
  written out as UTF-8);
- Zl and Zp, the line and paragraph separators (line breaks that pass for
  spaces);
- the noncharacters (U+FDD0-U+FDEF and the last two code points of each
  plane) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), letters
  that show as nothing.

Quotes are exempt: they are checked against the archived text, which is
evidence and may hold such characters; pages show them escaped, visibly.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator

# Code point ranges (first, last), both included.
UNSAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),  # C0 controls before the tab
    (0x000B, 0x001F),  # C0 controls after the line feed
    (0x007F, 0x009F),  # DELETE and the C1 controls
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x0600, 0x0605),  # Arabic number signs
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),  # Hangul fillers
    (0x180E, 0x180E),  # MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200F),  # zero-width space, joiners, left-to-right and right-to-left marks
    (0x2028, 0x202E),  # line and paragraph separators, bidirectional embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidirectional isolates, deprecated format characters
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xD800, 0xDFFF),  # surrogates
    (0xFDD0, 0xFDEF),  # noncharacters
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (a byte-order mark inside text)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0xFFFE, 0xFFFF),  # noncharacters
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0001, 0xE0001),  # LANGUAGE TAG
    (0xE0020, 0xE007F),  # tag characters
    *((plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF) for plane in range(1, 17)),  # noncharacters
)


def _char_class(ranges) -> re.Pattern:
    escaped = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile("[" + "".join(escaped) + "]")


def _utf8_sequences(first: int, last: int) -> list[list[tuple[int, int]]]:
    """The code points first..last as UTF-8: a list of sequences of byte ranges, one range per byte, that
    together match exactly their encodings (the splitting of RE2's and Go's regexp/syntax)."""
    for boundary in (0x7F, 0x7FF, 0xFFFF):  # where the encoding gets a byte longer
        if first <= boundary < last:
            return _utf8_sequences(first, boundary) + _utf8_sequences(boundary + 1, last)
    if last <= 0x7F:
        return [[(first, last)]]
    for trailing in range(1, 4):  # split until every byte but the first spans a whole range or one value
        mask = (1 << (6 * trailing)) - 1
        if first & ~mask != last & ~mask:
            if first & mask:
                return _utf8_sequences(first, first | mask) + _utf8_sequences((first | mask) + 1, last)
            if last & mask != mask:
                return _utf8_sequences(first, (last & ~mask) - 1) + _utf8_sequences(last & ~mask, last)
    low, high = (chr(c).encode("utf-8", "surrogatepass") for c in (first, last))
    return [list(zip(low, high))]


def _byte_span(low: int, high: int) -> bytes:
    """low-high, for a character class."""
    return re.escape(bytes([low])) + b"-" + re.escape(bytes([high]))


class CharacterSet:
    """Code point ranges, searched in a text with the cheapest regex that can find them there: Python's
    regex engine is some thirty times slower on a class that holds characters beyond the BMP, and most
    texts are ASCII (str.isascii is free) or hold none of those (a text is in the BMP when its UTF-16
    takes two bytes a character: one encoding pass in C, some thirty times as fast as max(text))."""

    def __init__(self, ranges: tuple[tuple[int, int], ...]):
        self.ranges = ranges
        self._ascii = _char_class([(a, min(b, 0x7F)) for a, b in ranges if a <= 0x7F])
        self._bmp = _char_class([(a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF])
        self._all = _char_class(ranges)
        sequences = [sequence for a, b in ranges for sequence in _utf8_sequences(a, b)]
        # The first bytes of the set's characters in UTF-8 (a byte that never continues a character), and
        # each character's whole encoding: searched in encoded text without decoding it.
        first_bytes = {value for sequence in sequences for value in range(sequence[0][0], sequence[0][1] + 1)}
        self._never_first = bytes(value for value in range(256) if value not in first_bytes)
        self._utf8 = re.compile(
            b"|".join(b"".join(b"[" + _byte_span(*pair) + b"]" for pair in sequence) for sequence in sequences)
        )

    def in_utf8(self, data: bytes) -> bool:
        """Whether UTF-8 `data` holds a character of the set: which bytes such characters start with occur in
        it (one pass in C that deletes every other byte, some four times as fast as a regex scan), then a
        look at each place one of those occurs; without decoding the text or copying it (an export is
        tens of MB)."""
        found = data.translate(None, self._never_first)
        whole = self._utf8
        for value in set(found):  # most texts hold none, or a few curly quotes' first byte
            needle = bytes((value,))
            at = data.find(needle)
            while at != -1:
                if whole.match(data, at):
                    return True
                at = data.find(needle, at + 1)
        return False

    def pattern_for(self, text: str) -> re.Pattern:
        if text.isascii():
            return self._ascii
        in_bmp = len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)
        return self._bmp if in_bmp else self._all

    def search(self, text: str) -> re.Match | None:
        return self.pattern_for(text).search(text)

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.pattern_for(text).finditer(text)

    def sub(self, replace, text: str) -> str:
        """`text` with each character of the set replaced (by `replace(match)`); itself when it has none."""
        pattern = self.pattern_for(text)
        return pattern.sub(replace, text) if pattern.search(text) else text

    def fullmatch(self, char: str) -> re.Match | None:
        return self.pattern_for(char).fullmatch(char)


UNSAFE = CharacterSet(UNSAFE_RANGES)
# What a terminal or a log line must not receive raw: the unsafe characters, and tab and line feed too
# (a line feed in a message would start a line that looks like another problem).
NOT_PRINTABLE = CharacterSet(UNSAFE_RANGES + ((0x09, 0x0A),))

# The names of the controls, which unicodedata does not give (Unicode's name aliases).
_CONTROL_NAMES = (
    "NULL START-OF-HEADING START-OF-TEXT END-OF-TEXT END-OF-TRANSMISSION ENQUIRY ACKNOWLEDGE BELL BACKSPACE "
    "CHARACTER-TABULATION LINE-FEED LINE-TABULATION FORM-FEED CARRIAGE-RETURN SHIFT-OUT SHIFT-IN "
    "DATA-LINK-ESCAPE DEVICE-CONTROL-ONE DEVICE-CONTROL-TWO DEVICE-CONTROL-THREE DEVICE-CONTROL-FOUR "
    "NEGATIVE-ACKNOWLEDGE SYNCHRONOUS-IDLE END-OF-TRANSMISSION-BLOCK CANCEL END-OF-MEDIUM SUBSTITUTE ESCAPE "
    "FILE-SEPARATOR GROUP-SEPARATOR RECORD-SEPARATOR UNIT-SEPARATOR"
).split()
_C1_NAMES = (
    "PADDING-CHARACTER HIGH-OCTET-PRESET BREAK-PERMITTED-HERE NO-BREAK-HERE INDEX NEXT-LINE "
    "START-OF-SELECTED-AREA END-OF-SELECTED-AREA CHARACTER-TABULATION-SET CHARACTER-TABULATION-WITH-JUSTIFICATION "
    "LINE-TABULATION-SET PARTIAL-LINE-FORWARD PARTIAL-LINE-BACKWARD REVERSE-LINE-FEED SINGLE-SHIFT-TWO "
    "SINGLE-SHIFT-THREE DEVICE-CONTROL-STRING PRIVATE-USE-ONE PRIVATE-USE-TWO SET-TRANSMIT-STATE "
    "CANCEL-CHARACTER MESSAGE-WAITING START-OF-GUARDED-AREA END-OF-GUARDED-AREA START-OF-STRING "
    "SINGLE-GRAPHIC-CHARACTER-INTRODUCER SINGLE-CHARACTER-INTRODUCER CONTROL-SEQUENCE-INTRODUCER "
    "STRING-TERMINATOR OPERATING-SYSTEM-COMMAND PRIVACY-MESSAGE APPLICATION-PROGRAM-COMMAND"
).split()


def code_point(char: str) -> str:
    """'U+202E'."""
    return f"U+{ord(char):04X}"


def char_name(char: str) -> str:
    """The character's Unicode name (or alias, for controls): 'RIGHT-TO-LEFT OVERRIDE', 'ESCAPE'."""
    number = ord(char)
    if number < 0x20:
        return _CONTROL_NAMES[number].replace("-", " ")
    if number == 0x7F:
        return "DELETE"
    if 0x80 <= number <= 0x9F:
        return _C1_NAMES[number - 0x80].replace("-", " ")
    if 0xD800 <= number <= 0xDFFF:
        return "SURROGATE"
    if 0xFDD0 <= number <= 0xFDEF or number & 0xFFFE == 0xFFFE:
        return "NONCHARACTER"
    return unicodedata.name(char, "UNNAMED CHARACTER")


def describe(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    return f"{code_point(char)} {char_name(char)}"


def json_clean(text: str) -> str:
    """JSON text with each unsafe character written as a \\u escape: the same data, clean bytes. They can
    only be inside strings (JSON's own syntax is ASCII), where an escape means the very same character."""
    return UNSAFE.sub(lambda match: json.dumps(match.group())[1:-1], text)


def printable(text: str) -> str:
    """`text` safe for a terminal or a log line: every unsafe character, tab and line feed written as
    <U+XXXX>, so data cannot move the cursor, colour, retitle or rewrite what is shown."""
    return NOT_PRINTABLE.sub(lambda match: f"<{code_point(match.group())}>", text)
