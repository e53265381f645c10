"""The data under test (data/, or the folder KB_DATA names: tests/kbdata.py), held only to what
every knowledge base must be: it validates with no problem (in several processes too, in
tests/test_validate_shards.py), and its archived texts are the bytes received, where a received
copy is checked out alongside.

What today's records say (how many sources, which names, which dates, which values are unknown)
is the contributors' to change: no test here asserts it. The rules every knowledge base obeys
are the validator's, with a file and line for each problem and a golden case in
tests/fixtures/bad/ (every quote found, every sentence covered, every date in the words it quotes,
analysis that says who comments, an uncited account that says its source is silent...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kbdata import DATA, DATA_ROOT

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
