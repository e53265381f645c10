"""Fuzzing the validator with Hypothesis: whatever a record file holds,
`validate` never raises. It ends in success, or in problems that each have a
path to an existing file, a line and a column >= 1, a known code
(macros.problems.CODES), a message and a hint.

Inputs: random text, random YAML documents of JSON-like values, and random
mutations of real record files (from data/ and from the tiny knowledge base
in tests/fixtures/good/): deleted, duplicated and truncated lines, swapped
characters, inserted tabs, anchors, aliases, tags, control characters, BOMs,
CR line ends and invalid bytes, and fields set to random JSON-like values.
Each example is written into a copy of the tiny knowledge base in a temporary
folder; nothing in the repository is touched.

Profiles (the environment variable HYPOTHESIS_PROFILE picks one):

- default: a small, derandomized (so deterministic) run of a few seconds,
  for CI and `make test`;
- deep: 10,000 examples per test, randomized, for a hunt:

      HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests/test_fuzz.py -n 2

  A failure prints the falsifying example and a `@reproduce_failure` line.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import GOOD_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.kb import schemas as schemas
from macros.kb import yamlsafe
from macros.kb.kinds import FOLDERS
from macros.kb.problems import CODES
from macros.kb.report import plural
from macros.kb.validate import validate
from macros.rendering.overview import OverviewRenderer
from macros.rendering.pages import PageRenderer

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
PROFILE = settings.get_profile("kb-deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "kb-default")


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


def run(root: Path, files: dict[str, bytes]) -> None:
    """Write `files` (paths relative to data/) over the copy, validate, check the outcome, restore."""
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
            problem.as_text(), problem.as_github()
        counted = plural(len(report.problems), "problem")
        counted += f", {plural(len(report.warnings), 'warning')}" if report.warnings else ""
        assert report.summary().endswith(counted)
        if not report.problems:
            assert report.kb.records
            # What passes validation renders: the organization chart, and every event's and unit's page.
            kb = report.kb
            OverviewRenderer(kb, "org-chart/").orgchart()
            for kind in ("event", "unit"):
                for record in kb.table(kind).values():
                    getattr(PageRenderer(kb, "x/"), kind)(record)
    finally:
        for rel, content in saved.items():
            if content is None:
                (data / rel).unlink(missing_ok=True)
            else:
                (data / rel).write_bytes(content)


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


def _typed(value):
    """A value with its types spelt out, so 1, 1.0, True and "1" all differ (and NaN equals NaN)."""
    if isinstance(value, dict):
        return ("mapping", [(_typed(key), _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, repr(value))


def fast_path_agrees(text: str) -> bool:
    """When the fast reader takes `text`, it gives what the event-stream reader gives: the same values,
    positions and key positions, found at once or later. True when it took the text."""
    fast = yamlsafe.Document("x")
    if not yamlsafe._fast_parse(text, fast, positions=True):
        return False
    slow, problems = yamlsafe.parse_events(text, "x")
    assert problems == [], f"the fast path took a file the event path rejects: {problems}"
    assert _typed(fast.data) == _typed(slow.data)
    assert fast.positions == slow.positions
    assert fast.key_positions == slow.key_positions
    lazy, problems = yamlsafe.parse(text, "x")  # positions found only when asked
    assert problems == [] and _typed(lazy.data) == _typed(slow.data)
    assert lazy.positions == slow.positions and lazy.key_positions == slow.key_positions
    return True


def test_the_fast_reader_takes_every_record_of_the_project():
    """The real records and the good fixture are in the fast reader's part of YAML (else validating a
    large knowledge base would be slow), and it reads each as the event path does."""
    for _, content in RECORD_FILES:
        assert fast_path_agrees(content.decode("utf-8"))


@PROFILE
@given(source=st.sampled_from(RECORD_FILES), mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_the_fast_reader_agrees_with_the_event_path_on_mutated_records(source, mutations):
    content = source[1]
    for mutation in mutations:
        content = mutate(content, mutation)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return
    fast_path_agrees(text)


@PROFILE
@given(
    record=st.dictionaries(st.one_of(KEYS, WORDS), JSON_LIKE, min_size=1, max_size=8),
    width=st.sampled_from([80, 10**6]),
    indent=st.sampled_from([2, 4]),
)
def test_the_fast_reader_agrees_with_the_event_path_on_random_records(record, width, indent):
    try:
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=width, indent=indent)
    except (yaml.YAMLError, UnicodeEncodeError):
        return
    fast_path_agrees(text)


def test_mutate_does_what_it_says():
    text = b"a: 1\nb: 2\nc: 3"
    assert mutate(text, ("delete-line", 1)) == b"a: 1\nc: 3"
    assert mutate(text, ("duplicate-line", 0)) == b"a: 1\na: 1\nb: 2\nc: 3"
    assert mutate(text, ("swap-chars", 0)) == b":a 1\nb: 2\nc: 3"
    assert mutate(text, ("truncate", 4)) == b"a: 1"
    assert mutate(text, ("insert", 5, b"\t")) == b"a: 1\n\tb: 2\nc: 3"
    assert mutate(text, ("indent", 2, 2)) == b"a: 1\nb: 2\n  c: 3"
    assert set_field(b"a: 1\nb: [x]\n", 3, None, {"k": None}) == b"a: 1\nb:\n- k: null\n"
