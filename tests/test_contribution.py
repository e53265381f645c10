"""A correct data-only change keeps every check green: if `make validate` passes on it, the site
builds, the exports read, and the tests that read the data pass.

The change is tests/fixtures/third-source/data: a synthetic press release with every optional
field of a source set (URL, publisher, author, publication date), two new people, two new units,
two dated events, dated roles and parents, and new roles, names and statements for records that
may already exist (Eddie Wu, Alibaba Group, Alibaba Cloud), laid over a copy of the data under
test the way a pull request adds them (tests/kbdata.py). On that copy:

- the fixture alone is a valid knowledge base, and the copy validates with no problem and is in
  canonical form (`make validate`, `make fmt-check`);
- `mkdocs build --strict` builds it (real MkDocs, the repository's config and pages), with a page
  for every new record, and its exports read with jsonschema, Popolo's schemas, rdflib, pyld and
  feedparser;
- the test modules that read the data (tests/test_data.py, test_export.py, test_canonical.py)
  pass on it, run by pytest with KB_DATA naming it. The whole suite runs on it with
  `make test-overlay`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_kb
from conftest_site import REPO, build_env, build_site, make_project
from kbdata import DATA, lay_over
from readers import export_problems, popolo_errors, popolo_validators

from macros.exports.files import EXPORT_PATHS, POPOLO_PATH
from macros.kb.kinds import FOLDERS
from macros.kb.validate import validate

pytestmark = pytest.mark.slow

FIXTURE = REPO / "tests" / "fixtures" / "third-source" / "data"
SOURCE_ID = "model-research-lab-press-release"
# The modules whose tests read the data under test and build no site (those are run on it by make test-overlay).
DATA_TESTS = ("tests/test_data.py", "tests/test_export.py", "tests/test_canonical.py")


@pytest.fixture(scope="module")
def overlaid():
    """data/ (or KB_DATA's folder) with the fixture laid over it, inside the repository (KB_DATA's rule)."""
    root = REPO / "build" / f"test-contribution-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    try:
        yield lay_over(DATA, FIXTURE, root / "data")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def report(overlaid):
    return validate(overlaid, REPO)


@pytest.fixture(scope="module")
def built(overlaid, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("contribution")
    config = make_project(root / "project", overlaid)
    build_site(root / "site", config=config)
    return root / "site"


def test_the_fixture_alone_is_a_valid_knowledge_base():
    report = validate(FIXTURE, FIXTURE.parent)
    assert [p.as_text() for p in report.problems] == []


def test_the_fixture_sets_every_optional_field_of_a_source(report):
    source = report.kb.sources[SOURCE_ID]
    assert None not in (source.url, source.publisher, source.author, source.published, source.notes)
    assert source.no_claim and not source.title_is_editorial


def test_laid_over_the_data_it_adds_to_the_records_already_there(overlaid, report):
    fixture_roles = validate(FIXTURE, FIXTURE.parent).kb.people["eddie-wu"].roles
    base = validate(DATA, DATA.parent).kb.people.get("eddie-wu")
    roles = report.kb.people["eddie-wu"].roles
    base_roles = base.roles if base else ()

    def described(role_list) -> list[tuple]:
        return [(r.role, r.unit, r.start and r.start.iso(), r.end and r.end.iso(), r.status) for r in role_list]

    assert described(roles[: len(base_roles)]) == described(base_roles)  # the record's own roles, kept in order
    assert set(described(fixture_roles)) <= set(described(roles))


def test_it_validates_and_is_in_canonical_form(overlaid, report):
    assert [p.as_text() for p in report.problems] == []
    check = run_kb(["--data", str(overlaid), "fmt", "--check"], REPO)
    assert (check.code, check.out) == (0, "")


def test_it_builds_strictly_with_a_page_for_every_record(report, built):
    for kind, table in report.kb.tables():
        for record_id in table:
            assert (built / FOLDERS[kind] / record_id / "index.html").is_file(), (kind, record_id)
    page = (built / "sources" / SOURCE_ID / "index.html").read_text(encoding="utf-8")
    assert "https://www.example.com/news/2023/09/12/model-research-lab" in page


def test_its_exports_read(built):
    files = {path: (built / path).read_bytes() for path in EXPORT_PATHS}
    assert export_problems(files, popolo=None) == []


def test_its_popolo_export_validates_against_popolos_schemas(built):
    validators = popolo_validators()
    if validators is None:
        pytest.skip("the Popolo JSON Schemas (shared/popolo/schemas beside the repository) are not here")
    assert popolo_errors(validators, json.loads((built / POPOLO_PATH).read_bytes())) == []


def test_the_tests_that_read_the_data_pass_on_it(overlaid):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATA_TESTS],
        cwd=REPO,
        env=build_env({"KB_DATA": overlaid.relative_to(REPO).as_posix()}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
