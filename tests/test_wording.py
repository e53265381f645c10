"""The wording rules' tests of a claim's words (macros/kb/checks/wording.py), on sample texts; the
golden cases analysis-as-fact, uncited-account, when-phrase and when-relation show them in the
validator's output."""

from __future__ import annotations

import pytest

from macros.kb.checks.wording import says_the_source_is_silent, says_who_comments


@pytest.mark.parametrize(
    "text",
    [
        "The Token Hub article comments that talent movement is common.",
        "Industry analysts suggest that the name points to blockchain.",
        "The press release notes that the lab is new.",
        "Some observers argued that the move came late.",
        "People familiar with the matter said the unit would be renamed.",
        "The Token Foundry article speculates that, as demand grows, others could follow.",
    ],
)
def test_a_text_that_says_who_comments(text):
    assert says_who_comments(text)


@pytest.mark.parametrize(
    "text",
    [
        "Talent movement is common in the AI sector.",
        # Who comments comes too late: the first clause reads as fact.
        "The Token Foundry name points toward token-based economies, analysts suggest.",
        "The move could speed up the company's work, the article comments.",
        "",
    ],
)
def test_a_text_that_reads_as_fact(text):
    assert not says_who_comments(text)


def test_the_claims_own_attribution_says_who():
    text = "Morgan Stanley expects the unit to grow."
    assert not says_who_comments(text)
    assert says_who_comments(text, ("Morgan Stanley",))
    assert not says_who_comments("The unit will grow, Morgan Stanley expects.", ("Morgan Stanley",))
    assert not says_who_comments("Morgan Stanley's unit grows.", ("Morgan Stanley",))  # named, but no one comments


@pytest.mark.parametrize(
    "answer, silent",
    [
        ("No date is given for the launch.", True),
        ("The article does not name the unit.", True),
        ("It says nothing about the constituents.", True),
        ("June 8, 2026.", False),
        ("The Token Hub Business Group.", False),
    ],
)
def test_an_uncited_answer_says_the_source_is_silent(answer, silent):
    assert says_the_source_is_silent(answer) is silent
