"""The exports' JSON writer gives exactly the standard library's bytes (sorted keys, two-space
indent, UTF-8), through orjson where it can and the standard library where it cannot; but for the
control, bidirectional and invisible characters (macros/kb/characters.py), which both write as
\\u escapes (the same data), so a download shows clean in a terminal or an editor."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from macros.exports.common import dump_json
from macros.kb.characters import UNSAFE, json_clean
from macros.rendering.markup import compact_json

TEXT = st.text(st.characters(exclude_categories=("Cs",)))  # no lone surrogates: not UTF-8
# The exports hold no floats (dates are text, counts integers): bytes are compared without them, and
# floats are only required to read back the same (orjson writes 5.96e-8 where json writes 5.96e-08).
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner), max_leaves=40)
JSON_WITH_FLOATS = st.recursive(
    SCALARS | FLOATS, lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner), max_leaves=40
)


def standard(data) -> bytes:
    return (json_clean(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)) + "\n").encode("utf-8")


@given(JSON)
def test_the_same_bytes_as_the_standard_library(data):
    assert dump_json(data) == standard(data)


@given(JSON_WITH_FLOATS)
def test_floats_read_back_the_same(data):
    assert json.loads(dump_json(data)) == data


def test_what_orjson_does_not_take_is_written_by_the_standard_library():
    for data in ({"n": 10**30}, {1: "a key that is not text"}, [{"deep": [2**64]}]):
        assert dump_json(data) == standard(data)


def test_text_from_the_data_is_escaped_as_json_requires():
    data = {"quote": '"\\\n\t\x00\x1f</script>\u2028é漢😀\u202e\x9b\U000e0001'}
    assert json.loads(dump_json(data)) == data
    assert dump_json(data) == standard(data)
    assert UNSAFE.search(dump_json(data).decode("utf-8")) is None
    assert b"\\u202e" in dump_json(data) and b"\\udb40\\udc01" in dump_json(data)


def test_an_all_ascii_file_is_cleaned_too():
    data = {"quote": "a DELETE \x7f in ASCII"}
    assert dump_json(data) == standard(data) and b"\\u007f" in dump_json(data)


def compact_standard(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@given(JSON)
def test_the_pages_compact_json_is_the_standard_librarys(data):
    assert compact_json(data) == compact_standard(data)


def test_what_orjson_does_not_take_in_a_page_is_written_by_the_standard_library():
    for data in ({"n": 10**30}, {1: "a key that is not text"}):
        assert compact_json(data) == compact_standard(data)
