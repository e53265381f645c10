"""Fuzzing the validator with Hypothesis: whatever a record file holds,
`validate` never raises. It ends in success, or in problems that each have a
path to an existing file, a line and a column >= 1, a known code
(macros.problems.CODES), a message and a hint, each on one line. `kb fmt`
never raises on the same file either (and what it writes reads back as the
same values), and whatever validates renders: every page and every download.

Inputs: random text, random YAML documents of JSON-like values, and random
mutations of real record files (from data/ and from the tiny knowledge base
in tests/fixtures/good/): deleted, duplicated and truncated lines, swapped
characters, inserted tabs, anchors, aliases, tags, control characters, BOMs,
CR line ends and invalid bytes, and fields set to random JSON-like values.
Structural extremes too: lists and mappings nested 10,000 deep (flow and
block style), chains of thousands of parents or of events placed before one
another, a 900 KB text, numbers of 10,000 digits, NaN and infinities where a
text or a date belongs, and odd keys (numbers, null, dates, control
characters, `<<`, `?` complex keys, a key twice in a flow mapping).
Each example is written into a copy of the tiny knowledge base in a temporary
folder; nothing in the repository is touched.

The fast YAML reader (macros/kb/yamlsafe.py `_fast_parse`) must read what the
event-stream reader reads, with the same values and positions: on inputs made
to be inside its part of YAML (what `kb fmt` writes; it must take every one),
and on arbitrary inputs (whichever reader takes them, the same values). Each
agreement test counts the inputs it compared, shows the count as a Hypothesis
event (`--hypothesis-show-statistics`) and asserts the fraction.

Profiles (the environment variable HYPOTHESIS_PROFILE picks one):

- default: a small, derandomized (so deterministic) run of a few seconds,
  for CI and `make test`;
- deep: 10,000 examples per test, randomized, for a hunt:

      HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests/test_fuzz.py -n 2

  A failure prints the falsifying example and a `@reproduce_failure` line.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import GOOD_DATA
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kb_pages import rendered

from macros.kb import canonical, yamlsafe
from macros.kb import schemas as schemas
from macros.kb.kinds import FOLDERS, KIND_OF_FOLDER
from macros.kb.problems import CODES
from macros.kb.report import plural
from macros.kb.validate import validate
from macros.kb.yamlsafe import MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "kb-default",
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "kb-deep",
    max_examples=10_000,
    derandomize=False,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
PROFILE = settings.get_profile("kb-deep" if DEEP else "kb-default")
# Each example of the chain tests writes thousands of files, and each of the huge values takes `kb fmt`
# (PyYAML's emitter, in Python) seconds to write: a few examples of those.
FEW = settings(PROFILE, max_examples=100 if DEEP else 4)


# Record files to mutate: the tiny knowledge base's and the real data's.
def _record_files() -> list[tuple[str, bytes]]:
    files = []
    for base in (GOOD_DATA, ROOT / "data"):
        for folder in FOLDERS.values():
            for path in sorted((base / folder).glob("*.yml")):
                files.append((f"{folder}/{path.name}", path.read_bytes()))
    return files


RECORD_FILES = _record_files()
TARGETS = [
    f"{folder}/{name}.yml"
    for folder in FOLDERS.values()
    for name in ("eddie-wu", "alibaba-group", "token-foundry-division", "fuzzed")
]


@pytest.fixture(scope="module")
def workspace():
    """One copy of the tiny knowledge base for the whole module; each example restores what it changes."""
    with tempfile.TemporaryDirectory(prefix="kb-fuzz-") as directory:
        root = Path(directory)
        shutil.copytree(GOOD_DATA, root / "data")
        yield root


def run(root: Path, files: dict[str, bytes], render: bool = True, fmt: bool = True, shards: bool = False) -> list[str]:
    """Write `files` (paths relative to data/) over the copy, validate, check the outcome, format
    each file and, if valid, render everything; restore. With `shards`, validate in two processes
    too (as `make validate` does a large knowledge base): the same problems. Returns their codes."""
    data = root / "data"
    saved = {rel: (data / rel).read_bytes() if (data / rel).exists() else None for rel in files}
    try:
        for rel, content in files.items():
            (data / rel).parent.mkdir(exist_ok=True)
            (data / rel).write_bytes(content)
        report = validate(data, root)
        for problem in report.problems + report.warnings:
            assert problem.code in CODES, problem
            assert problem.line >= 1 and problem.col >= 1, problem
            assert problem.message and problem.hint, problem
            assert (root / problem.path).is_file(), problem
            assert len(problem.as_text().splitlines()) == 2, problem  # the problem's line and its hint's
            problem.as_github()
        counted = plural(len(report.problems), "problem")
        counted += f", {plural(len(report.warnings), 'warning')}" if report.warnings else ""
        assert report.summary().endswith(counted)
        if shards:
            sharded = validate(data, root, workers=2, min_files_per_worker=1)
            assert (sharded.problems, sharded.warnings) == (report.problems, report.warnings)
        for rel, content in files.items() if fmt else ():
            formats_or_declines(rel, content)
        if not report.problems:
            assert report.kb.records
            if render:  # what passes validation renders: every page and every download
                assert rendered(report)
        return [problem.code for problem in report.problems]
    finally:
        for rel, content in saved.items():
            if content is None:
                (data / rel).unlink(missing_ok=True)
            else:
                (data / rel).write_bytes(content)


def formats_or_declines(rel: str, content: bytes) -> None:
    """`kb fmt` on a record file: it declines what does not parse, and what it writes reads back
    as the same values (in the schema's order)."""
    kind = KIND_OF_FOLDER.get(rel.split("/")[0])
    if kind is None or not rel.endswith(".yml"):
        return
    text = content.decode("utf-8", errors="replace")  # as `kb fmt` reads a file
    formatted = canonical.canonical(kind, text, rel)
    if formatted is None:
        return
    before, _ = yamlsafe.parse(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), rel)
    after, problems = yamlsafe.parse(formatted, rel)
    assert problems == [], problems
    assert _typed(after.data, sort=True) == _typed(before.data, sort=True)


# -- strategies -----------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "eddie-wu",
        "alibaba-group",
        "token-foundry-division",
        "alibaba-token-foundry-division",
        "Group CEO Eddie Wu",
        "2026-06-08",
        "2026-02-30",
        "2026",
        "javascript:x",
        "https://x.org",
        "reported",
        "attributed",
        "analysis",
        "division",
        "",
        " ",
        "yes",
        "null",
        "~",
        "ünï",
        "’",
        "“x”",
        "a: b",
        "- x",
        "#",
        "*a",
        "&a",
        "!!str",
        "%",
        "\t",
        "\n",
        "\u2028",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    WORDS,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(WORDS, st.text(max_size=8)), inner, max_size=4)
    ),
    max_leaves=15,
)
KEYS = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "kind",
        "cite",
        "source",
        "quote",
        "roles",
        "role",
        "unit",
        "start",
        "end",
        "status",
        "parents",
        "statements",
        "text",
        "said_by",
        "attribution",
        "mentions",
        "other_names",
        "when",
        "date",
        "relation",
        "event",
        "phrase",
        "changes",
        "change",
        "units",
        "into",
        "from",
        "complete",
        "people",
        "url",
        "published",
        "archive",
        "sha256",
        "no_claim",
        "reason",
        "accounts",
        "answer",
        "subjects",
        "note",
        "question",
        "title_is_editorial",
        "publisher",
    ]
)

INSERTS = st.sampled_from(
    [
        b"\t",
        b"&a ",
        b"*a",
        b"&a [1, 2]\n",
        b"*a\n",
        b"!!python/object:os.system ",
        b"!x ",
        b"<<: {a: 1}\n",
        b"---\n",
        b"...\n",
        b"\xef\xbb\xbf",
        b"\r",
        b"\r\n",
        b"\x00",
        b"\x07",
        b"\x1b",
        b"\xff",
        b"\xc3",
        b"\x85",
        b"\xe2\x80\xa8",
        b'"',
        b"'",
        b": ",
        b"- ",
        b"#",
        b"{",
        b"[",
        b"}",
        b"]",
        b"? ",
        b"|",
        b">",
        b"%YAML 1.1\n",
        b"  ",
        b"\n",
        b"id: eddie-wu\n",
        b"  - source: alibaba-token-foundry-division\n",
    ]
)
MUTATION = st.one_of(
    st.tuples(st.just("delete-line"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate-line"), st.integers(0, 10**6)),
    st.tuples(st.just("swap-chars"), st.integers(0, 10**6)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), INSERTS),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=3)),
    st.tuples(st.just("indent"), st.integers(0, 10**6), st.integers(-4, 4)),
)


def mutate(content: bytes, mutation: tuple) -> bytes:
    kind, position = mutation[0], mutation[1]
    if kind in ("delete-line", "duplicate-line", "indent"):
        lines = content.split(b"\n")
        index = position % len(lines)
        if kind == "delete-line":
            del lines[index]
        elif kind == "duplicate-line":
            lines.insert(index, lines[index])
        else:
            shift = mutation[2]
            lines[index] = b" " * shift + lines[index] if shift > 0 else lines[index][-shift:]
        return b"\n".join(lines)
    at = position % (len(content) + 1)
    if kind == "swap-chars":
        if len(content) < 2:
            return content
        at = min(at, len(content) - 2)
        return content[:at] + content[at + 1 : at + 2] + content[at : at + 1] + content[at + 2 :]
    if kind == "truncate":
        return content[:at]
    return content[:at] + mutation[2] + content[at:]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, path + (index,))


def set_field(content: bytes, choice: int, key: str | None, value) -> bytes:
    """Set one field (an existing one, or a new key in a mapping) to a JSON-like value."""
    data = yaml.safe_load(content.decode("utf-8"))
    paths = list(_paths(data))
    path = paths[choice % len(paths)]
    if not path:
        data = value if key is None else {**data, key: value}
    else:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if key is not None and isinstance(parent[path[-1]], dict):
            parent[path[-1]][key] = value
        else:
            parent[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


# -- tests ------------------------------------------------------------------------


@PROFILE
@given(
    target=st.sampled_from(TARGETS),
    text=st.one_of(
        st.text(max_size=300),
        st.text(st.sampled_from(list("abc-: \n\t'\"#&*!|>[]{},?%@`~\\\r\u2019\ufeff\x00\x07")), max_size=200),
    ),
)
def test_random_text(workspace, target, text):
    run(workspace, {target: text.encode("utf-8", errors="surrogatepass")})


@PROFILE
@given(
    target=st.sampled_from(TARGETS),
    record=st.dictionaries(st.one_of(KEYS, WORDS), JSON_LIKE, max_size=8),
    flow=st.booleans(),
)
def test_random_yaml_records(workspace, target, record, flow):
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    run(workspace, {target: text.encode("utf-8", errors="surrogatepass")})


@PROFILE
@given(
    source=st.sampled_from(RECORD_FILES),
    target=st.sampled_from(TARGETS + [None]),
    mutations=st.lists(MUTATION, min_size=1, max_size=4),
)
def test_mutated_real_records(workspace, source, target, mutations):
    rel, content = source
    for mutation in mutations:
        content = mutate(content, mutation)
    run(workspace, {target or rel: content})


@PROFILE
@given(
    source=st.sampled_from(RECORD_FILES), choice=st.integers(0, 10**6), key=st.one_of(st.none(), KEYS), value=JSON_LIKE
)
def test_real_records_with_a_random_field_value(workspace, source, choice, key, value):
    rel, content = source
    run(workspace, {rel: set_field(content, choice, key, value)})


@PROFILE
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3), record=st.sampled_from(RECORD_FILES))
def test_mutated_archive_and_record_together(workspace, mutations, record):
    """A changed archive (sha256, quotes, coverage) next to a changed record."""
    archive = "sources/alibaba-token-foundry-division.txt"
    content = (GOOD_DATA / archive).read_bytes()
    for mutation in mutations:
        content = mutate(content, mutation)
    rel, record_content = record
    run(workspace, {archive: content, rel: mutate(record_content, mutations[0])})


# -- structural extremes ------------------------------------------------------------------


def nested(style: str, depth: int) -> str:
    """A value nested `depth` lists or mappings deep, written after `key:` (or alone, for a whole file)."""
    if style == "flow-list":
        return " " + "[" * depth + "]" * depth
    if style == "flow-map":
        return " " + "{a: " * depth + "x" + "}" * depth
    if style == "flow-mixed":
        return " " + "[{a: " * (depth // 2) + "[" * (depth % 2) + "]" * (depth % 2) + "}]" * (depth // 2)
    if style == "block-dash":  # - - - x
        return "\n  " + "- " * depth + "x"
    if style == "block-map":  # one more space for each level
        return "\n" + "".join(" " * (i + 1) + "a:\n" for i in range(depth - 1)) + " " * depth + "a: x"
    if style == "block-list":
        return "\n" + "".join(" " * i + "-\n" for i in range(depth - 1)) + " " * (depth - 1) + "- x"
    raise AssertionError(style)


# Block styles indent each level: the deepest that fits in a record file's size limit.
_DEEPEST_THAT_FITS = {"block-map": 1200, "block-list": 1200}


@PROFILE
@given(
    source=st.sampled_from(RECORD_FILES),
    style=st.sampled_from(["flow-list", "flow-map", "flow-mixed", "block-dash", "block-map", "block-list"]),
    depth=st.one_of(st.sampled_from([MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000]), st.integers(1, 10_000)),
    whole_file=st.booleans(),
)
def test_deeply_nested_values(workspace, source, style, depth, whole_file):
    """Lists and mappings nested up to 10,000 deep: refused past MAX_DEPTH (too-deep), where the
    nesting goes too deep; below it, read like any other value."""
    rel, content = source
    depth = min(depth, _DEEPEST_THAT_FITS.get(style, depth))
    if whole_file:
        text, levels = nested(style, depth).lstrip("\n "), depth
    else:
        text, levels = content.decode("utf-8") + "deep:" + nested(style, depth) + "\n", depth + 1
    codes = run(workspace, {rel: text.encode("utf-8")})
    assert ("too-deep" in codes) == (levels > MAX_DEPTH), (levels, codes)


CITE_TEXT = (
    "cite:\n  - source: alibaba-token-foundry-division\n    quote: Alibaba Group has announced a major restructuring\n"
)


def _nested_cite(indent: str) -> str:
    return "".join(indent + line + "\n" for line in CITE_TEXT.splitlines())


def chain(kind: str, length: int, shape: str, step: int) -> dict[str, bytes]:
    """`length` units, each part of the next (or events, each placed before or after the next); the
    last is part of (placed against) a record of the tiny knowledge base, or, for a cycle, the first.
    Ids are numbered along the chain, against it, or in a stride order."""

    def name(position: int) -> str:
        number = {"along": position, "against": length - 1 - position}.get(shape, (position * step) % length)
        return f"chain-{number:05d}"

    files = {}
    for position in range(length):
        record_id = name(position)
        last = position == length - 1
        if kind == "units":
            parent = name(0) if last and shape == "cycle" else "alibaba-group" if last else name(position + 1)
            text = (
                f"id: {record_id}\nname: Chain {record_id}\nkind: team\n{CITE_TEXT}"
                f"parents:\n  - unit: {parent}\n{_nested_cite('    ')}"
            )
        else:
            other = (
                name(0)
                if last and shape == "cycle"
                else "token-foundry-division-announced"
                if last
                else name(position + 1)
            )
            relation = "before" if position % 3 else "after"
            text = (
                f"id: {record_id}\ntitle: Chain {record_id}\nkind: hire\n{CITE_TEXT}"
                f"when:\n  relation: {relation}\n  event: {other}\n{_nested_cite('  ')}"
            )
        files[f"{kind}/{record_id}.yml"] = text.encode("utf-8")
    return files


@FEW
@given(
    kind=st.sampled_from(["units", "events"]),
    length=st.integers(1000, 3000),
    shape=st.sampled_from(["along", "against", "stride", "cycle"]),
    step=st.sampled_from([7, 101, 997]),
)
def test_long_chains_of_parents_and_of_relations_between_events(workspace, kind, length, shape, step):
    """Thousands of units each part of the next, or of events each placed before the next: validated
    in about linear time; a chain that closes on itself is a unit cycle."""
    if shape == "stride" and length % step == 0:
        length += 1  # a stride that is a divisor of the length would repeat ids
    codes = run(workspace, chain(kind, length, shape, step), render=False, fmt=False, shards=True)
    if kind == "units" and shape == "cycle":
        assert codes == ["cycle"], codes
    elif shape != "cycle":
        assert codes == [], codes


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["units", "events"])
def test_long_chains_render(workspace, kind):
    """What validates renders, however long its chains (the timeline's order and the org chart's tree
    are walked without recursion)."""
    codes = run(workspace, chain(kind, 2000, "along", 1), fmt=False)
    assert codes == [], codes


# Values no record needs, for any field: huge texts and collections, huge numbers (Python cannot print
# an int of over 4,300 digits), infinities and NaN where a text or a date belongs, and other oddities.
HUGE_VALUES = st.sampled_from(
    [
        "x" * 900_000,
        '"' + "y" * 900_000 + '"',
        "'" + "z" * 900_000 + "'",
        "[" + ", ".join(["1"] * 20_000) + "]",
        "{" + ", ".join(f"k{i}: {i}" for i in range(10_000)) + "}",
    ]
)
EXTREME_VALUES = st.sampled_from(
    [
        "9" * 10_000,
        "-" + "9" * 10_000,
        "9" * 4_301,
        "9" * 101,
        "9" * 100,
        "0x" + "f" * 10_000,
        "0o" + "7" * 10_000,
        "0b" + "1" * 10_000,
        "1:" * 5_000 + "1",
        "1" + "0" * 400 + ".5",
        "1.0e+999",
        "-1.0e+999",
        "1e999",
        ".nan",
        ".NaN",
        ".inf",
        "-.inf",
        "2026-06-08T10:00:00Z",
        "9999999999-01-01",
        "!!binary aGVsbG8=",
        "~",
        '"\\u2028\\x85\\x01"',
    ]
)
_VALUE_LINE = re.compile(rb"^( *(?:- )?(?:[A-Za-z_]+: )?)(.+)$", re.M)


def replace_value(content: bytes, choice: int, value: str) -> bytes:
    """The record with the value of one of its lines (`key: value` or `- value`) replaced."""
    matches = [m for m in _VALUE_LINE.finditer(content) if m.group(1).strip()]
    match = matches[choice % len(matches)]
    return content[: match.start(2)] + value.encode("utf-8") + content[match.end(2) :]


@PROFILE
@given(source=st.sampled_from(RECORD_FILES), choice=st.integers(0, 10**6), value=EXTREME_VALUES)
def test_huge_numbers_and_odd_scalars(workspace, source, choice, value):
    rel, content = source
    codes = run(workspace, {rel: replace_value(content, choice, value)})
    if value.lstrip("-").isdigit() and len(value) > yamlsafe.MAX_NUMBER_CHARS:
        assert "number-too-large" in codes, codes


@FEW
@given(source=st.sampled_from(RECORD_FILES), choice=st.integers(0, 10**6), value=HUGE_VALUES)
def test_huge_texts_and_collections(workspace, source, choice, value):
    rel, content = source
    run(workspace, {rel: replace_value(content, choice, value)})


ODD_KEYS = st.sampled_from(
    [
        "1",
        "-1",
        "1.5",
        ".nan",
        ".inf",
        "9" * 10_000,
        "null",
        "~",
        "true",
        "yes",
        "2026-06-08",
        "<<",
        "'<<'",
        '"a\\x01b"',
        '"a\\nb"',
        '"\\u2028"',
        '"\\t"',
        '"\\x85"',
        '""',
        "''",
        "x" * 1_000,
        "x" * 1_100,
        "[a, b]",
        "{a: 1}",
        "!!str name",
        "&a name",
        "name",
        "id",
        "cite",
        "ünï",
    ]
)


def insert_key(content: bytes, line: int, key: str, form: str) -> bytes:
    """A key inserted after one of the record's lines, beside that line's own key."""
    lines = content.decode("utf-8").split("\n")
    at = line % len(lines)
    here = lines[at]
    indent = len(here) - len(here.lstrip(" ")) + (2 if here.lstrip(" ").startswith("- ") else 0)
    pad = " " * indent
    snippet = {
        "plain": f"{pad}{key}: x",
        "complex": f"{pad}? {key}\n{pad}: x",
        "flow": f"{pad}odd: {{{key}: 1}}",
        "flow-twice": f"{pad}odd: {{{key}: 1, {key}: 2}}",
        "flow-complex": f"{pad}odd: {{? {key} : 1}}",
    }[form]
    lines.insert(at + 1, snippet)
    return "\n".join(lines).encode("utf-8")


@PROFILE
@given(
    source=st.sampled_from(RECORD_FILES),
    line=st.integers(0, 10**6),
    key=ODD_KEYS,
    form=st.sampled_from(["plain", "complex", "flow", "flow-twice", "flow-complex"]),
)
def test_odd_keys(workspace, source, line, key, form):
    rel, content = source
    run(workspace, {rel: insert_key(content, line, key, form)})


ARCHIVE_TEXT = (GOOD_DATA / "sources" / "alibaba-token-foundry-division.txt").read_text(encoding="utf-8")
IDS = st.sampled_from(
    [
        "eddie-wu",
        "alibaba-group",
        "token-foundry-division",
        "token-foundry-division-announced",
        "alibaba-token-foundry-division",
        "fuzzed",
        "missing-unit",
        "alibaba-grup",
    ]
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2026",
            "2026-06",
            "2026-06-08",
            "2024-02-29",
            "2026-02-29",
            "2026-13",
            "0000",
            "0001-01-01",
            "9999-12-31",
            "2026-00-10",
        ]
    ),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
)


@st.composite
def quotes(draw):
    """A slice of the archived text, perhaps with typographic variants or a changed letter."""
    start = draw(st.integers(0, len(ARCHIVE_TEXT)))
    quote = ARCHIVE_TEXT[start : start + draw(st.integers(0, 120))]
    variant = draw(st.sampled_from(["as is", "typographic", "spaces", "changed", "other"]))
    if variant == "typographic":
        quote = quote.replace("'", "\u2019").replace('"', "\u201c").replace("-", "\u2013")
    elif variant == "spaces":
        quote = quote.replace(" ", " \n\t ")
    elif variant == "changed" and quote:
        at = draw(st.integers(0, len(quote) - 1))
        quote = quote[:at] + draw(st.characters(blacklist_categories=("Cs",))) + quote[at + 1 :]
    elif variant == "other":
        quote = draw(st.text(max_size=40))
    return quote or "x"


CITE = st.lists(
    st.fixed_dictionaries({"source": st.one_of(st.just("alibaba-token-foundry-division"), IDS), "quote": quotes()}),
    min_size=1,
    max_size=2,
)
KIND = st.sampled_from(["reported", "attributed", "analysis"])
STATEMENT = st.fixed_dictionaries(
    {"text": st.just("A statement."), "cite": CITE},
    optional={
        "kind": KIND,
        "said_by": IDS,
        "attribution": st.just("Analysts"),
        "mentions": st.lists(IDS, max_size=2),
        "id": st.sampled_from(["s", "name", "parent-alibaba-group"]),
    },
)
WELL_FORMED = {
    "units/fuzzed.yml": st.fixed_dictionaries(
        {"id": st.just("fuzzed"), "name": st.just("Fuzzed Unit"), "kind": st.just("team"), "cite": CITE},
        optional={
            "parents": st.lists(
                st.fixed_dictionaries(
                    {"unit": IDS, "cite": CITE},
                    optional={
                        "start": DATES,
                        "end": DATES,
                        "status": st.sampled_from(["current", "former", "announced", "planned"]),
                        "kind": KIND,
                        "id": st.sampled_from(["p", "name"]),
                    },
                ),
                max_size=3,
            ),
            "statements": st.lists(STATEMENT, max_size=3),
        },
    ),
    "units/alibaba-group.yml": st.fixed_dictionaries(
        {"id": st.just("alibaba-group"), "name": st.just("Alibaba"), "kind": st.just("company"), "cite": CITE},
        optional={"parents": st.lists(st.fixed_dictionaries({"unit": IDS, "cite": CITE}), max_size=2)},
    ),
    "people/fuzzed.yml": st.fixed_dictionaries(
        {"id": st.just("fuzzed"), "name": st.just("Fuzzed"), "cite": CITE},
        optional={
            "roles": st.lists(
                st.fixed_dictionaries(
                    {"role": st.just("Role"), "cite": CITE},
                    optional={
                        "unit": IDS,
                        "start": DATES,
                        "end": DATES,
                        "status": st.sampled_from(["current", "former", "announced", "planned"]),
                        "kind": KIND,
                    },
                ),
                max_size=3,
            ),
            "other_names": st.lists(st.fixed_dictionaries({"name": st.just("Other"), "cite": CITE}), max_size=2),
            "statements": st.lists(STATEMENT, max_size=3),
        },
    ),
    "events/fuzzed.yml": st.fixed_dictionaries(
        {
            "id": st.just("fuzzed"),
            "title": st.just("Fuzzed"),
            "kind": st.sampled_from(["hire", "reorganization"]),
            "cite": CITE,
        },
        optional={
            "when": st.fixed_dictionaries(
                {"cite": CITE},
                optional={
                    "date": DATES,
                    "relation": st.sampled_from(["before", "after", "same-time"]),
                    "event": IDS,
                    "phrase": st.just("earlier"),
                },
            ),
            "changes": st.lists(
                st.fixed_dictionaries(
                    {
                        "change": st.sampled_from(["merger", "regrouping", "formation", "renaming", "dissolution"]),
                        "units": st.lists(IDS, min_size=1, max_size=2, unique=True),
                        "status": st.sampled_from(["done", "announced", "planned"]),
                        "cite": CITE,
                    },
                    optional={"into": IDS, "from": IDS, "complete": st.booleans(), "kind": KIND},
                ),
                max_size=2,
            ),
            "people": st.lists(IDS, max_size=2, unique=True),
            "statements": st.lists(STATEMENT, max_size=2),
        },
    ),
    "discrepancies/fuzzed.yml": st.fixed_dictionaries(
        {
            "id": st.just("fuzzed"),
            "question": st.just("Which?"),
            "status": st.just("open"),
            "note": st.just("N."),
            "accounts": st.lists(
                st.fixed_dictionaries({"source": IDS, "answer": st.just("A."), "cite": st.one_of(st.just([]), CITE)}),
                min_size=2,
                max_size=3,
            ),
        },
        optional={"subjects": st.lists(IDS, max_size=3, unique=True)},
    ),
    "sources/alibaba-token-foundry-division.yml": st.builds(
        lambda no_claim, url, published: {
            **yaml.safe_load((GOOD_DATA / "sources" / "alibaba-token-foundry-division.yml").read_text()),
            "no_claim": no_claim,
            "url": url,
            "published": published,
        },
        st.lists(st.fixed_dictionaries({"quote": quotes(), "reason": st.just("R.")}), max_size=20),
        st.sampled_from([None, "https://example.org/a", "javascript:alert(1)", "http://x y"]),
        st.one_of(st.none(), DATES),
    ),
}


@PROFILE
@given(
    records=st.lists(st.sampled_from(sorted(WELL_FORMED)), min_size=1, max_size=3, unique=True).flatmap(
        lambda names: st.fixed_dictionaries({name: WELL_FORMED[name] for name in names})
    )
)
def test_well_formed_records_with_random_references_dates_and_quotes(workspace, records):
    """Records of the right shape reach the knowledge-base checks: references, cycles, dates, quotes, coverage."""
    run(
        workspace,
        {
            rel: yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
            for rel, record in records.items()
        },
    )


KIND_OF = {
    "units/fuzzed.yml": "unit",
    "units/alibaba-group.yml": "unit",
    "people/fuzzed.yml": "person",
    "events/fuzzed.yml": "event",
    "discrepancies/fuzzed.yml": "discrepancy",
    "sources/alibaba-token-foundry-division.yml": "source",
}


@PROFILE
@given(data=st.data())
def test_the_fast_schema_check_never_accepts_what_jsonschema_rejects(data):
    """schemas.check skips jsonschema when its compiled predicate accepts a record: it must never
    accept a record jsonschema would reject (else a problem would go unreported)."""
    name = data.draw(st.sampled_from(sorted(WELL_FORMED)))
    record = data.draw(WELL_FORMED[name])
    if data.draw(st.booleans()):  # break it somewhere
        encoded = yaml.safe_dump(record, allow_unicode=True).encode("utf-8", "surrogatepass")
        record = yaml.safe_load(
            set_field(
                encoded, data.draw(st.integers(0, 10**6)), data.draw(st.one_of(st.none(), KEYS)), data.draw(JSON_LIKE)
            )
        )
    kind = KIND_OF[name]
    accepts = schemas.fast_check_for(kind)
    if accepts is not None and accepts(record):
        assert list(schemas.validator_for(kind).iter_errors(record)) == []


def _typed(value, sort: bool = False):
    """A value with its types spelt out, so 1, 1.0, True and "1" all differ (and NaN equals NaN);
    with `sort`, mappings in key order."""
    if isinstance(value, dict):
        items = [(_typed(key, sort), _typed(item, sort)) for key, item in value.items()]
        return ("mapping", sorted(items) if sort else items)
    if isinstance(value, list):
        return ("list", [_typed(item, sort) for item in value])
    return (type(value).__name__, repr(value))


def fast_path_agrees(text: str) -> bool:
    """Whichever reader `parse` takes `text` with, the event-stream reader gives the same values (or
    problems). When the fast reader took it: the same values, positions and key positions too, found
    at once or later (and the event path finds nothing wrong). True when the fast reader took it."""
    doc, problems = yamlsafe.parse(text, "x")
    slow, slow_problems = yamlsafe.parse_events(text, "x")
    assert _typed(doc.data) == _typed(slow.data)
    if doc.reader != "fast":
        assert problems == slow_problems
        return False
    assert problems == [] and slow_problems == [], f"the fast path took a file the event path rejects: {slow_problems}"
    assert doc._positions is None, "positions are found only when asked"
    assert doc.positions == slow.positions and doc.key_positions == slow.key_positions
    eager = yamlsafe.Document("x")
    assert yamlsafe._fast_parse(text, eager, positions=True) and eager.reader == "fast"
    assert _typed(eager.data) == _typed(slow.data)
    assert eager.positions == slow.positions and eager.key_positions == slow.key_positions
    for path in slow.positions:
        assert doc.where(path) == slow.where(path) and doc.where(path, key=True) == slow.where(path, key=True)
    return True


class Compared:
    """How many inputs an agreement property compared: each is a Hypothesis event, and the totals are
    kept to assert the fraction after the run (and shown in the test's output)."""

    def __init__(self, name: str):
        self.name, self.counts = name, collections.Counter()

    def add(self, taken: bool) -> None:
        self.counts["fast reader" if taken else "event reader only"] += 1
        event("fast reader compared" if taken else "event reader only")

    @property
    def fraction(self) -> float:
        return self.counts["fast reader"] / max(1, sum(self.counts.values()))

    def report(self) -> str:
        total = sum(self.counts.values())
        line = f"{self.name}: the fast reader took {self.counts['fast reader']} of {total} inputs ({self.fraction:.0%})"
        print(line)
        return line


def test_the_fast_reader_takes_every_record_of_the_project():
    """The real records and the good fixture are in the fast reader's part of YAML (else validating a
    large knowledge base would be slow), and it reads each as the event path does."""
    for _, content in RECORD_FILES:
        assert fast_path_agrees(content.decode("utf-8"))


def test_the_fast_reader_agrees_with_the_event_path_on_mutated_records():
    """Arbitrary inputs: real records with their lines and bytes mutated. Whichever reader takes each,
    the same values; most mutations leave the fast reader's part of YAML (a tab, a quote, a bracket)."""
    compared = Compared("mutated records")

    @PROFILE
    @given(source=st.sampled_from(RECORD_FILES), mutations=st.lists(MUTATION, min_size=1, max_size=3))
    def agrees(source, mutations):
        content = source[1]
        for mutation in mutations:
            content = mutate(content, mutation)
        compared.add(fast_path_agrees(content.decode("utf-8", errors="replace")))

    agrees()
    compared.report()
    assert compared.fraction >= 0.25, compared.report()


def test_the_fast_reader_agrees_with_the_event_path_on_random_records():
    """Arbitrary inputs: JSON-like values as PyYAML writes them (flow style, folded lines, indents of
    4, odd keys): the fast reader takes few of them, and must agree on those."""
    compared = Compared("random records")

    @PROFILE
    @given(
        record=st.dictionaries(st.one_of(KEYS, WORDS), JSON_LIKE, min_size=1, max_size=8),
        width=st.sampled_from([80, 10**6]),
        indent=st.sampled_from([2, 4]),
    )
    def agrees(record, width, indent):
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=width, indent=indent)
        compared.add(fast_path_agrees(text))

    agrees()
    compared.report()
    assert compared.fraction >= 0.05, compared.report()


# -- inside the fast reader's part of YAML ----------------------------------------------
#
# Values written as `kb fmt` writes them (macros.kb.canonical.dump: block style, two spaces, one
# line per value, double quotes) or as PyYAML's safe_dump does with the same width (lists not
# indented under their key, single quotes), with comment lines before the first field and blank
# lines anywhere. Keys are words (as every record's are) that YAML reads as text; a list holds
# scalars, mappings or empty collections (a list in a list is written `- - x`, which the fast
# reader leaves to the event path).

# What PyYAML writes as it is on one line (it escapes the rest, in double quotes): printable, no
# line break, no byte-order mark; with double quotes, no '"' or '\' either (those are escaped).
_ONE_LINE = {"min_codepoint": 0x20, "blacklist_categories": ("Cc", "Cs", "Zl", "Zp")}
_TEXT_ANY_QUOTE = st.text(st.characters(**_ONE_LINE, blacklist_characters="\ufeff\ufffe\uffff\U0010ffff"), max_size=24)
_TEXT_DOUBLE_QUOTE = st.text(  # and in double quotes, PyYAML escapes the characters past U+FFFD too
    st.characters(**_ONE_LINE, max_codepoint=0xFFFD, blacklist_characters='"\\\ufeff'), max_size=24
)
_TYPED_LOOKING = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "null",
        "~",
        "2026-06-08",
        "2026-06",
        "1_000",
        "0x1F",
        "0o17",
        "1:30",
        ".5",
        "-.inf",
        ".NaN",
        "-1",
        "+1",
        "-x",
        "?x",
        ":x",
        "-",
        "a:b",
        "a #b",
        "a# b",
        "it's",
        "'",
        "x:",
        "#x",
        "- x",
        "[]",
        "{}",
        "<<",
        "=",
        "!x",
        "&x",
        "*x",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        " x",
        "x ",
        "",
        "ünï",
        "’",
        "\u3000x",
        "\xa0",
    ]
)
_RESOLVER = yaml.resolver.Resolver()
_WORD_KEYS = st.one_of(KEYS, st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,11}\Z")).filter(
    lambda key: _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) == "tag:yaml.org,2002:str"
)


def _fast_scalars(text):
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        _TYPED_LOOKING,
        text,
    )


def _fast_values(text):
    def containers(inner):
        # A list in a list is wrapped in a mapping: `- - x` is not in the fast reader's part of YAML.
        item = inner.map(lambda value: {"item": value} if isinstance(value, list) and value else value)
        return st.one_of(
            st.dictionaries(_WORD_KEYS, inner, min_size=1, max_size=5),
            st.lists(item, min_size=1, max_size=5),
            st.sampled_from([[], {}]),
        )

    return st.recursive(_fast_scalars(text), containers, max_leaves=30)


class _SafeDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # no &id001 for a value met twice


def _safe_dump(data) -> str:
    return yaml.dump(data, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False, width=10**6)


FAST_DOCUMENTS = st.one_of(
    st.tuples(
        st.just(canonical.dump), st.dictionaries(_WORD_KEYS, _fast_values(_TEXT_DOUBLE_QUOTE), min_size=1, max_size=8)
    ),
    st.tuples(st.just(_safe_dump), st.dictionaries(_WORD_KEYS, _fast_values(_TEXT_ANY_QUOTE), min_size=1, max_size=8)),
)


@st.composite
def fast_texts(draw) -> str:
    """A record file inside the fast reader's part of YAML."""
    writer, data = draw(FAST_DOCUMENTS)
    lines = writer(data).splitlines()
    for _ in range(draw(st.integers(0, 3))):  # blank lines (or lines of spaces) anywhere
        lines.insert(draw(st.integers(0, len(lines))), " " * draw(st.integers(0, 3)))
    header = draw(
        st.lists(
            st.sampled_from(["# yaml-language-server: $schema=../schemas/person.schema.json", "#", "# a: b # c"]),
            max_size=2,
        )
    )
    return "\n".join(header + lines) + "\n"


def test_the_fast_reader_takes_what_kb_fmt_writes_and_agrees_with_the_event_path():
    """Every input made inside the fast reader's part of YAML is read by it (else a large knowledge
    base in canonical form would be read slowly), with the event path's values and every position."""
    compared = Compared("inside the fast reader's part")

    @PROFILE
    @given(text=fast_texts())
    def agrees(text):
        taken = fast_path_agrees(text)
        compared.add(taken)
        assert taken, f"the fast reader left this to the event path:\n{text}"

    agrees()
    compared.report()
    assert compared.fraction == 1.0


def test_mutate_does_what_it_says():
    text = b"a: 1\nb: 2\nc: 3"
    assert mutate(text, ("delete-line", 1)) == b"a: 1\nc: 3"
    assert mutate(text, ("duplicate-line", 0)) == b"a: 1\na: 1\nb: 2\nc: 3"
    assert mutate(text, ("swap-chars", 0)) == b":a 1\nb: 2\nc: 3"
    assert mutate(text, ("truncate", 4)) == b"a: 1"
    assert mutate(text, ("insert", 5, b"\t")) == b"a: 1\n\tb: 2\nc: 3"
    assert mutate(text, ("indent", 2, 2)) == b"a: 1\nb: 2\n  c: 3"
    assert set_field(b"a: 1\nb: [x]\n", 3, None, {"k": None}) == b"a: 1\nb:\n- k: null\n"
