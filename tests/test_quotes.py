"""Quote normalization and matching (macros/quotes.py): the documented
normalization and nothing fuzzier, spans back into the original text, and
sentence splitting of the real articles. The fast normalization (whole ASCII
words, offsets kept as runs) is checked against a plain per-character oracle
on generated text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.kb.quotes import (
    _TRANSLATE,
    MIN_QUOTE_CHARS,
    normalize,
    normalize_with_offsets,
    quote_anchor,
    split_sentences,
)

# Two real articles as received, copied here as inputs: the tests do not depend on what data/ holds.
SOURCES = Path(__file__).resolve().parent / "fixtures" / "articles"
HUB = (SOURCES / "alibaba-token-hub-business-group.txt").read_text(encoding="utf-8")
FOUNDRY = (SOURCES / "alibaba-token-foundry-division.txt").read_text(encoding="utf-8")


def found(text: str, quote: str) -> bool:
    return normalize_with_offsets(text).find(quote) >= 0


# -- normalization -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Alibaba\u2019s", "Alibaba's"),  # right single quotation mark
        ("\u2018Foundry\u2019", "'Foundry'"),
        ("\u201cToken Foundry\u201d", '"Token Foundry"'),
        ("\u201eToken\u201f", '"Token"'),
        ("\u00abToken\u00bb", '"Token"'),
        ("AI\u2013centric", "AI-centric"),  # en dash
        ("AI\u2014centric", "AI-centric"),  # em dash
        ("AI\u2011centric", "AI-centric"),  # non-breaking hyphen
        ("AI\u2212centric", "AI-centric"),  # minus sign
        ("  two   spaces\tand\na line  ", "two spaces and a line"),
        ("no\u00a0break", "no break"),  # NFKC: a no-break space is a space
        ("\ufb01nance", "finance"),  # NFKC: the fi ligature
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_is_idempotent():
    for text in (HUB, FOUNDRY, "a \u2019 b \u201c c \u2014 d"):
        assert normalize(normalize(text)) == normalize(text)


# -- matching ------------------------------------------------------------------


def test_plain_apostrophe_matches_the_typographic_one():
    assert "Alibaba\u2019s Chief Scientist" in FOUNDRY  # the article has the typographic one
    assert found(FOUNDRY, "assume the role of Alibaba's Chief Scientist")
    assert found(FOUNDRY, "assume the role of Alibaba\u2019s Chief Scientist")


def test_typographic_apostrophe_matches_the_plain_one():
    assert "the tech giant's AI" in FOUNDRY  # the article has a plain one here
    assert found(FOUNDRY, "the tech giant\u2019s AI and tokenization initiatives")


def test_typographic_double_quotes_match_plain_ones():
    assert 'that the "Token Foundry" nomenclature' in FOUNDRY
    assert found(FOUNDRY, "that the \u201cToken Foundry\u201d nomenclature points toward")


def test_dashes_match():
    assert "AI-centric businesses" in FOUNDRY
    assert found(FOUNDRY, "a wide array of AI\u2013centric businesses")
    assert found(FOUNDRY, "a wide array of AI\u2014centric businesses")


def test_whitespace_runs_collapse():
    assert found(HUB, "Alibaba Group Holding   has\nreorganized \t its artificial")
    assert found(HUB, "  Alibaba Group Holding has reorganized  ")


@pytest.mark.parametrize(
    "quote",
    [
        "Alibaba Group Holding has restructured its artificial",  # a changed word
        "alibaba Group Holding has reorganized its artificial",  # a changed case
        "Alibaba Group Holding has reorganised its artificial",  # a changed spelling
        "Alibaba Group Holding hasreorganized its artificial",  # a removed space
        "Alibaba Group Holding has reorganized its artificial.",  # a punctuation mark added
        "the company's core e-commerce businesses",  # the article says "e commerce"
    ],
)
def test_a_changed_quote_does_not_match(quote):
    assert not found(HUB, quote)


def test_empty_quote_never_matches():
    text = normalize_with_offsets(HUB)
    assert text.find("") == -1
    assert text.find("   ") == -1
    assert text.span(" \n ") is None
    assert text.count("") == 0


def test_count():
    text = normalize_with_offsets(HUB)
    assert text.count("Token Hub") == HUB.count("Token Hub") >= 5
    assert text.count("not in the article at all") == 0


def test_min_quote_chars_is_documented_size():
    assert MIN_QUOTE_CHARS == 12


# -- spans back to the original text -------------------------------------------


@pytest.mark.parametrize(
    "quote, original",
    [
        ("Alibaba's Chief Scientist", "Alibaba\u2019s Chief Scientist"),
        ("the \u201cToken Foundry\u201d nomenclature", 'the "Token Foundry" nomenclature'),
        ("Group CEO Eddie Wu", "Group CEO Eddie Wu"),
    ],
)
def test_span_maps_back_to_the_original(quote, original):
    text = normalize_with_offsets(FOUNDRY)
    start, end = text.span(quote)
    assert FOUNDRY[start:end] == original


def test_span_across_collapsed_spaces_within_a_line():
    original = "first line ends here.\n\n   Second   line\u2019s  \t words."
    text = normalize_with_offsets(original)
    start, end = text.span("Second line's words")
    assert original[start:end] == "Second   line\u2019s  \t words"


def test_span_of_a_quote_at_the_very_start_and_end():
    text = normalize_with_offsets(HUB)
    start, end = text.span("Alibaba Creates Token Hub Group")
    assert (start, end) == (0, len("Alibaba Creates Token Hub Group"))
    last = "intelligent software systems."
    start, end = text.span(last)
    assert HUB[start:end] == last and HUB[end:].strip() == ""


def test_span_of_a_missing_quote_is_none():
    assert normalize_with_offsets(HUB).span("Jack Ma returns as CEO") is None


def test_offsets_cover_every_normalized_character():
    for original in (HUB, FOUNDRY):
        text = normalize_with_offsets(original)
        assert len(text.offsets) == len(text.normalized) + 1
        assert list(text.offsets) == sorted(text.offsets)
        assert text.offsets[-1] == len(original)
        # Per-character NFKC equals whole-text normalization for these articles.
        assert text.normalized == normalize(original)


def test_every_span_of_a_real_sentence_round_trips():
    for original in (HUB, FOUNDRY):
        text = normalize_with_offsets(original)
        for start, end in split_sentences(original):
            sentence = original[start:end]
            assert text.span(sentence) is not None
            s, e = text.span(sentence)
            assert normalize(original[s:e]) == normalize(sentence)


# -- anchors -------------------------------------------------------------------


def test_quote_anchor_is_stable_and_normalized():
    a = quote_anchor("alibaba-token-foundry-division", "Alibaba's Chief Scientist")
    assert a == quote_anchor("alibaba-token-foundry-division", "  Alibaba\u2019s   Chief Scientist ")
    assert a != quote_anchor("alibaba-token-hub-business-group", "Alibaba's Chief Scientist")
    assert a != quote_anchor("alibaba-token-foundry-division", "Alibaba's chief Scientist")
    assert a.startswith("q-") and len(a) == 12 and a[2:].isalnum()


# -- sentences -----------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_split_sentences_of_the_token_hub_article():
    found_sentences = sentences(HUB)
    assert len(found_sentences) == 30
    assert found_sentences[0] == "Alibaba Creates Token Hub Group to Unite AI Development Under CEO Eddie Wu"
    assert found_sentences[1].startswith("Alibaba Group Holding has reorganized")
    assert found_sentences[1].endswith("Alibaba Token Hub Business Group.")
    assert found_sentences[-1].startswith("Artificial intelligence is increasingly becoming")
    # "Hangzhou based" and "e commerce" do not split a sentence.
    assert any(
        s.startswith("The Token Hub will operate alongside") and s.endswith("growth strategy.") for s in found_sentences
    )


def test_split_sentences_of_the_token_foundry_article():
    found_sentences = sentences(FOUNDRY)
    assert len(found_sentences) == 20
    # Headings and list items are sentences of their own.
    assert "Streamlining AI and Digital Asset Infrastructure" in found_sentences
    assert (
        "- Consolidation of the Tongyi Qianwen model series into a centralized production pipeline." in found_sentences
    )
    # "June 8, 2026," and "(LLM)" do not end a sentence.
    assert found_sentences[1].startswith("This strategic shift, announced on June 8, 2026, places")
    assert found_sentences[2].startswith("The reorganization signals") and "(LLM)" in found_sentences[2]
    assert found_sentences[-1] == "Quick answers to the most common questions about this topic."


def test_sentences_are_stripped_ordered_and_disjoint():
    for text in (HUB, FOUNDRY):
        spans = split_sentences(text)
        assert spans == sorted(spans)
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]):
            assert e1 <= s2
        for s, e in spans:
            piece = text[s:e]
            assert piece == piece.strip() and piece and "\n" not in piece


def test_split_sentences_keeps_closing_quotes_and_skips_empty_lines():
    text = 'He said "it is done." Then he left.\n\n  \nA new paragraph? Yes!\n'
    assert sentences(text) == ['He said "it is done."', "Then he left.", "A new paragraph?", "Yes!"]


def test_split_sentences_does_not_split_before_lower_case():
    assert sentences("It cost 5 dollars. and more. Next one.") == ["It cost 5 dollars. and more.", "Next one."]


def test_split_sentences_offsets_with_crlf():
    text = "One sentence.\r\nTwo sentence.\r\n"
    assert sentences(text) == ["One sentence.", "Two sentence."]


# -- the fast normalization agrees with the plain per-character one ---------------


def reference_normalize_with_offsets(original: str) -> tuple[str, list[int]]:
    """The documented normalization done one character at a time: the oracle."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(original):
        for sub in unicodedata.normalize("NFKC", char).translate(_TRANSLATE):
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
    return "".join(out), offsets


TEXTS = st.text(
    st.one_of(
        st.sampled_from(
            list(
                "ab Z.,'\"-\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u2019\u201c\u2013\u00a8\ufb01\u2474"
                "\u0301\u00e9\uff21"
            )
        ),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(text=TEXTS)
def test_normalize_with_offsets_matches_the_reference(text):
    normalized, offsets = reference_normalize_with_offsets(text)
    result = normalize_with_offsets(text)
    assert result.normalized == normalized
    assert list(result.offsets) == offsets
    assert len(result.offsets) == len(offsets)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(text=TEXTS, start=st.integers(0, 60), length=st.integers(1, 30))
def test_a_slice_of_a_text_is_found_where_it_is(text, start, length):
    """Any piece of a text that begins and ends on word boundaries within one line is found, and its
    span holds the same words."""
    text = HUB[start * 50 : start * 50 + 80] + text
    found_text = normalize_with_offsets(text)
    normal = found_text.normalized
    quote = normal[start : start + length].strip()
    if not quote:
        return
    begin = normal.index(quote, start)
    if reference_fault(text, found_text, begin, begin + len(quote)):
        return  # cut inside a word, or across lines: a test below checks those
    span = found_text.span(quote)
    assert span is not None
    s, e = span
    assert 0 <= s < e <= len(text)
    assert normalize(text[s:e]) == quote
    assert found_text.passage(quote) == text[s:e]


# -- whole words within one line: the matcher against a plain oracle ---------------


def reference_inside_word(left: str, right: str) -> bool:
    """The documented rule, written out again: both sides letters, digits or marks, unless one is of a
    script written without spaces (then only a combining mark on the right joins)."""

    def word(char: str) -> bool:
        return unicodedata.category(char)[0] in "LNM"

    def no_spaces(char: str) -> bool:
        name = unicodedata.name(char, "")
        return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR"))

    if not (word(left) and word(right)):
        return False
    if no_spaces(left) or no_spaces(right):
        return unicodedata.category(right)[0] == "M"
    return True


def reference_fault(original: str, text, start: int, end: int) -> bool:
    """Does the occurrence [start, end) of the normalized text cut a word or join lines? Judged on the
    archive's own characters for the lines: its passage holds a line break."""
    normal = text.normalized
    if start > 0 and reference_inside_word(normal[start - 1], normal[start]):
        return True
    if end < len(normal) and reference_inside_word(normal[end - 1], normal[end]):
        return True
    passage = original[text.offsets[start] : text.offsets[end - 1] + 1]
    return len(passage.splitlines()) > 1


def reference_find(original: str, quote: str) -> int:
    text = normalize_with_offsets(original)
    needle = normalize(quote)
    for start in range(len(text.normalized) - len(needle) + 1):
        if (
            needle
            and text.normalized.startswith(needle, start)
            and not reference_fault(original, text, start, start + len(needle))
        ):
            return start
    return -1


WORDY = st.text(
    st.sampled_from(list("ab Ab1 .'-\n\r\u2028\u2019\u00e9\u0301\u4e2d\u6587\u3042\u0e01\u0e31 \t")), max_size=40
)


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(
    text=WORDY,
    quote=st.text(st.sampled_from(list("ab A1 .'\u2019-\u00e9\u4e2d\u6587\u0e01\u0e31")), min_size=1, max_size=6),
)
def test_find_agrees_with_the_oracle(text, quote):
    assert normalize_with_offsets(text).find(quote) == reference_find(text, quote)


@pytest.mark.parametrize(
    "quote, fault",
    [
        ("CEO Eddie Wu Yong", "ends-inside-word"),  # the name the source wrote is "Yongming"
        ("Eddie W", "ends-inside-word"),
        ("ongming. The Hangzhou", "starts-inside-word"),
        ("Under CEO Eddie Wu Alibaba Group Holding", "joins-lines"),  # the headline and the first paragraph
    ],
)
def test_a_quote_cut_inside_a_word_or_across_lines_does_not_match(quote, fault):
    text = normalize_with_offsets(HUB)
    assert normalize(quote) in text.normalized  # the characters are there...
    assert text.span(quote) is None and text.find(quote) == -1  # ...but not as a passage
    assert text.miss(quote).fault == fault


def test_ang_inside_yongming_is_not_found():
    text = normalize_with_offsets("CEO Eddie Wu Yongming said so.")
    assert text.find("ang") == -1 and text.find("Wu Yongming said") == 4 + len("Eddie ")


def test_the_first_whole_word_occurrence_is_found_after_one_inside_a_word():
    original = "Alibaba Cloudy days. Then Alibaba Cloud grew."
    text = normalize_with_offsets(original)
    start, end = text.span("Alibaba Cloud")
    assert (start, end) == (original.index("Alibaba Cloud grew"), original.index(" grew"))
    assert text.count("Alibaba Cloud") == 1 and text.miss("Alibaba Cloud") is None


def test_apostrophes_hyphens_and_punctuation_are_word_boundaries():
    text = normalize_with_offsets("the company\u2019s model-building unit (LLM) grew.")
    for quote in ("the company", "s model", "model-building", "building unit", "unit (LLM", "LLM) grew."):
        assert text.find(quote) >= 0, quote


def test_scripts_without_spaces_break_between_any_two_characters_but_not_before_a_mark():
    assert normalize_with_offsets("阿里巴巴集团宣布成立新部门").find("集团宣布") == 4
    assert normalize_with_offsets("Qwen模型发布").find("模型") == 4
    # A Thai consonant and the vowel mark it carries stay together.
    assert normalize_with_offsets("\u0e01\u0e31\u0e01").find("\u0e01") == 2
    # A combining mark joins in any script (x with an acute accent has no composed form).
    assert normalize_with_offsets("max\u0301 ok").find("max") == -1
    assert normalize_with_offsets("max\u0301 ok").find("max\u0301") == 0


def test_every_line_break_that_str_splitlines_knows_ends_a_passage():
    for brk in ("\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", " \n\t "):
        original = f"one line ends{brk}the next begins"
        text = normalize_with_offsets(original)
        assert text.find("ends the next") == -1, repr(brk)
        assert text.miss("ends the next").fault == "joins-lines"
        assert text.find("one line ends") == 0 and text.find("the next begins") >= 0
    assert normalize_with_offsets("one line ends\x1fthe next").find("ends the next") >= 0  # \x1f is a space


def test_the_passage_is_the_archives_own_characters():
    text = normalize_with_offsets(FOUNDRY)
    assert (
        text.passage("assume the role of Alibaba's  Chief Scientist")
        == "assume the role of Alibaba\u2019s Chief Scientist"
    )
    assert text.passage("Jack Ma returns as CEO") is None


def test_a_text_of_one_long_word_is_gone_through_once():
    """The occurrences inside one word are skipped together: a hostile archive cannot make each quote
    cost a Python step per character (measured: 2.8 s for one quote of this text without the skip).
    Counted in steps, not seconds: a timed assertion fails on a busy machine."""
    original = "a" * 1_000_000 + " aaaaaaaaaaaa"
    text = normalize_with_offsets(original)
    for length in range(12, 32):
        assert text.find("a" * length) == (1_000_001 if length == 12 else -1)
        looked_at = sum(1 for _ in text._occurrences("a" * length))
        assert looked_at <= 3, f"{looked_at} occurrences looked at for a quote of {length} letters"


@pytest.mark.parametrize(
    "text",
    [
        "Alibaba's chairman Joseph C. Tsai said so.",
        "J. R. R. Tolkien wrote it.",
        "Mr. Wu, Mrs. Li, Ms. Zhou, Dr. Chen and Prof. Ma met Gen. Lee and Sen. Park.",
        "It opened an office in the U.S. Treasury district and the U.K. Home Office.",
        "Example Holdings Inc. Chief Executive Jane Doe spoke, as did Acme Corp. Japan and Globex Ltd. Korea.",
        "Wang Co. Shanghai and the No. 2 plant.",
        "Apple vs. Samsung, e.g. Galaxy phones, i.e. Android ones.",
        "The plan was approved on Jan. 12, Feb. 3 and Sept. 30, in St. Louis.",
        "At 9 a.m. Beijing time.",
    ],
)
def test_split_sentences_goes_on_after_initials_titles_and_abbreviations(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The rivals are Globex Ltd. The two did not comment.",
            ["The rivals are Globex Ltd.", "The two did not comment."],
        ),
        ("He moved to the U.S. It was 2019.", ["He moved to the U.S.", "It was 2019."]),
        ("They chose plan B. This worked.", ["They chose plan B.", "This worked."]),
        ("It was founded by Acme Inc. In 2020 it grew.", ["It was founded by Acme Inc.", "In 2020 it grew."]),
        # Words that merely look like abbreviations end a sentence as usual.
        ("He met Dr. Chen. Chen left.", ["He met Dr. Chen.", "Chen left."]),
        ("See Fig. 3. The results follow.", ["See Fig. 3.", "The results follow."]),
        # A closing quote after the period ends the sentence, whatever the word.
        ('He said "we are Acme Inc." Then he left.', ['He said "we are Acme Inc."', "Then he left."]),
        ("Is it Acme Inc.? Yes!", ["Is it Acme Inc.?", "Yes!"]),
    ],
)
def test_split_sentences_ends_a_sentence_after_an_abbreviation_only_before_a_sentence_opener(text, expected):
    assert sentences(text) == expected


def test_spans_finds_every_occurrence_in_the_original_text():
    text = normalize_with_offsets("Advertisement\nA  sentence.\nAdvertisement\n“Advertisement”")
    assert text.spans("Advertisement") == [(0, 13), (27, 40), (42, 55)]
    assert text.spans("missing words") == []
    assert text.spans("") == []
