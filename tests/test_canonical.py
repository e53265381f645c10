"""The canonical form of record files (macros/canonical.py): every record of
the data under test (tests/kbdata.py) and of the fixtures is in it, it keeps
the data and the header, it is idempotent, and the templates of `kb new` are
canonical and free of anchors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbdata import DATA

from macros.kb.canonical import MODELINE, canonical, header_of, template
from macros.kb.kinds import FOLDERS
from macros.kb.yamlsafe import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def _records(base: Path) -> list[tuple[str, Path]]:
    return sorted(
        (KIND_OF_FOLDER[p.parent.name], p) for folder in FOLDERS.values() for p in (base / folder).glob("*.yml")
    )


# The data under test (CI's `make fmt-check` holds every file of it to the canonical form) and two fixtures
# that have records of every kind between them.
FIXTURE_RECORDS = _records(FIXTURES / "kbsite" / "data") + _records(FIXTURES / "third-source" / "data")
RECORDS = _records(DATA) + FIXTURE_RECORDS
IDS = [p.relative_to(p.parents[2]).as_posix() for _, p in RECORDS]


def data_of(text: str):
    doc, problems = parse(text, "x.yml")
    assert problems == []
    return doc.data


def test_the_fixtures_hold_records_of_every_kind():
    assert {kind for kind, _ in FIXTURE_RECORDS} == set(FOLDERS)


@pytest.mark.parametrize("kind, path", RECORDS, ids=IDS)
def test_every_record_is_canonical(kind, path):
    text = path.read_text(encoding="utf-8")
    assert canonical(kind, text, path.name) == text


@pytest.mark.parametrize("kind, path", RECORDS, ids=IDS)
def test_canonical_restores_a_scrambled_record(kind, path):
    """Shuffled keys, flow style, other quoting, CRLF and a BOM: the same data, the same canonical text."""
    text = path.read_text(encoding="utf-8")
    data = data_of(text)
    rng = random.Random(path.name)

    def shuffle(value):
        if isinstance(value, dict):
            keys = list(value)
            rng.shuffle(keys)
            return {k: shuffle(value[k]) for k in keys}
        if isinstance(value, list):
            return [shuffle(v) for v in value]
        return value

    scrambled = (
        "\ufeff"
        + "\n".join(header_of(text))
        + "\n"
        + yaml.safe_dump(shuffle(data), sort_keys=False, default_flow_style=True, width=60, allow_unicode=False)
    )
    scrambled = scrambled.replace("\n", "\r\n")
    assert data_of(scrambled.lstrip("\ufeff").replace("\r\n", "\n")) == data
    assert canonical(kind, scrambled) == text


def test_header_comment_block_is_kept_and_the_modeline_added_when_missing():
    body = "id: x\nname: X\nkind: team\ncite:\n  - source: s\n    quote: q\n"
    assert canonical("unit", body) == MODELINE.format(kind="unit") + "\n" + body
    header = "# yaml-language-server: $schema=../schemas/unit.schema.json\n# note one\n\n# note two\n"
    assert canonical("unit", header + body) == (
        "# yaml-language-server: $schema=../schemas/unit.schema.json\n# note one\n# note two\n" + body
    )
    # Only the leading block is the header; comments among the fields are not kept.
    assert canonical("unit", "# top\n" + body.replace("kind:", "# inline\nkind:")).count("#") == canonical(
        "unit", "# top\n" + body
    ).count("#")
    assert header_of("\ufeff# a\r\n#b  \r\nid: x\n# not header\n") == ["# a", "#b"]
    assert header_of("id: x\n# late\n") == []


def test_a_line_break_inside_a_header_comment_ends_the_header():
    """YAML ends a comment at U+2028 (and U+0085, U+2029), and reads what follows as a field: the
    canonical form must not copy that field into the header too (it wrote the key twice)."""
    body = "id: x\nname: X\nkind: team\ncite:\n  - source: s\n    quote: q\n"
    text = "# note\u2028yaml-language-server: $schema=../schemas/unit.schema.json\n" + body
    assert header_of(text) == ["# note"]
    formatted = canonical("unit", text)
    doc, problems = parse(formatted, "x")
    assert problems == [] and doc.data["yaml-language-server"] == "$schema=../schemas/unit.schema.json"
    assert formatted.count("yaml-language-server") == 2  # the modeline, and the field (unknown, reported as such)


def test_canonical_of_text_that_does_not_parse_is_none():
    assert canonical("person", "id: [unclosed\n") is None
    assert canonical("person", "a: &x 1\nb: *x\n") is None
    assert canonical("person", "a: 1\na: 2\n") is None


def test_unknown_keys_go_last_in_sorted_order():
    text = canonical("unit", "zeta: 1\nid: x\nalpha: 2\nname: X\n")
    assert text.splitlines()[1:] == ["id: x", "name: X", "alpha: 2", "zeta: 1"]


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_templates_are_canonical_and_plain(kind):
    text = template(kind, "new-record", "A Name: with a colon, and 'quotes'")
    assert text.startswith(MODELINE.format(kind=kind) + "\n")
    assert canonical(kind, text) == text
    data = data_of(text)  # no anchors, aliases or tags: the strict reader accepts it
    assert data["id"] == "new-record"
    assert "A Name: with a colon, and 'quotes'" in (data.get("name"), data.get("title"), data.get("question"))
    assert "&id" not in text and "*id" not in text


# Values a contributor may write: words that YAML would read as something else,
# quotes, colons, hashes, unicode, leading and trailing spaces, escapes.
TRICKY = st.sampled_from(
    [
        "yes",
        "no",
        "on",
        "null",
        "~",
        "2026",
        "2026-06-08",
        "1e3",
        "0x1F",
        ".inf",
        "-",
        "- item",
        "a: b",
        "#x",
        "x #y",
        "'",
        '"',
        "it's",
        "“quoted”",
        "Alibaba’s",
        "[a]",
        "{b}",
        "*alias",
        "&anchor",
        "!tag",
        "%x",
        "@x",
        "`x`",
        "|",
        ">",
        "? x",
        "  padded  ",
        "\t",
        "line\nbreak",
        "tab\there",
        "\u2028",
        "\x85",
        "\ufeff",
        "é",
        "中文",
        "🙂",
        "",
    ]
)
TEXT = st.one_of(
    TRICKY,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.lists(TRICKY, min_size=2, max_size=4).map(" ".join),
)
SCALAR = st.one_of(TEXT, st.none(), st.booleans(), st.integers(-(10**6), 10**6))
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=12,
)
RECORD = st.dictionaries(
    st.sampled_from(["id", "name", "kind", "cite", "parents", "statements", "other"]) | TEXT,
    VALUE,
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(FOLDERS)), record=RECORD)
def test_canonical_keeps_the_data_and_is_idempotent(kind, record):
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False)
    doc, problems = parse(text, "x.yml")
    if problems or not isinstance(doc.data, dict):
        return  # e.g. a key YAML reads as a number: the validator's business, not the formatter's
    once = canonical(kind, text)
    assert once is not None
    assert json.dumps(data_of(once), sort_keys=True) == json.dumps(doc.data, sort_keys=True)
    assert canonical(kind, once) == once
