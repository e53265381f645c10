"""Golden-file tests of bad input: one fixture per bad input, its exact output.

Each folder tests/fixtures/bad/<case>/ holds

- data/...      files laid over a copy of the minimal valid knowledge base in
                tests/fixtures/good/data/ (a file at the same relative path
                replaces the good one, a new path adds a file);
- docs/...      (optional) the site's own pages beside it, whose paths no
                record's page may take;
- expected.txt  exactly what `.venv/bin/kb validate` prints when run
                from the copy's root: every problem as
                `path:line:col: error[code]: message` and its `  hint: ...`
                line, then every warning as `...: warning[code]: ...`, then
                the summary line.

Inputs too big to commit (a file over the size limit) are written by the
functions in GENERATED instead of a data/ folder. Symbolic links, FIFOs and
file names with control characters cannot be committed reliably: they are
made at run time by tests/test_untrusted_files.py, which compares them with
exact expected texts too. CASES names, for every case,
the codes it must produce, so a regenerated golden file cannot silently lose
the point of its case.

After an intended change of the validator's output, regenerate the golden
files and review the diff before committing:

    KB_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_validate_golden.py

(the one switch for every golden file of the suite: see tests/conftest.py).

Files under tests/fixtures/bad/ are kept byte for byte (see .gitattributes
there): the BOM, CRLF and invalid UTF-8 cases depend on it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, UPDATE_GOLDEN, copy_good, run_kb

from macros.kb.characters import NOT_PRINTABLE
from macros.kb.problems import CODES, WARNING_CODES
from macros.kb.yamlsafe import MAX_FILE_BYTES

BAD = FIXTURES / "bad"

# case -> the codes its output must contain.
CASES: dict[str, set[str]] = {
    # files and YAML
    "yaml-syntax-unclosed-quote": {"yaml-syntax"},
    "yaml-syntax-bad-indent": {"yaml-syntax"},
    "duplicate-key": {"duplicate-key"},
    "yaml-anchor-alias": {"yaml-anchor"},
    "yaml-alias-bomb": {"yaml-anchor"},
    "merge-key": {"yaml-anchor"},
    "yaml-tag-python-object": {"yaml-tag"},
    "multiple-documents": {"yaml-syntax"},
    "control-character": {"yaml-syntax"},
    "bom": {"bom"},
    "tab-indent": {"yaml-syntax"},
    "crlf-line-ends": {"line-ends"},
    "invalid-utf8": {"encoding"},
    "empty-file": {"empty-file"},
    "list-at-top": {"not-a-mapping"},
    "bad-key-number": {"bad-key"},
    "yaml-extension": {"unexpected-file"},
    "file-too-large": {"file-too-large"},
    "too-deep": {"too-deep"},
    "too-deep-indented": {"too-deep"},
    "too-deep-flow-and-dashes": {"too-deep"},
    "number-too-large": {"number-too-large"},
    # where files are: what data/ may hold, and the site's own paths
    "unknown-folder": {"unexpected-file"},
    "record-too-deep": {"unexpected-file"},
    "record-at-top": {"unexpected-file"},
    "file-at-top": {"unexpected-file"},
    "site-path-index-page": {"site-path-taken"},
    "site-path-hand-written-page": {"site-path-taken"},
    "site-path-asset": {"site-path-taken"},
    # text shown to readers, and the validator's own output
    "unsafe-character-bidi": {"unsafe-character"},
    "unsafe-character-invisible": {"unsafe-character"},
    "unsafe-character-escape": {"unsafe-character"},
    "hostile-quote-in-output": {"quote-not-found"},
    # schema
    "wrong-type-text": {"wrong-type"},
    "wrong-type-list": {"wrong-type"},
    "wrong-type-mapping": {"wrong-type"},
    "wrong-type-date": {"wrong-type"},
    "wrong-type-boolean": {"wrong-type"},
    "wrong-type-citation-item": {"wrong-type"},
    "unknown-field-did-you-mean": {"unknown-field"},
    "unknown-kind-enum": {"bad-value"},
    "unknown-claim-kind": {"bad-value"},
    "missing-field": {"missing-field"},
    "empty-cite": {"bad-value"},
    "bad-date-format": {"bad-value"},
    "bad-url-javascript": {"bad-url"},
    "bad-url-ftp": {"bad-url"},
    "bad-url-data": {"bad-url"},
    "bad-url-quote-and-angle-brackets": {"bad-url"},
    "bad-url-user-before-host": {"bad-url"},
    "bad-url-no-host": {"bad-url"},
    "bad-url-whitespace": {"bad-url"},
    "bad-url-bidi": {"bad-url"},
    "bad-url-backslash": {"bad-url"},
    # ids and references
    "id-mismatch": {"id-mismatch"},
    "bad-id-format": {"bad-id"},
    "duplicate-id-across-kinds": {"duplicate-id"},
    "unknown-ref-did-you-mean": {"unknown-ref"},
    "unknown-ref-no-guess": {"unknown-ref"},
    "wrong-ref-kind": {"wrong-ref-kind"},
    "self-ref-parent": {"self-ref"},
    "cycle-of-two": {"cycle"},
    "cycle-of-three": {"cycle"},
    "cycle-through-a-self-parent": {"self-ref", "cycle"},
    "timeline-cycle": {"timeline-cycle"},
    "timeline-contradiction": {"timeline-contradiction"},
    # dates, claims, quotes, sources
    "impossible-date-feb-30": {"bad-date"},
    "impossible-date-month-13": {"bad-date"},
    "end-before-start": {"end-before-start"},
    "missing-attribution": {"missing-attribution"},
    "analysis-as-fact": {"analysis-as-fact"},
    "uncited-account": {"uncited-account"},
    "when-phrase": {"when-phrase"},
    "when-relation": {"when-relation"},
    "duplicate-claim-id": {"duplicate-claim-id"},
    "quote-not-found-changed-word": {"quote-not-found"},
    "quote-not-found-changed-case": {"quote-not-found"},
    "quote-wrong-source": {"unknown-ref"},
    "quote-too-short": {"quote-too-short"},
    "quote-inside-word": {"quote-inside-word"},
    "quote-joins-lines": {"quote-joins-lines"},
    "no-claim-inside-word": {"quote-inside-word"},
    "duplicate-citation": {"duplicate-citation"},
    "no-claim-on-cited-sentence": {"no-claim-on-cited-sentence"},
    "no-claim-not-found": {"no-claim-not-found"},
    "archive-missing": {"archive-missing"},
    "archive-changed": {"archive-changed"},
    "uncovered-sentence": {"uncovered-sentence"},
    "uncovered-sentences-in-text-order": {"uncovered-sentence"},
    "uncovered-sentence-abbreviations": {"uncovered-sentence"},
    "placeholder-no-claim-reason": {"placeholder"},
    "placeholder-template-value": {"placeholder"},
    # dates in the words of their citations
    "date-not-in-quote-event": {"date-not-in-quote"},
    "date-not-in-quote-role": {"date-not-in-quote"},
    "date-not-in-quote-parent": {"date-not-in-quote"},
    # unit changes
    "change-merger-without-into": {"bad-change"},
    "change-shapes": {"bad-change"},
    "change-unknown-unit": {"unknown-ref"},
    "change-missing-status": {"missing-field"},
    "original-units-replaced": {"unknown-field"},
    "unexpected-changes-warning": {"unexpected-changes"},
}
# Cases whose output holds only warnings: validation passes (exit 0).
WARNING_ONLY = {"unexpected-changes-warning"}


def _too_large(data: Path) -> None:
    """A person record just over the size limit: valid YAML, one huge statement list."""
    path = data / "people" / "eddie-wu.yml"
    text = path.read_text(encoding="utf-8") + "statements:\n"
    item = (
        "  - text: Eddie Wu leads the division.\n    cite:\n      - source: alibaba-token-foundry-division\n"
        "        quote: under the direct leadership of Group CEO Eddie Wu\n"
    )
    text += item * (MAX_FILE_BYTES // len(item) + 1)
    assert len(text.encode()) > MAX_FILE_BYTES
    path.write_text(text, encoding="utf-8")


def _too_deep_indented(data: Path) -> None:
    """A field nested 1,300 levels deep by indentation alone, under the size limit: deeper than Python's
    recursion limit, so a reader that recursed per level would crash."""
    path = data / "people" / "eddie-wu.yml"
    levels = 1_300
    text = path.read_text(encoding="utf-8") + "extra:\n"
    text += "".join(" " * level + "k:\n" for level in range(1, levels)) + " " * levels + "k: x\n"
    assert len(text.encode()) < MAX_FILE_BYTES
    path.write_text(text, encoding="utf-8")


def _too_deep_flow_and_dashes(data: Path) -> None:
    """Other names nested 10,000 lists deep in flow style, and statements as deep in block style (- - - x)."""
    path = data / "people" / "eddie-wu.yml"
    text = path.read_text(encoding="utf-8") + "other_names: " + "[" * 10_000 + "]" * 10_000 + "\n"
    path.write_text(text, encoding="utf-8")
    path = data / "units" / "alibaba-group.yml"
    path.write_text(path.read_text(encoding="utf-8") + "statements:\n  " + "- " * 10_000 + "x\n", encoding="utf-8")


def _number_too_large(data: Path) -> None:
    """A name of 10,000 digits (YAML reads it as a number, which Python cannot even print)."""
    path = data / "people" / "eddie-wu.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Eddie Wu", "name: " + "9" * 10_000), encoding="utf-8"
    )


GENERATED = {
    "file-too-large": _too_large,
    "too-deep-indented": _too_deep_indented,
    "too-deep-flow-and-dashes": _too_deep_flow_and_dashes,
    "number-too-large": _number_too_large,
}


def build_case(case: str, root: Path) -> Path:
    """The knowledge base of one case under `root`: the good base, the overlay, the generator."""
    data = copy_good(root)
    overlay = BAD / case / "data"
    if overlay.is_dir():
        for file in sorted(overlay.rglob("*")):
            if file.is_file():
                target = data / file.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
    if (BAD / case / "docs").is_dir():
        shutil.copytree(BAD / case / "docs", root / "docs")
    if case in GENERATED:
        GENERATED[case](data)
    return data


def output_of(case: str, root: Path) -> tuple[int, str]:
    build_case(case, root)
    result = run_kb(["--data", "data", "validate", "--format", "text"], root)
    assert result.err == ""
    return result.code, result.out


def test_every_case_folder_is_listed():
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert folders == set(CASES)
    assert len(CASES) >= 30
    for case in CASES:
        assert (BAD / case / "data").is_dir() or (BAD / case / "docs").is_dir() or case in GENERATED, case


def test_the_good_base_is_valid(tmp_path):
    data = copy_good(tmp_path)
    result = run_kb(["--data", "data", "validate"], tmp_path)
    assert result.code == 0, result.out
    assert result.out == "5 records, 8 citations, 0 problems\n"
    assert data.is_dir()


_PROBLEM = re.compile(
    r"^(?P<path>data/[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)\[(?P<code>[a-z-]+)\]: "
    r"(?P<message>.+)$"
)
_SUMMARY = re.compile(r"^\d+ records?, \d+ citations?, (?P<count>\d+) problems?(?:, (?P<warnings>\d+) warnings?)?$")


def parse_output(text: str) -> tuple[list[dict], int]:
    """Problems and warnings (with their hints) and the summary's problem count of validate's text output;
    the summary's warning count is checked here against the warnings printed, which come after the errors."""
    lines = text.splitlines()
    summary = _SUMMARY.match(lines[-1])
    assert summary, f"no summary line at the end: {lines[-1]!r}"
    problems: list[dict] = []
    for line in lines[:-1]:
        if line.startswith("  hint: "):
            assert problems and "hint" not in problems[-1], f"stray hint line: {line!r}"
            problems[-1]["hint"] = line[len("  hint: ") :]
            continue
        match = _PROBLEM.match(line)
        assert match, f"not a problem line: {line!r}"
        problems.append(match.groupdict())
    severities = [p["severity"] for p in problems]
    assert severities == sorted(severities), "warnings are printed after the errors"
    assert severities.count("warning") == int(summary["warnings"] or 0)
    return problems, int(summary["count"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(case, tmp_path):
    code, out = output_of(case, tmp_path)
    expected_file = BAD / case / "expected.txt"
    if UPDATE_GOLDEN:
        expected_file.write_text(out, encoding="utf-8", newline="\n")
    assert expected_file.exists(), f"no golden file: run with KB_UPDATE_GOLDEN=1 to create {expected_file}"
    expected = expected_file.read_text(encoding="utf-8")
    assert out == expected

    # What every golden output must be, whatever its text:
    assert code == (0 if case in WARNING_ONLY else 1)
    assert NOT_PRINTABLE.search(out.replace("\n", "")) is None, "a control character from the data got out raw"
    problems, count = parse_output(out)
    errors = [p for p in problems if p["severity"] == "error"]
    assert count == len(errors) and len(problems) >= 1
    assert bool(errors) == (case not in WARNING_ONLY)
    for problem in problems:
        assert problem["code"] in CODES
        assert (problem["severity"] == "warning") == (problem["code"] in WARNING_CODES)
        assert int(problem["line"]) >= 1 and int(problem["col"]) >= 1
        assert problem.get("hint", "").strip(), f"no hint for {problem}"
        assert (tmp_path / problem["path"]).is_file(), f"{problem['path']} does not exist"
    assert CASES[case] <= {p["code"] for p in problems}
