"""Shared fixtures: a tiny valid knowledge base, and the command line run in-process.

Golden files, one switch for all of them: with `KB_UPDATE_GOLDEN=1`, every
golden test writes what it produced over its golden file, then compares as
usual (so the run passes), and the diff is for review before committing:

    KB_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_validate_golden.py tests/test_render_golden.py

The golden files are the validator's output for each bad input
(tests/fixtures/bad/<case>/expected.txt) and the rendered pages of the
fixture knowledge base, JSON-LD included (tests/fixtures/kbsite/golden/).
A golden test reads the switch from `UPDATE_GOLDEN` here, never from the
environment itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD_DATA = FIXTURES / "good" / "data"
UPDATE_GOLDEN = os.environ.get("KB_UPDATE_GOLDEN") == "1"


def pytest_configure(config):
    if os.environ.get("UPDATE_GOLDEN") and not UPDATE_GOLDEN:
        # The rendered pages' switch of old: say so, rather than leave the golden files as they were.
        raise pytest.UsageError("UPDATE_GOLDEN is no longer read: KB_UPDATE_GOLDEN=1 updates every golden file")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_kb(args: list[str], cwd: Path) -> Run:
    """Run `python -m scripts.kb <args>` in-process from `cwd`; its exit code and output."""
    from scripts.kb import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


def copy_good(target: Path) -> Path:
    """Copy the minimal valid knowledge base to target/data; return that data folder."""
    data = target / "data"
    shutil.copytree(GOOD_DATA, data)
    return data


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/good/data (one real article, five records, zero problems).

    Returns the data folder; its parent is the project-like root to run the CLI from.
    """
    return copy_good(tmp_path)


@pytest.fixture
def kb_cli():
    """The function run_kb(args, cwd) -> Run(code, out, err)."""
    return run_kb
