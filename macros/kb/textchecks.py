"""Checks of the text values of one record file: clean characters, and URLs the policy accepts.

Run on every file that parses, whether or not it fits its schema, so a
record's problems come in one run. A record with any of these problems is
not built, so no page, feed or export ever holds such a text or URL.
"""

from __future__ import annotations

import re

from macros.kb.characters import UNSAFE, describe
from macros.kb.problems import Problem
from macros.kb.schemas import dotted
from macros.kb.urls import url_problem
from macros.kb.yamlsafe import Document

# Quotes are checked against the archived text (evidence, which may hold such characters: pages show
# them escaped); URLs get the URL policy's own problem instead.
_EXEMPT = frozenset({"quote", "url"})


def check_texts(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    data = doc.data
    if isinstance(data, dict) and "url" in data and isinstance(data["url"], str):
        reason = url_problem(data["url"])
        if reason is not None:
            line, col = doc.where(("url",))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    "bad-url",
                    f"url '{data['url']}' {reason}",
                    "give the article's http:// or https:// address as a browser shows it, or null when it is unknown",
                )
            )
    # Only a file whose text holds an unsafe character or a backslash (a YAML escape can make any
    # character) can have a value with one: most files are dismissed here.
    if doc.text is None or ("\\" not in doc.text and UNSAFE.search(doc.text) is None):
        return problems
    for path, text in _texts(data, ()):
        match = UNSAFE.search(text)
        if match is None:
            continue
        char = match.group()
        others = list(dict.fromkeys(m.group() for m in UNSAFE.finditer(text) if m.group() != char))
        line, col = _locate(doc, path, char)
        also = ", ".join(describe(other) for other in others[:3]) + (" and others" if len(others) > 3 else "")
        problems.append(
            Problem(
                doc.path,
                line,
                col,
                "unsafe-character",
                f"{dotted(path) or 'the record'} holds {describe(char)}" + (f", and also {also}" if others else ""),
                "remove it (often pasted along with text, or written as a \\ escape): control, bidirectional "
                "and invisible characters are not allowed in texts shown to readers",
            )
        )
    return problems


def _texts(value, path: tuple):
    """(path, text) of every text value, but quotes and URLs."""
    if isinstance(value, str):
        if not path or path[-1] not in _EXEMPT:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (index,))


def _locate(doc: Document, path: tuple, char: str) -> tuple[int, int]:
    """Line and column of `char` in the value at `path`: where it is written out, or where the escape
    that makes it is (\\u202e, \\x1b, \\e...), else where the value starts."""
    line, col = doc.where(path)
    text = doc.text or ""
    starts = [0]
    for index, character in enumerate(text):
        if character == "\n":
            starts.append(index + 1)
    if line > len(starts):
        return line, col
    start = starts[line - 1] + col - 1
    # The value ends where the next value or key starts.
    later = [
        starts[other_line - 1] + other_col - 1
        for other_line, other_col in (*doc.positions.values(), *doc.key_positions.values())
        if other_line <= len(starts) and starts[other_line - 1] + other_col - 1 > start
    ]
    end = min(later, default=len(text))
    piece = text[start:end]
    found = piece.find(char)
    if found < 0:
        escape = _escape_pattern(char).search(piece)
        found = escape.start() if escape else -1
    if found < 0:
        return line, col
    offset = start + found
    found_line = text.count("\n", 0, offset) + 1
    return found_line, offset - starts[found_line - 1] + 1


# YAML's one-letter escapes of unsafe characters (a double-quoted "\e" is an ESCAPE).
_SHORT_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x0B: "v", 0x0C: "f", 0x0D: "r", 0x1B: "e", 0x85: "N", 0x2028: "L"}
_SHORT_ESCAPES[0x2029] = "P"


def _escape_pattern(char: str) -> re.Pattern:
    number = ord(char)
    forms = [f"u{number:04x}", f"U{number:08x}"]
    if number < 0x100:
        forms.append(f"x{number:02x}")
    if number in _SHORT_ESCAPES:
        forms.append(re.escape(_SHORT_ESCAPES[number]))
    return re.compile(r"\\(?:" + "|".join(f"(?i:{form})" if form[0] in "uUx" else form for form in forms) + ")")
