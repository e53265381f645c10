"""The coverage rule as documented (macros/kb/coverage.py, docs/contributing.md), and what the
contributor is told: `kb validate`'s hints and `kb coverage`'s list, pasted as they are, account
for the sentences they name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import run_kb

from macros.kb.coverage import NO_CLAIM_PLACEHOLDER, coverage_from_spans, no_claim_stub, place
from macros.kb.model import NoClaim, Source

TEXT = "First one here. Second one here.\nA heading\nThird one. A heading\n"
FIRST, SECOND, HEADING, THIRD, HEADING_AGAIN = range(5)


def source(no_claim: tuple[NoClaim, ...] = ()) -> Source:
    return Source("s", "S", "news-report", "s.txt", "0" * 64, TEXT, "data/sources/s.yml", no_claim=no_claim)


def statuses(used: list[tuple[int, int]], no_claim: tuple[NoClaim, ...] = ()) -> list[str]:
    return [s.status for s in coverage_from_spans(source(no_claim), used).sentences]


def span_of(words: str, occurrence: int = 0) -> tuple[int, int]:
    start = [m.start() for m in re.finditer(re.escape(words), TEXT)][occurrence]
    return start, start + len(words)


def test_the_sentences_of_the_fixture_text():
    assert [s.text for s in coverage_from_spans(source(), []).sentences] == [
        "First one here.",
        "Second one here.",
        "A heading",
        "Third one.",
        "A heading",
    ]


def test_a_quote_of_part_of_a_sentence_uses_it():
    assert statuses([span_of("one here")]) == ["used", "unaccounted", "unaccounted", "unaccounted", "unaccounted"]


def test_a_quote_over_a_sentence_end_uses_both_sentences():
    assert statuses([span_of("here. Second")])[:3] == ["used", "used", "unaccounted"]


def test_a_quote_that_only_touches_a_sentence_does_not_use_it():
    # The span ends where the second sentence starts: no character in common.
    start, _ = span_of("Second")
    assert statuses([(0, start)])[:2] == ["used", "unaccounted"]
    assert statuses([(start - 1, start)])[:2] == ["unaccounted", "unaccounted"]  # only the space between


def test_a_no_claim_quote_accounts_for_every_place_it_is_found():
    result = statuses([], (NoClaim("A heading", "Section heading."),))
    assert result == ["unaccounted", "unaccounted", "no-claim", "unaccounted", "no-claim"]


def test_a_no_claim_quote_of_part_of_a_sentence_accounts_for_it_and_its_reason_is_kept():
    entries = (NoClaim("Third", "Not used."), NoClaim("Third one", "Listed twice: the first reason is shown."))
    sentence = coverage_from_spans(source(entries), []).sentences[THIRD]
    assert (sentence.status, sentence.reason) == ("no-claim", "Not used.")


def test_a_used_sentence_is_used_even_when_a_no_claim_entry_lists_it_too():
    assert statuses([span_of("Second")], (NoClaim("Second one here.", "x"),))[SECOND] == "used"


def test_place_is_line_and_column_from_one():
    assert place(TEXT, 0) == (1, 1)
    assert place(TEXT, TEXT.index("Second")) == (1, 17)
    assert place(TEXT, TEXT.index("Third")) == (3, 1)
    assert place("ab\r\ncd", 4) == (2, 1)


def test_a_stub_holds_the_whole_sentence_or_its_first_thousand_characters_cut_at_a_word():
    assert no_claim_stub("A short one.") == {"quote": "A short one.", "reason": NO_CLAIM_PLACEHOLDER}
    long = " ".join(["word"] * 400)  # 1,999 characters
    quote = no_claim_stub(long)["quote"]
    assert len(quote) <= 1000 and long.startswith(quote) and quote.endswith("word") and long[len(quote)] == " "


# -- what the contributor is told, pasted as it is ---------------------------------------------------

FOUNDRY_YML = Path("sources") / "alibaba-token-foundry-division.yml"
LEFT_OUT = [
    "  - quote: This institute will focus\n    reason: Not used by this minimal fixture.\n",
    "  - quote: Industry analysts suggest\n    reason: Not used by this minimal fixture.\n",
    "  - quote: Quick answers to the most common questions about this topic.\n"
    "    reason: Remains of the web page's FAQ box.\n",
]
SENTENCES_LEFT = [
    "This institute will focus on the long-term convergence of artificial intelligence and distributed data "
    "architectures.",
    'Industry analysts suggest that the "Token Foundry" nomenclature points toward a deeper exploration of '
    "token-based economies and the potential for blockchain-integrated AI services.",
    "Quick answers to the most common questions about this topic.",
]


@pytest.fixture
def kb_with_sentences_left(tiny_kb: Path) -> Path:
    path = tiny_kb / FOUNDRY_YML
    text = path.read_text(encoding="utf-8")
    for entry in LEFT_OUT:
        assert entry in text
        text = text.replace(entry, "")
    path.write_text(text, encoding="utf-8")
    return tiny_kb


PASTE_ITEM = re.compile(r"(- \{quote: .*\})")  # the entry to paste at the end of a hint


def fill_in_reasons(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(NO_CLAIM_PLACEHOLDER, "Not used here."), "utf-8")


def test_validate_reports_the_sentences_in_text_order_in_full_at_their_place(kb_with_sentences_left):
    result = run_kb(["validate"], kb_with_sentences_left.parent)
    assert result.code == 1
    problems = [line for line in result.out.splitlines() if "error[uncovered-sentence]" in line]
    places = [line.split(": error")[0] for line in problems]
    archive = (kb_with_sentences_left / "sources" / "alibaba-token-foundry-division.txt").read_text("utf-8")
    expected = []
    for sentence in SENTENCES_LEFT:
        line, col = place(archive, archive.index(sentence))
        expected.append(f"data/sources/alibaba-token-foundry-division.txt:{line}:{col}")
    assert places == expected  # the order of the text, not of the alphabet
    hints = [line for line in result.out.splitlines() if line.startswith("  hint: cite it in a claim")]
    for hint, sentence in zip(hints, SENTENCES_LEFT, strict=True):
        item = PASTE_ITEM.search(hint)[1]
        assert yaml.safe_load(item) == [{"quote": sentence, "reason": NO_CLAIM_PLACEHOLDER}]


def test_the_hints_pasted_under_no_claim_account_for_the_sentences(kb_with_sentences_left):
    root = kb_with_sentences_left.parent
    hints = [line for line in run_kb(["validate"], root).out.splitlines() if "paste this under no_claim" in line]
    path = kb_with_sentences_left / FOUNDRY_YML
    items = "".join(f"  {PASTE_ITEM.search(hint)[1]}\n" for hint in hints)
    path.write_text(path.read_text(encoding="utf-8") + items, encoding="utf-8")
    after = run_kb(["validate"], root)
    assert "uncovered-sentence" not in after.out
    assert after.out.count("error[placeholder]") == 3, after.out
    fill_in_reasons(path)
    assert run_kb(["validate"], root).code == 0


def test_coverage_lists_what_is_left_ready_to_paste(kb_with_sentences_left):
    root = kb_with_sentences_left.parent
    result = run_kb(["coverage", "alibaba-token-foundry-division"], root)
    assert result.code == 1
    header, block = result.out.split("\n", 1)
    assert header == (
        "data/sources/alibaba-token-foundry-division.yml: 3 sentences of 20 not accounted for. Cite each in a "
        "claim, or paste its entry under no_claim: and write why it carries no claim:"
    )
    assert yaml.safe_load(block) == [{"quote": s, "reason": NO_CLAIM_PLACEHOLDER} for s in SENTENCES_LEFT]
    assert all(line.startswith("  ") for line in block.splitlines())  # indented as under no_claim:

    path = kb_with_sentences_left / FOUNDRY_YML
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    fill_in_reasons(path)
    assert run_kb(["validate"], root).code == 0
    assert run_kb(["fmt", "--check"], root).code == 0  # pasted in canonical form
    done = run_kb(["coverage"], root)
    assert (done.code, done.out) == (
        0,
        "data/sources/alibaba-token-foundry-division.yml: every sentence is accounted for (20 of 20)\n",
    )


def test_coverage_of_an_unknown_source(tiny_kb):
    result = run_kb(["coverage", "alibaba-token-foundry"], tiny_kb.parent)
    assert result.code == 2 and result.out == ""
    assert (
        result.err
        == "error: no valid source 'alibaba-token-foundry' (did you mean 'alibaba-token-foundry-division'?)\n"
    )


def test_coverage_says_when_other_problems_may_change_the_list(kb_with_sentences_left):
    person = kb_with_sentences_left / "people" / "eddie-wu.yml"
    person.write_text(person.read_text(encoding="utf-8").replace("unit: alibaba-group", "unit: alibaba-grup"), "utf-8")
    result = run_kb(["coverage"], kb_with_sentences_left.parent)
    assert result.code == 1
    assert result.out.splitlines()[-1].startswith("note: the data has 1 other problem (")
