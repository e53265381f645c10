"""data/ is untrusted: links, FIFOs, linked folders and hostile file names, made at run time.

A symbolic link or a FIFO cannot be committed reliably in a fixture folder,
so these cases are made here, over a copy of the tiny knowledge base, and
compared with the exact text `python -m scripts.kb validate` must print (as
the golden cases of tests/test_validate_golden.py are). Each link leads to
a file outside data/ that holds a secret: it must never reach the output.
A link to a FIFO proves the target is not even opened: opening a FIFO for
reading waits for a writer, so a validator that followed the link would
hang (the run has a time limit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_good, run_kb

from macros.kb.characters import NOT_PRINTABLE
from macros.kb.problems import DataError
from macros.kb.safefiles import NotRegularFile, create_new, read_regular, write_regular
from macros.kb.schemas import load_schemas
from macros.kb.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-7f3a: the machine's private file"
LINK_PROBLEM = (
    "error[special-file]: this is a symbolic link: links in data/ are not followed, and its target is not read\n"
    "  hint: put the file itself here (a link could lead to any file of the machine that builds the site)\n"
)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the knowledge base (outside data/) with a secret file and a record-like one."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def validate_text(root: Path, fifo: bool = False) -> tuple[int, str]:
    """What `kb validate` prints; where there is a FIFO, in a fresh process with a time limit (a
    validator that opened it would hang)."""
    if not fifo:
        result = run_kb(["--data", "data", "validate", "--format", "text"], root)
        assert result.err == "" and SECRET not in result.out
        return result.code, result.out
    result = subprocess.run(
        [sys.executable, "-m", "scripts.kb", "--data", str(root / "data"), "validate", "--format", "text"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(ROOT), "KB_WORKERS": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == ""
    assert SECRET not in result.stdout
    return result.returncode, result.stdout


def test_a_link_to_a_file_outside_is_refused_and_never_read(tiny_kb, outside):
    (tiny_kb / "people" / "secret.yml").symlink_to(outside / "secret.txt")
    code, out = validate_text(tiny_kb.parent)
    assert code == 1
    assert out == "data/people/secret.yml:1:1: " + LINK_PROBLEM + "5 records, 8 citations, 1 problem\n"


def test_a_dangling_link_and_a_link_to_a_fifo_are_refused_without_opening(tiny_kb, outside):
    os.mkfifo(outside / "pipe")
    (tiny_kb / "units" / "dangling.yml").symlink_to(outside / "no-such-file")
    (tiny_kb / "events" / "pipe.yml").symlink_to(outside / "pipe")
    code, out = validate_text(tiny_kb.parent, fifo=True)
    assert code == 1
    assert out == (
        "data/events/pipe.yml:1:1: "
        + LINK_PROBLEM
        + "data/units/dangling.yml:1:1: "
        + LINK_PROBLEM
        # The links are not records: nothing is counted for them.
        + "5 records, 8 citations, 2 problems\n"
    )


def test_a_fifo_in_data_is_refused_without_opening(tiny_kb):
    os.mkfifo(tiny_kb / "people" / "pipe.yml")
    code, out = validate_text(tiny_kb.parent, fifo=True)
    assert out == (
        "data/people/pipe.yml:1:1: error[special-file]: this is a FIFO (named pipe), not a regular file: it is not read\n"
        "  hint: remove it: data/ holds only regular files\n"
        "5 records, 8 citations, 1 problem\n"
    )
    assert code == 1


def test_a_linked_folder_is_not_entered(tiny_kb, outside):
    # data/units is replaced by a link to a folder holding the very same (valid) records.
    (outside / "units").mkdir()
    for record in (tiny_kb / "units").iterdir():
        (outside / "units" / record.name).write_bytes(record.read_bytes())
        record.unlink()
    (tiny_kb / "units").rmdir()
    (tiny_kb / "units").symlink_to(outside / "units", target_is_directory=True)
    # A link to a folder inside a record folder, and one to the secret's folder at the top of data/.
    (tiny_kb / "people" / "more").symlink_to(outside, target_is_directory=True)
    (tiny_kb / "extra").symlink_to(outside, target_is_directory=True)
    code, out = validate_text(tiny_kb.parent)
    assert code == 1
    # None of the linked records is read: the references to them are unknown.
    problems = [line for line in out.splitlines()[:-1] if not line.startswith("  hint: ")]
    links = [line for line in problems if "error[special-file]" in line]
    assert links == [
        f"{path}:1:1: " + LINK_PROBLEM.splitlines()[0] for path in ("data/extra", "data/people/more", "data/units")
    ]
    # The records' references to the units are unknown, and what only the units quoted is not covered.
    others = {line.split("error[")[1].split("]")[0] for line in problems if line not in links}
    assert others == {"unknown-ref", "uncovered-sentence"}
    assert out.splitlines()[-1].startswith("3 records, ")


def test_the_data_folder_itself_may_not_be_a_link(tmp_path):
    real = copy_good(tmp_path / "elsewhere")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "data").symlink_to(real, target_is_directory=True)
    code, out = validate_text(tmp_path / "project")
    assert out.splitlines()[0].endswith(
        "data:1:1: error[special-file]: the data folder is a symbolic link: links are not followed, "
        "and nothing under it is read"
    )
    assert out.endswith("0 records, 0 citations, 1 problem\n")
    assert code == 1


def test_an_archive_that_is_a_link_is_not_read(tiny_kb, outside):
    # The link leads to a copy of the very bytes the record's sha256 names: they are still not read.
    archive = tiny_kb / "sources" / "alibaba-token-foundry-division.txt"
    (outside / "copy.txt").write_bytes(archive.read_bytes())
    archive.unlink()
    archive.symlink_to(outside / "copy.txt")
    code, out = validate_text(tiny_kb.parent)
    assert code == 1
    assert out == (
        "data/sources/alibaba-token-foundry-division.txt:1:1: "
        + LINK_PROBLEM
        + "data/sources/alibaba-token-foundry-division.yml:11:10: error[special-file]: the archived text "
        "'alibaba-token-foundry-division.txt' is a symbolic link, not a regular file: it is not read\n"
        "  hint: put the article's text itself in data/sources/alibaba-token-foundry-division.txt\n"
        "5 records, 8 citations, 2 problems\n"
    )


def test_hidden_files_are_not_opened(tiny_kb, outside):
    """Names that start with a dot are editor and system files: not part of the knowledge base."""
    (tiny_kb / "people" / ".eddie-wu.yml.swp").write_bytes(b"\x00\x01 swap")
    (tiny_kb / ".DS_Store").write_bytes(b"\x00")
    (tiny_kb / "units" / ".link").symlink_to(outside / "secret.txt")
    code, out = validate_text(tiny_kb.parent)
    assert (code, out) == (0, "5 records, 8 citations, 0 problems\n")


def test_file_names_with_control_characters_are_printed_escaped(tiny_kb):
    # An ANSI "clear screen", an OSC "set the window title", a carriage return and a byte that is not UTF-8.
    hostile = os.fsdecode(b"\x1b[2J\x1b]0;pwned\x07\rok\xff.txt")
    (tiny_kb / "people" / hostile).write_text("x\n", encoding="utf-8")
    result = run_kb(["--data", "data", "validate", "--format", "text"], tiny_kb.parent)
    assert result.out == (
        "data/people/<U+001B>[2J<U+001B>]0;pwned<U+0007><U+000D>ok<U+DCFF>.txt:1:1: error[unexpected-file]: "
        "'<U+001B>[2J<U+001B>]0;pwned<U+0007><U+000D>ok<U+DCFF>.txt' is not a record file\n"
        "  hint: records are .yml files\n"
        "5 records, 8 citations, 1 problem\n"
    )
    github = run_kb(["--data", "data", "validate", "--format", "github"], tiny_kb.parent)
    assert github.out.startswith(
        "::error file=data/people/<U+001B>[2J<U+001B>]0;pwned<U+0007><U+000D>ok<U+DCFF>.txt,line=1,col=1,"
        "title=kb unexpected-file::"
    )
    for output in (result.out, github.out):
        assert NOT_PRINTABLE.search(output.replace("\n", "")) is None


def test_the_same_problems_in_several_processes(tiny_kb, outside):
    os.mkfifo(outside / "pipe")
    (tiny_kb / "people" / "secret.yml").symlink_to(outside / "secret.txt")
    (tiny_kb / "events" / "pipe.yml").symlink_to(outside / "pipe")
    (tiny_kb / "peoples").mkdir()
    (tiny_kb / "peoples" / "x.yml").write_text("id: x\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from macros.kb.validate import validate\n"
        "one = validate(sys.argv[1], workers=1)\n"
        "many = validate(sys.argv[1], workers=2, min_files_per_worker=0)\n"
        "assert many.loaded is None and one.problems == many.problems, (one.problems, many.problems)\n"
        "print(len(one.problems))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tiny_kb)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3\n"


# -- every other reader and writer of data/ ------------------------------------


def test_fmt_neither_reads_nor_writes_through_a_link(tiny_kb, outside):
    root = tiny_kb.parent
    # A record outside, not in canonical form, linked into data/: fmt must not touch it.
    target = outside / "jane-doe.yml"
    target.write_text("name: Jane Doe\nid: jane-doe\n", encoding="utf-8")
    (tiny_kb / "people" / "jane-doe.yml").symlink_to(target)
    assert run_kb(["fmt", "--check"], root).out == ""
    assert run_kb(["fmt"], root).out == ""
    named = run_kb(["fmt", "data/people/jane-doe.yml"], root)
    assert named.out == "data/people/jane-doe.yml: skipped: a symbolic link, not a regular file: not read\n"
    assert target.read_text(encoding="utf-8") == "name: Jane Doe\nid: jane-doe\n"
    # Through a linked folder, and outside the data folder, neither.
    (tiny_kb / "events").rename(outside / "events")
    (tiny_kb / "events").symlink_to(outside / "events", target_is_directory=True)
    linked = run_kb(["fmt", "data/events/token-foundry-division-announced.yml", str(target)], root)
    assert linked.out == (
        "data/events/token-foundry-division-announced.yml: skipped: data/events is not a real folder "
        "(a link is not followed): not read\n"
        f"{target.as_posix()}: skipped: not in a record folder (discrepancies, events, people, sources, units)\n"
    )


def test_new_does_not_write_through_a_link(tiny_kb, outside):
    root = tiny_kb.parent
    # A dangling link where the new record would go: nothing is created at its target.
    (tiny_kb / "people" / "jane-doe.yml").symlink_to(outside / "created.yml")
    result = run_kb(["new", "person", "Jane Doe"], root)
    assert result.code == 1
    assert result.err == "error: data/people/jane-doe.yml already exists: edit it, or choose another --id\n"
    assert not (outside / "created.yml").exists()
    # A linked record folder.
    (tiny_kb / "units").rename(outside / "units")
    (tiny_kb / "units").symlink_to(outside / "units", target_is_directory=True)
    result = run_kb(["new", "unit", "New Lab"], root)
    assert result.code == 1
    assert result.err == "error: data/units is not a real folder (links are not followed)\n"
    assert not (outside / "units" / "new-lab.yml").exists()


def test_a_schema_that_is_a_link_is_refused(tmp_path, outside):
    schemas = tmp_path / "data" / "schemas"
    schemas.mkdir(parents=True)
    (schemas / "defs.schema.json").write_text("{}", encoding="utf-8")
    (schemas / "person.schema.json").symlink_to(outside / "secret.txt")
    with pytest.raises(DataError) as error:
        load_schemas(schemas)
    assert [p.as_text() for p in error.value.problems] == [
        "data/schemas/person.schema.json:1:1: error[special-file]: this is a symbolic link, not a regular file: "
        "it is not read\n  hint: put the schema itself here"
    ]


def test_safe_reads_and_writes(tmp_path):
    regular = tmp_path / "a.txt"
    regular.write_bytes(b"abc")
    link = tmp_path / "link"
    link.symlink_to(regular)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert read_regular(regular) == b"abc"
    assert read_regular(regular, limit=2) == b"ab"
    for path, what in ((link, "a symbolic link"), (fifo, "a FIFO (named pipe)"), (tmp_path, "a folder")):
        with pytest.raises(NotRegularFile) as error:
            read_regular(path)
        assert error.value.what == what
    with pytest.raises(NotRegularFile):
        write_regular(link, b"changed")
    assert regular.read_bytes() == b"abc"
    write_regular(regular, b"x")
    assert regular.read_bytes() == b"x"
    with pytest.raises(FileExistsError):
        create_new(link, b"new")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nothing")
    with pytest.raises(FileExistsError):
        create_new(dangling, b"new")
    assert not (tmp_path / "nothing").exists()


def test_the_build_fingerprint_does_not_follow_links(tiny_kb):
    from macros.session.session import _fingerprint

    (tiny_kb / "people" / "dangling.yml").symlink_to(tiny_kb / "no-such-file")
    assert any(name == "dangling.yml" for _, name, _, _ in _fingerprint(tiny_kb))


def test_validate_in_process_reports_links_too(tiny_kb, outside):
    (tiny_kb / "people" / "secret.yml").symlink_to(outside / "secret.txt")
    report = validate(tiny_kb, tiny_kb.parent)
    assert [p.code for p in report.problems] == ["special-file"]


def test_new_source_from_a_saved_file_does_not_write_through_a_link(tiny_kb, outside):
    root = tiny_kb.parent
    saved = outside / "article.txt"
    saved.write_text("Acme named Jane Doe its chief executive on Monday.\n", encoding="utf-8")
    # A dangling link where the archived text would go: refused, and nothing is created at its target.
    (tiny_kb / "sources" / "acme-names-a-chief.txt").symlink_to(outside / "created.txt")
    result = run_kb(["new", "source", "--from", str(saved), "Acme names a chief"], root)
    assert result.code == 1
    assert result.err == (
        "error: data/sources/acme-names-a-chief.txt is not a regular file (a link is not followed): remove it\n"
    )
    assert not (outside / "created.txt").exists() and not (tiny_kb / "sources" / "acme-names-a-chief.yml").exists()
    # A linked sources folder.
    (tiny_kb / "sources").rename(outside / "sources")
    (tiny_kb / "sources").symlink_to(outside / "sources", target_is_directory=True)
    result = run_kb(["new", "source", "--from", str(saved), "Acme names a chief"], root)
    assert (result.code, result.err) == (1, "error: data/sources is not a real folder (links are not followed)\n")


def test_new_source_takes_only_metadata_that_will_validate():
    from macros.kb.intake import clean_text, clean_url

    assert clean_url("https://www.alibaba.com@evil.example/") is None  # the one URL policy
    assert clean_url(" https://example.org/a ") == "https://example.org/a"
    assert clean_text("A title\u202e") is None and clean_text("A  title") == "A title"
