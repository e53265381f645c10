"""Validation in several processes finds exactly what one process finds.

`make validate` on a large knowledge base deals the record files out to
worker processes (macros/validate_shards.py), which check each file against
the listing and the sources and send back only what the checks across files
need. The comparison runs in a fresh interpreter: forking is only done where
the process has a single thread, which a fresh interpreter is sure to have.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_good
from kbdata import DATA
from test_validate_golden import CASES, build_case

from macros.kb.shards import default_workers
from macros.kb.validate import validate

ROOT = Path(__file__).resolve().parent.parent

COMPARE = """
import json, sys
from macros.kb.sitepaths import site_paths
from macros.kb.validate import validate
out = []
for root in sys.argv[1:]:
    reserved = site_paths(root + "/docs")
    one = validate(root + "/data", root, workers=1, reserved=reserved)
    many = validate(root + "/data", root, workers=2, min_files_per_worker=0, reserved=reserved)
    out.append({
        "root": root, "in_shards": many.loaded is None, "summary": one.summary(), "shards_summary": many.summary(),
        "codes": sorted({p.code for p in one.problems + one.warnings}),
        "only_one": [p.as_text() for p in sorted(set(one.problems) - set(many.problems))],
        "only_shards": [p.as_text() for p in sorted(set(many.problems) - set(one.problems))],
        "same_order": one.problems == many.problems, "same_coverage": one.coverage == many.coverage,
        "same_warnings": one.warnings == many.warnings,
    })
print(json.dumps(out))
"""


def compare(roots: list[Path]) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", COMPARE, *map(str, roots)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def synthetic(root: Path, entities: int = 150) -> Path:
    subprocess.run(
        [sys.executable, "-m", "scripts.synth", "--entities", str(entities), "--out", str(root / "data")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


def spoil(root: Path) -> Path:
    """Problems that span files, in a synthetic knowledge base: a deleted unit that others name, the
    same id in two folders, a cycle of units, a quote changed so it is no longer in its source, and
    events whose relations make a cycle or contradict a date."""
    data = root / "data"
    units = sorted((data / "units").glob("*.yml"))
    named = [
        u
        for u in units
        if any(f"unit: {u.stem}\n" in p.read_text(encoding="utf-8") for p in (data / "people").glob("*.yml"))
    ]
    named[0].unlink()
    shutil.copyfile(units[-1], data / "events" / units[-1].name)
    for child, parent in ((units[1], units[2]), (units[2], units[1])):
        text = child.read_text(encoding="utf-8")
        source, quote = _first_citation(text)
        item = f"- unit: {parent.stem}\n  cite:\n  - source: {source}\n    quote: {quote}\n"
        if "\nparents:\n" in text:
            text = text.replace("\nparents:\n", "\nparents:\n" + item, 1)
        else:
            text += "parents:\n" + item
        child.write_text(text, encoding="utf-8")
    person = sorted((data / "people").glob("*.yml"))[3]
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace("  quote: ", "  quote: Not in the text, ", 1), encoding="utf-8")
    # Two events placed before each other (a cycle), and one dated 1990 placed after an event dated later;
    # neighbours in the listing, so each goes to another worker.
    events = sorted((data / "events").glob("*.yml"))
    free = [e for e in events if "\nwhen:" not in e.read_text(encoding="utf-8")]
    dated = next(e for e in events if "\n  date: " in e.read_text(encoding="utf-8"))
    for event, when in (
        (free[0], f"  relation: before\n  event: {free[1].stem}\n"),
        (free[1], f"  relation: before\n  event: {free[0].stem}\n"),
        (free[2], f"  date: '1990'\n  relation: after\n  event: {dated.stem}\n"),
    ):
        text = event.read_text(encoding="utf-8")
        source, quote = _first_citation(text)
        event.write_text(text + f"when:\n{when}  cite:\n  - source: {source}\n    quote: {quote}\n", encoding="utf-8")
    return root


def same_id_twice(root: Path) -> Path:
    """Two valid records with one id, of two kinds: a unit named like the person, who also names a
    unit that does not exist; a unit named like the source, which leaves a sentence uncovered."""
    data = copy_good(root)
    group = (data / "units" / "alibaba-group.yml").read_text(encoding="utf-8")
    for same_id in ("eddie-wu", "alibaba-token-foundry-division"):
        (data / "units" / f"{same_id}.yml").write_text(
            group.replace("id: alibaba-group\n", f"id: {same_id}\n"), encoding="utf-8"
        )
    person = data / "people" / "eddie-wu.yml"
    text = person.read_text(encoding="utf-8")
    assert "unit: alibaba-group\n" in text
    person.write_text(text.replace("unit: alibaba-group\n", "unit: no-such-unit\n", 1), encoding="utf-8")
    source = data / "sources" / "alibaba-token-foundry-division.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("  - quote: Direct oversight by the CEO\n    reason: Not used by this minimal fixture.\n", "", 1),
        encoding="utf-8",
    )
    return root


def _first_citation(text: str) -> tuple[str, str]:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- source: "))
    return lines[index].split("- source: ", 1)[1], lines[index + 1].split("quote: ", 1)[1]


def test_shards_find_what_one_process_finds(tmp_path):
    roots = []
    for case in sorted(CASES):
        build_case(case, tmp_path / case)
        roots.append(tmp_path / case)
    roots.append(DATA.parent)  # the data under test: data/, or the folder KB_DATA names
    roots.append(synthetic(tmp_path / "synthetic"))
    roots.append(spoil(synthetic(tmp_path / "spoilt")))
    roots.append(same_id_twice(tmp_path / "same-id"))

    results = compare(roots)
    assert len(results) == len(roots)
    for result in results:
        assert result["in_shards"], result["root"]
        assert result["only_one"] == [] and result["only_shards"] == [], result
        assert result["same_order"] and result["same_coverage"] and result["same_warnings"], result["root"]
        assert result["summary"] == result["shards_summary"], result
    by_root = {Path(r["root"]).name: r for r in results}
    assert by_root["synthetic"]["codes"] == []
    assert {
        "unknown-ref",
        "duplicate-id",
        "cycle",
        "quote-not-found",
        "timeline-cycle",
        "timeline-contradiction",
    } <= set(by_root["spoilt"]["codes"])
    assert {"duplicate-id", "unknown-ref", "uncovered-sentence"} <= set(by_root["same-id"]["codes"])
    for case, codes in CASES.items():
        assert codes <= set(by_root[case]["codes"]), case


def test_a_small_knowledge_base_is_checked_in_one_process(tmp_path):
    data = copy_good(tmp_path)
    report = validate(data, tmp_path, workers=2)  # too few files to be worth forking
    assert report.loaded is not None and report.kb.records


def test_a_report_from_shards_says_it_has_no_model(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from macros.kb.validate import validate\n"
            f"r = validate({str(copy_good(tmp_path))!r}, workers=2, min_files_per_worker=0)\n"
            "try:\n    r.kb\nexcept RuntimeError as e:\n    print(e)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "workers=1" in result.stdout, result.stderr


@pytest.mark.parametrize("setting, expected", [("3", 3), ("1", 1), ("0", None), ("many", None), ("", None)])
def test_workers_come_from_kb_workers(monkeypatch, setting, expected):
    monkeypatch.setenv("KB_WORKERS", setting)
    workers = default_workers()
    assert workers == expected if expected else 1 <= workers <= 8


def event_chain(root: Path, length: int = 2_000) -> Path:
    """The minimal knowledge base with a chain of `length` events, each after the one before, the first
    after the dated event, and a last one dated months earlier than the first: one contradiction."""
    data = copy_good(root)
    head = "# yaml-language-server: $schema=../schemas/event.schema.json\n"
    body = (
        "title: A step\nkind: statement\ncite:\n  - source: alibaba-token-foundry-division\n"
        "    quote: Group CEO Eddie Wu\nwhen:\n{date}  relation: after\n  event: {after}\n  cite:\n"
        "    - source: alibaba-token-foundry-division\n      quote: to create the new Token Foundry Division\n"
    )
    previous = "token-foundry-division-announced"
    for step in range(length):
        event_id = f"step-{step:04d}"
        date = '  date: "2026-01"\n' if step == length - 1 else ""
        text = head + f"id: {event_id}\n" + body.format(date=date, after=previous)
        (data / "events" / f"{event_id}.yml").write_text(text, encoding="utf-8")
        previous = event_id
    return root


def test_a_chain_of_2000_events_is_checked_alike_in_one_process_and_in_several(tmp_path):
    """Longer than Python's recursion limit, split between workers."""
    (result,) = compare([event_chain(tmp_path / "chain")])
    assert result["in_shards"] and result["only_one"] == [] and result["only_shards"] == []
    # The last step's date is not in the words of its citation either (the article gives no such date).
    assert result["codes"] == ["date-not-in-quote", "timeline-contradiction"]
    assert result["summary"] == "2005 records, 4008 citations, 2 problems"
