"""On the real data: one real quote changed by one word, cut inside a word, or made to join two lines
of its article fails validation with exactly the problem that says so, at the quote.

The test picks its quote from the data as it is (the first citation written on one line as a plain
value), so it says nothing of what the data holds today; it copies the data under test (data/, or the
folder KB_DATA names: tests/kbdata.py) to a temporary folder and changes only that copy.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from kbdata import DATA

from macros.kb.checks.quotes import short
from macros.kb.quotes import normalize, split_sentences
from macros.kb.validate import validate

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[A-Za-z]+")


@pytest.fixture(scope="module")
def real():
    report = validate(DATA, ROOT)
    assert report.ok, [p.as_text() for p in report.problems[:5]]
    return report.kb


@pytest.fixture(scope="module")
def citation(real):
    """The first citation whose quote is a plain value on its own line, of four words or more, that ends
    in a word of five letters or more: (claim file, line, column, source id, quote)."""
    for claim in real.claims:
        for cite in claim.cite:
            path = ROOT / cite.loc.path
            line = path.read_text(encoding="utf-8").splitlines()[cite.loc.line - 1]
            last = WORD.findall(cite.quote)[-1:] or [""]
            if (
                line[cite.loc.col - 1 :] == cite.quote
                and len(cite.quote.split()) >= 4
                and cite.quote.endswith(last[0])
                and len(last[0]) >= 5
            ):
                return cite.loc.path, cite.loc.line, cite.loc.col, cite.source, cite.quote
    pytest.fail("no citation of the real data fits: the test needs a new way to pick one")


def with_quote(tmp_path: Path, citation, new_quote: str) -> list:
    """The problems of a copy of data/ in which the citation's quote is `new_quote`."""
    path, line, col, _, quote = citation
    copy = tmp_path / DATA.relative_to(ROOT)  # at the same place under tmp_path: problems name the same files
    shutil.copytree(DATA, copy)
    target = tmp_path / path
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1][col - 1 :] == quote
    lines[line - 1] = lines[line - 1][: col - 1] + json.dumps(new_quote, ensure_ascii=False)
    target.write_text("\n".join(lines), encoding="utf-8")
    report = validate(copy, tmp_path)
    return [(p.path, p.line, p.col, p.code, p.message) for p in report.problems]


def test_one_word_changed_is_not_found(tmp_path, citation):
    path, line, col, source, quote = citation
    words = quote.split(" ")
    middle = len(words) // 2
    words[middle] = "Xyzzy" if words[middle] != "Xyzzy" else "Plugh"
    changed = " ".join(words)
    assert with_quote(tmp_path, citation, changed) == [
        (path, line, col, "quote-not-found", f"the quote '{short(normalize(changed))}' is not in the archived text "
         f"of '{source}'")
    ]  # fmt: skip


def test_a_quote_cut_inside_its_last_word_is_refused(tmp_path, citation):
    path, line, col, source, quote = citation
    last = WORD.findall(quote)[-1]
    cut = quote[:-2]
    assert with_quote(tmp_path, citation, cut) == [
        (path, line, col, "quote-inside-word", f"the quote '{short(normalize(cut))}' ends inside the word '{last}' "
         f"of the archived text of '{source}'")
    ]  # fmt: skip


def test_a_quote_that_joins_two_lines_of_its_article_is_refused(tmp_path, real, citation):
    path, line, col, source, _ = citation
    text = real.sources[source].text
    sentences = split_sentences(text)
    # The end of one line and the start of the next: each is the article's own words.
    for (_, end), (start, _) in zip(sentences, sentences[1:]):
        between = text[end:start]
        if "\n" in between and not between.strip():
            break
    else:
        pytest.fail(f"'{source}' has a single line")
    tail = " ".join(text[:end].split()[-4:])
    head = " ".join(text[start:].split()[:4])
    joined = f"{tail} {head}"
    first, second = text.count("\n", 0, end) + 1, text.count("\n", 0, start) + 1
    assert with_quote(tmp_path, citation, joined) == [
        (path, line, col, "quote-joins-lines", f"the quote '{short(normalize(joined))}' joins lines {first} and "
         f"{second} of the archived text of '{source}' into one passage")
    ]  # fmt: skip
