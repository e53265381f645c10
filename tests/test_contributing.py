"""The contributors' guide, as the site shows it (docs/contributing.md) and as GitHub does
(CONTRIBUTING.md, made from it by scripts/contributing.py): the same walk-through, no raw
macros on GitHub, a section for adding each kind of record, YAML examples that parse, and
commands that work on a fresh clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.kb.kinds import FOLDERS
from macros.kb.yamlsafe import parse
from scripts import contributing
from scripts.kb import build_parser

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
GITHUB = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _headings(text: str) -> list[str]:
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)  # code blocks hold YAML comments
    return re.findall(r"^#{1,3} .+$", prose, re.MULTILINE)


def test_contributing_md_is_made_from_the_sites_page():
    assert contributing.render(PAGE) == GITHUB, "CONTRIBUTING.md is stale: run `make contributing`"
    assert _headings(GITHUB) == _headings(PAGE)


def test_a_change_of_the_page_shows_as_stale(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(contributing, "TARGET", tmp_path / "CONTRIBUTING.md")
    (tmp_path / "CONTRIBUTING.md").write_text(GITHUB.replace("## Adding a unit", "## Adding units"), encoding="utf-8")
    assert contributing.main(["--check"]) == 1
    assert "-## Adding units\n+## Adding a unit\n" in capsys.readouterr().out
    assert contributing.main([]) == 0 and (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8") == GITHUB


def test_github_shows_no_macro():
    assert not re.search(r"\{\{|\{%|\{#", GITHUB)
    assert "{{ error_codes() }}" in PAGE  # the page has them: the site fills them in


def test_an_unknown_macro_is_named():
    with pytest.raises(SystemExit, match="no_such_macro"):
        contributing.render("{{ no_such_macro() }}")


def test_links_to_other_pages_lead_to_their_files():
    assert contributing.render("[format](reference.md#people) [x](https://example.org/a.md)").endswith(
        "[format](docs/reference.md#people) [x](https://example.org/a.md)"
    )


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_adding_each_kind_of_record_has_its_section(kind):
    assert re.search(rf"^## Adding an? {kind}$", GITHUB, re.MULTILINE), kind
    assert f".venv/bin/kb new {kind} " in GITHUB


def test_every_yaml_example_parses():
    blocks = re.findall(r"^```yaml\n(.*?)^```", GITHUB, re.MULTILINE | re.DOTALL)
    assert len(blocks) >= len(FOLDERS)
    for block in blocks:
        _, problems = parse(block, "example.yml")
        assert problems == [], block


def test_the_quoting_note_is_right():
    """A quote with ': ' in it does not parse unquoted, and does in double quotes."""
    assert parse("quote: Media contact: the press office.\n", "x.yml")[1]
    doc, problems = parse('quote: "Media contact: the press office."\n', "x.yml")
    assert problems == [] and doc.data["quote"] == "Media contact: the press office."
    assert "`: ` (a colon and a space)" in GITHUB


def test_commands_work_on_a_fresh_clone():
    assert not re.search(r"(?<![\w/.])python3? -m ", GITHUB), "a bare `python -m` needs the virtualenv active"
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE))
    for target in re.findall(r"(?:`|^)make ([a-z][a-z-]*)", GITHUB, re.MULTILINE):  # in code, not in prose
        assert target in targets, f"make {target}"
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for command in re.findall(r"\.venv/bin/kb ([a-z][a-z-]*)", GITHUB):
        assert command in commands, command


def test_counts_are_in_the_singular_for_one():
    assert not re.search(r"\b(problem|record|citation|file)\(s\)", GITHUB)
    assert "1 problem, 2 warnings`" in GITHUB
