"""The build's knowledge base is loaded once per build and reloaded after an
edit (`mkdocs serve`), without keeping the previous build's garbage alive."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from macros.session.session import end_session, session_for

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kbsite"


class Config:
    """What the build session reads of MkDocs' configuration (a new one for each build, as `mkdocs serve`
    makes)."""

    def __init__(self, project: Path):
        self.config_file_path = str(project / "mkdocs.yml")
        self.docs_dir = str(project / "docs")
        self.extra = {"kb_data": "data"}
        self.site_url = None
        self.use_directory_urls = True


class Garbage:
    """Stands for a finished build's pages and navigation, which refer to each other in cycles."""

    def __init__(self):
        self.me = self


@pytest.fixture
def project(tmp_path: Path):
    shutil.copytree(FIXTURE / "data", tmp_path / "data")
    yield tmp_path
    end_session()
    gc.unfreeze()  # leave the test process's collector as it was


def test_one_load_per_build_and_a_reload_after_an_edit(project: Path):
    first_config = Config(project)
    first = session_for(first_config).report
    assert session_for(first_config).report is first  # every macro of a build asks: one load
    assert session_for(Config(project)).report is first  # a rebuild with nothing changed: no reload
    record = next((project / "data" / "people").glob("*.yml"))
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert session_for(Config(project)).report is not first  # an edit: loaded again


def test_a_reload_does_not_keep_the_last_builds_garbage(project: Path):
    assert session_for(Config(project)).report.ok
    garbage = Garbage()
    left = weakref.ref(garbage)
    del garbage  # unreachable, waiting for the cycle collector
    record = next((project / "data" / "units").glob("*.yml"))
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert session_for(Config(project)).report.ok  # freezes what is alive, for the length of the new build
    gc.collect()
    assert left() is None, "the previous build's garbage was frozen with the new knowledge base"
