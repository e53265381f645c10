"""Which characters a text shown to readers may hold (macros/kb/characters.py), where the validator
says they are, and how they are written out to a terminal or a log."""

from __future__ import annotations

import unicodedata

import pytest

from macros.kb.characters import NOT_PRINTABLE, UNSAFE, UNSAFE_RANGES, describe, printable
from macros.kb.problems import Problem
from macros.kb.textchecks import check_texts
from macros.kb.yamlsafe import parse

HANGUL_FILLERS = {0x115F, 0x1160, 0x3164, 0xFFA0}


def _noncharacter(number: int) -> bool:
    return 0xFDD0 <= number <= 0xFDEF or number & 0xFFFE == 0xFFFE


def test_the_list_is_the_documented_categories():
    """Cc (but tab and line feed), Cf, Cs, Zl, Zp, the noncharacters and the Hangul fillers: if a new
    Python knows more format characters (a newer Unicode), this fails, and the list needs them."""
    listed = {number for first, last in UNSAFE_RANGES for number in range(first, last + 1)}
    expected = {
        number
        for number in range(0x110000)
        if unicodedata.category(chr(number)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        or _noncharacter(number)
        or number in HANGUL_FILLERS
    } - {0x09, 0x0A}
    assert listed == expected
    assert all(UNSAFE.fullmatch(chr(number)) for number in expected)
    # Searched with the pattern that fits each text: ASCII, the BMP, or all of Unicode.
    for text in ("ascii \x1b", "中文 \u202e", "中文 🙂 \U000e0001", "🙂 \x07"):
        assert [m.group() for m in UNSAFE.finditer(text)] == [text[-1]], text
    assert not UNSAFE.search("Plain text, 中文, émigré, emoji 🙂, tab\tand\nline feed, NBSP\u00a0, 3\u00a0000.")


def test_encoded_text_is_searched_as_exactly_as_decoded_text():
    """in_utf8 looks at the bytes (an export is not decoded to be checked): it finds a character of the
    set where the text search does: for every code point of the set and next to its ranges, where the
    encoding gets a byte longer, and a sample of all the others; alone and between others."""
    edges = {n + step for first, last in UNSAFE_RANGES for n in (first, last) for step in (-1, 0, 1)}
    edges |= {n + step for n in (0x7F, 0x7FF, 0xFFFF) for step in (0, 1)}
    listed = {n for first, last in UNSAFE_RANGES for n in range(first, last + 1)}
    numbers = sorted((edges | listed | set(range(0x3000)) | set(range(0, 0x110000, 61))) & set(range(0x110000)))
    for charset in (UNSAFE, NOT_PRINTABLE):
        for number in numbers:
            char = chr(number)
            encoded = char.encode("utf-8", "surrogatepass")
            found = charset.fullmatch(char) is not None
            assert charset.in_utf8(encoded) is found, hex(number)
            assert charset.in_utf8(b"\xe2\x80\x9c" + encoded + "中".encode()) is found, hex(number)
    assert not UNSAFE.in_utf8("“Plain”, 中文, émigré, 🙂, tab\tand\nline feed, NBSP\u00a0".encode())


@pytest.mark.parametrize(
    ("char", "described"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\x1b", "U+001B ESCAPE"),
        ("\x07", "U+0007 BELL"),
        ("\r", "U+000D CARRIAGE RETURN"),
        ("\x7f", "U+007F DELETE"),
        ("\x9b", "U+009B CONTROL SEQUENCE INTRODUCER"),
        ("\x9d", "U+009D OPERATING SYSTEM COMMAND"),
        ("\ud800", "U+D800 SURROGATE"),
        ("\ufffe", "U+FFFE NONCHARACTER"),
        ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    ],
)
def test_each_character_is_named_by_its_code_point(char, described):
    assert describe(char) == described


def test_printable_makes_terminal_controls_visible():
    hostile = "a\x1b[2J\x1b]0;title\x07\rb\bc\x9b31m\u202ed\ne\tf\udcff"
    shown = printable(hostile)
    assert shown == (
        "a<U+001B>[2J<U+001B>]0;title<U+0007><U+000D>b<U+0008>c<U+009B>31m<U+202E>d<U+000A>e<U+0009>f<U+DCFF>"
    )
    assert NOT_PRINTABLE.search(shown) is None
    shown.encode("utf-8")  # a lone surrogate (from a file name that is not UTF-8) is written out too
    assert printable("plain: 中文 – ok") == "plain: 中文 – ok"


def test_a_problem_cannot_add_lines_or_rewrite_the_terminal():
    problem = Problem(
        "data/people/\x1b[2Jx.yml", 1, 1, "quote-not-found", "quote 'a\r\ndata/y.yml:1:1: ok\x1b[0m'", "hint\nmore"
    )
    text = problem.as_text()
    assert text.splitlines() == [
        "data/people/<U+001B>[2Jx.yml:1:1: error[quote-not-found]: quote 'a<U+000D><U+000A>data/y.yml:1:1: ok<U+001B>[0m'",
        "  hint: hint<U+000A>more",
    ]
    github = problem.as_github()
    assert "\n" not in github and "\r" not in github and "\x1b" not in github
    # The one line break GitHub shows is the one before the hint.
    assert github.endswith("::quote 'a<U+000D><U+000A>data/y.yml:1:1: ok<U+001B>[0m'%0Ahint: hint<U+000A>more")


def _problems(text: str) -> list[str]:
    doc, problems = parse(text, "data/people/x.yml")
    assert problems == []
    return [p.as_text().splitlines()[0] for p in check_texts(doc)]


def test_the_place_of_a_character_written_out():
    text = "id: x\nname: Ada \u202eKrol\ncite:\n  - source: s\n    quote: a \u202e quote is evidence\n"
    assert _problems(text) == [
        "data/people/x.yml:2:11: error[unsafe-character]: name holds U+202E RIGHT-TO-LEFT OVERRIDE"
    ]


def test_the_place_of_a_character_in_a_block_of_lines():
    text = "id: x\nname: Ada\nstatements:\n  - text: |\n      First line.\n      Second \u200bline.\n    cite: []\n"
    assert _problems(text) == [
        "data/people/x.yml:6:14: error[unsafe-character]: statements[0].text holds U+200B ZERO WIDTH SPACE"
    ]


@pytest.mark.parametrize(
    ("written", "col"),
    [('"Ada \\e[2J"', 12), ('"Ada \\u202E"', 12), ('"Ada \\x9b"', 12), ('"Ada \\U0000200b"', 12), ('"Ada\\N"', 11)],
)
def test_the_place_of_a_character_made_by_an_escape(written, col):
    """At the backslash of the escape that makes it."""
    (problem,) = _problems(f"id: x\nname: {written}\n")
    assert problem.startswith(f"data/people/x.yml:2:{col}: error[unsafe-character]: name holds U+")


def test_quotes_and_urls_are_left_to_their_own_checks():
    text = 'id: x\nurl: "https://example.com/\\u200b"\nno_claim:\n  - quote: "a\\u200bb"\n    reason: R.\n'
    assert _problems(text) == [
        "data/people/x.yml:2:6: error[bad-url]: url 'https://example.com/<U+200B>' holds U+200B ZERO WIDTH SPACE "
        "at character 21"
    ]
