"""The data under test (data/, or the folder KB_DATA names: tests/kbdata.py), held only to what
every knowledge base must be: it validates with no problem (in several processes too, in
tests/test_validate_shards.py), its archived texts are the bytes received, where a received
copy is checked out alongside, and each date a record gives is in the words it quotes.

What today's records say (how many sources, which names, which dates, which values are unknown)
is the contributors' to change: no test here asserts it. The rules every knowledge base obeys
are the validator's, with a file and line for each problem and a golden case in
tests/fixtures/bad/ (every quote found, every sentence covered, analysis that says who comments,
an uncited account that says its source is silent, a time in the source's words...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdata import DATA, DATA_ROOT

from macros.kb.dates import PartialDate
from macros.kb.validate import validate

SHARED_SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"  # as received


@pytest.fixture(scope="module")
def report():
    return validate(DATA, DATA_ROOT)


def test_validate_passes_with_zero_problems(report):
    assert [p.as_text() for p in report.problems] == []
    assert report.ok


def _received() -> list[str]:
    """The archives of the data under test of which a received copy is checked out alongside."""
    return sorted(p.name for p in (DATA / "sources").glob("*.txt") if (SHARED_SOURCES / p.name).is_file())


@pytest.mark.parametrize("archive", _received() or [pytest.param(None, marks=pytest.mark.skip("no received copy"))])
def test_archives_are_the_received_bytes(archive):
    assert (DATA / "sources" / archive).read_bytes() == (SHARED_SOURCES / archive).read_bytes()


# Until the validator holds this rule (a record's date is in the words of one of its citations), it is
# checked here, on every date a record gives; a source's publication date has no citation to be in.
def _dates_of(kb) -> list[tuple[str, PartialDate, object]]:
    found = []
    for event in kb.events.values():
        if event.when and event.when.date:
            found.append((event.id, event.when.date, event.when.claim))
    for person in kb.people.values():
        for role in person.roles:
            found += [(person.id, d, role.claim) for d in (role.start, role.end) if d]
    for unit in kb.units.values():
        for parent in unit.parents:
            found += [(unit.id, d, parent.claim) for d in (parent.start, parent.end) if d]
    return found


def test_every_date_is_in_the_words_of_its_citation(report):
    for where, date, claim in _dates_of(report.kb):
        words = date.human() if date.precision != "day" else f"{date.human().split()[1]} {date.day}, {date.year}"
        assert any(words in c.quote for c in claim.cite), (where, words)
