"""The command line (scripts/kb.py), run in-process on copies of the tiny
knowledge base: validate (text and GitHub formats), new, fmt and stats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import run_kb

from macros.kb.canonical import MODELINE
from macros.kb.kinds import RESTRUCTURING_EVENT_KINDS, event_kinds
from macros.kb.problems import CODES, Problem

PROBLEM_LINE = re.compile(r"^data/\S+:\d+:\d+: error\[([a-z-]+)\]: .+$")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- validate ------------------------------------------------------------------


def test_validate_passes_on_the_tiny_kb(tiny_kb):
    result = run_kb(["validate"], tiny_kb.parent)
    assert (result.code, result.out, result.err) == (0, "5 records, 8 citations, 0 problems\n", "")


def break_four_files(data: Path) -> None:
    edit(data / "people" / "eddie-wu.yml", "  - role: Chief Scientist", "  - rol: Chief Scientist")
    edit(
        data / "units" / "token-foundry-division.yml",
        "    status: current",
        '    start: "2026-02-30"\n    status: current',
    )
    edit(data / "events" / "token-foundry-division-announced.yml", "  - eddie-wu", "  - eddie-woo")
    edit(data / "sources" / "alibaba-token-foundry-division.yml", "url: null", "url: ftp://example.org/x")


def test_several_problems_in_different_files_are_all_reported_in_one_run(tiny_kb):
    break_four_files(tiny_kb)
    result = run_kb(["validate"], tiny_kb.parent)
    assert result.code == 1
    lines = result.out.splitlines()
    problems = [line for line in lines if PROBLEM_LINE.match(line)]
    hints = [line for line in lines if line.startswith("  hint: ")]
    assert lines[-1] == f"5 records, 6 citations, {len(problems)} problems"
    assert len(problems) == len(hints) == 4 == len(lines[:-1]) // 2
    assert [line.split(":")[0] for line in problems] == [
        "data/events/token-foundry-division-announced.yml",
        "data/people/eddie-wu.yml",
        "data/sources/alibaba-token-foundry-division.yml",
        "data/units/token-foundry-division.yml",
    ]
    assert [PROBLEM_LINE.match(line)[1] for line in problems] == ["unknown-ref", "unknown-field", "bad-url", "bad-date"]
    assert "hint: did you mean 'eddie-wu'?" in result.out
    assert "hint: did you mean 'role'?" in result.out


GITHUB_LINE = re.compile(
    r"^::error file=data/[^,:%]+,line=[1-9]\d*,col=[1-9]\d*,title=kb (?P<code>[a-z-]+)::(?P<data>.+)$"
)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_validate_github_format(tiny_kb, monkeypatch, how):
    break_four_files(tiny_kb)
    if how == "env":
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        args = ["validate"]
    else:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        args = ["validate", "--format", "github"]
    result = run_kb(args, tiny_kb.parent)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[-1] == "5 records, 6 citations, 4 problems"
    assert len(lines) == 5  # one line per problem: the hint travels inside it
    for line in lines[:-1]:
        match = GITHUB_LINE.match(line)
        assert match and match["code"] in CODES, line
        assert "%0Ahint: " in match["data"] and "\n" not in match["data"]
    assert lines[0] == (
        "::error file=data/events/token-foundry-division-announced.yml,line=14,col=5,title=kb unknown-ref::"
        "'eddie-woo' names no person%0Ahint: did you mean 'eddie-wu'?"
    )


def add_changes_to_an_event_that_does_not_restructure(data: Path) -> None:
    """The tiny knowledge base's event made a hire that lists a unit change: a warning, not an error."""
    path = data / "events" / "token-foundry-division-announced.yml"
    edit(path, "kind: reorganization", "kind: hire")
    edit(
        path,
        "people:\n",
        "changes:\n  - change: formation\n    units:\n      - token-foundry-division\n    status: announced\n"
        "    cite:\n      - source: alibaba-token-foundry-division\n"
        "        quote: to create the new Token Foundry Division\npeople:\n",
    )


def test_a_warning_is_shown_and_counted_apart_and_does_not_fail(tiny_kb):
    add_changes_to_an_event_that_does_not_restructure(tiny_kb)
    result = run_kb(["validate"], tiny_kb.parent)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("data/events/token-foundry-division-announced.yml:13:1: warning[unexpected-changes]: ")
    assert lines[1].startswith("  hint: if the event restructures units, make its kind reorganization or formation")
    assert lines[-1] == "5 records, 9 citations, 0 problems, 1 warning"
    # With an error as well: the error first, then the warning; the run fails on the error alone.
    edit(tiny_kb / "sources" / "alibaba-token-foundry-division.yml", "url: null", "url: ftp://example.org/x")
    result = run_kb(["validate"], tiny_kb.parent)
    assert result.code == 1
    problems = [line for line in result.out.splitlines() if not line.startswith("  hint: ")]
    assert [re.search(r": (error|warning)\[", line)[1] for line in problems[:-1]] == ["error", "warning"]
    assert problems[-1] == "5 records, 9 citations, 1 problem, 1 warning"


def test_a_warning_is_a_github_warning_annotation(tiny_kb, monkeypatch):
    add_changes_to_an_event_that_does_not_restructure(tiny_kb)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_kb(["validate"], tiny_kb.parent)
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first.startswith(
        "::warning file=data/events/token-foundry-division-announced.yml,line=13,col=1,title=kb unexpected-changes::"
    )
    assert Problem("x.yml", 1, 1, "unexpected-changes", "m").severity == "warning"
    assert Problem("x.yml", 1, 1, "bad-change", "m").as_github().startswith("::error ")


def test_github_actions_env_can_be_overridden_by_the_flag(tiny_kb, monkeypatch):
    break_four_files(tiny_kb)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_kb(["validate", "--format", "text"], tiny_kb.parent)
    assert not result.out.startswith("::error")
    assert PROBLEM_LINE.match(result.out.splitlines()[0])


def test_github_annotation_escaping():
    problem = Problem("data/a,b:c%d.yml", 3, 7, "bad-value", "50% of it: a, b\r\nand more", "fix it: 100%, now")
    assert problem.as_github() == (
        "::error file=data/a%2Cb%3Ac%25d.yml,line=3,col=7,title=kb bad-value::"
        "50%25 of it: a, b<U+000D><U+000A>and more%0Ahint: fix it: 100%25, now"
    )
    # Without a hint, no hint line.
    assert Problem("x.yml", 1, 1, "bom", "m").as_github() == "::error file=x.yml,line=1,col=1,title=kb bom::m"


def test_text_format_of_a_problem():
    problem = Problem("data/x.yml", 2, 5, "bad-id", "id 'X' has the wrong form", "lower-case words")
    assert problem.as_text() == "data/x.yml:2:5: error[bad-id]: id 'X' has the wrong form\n  hint: lower-case words"
    assert Problem("data/x.yml", 1, 1, "bom", "m").as_text() == "data/x.yml:1:1: error[bom]: m"


# -- new -----------------------------------------------------------------------

# What a contributor writes over each placeholder of the templates, with the tiny knowledge base's ids.
FILL = {
    "SOURCE-ID": "alibaba-token-foundry-division",
    "OTHER-SOURCE-ID": "alibaba-token-foundry-division",
    "WORDS COPIED VERBATIM FROM THE SOURCE": "Group CEO Eddie Wu",
    "ROLE AS THE SOURCE WORDS IT": "Group CEO",
    "ONE SENTENCE THE SOURCE SUPPORTS": "Eddie Wu is the Group CEO.",
    "PARENT-UNIT-ID": "alibaba-group",
    "UNIT-ID": "token-foundry-division",
    "PERSON-ID": "eddie-wu",
    "RECORD-ID": "eddie-wu",
    "YYYY-MM-DD": '"2026-06-08"',
    "WHAT HAPPENED, IN ONE SENTENCE": "Something happened.",
    "WHAT THIS SOURCE SAYS": "An answer.",
    "WHAT THAT SOURCE SAYS": "Another answer.",
    "EDITORIAL: WHAT DIFFERS, WITHOUT DECIDING IT": "A note.",
    "THE WORDS THAT GIVE THE DATE": "This strategic shift, announced on June 8, 2026",
    "RESULT-UNIT-ID": "alibaba-group",
    "NEW-UNIT-ID": "token-foundry-division",
    "WHAT WAS SAID, IN ONE SENTENCE": "Something was said.",
}
FOLDER = {"person": "people", "unit": "units", "event": "events", "source": "sources", "discrepancy": "discrepancies"}


@pytest.mark.parametrize("kind", sorted(FOLDER))
def test_new_writes_a_template_that_fails_only_on_its_placeholders(tiny_kb, kind):
    root = tiny_kb.parent
    result = run_kb(["new", kind, "Jack Ma"], root)
    target = tiny_kb / FOLDER[kind] / "jack-ma.yml"
    assert result.code == 0
    assert result.out.startswith(
        f"wrote data/{FOLDER[kind]}/jack-ma.yml: fill in the fields in capitals, then run `make validate`\n"
    )
    assert result.out.count("\n") == (2 if kind == "source" else 1)
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE.format(kind=kind)
    assert "&" not in text and "*id" not in text  # no YAML anchors or aliases
    assert "\nid: jack-ma\n" in text

    check = run_kb(["validate"], root)
    assert check.code == 1
    lines = target.read_text(encoding="utf-8").splitlines()
    problems = [line for line in check.out.splitlines() if PROBLEM_LINE.match(line)]
    assert problems
    for line in problems:
        path, number = line.split(":")[:2]
        assert path == f"data/{FOLDER[kind]}/jack-ma.yml", line  # nothing else breaks
        assert "placeholder" in line, line
        assert re.search(r"[A-Z0-9]+-[A-Z0-9]+", lines[int(number) - 1]), line  # the line holds a placeholder


@pytest.mark.parametrize("kind", ["person", "unit", "event", "discrepancy"])
def test_new_template_with_its_placeholders_filled_in_is_valid(tiny_kb, kind):
    root = tiny_kb.parent
    assert run_kb(["new", kind, "Jack Ma"], root).code == 0
    target = tiny_kb / FOLDER[kind] / "jack-ma.yml"
    text = target.read_text(encoding="utf-8")
    for placeholder in sorted(FILL, key=len, reverse=True):
        text = text.replace(placeholder, FILL[placeholder])
    assert not re.search(r"\b[A-Z]{2,}-[A-Z]", text.split("\nid:")[1])
    target.write_text(text, encoding="utf-8")
    check = run_kb(["validate"], root)
    assert check.code == 0, check.out


@pytest.mark.parametrize("event_kind", event_kinds())
def test_new_event_template_depends_on_its_kind(tiny_kb, event_kind):
    root = tiny_kb.parent
    result = run_kb(["new", "event", "Jack Ma", "--kind", event_kind], root)
    assert result.code == 0, result.err
    target = tiny_kb / "events" / "jack-ma.yml"
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["kind"] == event_kind
    # Only an event that restructures units has unit changes in its template (and their fields in its notes).
    assert ("changes" in data) == (event_kind in RESTRUCTURING_EVENT_KINDS)
    assert ("#   changes[].change*:" in text) == (event_kind in RESTRUCTURING_EVENT_KINDS)
    assert ("statements" in data) == (event_kind == "statement")
    for placeholder in sorted(FILL, key=len, reverse=True):
        text = text.replace(placeholder, FILL[placeholder])
    target.write_text(text, encoding="utf-8")
    check = run_kb(["validate"], root)
    assert check.code == 0, check.out
    assert "warning" not in check.out, check.out  # the template of a kind never draws the warning of its kind


def test_new_kind_is_only_for_events(tiny_kb):
    result = run_kb(["new", "unit", "Wukong", "--kind", "hire"], tiny_kb.parent)
    assert result.code == 2 and "--kind is for events" in result.err
    assert not (tiny_kb / "units" / "wukong.yml").exists()


def test_new_refuses_to_overwrite(tiny_kb):
    root = tiny_kb.parent
    target = tiny_kb / "people" / "eddie-wu.yml"
    before = target.read_bytes()
    result = run_kb(["new", "person", "Eddie Wu"], root)
    assert result.code == 1
    assert result.err == "error: data/people/eddie-wu.yml already exists: edit it, or choose another --id\n"
    assert result.out == ""
    assert target.read_bytes() == before


def test_new_with_an_explicit_id(tiny_kb):
    result = run_kb(["new", "unit", "Wukong", "--id", "wukong-group"], tiny_kb.parent)
    assert result.code == 0
    text = (tiny_kb / "units" / "wukong-group.yml").read_text(encoding="utf-8")
    assert "\nid: wukong-group\nname: Wukong\n" in text


# -- fmt -----------------------------------------------------------------------

SCRAMBLED = """\
# yaml-language-server: $schema=../schemas/unit.schema.json
# A note kept in the header.

# Another note after a blank line.
cite: [{quote: 'Alibaba Group has announced a major restructuring', source: alibaba-token-foundry-division}]
kind:   company
name: 'Alibaba Group'
id: alibaba-group
"""


def test_fmt_check_prints_a_diff_and_fmt_fixes_it(tiny_kb):
    root = tiny_kb.parent
    target = tiny_kb / "units" / "alibaba-group.yml"
    canonical = target.read_text(encoding="utf-8")
    target.write_text(SCRAMBLED, encoding="utf-8")

    check = run_kb(["fmt", "--check"], root)
    assert check.code == 1
    assert check.out.startswith("--- a/data/units/alibaba-group.yml\n+++ b/data/units/alibaba-group.yml\n@@ ")
    assert "-kind:   company\n" in check.out and "+kind: company\n" in check.out
    assert check.out.endswith("1 file is not in canonical form: run `make fmt`\n")
    assert target.read_text(encoding="utf-8") == SCRAMBLED  # --check changes nothing

    fixed = run_kb(["fmt"], root)
    assert (fixed.code, fixed.out) == (0, "formatted data/units/alibaba-group.yml\n")
    text = target.read_text(encoding="utf-8")
    assert text == (
        "# yaml-language-server: $schema=../schemas/unit.schema.json\n"
        "# A note kept in the header.\n# Another note after a blank line.\n" + canonical.split("\n", 1)[1]
    )

    again = run_kb(["fmt", "--check"], root)
    assert (again.code, again.out) == (0, "")
    assert run_kb(["fmt"], root).out == ""  # idempotent
    assert target.read_text(encoding="utf-8") == text
    assert run_kb(["validate"], root).code == 0


def test_fmt_adds_the_modeline_and_fixes_bom_and_crlf(tiny_kb):
    root = tiny_kb.parent
    target = tiny_kb / "people" / "eddie-wu.yml"
    canonical = target.read_bytes()
    body = canonical.split(b"\n", 1)[1]  # without its modeline
    target.write_bytes(b"\xef\xbb\xbf" + body.replace(b"\n", b"\r\n"))
    assert run_kb(["validate"], root).code == 1
    assert run_kb(["fmt", "--check"], root).code == 1
    assert run_kb(["fmt"], root).code == 0
    assert target.read_bytes() == canonical
    assert run_kb(["validate"], root).code == 0


def test_fmt_leaves_a_file_that_does_not_parse_and_fails(tiny_kb):
    root = tiny_kb.parent
    target = tiny_kb / "people" / "eddie-wu.yml"
    target.write_text("id: eddie-wu\nname: [unclosed\n", encoding="utf-8")
    for args in (["fmt"], ["fmt", "--check"]):
        result = run_kb(args, root)
        assert result.code == 1
        assert result.out == (
            "data/people/eddie-wu.yml: not formatted: it does not parse (run `make validate` for the problem)\n"
        )
    assert target.read_text(encoding="utf-8") == "id: eddie-wu\nname: [unclosed\n"


def test_fmt_of_named_files_only(tiny_kb):
    root = tiny_kb.parent
    for name in ("alibaba-group", "token-foundry-division"):
        path = tiny_kb / "units" / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("\nid: ", "\nid:   "), encoding="utf-8")
    result = run_kb(["fmt", "data/units/alibaba-group.yml", "notes.yml"], root)
    assert result.out == (
        "formatted data/units/alibaba-group.yml\n"
        "notes.yml: skipped: not in a record folder "
        "(discrepancies, events, people, sources, units)\n"
    )
    assert run_kb(["fmt", "--check"], root).out.startswith("--- a/data/units/token-foundry-division.yml")


# -- stats ---------------------------------------------------------------------


def test_stats(tiny_kb):
    result = run_kb(["stats"], tiny_kb.parent)
    assert result.code == 0
    assert (
        result.out
        == """\
records:
  sources        1
  people         1
  units          2
  events         1
  discrepancies  0
claims:
  reported       7
  attributed     0
  analysis       1
citations:       8
coverage (sentences used / no claim / unaccounted / total):
  alibaba-token-foundry-division: 4 / 16 / 0 / 20 (100%)
5 records, 8 citations, 0 problems
"""
    )


def test_stats_exits_1_when_the_data_has_problems(tiny_kb):
    (tiny_kb / "units" / "alibaba-group.yml").write_text("- a list\n", encoding="utf-8")
    result = run_kb(["stats"], tiny_kb.parent)
    assert result.code == 1
    assert "  units          1\n" in result.out
    assert result.out.endswith("5 records, 7 citations, 1 problem\n")


def test_help_lists_every_command():
    from scripts.kb import build_parser

    text = build_parser().format_help()
    assert text.startswith("usage: .venv/bin/kb [-h] [--data DATA] [--docs DOCS] COMMAND ...")
    for command in ("validate", "new", "fmt", "stats"):
        assert re.search(rf"^    {command} +\S", text, re.MULTILINE), command
