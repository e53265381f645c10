"""`kb diff`: the difference in meaning between two revisions, on a repository the tests make.

Every kind of change of tests/gitrepo.py's story is found, and only those: a change that only
reformats or reorders gives nothing. Revisions are read from git's object store: nothing is
checked out, and a symbolic link in a commit's tree is reported, never followed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from gitrepo import GitRepo, story

from macros.kb.diff import describe, diff_knowledge_bases, diff_views, record_view, views_of
from macros.kb.gitread import Repository
from macros.kb.load import load
from macros.kb.revision import load_revision

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kbsite" / "data"


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    return story(tmp_path_factory.mktemp("story") / "repo")


def at(told, step: str):
    return load_revision(Repository(told.repo.root), told.commits[step], "data")


def between(told, before: str, after: str):
    diff = diff_knowledge_bases(at(told, before).report.kb, at(told, after).report.kb)
    return diff, {r.id: r for r in diff.records}


def test_edited_claims_each_say_what_changed(told):
    diff, records = between(told, "initial", "edit")
    assert set(records) == {
        "ada-park",
        "ben-ortiz",
        "autonomy-division",
        "northwind-robotics",
        "autonomy-division-announcement-date",
    }
    assert all(r.status == "changed" for r in diff.records)

    (text,) = records["ada-park"].claims_changed  # its id, made from the text, changed with it
    assert {f.name for f in text.fields} == {"id", "text"}
    assert (text.old.text, text.new.text) == (
        "Ada Park told employees that the company is putting everything that moves under one roof.",
        "Ada Park told staff that the company is putting everything that moves under one roof.",
    )

    ben = {c.new.id: c for c in records["ben-ortiz"].claims_changed}
    (quote,) = ben["s-ben-ortiz-will-leave-the-company"].quotes_changed
    assert (quote.source, quote.old) == ("northwind-autonomy-report", "will leave the company at the end of the month")
    assert quote.new.startswith("Ben Ortiz, who has run the Motion Lab since 2019")
    (status,) = ben["role-head-motion-lab"].fields
    assert (status.name, status.old, status.new) == ("status", "current", "former")

    (kind,) = records["autonomy-division"].claims_changed
    assert {(f.name, f.old, f.new) for f in kind.fields} == {
        ("kind", "analysis", "reported"),
        ("attribution", "Industry analysts", ""),
    }

    (cited,) = records["northwind-robotics"].claims_changed
    assert [c.quote for c in cited.cites_added] == [
        "Northwind Robotics has folded its Motion Lab into a new Autonomy Division"
    ]
    assert not cited.fields and not cited.quotes_changed and not cited.cites_removed

    (closed,) = records["autonomy-division-announcement-date"].fields
    assert (closed.name, closed.old, closed.new) == ("status", "open", "resolved")


def test_reformatting_and_reordering_give_nothing(told):
    diff, _ = between(told, "edit", "reformat")
    assert not diff and diff.counts() == {}


def test_a_rename_is_one_record_moved(told):
    diff, records = between(told, "reformat", "rename")
    renamed = records["robotics-lab"]
    assert (renamed.status, renamed.old_id, renamed.old_path, renamed.path) == (
        "renamed",
        "motion-lab",
        "data/units/motion-lab.yml",
        "data/units/robotics-lab.yml",
    )
    assert not renamed.fields and not renamed.claims_added and not renamed.claims_removed
    assert not renamed.claims_changed
    # The records that refer to it changed with it, and say so.
    (role,) = records["ben-ortiz"].claims_changed
    assert ("unit", "motion-lab", "robotics-lab") in {(f.name, f.old, f.new) for f in role.fields}
    (merger,) = records["motion-lab-folded-into-autonomy-division"].claims_changed
    assert ("units", "motion-lab", "robotics-lab") in {(f.name, f.old, f.new) for f in merger.fields}
    assert describe(merger.new) == "robotics-lab merged into autonomy-division."
    assert "motion-lab" not in records


def test_a_removed_record_takes_its_claims_with_it(told):
    _, records = between(told, "rename", "remove")
    removed = records["ben-ortiz"]
    assert removed.status == "removed"
    assert {c.id for c in removed.claims_removed} == {
        "name",
        "role-head-robotics-lab",
        "s-ben-ortiz-will-leave-the-company",
    }
    assert all(c.cite for c in removed.claims_removed)  # each with its quotes


def test_an_added_source_and_the_claim_citing_it(told):
    _, records = between(told, "remove", "source")
    source = records["northwind-factory-note"]
    assert (source.kind, source.status) == ("source", "added")
    assert ("archive", "", "northwind-factory-note.txt") in {(f.name, f.old, f.new) for f in source.fields}
    (claim,) = records["northwind-robotics"].claims_added
    assert [(c.source, c.quote) for c in claim.cite] == [
        ("northwind-factory-note", "Northwind Robotics opened a second factory in Ostrava.")
    ]


def test_a_changed_archive_is_a_change_of_the_source(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    before = load(data).kb
    archive = data / "sources" / "northwind-autonomy-report.txt"
    archive.write_text(archive.read_text(encoding="utf-8") + "A line added later.\n", encoding="utf-8")
    after = load(data).kb  # its recorded sha256 no longer matches: validation says so; the diff too
    (source,) = diff_knowledge_bases(before, after).records
    assert source.id == "northwind-autonomy-report"
    (field,) = source.fields
    assert field.name == "archive_text_sha256"
    assert field.new == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_a_merge_is_compared_with_its_first_parent(told):
    _, records = between(told, "main-meanwhile", "merge")
    (ada,) = records.values()
    claims = {c.new.id: c for c in ada.claims_changed}
    other = claims["aka-park-ji-ah-her-korean-name"]  # both commits of the branch, in one
    assert other.quotes_changed and ("name", "Park Ji-ah", "Park Ji-ah (her Korean name)") in {
        (f.name, f.old, f.new) for f in other.fields
    }


def test_symbolic_links_in_a_revision_are_skipped_never_followed(told):
    revision = at(told, "symlinks")
    assert {(s.path, s.reason) for s in revision.skipped} == {
        ("data/people/intruder.yml", "a symbolic link: not read"),
        ("data/units/elsewhere.yml", "a symbolic link: not read"),
    }
    assert "intruder" not in revision.report.kb.records
    assert not [p for p in revision.report.problems if "intruder" in p.path or "elsewhere" in p.path]
    assert not revision.report.problems


def test_reading_revisions_checks_nothing_out(told):
    repo = told.repo
    before = repo.git("status", "--porcelain", "--ignored"), repo.git("rev-parse", "HEAD")
    files = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.parts}
    for step in ("initial", "rename", "symlinks"):
        at(told, step)
    assert (repo.git("status", "--porcelain", "--ignored"), repo.git("rev-parse", "HEAD")) == before
    assert {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.parts} == files


# -- matching claims, on views --------------------------------------------------------------


def _kb(tmp_path: Path, edit=None):
    data = tmp_path / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(FIXTURE, data)
    if edit:
        edit(data)
    return load(data).kb


def test_two_claims_of_one_slug_swapped_give_nothing(tmp_path):
    statement = (
        "  - text: Ben Ortiz will leave the company at the end of the month, {n}.\n"
        "    cite:\n"
        "      - source: northwind-autonomy-report\n"
        "        quote: {quote}\n"
    )
    first = statement.format(n="first", quote="will leave the company at the end of the month")
    second = statement.format(n="second", quote="Ben Ortiz, who has run the Motion Lab")

    def write(order):
        def edit(data):
            path = data / "people" / "ben-ortiz.yml"
            text = path.read_text(encoding="utf-8")
            path.write_text(text[: text.index("statements:")] + "statements:\n" + "".join(order), encoding="utf-8")

        return edit

    before, after = _kb(tmp_path, write([first, second])), _kb(tmp_path, write([second, first]))
    ids = [c.id for c in before.people["ben-ortiz"].statements]
    assert ids[0] + "-2" == ids[1]  # one slug: the second is numbered, so the order moves the ids
    assert not diff_knowledge_bases(before, after)


def test_an_explicit_claim_id_that_changes_is_a_changed_anchor(tmp_path):
    before = _kb(tmp_path)

    def edit(data):
        path = data / "people" / "ben-ortiz.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "  - text: Ben Ortiz will", "  - id: leaving\n    text: Ben Ortiz will"
            ),
            encoding="utf-8",
        )

    after = _kb(tmp_path, edit)
    (record,) = diff_knowledge_bases(before, after).records
    (change,) = record.claims_changed
    assert [(f.name, f.old, f.new) for f in change.fields] == [("id", "s-ben-ortiz-will-leave-the-company", "leaving")]


def test_a_record_of_another_kind_under_the_same_id_is_not_the_same_record(tmp_path):
    kb = _kb(tmp_path)
    person = record_view(kb.people["ben-ortiz"])
    unit = record_view(kb.units["motion-lab"])
    moved = type(unit)(unit.kind, "ben-ortiz", unit.path, unit.name, unit.fields, unit.claims)
    diff = diff_views({"ben-ortiz": person}, {"ben-ortiz": moved})
    assert sorted((r.kind, r.status) for r in diff.records) == [("person", "removed"), ("unit", "added")]


def test_the_json_form_keeps_everything(told):
    diff, _ = between(told, "initial", "edit")
    from macros.kb.diff import diff_from_json, diff_to_json

    assert diff_from_json(json.loads(json.dumps(diff_to_json(diff)))) == diff
    assert views_of(at(told, "edit").report.kb) == views_of(at(told, "reformat").report.kb)


# -- the command --------------------------------------------------------------------------


@pytest.fixture
def clone(told, tmp_path) -> GitRepo:
    """A clone of the story's repository, to change freely (origin/HEAD is its main)."""
    GitRepo(tmp_path).git("clone", "-q", str(told.repo.root), str(tmp_path / "clone"))
    return GitRepo(tmp_path / "clone")


def test_kb_diff_by_default_compares_the_work_tree_with_the_branch_point(clone, kb_cli):
    clone.git("checkout", "-q", "-b", "feature")
    clone.replace("data/units/autonomy-division.yml", "could speed up", "might speed up")
    clone.commit("On a branch")
    clone.replace("data/people/ada-park.yml", "told staff", "told her staff")  # not committed
    result = kb_cli(["diff"], clone.root)
    assert result.code == 0, result.err
    assert "→ work tree" in result.out
    assert "text before: Industry analysts suggest the move could speed up" in result.out
    assert "text after: Ada Park told her staff" in result.out
    assert "2 claims changed, 2 records changed" in result.out


def test_kb_diff_between_two_revisions_as_json(told, kb_cli):
    result = kb_cli(["diff", told.commits["reformat"], told.commits["source"], "--format", "json"], told.repo.root)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["base"]["commit"] == told.commits["reformat"]
    assert report["counts"] == {
        "claims added": 1,
        "claims changed": 1,
        "claims removed": 3,
        "records added": 1,
        "records changed": 3,
        "records removed": 1,
        "records renamed": 1,
    }
    assert {r["id"]: r["status"] for r in report["records"]}["robotics-lab"] == "renamed"


def test_kb_diff_says_nothing_of_a_reformat(told, kb_cli):
    result = kb_cli(["diff", told.commits["edit"], told.commits["reformat"]], told.repo.root)
    assert result.code == 0 and "no change in meaning" in result.out
    assert len(result.out.splitlines()) == 2


def test_kb_diff_errors_are_one_line(told, tmp_path, kb_cli, monkeypatch):
    unknown = kb_cli(["diff", "no-such-branch"], told.repo.root)
    assert (unknown.code, unknown.err.strip()) == (2, "error: 'no-such-branch' names no commit of this repository")
    option = kb_cli(["diff", "--", "--output=/tmp/x"], told.repo.root)
    assert option.code == 2 and "is not a revision" in option.err
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "data").mkdir()
    outside = kb_cli(["diff"], tmp_path)
    assert (outside.code, outside.err.strip()) == (2, "error: the data folder is not in a git repository")


def test_the_base_loaded_in_a_second_process_gives_the_same_report(told, kb_cli, monkeypatch):
    import subprocess
    import sys

    import macros.kb.revision as revision

    arguments = ["diff", told.commits["initial"], told.commits["merge"], "--format", "json"]
    forked = subprocess.run(  # a command line of its own: one thread, so the base is loaded in a child
        [sys.executable, "-m", "scripts.kb", *arguments], cwd=told.repo.root, capture_output=True, text=True
    )
    assert forked.returncode == 0, forked.stderr
    monkeypatch.setattr(revision, "can_fork", lambda: False)
    alone = kb_cli(arguments, told.repo.root)
    assert json.loads(forked.stdout) == json.loads(alone.out)
    assert json.loads(alone.out)["records"]
